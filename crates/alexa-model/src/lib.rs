//! Serde types and pure functions for Alexa custom-skill requests and responses.
//!
//! No I/O: this crate parses what Alexa sends ([`RequestEnvelope`]), builds what the skill answers
//! ([`ResponseBuilder`]), and checks requests ([`linked_access_token`], [`verify_skill_id`],
//! [`check_timestamp`]). Parsing is lenient like `aws_lambda_events`: unknown request types,
//! unknown enum values and unknown fields are kept, never rejected.

mod wire_enum;

pub mod check;
pub mod request;
pub mod response;
pub mod secret;
pub mod ssml;

pub use check::{
    SKILL_EVENT_TIMESTAMP_TOLERANCE_SECONDS, SkillId, SkillIdMismatch, SkillIdParseError,
    TIMESTAMP_TOLERANCE_SECONDS, TimestampError, check_timestamp, linked_access_token,
    verify_skill_id,
};
pub use request::{
    Application, ConfirmationStatus, Context, Device, DialogState, Intent, Request,
    RequestEnvelope, Session, SessionEndedReason, Slot, System, User,
};
pub use response::{
    CanFulfill, CanFulfillIntent, CanFulfillSlot, Card, CardImage, Directive, OutputSpeech,
    PlayBehavior, Reprompt, Response, ResponseBuilder, ResponseEnvelope,
};
pub use secret::{AccessToken, ApiAccessToken, ConsentToken};

/// Every error this crate reports, for callers that want one type.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the request is not an Alexa request envelope: {0}")]
    InvalidRequest(#[source] serde_json::Error),
    #[error(transparent)]
    InvalidSkillId(#[from] SkillIdParseError),
    #[error(transparent)]
    SkillIdMismatch(#[from] SkillIdMismatch),
    #[error(transparent)]
    Timestamp(#[from] TimestampError),
}

impl RequestEnvelope {
    /// Parses a request envelope from JSON text, e.g. a Lambda event payload.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        serde_json::from_str(json).map_err(Error::InvalidRequest)
    }
}
