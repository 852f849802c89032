//! Test controls over HTTP under `/__twin/`, for the standalone binary: the same operations as the
//! [`super::Emulator`] methods, for tests that cannot call them in-process.

use std::{sync::Arc, time::Duration};

use axum::{
    Json, Router,
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;
use serde_json::json;

use super::{
    config::{Fault, FaultMatch},
    declared::ApiDeclaration,
    seed::SeedMessage,
    state::Shared,
};

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__twin/clock/advance", post(advance_clock))
        .route("/__twin/apis", post(declare_api))
        .route("/__twin/faults", post(inject_fault).delete(clear_faults))
        .route("/__twin/revoke-all", post(revoke_all))
        .route("/__twin/sheets", get(sheets))
        .route("/__twin/spreadsheets", get(spreadsheets))
        .route(
            "/__twin/connections/close-idle",
            post(close_idle_connections),
        )
        .route("/__twin/connections", get(connections))
        .route("/__twin/redirects", get(redirects))
        .route("/__twin/tokens", post(mint_access_token))
        .route("/__twin/publishing-status", post(publishing_status))
        .route(
            "/__twin/gmail/messages",
            post(seed_messages).delete(clear_mailbox),
        )
}

#[derive(Deserialize)]
struct AdvanceClock {
    seconds: u64,
}

async fn advance_clock(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<AdvanceClock>,
) -> Response {
    shared.advance_clock(Duration::from_secs(body.seconds));
    (
        StatusCode::OK,
        Json(json!({"advanced_seconds": body.seconds})),
    )
        .into_response()
}

#[derive(Deserialize)]
struct InjectFault {
    path_prefix: String,
    /// Only this HTTP method.
    method: Option<String>,
    /// Only paths ending with this.
    path_suffix: Option<String>,
    /// One of the names in the `google` module documentation.
    fault: String,
    times: Option<u32>,
    /// For `delay`.
    delay_ms: Option<u64>,
    /// For `stall_after_headers`.
    stall_ms: Option<u64>,
    /// For `oversized_body`.
    bytes: Option<usize>,
}

/// `oversized_body` without `bytes`: 10 MiB, well above any sane response cap.
const DEFAULT_OVERSIZED_BYTES: usize = 10 * 1024 * 1024;

async fn inject_fault(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<InjectFault>,
) -> Response {
    let fault = match body.fault.as_str() {
        "unauthorized" => Fault::Unauthorized,
        "insufficient_scope" => Fault::InsufficientScope,
        "rate_limit_403" => Fault::RateLimit403,
        "rate_limit_429" => Fault::RateLimit429,
        "server_error_500" => Fault::ServerError500,
        "unavailable_503" => Fault::Unavailable503,
        "delay" => Fault::Delay(Duration::from_millis(body.delay_ms.unwrap_or(1000))),
        "garbage_json" => Fault::GarbageJson,
        "stall_after_headers" => {
            Fault::StallAfterHeaders(Duration::from_millis(body.stall_ms.unwrap_or(60_000)))
        }
        "reset_mid_body" => Fault::ResetMidBody,
        "reset_connection" => Fault::ResetConnection,
        "oversized_body" => Fault::OversizedBody(body.bytes.unwrap_or(DEFAULT_OVERSIZED_BYTES)),
        "daily_limit_exceeded" => Fault::DailyLimitExceeded,
        "quota_exceeded" => Fault::QuotaExceeded,
        "forbidden" => Fault::Forbidden,
        "bad_request" => Fault::BadRequest,
        "not_found" => Fault::NotFound,
        "redirect" => Fault::RedirectToOtherHost,
        "invalid_utf8_challenge" => Fault::InvalidUtf8Challenge,
        other => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": format!("unknown fault `{other}`: see the devstack::google module documentation for the names")})),
            )
                .into_response();
        }
    };
    let matching = FaultMatch {
        path_prefix: body.path_prefix,
        http_method: body.method,
        path_suffix: body.path_suffix,
    };
    shared.inject_fault(matching, fault, body.times);
    (StatusCode::OK, Json(json!({"injected": body.fault}))).into_response()
}

/// `POST /__twin/connections/close-idle`: closes every idle keep-alive connection.
async fn close_idle_connections(State(shared): State<Arc<Shared>>) -> Response {
    shared.connections.close_idle();
    StatusCode::NO_CONTENT.into_response()
}

/// `GET /__twin/connections` → `{"accepted": n}`.
async fn connections(State(shared): State<Arc<Shared>>) -> Response {
    Json(json!({"accepted": shared.connections.accepted()})).into_response()
}

/// `GET /__twin/redirects` → the redirect target and what reached it.
async fn redirects(State(shared): State<Arc<Shared>>) -> Response {
    let requests: Vec<serde_json::Value> = shared
        .redirected_requests()
        .into_iter()
        .map(|request| {
            json!({
                "method": request.http_method,
                "path": request.path,
                "authorization_present": request.authorization_present,
            })
        })
        .collect();
    Json(json!({"target": shared.redirect_target_url, "requests": requests})).into_response()
}

/// `GET /__twin/spreadsheets?email=…` → `{"titles": [...]}`, duplicates kept.
async fn spreadsheets(State(shared): State<Arc<Shared>>, Query(query): Query<Email>) -> Response {
    Json(json!({"titles": shared.spreadsheet_titles(&query.email)})).into_response()
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> Response {
    shared.clear_faults();
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
struct Email {
    email: String,
}

async fn revoke_all(State(shared): State<Arc<Shared>>, Json(body): Json<Email>) -> Response {
    shared.revoke_all(&body.email);
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
struct SheetsQuery {
    email: String,
    /// Only this spreadsheet; all of the user's spreadsheets when absent.
    name: Option<String>,
}

/// `GET /__twin/sheets?email=…[&name=…]`: `{"<title>": [[cells…]…]}` of the first sheet of each.
async fn sheets(State(shared): State<Arc<Shared>>, Query(query): Query<SheetsQuery>) -> Response {
    let titles = shared.spreadsheet_titles(&query.email);
    let mut body = serde_json::Map::new();
    for title in titles {
        if query.name.as_ref().is_some_and(|name| *name != title) {
            continue;
        }
        if let Some(rows) = shared.sheet_rows(&query.email, &title) {
            body.insert(title, json!(rows));
        }
    }
    Json(serde_json::Value::Object(body)).into_response()
}

#[derive(Deserialize)]
struct MintToken {
    email: String,
    client_id: String,
    scopes: Vec<String>,
}

/// `POST /__twin/tokens {"email","client_id","scopes":[…]}` → `{"access_token": …}`.
async fn mint_access_token(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<MintToken>,
) -> Response {
    match shared.mint_access_token(&body.email, &body.client_id, &body.scopes) {
        Some(token) => Json(json!({"access_token": token})).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": format!("{} is not a test user", body.email)})),
        )
            .into_response(),
    }
}

#[derive(Deserialize)]
struct PublishingStatus {
    testing: bool,
}

/// `POST /__twin/publishing-status {"testing": true}`: 7-day refresh tokens from now on.
async fn publishing_status(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<PublishingStatus>,
) -> Response {
    shared.set_testing_publishing_status(body.testing);
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
struct SeedMessages {
    email: String,
    messages: Vec<SeedMessageBody>,
}

/// One message of `POST /__twin/gmail/messages`; see [`SeedMessage`] for the fields.
#[derive(Deserialize)]
struct SeedMessageBody {
    id: String,
    thread_id: Option<String>,
    from: String,
    /// Defaults to the mailbox owner's address.
    to: Option<String>,
    subject: String,
    #[serde(default)]
    body: String,
    /// How many seconds before now (emulator clock) the message arrived.
    #[serde(default)]
    received_seconds_ago: u64,
    labels: Vec<String>,
}

/// `POST /__twin/gmail/messages {"email", "messages": [{"id", "from", "subject", "labels", …}]}`
/// adds (or replaces, by ID) messages in a mailbox.
async fn seed_messages(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<SeedMessages>,
) -> Response {
    let messages: Vec<SeedMessage> = body
        .messages
        .into_iter()
        .map(|message| SeedMessage {
            id: message.id,
            thread_id: message.thread_id,
            from: message.from,
            to: message.to.unwrap_or_else(|| body.email.clone()),
            subject: message.subject,
            body: message.body,
            received_ago: jiff::SignedDuration::from_secs(
                i64::try_from(message.received_seconds_ago).unwrap_or(i64::MAX),
            ),
            labels: message.labels,
        })
        .collect();
    let count = messages.len();
    match shared.seed_messages(&body.email, &messages) {
        Ok(()) => Json(json!({"seeded": count})).into_response(),
        Err(error) => control_error(&error),
    }
}

/// `DELETE /__twin/gmail/messages?email=…` empties that mailbox.
async fn clear_mailbox(State(shared): State<Arc<Shared>>, Query(query): Query<Email>) -> Response {
    match shared.clear_mailbox(&query.email) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => control_error(&error),
    }
}

/// `POST /__twin/apis` with an API declaration serves its routes from now on.
async fn declare_api(
    State(shared): State<Arc<Shared>>,
    Json(declaration): Json<ApiDeclaration>,
) -> Response {
    match shared.declare_api(&declaration) {
        Ok(()) => Json(json!({"declared": declaration.host})).into_response(),
        Err(error) => (StatusCode::BAD_REQUEST, Json(json!({"error": error}))).into_response(),
    }
}

fn control_error(error: &std::io::Error) -> Response {
    let status = if error.kind() == std::io::ErrorKind::NotFound {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::BAD_REQUEST
    };
    (status, Json(json!({"error": error.to_string()}))).into_response()
}
