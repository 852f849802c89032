//! The `Signature-256` value (docs/request-signatures.md, "Signature").

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// Why a signature was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the `Signature-256` header is not standard base64 with padding")]
    Encoding,
    #[error("the signature does not match the request body and the signing certificate's key")]
    Mismatch,
    #[error(
        "the signing certificate's key cannot make RSA PKCS#1 v1.5 SHA-256 signatures of 2048 to \
         8192 bits"
    )]
    UnsupportedKey,
}

impl SignatureError {
    /// A short, stable name for logs and metrics.
    pub fn reason_code(&self) -> &'static str {
        match self {
            Self::Encoding => "signature_encoding",
            Self::Mismatch => "signature_mismatch",
            Self::UnsupportedKey => "signature_unsupported_key",
        }
    }
}

/// The decoded bytes of a `Signature-256` header.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature(Vec<u8>);

impl Signature {
    /// Decodes strict standard base64 (padding required, no URL-safe alphabet, no whitespace
    /// inside); only leading and trailing ASCII whitespace is trimmed.
    pub fn from_header(value: &str) -> Result<Self, SignatureError> {
        STANDARD
            .decode(value.trim_ascii())
            .map(Self)
            .map_err(|_| SignatureError::Encoding)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "Signature({} bytes)", self.0.len())
    }
}
