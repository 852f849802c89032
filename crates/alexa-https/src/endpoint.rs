//! The HTTP side: routes, the body cap and read timeout, and verification before the handler sees
//! anything (docs/request-signatures.md, "Pipeline order"): the signature headers before the
//! body is read, the chain and the signature once it has arrived, then the replay check.

use std::sync::Arc;
use std::time::Duration;

use alexa_signature::{
    CertificateChainUrl, RequestVerifier, SignedRequest, VerificationError, VerifiedChain,
};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tokio::time::Instant;

use crate::certificates::{CachedChain, CertificateStore, FetchError, NEGATIVE_CACHE_SECONDS};
use crate::connections::BODY_READ_TIMEOUT;
use crate::replay::ReplayCache;
use crate::{Clock, Handler};

/// Largest request body accepted (Alexa's requests are a few KB).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The one body every refused request gets, whatever the reason.
pub const VERIFICATION_FAILED_BODY: &str = "request verification failed";

/// How long a request waits for a certificate fetch, counted from when its body has arrived and
/// its signature headers were found well-formed (so a slow sender cannot spend it), leaving the
/// handler most of Alexa's 8-second answer window. The fetch itself is not cut short when a
/// request stops waiting: its result is kept for the next request.
pub const FETCH_BUDGET: Duration = Duration::from_secs(4);

/// Why a request was refused (HTTP 400).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    #[error(transparent)]
    Verification(#[from] VerificationError),
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("a request with this signature was verified before (a replay)")]
    Replayed,
}

impl Rejection {
    /// A short, stable name for logs and metrics.
    pub fn reason_code(&self) -> &'static str {
        match self {
            Self::Verification(error) => error.reason_code(),
            Self::Fetch(error) => error.reason_code(),
            Self::Replayed => "replayed",
        }
    }
}

/// Everything a request needs: the verifier, the certificate cache, the replay cache, the clock
/// and the handler.
pub struct Endpoint {
    verifier: RequestVerifier,
    certificates: CertificateStore,
    replays: ReplayCache,
    clock: Arc<dyn Clock>,
    handler: Arc<dyn Handler>,
    body_read_timeout: Duration,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Endpoint")
            .field("verifier", &self.verifier)
            .field("certificates", &self.certificates)
            .finish_non_exhaustive()
    }
}

impl Endpoint {
    pub fn new(
        verifier: RequestVerifier,
        certificates: CertificateStore,
        clock: Arc<dyn Clock>,
        handler: Arc<dyn Handler>,
    ) -> Self {
        Self {
            verifier,
            certificates,
            replays: ReplayCache::default(),
            clock,
            handler,
            body_read_timeout: BODY_READ_TIMEOUT,
        }
    }

    /// How long the body may take to arrive after the headers ([`BODY_READ_TIMEOUT`] unless
    /// set); a request over it gets 408 and its connection is closed.
    pub fn with_body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    pub fn certificates(&self) -> &CertificateStore {
        &self.certificates
    }

    pub fn replays(&self) -> &ReplayCache {
        &self.replays
    }

    /// `POST /` (the skill) and `GET /health` (for load balancers). Other methods on `/` get
    /// 405, other paths 404.
    pub fn router(self: Arc<Self>) -> Router {
        Router::new()
            .route("/", post(answer))
            .route("/health", get(|| async { "ok" }))
            .with_state(self)
    }

    /// Checks one request and returns its parsed body: headers, certificate URL, then as
    /// [`Endpoint::verify_signed`]. `body_arrived` is when the whole body had been read.
    pub async fn verify(
        &self,
        headers: &axum::http::HeaderMap,
        body: &[u8],
        body_arrived: Instant,
    ) -> Result<Value, Rejection> {
        let signed = signed_request(headers)?;
        self.verify_signed(&signed, body, body_arrived).await
    }

    /// The checks after the headers: chain (cached or fetched, valid now), signature over `body`,
    /// timestamp, skill ID, and that this signature was not verified before. A request waits for
    /// a fetch at most [`FETCH_BUDGET`] from `body_arrived`.
    pub async fn verify_signed(
        &self,
        signed: &SignedRequest,
        body: &[u8],
        body_arrived: Instant,
    ) -> Result<Value, Rejection> {
        let event = self.verify_signature(signed, body, body_arrived).await?;
        if !self
            .replays
            .first_time(signed.signature().as_bytes(), &event, self.clock.now())
        {
            return Err(Rejection::Replayed);
        }
        Ok(event)
    }

    async fn verify_signature(
        &self,
        signed: &SignedRequest,
        body: &[u8],
        body_arrived: Instant,
    ) -> Result<Value, Rejection> {
        let url = signed.certificate_url();
        let deadline = body_arrived + FETCH_BUDGET;
        let now = self.clock.now();
        let cached = self.certificates.chain(url, now, deadline).await?;
        if let Some(verified) = cached
            .verified
            .as_ref()
            .filter(|verified| verified.is_valid_at(now))
        {
            // What the chain's first verification proved still holds: only the signature and the
            // body are left to check.
            return Ok(self
                .verifier
                .verify_with_proof(signed, verified, body, now)?);
        }
        let trust_anchors = self.verifier.trust_anchors();
        match cached.chain.verify_for_reuse(trust_anchors, now) {
            Err(error)
                if error.is_about_time()
                    && now.as_second() - cached.fetched_at.as_second()
                        >= NEGATIVE_CACHE_SECONDS =>
            {
                // Amazon may have rotated the chain: drop the stale copy and fetch it once more.
                // Not for a copy fetched moments ago, so an expired chain cannot make every
                // request fetch.
                tracing::info!(
                    reason = error.reason_code(),
                    "cached certificate chain is no longer valid: fetching it again"
                );
                self.certificates.evict(url, &cached);
                let fresh = self.certificates.chain(url, now, deadline).await?;
                let verified = fresh
                    .chain
                    .verify_for_reuse(trust_anchors, now)
                    .map_err(VerificationError::from)?;
                self.prove(signed, url, &fresh, verified, body, now)
            }
            Err(error) => Err(VerificationError::from(error).into()),
            Ok(verified) => self.prove(signed, url, &cached, verified, body, now),
        }
    }

    /// The rest of the checks with a chain just verified at `now`; once a request verifies
    /// with it, the chain is proven (Amazon signs with it) and what it proved is kept.
    fn prove(
        &self,
        signed: &SignedRequest,
        url: &CertificateChainUrl,
        cached: &CachedChain,
        verified: VerifiedChain,
        body: &[u8],
        now: jiff::Timestamp,
    ) -> Result<Value, Rejection> {
        let event = self
            .verifier
            .verify_after_chain(signed, &verified, body, now)?;
        self.certificates.prove(url, cached, verified);
        Ok(event)
    }
}

fn signed_request(headers: &axum::http::HeaderMap) -> Result<SignedRequest, Rejection> {
    let pairs = headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_bytes()));
    Ok(SignedRequest::from_headers(pairs)?)
}

async fn answer(State(endpoint): State<Arc<Endpoint>>, request: Request) -> Response {
    let arrived = Instant::now();
    let (parts, body) = request.into_parts();
    // Before the body is read: a request without well-formed signature headers is refused
    // without waiting for a body that may never come.
    let signed = match signed_request(&parts.headers) {
        Ok(signed) => signed,
        Err(rejection) => return refused(&rejection, true),
    };
    let declared_too_long = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<u64>().ok())
        .is_some_and(|length| length > MAX_BODY_BYTES as u64);
    if declared_too_long {
        return too_large();
    }
    let collect = http_body_util::Limited::new(body, MAX_BODY_BYTES).collect();
    let body = match tokio::time::timeout(endpoint.body_read_timeout, collect).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => return too_large(),
        Ok(Err(_)) => {
            return close((StatusCode::BAD_REQUEST, "could not read the request body"));
        }
        Err(_) => {
            tracing::warn!(reason = "body_read_timeout", "refused an Alexa request");
            return close((
                StatusCode::REQUEST_TIMEOUT,
                "the request body arrived too slowly",
            ));
        }
    };
    let event = match endpoint.verify_signed(&signed, &body, Instant::now()).await {
        Ok(event) => event,
        Err(rejection) => return refused(&rejection, false),
    };
    match endpoint.handler.handle_json(event, arrived).await {
        Ok(answer) => (
            [(header::CONTENT_TYPE, "application/json")],
            Body::from(serde_json::to_vec(&answer).expect("a JSON value serializes")),
        )
            .into_response(),
        Err(error) => {
            tracing::error!(error = %error, "the skill failed to answer a verified request");
            (StatusCode::INTERNAL_SERVER_ERROR, "the skill failed").into_response()
        }
    }
}

/// 400 with the one fixed body; `body_unread` closes the connection, whose unread body would
/// otherwise have to be drained first.
fn refused(rejection: &Rejection, body_unread: bool) -> Response {
    // The reason code only: header values and the body stay out of the logs.
    tracing::warn!(reason = rejection.reason_code(), "refused an Alexa request");
    let response = (StatusCode::BAD_REQUEST, VERIFICATION_FAILED_BODY);
    if body_unread {
        close(response)
    } else {
        response.into_response()
    }
}

fn too_large() -> Response {
    tracing::warn!(reason = "body_too_large", "refused an Alexa request");
    close((StatusCode::PAYLOAD_TOO_LARGE, "request body too large"))
}

/// The response, and the connection closed after it (its request body was not read to the end).
fn close(response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    response.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    response
}
