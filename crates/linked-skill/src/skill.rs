//! The router: which answer each request gets, in every account-linking state.
//!
//! The rule: an intent that needs Google and has no linked token, or whose token Google rejects,
//! gets speech asking the user to link plus a LinkAccount card. Google being slow or down gets a
//! short apology that keeps the session open. Only a request that is not an Alexa request, or is
//! meant for another skill, becomes an error (a Lambda error).
//!
//! There is no signature or timestamp check: on Lambda only the Alexa trigger permission (bound
//! to the skill ID) lets a request in, and Amazon says a Lambda skill need not verify requests
//! itself (docs/alexa-requests.md, Lambda vs HTTPS endpoints). `alexa_model::check_timestamp`
//! is there for an HTTPS endpoint.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use alexa_model::{
    CanFulfill, CanFulfillIntent, CanFulfillSlot, Card, Directive, Intent, Request,
    RequestEnvelope, ResponseBuilder, ResponseEnvelope, SkillId, SkillIdMismatch,
    linked_access_token, verify_skill_id,
};
use google_api::{BoxFuture, Deadline, scopes::Scope};
use serde_json::Value;
use tokio::time::Instant;
use tracing::{info, warn};

use crate::alexa_api::{AlexaApi, TimeZoneCache};
use crate::answer::AnswerKind;
use crate::handler::{IntentInput, LaunchInput, SkillEvent};
use crate::state::{self, UserState};
use crate::{
    Answer, HandlerError, IntentHandler, Language, LaunchHandler, LocalTexts, Locale,
    SkillEventHook, SpeechWords, Text, TextTable, Texts,
};

/// Alexa waits 8 seconds for a skill (docs/alexa-requests.md, The answer window); answer within
/// this much of a request arriving.
pub const ANSWER_WITHIN: Duration = Duration::from_millis(7_500);
/// Time kept back from the answer budget for building and sending the response.
pub const RESPONSE_MARGIN: Duration = Duration::from_millis(300);

/// How long a launch or intent handler may work (in practice: wait on Google) before the user
/// hears [`Text::OneMoment`] as a progressive response. A Google call normally returns well
/// within a second, so a fast answer never has one; after 1.5 s of silence a user starts to
/// wonder whether Alexa heard them; and 1.5 s leaves 6 s of the answer window for Google and the
/// short phrase. Changed or turned off with [`SkillBuilder::automatic_progress`].
pub const AUTOMATIC_PROGRESS_AFTER: Duration = Duration::from_millis(1_500);

/// The built-in intents the toolkit answers unless a handler is registered for them. Every
/// interaction model must declare them.
pub const BUILT_IN_INTENTS: [&str; 5] = [
    HELP_INTENT,
    STOP_INTENT,
    CANCEL_INTENT,
    NAVIGATE_HOME_INTENT,
    FALLBACK_INTENT,
];
const HELP_INTENT: &str = "AMAZON.HelpIntent";
const STOP_INTENT: &str = "AMAZON.StopIntent";
const CANCEL_INTENT: &str = "AMAZON.CancelIntent";
const NAVIGATE_HOME_INTENT: &str = "AMAZON.NavigateHomeIntent";
const FALLBACK_INTENT: &str = "AMAZON.FallbackIntent";

/// What a skill binary reads from its environment: `SKILL_ID`, `GOOGLE_API_ROOT` and the state
/// store (`SKILL_STATE_TABLE` with the AWS variables).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Requests for any other skill are refused. `None` accepts every skill ID; the Lambda mode
    /// refuses to start that way unless told to ([`Settings::skill_id_check`]).
    pub skill_id: Option<SkillId>,
    pub endpoints: google_api::Endpoints,
    /// Where users' state lives; `None` keeps none (docs/user-state.md).
    pub state_store: Option<user_state::DynamoDbSettings>,
}

/// The environment holds something unusable; the message names the variable to fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    #[error("SKILL_ID is not a skill ID ({detail}): set it to your skill's `amzn1.ask.skill.…` ID")]
    SkillId { detail: String },
    #[error(
        "SKILL_ID is not set: set it to your skill's `amzn1.ask.skill.…` ID so requests for other \
         skills are refused (or set SKILL_ID_CHECK=off to accept every skill, for testing only)"
    )]
    SkillIdMissing,
    #[error("SKILL_ID_CHECK=off contradicts SKILL_ID: unset one of them")]
    SkillIdCheckContradiction,
    #[error("SKILL_ID_CHECK must be `off` (or unset), not {value:?}")]
    SkillIdCheckValue { value: String },
    #[error(transparent)]
    GoogleApiRoot(google_api::Error),
    #[error(transparent)]
    StateStore(user_state::SettingsError),
}

impl Settings {
    /// `SKILL_ID` (optional) and `GOOGLE_API_ROOT` (optional: Google's own hosts by default).
    pub fn from_env() -> Result<Settings, SettingsError> {
        let skill_id = match std::env::var("SKILL_ID") {
            Ok(value) if !value.trim().is_empty() => Some(SkillId::parse(value.trim()).map_err(
                |error| SettingsError::SkillId {
                    detail: error.to_string(),
                },
            )?),
            _ => None,
        };
        let endpoints = google_api::Endpoints::from_env().map_err(SettingsError::GoogleApiRoot)?;
        let state_store =
            user_state::DynamoDbSettings::from_env().map_err(SettingsError::StateStore)?;
        Ok(Settings {
            skill_id,
            endpoints,
            state_store,
        })
    }
}

/// How a mode that faces Alexa (Lambda, an HTTPS server) checks the skill ID: see
/// [`Settings::skill_id_check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkillIdCheck<'a> {
    /// Requests for any other skill are refused.
    Enforced(&'a SkillId),
    /// Every skill's requests are accepted: `SKILL_ID_CHECK=off` said so explicitly.
    Off,
}

/// The variable that turns the skill-ID check off (`off`) where it is otherwise required.
pub const SKILL_ID_CHECK_VARIABLE: &str = "SKILL_ID_CHECK";

impl Settings {
    /// The skill-ID check of a mode that faces Alexa, which fails closed: without `SKILL_ID` it
    /// is an error unless `SKILL_ID_CHECK=off` is set explicitly (a function reachable by
    /// another skill's trigger, or by a hand-made one without skill-ID verification, must not
    /// silently answer it). `invoke` does not call this: it handles local files.
    pub fn skill_id_check(&self) -> Result<SkillIdCheck<'_>, SettingsError> {
        let check = std::env::var(SKILL_ID_CHECK_VARIABLE).ok();
        skill_id_check(self.skill_id.as_ref(), check.as_deref())
    }
}

fn skill_id_check<'a>(
    skill_id: Option<&'a SkillId>,
    check: Option<&str>,
) -> Result<SkillIdCheck<'a>, SettingsError> {
    let check = check.map(str::trim).unwrap_or_default();
    match (skill_id, check) {
        (Some(skill_id), "" | "on") => Ok(SkillIdCheck::Enforced(skill_id)),
        (None, "" | "on") => Err(SettingsError::SkillIdMissing),
        (None, "off") => Ok(SkillIdCheck::Off),
        (Some(_), "off") => Err(SettingsError::SkillIdCheckContradiction),
        (_, other) => Err(SettingsError::SkillIdCheckValue {
            value: other.chars().take(40).collect(),
        }),
    }
}

/// Why a request got no answer: these become Lambda errors, never speech.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("the event is not an Alexa request: {0}")]
    NotAnAlexaRequest(#[source] serde_json::Error),
    #[error("refused a request for another skill: {0}")]
    WrongSkill(#[from] SkillIdMismatch),
    #[error("could not serialize the response: {0}")]
    Serialize(#[source] serde_json::Error),
}

/// A skill's request handler as a plain function of JSON, for any transport (Lambda, an HTTPS
/// server): `handler(event, arrived)`, where `arrived` is when the request reached the process.
pub type JsonHandler =
    Arc<dyn Fn(Value, Instant) -> BoxFuture<'static, Result<Value, Error>> + Send + Sync>;

/// A skill: the registered handlers and everything cross-cutting. Built once per process with
/// [`Skill::builder`] and shared by every request.
pub struct Skill {
    skill_id: Option<SkillId>,
    google: google_api::Client,
    intents: BTreeMap<&'static str, Box<dyn ErasedIntent>>,
    launch: Option<Box<dyn ErasedLaunch>>,
    on_account_linked: Option<Box<dyn ErasedHook>>,
    on_skill_disabled: Option<Box<dyn ErasedHook>>,
    on_handler_error: Option<Box<HandlerErrorHook>>,
    /// Calls Alexa's APIs back (progressive responses); built on first use.
    alexa_http: google_api::LazyHttpClient,
    time_zones: TimeZoneCache,
    automatic_progress: Option<Duration>,
    texts: Texts,
    state_store: Option<Arc<dyn user_state::Store>>,
}

/// What [`SkillBuilder::on_handler_error`] takes.
type HandlerErrorHook = dyn Fn(&HandlerError, LocalTexts<'_>) -> Answer + Send + Sync;

impl fmt::Debug for Skill {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Skill")
            .field("skill_id", &self.skill_id)
            .field("intents", &self.intents.keys().collect::<Vec<_>>())
            .field("launch", &self.launch.is_some())
            .finish_non_exhaustive()
    }
}

/// Collects a skill's handlers; [`SkillBuilder::build`] makes the [`Skill`].
pub struct SkillBuilder {
    skill: Skill,
}

impl fmt::Debug for SkillBuilder {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_tuple("SkillBuilder")
            .field(&self.skill)
            .finish()
    }
}

impl SkillBuilder {
    /// Registers the handler of intent `H::NAME`. Like axum's `Router::route`, registering one
    /// name twice is a programming error and panics at start-up.
    pub fn intent<H: IntentHandler>(mut self, handler: H) -> SkillBuilder {
        let previous = self.skill.intents.insert(H::NAME, Box::new(handler));
        assert!(
            previous.is_none(),
            "two handlers for the intent {}",
            H::NAME
        );
        self
    }

    /// Answers LaunchRequest with `handler` (by default: [`Text::Help`] for a linked user).
    pub fn launch<H: LaunchHandler>(mut self, handler: H) -> SkillBuilder {
        self.skill.launch = Some(Box::new(handler));
        self
    }

    /// Adds one of the skill's text tables (one language or one locale, see [`TextTable`]):
    /// its own texts by key, and overrides of the toolkit's [`Text`]s. A table for a code that
    /// is not a language or locale is a programming error and panics at start-up, naming its
    /// file.
    pub fn texts(mut self, table: &'static TextTable) -> SkillBuilder {
        self.skill.texts.add_table(table);
        self
    }

    /// Replaces one of the toolkit's texts in one language (`"de"`) or locale (`"en-GB"`).
    /// Panics at start-up when `code` is neither.
    pub fn text(mut self, code: &str, text: Text, value: impl Into<String>) -> SkillBuilder {
        let locale = Locale::new(code)
            .unwrap_or_else(|error| panic!("SkillBuilder::text for {text:?}: {error}"));
        self.skill.texts.set(locale, text, value.into());
        self
    }

    /// The language spoken when a request's locale has no text (by default English): a skill
    /// whose first language is another sets it, and must then give a table for it.
    pub fn default_language(mut self, language: Language) -> SkillBuilder {
        self.skill.texts.set_default_language(language);
        self
    }

    /// How `language` says lists, counts, dates and times, for a language the toolkit does not
    /// ship (or to say them differently in one it does).
    pub fn speech_words(mut self, language: Language, words: &'static SpeechWords) -> SkillBuilder {
        self.skill.texts.add_speech_words(language, words);
        self
    }

    /// Runs `hook` on `AlexaSkillEvent.SkillAccountLinked`.
    pub fn on_account_linked(mut self, hook: impl SkillEventHook) -> SkillBuilder {
        self.skill.on_account_linked = Some(Box::new(hook));
        self
    }

    /// Runs `hook` on `AlexaSkillEvent.SkillDisabled` (Alexa has deleted the user's token).
    pub fn on_skill_disabled(mut self, hook: impl SkillEventHook) -> SkillBuilder {
        self.skill.on_skill_disabled = Some(Box::new(hook));
        self
    }

    /// Chooses the answer when a handler fails with an error of its own (not Google's, whose
    /// link-state answers stay the toolkit's): e.g. "I didn't catch that date" for a parse
    /// error, found with [`HandlerError::find`]. The hook gets the user's texts; the answer is
    /// sent like a handler's. Without a hook the user hears [`Text::SomethingWentWrong`] and the
    /// session stays open. The toolkit logs only the error's type, never its message.
    pub fn on_handler_error(
        mut self,
        hook: impl Fn(&HandlerError, LocalTexts<'_>) -> Answer + Send + Sync + 'static,
    ) -> SkillBuilder {
        self.skill.on_handler_error = Some(Box::new(hook));
        self
    }

    /// When the user hears [`Text::OneMoment`] while a handler is still working: after `after`
    /// (by default [`AUTOMATIC_PROGRESS_AFTER`]), or never with `None`. A handler can always
    /// speak its own with [`IntentInput::progress`](crate::IntentInput::progress).
    pub fn automatic_progress(mut self, after: Option<Duration>) -> SkillBuilder {
        self.skill.automatic_progress = after;
        self
    }

    /// Refuses requests for any other skill (the binary takes this from `SKILL_ID`).
    pub fn skill_id(mut self, skill_id: SkillId) -> SkillBuilder {
        self.skill.skill_id = Some(skill_id);
        self
    }

    /// Keeps users' state in `store` (the binary uses DynamoDB when `SKILL_STATE_TABLE` is set;
    /// tests pass a `linked_skill::testing::MemoryStore`).
    pub fn state_store(mut self, store: impl user_state::Store + 'static) -> SkillBuilder {
        self.skill.state_store = Some(Arc::new(store));
        self
    }

    /// Calls Google through `google` (the binary builds one from `GOOGLE_API_ROOT`; tests pass a
    /// client over a fake transport).
    pub fn google(mut self, google: google_api::Client) -> SkillBuilder {
        self.skill.google = google;
        self
    }

    pub fn build(self) -> Skill {
        self.skill
    }
}

impl Skill {
    pub fn builder() -> SkillBuilder {
        SkillBuilder {
            skill: Skill {
                skill_id: None,
                google: google_api::Client::with_default_http(google_api::Endpoints::google()),
                intents: BTreeMap::new(),
                launch: None,
                on_account_linked: None,
                on_skill_disabled: None,
                on_handler_error: None,
                alexa_http: google_api::LazyHttpClient::new(),
                time_zones: TimeZoneCache::default(),
                automatic_progress: Some(AUTOMATIC_PROGRESS_AFTER),
                texts: Texts::default(),
                state_store: None,
            },
        }
    }

    /// The skill with the binary's settings: the skill ID check and Google's endpoints.
    pub fn configure(mut self, settings: Settings) -> Skill {
        self.skill_id = settings.skill_id;
        self.google = google_api::Client::with_default_http(settings.endpoints);
        if let Some(store) = settings.state_store {
            self.state_store = Some(Arc::new(user_state::DynamoDb::new(store)));
        }
        self
    }

    /// The intents with a registered handler, by name.
    pub fn registered_intents(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.intents.keys().copied()
    }

    /// The slots the handler of `intent` reads; `None` when no handler is registered for it.
    pub fn slots_of(&self, intent: &str) -> Option<&'static [&'static str]> {
        self.intents.get(intent).map(|handler| handler.slots())
    }

    /// The Google scopes the handler of `intent` needs; `None` when none is registered.
    pub fn scopes_of(&self, intent: &str) -> Option<&'static [&'static Scope]> {
        self.intents.get(intent).map(|handler| handler.scopes())
    }

    /// Every Google scope a registered handler needs (launch and intents), each once, sorted:
    /// what account linking must ask for (`skill scopes` prints it for `provision preflight`).
    pub fn needed_scopes(&self) -> Vec<&'static str> {
        let launch = self.launch.iter().flat_map(|launch| launch.scopes());
        let intents = self.intents.values().flat_map(|handler| handler.scopes());
        let mut names: Vec<&'static str> = launch.chain(intents).map(|scope| scope.name).collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The texts in force (the toolkit's, with the skill's overrides).
    pub fn texts(&self) -> &Texts {
        &self.texts
    }

    /// This skill as a [`JsonHandler`], for a transport of one's own (an HTTPS server).
    pub fn into_json_handler(self) -> JsonHandler {
        let skill = Arc::new(self);
        Arc::new(move |event, arrived| {
            let skill = Arc::clone(&skill);
            Box::pin(async move { skill.handle_json(event, arrived).await })
        })
    }

    /// Handles a raw event. `arrived` is when the request reached the process: every answer
    /// leaves within 7.5 s of it.
    pub async fn handle_json(&self, event: Value, arrived: Instant) -> Result<Value, Error> {
        let request: RequestEnvelope =
            serde_json::from_value(event).map_err(Error::NotAnAlexaRequest)?;
        let response = self.handle(&request, arrived).await?;
        serde_json::to_value(response).map_err(Error::Serialize)
    }

    /// Handles a parsed request.
    pub async fn handle(
        &self,
        request: &RequestEnvelope,
        arrived: Instant,
    ) -> Result<ResponseEnvelope, Error> {
        if let Some(skill_id) = &self.skill_id {
            verify_skill_id(request, skill_id)?;
        }
        let locale = request
            .locale()
            .and_then(|locale| Locale::new(locale).ok())
            .unwrap_or_else(|| Locale::from(self.texts.default_language()));
        let deadline = Deadline::at(arrived + ANSWER_WITHIN - RESPONSE_MARGIN);
        let token = linked_access_token(request);
        let google = self.google.bind(token, deadline);
        let user_id = request.user().and_then(|user| user.user_id.as_deref());
        let state = UserState::new(
            self.state_store.as_deref(),
            user_id,
            token,
            google,
            deadline,
        );
        let answer = self.route(request, locale, google, &state);
        // The Google client already stops at the deadline; this guards every other await too.
        match tokio::time::timeout_at(deadline.instant(), answer).await {
            Ok(mut response) => {
                crate::limits::fit_to_alexa_limits(&mut response);
                // The state is written after the answer is ready and within the same deadline:
                // a slow store costs the write, never the answer.
                if tokio::time::timeout_at(deadline.instant(), state.save())
                    .await
                    .is_err()
                {
                    warn!("state not saved: answer deadline reached");
                }
                Ok(response)
            }
            Err(_elapsed) => {
                warn!(
                    request_type = request.request_type_name(),
                    "answer deadline reached"
                );
                Ok(self.google_unavailable(locale))
            }
        }
    }

    async fn route(
        &self,
        request: &RequestEnvelope,
        locale: Locale,
        google: google_api::UserClient<'_>,
        state: &UserState<'_>,
    ) -> ResponseEnvelope {
        let request_type = request.request_type_name();
        match &request.request {
            Request::LaunchRequest(_) => self.launch(request, locale, google, state).await,
            Request::IntentRequest(intent_request) => {
                let intent = &intent_request.intent;
                info!(intent = intent.name.as_str(), "intent request");
                self.intent(request, intent, locale, google, state).await
            }
            Request::SessionEndedRequest(ended) => {
                info!(reason = ?ended.reason, error = ?ended.error, "session ended");
                ResponseEnvelope::empty()
            }
            Request::SystemExceptionEncountered(exception) => {
                warn!(error = ?exception.error, "Alexa reported an error with our last response");
                ResponseEnvelope::empty()
            }
            Request::SkillAccountLinked(_) => {
                // The token in the event is not logged: only that the link now exists.
                info!(has_token = google.is_linked(), "account linked");
                state.forget_other_account().await;
                self.run_hook(self.on_account_linked.as_deref(), request, google, state)
                    .await;
                ResponseEnvelope::empty()
            }
            Request::SkillDisabled(disabled) => {
                info!("skill disabled");
                self.run_hook(self.on_skill_disabled.as_deref(), request, google, state)
                    .await;
                if !state::user_information_persisted(disabled.body.as_ref()) {
                    state.delete().await;
                }
                ResponseEnvelope::empty()
            }
            Request::CanFulfillIntentRequest(can_fulfill) => {
                self.can_fulfill_intent(&can_fulfill.intent, google.is_linked())
            }
            Request::SessionResumedRequest(_)
            | Request::SkillEnabled(_)
            | Request::SkillPermissionAccepted(_)
            | Request::SkillPermissionChanged(_)
            | Request::Unknown { .. } => {
                info!(request_type, "acknowledged");
                ResponseEnvelope::empty()
            }
        }
    }

    async fn run_hook(
        &self,
        hook: Option<&dyn ErasedHook>,
        request: &RequestEnvelope,
        google: google_api::UserClient<'_>,
        state: &UserState<'_>,
    ) {
        if let Some(hook) = hook {
            let user_id = request.user().and_then(|user| user.user_id.as_deref());
            hook.handle(SkillEvent {
                request,
                user_id,
                google,
                state,
            })
            .await;
        }
    }

    async fn launch(
        &self,
        request: &RequestEnvelope,
        locale: Locale,
        google: google_api::UserClient<'_>,
        state: &UserState<'_>,
    ) -> ResponseEnvelope {
        let Some(launch) = &self.launch else {
            return if google.is_linked() {
                self.ask(Text::Help, Text::Help, locale)
            } else {
                self.link_account(Text::WelcomeNotLinked, locale)
            };
        };
        if !launch.scopes().is_empty() && !google.is_linked() {
            return self.link_account(Text::WelcomeNotLinked, locale);
        }
        let alexa = AlexaApi::for_request(
            &self.alexa_http,
            &self.time_zones,
            request,
            google.deadline(),
        );
        let input = LaunchInput {
            request,
            locale,
            language: locale.language(),
            session_attributes: request.session_attributes(),
            google,
            texts: self.texts.for_locale(locale),
            user_id: request.user().and_then(|user| user.user_id.as_deref()),
            state,
            alexa: &alexa,
        };
        let answered = self
            .with_automatic_progress(launch.answer(input), &alexa, locale)
            .await;
        match answered {
            Ok(answer) => self.render(answer, request, None, locale),
            Err(error) => self.handler_failure(&error, launch.scopes(), request, None, locale),
        }
    }

    async fn intent(
        &self,
        request: &RequestEnvelope,
        intent: &Intent,
        locale: Locale,
        google: google_api::UserClient<'_>,
        state: &UserState<'_>,
    ) -> ResponseEnvelope {
        let Some(handler) = self.intents.get(intent.name.as_str()) else {
            return self.built_in_intent(intent, locale);
        };
        if !handler.scopes().is_empty() && !google.is_linked() {
            return self.link_account(Text::LinkNeeded, locale);
        }
        let alexa = AlexaApi::for_request(
            &self.alexa_http,
            &self.time_zones,
            request,
            google.deadline(),
        );
        let input = IntentInput {
            request,
            intent,
            locale,
            language: locale.language(),
            session_attributes: request.session_attributes(),
            google,
            one_shot: request.session.as_ref().is_none_or(|session| session.new),
            texts: self.texts.for_locale(locale),
            user_id: request.user().and_then(|user| user.user_id.as_deref()),
            state,
            alexa: &alexa,
        };
        let answered = self
            .with_automatic_progress(handler.answer(input), &alexa, locale)
            .await;
        match answered {
            Ok(answer) => self.render(answer, request, Some(intent), locale),
            Err(error) => {
                self.handler_failure(&error, handler.scopes(), request, Some(intent), locale)
            }
        }
    }

    fn built_in_intent(&self, intent: &Intent, locale: Locale) -> ResponseEnvelope {
        match intent.name.as_str() {
            HELP_INTENT => self.ask(Text::Help, Text::Help, locale),
            STOP_INTENT | CANCEL_INTENT | NAVIGATE_HOME_INTENT => {
                self.tell(self.texts.get(locale, Text::Goodbye))
            }
            FALLBACK_INTENT => self.ask(Text::Fallback, Text::Help, locale),
            name => {
                warn!(intent = name, "no handler for this intent");
                self.ask(Text::Fallback, Text::Help, locale)
            }
        }
    }

    /// Whether the skill can handle `intent` before the user names it: a registered intent yes
    /// when it needs no link or the user is linked, maybe when not (it will ask to link);
    /// anything else no. Slots: yes for the ones the handler reads.
    fn can_fulfill_intent(&self, intent: &Intent, linked: bool) -> ResponseEnvelope {
        let handler = self.intents.get(intent.name.as_str());
        let can_fulfill = match handler {
            Some(handler) if handler.scopes().is_empty() || linked => CanFulfill::Yes,
            Some(_) => CanFulfill::Maybe,
            None => CanFulfill::No,
        };
        let slots = intent
            .slots
            .keys()
            .map(|name| {
                let known = handler.is_some_and(|handler| handler.slots().contains(&name.as_str()));
                let answer = if known {
                    CanFulfill::Yes
                } else {
                    CanFulfill::No
                };
                let slot = CanFulfillSlot {
                    can_understand: answer.clone(),
                    can_fulfill: Some(answer),
                };
                (name.clone(), slot)
            })
            .collect();
        ResponseBuilder::new()
            .can_fulfill_intent(CanFulfillIntent { can_fulfill, slots })
            .build()
    }

    fn render(
        &self,
        answer: Answer,
        request: &RequestEnvelope,
        intent: Option<&Intent>,
        locale: Locale,
    ) -> ResponseEnvelope {
        let one_shot = request.session.as_ref().is_none_or(|session| session.new);
        let Answer {
            kind,
            session_attributes,
            card,
            directives,
            updated_intent,
        } = answer;
        // Dialog directives carry the intent Alexa should continue with: the handler's update,
        // else the request's own intent (none for a launch, which can only chain with one).
        let dialog_intent = updated_intent.or_else(|| intent.cloned());
        let mut response = match kind {
            AnswerKind::Say(speech) if one_shot => ResponseBuilder::new()
                .speak(speech)
                .end_session(true)
                .build(),
            AnswerKind::Say(speech) => ResponseBuilder::new()
                .speak(speech)
                .reprompt(self.texts.get(locale, Text::AnythingElse))
                .end_session(false)
                .build(),
            AnswerKind::Tell(speech) => ResponseBuilder::new()
                .speak(speech)
                .end_session(true)
                .build(),
            AnswerKind::Ask { speech, reprompt } => ResponseBuilder::new()
                .speak(speech)
                .reprompt(reprompt)
                .end_session(false)
                .build(),
            AnswerKind::Delegate => {
                if intent.is_none() && dialog_intent.is_none() {
                    warn!("a launch handler can only delegate to an intent it names");
                    return self.google_unavailable(locale);
                }
                // Alexa forbids speech and reprompt next to Dialog.Delegate; the session stays
                // open because Alexa speaks the model's prompt and waits for the user.
                ResponseBuilder::new()
                    .add_directive(Directive::DialogDelegate {
                        updated_intent: dialog_intent,
                    })
                    .end_session(false)
                    .build()
            }
            AnswerKind::ElicitSlot { slot, question } => {
                let Some(dialog_intent) = dialog_intent else {
                    warn!(
                        slot,
                        "a launch handler cannot elicit a slot without an intent"
                    );
                    return self.google_unavailable(locale);
                };
                ResponseBuilder::new()
                    .speak(question.clone())
                    .reprompt(question)
                    .elicit_slot(slot, dialog_intent)
                    .end_session(false)
                    .build()
            }
            AnswerKind::ConfirmSlot { slot, question } => {
                let Some(dialog_intent) = dialog_intent else {
                    warn!(
                        slot,
                        "a launch handler cannot confirm a slot without an intent"
                    );
                    return self.google_unavailable(locale);
                };
                ResponseBuilder::new()
                    .speak(question.clone())
                    .reprompt(question)
                    .add_directive(Directive::DialogConfirmSlot {
                        slot_to_confirm: slot,
                        updated_intent: Some(dialog_intent),
                    })
                    .end_session(false)
                    .build()
            }
            AnswerKind::ConfirmIntent { question } => {
                let Some(dialog_intent) = dialog_intent else {
                    warn!("a launch handler cannot confirm an intent without naming it");
                    return self.google_unavailable(locale);
                };
                ResponseBuilder::new()
                    .speak(question.clone())
                    .reprompt(question)
                    .add_directive(Directive::DialogConfirmIntent {
                        updated_intent: Some(dialog_intent),
                    })
                    .end_session(false)
                    .build()
            }
            AnswerKind::LinkAccount(speech) => ResponseBuilder::new()
                .speak(speech)
                .link_account_card()
                .end_session(true)
                .build(),
            AnswerKind::Response(response) => *response,
        };
        // What every kind may carry is added here, once, so no kind can drop it.
        if let Some(attributes) = session_attributes {
            response.session_attributes = Some(attributes);
        }
        if let Some(card) = card {
            if matches!(response.response.card, Some(Card::LinkAccount)) {
                warn!("a LinkAccount answer keeps its own card; the handler's card is not shown");
            } else {
                response.response.card = Some(card);
            }
        }
        response.response.directives.extend(directives);
        response
    }

    /// Runs a handler; if it is still working after the automatic-progress wait, the user hears
    /// [`Text::OneMoment`] meanwhile. The answer never waits for the progressive response: when
    /// it is ready first, the call in flight is dropped, and none starts after it.
    async fn with_automatic_progress<T>(
        &self,
        work: impl Future<Output = T>,
        alexa: &AlexaApi<'_>,
        locale: Locale,
    ) -> T {
        let mut work = std::pin::pin!(work);
        if let Some(after) = self.automatic_progress {
            tokio::select! {
                biased;
                done = &mut work => {
                    alexa.close();
                    return done;
                }
                () = tokio::time::sleep(after) => {}
            }
            let speak = alexa.progress(self.texts.get(locale, Text::OneMoment));
            tokio::select! {
                biased;
                done = &mut work => {
                    alexa.close();
                    return done;
                }
                _accepted = speak => {}
            }
        }
        let done = work.await;
        alexa.close();
        done
    }

    /// A handler's error: Google's get the link-state answers, the skill's own the hook's.
    fn handler_failure(
        &self,
        error: &HandlerError,
        needs: &[&'static Scope],
        request: &RequestEnvelope,
        intent: Option<&Intent>,
        locale: Locale,
    ) -> ResponseEnvelope {
        if let Some(google) = error.google() {
            return self.google_failure(google, needs, locale);
        }
        // Only the type: the message may quote the user or carry a token.
        warn!(error_type = error.type_name(), "the handler failed");
        match &self.on_handler_error {
            Some(hook) => {
                let answer = hook(error, self.texts.for_locale(locale));
                self.render(answer, request, intent, locale)
            }
            None => self.ask(Text::SomethingWentWrong, Text::AnythingElse, locale),
        }
    }

    fn google_failure(
        &self,
        error: &google_api::Error,
        needs: &[&'static Scope],
        locale: Locale,
    ) -> ResponseEnvelope {
        use google_api::Error as E;
        match error {
            E::NotLinked => {
                info!("google needed but the user has not linked");
                self.link_account(Text::LinkNeeded, locale)
            }
            E::Relink => {
                info!("google rejected the token; asking the user to link again");
                self.link_account(Text::Relink, locale)
            }
            E::MissingScope { scopes } => {
                let permission = missing_permission(scopes, needs, locale.language())
                    .unwrap_or_else(|| self.texts.get(locale, Text::UnnamedPermission).to_owned());
                // The scope URLs are for the developer; the user hears what they mean.
                info!(?scopes, "the link lacks a permission");
                let speech = self
                    .texts
                    .get(locale, Text::MissingPermission)
                    .replace("{permission}", &permission);
                ResponseBuilder::new()
                    .speak(speech)
                    .link_account_card()
                    .end_session(true)
                    .build()
            }
            E::RateLimited
            | E::Unavailable { .. }
            | E::DeadlineExceeded
            | E::QuotaExhausted { .. }
            | E::ResponseTooLarge { .. } => {
                warn!(%error, "google unavailable");
                self.google_unavailable(locale)
            }
            E::Api { .. }
            | E::BadResponse { .. }
            | E::InvalidRequest { .. }
            | E::InvalidEnvironment { .. } => {
                tracing::error!(%error, "unexpected answer from google");
                self.google_unavailable(locale)
            }
        }
    }

    /// Speech plus a LinkAccount card; the session ends so the user can go to the Alexa app.
    fn link_account(&self, text: Text, locale: Locale) -> ResponseEnvelope {
        ResponseBuilder::new()
            .speak(self.texts.get(locale, text))
            .link_account_card()
            .end_session(true)
            .build()
    }

    fn google_unavailable(&self, locale: Locale) -> ResponseEnvelope {
        self.ask(Text::GoogleUnavailable, Text::AnythingElse, locale)
    }

    fn tell(&self, speech: &str) -> ResponseEnvelope {
        ResponseBuilder::new()
            .speak(speech)
            .end_session(true)
            .build()
    }

    fn ask(&self, speech: Text, reprompt: Text, locale: Locale) -> ResponseEnvelope {
        ResponseBuilder::new()
            .speak(self.texts.get(locale, speech))
            .reprompt(self.texts.get(locale, reprompt))
            .end_session(false)
            .build()
    }
}

/// The name of the permission a link lacks: a scope the handler declared that Google reported
/// would work, else any reported scope the table knows, else the handler's first declared scope;
/// `None` when that scope has no name in `language` (the unnamed permission is then said, in the
/// user's language rather than another's).
fn missing_permission(
    reported: &[String],
    declared: &[&'static Scope],
    language: Language,
) -> Option<String> {
    declared
        .iter()
        .copied()
        .find(|scope| reported.iter().any(|name| name == scope.name))
        .or_else(|| {
            reported
                .iter()
                .find_map(|name| google_api::scopes::lookup(name))
        })
        .or_else(|| declared.first().copied())
        .and_then(|scope| {
            scope
                .permission
                .iter()
                .find(|(code, _)| *code == language.code())
                .map(|(_, name)| (*name).to_owned())
        })
}

trait ErasedIntent: Send + Sync {
    fn scopes(&self) -> &'static [&'static Scope];
    fn slots(&self) -> &'static [&'static str];
    fn answer<'a>(&'a self, input: IntentInput<'a>) -> BoxFuture<'a, Result<Answer, HandlerError>>;
}

impl<H: IntentHandler> ErasedIntent for H {
    fn scopes(&self) -> &'static [&'static Scope] {
        H::SCOPES
    }

    fn slots(&self) -> &'static [&'static str] {
        H::SLOTS
    }

    fn answer<'a>(&'a self, input: IntentInput<'a>) -> BoxFuture<'a, Result<Answer, HandlerError>> {
        Box::pin(IntentHandler::answer(self, input))
    }
}

trait ErasedLaunch: Send + Sync {
    fn scopes(&self) -> &'static [&'static Scope];
    fn answer<'a>(&'a self, input: LaunchInput<'a>) -> BoxFuture<'a, Result<Answer, HandlerError>>;
}

impl<H: LaunchHandler> ErasedLaunch for H {
    fn scopes(&self) -> &'static [&'static Scope] {
        H::SCOPES
    }

    fn answer<'a>(&'a self, input: LaunchInput<'a>) -> BoxFuture<'a, Result<Answer, HandlerError>> {
        Box::pin(LaunchHandler::answer(self, input))
    }
}

trait ErasedHook: Send + Sync {
    fn handle<'a>(&'a self, event: SkillEvent<'a>) -> BoxFuture<'a, ()>;
}

impl<H: SkillEventHook> ErasedHook for H {
    fn handle<'a>(&'a self, event: SkillEvent<'a>) -> BoxFuture<'a, ()> {
        Box::pin(SkillEventHook::handle(self, event))
    }
}

#[cfg(test)]
mod skill_id_check_tests {
    use alexa_model::SkillId;

    use super::{SettingsError, SkillIdCheck, skill_id_check};

    #[test]
    fn the_check_fails_closed() {
        let skill_id = SkillId::parse("amzn1.ask.skill.7c9a5ab3-4c5f-4f2a-9c1e-0123456789ab")
            .expect("a valid skill ID");
        let enforced = Ok(SkillIdCheck::Enforced(&skill_id));
        type Case<'a> = (
            Option<&'a SkillId>,
            Option<&'a str>,
            Result<SkillIdCheck<'a>, &'a str>,
        );
        let cases: [Case<'_>; 8] = [
            (Some(&skill_id), None, enforced),
            (Some(&skill_id), Some(""), enforced),
            (Some(&skill_id), Some("on"), enforced),
            (None, None, Err("SKILL_ID is not set")),
            (None, Some(" "), Err("SKILL_ID is not set")),
            (None, Some("off"), Ok(SkillIdCheck::Off)),
            (Some(&skill_id), Some("off"), Err("contradicts SKILL_ID")),
            (None, Some("false"), Err("must be `off`")),
        ];
        for (skill_id, check, expected) in cases {
            let actual = skill_id_check(skill_id, check);
            match (&actual, &expected) {
                (Ok(actual), Ok(expected)) => assert_eq!(actual, expected, "{check:?}"),
                (Err(error), Err(fragment)) => assert!(
                    error.to_string().contains(fragment),
                    "{check:?}: {error} lacks {fragment:?}"
                ),
                _ => panic!("{skill_id:?} {check:?}: {actual:?}, expected {expected:?}"),
            }
        }
        // The message names the fix.
        assert!(
            SettingsError::SkillIdMissing
                .to_string()
                .contains("SKILL_ID_CHECK=off")
        );
    }
}
