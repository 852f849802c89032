//! A skill's account-linking configuration, as the skill developer gives it to Amazon (SMAPI's
//! `accountLinkingRequest`, see `docs/account-linking.md`): what the simulator needs to play
//! Alexa for that skill.

use std::time::Duration;

use url::Url;

/// A skill's account-linking configuration: the fields of SMAPI's `accountLinkingRequest` that
/// matter for the Auth Code Grant.
#[derive(Debug, Clone)]
pub struct AccountLinking {
    /// `authorizationUrl`: the login page (or the OAuth server's authorization endpoint). Alexa
    /// appends its parameters to whatever query it already has.
    pub authorization_url: Url,
    pub client_id: String,
    pub client_secret: ClientSecret,
    pub scopes: Vec<String>,
    /// `accessTokenUrl`: code exchange and refresh.
    pub access_token_url: Url,
    /// `accessTokenScheme`: how the client credentials travel to the token URL.
    pub scheme: AccessTokenScheme,
    /// `defaultTokenExpirationInSeconds`: the lifetime assumed when a token response has no
    /// `expires_in`. `None` with no `expires_in` means the token never expires.
    pub default_token_expiration: Option<Duration>,
}

/// `accessTokenScheme` of SMAPI's account-linking request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessTokenScheme {
    /// `HTTP_BASIC`: `Authorization: Basic base64(client_id:client_secret)`.
    HttpBasic,
    /// `REQUEST_BODY_CREDENTIALS`: `client_id` and `client_secret` as form fields.
    RequestBodyCredentials,
}

secrets::new_secret_type!(
    /// The OAuth client secret Alexa presents at the token URL.
    pub ClientSecret
);

/// A configuration with `authorization_url` and sample values, for the unit tests of this module
/// and its siblings.
#[cfg(test)]
pub(super) fn sample_account_linking(authorization_url: &str) -> AccountLinking {
    AccountLinking {
        authorization_url: Url::parse(authorization_url).unwrap(),
        client_id: "sample-client".into(),
        client_secret: ClientSecret::new("sample-secret".to_owned()),
        scopes: vec!["openid".into(), "email".into()],
        access_token_url: Url::parse("https://example.com/token").unwrap(),
        scheme: AccessTokenScheme::HttpBasic,
        default_token_expiration: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_linking_debug_hides_the_client_secret() {
        let account_linking = sample_account_linking("https://example.com/login?a=1");
        let debug = format!("{account_linking:?}");
        assert!(debug.contains("ClientSecret([redacted])"), "{debug}");
        assert!(!debug.contains("sample-secret"), "{debug}");
    }
}
