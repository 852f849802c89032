//! The link lifecycle: the tokens Alexa holds for one user after the code exchange, their
//! refresh, and the moment Alexa drops them (`docs/account-linking.md`, "Token exchange" and
//! "Refresh, and when it fails").

use std::time::{Duration, SystemTime};

use base64::{Engine as _, engine::general_purpose::STANDARD as BASE64};
use url::Url;

use super::{AccessTokenScheme, AccountLinking, Error};

/// An access token Alexa puts into `context.System.user.accessToken`: the workspace's one
/// access-token type, so a test hands it to the skill without copying it into another.
pub use secrets::AccessToken;

secrets::new_secret_type!(
    /// The refresh token Alexa keeps to renew the access token.
    pub RefreshToken
);

secrets::new_secret_type!(
    /// The one-time code the OAuth server sends to the redirect URL.
    pub(super) AuthorizationCode
);

/// Tokens Alexa holds for one user of one skill after linking.
#[derive(Debug)]
pub struct Link {
    account_linking: AccountLinking,
    http: reqwest::Client,
    access_token: AccessToken,
    refresh_token: Option<RefreshToken>,
    expires_at: Option<SystemTime>,
    granted_scope: Option<String>,
    state: LinkState,
}

/// Whether Alexa still sends the skill an access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    Linked,
    /// Alexa deleted the tokens: requests now arrive without `accessToken` until the user links
    /// again.
    Unlinked {
        reason: UnlinkReason,
    },
}

/// Why Alexa dropped a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnlinkReason {
    /// The token URL refused the refresh token with `invalid_grant` (revoked, expired, or the
    /// user removed the app's access).
    RefreshRejected { error: String, description: String },
    /// The access token expired and there was no refresh token to renew it: what users hit when
    /// the authorization request lacked `access_type=offline`.
    ExpiredWithoutRefreshToken,
}

impl Link {
    /// Exchanges `code` at the access-token URL with `grant_type=authorization_code` and the
    /// same `redirect_uri` the authorization request carried, as Alexa does after the callback.
    pub(super) async fn exchange_code(
        http: &reqwest::Client,
        account_linking: &AccountLinking,
        code: &AuthorizationCode,
        redirect_uri: &Url,
    ) -> Result<Link, Error> {
        let now = SystemTime::now();
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code.secret()),
            ("redirect_uri", redirect_uri.as_str()),
        ];
        let tokens = request_tokens(http, account_linking, &form).await?;
        tracing::info!(
            refresh_token_issued = tokens.refresh_token.is_some(),
            "alexa simulator linked an account"
        );
        Ok(Link {
            account_linking: account_linking.clone(),
            http: http.clone(),
            expires_at: expiry(now, tokens.expires_in, account_linking),
            access_token: AccessToken::new(tokens.access_token),
            refresh_token: tokens.refresh_token.map(RefreshToken::new),
            granted_scope: tokens.scope,
            state: LinkState::Linked,
        })
    }

    pub fn state(&self) -> &LinkState {
        &self.state
    }

    pub fn is_linked(&self) -> bool {
        self.state == LinkState::Linked
    }

    /// The token Alexa would send in `context.System.user.accessToken`; `None` once unlinked.
    /// Alexa refreshes before sending, so call [`Link::refresh_if_expired`] first: this returns
    /// the current token even when it has expired.
    pub fn access_token(&self) -> Option<&AccessToken> {
        self.is_linked().then_some(&self.access_token)
    }

    pub fn has_refresh_token(&self) -> bool {
        self.refresh_token.is_some()
    }

    /// The refresh token Alexa keeps, if the token URL issued one.
    pub fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }

    /// When the access token expires; `None` when neither the response nor the configuration
    /// gave a lifetime.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// The `scope` of the last token response, if it had one.
    pub fn granted_scope(&self) -> Option<&str> {
        self.granted_scope.as_deref()
    }

    pub fn is_expired(&self, now: SystemTime) -> bool {
        self.expires_at.is_some_and(|expires_at| now >= expires_at)
    }

    /// What Alexa does before sending a request: refresh an expired token, or drop the link when
    /// it cannot be refreshed. A link that is still valid (or already unlinked) is left alone.
    pub async fn refresh_if_expired(&mut self, now: SystemTime) -> Result<&LinkState, Error> {
        if !self.is_linked() || !self.is_expired(now) {
            return Ok(&self.state);
        }
        if self.refresh_token.is_none() {
            tracing::warn!(
                "alexa simulator dropped a link: the access token expired and no refresh token \
                 was issued (missing access_type=offline?)"
            );
            self.state = LinkState::Unlinked {
                reason: UnlinkReason::ExpiredWithoutRefreshToken,
            };
            return Ok(&self.state);
        }
        self.refresh(now).await
    }

    /// Refreshes now with `grant_type=refresh_token`, keeping the old refresh token when the
    /// response has none (Google never rotates them). `now` is when the new token's lifetime
    /// starts. A refusal with `invalid_grant` unlinks, as Alexa does; other failures (server
    /// errors, a bad client secret) are returned and leave the link as it was.
    pub async fn refresh(&mut self, now: SystemTime) -> Result<&LinkState, Error> {
        if !self.is_linked() {
            return Ok(&self.state);
        }
        let refresh_token = self.refresh_token.as_ref().ok_or(Error::NoRefreshToken)?;
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.secret()),
        ];
        match request_tokens(&self.http, &self.account_linking, &form).await {
            Ok(tokens) => {
                self.expires_at = expiry(now, tokens.expires_in, &self.account_linking);
                self.access_token = AccessToken::new(tokens.access_token);
                if let Some(rotated) = tokens.refresh_token {
                    self.refresh_token = Some(RefreshToken::new(rotated));
                }
                if tokens.scope.is_some() {
                    self.granted_scope = tokens.scope;
                }
                Ok(&self.state)
            }
            Err(Error::TokenRejected {
                error, description, ..
            }) if error == "invalid_grant" => {
                tracing::warn!(%error, "alexa simulator dropped a link: refresh refused");
                self.state = LinkState::Unlinked {
                    reason: UnlinkReason::RefreshRejected { error, description },
                };
                Ok(&self.state)
            }
            Err(other) => Err(other),
        }
    }
}

/// A successful token response (RFC 6749 §5.1). Held only until its values are wrapped.
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    scope: Option<String>,
}

/// An error response (RFC 6749 §5.2).
#[derive(serde::Deserialize)]
struct TokenErrorResponse {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// One token request within Alexa's deadline: a token URL slower than
/// [`super::TOKEN_URL_DEADLINE`] fails it, like any error answer does.
async fn request_tokens(
    http: &reqwest::Client,
    account_linking: &AccountLinking,
    grant: &[(&str, &str)],
) -> Result<TokenResponse, Error> {
    tokio::time::timeout(
        super::TOKEN_URL_DEADLINE,
        request_tokens_unbounded(http, account_linking, grant),
    )
    .await
    .unwrap_or_else(|_elapsed| {
        tracing::warn!("alexa simulator gave up on the token URL after 4.5 s");
        Err(Error::TokenUrlTooSlow {
            waited: super::TOKEN_URL_DEADLINE,
        })
    })
}

async fn request_tokens_unbounded(
    http: &reqwest::Client,
    account_linking: &AccountLinking,
    grant: &[(&str, &str)],
) -> Result<TokenResponse, Error> {
    let mut form: Vec<(&str, &str)> = grant.to_vec();
    let mut request = http.post(account_linking.access_token_url.clone());
    match account_linking.scheme {
        AccessTokenScheme::HttpBasic => {
            // RFC 6749 §2.3.1 form-encodes both parts before joining them; for Google's IDs
            // and secrets this changes nothing. Whether Alexa encodes them is [unverified].
            let credentials = format!(
                "{}:{}",
                form_encode(&account_linking.client_id),
                form_encode(account_linking.client_secret.secret())
            );
            request = request.header(
                reqwest::header::AUTHORIZATION,
                format!("Basic {}", BASE64.encode(credentials)),
            );
        }
        AccessTokenScheme::RequestBodyCredentials => {
            form.push(("client_id", &account_linking.client_id));
            form.push(("client_secret", account_linking.client_secret.secret()));
        }
    }
    let response = request
        .form(&form)
        .send()
        .await
        .map_err(|error| Error::Transport(error.without_url()))?;
    let status = response.status();
    let body = response
        .text()
        .await
        .map_err(|error| Error::Transport(error.without_url()))?;
    if status.is_success() {
        // The body holds tokens: a parse error names the problem, never the body.
        return serde_json::from_str(&body)
            .map_err(|error| Error::BadTokenResponse(error.to_string()));
    }
    match serde_json::from_str::<TokenErrorResponse>(&body) {
        Ok(rejection) => Err(Error::TokenRejected {
            status: status.as_u16(),
            error: rejection.error,
            description: rejection.error_description.unwrap_or_default(),
        }),
        Err(_) => Err(Error::TokenEndpoint {
            status: status.as_u16(),
            body,
        }),
    }
}

fn expiry(
    now: SystemTime,
    expires_in: Option<u64>,
    account_linking: &AccountLinking,
) -> Option<SystemTime> {
    let lifetime = expires_in
        .map(Duration::from_secs)
        .or(account_linking.default_token_expiration)?;
    Some(now + lifetime)
}

pub(super) fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::super::config::sample_account_linking;
    use super::*;

    #[test]
    fn expiry_prefers_expires_in_then_the_configured_default() {
        let now = SystemTime::UNIX_EPOCH;
        let mut account_linking = sample_account_linking("https://example.com/");
        assert_eq!(
            expiry(now, Some(3599), &account_linking),
            Some(now + Duration::from_secs(3599))
        );
        assert_eq!(expiry(now, None, &account_linking), None);
        account_linking.default_token_expiration = Some(Duration::from_secs(3600));
        assert_eq!(
            expiry(now, None, &account_linking),
            Some(now + Duration::from_secs(3600))
        );
    }
}
