//! The signing-certificate URL rules (docs/request-signatures.md, "Signing-certificate URL").

use std::fmt;

use url::{Host, Url};

/// The only host certificate chains may come from.
pub const CERTIFICATE_HOST: &str = "s3.amazonaws.com";

/// The path prefix every certificate chain URL must have (case-sensitive).
pub const CERTIFICATE_PATH_PREFIX: &str = "/echo.api/";

/// The longest `SignatureCertChainUrl` accepted, in bytes. Amazon's are about 55
/// (`https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem`). The cap keeps the URL parser's
/// IDNA step cheap: fuzzing found that a few kilobytes of `xn--` labels in the host cost the
/// WHATWG parser milliseconds per request (Punycode decoding is quadratic), before the host rule
/// could reject them.
pub const MAX_CERTIFICATE_URL_BYTES: usize = 256;

/// A `SignatureCertChainUrl` that passed every rule, in its normalized form.
///
/// Only the normalized form is ever used afterwards, both as the cache key and as the URL that is
/// fetched: `https://s3.amazonaws.com:443/echo.api/../echo.api/cert` and
/// `https://s3.amazonaws.com/echo.api/cert` are one and the same chain.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CertificateChainUrl(Url);

/// Which rule a `SignatureCertChainUrl` broke. The value itself is deliberately not kept: it came
/// from the request and must not reach the logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CertificateUrlError {
    #[error("the certificate URL is longer than {MAX_CERTIFICATE_URL_BYTES} bytes")]
    TooLong,
    #[error(
        "the certificate URL contains a character Amazon's URLs never have (anything but letters, \
         digits and -._~:/@!$&'()*+,;=)"
    )]
    ForbiddenCharacter,
    #[error("the certificate URL is not a URL")]
    Unparseable,
    #[error("the certificate URL's scheme is not https")]
    Scheme,
    #[error("the certificate URL has a user name or password")]
    Userinfo,
    #[error("the certificate URL's host is not {CERTIFICATE_HOST}")]
    Host,
    #[error("the certificate URL names a port other than 443")]
    Port,
    #[error("the certificate URL has a query or a fragment")]
    QueryOrFragment,
    #[error("the certificate URL's path does not start with {CERTIFICATE_PATH_PREFIX}")]
    Path,
}

impl CertificateUrlError {
    /// A short, stable name for logs and metrics.
    pub fn reason_code(&self) -> &'static str {
        match self {
            Self::TooLong => "certificate_url_too_long",
            Self::ForbiddenCharacter => "certificate_url_forbidden_character",
            Self::Unparseable => "certificate_url_unparseable",
            Self::Scheme => "certificate_url_scheme",
            Self::Userinfo => "certificate_url_userinfo",
            Self::Host => "certificate_url_host",
            Self::Port => "certificate_url_port",
            Self::QueryOrFragment => "certificate_url_query_or_fragment",
            Self::Path => "certificate_url_path",
        }
    }
}

impl CertificateChainUrl {
    /// Checks the raw header value against every rule and normalizes it (WHATWG parsing, which
    /// lower-cases scheme and host, drops the default port and resolves `.` and `..` segments,
    /// clamping at the root).
    pub fn parse(raw: &str) -> Result<Self, CertificateUrlError> {
        if raw.len() > MAX_CERTIFICATE_URL_BYTES {
            return Err(CertificateUrlError::TooLong);
        }
        // Stricter than Amazon's SDKs: only the characters of RFC 3986 that a URL may carry
        // unencoded, less `%`, `?` and `#` (checked below). Amazon's URLs never have anything
        // else, and refusing the rest removes every disagreement between URL parsers about
        // `%2e%2e`, backslashes and tabs, and keeps the normalized form free of percent-escapes
        // (so normalizing it again changes nothing).
        let allowed =
            |byte: u8| byte.is_ascii_alphanumeric() || b"-._~:/@!$&'()*+,;=?#".contains(&byte);
        if !raw.bytes().all(allowed) {
            return Err(CertificateUrlError::ForbiddenCharacter);
        }
        // Checked on the raw text too: the parser drops an empty `?` or `#`.
        if raw.contains(['?', '#']) {
            return Err(CertificateUrlError::QueryOrFragment);
        }
        let url = Url::parse(raw).map_err(|_| CertificateUrlError::Unparseable)?;
        if url.scheme() != "https" {
            return Err(CertificateUrlError::Scheme);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(CertificateUrlError::Userinfo);
        }
        if url.host() != Some(Host::Domain(CERTIFICATE_HOST)) {
            return Err(CertificateUrlError::Host);
        }
        if url.port().is_some() {
            return Err(CertificateUrlError::Port);
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(CertificateUrlError::QueryOrFragment);
        }
        if !url.path().starts_with(CERTIFICATE_PATH_PREFIX) {
            return Err(CertificateUrlError::Path);
        }
        Ok(Self(url))
    }

    /// The normalized URL, e.g. `https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem`.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The normalized path, e.g. `/echo.api/echo-api-cert-12.pem`.
    pub fn path(&self) -> &str {
        self.0.path()
    }

    pub fn url(&self) -> &Url {
        &self.0
    }
}

impl fmt::Debug for CertificateChainUrl {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "CertificateChainUrl({:?})", self.0.as_str())
    }
}

impl fmt::Display for CertificateChainUrl {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.0.as_str())
    }
}
