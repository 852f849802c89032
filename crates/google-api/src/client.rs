//! The client handle and the one place that sends requests: auth header, per-attempt timeout, classification, retries.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;
use url::Url;

use crate::error::{body_excerpt, classify};
use crate::{AccessToken, Deadline, Endpoints, Error, RetryPolicy};

/// Typed calls to Google userinfo, Drive, Calendar and Sheets.
///
/// Build it once at start-up and clone it freely: clones share the
/// connection pool, endpoints and jitter source.
#[derive(Debug, Clone)]
pub struct Client {
    endpoints: Arc<Endpoints>,
    http: reqwest::Client,
    retry_policy: RetryPolicy,
    jitter: Arc<Mutex<StdRng>>,
}

impl Client {
    /// A client calling `endpoints` through `http`, with the default
    /// [`RetryPolicy`].
    pub fn new(endpoints: Endpoints, http: reqwest::Client) -> Self {
        // Jitter needs no cryptographic quality; the clock is a good enough
        // seed if the OS generator is unavailable.
        let jitter = StdRng::try_from_os_rng().unwrap_or_else(|_| {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_nanos());
            StdRng::seed_from_u64(nanos as u64)
        });
        Self {
            endpoints: Arc::new(endpoints),
            http,
            retry_policy: RetryPolicy::default(),
            jitter: Arc::new(Mutex::new(jitter)),
        }
    }

    /// The same client with another retry policy (tests use millisecond
    /// delays).
    pub fn with_retry_policy(mut self, retry_policy: RetryPolicy) -> Self {
        self.retry_policy = retry_policy;
        self
    }

    /// The endpoints this client calls.
    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry_policy
    }

    /// Sends `request` until it succeeds, fails for good, or retrying would
    /// pass the deadline, and parses the success body as `T`.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        access_token: &AccessToken,
        deadline: Deadline,
        request: Request,
    ) -> Result<T, Error> {
        let span = tracing::debug_span!(
            "google_api",
            operation = request.operation,
            http_method = %request.method,
        );
        async {
            let (status, body) = self
                .send_with_retries(access_token, deadline, &request)
                .await?;
            serde_json::from_slice(&body).map_err(|error| {
                tracing::warn!(status, %error, "google response body not understood");
                Error::BadResponse {
                    status,
                    detail: error.to_string(),
                    body: body_excerpt(&body),
                }
            })
        }
        .instrument(span)
        .await
    }

    async fn send_with_retries(
        &self,
        access_token: &AccessToken,
        deadline: Deadline,
        request: &Request,
    ) -> Result<(u16, Vec<u8>), Error> {
        let policy = self.retry_policy;
        let mut attempts_made = 0_u32;
        loop {
            let started = Instant::now();
            if started >= deadline.instant() {
                return Err(Error::DeadlineExceeded);
            }
            attempts_made += 1;
            let attempt_deadline = policy.attempt_deadline(started, deadline);
            let outcome =
                tokio::time::timeout_at(attempt_deadline, self.send_once(access_token, request))
                    .await;
            let failure = match outcome {
                Ok(Ok((status, body))) if (200..300).contains(&status) => {
                    tracing::debug!(attempt = attempts_made, status, "google call succeeded");
                    return Ok((status, body.bytes));
                }
                Ok(Ok((status, body))) => {
                    let error = classify(status, body.www_authenticate.as_deref(), &body.bytes);
                    tracing::debug!(attempt = attempts_made, status, error = %error, "google call failed");
                    Failure::response(error)
                }
                Ok(Err(transport)) => {
                    tracing::debug!(attempt = attempts_made, error = %transport.detail, "google call failed to connect or read");
                    transport.into_failure()
                }
                Err(_elapsed) if attempt_deadline >= deadline.instant() => {
                    tracing::debug!(
                        attempt = attempts_made,
                        "google call cut off by the caller's deadline"
                    );
                    return Err(Error::DeadlineExceeded);
                }
                Err(_elapsed) => {
                    tracing::debug!(attempt = attempts_made, "google call attempt timed out");
                    Failure::timed_out(policy.attempt_timeout)
                }
            };

            if !failure.may_retry(request.idempotent) {
                return Err(failure.error);
            }
            let unit_random: f64 = match self.jitter.lock() {
                Ok(mut generator) => generator.random(),
                // A panic elsewhere while holding the lock cannot corrupt a
                // random number generator in a way that matters here.
                Err(poisoned) => poisoned.into_inner().random(),
            };
            let Some(delay) = policy.delay_before_next_attempt(
                attempts_made,
                unit_random,
                Instant::now(),
                deadline,
                started.elapsed(),
            ) else {
                tracing::warn!(attempts = attempts_made, error = %failure.error, "google call failed; no retry fits before the deadline");
                return Err(failure.error);
            };
            tracing::info!(
                attempt = attempts_made,
                error = %failure.error,
                retry_in_ms = delay.as_millis() as u64,
                "retrying google call"
            );
            tokio::time::sleep(delay).await;
        }
    }

    async fn send_once(
        &self,
        access_token: &AccessToken,
        request: &Request,
    ) -> Result<(u16, ResponseBody), TransportError> {
        // reqwest marks a bearer header sensitive, so it stays out of its
        // own debug output too.
        let mut builder = self
            .http
            .request(request.method.clone(), request.url.clone())
            .bearer_auth(access_token.secret())
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(json) = &request.json_body {
            builder = builder.json(json);
        }
        let response = builder.send().await.map_err(TransportError::from_send)?;
        let status = response.status().as_u16();
        let www_authenticate = response
            .headers()
            .get(reqwest::header::WWW_AUTHENTICATE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let bytes = response.bytes().await.map_err(TransportError::from_body)?;
        Ok((
            status,
            ResponseBody {
                www_authenticate,
                bytes: bytes.to_vec(),
            },
        ))
    }
}

/// One API call, described before it is sent (possibly several times).
#[derive(Debug)]
pub(crate) struct Request {
    /// Google's method id (`drive.files.list`), for tracing.
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) json_body: Option<serde_json::Value>,
    /// Whether repeating the request after Google may have acted on it is
    /// harmless. Appending a row is not: a 5xx or timeout after the row was
    /// written would write it twice, so such requests are only retried when
    /// Google certainly did nothing (rate limits, refused connections).
    pub(crate) idempotent: bool,
}

impl Request {
    pub(crate) fn get(operation: &'static str, url: Url) -> Self {
        Self {
            operation,
            method: Method::GET,
            url,
            json_body: None,
            idempotent: true,
        }
    }

    pub(crate) fn post(operation: &'static str, url: Url, json_body: serde_json::Value) -> Self {
        Self {
            operation,
            method: Method::POST,
            url,
            json_body: Some(json_body),
            idempotent: false,
        }
    }
}

struct ResponseBody {
    www_authenticate: Option<String>,
    bytes: Vec<u8>,
}

/// A failed attempt and whether Google can have acted on the request.
struct Failure {
    error: Error,
    request_certainly_not_processed: bool,
}

impl Failure {
    fn response(error: Error) -> Self {
        // A rate-limit rejection means the request was refused, not run.
        let request_certainly_not_processed = matches!(error, Error::RateLimited);
        Self {
            error,
            request_certainly_not_processed,
        }
    }

    fn timed_out(attempt_timeout: Duration) -> Self {
        Self {
            error: Error::Unavailable {
                detail: format!("no answer within {} ms", attempt_timeout.as_millis()),
            },
            request_certainly_not_processed: false,
        }
    }

    fn may_retry(&self, idempotent: bool) -> bool {
        self.error.is_retryable() && (idempotent || self.request_certainly_not_processed)
    }
}

struct TransportError {
    detail: String,
    connect: bool,
}

impl TransportError {
    fn from_send(error: reqwest::Error) -> Self {
        Self {
            connect: error.is_connect(),
            detail: describe_transport_error("sending the request failed", error),
        }
    }

    fn from_body(error: reqwest::Error) -> Self {
        Self {
            connect: false,
            detail: describe_transport_error("reading the response failed", error),
        }
    }

    fn into_failure(self) -> Failure {
        Failure {
            error: Error::Unavailable {
                detail: self.detail,
            },
            // A refused connection never carried the request.
            request_certainly_not_processed: self.connect,
        }
    }
}

/// The error and its causes, without the URL (its query may hold user
/// data such as a spreadsheet name; the token is never in it).
fn describe_transport_error(context: &str, error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut detail = format!("{context}: {error}");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        detail.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    detail
}
