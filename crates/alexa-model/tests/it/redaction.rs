//! `Debug` of a request envelope never shows a token, a code or raw JSON values, wherever Alexa
//! (or a newer request type) puts them: `tests/data/tokens_everywhere.json`.

use std::path::PathBuf;

use alexa_model::{Request, RequestEnvelope};
use serde_json::Value;

/// The envelopes of `tokens_everywhere.json`; every string value starting with `secret-` is a
/// token that must not show.
fn envelopes() -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/tokens_everywhere.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("read {}: {error}", path.display()));
    match serde_json::from_str(&text).expect("tokens_everywhere.json is JSON") {
        Value::Array(envelopes) => envelopes,
        other => panic!("tokens_everywhere.json must hold an array, not {other}"),
    }
}

fn secrets_in(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::String(text) if text.starts_with("secret-") => found.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|item| secrets_in(item, found)),
        Value::Object(object) => object.values().for_each(|item| secrets_in(item, found)),
        _ => {}
    }
}

#[test]
fn debug_of_an_envelope_shows_no_token_anywhere() {
    let envelopes = envelopes();
    let mut checked = 0;
    for json in envelopes {
        let mut secrets = Vec::new();
        secrets_in(&json, &mut secrets);
        let envelope: RequestEnvelope = serde_json::from_value(json.clone()).unwrap();
        let request_type = envelope.request_type_name().to_owned();
        // The parsed envelope still holds every token: the test would prove nothing if parsing
        // dropped them.
        let serialized = serde_json::to_string(&envelope).unwrap();
        for secret in &secrets {
            assert!(
                serialized.contains(secret.as_str()),
                "{request_type}: {secret} lost"
            );
        }
        for debug in [format!("{envelope:?}"), format!("{envelope:#?}")] {
            for secret in &secrets {
                assert!(
                    !debug.contains(secret.as_str()),
                    "{request_type}: Debug shows {secret}:\n{debug}"
                );
            }
            // Structure stays visible: typed fields (the request ID; the type name of an unknown
            // request, which is all it shows) and the keys of raw JSON.
            let identity = match &envelope.request {
                Request::Unknown { request_type, .. } => request_type.as_str(),
                known => known.request_id().expect("every sample has a request ID"),
            };
            for shown in [identity, "person", "unit"] {
                assert!(
                    debug.contains(shown),
                    "{request_type}: Debug hides {shown:?}"
                );
            }
        }
        checked += secrets.len();
    }
    assert!(checked > 200, "only {checked} tokens checked");
}

#[test]
fn debug_of_raw_json_shows_its_shape() {
    let envelope = RequestEnvelope::from_json(
        r#"{"request": {"type": "IntentRequest", "intent": {"name": "AddNoteIntent"}},
            "context": {"System": {"person": {"accessToken": "secret", "n": 1, "list": [true, null]}}}}"#,
    )
    .unwrap();
    let debug = format!("{envelope:?}");
    assert!(
        debug.contains(
            r#"other: {"person": {"accessToken": <string>, "list": [<bool>, null], "n": <number>}}"#
        ),
        "{debug}"
    );
    let unknown = RequestEnvelope::from_json(
        r#"{"request": {"type": "Alexa.Authorization.Grant", "body": {"grant": {"code": "c"}}}}"#,
    )
    .unwrap();
    assert!(
        format!("{:?}", unknown.request)
            .contains(r#"Unknown { request_type: "Alexa.Authorization.Grant", .. }"#),
        "{:?}",
        unknown.request
    );
}

/// What identifies or quotes the user is personal data: the skill-scoped user and device IDs and
/// the words of a slot (a note's text, a name). `Debug` shows that they are there, not what they
/// are; the session and request IDs (not about the user) stay visible for correlation.
#[test]
fn debug_of_an_envelope_shows_no_personal_data() {
    let envelope = RequestEnvelope::from_json(
        r#"{"version": "1.0",
            "session": {"new": true, "sessionId": "amzn1.echo-api.session.S1",
                        "application": {"applicationId": "amzn1.ask.skill.A"},
                        "user": {"userId": "amzn1.ask.account.PERSONAL-USER"}},
            "context": {"System": {
                "application": {"applicationId": "amzn1.ask.skill.A"},
                "user": {"userId": "amzn1.ask.account.PERSONAL-USER"},
                "device": {"deviceId": "amzn1.ask.device.PERSONAL-DEVICE"}}},
            "request": {"type": "IntentRequest", "requestId": "amzn1.echo-api.request.R1",
                        "intent": {"name": "AddNoteIntent", "confirmationStatus": "NONE",
                                   "slots": {"note": {"name": "note",
                                             "value": "PERSONAL call my doctor about the test",
                                             "confirmationStatus": "NONE"}}}}}"#,
    )
    .unwrap();
    // Parsing kept every value, so their absence below is the redaction's doing.
    let serialized = serde_json::to_string(&envelope).unwrap();
    assert_eq!(serialized.matches("PERSONAL").count(), 4, "{serialized}");
    for debug in [format!("{envelope:?}"), format!("{envelope:#?}")] {
        assert!(
            !debug.contains("PERSONAL"),
            "Debug shows personal data:\n{debug}"
        );
        for shown in [
            "amzn1.echo-api.session.S1",
            "amzn1.echo-api.request.R1",
            "AddNoteIntent",
            "user_id: Some(<personal>)",
            "device_id: Some(<personal>)",
            "value: Some(<personal>)",
        ] {
            assert!(debug.contains(shown), "Debug hides {shown:?}:\n{debug}");
        }
    }
}
