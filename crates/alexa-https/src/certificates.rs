//! Fetching and caching signing-certificate chains (docs/request-signatures.md, "Fetching" and
//! "Caching").
//!
//! Two pools, so that what an attacker can make us fetch never pushes out what Alexa uses:
//! - **proven** chains, each of which has verified the signature of a request (so Amazon signs
//!   with it), with what that verification proved ([`VerifiedChain`]); only another proven chain
//!   can take a proven chain's place;
//! - **recent** URLs: chains fetched but not yet proven, fetches in flight and failures (the
//!   short negative cache). Anyone can put URLs here, so it is small and evicts among itself.
//!
//! A fetch runs in its own task with its own time budget and stores its result whatever the
//! request that started it does: a request that runs out of time only stops waiting, and that is
//! never remembered as a failure of the URL. New URLs are fetched at a bounded rate.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alexa_signature::{
    CertificateChain, CertificateChainUrl, ChainError, MAX_CHAIN_PEM_BYTES, VerifiedChain,
};
use tokio::sync::{Semaphore, watch};
use tokio::time::Instant;
use url::Url;

/// Most recent URLs kept at once (fetched chains not yet proven, fetches in flight, failures).
/// Alexa uses one URL at a time; a flood of distinct valid-form URLs must not grow memory.
pub const CACHE_CAPACITY: usize = 8;

/// Most proven chains kept at once: the current one and a few before or after a rotation.
pub const PROVEN_CAPACITY: usize = 4;

/// How long a failed fetch is remembered, so a broken URL cannot make every request fetch.
pub const NEGATIVE_CACHE_SECONDS: i64 = 5;

/// Most fetches running at once, across all URLs.
pub const MAX_CONCURRENT_FETCHES: usize = 4;

/// New URLs fetched per second once the burst is spent: Amazon rotates its chain rarely, so one
/// a second is far above what Alexa needs and bounds what unsigned requests can make us fetch.
pub const NEW_URLS_PER_SECOND: u32 = 1;

/// New URLs that may be fetched at once before [`NEW_URLS_PER_SECOND`] applies.
pub const NEW_URL_BURST: u32 = 8;

/// Connect timeout of one fetch attempt.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// Total time one fetch attempt may take.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);

/// Total time a fetch (both attempts) may take, counted from its start, whoever waits for it.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(4);

/// The base certificates are fetched from in production.
pub const AMAZON_CERTIFICATE_BASE: &str = "https://s3.amazonaws.com";

/// Why no chain could be had for a URL.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
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
    #[error("too many new certificate URLs were named in the last seconds; not fetched")]
    RateLimited,
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
            Self::RateLimited => "fetch_rate_limited",
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

    /// Says something about the URL (worth remembering for [`NEGATIVE_CACHE_SECONDS`]), rather
    /// than about this server's load or one request's deadline.
    fn is_about_the_url(&self) -> bool {
        !matches!(self, Self::NoTimeLeft | Self::RateLimited)
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

/// A chain from the cache, with the time it was fetched and, once it has verified a request,
/// what that verification proved.
#[derive(Clone, Debug)]
pub struct CachedChain {
    pub chain: Arc<CertificateChain>,
    pub fetched_at: jiff::Timestamp,
    /// Set on proven chains only (see [`CertificateStore::prove`]).
    pub verified: Option<Arc<VerifiedChain>>,
}

/// What a fetch ended with: the chain, or the failure and when it happened.
type Fetched = Result<CachedChain, (FetchError, jiff::Timestamp)>;

/// `None` while the fetch runs.
type FetchResult = watch::Receiver<Option<Fetched>>;

struct Recent {
    result: FetchResult,
    /// Tells this entry apart from a later one for the same URL.
    generation: u64,
    last_used: u64,
}

struct Proven {
    chain: CachedChain,
    last_used: u64,
}

/// A token bucket: [`NEW_URL_BURST`] tokens, refilled at [`NEW_URLS_PER_SECOND`].
struct NewUrlBudget {
    tokens: f64,
    refilled_at: Instant,
}

impl NewUrlBudget {
    fn take(&mut self, now: Instant) -> bool {
        let elapsed = now
            .saturating_duration_since(self.refilled_at)
            .as_secs_f64();
        self.tokens =
            (self.tokens + elapsed * f64::from(NEW_URLS_PER_SECOND)).min(f64::from(NEW_URL_BURST));
        self.refilled_at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

struct Entries {
    proven: HashMap<String, Proven>,
    recent: HashMap<String, Recent>,
    new_urls: NewUrlBudget,
    clock: u64,
}

/// Bounded caches of parsed chains keyed by normalized URL (the proven and the recent pool),
/// with single-flight fetching (concurrent misses on one URL share one fetch), a short negative
/// cache, and a bound on how many new URLs are fetched per second.
pub struct CertificateStore {
    fetcher: Arc<dyn CertificateFetcher>,
    entries: Arc<Mutex<Entries>>,
    fetches: Arc<Semaphore>,
}

impl std::fmt::Debug for CertificateStore {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let entries = self.entries.lock().expect("not poisoned");
        formatter
            .debug_struct("CertificateStore")
            .field("proven", &entries.proven.len())
            .field("recent", &entries.recent.len())
            .finish()
    }
}

impl CertificateStore {
    pub fn new(fetcher: Arc<dyn CertificateFetcher>) -> Self {
        Self {
            fetcher,
            entries: Arc::new(Mutex::new(Entries {
                proven: HashMap::new(),
                recent: HashMap::new(),
                new_urls: NewUrlBudget {
                    tokens: f64::from(NEW_URL_BURST),
                    refilled_at: Instant::now(),
                },
                clock: 0,
            })),
            fetches: Arc::new(Semaphore::new(MAX_CONCURRENT_FETCHES)),
        }
    }

    /// How many URLs are cached (proven chains, and recent chains, failures and fetches in
    /// flight).
    pub fn len(&self) -> usize {
        let entries = self.entries.lock().expect("not poisoned");
        entries.proven.len() + entries.recent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many proven chains are cached.
    pub fn proven_len(&self) -> usize {
        self.entries.lock().expect("not poisoned").proven.len()
    }

    /// The parsed chain at `url`, from the cache or fetched. `now` is the wall-clock time (for
    /// the negative cache), `deadline` the time this caller stops waiting for a fetch; the fetch
    /// itself goes on (for at most [`FETCH_TIMEOUT`]) and its result is kept for the next caller.
    pub async fn chain(
        &self,
        url: &CertificateChainUrl,
        now: jiff::Timestamp,
        deadline: Instant,
    ) -> Result<CachedChain, FetchError> {
        let mut result = match self.lookup_or_fetch(url, now)? {
            Lookup::Proven(chain) => return Ok(chain),
            Lookup::Wait(result) => result,
        };
        let waited = tokio::time::timeout_at(deadline, result.wait_for(Option::is_some)).await;
        match waited {
            Ok(Ok(fetched)) => match fetched.as_ref().expect("waited for Some") {
                Ok(chain) => Ok(chain.clone()),
                Err((error, _)) => Err(error.clone()),
            },
            // The fetch task ended without a result: it cannot, short of a panic.
            Ok(Err(_)) => Err(FetchError::Transport("the fetch task stopped".to_owned())),
            Err(_) => Err(FetchError::NoTimeLeft),
        }
    }

    /// Keeps `chain`, which has just verified a request signed with it, in the proven pool with
    /// what its verification proved. Only another proven chain can push it out.
    pub fn prove(&self, url: &CertificateChainUrl, chain: &CachedChain, verified: VerifiedChain) {
        let mut entries = self.entries.lock().expect("not poisoned");
        entries.clock += 1;
        let tick = entries.clock;
        entries.recent.remove(url.as_str());
        if !entries.proven.contains_key(url.as_str())
            && entries.proven.len() >= PROVEN_CAPACITY
            && let Some(key) = least_recently_used(
                entries
                    .proven
                    .iter()
                    .map(|(key, entry)| (key, entry.last_used)),
            )
        {
            entries.proven.remove(&key);
        }
        let mut chain = chain.clone();
        chain.verified = Some(Arc::new(verified));
        entries.proven.insert(
            url.as_str().to_owned(),
            Proven {
                chain,
                last_used: tick,
            },
        );
    }

    /// Drops the entry for `url` if it still holds `chain` (and not a newer copy), proven or not.
    pub fn evict(&self, url: &CertificateChainUrl, chain: &CachedChain) {
        let mut entries = self.entries.lock().expect("not poisoned");
        let proven_holds_it = entries
            .proven
            .get(url.as_str())
            .is_some_and(|entry| Arc::ptr_eq(&entry.chain.chain, &chain.chain));
        if proven_holds_it {
            entries.proven.remove(url.as_str());
        }
        let recent_holds_it = entries.recent.get(url.as_str()).is_some_and(|entry| {
            matches!(&*entry.result.borrow(), Some(Ok(cached)) if Arc::ptr_eq(&cached.chain, &chain.chain))
        });
        if recent_holds_it {
            entries.recent.remove(url.as_str());
        }
    }

    /// The proven chain, or a recent entry (ready or in flight), or a fetch started now.
    fn lookup_or_fetch(
        &self,
        url: &CertificateChainUrl,
        now: jiff::Timestamp,
    ) -> Result<Lookup, FetchError> {
        let mut entries = self.entries.lock().expect("not poisoned");
        entries.clock += 1;
        let tick = entries.clock;
        if let Some(proven) = entries.proven.get_mut(url.as_str()) {
            proven.last_used = tick;
            return Ok(Lookup::Proven(proven.chain.clone()));
        }
        let stale_failure = entries.recent.get(url.as_str()).is_some_and(|entry| {
            matches!(&*entry.result.borrow(), Some(Err((_, failed_at)))
                if now.as_second() - failed_at.as_second() >= NEGATIVE_CACHE_SECONDS)
        });
        if stale_failure {
            entries.recent.remove(url.as_str());
        }
        if let Some(entry) = entries.recent.get_mut(url.as_str()) {
            entry.last_used = tick;
            return Ok(Lookup::Wait(entry.result.clone()));
        }
        if !entries.new_urls.take(Instant::now()) {
            return Err(FetchError::RateLimited);
        }
        if entries.recent.len() >= CACHE_CAPACITY
            && let Some(key) = least_recently_used(
                entries
                    .recent
                    .iter()
                    .map(|(key, entry)| (key, entry.last_used)),
            )
        {
            // A fetch in flight for the evicted URL still completes for its waiters.
            entries.recent.remove(&key);
        }
        let (sender, result) = watch::channel(None);
        entries.recent.insert(
            url.as_str().to_owned(),
            Recent {
                result: result.clone(),
                generation: tick,
                last_used: tick,
            },
        );
        drop(entries);
        tokio::spawn(fetch(
            self.fetcher.clone(),
            self.fetches.clone(),
            self.entries.clone(),
            url.clone(),
            now,
            tick,
            sender,
        ));
        Ok(Lookup::Wait(result))
    }
}

/// What [`CertificateStore::lookup_or_fetch`] found.
enum Lookup {
    Proven(CachedChain),
    /// A fetch's result, there already or to come.
    Wait(FetchResult),
}

fn least_recently_used<'a>(entries: impl Iterator<Item = (&'a String, u64)>) -> Option<String> {
    entries
        .min_by_key(|(_, last_used)| *last_used)
        .map(|(key, _)| key.clone())
}

/// One fetch, with its own budget: its result does not depend on who waits for it.
async fn fetch(
    fetcher: Arc<dyn CertificateFetcher>,
    fetches: Arc<Semaphore>,
    entries: Arc<Mutex<Entries>>,
    url: CertificateChainUrl,
    now: jiff::Timestamp,
    generation: u64,
    sender: watch::Sender<Option<Fetched>>,
) {
    let deadline = Instant::now() + FETCH_TIMEOUT;
    let fetched = match tokio::time::timeout_at(deadline, fetches.acquire()).await {
        Ok(Ok(_permit)) => fetcher.fetch(&url, deadline).await,
        // Busy with other fetches the whole budget long: says nothing about this URL.
        _ => Err(FetchError::NoTimeLeft),
    };
    let fetched = fetched
        .and_then(|pem| CertificateChain::from_pem(&pem).map_err(FetchError::Chain))
        .map(|chain| CachedChain {
            chain: Arc::new(chain),
            fetched_at: now,
            verified: None,
        });
    if let Err(error) = &fetched
        && !error.is_about_the_url()
    {
        // Forget the attempt, so the next request tries again.
        let mut entries = entries.lock().expect("not poisoned");
        if entries
            .recent
            .get(url.as_str())
            .is_some_and(|entry| entry.generation == generation)
        {
            entries.recent.remove(url.as_str());
        }
    }
    let _ = sender.send(Some(fetched.map_err(|error| (error, now))));
}
