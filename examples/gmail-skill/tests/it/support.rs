//! Shared test plumbing: requests built from the interaction model's intents, and Amazon's own
//! model as a checker.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// The token a linked request carries.
pub const LINKED_TOKEN: &str = "ya29.test-linked-access-token";

/// The skill ID requests carry (the binary runs without `SKILL_ID`, so any is accepted).
const SKILL_ID: &str = "amzn1.ask.skill.7c9a5ab3-4c5f-4f2a-9c1e-0123456789ab";

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
            // Tests never touch the internet: the skill calls Alexa back here (progressive
            // responses while Google is slow), and nothing listens on this loopback port.
            "apiEndpoint": OFFLINE_API_ENDPOINT,
            "apiAccessToken": "test-api-access-token",
        }},
        "request": request_body,
    })
}

/// Where the requests say Alexa's APIs are: a loopback port nothing listens on, so a call back
/// fails at once instead of reaching Amazon.
pub const OFFLINE_API_ENDPOINT: &str = "http://127.0.0.1:9";

/// An IntentRequest for `intent`.
pub fn intent_request(intent: &str, locale: &str, token: Option<&str>) -> Value {
    envelope(
        locale,
        token,
        json!({"type": "IntentRequest",
               "intent": {"name": intent, "confirmationStatus": "NONE"}}),
    )
}

/// Amazon's ask-sdk-model as the judge of the JSON shape (`Err` names what it found wrong).
pub use devstack::ask_model::{EnvelopeKind, check as check_with_ask_sdk_model};

pub fn has_link_account_card(response: &Value) -> bool {
    response.pointer("/response/card/type") == Some(&Value::from("LinkAccount"))
}

pub fn speech(response: &Value) -> &str {
    response["response"]["outputSpeech"]["text"]
        .as_str()
        .unwrap_or_default()
}
