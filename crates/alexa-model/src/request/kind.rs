//! The `request` object: the [`Request`] enum, one variant per request type, and its serde,
//! written by hand to keep unknown types verbatim.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::{
    CanFulfillIntentRequest, ExceptionEncounteredRequest, IntentRequest, LaunchRequest,
    SessionEndedRequest, SessionResumedRequest, SkillAccountLinkedRequest, SkillEventRequest,
    SkillPermissionRequest,
};

/// `request`: one variant per request type this crate understands, and [`Request::Unknown`] for
/// every other type, kept verbatim.
///
/// Serde's internally tagged enums cannot fall back to a variant that keeps the type name, so
/// `Serialize` and `Deserialize` are written by hand: read a JSON object, match on `"type"`.
#[derive(Clone)]
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

/// Each variant with its body's redacting `Debug`; an unknown request shows its type name only,
/// since its raw JSON may carry anything (the `code` of an `Alexa.Authorization.Grant`).
impl std::fmt::Debug for Request {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (variant, body): (&str, &dyn std::fmt::Debug) = match self {
            Self::LaunchRequest(body) => ("LaunchRequest", body),
            Self::IntentRequest(body) => ("IntentRequest", body),
            Self::SessionEndedRequest(body) => ("SessionEndedRequest", body),
            Self::CanFulfillIntentRequest(body) => ("CanFulfillIntentRequest", body),
            Self::SessionResumedRequest(body) => ("SessionResumedRequest", body),
            Self::SystemExceptionEncountered(body) => ("SystemExceptionEncountered", body),
            Self::SkillEnabled(body) => ("SkillEnabled", body),
            Self::SkillDisabled(body) => ("SkillDisabled", body),
            Self::SkillAccountLinked(body) => ("SkillAccountLinked", body),
            Self::SkillPermissionAccepted(body) => ("SkillPermissionAccepted", body),
            Self::SkillPermissionChanged(body) => ("SkillPermissionChanged", body),
            Self::Unknown { request_type, .. } => {
                return formatter
                    .debug_struct("Unknown")
                    .field("request_type", request_type)
                    .finish_non_exhaustive();
            }
        };
        formatter.debug_tuple(variant).field(body).finish()
    }
}
