//! Conformance: Google's own Python clients (google-api-python-client, google-auth) against the
//! emulator, with tokens obtained through the real code flow over HTTP.

use std::path::PathBuf;

use tokio::process::Command;

use super::google_support::*;

fn venv_python() -> PathBuf {
    devstack::venv::require("python")
}

#[tokio::test]
async fn googles_python_clients_accept_the_emulator() {
    let python = venv_python();
    assert!(
        python.exists(),
        "{} is missing: run `cargo xtask setup`",
        python.display()
    );
    let emulator = start_auto_consent("ada@example.com").await;
    let scope = format!("openid email profile {DRIVE_READONLY} {CALENDAR_READONLY} {SPREADSHEETS}");
    let tokens = code_flow(&emulator, &scope, &[("access_type", "offline")]).await;
    let drive_only = code_flow(
        &emulator,
        DRIVE_READONLY,
        &[("access_type", "offline"), ("prompt", "consent")],
    )
    .await;
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python/conformance.py");
    let output = Command::new(&python)
        .arg(&script)
        .env("EMULATOR_BASE_URL", emulator.base_url())
        .env("CLIENT_ID", devstack::google::DEFAULT_CLIENT_ID)
        .env("CLIENT_SECRET", devstack::google::DEFAULT_CLIENT_SECRET)
        .env("ACCESS_TOKEN", string_field(&tokens, "access_token"))
        .env("REFRESH_TOKEN", string_field(&tokens, "refresh_token"))
        .env(
            "DRIVE_ONLY_ACCESS_TOKEN",
            string_field(&drive_only, "access_token"),
        )
        .env(
            "DRIVE_ONLY_REFRESH_TOKEN",
            string_field(&drive_only, "refresh_token"),
        )
        .output()
        .await
        .expect("python starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "conformance.py failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    expect_test::expect![[r#"
        drive files.list: ok
        calendar events.list: ok
        sheets create/append/get: ok
        insufficient scope reads as insufficientPermissions: ok
        google-auth refresh of an expired token: ok
        revoked refresh token raises RefreshError invalid_grant: ok
    "#]]
    .assert_eq(&stdout);
}

#[tokio::test]
async fn googles_python_client_reads_the_gmail_twin() {
    let python = venv_python();
    assert!(
        python.exists(),
        "{} is missing: run `cargo xtask setup`",
        python.display()
    );
    let emulator = start(devstack::google::Config::default()).await;
    let mint = |scopes: &[&str]| {
        emulator.mint_access_token(
            "ada@example.com",
            devstack::google::DEFAULT_CLIENT_ID,
            scopes,
        )
    };
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python/gmail_conformance.py");
    let output = Command::new(&python)
        .arg(&script)
        .env("EMULATOR_BASE_URL", emulator.base_url())
        .env(
            "GMAIL_READONLY_TOKEN",
            mint(&["https://www.googleapis.com/auth/gmail.readonly"]),
        )
        .env(
            "GMAIL_METADATA_TOKEN",
            mint(&["https://www.googleapis.com/auth/gmail.metadata"]),
        )
        .env("DRIVE_ONLY_TOKEN", mint(&[DRIVE_READONLY]))
        .output()
        .await
        .expect("python starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "gmail_conformance.py failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    expect_test::expect![[r#"
        latest inbox message and unread count: ok
        search and paging: ok
        errors read as Google's: ok
    "#]]
    .assert_eq(&stdout);
}

#[tokio::test]
async fn googles_python_client_inserts_and_gets_calendar_events() {
    let python = venv_python();
    let emulator = start(devstack::google::Config::default()).await;
    let mint = |scopes: &[&str]| {
        emulator.mint_access_token(
            "ada@example.com",
            devstack::google::DEFAULT_CLIENT_ID,
            scopes,
        )
    };
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python/calendar_conformance.py");
    let output = Command::new(&python)
        .arg(&script)
        .env("EMULATOR_BASE_URL", emulator.base_url())
        .env(
            "CALENDAR_EVENTS_TOKEN",
            mint(&["https://www.googleapis.com/auth/calendar.events"]),
        )
        .env("CALENDAR_READONLY_TOKEN", mint(&[CALENDAR_READONLY]))
        .output()
        .await
        .expect("python starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "calendar_conformance.py failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    expect_test::expect![[r#"
        calendar events.insert, get and list: ok
        calendar 409 for a reused event id: ok
        calendar validation and 404: ok
        calendar insert needs a write scope, get a read one: ok
    "#]]
    .assert_eq(&stdout);
}
