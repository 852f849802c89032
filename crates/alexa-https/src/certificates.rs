//! Fetching and caching signing-certificate chains (docs/request-signatures.md, "Fetching" and
//! "Caching").
//!
//! The cache holds parsed chains, never a verdict: the chain is validated again at the current
//! time on every request, so an entry that expires while cached is refused (the Node SDK's
//! "expired but cached" bug cannot happen).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alexa_signature::{CertificateChain, CertificateChainUrl, ChainError, MAX_CHAIN_PEM_BYTES};
use tokio::sync::{OnceCell, Semaphore};
use tokio::time::Instant;
use url::Url;

/// Most chains kept at once. Alexa uses one URL at a time; a flood of distinct valid-form URLs
/// must not grow memory.
pub const CACHE_CAPACITY: usize = 8;

/// How long a failed fetch is remembered, so a broken URL cannot make every request fetch.
pub const NEGATIVE_CACHE_SECONDS: i64 = 5;

/// Most fetches running at once, across all URLs.
pub const MAX_CONCURRENT_FETCHES: usize = 4;

/// Connect timeout of one fetch attempt.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// Total time one fetch attempt may take.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);

/// The base certificates are fetched from in production.
pub const AMAZON_CERTIFICATE_BASE: &str = "https://s3.amazonaws.com";

/// Why no chain could be had for a URL.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("the certificate server answered HTTP {0}")]
    Status(u16),
    #[error("the certificate server answered with a redirect, which is not followed")]
    Redirect,
    #[error("the certificate chain is larger than {MAX_CHAIN_PEM_BYTES} bytes")]
    TooLarge,
    #[error("fetching the certificate chain timed out")]
    Timeout,
    #[error("fetching the certificate chain failed: {0}")]
    Transport(String),
    #[error("no time is left before the answer deadline to fetch the certificate chain")]
    NoTimeLeft,
    #[error("the fetched certificate chain cannot be used: {0}")]
    Chain(ChainError),
}

impl FetchError {
    /// A short, stable name for logs and metrics.
    pub fn reason_code(&self) -> &'static str {
        match self {
            Self::Status(_) => "fetch_status",
            Self::Redirect => "fetch_redirect",
            Self::TooLarge => "fetch_too_large",
            Self::Timeout => "fetch_timeout",
            Self::Transport(_) => "fetch_transport",
            Self::NoTimeLeft => "fetch_no_time_left",
            Self::Chain(error) => error.reason_code(),
        }
    }

    /// Worth one more attempt: the server or the network failed, not the request.
    fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Status(500..) | Self::Timeout | Self::Transport(_)
        )
    }
}

/// Gets the PEM text of a certificate chain.
#[async_trait::async_trait]
pub trait CertificateFetcher: Send + Sync + 'static {
    /// Fetches the chain at `url` (already checked and normalized), finishing before `deadline`.
    async fn fetch(
        &self,
        url: &CertificateChainUrl,
        deadline: Instant,
    ) -> Result<Vec<u8>, FetchError>;
}

/// Fetches chains over HTTPS with reqwest and rustls: no redirects, short timeouts, a size cap,
/// at most one retry and only when it fits before the deadline.
#[derive(Debug, Clone)]
pub struct HttpsCertificateFetcher {
    client: reqwest::Client,
    base: Url,
}

impl HttpsCertificateFetcher {
    /// Fetches from `https://s3.amazonaws.com`, as the URL says.
    pub fn new() -> Result<Self, reqwest::Error> {
        Self::with_base(Url::parse(AMAZON_CERTIFICATE_BASE).expect("a valid URL"))
    }

    /// Fetches from `base` instead, keeping the URL's path. For tests only
    /// (`--cert-fetch-base`); `base` may be plain `http://` on loopback.
    pub fn with_base(base: Url) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(ATTEMPT_TIMEOUT)
            .build()?;
        Ok(Self { client, base })
    }

    fn target(&self, url: &CertificateChainUrl) -> String {
        format!("{}{}", self.base.as_str().trim_end_matches('/'), url.path())
    }

    async fn attempt(&self, target: &str, deadline: Instant) -> Result<Vec<u8>, FetchError> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(FetchError::NoTimeLeft);
        }
        let timeout = left.min(ATTEMPT_TIMEOUT);
        let fetch = async {
            let mut response = self
                .client
                .get(target)
                .send()
                .await
                .map_err(transport_error)?;
            let status = response.status();
            if status.is_redirection() {
                return Err(FetchError::Redirect);
            }
            if status != reqwest::StatusCode::OK {
                return Err(FetchError::Status(status.as_u16()));
            }
            if response
                .content_length()
                .is_some_and(|length| length > MAX_CHAIN_PEM_BYTES as u64)
            {
                return Err(FetchError::TooLarge);
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
                if body.len() + chunk.len() > MAX_CHAIN_PEM_BYTES {
                    return Err(FetchError::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(body)
        };
        tokio::time::timeout(timeout, fetch)
            .await
            .unwrap_or(Err(FetchError::Timeout))
    }
}

fn transport_error(error: reqwest::Error) -> FetchError {
    if error.is_timeout() {
        FetchError::Timeout
    } else {
        // Without the URL: it is the normalized header value, which is not logged.
        FetchError::Transport(error.without_url().to_string())
    }
}

#[async_trait::async_trait]
impl CertificateFetcher for HttpsCertificateFetcher {
    async fn fetch(
        &self,
        url: &CertificateChainUrl,
        deadline: Instant,
    ) -> Result<Vec<u8>, FetchError> {
        let target = self.target(url);
        match self.attempt(&target, deadline).await {
            // One retry, and only if a useful attempt still fits before the deadline.
            Err(error)
                if error.is_transient()
                    && deadline.saturating_duration_since(Instant::now())
                        >= Duration::from_millis(500) =>
            {
                self.attempt(&target, deadline).await
            }
            result => result,
        }
    }
}

/// A chain from the cache, with the time it was fetched.
#[derive(Clone, Debug)]
pub struct CachedChain {
    pub chain: Arc<CertificateChain>,
    pub fetched_at: jiff::Timestamp,
}

type Fetched = Result<CachedChain, (FetchError, jiff::Timestamp)>;

struct Entry {
    cell: Arc<OnceCell<Fetched>>,
    last_used: u64,
}

#[derive(Default)]
struct Entries {
    by_url: HashMap<String, Entry>,
    clock: u64,
}

/// A bounded LRU cache of parsed chains keyed by normalized URL, with single-flight fetching
/// (concurrent misses on one URL share one fetch) and a short negative cache.
pub struct CertificateStore {
    fetcher: Arc<dyn CertificateFetcher>,
    entries: Mutex<Entries>,
    fetches: Semaphore,
}

impl std::fmt::Debug for CertificateStore {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("CertificateStore")
            .field("entries", &self.len())
            .finish()
    }
}

impl CertificateStore {
    pub fn new(fetcher: Arc<dyn CertificateFetcher>) -> Self {
        Self {
            fetcher,
            entries: Mutex::default(),
            fetches: Semaphore::new(MAX_CONCURRENT_FETCHES),
        }
    }

    /// How many URLs are cached (chains, failures and fetches in flight).
    pub fn len(&self) -> usize {
        self.entries.lock().expect("not poisoned").by_url.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The parsed chain at `url`, from the cache or fetched. `now` is the wall-clock time (for
    /// the negative cache), `deadline` the time the fetch must end by.
    pub async fn chain(
        &self,
        url: &CertificateChainUrl,
        now: jiff::Timestamp,
        deadline: Instant,
    ) -> Result<CachedChain, FetchError> {
        let cell = self.cell(url, now);
        let fetched = cell
            .get_or_init(|| async {
                let fetched = match self.fetches.acquire().await {
                    Ok(_permit) => self.fetcher.fetch(url, deadline).await,
                    Err(_) => Err(FetchError::NoTimeLeft),
                };
                fetched
                    .and_then(|pem| CertificateChain::from_pem(&pem).map_err(FetchError::Chain))
                    .map(|chain| CachedChain {
                        chain: Arc::new(chain),
                        fetched_at: now,
                    })
                    .map_err(|error| (error, now))
            })
            .await;
        fetched.clone().map_err(|(error, _)| error)
    }

    /// Drops the entry for `url` if it still holds `chain` (and not a newer copy).
    pub fn evict(&self, url: &CertificateChainUrl, chain: &CachedChain) {
        let mut entries = self.entries.lock().expect("not poisoned");
        let holds_it = entries.by_url.get(url.as_str()).is_some_and(|entry| {
            matches!(entry.cell.get(), Some(Ok(cached)) if Arc::ptr_eq(&cached.chain, &chain.chain))
        });
        if holds_it {
            entries.by_url.remove(url.as_str());
        }
    }

    fn cell(&self, url: &CertificateChainUrl, now: jiff::Timestamp) -> Arc<OnceCell<Fetched>> {
        let mut entries = self.entries.lock().expect("not poisoned");
        entries.clock += 1;
        let tick = entries.clock;
        let stale_failure = entries.by_url.get(url.as_str()).is_some_and(|entry| {
            matches!(entry.cell.get(), Some(Err((_, failed_at)))
                if now.as_second() - failed_at.as_second() >= NEGATIVE_CACHE_SECONDS)
        });
        if stale_failure {
            entries.by_url.remove(url.as_str());
        }
        if let Some(entry) = entries.by_url.get_mut(url.as_str()) {
            entry.last_used = tick;
            return entry.cell.clone();
        }
        if entries.by_url.len() >= CACHE_CAPACITY {
            let least_recently_used = entries
                .by_url
                .iter()
                .min_by_key(|(_, entry)| entry.last_used)
                .map(|(key, _)| key.clone());
            if let Some(key) = least_recently_used {
                // A fetch in flight for the evicted URL still completes for its waiters.
                entries.by_url.remove(&key);
            }
        }
        let cell = Arc::new(OnceCell::new());
        entries.by_url.insert(
            url.as_str().to_owned(),
            Entry {
                cell: cell.clone(),
                last_used: tick,
            },
        );
        cell
    }
}
