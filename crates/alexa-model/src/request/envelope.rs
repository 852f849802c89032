//! The envelope and its context: `RequestEnvelope`, `context.System`, the user, the device.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::redacted::redacted_debug;
use super::{Intent, Request, Session};
use crate::secret::{AccessToken, ApiAccessToken, ConsentToken};

/// Everything Alexa sends to the skill in one invocation.
///
/// No `PartialEq`: the envelope carries secrets, and tests compare `.secret()` or JSON.
#[derive(Clone, Serialize, Deserialize)]
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

/// `application`: which skill the request is for.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Serialize, Deserialize)]
pub struct Context {
    #[serde(rename = "System", default, skip_serializing_if = "Option::is_none")]
    pub system: Option<System>,
    /// The other interfaces (`Viewport`, `Viewports`, `AudioPlayer`, `Alexa.Presentation.APL`,
    /// `Geolocation`, …) as raw JSON, keyed by their wire name.
    #[serde(flatten)]
    pub interfaces: Map<String, Value>,
}

/// `context.System`.
#[derive(Clone, Serialize, Deserialize)]
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
#[derive(Clone, Serialize, Deserialize)]
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
#[derive(Clone, Serialize, Deserialize)]
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
#[derive(Clone, PartialEq, Serialize, Deserialize)]
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

redacted_debug!(RequestEnvelope {
    typed: [version, session, context, request],
    json: [other],
});

redacted_debug!(Application {
    typed: [application_id],
    json: [other],
});

redacted_debug!(Context {
    typed: [system],
    json: [interfaces],
});

redacted_debug!(System {
    typed: [application, user, device, api_endpoint, api_access_token],
    json: [other],
});

redacted_debug!(User {
    typed: [access_token, permissions],
    personal: [user_id],
    json: [other],
});

redacted_debug!(Permissions {
    typed: [consent_token],
    json: [other],
});

redacted_debug!(Device {
    typed: [],
    personal: [device_id],
    json: [supported_interfaces, other],
});
