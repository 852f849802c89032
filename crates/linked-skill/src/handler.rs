//! What a skill developer writes: one small type per intent, an optional launch handler, and
//! optional hooks for skill events.

use std::future::Future;

use alexa_model::{ConfirmationStatus, DialogState, Intent, RequestEnvelope};
use google_api::{UserClient, scopes::Scope};
use serde_json::{Map, Value};

use crate::alexa_api::AlexaApi;
use crate::{Answer, HandlerError, Language, LocalTexts, Locale, Text, UserState};

/// The answer to one intent of the interaction model. Its words come from the skill's text
/// tables by key, one table per language; the handler never picks words by language.
///
/// ```
/// use linked_skill::{Answer, HandlerError, IntentHandler, IntentInput, Skill, google_api};
///
/// /// "Who am I?"
/// pub struct WhoAmI;
///
/// impl IntentHandler for WhoAmI {
///     const NAME: &'static str = "WhoAmIIntent";
///     const SCOPES: &'static [&'static google_api::scopes::Scope] = &[&google_api::scopes::PROFILE];
///
///     async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, HandlerError> {
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

    /// The answer. Any failure propagates with `?` ([`HandlerError`]): the toolkit turns every
    /// `google_api::Error` into the right spoken answer, and any other error into the skill's
    /// [`on_handler_error`](crate::SkillBuilder::on_handler_error) answer.
    fn answer(
        &self,
        input: IntentInput<'_>,
    ) -> impl Future<Output = Result<Answer, HandlerError>> + Send;
}

/// The answer to a LaunchRequest ("Alexa, open …") from a linked user.
pub trait LaunchHandler: Send + Sync + 'static {
    /// As for [`IntentHandler::SCOPES`]: non-empty means an unlinked user hears
    /// [`Text::WelcomeNotLinked`] with a LinkAccount card instead.
    const SCOPES: &'static [&'static Scope];

    fn answer(
        &self,
        input: LaunchInput<'_>,
    ) -> impl Future<Output = Result<Answer, HandlerError>> + Send;
}

/// Something to do when Alexa reports a skill event (SkillAccountLinked, SkillDisabled). The
/// event's access token is never logged by the toolkit; a hook that logs must not log it either.
pub trait SkillEventHook: Send + Sync + 'static {
    fn handle(&self, event: SkillEvent<'_>) -> impl Future<Output = ()> + Send;
}

/// Everything an intent handler gets. `Debug` shows the request type, the intent's name and slot
/// names, and the session attributes' keys: never a slot value, an attribute value, a user,
/// person or device ID, or a token, since a handler may log its input.
#[derive(Clone, Copy)]
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
    /// Amazon's ID of the user (`context.System.user.userId`): stable while the skill stays
    /// enabled, the key of [`IntentInput::state`].
    pub user_id: Option<&'a str>,
    /// The user's persistent state, loaded on first use and saved after the answer.
    pub state: &'a UserState<'a>,
    pub(crate) alexa: &'a AlexaApi<'a>,
}

impl<'a> IntentInput<'a> {
    /// The spoken value of slot `name`; `None` when unfilled or empty.
    pub fn slot(&self, name: &str) -> Option<&str> {
        self.intent.slot_value(name)
    }

    /// Every value of slot `name`: several for a multi-value slot, one when filled, none when
    /// not.
    pub fn slot_values(&self, name: &str) -> Vec<&'a str> {
        self.intent.slot_values(name)
    }

    /// The entity-resolution IDs of slot `name` (matched values of the model's slot type).
    pub fn slot_ids(&self, name: &str) -> Vec<&'a str> {
        self.intent.slot_ids(name)
    }

    /// Whether the user confirmed slot `name` after [`Answer::confirm_slot`](crate::Answer::confirm_slot).
    pub fn slot_confirmation(&self, name: &str) -> ConfirmationStatus {
        self.intent.slot_confirmation(name)
    }

    /// Whether the user confirmed the intent after [`Answer::confirm_intent`](crate::Answer::confirm_intent)
    /// (or the dialog model's confirmation prompt).
    pub fn confirmation_status(&self) -> ConfirmationStatus {
        self.intent.confirmation()
    }

    /// Where the dialog stands (`STARTED`, `IN_PROGRESS`, `COMPLETED`); `None` for an intent
    /// without a dialog model. `COMPLETED` with a denied confirmation is normal: check
    /// [`IntentInput::confirmation_status`] before acting.
    pub fn dialog_state(&self) -> Option<&'a DialogState> {
        match &self.request.request {
            alexa_model::Request::IntentRequest(request) => request.dialog_state.as_ref(),
            _ => None,
        }
    }

    /// One of the toolkit's texts (as the skill may have overridden it) in the user's language.
    pub fn text(&self, text: Text) -> &'a str {
        self.texts.text(text)
    }

    /// Speaks `text` right away while the handler keeps working ("Let me look…"), through
    /// Alexa's Progressive Response API. Returns whether Alexa accepted it; a failure is logged
    /// and never fails or delays the answer. At most
    /// [`PROGRESSIVE_RESPONSES_PER_REQUEST`](crate::limits::PROGRESSIVE_RESPONSES_PER_REQUEST) per
    /// request, counting the toolkit's automatic one.
    pub async fn progress(&self, text: &str) -> bool {
        self.alexa.progress(text).await
    }

    /// The device's time zone, from Alexa's settings API (asked once per device and hour in a
    /// warm process); `None` when the user has set none or the API cannot be reached. Speak
    /// times and "today" in it; fall back to the calendar's zone only when it is `None`.
    pub async fn time_zone(&self) -> Option<jiff::tz::TimeZone> {
        device_time_zone(self.alexa).await
    }
}

async fn device_time_zone(alexa: &AlexaApi<'_>) -> Option<jiff::tz::TimeZone> {
    let name = alexa.time_zone().await?;
    match jiff::tz::TimeZone::get(&name) {
        Ok(zone) => Some(zone),
        Err(_) => {
            tracing::warn!(time_zone = %name, "the device's time zone is not a known IANA zone");
            None
        }
    }
}

/// Everything a launch handler gets. `Debug` shows what [`IntentInput`]'s does, without the
/// intent.
#[derive(Clone, Copy)]
pub struct LaunchInput<'a> {
    pub request: &'a RequestEnvelope,
    /// As for [`IntentInput::locale`].
    pub locale: Locale,
    pub language: Language,
    pub session_attributes: &'a Map<String, Value>,
    pub google: UserClient<'a>,
    /// As for [`IntentInput::texts`].
    pub texts: LocalTexts<'a>,
    /// As for [`IntentInput::user_id`].
    pub user_id: Option<&'a str>,
    /// As for [`IntentInput::state`].
    pub state: &'a UserState<'a>,
    pub(crate) alexa: &'a AlexaApi<'a>,
}

impl<'a> LaunchInput<'a> {
    /// One of the toolkit's texts in the user's language.
    pub fn text(&self, text: Text) -> &'a str {
        self.texts.text(text)
    }

    /// As [`IntentInput::progress`].
    pub async fn progress(&self, text: &str) -> bool {
        self.alexa.progress(text).await
    }

    /// As [`IntentInput::time_zone`].
    pub async fn time_zone(&self) -> Option<jiff::tz::TimeZone> {
        device_time_zone(self.alexa).await
    }
}

/// A skill event, as a hook sees it. `Debug` shows the event type and whether a user ID came,
/// not the ID (Amazon's ID of the person using the skill).
#[derive(Clone, Copy)]
pub struct SkillEvent<'a> {
    pub request: &'a RequestEnvelope,
    /// Amazon's ID of the user (`context.System.user.userId`), if sent.
    pub user_id: Option<&'a str>,
    /// Google bound to the event's token (SkillAccountLinked carries the new one), if any.
    pub google: UserClient<'a>,
    /// The user's persistent state. On SkillDisabled the toolkit deletes it after the hook
    /// unless Amazon keeps the user's information (docs/user-state.md).
    pub state: &'a UserState<'a>,
}

/// The keys of `map` only: values are the user's (what they said, what the skill kept for them).
struct Keys<'a>(&'a Map<String, Value>);

impl std::fmt::Debug for Keys<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_list().entries(self.0.keys()).finish()
    }
}

impl std::fmt::Debug for IntentInput<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let IntentInput {
            request,
            intent,
            locale,
            language,
            session_attributes,
            google: _,
            one_shot,
            texts: _,
            user_id,
            state: _,
            alexa: _,
        } = self;
        formatter
            .debug_struct("IntentInput")
            .field("request_type", &request.request_type_name())
            .field("intent", &intent.name)
            .field("slots", &intent.slots.keys().collect::<Vec<_>>())
            .field("locale", locale)
            .field("language", language)
            .field("session_attribute_keys", &Keys(session_attributes))
            .field("one_shot", one_shot)
            .field("user_id", &user_id.map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for LaunchInput<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let LaunchInput {
            request,
            locale,
            language,
            session_attributes,
            google: _,
            texts: _,
            user_id,
            state: _,
            alexa: _,
        } = self;
        formatter
            .debug_struct("LaunchInput")
            .field("request_type", &request.request_type_name())
            .field("locale", locale)
            .field("language", language)
            .field("session_attribute_keys", &Keys(session_attributes))
            .field("user_id", &user_id.map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for SkillEvent<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let SkillEvent {
            request,
            user_id,
            google: _,
            state: _,
        } = self;
        formatter
            .debug_struct("SkillEvent")
            .field("request_type", &request.request_type_name())
            .field("user_id", &user_id.map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PERSONAL: [&str; 7] = [
        "buy milk for Ada",
        "ada@example.com",
        "amzn1.ask.account.ADA",
        "amzn1.ask.person.ADA",
        "amzn1.ask.device.ADA",
        "ya29.ada-token",
        "kept-for-ada",
    ];

    fn envelope() -> RequestEnvelope {
        serde_json::from_value(serde_json::json!({
            "version": "1.0",
            "session": {"new": false, "sessionId": "s", "application": {"applicationId": "amzn1.ask.skill.1"},
                "attributes": {"lastNote": "kept-for-ada", "email": "ada@example.com"},
                "user": {"userId": "amzn1.ask.account.ADA", "accessToken": "ya29.ada-token"}},
            "context": {"System": {"application": {"applicationId": "amzn1.ask.skill.1"},
                "user": {"userId": "amzn1.ask.account.ADA", "accessToken": "ya29.ada-token"},
                "person": {"personId": "amzn1.ask.person.ADA", "accessToken": "ya29.ada-token"},
                "device": {"deviceId": "amzn1.ask.device.ADA"}, "apiAccessToken": "ya29.ada-token"}},
            "request": {"type": "IntentRequest", "requestId": "r", "timestamp": "2026-01-01T00:00:00Z",
                "locale": "en-US", "intent": {"name": "AddNoteIntent", "confirmationStatus": "NONE",
                "slots": {"text": {"name": "text", "value": "buy milk for Ada", "confirmationStatus": "NONE"}}}}
        }))
        .unwrap()
    }

    #[test]
    fn debug_of_handler_inputs_shows_no_personal_data_or_token() {
        let request = envelope();
        let alexa_model::Request::IntentRequest(intent_request) = &request.request else {
            panic!("an intent request");
        };
        let client = google_api::Client::new(
            google_api::Endpoints::google(),
            google_api::default_http_client(),
        );
        let token = google_api::AccessToken::new("ya29.ada-token".to_owned());
        let deadline = google_api::Deadline::after(std::time::Duration::from_secs(5));
        let texts = crate::Texts::default();
        let locale = Locale::new("en-US").unwrap();
        let session_attributes = request.session_attributes();
        let user_id = request.user().and_then(|user| user.user_id.as_deref());
        let state = UserState::new(
            None,
            user_id,
            Some(&token),
            client.for_user(&token, deadline),
            deadline,
        );
        let http = google_api::LazyHttpClient::new();
        let time_zones = crate::alexa_api::TimeZoneCache::default();
        let alexa = AlexaApi::for_request(&http, &time_zones, &request, deadline);
        let intent = IntentInput {
            request: &request,
            intent: &intent_request.intent,
            locale,
            language: Language::EN,
            session_attributes,
            google: client.for_user(&token, deadline),
            one_shot: false,
            texts: texts.for_locale(locale),
            user_id,
            state: &state,
            alexa: &alexa,
        };
        let launch = LaunchInput {
            request: &request,
            locale,
            language: Language::EN,
            session_attributes,
            google: client.for_user(&token, deadline),
            texts: texts.for_locale(locale),
            user_id,
            state: &state,
            alexa: &alexa,
        };
        let event = SkillEvent {
            request: &request,
            user_id,
            google: client.for_user(&token, deadline),
            state: &state,
        };
        let printed = [
            format!("{intent:?}"),
            format!("{launch:?}"),
            format!("{event:?}"),
        ];
        for text in &printed {
            for personal in PERSONAL {
                assert!(!text.contains(personal), "{personal} in {text}");
            }
        }
        assert_eq!(
            printed[0],
            r#"IntentInput { request_type: "IntentRequest", intent: "AddNoteIntent", slots: ["text"], locale: Locale("en-US"), language: Language("en"), session_attribute_keys: ["email", "lastNote"], one_shot: false, user_id: Some("<redacted>"), .. }"#
        );
        assert_eq!(
            printed[2],
            r#"SkillEvent { request_type: "IntentRequest", user_id: Some("<redacted>"), .. }"#
        );
    }
}
