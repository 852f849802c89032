//! Alexa's skill-facing APIs at `context.System.apiEndpoint`, simulated on 127.0.0.1: the
//! Progressive Response API (`POST /v1/directives`) and the settings API's time zone
//! (`GET /v2/devices/{deviceId}/settings/System.timeZone`), with Amazon's status codes and error
//! bodies (docs/alexa-skill-apis.md).
//!
//! The twin knows which requests are in flight: [`SkillApiTwin::open_request`] issues the
//! per-request `apiAccessToken` and [`SkillApiTwin::close_request`] marks the final answer as
//! returned, after which Amazon refuses further progressive responses (403). A token outlives its
//! request by [`TOKEN_LIFETIME`] at most, then it is expired (401). What each request's calls
//! received is kept per request ID ([`SkillApiTwin::received`]) so a dialog can show it. Tokens
//! are never logged.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// At most this many progressive responses per request. Amazon documents no number; 5 is the
/// commonly cited cap, and the safe reading is to refuse beyond it.
pub const PROGRESSIVE_RESPONSES_PER_REQUEST: usize = 5;

/// The longest `speech` accepted (a community-reported limit; the safe reading).
pub const PROGRESSIVE_SPEECH_LIMIT: usize = 600;

/// How long an `apiAccessToken` is accepted after it was issued. Amazon documents no lifetime;
/// the token is meant for the request it came with, so the twin keeps it for a few minutes (a
/// request takes 8 s at most) and answers 401 after.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(300);

/// One accepted progressive response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressiveResponse {
    /// `header.requestId`.
    pub request_id: String,
    /// `directive.speech`, the SSML document as sent.
    pub speech: String,
}

/// What the skill's calls for one request met at the twin, in the order they arrived.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Received {
    /// The `speech` of every accepted progressive response.
    pub progressive: Vec<String>,
    /// Progressive responses refused, as `(status, message)`.
    pub refused: Vec<(u16, String)>,
    /// Time-zone lookups answered 200 or 204.
    pub time_zone_lookups: usize,
}

/// A running twin of Alexa's skill APIs; dropped, it stops.
pub struct SkillApiTwin {
    address: SocketAddr,
    state: Arc<Mutex<TwinState>>,
    server: JoinHandle<()>,
}

#[derive(Default)]
struct TwinState {
    /// Token → the request it was issued for.
    requests: BTreeMap<String, OpenRequest>,
    /// Device ID → IANA time zone; a device without one answers 204 like an unset setting.
    time_zones: BTreeMap<String, String>,
    accepted: Vec<ProgressiveResponse>,
    time_zone_requests: usize,
    /// Request ID → what its calls met.
    received: BTreeMap<String, Received>,
    token_lifetime: Option<Duration>,
}

impl TwinState {
    /// The open request of `headers`' bearer token; `None` for an unknown or expired token.
    fn request_of(&mut self, headers: &HeaderMap) -> Option<&mut OpenRequest> {
        let lifetime = self.token_lifetime.unwrap_or(TOKEN_LIFETIME);
        bearer(headers)
            .and_then(|token| self.requests.get_mut(token))
            .filter(|request| request.issued.elapsed() <= lifetime)
    }
}

struct OpenRequest {
    request_id: String,
    device_id: String,
    answered: bool,
    progressive: usize,
    issued: Instant,
}

impl SkillApiTwin {
    /// Starts on a free loopback port.
    pub async fn start() -> std::io::Result<SkillApiTwin> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
        let address = listener.local_addr()?;
        let state = Arc::new(Mutex::new(TwinState::default()));
        let router = Router::new()
            .route("/v1/directives", post(directives))
            .route("/v2/devices/{device_id}/settings/{setting}", get(setting))
            .with_state(Arc::clone(&state));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(SkillApiTwin {
            address,
            state,
            server,
        })
    }

    /// What a request's `context.System.apiEndpoint` is: `http://127.0.0.1:PORT`.
    pub fn api_endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Issues the `apiAccessToken` of request `request_id` from device `device_id`.
    pub fn open_request(&self, request_id: &str, device_id: &str) -> String {
        let nonce: u64 =
            rand::Rng::random(&mut <rand::rngs::StdRng as rand::SeedableRng>::from_os_rng());
        let token = format!("twin-api-token.{nonce:016x}");
        self.state.lock().unwrap().requests.insert(
            token.clone(),
            OpenRequest {
                request_id: request_id.to_owned(),
                device_id: device_id.to_owned(),
                answered: false,
                progressive: 0,
                issued: Instant::now(),
            },
        );
        token
    }

    /// Makes `envelope` a request Alexa sends through this twin: a fresh token for its
    /// `request.requestId` and `context.System.device.deviceId`, and this twin's address as the
    /// `apiEndpoint`. Returns the request ID, for [`SkillApiTwin::close_request`] and
    /// [`SkillApiTwin::received`].
    pub fn prepare(&self, envelope: &mut Value) -> String {
        let request_id = envelope["request"]["requestId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let device_id = envelope["context"]["System"]["device"]["deviceId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let token = self.open_request(&request_id, &device_id);
        super::requests::set_skill_api(envelope, &self.api_endpoint(), &token);
        request_id
    }

    /// What the calls made for request `request_id` met (empty when it made none).
    pub fn received(&self, request_id: &str) -> Received {
        self.state
            .lock()
            .unwrap()
            .received
            .get(request_id)
            .cloned()
            .unwrap_or_default()
    }

    /// Tokens expire this long after they were issued instead of [`TOKEN_LIFETIME`].
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.state.lock().unwrap().token_lifetime = Some(lifetime);
    }

    /// The skill has returned its final answer to request `request_id`.
    pub fn close_request(&self, request_id: &str) {
        for request in self.state.lock().unwrap().requests.values_mut() {
            if request.request_id == request_id {
                request.answered = true;
            }
        }
    }

    /// Sets the time zone the settings API reports for `device_id`.
    pub fn set_time_zone(&self, device_id: &str, time_zone: &str) {
        self.state
            .lock()
            .unwrap()
            .time_zones
            .insert(device_id.to_owned(), time_zone.to_owned());
    }

    /// How many time-zone requests arrived (answered or refused), to see a skill's cache work.
    pub fn time_zone_requests(&self) -> usize {
        self.state.lock().unwrap().time_zone_requests
    }

    /// Every progressive response accepted so far, in order.
    pub fn progressive_responses(&self) -> Vec<ProgressiveResponse> {
        self.state.lock().unwrap().accepted.clone()
    }
}

impl std::fmt::Debug for SkillApiTwin {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The state holds tokens: only the address is shown.
        formatter
            .debug_struct("SkillApiTwin")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl Drop for SkillApiTwin {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Amazon's error body for both APIs: `{"code": …, "message": …}`.
fn error(status: StatusCode, code: Value, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"code": code, "message": message})),
    )
        .into_response()
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

async fn directives(
    State(state): State<Arc<Mutex<TwinState>>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let mut state = state.lock().unwrap();
    let Some(request) = state.request_of(&headers) else {
        return error(StatusCode::UNAUTHORIZED, json!(401), "Not Authorized.");
    };
    let current = request.request_id.clone();
    let (status, message) = match check_directive(request, &body) {
        Ok(speech) => {
            request.progressive += 1;
            state.accepted.push(ProgressiveResponse {
                request_id: current.clone(),
                speech: speech.clone(),
            });
            state
                .received
                .entry(current)
                .or_default()
                .progressive
                .push(speech);
            return StatusCode::NO_CONTENT.into_response();
        }
        Err(refusal) => refusal,
    };
    state
        .received
        .entry(current)
        .or_default()
        .refused
        .push((status.as_u16(), message.to_owned()));
    error(status, json!(status.as_u16()), message)
}

/// The speech of a valid progressive response for `request`, or Amazon's refusal.
fn check_directive(
    request: &OpenRequest,
    body: &str,
) -> Result<String, (StatusCode, &'static str)> {
    let bad = |message| Err((StatusCode::BAD_REQUEST, message));
    let Ok(body) = serde_json::from_str::<Value>(body) else {
        return bad("Directive not valid: not JSON.");
    };
    let request_id = body["header"]["requestId"].as_str().unwrap_or_default();
    if request_id != request.request_id {
        return bad("Directive not valid: header.requestId is not the current request's.");
    }
    if body["directive"]["type"] != "VoicePlayer.Speak" {
        return bad("Directive not valid: directive.type must be VoicePlayer.Speak.");
    }
    let speech = body["directive"]["speech"].as_str().unwrap_or_default();
    let trimmed = speech.trim();
    if !(trimmed.starts_with("<speak>") && trimmed.ends_with("</speak>"))
        || speech.chars().count() > PROGRESSIVE_SPEECH_LIMIT
    {
        return bad("Directive not valid: speech must be SSML in <speak>, at most 600 characters.");
    }
    if request.answered || request.progressive >= PROGRESSIVE_RESPONSES_PER_REQUEST {
        return Err((
            StatusCode::FORBIDDEN,
            "The skill is not allowed to send directives at the moment.",
        ));
    }
    Ok(speech.to_owned())
}

/// The settings the twin knows. The two unit settings are never set on the twin, so they answer
/// 204 as for a user who set none (and as Amazon's simulator answers them).
const UNIT_SETTINGS: &[&str] = &["System.distanceUnits", "System.temperatureUnit"];

async fn setting(
    State(state): State<Arc<Mutex<TwinState>>>,
    Path((device_id, setting)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let mut state = state.lock().unwrap();
    if setting == "System.timeZone" {
        state.time_zone_requests += 1;
    }
    let Some(request) = state.request_of(&headers) else {
        return error(
            StatusCode::UNAUTHORIZED,
            json!("INVALID_TOKEN"),
            "The authentication token is malformed or invalid.",
        );
    };
    if request.device_id != device_id {
        return error(
            StatusCode::FORBIDDEN,
            json!("INVALID_TOKEN"),
            "The authentication token does not have access to resource.",
        );
    }
    let request_id = request.request_id.clone();
    if UNIT_SETTINGS.contains(&setting.as_str()) {
        return StatusCode::NO_CONTENT.into_response();
    }
    if setting != "System.timeZone" {
        return error(
            StatusCode::NOT_FOUND,
            json!("INVALID_URI"),
            "The setting is not one Alexa's settings API has.",
        );
    }
    state
        .received
        .entry(request_id)
        .or_default()
        .time_zone_lookups += 1;
    match state.time_zones.get(&device_id) {
        Some(zone) => axum::Json(Value::String(zone.clone())).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}
