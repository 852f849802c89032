//! What a skill developer writes: one small type per intent, an optional launch handler, and
//! optional hooks for skill events.

use std::future::Future;

use alexa_model::{Intent, RequestEnvelope};
use google_api::{UserClient, scopes::Scope};
use serde_json::{Map, Value};

use crate::{Answer, Language, Text, Texts};

/// The answer to one intent of the interaction model.
///
/// ```
/// use linked_skill::{Answer, IntentHandler, IntentInput, Language, google_api};
///
/// /// "Who am I?"
/// pub struct WhoAmI;
///
/// impl IntentHandler for WhoAmI {
///     const NAME: &'static str = "WhoAmIIntent";
///     const SCOPES: &'static [&'static google_api::scopes::Scope] = &[&google_api::scopes::PROFILE];
///
///     async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, google_api::Error> {
///         let user = input.google.userinfo().await?;
///         let name = user.name.unwrap_or_default();
///         Ok(Answer::say(match input.language {
///             Language::English => format!("You are {name}."),
///             Language::German => format!("Du bist {name}."),
///         }))
///     }
/// }
/// ```
pub trait IntentHandler: Send + Sync + 'static {
    /// The intent's name in the interaction model, e.g. `"NextEventIntent"`.
    const NAME: &'static str;
    /// The Google scopes the answer needs, from `google_api::scopes`. Non-empty means a user who
    /// has not linked gets the LinkAccount answer without the handler being called, and
    /// CanFulfillIntentRequest says MAYBE for them. Empty means the intent works unlinked.
    const SCOPES: &'static [&'static Scope];
    /// The slots the handler reads (CanFulfillIntentRequest says YES for exactly these).
    const SLOTS: &'static [&'static str] = &[];

    /// The answer. A Google failure simply propagates with `?`: the toolkit turns every
    /// `google_api::Error` into the right spoken answer.
    fn answer(
        &self,
        input: IntentInput<'_>,
    ) -> impl Future<Output = Result<Answer, google_api::Error>> + Send;
}

/// The answer to a LaunchRequest ("Alexa, open …") from a linked user.
pub trait LaunchHandler: Send + Sync + 'static {
    /// As for [`IntentHandler::SCOPES`]: non-empty means an unlinked user hears
    /// [`Text::WelcomeNotLinked`] with a LinkAccount card instead.
    const SCOPES: &'static [&'static Scope];

    fn answer(
        &self,
        input: LaunchInput<'_>,
    ) -> impl Future<Output = Result<Answer, google_api::Error>> + Send;
}

/// Something to do when Alexa reports a skill event (SkillAccountLinked, SkillDisabled). The
/// event's access token is never logged by the toolkit; a hook that logs must not log it either.
pub trait SkillEventHook: Send + Sync + 'static {
    fn handle(&self, event: SkillEvent<'_>) -> impl Future<Output = ()> + Send;
}

/// Everything an intent handler gets.
#[derive(Debug, Clone, Copy)]
pub struct IntentInput<'a> {
    /// The whole request, for anything not lifted out below (timestamp, device, …).
    pub request: &'a RequestEnvelope,
    /// The intent with its slots.
    pub intent: &'a Intent,
    /// The user's language, from the request's locale.
    pub language: Language,
    /// What the skill put into the session on its previous answer.
    pub session_attributes: &'a Map<String, Value>,
    /// Google, bound to this user's token and the answer deadline.
    pub google: UserClient<'a>,
    /// Whether this request opened the session ("Alexa, ask … who am I"): [`Answer::say`] ends
    /// the session then, and keeps listening otherwise.
    pub one_shot: bool,
    pub(crate) texts: &'a Texts,
}

impl IntentInput<'_> {
    /// The spoken value of slot `name`; `None` when unfilled or empty.
    pub fn slot(&self, name: &str) -> Option<&str> {
        self.intent.slot_value(name)
    }

    /// One of the toolkit's texts (as the skill may have overridden it) in the user's language.
    pub fn text(&self, text: Text) -> &str {
        self.texts.get(self.language, text)
    }
}

/// Everything a launch handler gets.
#[derive(Debug, Clone, Copy)]
pub struct LaunchInput<'a> {
    pub request: &'a RequestEnvelope,
    pub language: Language,
    pub session_attributes: &'a Map<String, Value>,
    pub google: UserClient<'a>,
    pub(crate) texts: &'a Texts,
}

impl LaunchInput<'_> {
    /// One of the toolkit's texts in the user's language.
    pub fn text(&self, text: Text) -> &str {
        self.texts.get(self.language, text)
    }
}

/// A skill event, as a hook sees it.
#[derive(Debug, Clone, Copy)]
pub struct SkillEvent<'a> {
    pub request: &'a RequestEnvelope,
    /// Amazon's ID of the user (`context.System.user.userId`), if sent.
    pub user_id: Option<&'a str>,
    /// Google bound to the event's token (SkillAccountLinked carries the new one), if any.
    pub google: UserClient<'a>,
}
