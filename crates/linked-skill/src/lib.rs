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
//! the binary's modes (Lambda, `invoke FILE|-`). [`testing`] has a fake Google and the check
//! that handlers and interaction models agree.

mod alexa_api;
mod answer;
#[cfg(test)]
mod answer_tests;
mod failure;
#[cfg(test)]
mod failure_tests;
mod handler;
mod language;
mod limits;
mod logging;
#[cfg(test)]
mod progress_tests;
mod run;
mod skill;
mod speech;
mod state;
pub mod testing;
#[cfg(test)]
mod tests;
mod texts;

pub use alexa_model;
pub use google_api;
pub use user_state;

pub use alexa_api::{ALEXA_API_TIMEOUT, PROGRESSIVE_RESPONSES_PER_REQUEST, TIME_ZONE_CACHE_FOR};
pub use answer::Answer;
pub use failure::HandlerError;
pub use handler::{
    IntentHandler, IntentInput, LaunchHandler, LaunchInput, SkillEvent, SkillEventHook,
};
pub use language::{CodeError, Language, Locale};
pub use limits::ALEXA_TEXT_LIMIT;
pub use run::run;
pub use skill::{
    ANSWER_WITHIN, AUTOMATIC_PROGRESS_AFTER, BUILT_IN_INTENTS, Error, JsonHandler, RESPONSE_MARGIN,
    SKILL_ID_CHECK_VARIABLE, Settings, SettingsError, Skill, SkillBuilder, SkillIdCheck,
};
pub use speech::{Clock, Plural, SpeechWords};
pub use state::{STORE_CALL_LIMIT, UserState, WRITE_ATTEMPTS};
pub use texts::{LocalTexts, Text, TextTable, Texts};
