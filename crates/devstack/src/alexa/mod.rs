//! Amazon's side of Alexa account linking (Auth Code Grant), simulated on 127.0.0.1.
//!
//! [`Simulator`] stands in for Alexa's redirect host (`https://pitangui.amazon.com/api/skill/link/
//! {vendor_id}` and its regional siblings) and does what Alexa does around it, as described in
//! `/work/shared/reference/alexa.md` §3: it opens the skill's authorization URL with `client_id`,
//! `response_type=code`, `scope`, `state` and `redirect_uri` in a [`Browser`], receives the
//! callback, checks `state`, exchanges the code at the access-token URL and then keeps the tokens
//! in a [`Link`], refreshing them when they expire and dropping the link when a refresh is
//! refused. No token, code or secret is ever logged.

mod browser;
pub mod requests;

use std::{
    collections::HashMap,
    fmt,
    net::{Ipv4Addr, SocketAddr},
    sync::{Arc, Mutex},
    time::{Duration, SystemTime},
};

use axum::{
    Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
    routing::get,
};
use base64::{Engine as _, engine::general_purpose::STANDARD as BASE64};
use tokio::{
    net::TcpListener,
    sync::{Mutex as AsyncMutex, oneshot},
    task::JoinHandle,
};
use url::Url;

pub use browser::{Browser, BrowserError, ChromiumBrowser, HttpBrowser};

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

/// The OAuth client secret Alexa presents at the token URL.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

/// An access token Alexa puts into `context.System.user.accessToken`.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

/// The refresh token Alexa keeps to renew the access token.
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshToken(String);

/// The one-time code the OAuth server sends to the redirect URL.
#[derive(Clone, PartialEq, Eq)]
struct AuthorizationCode(String);

macro_rules! secret_newtype {
    ($name:ident) => {
        impl $name {
            pub fn new(secret: impl Into<String>) -> Self {
                Self(secret.into())
            }

            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret_newtype!(ClientSecret);
secret_newtype!(AccessToken);
secret_newtype!(RefreshToken);
secret_newtype!(AuthorizationCode);

/// Alexa's redirect host on 127.0.0.1 and the account-linking flow around it.
pub struct Simulator {
    vendor_id: String,
    redirect_uri: Url,
    origin: Url,
    pending: Arc<Mutex<Option<PendingLink>>>,
    /// One linking flow at a time: the callback is matched to the flow that is waiting.
    link_in_progress: AsyncMutex<()>,
    link_timeout: Duration,
    http: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    server: JoinHandle<()>,
}

/// What linking failed on. Messages name the step and never contain a token, code or secret.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not start Alexa's redirect host: {0}")]
    Io(#[from] std::io::Error),
    #[error(
        "vendor id {0:?} is not valid: it must be 13 or 14 uppercase ASCII letters and digits, \
         like MFERJAF7R6NLZ"
    )]
    InvalidVendorId(String),
    #[error("the browser failed: {0}")]
    Browser(#[from] BrowserError),
    #[error(
        "the browser stopped at {last_url} without reaching the Alexa redirect URL: the login \
         page or the OAuth server did not redirect back"
    )]
    BrowserStopped { last_url: String },
    #[error(
        "no callback reached the Alexa redirect URL within {timeout:?} after opening \
         {authorization_url}"
    )]
    Timeout {
        timeout: Duration,
        authorization_url: String,
    },
    #[error(
        "the callback's state does not match the state Alexa sent: the login page must pass \
         `state` through unchanged"
    )]
    StateMismatch,
    #[error("the authorization server refused the link: {error} ({description})")]
    AuthorizationDenied { error: String, description: String },
    #[error("the callback to the Alexa redirect URL carried neither `code` nor `error`")]
    MissingCode,
    #[error("the token URL refused the request: HTTP {status} {error} ({description})")]
    TokenRejected {
        status: u16,
        error: String,
        description: String,
    },
    #[error("the token URL answered HTTP {status} without an OAuth error: {body}")]
    TokenEndpoint { status: u16, body: String },
    #[error("the token URL's answer is not a usable token response: {0}")]
    BadTokenResponse(String),
    #[error("could not reach the token URL")]
    Transport(#[source] reqwest::Error),
    #[error(
        "cannot refresh: the token response had no refresh_token (Google sends one only for \
         access_type=offline with prompt=consent)"
    )]
    NoRefreshToken,
}

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

impl Simulator {
    /// Starts the redirect host on an ephemeral port of 127.0.0.1 for `vendor_id`.
    pub async fn start(vendor_id: &str) -> Result<Simulator, Error> {
        if !is_valid_vendor_id(vendor_id) {
            return Err(Error::InvalidVendorId(vendor_id.to_string()));
        }
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
        let local_addr = listener.local_addr()?;
        let origin = Url::parse(&format!("http://{local_addr}")).expect("a socket address URL");
        let redirect_uri = origin
            .join(&format!("/api/skill/link/{vendor_id}"))
            .expect("a path joins");
        let pending = Arc::new(Mutex::new(None));
        let router = Router::new()
            .route("/api/skill/link/{vendor_id}", get(receive_callback))
            .with_state(RedirectHost {
                vendor_id: vendor_id.to_string(),
                pending: Arc::clone(&pending),
            });
        let (shutdown, shutdown_signal) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let serving = axum::serve(listener, router).with_graceful_shutdown(async move {
                let _ = shutdown_signal.await;
            });
            if let Err(error) = serving.await {
                tracing::error!(%error, "alexa redirect host stopped with an error");
            }
        });
        let http = reqwest::Client::builder()
            // Alexa gives the token server 4.5 seconds (alexa.md §3); a debug-build twin on a
            // busy machine gets more, so a slow test fails on its assertion and not here.
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|error| Error::Io(std::io::Error::other(error)))?;
        Ok(Simulator {
            vendor_id: vendor_id.to_string(),
            redirect_uri,
            origin,
            pending,
            link_in_progress: AsyncMutex::new(()),
            link_timeout: Duration::from_secs(60),
            http,
            shutdown: Some(shutdown),
            server,
        })
    }

    /// How long [`Simulator::link`] waits for the callback (default 60 s).
    pub fn with_link_timeout(mut self, timeout: Duration) -> Simulator {
        self.link_timeout = timeout;
        self
    }

    /// `http://127.0.0.1:PORT/api/skill/link/<VENDOR>`: register it on the OAuth client.
    pub fn redirect_uri(&self) -> &Url {
        &self.redirect_uri
    }

    /// `http://127.0.0.1:PORT`, the origin a login page must accept as a redirect target.
    pub fn origin(&self) -> &Url {
        &self.origin
    }

    pub fn vendor_id(&self) -> &str {
        &self.vendor_id
    }

    /// The URL Alexa opens: `authorization_url` plus `client_id`, `response_type=code`, `scope`
    /// (space-joined; [unverified] join character, Google's own separator), `state` and
    /// `redirect_uri`, appended after any query the configured URL already has.
    pub fn authorization_request_url(&self, account_linking: &AccountLinking, state: &str) -> Url {
        let mut url = account_linking.authorization_url.clone();
        url.query_pairs_mut()
            .append_pair("client_id", &account_linking.client_id)
            .append_pair("response_type", "code")
            .append_pair("scope", &account_linking.scopes.join(" "))
            .append_pair("state", state)
            .append_pair("redirect_uri", self.redirect_uri.as_str());
        url
    }

    /// Runs the whole Auth Code Grant: opens the authorization URL in `browser`, waits for the
    /// callback (stopping the browser as soon as it arrives), checks it and exchanges the code.
    pub async fn link<B: Browser>(
        &self,
        account_linking: &AccountLinking,
        browser: &B,
    ) -> Result<Link, Error> {
        let callback = self.receive_callback_via(account_linking, browser).await?;
        let code = check_callback(&callback)?;
        let now = SystemTime::now();
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code.secret()),
            ("redirect_uri", self.redirect_uri.as_str()),
        ];
        let tokens = request_tokens(&self.http, account_linking, &form).await?;
        tracing::info!(
            refresh_token_issued = tokens.refresh_token.is_some(),
            "alexa simulator linked an account"
        );
        Ok(Link {
            account_linking: account_linking.clone(),
            http: self.http.clone(),
            expires_at: expiry(now, tokens.expires_in, account_linking),
            access_token: AccessToken(tokens.access_token),
            refresh_token: tokens.refresh_token.map(RefreshToken),
            granted_scope: tokens.scope,
            state: LinkState::Linked,
        })
    }

    async fn receive_callback_via<B: Browser>(
        &self,
        account_linking: &AccountLinking,
        browser: &B,
    ) -> Result<Callback, Error> {
        let _one_at_a_time = self.link_in_progress.lock().await;
        let state = random_state();
        let (sender, mut receiver) = oneshot::channel();
        *lock(&self.pending) = Some(PendingLink {
            expected_state: state.clone(),
            sender,
        });
        let authorization_url = self.authorization_request_url(account_linking, &state);
        let outcome = tokio::select! {
            received = &mut receiver => received.ok(),
            visited = browser.visit(&authorization_url) => {
                // The browser stopped by itself; a plain-HTTP browser does so right after the
                // callback, which the redirect host delivered before answering it.
                match receiver.try_recv() {
                    Ok(callback) => Some(callback),
                    Err(_) => {
                        lock(&self.pending).take();
                        let last_url = visited?;
                        return Err(Error::BrowserStopped {
                            last_url: browser::describe_url(&last_url),
                        });
                    }
                }
            }
            () = tokio::time::sleep(self.link_timeout) => None,
        };
        lock(&self.pending).take();
        let mut callback = outcome.ok_or_else(|| Error::Timeout {
            timeout: self.link_timeout,
            authorization_url: authorization_url.to_string(),
        })?;
        callback.state_matches = callback.query.get("state") == Some(&state);
        Ok(callback)
    }
}

impl fmt::Debug for Simulator {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Simulator")
            .field("redirect_uri", &self.redirect_uri.as_str())
            .finish_non_exhaustive()
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        self.server.abort();
    }
}

impl Link {
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
                self.access_token = AccessToken(tokens.access_token);
                if let Some(rotated) = tokens.refresh_token {
                    self.refresh_token = Some(RefreshToken(rotated));
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

/// The redirect host's shared state.
#[derive(Clone)]
struct RedirectHost {
    vendor_id: String,
    pending: Arc<Mutex<Option<PendingLink>>>,
}

struct PendingLink {
    expected_state: String,
    sender: oneshot::Sender<Callback>,
}

/// The query the OAuth server sent to the redirect URL.
struct Callback {
    query: HashMap<String, String>,
    state_matches: bool,
}

/// `GET /api/skill/link/{vendor_id}`: hands the callback to the waiting [`Simulator::link`] and
/// shows a page like Alexa's, which the browser displays until it is stopped.
async fn receive_callback(
    State(host): State<RedirectHost>,
    Path(vendor_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if vendor_id != host.vendor_id {
        return (StatusCode::NOT_FOUND, "unknown vendor id").into_response();
    }
    let Some(pending) = lock(&host.pending).take() else {
        return (
            StatusCode::BAD_REQUEST,
            Html("<p>No account linking is in progress.</p>"),
        )
            .into_response();
    };
    let page = if query.get("state") != Some(&pending.expected_state) {
        "<p>Unable to link your account: the request was not started here.</p>"
    } else if query.contains_key("error") {
        "<p>Unable to link your account.</p>"
    } else {
        "<p>Your account has been successfully linked. You can close this window.</p>"
    };
    let _ = pending.sender.send(Callback {
        query,
        state_matches: false,
    });
    Html(page).into_response()
}

/// Checks a callback in Alexa's order: state first (a forged callback must not reveal
/// anything), then an OAuth error, then the code.
fn check_callback(callback: &Callback) -> Result<AuthorizationCode, Error> {
    if !callback.state_matches {
        return Err(Error::StateMismatch);
    }
    if let Some(error) = callback.query.get("error") {
        return Err(Error::AuthorizationDenied {
            error: error.clone(),
            description: callback
                .query
                .get("error_description")
                .cloned()
                .unwrap_or_default(),
        });
    }
    callback
        .query
        .get("code")
        .map(|code| AuthorizationCode::new(code.clone()))
        .ok_or(Error::MissingCode)
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

async fn request_tokens(
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

fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// 128 random bits, URL-safe: Alexa's `state` is opaque to the login page.
fn random_state() -> String {
    // A fresh OS-seeded generator per call: a few calls per link, no shared state.
    let bits: u128 =
        rand::Rng::random(&mut <rand::rngs::StdRng as rand::SeedableRng>::from_os_rng());
    format!("{bits:032x}")
}

fn is_valid_vendor_id(vendor_id: &str) -> bool {
    (13..=14).contains(&vendor_id.len())
        && vendor_id
            .bytes()
            .all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        assert_eq!(
            format!("{:?}", ClientSecret::new("client-secret")),
            "ClientSecret([redacted])"
        );
        assert_eq!(
            format!("{:?}", AccessToken::new("ya29.token")),
            "AccessToken([redacted])"
        );
        assert_eq!(
            format!("{:?}", RefreshToken::new("1//refresh")),
            "RefreshToken([redacted])"
        );
        assert_eq!(
            format!("{:?}", AuthorizationCode::new("4/code")),
            "AuthorizationCode([redacted])"
        );
        assert_eq!(AccessToken::new("ya29.token").secret(), "ya29.token");
    }

    #[test]
    fn account_linking_debug_hides_the_client_secret() {
        let account_linking = sample_account_linking("https://example.com/login?a=1");
        let debug = format!("{account_linking:?}");
        assert!(debug.contains("ClientSecret([redacted])"), "{debug}");
        assert!(!debug.contains("sample-secret"), "{debug}");
    }

    #[tokio::test]
    async fn authorization_request_keeps_the_configured_query_and_adds_alexas_parameters() {
        let simulator = Simulator::start("M2AAAAAAAAAAAA").await.unwrap();
        let account_linking =
            sample_account_linking("https://example.com/o/oauth2/auth?access_type=offline");
        let url = simulator.authorization_request_url(&account_linking, "opaque-state");
        let expected = format!(
            "https://example.com/o/oauth2/auth?access_type=offline&client_id=sample-client\
             &response_type=code&scope=openid+email&state=opaque-state&redirect_uri={}",
            form_encode(simulator.redirect_uri().as_str())
        );
        assert_eq!(url.as_str(), expected);
        assert!(
            simulator
                .redirect_uri()
                .as_str()
                .ends_with("/api/skill/link/M2AAAAAAAAAAAA")
        );
    }

    #[tokio::test]
    async fn invalid_vendor_id_is_refused() {
        let error = Simulator::start("lowercase-id").await.unwrap_err();
        assert!(matches!(error, Error::InvalidVendorId(_)), "{error}");
    }

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

    fn sample_account_linking(authorization_url: &str) -> AccountLinking {
        AccountLinking {
            authorization_url: Url::parse(authorization_url).unwrap(),
            client_id: "sample-client".into(),
            client_secret: ClientSecret::new("sample-secret"),
            scopes: vec!["openid".into(), "email".into()],
            access_token_url: Url::parse("https://example.com/token").unwrap(),
            scheme: AccessTokenScheme::HttpBasic,
            default_token_expiration: None,
        }
    }
}
