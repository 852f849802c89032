//! Injected faults: exactly Google's failure bodies, for the requested number of requests.

use std::time::Duration;

use devstack::google::{Config, DEFAULT_CLIENT_ID, Fault};
use expect_test::expect;
use reqwest::StatusCode;
use serde_json::json;

use super::google_support::*;

#[tokio::test]
async fn each_api_fault_answers_with_googles_body_then_clears() {
    let emulator = start(Config::default()).await;
    let token = emulator.mint_access_token("ada@example.com", DEFAULT_CLIENT_ID, &[DRIVE_READONLY]);
    let mut seen = String::new();
    for fault in [
        Fault::Unauthorized,
        Fault::InsufficientScope,
        Fault::RateLimit403,
        Fault::RateLimit429,
        Fault::ServerError500,
        Fault::Unavailable503,
    ] {
        emulator.inject_fault("/drive/", fault, Some(1));
        let response = api_get(&emulator, &token, "/drive/v3/files").await;
        let status = response.status();
        let challenge = response.headers().get("www-authenticate").map(|value| {
            value
                .to_str()
                .unwrap()
                .split(", scope=")
                .next()
                .unwrap()
                .to_string()
        });
        let body: serde_json::Value = response.json().await.unwrap();
        seen.push_str(&format!(
            "{fault:?}: {status} reason={} status={} challenge={challenge:?}\n",
            body["error"]["errors"][0]["reason"], body["error"]["status"]
        ));
        // `times: Some(1)` means the next request is normal again.
        assert_eq!(
            api_get(&emulator, &token, "/drive/v3/files").await.status(),
            StatusCode::OK
        );
    }
    expect![[r#"
        Unauthorized: 401 Unauthorized reason="authError" status="UNAUTHENTICATED" challenge=Some("Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"")
        InsufficientScope: 403 Forbidden reason="insufficientPermissions" status="PERMISSION_DENIED" challenge=Some("Bearer realm=\"https://accounts.google.com/\", error=\"insufficient_scope\"")
        RateLimit403: 403 Forbidden reason="userRateLimitExceeded" status="PERMISSION_DENIED" challenge=None
        RateLimit429: 429 Too Many Requests reason="rateLimitExceeded" status="RESOURCE_EXHAUSTED" challenge=None
        ServerError500: 500 Internal Server Error reason="backendError" status="INTERNAL" challenge=None
        Unavailable503: 503 Service Unavailable reason="backendError" status="UNAVAILABLE" challenge=None
    "#]]
    .assert_eq(&seen);
}

#[tokio::test]
async fn faults_match_by_prefix_count_down_and_clear() {
    let emulator = start(Config::default()).await;
    let token = emulator.mint_access_token(
        "ada@example.com",
        DEFAULT_CLIENT_ID,
        &[DRIVE_READONLY, CALENDAR_READONLY],
    );
    emulator.inject_fault("/calendar/", Fault::RateLimit429, Some(2));
    let drive = api_get(&emulator, &token, "/drive/v3/files").await;
    assert_eq!(
        drive.status(),
        StatusCode::OK,
        "other prefixes are untouched"
    );
    for _ in 0..2 {
        let calendar = api_get(&emulator, &token, "/calendar/v3/calendars/primary/events").await;
        assert_eq!(calendar.status(), StatusCode::TOO_MANY_REQUESTS);
    }
    let calendar = api_get(&emulator, &token, "/calendar/v3/calendars/primary/events").await;
    assert_eq!(calendar.status(), StatusCode::OK);

    emulator.inject_fault("/drive/", Fault::GarbageJson, None);
    for _ in 0..3 {
        let garbage = api_get(&emulator, &token, "/drive/v3/files").await;
        assert_eq!(garbage.status(), StatusCode::OK);
        let text = garbage.text().await.unwrap();
        assert!(
            serde_json::from_str::<serde_json::Value>(&text).is_err(),
            "{text}"
        );
    }
    emulator.clear_faults();
    assert_eq!(
        api_get(&emulator, &token, "/drive/v3/files").await.status(),
        StatusCode::OK
    );

    // A delayed request still gets the real answer.
    emulator.inject_fault("/drive/", Fault::Delay(Duration::from_millis(20)), Some(1));
    assert_eq!(
        api_get(&emulator, &token, "/drive/v3/files").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn token_endpoint_faults_use_oauth_bodies() {
    let emulator = start_auto_consent("ada@example.com").await;
    let tokens = code_flow(&emulator, DRIVE_READONLY, &[("access_type", "offline")]).await;
    let refresh_token = string_field(&tokens, "refresh_token");
    emulator.inject_fault("/token", Fault::Unavailable503, Some(1));
    expect![[r#"
        503 Service Unavailable
        content-type: application/json; charset=utf-8
        cache-control: no-store

        {
          "error": "temporarily_unavailable",
          "error_description": "The service is currently unavailable."
        }"#]]
    .assert_eq(&describe(refresh(&emulator, &refresh_token).await).await);
    emulator.inject_fault("/token", Fault::Unauthorized, Some(1));
    let rejected = refresh(&emulator, &refresh_token).await;
    assert_eq!(rejected.status(), StatusCode::BAD_REQUEST);
    assert!(rejected.text().await.unwrap().contains("invalid_grant"));
    assert_eq!(
        refresh(&emulator, &refresh_token).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn twin_controls_over_http() {
    let emulator = start(Config::default()).await;
    let base = emulator.base_url();
    let minted: serde_json::Value = http()
        .post(format!("{base}/__twin/tokens"))
        .json(&json!({"email": "grace@example.com", "client_id": DEFAULT_CLIENT_ID, "scopes": [DRIVE_READONLY, SPREADSHEETS]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = string_field(&minted, "access_token");

    let injected = http()
        .post(format!("{base}/__twin/faults"))
        .json(&json!({"path_prefix": "/drive/", "fault": "rate_limit_429", "times": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(injected.status(), StatusCode::OK);
    assert_eq!(
        api_get(&emulator, &token, "/drive/v3/files").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    let cleared = http()
        .delete(format!("{base}/__twin/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        api_get(&emulator, &token, "/drive/v3/files").await.status(),
        StatusCode::OK
    );

    let sheets: serde_json::Value = http()
        .get(format!("{base}/__twin/sheets?email=grace%40example.com"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        sheets,
        json!({"Bug log": [["Date", "Bug"], ["1947-09-09", "Moth in relay 70, panel F"]]})
    );

    let advanced = http()
        .post(format!("{base}/__twin/clock/advance"))
        .json(&json!({"seconds": 3600}))
        .send()
        .await
        .unwrap();
    assert_eq!(advanced.status(), StatusCode::OK);
    assert_eq!(
        api_get(&emulator, &token, "/drive/v3/files").await.status(),
        StatusCode::UNAUTHORIZED
    );

    let fresh =
        emulator.mint_access_token("grace@example.com", DEFAULT_CLIENT_ID, &[DRIVE_READONLY]);
    let revoked = http()
        .post(format!("{base}/__twin/revoke-all"))
        .json(&json!({"email": "grace@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        api_get(&emulator, &fresh, "/drive/v3/files").await.status(),
        StatusCode::UNAUTHORIZED
    );
}
