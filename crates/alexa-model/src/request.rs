//! Request side: the envelope Alexa sends to a custom skill, parsed leniently.
//!
//! Shaped like `aws_lambda_events` (lambda-events): camelCase fields, optional fields as `Option`
//! or defaulted, no `deny_unknown_fields`, and fields this crate does not model collected in a
//! flattened `other` map (lambda-events does the same behind its `catch-all-fields` feature) so a
//! request re-serializes to the JSON it came from.
//!
//! Lenient like Amazon's own ask-sdk-model, where every field is optional: only the request's
//! `type` is required (and, inside an `IntentRequest`, the intent's name), because test tools,
//! recorded sessions and hand-written events omit `deviceId`, `apiEndpoint`, `apiAccessToken`,
//! `locale` and more. What a check needs (the application ID for the skill-ID check) is required
//! by that check, not by parsing; see docs/alexa-requests.md.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::secret::{AccessToken, ApiAccessToken, ConsentToken};
use crate::wire_enum::wire_enum;

/// Everything Alexa sends to the skill in one invocation.
///
/// No `PartialEq`: the envelope carries secrets, and tests compare `.secret()` or JSON.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestEnvelope {
    /// Envelope format version, `"1.0"` today; empty when the sender left it out.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// Absent for requests outside a voice session: skill events, `AudioPlayer.*`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Session>,
    /// Always sent by Alexa; absent in some hand-written and test-tool events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Context>,
    pub request: Request,
    /// Envelope fields this crate does not model, kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl RequestEnvelope {
    /// The wire name of the request type, e.g. `"IntentRequest"` or `"AudioPlayer.PlaybackStarted"`.
    pub fn request_type_name(&self) -> &str {
        self.request.type_name()
    }

    /// The request's locale such as `"en-US"`; skill events may come without one.
    pub fn locale(&self) -> Option<&str> {
        self.request.locale()
    }

    /// `context.System`, which Alexa sends on every request (unlike `session`).
    pub fn system(&self) -> Option<&System> {
        self.context.as_ref()?.system.as_ref()
    }

    /// The user as `context.System` reports it.
    pub fn user(&self) -> Option<&User> {
        self.system()?.user.as_ref()
    }

    /// `context.System.application.applicationId`, the ID of the skill this request is for.
    pub fn application_id(&self) -> Option<&str> {
        self.system()?
            .application
            .as_ref()?
            .application_id
            .as_deref()
    }

    /// `session.attributes`: what the skill put into `sessionAttributes` on its previous
    /// response; empty outside a session.
    pub fn session_attributes(&self) -> &Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        match &self.session {
            Some(session) => &session.attributes,
            None => EMPTY.get_or_init(Map::new),
        }
    }

    /// The intent of an `IntentRequest`, `None` for every other request type.
    pub fn intent(&self) -> Option<&Intent> {
        match &self.request {
            Request::IntentRequest(intent_request) => Some(&intent_request.intent),
            _ => None,
        }
    }
}

/// `session`: present for requests that belong to a voice session.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// True on the first request of a session.
    #[serde(default)]
    pub new: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// What the skill put into `sessionAttributes` on its previous response. An empty map is not
    /// serialized, as ask-sdk-model does for absent attributes; a request that carried
    /// `"attributes": {}` therefore loses only that empty object on a round-trip.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub attributes: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<Application>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// Fields this crate does not model, kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `application`: which skill the request is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    /// The skill ID, `amzn1.ask.skill.<uuid>`; compare with [`crate::verify_skill_id`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    /// Fields this crate does not model, kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `context`: the state of the device and of every interface it supports.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Context {
    #[serde(rename = "System", default, skip_serializing_if = "Option::is_none")]
    pub system: Option<System>,
    /// The other interfaces (`Viewport`, `Viewports`, `AudioPlayer`, `Alexa.Presentation.APL`,
    /// `Geolocation`, …) as raw JSON, keyed by their wire name.
    #[serde(flatten)]
    pub interfaces: Map<String, Value>,
}

/// `context.System`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct System {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<Application>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Device>,
    /// Base URL of the Alexa service APIs for this user's region, e.g. `https://api.amazonalexa.com`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_endpoint: Option<String>,
    /// Token for Alexa's own APIs (not the account-linking token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_access_token: Option<ApiAccessToken>,
    /// Fields this crate does not model (`person`, `unit`, …), kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `user`, in `context.System` and in `session`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Amazon's ID of the user for this skill; changes when the skill is disabled and enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The account-linking token, "only provided if the user has successfully linked their skill
    /// account". Prefer [`crate::linked_access_token`], which also treats `""` as absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<AccessToken>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Permissions>,
    /// Fields this crate does not model, kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `user.permissions`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Permissions {
    /// Deprecated by Amazon in favor of `apiAccessToken`, still sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_token: Option<ConsentToken>,
    /// Fields this crate does not model (`scopes`), kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `context.System.device`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// Raw `supportedInterfaces`, e.g. `{"AudioPlayer": {}, "Alexa.Presentation.APL": {…}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supported_interfaces: Option<Value>,
    /// Fields this crate does not model (`persistentEndpointId`), kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Device {
    /// Whether `supportedInterfaces` lists `interface_name` (e.g. `"Alexa.Presentation.APL"`).
    pub fn supports_interface(&self, interface_name: &str) -> bool {
        self.supported_interfaces
            .as_ref()
            .and_then(Value::as_object)
            .is_some_and(|interfaces| interfaces.contains_key(interface_name))
    }
}

/// `request`: one variant per request type this crate understands, and [`Request::Unknown`] for
/// every other type, kept verbatim.
///
/// Serde's internally tagged enums cannot fall back to a variant that keeps the type name, so
/// `Serialize` and `Deserialize` are written by hand: read a JSON object, match on `"type"`.
#[derive(Clone, Debug)]
pub enum Request {
    /// `LaunchRequest`: the user opened the skill without asking for anything yet.
    LaunchRequest(LaunchRequest),
    /// `IntentRequest`: the user said something that maps to an intent.
    IntentRequest(IntentRequest),
    /// `SessionEndedRequest`: the session ended; the skill must answer with an empty response.
    SessionEndedRequest(SessionEndedRequest),
    /// `CanFulfillIntentRequest`: Alexa asks whether the skill could handle an intent.
    CanFulfillIntentRequest(CanFulfillIntentRequest),
    /// `SessionResumedRequest`: a session continues after a skill connection or a task.
    SessionResumedRequest(SessionResumedRequest),
    /// `System.ExceptionEncountered`: the skill's previous response was rejected.
    SystemExceptionEncountered(ExceptionEncounteredRequest),
    /// `AlexaSkillEvent.SkillEnabled`.
    SkillEnabled(SkillEventRequest),
    /// `AlexaSkillEvent.SkillDisabled`: Alexa has deleted the linked access token.
    SkillDisabled(SkillEventRequest),
    /// `AlexaSkillEvent.SkillAccountLinked`: carries the new token in `body.accessToken`.
    SkillAccountLinked(SkillAccountLinkedRequest),
    /// `AlexaSkillEvent.SkillPermissionAccepted`.
    SkillPermissionAccepted(SkillPermissionRequest),
    /// `AlexaSkillEvent.SkillPermissionChanged`.
    SkillPermissionChanged(SkillPermissionRequest),
    /// Any other request type (`AudioPlayer.PlaybackStarted`, `Connections.Response`, …).
    Unknown {
        /// The `type` as sent.
        request_type: String,
        /// The whole `request` object, `type` included, exactly as sent.
        raw: Value,
    },
}

/// Wire names of the request types [`Request`] has a variant for.
pub mod request_type {
    pub const LAUNCH_REQUEST: &str = "LaunchRequest";
    pub const INTENT_REQUEST: &str = "IntentRequest";
    pub const SESSION_ENDED_REQUEST: &str = "SessionEndedRequest";
    pub const CAN_FULFILL_INTENT_REQUEST: &str = "CanFulfillIntentRequest";
    pub const SESSION_RESUMED_REQUEST: &str = "SessionResumedRequest";
    pub const SYSTEM_EXCEPTION_ENCOUNTERED: &str = "System.ExceptionEncountered";
    pub const SKILL_ENABLED: &str = "AlexaSkillEvent.SkillEnabled";
    pub const SKILL_DISABLED: &str = "AlexaSkillEvent.SkillDisabled";
    pub const SKILL_ACCOUNT_LINKED: &str = "AlexaSkillEvent.SkillAccountLinked";
    pub const SKILL_PERMISSION_ACCEPTED: &str = "AlexaSkillEvent.SkillPermissionAccepted";
    pub const SKILL_PERMISSION_CHANGED: &str = "AlexaSkillEvent.SkillPermissionChanged";
    /// Prefix shared by all skill events, which Alexa may deliver late.
    pub const SKILL_EVENT_PREFIX: &str = "AlexaSkillEvent.";
}

impl Request {
    /// The wire `type`, e.g. `"IntentRequest"`.
    pub fn type_name(&self) -> &str {
        use request_type::*;
        match self {
            Self::LaunchRequest(_) => LAUNCH_REQUEST,
            Self::IntentRequest(_) => INTENT_REQUEST,
            Self::SessionEndedRequest(_) => SESSION_ENDED_REQUEST,
            Self::CanFulfillIntentRequest(_) => CAN_FULFILL_INTENT_REQUEST,
            Self::SessionResumedRequest(_) => SESSION_RESUMED_REQUEST,
            Self::SystemExceptionEncountered(_) => SYSTEM_EXCEPTION_ENCOUNTERED,
            Self::SkillEnabled(_) => SKILL_ENABLED,
            Self::SkillDisabled(_) => SKILL_DISABLED,
            Self::SkillAccountLinked(_) => SKILL_ACCOUNT_LINKED,
            Self::SkillPermissionAccepted(_) => SKILL_PERMISSION_ACCEPTED,
            Self::SkillPermissionChanged(_) => SKILL_PERMISSION_CHANGED,
            Self::Unknown { request_type, .. } => request_type,
        }
    }

    /// True for `AlexaSkillEvent.*`, known or not.
    pub fn is_skill_event(&self) -> bool {
        self.type_name()
            .starts_with(request_type::SKILL_EVENT_PREFIX)
    }

    /// `requestId`; `None` only for an unknown type that lacks it.
    pub fn request_id(&self) -> Option<&str> {
        self.common_field("requestId", |common| common.request_id)
    }

    /// `timestamp` as sent (RFC 3339, e.g. `2026-11-24T23:44:20Z`); see [`Request::parse_timestamp`].
    pub fn timestamp(&self) -> Option<&str> {
        self.common_field("timestamp", |common| common.timestamp)
    }

    /// `locale`, e.g. `"de-DE"`.
    pub fn locale(&self) -> Option<&str> {
        self.common_field("locale", |common| common.locale)
    }

    /// Parses `timestamp` on demand, so an odd timestamp never fails the whole envelope.
    pub fn parse_timestamp(&self) -> Result<jiff::Timestamp, crate::TimestampError> {
        let timestamp = self.timestamp().ok_or(crate::TimestampError::Missing)?;
        timestamp
            .parse::<jiff::Timestamp>()
            .map_err(|source| crate::TimestampError::Unparseable {
                timestamp: timestamp.to_owned(),
                source,
            })
    }

    fn common_field<'request>(
        &'request self,
        wire_name: &str,
        pick: impl FnOnce(CommonFields<'request>) -> Option<&'request str>,
    ) -> Option<&'request str> {
        let common = match self {
            Self::LaunchRequest(request) => {
                CommonFields::of(&request.request_id, &request.timestamp, &request.locale)
            }
            Self::IntentRequest(request) => {
                CommonFields::of(&request.request_id, &request.timestamp, &request.locale)
            }
            Self::SessionEndedRequest(request) => {
                CommonFields::of(&request.request_id, &request.timestamp, &request.locale)
            }
            Self::CanFulfillIntentRequest(request) => {
                CommonFields::of(&request.request_id, &request.timestamp, &request.locale)
            }
            Self::SessionResumedRequest(request) => {
                CommonFields::of(&request.request_id, &request.timestamp, &request.locale)
            }
            Self::SystemExceptionEncountered(request) => {
                CommonFields::of(&request.request_id, &request.timestamp, &request.locale)
            }
            Self::SkillEnabled(request) | Self::SkillDisabled(request) => {
                CommonFields::of(&request.request_id, &request.timestamp, &request.locale)
            }
            Self::SkillAccountLinked(request) => {
                CommonFields::of(&request.request_id, &request.timestamp, &request.locale)
            }
            Self::SkillPermissionAccepted(request) | Self::SkillPermissionChanged(request) => {
                CommonFields::of(&request.request_id, &request.timestamp, &request.locale)
            }
            Self::Unknown { raw, .. } => return raw.get(wire_name).and_then(Value::as_str),
        };
        pick(common)
    }
}

impl Serialize for Request {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        fn with_type<S: Serializer, T: Serialize>(
            serializer: S,
            type_name: &str,
            body: &T,
        ) -> Result<S::Ok, S::Error> {
            let mut object = match serde_json::to_value(body).map_err(serde::ser::Error::custom)? {
                Value::Object(object) => object,
                other => {
                    return Err(serde::ser::Error::custom(format!(
                        "request body for {type_name} serialized to {other}, not to an object"
                    )));
                }
            };
            object.insert("type".to_owned(), Value::String(type_name.to_owned()));
            object.serialize(serializer)
        }
        let type_name = self.type_name();
        match self {
            Self::LaunchRequest(body) => with_type(serializer, type_name, body),
            Self::IntentRequest(body) => with_type(serializer, type_name, body),
            Self::SessionEndedRequest(body) => with_type(serializer, type_name, body),
            Self::CanFulfillIntentRequest(body) => with_type(serializer, type_name, body),
            Self::SessionResumedRequest(body) => with_type(serializer, type_name, body),
            Self::SystemExceptionEncountered(body) => with_type(serializer, type_name, body),
            Self::SkillEnabled(body) | Self::SkillDisabled(body) => {
                with_type(serializer, type_name, body)
            }
            Self::SkillAccountLinked(body) => with_type(serializer, type_name, body),
            Self::SkillPermissionAccepted(body) | Self::SkillPermissionChanged(body) => {
                with_type(serializer, type_name, body)
            }
            Self::Unknown { raw, .. } => raw.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Request {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use request_type::*;
        use serde::de::Error as _;

        let raw = Value::deserialize(deserializer)?;
        let Some(request_type) = raw.get("type").and_then(Value::as_str).map(str::to_owned) else {
            return Err(D::Error::custom("request has no string field \"type\""));
        };
        // The known structs see the object without "type": it would otherwise end up in `other`.
        let body = || {
            let mut object = raw.as_object().cloned().unwrap_or_default();
            object.remove("type");
            Value::Object(object)
        };
        fn parse<T: serde::de::DeserializeOwned, E: serde::de::Error>(
            request_type: &str,
            body: Value,
        ) -> Result<T, E> {
            serde_json::from_value(body)
                .map_err(|error| E::custom(format!("invalid {request_type}: {error}")))
        }
        let request = match request_type.as_str() {
            LAUNCH_REQUEST => Self::LaunchRequest(parse(&request_type, body())?),
            INTENT_REQUEST => Self::IntentRequest(parse(&request_type, body())?),
            SESSION_ENDED_REQUEST => Self::SessionEndedRequest(parse(&request_type, body())?),
            CAN_FULFILL_INTENT_REQUEST => {
                Self::CanFulfillIntentRequest(parse(&request_type, body())?)
            }
            SESSION_RESUMED_REQUEST => Self::SessionResumedRequest(parse(&request_type, body())?),
            SYSTEM_EXCEPTION_ENCOUNTERED => {
                Self::SystemExceptionEncountered(parse(&request_type, body())?)
            }
            SKILL_ENABLED => Self::SkillEnabled(parse(&request_type, body())?),
            SKILL_DISABLED => Self::SkillDisabled(parse(&request_type, body())?),
            SKILL_ACCOUNT_LINKED => Self::SkillAccountLinked(parse(&request_type, body())?),
            SKILL_PERMISSION_ACCEPTED => {
                Self::SkillPermissionAccepted(parse(&request_type, body())?)
            }
            SKILL_PERMISSION_CHANGED => Self::SkillPermissionChanged(parse(&request_type, body())?),
            _ => Self::Unknown { request_type, raw },
        };
        Ok(request)
    }
}

/// `LaunchRequest`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LaunchRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Fields this crate does not model (`task`), kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `IntentRequest`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntentRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Only sent for intents with a dialog model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialog_state: Option<DialogState>,
    pub intent: Intent,
    /// Fields this crate does not model, kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `intent`, in requests and as `updatedIntent` in dialog directives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Intent {
    /// E.g. `"AddNoteIntent"` or `"AMAZON.StopIntent"`.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_status: Option<ConfirmationStatus>,
    /// Keyed by slot name. Empty for intents without slots, and then not serialized.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub slots: BTreeMap<String, Slot>,
    /// Fields this crate does not model, kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Intent {
    /// An intent with no slots and no confirmation status, e.g. for `updatedIntent`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            confirmation_status: None,
            slots: BTreeMap::new(),
            other: Map::new(),
        }
    }

    /// The spoken value of slot `slot_name`, `None` when the slot is missing or has no value
    /// (the normal case for an optional slot the user did not fill). Empty values count as none.
    pub fn slot_value(&self, slot_name: &str) -> Option<&str> {
        self.slots
            .get(slot_name)
            .and_then(|slot| slot.value.as_deref())
            .filter(|value| !value.is_empty())
    }
}

/// One slot of an intent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Slot {
    /// Always sent by Alexa (the key of `slots` repeats it); empty when left out.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// What the user said; absent when the slot was not filled, which is normal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_status: Option<ConfirmationStatus>,
    /// Entity-resolution results, for slots of custom types with synonyms or IDs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolutions: Option<Resolutions>,
    /// The newer structured `slotValue` (`Simple` or `List`), raw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot_value: Option<Value>,
    /// Fields this crate does not model, kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Slot {
    /// An unfilled slot named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: None,
            confirmation_status: None,
            resolutions: None,
            slot_value: None,
            other: Map::new(),
        }
    }
}

/// `slot.resolutions`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resolutions {
    #[serde(default)]
    pub resolutions_per_authority: Vec<Resolution>,
}

/// One entry of `resolutionsPerAuthority`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resolution {
    /// E.g. `amzn1.er-authority.echo-sdk.<skill id>.<slot type>`.
    pub authority: String,
    pub status: ResolutionStatus,
    /// Empty (and left out by Alexa) when nothing matched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ResolutionValueWrapper>,
}

/// `status` of an entity resolution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolutionStatus {
    pub code: ResolutionStatusCode,
}

/// The `{"value": {…}}` wrapper Alexa puts around each resolved value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolutionValueWrapper {
    pub value: ResolutionValue,
}

/// A resolved slot value: the canonical name and the ID from the interaction model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolutionValue {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

wire_enum! {
    /// `confirmationStatus` of an intent or slot.
    pub enum ConfirmationStatus {
        None = "NONE",
        Confirmed = "CONFIRMED",
        Denied = "DENIED",
    }
}

wire_enum! {
    /// `dialogState` of an intent with a dialog model.
    pub enum DialogState {
        Started = "STARTED",
        InProgress = "IN_PROGRESS",
        Completed = "COMPLETED",
    }
}

wire_enum! {
    /// `status.code` of an entity resolution.
    pub enum ResolutionStatusCode {
        SuccessMatch = "ER_SUCCESS_MATCH",
        SuccessNoMatch = "ER_SUCCESS_NO_MATCH",
        ErrorTimeout = "ER_ERROR_TIMEOUT",
        ErrorException = "ER_ERROR_EXCEPTION",
    }
}

wire_enum! {
    /// `reason` of a `SessionEndedRequest`.
    pub enum SessionEndedReason {
        UserInitiated = "USER_INITIATED",
        Error = "ERROR",
        ExceededMaxReprompts = "EXCEEDED_MAX_REPROMPTS",
    }
}

wire_enum! {
    /// `error.type` of a `SessionEndedRequest` or `System.ExceptionEncountered`.
    pub enum ErrorType {
        InvalidResponse = "INVALID_RESPONSE",
        DeviceCommunicationError = "DEVICE_COMMUNICATION_ERROR",
        InternalServiceError = "INTERNAL_SERVICE_ERROR",
        EndpointTimeout = "ENDPOINT_TIMEOUT",
    }
}

/// `SessionEndedRequest`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionEndedRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Always sent by Alexa; optional here so an odd request still parses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<SessionEndedReason>,
    /// Why Alexa ended the session when `reason` is `ERROR` (e.g. an invalid skill response).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<RequestError>,
    /// Fields this crate does not model, kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `error` in `SessionEndedRequest` and `System.ExceptionEncountered`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestError {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<ErrorType>,
    #[serde(default)]
    pub message: String,
}

/// `CanFulfillIntentRequest`: the same fields as an `IntentRequest`, asked before the user has
/// named the skill.
pub type CanFulfillIntentRequest = IntentRequest;

/// `SessionResumedRequest`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionResumedRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// What the session resumes from (a connection's result), raw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Value>,
    /// Fields this crate does not model, kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `System.ExceptionEncountered`: Alexa could not use the skill's previous response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionEncounteredRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<RequestError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<ExceptionCause>,
    /// Fields this crate does not model, kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `cause` of `System.ExceptionEncountered`: which request's response failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionCause {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// An `AlexaSkillEvent.*` request: no session, delivered late, with a `body` that depends on the
/// event (raw JSON unless the event has its own type below).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillEventRequest<Body = Value> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// When the event happened; RFC 3339 as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_creation_time: Option<String>,
    /// When Alexa sent it; may be much later than the creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_publishing_time: Option<String>,
    /// E.g. `userInformationPersistenceStatus` on SkillDisabled, `acceptedPermissions` on the
    /// permission events, the access token on SkillAccountLinked.
    #[serde(default = "Option::default", skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    /// Fields this crate does not model, kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `AlexaSkillEvent.SkillAccountLinked`: sent once the user completed account linking.
pub type SkillAccountLinkedRequest = SkillEventRequest<AccountLinkedBody>;

/// `AlexaSkillEvent.SkillPermissionAccepted` and `AlexaSkillEvent.SkillPermissionChanged`; the
/// body (`{"acceptedPermissions": [{"scope": …}], …}`) is kept raw.
pub type SkillPermissionRequest = SkillEventRequest;

/// `body` of `AlexaSkillEvent.SkillAccountLinked`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountLinkedBody {
    /// The freshly linked access token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<AccessToken>,
    /// Fields this crate does not model, kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// Borrowed view of the fields every request type carries.
struct CommonFields<'request> {
    request_id: Option<&'request str>,
    timestamp: Option<&'request str>,
    locale: Option<&'request str>,
}

impl<'request> CommonFields<'request> {
    fn of(
        request_id: &'request Option<String>,
        timestamp: &'request Option<String>,
        locale: &'request Option<String>,
    ) -> Self {
        Self {
            request_id: request_id.as_deref(),
            timestamp: timestamp.as_deref(),
            locale: locale.as_deref(),
        }
    }
}
