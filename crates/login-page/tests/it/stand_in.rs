//! An axum server on 127.0.0.1 that serves the rendered login page and a stand-in for Google's
//! authorization endpoint, which records the exact raw query string it receives.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use login_page::{LoginPageConfig, OAuthClient, VendorId};
use url::Url;

use crate::webdriver::{Browser, PATIENCE};

/// The vendor ID the tests configure and put into Alexa's redirect URLs.
pub const VENDOR_ID: &str = "MFERJAF7R6NLZ";
/// The Google client ID the tests configure and send as `client_id`.
pub const CLIENT_ID: &str = "123-abc.apps.googleusercontent.com";
/// The scopes the tests configure.
pub const SCOPES: [&str; 3] = [
    "openid",
    "email",
    "https://www.googleapis.com/auth/drive.file",
];
pub const ENDPOINT_PATH: &str = "/o/oauth2/v2/auth";
const PAGE_PATH: &str = "/link/index.html";

/// How the page under test is configured.
#[derive(Debug)]
pub struct PageSetup {
    /// Appended to the stand-in endpoint's URL, e.g. `?hd=example.com`.
    pub endpoint_query: &'static str,
    pub vendor_id: Option<&'static str>,
    /// Added to Alexa's three origins.
    pub extra_redirect_origins: &'static [&'static str],
    pub client_id: &'static str,
    pub scopes: &'static [&'static str],
}

impl Default for PageSetup {
    fn default() -> Self {
        Self {
            endpoint_query: "",
            vendor_id: Some(VENDOR_ID),
            extra_redirect_origins: &[],
            client_id: CLIENT_ID,
            scopes: &SCOPES,
        }
    }
}

#[derive(Debug)]
pub struct StandIn {
    base_url: String,
    received_queries: Arc<Mutex<Vec<String>>>,
    page_queries: Arc<Mutex<Vec<String>>>,
}

impl StandIn {
    /// Serves the page rendered for `setup` until the test's runtime ends.
    pub async fn start(setup: PageSetup) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let base_url = format!("http://{}", listener.local_addr().expect("bound address"));
        let endpoint = Url::parse(&format!(
            "{base_url}{ENDPOINT_PATH}{}",
            setup.endpoint_query
        ))
        .expect("the stand-in endpoint is a valid URL");
        let mut origins = login_page::alexa_redirect_origins();
        origins.extend(
            setup
                .extra_redirect_origins
                .iter()
                .map(|origin| Url::parse(origin).expect("extra origins are valid URLs")),
        );
        let vendor_id = setup
            .vendor_id
            .map(|vendor_id| VendorId::new(vendor_id).expect("test vendor ids are valid"));
        let client = OAuthClient::new(setup.client_id, setup.scopes.iter().copied())
            .expect("the test client is valid");
        let config =
            LoginPageConfig::new(endpoint, origins, vendor_id, client).expect("valid test config");
        let page = login_page::render(&config);

        let received_queries = Arc::new(Mutex::new(Vec::new()));
        let page_queries = Arc::new(Mutex::new(Vec::new()));
        let recorded_page_queries = Arc::clone(&page_queries);
        let router = Router::new()
            .route(
                PAGE_PATH,
                get(move |RawQuery(query): RawQuery| async move {
                    recorded_page_queries
                        .lock()
                        .expect("not poisoned")
                        .push(query.unwrap_or_default());
                    ([(header::CONTENT_TYPE, login_page::CONTENT_TYPE)], page)
                }),
            )
            .route(ENDPOINT_PATH, get(record_authorization_request))
            .with_state(Arc::clone(&received_queries));
        tokio::spawn(async move {
            axum::serve(listener, router)
                .await
                .expect("the stand-in server runs");
        });
        Self {
            base_url,
            received_queries,
            page_queries,
        }
    }

    /// The login page's URL with `query` (raw, as Alexa would send it) appended.
    pub fn page_url(&self, query: &str) -> String {
        format!("{}{PAGE_PATH}?{query}", self.base_url)
    }

    pub fn endpoint_url_prefix(&self) -> String {
        format!("{}{ENDPOINT_PATH}?", self.base_url)
    }

    /// Takes what the stand-in endpoint has received so far, leaving it empty for the next case.
    pub fn take_received(&self) -> Vec<String> {
        std::mem::take(&mut *self.received_queries.lock().expect("not poisoned"))
    }

    /// Takes the raw queries the login page itself was requested with, as the browser sent them.
    pub fn take_page_queries(&self) -> Vec<String> {
        std::mem::take(&mut *self.page_queries.lock().expect("not poisoned"))
    }

    /// Waits until the endpoint has received a request, then returns every raw query it received.
    pub async fn wait_for_requests(&self) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let received = self.take_received();
            if !received.is_empty() {
                return received;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the stand-in endpoint received nothing within {PATIENCE:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

async fn record_authorization_request(
    State(received_queries): State<Arc<Mutex<Vec<String>>>>,
    RawQuery(query): RawQuery,
) -> impl IntoResponse {
    received_queries
        .lock()
        .expect("not poisoned")
        .push(query.unwrap_or_default());
    Html(
        "<!doctype html><title>Stand-in Google</title><p id=\"arrived\">stand-in authorization endpoint</p>",
    )
}

/// Polls `probe` until it returns `Some`, for up to [`PATIENCE`].
pub async fn wait_for<T>(what: &str, mut probe: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if let Some(found) = probe().await {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out after {PATIENCE:?} waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Waits until the page shows its error section and returns the listed problems, one per line.
pub async fn shown_problems(browser: &Browser) -> String {
    wait_for("the error section", async || {
        let section = browser.find("#error").await?;
        browser.is_displayed(&section).await.then_some(())
    })
    .await;
    let list = browser
        .find("#error-list")
        .await
        .expect("the error list exists");
    browser.text(&list).await
}
