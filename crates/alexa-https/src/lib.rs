//! An HTTPS endpoint for an Alexa skill: Amazon's request-signature verification in front of any
//! handler, with `GET /health`, an optional TLS terminator and graceful shutdown.
//!
//! Every request is verified before its body is parsed (docs/request-signatures.md): the
//! signature headers, the certificate URL, the chain (fetched once and cached, validated at the
//! current time on every request), the RSA signature over the exact body bytes, then the
//! timestamp and the skill ID. A request that fails any check gets HTTP 400 with one fixed body
//! and never reaches the handler; the log says why with a reason code, never a header value or
//! the body.
//!
//! The skill plugs in through [`Handler`]; a command line flattens [`ServeArgs`] into its own
//! `serve` subcommand and calls [`serve`].

pub mod certificates;
pub mod connections;
pub mod endpoint;
pub mod replay;
mod tls;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use alexa_model::SkillId;
use alexa_signature::{RequestVerifier, TrustAnchors};
use serde_json::Value;
use tokio::net::TcpListener;
use url::Url;

pub use certificates::{
    CachedChain, CertificateFetcher, CertificateStore, FetchError, HttpsCertificateFetcher,
};
pub use connections::Limits;
pub use endpoint::{Endpoint, MAX_BODY_BYTES, Rejection, VERIFICATION_FAILED_BODY};
pub use replay::ReplayCache;

/// What a handler may fail with; the endpoint answers 500 and logs it.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// The skill behind the endpoint. It gets the verified request as JSON and the instant the
/// request arrived (Alexa's 8-second answer window starts then), and returns the response JSON.
///
/// The skill ID and the timestamp have been checked already; the handler may check them again.
#[async_trait::async_trait]
pub trait Handler: Send + Sync + 'static {
    async fn handle_json(
        &self,
        event: Value,
        arrived: tokio::time::Instant,
    ) -> Result<Value, HandlerError>;
}

/// The wall clock the checks use. Tests move it; production reads the system time.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> jiff::Timestamp;
}

/// The system's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> jiff::Timestamp {
        jiff::Timestamp::now()
    }
}

/// TLS termination: a PEM certificate chain and its PEM private key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFiles {
    pub certificate: PathBuf,
    pub private_key: PathBuf,
}

/// How to run the endpoint.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Where to listen; port 0 picks a free port (the address is printed).
    pub listen: SocketAddr,
    /// The skill every request must be for (required: there is no way to turn the check off).
    pub skill_id: SkillId,
    /// Terminate TLS here; `None` serves plain HTTP for a TLS-terminating proxy in front.
    pub tls: Option<TlsFiles>,
    /// Test only: a PEM file of roots trusted in addition to Mozilla's.
    pub extra_trust_anchor: Option<PathBuf>,
    /// Test only: fetch certificate chains from this base instead of `https://s3.amazonaws.com`,
    /// keeping the URL's path. The header value is still checked against the real rules.
    pub cert_fetch_base: Option<Url>,
    /// Timeouts and caps of the connections (not on the command line: the defaults are chosen
    /// for Alexa, see [`connections`]).
    pub limits: Limits,
}

/// The command-line form of [`ServeOptions`], to flatten into a `serve` subcommand.
#[derive(Clone, Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on, e.g. 127.0.0.1:8443 behind a TLS proxy on the same machine, or a
    /// public interface's address with --tls-cert (port 0 picks a free port).
    #[arg(long, value_name = "ADDR")]
    pub listen: SocketAddr,
    /// The skill's ID (amzn1.ask.skill.…); requests for any other skill are refused.
    #[arg(long, env = "SKILL_ID", value_name = "ID")]
    pub skill_id: SkillId,
    /// PEM certificate chain for TLS; without it the server speaks plain HTTP (for use behind a
    /// TLS-terminating proxy).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for `--tls-cert`.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// TEST ONLY: also trust the PEM root(s) in FILE for request signatures.
    #[arg(long, value_name = "FILE")]
    pub extra_trust_anchor: Option<PathBuf>,
    /// TEST ONLY: fetch signing certificates from URL instead of https://s3.amazonaws.com.
    #[arg(long, value_name = "URL")]
    pub cert_fetch_base: Option<Url>,
}

impl From<ServeArgs> for ServeOptions {
    fn from(args: ServeArgs) -> Self {
        let tls = match (args.tls_cert, args.tls_key) {
            (Some(certificate), Some(private_key)) => Some(TlsFiles {
                certificate,
                private_key,
            }),
            _ => None,
        };
        Self {
            listen: args.listen,
            skill_id: args.skill_id,
            tls,
            extra_trust_anchor: args.extra_trust_anchor,
            cert_fetch_base: args.cert_fetch_base,
            limits: Limits::default(),
        }
    }
}

/// The endpoint could not start.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not read {path}: {source}")]
    ReadFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("--extra-trust-anchor {path}: {source}")]
    TrustAnchor {
        path: PathBuf,
        #[source]
        source: alexa_signature::ChainError,
    },
    #[error("TLS configuration: {0}")]
    Tls(String),
    #[error("could not build the certificate fetcher: {0}")]
    Fetcher(#[source] reqwest::Error),
    #[error("could not listen on {address}: {source} (is another process using the port?)")]
    Listen {
        address: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the server failed: {0}")]
    Serve(#[source] std::io::Error),
}

/// A bound endpoint, not yet serving.
pub struct Server {
    endpoint: Arc<Endpoint>,
    listener: TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    limits: Limits,
    local_addr: SocketAddr,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Server")
            .field("local_addr", &self.local_addr)
            .field("tls", &self.is_tls())
            .finish()
    }
}

impl Server {
    /// Reads the files, binds the address and logs how the server is set up (a warning for
    /// plain HTTP and for each test hook).
    pub async fn bind(options: ServeOptions, handler: Arc<dyn Handler>) -> Result<Self, Error> {
        let trust_anchors = match &options.extra_trust_anchor {
            Some(path) => {
                let pem = std::fs::read(path).map_err(|source| Error::ReadFile {
                    path: path.clone(),
                    source,
                })?;
                tracing::warn!(
                    path = %path.display(),
                    "TEST MODE: --extra-trust-anchor trusts a root that is not Amazon's; never use it in production"
                );
                TrustAnchors::mozilla_roots_and_test_anchors(&pem).map_err(|source| {
                    Error::TrustAnchor {
                        path: path.clone(),
                        source,
                    }
                })?
            }
            None => TrustAnchors::mozilla_roots(),
        };
        let fetcher = match &options.cert_fetch_base {
            Some(base) => {
                tracing::warn!(
                    base = %base,
                    "TEST MODE: --cert-fetch-base fetches signing certificates from elsewhere than Amazon; never use it in production"
                );
                HttpsCertificateFetcher::with_base(base.clone())
            }
            None => HttpsCertificateFetcher::new(),
        }
        .map_err(Error::Fetcher)?;
        let endpoint = Arc::new(
            Endpoint::new(
                RequestVerifier::with_trust_anchors(options.skill_id.clone(), trust_anchors),
                CertificateStore::new(Arc::new(fetcher)),
                Arc::new(SystemClock),
                handler,
            )
            .with_body_read_timeout(options.limits.body_read_timeout),
        );
        let tls_config = match &options.tls {
            Some(files) => Some(tls::server_config(&files.certificate, &files.private_key)?),
            None => None,
        };
        let tcp = TcpListener::bind(options.listen)
            .await
            .map_err(|source| Error::Listen {
                address: options.listen,
                source,
            })?;
        let local_addr = tcp.local_addr().map_err(Error::Serve)?;
        if tls_config.is_none() {
            tracing::warn!(
                "serving plain HTTP: Alexa only calls HTTPS endpoints, so put a TLS-terminating proxy in front (or pass --tls-cert and --tls-key)"
            );
        }
        Ok(Self {
            endpoint,
            listener: tcp,
            tls: tls_config.map(tokio_rustls::TlsAcceptor::from),
            limits: options.limits,
            local_addr,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// `https://ADDR/` or `http://ADDR/`.
    pub fn url(&self) -> String {
        let scheme = if self.is_tls() { "https" } else { "http" };
        format!("{scheme}://{}/", self.local_addr)
    }

    pub fn endpoint(&self) -> &Arc<Endpoint> {
        &self.endpoint
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), Error> {
        let router = self.endpoint.router();
        connections::serve(self.listener, self.tls, router, self.limits, shutdown)
            .await
            .map_err(Error::Serve)
    }
}

/// Binds, prints `listening on URL` to standard output, and serves until SIGTERM or Ctrl-C.
pub async fn serve(options: ServeOptions, handler: Arc<dyn Handler>) -> Result<(), Error> {
    let server = Server::bind(options, handler).await?;
    println!("listening on {}", server.url());
    tracing::info!(url = %server.url(), "Alexa endpoint ready");
    server.run(shutdown_signal()).await?;
    tracing::info!("shut down");
    Ok(())
}

/// Completes on SIGTERM (what container platforms send) or Ctrl-C.
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("a SIGTERM handler can be installed");
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
