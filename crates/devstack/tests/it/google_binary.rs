//! The standalone `devstack google` binary: base URL on the first stdout line, then serving.

use std::process::Stdio;

use reqwest::StatusCode;
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::Command,
};

use super::google_support::http;

#[tokio::test]
async fn binary_prints_its_base_url_first_and_serves_until_killed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_devstack"))
        .args([
            "google",
            "--listen",
            "127.0.0.1:0",
            "--client-id",
            "cli-client",
            "--client-secret",
            "cli-secret",
            "--redirect-uri",
            "https://example.com/callback",
            "--auto-consent",
            "grace@example.com",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("devstack binary starts");
    let stdout = child.stdout.take().unwrap();
    let first_line = BufReader::new(stdout)
        .lines()
        .next_line()
        .await
        .unwrap()
        .unwrap();
    assert!(first_line.starts_with("http://127.0.0.1:"), "{first_line}");

    let response = http()
        .get(format!(
            "{first_line}/o/oauth2/v2/auth?client_id=cli-client&redirect_uri=https%3A%2F%2Fexample.com%2Fcallback&response_type=code&scope=email&state=s"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with("https://example.com/callback?code=4%2F0A"),
        "{location}"
    );

    child.start_kill().unwrap();
    let status = child.wait().await.unwrap();
    assert!(!status.success(), "killed, not exited on its own: {status}");
}
