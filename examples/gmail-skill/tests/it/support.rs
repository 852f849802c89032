//! Shared test plumbing: requests built from the interaction model's intents, and Amazon's own
//! model as a checker.

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use serde_json::{Value, json};

/// The token a linked request carries.
pub const LINKED_TOKEN: &str = "ya29.test-linked-access-token";

/// The skill ID requests carry (the binary runs without `SKILL_ID`, so any is accepted).
const SKILL_ID: &str = "amzn1.ask.skill.7c9a5ab3-4c5f-4f2a-9c1e-0123456789ab";

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn skill_package() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("skill-package")
}

/// An Alexa request of `request_body` in `locale`, inside a session, from a user who linked
/// (`Some(token)`) or did not (`None`: Alexa sends no `accessToken` at all).
pub fn envelope(locale: &str, token: Option<&str>, mut request_body: Value) -> Value {
    let mut user = json!({"userId": "amzn1.ask.account.TESTUSER"});
    if let Some(token) = token {
        user["accessToken"] = token.into();
    }
    request_body["requestId"] =
        "amzn1.echo-api.request.00000000-0000-0000-0000-000000000001".into();
    request_body["timestamp"] = "2026-11-24T18:00:00Z".into();
    request_body["locale"] = locale.into();
    json!({
        "version": "1.0",
        "session": {
            "new": false,
            "sessionId": "amzn1.echo-api.session.00000000-0000-0000-0000-000000000001",
            "application": {"applicationId": SKILL_ID},
            "attributes": {},
            "user": user,
        },
        "context": {"System": {
            "application": {"applicationId": SKILL_ID},
            "user": user,
            "device": {"deviceId": "amzn1.ask.device.TESTDEVICE", "supportedInterfaces": {}},
            "apiEndpoint": "https://api.amazonalexa.com",
            "apiAccessToken": "test-api-access-token",
        }},
        "request": request_body,
    })
}

/// An IntentRequest for `intent`.
pub fn intent_request(intent: &str, locale: &str, token: Option<&str>) -> Value {
    envelope(
        locale,
        token,
        json!({"type": "IntentRequest",
               "intent": {"name": intent, "confirmationStatus": "NONE"}}),
    )
}

/// Deserializes `json` with Amazon's ask-sdk-model (`kind` is `request` or `response`) and fails
/// unless it round-trips unchanged: Amazon's own model is the judge of the JSON shape.
pub fn check_with_ask_sdk_model(kind: &str, json: &Value) -> Result<(), String> {
    let python = devstack::venv::require("python");
    let script = workspace_root().join("crates/alexa-model/tests/python/ask_model_check.py");
    let mut child = Command::new(&python)
        .arg(&script)
        .arg(kind)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(json.to_string().as_bytes())
        .expect("python reads stdin");
    let output = child.wait_with_output().expect("python finishes");
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ask-sdk-model rejects this {kind}: {}\n{json:#}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

pub fn has_link_account_card(response: &Value) -> bool {
    response.pointer("/response/card/type") == Some(&Value::from("LinkAccount"))
}

pub fn speech(response: &Value) -> &str {
    response["response"]["outputSpeech"]["text"]
        .as_str()
        .unwrap_or_default()
}
