//! The test kit of a skill built on the toolkit: requests as Alexa sends them
//! ([`TestRequest`]), readers of the answers ([`TestResponse`]), the skill answering in process
//! ([`answer`]) or as its real binary ([`SkillBinary`]), a Google without sockets in every link
//! state ([`FakeGoogle`]), a state store in memory ([`MemoryStore`]), and the check that a
//! skill's handlers, texts and interaction models agree ([`check_interaction_models`]).
//!
//! ```
//! use linked_skill::testing::{FakeGoogle, GoogleState, LINKED_TOKEN, TestRequest, answer};
//! use linked_skill::{Answer, HandlerError, IntentHandler, IntentInput, Skill, google_api};
//!
//! struct WhoAmI;
//!
//! impl IntentHandler for WhoAmI {
//!     const NAME: &'static str = "WhoAmIIntent";
//!     const SCOPES: &'static [&'static google_api::scopes::Scope] =
//!         &[&google_api::scopes::PROFILE];
//!
//!     async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, HandlerError> {
//!         let user = input.google.userinfo().await?;
//!         Ok(Answer::say(format!("You are {}.", user.name.unwrap_or_default())))
//!     }
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let google = FakeGoogle::new(GoogleState::Linked, LINKED_TOKEN).route(
//!     google_api::Method::GET,
//!     "/v1/userinfo",
//!     &["profile"],
//!     serde_json::json!({"sub": "1001", "name": "Ada Lovelace"}),
//! );
//! let skill = Skill::builder().intent(WhoAmI).google(google.client()).build();
//!
//! let linked = answer(&skill, TestRequest::intent("WhoAmIIntent").linked(LINKED_TOKEN)).await;
//! assert_eq!(linked.speech(), "You are Ada Lovelace.");
//! assert_eq!(linked.reprompt(), Some("Anything else?"));
//!
//! let unlinked = answer(&skill, TestRequest::intent("WhoAmIIntent")).await;
//! assert!(unlinked.has_link_account_card());
//! assert_eq!(unlinked.should_end_session(), Some(true));
//! # });
//! ```

mod fake_google;
mod invoke;
mod models;
mod request;
mod response;
#[cfg(test)]
mod tests;

pub use fake_google::{FakeGoogle, GoogleState, RecordedRequest};
pub use invoke::SkillBinary;
pub use models::check_interaction_models;
pub use request::{LINKED_TOKEN, OFFLINE_API_ENDPOINT, SKILL_ID, TIMESTAMP, TestRequest, USER_ID};
pub use response::{TestResponse, answer};

/// A state store in memory, for [`SkillBuilder::state_store`](crate::SkillBuilder::state_store)
/// in unit tests: it keeps DynamoDB's rules (version check, 400 KB limit) and can be switched
/// off or made to lose writes to a concurrent request.
pub use user_state::{Item as StoredItem, MemoryStore};
