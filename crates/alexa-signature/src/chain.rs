//! The signing-certificate chain: PEM parsing and validation (docs/request-signatures.md,
//! "Certificate validation").

use std::fmt;
use std::time::Duration;

use rustls_pki_types::pem::{PemObject, SectionKind};
use rustls_pki_types::{CertificateDer, ServerName, TrustAnchor, UnixTime};
use webpki::{EndEntityCert, KeyUsage};

use crate::signature::{Signature, SignatureError};

/// The one subject name the signing certificate must carry, as a literal dNSName.
pub const SIGNING_CERTIFICATE_NAME: &str = "echo-api.amazon.com";

/// Largest PEM document accepted (Amazon's chain is about 6 KB).
pub const MAX_CHAIN_PEM_BYTES: usize = 64 * 1024;

/// Most certificates a chain may hold (Amazon's has four).
pub const MAX_CERTIFICATES: usize = 10;

/// Why a certificate chain was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("the certificate chain is larger than {MAX_CHAIN_PEM_BYTES} bytes")]
    TooLarge,
    #[error("the certificate chain is not PEM text with CERTIFICATE blocks")]
    NotPem,
    #[error("the certificate chain holds a PEM block that is not a CERTIFICATE")]
    OtherPemBlock,
    #[error("the certificate chain holds no certificate")]
    NoCertificate,
    #[error("the certificate chain holds more than {MAX_CERTIFICATES} certificates")]
    TooManyCertificates,
    #[error("the signing certificate cannot be read: {0}")]
    UnreadableSigningCertificate(webpki::Error),
    #[error("a certificate of the chain has expired")]
    Expired,
    #[error("a certificate of the chain is not valid yet")]
    NotValidYet,
    #[error("the certificate chain does not lead to a trusted root")]
    UnknownIssuer,
    #[error("the certificate chain is not valid: {0}")]
    Invalid(webpki::Error),
    #[error(
        "the signing certificate does not name {SIGNING_CERTIFICATE_NAME} exactly as a DNS name"
    )]
    WrongSubjectName,
    #[error("the signing certificate's key usage does not allow digital signatures")]
    KeyUsage,
    #[error("a trust anchor cannot be read: {0}")]
    UnreadableTrustAnchor(String),
}

impl ChainError {
    /// A short, stable name for logs and metrics.
    pub fn reason_code(&self) -> &'static str {
        match self {
            Self::TooLarge => "chain_too_large",
            Self::NotPem => "chain_not_pem",
            Self::OtherPemBlock => "chain_other_pem_block",
            Self::NoCertificate => "chain_no_certificate",
            Self::TooManyCertificates => "chain_too_many_certificates",
            Self::UnreadableSigningCertificate(_) => "chain_unreadable_signing_certificate",
            Self::Expired => "chain_expired",
            Self::NotValidYet => "chain_not_valid_yet",
            Self::UnknownIssuer => "chain_unknown_issuer",
            Self::Invalid(_) => "chain_invalid",
            Self::WrongSubjectName => "chain_wrong_subject_name",
            Self::KeyUsage => "chain_key_usage",
            Self::UnreadableTrustAnchor(_) => "trust_anchor_unreadable",
        }
    }

    /// True when the chain failed only because of the time it was checked at: a cached copy
    /// should then be dropped and fetched again (Amazon may have rotated it).
    pub fn is_about_time(&self) -> bool {
        matches!(self, Self::Expired | Self::NotValidYet)
    }
}

/// The roots a chain must lead to.
#[derive(Clone)]
pub struct TrustAnchors {
    anchors: Vec<TrustAnchor<'static>>,
    test_anchor_count: usize,
}

impl TrustAnchors {
    /// Mozilla's root program as compiled into `webpki-roots` (offline; it includes
    /// "Amazon Root CA 1", the root of Amazon's signing chain). What production uses.
    pub fn mozilla_roots() -> Self {
        Self {
            anchors: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            test_anchor_count: 0,
        }
    }

    /// Mozilla's roots plus every CERTIFICATE in `pem`. For tests only (`--extra-trust-anchor`):
    /// a root added here can sign requests this server accepts.
    pub fn mozilla_roots_and_test_anchors(pem: &[u8]) -> Result<Self, ChainError> {
        let mut anchors = Self::mozilla_roots();
        let extra = Self::test_anchors_only(pem)?;
        anchors.test_anchor_count = extra.anchors.len();
        anchors.anchors.extend(extra.anchors);
        Ok(anchors)
    }

    /// Only the CERTIFICATEs in `pem`, nothing else. For tests only.
    pub fn test_anchors_only(pem: &[u8]) -> Result<Self, ChainError> {
        let anchors = CertificateDer::pem_slice_iter(pem)
            .map(|certificate| {
                let certificate = certificate
                    .map_err(|error| ChainError::UnreadableTrustAnchor(error.to_string()))?;
                webpki::anchor_from_trusted_cert(&certificate)
                    .map(|anchor| anchor.to_owned())
                    .map_err(|error| ChainError::UnreadableTrustAnchor(error.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if anchors.is_empty() {
            return Err(ChainError::UnreadableTrustAnchor(
                "no CERTIFICATE block in the PEM text".to_owned(),
            ));
        }
        Ok(Self {
            test_anchor_count: anchors.len(),
            anchors,
        })
    }

    /// How many anchors were added for tests (0 in production).
    pub fn test_anchor_count(&self) -> usize {
        self.test_anchor_count
    }
}

impl fmt::Debug for TrustAnchors {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("TrustAnchors")
            .field("anchors", &self.anchors.len())
            .field("test_anchor_count", &self.test_anchor_count)
            .finish()
    }
}

/// A certificate chain as parsed from PEM: the signing certificate first, then the others in any
/// order. Parsing checks only the shape; [`CertificateChain::verify`] validates it.
#[derive(Clone)]
pub struct CertificateChain {
    certificates: Vec<CertificateDer<'static>>,
    /// `None` when the signing certificate has no KeyUsage extension, else whether it allows
    /// digital signatures. Read once here: it does not depend on time.
    signing_key_usage_allows_signatures: Option<bool>,
    /// The seconds at which every certificate of the chain is valid: the latest notBefore and
    /// the earliest notAfter, both inclusive as in webpki. `None` if that range is empty.
    common_validity: Option<(i64, i64)>,
}

impl CertificateChain {
    /// Reads 1 to [`MAX_CERTIFICATES`] CERTIFICATE blocks from at most [`MAX_CHAIN_PEM_BYTES`] of
    /// PEM text. Any other PEM block, DER input, or unreadable signing certificate is an error.
    pub fn from_pem(pem: &[u8]) -> Result<Self, ChainError> {
        if pem.len() > MAX_CHAIN_PEM_BYTES {
            return Err(ChainError::TooLarge);
        }
        let begin_lines = pem
            .split(|byte| *byte == b'\n' || *byte == b'\r')
            .filter(|line| line.starts_with(b"-----BEGIN "))
            .count();
        if begin_lines > MAX_CERTIFICATES {
            return Err(ChainError::TooManyCertificates);
        }
        let mut certificates = Vec::new();
        for section in <(SectionKind, Vec<u8>)>::pem_slice_iter(pem) {
            let (kind, der) = section.map_err(|_| ChainError::NotPem)?;
            if kind != SectionKind::Certificate {
                return Err(ChainError::OtherPemBlock);
            }
            certificates.push(CertificateDer::from(der));
        }
        // A block with a label rustls-pki-types does not know is skipped by its parser: count the
        // BEGIN lines so such a block is refused rather than ignored.
        if certificates.len() != begin_lines {
            return Err(if begin_lines == 0 {
                ChainError::NotPem
            } else {
                ChainError::OtherPemBlock
            });
        }
        let Some(signing_certificate) = certificates.first() else {
            return Err(if pem.trim_ascii().is_empty() {
                ChainError::NoCertificate
            } else {
                ChainError::NotPem
            });
        };
        EndEntityCert::try_from(signing_certificate)
            .map_err(ChainError::UnreadableSigningCertificate)?;
        let signing_key_usage_allows_signatures = signing_key_usage(signing_certificate)?;
        let common_validity = common_validity(&certificates);
        Ok(Self {
            certificates,
            signing_key_usage_allows_signatures,
            common_validity,
        })
    }

    /// The certificates in the order they were sent.
    pub fn certificates(&self) -> &[CertificateDer<'static>] {
        &self.certificates
    }

    /// Validates the chain at `now` and returns the signing certificate, whose key may then check
    /// the request's signature.
    ///
    /// Checks the path to one of `anchors` (signatures, validity times of every certificate,
    /// basicConstraints, name constraints), the extended key usage (serverAuth, required if the
    /// extension is present), the key usage (digitalSignature, if the extension is present) and
    /// the subject name: the literal dNSName `echo-api.amazon.com`, which a wildcard does not
    /// satisfy. Revocation is not checked, as in Amazon's own SDKs.
    pub fn verify(
        &self,
        anchors: &TrustAnchors,
        now: jiff::Timestamp,
    ) -> Result<SigningCertificate<'_>, ChainError> {
        let (signing_certificate, intermediates) = self
            .certificates
            .split_first()
            .ok_or(ChainError::NoCertificate)?;
        let end_entity = EndEntityCert::try_from(signing_certificate)
            .map_err(ChainError::UnreadableSigningCertificate)?;
        end_entity
            .verify_for_usage(
                webpki::ALL_VERIFICATION_ALGS,
                &anchors.anchors,
                intermediates,
                unix_time(now),
                KeyUsage::server_auth(),
                None,
                None,
            )
            .map_err(|error| match error {
                webpki::Error::CertExpired { .. } => ChainError::Expired,
                webpki::Error::CertNotValidYet { .. } => ChainError::NotValidYet,
                webpki::Error::UnknownIssuer => ChainError::UnknownIssuer,
                other => ChainError::Invalid(other),
            })?;
        let name = ServerName::try_from(SIGNING_CERTIFICATE_NAME).expect("a valid DNS name");
        end_entity
            .verify_is_valid_for_subject_name(&name)
            .map_err(|_| ChainError::WrongSubjectName)?;
        // The call above accepts `*.amazon.com`; Amazon's SDKs demand the literal name.
        if !end_entity
            .valid_dns_names()
            .any(|dns_name| dns_name == SIGNING_CERTIFICATE_NAME)
        {
            return Err(ChainError::WrongSubjectName);
        }
        if self.signing_key_usage_allows_signatures == Some(false) {
            return Err(ChainError::KeyUsage);
        }
        Ok(SigningCertificate { end_entity })
    }

    /// Like [`CertificateChain::verify`], and keeps what it proved so later requests need not
    /// prove it again: the signing certificate and the time range in which the proof holds.
    ///
    /// Validation depends on the time only through the validity periods of the certificates
    /// (revocation is not checked), so a chain that validated at `now` validates at any instant
    /// in which every certificate of the chain is valid. That range is
    /// [`VerifiedChain::is_valid_at`]; outside it the chain must be verified again.
    pub fn verify_for_reuse(
        &self,
        anchors: &TrustAnchors,
        now: jiff::Timestamp,
    ) -> Result<VerifiedChain, ChainError> {
        self.verify(anchors, now)?;
        Ok(VerifiedChain {
            signing_certificate: self.certificates[0].clone(),
            valid_seconds: self.common_validity,
        })
    }
}

/// What a successful [`CertificateChain::verify_for_reuse`] proved: the signing certificate
/// (already checked: path to a trust anchor, name, key usage) and the seconds in which the proof
/// holds.
#[derive(Clone)]
pub struct VerifiedChain {
    signing_certificate: CertificateDer<'static>,
    valid_seconds: Option<(i64, i64)>,
}

impl VerifiedChain {
    /// True while every certificate of the chain is valid, so the proof still holds at `now`.
    pub fn is_valid_at(&self, now: jiff::Timestamp) -> bool {
        self.valid_seconds
            .is_some_and(|(from, until)| (from..=until).contains(&now.as_second()))
    }

    /// The last second at which the proof holds, if any.
    pub fn valid_until(&self) -> Option<jiff::Timestamp> {
        let (_, until) = self.valid_seconds?;
        jiff::Timestamp::from_second(until).ok()
    }

    /// Checks an RSASSA-PKCS1-v1_5 SHA-256 signature over exactly `body` with the signing
    /// certificate's key, without validating the chain again: call [`Self::is_valid_at`] first.
    pub fn verify_signature(
        &self,
        signature: &Signature,
        body: &[u8],
    ) -> Result<(), SignatureError> {
        let end_entity = EndEntityCert::try_from(&self.signing_certificate)
            .map_err(|_| SignatureError::UnsupportedKey)?;
        SigningCertificate { end_entity }.verify_signature(signature, body)
    }
}

impl fmt::Debug for VerifiedChain {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("VerifiedChain")
            .field("valid_until", &self.valid_until())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for CertificateChain {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("CertificateChain")
            .field("certificates", &self.certificates.len())
            .finish()
    }
}

/// The signing certificate of a chain that validated; only its key checks signatures.
pub struct SigningCertificate<'chain> {
    end_entity: EndEntityCert<'chain>,
}

impl SigningCertificate<'_> {
    /// Checks an RSASSA-PKCS1-v1_5 SHA-256 signature (2048- to 8192-bit key) over exactly `body`.
    pub fn verify_signature(
        &self,
        signature: &Signature,
        body: &[u8],
    ) -> Result<(), SignatureError> {
        self.end_entity
            .verify_signature(
                webpki::ring::RSA_PKCS1_2048_8192_SHA256,
                body,
                signature.as_bytes(),
            )
            .map_err(|error| match error {
                webpki::Error::InvalidSignatureForPublicKey => SignatureError::Mismatch,
                _ => SignatureError::UnsupportedKey,
            })
    }
}

impl fmt::Debug for SigningCertificate<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("SigningCertificate")
    }
}

fn unix_time(now: jiff::Timestamp) -> UnixTime {
    // Before 1970 nothing is valid anyway; clamping keeps the conversion total.
    let seconds = u64::try_from(now.as_second()).unwrap_or(0);
    UnixTime::since_unix_epoch(Duration::from_secs(seconds))
}

/// The latest notBefore and earliest notAfter of all `certificates`, in Unix seconds; `None` if
/// a certificate cannot be read or the range is empty (then every request verifies the chain).
fn common_validity(certificates: &[CertificateDer<'static>]) -> Option<(i64, i64)> {
    let mut range = (i64::MIN, i64::MAX);
    for certificate in certificates {
        let (_, parsed) = x509_parser::parse_x509_certificate(certificate).ok()?;
        let validity = parsed.validity();
        range.0 = range.0.max(validity.not_before.timestamp());
        range.1 = range.1.min(validity.not_after.timestamp());
    }
    (range.0 <= range.1).then_some(range)
}

fn signing_key_usage(certificate: &CertificateDer<'_>) -> Result<Option<bool>, ChainError> {
    let unreadable = || ChainError::UnreadableSigningCertificate(webpki::Error::BadDer);
    let (_, parsed) = x509_parser::parse_x509_certificate(certificate).map_err(|_| unreadable())?;
    let key_usage = parsed.key_usage().map_err(|_| unreadable())?;
    Ok(key_usage.map(|extension| extension.value.digital_signature()))
}
