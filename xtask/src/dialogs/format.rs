//! The dialog file format: one conversation with a skill, written by hand in YAML, parsed into
//! typed values. `docs/dialogs.md` is the user's description of every key.
//!
//! Everything a hand-written file can get wrong is caught while parsing, inside the
//! deserializers, so that serde-saphyr reports it with the file's line and column: unknown keys
//! (every struct denies them), a step that does two things, a bad duration or regular expression.
//! Only what needs the skill (does the utterance match its model?) is checked while running.

use std::{collections::BTreeMap, fmt, path::Path, time::Duration};

use anyhow::Context as _;
pub(crate) use dialog::{ConfirmationExpect, DialogStateExpect};
use serde::{
    Deserialize, Deserializer,
    de::{self, MapAccess, Visitor, value::MapAccessDeserializer},
};

mod device;
mod stored;

pub(crate) use device::{DeviceSetup, EventTimeExpect, spoken_text};
pub(crate) use stored::{DynamoDbCondition, StateSeed, StepSetup, StoredExpect};

/// The Google test user a dialog speaks as unless it names another.
pub(crate) const DEFAULT_USER: &str = "ada@example.com";
/// The locale of a dialog that names none.
pub(crate) const DEFAULT_LOCALE: &str = "en-US";

/// One conversation: who speaks, in which state it starts, how Google behaves, and the steps.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Dialog {
    /// What the conversation shows, printed above its transcript.
    #[serde(default)]
    pub(crate) description: Option<String>,
    #[serde(default = "default_locale")]
    pub(crate) locale: String,
    /// The Google test user who consents when the account is linked.
    #[serde(default = "default_user")]
    pub(crate) user: String,
    pub(crate) start: Start,
    /// The scopes Alexa asks for when linking, which the user grants; the skill's own list when
    /// absent. Fewer scopes model a user who granted only some.
    #[serde(default)]
    pub(crate) scopes: Option<Vec<String>>,
    #[serde(default)]
    pub(crate) google: GoogleSetup,
    /// The Echo's settings, served by Alexa's settings API (format/device.rs).
    #[serde(default)]
    pub(crate) device: DeviceSetup,
    /// The user's stored state before the first step (format/stored.rs).
    #[serde(default)]
    pub(crate) state: Option<StateSeed>,
    pub(crate) steps: Vec<Step>,
}

/// The link state the dialog starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Start {
    /// Linked through the login page, the Google twin and Alexa's token exchange.
    Linked,
    /// Never linked: requests arrive without an access token.
    Unlinked,
}

/// How the Google twin behaves for this dialog.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GoogleSetup {
    /// Faults injected once the start state is reached (so linking itself is not affected).
    #[serde(default)]
    pub(crate) faults: Vec<FaultSpec>,
    /// Replace the user's seeded Drive files with these (an empty list: an empty Drive).
    #[serde(default)]
    pub(crate) files: Option<Vec<FileSeed>>,
    /// Replace the user's seeded calendar events with these.
    #[serde(default)]
    pub(crate) events: Option<Vec<EventSeed>>,
    /// Replace the user's seeded Gmail mailbox with these (an empty list: an empty mailbox).
    #[serde(default)]
    pub(crate) messages: Option<Vec<MessageSeed>>,
    /// `testing`: the OAuth app is in Google's Testing status, so refresh tokens die after 7 days.
    #[serde(default)]
    pub(crate) publishing_status: Option<PublishingStatus>,
    /// Google APIs the twin has no code for, declared for this dialog only (before the skill's
    /// own `[[api]]`, so a route here answers first).
    #[serde(default)]
    pub(crate) apis: Vec<devstack::google::ApiDeclaration>,
    /// Replace a user's resources at one collection of a declared API.
    #[serde(default)]
    pub(crate) resources: Vec<devstack::google::SeedResources>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum PublishingStatus {
    Testing,
    Production,
}

/// A fault the Google twin answers with instead of the real answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "FaultFile")]
pub(crate) struct FaultSpec {
    /// Requests whose path starts with this fail.
    pub(crate) path_prefix: String,
    /// Only requests with this HTTP method (upper case) fail; all methods when absent.
    pub(crate) method: Option<String>,
    pub(crate) fault: FaultKind,
    /// How many requests fail; all of them when absent.
    pub(crate) times: Option<u32>,
    /// For `slow`: how long the twin waits before answering.
    pub(crate) delay: Option<Duration>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultFile {
    #[serde(default)]
    api: Option<Api>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    method: Option<String>,
    fault: FaultKind,
    #[serde(default)]
    times: Option<u32>,
    #[serde(default)]
    delay: Option<Elapsed>,
}

/// The Google APIs a fault can name, by the twin path they live under.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Api {
    Userinfo,
    Drive,
    Calendar,
    Sheets,
    Gmail,
    /// The token endpoint, which Alexa calls to exchange codes and refresh tokens.
    Token,
}

impl Api {
    fn path_prefix(self) -> &'static str {
        match self {
            Api::Userinfo => "/v1/userinfo",
            Api::Drive => "/drive/",
            Api::Calendar => "/calendar/",
            Api::Sheets => "/v4/spreadsheets",
            Api::Gmail => "/gmail/",
            Api::Token => "/token",
        }
    }
}

/// The fault classes of the Google twin, named for what a skill sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FaultKind {
    /// 403 `userRateLimitExceeded`.
    RateLimited,
    /// 429 `rateLimitExceeded`.
    TooManyRequests,
    /// 500 `backendError`.
    ServerError,
    /// 503 `backendError` / `UNAVAILABLE`.
    Unavailable,
    /// Answers normally after `delay`: a hanging Google, for the skill's deadline.
    Slow,
    /// 401 `invalid_token`: the token was revoked or expired.
    TokenRejected,
    /// 403 `ACCESS_TOKEN_SCOPE_INSUFFICIENT`.
    MissingScope,
    /// 200 with a body that is not JSON.
    Malformed,
    /// Google does what was asked, but its answer is lost: the headers and half the body, then
    /// the connection is reset. A write has happened although the skill never heard so.
    AnswerLost,
}

impl TryFrom<FaultFile> for FaultSpec {
    type Error = String;

    fn try_from(file: FaultFile) -> Result<FaultSpec, String> {
        let path_prefix = match (file.api, file.path) {
            (Some(api), None) => api.path_prefix().to_owned(),
            (None, Some(path)) if path.starts_with('/') => path,
            (None, Some(path)) => {
                return Err(format!(
                    "`path: {path}` must start with `/`, like `/gmail/`: it is a path prefix on \
                     the Google twin"
                ));
            }
            (Some(_), Some(_)) => {
                return Err("a fault names either `api` or `path`, not both".to_owned());
            }
            (None, None) => {
                return Err(
                    "a fault needs `api: userinfo|drive|calendar|sheets|gmail|token` (or \
                            `path: /prefix/`)"
                        .to_owned(),
                );
            }
        };
        let delay = file.delay.map(|delay| delay.0);
        match (file.fault, delay) {
            (FaultKind::Slow, None) => {
                return Err("`fault: slow` needs `delay:`, e.g. `delay: 10s`".to_owned());
            }
            (FaultKind::Slow, Some(_)) | (_, None) => {}
            (_, Some(_)) => return Err("`delay:` only goes with `fault: slow`".to_owned()),
        }
        let method = match file.method {
            None => None,
            Some(method) => {
                let upper = method.to_ascii_uppercase();
                if !["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&upper.as_str()) {
                    return Err(format!(
                        "`method: {method}` is not an HTTP method Google's APIs use: write GET, \
                         POST, PUT, PATCH or DELETE"
                    ));
                }
                Some(upper)
            }
        };
        if file.times == Some(0) {
            return Err("`times: 0` injects nothing: leave the fault out instead".to_owned());
        }
        Ok(FaultSpec {
            path_prefix,
            method,
            fault: file.fault,
            times: file.times,
            delay,
        })
    }
}

/// A Drive file of the user.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileSeed {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) kind: FileKind,
    /// How long ago it was last changed.
    #[serde(default)]
    pub(crate) modified: Option<Elapsed>,
    #[serde(default)]
    pub(crate) trashed: bool,
}

#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FileKind {
    #[default]
    Document,
    Spreadsheet,
    Pdf,
    Folder,
    Image,
}

impl FileKind {
    pub(crate) fn mime_type(self) -> &'static str {
        match self {
            FileKind::Document => "application/vnd.google-apps.document",
            FileKind::Spreadsheet => "application/vnd.google-apps.spreadsheet",
            FileKind::Pdf => "application/pdf",
            FileKind::Folder => "application/vnd.google-apps.folder",
            FileKind::Image => "image/jpeg",
        }
    }
}

/// A message in the user's Gmail mailbox.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MessageSeed {
    /// The `From` header, e.g. `Charles Babbage <charles@example.com>`.
    pub(crate) from: String,
    pub(crate) subject: String,
    #[serde(default)]
    pub(crate) body: String,
    /// How long ago it arrived.
    #[serde(default)]
    pub(crate) received: Option<Elapsed>,
    /// Unread messages carry Gmail's `UNREAD` label.
    #[serde(default = "unread_by_default")]
    pub(crate) unread: bool,
    /// Gmail label IDs besides `UNREAD` (default `[INBOX]`), e.g. `[SPAM]` or `[INBOX, STARRED]`.
    #[serde(default)]
    pub(crate) labels: Option<Vec<String>>,
}

fn unread_by_default() -> bool {
    true
}

/// An event on the user's primary calendar.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "EventFile")]
pub(crate) struct EventSeed {
    pub(crate) summary: String,
    pub(crate) when: EventWhen,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum EventWhen {
    /// Starts this many seconds after the start of the current hour (negative: in the past).
    Timed {
        starts_in_seconds: i64,
        duration: Duration,
    },
    /// All day, this many days after today in the user's time zone.
    AllDay { days_from_today: i32 },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventFile {
    summary: String,
    #[serde(default)]
    starts_in: Option<Offset>,
    #[serde(default)]
    lasts: Option<Elapsed>,
    #[serde(default)]
    all_day: Option<i32>,
}

impl TryFrom<EventFile> for EventSeed {
    type Error = String;

    fn try_from(file: EventFile) -> Result<EventSeed, String> {
        let when = match (file.starts_in, file.all_day) {
            (Some(starts_in), None) => EventWhen::Timed {
                starts_in_seconds: starts_in.0,
                duration: file
                    .lasts
                    .map_or(Duration::from_secs(3600), |lasts| lasts.0),
            },
            (None, Some(days_from_today)) if file.lasts.is_none() => {
                EventWhen::AllDay { days_from_today }
            }
            (None, Some(_)) => return Err("an `all_day` event has no `lasts`".to_owned()),
            (Some(_), Some(_)) => {
                return Err("an event has either `starts_in` or `all_day`, not both".to_owned());
            }
            (None, None) => {
                return Err(
                    "an event needs `starts_in: 2h` (from the start of this hour; `-1d` \
                            is yesterday) or `all_day: 1` (days from today)"
                        .to_owned(),
                );
            }
        };
        Ok(EventSeed {
            summary: file.summary,
            when,
        })
    }
}

/// One step: something the user says, a request Alexa sends, or an event in the world; and what
/// must be true afterwards.
#[derive(Debug)]
pub(crate) struct Step {
    /// A heading printed above the step in the transcript.
    pub(crate) title: Option<String>,
    pub(crate) action: Action,
    pub(crate) expect: Expect,
    /// The device, stored state and DynamoDB for this step (format/stored.rs).
    pub(crate) setup: StepSetup,
}

#[derive(Debug, Clone)]
pub(crate) enum Action {
    /// The user speaks; matched to an intent with the skill's interaction model.
    Say(String),
    /// Alexa sends this request without the user saying anything matched by the model.
    Request(RawRequest),
    /// Time passes on Google's clock and Alexa's: tokens expire and Alexa refreshes them.
    Time(Duration),
    /// The user removes the skill's access at myaccount.google.com.
    Revoke,
    /// The user unlinks the account in the Alexa app: Alexa deletes the tokens.
    Unlink,
    /// The user links (again) through the login page.
    Link,
    /// The user links again, signed in to Google as another of the twin's test users.
    RelinkAs(String),
    /// Google starts failing like this.
    Fault(FaultSpec),
    /// Google stops failing.
    ClearFaults,
    /// A message arrives in the user's Gmail inbox (`received` defaults to now).
    Email(MessageSeed),
}

impl Action {
    /// Whether the step sends the skill a request, so that an answer can be checked.
    pub(crate) fn sends_a_request(&self) -> bool {
        matches!(self, Action::Say(_) | Action::Request(_))
    }
}

impl fmt::Display for Action {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Say(utterance) => write!(formatter, "say \"{utterance}\""),
            Action::Request(request) => write!(formatter, "request {}", request.name()),
            Action::Time(elapsed) => write!(formatter, "time +{}", describe_duration(*elapsed)),
            Action::Revoke => formatter.write_str("revoke"),
            Action::Unlink => formatter.write_str("unlink"),
            Action::Link => formatter.write_str("link"),
            Action::RelinkAs(account) => write!(formatter, "relink_as {account}"),
            Action::Fault(fault) => write!(
                formatter,
                "fault {:?} on {}",
                fault.fault, fault.path_prefix
            ),
            Action::ClearFaults => formatter.write_str("clear_faults"),
            Action::Email(message) => write!(formatter, "email \"{}\"", message.subject),
        }
    }
}

/// Requests Alexa sends that are not matched from speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawRequest {
    /// `LaunchRequest`: "Alexa, open …".
    Launch,
    /// `SessionEndedRequest` (`USER_INITIATED`).
    SessionEnd,
    /// `AlexaSkillEvent.SkillAccountLinked`.
    AccountLinked,
    /// `AlexaSkillEvent.SkillEnabled`.
    SkillEnabled,
    /// `AlexaSkillEvent.SkillDisabled`; Alexa also deletes the link.
    SkillDisabled,
}

impl RawRequest {
    pub(crate) fn name(self) -> &'static str {
        match self {
            RawRequest::Launch => "launch",
            RawRequest::SessionEnd => "session_end",
            RawRequest::AccountLinked => "account_linked",
            RawRequest::SkillEnabled => "skill_enabled",
            RawRequest::SkillDisabled => "skill_disabled",
        }
    }
}

/// What must be true after a step; every key left out is not checked.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Expect {
    /// The spoken answer.
    #[serde(default)]
    pub(crate) speech: Option<Text>,
    /// The reprompt; `""` means none.
    #[serde(default)]
    pub(crate) reprompt: Option<Text>,
    /// The card's type (`LinkAccount`, `Simple`, `Standard`), or `none`.
    #[serde(default)]
    pub(crate) card: Option<String>,
    #[serde(default)]
    pub(crate) session: Option<SessionState>,
    /// The types of the response's directives, in order (`[]`: none).
    #[serde(default)]
    pub(crate) directives: Option<Vec<String>>,
    /// The intent the interaction model matched; `AMAZON.FallbackIntent` lets a step test the
    /// fallback answer instead of failing as an unmatched utterance.
    #[serde(default)]
    pub(crate) intent: Option<String>,
    /// The slot values the model filled, all of them; each a text, so a date counted from
    /// today ("tomorrow") can be a `{matches: …}`.
    #[serde(default)]
    pub(crate) slots: Option<BTreeMap<String, Text>>,
    /// Whether Alexa holds a link after the step.
    #[serde(default)]
    pub(crate) link: Option<LinkExpect>,
    /// What the step changed at Google; `{}` means nothing.
    #[serde(default)]
    pub(crate) google: Option<GoogleChanges>,
    /// After `link`: the link fails, and why (what Amazon never shows the user), e.g.
    /// `{contains: 4.5 s}` for a token URL slower than Alexa waits.
    #[serde(default)]
    pub(crate) link_failure: Option<Text>,
    /// The speech of the progressive responses the skill sent while answering, in order
    /// (`[]`: none).
    #[serde(default)]
    pub(crate) progressive: Option<Vec<Text>>,
    /// The user's item in DynamoDB after the step.
    #[serde(default)]
    pub(crate) stored: Option<StoredExpect>,
    /// The speech names a seeded event's time in a time zone (format/device.rs).
    #[serde(default)]
    pub(crate) event_time: Option<EventTimeExpect>,
    /// What the last request Alexa sent carried for its dialog manager (`format/dialog.rs`).
    #[serde(default)]
    pub(crate) dialog_state: Option<DialogStateExpect>,
    #[serde(default)]
    pub(crate) confirmation: Option<ConfirmationExpect>,
    #[serde(default)]
    pub(crate) slot_confirmations: Option<BTreeMap<String, ConfirmationExpect>>,
    /// The session attributes of the step's last request and of the skill's answer to it.
    #[serde(default)]
    pub(crate) session_attributes: Option<SessionAttributesExpect>,
}

/// `session_attributes:` under `expect`: `request` is what Alexa sent back in the step's last
/// request (what the skill set in its previous answer of the session), `answer` what the skill's
/// answer to it set. Each is compared whole, every top-level key (a string value as it is, any
/// other value as JSON); `{}` means none.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SessionAttributesExpect {
    #[serde(default)]
    pub(crate) request: Option<BTreeMap<String, Text>>,
    #[serde(default)]
    pub(crate) answer: Option<BTreeMap<String, Text>>,
}

impl Expect {
    /// Whether any key needs an answer from the skill.
    fn checks_an_answer(&self) -> bool {
        self.speech.is_some()
            || self.reprompt.is_some()
            || self.card.is_some()
            || self.session.is_some()
            || self.directives.is_some()
            || self.intent.is_some()
            || self.slots.is_some()
            || self.progressive.is_some()
            || self.event_time.is_some()
            || self.dialog_state.is_some()
            || self.confirmation.is_some()
            || self.slot_confirmations.is_some()
            || self.session_attributes.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SessionState {
    /// `shouldEndSession: false`: the device keeps listening.
    Open,
    /// The session ended with the answer.
    Ended,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum LinkExpect {
    Linked,
    Unlinked,
}

/// Spreadsheets created and rows appended during one step, compared whole.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GoogleChanges {
    /// Titles of spreadsheets created.
    #[serde(default)]
    pub(crate) created: Vec<String>,
    /// Per spreadsheet title, the rows appended to its first sheet.
    #[serde(default)]
    pub(crate) appended: BTreeMap<String, Vec<Vec<Text>>>,
}

/// Expected text: exact, a regular expression, or a part of it.
#[derive(Debug, Clone)]
pub(crate) enum Text {
    Exact(String),
    /// `{matches: REGEX}` (regex-lite syntax), searched anywhere unless anchored.
    Matches(regex_lite::Regex),
    /// `{contains: TEXT}`.
    Contains(String),
}

impl Text {
    pub(crate) fn accepts(&self, actual: &str) -> bool {
        match self {
            Text::Exact(expected) => expected == actual,
            Text::Matches(pattern) => pattern.is_match(actual),
            Text::Contains(part) => actual.contains(part.as_str()),
        }
    }
}

impl fmt::Display for Text {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Text::Exact(text) => write!(formatter, "{text:?}"),
            Text::Matches(pattern) => write!(formatter, "text matching /{}/", pattern.as_str()),
            Text::Contains(part) => write!(formatter, "text containing {part:?}"),
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        struct TextVisitor;

        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a text, `{matches: REGEX}` or `{contains: TEXT}`")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Text, E> {
                Ok(Text::Exact(text.to_owned()))
            }

            // `speech: 42` or `yes` in YAML: the text as written is what a user means.
            fn visit_i64<E: de::Error>(self, number: i64) -> Result<Text, E> {
                Ok(Text::Exact(number.to_string()))
            }

            fn visit_u64<E: de::Error>(self, number: u64) -> Result<Text, E> {
                Ok(Text::Exact(number.to_string()))
            }

            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Text, M::Error> {
                let Some(key) = map.next_key::<String>()? else {
                    return Err(de::Error::custom(
                        "an empty map is no text: write `{matches: REGEX}` or `{contains: TEXT}`",
                    ));
                };
                let value: String = map.next_value()?;
                let text = match key.as_str() {
                    "matches" => {
                        Text::Matches(regex_lite::Regex::new(&value).map_err(|error| {
                            de::Error::custom(format!(
                                "`matches: {value}` is no regular expression: {error}"
                            ))
                        })?)
                    }
                    "contains" => Text::Contains(value),
                    other => {
                        return Err(de::Error::custom(format!(
                            "unknown text test `{other}`: use `matches` (a regular expression) or \
                             `contains`"
                        )));
                    }
                };
                if map.next_key::<String>()?.is_some() {
                    return Err(de::Error::custom(
                        "a text test has one key: `matches` or `contains`",
                    ));
                }
                Ok(text)
            }
        }

        deserializer.deserialize_any(TextVisitor)
    }
}

/// The map form of a step, before it is checked to do exactly one thing.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepFile {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    say: Option<String>,
    #[serde(default)]
    request: Option<RawRequest>,
    #[serde(default)]
    time: Option<Elapsed>,
    #[serde(default, deserialize_with = "present")]
    revoke: bool,
    #[serde(default, deserialize_with = "present")]
    unlink: bool,
    #[serde(default, deserialize_with = "present")]
    link: bool,
    #[serde(default, deserialize_with = "present")]
    relink: bool,
    #[serde(default)]
    relink_as: Option<String>,
    #[serde(default)]
    fault: Option<FaultSpec>,
    #[serde(default, deserialize_with = "present")]
    clear_faults: bool,
    #[serde(default)]
    email: Option<MessageSeed>,
    #[serde(default)]
    expect: Option<Expect>,
    #[serde(default)]
    device: Option<DeviceSetup>,
    #[serde(default)]
    state: Option<StateSeed>,
    #[serde(default)]
    dynamodb: Option<DynamoDbCondition>,
}

/// The steps that need no value, written alone: `- revoke`.
const KEYWORD_STEPS: &str = "revoke, unlink, link, relink, clear_faults, launch, session_end";

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Step, D::Error> {
        struct StepVisitor;

        impl<'de> Visitor<'de> for StepVisitor {
            type Value = Step;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(
                    formatter,
                    "a step: a map like `say: …`, or one of {KEYWORD_STEPS}"
                )
            }

            fn visit_str<E: de::Error>(self, keyword: &str) -> Result<Step, E> {
                let action = match keyword {
                    "revoke" => Action::Revoke,
                    "unlink" => Action::Unlink,
                    "link" | "relink" => Action::Link,
                    "clear_faults" => Action::ClearFaults,
                    "launch" => Action::Request(RawRequest::Launch),
                    "session_end" => Action::Request(RawRequest::SessionEnd),
                    other => {
                        return Err(E::custom(format!(
                            "unknown step `{other}`: a step is a map (`say: …`, `request: …`, \
                             `time: +1h`, `fault: …`) or one of {KEYWORD_STEPS}"
                        )));
                    }
                };
                Ok(Step {
                    title: None,
                    action,
                    expect: Expect::default(),
                    setup: StepSetup::default(),
                })
            }

            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Step, M::Error> {
                let file = StepFile::deserialize(MapAccessDeserializer::new(map))?;
                step_from_file(file).map_err(de::Error::custom)
            }
        }

        deserializer.deserialize_any(StepVisitor)
    }
}

fn step_from_file(file: StepFile) -> Result<Step, String> {
    let mut actions = Vec::new();
    if let Some(utterance) = file.say {
        if utterance.trim().is_empty() {
            return Err("`say:` is empty: write what the user says".to_owned());
        }
        actions.push(("say", Action::Say(utterance)));
    }
    if let Some(request) = file.request {
        actions.push(("request", Action::Request(request)));
    }
    if let Some(elapsed) = file.time {
        actions.push(("time", Action::Time(elapsed.0)));
    }
    if file.revoke {
        actions.push(("revoke", Action::Revoke));
    }
    if file.unlink {
        actions.push(("unlink", Action::Unlink));
    }
    if file.link {
        actions.push(("link", Action::Link));
    }
    if file.relink {
        actions.push(("relink", Action::Link));
    }
    if let Some(account) = file.relink_as {
        actions.push(("relink_as", Action::RelinkAs(account)));
    }
    if let Some(fault) = file.fault {
        actions.push(("fault", Action::Fault(fault)));
    }
    if file.clear_faults {
        actions.push(("clear_faults", Action::ClearFaults));
    }
    if let Some(message) = file.email {
        actions.push(("email", Action::Email(message)));
    }
    let action = match actions.len() {
        1 => actions.remove(0).1,
        0 => {
            return Err(
                "this step does nothing: give it one of `say`, `request`, `time`, \
                        `revoke`, `unlink`, `link`, `relink_as`, `fault`, `clear_faults`, `email`"
                    .to_owned(),
            );
        }
        _ => {
            let names: Vec<&str> = actions.iter().map(|(name, _)| *name).collect();
            return Err(format!(
                "this step does {} things at once (`{}`): split it into one step each",
                names.len(),
                names.join("`, `")
            ));
        }
    };
    let expect = file.expect.unwrap_or_default();
    if expect.link_failure.is_some() && !matches!(action, Action::Link) {
        return Err(format!(
            "`link_failure` is about a link failing: expect it after `link` or `relink`, not \
             after `{action}`"
        ));
    }
    if !action.sends_a_request() && expect.checks_an_answer() {
        return Err(format!(
            "`{action}` sends the skill nothing, so there is no answer to check: only `link` and \
             `google` can be expected after it"
        ));
    }
    if file.dynamodb.is_some() && !action.sends_a_request() {
        return Err(format!(
            "`dynamodb:` sets DynamoDB for the request this step sends, and `{action}` sends              none: put it on a `say` or `request` step"
        ));
    }
    Ok(Step {
        title: file.title,
        action,
        expect,
        setup: StepSetup {
            device: file.device,
            state: file.state,
            dynamodb: file.dynamodb,
        },
    })
}

/// `deserialize_with` for steps written as a bare key (`revoke:`), with `true` or nothing.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    match Option::<bool>::deserialize(deserializer)? {
        None | Some(true) => Ok(true),
        Some(false) => Err(de::Error::custom(
            "`false` here means nothing: leave the key out",
        )),
    }
}

/// A length of time, `+1h`, `90s`, `1h30m`, `2d` (the `+` is optional).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Elapsed(pub(crate) Duration);

impl<'de> Deserialize<'de> for Elapsed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Elapsed, D::Error> {
        let text = String::deserialize(deserializer)?;
        let seconds =
            parse_seconds(text.strip_prefix('+').unwrap_or(&text)).map_err(de::Error::custom)?;
        Ok(Elapsed(Duration::from_secs(seconds)))
    }
}

/// A signed length of time from now, `2h`, `+30m`, `-1d`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Offset(pub(crate) i64);

impl<'de> Deserialize<'de> for Offset {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Offset, D::Error> {
        let text = String::deserialize(deserializer)?;
        let (sign, rest) = match text.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, text.strip_prefix('+').unwrap_or(&text)),
        };
        let seconds = parse_seconds(rest).map_err(de::Error::custom)?;
        let seconds = i64::try_from(seconds).map_err(|_| de::Error::custom("too long"))?;
        Ok(Offset(sign * seconds))
    }
}

/// `1h30m` → 5400. Units: `s`, `m`, `h`, `d`.
fn parse_seconds(text: &str) -> Result<u64, String> {
    let problem = || {
        format!(
            "`{text}` is not a duration: write a number and a unit, like `90s`, `30m`, `1h`, \
             `1h30m` or `8d`"
        )
    };
    if text.is_empty() {
        return Err(problem());
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for character in text.chars() {
        if character.is_ascii_digit() {
            number.push(character);
            continue;
        }
        let unit = match character {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(problem()),
        };
        let value: u64 = number.parse().map_err(|_| problem())?;
        total = value
            .checked_mul(unit)
            .and_then(|seconds| total.checked_add(seconds))
            .ok_or_else(problem)?;
        number.clear();
    }
    if !number.is_empty() {
        return Err(problem());
    }
    Ok(total)
}

/// `5400 s` → `1h30m`, for the transcript.
pub(crate) fn describe_duration(duration: Duration) -> String {
    let mut seconds = duration.as_secs();
    let mut text = String::new();
    for (unit, length) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if seconds >= length {
            text.push_str(&format!("{}{unit}", seconds / length));
            seconds %= length;
        }
    }
    if text.is_empty() {
        text.push_str("0s");
    }
    text
}

fn default_locale() -> String {
    DEFAULT_LOCALE.to_owned()
}

fn default_user() -> String {
    DEFAULT_USER.to_owned()
}

/// Reads and parses a dialog file; the error names the file, the line and what to write instead.
pub(crate) fn load(path: &Path) -> anyhow::Result<Dialog> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the dialog file {}", path.display()))?;
    let shown = path.display().to_string();
    // serde-saphyr calls the text `<input>` in its snippet; name the file there too.
    parse(&text)
        .map_err(|message| anyhow::anyhow!("{shown}: {}", message.replace("<input>", &shown)))
}

/// Parses the text of a dialog file.
pub(crate) fn parse(text: &str) -> Result<Dialog, String> {
    let dialog: Dialog = serde_saphyr::from_str(text).map_err(|error| error.to_string())?;
    if dialog.steps.is_empty() {
        return Err("`steps:` is empty: a dialog needs at least one step".to_owned());
    }
    if let Some(scopes) = &dialog.scopes
        && scopes.is_empty()
    {
        return Err(
            "`scopes: []` grants nothing, and Google refuses an authorization request \
                    without scopes: list at least `openid`"
                .to_owned(),
        );
    }
    for api in &dialog.google.apis {
        api.check()
            .map_err(|problem| format!("google.apis: {problem}"))?;
    }
    Ok(dialog)
}

mod dialog;

#[cfg(test)]
mod tests;
