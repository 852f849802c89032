//! The sample skill, Cloud Companion, built on the public layer of `linked-skill` only: one
//! module per intent, each with its own texts, and the few toolkit texts the sample words its own
//! way.
//!
//! Adding an intent: a new module with its handler and texts, one `mod` and one `.intent(…)` line
//! here, and its samples in `infra/models/*.json` (then `cargo xtask models`).

mod add_note;
mod launch;
mod list_files;
mod next_event;
mod who_am_i;

use linked_skill::{Language, Skill, SkillBuilder, Text};

pub use add_note::{AddNote, NOTES_RANGE, NOTES_SPREADSHEET_TITLE};
pub use launch::Launch;
pub use list_files::{FILES_TO_LIST, ListFiles};
pub use next_event::NextEvent;
pub use who_am_i::WhoAmI;

/// The sample skill's handlers and texts; the binary adds the settings from its environment.
pub fn skill() -> SkillBuilder {
    let builder = Skill::builder()
        .launch(Launch)
        .intent(WhoAmI)
        .intent(ListFiles)
        .intent(NextEvent)
        .intent(AddNote);
    TEXTS
        .iter()
        .fold(builder, |builder, (language, text, value)| {
            builder.text(*language, *text, *value)
        })
}

/// The toolkit texts the sample words its own way: they name the skill and what it can do.
const TEXTS: &[(Language, Text, &str)] = &[
    (
        Language::English,
        Text::WelcomeNotLinked,
        "Welcome to Cloud Companion. To get started, link your Google account in the Alexa app. \
         I've sent a card there to help you.",
    ),
    (
        Language::English,
        Text::Help,
        "You can ask me who you are, to list your recent files, what's next on your calendar, \
         or to add a note. What would you like?",
    ),
    (
        Language::English,
        Text::Fallback,
        "Sorry, I can't help with that. You can ask who you are, list your files, hear your next \
         event, or add a note.",
    ),
    (
        Language::German,
        Text::WelcomeNotLinked,
        "Willkommen bei Wolken Begleiter. Verknüpfe zuerst dein Google-Konto in der Alexa-App. \
         Dort findest du eine Karte, die dir hilft.",
    ),
    (
        Language::German,
        Text::Help,
        "Du kannst mich fragen, wer du bist, deine letzten Dateien auflisten lassen, was als \
         Nächstes in deinem Kalender steht, oder eine Notiz hinzufügen. Was möchtest du?",
    ),
    (
        Language::German,
        Text::Fallback,
        "Entschuldigung, dabei kann ich nicht helfen. Du kannst fragen, wer du bist, deine \
         Dateien auflisten, deinen nächsten Termin hören oder eine Notiz hinzufügen.",
    ),
];
