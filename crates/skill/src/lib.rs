//! The sample skill, Cloud Companion, built on the public layer of `linked-skill` only: one
//! module per intent, and its words in one text table per language (`texts/<code>.rs`: en, de,
//! fr, es, it, ja), including the few toolkit texts the sample words its own way.
//!
//! Adding an intent: a new module with its handler, its texts in every `texts/<code>.rs`, one
//! `mod` and one `.intent(…)` line here, and its samples in `infra/models/*.json` (then `cargo
//! xtask models`). Adding a language: `texts/<code>.rs`, one `.texts(…)` line here, and
//! `infra/models/<code>.json`.

mod add_note;
mod create_event;
mod launch;
mod list_files;
mod next_event;
mod state;
mod texts;
mod who_am_i;

use linked_skill::{Skill, SkillBuilder};

pub use add_note::{AddNote, NOTES_RANGE, NOTES_SPREADSHEET_TITLE};
pub use create_event::{
    ASKED_ATTRIBUTE, CreateEvent, DATE_SLOT, EVENT_LENGTH, SUMMARY_SLOT, TIME_SLOT,
};
pub use launch::Launch;
pub use list_files::{FILES_TO_LIST, ListFiles};
pub use next_event::NextEvent;
pub use state::SkillState;
pub use who_am_i::WhoAmI;

/// The sample skill's handlers and texts; the binary adds the settings from its environment.
pub fn skill() -> SkillBuilder {
    let builder = Skill::builder()
        .launch(Launch)
        .intent(WhoAmI)
        .intent(ListFiles)
        .intent(NextEvent)
        .intent(AddNote)
        .intent(CreateEvent);
    texts::ALL
        .iter()
        .fold(builder, |builder, table| builder.texts(table))
}
