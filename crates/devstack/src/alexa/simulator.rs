//! Alexa's redirect host on 127.0.0.1 and the authorization request around it: the URL Alexa
//! opens, the callback it receives and the checks it makes before exchanging the code
//! (`docs/account-linking.md`, "The authorization request" and "The callback").

use std::{
    collections::HashMap,
    fmt,
    net::{Ipv4Addr, SocketAddr},
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
    routing::get,
};
use tokio::{
    net::TcpListener,
    sync::{Mutex as AsyncMutex, oneshot},
    task::JoinHandle,
};
use url::Url;

use super::{AccountLinking, Browser, Error, Link, browser, link::AuthorizationCode};

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
            // Alexa gives the token server 4.5 seconds (docs/account-linking.md, "Token
            // exchange"); a debug-build twin on a busy machine gets more, so a slow test fails on
            // its assertion and not here.
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
        Link::exchange_code(&self.http, account_linking, &code, &self.redirect_uri).await
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
    use super::super::{config::sample_account_linking, link::form_encode};
    use super::*;

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
}
