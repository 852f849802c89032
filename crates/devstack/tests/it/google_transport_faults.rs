//! Faults below and around Google's error bodies, proven at the twin level: stalls, TCP resets,
//! oversized bodies, quota 403s, redirects across hosts, undecodable challenges, a partial
//! "add note", and idle keep-alive connections closed under a pooling client.

use std::time::Duration;

use devstack::google::{Config, DEFAULT_CLIENT_ID, Emulator, Fault, FaultMatch};
use expect_test::expect;
use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::google_support::*;

fn ada_token(emulator: &Emulator, scopes: &[&str]) -> String {
    emulator.mint_access_token("ada@example.com", DEFAULT_CLIENT_ID, scopes)
}

/// What a raw socket saw: the bytes before the end, and how it ended.
struct RawExchange {
    received: Vec<u8>,
    ended_with: Result<(), std::io::ErrorKind>,
}

/// Sends one HTTP/1.1 GET on a fresh socket and reads until EOF or an error.
async fn raw_get(emulator: &Emulator, token: &str, path: &str) -> RawExchange {
    let address = emulator
        .base_url()
        .trim_start_matches("http://")
        .to_string();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    let mut buffer = [0_u8; 8192];
    let ended_with = loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer)).await {
            Err(_) => panic!("no end within 10 s; received {received:?}"),
            Ok(Ok(0)) => break Ok(()),
            Ok(Ok(count)) => received.extend_from_slice(&buffer[..count]),
            Ok(Err(error)) => break Err(error.kind()),
        }
    };
    RawExchange {
        received,
        ended_with,
    }
}

#[tokio::test]
async fn a_stalled_body_sends_headers_then_nothing_then_the_body() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[DRIVE_READONLY]);
    emulator.inject_fault(
        "/drive/",
        Fault::StallAfterHeaders(Duration::from_secs(2)),
        Some(1),
    );
    let mut response = tokio::time::timeout(
        Duration::from_millis(1500),
        api_get(&emulator, &token, "/drive/v3/files"),
    )
    .await
    .expect("the headers arrive before the stall ends");
    assert_eq!(response.status(), StatusCode::OK);
    let length: usize = response.headers()[header::CONTENT_LENGTH]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        tokio::time::timeout(Duration::from_millis(300), response.chunk())
            .await
            .is_err(),
        "no body byte during the stall"
    );
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.unwrap() {
        body.extend_from_slice(&chunk);
    }
    assert_eq!(body.len(), length);
    let files: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(files["kind"], "drive#fileList");
}

#[tokio::test]
async fn reset_mid_body_sends_half_the_body_then_a_tcp_reset() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[DRIVE_READONLY]);
    emulator.inject_fault("/drive/", Fault::ResetMidBody, Some(1));
    let exchange = raw_get(&emulator, &token, "/drive/v3/files").await;
    assert_eq!(
        exchange.ended_with,
        Err(std::io::ErrorKind::ConnectionReset)
    );
    let text = String::from_utf8_lossy(&exchange.received).to_string();
    let (head, body) = text.split_once("\r\n\r\n").expect("the headers arrived");
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length: "))
        .expect("a Content-Length")
        .parse()
        .unwrap();
    assert_eq!(body.len(), length / 2, "exactly the first half arrived");

    // A real client sees the status, then a body error.
    emulator.inject_fault("/drive/", Fault::ResetMidBody, Some(1));
    let response = api_get(&emulator, &token, "/drive/v3/files").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.is_err());
    // Only once: the next request is whole.
    assert_eq!(
        api_get(&emulator, &token, "/drive/v3/files").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn reset_connection_answers_nothing_and_resets() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[DRIVE_READONLY]);
    emulator.inject_fault("/drive/", Fault::ResetConnection, Some(2));
    let exchange = raw_get(&emulator, &token, "/drive/v3/files").await;
    assert_eq!(
        exchange.ended_with,
        Err(std::io::ErrorKind::ConnectionReset)
    );
    assert!(exchange.received.is_empty(), "{:?}", exchange.received);
    let error = http()
        .get(format!("{}/drive/v3/files", emulator.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_err();
    assert!(error.is_request() || error.is_connect(), "{error:?}");
}

#[tokio::test]
async fn an_oversized_body_is_valid_json_of_the_real_shape() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[DRIVE_READONLY]);
    emulator.inject_fault("/drive/", Fault::OversizedBody(10 * 1024 * 1024), Some(1));
    let response = api_get(&emulator, &token, "/drive/v3/files?orderBy=name").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.bytes().await.unwrap();
    assert!(body.len() >= 10 * 1024 * 1024, "{}", body.len());
    let files: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(files["kind"], "drive#fileList");
    assert_eq!(files["files"][0]["name"], "Bernoulli numbers");
}

#[tokio::test]
async fn quota_permission_and_client_error_faults_use_googles_bodies() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[DRIVE_READONLY]);
    let mut seen = String::new();
    for fault in [
        Fault::DailyLimitExceeded,
        Fault::QuotaExceeded,
        Fault::Forbidden,
        Fault::BadRequest,
        Fault::NotFound,
    ] {
        emulator.inject_fault("/drive/", fault, Some(1));
        let response = api_get(&emulator, &token, "/drive/v3/files").await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        let error = &body["error"];
        seen.push_str(&format!(
            "{fault:?}: {status} domain={} reason={} status={} message={}\n",
            error["errors"][0]["domain"],
            error["errors"][0]["reason"],
            error["status"],
            error["message"]
        ));
    }
    expect![[r#"
        DailyLimitExceeded: 403 Forbidden domain="usageLimits" reason="dailyLimitExceeded" status="PERMISSION_DENIED" message="Daily Limit Exceeded"
        QuotaExceeded: 403 Forbidden domain="usageLimits" reason="quotaExceeded" status="PERMISSION_DENIED" message="Quota Exceeded"
        Forbidden: 403 Forbidden domain="global" reason="forbidden" status="PERMISSION_DENIED" message="The caller does not have permission"
        BadRequest: 400 Bad Request domain="global" reason="badRequest" status="INVALID_ARGUMENT" message="Bad Request"
        NotFound: 404 Not Found domain="global" reason="notFound" status="NOT_FOUND" message="Requested entity was not found."
    "#]]
    .assert_eq(&seen);
    assert_eq!(
        api_get(&emulator, &token, "/drive/v3/files").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_redirect_goes_to_another_port_that_records_authorization() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[DRIVE_READONLY]);
    emulator.inject_fault("/drive/", Fault::RedirectToOtherHost, Some(2));
    let redirect = api_get(&emulator, &token, "/drive/v3/files?pageSize=1").await;
    assert_eq!(redirect.status(), StatusCode::FOUND);
    let location = redirect.headers()[header::LOCATION].to_str().unwrap();
    let target = emulator.redirect_target_url();
    assert_ne!(target, emulator.base_url());
    assert_eq!(location, format!("{target}/drive/v3/files?pageSize=1"));

    // reqwest follows, and drops `Authorization` because the port differs: the target then
    // answers like Google without a credential.
    let followed = Client::builder()
        .build()
        .unwrap()
        .get(format!("{}/drive/v3/files?pageSize=1", emulator.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(followed.status(), StatusCode::UNAUTHORIZED);
    // A client that leaks the token to the other host is visible in the record.
    let leaked = http()
        .get(location)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(leaked.status(), StatusCode::OK, "served without faults");
    let recorded: Vec<(String, bool)> = emulator
        .redirected_requests()
        .into_iter()
        .map(|request| (request.path, request.authorization_present))
        .collect();
    assert_eq!(
        recorded,
        [
            ("/drive/v3/files?pageSize=1".to_string(), false),
            ("/drive/v3/files?pageSize=1".to_string(), true),
        ]
    );
}

#[tokio::test]
async fn an_invalid_utf8_challenge_reaches_the_client_as_raw_bytes() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[DRIVE_READONLY]);
    emulator.inject_fault("/drive/", Fault::InvalidUtf8Challenge, Some(1));
    let response = api_get(&emulator, &token, "/drive/v3/files").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let challenge = response.headers()[header::WWW_AUTHENTICATE].clone();
    assert!(challenge.to_str().is_err(), "not visible ASCII");
    assert!(
        std::str::from_utf8(challenge.as_bytes()).is_err(),
        "not UTF-8"
    );
    assert!(challenge.as_bytes().starts_with(
        b"Bearer realm=\"https://accounts.google.com/\", error=\"insufficient_scope\", scope=\""
    ));
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["error"]["errors"][0]["reason"],
        "insufficientPermissions"
    );
}

#[tokio::test]
async fn a_partial_add_note_creates_the_spreadsheet_then_fails_the_append_once() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[SPREADSHEETS]);
    let base = emulator.base_url();
    emulator.inject_fault_matching(
        FaultMatch {
            path_prefix: "/v4/spreadsheets/".to_string(),
            http_method: Some("POST".to_string()),
            path_suffix: Some(":append".to_string()),
        },
        Fault::Unavailable503,
        Some(1),
    );
    let created: Value = http()
        .post(format!("{base}/v4/spreadsheets"))
        .bearer_auth(&token)
        .json(&json!({"properties": {"title": "Alexa notes"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let spreadsheet_id = string_field(&created, "spreadsheetId");
    let append = || {
        http()
            .post(format!(
                "{base}/v4/spreadsheets/{spreadsheet_id}/values/Sheet1!A1:append?valueInputOption=RAW"
            ))
            .bearer_auth(&token)
            .json(&json!({"values": [["2026-11-24", "buy milk"]]}))
            .send()
    };
    // Reading the sheet is not the append: it stays unaffected.
    let read = api_get(
        &emulator,
        &token,
        &format!("/v4/spreadsheets/{spreadsheet_id}/values/Sheet1!A:B"),
    )
    .await;
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(
        append().await.unwrap().status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(append().await.unwrap().status(), StatusCode::OK);
    // Ada's seeded spreadsheet, and exactly one "Alexa notes".
    assert_eq!(
        emulator.spreadsheet_titles("ada@example.com"),
        ["Bernoulli numbers", "Alexa notes"]
    );
    assert_eq!(
        emulator.sheet_rows("ada@example.com", "Alexa notes"),
        Some(vec![vec!["2026-11-24".to_string(), "buy milk".to_string()]])
    );
}

#[tokio::test]
async fn idle_keep_alive_connections_are_closed_on_request() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[DRIVE_READONLY]);
    // A pooling client reuses one connection…
    let client = Client::new();
    let get = || {
        client
            .get(format!("{}/drive/v3/files", emulator.base_url()))
            .bearer_auth(&token)
            .send()
    };
    for _ in 0..2 {
        assert_eq!(get().await.unwrap().status(), StatusCode::OK);
    }
    assert_eq!(emulator.connections_accepted(), 1);

    // …and a raw keep-alive socket sees the twin close it: EOF, not a reset.
    let address = emulator
        .base_url()
        .trim_start_matches("http://")
        .to_string();
    let mut socket = tokio::net::TcpStream::connect(&address).await.unwrap();
    socket
        .write_all(
            format!("GET /drive/v3/files HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\r\n")
                .as_bytes(),
        )
        .await
        .unwrap();
    let mut buffer = vec![0_u8; 65536];
    let count = socket.read(&mut buffer).await.unwrap();
    assert!(buffer[..count].starts_with(b"HTTP/1.1 200 OK"));
    emulator.close_idle_connections();
    let end = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut buffer))
        .await
        .expect("the twin closes the idle connection");
    assert_eq!(end.unwrap(), 0, "a clean close (FIN)");

    // The pooled client notices and reconnects.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(get().await.unwrap().status(), StatusCode::OK);
    assert_eq!(emulator.connections_accepted(), 3);
}

#[tokio::test]
async fn transport_fault_controls_over_http() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[DRIVE_READONLY, SPREADSHEETS]);
    let base = emulator.base_url();
    for (body, expected) in [
        (
            json!({"path_prefix": "/drive/", "fault": "oversized_body", "bytes": 4096, "times": 1}),
            StatusCode::OK,
        ),
        (
            json!({"path_prefix": "/drive/", "fault": "redirect", "times": 1}),
            StatusCode::OK,
        ),
        (
            json!({"path_prefix": "/v4/spreadsheets/", "method": "POST", "path_suffix": ":append",
                   "fault": "daily_limit_exceeded"}),
            StatusCode::OK,
        ),
        (
            json!({"path_prefix": "/drive/", "fault": "no_such_fault"}),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let answer = http()
            .post(format!("{base}/__twin/faults"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), expected, "{body}");
    }
    let padded = api_get(&emulator, &token, "/drive/v3/files").await;
    assert!(padded.bytes().await.unwrap().len() >= 4096);
    let redirected = api_get(&emulator, &token, "/drive/v3/files").await;
    assert_eq!(redirected.status(), StatusCode::FOUND);
    let followed = http()
        .get(redirected.headers()[header::LOCATION].to_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(followed.status(), StatusCode::UNAUTHORIZED);
    let redirects: Value = http()
        .get(format!("{base}/__twin/redirects"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        redirects,
        json!({"target": emulator.redirect_target_url(), "requests": [
            {"method": "GET", "path": "/drive/v3/files", "authorization_present": false}
        ]})
    );

    let connections: Value = http()
        .get(format!("{base}/__twin/connections"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        connections["accepted"].as_u64().unwrap() >= 1,
        "{connections}"
    );
    let closed = http()
        .post(format!("{base}/__twin/connections/close-idle"))
        .send()
        .await
        .unwrap();
    assert_eq!(closed.status(), StatusCode::NO_CONTENT);

    let titles: Value = http()
        .get(format!(
            "{base}/__twin/spreadsheets?email=ada%40example.com"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(titles, json!({"titles": ["Bernoulli numbers"]}));
}
