//! The access token Alexa hands the skill, kept out of logs by construction.

use std::fmt;

/// A Google OAuth access token (`ya29.…`) as supplied by Alexa in
/// `context.System.user.accessToken`.
///
/// The field is private and `Debug` is redacted so the token cannot leak
/// through `{:?}`, tracing fields or error messages; there is deliberately no
/// `Display`. Only [`AccessToken::secret`] reveals it, at the one place that
/// writes the `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps a token string exactly as received.
    pub fn new(token: String) -> Self {
        Self(token)
    }

    /// The raw token, for the `Authorization: Bearer` header only.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("AccessToken([redacted])")
    }
}
