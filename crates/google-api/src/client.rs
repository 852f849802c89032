//! The client handle and the one place that sends requests: auth header, per-attempt timeout,
//! classification, retries. Public, so any Google REST API can be called through it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
pub use reqwest::Method;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;

use crate::endpoints::endpoint_url;
use crate::error::{body_excerpt, classify};
use crate::{AccessToken, Deadline, Endpoints, Error, RetryPolicy};

/// The largest answer body read from Google, in bytes (4 MiB). The skill's calls answer a few
/// kilobytes; anything larger is [`Error::ResponseTooLarge`] (docs/google-apis.md, "Rate limits
/// and retries").
pub const RESPONSE_SIZE_LIMIT: usize = 4 * 1024 * 1024;

/// The HTTP client Google calls should go through: like `reqwest::Client::new()` (and, like it,
/// it panics only if the TLS backend cannot start), but it never follows a redirect. Google's
/// REST APIs do not redirect; a redirect is a misbehaving proxy or a captive portal, and
/// following it would at best cost the answer budget and at worst carry the user's data to
/// another host. A 3xx then becomes an [`Error::Api`], answered like Google being unavailable.
pub fn default_http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("the HTTP client starts (reqwest::Client::new would panic here too)")
}

/// Jitter needs no cryptographic quality; the clock is a good enough seed if the OS generator is
/// unavailable.
fn seeded_jitter() -> StdRng {
    StdRng::try_from_os_rng().unwrap_or_else(|_| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos());
        StdRng::seed_from_u64(nanos as u64)
    })
}

/// An HTTP client built on first use ([`default_http_client`] unless one is given): building one
/// sets up TLS and a connection pool, which a process that answers without calling out (help,
/// stop, an unlinked user) should not pay for before its first request (the sample's Lambda binary
/// built three at start-up; scripts/bench-cold-start.sh measures the cold start).
#[derive(Debug, Default)]
pub struct LazyHttpClient(OnceLock<reqwest::Client>);

impl LazyHttpClient {
    /// A [`default_http_client`], built when first used.
    pub const fn new() -> LazyHttpClient {
        LazyHttpClient(OnceLock::new())
    }

    /// The client, built now if this is its first use.
    pub fn get(&self) -> &reqwest::Client {
        self.0.get_or_init(default_http_client)
    }
}

impl From<reqwest::Client> for LazyHttpClient {
    fn from(client: reqwest::Client) -> LazyHttpClient {
        LazyHttpClient(OnceLock::from(client))
    }
}

/// The Google client: endpoints, transport, retry policy.
///
/// Build it once at start-up and clone it freely: clones share the connection pool, endpoints
/// and jitter source. Calls are made through [`Client::for_user`], which binds the user's access
/// token and the caller's deadline.
#[derive(Debug, Clone)]
pub struct Client {
    endpoints: Arc<Endpoints>,
    transport: Arc<dyn Transport>,
    retry_policy: RetryPolicy,
    /// Seeded on the first retry: seeding is the process's first use of the CPU feature
    /// detection, which a request without a retry need not pay for at start-up.
    jitter: Arc<Mutex<Option<StdRng>>>,
}

impl Client {
    /// A client calling `endpoints` through `http`, with the default [`RetryPolicy`].
    pub fn new(endpoints: Endpoints, http: reqwest::Client) -> Self {
        Self::with_transport(endpoints, HttpTransport(http.into()))
    }

    /// A client calling `endpoints` through a [`default_http_client`] built on the first call
    /// ([`LazyHttpClient`]): what a skill binary uses, so a request without a Google call never
    /// builds one.
    pub fn with_default_http(endpoints: Endpoints) -> Self {
        Self::with_transport(endpoints, HttpTransport(LazyHttpClient::new()))
    }

    /// A client that sends every exchange through `transport` instead of HTTP: tests use a fake
    /// Google this way, and the retry, deadline and classification logic still runs.
    pub fn with_transport(endpoints: Endpoints, transport: impl Transport + 'static) -> Self {
        Self {
            endpoints: Arc::new(endpoints),
            transport: Arc::new(transport),
            retry_policy: RetryPolicy::default(),
            jitter: Arc::new(Mutex::new(None)),
        }
    }

    /// The same client with another retry policy (tests use millisecond delays).
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

    /// This client bound to one user's access token and one deadline: every call made through
    /// the result sends that token and returns by that deadline.
    pub fn for_user<'a>(
        &'a self,
        access_token: &'a AccessToken,
        deadline: Deadline,
    ) -> UserClient<'a> {
        self.bind(Some(access_token), deadline)
    }

    /// Like [`Client::for_user`], for a user who may not have linked: without a token every
    /// call fails with [`Error::NotLinked`] before anything is sent.
    pub fn bind<'a>(
        &'a self,
        access_token: Option<&'a AccessToken>,
        deadline: Deadline,
    ) -> UserClient<'a> {
        UserClient {
            client: self,
            access_token,
            deadline,
        }
    }

    async fn call<T: DeserializeOwned>(
        &self,
        access_token: &AccessToken,
        deadline: Deadline,
        request: &ApiRequest,
    ) -> Result<T, Error> {
        let span = tracing::debug_span!(
            "google_api",
            operation = request.operation,
            host = request.host.as_str(),
            http_method = %request.method,
        );
        async {
            let base = self.endpoints.base(&request.host)?;
            let mut url = endpoint_url(&base, &request.path);
            if !request.query.is_empty() {
                url.query_pairs_mut().extend_pairs(&request.query);
            }
            let (status, body) = self
                .send_with_retries(access_token, deadline, request, &url)
                .await?;
            parse_body(&body).map_err(|detail| {
                tracing::warn!(status, %detail, "google response body not understood");
                Error::BadResponse {
                    status,
                    detail,
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
        request: &ApiRequest,
        url: &url::Url,
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
            let exchange = Exchange {
                method: &request.method,
                url,
                access_token,
                json_body: request.json_body.as_ref(),
            };
            let outcome =
                tokio::time::timeout_at(attempt_deadline, self.transport.send(exchange)).await;
            let failure = match outcome {
                Ok(Ok(reply)) if reply.body.len() > RESPONSE_SIZE_LIMIT => {
                    tracing::warn!(
                        attempt = attempts_made,
                        status = reply.status,
                        limit = RESPONSE_SIZE_LIMIT,
                        "google answer too large; not read to the end"
                    );
                    // The same request would get the same answer: never retried.
                    return Err(Error::ResponseTooLarge {
                        limit: RESPONSE_SIZE_LIMIT,
                    });
                }
                Ok(Ok(reply)) if (200..300).contains(&reply.status) => {
                    tracing::debug!(
                        attempt = attempts_made,
                        status = reply.status,
                        "google call succeeded"
                    );
                    return Ok((reply.status, reply.body));
                }
                Ok(Ok(reply)) => {
                    let error =
                        classify(reply.status, reply.www_authenticate.as_deref(), &reply.body);
                    tracing::debug!(attempt = attempts_made, status = reply.status, error = %error, "google call failed");
                    let retry_after = reply.retry_after.as_deref().and_then(|value| {
                        crate::retry::parse_retry_after(value, jiff::Timestamp::now())
                    });
                    Failure {
                        retry_after,
                        ..Failure::response(error)
                    }
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

            if !failure.may_retry(request.idempotency) {
                return Err(failure.error);
            }
            // A panic elsewhere while holding the lock cannot corrupt a random number generator
            // in a way that matters here.
            let unit_random: f64 = self
                .jitter
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .get_or_insert_with(seeded_jitter)
                .random();
            // Google's own wait wins over the backoff: retrying sooner would be refused again.
            let next = match failure.retry_after {
                Some(retry_after) => policy.delay_for_retry_after(
                    attempts_made,
                    retry_after,
                    Instant::now(),
                    deadline,
                    started.elapsed(),
                ),
                None => policy.delay_before_next_attempt(
                    attempts_made,
                    unit_random,
                    Instant::now(),
                    deadline,
                    started.elapsed(),
                ),
            };
            let Some(delay) = next else {
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
}

/// A [`Client`] bound to one user's access token and the caller's deadline: what a skill's
/// intent handler receives. Cheap to copy; borrows the token, never copies it.
///
/// [`UserClient::get_json`], [`UserClient::post_json`] and [`UserClient::send`] reach any Google
/// REST API with the same retries, deadline and error classification as the typed calls
/// (`userinfo`, `recent_files`, `upcoming_events`, the Sheets calls).
#[derive(Debug, Clone, Copy)]
pub struct UserClient<'a> {
    client: &'a Client,
    access_token: Option<&'a AccessToken>,
    deadline: Deadline,
}

impl<'a> UserClient<'a> {
    /// The deadline every call through this client respects.
    pub fn deadline(&self) -> Deadline {
        self.deadline
    }

    /// Whether there is a token to send; without one every call is [`Error::NotLinked`].
    pub fn is_linked(&self) -> bool {
        self.access_token.is_some()
    }

    /// The underlying client.
    pub fn client(&self) -> &'a Client {
        self.client
    }

    /// Sends `request` until it succeeds, fails for good, or retrying would pass the deadline,
    /// and parses the success body as `T`.
    pub async fn send<T: DeserializeOwned>(&self, request: &ApiRequest) -> Result<T, Error> {
        let access_token = self.access_token.ok_or(Error::NotLinked)?;
        self.client.call(access_token, self.deadline, request).await
    }

    /// `GET https://{host}/{path}?{query}`: safe to repeat, so retried on every transient
    /// failure. `path` is relative and already percent-encoded (see [`encode_path_segment`](crate::encode_path_segment)).
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        host: &str,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, Error> {
        self.send(&ApiRequest::get(host, path).query(query)).await
    }

    /// `POST https://{host}/{path}?{query}` with a JSON body. `idempotency` says whether
    /// repeating the request after Google may have acted on it is harmless: a non-idempotent
    /// request is only retried when Google certainly did nothing (a rate limit, a refused
    /// connection).
    pub async fn post_json<T: DeserializeOwned>(
        &self,
        host: &str,
        path: &str,
        query: &[(&str, &str)],
        json_body: serde_json::Value,
        idempotency: Idempotency,
    ) -> Result<T, Error> {
        let request = ApiRequest::new(Method::POST, host, path)
            .query(query)
            .json_body(json_body)
            .idempotency(idempotency);
        self.send(&request).await
    }
}

/// Whether a request may be sent again after Google may have acted on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Repeating it is harmless (reads, PUTs of a whole resource): retried on any transient
    /// failure.
    Idempotent,
    /// Repeating it could act twice (appending a row, sending a mail): retried only when Google
    /// certainly did not process it.
    NotIdempotent,
}

/// One Google API request, described before it is sent (possibly several times).
#[derive(Debug, Clone)]
pub struct ApiRequest {
    operation: &'static str,
    method: Method,
    host: String,
    path: String,
    query: Vec<(String, String)>,
    json_body: Option<serde_json::Value>,
    idempotency: Idempotency,
}

impl ApiRequest {
    /// `method` on `https://{host}/{path}`. `path` is relative to the host and already
    /// percent-encoded. GET, HEAD, PUT and DELETE are idempotent by default, anything else not;
    /// say otherwise with [`ApiRequest::idempotency`].
    pub fn new(method: Method, host: &str, path: &str) -> Self {
        let idempotency = if matches!(
            method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE
        ) {
            Idempotency::Idempotent
        } else {
            Idempotency::NotIdempotent
        };
        Self {
            operation: "",
            method,
            host: host.to_owned(),
            path: path.to_owned(),
            query: Vec::new(),
            json_body: None,
            idempotency,
        }
    }

    /// A GET.
    pub fn get(host: &str, path: &str) -> Self {
        Self::new(Method::GET, host, path)
    }

    /// Adds query parameters (encoded here).
    pub fn query(mut self, parameters: &[(&str, &str)]) -> Self {
        self.query.extend(
            parameters
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned())),
        );
        self
    }

    /// Sends `json_body` as the request body.
    pub fn json_body(mut self, json_body: serde_json::Value) -> Self {
        self.json_body = Some(json_body);
        self
    }

    /// Overrides whether the request may be repeated.
    pub fn idempotency(mut self, idempotency: Idempotency) -> Self {
        self.idempotency = idempotency;
        self
    }

    /// Google's method id (`drive.files.list`), for traces.
    pub fn operation(mut self, operation: &'static str) -> Self {
        self.operation = operation;
        self
    }
}

/// A future boxed for a trait object.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How one attempt reaches Google: HTTP through reqwest in production, a fake in tests.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends one exchange and returns Google's reply, whatever its status.
    fn send<'a>(&'a self, exchange: Exchange<'a>) -> BoxFuture<'a, Result<Reply, TransportError>>;
}

/// What one attempt sends.
#[derive(Debug, Clone, Copy)]
pub struct Exchange<'a> {
    pub method: &'a Method,
    pub url: &'a url::Url,
    /// Sent as `Authorization: Bearer`; never logged.
    pub access_token: &'a AccessToken,
    pub json_body: Option<&'a serde_json::Value>,
}

/// What came back, for any status.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    /// The `WWW-Authenticate` header, which names missing scopes.
    pub www_authenticate: Option<String>,
    /// The `Retry-After` header as sent (seconds or an HTTP date): how long Google asks a
    /// rate-limited or unavailable caller to wait.
    pub retry_after: Option<String>,
    pub body: Vec<u8>,
}

/// The exchange failed before a reply arrived.
#[derive(Debug, Clone)]
pub struct TransportError {
    /// What failed, for logs (never the URL's query or the token).
    pub detail: String,
    /// The connection was refused, so the request was certainly not processed.
    pub connect: bool,
}

#[derive(Debug)]
struct HttpTransport(LazyHttpClient);

impl Transport for HttpTransport {
    fn send<'a>(&'a self, exchange: Exchange<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
        Box::pin(async move {
            // reqwest marks a bearer header sensitive, so it stays out of its own debug output.
            let mut builder = self
                .0
                .get()
                .request(exchange.method.clone(), exchange.url.clone())
                .bearer_auth(exchange.access_token.secret())
                .header(reqwest::header::ACCEPT, "application/json");
            if let Some(json) = exchange.json_body {
                builder = builder.json(json);
            }
            let response = builder.send().await.map_err(TransportError::from_send)?;
            let status = response.status().as_u16();
            let www_authenticate = response
                .headers()
                .get(reqwest::header::WWW_AUTHENTICATE)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned);
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned);
            let body = read_capped(response).await?;
            Ok(Reply {
                status,
                www_authenticate,
                retry_after,
                body,
            })
        })
    }
}

/// Reads the body, but never more than [`RESPONSE_SIZE_LIMIT`] + 1 bytes: one byte past the
/// limit is enough for the caller to see that the answer is too large, and a huge or endless body
/// is not held in memory. A `Content-Length` already past the limit stops before reading.
async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, TransportError> {
    let over_limit = RESPONSE_SIZE_LIMIT + 1;
    if response
        .content_length()
        .is_some_and(|length| length > RESPONSE_SIZE_LIMIT as u64)
    {
        return Ok(vec![0; over_limit]);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(TransportError::from_body)? {
        let room = over_limit - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= over_limit {
            break;
        }
    }
    Ok(body)
}

/// Parses a success body; on failure says where (the field path, line and column) and what kind
/// of mismatch, never the offending value: values are file names and event titles, personal data
/// that must stay out of logs.
pub(crate) fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.inner();
        let kind = match inner.classify() {
            serde_json::error::Category::Io => "could not be read",
            serde_json::error::Category::Syntax => "is not JSON",
            serde_json::error::Category::Data => "does not have the expected type or shape",
            serde_json::error::Category::Eof => "ends too early",
        };
        format!(
            "the body {kind} at `{path}` (line {}, column {})",
            inner.line(),
            inner.column()
        )
    })
}

/// A failed attempt and whether Google can have acted on the request.
struct Failure {
    error: Error,
    request_certainly_not_processed: bool,
    /// The wait Google asked for (`Retry-After`), if it named one.
    retry_after: Option<Duration>,
}

impl Failure {
    fn response(error: Error) -> Self {
        // A rate-limit rejection means the request was refused, not run.
        let request_certainly_not_processed = matches!(error, Error::RateLimited);
        Self {
            error,
            request_certainly_not_processed,
            retry_after: None,
        }
    }

    fn timed_out(attempt_timeout: Duration) -> Self {
        Self {
            error: Error::Unavailable {
                detail: format!("no answer within {} ms", attempt_timeout.as_millis()),
            },
            request_certainly_not_processed: false,
            retry_after: None,
        }
    }

    fn may_retry(&self, idempotency: Idempotency) -> bool {
        self.error.is_retryable()
            && (idempotency == Idempotency::Idempotent || self.request_certainly_not_processed)
    }
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
            retry_after: None,
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
