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
    assert_eq!(
        envelope.request,
        Request::Unknown {
            request_type: "Connections.Response".to_owned(),
            raw: request
        }
    );
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
