//! Injected faults: a middleware that answers matching requests with Google's failure responses,
//! or breaks the HTTP exchange itself (stalls, resets, oversized bodies, redirects).
//!
//! Faults run before authentication so a test gets exactly the failure it asked for whatever token
//! it sends. API paths get API error bodies; the OAuth JSON endpoints get OAuth-shaped bodies,
//! because that is what a client of `/token` parses. Faults below HTTP use the connection's
//! [`ConnectionControl`] (see `connections.rs`).
//!
//! The control API (in process and under `/__twin/`) is documented on the `google` module.

use std::{collections::VecDeque, sync::Arc, time::Duration};

use axum::{
    body::{Body, Bytes, HttpBody},
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde_json::json;

use super::{
    api_errors,
    config::{Fault, RedirectedRequest},
    connections::ConnectionControl,
    methods::{self, ApiMethod},
    state::Shared,
};

/// How long a reset-mid-body answer pauses after the first half, so hyper flushes it first.
const FLUSH_PAUSE: Duration = Duration::from_millis(100);

pub(crate) async fn apply_faults(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    if path.starts_with("/__twin/") {
        return next.run(request).await;
    }
    let http_method = request.method().as_str().to_string();
    let Some(fault) = take_fault(&shared, &http_method, &path) else {
        return next.run(request).await;
    };
    tracing::info!(%path, ?fault, "answering with an injected fault");
    let control = request
        .extensions()
        .get::<Arc<ConnectionControl>>()
        .cloned();
    match fault {
        Fault::Delay(delay) => {
            tokio::time::sleep(delay).await;
            next.run(request).await
        }
        Fault::StallAfterHeaders(stall) => {
            let (parts, bytes) = real_answer(request, next).await;
            let length = bytes.len();
            scripted(
                parts,
                length,
                vec![Step::Wait(stall), Step::Send(bytes)],
                control,
            )
        }
        Fault::ResetMidBody => {
            let (parts, bytes) = real_answer(request, next).await;
            let length = bytes.len();
            let half = bytes.slice(..length / 2);
            scripted(
                parts,
                length,
                vec![Step::Send(half), Step::Wait(FLUSH_PAUSE), Step::Reset],
                control,
            )
        }
        Fault::ResetConnection => match control {
            Some(control) => {
                control.reset();
                // Never written: the reset makes the first write fail.
                StatusCode::NO_CONTENT.into_response()
            }
            None => api_errors::server_error_500(),
        },
        Fault::OversizedBody(at_least) => {
            let (parts, bytes) = real_answer(request, next).await;
            let padded = pad_json(&bytes, at_least);
            let length = padded.len();
            scripted(parts, length, vec![Step::Send(padded)], None)
        }
        Fault::RedirectToOtherHost => {
            let path_and_query = request
                .uri()
                .path_and_query()
                .map_or(path.clone(), |path_and_query| path_and_query.to_string());
            let location = format!("{}{path_and_query}", shared.redirect_target_url);
            (
                StatusCode::FOUND,
                [(header::LOCATION, location)],
                "Moved Temporarily",
            )
                .into_response()
        }
        other => fault_response(&shared, other, &path, &http_method),
    }
}

/// Records every request that reaches the redirect target, then serves it normally.
pub(crate) async fn record_redirected_request(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let record = RedirectedRequest {
        http_method: request.method().as_str().to_string(),
        path: request
            .uri()
            .path_and_query()
            .map_or_else(|| request.uri().path().to_string(), ToString::to_string),
        authorization_present: request.headers().contains_key(header::AUTHORIZATION),
    };
    tracing::info!(
        path = %record.path,
        authorization_present = record.authorization_present,
        "redirect target reached"
    );
    shared.lock().redirected.push(record);
    next.run(request).await
}

/// Consumes one use of the first fault that matches the request.
fn take_fault(shared: &Shared, http_method: &str, path: &str) -> Option<Fault> {
    let mut state = shared.lock();
    let index = state
        .faults
        .iter()
        .position(|rule| rule.matching.matches(http_method, path))?;
    let rule = &mut state.faults[index];
    let fault = rule.fault;
    match &mut rule.remaining {
        None => {}
        Some(remaining) if *remaining <= 1 => {
            state.faults.remove(index);
        }
        Some(remaining) => *remaining -= 1,
    }
    Some(fault)
}

/// The answer the request would have had, with its body collected.
async fn real_answer(request: Request, next: Next) -> (axum::http::response::Parts, Bytes) {
    let (parts, body) = next.run(request).await.into_parts();
    // The twin's own bodies are small and in memory; failing to collect one is a twin bug.
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    (parts, bytes)
}

/// `bytes` (a JSON object, normally) grown to at least `at_least` bytes and still valid JSON.
fn pad_json(bytes: &[u8], at_least: usize) -> Bytes {
    let text = String::from_utf8_lossy(bytes);
    let trimmed = text.trim_end();
    let padding = "x".repeat(at_least.saturating_sub(trimmed.len()));
    let padded = match trimmed.strip_suffix('}') {
        Some(open) if open.trim_end().ends_with('{') => {
            format!("{open}\"devstackPadding\": \"{padding}\"}}\n")
        }
        Some(open) => format!("{open},\"devstackPadding\": \"{padding}\"}}\n"),
        None => json!({"devstackPadding": padding}).to_string(),
    };
    Bytes::from(padded)
}

fn scripted(
    mut parts: axum::http::response::Parts,
    content_length: usize,
    steps: Vec<Step>,
    control: Option<Arc<ConnectionControl>>,
) -> Response {
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(content_length));
    Response::from_parts(
        parts,
        Body::new(ScriptedBody {
            steps: steps.into(),
            sleep: None,
            control,
        }),
    )
}

enum Step {
    Wait(Duration),
    Send(Bytes),
    /// Resets the connection: the next write fails and the socket closes with RST.
    Reset,
}

/// A response body that plays its steps in order.
struct ScriptedBody {
    steps: VecDeque<Step>,
    sleep: Option<std::pin::Pin<Box<tokio::time::Sleep>>>,
    control: Option<Arc<ConnectionControl>>,
}

impl HttpBody for ScriptedBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        context: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        use std::task::Poll;
        loop {
            if let Some(sleep) = self.sleep.as_mut() {
                if sleep.as_mut().poll(context).is_pending() {
                    return Poll::Pending;
                }
                self.sleep = None;
            }
            match self.steps.pop_front() {
                None => return Poll::Ready(None),
                Some(Step::Wait(duration)) => {
                    self.sleep = Some(Box::pin(tokio::time::sleep(duration)));
                }
                Some(Step::Send(bytes)) => {
                    return Poll::Ready(Some(Ok(http_body::Frame::data(bytes))));
                }
                Some(Step::Reset) => {
                    if let Some(control) = &self.control {
                        control.reset();
                    }
                    return Poll::Ready(Some(Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "injected reset mid-body",
                    ))));
                }
            }
        }
    }
}

fn fault_response(shared: &Shared, fault: Fault, path: &str, http_method: &str) -> Response {
    if fault == Fault::GarbageJson {
        // A body cut off mid-object, like a proxy dropping the connection: it must fail to parse.
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json; charset=UTF-8")],
            "{\n  \"kind\": \"drive#fileList\",\n  \"files\": [\n    {\n      \"id\": ",
        )
            .into_response();
    }
    if methods::is_oauth_json_endpoint(path) {
        return oauth_fault_response(fault);
    }
    // A declared route names its own service, method and scopes, as a built-in one does.
    let declared = shared.lock().declared.method_for(http_method, path);
    if let Some(declared) = declared {
        return declared.with_api_method(|method| api_fault_response(fault, method));
    }
    let method = methods::api_method_for(http_method, path).unwrap_or(methods::UNKNOWN_API_METHOD);
    api_fault_response(fault, method)
}

fn api_fault_response(fault: Fault, method: ApiMethod<'_>) -> Response {
    match fault {
        Fault::Unauthorized => api_errors::invalid_credentials(),
        Fault::InsufficientScope => api_errors::insufficient_scope(method),
        Fault::InvalidUtf8Challenge => api_errors::insufficient_scope_with_invalid_utf8(method),
        Fault::RateLimit403 => api_errors::user_rate_limit_403(),
        Fault::RateLimit429 => api_errors::rate_limit_429(),
        Fault::DailyLimitExceeded => api_errors::daily_limit_exceeded_403(),
        Fault::QuotaExceeded => api_errors::quota_exceeded_403(),
        Fault::Forbidden => api_errors::forbidden_403(),
        Fault::BadRequest => api_errors::bad_request_400(),
        Fault::NotFound => api_errors::not_found_404(),
        Fault::Unavailable503 => api_errors::unavailable_503(),
        // The rest are handled in `apply_faults`; 500 is the honest answer should one get here.
        Fault::ServerError500
        | Fault::Delay(_)
        | Fault::GarbageJson
        | Fault::StallAfterHeaders(_)
        | Fault::ResetMidBody
        | Fault::ResetConnection
        | Fault::OversizedBody(_)
        | Fault::RedirectToOtherHost => api_errors::server_error_500(),
    }
}

/// Token-endpoint failures. The 5xx error codes are the ones google-auth retries
/// (`internal_failure`, `temporarily_unavailable`); the rate-limit, quota and 403/404 bodies are
/// [unverified] (the token endpoint is not documented to send them).
fn oauth_fault_response(fault: Fault) -> Response {
    let (status, error, description) = match fault {
        Fault::Unauthorized => (
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Token has been expired or revoked.",
        ),
        Fault::InsufficientScope | Fault::InvalidUtf8Challenge => {
            (StatusCode::BAD_REQUEST, "invalid_scope", "Bad Request")
        }
        Fault::RateLimit403 | Fault::DailyLimitExceeded | Fault::QuotaExceeded => (
            StatusCode::FORBIDDEN,
            "rate_limit_exceeded",
            "Rate Limit Exceeded",
        ),
        Fault::RateLimit429 => (
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limit_exceeded",
            "Rate Limit Exceeded",
        ),
        Fault::Forbidden => (StatusCode::FORBIDDEN, "access_denied", "Forbidden"),
        Fault::BadRequest => (StatusCode::BAD_REQUEST, "invalid_request", "Bad Request"),
        Fault::NotFound => (StatusCode::NOT_FOUND, "invalid_request", "Not Found"),
        Fault::ServerError500
        | Fault::Delay(_)
        | Fault::GarbageJson
        | Fault::StallAfterHeaders(_)
        | Fault::ResetMidBody
        | Fault::ResetConnection
        | Fault::OversizedBody(_)
        | Fault::RedirectToOtherHost => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_failure",
            "Backend Error",
        ),
        Fault::Unavailable503 => (
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "The service is currently unavailable.",
        ),
    };
    api_errors::oauth_json(
        status,
        &json!({"error": error, "error_description": description}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_keeps_the_body_valid_json_of_the_same_shape() {
        for (body, at_least) in [
            (&br#"{"kind": "drive#fileList", "files": []}"#[..], 1000),
            (b"{}\n", 64),
            (b"not json", 32),
        ] {
            let padded = pad_json(body, at_least);
            assert!(padded.len() >= at_least, "{}", padded.len());
            let value: serde_json::Value = serde_json::from_slice(&padded).unwrap();
            assert!(value["devstackPadding"].is_string(), "{value}");
        }
        let drive: serde_json::Value =
            serde_json::from_slice(&pad_json(br#"{"kind": "drive#fileList"}"#, 100)).unwrap();
        assert_eq!(drive["kind"], "drive#fileList");
    }
}
