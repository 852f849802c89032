//! SMAPI twin: the Alexa Skill Management API endpoints `cargo xtask deploy` uses, on loopback,
//! with the status codes, bodies and checks SMAPI documents (docs/smapi.md).
//!
//! - Skill packages: `POST /v1/skills/uploads` hands out an upload URL that this twin serves
//!   itself (`PUT /__twin/uploads/{id}`, unauthenticated like a presigned S3 URL);
//!   `POST /v1/skills/imports` (create, with `vendorId`) and `POST /v1/skills/{skillId}/imports`
//!   (update) answer 202 with a `Location` of the import, which reports `IN_PROGRESS` for
//!   [`Config::polls_until_done`] polls and then `SUCCEEDED` or `FAILED` with SMAPI's
//!   `errors`/`resources`.
//! - Validation of what is imported ([`validate`]): a manifest without locales, an endpoint that
//!   is neither a Lambda ARN nor an HTTPS URL, a custom intent without samples fail the import; a
//!   sample naming an undeclared slot fails that locale's interaction-model build
//!   (`GET /v1/skills/{skillId}/status`). With [`Config::lambda_api`] set (e.g. moto), a Lambda
//!   endpoint must exist and carry an `alexa-appkit.amazon.com` trigger, as SMAPI requires.
//! - Account linking: `PUT`/`GET`/`DELETE …/accountLinkingClient`; GET never returns the secret
//!   and adds Alexa's `redirectUrls` for the vendor.
//! - `GET /v1/vendors` (the token's vendor), `GET …/manifest`, `GET …/interactionModel/locales/{locale}`, `DELETE /v1/skills/{skillId}`.
//!
//! Every `/v1` call needs the configured LWA access token in `Authorization` (bare, as the ASK
//! CLI sends it, or as `Bearer …`); otherwise 401. Request errors are 400 with SMAPI's
//! `{"message", "violations": [{"code", "message"}]}`. [`SmapiTwin::requests`] lets tests see
//! every body that was sent, and [`SmapiTwin::writes`] counts the calls that change something.

mod routes;
pub mod validate;

use std::collections::BTreeMap;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The LWA access token the twin accepts unless told otherwise. Not a secret.
pub const DEFAULT_ACCESS_TOKEN: &str = "Atza|devstack-smapi-access-token";

/// The vendor the twin's account belongs to: the Google twin's registered Alexa vendor.
pub const DEFAULT_VENDOR_ID: &str = crate::google::DEFAULT_ALEXA_VENDOR_ID;

/// Alexa's redirect URL prefixes; the vendor ID follows (docs/account-linking.md).
pub const ALEXA_REDIRECT_URL_PREFIXES: [&str; 3] = [
    "https://pitangui.amazon.com/api/skill/link/",
    "https://layla.amazon.com/api/skill/link/",
    "https://alexa.amazon.co.jp/api/skill/link/",
];

/// How the twin behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// The one LWA access token SMAPI accepts.
    pub access_token: String,
    /// The vendor ID skills may be created for.
    pub vendor_id: String,
    /// How many polls of an import answer `IN_PROGRESS` before the outcome shows.
    pub polls_until_done: u32,
    /// A Lambda API (moto's endpoint URL) to check Lambda endpoints against; `None` checks the
    /// ARN's shape only.
    pub lambda_api: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            access_token: DEFAULT_ACCESS_TOKEN.to_owned(),
            vendor_id: DEFAULT_VENDOR_ID.to_owned(),
            polls_until_done: 1,
            lambda_api: None,
        }
    }
}

/// One request the twin received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub method: String,
    /// Path and query.
    pub path: String,
    pub body: Vec<u8>,
    /// The status the twin answered.
    pub status: u16,
}

impl Recorded {
    /// The body as JSON, if it is.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// A call that changes something (any method but GET): what an unchanged deploy must not send.
    pub fn is_write(&self) -> bool {
        self.method != "GET"
    }
}

/// What the twin holds for one skill (development stage).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredSkill {
    pub vendor_id: String,
    /// `{"manifest": …}` as last imported.
    pub manifest: Value,
    /// Locale → `{"interactionModel": …}`.
    pub interaction_models: BTreeMap<String, Value>,
    /// Locale → build errors of the last import (empty: the build succeeded).
    pub build_errors: BTreeMap<String, Vec<validate::Violation>>,
    /// Stage → the account-linking request as PUT (secret included: the twin is the server).
    pub account_linking: BTreeMap<String, Value>,
    /// The import that last changed this skill, for build status while it runs.
    pub(crate) last_import: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Import {
    pub(crate) polls_remaining: u32,
    /// The final `ImportResponse` body.
    pub(crate) outcome: Value,
    pub(crate) skill_id: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) uploads: BTreeMap<String, Option<Vec<u8>>>,
    pub(crate) imports: BTreeMap<String, Import>,
    pub(crate) skills: BTreeMap<String, StoredSkill>,
    pub(crate) requests: Vec<Recorded>,
    pub(crate) next_id: u64,
}

impl State {
    pub(crate) fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) base_url: String,
    pub(crate) state: Mutex<State>,
    pub(crate) http: reqwest::Client,
}

/// A running SMAPI twin on a loopback port. Dropping it stops the server.
pub struct SmapiTwin {
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    server: JoinHandle<()>,
}

impl SmapiTwin {
    /// Starts the twin on an ephemeral port of 127.0.0.1.
    pub async fn start(config: Config) -> std::io::Result<SmapiTwin> {
        Self::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
    }

    /// Starts the twin on `addr` (port 0 picks a free port).
    pub async fn start_on(addr: SocketAddr, config: Config) -> std::io::Result<SmapiTwin> {
        let listener = TcpListener::bind(addr).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(Shared {
            config,
            base_url,
            state: Mutex::new(State::default()),
            http: reqwest::Client::new(),
        });
        let router = routes::router(Arc::clone(&shared));
        let (shutdown, shutdown_signal) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let serving = axum::serve(listener, router).with_graceful_shutdown(async move {
                let _ = shutdown_signal.await;
            });
            if let Err(error) = serving.await {
                tracing::error!(%error, "SMAPI twin stopped with an error");
            }
        });
        tracing::info!(base_url = %shared.base_url, "SMAPI twin listening");
        Ok(SmapiTwin {
            shared,
            shutdown: Some(shutdown),
            server,
        })
    }

    /// `http://127.0.0.1:PORT`, SMAPI's base URL (`--smapi-url`).
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// Every request so far, oldest first.
    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    /// How many requests so far changed something (see [`Recorded::is_write`]).
    pub fn writes(&self) -> usize {
        self.lock()
            .requests
            .iter()
            .filter(|request| request.is_write())
            .count()
    }

    /// The IDs of the skills that exist.
    pub fn skill_ids(&self) -> Vec<String> {
        self.lock().skills.keys().cloned().collect()
    }

    /// What the twin holds for `skill_id`.
    pub fn skill(&self, skill_id: &str) -> Option<StoredSkill> {
        self.lock().skills.get(skill_id).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.shared.state.lock().expect("SMAPI twin state lock")
    }
}

impl fmt::Debug for SmapiTwin {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("SmapiTwin")
            .field("base_url", &self.shared.base_url)
            .finish_non_exhaustive()
    }
}

impl Drop for SmapiTwin {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        // Graceful shutdown waits for kept-alive connections; aborting frees the port now.
        self.server.abort();
    }
}
