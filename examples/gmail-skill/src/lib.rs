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

/// The toolkit texts this skill words its own way: they name the skill and what it can do. A
/// launch needs no handler of its own: the toolkit answers it with the welcome (unlinked, with a
/// LinkAccount card) or with the help text.
const TEXTS: &[(Language, Text, &str)] = &[
    (
        Language::English,
        Text::WelcomeNotLinked,
        "Welcome to Mail Companion. To hear your email, link your Google account in the Alexa \
         app. I've sent a card there to help you.",
    ),
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
        Text::WelcomeNotLinked,
        "Willkommen bei Mail Begleiter. Verknüpfe zuerst dein Google-Konto in der Alexa-App. \
         Dort findest du eine Karte, die dir hilft.",
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
