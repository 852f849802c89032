//! What the example remembers about a user between requests (`input.state`): the newest inbox
//! message the user has heard about, so "anything new since I last asked?" has an answer. One
//! type for the whole skill, so handlers that store different things never overwrite each
//! other's fields.

use serde::{Deserialize, Serialize};

use crate::gmail::InboxMessage;

/// The example's per-user state, stored as JSON (docs/user-state.md): a message ID and a time,
/// never a sender, a subject or any other content of the mailbox.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MailState {
    /// What the user last heard about the inbox; `None` until they first asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heard: Option<Heard>,
}

/// The newest inbox message when the user last heard about the inbox.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Heard {
    /// Its Gmail message ID; `None` when the inbox was empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_id: Option<String>,
    /// When it arrived (Gmail's `internalDate`, epoch milliseconds). It tells whether a message
    /// is newer once the remembered one has left the inbox (archived, deleted) or has dropped
    /// out of the page of newest messages the skill reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_received_millis: Option<i64>,
}

impl Heard {
    /// The user has now heard about `newest` (`None`: the inbox is empty).
    pub(crate) fn of(newest: Option<&InboxMessage>) -> Heard {
        Heard {
            newest_id: newest.map(|message| message.id.clone()),
            newest_received_millis: newest.and_then(|message| message.received_millis),
        }
    }
}
