//! Shared test plumbing: running the real `provision` binary with a hermetic environment, a
//! config file per test, and a SMAPI + LWA stand-in on 127.0.0.1 that checks what it receives.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{post, put};
use tokio::net::TcpListener;

pub const SKILL_ID: &str = "amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef";
pub const VENDOR_ID: &str = devstack::google::DEFAULT_ALEXA_VENDOR_ID;
pub const LWA_CLIENT_ID: &str = "amzn1.application-oa2-client.provision-test";
pub const LWA_CLIENT_SECRET: &str = "lwa-client-confirmation";
pub const VALID_ACCESS_TOKEN: &str = "Atza|valid-access-token";
pub const EXPIRED_ACCESS_TOKEN: &str = "Atza|expired-access-token";
pub const REFRESH_TOKEN: &str = "Atzr|refresh-token";
pub const REFRESHED_ACCESS_TOKEN: &str = "Atza|refreshed-access-token";

/// A fresh directory under the test target dir. The process ID keeps two concurrent runs of the
/// suite (several engineers share one target directory) out of each other's files.
pub fn fresh_dir(test_name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("provision-it-{}/{test_name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create test dir");
    dir
}

/// A valid config whose Google URLs point at `google_base_url` (the emulator) when given.
pub fn config_text(google_base_url: Option<&str>, extra_skill_lines: &str) -> String {
    let google_urls = google_base_url.map_or(String::new(), |base| {
        format!(
            "authorization_endpoint = \"{base}/o/oauth2/v2/auth\"\ntoken_url = \"{base}/token\"\n"
        )
    });
    format!(
        r#"[skill]
vendor_id = "{VENDOR_ID}"
stage = "development"
{extra_skill_lines}
[google]
client_id = "{client_id}"
scopes = ["openid", "email", "https://www.googleapis.com/auth/calendar.events.readonly", "https://www.googleapis.com/auth/drive.file"]
{google_urls}
[login_page]
bucket = "skill-login-page"
key = "index.html"

[aws]
region = "us-east-1"
stack_name = "alexa-google-skill"
artifacts_bucket = "skill-artifacts"

[account_linking]
access_token_scheme = "HTTP_BASIC"
domains = ["accounts.google.com", "google.com", "googleapis.com"]
default_token_expiration_seconds = 3600
"#,
        client_id = devstack::google::DEFAULT_CLIENT_ID,
    )
}

/// Writes `text` as `dir/skill.toml` and returns the path.
pub fn write_config(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("skill.toml");
    std::fs::write(&path, text).expect("write config");
    path
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Output {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// The binary with an empty environment (no AWS, ASK or Google variables leak in from the
/// machine), HOME pointing into `dir` so no real `~/.ask` or `~/.aws` is read, and `arguments`.
pub fn provision(dir: &Path, arguments: &[&str]) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_provision"));
    command
        .env_clear()
        .env("HOME", dir)
        .current_dir(dir)
        .args(arguments);
    command
}

/// Runs the command to completion.
pub async fn run(command: &mut tokio::process::Command) -> Output {
    let output = command.output().await.expect("run provision");
    Output {
        success: output.status.success(),
        stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
    }
}

/// One request the stand-in received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    pub body: String,
}

/// How the SMAPI stand-in answers account-linking calls.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub body: String,
}

struct StandInState {
    /// The LWA access token SMAPI accepts.
    accepted_token: Mutex<String>,
    /// A forced answer for the account-linking path, instead of the checked default.
    forced_answer: Mutex<Option<Answer>>,
    /// The last accepted PUT body, returned by GET like SMAPI would (minus the secret).
    stored: Mutex<Option<serde_json::Value>>,
    requests: Mutex<Vec<Recorded>>,
}

/// SMAPI (`/v1/skills/…/accountLinkingClient`) and LWA (`/auth/o2/token`) on one loopback port.
pub struct SmapiStandIn {
    base_url: String,
    state: Arc<StandInState>,
    _server: tokio::task::JoinHandle<()>,
}

impl SmapiStandIn {
    pub async fn start() -> Self {
        let state = Arc::new(StandInState {
            accepted_token: Mutex::new(VALID_ACCESS_TOKEN.to_owned()),
            forced_answer: Mutex::new(None),
            stored: Mutex::new(None),
            requests: Mutex::new(Vec::new()),
        });
        let router = Router::new()
            .route(
                "/v1/skills/{skill_id}/stages/{stage}/accountLinkingClient",
                put(account_linking).get(account_linking),
            )
            .route("/auth/o2/token", post(lwa_token))
            .with_state(Arc::clone(&state));
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind stand-in");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        let server = tokio::spawn(async move {
            axum::serve(listener, router)
                .await
                .expect("stand-in serves");
        });
        Self {
            base_url,
            state,
            _server: server,
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// SMAPI accepts this LWA token from now on (the refreshed one after a refresh).
    pub fn accept_token(&self, token: &str) {
        *self.state.accepted_token.lock().unwrap() = token.to_owned();
    }

    pub fn force_answer(&self, status: u16, body: &str) {
        *self.state.forced_answer.lock().unwrap() = Some(Answer {
            status: StatusCode::from_u16(status).expect("status"),
            body: body.to_owned(),
        });
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().unwrap().clone()
    }
}

fn record(state: &StandInState, method: &Method, path: String, headers: &HeaderMap, body: &Bytes) {
    state.requests.lock().unwrap().push(Recorded {
        method: method.to_string(),
        path,
        authorization: headers
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned),
        body: String::from_utf8_lossy(body).into_owned(),
    });
}

fn json_response(status: StatusCode, body: serde_json::Value) -> Response {
    (
        status,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Checks what SMAPI checks: the bare LWA token, the path, and the body's required fields and
/// types. A 400 names the first thing wrong, as SMAPI's violations do.
async fn account_linking(
    State(state): State<Arc<StandInState>>,
    UrlPath((skill_id, stage)): UrlPath<(String, String)>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = format!("/v1/skills/{skill_id}/stages/{stage}/accountLinkingClient");
    record(&state, &method, path, &headers, &body);
    if let Some(answer) = state.forced_answer.lock().unwrap().clone() {
        return (
            answer.status,
            [("content-type", "application/json")],
            answer.body,
        )
            .into_response();
    }
    let authorization = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok());
    if authorization != Some(state.accepted_token.lock().unwrap().as_str()) {
        return json_response(
            StatusCode::UNAUTHORIZED,
            serde_json::json!({"message": "Token is invalid or expired."}),
        );
    }
    if skill_id != SKILL_ID || !matches!(stage.as_str(), "development" | "live") {
        return json_response(
            StatusCode::NOT_FOUND,
            serde_json::json!({"message": "The resource being requested is not found."}),
        );
    }
    if method == Method::GET {
        return match state.stored.lock().unwrap().clone() {
            Some(stored) => json_response(StatusCode::OK, stored),
            None => json_response(
                StatusCode::NOT_FOUND,
                serde_json::json!({"message": "Account linking is not configured."}),
            ),
        };
    }
    if headers
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        != Some("application/json")
    {
        return violation("Content-Type must be application/json");
    }
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return violation("body is not JSON");
    };
    let Some(request) = body
        .get("accountLinkingRequest")
        .and_then(serde_json::Value::as_object)
    else {
        return violation("accountLinkingRequest is missing");
    };
    let strings = [
        "type",
        "authorizationUrl",
        "accessTokenUrl",
        "clientId",
        "clientSecret",
        "accessTokenScheme",
    ];
    for field in strings {
        if !request.get(field).is_some_and(serde_json::Value::is_string) {
            return violation(&format!("{field} must be a string"));
        }
    }
    for field in ["scopes", "domains"] {
        let valid = request
            .get(field)
            .and_then(serde_json::Value::as_array)
            .is_some_and(|list| list.len() <= 15 && list.iter().all(serde_json::Value::is_string));
        if !valid {
            return violation(&format!("{field} must be a list of at most 15 strings"));
        }
    }
    if request["type"] != "AUTH_CODE" {
        return violation("type must be AUTH_CODE for this test");
    }
    if !matches!(
        request["accessTokenScheme"].as_str(),
        Some("HTTP_BASIC" | "REQUEST_BODY_CREDENTIALS")
    ) {
        return violation("accessTokenScheme is not a known scheme");
    }
    if !request
        .get("defaultTokenExpirationInSeconds")
        .is_some_and(serde_json::Value::is_u64)
    {
        return violation("defaultTokenExpirationInSeconds must be an integer");
    }
    if request.get("skipOnEnablement") != Some(&serde_json::Value::Bool(false)) {
        return violation("skipOnEnablement must be false for this test");
    }
    let mut response_payload: BTreeMap<String, serde_json::Value> = request
        .iter()
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    // SMAPI never returns the secret, nor these write-only fields.
    for write_only in [
        "clientSecret",
        "skipOnEnablement",
        "reciprocalAccessTokenUrl",
    ] {
        response_payload.remove(write_only);
    }
    *state.stored.lock().unwrap() =
        Some(serde_json::json!({"accountLinkingResponse": response_payload}));
    StatusCode::NO_CONTENT.into_response()
}

fn violation(message: &str) -> Response {
    json_response(
        StatusCode::BAD_REQUEST,
        serde_json::json!({
            "message": "Request is not valid.",
            "violations": [{"code": "INVALID_REQUEST_PARAMETER", "message": message}],
        }),
    )
}

/// LWA's refresh: JSON in, new tokens out; 400 invalid_grant for anything else.
async fn lwa_token(
    State(state): State<Arc<StandInState>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    record(
        &state,
        &method,
        "/auth/o2/token".to_owned(),
        &headers,
        &body,
    );
    let expected = serde_json::json!({
        "grant_type": "refresh_token",
        "refresh_token": REFRESH_TOKEN,
        "client_id": LWA_CLIENT_ID,
        "client_secret": LWA_CLIENT_SECRET,
    });
    let json_content_type = headers
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        == Some("application/json");
    match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(received) if json_content_type && received == expected => json_response(
            StatusCode::OK,
            serde_json::json!({
                "access_token": REFRESHED_ACCESS_TOKEN,
                "refresh_token": REFRESH_TOKEN,
                "token_type": "bearer",
                "expires_in": 3600,
            }),
        ),
        _ => json_response(
            StatusCode::BAD_REQUEST,
            serde_json::json!({
                "error": "invalid_grant",
                "error_description": "The request has an invalid grant parameter : refresh_token",
            }),
        ),
    }
}

/// An ASK CLI `cli_config` with one profile whose token expires at `expires_at`.
pub fn write_cli_config(dir: &Path, access_token: &str, expires_at: &str) -> PathBuf {
    let ask = dir.join(".ask");
    std::fs::create_dir_all(&ask).expect("create .ask");
    let path = ask.join("cli_config");
    let document = serde_json::json!({
        "profiles": {
            "default": {
                "aws_profile": "default",
                "token": {
                    "access_token": access_token,
                    "refresh_token": REFRESH_TOKEN,
                    "token_type": "bearer",
                    "expires_in": 3600,
                    "expires_at": expires_at,
                },
                "vendor_id": VENDOR_ID,
            }
        },
        "machine_id": "a2b7c4e8-0000-4000-8000-000000000000",
        "share_usage": false,
    });
    std::fs::write(&path, serde_json::to_string_pretty(&document).unwrap()).expect("write");
    path
}
