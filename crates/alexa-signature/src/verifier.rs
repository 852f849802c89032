//! The whole check of one request, in the order that matters: signature before parsing.

use alexa_model::SkillId;
use serde_json::Value;

use crate::certificate_url::{CertificateChainUrl, CertificateUrlError};
use crate::chain::{CertificateChain, ChainError, TrustAnchors, VerifiedChain};
use crate::headers::{HeaderError, find_signature_headers};
use crate::signature::{Signature, SignatureError};
use crate::timestamp::{TimestampError, check_timestamp};

/// Any reason a request is refused. Every variant maps to HTTP 400 at the endpoint.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerificationError {
    #[error(transparent)]
    Header(#[from] HeaderError),
    #[error(transparent)]
    CertificateUrl(#[from] CertificateUrlError),
    #[error(transparent)]
    Chain(#[from] ChainError),
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error(transparent)]
    Body(#[from] BodyError),
    #[error(transparent)]
    Timestamp(#[from] TimestampError),
    #[error(transparent)]
    SkillId(#[from] SkillIdError),
}

impl VerificationError {
    /// A short, stable name for logs and metrics, e.g. `signature_mismatch`.
    pub fn reason_code(&self) -> &'static str {
        match self {
            Self::Header(error) => error.reason_code(),
            Self::CertificateUrl(error) => error.reason_code(),
            Self::Chain(error) => error.reason_code(),
            Self::Signature(error) => error.reason_code(),
            Self::Body(error) => error.reason_code(),
            Self::Timestamp(error) => error.reason_code(),
            Self::SkillId(error) => error.reason_code(),
        }
    }
}

/// The signed body is not an Alexa request envelope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    #[error("the signed body is not JSON")]
    NotJson,
    #[error(
        "the signed body is not an Alexa request envelope (no `request.type` string or no \
         `context.System.application.applicationId` string)"
    )]
    NotAnEnvelope,
}

impl BodyError {
    /// A short, stable name for logs and metrics.
    pub fn reason_code(&self) -> &'static str {
        match self {
            Self::NotJson => "body_not_json",
            Self::NotAnEnvelope => "body_not_an_envelope",
        }
    }
}

/// The request is for another skill. The ID it carries is not kept (it is part of the body).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SkillIdError {
    #[error(
        "the request is for another skill (in {location}): check SKILL_ID against the skill's ID \
         in the Alexa developer console"
    )]
    Mismatch {
        /// `context.System.application` or `session.application`.
        location: &'static str,
    },
}

impl SkillIdError {
    /// A short, stable name for logs and metrics.
    pub fn reason_code(&self) -> &'static str {
        "skill_id_mismatch"
    }
}

/// What the headers of a request say about its signature: the checked certificate URL and the
/// decoded signature. Built before anything else, and before the body is looked at.
#[derive(Clone, Debug)]
pub struct SignedRequest {
    certificate_url: CertificateChainUrl,
    signature: Signature,
}

impl SignedRequest {
    /// Reads the signature headers out of all of the request's `(name, value)` pairs (repeated
    /// names included, so a duplicate is noticed) and checks the certificate URL.
    pub fn from_headers<'a>(
        headers: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> Result<Self, VerificationError> {
        let (certificate_url, signature) = find_signature_headers(headers)?;
        let certificate_url = CertificateChainUrl::parse(certificate_url)?;
        let signature = Signature::from_header(signature)?;
        Ok(Self {
            certificate_url,
            signature,
        })
    }

    /// Where the signing chain comes from, normalized: the cache key and the URL to fetch.
    pub fn certificate_url(&self) -> &CertificateChainUrl {
        &self.certificate_url
    }

    pub fn signature(&self) -> &Signature {
        &self.signature
    }
}

/// Checks requests for one skill against a set of trust anchors.
#[derive(Clone, Debug)]
pub struct RequestVerifier {
    trust_anchors: TrustAnchors,
    skill_id: SkillId,
}

impl RequestVerifier {
    /// A verifier for `skill_id` that trusts Mozilla's roots only: what production uses.
    pub fn new(skill_id: SkillId) -> Self {
        Self::with_trust_anchors(skill_id, TrustAnchors::mozilla_roots())
    }

    /// A verifier with other trust anchors, for tests (see
    /// [`TrustAnchors::mozilla_roots_and_test_anchors`]).
    pub fn with_trust_anchors(skill_id: SkillId, trust_anchors: TrustAnchors) -> Self {
        Self {
            trust_anchors,
            skill_id,
        }
    }

    pub fn skill_id(&self) -> &SkillId {
        &self.skill_id
    }

    pub fn trust_anchors(&self) -> &TrustAnchors {
        &self.trust_anchors
    }

    /// Validates `chain` (the one found at `signed.certificate_url()`) at `now`, checks the
    /// signature over exactly `body`, and only then parses the body and checks its timestamp
    /// and skill ID. Returns the parsed body.
    pub fn verify(
        &self,
        signed: &SignedRequest,
        chain: &CertificateChain,
        body: &[u8],
        now: jiff::Timestamp,
    ) -> Result<Value, VerificationError> {
        let verified = chain.verify_for_reuse(&self.trust_anchors, now)?;
        self.verify_after_chain(signed, &verified, body, now)
    }

    /// [`RequestVerifier::verify`] with a chain verified earlier (by
    /// [`CertificateChain::verify_for_reuse`] with this verifier's trust anchors): refuses it if
    /// the proof no longer holds at `now`, else checks the signature, the timestamp and the skill
    /// ID without validating the chain again.
    pub fn verify_with_proof(
        &self,
        signed: &SignedRequest,
        verified: &VerifiedChain,
        body: &[u8],
        now: jiff::Timestamp,
    ) -> Result<Value, VerificationError> {
        if !verified.is_valid_at(now) {
            // The proof's range is within every certificate's validity: outside it, one of them
            // has expired or is not valid yet. Which one is for a full verification to say.
            return Err(ChainError::Expired.into());
        }
        self.verify_after_chain(signed, verified, body, now)
    }

    /// The checks after the chain's: `verified` must come from
    /// [`CertificateChain::verify_for_reuse`] with this verifier's trust anchors at `now`. Checks
    /// the signature over exactly `body`, then parses it and checks its timestamp and skill ID.
    pub fn verify_after_chain(
        &self,
        signed: &SignedRequest,
        verified: &VerifiedChain,
        body: &[u8],
        now: jiff::Timestamp,
    ) -> Result<Value, VerificationError> {
        verified.verify_signature(signed.signature(), body)?;
        let event: Value = serde_json::from_slice(body).map_err(|_| BodyError::NotJson)?;
        let text = |pointer: &str| event.pointer(pointer).and_then(Value::as_str);
        let request_type = text("/request/type").ok_or(BodyError::NotAnEnvelope)?;
        let application_id =
            text("/context/System/application/applicationId").ok_or(BodyError::NotAnEnvelope)?;
        check_timestamp(request_type, text("/request/timestamp"), now)?;
        if application_id != self.skill_id.as_str() {
            return Err(SkillIdError::Mismatch {
                location: "context.System.application",
            }
            .into());
        }
        // A session, when there is one, must name the same skill (as `verify_skill_id` in
        // alexa-model requires): a session object without the ID is not an Alexa envelope.
        if let Some(session) = event.get("session").filter(|session| !session.is_null()) {
            let session_id = session
                .pointer("/application/applicationId")
                .and_then(Value::as_str)
                .ok_or(BodyError::NotAnEnvelope)?;
            if session_id != self.skill_id.as_str() {
                return Err(SkillIdError::Mismatch {
                    location: "session.application",
                }
                .into());
            }
        }
        Ok(event)
    }
}
