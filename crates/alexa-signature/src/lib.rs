//! Pure verification of the signature Alexa puts on every request it sends to an HTTPS endpoint.
//!
//! No I/O: this crate checks what it is given and fetches nothing. The server that uses it
//! (`alexa-https`) fetches and caches the certificate chain; everything else is here, in the order
//! the checks must run (docs/request-signatures.md, "Pipeline order"):
//!
//! 1. [`SignedRequest::from_headers`] reads `SignatureCertChainUrl` and `Signature-256` (never the
//!    legacy SHA-1 `Signature`) and checks the certificate URL ([`CertificateChainUrl`]).
//! 2. The caller looks up the chain for [`SignedRequest::certificate_url`], parsed once with
//!    [`CertificateChain::from_pem`].
//! 3. [`RequestVerifier::verify`] validates the chain at the current time against the trust
//!    anchors, checks the RSA PKCS#1 v1.5 SHA-256 signature over the exact body bytes, and only
//!    then parses the JSON, checks the timestamp and the skill ID.
//!
//! Errors name a rule, never a header value or a piece of the body, so they can be logged.

pub mod certificate_url;
pub mod chain;
pub mod headers;
pub mod signature;
pub mod timestamp;

mod verifier;

pub use certificate_url::{CertificateChainUrl, CertificateUrlError, MAX_CERTIFICATE_URL_BYTES};
pub use chain::{
    CertificateChain, ChainError, MAX_CERTIFICATES, MAX_CHAIN_PEM_BYTES, SIGNING_CERTIFICATE_NAME,
    SigningCertificate, TrustAnchors, VerifiedChain,
};
pub use headers::{CERTIFICATE_CHAIN_URL_HEADER, HeaderError, SIGNATURE_HEADER};
pub use signature::{Signature, SignatureError};
pub use timestamp::{
    HOUR_WINDOW_EVENT_TYPES, TimestampError, check_timestamp, timestamp_tolerance_milliseconds,
};
pub use verifier::{BodyError, RequestVerifier, SignedRequest, SkillIdError, VerificationError};
