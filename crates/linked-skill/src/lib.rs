//! Build an Alexa skill that links the user's Google account: one small handler per intent,
//! everything cross-cutting done once.
//!
//! A skill is a [`Skill`] built from handlers, run by [`run`]:
//!
//! ```no_run
//! # use linked_skill::{Answer, IntentHandler, IntentInput, google_api};
//! # struct LatestEmail;
//! # impl IntentHandler for LatestEmail {
//! #     const NAME: &'static str = "LatestEmailIntent";
//! #     const SCOPES: &'static [&'static google_api::scopes::Scope] = &[&google_api::scopes::GMAIL_READONLY];
//! #     async fn answer(&self, _: IntentInput<'_>) -> Result<Answer, linked_skill::HandlerError> { todo!() }
//! # }
//! fn main() -> std::process::ExitCode {
//!     linked_skill::run(|| linked_skill::Skill::builder().intent(LatestEmail).build())
//! }
//! ```
//!
//! The toolkit owns, once for every skill: the skill-ID check (`SKILL_ID`), the 7.5 s answer
//! deadline, the LinkAccount answer for an unlinked user, the answer to every `google_api::Error`
//! and to a handler's own errors ([`HandlerError`], answered by the skill's hook)
//! (relink, missing permission named from `google_api::scopes`, apology when Google is slow or
//! down), CanFulfillIntentRequest from the registered handlers, the built-in intents (Help, Stop,
//! Cancel, NavigateHome, Fallback), session-end and skill events, logging without tokens, and
//! the binary's modes ([`runtime`]: Lambda, `invoke FILE|-`, `serve`). [`testing`] is the kit
//! for a skill's tests; [`limits`] the numbers the toolkit keeps to.

mod alexa_api;
mod answer;
mod failure;
mod handler;
mod language;
pub mod limits;
pub mod runtime;
mod skill;
mod speech;
mod state;
pub mod testing;
mod texts;

#[cfg(test)]
mod answer_tests;
#[cfg(test)]
mod failure_tests;
#[cfg(test)]
mod progress_tests;
#[cfg(test)]
mod tests;

pub use alexa_model;
pub use google_api;
pub use user_state;

pub use answer::Answer;
pub use failure::HandlerError;
pub use handler::{
    IntentHandler, IntentInput, LaunchHandler, LaunchInput, SkillEvent, SkillEventHook,
};
pub use language::{CodeError, Language, Locale};
pub use runtime::run;
pub use skill::{BUILT_IN_INTENTS, Error, Skill, SkillBuilder};
pub use speech::{Clock, Plural, SpeechWords};
pub use state::UserState;
pub use texts::{LocalTexts, Text, TextTable, Texts};

// `runtime/run.rs` names the runtime's parts from the crate root.
use runtime::{Settings, SkillIdCheck, logging};
