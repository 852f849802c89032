//! What the sample remembers about a user between requests (`input.state`): one type for the
//! whole skill, so handlers that store different things never overwrite each other's fields.

use serde::{Deserialize, Serialize};

/// The sample's per-user state, stored as JSON (docs/user-state.md).
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillState {
    /// The ID of the user's notes spreadsheet, so AddNote searches Drive only once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes_spreadsheet_id: Option<String>,
}
