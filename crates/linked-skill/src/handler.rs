//! What a skill developer writes: one small type per intent, an optional launch handler, and
//! optional hooks for skill events.

use std::future::Future;

use alexa_model::{Intent, RequestEnvelope};
use google_api::{UserClient, scopes::Scope};
use serde_json::{Map, Value};

use crate::{Answer, Language, LocalTexts, Locale, Text};

/// The answer to one intent of the interaction model. Its words come from the skill's text
/// tables by key, one table per language; the handler never picks words by language.
///
/// ```
/// use linked_skill::{Answer, IntentHandler, IntentInput, Skill, google_api};
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
///         Ok(Answer::say(input.texts.format("you_are", &[("name", &name)])))
///     }
/// }
///
/// // src/texts/en.rs, src/texts/de.rs, …: one home per language.
/// static EN: linked_skill::TextTable = linked_skill::text_table!("en", {
///     "you_are" => "You are {name}.",
/// });
/// static DE: linked_skill::TextTable = linked_skill::text_table!("de", {
///     "you_are" => "Du bist {name}.",
/// });
///
/// let skill = Skill::builder().intent(WhoAmI).texts(&EN).texts(&DE).build();
/// assert!(skill.texts().problems(&["de-DE".parse().unwrap()]).is_empty());
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
    /// The request's locale (`fr-CA`); the skill's default language when the request has none.
    pub locale: Locale,
    /// The locale's language (`fr`).
    pub language: Language,
    /// What the skill put into the session on its previous answer.
    pub session_attributes: &'a Map<String, Value>,
    /// Google, bound to this user's token and the answer deadline.
    pub google: UserClient<'a>,
    /// Whether this request opened the session ("Alexa, ask … who am I"): [`Answer::say`] ends
    /// the session then, and keeps listening otherwise.
    pub one_shot: bool,
    /// The skill's and the toolkit's texts and the speech helpers (lists, counts, dates, times)
    /// for the request's locale.
    pub texts: LocalTexts<'a>,
}

impl<'a> IntentInput<'a> {
    /// The spoken value of slot `name`; `None` when unfilled or empty.
    pub fn slot(&self, name: &str) -> Option<&str> {
        self.intent.slot_value(name)
    }

    /// One of the toolkit's texts (as the skill may have overridden it) in the user's language.
    pub fn text(&self, text: Text) -> &'a str {
        self.texts.text(text)
    }
}

/// Everything a launch handler gets.
#[derive(Debug, Clone, Copy)]
pub struct LaunchInput<'a> {
    pub request: &'a RequestEnvelope,
    /// As for [`IntentInput::locale`].
    pub locale: Locale,
    pub language: Language,
    pub session_attributes: &'a Map<String, Value>,
    pub google: UserClient<'a>,
    /// As for [`IntentInput::texts`].
    pub texts: LocalTexts<'a>,
}

impl<'a> LaunchInput<'a> {
    /// One of the toolkit's texts in the user's language.
    pub fn text(&self, text: Text) -> &'a str {
        self.texts.text(text)
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
