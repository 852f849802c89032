//! The Gmail example: "what's my latest email", "how many unread emails do I have" and "anything
//! new since I last asked?" (which remembers, per user, the newest email they heard about), built
//! on the public API of `linked-skill` only. One module per intent, the Gmail calls both need in
//! `gmail`, and the words in one text table per language (`texts/<code>.rs`: en, de, fr).
//!
//! Adding an intent: a new module with its handler, its texts in every `texts/<code>.rs`, one
//! `mod` and one `.intent(…)` line here, and its samples in `models/*.json` (then `cargo xtask
//! models`).

mod gmail;
mod latest_email;
mod new_email;
mod state;
mod texts;
mod unread_count;

use linked_skill::{Skill, SkillBuilder};

pub use gmail::spoken_sender;
pub use latest_email::LatestEmail;
pub use new_email::{NEW_EMAILS_LOOKED_AT, NewEmail};
pub use state::{Heard, MailState};
pub use unread_count::UnreadCount;

/// The skill's handlers and texts; the binary adds the settings from its environment. A launch
/// needs no handler of its own: the toolkit answers it with the welcome (unlinked, with a
/// LinkAccount card) or with the help text, both worded in `texts/<code>.rs`.
pub fn skill() -> SkillBuilder {
    let builder = Skill::builder()
        .intent(LatestEmail)
        .intent(UnreadCount)
        .intent(NewEmail);
    texts::ALL
        .iter()
        .fold(builder, |builder, table| builder.texts(table))
}
