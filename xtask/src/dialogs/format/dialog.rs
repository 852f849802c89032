//! The dialog-file keys about Alexa's dialog manager: what the last request Alexa sent the skill
//! in a step carried (`dialog_state`, `confirmation`, `slot_confirmations`).

use serde::Deserialize;

/// `dialog_state:`: what `request.dialogState` must be (`none`: the request has none — no
/// dialog model for the intent, or not an IntentRequest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub(crate) enum DialogStateExpect {
    #[serde(rename = "STARTED")]
    Started,
    #[serde(rename = "IN_PROGRESS")]
    InProgress,
    #[serde(rename = "COMPLETED")]
    Completed,
    #[serde(rename = "none")]
    None,
}

impl DialogStateExpect {
    /// As the request carries it (`None` for no `dialogState`).
    pub(crate) fn as_wire(self) -> Option<&'static str> {
        match self {
            DialogStateExpect::Started => Some("STARTED"),
            DialogStateExpect::InProgress => Some("IN_PROGRESS"),
            DialogStateExpect::Completed => Some("COMPLETED"),
            DialogStateExpect::None => None,
        }
    }
}

/// `confirmation:` and `slot_confirmations:`: a `confirmationStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub(crate) enum ConfirmationExpect {
    #[serde(rename = "NONE")]
    None,
    #[serde(rename = "CONFIRMED")]
    Confirmed,
    #[serde(rename = "DENIED")]
    Denied,
}

impl ConfirmationExpect {
    pub(crate) fn as_wire(self) -> &'static str {
        match self {
            ConfirmationExpect::None => "NONE",
            ConfirmationExpect::Confirmed => "CONFIRMED",
            ConfirmationExpect::Denied => "DENIED",
        }
    }
}
