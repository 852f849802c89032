//! The Alexa request model: never panic, and whatever parses serializes again and parses to the
//! same envelope (what the skill answers from is what it was sent).
#![no_main]

use alexa_model::RequestEnvelope;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    if let Ok(envelope) = RequestEnvelope::from_json(input) {
        let json = serde_json::to_string(&envelope).expect("a parsed envelope serializes");
        let again = RequestEnvelope::from_json(&json).expect("a serialized envelope parses");
        assert_eq!(
            serde_json::to_value(&again).unwrap(),
            serde_json::to_value(&envelope).unwrap()
        );
        let _ = alexa_model::linked_access_token(&envelope);
        let _ = alexa_model::check_timestamp(&envelope, jiff::Timestamp::UNIX_EPOCH);
    }
});
