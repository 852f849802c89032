//! The Alexa-side signer, judged by Amazon's own Python verifier (ask-sdk-webservice-support):
//! what it signs, Amazon's code accepts; a tampered body, Amazon's code rejects.

use std::path::PathBuf;
use std::process::Command;

use devstack::alexa_signer::{AlexaSigner, CHAIN_PATH, LeafValidity};

const BODY: &str = r#"{"version":"1.0","context":{"System":{"application":{"applicationId":"amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"},"user":{"userId":"u"}}},"request":{"type":"LaunchRequest","requestId":"r","timestamp":"2026-01-15T10:00:00Z","locale":"en-US"}}"#;

/// Runs Amazon's verifier on one request; `Ok` with its verdict line.
fn amazon_verdict(
    signer: &AlexaSigner,
    chain_pem: &str,
    url: &str,
    signature: &str,
    body: &str,
) -> String {
    let directory =
        std::env::temp_dir().join(format!("devstack-alexa-signer-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let write = |name: &str, contents: &str| {
        let path = directory.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    };
    let chain = write("chain.pem", chain_pem);
    let root = write("root.pem", signer.root_pem());
    let body = write("body.json", body);
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/alexa_python_verifier.py");
    let output = Command::new(devstack::venv::require("python"))
        .arg(script)
        .args(["check", url, signature])
        .arg(body)
        .env("ALEXA_CHAIN_FILE", chain)
        .env("ALEXA_ROOT_FILE", root)
        .env("ALEXA_CERT_URL", url)
        .output()
        .expect("python runs");
    assert!(
        output.status.code().is_some_and(|code| code <= 1),
        "Amazon's verifier crashed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

#[tokio::test]
async fn amazons_verifier_accepts_what_the_signer_signs_and_rejects_tampering() {
    let signer = AlexaSigner::start().await.unwrap();
    let headers = signer.sign(BODY.as_bytes());
    assert_eq!(
        headers.certificate_chain_url,
        format!("https://s3.amazonaws.com{CHAIN_PATH}")
    );
    assert_eq!(
        headers.pairs().map(|(name, _)| name),
        ["SignatureCertChainUrl", "Signature-256"]
    );
    let url = headers.certificate_chain_url.as_str();
    let signature = headers.signature_256.as_str();
    assert_eq!(
        amazon_verdict(&signer, signer.chain_pem(), url, signature, BODY),
        "accepted"
    );

    let tampered = BODY.replace("LaunchRequest", "IntentRequest");
    let verdict = amazon_verdict(&signer, signer.chain_pem(), url, signature, &tampered);
    assert!(verdict.starts_with("rejected"), "{verdict}");

    let expired = signer
        .chain_with_leaf_validity(LeafValidity {
            not_before_seconds: -7200,
            not_after_seconds: -3600,
        })
        .unwrap();
    let verdict = amazon_verdict(&signer, &expired, url, signature, BODY);
    assert!(verdict.starts_with("rejected"), "{verdict}");
}

#[tokio::test]
async fn the_chain_is_served_on_loopback_under_the_echo_api_path() {
    let signer = AlexaSigner::start().await.unwrap();
    let base = signer.cert_fetch_base();
    assert_eq!(base.host_str(), Some("127.0.0.1"));
    let client = reqwest::Client::new();
    let served = client
        .get(format!(
            "{}{CHAIN_PATH}",
            base.as_str().trim_end_matches('/')
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.text().await.unwrap(), signer.chain_pem());
    assert_eq!(
        signer
            .chain_pem()
            .matches("-----BEGIN CERTIFICATE-----")
            .count(),
        2
    );

    let missing = client
        .get(format!(
            "{}/echo.api/other.pem",
            base.as_str().trim_end_matches('/')
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    signer.serve_document("/echo.api/other.pem", "other");
    let other = client
        .get(format!(
            "{}/echo.api/other.pem",
            base.as_str().trim_end_matches('/')
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(other.text().await.unwrap(), "other");
    assert_eq!(signer.fetch_count(), 3);
}
