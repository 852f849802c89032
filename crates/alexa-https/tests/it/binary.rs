//! The real reference binary: prints its address, warns about test hooks and plain HTTP, answers
//! a signed request, refuses a tampered one without logging what it was sent, and stops cleanly
//! on SIGTERM.

use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Command, Stdio};

use devstack::alexa_signer::AlexaSigner;

use crate::support::{SKILL_ID, launch_request, signed_headers};

const BINARY: &str = env!("CARGO_BIN_EXE_alexa-fixed-answer-endpoint");

#[tokio::test]
async fn the_binary_serves_verified_requests_and_shuts_down_on_sigterm() {
    let signer = AlexaSigner::start().await.unwrap();
    let anchor =
        std::env::temp_dir().join(format!("alexa-https-binary-{}.pem", std::process::id()));
    signer.write_trust_anchor(&anchor).unwrap();
    let mut child = Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0", "--extra-trust-anchor"])
        .arg(&anchor)
        .args(["--cert-fetch-base", signer.cert_fetch_base().as_str()])
        .env("SKILL_ID", SKILL_ID)
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first_line = String::new();
    stdout.read_line(&mut first_line).unwrap();
    let url = first_line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first_line:?}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let client = reqwest::Client::new();
    let body = launch_request(jiff::Timestamp::now());
    let headers = signed_headers(&signer, &body);
    let answer = client
        .post(&url)
        .headers(headers.clone())
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert!(answer.text().await.unwrap().contains("\"ok\""));
    let refused = client
        .post(&url)
        .headers(headers.clone())
        .body(body.replace("en-US", "fr-FR"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);

    let terminated = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status after SIGTERM: {status}");
    let mut logs = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    for expected in [
        "TEST MODE: --extra-trust-anchor",
        "TEST MODE: --cert-fetch-base",
        "serving plain HTTP",
        "reason=\"signature_mismatch\"",
        "shut down",
    ] {
        assert!(
            logs.contains(expected),
            "{expected:?} not in the logs:\n{logs}"
        );
    }
    let signature = headers["Signature-256"].to_str().unwrap();
    for secret in [
        "ya29.must-not-be-logged",
        signature,
        "fr-FR",
        "/echo.api/devstack",
    ] {
        assert!(
            !logs.contains(secret),
            "{secret:?} leaked into the logs:\n{logs}"
        );
    }
}

#[test]
fn the_binary_refuses_to_start_without_a_skill_id() {
    let output = Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0"])
        .env_remove("SKILL_ID")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--skill-id <ID>"), "{stderr}");
}
