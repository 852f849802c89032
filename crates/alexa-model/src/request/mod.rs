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
//!
//! Split along its seams: `envelope` (the envelope and `context`), `kind` (the [`Request`]
//! enum and its serde), `intent` (intents, slots, resolutions), `session` (the session and its
//! lifecycle bodies) and `skill_event` (`AlexaSkillEvent.*` bodies). Every type is re-exported
//! here, so `alexa_model::request::X` names it whichever file holds it. `Debug` of every type
//! that holds raw JSON is written by hand (`redacted`): it shows structure, never a token or a
//! raw value.

mod envelope;
mod intent;
mod kind;
mod redacted;
mod session;
mod skill_event;

pub use envelope::{Application, Context, Device, Permissions, RequestEnvelope, System, User};
pub use intent::{
    CanFulfillIntentRequest, ConfirmationStatus, DialogState, Intent, IntentRequest, Resolution,
    ResolutionStatus, ResolutionStatusCode, ResolutionValue, ResolutionValueWrapper, Resolutions,
    Slot,
};
pub use kind::{Request, request_type};
pub use session::{
    ErrorType, ExceptionCause, ExceptionEncounteredRequest, LaunchRequest, RequestError, Session,
    SessionEndedReason, SessionEndedRequest, SessionResumedRequest,
};
pub use skill_event::{
    AccountLinkedBody, SkillAccountLinkedRequest, SkillEventRequest, SkillPermissionRequest,
};
