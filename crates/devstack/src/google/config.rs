//! What the twin serves and how a test steers it: OAuth clients, test users and token rules
//! ([`Config`]), and the faults it can answer with instead ([`Fault`], [`FaultMatch`]).

use std::time::Duration;

use super::seed::{self, TestUser};

/// The vendor ID the default configuration registers Alexa's redirect URIs for.
pub const DEFAULT_ALEXA_VENDOR_ID: &str = "M2AAAAAAAAAAAA";
/// The client ID of the default configuration's only OAuth client.
pub const DEFAULT_CLIENT_ID: &str = "test-client-id.apps.googleusercontent.com";
/// The client secret of the default configuration's only OAuth client.
pub const DEFAULT_CLIENT_SECRET: &str = "test-client-secret";

/// Everything the emulator serves: registered OAuth clients, test users and token rules.
#[derive(Debug, Clone)]
pub struct Config {
    /// OAuth clients as registered in a Cloud Console project.
    pub clients: Vec<OAuthClient>,
    /// Google accounts that can sign in, each with seeded Drive and Calendar data.
    pub users: Vec<TestUser>,
    /// When set, the authorization endpoint skips the consent page and approves as this user.
    pub auto_consent: Option<String>,
    /// Lifetime of access tokens on the emulator clock; Google issues 3599 seconds.
    pub access_token_ttl: Duration,
}

/// An OAuth 2.0 web client: ID, secret and the exact redirect URIs it registered.
#[derive(Debug, Clone)]
pub struct OAuthClient {
    pub client_id: String,
    pub client_secret: ClientSecret,
    /// Compared byte-for-byte with the request's `redirect_uri`, as Google does.
    pub redirect_uris: Vec<String>,
}

secrets::new_secret_type!(
    /// An OAuth client secret, as registered in the Cloud Console and sent by the client.
    pub ClientSecret
);

/// A failure the emulator returns instead of the real answer, for testing error handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 401 `authError` with `WWW-Authenticate: … error="invalid_token"`.
    Unauthorized,
    /// 403 `ACCESS_TOKEN_SCOPE_INSUFFICIENT` with the scopes that would have worked.
    InsufficientScope,
    /// 403 `userRateLimitExceeded`.
    RateLimit403,
    /// 429 `rateLimitExceeded`.
    RateLimit429,
    /// 500 `backendError`.
    ServerError500,
    /// 503 `backendError` / `UNAVAILABLE`.
    Unavailable503,
    /// Waits this long (real time), then answers normally.
    Delay(Duration),
    /// 200 with a `Content-Type: application/json` body that is not JSON.
    GarbageJson,
    /// The real answer's status and headers at once, then no body byte for this long (real
    /// time), then the body: a server that stalls mid-response.
    StallAfterHeaders(Duration),
    /// The real answer's headers (with its full `Content-Length`) and the first half of its body,
    /// then a TCP reset.
    ResetMidBody,
    /// No answer at all: the connection is reset (TCP RST) as soon as the request has arrived,
    /// which is what a pooled connection the server has already forgotten looks like (e.g. after
    /// a Lambda freeze).
    ResetConnection,
    /// 200 with the real answer padded to at least this many bytes of valid JSON (a
    /// `"devstackPadding"` string member is added to the top-level object).
    OversizedBody(usize),
    /// 403 `dailyLimitExceeded` (domain `usageLimits`): the project's daily quota is spent.
    DailyLimitExceeded,
    /// 403 `quotaExceeded` (domain `usageLimits`).
    QuotaExceeded,
    /// 403 `forbidden`.
    Forbidden,
    /// 400 `badRequest`.
    BadRequest,
    /// 404 `notFound`.
    NotFound,
    /// 302 to the same path and query on the twin's redirect target, another port of its own
    /// ([`Emulator::redirect_target_url`]), which records whether `Authorization` came along
    /// ([`Emulator::redirected_requests`]) and serves the APIs without faults.
    RedirectToOtherHost,
    /// 403 insufficient scope whose `WWW-Authenticate` carries bytes that are not UTF-8 (`0xFF`,
    /// `0xFE`) inside the `scope="…"` list.
    InvalidUtf8Challenge,
}

/// Which requests a fault applies to. Every given condition must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultMatch {
    /// The request path starts with this (e.g. `/drive/`, `/v4/spreadsheets/`, `/token`).
    pub path_prefix: String,
    /// Only this HTTP method (e.g. `POST`), compared case-insensitively.
    pub http_method: Option<String>,
    /// The request path ends with this (e.g. `:append`).
    pub path_suffix: Option<String>,
}

impl FaultMatch {
    /// Every request whose path starts with `path_prefix`.
    pub fn prefix(path_prefix: &str) -> Self {
        FaultMatch {
            path_prefix: path_prefix.to_string(),
            ..FaultMatch::default()
        }
    }
}

impl FaultMatch {
    /// Whether a request with this method and path is one the fault applies to.
    pub(crate) fn matches(&self, http_method: &str, path: &str) -> bool {
        path.starts_with(&self.path_prefix)
            && self
                .http_method
                .as_ref()
                .is_none_or(|wanted| wanted.eq_ignore_ascii_case(http_method))
            && self
                .path_suffix
                .as_ref()
                .is_none_or(|suffix| path.ends_with(suffix.as_str()))
    }
}

/// A request that reached the redirect target after a [`Fault::RedirectToOtherHost`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectedRequest {
    pub http_method: String,
    /// Path and query, as requested.
    pub path: String,
    /// Whether the client sent an `Authorization` header to the other host (it must not).
    pub authorization_present: bool,
}

impl Default for Config {
    fn default() -> Self {
        let redirect_uris = [
            "https://pitangui.amazon.com/api/skill/link/",
            "https://layla.amazon.com/api/skill/link/",
            "https://alexa.amazon.co.jp/api/skill/link/",
        ]
        .iter()
        .map(|prefix| format!("{prefix}{DEFAULT_ALEXA_VENDOR_ID}"))
        .collect();
        Config {
            clients: vec![OAuthClient {
                client_id: DEFAULT_CLIENT_ID.to_string(),
                client_secret: ClientSecret::new(DEFAULT_CLIENT_SECRET.to_string()),
                redirect_uris,
            }],
            users: vec![seed::ada(), seed::grace()],
            auto_consent: None,
            access_token_ttl: Duration::from_secs(3599),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_secret_debug_is_redacted() {
        let secret = ClientSecret::new("test-client-secret".to_string());
        assert_eq!(format!("{secret:?}"), "ClientSecret([redacted])");
        assert_eq!(secret.secret(), "test-client-secret");
    }

    #[test]
    fn default_config_registers_the_three_alexa_redirect_uris() {
        let config = Config::default();
        assert_eq!(
            config.clients[0].redirect_uris,
            [
                "https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA",
                "https://layla.amazon.com/api/skill/link/M2AAAAAAAAAAAA",
                "https://alexa.amazon.co.jp/api/skill/link/M2AAAAAAAAAAAA",
            ]
        );
        let emails: Vec<&str> = config
            .users
            .iter()
            .map(|user| user.email.as_str())
            .collect();
        assert_eq!(emails, ["ada@example.com", "grace@example.com"]);
    }

    #[test]
    fn matches_prefix_method_and_suffix() {
        let append = FaultMatch {
            path_prefix: "/v4/spreadsheets/".to_string(),
            http_method: Some("post".to_string()),
            path_suffix: Some(":append".to_string()),
        };
        assert!(append.matches("POST", "/v4/spreadsheets/1abc/values/Sheet1!A1:append"));
        assert!(!append.matches("GET", "/v4/spreadsheets/1abc/values/Sheet1!A1:append"));
        assert!(!append.matches("POST", "/v4/spreadsheets"));
        assert!(FaultMatch::prefix("/drive/").matches("GET", "/drive/v3/files"));
    }
}
