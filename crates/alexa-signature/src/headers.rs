//! The two signature headers of an Alexa request (docs/request-signatures.md, "Headers").

/// The header that carries the URL of the signing certificate chain.
pub const CERTIFICATE_CHAIN_URL_HEADER: &str = "SignatureCertChainUrl";

/// The header that carries the base64 RSA PKCS#1 v1.5 SHA-256 signature of the body.
///
/// The legacy `Signature` header (SHA-1) is ignored on purpose: Amazon's SDKs stopped reading it
/// in 2022 and SHA-1 must not be a fallback.
pub const SIGNATURE_HEADER: &str = "Signature-256";

/// A signature header is missing, empty, repeated, or not text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error(
        "the request has no `{0}` header: Alexa signs every request, so this one is not from Alexa"
    )]
    Missing(&'static str),
    #[error("the request's `{0}` header is empty")]
    Empty(&'static str),
    #[error(
        "the request has more than one `{0}` header: which one would be checked is ambiguous, so \
         the request is rejected"
    )]
    Duplicate(&'static str),
    #[error("the request's `{0}` header is not ASCII text")]
    NotText(&'static str),
}

impl HeaderError {
    /// A short, stable name for logs and metrics.
    pub fn reason_code(&self) -> &'static str {
        match self {
            Self::Missing(_) => "header_missing",
            Self::Empty(_) => "header_empty",
            Self::Duplicate(_) => "header_duplicate",
            Self::NotText(_) => "header_not_text",
        }
    }
}

/// The values of `SignatureCertChainUrl` and `Signature-256` found among `headers`.
///
/// Names match case-insensitively (HTTP header names are case-insensitive). Each header must
/// appear exactly once with an ASCII value that is not blank. Values are returned as sent: the
/// certificate URL rules reject whitespace, and the signature decoder trims it.
pub(crate) fn find_signature_headers<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<(&'a str, &'a str), HeaderError> {
    let mut certificate_chain_url = None;
    let mut signature = None;
    for (name, value) in headers {
        let (slot, canonical_name) = if name.eq_ignore_ascii_case(CERTIFICATE_CHAIN_URL_HEADER) {
            (&mut certificate_chain_url, CERTIFICATE_CHAIN_URL_HEADER)
        } else if name.eq_ignore_ascii_case(SIGNATURE_HEADER) {
            (&mut signature, SIGNATURE_HEADER)
        } else {
            continue;
        };
        if slot.is_some() {
            return Err(HeaderError::Duplicate(canonical_name));
        }
        *slot = Some((canonical_name, value));
    }
    let text = |found: Option<(&'static str, &'a [u8])>, name: &'static str| {
        let (name, value) = found.ok_or(HeaderError::Missing(name))?;
        if !value.is_ascii() {
            return Err(HeaderError::NotText(name));
        }
        let value = std::str::from_utf8(value).map_err(|_| HeaderError::NotText(name))?;
        if value.trim_ascii().is_empty() {
            return Err(HeaderError::Empty(name));
        }
        Ok(value)
    };
    Ok((
        text(certificate_chain_url, CERTIFICATE_CHAIN_URL_HEADER)?,
        text(signature, SIGNATURE_HEADER)?,
    ))
}
