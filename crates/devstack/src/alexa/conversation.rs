//! Alexa's side of a conversation with a skill: understanding what the user says with the
//! skill's interaction model, holding the session (its attributes returned exactly as the skill
//! set them) and the account link (refreshed when it expired, as Alexa does), playing Alexa's
//! dialog manager (`Dialog.Delegate`, `ElicitSlot`, `ConfirmSlot`, `ConfirmIntent`, the dialog
//! model's prompts, validations and auto-delegation, `dialogState`), and building the request
//! envelopes the skill receives.
//!
//! The skill is reached through [`SkillEndpoint`] (request JSON in, response JSON out), so the
//! same conversation runs against a Lambda function, `skill serve` or a handler in the test's own
//! process. What Alexa does, and where each rule comes from, is in `docs/dialog-manager.md`.
//!
//! ```no_run
//! # async fn example(skill: std::sync::Arc<dyn devstack::alexa::conversation::SkillEndpoint>)
//! # -> Result<(), Box<dyn std::error::Error>> {
//! use devstack::alexa::conversation::{Conversation, SkillModel};
//! let model = SkillModel::load("skill-package/interactionModels/custom/en-US.json".as_ref())?;
//! let mut conversation = Conversation::new(skill, model);
//! let turn = conversation.say("ask cloud companion to add a note").await?;
//! println!("{}", turn.speech());
//! # Ok(()) }
//! ```

pub mod dialog_model;
mod validation;
mod yes_no;

use std::{
    collections::BTreeMap,
    future::Future,
    path::Path,
    sync::Arc,
    time::{Duration, SystemTime},
};

use serde_json::{Map, Value, json};

use super::{Link, LinkState, UnlinkReason, requests, requests::RequestContext};
use crate::voice::{FALLBACK_INTENT, InteractionModel, Invocation, Match, ModelError};
pub use dialog_model::{DialogModel, DialogModelError};

/// The skill ID requests carry unless [`Conversation::with_skill_id`] names another.
pub const DEFAULT_SKILL_ID: &str = "amzn1.ask.skill.00000000-0000-4000-8000-0000000de770";
/// The Alexa user requests carry unless [`Conversation::with_user_id`] names another.
pub const DEFAULT_USER_ID: &str = "amzn1.ask.account.DEMOUSER";

/// Words that wake the device, in the languages that write them differently; Alexa does not
/// pass them on.
const WAKE_WORDS: &[&str] = &["alexa", "アレクサ", "اليكسا", "एलेक्सा"];

/// Any error a skill endpoint fails with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How Alexa reaches the skill: one request envelope in, the response envelope out. Implement it
/// over a Lambda function, an HTTPS endpoint or a handler in the same process; [`skill_fn`]
/// makes one from an async closure.
#[async_trait::async_trait]
pub trait SkillEndpoint: Send + Sync {
    async fn send(&self, request: Value) -> Result<Value, BoxError>;
}

/// A [`SkillEndpoint`] that calls `handler` with each request.
pub fn skill_fn<F, Fut>(handler: F) -> Arc<dyn SkillEndpoint>
where
    F: Fn(Value) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Value, BoxError>> + Send + 'static,
{
    Arc::new(FnSkill(handler))
}

struct FnSkill<F>(F);

#[async_trait::async_trait]
impl<F, Fut> SkillEndpoint for FnSkill<F>
where
    F: Fn(Value) -> Fut + Send + Sync,
    Fut: Future<Output = Result<Value, BoxError>> + Send,
{
    async fn send(&self, request: Value) -> Result<Value, BoxError> {
        (self.0)(request).await
    }
}

/// A locale's interaction model: its words (for understanding) and its dialog model.
#[derive(Debug, Clone)]
pub struct SkillModel {
    voice: InteractionModel,
    dialog: DialogModel,
}

/// Why a model could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SkillModelError {
    #[error(transparent)]
    Voice(#[from] ModelError),
    #[error("{path}: {source}")]
    Dialog {
        path: String,
        source: DialogModelError,
    },
}

impl SkillModel {
    /// Reads `interactionModels/custom/<locale>.json` (the file's name is its locale).
    pub fn load(path: &Path) -> Result<SkillModel, SkillModelError> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ModelError::Read {
            path: display.clone(),
            source,
        })?;
        let voice = InteractionModel::from_json(&text, &display)?;
        Self::with_voice(voice, &text, &display)
    }

    /// Parses the text of an ASK CLI interaction model of `locale`; `path` names it in errors.
    pub fn from_json_for_locale(
        text: &str,
        path: &str,
        locale: &str,
    ) -> Result<SkillModel, SkillModelError> {
        let voice = InteractionModel::from_json_for_locale(text, path, locale)?;
        Self::with_voice(voice, text, path)
    }

    fn with_voice(
        voice: InteractionModel,
        text: &str,
        path: &str,
    ) -> Result<SkillModel, SkillModelError> {
        let dialog = DialogModel::from_json(text).map_err(|source| SkillModelError::Dialog {
            path: path.to_owned(),
            source,
        })?;
        Ok(SkillModel { voice, dialog })
    }

    /// The words: intents, samples, invocation phrasings.
    pub fn voice(&self) -> &InteractionModel {
        &self.voice
    }

    /// The dialog model: required slots, prompts, validations, delegation.
    pub fn dialog(&self) -> &DialogModel {
        &self.dialog
    }
}

/// What Alexa made of an utterance.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Understood {
    /// "open cloud companion": a `LaunchRequest` opening a new session.
    Launch,
    /// An intent with its slots. `one_shot`: said with the invocation ("ask cloud companion
    /// who am I"), so it opens a new session; it holds the request's words ("who am i").
    Intent {
        found: Match,
        one_shot: Option<String>,
    },
    /// "yes" (`confirmed`) or "no" to a confirmation Alexa or the skill asked for.
    Confirmation { confirmed: bool },
}

/// Requests Alexa sends that are not speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// `LaunchRequest`: "Alexa, open …".
    Launch,
    /// `SessionEndedRequest` (`USER_INITIATED`); the session ends.
    SessionEnded,
    /// `AlexaSkillEvent.SkillAccountLinked`.
    AccountLinked,
    /// `AlexaSkillEvent.SkillEnabled`.
    SkillEnabled,
    /// `AlexaSkillEvent.SkillDisabled`; Alexa also deletes the link.
    SkillDisabled,
}

/// `request.dialogState` of an `IntentRequest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DialogState {
    Started,
    InProgress,
    Completed,
}

impl DialogState {
    /// As Alexa writes it: `STARTED`, `IN_PROGRESS`, `COMPLETED`.
    pub fn as_str(self) -> &'static str {
        match self {
            DialogState::Started => "STARTED",
            DialogState::InProgress => "IN_PROGRESS",
            DialogState::Completed => "COMPLETED",
        }
    }
}

/// `confirmationStatus` of an intent or a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfirmationStatus {
    None,
    Confirmed,
    Denied,
}

impl ConfirmationStatus {
    /// As Alexa writes it: `NONE`, `CONFIRMED`, `DENIED`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConfirmationStatus::None => "NONE",
            ConfirmationStatus::Confirmed => "CONFIRMED",
            ConfirmationStatus::Denied => "DENIED",
        }
    }

    fn parse(text: Option<&str>) -> ConfirmationStatus {
        match text {
            Some("CONFIRMED") => ConfirmationStatus::Confirmed,
            Some("DENIED") => ConfirmationStatus::Denied,
            _ => ConfirmationStatus::None,
        }
    }
}

/// A request sent and the answer received.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub request: Value,
    pub response: Value,
}

/// Everything one thing the user said (or one event) caused: the requests Alexa sent the skill
/// and its answers, in order (none when Alexa answered from the dialog model itself, two when a
/// `Dialog.Delegate` completed the dialog), and what Alexa said from the dialog model.
#[derive(Debug, Clone, Default)]
pub struct Turn {
    pub exchanges: Vec<Exchange>,
    /// A prompt of the dialog model Alexa spoke after the last exchange (or instead of any).
    pub alexa_prompt: Option<String>,
    /// What happened at Alexa's end before the first request (a refresh, a dropped link).
    pub notes: Vec<String>,
}

impl Turn {
    /// The last exchange.
    pub fn last(&self) -> Option<&Exchange> {
        self.exchanges.last()
    }

    /// What the user heard last: Alexa's prompt, else the skill's last output speech (the text
    /// of PlainText, the markup of SSML).
    pub fn speech(&self) -> &str {
        if let Some(prompt) = &self.alexa_prompt {
            return prompt;
        }
        self.last().map_or("", |exchange| {
            output_speech_text(&exchange.response["response"]["outputSpeech"])
        })
    }

    /// What Alexa says when the user is silent: the prompt again, else the skill's reprompt.
    pub fn reprompt(&self) -> &str {
        if let Some(prompt) = &self.alexa_prompt {
            return prompt;
        }
        self.last().map_or("", |exchange| {
            output_speech_text(&exchange.response["response"]["reprompt"]["outputSpeech"])
        })
    }

    /// The last request Alexa sent the skill in this turn.
    pub fn last_request(&self) -> Option<&Value> {
        self.last().map(|exchange| &exchange.request)
    }
}

/// The text of PlainText, the markup of SSML; `""` when there is none.
pub fn output_speech_text(output_speech: &Value) -> &str {
    output_speech["text"]
        .as_str()
        .or_else(|| output_speech["ssml"].as_str())
        .unwrap_or("")
}

/// What went wrong in a conversation. [`Error::InvalidAnswer`] and [`Error::Model`] are
/// development-time errors: the skill's answer or the model would fail on a real device.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("the skill failed to answer: {0}")]
    Skill(#[source] BoxError),
    #[error("Alexa could not refresh the link: {0}")]
    Refresh(#[source] super::Error),
    #[error("the access token did not change on refresh")]
    TokenUnchanged,
    /// The skill answered something Alexa refuses (Alexa would end the session with an error).
    #[error("the skill's answer to {request} is not one Alexa accepts: {problem}")]
    InvalidAnswer { request: String, problem: String },
    /// The interaction model cannot play the dialog (a missing prompt, a rule the twin cannot
    /// decide).
    #[error("the interaction model cannot play this dialog: {0}")]
    Model(String),
    /// The user answered a confirmation with something that is neither yes nor no and matches
    /// no intent.
    #[error(
        "Alexa asked to confirm {asked}; \"{utterance}\" is neither yes nor no in {locale} ({yes} \
         / {no}) and matches no intent of the model, so Alexa would ask again: answer with one of \
         those words"
    )]
    NotYesOrNo {
        asked: String,
        utterance: String,
        locale: String,
        yes: String,
        no: String,
    },
}

/// One user talking to one skill.
pub struct Conversation {
    skill: Arc<dyn SkillEndpoint>,
    model: SkillModel,
    skill_id: String,
    user_id: String,
    link: Option<Link>,
    session_id: String,
    session_new: bool,
    /// `sessionAttributes` of the skill's last answer in this session, sent back as they are.
    attributes: Map<String, Value>,
    dialog: Option<ActiveDialog>,
    /// How often each prompt was spoken, to pick its variations in turn.
    prompts_spoken: BTreeMap<String, usize>,
    /// How far the world's clock has been moved forward.
    clock_offset: Duration,
    /// `clock_offset` when the link was made: a link is dated by the real clock, so its times
    /// run on the real clock shifted by what had passed before it.
    link_clock_base: Duration,
    /// The device's time zone, which "today" and "tomorrow" are counted in; UTC until set.
    time_zone: jiff::tz::TimeZone,
}

impl std::fmt::Debug for Conversation {
    // By hand: the skill endpoint has no Debug, and the link's tokens stay redacted by `Link`.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Conversation")
            .field("locale", &self.locale())
            .field("session_id", &self.session_id)
            .field("in_session", &self.in_session())
            .field("dialog", &self.dialog)
            .field("link", &self.link)
            .finish_non_exhaustive()
    }
}

/// The intent of a dialog as Alexa holds it between turns.
#[derive(Debug, Clone)]
struct IntentState {
    name: String,
    confirmation: ConfirmationStatus,
    /// Every slot of the intent in the language model, in its order.
    slots: Vec<SlotState>,
}

#[derive(Debug, Clone)]
struct SlotState {
    name: String,
    value: Option<String>,
    confirmation: ConfirmationStatus,
}

#[derive(Debug, Clone)]
struct ActiveDialog {
    intent: IntentState,
    /// The `dialogState` of the last request for this intent; `None` before the first.
    last_state: Option<DialogState>,
    /// Whether the model's `dialog` lists the intent (then requests carry `dialogState`).
    modeled: bool,
    awaiting: Option<Awaiting>,
}

/// What Alexa is listening for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Awaiting {
    SlotValue { slot: String, by: AskedBy },
    SlotConfirmation { slot: String, by: AskedBy },
    IntentConfirmation { by: AskedBy },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AskedBy {
    /// A prompt of the dialog model.
    Alexa,
    /// A Dialog directive with the skill's own speech.
    Skill,
}

/// What happens next in a turn.
enum Next {
    /// Send the skill an intent request with this `dialogState` (`None`: no dialog model).
    Send(Option<DialogState>),
    /// Alexa runs the dialog: ask the next prompt or, when nothing is left, send COMPLETED.
    AlexaRuns,
    Done,
}

impl Conversation {
    /// A conversation in the model's locale, not linked, before the first session.
    pub fn new(skill: Arc<dyn SkillEndpoint>, model: SkillModel) -> Conversation {
        Conversation {
            skill,
            model,
            skill_id: DEFAULT_SKILL_ID.to_owned(),
            user_id: DEFAULT_USER_ID.to_owned(),
            link: None,
            session_id: requests::new_session_id(),
            session_new: true,
            attributes: Map::new(),
            dialog: None,
            prompts_spoken: BTreeMap::new(),
            clock_offset: Duration::ZERO,
            link_clock_base: Duration::ZERO,
            time_zone: jiff::tz::TimeZone::UTC,
        }
    }

    /// The device's time zone (the Echo's zone in the Alexa app): Alexa resolves "today",
    /// "tomorrow" and "next friday" in `AMAZON.DATE` slots, and checks date validations, against
    /// the device's local date. Until it is set, the date in UTC is used.
    pub fn set_time_zone(&mut self, zone: jiff::tz::TimeZone) {
        self.time_zone = zone;
    }

    /// The device's local date now, on the world's clock (moved by `advance_clock`).
    pub fn today(&self) -> jiff::civil::Date {
        let now = jiff::Timestamp::now()
            + jiff::SignedDuration::try_from(self.clock_offset).unwrap_or_default();
        now.to_zoned_datetime(self.time_zone.clone()).date()
    }

    /// The skill ID requests carry (`applicationId`).
    pub fn with_skill_id(mut self, skill_id: &str) -> Conversation {
        skill_id.clone_into(&mut self.skill_id);
        self
    }

    /// The Alexa user requests carry (`userId`).
    pub fn with_user_id(mut self, user_id: &str) -> Conversation {
        user_id.clone_into(&mut self.user_id);
        self
    }

    pub fn model(&self) -> &SkillModel {
        &self.model
    }

    /// The locale the user speaks.
    pub fn locale(&self) -> &str {
        self.model.voice.locale()
    }

    /// Whether a session is open: the device is listening, so the user speaks without "Alexa".
    pub fn in_session(&self) -> bool {
        !self.session_new
    }

    /// The session attributes the next request of this session carries.
    pub fn session_attributes(&self) -> &Map<String, Value> {
        &self.attributes
    }

    /// Whether Alexa waits for "yes" or "no".
    pub fn awaits_confirmation(&self) -> bool {
        matches!(
            self.dialog
                .as_ref()
                .and_then(|dialog| dialog.awaiting.as_ref()),
            Some(Awaiting::SlotConfirmation { .. } | Awaiting::IntentConfirmation { .. })
        )
    }

    /// The intent of the dialog under way, if any.
    pub fn dialog_intent(&self) -> Option<&str> {
        self.dialog
            .as_ref()
            .map(|dialog| dialog.intent.name.as_str())
    }

    pub fn is_linked(&self) -> bool {
        self.link.as_ref().is_some_and(Link::is_linked)
    }

    pub fn link(&self) -> Option<&Link> {
        self.link.as_ref()
    }

    /// Alexa keeps this link (made through the login page) for the user.
    pub fn set_link(&mut self, link: Link) {
        self.link = Some(link);
        self.link_clock_base = self.clock_offset;
    }

    /// Alexa deletes the tokens (the user unlinked in the Alexa app, or disabled the skill).
    pub fn unlink(&mut self) {
        self.link = None;
    }

    /// Time passes for Alexa: the link's tokens age, relative dates move.
    pub fn advance_clock(&mut self, by: Duration) {
        self.clock_offset += by;
    }

    /// What Alexa makes of `utterance`: a launch, a one-shot request, "yes" or "no" to a
    /// confirmation, the answer to a slot being asked for, or an intent matched by the
    /// interaction model (Fallback if none).
    pub fn understand(&self, utterance: &str) -> Understood {
        let utterance = strip_wake_word(utterance);
        let voice = &self.model.voice;
        let today = self.today();
        // The launch and one-shot phrasings are the model's language's (`voice/languages.toml`).
        match voice.match_invocation_on(utterance, today) {
            Some(Invocation::Launch) => return Understood::Launch,
            Some(Invocation::OneShot { found, request }) => {
                return Understood::Intent {
                    found,
                    one_shot: Some(request),
                };
            }
            None => {}
        }
        let dialog = self.dialog.as_ref();
        match dialog.and_then(|dialog| dialog.awaiting.as_ref()) {
            Some(Awaiting::SlotConfirmation { .. } | Awaiting::IntentConfirmation { .. }) => {
                if let Ok(Some(confirmed)) = yes_no::answer(self.locale(), utterance) {
                    return Understood::Confirmation { confirmed };
                }
            }
            Some(Awaiting::SlotValue { slot, .. }) => {
                let dialog = dialog.expect("awaiting belongs to a dialog");
                if let Some(value) =
                    voice.match_slot_answer_on(&dialog.intent.name, slot, utterance, today)
                {
                    let mut slots = dialog.intent.filled_slots();
                    slots.retain(|(name, _)| name != slot);
                    slots.push((slot.clone(), value));
                    return Understood::Intent {
                        found: Match {
                            intent: dialog.intent.name.clone(),
                            slots,
                        },
                        one_shot: None,
                    };
                }
            }
            None => {}
        }
        Understood::Intent {
            found: voice.match_utterance_on(utterance, today),
            one_shot: None,
        }
    }

    /// Understands `utterance` and sends it.
    pub async fn say(&mut self, utterance: &str) -> Result<Turn, Error> {
        let understood = self.understand(utterance);
        self.send_understood(&understood, utterance).await
    }

    /// Sends what the user said, as Alexa understood it (`utterance` names it in errors).
    pub async fn send_understood(
        &mut self,
        understood: &Understood,
        utterance: &str,
    ) -> Result<Turn, Error> {
        let mut turn = Turn::default();
        let next = match understood {
            Understood::Launch => return self.send_event_in(Event::Launch, turn).await,
            Understood::Confirmation { confirmed } => self.confirmed(*confirmed),
            Understood::Intent { found, one_shot } => {
                if one_shot.is_some() {
                    self.new_session();
                }
                if self.awaits_confirmation() && found.intent == FALLBACK_INTENT {
                    return Err(self.not_yes_or_no(utterance));
                }
                self.heard_intent(found)
            }
        };
        turn.notes = self.prepare_link().await?;
        self.run(next, &mut turn).await?;
        Ok(turn)
    }

    /// Sends a request that is not speech: a launch, the end of a session, a skill event.
    pub async fn send_event(&mut self, event: Event) -> Result<Turn, Error> {
        self.send_event_in(event, Turn::default()).await
    }

    async fn send_event_in(&mut self, event: Event, mut turn: Turn) -> Result<Turn, Error> {
        if event == Event::Launch {
            self.new_session();
        }
        turn.notes = self.prepare_link().await?;
        let access_token = self.access_token();
        let context = self.context(access_token.as_deref());
        let request = match event {
            Event::Launch => requests::launch(&context),
            Event::SessionEnded => requests::session_ended(&context, "USER_INITIATED"),
            Event::AccountLinked => requests::skill_account_linked(&context),
            Event::SkillEnabled => skill_event(&context, "AlexaSkillEvent.SkillEnabled"),
            Event::SkillDisabled => skill_event(&context, "AlexaSkillEvent.SkillDisabled"),
        };
        let request = self.with_attributes(request);
        match event {
            Event::Launch => {
                self.dialog = None;
                let next = self.exchange(request, &mut turn, None).await?;
                self.run(next, &mut turn).await?;
            }
            Event::SessionEnded => {
                self.exchange(request, &mut turn, None).await?;
                self.new_session();
            }
            Event::AccountLinked | Event::SkillEnabled | Event::SkillDisabled => {
                // Skill events are outside any session; their answers are not spoken.
                let response = self
                    .skill
                    .send(request.clone())
                    .await
                    .map_err(Error::Skill)?;
                turn.exchanges.push(Exchange { request, response });
                if event == Event::SkillDisabled {
                    self.unlink();
                }
            }
        }
        Ok(turn)
    }

    /// Runs the turn from `next` until Alexa waits for the user.
    async fn run(&mut self, mut next: Next, turn: &mut Turn) -> Result<(), Error> {
        loop {
            let state = match next {
                Next::Done => return Ok(()),
                Next::Send(state) => state,
                Next::AlexaRuns => match self.next_step()? {
                    Some(prompt) => {
                        turn.alexa_prompt = Some(prompt);
                        return Ok(());
                    }
                    None => Some(DialogState::Completed),
                },
            };
            let request = self.intent_request(state);
            next = self.exchange(request, turn, state).await?;
        }
    }

    /// A new intent, or the answer to a slot Alexa or the skill asked for.
    fn heard_intent(&mut self, found: &Match) -> Next {
        let continuing = self.dialog.as_mut().filter(|dialog| {
            dialog.intent.name == found.intent
                && matches!(dialog.awaiting, Some(Awaiting::SlotValue { .. }))
        });
        if let Some(dialog) = continuing {
            let Some(Awaiting::SlotValue { by, .. }) = dialog.awaiting.take() else {
                unreachable!("filtered above");
            };
            for (name, value) in &found.slots {
                if let Some(slot) = dialog.intent.slot_mut(name)
                    && slot.value.as_deref() != Some(value)
                {
                    slot.value = Some(value.clone());
                    slot.confirmation = ConfirmationStatus::None;
                }
            }
            return self.after_answer(by, DialogState::InProgress);
        }
        let slots = self
            .model
            .dialog
            .language_slots(&found.intent)
            .unwrap_or_default();
        let intent = IntentState {
            name: found.intent.clone(),
            confirmation: ConfirmationStatus::None,
            slots: slots
                .iter()
                .map(|(name, _)| SlotState {
                    name: name.clone(),
                    value: found
                        .slots
                        .iter()
                        .find(|(slot, _)| slot == name)
                        .map(|(_, value)| value.clone()),
                    confirmation: ConfirmationStatus::None,
                })
                .collect(),
        };
        let spec = self.model.dialog.intent(&found.intent);
        self.dialog = Some(ActiveDialog {
            intent,
            last_state: None,
            modeled: spec.is_some(),
            awaiting: None,
        });
        match spec.map(|spec| spec.delegation) {
            // Auto-delegation: the skill hears of the intent only when the dialog is complete.
            Some(dialog_model::Delegation::Always) => Next::AlexaRuns,
            Some(_) => Next::Send(Some(DialogState::Started)),
            None => Next::Send(None),
        }
    }

    /// "yes" or "no" to the confirmation Alexa waits for.
    fn confirmed(&mut self, confirmed: bool) -> Next {
        let status = if confirmed {
            ConfirmationStatus::Confirmed
        } else {
            ConfirmationStatus::Denied
        };
        let Some(dialog) = self.dialog.as_mut() else {
            return Next::Done;
        };
        match dialog.awaiting.take() {
            Some(Awaiting::SlotConfirmation { slot, by }) => {
                if let Some(slot) = dialog.intent.slot_mut(&slot) {
                    slot.confirmation = status;
                }
                self.after_answer(by, DialogState::InProgress)
            }
            Some(Awaiting::IntentConfirmation { by }) => {
                dialog.intent.confirmation = status;
                // "dialogState is considered COMPLETED if the user denies the entire intent".
                let state = if confirmed {
                    DialogState::InProgress
                } else {
                    DialogState::Completed
                };
                self.after_answer(by, state)
            }
            other => {
                dialog.awaiting = other;
                Next::Done
            }
        }
    }

    /// After the user answered what `by` asked: Alexa goes on itself under auto-delegation,
    /// otherwise the skill hears the answer.
    fn after_answer(&self, by: AskedBy, state: DialogState) -> Next {
        let Some(dialog) = &self.dialog else {
            return Next::Done;
        };
        let auto = self
            .model
            .dialog
            .intent(&dialog.intent.name)
            .is_some_and(|spec| spec.delegation == dialog_model::Delegation::Always);
        if by == AskedBy::Alexa && auto && state != DialogState::Completed {
            Next::AlexaRuns
        } else {
            Next::Send(dialog.modeled.then_some(state))
        }
    }

    /// Alexa's next step in the dialog: the prompt it speaks (and what it then waits for), or
    /// `None` when every required slot is filled, valid and confirmed and the intent confirmed.
    fn next_step(&mut self) -> Result<Option<String>, Error> {
        let today = self.today();
        let dialog = self.dialog.as_mut().expect("Alexa runs a dialog");
        let Some(spec) = self.model.dialog.intent(&dialog.intent.name) else {
            return Err(Error::Model(format!(
                "Alexa was asked to run the dialog of `{}`, which the model's dialog does not \
                 list: add it to dialog.intents",
                dialog.intent.name
            )));
        };
        let mut ask = None;
        for slot_spec in &spec.slots {
            let Some(slot) = dialog.intent.slot_mut(&slot_spec.name) else {
                continue;
            };
            // A denied value is asked for again.
            if slot.confirmation == ConfirmationStatus::Denied {
                slot.value = None;
                slot.confirmation = ConfirmationStatus::None;
            }
            let Some(value) = slot.value.clone() else {
                if slot_spec.elicitation_required {
                    ask = Some((
                        slot_spec.elicitation_prompt.clone(),
                        format!("the elicitation of slot `{}`", slot_spec.name),
                        Awaiting::SlotValue {
                            slot: slot_spec.name.clone(),
                            by: AskedBy::Alexa,
                        },
                    ));
                    break;
                }
                continue;
            };
            let mut failed = None;
            for rule in &slot_spec.validations {
                let passes = validation::passes(
                    rule,
                    &slot_spec.slot_type,
                    &value,
                    &self.model.dialog,
                    today,
                )
                .map_err(|problem| {
                    Error::Model(format!(
                        "slot `{}` of `{}`: {problem}",
                        slot_spec.name, spec.name
                    ))
                })?;
                if !passes {
                    failed = Some(rule["prompt"].as_str().map(str::to_owned));
                    break;
                }
            }
            if let Some(prompt) = failed {
                slot.value = None;
                ask = Some((
                    prompt,
                    format!("a validation of slot `{}`", slot_spec.name),
                    Awaiting::SlotValue {
                        slot: slot_spec.name.clone(),
                        by: AskedBy::Alexa,
                    },
                ));
                break;
            }
            if slot_spec.confirmation_required && slot.confirmation == ConfirmationStatus::None {
                ask = Some((
                    slot_spec.confirmation_prompt.clone(),
                    format!("the confirmation of slot `{}`", slot_spec.name),
                    Awaiting::SlotConfirmation {
                        slot: slot_spec.name.clone(),
                        by: AskedBy::Alexa,
                    },
                ));
                break;
            }
        }
        if ask.is_none()
            && spec.confirmation_required
            && dialog.intent.confirmation == ConfirmationStatus::None
        {
            ask = Some((
                spec.confirmation_prompt.clone(),
                "the intent confirmation".to_owned(),
                Awaiting::IntentConfirmation { by: AskedBy::Alexa },
            ));
        }
        let Some((prompt_id, what, awaiting)) = ask else {
            return Ok(None);
        };
        let intent_name = dialog.intent.name.clone();
        let Some(prompt_id) = prompt_id else {
            return Err(Error::Model(format!(
                "{what} of `{intent_name}` has no prompt in the model: add one to its `prompts`"
            )));
        };
        let text = self.speak(&prompt_id)?;
        self.dialog.as_mut().expect("still there").awaiting = Some(awaiting);
        Ok(Some(text))
    }

    /// A prompt's text: its variations in turn (the first the first time, the second the next
    /// time, …), with `{slot}` replaced by the slot's value, SSML markup removed.
    fn speak(&mut self, prompt_id: &str) -> Result<String, Error> {
        let variations = self
            .model
            .dialog
            .prompt(prompt_id)
            .filter(|variations| !variations.is_empty())
            .ok_or_else(|| {
                Error::Model(format!(
                    "the prompt `{prompt_id}` is not defined (or has no variations) in the \
                     model's `prompts`"
                ))
            })?;
        let spoken = self.prompts_spoken.entry(prompt_id.to_owned()).or_default();
        let variation = &variations[*spoken % variations.len()];
        *spoken += 1;
        let mut text = if variation.kind == "SSML" {
            strip_tags(&variation.value)
        } else {
            variation.value.clone()
        };
        if let Some(dialog) = &self.dialog {
            for slot in &dialog.intent.slots {
                if let Some(value) = &slot.value {
                    text = text.replace(&format!("{{{}}}", slot.name), value);
                }
            }
        }
        Ok(text)
    }

    fn not_yes_or_no(&self, utterance: &str) -> Error {
        let asked = match self
            .dialog
            .as_ref()
            .and_then(|dialog| dialog.awaiting.as_ref())
        {
            Some(Awaiting::SlotConfirmation { slot, .. }) => format!("slot `{slot}`"),
            _ => format!("intent `{}`", self.dialog_intent().unwrap_or("the intent")),
        };
        let (yes, no) = match yes_no::words_for(self.locale()) {
            Ok(words) => (words.yes.join(", "), words.no.join(", ")),
            Err(problem) => return Error::Model(problem),
        };
        Error::NotYesOrNo {
            asked,
            utterance: utterance.to_owned(),
            locale: self.locale().to_owned(),
            yes,
            no,
        }
    }

    /// The `IntentRequest` for the dialog's intent as Alexa holds it.
    fn intent_request(&mut self, state: Option<DialogState>) -> Value {
        let access_token = self.access_token();
        let context = self.context(access_token.as_deref());
        let dialog = self
            .dialog
            .as_ref()
            .expect("an intent request has a dialog");
        let mut request = requests::intent(&context, &dialog.intent.name, &[]);
        request["request"]["intent"] = dialog.intent.to_json();
        if let Some(state) = state {
            request["request"]["dialogState"] = state.as_str().into();
        }
        let request = self.with_attributes(request);
        if let Some(dialog) = self.dialog.as_mut() {
            dialog.last_state = state;
        }
        request
    }

    fn with_attributes(&self, mut request: Value) -> Value {
        if let Some(session) = request.get_mut("session") {
            session["attributes"] = Value::Object(self.attributes.clone());
        }
        request
    }

    /// Sends `request`, keeps the session as the answer says, and reads its Dialog directive.
    async fn exchange(
        &mut self,
        request: Value,
        turn: &mut Turn,
        sent_state: Option<DialogState>,
    ) -> Result<Next, Error> {
        self.session_new = false;
        let response = self
            .skill
            .send(request.clone())
            .await
            .map_err(Error::Skill)?;
        let request_type = request["request"]["type"]
            .as_str()
            .unwrap_or("a request")
            .to_owned();
        turn.exchanges.push(Exchange {
            request,
            response: response.clone(),
        });
        self.read_answer(&request_type, sent_state, &response)
    }

    fn read_answer(
        &mut self,
        request_type: &str,
        sent_state: Option<DialogState>,
        response: &Value,
    ) -> Result<Next, Error> {
        let invalid = |problem: String| Error::InvalidAnswer {
            request: request_type.to_owned(),
            problem,
        };
        let answer = &response["response"];
        self.attributes = response["sessionAttributes"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let directives: Vec<&Value> = answer["directives"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|directive| {
                directive["type"]
                    .as_str()
                    .is_some_and(|kind| kind.starts_with("Dialog.") && kind != DYNAMIC_ENTITIES)
            })
            .collect();
        let Some(directive) = directives.first() else {
            if let Some(dialog) = self.dialog.as_mut() {
                dialog.awaiting = None;
            }
            if answer["shouldEndSession"] != Value::Bool(false) {
                self.new_session();
            } else {
                // The skill asked a question of its own: the next utterance starts afresh.
                self.dialog = None;
            }
            return Ok(Next::Done);
        };
        let kind = directive["type"].as_str().unwrap_or_default().to_owned();
        if directives.len() > 1 {
            return Err(invalid(format!(
                "it carries {} Dialog directives; Alexa takes one per response",
                directives.len()
            )));
        }
        if !matches!(request_type, "IntentRequest" | "LaunchRequest") {
            return Err(invalid(format!(
                "{kind} may only answer an IntentRequest (or, chaining to an intent with \
                 `updatedIntent`, a LaunchRequest)"
            )));
        }
        if answer["shouldEndSession"] == Value::Bool(true) {
            return Err(invalid(format!(
                "{kind} keeps the dialog going, but `shouldEndSession` is true: leave it out"
            )));
        }
        let speaks = answer
            .get("outputSpeech")
            .is_some_and(|speech| !speech.is_null());
        let reprompts = answer
            .get("reprompt")
            .is_some_and(|speech| !speech.is_null());
        if kind == DELEGATE && (speaks || reprompts) {
            return Err(invalid(
                "Dialog.Delegate must not carry outputSpeech or reprompt: Alexa speaks the \
                 dialog model's prompts"
                    .to_owned(),
            ));
        }
        if kind != DELEGATE && !speaks {
            return Err(invalid(format!(
                "{kind} needs outputSpeech: Alexa speaks the skill's question"
            )));
        }
        let updated = directive
            .get("updatedIntent")
            .filter(|updated| !updated.is_null());
        let chained = match updated {
            Some(updated) => self.apply_updated_intent(updated).map_err(invalid)?,
            None if request_type == "LaunchRequest" => {
                return Err(invalid(format!(
                    "{kind} answers a LaunchRequest, which has no intent: chain to an intent \
                     with `updatedIntent`"
                )));
            }
            None => false,
        };
        let dialog = self
            .dialog
            .as_mut()
            .expect("an intent request has a dialog");
        let intent = dialog.intent.name.clone();
        let slot_of = |field: &str| -> Result<String, Error> {
            let slot = directive[field]
                .as_str()
                .ok_or_else(|| invalid(format!("{kind} has no `{field}`: name the slot")))?;
            if dialog.intent.slots.iter().any(|known| known.name == slot) {
                Ok(slot.to_owned())
            } else {
                Err(invalid(format!(
                    "{kind} names slot `{slot}`, which intent `{intent}` does not have in the \
                     interaction model: use one of its slots ({}) or add the slot to the model",
                    dialog
                        .intent
                        .slots
                        .iter()
                        .map(|slot| slot.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        };
        match kind.as_str() {
            DELEGATE => {
                if !dialog.modeled {
                    return Err(invalid(format!(
                        "Dialog.Delegate for `{intent}`, which the model's dialog does not list: \
                         add the intent to dialog.intents (with its required slots and prompts)"
                    )));
                }
                if sent_state == Some(DialogState::Completed) && !chained {
                    return Err(invalid(format!(
                        "Dialog.Delegate answers a request whose dialogState is COMPLETED: the \
                         dialog of `{intent}` is done; fulfil the intent, or ask with \
                         Dialog.ElicitSlot/ConfirmSlot/ConfirmIntent"
                    )));
                }
                Ok(Next::AlexaRuns)
            }
            ELICIT_SLOT => {
                let slot = slot_of("slotToElicit")?;
                dialog.awaiting = Some(Awaiting::SlotValue {
                    slot,
                    by: AskedBy::Skill,
                });
                Ok(Next::Done)
            }
            CONFIRM_SLOT => {
                let slot = slot_of("slotToConfirm")?;
                if dialog
                    .intent
                    .slot_mut(&slot)
                    .is_none_or(|slot| slot.value.is_none())
                {
                    return Err(invalid(format!(
                        "Dialog.ConfirmSlot asks to confirm slot `{slot}`, which has no value"
                    )));
                }
                dialog.awaiting = Some(Awaiting::SlotConfirmation {
                    slot,
                    by: AskedBy::Skill,
                });
                Ok(Next::Done)
            }
            CONFIRM_INTENT => {
                dialog.awaiting = Some(Awaiting::IntentConfirmation { by: AskedBy::Skill });
                Ok(Next::Done)
            }
            other => Err(invalid(format!(
                "{other} is not a Dialog directive Alexa's dialog manager plays here (Delegate, \
                 ElicitSlot, ConfirmSlot, ConfirmIntent)"
            ))),
        }
    }

    /// `updatedIntent` replaces the intent whole: slots it leaves out are unset. A different
    /// intent chains to it (a new dialog). Returns whether it chained.
    fn apply_updated_intent(&mut self, updated: &Value) -> Result<bool, String> {
        let name = updated["name"]
            .as_str()
            .ok_or("`updatedIntent` has no `name`")?;
        let chained = self
            .dialog
            .as_ref()
            .is_none_or(|dialog| dialog.intent.name != name);
        if chained && name.starts_with("AMAZON.") {
            return Err(format!(
                "`updatedIntent` chains to the built-in intent `{name}`, which Alexa does not \
                 allow: chain to one of the skill's own intents"
            ));
        }
        let slots = self.model.dialog.language_slots(name).ok_or_else(|| {
            format!("`updatedIntent` names `{name}`, which the interaction model does not have")
        })?;
        let given = updated["slots"].as_object().cloned().unwrap_or_default();
        if let Some(unknown) = given
            .keys()
            .find(|slot| !slots.iter().any(|(known, _)| known == *slot))
        {
            return Err(format!(
                "`updatedIntent` sets slot `{unknown}`, which intent `{name}` does not have in the \
                 interaction model"
            ));
        }
        let intent = IntentState {
            name: name.to_owned(),
            confirmation: ConfirmationStatus::parse(updated["confirmationStatus"].as_str()),
            slots: slots
                .iter()
                .map(|(slot, _)| SlotState {
                    name: slot.clone(),
                    value: given
                        .get(slot)
                        .and_then(|slot| slot["value"].as_str())
                        .map(str::to_owned),
                    confirmation: ConfirmationStatus::parse(
                        given
                            .get(slot)
                            .and_then(|slot| slot["confirmationStatus"].as_str()),
                    ),
                })
                .collect(),
        };
        match self.dialog.as_mut() {
            Some(dialog) if !chained => dialog.intent = intent,
            _ => {
                self.dialog = Some(ActiveDialog {
                    intent,
                    last_state: None,
                    modeled: self.model.dialog.intent(name).is_some(),
                    awaiting: None,
                });
            }
        }
        Ok(chained)
    }

    fn new_session(&mut self) {
        self.session_id = requests::new_session_id();
        self.session_new = true;
        self.attributes = Map::new();
        self.dialog = None;
    }

    /// Now, on the clock the current link's expiry is measured by (see `link_clock_base`).
    fn link_now(&self) -> SystemTime {
        SystemTime::now() + self.clock_offset.saturating_sub(self.link_clock_base)
    }

    /// Refreshes the link first when its access token expired, as Alexa does; says what
    /// happened, for the transcript.
    async fn prepare_link(&mut self) -> Result<Vec<String>, Error> {
        let mut notes = Vec::new();
        let now = self.link_now();
        let Some(link) = self.link.as_mut() else {
            return Ok(notes);
        };
        if link.is_linked() && link.is_expired(now) {
            let before = link.access_token().map(|token| token.secret().to_owned());
            let state = link
                .refresh_if_expired(now)
                .await
                .map_err(Error::Refresh)?
                .clone();
            match state {
                LinkState::Linked => {
                    let after = link.access_token().map(|token| token.secret().to_owned());
                    if before == after {
                        return Err(Error::TokenUnchanged);
                    }
                    notes.push(
                        "the access token expired: Alexa used the refresh token and Google sent a \
                         new access token"
                            .to_owned(),
                    );
                }
                LinkState::Unlinked { reason } => {
                    let why = match reason {
                        UnlinkReason::RefreshRejected { error, description } => {
                            format!("Google refused the refresh token ({error}: {description})")
                        }
                        UnlinkReason::ExpiredWithoutRefreshToken => {
                            "there is no refresh token".to_owned()
                        }
                    };
                    notes.push(format!(
                        "the access token expired and {why}: Alexa dropped the link"
                    ));
                }
            }
        }
        Ok(notes)
    }

    fn access_token(&self) -> Option<String> {
        self.link
            .as_ref()
            .and_then(Link::access_token)
            .map(|token| token.secret().to_owned())
    }

    fn context<'a>(&'a self, access_token: Option<&'a str>) -> RequestContext<'a> {
        RequestContext {
            locale: self.model.voice.locale(),
            skill_id: &self.skill_id,
            user_id: &self.user_id,
            session_id: &self.session_id,
            access_token,
            new_session: self.session_new,
        }
    }
}

const DELEGATE: &str = "Dialog.Delegate";
const ELICIT_SLOT: &str = "Dialog.ElicitSlot";
const CONFIRM_SLOT: &str = "Dialog.ConfirmSlot";
const CONFIRM_INTENT: &str = "Dialog.ConfirmIntent";
/// A Dialog directive that changes the catalog, not the dialog; it may go with any answer.
const DYNAMIC_ENTITIES: &str = "Dialog.UpdateDynamicEntities";

impl IntentState {
    fn slot_mut(&mut self, name: &str) -> Option<&mut SlotState> {
        self.slots.iter_mut().find(|slot| slot.name == name)
    }

    fn filled_slots(&self) -> Vec<(String, String)> {
        self.slots
            .iter()
            .filter_map(|slot| Some((slot.name.clone(), slot.value.clone()?)))
            .collect()
    }

    /// `request.intent` as Alexa sends it: every slot of the intent, unfilled ones without
    /// `value`.
    fn to_json(&self) -> Value {
        let mut intent = Map::new();
        intent.insert("name".into(), self.name.clone().into());
        intent.insert(
            "confirmationStatus".into(),
            self.confirmation.as_str().into(),
        );
        if !self.slots.is_empty() {
            let slots: Map<String, Value> = self
                .slots
                .iter()
                .map(|slot| {
                    let mut json = json!({
                        "name": slot.name,
                        "confirmationStatus": slot.confirmation.as_str(),
                    });
                    if let Some(value) = &slot.value {
                        json["value"] = value.clone().into();
                    }
                    (slot.name.clone(), json)
                })
                .collect();
            intent.insert("slots".into(), Value::Object(slots));
        }
        Value::Object(intent)
    }
}

/// "Alexa, open …" → "open …"; "アレクサ、…を開いて" → "…を開いて".
pub fn strip_wake_word(utterance: &str) -> &str {
    let trimmed = utterance.trim();
    for wake_word in WAKE_WORDS {
        let Some(prefix) = trimmed.get(..wake_word.len()) else {
            continue;
        };
        let rest = &trimmed[wake_word.len()..];
        if prefix.to_lowercase() == *wake_word
            && let Some(rest) = rest.strip_prefix([',', '、', '،', '，'])
        {
            return rest.trim_start();
        }
    }
    trimmed
}

/// A skill event other than account linking: the same envelope, another type and no body.
fn skill_event(context: &RequestContext<'_>, request_type: &str) -> Value {
    let mut envelope = requests::skill_account_linked(context);
    envelope["request"]["type"] = json!(request_type);
    if let Some(request) = envelope["request"].as_object_mut() {
        request.remove("body");
    }
    envelope
}

/// SSML without its markup, as the transcript shows it.
fn strip_tags(ssml: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for character in ssml.chars() {
        match character {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(character),
            _ => {}
        }
    }
    text.trim().to_owned()
}

#[cfg(test)]
mod tests;
