//! The intents the skill handles, by the names the interaction models use.

/// An intent the skill has a handler for. `infra/skill-package` must declare exactly these (a
/// test checks both directions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    WhoAmI,
    ListFiles,
    NextEvent,
    AddNote,
    Help,
    Stop,
    Cancel,
    NavigateHome,
    Fallback,
}

impl Intent {
    pub const ALL: [Intent; 9] = [
        Intent::WhoAmI,
        Intent::ListFiles,
        Intent::NextEvent,
        Intent::AddNote,
        Intent::Help,
        Intent::Stop,
        Intent::Cancel,
        Intent::NavigateHome,
        Intent::Fallback,
    ];

    /// The slot of `AddNoteIntent` that holds the note (AMAZON.SearchQuery).
    pub const NOTE_SLOT: &str = "note";

    pub fn name(self) -> &'static str {
        match self {
            Intent::WhoAmI => "WhoAmIIntent",
            Intent::ListFiles => "ListFilesIntent",
            Intent::NextEvent => "NextEventIntent",
            Intent::AddNote => "AddNoteIntent",
            Intent::Help => "AMAZON.HelpIntent",
            Intent::Stop => "AMAZON.StopIntent",
            Intent::Cancel => "AMAZON.CancelIntent",
            Intent::NavigateHome => "AMAZON.NavigateHomeIntent",
            Intent::Fallback => "AMAZON.FallbackIntent",
        }
    }

    pub fn from_name(name: &str) -> Option<Intent> {
        Intent::ALL.into_iter().find(|intent| intent.name() == name)
    }
}
