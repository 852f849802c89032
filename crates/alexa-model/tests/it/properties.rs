//! Property tests (proptest) of the pure checks: `SkillId::parse` accepts exactly
//! `amzn1.ask.skill.` + an 8-4-4-4-12 hex UUID and never panics; `check_timestamp` draws its
//! tolerance edges to the millisecond and never panics, whatever the timestamp.

use alexa_model::{
    RequestEnvelope, SKILL_EVENT_TIMESTAMP_TOLERANCE_SECONDS, SkillId, TIMESTAMP_TOLERANCE_SECONDS,
    TimestampError, check_timestamp,
};
use proptest::prelude::*;
use serde_json::json;

const PREFIX: &str = "amzn1.ask.skill.";

/// The documented form, checked byte by byte (independently of how `SkillId::parse` does it).
fn is_documented_skill_id(text: &str) -> bool {
    let Some(uuid) = text.strip_prefix(PREFIX) else {
        return false;
    };
    uuid.len() == 36
        && uuid.bytes().enumerate().all(|(index, byte)| match index {
            8 | 13 | 18 | 23 => byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        })
}

fn valid_skill_id() -> impl Strategy<Value = String> {
    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
        .prop_map(|uuid| format!("{PREFIX}{uuid}"))
}

/// A valid ID with one character replaced, inserted or removed, or whitespace around it.
fn mutated_skill_id() -> impl Strategy<Value = String> {
    (
        valid_skill_id(),
        0usize..60,
        any::<char>(),
        prop_oneof![
            "-",
            "[ \t\n]",
            "[g-zG-Z.]",
            any::<char>().prop_map(String::from)
        ],
        0u8..5,
    )
        .prop_map(|(id, position, character, text, kind)| {
            let mut chars: Vec<char> = id.chars().collect();
            let position = position % (chars.len() + 1);
            match kind {
                0 if position < chars.len() => chars[position] = character,
                1 => chars
                    .splice(position..position, text.chars())
                    .for_each(drop),
                2 if position < chars.len() => {
                    chars.remove(position);
                }
                3 => chars.insert(0, text.chars().next().unwrap_or(' ')),
                _ => chars.extend(text.chars()),
            }
            chars.into_iter().collect()
        })
}

fn envelope(request_type: &str, timestamp: &str) -> RequestEnvelope {
    serde_json::from_value(json!({
        "request": {"type": request_type, "requestId": "r", "timestamp": timestamp}
    }))
    .unwrap()
}

fn request_type_and_tolerance() -> impl Strategy<Value = (&'static str, i64)> {
    prop_oneof![
        Just(("SessionEndedRequest", TIMESTAMP_TOLERANCE_SECONDS)),
        Just(("LaunchRequest", TIMESTAMP_TOLERANCE_SECONDS)),
        Just(("AudioPlayer.PlaybackStarted", TIMESTAMP_TOLERANCE_SECONDS)),
        Just((
            "AlexaSkillEvent.SkillEnabled",
            SKILL_EVENT_TIMESTAMP_TOLERANCE_SECONDS
        )),
        Just((
            "AlexaSkillEvent.ProactiveSubscriptionChanged",
            SKILL_EVENT_TIMESTAMP_TOLERANCE_SECONDS
        )),
    ]
}

/// Any instant jiff can represent, to the millisecond.
fn any_instant() -> impl Strategy<Value = jiff::Timestamp> {
    (jiff::Timestamp::MIN.as_millisecond()..=jiff::Timestamp::MAX.as_millisecond())
        .prop_map(|milliseconds| jiff::Timestamp::from_millisecond(milliseconds).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn skill_id_parse_accepts_every_documented_id(id in valid_skill_id()) {
        let parsed = SkillId::parse(&id).unwrap();
        prop_assert_eq!(parsed.as_str(), id.as_str());
    }

    #[test]
    fn skill_id_parse_accepts_exactly_the_documented_form(
        text in prop_oneof![mutated_skill_id(), any::<String>(), "amzn1\\.ask\\.skill\\..{0,40}"]
    ) {
        let parsed = SkillId::parse(&text);
        prop_assert_eq!(parsed.is_ok(), is_documented_skill_id(&text), "{:?}: {:?}", text, parsed);
        if let Err(error) = parsed {
            prop_assert!(error.to_string().contains("amzn1.ask.skill."));
        }
    }

    #[test]
    fn timestamp_tolerance_edges_are_exact_to_the_millisecond(
        (request_type, tolerance_seconds) in request_type_and_tolerance(),
        now in (0i64..4_102_444_800_000).prop_map(|ms| jiff::Timestamp::from_millisecond(ms).unwrap()),
        edge_distance in prop_oneof![Just(0i64), Just(1), Just(-1), -3_000i64..=3_000],
        sign in prop_oneof![Just(1i64), Just(-1i64)],
    ) {
        // skew = now - timestamp, placed around +tolerance or -tolerance.
        let skew_milliseconds = sign * (tolerance_seconds * 1000 + edge_distance);
        let timestamp = jiff::Timestamp::from_millisecond(now.as_millisecond() - skew_milliseconds).unwrap();
        let result = check_timestamp(&envelope(request_type, &timestamp.to_string()), now);
        if skew_milliseconds.abs() <= tolerance_seconds * 1000 {
            prop_assert!(result.is_ok(), "{} at {} ms: {:?}", request_type, skew_milliseconds, result);
        } else {
            match result {
                Err(TimestampError::OutOfTolerance { skew_seconds, tolerance_seconds: reported, .. }) => {
                    prop_assert_eq!(reported, tolerance_seconds);
                    prop_assert_eq!(skew_seconds, skew_milliseconds / 1000);
                }
                other => prop_assert!(false, "{} at {} ms: {:?}", request_type, skew_milliseconds, other),
            }
        }
    }

    #[test]
    fn check_timestamp_never_panics_on_far_instants(
        (request_type, tolerance_seconds) in request_type_and_tolerance(),
        now in any_instant(),
        timestamp in any_instant(),
    ) {
        let result = check_timestamp(&envelope(request_type, &timestamp.to_string()), now);
        let skew = now.as_millisecond() - timestamp.as_millisecond();
        prop_assert_eq!(result.is_ok(), skew.abs() <= tolerance_seconds * 1000, "{:?}", result);
    }

    #[test]
    fn check_timestamp_never_panics_on_any_text(
        (request_type, _tolerance) in request_type_and_tolerance(),
        now in any_instant(),
        text in prop_oneof![
            any::<String>(),
            "[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}T[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\\.[0-9]{1,12})?(Z|[+-][0-9]{2}:[0-9]{2})?",
        ],
    ) {
        let result = check_timestamp(&envelope(request_type, &text), now);
        match text.parse::<jiff::Timestamp>() {
            Ok(_) => prop_assert!(
                !matches!(result, Err(TimestampError::Unparseable { .. })),
                "{:?}: {:?}", text, result
            ),
            Err(_) => prop_assert!(
                matches!(result, Err(TimestampError::Unparseable { .. })),
                "{:?}: {:?}", text, result
            ),
        }
    }
}
