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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dialog_manager_keys_parse_as_amazon_writes_them() {
        let dialog = super::super::parse(
            "start: linked\nsteps:\n  - say: add dentist\n    expect:\n      dialog_state: \
             COMPLETED\n      confirmation: DENIED\n      slot_confirmations: {date: CONFIRMED}\n",
        )
        .unwrap();
        let expect = &dialog.steps[0].expect;
        assert_eq!(expect.dialog_state, Some(DialogStateExpect::Completed));
        assert_eq!(expect.confirmation, Some(ConfirmationExpect::Denied));
        assert_eq!(
            expect.slot_confirmations.as_ref().unwrap()["date"],
            ConfirmationExpect::Confirmed
        );
        assert_eq!(DialogStateExpect::None.as_wire(), None);
        assert_eq!(ConfirmationExpect::Confirmed.as_wire(), "CONFIRMED");
    }

    #[test]
    fn a_misspelled_state_or_a_dialog_key_after_a_step_that_sends_nothing_is_refused() {
        let error = super::super::parse(
            "start: linked\nsteps:\n  - say: hi\n    expect:\n      dialog_state: DONE\n",
        )
        .unwrap_err();
        assert!(
            error.contains("DONE") && error.contains("IN_PROGRESS"),
            "{error}"
        );
        let error = super::super::parse(
            "start: linked\nsteps:\n  - time: 1h\n    expect:\n      confirmation: CONFIRMED\n",
        )
        .unwrap_err();
        assert!(error.contains("sends the skill nothing"), "{error}");
    }
}
