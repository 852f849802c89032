//! The pure checks applied to every sample.

use alexa_model::{RequestEnvelope, SkillId, TimestampError, check_timestamp, verify_skill_id};

use crate::samples::samples;

/// The skill ID and instant `tests/data/generate.py` used for every sample.
const SAMPLE_SKILL_ID: &str = "amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const SAMPLE_TIMESTAMP: &str = "2026-01-15T10:00:00Z";

fn seconds_after_sample(seconds: i64) -> jiff::Timestamp {
    let sample: jiff::Timestamp = SAMPLE_TIMESTAMP.parse().unwrap();
    sample
        .checked_add(jiff::SignedDuration::from_secs(seconds))
        .unwrap()
}

#[test]
fn every_sample_is_for_the_sample_skill_and_not_for_another() {
    let expected = SkillId::parse(SAMPLE_SKILL_ID).unwrap();
    let other = SkillId::parse("amzn1.ask.skill.ffffffff-ffff-4fff-8fff-ffffffffffff").unwrap();
    for (stem, text) in samples() {
        let envelope = RequestEnvelope::from_json(&text).unwrap();
        assert_eq!(verify_skill_id(&envelope, &expected), Ok(()), "{stem}");
        let mismatch = verify_skill_id(&envelope, &other).unwrap_err();
        assert_eq!(mismatch.location, "context.System.application", "{stem}");
        assert_eq!(mismatch.actual.as_deref(), Some(SAMPLE_SKILL_ID), "{stem}");
    }
}

#[test]
fn late_delivery_is_accepted_for_skill_events_only() {
    for (stem, text) in samples() {
        let envelope = RequestEnvelope::from_json(&text).unwrap();
        let is_event = stem.starts_with("skill_");
        assert_eq!(envelope.request.is_skill_event(), is_event, "{stem}");
        for skew in [0, 150, -150] {
            assert!(
                check_timestamp(&envelope, seconds_after_sample(skew)).is_ok(),
                "{stem} at {skew} s"
            );
        }
        let half_an_hour_late = check_timestamp(&envelope, seconds_after_sample(1800));
        assert_eq!(
            half_an_hour_late.is_ok(),
            is_event,
            "{stem}: {half_an_hour_late:?}"
        );
        for skew in [3601, -3601] {
            let result = check_timestamp(&envelope, seconds_after_sample(skew));
            assert!(
                matches!(result, Err(TimestampError::OutOfTolerance { skew_seconds, .. }) if skew_seconds == skew),
                "{stem} at {skew} s: {result:?}"
            );
        }
    }
}
