//! Routing: which answer each request gets, in every account-linking state.
//!
//! The rule of the skill: an intent that needs Google and has no linked token, or whose token Google
//! rejects, gets speech asking the user to link plus a LinkAccount card. Google being slow or down
//! gets a short apology that keeps the session open. Only a request that is not an Alexa request,
//! or is meant for another skill, becomes a Lambda error.
//!
//! There is no signature or timestamp check: on Lambda, only the Alexa trigger permission (bound to
//! the skill ID) lets a request in, and Amazon says a Lambda skill need not verify requests itself
//! (alexa.md §1). `alexa_model::check_timestamp` is there for an HTTPS endpoint.

use std::time::Duration;

use alexa_model::{
    CanFulfill, CanFulfillIntent, CanFulfillSlot, Intent as AlexaIntent, Request, RequestEnvelope,
    ResponseBuilder, ResponseEnvelope, SkillId, SkillIdMismatch, linked_access_token,
    verify_skill_id,
};
use google_api::{Deadline, EventTime};
use jiff::Timestamp;
use serde_json::Value;
use tokio::time::Instant;
use tracing::{info, warn};

use crate::{
    google::Google,
    intent::Intent,
    speech::{EventStart, Language, Message, Permission},
};

/// Alexa waits 8 seconds for a skill; answer within this much of a request arriving.
const ANSWER_WITHIN: Duration = Duration::from_millis(7_500);
/// Time kept back from the answer budget for building and sending the response.
const RESPONSE_MARGIN: Duration = Duration::from_millis(300);
/// How many recent files the skill reads out.
const FILES_TO_LIST: u32 = 5;

/// What the skill is configured with, read from its environment.
#[derive(Debug)]
pub struct Config {
    /// Requests for any other skill are refused. `None` accepts every skill ID.
    pub skill_id: Option<SkillId>,
    pub endpoints: google_api::Endpoints,
}

/// The environment holds something unusable; the message names the variable to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("SKILL_ID is not a skill ID ({detail}): set it to your skill's `amzn1.ask.skill.…` ID")]
    SkillId { detail: String },
    #[error(transparent)]
    GoogleApiRoot(google_api::Error),
}

impl Config {
    /// `SKILL_ID` (optional) and `GOOGLE_API_ROOT` (optional: Google's own hosts by default).
    pub fn from_env() -> Result<Config, ConfigError> {
        let skill_id = match std::env::var("SKILL_ID") {
            Ok(value) if !value.trim().is_empty() => Some(SkillId::parse(value.trim()).map_err(
                |error| ConfigError::SkillId {
                    detail: error.to_string(),
                },
            )?),
            _ => None,
        };
        let endpoints = google_api::Endpoints::from_env().map_err(ConfigError::GoogleApiRoot)?;
        Ok(Config {
            skill_id,
            endpoints,
        })
    }
}

/// Why a request got no answer: these become Lambda errors, never speech.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the event is not an Alexa request: {0}")]
    NotAnAlexaRequest(#[source] serde_json::Error),
    #[error("refused a request for another skill: {0}")]
    WrongSkill(#[from] SkillIdMismatch),
    #[error("could not serialize the response: {0}")]
    Serialize(#[source] serde_json::Error),
}

/// The skill, built once per Lambda instance and shared by every request.
#[derive(Debug)]
pub struct Skill<G = google_api::Client> {
    skill_id: Option<SkillId>,
    google: G,
}

impl Skill {
    /// The skill with the real Google client.
    pub fn new(config: Config) -> Skill {
        let google = google_api::Client::new(config.endpoints, reqwest::Client::new());
        Skill {
            skill_id: config.skill_id,
            google,
        }
    }
}

impl<G: Google> Skill<G> {
    pub fn with_google(skill_id: Option<SkillId>, google: G) -> Skill<G> {
        Skill { skill_id, google }
    }

    pub fn google(&self) -> &G {
        &self.google
    }

    /// Handles a raw Lambda event. `arrived` is when the request reached us: every answer leaves
    /// within 7.5 s of it.
    pub async fn handle_json(&self, event: Value, arrived: Instant) -> Result<Value, Error> {
        let request: RequestEnvelope =
            serde_json::from_value(event).map_err(Error::NotAnAlexaRequest)?;
        let response = self.handle(&request, arrived).await?;
        serde_json::to_value(response).map_err(Error::Serialize)
    }

    pub async fn handle(
        &self,
        request: &RequestEnvelope,
        arrived: Instant,
    ) -> Result<ResponseEnvelope, Error> {
        if let Some(skill_id) = &self.skill_id {
            verify_skill_id(request, skill_id)?;
        }
        let language = Language::from_locale(request.locale());
        let deadline = Deadline::at(arrived + ANSWER_WITHIN - RESPONSE_MARGIN);
        let answer = self.route(request, language, deadline);
        // The Google client already stops at the deadline; this guards every other await too.
        match tokio::time::timeout_at(deadline.instant(), answer).await {
            Ok(response) => Ok(response),
            Err(_elapsed) => {
                warn!(
                    request_type = request.request_type_name(),
                    "answer deadline reached"
                );
                Ok(google_unavailable(language))
            }
        }
    }

    async fn route(
        &self,
        request: &RequestEnvelope,
        language: Language,
        deadline: Deadline,
    ) -> ResponseEnvelope {
        let request_type = request.request_type_name();
        match &request.request {
            Request::LaunchRequest(_) => self.launch(request, language, deadline).await,
            Request::IntentRequest(intent_request) => {
                let intent = &intent_request.intent;
                info!(intent = intent.name.as_str(), "intent request");
                self.intent(request, intent, language, deadline).await
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
                info!(
                    has_token = linked_access_token(request).is_some(),
                    "account linked"
                );
                ResponseEnvelope::empty()
            }
            Request::CanFulfillIntentRequest(can_fulfill) => {
                can_fulfill_intent(&can_fulfill.intent, linked_access_token(request).is_some())
            }
            Request::SessionResumedRequest(_)
            | Request::SkillEnabled(_)
            | Request::SkillDisabled(_)
            | Request::SkillPermissionAccepted(_)
            | Request::SkillPermissionChanged(_)
            | Request::Unknown { .. } => {
                info!(request_type, "acknowledged");
                ResponseEnvelope::empty()
            }
        }
    }

    async fn launch(
        &self,
        request: &RequestEnvelope,
        language: Language,
        deadline: Deadline,
    ) -> ResponseEnvelope {
        let Some(token) = google_token(request) else {
            return link_account(Message::WelcomeNotLinked, language);
        };
        let user_info = self.google.user_info(&token, deadline).await;
        let given_name = match &user_info {
            Ok(user_info) => user_info.given_name.as_deref(),
            Err(google_api::Error::Relink) => return link_account(Message::Relink, language),
            // Greet without a name rather than fail the whole launch.
            Err(error) => {
                warn!(%error, "could not read the user's name for the greeting");
                None
            }
        };
        ask(Message::Welcome { given_name }, Message::Help, language)
    }

    async fn intent(
        &self,
        request: &RequestEnvelope,
        alexa_intent: &AlexaIntent,
        language: Language,
        deadline: Deadline,
    ) -> ResponseEnvelope {
        let Some(intent) = Intent::from_name(&alexa_intent.name) else {
            warn!(
                intent = alexa_intent.name.as_str(),
                "no handler for this intent"
            );
            return ask(Message::Fallback, Message::Help, language);
        };
        let one_shot = request.session.as_ref().is_none_or(|session| session.new);
        let needs = match intent {
            Intent::Help => return ask(Message::Help, Message::Help, language),
            Intent::Stop | Intent::Cancel | Intent::NavigateHome => {
                return tell(Message::Goodbye, language);
            }
            Intent::Fallback => return ask(Message::Fallback, Message::Help, language),
            Intent::WhoAmI => Permission::Profile,
            Intent::ListFiles => Permission::Drive,
            Intent::NextEvent => Permission::Calendar,
            Intent::AddNote => Permission::Sheets,
        };
        let Some(token) = google_token(request) else {
            return link_account(Message::LinkNeeded, language);
        };
        let google = &self.google;
        let result = match intent {
            Intent::WhoAmI => google.user_info(&token, deadline).await.map(|user_info| {
                let name = user_info.name.as_deref();
                answer(
                    Message::WhoAmI {
                        name,
                        email: user_info.email.as_deref(),
                    },
                    one_shot,
                    language,
                )
            }),
            Intent::ListFiles => google
                .recent_files(&token, FILES_TO_LIST, deadline)
                .await
                .map(|files| {
                    let names: Vec<String> = files.into_iter().map(|file| file.name).collect();
                    let message = if names.is_empty() {
                        Message::NoFiles
                    } else {
                        Message::RecentFiles { names: &names }
                    };
                    answer(message, one_shot, language)
                }),
            Intent::NextEvent => {
                let now = Timestamp::now();
                google
                    .upcoming_events(&token, now, 1, deadline)
                    .await
                    .map(|events| {
                        let Some(event) = events.items.first() else {
                            return answer(Message::NoUpcomingEvents, one_shot, language);
                        };
                        let title = event.summary.as_deref();
                        let start = match &event.start {
                            EventTime::DateTime { date_time } => EventStart::At {
                                start: date_time,
                                today: now.to_zoned_datetime(date_time.time_zone().clone()).date(),
                            },
                            EventTime::Date(date) => {
                                // All-day events have no zone of their own: "today" is the calendar's.
                                let calendar_zone = events
                                    .time_zone
                                    .as_deref()
                                    .and_then(|name| jiff::tz::TimeZone::get(name).ok())
                                    .unwrap_or(jiff::tz::TimeZone::UTC);
                                EventStart::AllDay {
                                    date: *date,
                                    today: now.to_zoned_datetime(calendar_zone).date(),
                                }
                            }
                        };
                        answer(Message::NextEvent { title, start }, one_shot, language)
                    })
            }
            Intent::AddNote => {
                let Some(note) = alexa_intent.slot_value(Intent::NOTE_SLOT) else {
                    return elicit_note(alexa_intent, language);
                };
                let written = note_timestamp(request);
                let row = vec![written, note.to_owned()];
                google
                    .add_note(&token, row, deadline)
                    .await
                    .map(|()| answer(Message::NoteAdded { note }, one_shot, language))
            }
            Intent::Help
            | Intent::Stop
            | Intent::Cancel
            | Intent::NavigateHome
            | Intent::Fallback => {
                unreachable!("answered above without Google")
            }
        };
        result.unwrap_or_else(|error| google_failure(&error, needs, language))
    }
}

/// Whether the skill can handle `intent` before the user names it: its own intents yes when
/// linked, maybe when not (it will ask the user to link); anything else no.
fn can_fulfill_intent(intent: &AlexaIntent, linked: bool) -> ResponseEnvelope {
    let ours = matches!(
        Intent::from_name(&intent.name),
        Some(Intent::WhoAmI | Intent::ListFiles | Intent::NextEvent | Intent::AddNote)
    );
    let can_fulfill = match (ours, linked) {
        (true, true) => CanFulfill::Yes,
        (true, false) => CanFulfill::Maybe,
        (false, _) => CanFulfill::No,
    };
    let slots = intent
        .slots
        .keys()
        .map(|name| {
            let known = ours && name == Intent::NOTE_SLOT;
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

/// The request's linked token, as the Google client's token type.
fn google_token(request: &RequestEnvelope) -> Option<google_api::AccessToken> {
    linked_access_token(request)
        .map(|token| google_api::AccessToken::new(token.secret().to_owned()))
}

/// The time written next to a note: when the user said it, to the second, in UTC.
fn note_timestamp(request: &RequestEnvelope) -> String {
    let said = request
        .request
        .parse_timestamp()
        .unwrap_or_else(|_| Timestamp::now());
    said.round(jiff::Unit::Second).unwrap_or(said).to_string()
}

fn google_failure(
    error: &google_api::Error,
    needs: Permission,
    language: Language,
) -> ResponseEnvelope {
    use google_api::Error as E;
    match error {
        E::Relink => {
            info!("google rejected the token; asking the user to link again");
            link_account(Message::Relink, language)
        }
        E::MissingScope { scopes } => {
            // Name what the intent needs; Google's list of scopes that would work says the same
            // thing in scope URLs (logged for the developer).
            info!(?scopes, ?needs, "the link lacks a permission");
            link_account(Message::MissingPermission { permission: needs }, language)
        }
        E::RateLimited | E::Unavailable { .. } | E::DeadlineExceeded => {
            warn!(%error, "google unavailable");
            google_unavailable(language)
        }
        E::Api { .. } | E::BadResponse { .. } | E::InvalidEnvironment { .. } => {
            tracing::error!(%error, "unexpected answer from google");
            google_unavailable(language)
        }
    }
}

/// Speech plus a LinkAccount card; the session ends so the user can go to the Alexa app.
fn link_account(message: Message<'_>, language: Language) -> ResponseEnvelope {
    ResponseBuilder::new()
        .speak(message.text(language))
        .link_account_card()
        .end_session(true)
        .build()
}

fn google_unavailable(language: Language) -> ResponseEnvelope {
    ask(Message::GoogleUnavailable, Message::AnythingElse, language)
}

/// Speaks and ends the session.
fn tell(message: Message<'_>, language: Language) -> ResponseEnvelope {
    ResponseBuilder::new()
        .speak(message.text(language))
        .end_session(true)
        .build()
}

/// Speaks and keeps listening, with a reprompt.
fn ask(message: Message<'_>, reprompt: Message<'_>, language: Language) -> ResponseEnvelope {
    ResponseBuilder::new()
        .speak(message.text(language))
        .reprompt(reprompt.text(language))
        .end_session(false)
        .build()
}

/// A one-shot request ("Alexa, ask … who am I") ends after the answer; inside a conversation the
/// skill keeps listening.
fn answer(message: Message<'_>, one_shot: bool, language: Language) -> ResponseEnvelope {
    if one_shot {
        tell(message, language)
    } else {
        ask(message, Message::AnythingElse, language)
    }
}

fn elicit_note(intent: &AlexaIntent, language: Language) -> ResponseEnvelope {
    let question = Message::AskForNote.text(language);
    ResponseBuilder::new()
        .speak(question.clone())
        .reprompt(question)
        .elicit_slot(Intent::NOTE_SLOT, intent.clone())
        .end_session(false)
        .build()
}
