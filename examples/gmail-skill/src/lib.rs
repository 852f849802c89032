//! The Gmail example: "what's my latest email" and "how many unread emails do I have", built on
//! the public API of `linked-skill` only. One module per intent, each with its own texts; the
//! Gmail calls both need are in `gmail`.
//!
//! Adding an intent: a new module with its handler and texts, one `mod` and one `.intent(…)` line
//! here, and its samples in `models/*.json` (then `cargo xtask models`).

mod gmail;
mod latest_email;
mod unread_count;

use linked_skill::{Language, Skill, SkillBuilder, Text};

pub use gmail::spoken_sender;
pub use latest_email::LatestEmail;
pub use unread_count::UnreadCount;

/// The skill's handlers and texts; the binary adds the settings from its environment.
pub fn skill() -> SkillBuilder {
    let builder = Skill::builder().intent(LatestEmail).intent(UnreadCount);
    TEXTS
        .iter()
        .fold(builder, |builder, (language, text, value)| {
            builder.text(*language, *text, *value)
        })
}

/// The toolkit texts this skill words its own way: they say what it can do.
const TEXTS: &[(Language, Text, &str)] = &[
    (
        Language::English,
        Text::Help,
        "You can ask me for your latest email, or how many unread emails you have. What would \
         you like?",
    ),
    (
        Language::English,
        Text::Fallback,
        "Sorry, I can't help with that. You can ask for your latest email, or how many unread \
         emails you have.",
    ),
    (
        Language::German,
        Text::Help,
        "Du kannst mich nach deiner neuesten E-Mail fragen, oder wie viele ungelesene E-Mails du \
         hast. Was möchtest du?",
    ),
    (
        Language::German,
        Text::Fallback,
        "Entschuldigung, dabei kann ich nicht helfen. Du kannst nach deiner neuesten E-Mail \
         fragen, oder wie viele ungelesene E-Mails du hast.",
    ),
];
