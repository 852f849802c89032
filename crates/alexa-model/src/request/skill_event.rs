//! `AlexaSkillEvent.*` request bodies: skill enabled, disabled, account linked, permissions.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::redacted::{JsonShape, Shape, redacted_debug};
use crate::secret::AccessToken;

/// An `AlexaSkillEvent.*` request: no session, delivered late, with a `body` that depends on the
/// event (raw JSON unless the event has its own type below).
#[derive(Clone, Serialize, Deserialize)]
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
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountLinkedBody {
    /// The freshly linked access token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<AccessToken>,
    /// Fields this crate does not model, kept for round-trips.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

redacted_debug!(AccountLinkedBody {
    typed: [access_token],
    json: [other],
});

/// By hand for the generic `body`: raw JSON shows its shape, a typed body its own redacted form.
impl<Body: JsonShape> std::fmt::Debug for SkillEventRequest<Body> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self {
            request_id,
            timestamp,
            locale,
            event_creation_time,
            event_publishing_time,
            body,
            other,
        } = self;
        formatter
            .debug_struct("SkillEventRequest")
            .field("request_id", request_id)
            .field("timestamp", timestamp)
            .field("locale", locale)
            .field("event_creation_time", event_creation_time)
            .field("event_publishing_time", event_publishing_time)
            .field("body", &Shape(body))
            .field("other", &Shape(other))
            .finish()
    }
}

impl JsonShape for AccountLinkedBody {
    fn fmt_shape(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, formatter)
    }
}
