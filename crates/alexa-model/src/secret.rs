//! Secret newtypes for the tokens Alexa puts into requests, redacted in `Debug` so they never reach logs.

use serde::{Deserialize, Serialize};

macro_rules! secret_string {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        ///
        /// The field is private, `Debug` prints `Name([redacted])` and there is deliberately no
        /// `Display`: read the value with [`Self::secret`] only where it is sent on.
        #[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a token received from or destined for the wire.
            pub fn new(secret: String) -> Self {
                Self(secret)
            }

            /// The token itself. Never log it.
            pub fn secret(&self) -> &str {
                &self.0
            }

            /// True for `""`. No usable token is empty, so callers treat an empty token exactly
            /// like a missing one (as [`crate::linked_access_token`] does).
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret_string!(
    /// The account-linking access token (here: a Google OAuth access token) that Alexa obtained
    /// for this user through the skill's Auth Code Grant, found in `context.System.user.accessToken`.
    AccessToken
);

secret_string!(
    /// The token for Alexa's own service APIs (`context.System.apiAccessToken`); unrelated to
    /// account linking.
    ApiAccessToken
);

secret_string!(
    /// The deprecated `user.permissions.consentToken`, kept because Alexa still sends it.
    ConsentToken
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_is_redacted() {
        let access_token = AccessToken::new("ya29.test-very-secret".to_owned());
        let api_access_token = ApiAccessToken::new("eyJ0eXAi.test-secret".to_owned());
        let consent_token = ConsentToken::new("Atza|test-consent-secret".to_owned());
        assert_eq!(format!("{access_token:?}"), "AccessToken([redacted])");
        assert_eq!(
            format!("{api_access_token:?}"),
            "ApiAccessToken([redacted])"
        );
        assert_eq!(format!("{consent_token:?}"), "ConsentToken([redacted])");
        assert_eq!(
            format!("{:#?}", Some(&access_token)),
            "Some(\n    AccessToken([redacted]),\n)"
        );
        assert_eq!(access_token.secret(), "ya29.test-very-secret");
    }

    #[test]
    fn wire_form_is_the_bare_string() {
        let token: AccessToken = serde_json::from_str(r#""Atza|test-token""#).unwrap();
        assert_eq!(token.secret(), "Atza|test-token");
        assert_eq!(
            serde_json::to_string(&token).unwrap(),
            r#""Atza|test-token""#
        );
    }
}
