//! Certificate fetching and caching (H4–H8): a fake fetcher and a fake clock in-process, and the
//! real HTTPS fetcher against a misbehaving loopback server.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alexa_https::certificates::{CACHE_CAPACITY, NEGATIVE_CACHE_SECONDS, NEW_URLS_PER_SECOND};
use alexa_https::{
    CertificateFetcher, CertificateStore, Clock, Endpoint, FetchError, HttpsCertificateFetcher,
    Rejection, ReplayCache,
};
use alexa_model::SkillId;
use alexa_signature::{CertificateChainUrl, RequestVerifier, TrustAnchors};
use devstack::alexa_signer::{AlexaSigner, LeafValidity};
use tokio::time::Instant;

use crate::support::{FakeClock, RecordingHandler, SKILL_ID, launch_request, signed_headers};

/// Serves whatever `documents` says for a path, counting calls, after an optional delay; keeps
/// to the deadline it is given, as the HTTPS fetcher does.
#[derive(Default)]
struct FakeFetcher {
    documents: Mutex<HashMap<String, Result<Vec<u8>, FetchError>>>,
    calls: AtomicUsize,
    paths: Mutex<Vec<String>>,
    delay: Mutex<Duration>,
}

impl FakeFetcher {
    fn set(&self, path: &str, document: Result<Vec<u8>, FetchError>) {
        self.documents
            .lock()
            .unwrap()
            .insert(path.to_owned(), document);
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    fn calls_for(&self, path: &str) -> usize {
        self.paths
            .lock()
            .unwrap()
            .iter()
            .filter(|fetched| *fetched == path)
            .count()
    }
}

#[async_trait::async_trait]
impl CertificateFetcher for FakeFetcher {
    async fn fetch(
        &self,
        url: &CertificateChainUrl,
        deadline: Instant,
    ) -> Result<Vec<u8>, FetchError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.paths.lock().unwrap().push(url.path().to_owned());
        if Instant::now() >= deadline {
            return Err(FetchError::NoTimeLeft);
        }
        let delay = *self.delay.lock().unwrap();
        if tokio::time::timeout_at(deadline, tokio::time::sleep(delay))
            .await
            .is_err()
        {
            return Err(FetchError::Timeout);
        }
        self.documents
            .lock()
            .unwrap()
            .get(url.path())
            .cloned()
            .unwrap_or(Err(FetchError::Status(404)))
    }
}

struct Fixture {
    signer: AlexaSigner,
    fetcher: Arc<FakeFetcher>,
    clock: Arc<FakeClock>,
    handler: Arc<RecordingHandler>,
    endpoint: Endpoint,
}

impl Fixture {
    async fn new() -> Self {
        let signer = AlexaSigner::start().await.unwrap();
        let fetcher = Arc::new(FakeFetcher::default());
        fetcher.set(
            "/echo.api/devstack-signing-chain.pem",
            Ok(signer.chain_pem().as_bytes().to_vec()),
        );
        let clock = FakeClock::starting_now();
        let handler = Arc::new(RecordingHandler::default());
        let anchors =
            TrustAnchors::mozilla_roots_and_test_anchors(signer.root_pem().as_bytes()).unwrap();
        let endpoint = Endpoint::new(
            RequestVerifier::with_trust_anchors(SkillId::parse(SKILL_ID).unwrap(), anchors),
            CertificateStore::new(fetcher.clone()),
            clock.clone(),
            handler.clone(),
        );
        Self {
            signer,
            fetcher,
            clock,
            handler,
            endpoint,
        }
    }

    /// Verifies a request signed now (by the fake clock) whose header names `certificate_url`.
    async fn verify_with_url(&self, certificate_url: &str) -> Result<serde_json::Value, Rejection> {
        let body = launch_request(self.clock.now());
        let mut headers = signed_headers(&self.signer, &body);
        headers.insert("SignatureCertChainUrl", certificate_url.parse().unwrap());
        self.endpoint
            .verify(&headers, body.as_bytes(), Instant::now())
            .await
    }

    async fn verify(&self) -> Result<serde_json::Value, Rejection> {
        self.verify_with_url(&self.signer.certificate_chain_url())
            .await
    }
}

fn reason(result: Result<serde_json::Value, Rejection>) -> &'static str {
    match result {
        Ok(_) => "accepted",
        Err(rejection) => rejection.reason_code(),
    }
}

#[tokio::test]
async fn h5_one_fetch_per_normalized_url() {
    let fixture = Fixture::new().await;
    assert_eq!(reason(fixture.verify().await), "accepted");
    assert_eq!(reason(fixture.verify().await), "accepted");
    assert_eq!(fixture.fetcher.calls(), 1);

    fixture.fetcher.set(
        "/echo.api/cert",
        Ok(fixture.signer.chain_pem().as_bytes().to_vec()),
    );
    for equivalent in [
        "https://s3.amazonaws.com:443/echo.api/cert",
        "https://s3.amazonaws.com/echo.api/../echo.api/cert",
        "https://s3.amazonaws.com/echo.api/../../echo.api/cert",
    ] {
        assert_eq!(
            reason(fixture.verify_with_url(equivalent).await),
            "accepted",
            "{equivalent}"
        );
    }
    assert_eq!(fixture.fetcher.calls(), 2, "U2, U3 and U29 share one entry");
    assert_eq!(fixture.endpoint.certificates().len(), 2);
    // The handler is not part of `Endpoint::verify`.
    assert_eq!(fixture.handler.calls(), 0);
}

#[tokio::test]
async fn h4_failed_fetches_are_refused_remembered_briefly_and_never_cached_as_chains() {
    let fixture = Fixture::new().await;
    for (path, failure, expected_reason) in [
        ("/echo.api/404", FetchError::Status(404), "fetch_status"),
        ("/echo.api/500", FetchError::Status(500), "fetch_status"),
        ("/echo.api/timeout", FetchError::Timeout, "fetch_timeout"),
        ("/echo.api/redirect", FetchError::Redirect, "fetch_redirect"),
    ] {
        fixture.fetcher.set(path, Err(failure));
        let url = format!("https://s3.amazonaws.com{path}");
        let calls = fixture.fetcher.calls();
        assert_eq!(
            reason(fixture.verify_with_url(&url).await),
            expected_reason,
            "{path}"
        );
        assert_eq!(
            reason(fixture.verify_with_url(&url).await),
            expected_reason,
            "{path}"
        );
        assert_eq!(fixture.fetcher.calls(), calls + 1, "{path}: negative cache");
    }
    // After the negative-cache window the URL is tried again, and now it works.
    fixture.fetcher.set(
        "/echo.api/404",
        Ok(fixture.signer.chain_pem().as_bytes().to_vec()),
    );
    fixture.clock.advance_seconds(NEGATIVE_CACHE_SECONDS);
    let calls = fixture.fetcher.calls();
    assert_eq!(
        reason(
            fixture
                .verify_with_url("https://s3.amazonaws.com/echo.api/404")
                .await
        ),
        "accepted"
    );
    assert_eq!(fixture.fetcher.calls(), calls + 1);
    // A document that is not a chain is refused too.
    fixture
        .fetcher
        .set("/echo.api/garbage", Ok(b"garbage".to_vec()));
    assert_eq!(
        reason(
            fixture
                .verify_with_url("https://s3.amazonaws.com/echo.api/garbage")
                .await
        ),
        "chain_not_pem"
    );
}

#[tokio::test]
async fn h6_a_cached_chain_that_expires_is_refused_and_a_rotated_one_is_fetched() {
    let fixture = Fixture::new().await;
    let short_lived = fixture
        .signer
        .chain_with_leaf_validity(LeafValidity {
            not_before_seconds: -60,
            not_after_seconds: 600,
        })
        .unwrap();
    fixture.fetcher.set(
        "/echo.api/devstack-signing-chain.pem",
        Ok(short_lived.into_bytes()),
    );
    assert_eq!(reason(fixture.verify().await), "accepted");
    fixture.clock.advance_seconds(3600);
    // Cached, but expired now, and the server still has the old one: refused.
    assert_eq!(reason(fixture.verify().await), "chain_expired");
    assert_eq!(fixture.fetcher.calls(), 2, "one refetch, no more");
    assert_eq!(reason(fixture.verify().await), "chain_expired");
    assert_eq!(
        fixture.fetcher.calls(),
        2,
        "a copy fetched moments ago is not fetched again"
    );
    // Amazon rotates the chain: the next request after the window fetches it and passes.
    fixture.fetcher.set(
        "/echo.api/devstack-signing-chain.pem",
        Ok(fixture.signer.chain_pem().as_bytes().to_vec()),
    );
    fixture.clock.advance_seconds(NEGATIVE_CACHE_SECONDS);
    assert_eq!(reason(fixture.verify().await), "accepted");
    assert_eq!(fixture.fetcher.calls(), 3);
}

#[tokio::test]
async fn h7_the_cache_stays_bounded_under_many_distinct_urls() {
    let fixture = Fixture::new().await;
    for index in 0..100 {
        let url = format!("https://s3.amazonaws.com/echo.api/a{index}");
        let verdict = reason(fixture.verify_with_url(&url).await);
        assert!(
            ["fetch_status", "fetch_rate_limited"].contains(&verdict),
            "{verdict}"
        );
        assert!(fixture.endpoint.certificates().len() <= CACHE_CAPACITY);
    }
    assert_eq!(fixture.endpoint.certificates().len(), CACHE_CAPACITY);
    // Once the new-URL budget has refilled a little, the real chain works, evicting the least
    // recently used entry, and, proven, it leaves the pool of recent URLs.
    tokio::time::sleep(Duration::from_millis(1100 / NEW_URLS_PER_SECOND as u64)).await;
    assert_eq!(reason(fixture.verify().await), "accepted");
    assert_eq!(fixture.endpoint.certificates().len(), CACHE_CAPACITY);
    assert_eq!(fixture.endpoint.certificates().proven_len(), 1);
}

#[tokio::test]
async fn h8_concurrent_misses_share_one_fetch() {
    let fixture = Arc::new(Fixture::new().await);
    *fixture.fetcher.delay.lock().unwrap() = Duration::from_millis(200);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let fixture = fixture.clone();
            tokio::spawn(async move { reason(fixture.verify().await) })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), "accepted");
    }
    assert_eq!(fixture.fetcher.calls(), 1);
}

/// A loopback HTTP server that answers each path in its own bad way.
async fn misbehaving_server() -> (url::Url, Arc<AtomicUsize>) {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let router = axum::Router::new().fallback(move |uri: axum::http::Uri| {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            match uri.path() {
                "/echo.api/redirect" => (
                    StatusCode::MOVED_PERMANENTLY,
                    [("location", "/echo.api/ok")],
                )
                    .into_response(),
                "/echo.api/500" => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
                "/echo.api/slow" => {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "late".into_response()
                }
                "/echo.api/huge" => "x"
                    .repeat(alexa_signature::MAX_CHAIN_PEM_BYTES + 1)
                    .into_response(),
                "/echo.api/ok" => "fine".into_response(),
                _ => StatusCode::NOT_FOUND.into_response(),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = url::Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (base, hits)
}

#[tokio::test]
async fn the_https_fetcher_follows_no_redirect_caps_size_and_time_and_retries_once() {
    let (base, hits) = misbehaving_server().await;
    let fetcher = HttpsCertificateFetcher::with_base(base).unwrap();
    let fetch = |path: &str, budget: Duration| {
        let url = CertificateChainUrl::parse(&format!("https://s3.amazonaws.com{path}")).unwrap();
        let fetcher = fetcher.clone();
        async move { fetcher.fetch(&url, Instant::now() + budget).await }
    };
    let second = Duration::from_secs(1);
    assert_eq!(fetch("/echo.api/ok", second).await, Ok(b"fine".to_vec()));
    assert_eq!(
        fetch("/echo.api/redirect", second).await,
        Err(FetchError::Redirect)
    );
    assert_eq!(
        fetch("/echo.api/missing", second).await,
        Err(FetchError::Status(404))
    );
    assert_eq!(
        fetch("/echo.api/huge", second).await,
        Err(FetchError::TooLarge)
    );
    let before = hits.load(Ordering::SeqCst);
    assert_eq!(
        fetch("/echo.api/500", second).await,
        Err(FetchError::Status(500))
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        before + 2,
        "a 5xx is retried once"
    );
    let before = hits.load(Ordering::SeqCst);
    let started = std::time::Instant::now();
    assert_eq!(
        fetch("/echo.api/slow", Duration::from_millis(300)).await,
        Err(FetchError::Timeout)
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "the deadline caps the fetch"
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        before + 1,
        "no retry once the deadline is near"
    );
}

/// Verifies a request whose own answer window is already gone (its body arrived long ago, as
/// with a sender that trickled it), naming `certificate_url`.
async fn verify_out_of_time(fixture: &Fixture, certificate_url: &str) -> &'static str {
    let body = launch_request(fixture.clock.now());
    let mut headers = signed_headers(&fixture.signer, &body);
    headers.insert("SignatureCertChainUrl", certificate_url.parse().unwrap());
    let long_ago = Instant::now().checked_sub(Duration::from_secs(30)).unwrap();
    reason(
        fixture
            .endpoint
            .verify(&headers, body.as_bytes(), long_ago)
            .await,
    )
}

#[tokio::test]
async fn a_request_out_of_time_is_refused_without_making_the_url_fail_for_the_next() {
    let fixture = Fixture::new().await;
    *fixture.fetcher.delay.lock().unwrap() = Duration::from_millis(50);
    let real_url = fixture.signer.certificate_chain_url();
    assert_eq!(
        verify_out_of_time(&fixture, &real_url).await,
        "fetch_no_time_left"
    );
    // The next request, with its whole budget, is served: the first one's lack of time was not
    // remembered as a failure of the URL.
    for _ in 0..3 {
        assert_eq!(reason(fixture.verify().await), "accepted");
    }
}

#[tokio::test]
async fn failing_urls_never_push_out_the_chain_that_verified_requests() {
    let fixture = Fixture::new().await;
    assert_eq!(reason(fixture.verify().await), "accepted");
    let calls = fixture.fetcher.calls();
    for index in 0..(2 * CACHE_CAPACITY) {
        let url = format!("https://s3.amazonaws.com/echo.api/other-{index}.pem");
        assert_ne!(reason(fixture.verify_with_url(&url).await), "accepted");
    }
    assert_eq!(reason(fixture.verify().await), "accepted");
    assert_eq!(
        fixture
            .fetcher
            .calls_for("/echo.api/devstack-signing-chain.pem"),
        1,
        "the real chain stayed cached"
    );
    assert!(fixture.fetcher.calls() > calls, "the other URLs were tried");
}

#[tokio::test]
async fn new_urls_are_fetched_at_a_bounded_rate() {
    let fixture = Fixture::new().await;
    let started = std::time::Instant::now();
    let mut reasons = HashMap::new();
    for index in 0..200 {
        let url = format!("https://s3.amazonaws.com/echo.api/flood-{index}.pem");
        *reasons
            .entry(reason(fixture.verify_with_url(&url).await))
            .or_insert(0) += 1;
    }
    let seconds = started.elapsed().as_secs();
    // A burst, then about one a second: far fewer fetches than URLs named.
    let bound = 8 + 2 * (seconds as usize + 1);
    assert!(
        fixture.fetcher.calls() <= bound,
        "{} fetches for 200 new URLs in {seconds} s (at most {bound}): {reasons:?}",
        fixture.fetcher.calls()
    );
    assert!(reasons.contains_key("fetch_rate_limited"), "{reasons:?}");
}

#[tokio::test]
async fn the_chain_amazon_uses_stays_served_while_the_cache_is_poisoned() {
    // Issue 21: unsigned requests naming other well-formed certificate URLs push the good chain
    // out, then one whose body arrives too late names the real URL; its "no time left" must not
    // make genuine requests fail.
    let fixture = Fixture::new().await;
    let real_url = fixture.signer.certificate_chain_url();
    assert_eq!(reason(fixture.verify().await), "accepted");
    for round in 0..3 {
        for index in 0..=CACHE_CAPACITY {
            let url = format!("https://s3.amazonaws.com/echo.api/poison-{round}-{index}.pem");
            let body = launch_request(fixture.clock.now());
            let mut headers = signed_headers(&fixture.signer, "unsigned");
            headers.insert("SignatureCertChainUrl", url.parse().unwrap());
            let refused = fixture
                .endpoint
                .verify(&headers, body.as_bytes(), Instant::now())
                .await;
            assert!(refused.is_err());
        }
        // Unsigned, naming the real URL, its body in after its time was up.
        let body = launch_request(fixture.clock.now());
        let mut headers = signed_headers(&fixture.signer, "unsigned");
        headers.insert("SignatureCertChainUrl", real_url.parse().unwrap());
        let long_ago = Instant::now().checked_sub(Duration::from_secs(30)).unwrap();
        let slow = fixture
            .endpoint
            .verify(&headers, body.as_bytes(), long_ago)
            .await;
        assert!(slow.is_err());
        let mut refused = Vec::new();
        for _ in 0..12 {
            let verdict = reason(fixture.verify().await);
            if verdict != "accepted" {
                refused.push(verdict);
            }
        }
        assert_eq!(refused, Vec::<&str>::new(), "round {round}");
    }
}

#[test]
fn the_replay_cache_forgets_a_request_once_its_timestamp_is_out_of_the_window_and_stays_bounded() {
    let now = jiff::Timestamp::now();
    let event = serde_json::from_str::<serde_json::Value>(&launch_request(now)).unwrap();
    let replays = ReplayCache::with_capacity(3);
    assert!(replays.first_time(b"one", &event, now));
    assert!(!replays.first_time(b"one", &event, now));
    // 150 s after its timestamp the request is still in the window; a millisecond later it is not
    // (the timestamp check refuses it from then on), and it is forgotten.
    let edge = now + jiff::SignedDuration::from_secs(150);
    assert!(!replays.first_time(b"one", &event, edge));
    let after = edge + jiff::SignedDuration::from_millis(1);
    assert!(replays.first_time(b"two", &event, after));
    assert_eq!(replays.len(), 1, "the first one was dropped");
    for signature in [b"3", b"4", b"5", b"6"] {
        assert!(replays.first_time(signature, &event, after));
        assert!(replays.len() <= 3);
    }
}
