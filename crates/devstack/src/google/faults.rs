//! Injected faults: a middleware that answers matching requests with Google's failure responses.
//!
//! Faults run before authentication so a test gets exactly the failure it asked for whatever token
//! it sends. API paths get API error bodies; the OAuth JSON endpoints get OAuth-shaped bodies,
//! because that is what a client of `/token` parses.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde_json::json;

use super::{Fault, api_errors, oauth, routes, state::Shared};

pub(crate) struct FaultRule {
    pub(crate) path_prefix: String,
    pub(crate) fault: Fault,
    /// `None`: forever; `Some(n)`: n more requests.
    pub(crate) remaining: Option<u32>,
}

pub(crate) async fn apply_faults(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    if path.starts_with("/__twin/") {
        return next.run(request).await;
    }
    match take_fault(&shared, &path) {
        None => next.run(request).await,
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            next.run(request).await
        }
        Some(fault) => {
            tracing::info!(%path, ?fault, "answering with an injected fault");
            fault_response(fault, &path, request.method().as_str())
        }
    }
}

/// Consumes one use of the first fault whose prefix matches `path`.
fn take_fault(shared: &Shared, path: &str) -> Option<Fault> {
    let mut state = shared.lock();
    let index = state
        .faults
        .iter()
        .position(|rule| path.starts_with(&rule.path_prefix))?;
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

fn fault_response(fault: Fault, path: &str, http_method: &str) -> Response {
    if fault == Fault::GarbageJson {
        // A body cut off mid-object, like a proxy dropping the connection: it must fail to parse.
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json; charset=UTF-8")],
            "{\n  \"kind\": \"drive#fileList\",\n  \"files\": [\n    {\n      \"id\": ",
        )
            .into_response();
    }
    if routes::is_oauth_json_endpoint(path) {
        return oauth_fault_response(fault);
    }
    match fault {
        Fault::Unauthorized => api_errors::invalid_credentials(),
        Fault::InsufficientScope => match routes::api_method_for(http_method, path) {
            Some(method) => api_errors::insufficient_scope(method),
            None => api_errors::insufficient_scope(routes::UNKNOWN_API_METHOD),
        },
        Fault::RateLimit403 => api_errors::user_rate_limit_403(),
        Fault::RateLimit429 => api_errors::rate_limit_429(),
        Fault::ServerError500 => api_errors::server_error_500(),
        Fault::Unavailable503 => api_errors::unavailable_503(),
        Fault::Delay(_) | Fault::GarbageJson => api_errors::server_error_500(),
    }
}

/// Token-endpoint failures. The 5xx error codes are the ones google-auth retries
/// (`internal_failure`, `temporarily_unavailable`); the rate-limit body is [unverified].
fn oauth_fault_response(fault: Fault) -> Response {
    let (status, error, description) = match fault {
        Fault::Unauthorized => (
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Token has been expired or revoked.",
        ),
        Fault::InsufficientScope => (StatusCode::BAD_REQUEST, "invalid_scope", "Bad Request"),
        Fault::RateLimit403 => (
            StatusCode::FORBIDDEN,
            "rate_limit_exceeded",
            "Rate Limit Exceeded",
        ),
        Fault::RateLimit429 => (
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limit_exceeded",
            "Rate Limit Exceeded",
        ),
        Fault::ServerError500 | Fault::Delay(_) | Fault::GarbageJson => (
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
    oauth::oauth_json(
        status,
        &json!({"error": error, "error_description": description}),
    )
}
