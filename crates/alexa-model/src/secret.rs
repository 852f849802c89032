//! Secret newtypes for the tokens Alexa puts into requests, redacted in `Debug` so they never reach logs.
//!
//! [`AccessToken`] is the one type the whole workspace shares (`secrets::AccessToken`): the token
//! read from a request is the value the Google client sends, never copied into another type.

pub use secrets::AccessToken;

secrets::new_secret_type!(
    /// The token for Alexa's own service APIs (`context.System.apiAccessToken`); unrelated to
    /// account linking.
    pub ApiAccessToken
);

secrets::new_secret_type!(
    /// The deprecated `user.permissions.consentToken`, kept because Alexa still sends it.
    pub ConsentToken
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
        let token: ApiAccessToken = serde_json::from_str(r#""Atza|test-token""#).unwrap();
        assert_eq!(token.secret(), "Atza|test-token");
        assert_eq!(
            serde_json::to_string(&token).unwrap(),
            r#""Atza|test-token""#
        );
    }
}
