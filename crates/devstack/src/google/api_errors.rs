//! Google API error responses, and the JSON answers every API method gives.
//!
//! Bodies follow docs/google-apis.md, Error responses: the legacy `errors[]` array (which google-api-python-client reads
//! `reason` from) plus AIP-193 `status` and, where Google sends one, an `ErrorInfo` detail.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use super::methods::ApiMethod;

/// Realm Google puts in every API `WWW-Authenticate` challenge.
const REALM: &str = "https://accounts.google.com/";

/// A JSON response with Google's API content type, pretty-printed unless `prettyPrint=false`.
pub(crate) fn json_response(status: StatusCode, body: &Value, pretty: bool) -> Response {
    let text = if pretty {
        serde_json::to_string_pretty(body)
    } else {
        serde_json::to_string(body)
    }
    .unwrap_or_default();
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=UTF-8")],
        text + "\n",
    )
        .into_response()
}

fn error_response(status: StatusCode, body: &Value, challenge: Option<String>) -> Response {
    let mut response = json_response(status, body, true);
    if let Some(challenge) = challenge
        && let Ok(value) = HeaderValue::from_str(&challenge)
    {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// 401 for a request without any credential: no `error=` in the challenge [obs].
pub(crate) fn missing_credentials(method: ApiMethod<'_>) -> Response {
    let message = "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";
    let body = json!({"error": {
        "code": 401,
        "message": message,
        "errors": [{"message": "Login Required.", "domain": "global", "reason": "required",
                    "location": "Authorization", "locationType": "header"}],
        "status": "UNAUTHENTICATED",
        "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                     "reason": "CREDENTIALS_MISSING", "domain": "googleapis.com",
                     "metadata": {"service": method.service, "method": method.method}}],
    }});
    error_response(
        StatusCode::UNAUTHORIZED,
        &body,
        Some(format!("Bearer realm=\"{REALM}\"")),
    )
}

/// 401 for an unknown, expired or revoked access token.
pub(crate) fn invalid_credentials() -> Response {
    let body = json!({"error": {
        "code": 401,
        "message": "Invalid Credentials",
        "errors": [{"message": "Invalid Credentials", "domain": "global", "reason": "authError",
                    "location": "Authorization", "locationType": "header"}],
        "status": "UNAUTHENTICATED",
    }});
    error_response(
        StatusCode::UNAUTHORIZED,
        &body,
        Some(format!("Bearer realm=\"{REALM}\", error=\"invalid_token\"")),
    )
}

/// 403 for a token without any scope the method accepts; the challenge lists those that would.
pub(crate) fn insufficient_scope(method: ApiMethod<'_>) -> Response {
    let body = json!({"error": {
        "code": 403,
        "message": "Request had insufficient authentication scopes.",
        "errors": [{"message": "Insufficient Permission", "domain": "global",
                    "reason": "insufficientPermissions"}],
        "status": "PERMISSION_DENIED",
        "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                     "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT", "domain": "googleapis.com",
                     "metadata": {"service": method.service, "method": method.method}}],
    }});
    let scopes = method.scopes.join(" ");
    error_response(
        StatusCode::FORBIDDEN,
        &body,
        Some(format!(
            "Bearer realm=\"{REALM}\", error=\"insufficient_scope\", scope=\"{scopes}\""
        )),
    )
}

/// 403 `userRateLimitExceeded`, which Google's clients retry with backoff.
pub(crate) fn user_rate_limit_403() -> Response {
    let body = json!({"error": {
        "errors": [{"domain": "usageLimits", "reason": "userRateLimitExceeded",
                    "message": "User Rate Limit Exceeded"}],
        "code": 403,
        "message": "User Rate Limit Exceeded",
        "status": "PERMISSION_DENIED",
    }});
    error_response(StatusCode::FORBIDDEN, &body, None)
}

/// 403 `dailyLimitExceeded`: the project's daily quota is spent, so retrying today is pointless.
pub(crate) fn daily_limit_exceeded_403() -> Response {
    usage_limit_403("dailyLimitExceeded", "Daily Limit Exceeded")
}

/// 403 `quotaExceeded` [unverified message].
pub(crate) fn quota_exceeded_403() -> Response {
    usage_limit_403("quotaExceeded", "Quota Exceeded")
}

fn usage_limit_403(reason: &str, message: &str) -> Response {
    let body = json!({"error": {
        "errors": [{"domain": "usageLimits", "reason": reason, "message": message}],
        "code": 403,
        "message": message,
        "status": "PERMISSION_DENIED",
    }});
    error_response(StatusCode::FORBIDDEN, &body, None)
}

/// 403 `forbidden`, e.g. an API or a resource the caller may not use.
pub(crate) fn forbidden_403() -> Response {
    let body = json!({"error": {
        "code": 403,
        "message": "The caller does not have permission",
        "errors": [{"message": "The caller does not have permission", "domain": "global",
                    "reason": "forbidden"}],
        "status": "PERMISSION_DENIED",
    }});
    error_response(StatusCode::FORBIDDEN, &body, None)
}

/// 400 `badRequest` with AIP-193 `status`, for faults.
pub(crate) fn bad_request_400() -> Response {
    let body = json!({"error": {
        "code": 400,
        "message": "Bad Request",
        "errors": [{"message": "Bad Request", "domain": "global", "reason": "badRequest"}],
        "status": "INVALID_ARGUMENT",
    }});
    error_response(StatusCode::BAD_REQUEST, &body, None)
}

/// 404 `notFound` with AIP-193 `status`, for faults.
pub(crate) fn not_found_404() -> Response {
    let body = json!({"error": {
        "code": 404,
        "message": "Requested entity was not found.",
        "errors": [{"message": "Requested entity was not found.", "domain": "global",
                    "reason": "notFound"}],
        "status": "NOT_FOUND",
    }});
    error_response(StatusCode::NOT_FOUND, &body, None)
}

/// The insufficient-scope 403 with bytes in the challenge that are not UTF-8: a client must not
/// trust header text to be valid UTF-8.
pub(crate) fn insufficient_scope_with_invalid_utf8(method: ApiMethod<'_>) -> Response {
    let mut response = insufficient_scope(method);
    let mut challenge = format!(
        "Bearer realm=\"{REALM}\", error=\"insufficient_scope\", scope=\"{} ",
        method.scopes.join(" ")
    )
    .into_bytes();
    challenge.extend_from_slice(&[0xFF, 0xFE, b'"']);
    if let Ok(value) = HeaderValue::from_bytes(&challenge) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// 429 `rateLimitExceeded`.
pub(crate) fn rate_limit_429() -> Response {
    let body = json!({"error": {
        "errors": [{"domain": "usageLimits", "reason": "rateLimitExceeded",
                    "message": "Rate Limit Exceeded"}],
        "code": 429,
        "message": "Rate Limit Exceeded",
        "status": "RESOURCE_EXHAUSTED",
    }});
    error_response(StatusCode::TOO_MANY_REQUESTS, &body, None)
}

pub(crate) fn server_error_500() -> Response {
    let body = json!({"error": {
        "code": 500,
        "message": "Internal error encountered.",
        "errors": [{"message": "Internal error encountered.", "domain": "global",
                    "reason": "backendError"}],
        "status": "INTERNAL",
    }});
    error_response(StatusCode::INTERNAL_SERVER_ERROR, &body, None)
}

pub(crate) fn unavailable_503() -> Response {
    let body = json!({"error": {
        "code": 503,
        "message": "The service is currently unavailable.",
        "errors": [{"message": "The service is currently unavailable.", "domain": "global",
                    "reason": "backendError"}],
        "status": "UNAVAILABLE",
    }});
    error_response(StatusCode::SERVICE_UNAVAILABLE, &body, None)
}

/// 400 for a bad request parameter, in the Drive/Calendar shape with domain `global`.
pub(crate) fn invalid_parameter(reason: &str, message: &str, location: &str) -> Response {
    invalid_parameter_in("global", reason, message, location)
}

/// 400 for a bad request parameter with an API-specific error domain (e.g. `calendar`).
pub(crate) fn invalid_parameter_in(
    domain: &str,
    reason: &str,
    message: &str,
    location: &str,
) -> Response {
    let body = json!({"error": {
        "code": 400,
        "message": message,
        "errors": [{"message": message, "domain": domain, "reason": reason,
                    "location": location, "locationType": "parameter"}],
    }});
    error_response(StatusCode::BAD_REQUEST, &body, None)
}

/// 400 `badRequest` without a location, as Calendar answers malformed values.
pub(crate) fn bad_request(message: &str) -> Response {
    let body = json!({"error": {
        "code": 400,
        "message": message,
        "errors": [{"message": message, "domain": "global", "reason": "badRequest"}],
    }});
    error_response(StatusCode::BAD_REQUEST, &body, None)
}

/// An error in the Drive/Calendar shape with any status, domain and reason and no location, e.g.
/// Calendar's 409 `duplicate` or 400 `required` "Missing end time.".
pub(crate) fn error_with_reason(
    status: StatusCode,
    domain: &str,
    reason: &str,
    message: &str,
) -> Response {
    let body = json!({"error": {
        "code": status.as_u16(),
        "message": message,
        "errors": [{"message": message, "domain": domain, "reason": reason}],
    }});
    error_response(status, &body, None)
}

/// 404 `notFound` in the Drive/Calendar shape.
pub(crate) fn not_found(message: &str) -> Response {
    let body = json!({"error": {
        "code": 404,
        "message": message,
        "errors": [{"message": message, "domain": "global", "reason": "notFound"}],
    }});
    error_response(StatusCode::NOT_FOUND, &body, None)
}

/// An error in the Sheets shape, which carries only `code`, `message` and `status` [obs].
pub(crate) fn status_only(status: StatusCode, message: &str, status_name: &str) -> Response {
    let body = json!({"error": {
        "code": status.as_u16(),
        "message": message,
        "status": status_name,
    }});
    error_response(status, &body, None)
}

/// An OAuth endpoint's JSON answer (token, tokeninfo, revoke): not cached, as Google sends it.
pub(crate) fn oauth_json(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        serde_json::to_string_pretty(body).unwrap_or_default(),
    )
        .into_response()
}
