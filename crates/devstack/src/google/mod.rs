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

// The twin's layers, top to bottom of this list: a module imports only from layers above its
// own (checked, with the absence of any import cycle, by tests/it/google_imports.rs); this file
// sits on top of them all.
//
// Leaves: time helpers, the server loop, parameters, API method constants, seed data.
mod clock;
mod connections;
mod methods;
mod params;
mod seed;
// What the twin is configured with, Google's error bodies, the token store.
mod api_errors;
mod config;
mod tokens;
// Field selection, HTML pages, the world's data, declared APIs.
mod declared;
mod fields;
mod html;
mod world;
// The state that holds it all.
mod state;
// The one token and scope check.
mod auth;
// Handlers and middleware.
mod calendar;
mod declared_routes;
mod drive;
mod faults;
mod gmail;
mod oauth;
mod sheets;
mod twin_controls;
// The URL map.
mod routes;

use std::{
    fmt,
    net::{Ipv4Addr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use tokio::{net::TcpListener, task::JoinHandle};

pub use config::{
    ClientSecret, Config, DEFAULT_ALEXA_VENDOR_ID, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Fault,
    FaultMatch, OAuthClient, RedirectedRequest,
};
pub use declared::{Answer as RouteAnswer, ApiDeclaration, RouteDeclaration, SeedResources};
pub use seed::{SeedEvent, SeedEventTime, SeedFile, SeedMessage, TestUser};

use state::Shared;

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

    /// Makes `email` the account that approves authorization requests without a consent page
    /// from now on, as if that person were signed in to Google in the browser: a relink then
    /// links another account. The error names a user the twin does not have.
    pub fn set_auto_consent(&self, email: &str) -> Result<(), String> {
        self.shared.set_auto_consent(email)
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
