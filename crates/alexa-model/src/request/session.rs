//! The session and the request bodies of its lifecycle: launch, end, resume, and the
//! `System.ExceptionEncountered` report.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::redacted::redacted_debug;
use super::{Application, User};
use crate::wire_enum::wire_enum;

/// `session`: present for requests that belong to a voice session.
#[derive(Clone, Serialize, Deserialize)]
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

/// `LaunchRequest`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Clone, PartialEq, Serialize, Deserialize)]
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

/// `SessionResumedRequest`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Clone, PartialEq, Serialize, Deserialize)]
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

redacted_debug!(Session {
    typed: [new, session_id, application, user],
    json: [attributes, other],
});

redacted_debug!(LaunchRequest {
    typed: [request_id, timestamp, locale],
    json: [other],
});

redacted_debug!(SessionEndedRequest {
    typed: [request_id, timestamp, locale, reason, error],
    json: [other],
});

redacted_debug!(SessionResumedRequest {
    typed: [request_id, timestamp, locale],
    json: [cause, other],
});

redacted_debug!(ExceptionEncounteredRequest {
    typed: [request_id, timestamp, locale, error, cause],
    json: [other],
});
