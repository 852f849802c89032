//! A Google API the twin has no code for (Tasks), declared as data and served under Google's
//! rules: tokens, expiry, revocation, scopes, faults, quota errors and JSON 404s, over HTTP.

use std::{path::PathBuf, time::Duration};

use devstack::google::{
    ApiDeclaration, DEFAULT_CLIENT_ID, Emulator, Fault, FaultMatch, SeedResources,
};
use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use tokio::process::Command;

use super::google_support::*;

const TASKS: &str = "https://www.googleapis.com/auth/tasks";
const TASKS_READONLY: &str = "https://www.googleapis.com/auth/tasks.readonly";
const DEFAULT_LIST: &str = "/tasks/v1/lists/@default/tasks";

/// The Tasks routes a to-do skill needs, with the scopes of tasks.v1.json rev 20261101
/// (google-api-python-client 2.202.0's discovery cache).
pub(crate) fn tasks_api() -> ApiDeclaration {
    serde_json::from_value(json!({
        "host": "tasks.googleapis.com",
        "routes": [
            {"method": "GET", "path": "/tasks/v1/users/@me/lists", "scopes": [TASKS, TASKS_READONLY],
             "answer": {"canned": {"kind": "tasks#taskLists",
                                   "items": [{"kind": "tasks#taskList", "id": "@default", "title": "My Tasks"}]}}},
            {"method": "GET", "path": "/tasks/v1/lists/{tasklist}/tasks", "scopes": [TASKS, TASKS_READONLY],
             "answer": {"list": {"kind": "tasks#tasks"}}, "name": "tasks.tasks.list"},
            {"method": "POST", "path": "/tasks/v1/lists/{tasklist}/tasks", "scopes": [TASKS],
             "answer": {"insert": {"defaults": {"kind": "tasks#task", "status": "needsAction"}}},
             "name": "tasks.tasks.insert"},
            {"method": "GET", "path": "/tasks/v1/lists/{tasklist}/tasks/{task}", "scopes": [TASKS, TASKS_READONLY],
             "answer": "get"},
            {"method": "DELETE", "path": "/tasks/v1/lists/{tasklist}/tasks/{task}", "scopes": [TASKS],
             "answer": "delete"},
        ],
        "resources": [
            {"user": "ada@example.com", "path": DEFAULT_LIST,
             "items": [{"kind": "tasks#task", "id": "t1", "title": "Buy milk", "status": "needsAction"}]},
        ],
    }))
    .expect("the declaration deserializes")
}

async fn tasks_twin() -> Emulator {
    let emulator = start(devstack::google::Config::default()).await;
    emulator
        .declare_api(&tasks_api())
        .expect("the Tasks API is served");
    emulator
}

async fn call(
    emulator: &Emulator,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, header::HeaderMap, String) {
    let mut request = http().request(method, format!("{}{path}", emulator.base_url()));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("the twin answers");
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

fn json_body(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

#[tokio::test]
async fn a_declared_api_keeps_each_users_resources() {
    let emulator = tasks_twin().await;
    let ada = emulator.mint_access_token("ada@example.com", DEFAULT_CLIENT_ID, &[TASKS]);
    let grace = emulator.mint_access_token("grace@example.com", DEFAULT_CLIENT_ID, &[TASKS]);

    let (status, _, text) = call(
        &emulator,
        reqwest::Method::GET,
        DEFAULT_LIST,
        Some(&ada),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        json_body(&text),
        json!({"kind": "tasks#tasks", "items": [
            {"kind": "tasks#task", "id": "t1", "title": "Buy milk", "status": "needsAction"}]})
    );
    let (status, _, text) = call(
        &emulator,
        reqwest::Method::POST,
        DEFAULT_LIST,
        Some(&ada),
        Some(json!({"title": "Call Charles", "id": "chosen-by-client"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let inserted = json_body(&text);
    assert_eq!(inserted["title"], "Call Charles");
    assert_eq!(inserted["status"], "needsAction");
    let id = inserted["id"].as_str().unwrap().to_owned();
    assert_ne!(id, "chosen-by-client");

    let item = format!("{DEFAULT_LIST}/{id}");
    let (status, _, text) = call(&emulator, reqwest::Method::GET, &item, Some(&ada), None).await;
    assert_eq!((status, json_body(&text)), (StatusCode::OK, inserted));
    let (status, _, _) = call(&emulator, reqwest::Method::GET, &item, Some(&grace), None).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "Grace does not see Ada's task"
    );
    let (status, _, text) = call(
        &emulator,
        reqwest::Method::GET,
        DEFAULT_LIST,
        Some(&grace),
        None,
    )
    .await;
    assert_eq!(
        (status, json_body(&text)),
        (StatusCode::OK, json!({"kind": "tasks#tasks"})),
        "an empty list has no items member, as at Google"
    );

    let (status, _, text) = call(&emulator, reqwest::Method::DELETE, &item, Some(&ada), None).await;
    assert_eq!((status, text.as_str()), (StatusCode::NO_CONTENT, ""));
    let (status, _, text) = call(&emulator, reqwest::Method::DELETE, &item, Some(&ada), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(json_body(&text)["error"]["errors"][0]["reason"], "notFound");
    assert_eq!(
        emulator
            .declared_resources("ada@example.com", DEFAULT_LIST)
            .len(),
        1
    );

    let (status, _, text) = call(
        &emulator,
        reqwest::Method::POST,
        DEFAULT_LIST,
        Some(&ada),
        Some(json!(["not", "an", "object"])),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
}

#[tokio::test]
async fn declared_routes_check_tokens_and_scopes_like_the_built_in_ones() {
    let emulator = tasks_twin().await;
    let read_only =
        emulator.mint_access_token("ada@example.com", DEFAULT_CLIENT_ID, &[TASKS_READONLY]);
    let (status, _, _) = call(
        &emulator,
        reqwest::Method::GET,
        DEFAULT_LIST,
        Some(&read_only),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "tasks.readonly may list");

    let (status, headers, text) = call(
        &emulator,
        reqwest::Method::POST,
        DEFAULT_LIST,
        Some(&read_only),
        Some(json!({"title": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let body = json_body(&text);
    assert_eq!(
        body["error"]["errors"][0]["reason"],
        "insufficientPermissions"
    );
    assert_eq!(
        body["error"]["details"][0]["reason"],
        "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    );
    assert_eq!(
        body["error"]["details"][0]["metadata"],
        json!({"service": "tasks.googleapis.com", "method": "tasks.tasks.insert"})
    );
    assert_eq!(
        headers[header::WWW_AUTHENTICATE],
        format!(
            "Bearer realm=\"https://accounts.google.com/\", error=\"insufficient_scope\", \
             scope=\"{TASKS}\""
        )
    );

    let gmail_only = emulator.mint_access_token(
        "ada@example.com",
        DEFAULT_CLIENT_ID,
        &["https://www.googleapis.com/auth/gmail.readonly"],
    );
    let (status, _, _) = call(
        &emulator,
        reqwest::Method::GET,
        DEFAULT_LIST,
        Some(&gmail_only),
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "another API's scope does not do"
    );

    let (status, headers, text) =
        call(&emulator, reqwest::Method::GET, DEFAULT_LIST, None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        json_body(&text)["error"]["details"][0]["reason"],
        "CREDENTIALS_MISSING"
    );
    assert_eq!(
        headers[header::WWW_AUTHENTICATE],
        "Bearer realm=\"https://accounts.google.com/\""
    );

    let token = emulator.mint_access_token("ada@example.com", DEFAULT_CLIENT_ID, &[TASKS]);
    emulator.advance_clock(Duration::from_secs(3600));
    let (status, headers, text) = call(
        &emulator,
        reqwest::Method::GET,
        DEFAULT_LIST,
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "an expired token: {text}");
    assert!(
        headers[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .ends_with("error=\"invalid_token\"")
    );

    let token = emulator.mint_access_token("ada@example.com", DEFAULT_CLIENT_ID, &[TASKS]);
    emulator.revoke_all("ada@example.com");
    let (status, _, text) = call(
        &emulator,
        reqwest::Method::GET,
        DEFAULT_LIST,
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a revoked token");
    assert_eq!(
        json_body(&text)["error"]["errors"][0]["reason"],
        "authError"
    );
}

#[tokio::test]
async fn faults_quota_and_unknown_paths_on_a_declared_api() {
    let emulator = tasks_twin().await;
    let token = emulator.mint_access_token("ada@example.com", DEFAULT_CLIENT_ID, &[TASKS]);
    let get = |path: &'static str| call(&emulator, reqwest::Method::GET, path, Some(&token), None);

    emulator.inject_fault("/tasks/", Fault::Unavailable503, Some(1));
    let (status, _, text) = get(DEFAULT_LIST).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(json_body(&text)["error"]["status"], "UNAVAILABLE");
    assert_eq!(
        get(DEFAULT_LIST).await.0,
        StatusCode::OK,
        "the fault was used up"
    );

    emulator.inject_fault("/tasks/", Fault::DailyLimitExceeded, Some(1));
    let (status, _, text) = get(DEFAULT_LIST).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        json_body(&text)["error"]["errors"][0]["reason"],
        "dailyLimitExceeded"
    );

    emulator.inject_fault_matching(
        FaultMatch {
            path_prefix: "/tasks/".to_owned(),
            http_method: Some("POST".to_owned()),
            path_suffix: None,
        },
        Fault::InsufficientScope,
        Some(1),
    );
    let (status, headers, _) = call(
        &emulator,
        reqwest::Method::POST,
        DEFAULT_LIST,
        Some(&token),
        Some(json!({"title": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        headers[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .ends_with(&format!("scope=\"{TASKS}\"")),
        "the injected 403 names the declared route's scopes"
    );

    let (status, headers, text) = get("/tasks/v1/lists/@default/notes").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(json_body(&text)["error"]["code"], 404);
    let (status, headers, _) = get("/contacts/v1/people").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "outside every declared API the 404 stays Google's HTML page"
    );
}

#[tokio::test]
async fn a_declaration_is_checked_before_it_is_served() {
    let emulator = start(devstack::google::Config::default()).await;
    let unknown_user: ApiDeclaration = serde_json::from_value(json!({
        "host": "tasks.googleapis.com",
        "routes": [{"method": "GET", "path": "/tasks/v1/lists/{list}/tasks", "scopes": [TASKS],
                    "answer": {"list": {}}}],
        "resources": [{"user": "nobody@example.com", "path": DEFAULT_LIST, "items": []}],
    }))
    .unwrap();
    let error = emulator.declare_api(&unknown_user).unwrap_err();
    assert!(
        error.contains("nobody@example.com is not a test user"),
        "{error}"
    );

    emulator.declare_api(&tasks_api()).unwrap();
    let seed = |path: &str| -> SeedResources {
        serde_json::from_value(json!({"user": "ada@example.com", "path": path, "items": []}))
            .unwrap()
    };
    emulator.seed_declared(&seed(DEFAULT_LIST)).unwrap();
    assert!(
        emulator
            .declared_resources("ada@example.com", DEFAULT_LIST)
            .is_empty()
    );
    let error = emulator
        .seed_declared(&seed("/tasks/v1/lists/@default/notes"))
        .unwrap_err();
    assert!(error.contains("are never read"), "{error}");

    // Over HTTP, as the `devstack google` binary takes it.
    let response = http()
        .post(format!("{}/__twin/apis", emulator.base_url()))
        .json(&json!({"host": "tasks.googleapis.com", "routes": [
            {"method": "GET", "path": "/tasks/v1/{a}x", "scopes": [TASKS], "answer": "get"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("can never match"),
        "{body}"
    );
}

#[tokio::test]
async fn googles_python_clients_call_a_declared_api() {
    let python = devstack::venv::venv_dir()
        .expect("the venv is found")
        .join("bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `cargo xtask setup`",
        python.display()
    );
    let emulator = tasks_twin().await;
    let token = emulator.mint_access_token("ada@example.com", DEFAULT_CLIENT_ID, &[TASKS]);
    let read_only =
        emulator.mint_access_token("ada@example.com", DEFAULT_CLIENT_ID, &[TASKS_READONLY]);
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python/tasks_conformance.py");
    let output = Command::new(&python)
        .arg(&script)
        .env("EMULATOR_BASE_URL", emulator.base_url())
        .env("ACCESS_TOKEN", token)
        .env("READONLY_ACCESS_TOKEN", read_only)
        .output()
        .await
        .expect("python starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "tasks_conformance.py failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    expect_test::expect![[r#"
        tasks list/insert/get/delete through the discovery client: ok
        insufficient scope reads as insufficientPermissions: ok
        AuthorizedSession reads the JSON 404 of an undeclared path: ok
    "#]]
    .assert_eq(&stdout);
}
