//! `IntentRequest` and what it carries: the intent, its slots and their entity resolutions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::redacted::redacted_debug;
use crate::wire_enum::wire_enum;

/// `IntentRequest`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntentRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Only sent for intents with a dialog model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialog_state: Option<DialogState>,
    pub intent: Intent,
    /// Fields this crate does not model, kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `CanFulfillIntentRequest`: the same fields as an `IntentRequest`, asked before the user has
/// named the skill.
pub type CanFulfillIntentRequest = IntentRequest;

/// `intent`, in requests and as `updatedIntent` in dialog directives.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Intent {
    /// E.g. `"AddNoteIntent"` or `"AMAZON.StopIntent"`.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_status: Option<ConfirmationStatus>,
    /// Keyed by slot name. Empty for intents without slots, and then not serialized.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub slots: BTreeMap<String, Slot>,
    /// Fields this crate does not model, kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Intent {
    /// An intent with no slots and no confirmation status, e.g. for `updatedIntent`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            confirmation_status: None,
            slots: BTreeMap::new(),
            other: Map::new(),
        }
    }

    /// The spoken value of slot `slot_name`, `None` when the slot is missing or has no value
    /// (the normal case for an optional slot the user did not fill). Empty values count as none.
    pub fn slot_value(&self, slot_name: &str) -> Option<&str> {
        self.slots
            .get(slot_name)
            .and_then(|slot| slot.value.as_deref())
            .filter(|value| !value.is_empty())
    }

    /// Whether the user confirmed the whole intent (Dialog.ConfirmIntent); `None` on the wire
    /// (an intent without confirmation) reads as [`ConfirmationStatus::None`].
    pub fn confirmation(&self) -> ConfirmationStatus {
        self.confirmation_status
            .clone()
            .unwrap_or(ConfirmationStatus::None)
    }

    /// Whether the user confirmed slot `slot_name` (Dialog.ConfirmSlot); a missing slot or
    /// status reads as [`ConfirmationStatus::None`].
    pub fn slot_confirmation(&self, slot_name: &str) -> ConfirmationStatus {
        self.slots
            .get(slot_name)
            .and_then(|slot| slot.confirmation_status.clone())
            .unwrap_or(ConfirmationStatus::None)
    }

    /// Every spoken value of slot `slot_name`: several for a multi-value slot ("milk, eggs and
    /// bread"), one for an ordinary filled slot, none when unfilled.
    pub fn slot_values(&self, slot_name: &str) -> Vec<&str> {
        self.slots
            .get(slot_name)
            .map(Slot::values)
            .unwrap_or_default()
    }

    /// The entity-resolution IDs of slot `slot_name` (the IDs of the model's slot values that
    /// matched, `ER_SUCCESS_MATCH` only), across every value of a multi-value slot, in order.
    pub fn slot_ids(&self, slot_name: &str) -> Vec<&str> {
        self.slots
            .get(slot_name)
            .map(Slot::resolved_ids)
            .unwrap_or_default()
    }
}

/// One slot of an intent.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Slot {
    /// Always sent by Alexa (the key of `slots` repeats it); empty when left out.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// What the user said; absent when the slot was not filled, which is normal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_status: Option<ConfirmationStatus>,
    /// Entity-resolution results, for slots of custom types with synonyms or IDs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolutions: Option<Resolutions>,
    /// The newer structured `slotValue` (`Simple` or `List`), raw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot_value: Option<Value>,
    /// Fields this crate does not model, kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Slot {
    /// An unfilled slot named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: None,
            confirmation_status: None,
            resolutions: None,
            slot_value: None,
            other: Map::new(),
        }
    }

    /// Every spoken value: the items of a `List` `slotValue` (a multi-value slot), else `value`.
    /// Empty values are left out.
    pub fn values(&self) -> Vec<&str> {
        match self.list_items() {
            Some(items) => items
                .iter()
                .filter_map(|item| item.get("value").and_then(Value::as_str))
                .filter(|value| !value.is_empty())
                .collect(),
            None => self
                .value
                .as_deref()
                .filter(|value| !value.is_empty())
                .into_iter()
                .collect(),
        }
    }

    /// The IDs of the resolved values that matched (`ER_SUCCESS_MATCH`), from `resolutions`, or
    /// from each item's `resolutions` for a multi-value slot.
    pub fn resolved_ids(&self) -> Vec<&str> {
        fn matched(resolutions: &Value) -> impl Iterator<Item = &str> {
            resolutions
                .get("resolutionsPerAuthority")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|authority| authority["status"]["code"] == "ER_SUCCESS_MATCH")
                .filter_map(|authority| authority.get("values").and_then(Value::as_array))
                .flatten()
                .filter_map(|value| value["value"]["id"].as_str())
        }
        if let Some(items) = self.list_items() {
            return items
                .iter()
                .filter_map(|item| item.get("resolutions"))
                .flat_map(matched)
                .collect();
        }
        self.resolutions
            .iter()
            .flat_map(|resolutions| &resolutions.resolutions_per_authority)
            .filter(|authority| authority.status.code == ResolutionStatusCode::SuccessMatch)
            .flat_map(|authority| &authority.values)
            .filter_map(|wrapper| wrapper.value.id.as_deref())
            .collect()
    }

    /// The items of `slotValue` when it is `{"type": "List", "values": […]}`.
    fn list_items(&self) -> Option<&Vec<Value>> {
        let slot_value = self.slot_value.as_ref()?;
        if slot_value.get("type").and_then(Value::as_str) != Some("List") {
            return None;
        }
        slot_value.get("values").and_then(Value::as_array)
    }
}

/// `slot.resolutions`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resolutions {
    #[serde(default)]
    pub resolutions_per_authority: Vec<Resolution>,
}

/// One entry of `resolutionsPerAuthority`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resolution {
    /// E.g. `amzn1.er-authority.echo-sdk.<skill id>.<slot type>`.
    pub authority: String,
    pub status: ResolutionStatus,
    /// Empty (and left out by Alexa) when nothing matched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ResolutionValueWrapper>,
}

/// `status` of an entity resolution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolutionStatus {
    pub code: ResolutionStatusCode,
}

/// The `{"value": {…}}` wrapper Alexa puts around each resolved value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolutionValueWrapper {
    pub value: ResolutionValue,
}

/// A resolved slot value: the canonical name and the ID from the interaction model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolutionValue {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

wire_enum! {
    /// `confirmationStatus` of an intent or slot.
    pub enum ConfirmationStatus {
        None = "NONE",
        Confirmed = "CONFIRMED",
        Denied = "DENIED",
    }
}

wire_enum! {
    /// `dialogState` of an intent with a dialog model.
    pub enum DialogState {
        Started = "STARTED",
        InProgress = "IN_PROGRESS",
        Completed = "COMPLETED",
    }
}

wire_enum! {
    /// `status.code` of an entity resolution.
    pub enum ResolutionStatusCode {
        SuccessMatch = "ER_SUCCESS_MATCH",
        SuccessNoMatch = "ER_SUCCESS_NO_MATCH",
        ErrorTimeout = "ER_ERROR_TIMEOUT",
        ErrorException = "ER_ERROR_EXCEPTION",
    }
}

redacted_debug!(IntentRequest {
    typed: [request_id, timestamp, locale, dialog_state, intent],
    json: [other],
});

redacted_debug!(Intent {
    typed: [name, confirmation_status, slots],
    json: [other],
});

redacted_debug!(Slot {
    typed: [name, confirmation_status, resolutions],
    personal: [value],
    json: [slot_value, other],
});
