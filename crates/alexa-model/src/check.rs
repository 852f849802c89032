//! Pure checks on a parsed request: the linked token, the skill ID and the timestamp.

use std::fmt;
use std::str::FromStr;

use crate::request::{Request, RequestEnvelope};
use crate::secret::AccessToken;

/// The account-linking access token of this request, or `None` if the user has not linked
/// (or Alexa could not refresh the token, which looks the same).
///
/// Looks in `context.System.user.accessToken` (where the ASK SDKs look, and the only place on
/// session-less requests), then `session.user.accessToken`, then `body.accessToken` of
/// `AlexaSkillEvent.SkillAccountLinked`. An empty string counts as absent.
pub fn linked_access_token(envelope: &RequestEnvelope) -> Option<&AccessToken> {
    fn present(token: &Option<AccessToken>) -> Option<&AccessToken> {
        token.as_ref().filter(|token| !token.is_empty())
    }
    envelope
        .user()
        .and_then(|user| present(&user.access_token))
        .or_else(|| {
            envelope
                .session
                .as_ref()
                .and_then(|session| session.user.as_ref())
                .and_then(|user| present(&user.access_token))
        })
        .or_else(|| match &envelope.request {
            Request::SkillAccountLinked(event) => event
                .body
                .as_ref()
                .and_then(|body| present(&body.access_token)),
            _ => None,
        })
}

/// A skill ID, `amzn1.ask.skill.` followed by a UUID (8-4-4-4-12 hex digits).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SkillId(String);

impl SkillId {
    const PREFIX: &'static str = "amzn1.ask.skill.";

    /// Validates `text` as a skill ID. Surrounding whitespace is an error rather than trimmed:
    /// a stray space in configuration should be fixed where it is, not hidden.
    pub fn parse(text: &str) -> Result<Self, SkillIdParseError> {
        let invalid = || SkillIdParseError {
            input: text.to_owned(),
        };
        let rest = text.strip_prefix(Self::PREFIX).ok_or_else(invalid)?;
        let group_lengths: Vec<usize> = rest.split('-').map(str::len).collect();
        let uuid_like = group_lengths == [8, 4, 4, 4, 12]
            && rest.chars().all(|c| c == '-' || c.is_ascii_hexdigit());
        if !uuid_like {
            return Err(invalid());
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for SkillId {
    type Err = SkillIdParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl fmt::Debug for SkillId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "SkillId({:?})", self.0)
    }
}

impl fmt::Display for SkillId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// A string that is not a skill ID.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{input:?} is not an Alexa skill ID: expected `amzn1.ask.skill.` followed by a UUID such as \
     amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef (copy it from the Alexa developer console \
     or `.ask/ask-states.json`)"
)]
pub struct SkillIdParseError {
    input: String,
}

/// The request is for another skill than the one this function serves.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "request is for skill {} (in {location}), but this function serves {expected}: \
     check the configured skill ID and the Lambda trigger's skill ID",
    match .actual { Some(actual) => format!("{actual:?}"), None => "(none: no applicationId)".to_owned() }
)]
pub struct SkillIdMismatch {
    /// Where the wrong ID was found: `context.System.application` or `session.application`.
    pub location: &'static str,
    pub expected: SkillId,
    /// The ID the request named; `None` when it named none, which fails the check too.
    pub actual: Option<String>,
}

/// Checks `context.System.application.applicationId`, and `session.application.applicationId`
/// when there is a session, against `expected`.
///
/// Comparison is exact: Alexa sends skill IDs in lowercase, the form the console shows.
pub fn verify_skill_id(
    envelope: &RequestEnvelope,
    expected: &SkillId,
) -> Result<(), SkillIdMismatch> {
    let mismatch = |location: &'static str, actual: Option<&str>| SkillIdMismatch {
        location,
        expected: expected.clone(),
        actual: actual.map(str::to_owned),
    };
    let context_id = envelope.application_id();
    if context_id != Some(expected.as_str()) {
        return Err(mismatch("context.System.application", context_id));
    }
    // The session repeats the ID; when it is there it must agree.
    if let Some(session) = &envelope.session
        && let Some(application) = &session.application
        && application.application_id.as_deref() != Some(expected.as_str())
    {
        return Err(mismatch(
            "session.application",
            application.application_id.as_deref(),
        ));
    }
    Ok(())
}

/// Allowed difference between `request.timestamp` and now for ordinary requests (Amazon's rule
/// for web-service skills, enforced by all ASK SDK verifiers).
pub const TIMESTAMP_TOLERANCE_SECONDS: i64 = 150;

/// Allowed difference for `AlexaSkillEvent.*`, which Alexa may deliver up to an hour late.
///
/// The Java SDK lists five event types (Enabled, Disabled, AccountLinked, PermissionAccepted,
/// PermissionChanged); this applies to every `AlexaSkillEvent.` type, as the newer ones
/// (e.g. `ProactiveSubscriptionChanged`) come through the same event pipeline.
pub const SKILL_EVENT_TIMESTAMP_TOLERANCE_SECONDS: i64 = 3600;

/// The request's timestamp is missing, unreadable, or too far from now.
#[derive(Debug, thiserror::Error)]
pub enum TimestampError {
    #[error(
        "request has no `timestamp`; a request without one cannot be checked and must be rejected"
    )]
    Missing,
    #[error(
        "request timestamp {timestamp:?} is not an RFC 3339 instant such as 2026-01-01T12:00:00Z: {source}"
    )]
    Unparseable {
        timestamp: String,
        #[source]
        source: jiff::Error,
    },
    #[error(
        "request timestamp {timestamp} is {skew_seconds} s away from now, more than the allowed \
         {tolerance_seconds} s: reject it as a possible replay, or fix the clock if it is wrong"
    )]
    OutOfTolerance {
        timestamp: String,
        /// `now - timestamp`: positive for a request from the past, negative for the future.
        skew_seconds: i64,
        tolerance_seconds: i64,
    },
}

/// Rejects a request whose `timestamp` is more than 150 s (3600 s for skill events) before or
/// after `now`. The difference is taken as an absolute value like the Python and Java SDKs; the
/// Node SDK lets future timestamps pass, which this deliberately does not.
pub fn check_timestamp(
    envelope: &RequestEnvelope,
    now: jiff::Timestamp,
) -> Result<(), TimestampError> {
    let timestamp = envelope.request.parse_timestamp()?;
    let tolerance_seconds = if envelope.request.is_skill_event() {
        SKILL_EVENT_TIMESTAMP_TOLERANCE_SECONDS
    } else {
        TIMESTAMP_TOLERANCE_SECONDS
    };
    // Whole milliseconds, so 150.5 s counts as too late rather than being rounded down to 150.
    let skew_milliseconds = now.as_millisecond() - timestamp.as_millisecond();
    if skew_milliseconds.abs() > tolerance_seconds * 1000 {
        return Err(TimestampError::OutOfTolerance {
            timestamp: timestamp.to_string(),
            skew_seconds: skew_milliseconds / 1000,
            tolerance_seconds,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    const SKILL: &str = "amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    fn envelope(request_type: &str, timestamp: &str) -> RequestEnvelope {
        envelope_from(json!({
            "version": "1.0",
            "context": {"System": {"application": {"applicationId": SKILL}, "user": {"userId": "u"}}},
            "request": {"type": request_type, "requestId": "r", "timestamp": timestamp}
        }))
    }

    fn envelope_from(value: Value) -> RequestEnvelope {
        serde_json::from_value(value).unwrap()
    }

    fn at(timestamp: &str) -> jiff::Timestamp {
        timestamp.parse().unwrap()
    }

    #[test]
    fn skill_id_parse_accepts_the_console_form() {
        let skill_id = SkillId::parse(SKILL).unwrap();
        assert_eq!(skill_id.as_str(), SKILL);
        assert_eq!(skill_id.to_string(), SKILL);
        assert_eq!(format!("{skill_id:?}"), format!("SkillId({SKILL:?})"));
        assert_eq!(SKILL.parse::<SkillId>(), Ok(skill_id));
        assert!(SkillId::parse("amzn1.ask.skill.0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D").is_ok());
    }

    #[test]
    fn skill_id_parse_rejects_other_shapes() {
        for invalid in [
            "",
            "amzn1.ask.skill.",
            "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            "amzn1.echo-sdk-ams.app.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            "amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4",
            "amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4dd",
            "amzn1.ask.skill.0a1b2c3d4e5f-4a6b-8c7d-9e0f1a2b3c4d-",
            "amzn1.ask.skill.0a1b2c3g-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            " amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            "amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d ",
        ] {
            let error = SkillId::parse(invalid).unwrap_err();
            assert!(
                error.to_string().contains("is not an Alexa skill ID"),
                "{invalid:?}: {error}"
            );
        }
    }

    #[test]
    fn verify_skill_id_checks_context_and_session() {
        let expected = SkillId::parse(SKILL).unwrap();
        let other = "amzn1.ask.skill.ffffffff-ffff-4fff-8fff-ffffffffffff";
        assert_eq!(
            verify_skill_id(
                &envelope("LaunchRequest", "2026-01-15T10:00:00Z"),
                &expected
            ),
            Ok(())
        );

        let wrong_session = envelope_from(json!({
            "version": "1.0",
            "session": {"new": true, "sessionId": "s", "application": {"applicationId": other}, "user": {"userId": "u"}},
            "context": {"System": {"application": {"applicationId": SKILL}, "user": {"userId": "u"}}},
            "request": {"type": "LaunchRequest", "requestId": "r", "timestamp": "2026-01-15T10:00:00Z"}
        }));
        let mismatch = verify_skill_id(&wrong_session, &expected).unwrap_err();
        assert_eq!(mismatch.location, "session.application");
        assert_eq!(mismatch.actual.as_deref(), Some(other));
        assert_eq!(
            mismatch.to_string(),
            format!(
                "request is for skill \"{other}\" (in session.application), but this function serves {SKILL}: \
                 check the configured skill ID and the Lambda trigger's skill ID"
            )
        );
    }

    #[test]
    fn timestamp_tolerance_is_150_seconds_in_both_directions() {
        let request = envelope("AudioPlayer.PlaybackStarted", "2026-01-15T10:00:00Z");
        assert!(check_timestamp(&request, at("2026-01-15T10:02:30Z")).is_ok());
        assert!(check_timestamp(&request, at("2026-01-15T09:57:30Z")).is_ok());
        let late = check_timestamp(&request, at("2026-01-15T10:02:30.001Z")).unwrap_err();
        assert!(matches!(
            late,
            TimestampError::OutOfTolerance {
                skew_seconds: 150,
                tolerance_seconds: 150,
                ..
            }
        ));
        let early = check_timestamp(&request, at("2026-01-15T09:57:29Z")).unwrap_err();
        assert!(matches!(
            early,
            TimestampError::OutOfTolerance {
                skew_seconds: -151,
                tolerance_seconds: 150,
                ..
            }
        ));
        assert!(
            early
                .to_string()
                .contains("-151 s away from now, more than the allowed 150 s")
        );
    }

    #[test]
    fn skill_events_get_an_hour_including_ones_this_crate_does_not_know() {
        for request_type in [
            "AlexaSkillEvent.SkillEnabled",
            "AlexaSkillEvent.SkillAccountLinked",
            "AlexaSkillEvent.ProactiveSubscriptionChanged",
        ] {
            let request = envelope(request_type, "2026-01-15T10:00:00Z");
            assert!(
                check_timestamp(&request, at("2026-01-15T11:00:00Z")).is_ok(),
                "{request_type}"
            );
            assert!(
                check_timestamp(&request, at("2026-01-15T09:00:00Z")).is_ok(),
                "{request_type}"
            );
            assert!(
                check_timestamp(&request, at("2026-01-15T11:00:01Z")).is_err(),
                "{request_type}"
            );
            assert!(
                check_timestamp(&request, at("2026-01-15T08:59:59Z")).is_err(),
                "{request_type}"
            );
        }
        let not_an_event = envelope("LaunchRequest", "2026-01-15T10:00:00Z");
        assert!(check_timestamp(&not_an_event, at("2026-01-15T10:30:00Z")).is_err());
    }

    #[test]
    fn timestamps_with_offsets_and_fractions_are_read_and_garbage_is_an_error() {
        let with_offset = envelope("LaunchRequest", "2026-01-15T11:00:00.250+01:00");
        assert!(check_timestamp(&with_offset, at("2026-01-15T10:00:00Z")).is_ok());
        for unparseable in [
            "",
            "yesterday",
            "2026-01-15 10:00:00",
            "2026-01-15T10:00:00",
        ] {
            let request = envelope("LaunchRequest", unparseable);
            let error = check_timestamp(&request, at("2026-01-15T10:00:00Z")).unwrap_err();
            assert!(
                matches!(error, TimestampError::Unparseable { .. }),
                "{unparseable:?}: {error}"
            );
        }
        let without_timestamp = envelope_from(json!({
            "version": "1.0",
            "context": {"System": {"application": {"applicationId": SKILL}, "user": {"userId": "u"}}},
            "request": {"type": "AudioPlayer.PlaybackStopped", "requestId": "r"}
        }));
        assert!(matches!(
            check_timestamp(&without_timestamp, at("2026-01-15T10:00:00Z")),
            Err(TimestampError::Missing)
        ));
    }

    #[test]
    fn linked_access_token_prefers_context_then_session_then_event_body_and_skips_empty() {
        let with_tokens = |context: Value, session: Value, body: Value| {
            envelope_from(json!({
                "version": "1.0",
                "session": {"new": false, "sessionId": "s", "application": {"applicationId": SKILL},
                            "user": {"userId": "u", "accessToken": session}},
                "context": {"System": {"application": {"applicationId": SKILL},
                                       "user": {"userId": "u", "accessToken": context}}},
                "request": {"type": "AlexaSkillEvent.SkillAccountLinked", "requestId": "r",
                            "timestamp": "2026-01-15T10:00:00Z", "body": {"accessToken": body}}
            }))
        };
        let token = |envelope: &RequestEnvelope| {
            linked_access_token(envelope).map(|token| token.secret().to_owned())
        };
        let found = |text: &str| Some(text.to_owned());
        assert_eq!(
            token(&with_tokens(json!("c"), json!("s"), json!("b"))),
            found("c")
        );
        assert_eq!(
            token(&with_tokens(json!(""), json!("s"), json!("b"))),
            found("s")
        );
        assert_eq!(
            token(&with_tokens(Value::Null, json!(""), json!("b"))),
            found("b")
        );
        assert_eq!(token(&with_tokens(json!(""), json!(""), json!(""))), None);
        assert_eq!(
            token(&with_tokens(Value::Null, Value::Null, Value::Null)),
            None
        );
    }
}
