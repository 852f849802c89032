//! Requests with parts this crate does not know still parse, and re-serialize unchanged.

use alexa_model::request::{DialogState, Request, SessionEndedReason};
use alexa_model::{ConfirmationStatus, RequestEnvelope, linked_access_token};
use serde_json::{Value, json};

fn round_trip(input: &Value) -> RequestEnvelope {
    let envelope: RequestEnvelope = serde_json::from_value(input.clone()).unwrap();
    assert_eq!(&serde_json::to_value(&envelope).unwrap(), input);
    envelope
}

fn envelope_with(request: Value) -> Value {
    json!({
        "version": "1.0",
        "context": {"System": {
            "application": {"applicationId": "amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"},
            "user": {"userId": "amzn1.ask.account.TEST"}
        }},
        "request": request
    })
}

#[test]
fn new_fields_and_enum_values_are_kept() {
    let input = json!({
        "version": "1.0",
        "futureEnvelopeField": true,
        "session": {
            "new": false, "sessionId": "s", "attributes": {"nested": {"list": [1, 2]}},
            "application": {"applicationId": "amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"},
            "user": {"userId": "u", "accessToken": "ya29.test-session-token", "futureUserField": 1}
        },
        "context": {
            "System": {
                "application": {"applicationId": "amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"},
                "user": {"userId": "u", "permissions": {"scopes": {"alexa::devices:all:geolocation:read": {"status": "GRANTED"}}}},
                "person": {"personId": "amzn1.ask.person.TEST"},
                "unit": {"unitId": "amzn1.ask.unit.TEST"},
                "device": {"deviceId": "d", "persistentEndpointId": "p"}
            },
            "Geolocation": {"timestamp": "2026-01-15T10:00:00Z"},
            "Viewports": [{"type": "APL", "id": "main"}]
        },
        "request": {
            "type": "IntentRequest", "requestId": "r", "timestamp": "2026-01-15T10:00:00Z",
            "dialogState": "SOMETHING_NEW", "futureRequestField": "x",
            "intent": {
                "name": "AddNoteIntent", "confirmationStatus": "MAYBE",
                "slots": {"note": {"name": "note", "confirmationStatus": "NONE", "futureSlotField": []}}
            }
        }
    });
    let envelope = round_trip(&input);
    let intent = envelope.intent().unwrap();
    assert_eq!(
        intent.confirmation_status,
        Some(ConfirmationStatus::Unknown("MAYBE".to_owned()))
    );
    assert_eq!(intent.slot_value("note"), None);
    let Request::IntentRequest(request) = &envelope.request else {
        panic!("expected an IntentRequest, got {:?}", envelope.request)
    };
    assert_eq!(
        request.dialog_state,
        Some(DialogState::Unknown("SOMETHING_NEW".to_owned()))
    );
    // The session still has the token although context.System.user does not.
    assert_eq!(
        linked_access_token(&envelope).unwrap().secret(),
        "ya29.test-session-token"
    );
    assert_eq!(envelope.locale(), None);
}

#[test]
fn unknown_request_types_keep_their_name_and_body() {
    let request = json!({
        "type": "Connections.Response", "requestId": "r", "timestamp": "2026-01-15T10:00:00Z",
        "locale": "en-GB", "name": "Buy", "status": {"code": "200", "message": "OK"}, "token": "t"
    });
    let envelope = round_trip(&envelope_with(request.clone()));
    let Request::Unknown { request_type, raw } = &envelope.request else {
        panic!("expected an unknown request, got {:?}", envelope.request)
    };
    assert_eq!(request_type, "Connections.Response");
    assert_eq!(raw, &request);
    assert_eq!(envelope.request_type_name(), "Connections.Response");
    assert_eq!(envelope.locale(), Some("en-GB"));
    assert_eq!(envelope.request.request_id(), Some("r"));
    assert_eq!(envelope.request.timestamp(), Some("2026-01-15T10:00:00Z"));
}

#[test]
fn unknown_session_ended_reason_is_kept() {
    let envelope = round_trip(&envelope_with(json!({
        "type": "SessionEndedRequest", "requestId": "r", "timestamp": "2026-01-15T10:00:00Z",
        "reason": "SOME_NEW_REASON"
    })));
    let Request::SessionEndedRequest(request) = &envelope.request else {
        panic!("expected a SessionEndedRequest, got {:?}", envelope.request)
    };
    assert_eq!(
        request.reason,
        Some(SessionEndedReason::Unknown("SOME_NEW_REASON".to_owned()))
    );
}

#[test]
fn a_request_without_type_or_a_malformed_known_type_is_an_error() {
    let without_type =
        serde_json::from_value::<RequestEnvelope>(envelope_with(json!({"requestId": "r"})));
    assert!(
        without_type
            .unwrap_err()
            .to_string()
            .contains("no string field \"type\"")
    );
    let intent_without_intent = RequestEnvelope::from_json(
        &envelope_with(json!({"type": "IntentRequest", "requestId": "r", "timestamp": "t"}))
            .to_string(),
    );
    let message = intent_without_intent.unwrap_err().to_string();
    assert!(
        message.contains("invalid IntentRequest") && message.contains("intent"),
        "{message}"
    );
}

/// Every part ask-sdk-model treats as optional, as JSON pointers into a full sample.
const OPTIONAL_PARTS: &[&str] = &[
    "/version",
    "/session",
    "/session/sessionId",
    "/session/application",
    "/session/user",
    "/session/attributes",
    "/context",
    "/context/System",
    "/context/System/application",
    "/context/System/application/applicationId",
    "/context/System/user",
    "/context/System/user/userId",
    "/context/System/device",
    "/context/System/device/deviceId",
    "/context/System/apiEndpoint",
    "/context/System/apiAccessToken",
    "/request/requestId",
    "/request/timestamp",
    "/request/locale",
    "/request/intent/slots",
];

/// Removes the member `pointer` names, if the sample has it; says whether it did.
fn remove(value: &mut Value, pointer: &str) -> bool {
    let (parent, key) = pointer.rsplit_once('/').expect("pointers start with /");
    let parent = if parent.is_empty() {
        Some(value)
    } else {
        value.pointer_mut(parent)
    };
    parent
        .and_then(Value::as_object_mut)
        .is_some_and(|object| object.remove(key).is_some())
}

#[test]
fn envelopes_stripped_of_each_optional_part_still_parse_and_round_trip() {
    let samples = [
        "intent_add_note_filled",
        "launch_linked",
        "skill_account_linked",
    ];
    let mut stripped = std::collections::BTreeSet::new();
    for name in samples {
        let path = format!(
            "{}/tests/data/requests/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let full: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for pointer in OPTIONAL_PARTS {
            let mut input = full.clone();
            if !remove(&mut input, pointer) {
                continue;
            }
            let envelope: RequestEnvelope = serde_json::from_value(input.clone())
                .unwrap_or_else(|error| panic!("{name} without {pointer}: {error}"));
            assert_eq!(
                serde_json::to_value(&envelope).unwrap(),
                input,
                "{name} without {pointer} did not round-trip"
            );
            stripped.insert(*pointer);
        }
    }
    // Every part was really taken away from at least one sample.
    let never: Vec<_> = OPTIONAL_PARTS
        .iter()
        .filter(|pointer| !stripped.contains(*pointer))
        .collect();
    assert!(never.is_empty(), "no sample has {never:?}");
}

#[test]
fn the_type_alone_is_a_request() {
    let envelope: RequestEnvelope =
        serde_json::from_value(json!({"request": {"type": "LaunchRequest"}})).unwrap();
    assert_eq!(envelope.request_type_name(), "LaunchRequest");
    assert_eq!(envelope.locale(), None);
    assert_eq!(envelope.application_id(), None);
    assert!(linked_access_token(&envelope).is_none());
    assert!(envelope.session_attributes().is_empty());
    let intent: RequestEnvelope = serde_json::from_value(json!({
        "request": {"type": "IntentRequest", "intent": {"name": "HelloIntent"}}
    }))
    .unwrap();
    assert_eq!(
        intent.intent().map(|intent| intent.name.as_str()),
        Some("HelloIntent")
    );
}

#[test]
fn the_skill_id_check_refuses_a_request_that_names_no_skill() {
    let envelope: RequestEnvelope =
        serde_json::from_value(json!({"request": {"type": "LaunchRequest"}})).unwrap();
    let expected =
        alexa_model::SkillId::parse("amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
            .unwrap();
    let mismatch = alexa_model::verify_skill_id(&envelope, &expected).unwrap_err();
    assert_eq!(mismatch.actual, None);
    assert!(
        mismatch.to_string().contains("(none: no applicationId)"),
        "{mismatch}"
    );
}

#[test]
fn a_number_in_an_unknown_field_survives_text_round_trips_to_the_last_bit() {
    // Found by fuzzing: without serde_json's `float_roundtrip`, a long decimal parsed to a float
    // one unit in the last place off, so the envelope re-serialized and parsed again differed.
    let text = r#"{"request": {"type": "AudioPlayer.PlaybackStarted", "offsetInMilliseconds":
        5555555555555555555555555555555555555555505555555555555555555555555555555550}}"#;
    let envelope = RequestEnvelope::from_json(text).unwrap();
    let again = RequestEnvelope::from_json(&serde_json::to_string(&envelope).unwrap()).unwrap();
    assert_eq!(
        serde_json::to_value(&again).unwrap(),
        serde_json::to_value(&envelope).unwrap()
    );
}
