//! The request timestamp check of the HTTPS endpoint (docs/request-signatures.md, "Timestamp").

use alexa_model::{SKILL_EVENT_TIMESTAMP_TOLERANCE_SECONDS, TIMESTAMP_TOLERANCE_SECONDS};

/// The skill events Alexa may deliver up to an hour late, and which therefore get an hour of
/// tolerance. These five are the list of all three of Amazon's SDK verifiers.
///
/// Every other `AlexaSkillEvent.*` type (e.g. `ProactiveSubscriptionChanged`) gets the ordinary
/// 150 s here, like in the SDKs: Amazon documents the longer window for no other type, and a
/// wider window is a wider replay window. `alexa_model::check_timestamp` is more lenient (an hour
/// for every `AlexaSkillEvent.*`), but the workspace does not call it: Lambda mode checks no
/// timestamp (no one can replay a request to the function), and the HTTPS endpoint runs this one.
pub const HOUR_WINDOW_EVENT_TYPES: [&str; 5] = [
    "AlexaSkillEvent.SkillEnabled",
    "AlexaSkillEvent.SkillDisabled",
    "AlexaSkillEvent.SkillPermissionChanged",
    "AlexaSkillEvent.SkillPermissionAccepted",
    "AlexaSkillEvent.SkillAccountLinked",
];

/// The request's timestamp is missing, unreadable, or too far from now. The timestamp text is
/// not kept: it is part of the body, which is never logged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimestampError {
    #[error("the request has no `request.timestamp` string")]
    Missing,
    #[error("`request.timestamp` is not an RFC 3339 instant with an offset")]
    Unparseable,
    #[error(
        "`request.timestamp` is {skew_milliseconds} ms from now, more than the allowed \
         {tolerance_milliseconds} ms: a replayed request, or a wrong clock on this server"
    )]
    OutOfTolerance {
        /// `now - timestamp`: positive for a request from the past.
        skew_milliseconds: i64,
        tolerance_milliseconds: i64,
    },
}

impl TimestampError {
    /// A short, stable name for logs and metrics.
    pub fn reason_code(&self) -> &'static str {
        match self {
            Self::Missing => "timestamp_missing",
            Self::Unparseable => "timestamp_unparseable",
            Self::OutOfTolerance { .. } => "timestamp_out_of_tolerance",
        }
    }
}

/// How far `request.timestamp` may be from now, in either direction, for `request_type`.
pub fn timestamp_tolerance_milliseconds(request_type: &str) -> i64 {
    if HOUR_WINDOW_EVENT_TYPES.contains(&request_type) {
        SKILL_EVENT_TIMESTAMP_TOLERANCE_SECONDS * 1000
    } else {
        TIMESTAMP_TOLERANCE_SECONDS * 1000
    }
}

/// Rejects a missing or unparseable timestamp, and one further than the tolerance from `now`
/// in either direction (the boundary itself passes). Compared in whole milliseconds.
pub fn check_timestamp(
    request_type: &str,
    timestamp: Option<&str>,
    now: jiff::Timestamp,
) -> Result<(), TimestampError> {
    let timestamp = timestamp
        .ok_or(TimestampError::Missing)?
        .parse::<jiff::Timestamp>()
        .map_err(|_| TimestampError::Unparseable)?;
    let tolerance_milliseconds = timestamp_tolerance_milliseconds(request_type);
    let skew_milliseconds = now.as_millisecond() - timestamp.as_millisecond();
    if skew_milliseconds.abs() > tolerance_milliseconds {
        return Err(TimestampError::OutOfTolerance {
            skew_milliseconds,
            tolerance_milliseconds,
        });
    }
    Ok(())
}
