//! The server over real sockets: a request signed by the run's test CA is answered; every
//! tampered variant gets 400 with the fixed body and never reaches the handler.

use std::path::PathBuf;
use std::sync::Arc;

use alexa_https::{ServeArgs, ServeOptions, Server, VERIFICATION_FAILED_BODY};
use axum::http::HeaderMap;
use clap::Parser;
use devstack::alexa_signer::AlexaSigner;

use crate::support::{RecordingHandler, SKILL_ID, fixed_answer, launch_request, signed_headers};

#[derive(Debug, Parser)]
struct Command {
    #[command(flatten)]
    serve: ServeArgs,
}

pub struct Running {
    pub url: String,
    pub handler: Arc<RecordingHandler>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    stopped: tokio::task::JoinHandle<Result<(), alexa_https::Error>>,
}

pub fn temporary_file(name: &str, contents: &str) -> PathBuf {
    let directory = std::env::temp_dir().join(format!("alexa-https-it-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// Parses the command line a user would type, with the test hooks, and starts the server.
pub async fn start(signer: &AlexaSigner, extra_arguments: &[&str]) -> Running {
    start_with(signer, extra_arguments, |_| {}).await
}

/// [`start`], with `change` applied to the options the command line gave.
pub async fn start_with(
    signer: &AlexaSigner,
    extra_arguments: &[&str],
    change: impl FnOnce(&mut ServeOptions),
) -> Running {
    let anchor = temporary_file("anchor.pem", signer.root_pem());
    let base = signer.cert_fetch_base().to_string();
    let mut arguments = vec![
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--skill-id",
        SKILL_ID,
        "--extra-trust-anchor",
        anchor.to_str().unwrap(),
        "--cert-fetch-base",
        &base,
    ];
    arguments.extend_from_slice(extra_arguments);
    let mut options: ServeOptions = Command::try_parse_from(arguments).unwrap().serve.into();
    change(&mut options);
    let handler = Arc::new(RecordingHandler::default());
    let server = Server::bind(options, handler.clone()).await.unwrap();
    let url = server.url();
    let (shutdown, stop) = tokio::sync::oneshot::channel();
    let stopped = tokio::spawn(server.run(async {
        let _ = stop.await;
    }));
    Running {
        url,
        handler,
        shutdown: Some(shutdown),
        stopped,
    }
}

impl Running {
    pub async fn stop(mut self) {
        self.shutdown.take().unwrap().send(()).unwrap();
        self.stopped.await.unwrap().unwrap();
    }
}

pub async fn post(
    client: &reqwest::Client,
    url: &str,
    headers: HeaderMap,
    body: String,
) -> (u16, String) {
    let response = client
        .post(url)
        .headers(headers)
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_signed_request_is_answered_and_every_tampered_variant_is_refused_before_the_handler() {
    let signer = AlexaSigner::start().await.unwrap();
    let running = start(&signer, &[]).await;
    let client = reqwest::Client::new();
    let now = jiff::Timestamp::now();
    let body = launch_request(now);
    let headers = signed_headers(&signer, &body);

    let (status, answer) = post(&client, &running.url, headers.clone(), body.clone()).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&answer).unwrap(),
        fixed_answer()
    );
    assert_eq!(running.handler.calls(), 1);
    assert_eq!(
        running.handler.events.lock().unwrap()[0],
        serde_json::from_str::<serde_json::Value>(&body).unwrap()
    );
    let fetches_after_first = signer.fetch_count();
    assert_eq!(fetches_after_first, 1);
    let second = launch_request(now);
    let (status, _) = post(
        &client,
        &running.url,
        signed_headers(&signer, &second),
        second,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(signer.fetch_count(), 1, "the chain is cached");
    let calls_before_tampering = running.handler.calls();

    let with = |name: &str, value: &str| {
        let mut changed = headers.clone();
        changed.insert(
            reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
        changed
    };
    let without = |name: &str| {
        let mut changed = headers.clone();
        changed.remove(name);
        changed
    };
    let url_header = headers["SignatureCertChainUrl"]
        .to_str()
        .unwrap()
        .to_owned();
    let signature_header = headers["Signature-256"].to_str().unwrap().to_owned();
    let mut duplicated = headers.clone();
    duplicated.append("Signature-256", signature_header.parse().unwrap());
    let stale = launch_request(now - jiff::SignedDuration::from_secs(151));
    let future = launch_request(now + jiff::SignedDuration::from_secs(200));
    let other_skill = body.replace(
        SKILL_ID,
        "amzn1.ask.skill.ffffffff-ffff-4fff-8fff-ffffffffffff",
    );
    let expired_chain = signer
        .chain_with_leaf_validity(devstack::alexa_signer::LeafValidity {
            not_before_seconds: -7200,
            not_after_seconds: -3600,
        })
        .unwrap();
    signer.serve_document("/echo.api/expired.pem", expired_chain);
    signer.serve_document("/echo.api/not-pem.pem", "this is not a certificate");

    let cases: Vec<(&str, HeaderMap, String)> = vec![
        (
            "body changed after signing",
            headers.clone(),
            body.replace("en-US", "de-DE"),
        ),
        (
            "body with a trailing newline",
            headers.clone(),
            format!("{body}\n"),
        ),
        ("no Signature-256", without("Signature-256"), body.clone()),
        (
            "only the legacy Signature",
            {
                let mut legacy = without("Signature-256");
                legacy.insert("Signature", signature_header.parse().unwrap());
                legacy
            },
            body.clone(),
        ),
        (
            "no SignatureCertChainUrl",
            without("SignatureCertChainUrl"),
            body.clone(),
        ),
        ("two Signature-256 headers", duplicated, body.clone()),
        (
            "signature not base64",
            with("Signature-256", "not base64!"),
            body.clone(),
        ),
        (
            "signature of another body",
            signed_headers(&signer, "{}"),
            body.clone(),
        ),
        (
            "certificate URL on another host",
            with(
                "SignatureCertChainUrl",
                &url_header.replace("s3.amazonaws.com", "evil.example"),
            ),
            body.clone(),
        ),
        (
            "certificate URL outside /echo.api/",
            with(
                "SignatureCertChainUrl",
                "https://s3.amazonaws.com/other/cert.pem",
            ),
            body.clone(),
        ),
        (
            "certificate URL with a port",
            with(
                "SignatureCertChainUrl",
                &url_header.replace("s3.amazonaws.com", "s3.amazonaws.com:8443"),
            ),
            body.clone(),
        ),
        (
            "certificate URL not served (404)",
            with(
                "SignatureCertChainUrl",
                "https://s3.amazonaws.com/echo.api/missing.pem",
            ),
            body.clone(),
        ),
        (
            "expired signing certificate",
            with(
                "SignatureCertChainUrl",
                "https://s3.amazonaws.com/echo.api/expired.pem",
            ),
            body.clone(),
        ),
        (
            "chain that is not PEM",
            with(
                "SignatureCertChainUrl",
                "https://s3.amazonaws.com/echo.api/not-pem.pem",
            ),
            body.clone(),
        ),
        (
            "stale timestamp, correctly signed",
            signed_headers(&signer, &stale),
            stale.clone(),
        ),
        (
            "future timestamp, correctly signed",
            signed_headers(&signer, &future),
            future.clone(),
        ),
        (
            "another skill, correctly signed",
            signed_headers(&signer, &other_skill),
            other_skill.clone(),
        ),
        (
            "not JSON, correctly signed",
            signed_headers(&signer, "not json"),
            "not json".to_owned(),
        ),
    ];
    for (case, headers, body) in cases {
        let (status, answer) = post(&client, &running.url, headers, body).await;
        assert_eq!(
            (status, answer.as_str()),
            (400, VERIFICATION_FAILED_BODY),
            "{case}"
        );
    }
    assert_eq!(
        running.handler.calls(),
        calls_before_tampering,
        "no refused request reached the handler"
    );
    running.stop().await;
}

#[tokio::test]
async fn methods_paths_body_cap_and_health() {
    let signer = AlexaSigner::start().await.unwrap();
    let running = start(&signer, &[]).await;
    let client = reqwest::Client::new();
    let get = client.get(&running.url).send().await.unwrap();
    assert_eq!(get.status(), 405, "H2");
    let health = client
        .get(format!("{}health", running.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.unwrap(), "ok");
    let elsewhere = client
        .post(format!("{}other", running.url))
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), 404);

    // H1: over the cap, with or without a Content-Length, and nothing is fetched.
    let huge = "x".repeat(alexa_https::MAX_BODY_BYTES + 1);
    let headers = signed_headers(&signer, &huge);
    let (status, _) = post(&client, &running.url, headers.clone(), huge.clone()).await;
    assert_eq!(status, 413);
    assert_eq!(chunked_post(&running.url, &headers, &huge).await, 413);
    assert_eq!(signer.fetch_count(), 0, "H1: the fetcher is never called");
    assert_eq!(running.handler.calls(), 0);
    running.stop().await;
}

/// POSTs `body` in 1 KiB chunks without a Content-Length; returns the status code.
async fn chunked_post(url: &str, headers: &HeaderMap, body: &str) -> u16 {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let address = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let mut request = format!(
        "POST / HTTP/1.1\r\nHost: {address}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
    }
    request.push_str("\r\n");
    for chunk in body.as_bytes().chunks(1024) {
        request.push_str(&format!(
            "{:x}\r\n{}\r\n",
            chunk.len(),
            std::str::from_utf8(chunk).unwrap()
        ));
    }
    request.push_str("0\r\n\r\n");
    // The server may answer and close before reading everything: a failed write is fine.
    let _ = stream.write_all(request.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn tls_is_terminated_with_the_given_certificate_and_key() {
    let signer = AlexaSigner::start().await.unwrap();
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    let certificate = params.self_signed(&key).unwrap();
    let certificate_file = temporary_file("tls-cert.pem", &certificate.pem());
    let key_file = temporary_file("tls-key.pem", &key.serialize_pem());
    let running = start(
        &signer,
        &[
            "--tls-cert",
            certificate_file.to_str().unwrap(),
            "--tls-key",
            key_file.to_str().unwrap(),
        ],
    )
    .await;
    assert!(
        running.url.starts_with("https://127.0.0.1:"),
        "{}",
        running.url
    );
    let port = running
        .url
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches('/');
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(certificate.pem().as_bytes()).unwrap())
        .resolve("localhost", ([127, 0, 0, 1], port.parse().unwrap()).into())
        .build()
        .unwrap();
    let url = format!("https://localhost:{port}/");
    let body = launch_request(jiff::Timestamp::now());
    let (status, answer) = post(&client, &url, signed_headers(&signer, &body), body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(running.handler.calls(), 1);
    // Plain HTTP on the TLS port gets nowhere.
    let plain = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/health"))
        .send()
        .await;
    assert!(plain.is_err() || plain.unwrap().status() != 200);
    running.stop().await;
}

#[tokio::test]
async fn bad_tls_files_and_trust_anchors_stop_the_start_with_a_message_naming_the_file() {
    let signer = AlexaSigner::start().await.unwrap();
    let not_pem = temporary_file("not-pem.txt", "nothing here");
    let handler = Arc::new(RecordingHandler::default());
    let options = |extra: &[&str]| -> ServeOptions {
        let mut arguments = vec!["serve", "--listen", "127.0.0.1:0", "--skill-id", SKILL_ID];
        arguments.extend_from_slice(extra);
        Command::try_parse_from(arguments).unwrap().serve.into()
    };
    let path = not_pem.to_str().unwrap();
    let error = Server::bind(options(&["--extra-trust-anchor", path]), handler.clone())
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with(&format!("--extra-trust-anchor {path}")),
        "{error}"
    );
    let error = Server::bind(
        options(&["--tls-cert", path, "--tls-key", path]),
        handler.clone(),
    )
    .await
    .unwrap_err();
    assert!(error.to_string().contains(path), "{error}");
    let missing = Command::try_parse_from([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--skill-id",
        SKILL_ID,
        "--tls-cert",
        path,
    ]);
    assert!(missing.unwrap_err().to_string().contains("--tls-key"));
    let bad_skill =
        Command::try_parse_from(["serve", "--listen", "127.0.0.1:0", "--skill-id", "my-skill"]);
    assert!(
        bad_skill
            .unwrap_err()
            .to_string()
            .contains("is not an Alexa skill ID")
    );
    drop(signer);
}
