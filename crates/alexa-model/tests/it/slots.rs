//! What a handler reads from an intent: confirmation statuses, multi-value slots and
//! entity-resolution IDs, as Alexa sends them.

use alexa_model::{ConfirmationStatus, Intent};
use serde_json::json;

fn matched(ids: &[&str]) -> serde_json::Value {
    json!({"resolutionsPerAuthority": [
        {"authority": "amzn1.er-authority.echo-sdk.skill.ITEM", "status": {"code": "ER_SUCCESS_MATCH"},
         "values": ids.iter().map(|id| json!({"value": {"name": id.to_lowercase(), "id": id}})).collect::<Vec<_>>()},
        {"authority": "amzn1.er-authority.echo-sdk.dynamic", "status": {"code": "ER_SUCCESS_NO_MATCH"}}
    ]})
}

#[test]
fn statuses_values_and_ids_are_read_from_the_intent() {
    let intent: Intent = serde_json::from_value(json!({
        "name": "AddItemsIntent",
        "confirmationStatus": "DENIED",
        "slots": {
            "items": {"name": "items", "confirmationStatus": "CONFIRMED",
                "slotValue": {"type": "List", "values": [
                    {"type": "Simple", "value": "milk", "resolutions": matched(&["MILK"])},
                    {"type": "Simple", "value": "eggs", "resolutions": matched(&["EGGS"])},
                    {"type": "Simple", "value": "caviar"}
                ]}},
            "list": {"name": "list", "value": "shopping", "resolutions": matched(&["SHOPPING"])},
            "when": {"name": "when"}
        }
    }))
    .unwrap();
    assert_eq!(intent.confirmation(), ConfirmationStatus::Denied);
    assert_eq!(
        intent.slot_confirmation("items"),
        ConfirmationStatus::Confirmed
    );
    assert_eq!(intent.slot_confirmation("list"), ConfirmationStatus::None);
    assert_eq!(intent.slot_confirmation("absent"), ConfirmationStatus::None);
    assert_eq!(intent.slot_values("items"), ["milk", "eggs", "caviar"]);
    assert_eq!(intent.slot_ids("items"), ["MILK", "EGGS"]);
    assert_eq!(intent.slot_values("list"), ["shopping"]);
    assert_eq!(intent.slot_ids("list"), ["SHOPPING"]);
    assert!(intent.slot_values("when").is_empty());
    assert!(intent.slot_ids("when").is_empty());
    assert!(intent.slot_values("absent").is_empty());
    assert_eq!(Intent::new("X").confirmation(), ConfirmationStatus::None);
}
