//! The offline twin of Google's OAuth 2.0 server and the Drive, Sheets, Calendar and Gmail APIs.
//!
//! Every Google host (accounts.google.com, oauth2.googleapis.com, www.googleapis.com,
//! sheets.googleapis.com, gmail.googleapis.com, openidconnect.googleapis.com) is served under one
//! base URL, so a client
//! only needs its root URL replaced. Behaviour follows `/work/shared/reference/google.md`: status
//! codes, error bodies, `WWW-Authenticate` headers and token rules are Google's, not a generic
//! OAuth server's. Tests drive it in-process through [`Emulator`]; the `devstack google` binary
//! exposes the same controls over HTTP under `/__twin/`.

// Handlers return `Result<_, Response>` so an early Google error reads as `return Err(…)`; one
// request handled at a time per task makes the size of the error variant irrelevant.
#![allow(clippy::result_large_err)]

mod api_errors;
mod calendar;
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

use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

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

/// An OAuth client secret. Debug output never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("ClientSecret([redacted])")
    }
}

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
}

/// A running emulator on a loopback port. Dropping it stops the server.
pub struct Emulator {
    shared: Arc<Shared>,
    base_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    server: JoinHandle<()>,
}

impl Emulator {
    /// Starts the emulator on an ephemeral port of 127.0.0.1.
    pub async fn start(config: Config) -> std::io::Result<Emulator> {
        Self::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
    }

    /// Starts the emulator on `addr` (port 0 picks a free port).
    pub async fn start_on(addr: SocketAddr, config: Config) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        let base_url = format!("http://{local_addr}");
        let shared = Arc::new(Shared::new(config, base_url.clone())?);
        let router = routes::router(Arc::clone(&shared));
        let (shutdown, shutdown_signal) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let serving = axum::serve(listener, router).with_graceful_shutdown(async move {
                let _ = shutdown_signal.await;
            });
            if let Err(error) = serving.await {
                tracing::error!(%error, "google emulator stopped with an error");
            }
        });
        tracing::info!(%base_url, "google emulator listening");
        Ok(Emulator {
            shared,
            base_url,
            shutdown: Some(shutdown),
            server,
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
        self.shared.inject_fault(path_prefix, fault, times);
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
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        // Graceful shutdown waits for keep-alive connections that a test's client may hold open;
        // aborting frees the port now, which is what "stops on drop" means to a test.
        self.server.abort();
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
                client_secret: ClientSecret::new(DEFAULT_CLIENT_SECRET),
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
        let secret = ClientSecret::new("test-client-secret");
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
