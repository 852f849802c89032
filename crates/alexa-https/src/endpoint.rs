//! The HTTP side: routes, the body cap, and verification before the handler sees anything
//! (docs/request-signatures.md, "Pipeline order").

use std::sync::Arc;
use std::time::Duration;

use alexa_signature::{RequestVerifier, SignedRequest, VerificationError};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tokio::time::Instant;

use crate::certificates::{CertificateStore, FetchError, NEGATIVE_CACHE_SECONDS};
use crate::{Clock, Handler};

/// Largest request body accepted (Alexa's requests are a few KB).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The one body every refused request gets, whatever the reason.
pub const VERIFICATION_FAILED_BODY: &str = "request verification failed";

/// How long after a request arrives a certificate fetch must be done, leaving the handler most
/// of Alexa's 8-second answer window.
pub const FETCH_BUDGET: Duration = Duration::from_secs(4);

/// Why a request was refused (HTTP 400).
#[derive(Debug, thiserror::Error)]
pub enum Rejection {
    #[error(transparent)]
    Verification(#[from] VerificationError),
    #[error(transparent)]
    Fetch(#[from] FetchError),
}

impl Rejection {
    /// A short, stable name for logs and metrics.
    pub fn reason_code(&self) -> &'static str {
        match self {
            Self::Verification(error) => error.reason_code(),
            Self::Fetch(error) => error.reason_code(),
        }
    }
}

/// Everything a request needs: the verifier, the certificate cache, the clock and the handler.
pub struct Endpoint {
    verifier: RequestVerifier,
    certificates: CertificateStore,
    clock: Arc<dyn Clock>,
    handler: Arc<dyn Handler>,
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
            clock,
            handler,
        }
    }

    pub fn certificates(&self) -> &CertificateStore {
        &self.certificates
    }

    /// `POST /` (the skill) and `GET /health` (for load balancers). Other methods on `/` get
    /// 405, other paths 404.
    pub fn router(self: Arc<Self>) -> Router {
        Router::new()
            .route("/", post(answer))
            .route("/health", get(|| async { "ok" }))
            .with_state(self)
    }

    /// Checks one request and returns its parsed body: headers, certificate URL, chain (cached
    /// or fetched, validated now), signature over `body`, then timestamp and skill ID.
    pub async fn verify(
        &self,
        headers: &axum::http::HeaderMap,
        body: &[u8],
        arrived: Instant,
    ) -> Result<Value, Rejection> {
        let pairs = headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_bytes()));
        let signed = SignedRequest::from_headers(pairs)?;
        let url = signed.certificate_url();
        let deadline = arrived + FETCH_BUDGET;
        let now = self.clock.now();
        let cached = self.certificates.chain(url, now, deadline).await?;
        match self.verifier.verify(&signed, &cached.chain, body, now) {
            Err(VerificationError::Chain(error))
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
                Ok(self.verifier.verify(&signed, &fresh.chain, body, now)?)
            }
            result => Ok(result?),
        }
    }
}

async fn answer(State(endpoint): State<Arc<Endpoint>>, request: Request) -> Response {
    let arrived = Instant::now();
    let (parts, body) = request.into_parts();
    let declared_too_long = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<u64>().ok())
        .is_some_and(|length| length > MAX_BODY_BYTES as u64);
    if declared_too_long {
        return too_large();
    }
    let body = match http_body_util::Limited::new(body, MAX_BODY_BYTES)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => return too_large(),
        Err(_) => {
            return (StatusCode::BAD_REQUEST, "could not read the request body").into_response();
        }
    };
    let event = match endpoint.verify(&parts.headers, &body, arrived).await {
        Ok(event) => event,
        Err(rejection) => {
            // The reason code only: header values and the body stay out of the logs.
            tracing::warn!(reason = rejection.reason_code(), "refused an Alexa request");
            return (StatusCode::BAD_REQUEST, VERIFICATION_FAILED_BODY).into_response();
        }
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

fn too_large() -> Response {
    tracing::warn!(reason = "body_too_large", "refused an Alexa request");
    (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response()
}
