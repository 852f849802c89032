//! The offline twin of Google's OAuth 2.0 server and the Drive, Sheets, Calendar and Gmail APIs.
//!
//! Every Google host (accounts.google.com, oauth2.googleapis.com, www.googleapis.com,
//! sheets.googleapis.com, gmail.googleapis.com, openidconnect.googleapis.com) is served under one
//! base URL, so a client only needs its root URL replaced. Behavior follows the protocol notes in
//! `docs/google-oauth.md`, `docs/google-apis.md` and `docs/google-gmail.md`: status codes, error
//! bodies, `WWW-Authenticate` headers and token rules are Google's, not a generic OAuth server's.
//! Tests drive it in-process through [`Emulator`]; the `devstack google` binary
//! exposes the same controls over HTTP under `/__twin/`.
//!
//! # Fault injection
//!
//! In process: [`Emulator::inject_fault`] (path prefix),
//! [`Emulator::inject_fault_matching`] (prefix, HTTP
//! method, path suffix), [`Emulator::clear_faults`],
//! [`Emulator::close_idle_connections`],
//! [`Emulator::connections_accepted`],
//! [`Emulator::redirected_requests`],
//! [`Emulator::spreadsheet_titles`].
//!
//! Each [`Fault`] variant says what the client sees. Over HTTP (the `devstack google` binary):
//!
//! - `POST /__twin/faults` `{"path_prefix": "/drive/", "method"?: "POST", "path_suffix"?:
//!   ":append", "fault": NAME, "times"?: n, "delay_ms"?: …, "stall_ms"?: …, "bytes"?: …}` → 200
//!   `{"injected": NAME}`; `DELETE /__twin/faults` → 204. NAME is one of `unauthorized`,
//!   `insufficient_scope`, `rate_limit_403`, `rate_limit_429`, `server_error_500`,
//!   `unavailable_503`, `delay` (`delay_ms`, default 1000), `garbage_json`,
//!   `stall_after_headers` (`stall_ms`, default 60000), `reset_mid_body`, `reset_connection`,
//!   `oversized_body` (`bytes`, default 10 MiB), `daily_limit_exceeded`, `quota_exceeded`,
//!   `forbidden`, `bad_request`, `not_found`, `redirect`, `invalid_utf8_challenge`.
//! - `POST /__twin/connections/close-idle` → 204; `GET /__twin/connections` →
//!   `{"accepted": n}`.
//! - `GET /__twin/redirects` → `{"target": "http://127.0.0.1:PORT", "requests": [{"method",
//!   "path", "authorization_present"}]}`.
//! - `GET /__twin/spreadsheets?email=…` → `{"titles": [...]}` in creation order, duplicates kept.
//! - `POST /__twin/apis` with an [`ApiDeclaration`] as JSON → 200 `{"declared": HOST}`, or 400
//!   `{"error": …}` saying why it cannot be served.
//!
//! # Declared APIs
//!
//! [`Emulator::declare_api`] serves any Google API from its routes (host, method, path pattern,
//! scopes, canned or stateful answer), under the same token, scope and fault rules as the
//! built-in ones; see `declared.rs`.

// Handlers return `Result<_, Response>` so an early Google error reads as `return Err(…)`; one
// request handled at a time per task makes the size of the error variant irrelevant.
#![allow(clippy::result_large_err)]

mod api_errors;
mod calendar;
mod connections;
mod declared;
mod drive;
mod faults;
mod fields;
mod gmail;
mod html;
mod oauth;
mod params;
mod routes;
mod seed;
mod sheets;
mod state;
mod tokens;
mod twin_controls;

use std::{
    fmt,
    net::{Ipv4Addr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use tokio::{net::TcpListener, task::JoinHandle};

pub use declared::{Answer as RouteAnswer, ApiDeclaration, RouteDeclaration, SeedResources};
pub use seed::{SeedEvent, SeedEventTime, SeedFile, SeedMessage};

use state::Shared;

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

/// A Google account that can sign in to the emulator, with the data its APIs return.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub email: String,
    pub name: String,
    pub given_name: String,
    pub family_name: String,
    /// Google's stable numeric account ID, returned as `sub`.
    pub sub: String,
    /// IANA time zone of the user's primary calendar, e.g. `Europe/London`.
    pub time_zone: String,
    /// Drive files, placed relative to the emulator clock when it starts.
    pub drive_files: Vec<SeedFile>,
    /// Primary-calendar events, placed relative to the emulator clock when it starts.
    pub calendar_events: Vec<SeedEvent>,
    /// Gmail messages, placed relative to the emulator clock when it starts.
    pub gmail_messages: Vec<SeedMessage>,
}

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

/// A request that reached the redirect target after a [`Fault::RedirectToOtherHost`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectedRequest {
    pub http_method: String,
    /// Path and query, as requested.
    pub path: String,
    /// Whether the client sent an `Authorization` header to the other host (it must not).
    pub authorization_present: bool,
}

/// A running emulator on a loopback port. Dropping it stops the server.
pub struct Emulator {
    shared: Arc<Shared>,
    base_url: String,
    servers: Vec<JoinHandle<()>>,
}

impl Emulator {
    /// Starts the emulator on an ephemeral port of 127.0.0.1.
    pub async fn start(config: Config) -> std::io::Result<Emulator> {
        Self::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
    }

    /// Starts the emulator on `addr` (port 0 picks a free port). The redirect target of
    /// [`Fault::RedirectToOtherHost`] gets a free port on the same address.
    pub async fn start_on(addr: SocketAddr, config: Config) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        let redirect_listener = TcpListener::bind(SocketAddr::new(local_addr.ip(), 0)).await?;
        let base_url = format!("http://{local_addr}");
        let redirect_target_url = format!("http://{}", redirect_listener.local_addr()?);
        let shared = Arc::new(Shared::new(config, base_url.clone(), redirect_target_url)?);
        let servers = vec![
            tokio::spawn(connections::serve(
                listener,
                routes::router(Arc::clone(&shared)),
                Arc::clone(&shared.connections),
            )),
            tokio::spawn(connections::serve(
                redirect_listener,
                routes::redirect_target_router(Arc::clone(&shared)),
                Arc::clone(&shared.redirect_connections),
            )),
        ];
        tracing::info!(%base_url, "google emulator listening");
        Ok(Emulator {
            shared,
            base_url,
            servers,
        })
    }

    /// `http://127.0.0.1:PORT`, under which every Google host's paths live.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// Issues an access token as if `email` had approved `scopes` for `client_id`, skipping the
    /// OAuth dance. `email` and `profile` expand to the userinfo scope URLs like Google's.
    ///
    /// # Panics
    /// If `email` is not a configured test user: that is a mistake in the test itself.
    pub fn mint_access_token(&self, email: &str, client_id: &str, scopes: &[&str]) -> String {
        let scopes: Vec<String> = scopes.iter().map(|scope| scope.to_string()).collect();
        match self.shared.mint_access_token(email, client_id, &scopes) {
            Some(token) => token,
            None => panic!("mint_access_token: {email} is not a configured test user"),
        }
    }

    /// Moves the emulator clock forward: tokens, codes and "now" in the seeded data all follow it.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.advance_clock(by);
    }

    /// Makes requests whose path starts with `path_prefix` (e.g. `/drive/`, `/token`) fail with
    /// `fault`, `times` times (`None`: until [`Emulator::clear_faults`]).
    pub fn inject_fault(&self, path_prefix: &str, fault: Fault, times: Option<u32>) {
        self.shared
            .inject_fault(FaultMatch::prefix(path_prefix), fault, times);
    }

    /// Like [`Emulator::inject_fault`] for the requests `matching` selects, e.g. only the
    /// `POST …:append` of Sheets so that creating a spreadsheet still works. Faults are tried in
    /// the order they were injected; the first that matches is used.
    pub fn inject_fault_matching(&self, matching: FaultMatch, fault: Fault, times: Option<u32>) {
        self.shared.inject_fault(matching, fault, times);
    }

    /// Closes every idle keep-alive connection now (and every busy one after its response), as a
    /// server or load balancer does with connections idle too long. A client that kept one in
    /// its pool (e.g. across a Lambda freeze) must reconnect; [`Fault::ResetConnection`] is the
    /// harsher variant where the client only learns it on its next request.
    pub fn close_idle_connections(&self) {
        self.shared.connections.close_idle();
    }

    /// How many TCP connections the emulator (not its redirect target) has accepted so far.
    pub fn connections_accepted(&self) -> u64 {
        self.shared.connections.accepted()
    }

    /// `http://127.0.0.1:PORT` of the redirect target [`Fault::RedirectToOtherHost`] sends to.
    pub fn redirect_target_url(&self) -> String {
        self.shared.redirect_target_url.clone()
    }

    /// The requests the redirect target received, oldest first.
    pub fn redirected_requests(&self) -> Vec<RedirectedRequest> {
        self.shared.redirected_requests()
    }

    /// Titles of `email`'s spreadsheets in creation order, duplicates included (a retried
    /// "create" shows up twice here).
    pub fn spreadsheet_titles(&self, email: &str) -> Vec<String> {
        self.shared.spreadsheet_titles(email)
    }

    /// Switches the OAuth app's publishing status: while `testing` is true, refresh tokens are
    /// minted to expire 7 days (emulator clock) after consent unless only sign-in scopes
    /// (`openid`, `email`, `profile`) were granted, as for Google's "Testing" apps.
    pub fn set_testing_publishing_status(&self, testing: bool) {
        self.shared.set_testing_publishing_status(testing);
    }

    /// Removes every injected fault.
    pub fn clear_faults(&self) {
        self.shared.clear_faults();
    }

    /// Revokes every token and grant of `email`, like removing the app at myaccount.google.com.
    pub fn revoke_all(&self, email: &str) {
        self.shared.revoke_all(email);
    }

    /// Adds `messages` to `email`'s mailbox, placed relative to the emulator clock now. A message
    /// whose ID is already there replaces it.
    ///
    /// # Panics
    /// If `email` is not a configured test user or an ID is not a Gmail ID (hexadecimal, below
    /// 2^63): both are mistakes in the test itself.
    pub fn seed_messages(&self, email: &str, messages: &[SeedMessage]) {
        if let Err(error) = self.shared.seed_messages(email, messages) {
            panic!("seed_messages: {error}");
        }
    }

    /// Serves the routes of an API the twin has no code for, under the same token, scope and
    /// fault rules as the built-in ones (`declared.rs`). The error says why the declaration
    /// cannot be served, e.g. a route that can never match or resources for an unknown user.
    pub fn declare_api(&self, declaration: &ApiDeclaration) -> Result<(), String> {
        self.shared.declare_api(declaration)
    }

    /// Replaces what a test user holds at one collection of a declared API (an empty list: an
    /// empty collection). The error says why, e.g. no declared route reads that collection.
    pub fn seed_declared(&self, seed: &SeedResources) -> Result<(), String> {
        self.shared.seed_declared(seed)
    }

    /// The resources `email` holds at the collection `path` of a declared API (e.g.
    /// `/tasks/v1/lists/@default/tasks`), oldest first.
    pub fn declared_resources(&self, email: &str, path: &str) -> Vec<serde_json::Value> {
        self.shared.declared_resources(email, path)
    }

    /// Empties `email`'s mailbox: every label then counts zero and every list is empty.
    ///
    /// # Panics
    /// If `email` is not a configured test user.
    pub fn clear_mailbox(&self, email: &str) {
        if let Err(error) = self.shared.clear_mailbox(email) {
            panic!("clear_mailbox: {error}");
        }
    }

    /// The first sheet's cells of `email`'s spreadsheet titled `spreadsheet_name`, as strings.
    pub fn sheet_rows(&self, email: &str, spreadsheet_name: &str) -> Option<Vec<Vec<String>>> {
        self.shared.sheet_rows(email, spreadsheet_name)
    }
}

impl fmt::Debug for Emulator {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Emulator")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // Aborting the accept loops frees the ports now, which is what "stops on drop" means to
        // a test; open keep-alive connections close once idle instead of being waited for.
        for server in &self.servers {
            server.abort();
        }
        self.shared.connections.close_idle();
        self.shared.redirect_connections.close_idle();
    }
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
}
