//! The real binary as an HTTPS endpoint (`skill serve`): a request signed by a test CA is
//! answered with the user's Google data; every tampered variant gets 400 and never reaches the
//! skill, which the Google twin proves by accepting no connection at all.

use std::{
    path::PathBuf,
    process::Stdio,
    time::{Duration, SystemTime},
};

use devstack::{
    alexa_signer::AlexaSigner,
    google::{Config, Emulator},
};
use serde_json::Value;
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, BufReader},
    process::{Child, Command},
};

use linked_skill::testing::{TestRequest, TestResponse};

use crate::support::request;

/// The skill ID every request file carries.
const SKILL_ID: &str = "amzn1.ask.skill.7c9a5ab3-4c5f-4f2a-9c1e-0123456789ab";

/// A running `skill serve` and what it needs.
struct Served {
    child: Child,
    url: String,
    signer: AlexaSigner,
    _directory: TempDirectory,
}

/// A directory under the system's temp dir, removed on drop.
struct TempDirectory(PathBuf);

impl TempDirectory {
    fn new() -> Self {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .expect("after 1970")
            .as_nanos();
        let path = std::env::temp_dir().join(format!("skill-serve-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).expect("can create a temp dir");
        Self(path)
    }
}

impl Drop for TempDirectory {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Starts `skill serve` on port 0 trusting `signer`'s test root, against `google`.
async fn serve(google: &Emulator) -> Served {
    let signer = AlexaSigner::start().await.expect("the signer starts");
    let directory = TempDirectory::new();
    let anchor = directory.0.join("root.pem");
    signer.write_trust_anchor(&anchor).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_skill"))
        .arg("serve")
        .args(["--listen", "127.0.0.1:0"])
        .arg("--extra-trust-anchor")
        .arg(&anchor)
        .args(["--cert-fetch-base", signer.cert_fetch_base().as_str()])
        .env("SKILL_ID", SKILL_ID)
        .env("GOOGLE_API_ROOT", google.base_url())
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the skill binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    tokio::time::timeout(Duration::from_secs(30), stdout.read_line(&mut line))
        .await
        .expect("the skill prints its address within 30 s")
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_owned();
    Served {
        child,
        url,
        signer,
        _directory: directory,
    }
}

/// `name`'s request with Ada's real token and a current timestamp.
fn fresh_request(name: &str, token: &str) -> Value {
    TestRequest::from_json(request(name))
        .linked(token)
        .timestamp(&timestamp(Duration::ZERO))
        .into_json()
}

/// Now minus `ago`, in Alexa's form (`2026-11-24T18:00:00Z`).
fn timestamp(ago: Duration) -> String {
    let now = jiff::Timestamp::now() - jiff::SignedDuration::try_from(ago).unwrap();
    now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// POSTs `body` with `headers`; returns the status and the body text.
async fn post(url: &str, body: Vec<u8>, headers: &[(&str, String)]) -> (u16, String) {
    let mut builder = reqwest::Client::new()
        .post(url)
        .header("Content-Type", "application/json")
        .body(body);
    for (name, value) in headers {
        builder = builder.header(*name, value);
    }
    let response = builder.send().await.expect("the endpoint answers");
    (
        response.status().as_u16(),
        response.text().await.unwrap_or_default(),
    )
}

/// One way a request can differ from what Alexa signed.
struct Tampered {
    name: &'static str,
    /// Turns the fresh event into the body that is signed.
    signed_event: fn(Value) -> Value,
    /// Changes the signed body, the certificate URL and the signature after signing.
    after_signing: fn(&mut Vec<u8>, &mut String, &mut String),
}

fn unchanged(event: Value) -> Value {
    event
}

fn untouched(_: &mut Vec<u8>, _: &mut String, _: &mut String) {}

const TAMPERED: &[Tampered] = &[
    Tampered {
        name: "a body byte flipped",
        signed_event: unchanged,
        after_signing: |body, _, _| {
            let position = body.len() / 2;
            body[position] ^= 0x01;
        },
    },
    Tampered {
        name: "the signature changed",
        signed_event: unchanged,
        after_signing: |_, _, signature| {
            let first = if signature.starts_with('A') { "B" } else { "A" };
            signature.replace_range(0..1, first);
        },
    },
    Tampered {
        name: "the certificate URL on another host",
        signed_event: unchanged,
        after_signing: |_, url, _| {
            *url = url.replace("s3.amazonaws.com", "s3.evil.example.com");
        },
    },
    Tampered {
        name: "the certificate URL outside /echo.api/",
        signed_event: unchanged,
        after_signing: |_, url, _| *url = url.replace("/echo.api/", "/echo.api/../other/"),
    },
    Tampered {
        name: "the certificate URL over http",
        signed_event: unchanged,
        after_signing: |_, url, _| *url = url.replacen("https://", "http://", 1),
    },
    Tampered {
        name: "a timestamp two hours old",
        signed_event: |mut event| {
            event["request"]["timestamp"] = timestamp(Duration::from_secs(2 * 3600)).into();
            event
        },
        after_signing: untouched,
    },
    Tampered {
        name: "another skill's ID",
        signed_event: |mut event| {
            let other = "amzn1.ask.skill.00000000-0000-4000-8000-000000000000";
            event["session"]["application"]["applicationId"] = other.into();
            event["context"]["System"]["application"]["applicationId"] = other.into();
            event
        },
        after_signing: untouched,
    },
];

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_request_is_answered_and_every_tampered_one_is_refused_before_the_skill() {
    let google = Emulator::start(Config::default())
        .await
        .expect("the Google twin starts");
    let token = crate::google::linked_token(&google);
    let mut served = serve(&google).await;

    let mut failures = Vec::new();
    for case in TAMPERED {
        let event = (case.signed_event)(fresh_request("who-am-i", &token));
        let mut body = serde_json::to_vec(&event).unwrap();
        let headers = served.signer.sign(&body);
        let mut url = headers.certificate_chain_url;
        let mut signature = headers.signature_256;
        (case.after_signing)(&mut body, &mut url, &mut signature);
        let (status, answer) = post(
            &served.url,
            body,
            &[("SignatureCertChainUrl", url), ("Signature-256", signature)],
        )
        .await;
        if status != 400 {
            failures.push(format!("{}: got {status} {answer}", case.name));
        }
    }
    let (status, _) = post(
        &served.url,
        serde_json::to_vec(&fresh_request("who-am-i", &token)).unwrap(),
        &[],
    )
    .await;
    if status != 400 {
        failures.push(format!("no signature headers: got {status}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        google.connections_accepted(),
        0,
        "a refused request reached the skill, which called Google"
    );

    // The same request, signed and untouched, reaches the skill and Google.
    let body = serde_json::to_vec(&fresh_request("who-am-i", &token)).unwrap();
    let headers = served.signer.sign(&body);
    let (status, answer) = post(
        &served.url,
        body,
        &[
            ("SignatureCertChainUrl", headers.certificate_chain_url),
            ("Signature-256", headers.signature_256),
        ],
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let answer = TestResponse::new(serde_json::from_str(&answer).expect("the skill answers JSON"));
    assert_eq!(
        answer.speech(),
        "You are Ada Lovelace, signed in as ada@example.com."
    );
    assert!(google.connections_accepted() > 0);

    // SIGTERM shuts it down cleanly.
    let pid = served.child.id().expect("still running").to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(10), served.child.wait())
        .await
        .expect("the skill exits within 10 s of SIGTERM")
        .unwrap();
    let mut logs = String::new();
    served
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .await
        .unwrap();
    assert!(status.success(), "{status}\n{logs}");
    assert!(logs.contains("TEST MODE"), "{logs}");
    assert!(logs.contains("shut down"), "{logs}");
    assert!(
        !logs.contains(&token),
        "the token reached the logs:\n{logs}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_refuses_to_start_without_a_skill_id() {
    let output = Command::new(env!("CARGO_BIN_EXE_skill"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_remove("SKILL_ID")
        .output()
        .await
        .unwrap();
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(errors.contains("--skill-id"), "{errors}");
}
