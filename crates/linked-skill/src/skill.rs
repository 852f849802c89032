//! The [`Skill`] and its entry points; which answer each request gets, in every account-linking
//! state, is decided by its submodule `router` (`crates/linked-skill/src/skill/router.rs`).
//!
//! The rule the router keeps: an intent that needs Google and has no linked token, or whose token
//! Google rejects, gets speech asking the user to link plus a LinkAccount card. Google being slow
//! or down gets a short apology that keeps the session open. Only a request that is not an Alexa
//! request, or is meant for another skill, becomes an error (a Lambda error).
//!
//! There is no signature or timestamp check: on Lambda only the Alexa trigger permission (bound
//! to the skill ID) lets a request in, and Amazon says a Lambda skill need not verify requests
//! itself (docs/alexa-requests.md, Lambda vs HTTPS endpoints). On the HTTPS endpoint (`serve`),
//! `alexa-signature` checks the signature and the timestamp before the skill sees the request.
//!
//! The builder, the router, rendering and the handlers' type erasure are this module's
//! submodules.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use alexa_model::{
    RequestEnvelope, ResponseEnvelope, SkillId, SkillIdMismatch, linked_access_token,
    verify_skill_id,
};
use google_api::{Deadline, scopes::Scope};
use serde_json::Value;
use tokio::time::Instant;
use tracing::warn;

use crate::alexa_api::TimeZoneCache;
use crate::runtime::{JsonHandler, Settings};
use crate::state::UserState;
use crate::{Answer, HandlerError, LocalTexts, Locale, Texts};

mod builder;
mod erased;
mod render;
mod router;

pub use builder::SkillBuilder;
pub use router::BUILT_IN_INTENTS;

use erased::{ErasedHook, ErasedIntent, ErasedLaunch};

/// Alexa waits 8 seconds for a skill (docs/alexa-requests.md, The answer window); answer within
/// this much of a request arriving.
pub const ANSWER_WITHIN: Duration = Duration::from_millis(7_500);
/// Time kept back from the answer budget for building and sending the response.
pub const RESPONSE_MARGIN: Duration = Duration::from_millis(300);

/// How long a launch or intent handler may work (in practice: wait on Google) before the user
/// hears [`Text::OneMoment`](crate::Text::OneMoment) as a progressive response. A Google call normally returns well
/// within a second, so a fast answer never has one; after 1.5 s of silence a user starts to
/// wonder whether Alexa heard them; and 1.5 s leaves 6 s of the answer window for Google and the
/// short phrase. Changed or turned off with [`SkillBuilder::automatic_progress`].
pub const AUTOMATIC_PROGRESS_AFTER: Duration = Duration::from_millis(1_500);

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
}
