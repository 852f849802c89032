//! A handler that records its calls, a movable clock, and Alexa-shaped signed requests.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use alexa_https::{Clock, Handler, HandlerError};
use devstack::alexa_signer::AlexaSigner;
use serde_json::{Value, json};

pub const SKILL_ID: &str = "amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/// Answers every call with a fixed response and keeps the events it was given.
#[derive(Default)]
pub struct RecordingHandler {
    pub events: Mutex<Vec<Value>>,
}

impl RecordingHandler {
    pub fn calls(&self) -> usize {
        self.events.lock().unwrap().len()
    }
}

pub fn fixed_answer() -> Value {
    json!({"version": "1.0", "response": {"outputSpeech": {"type": "PlainText", "text": "hello"}}})
}

#[async_trait::async_trait]
impl Handler for RecordingHandler {
    async fn handle_json(
        &self,
        event: Value,
        _arrived: tokio::time::Instant,
    ) -> Result<Value, HandlerError> {
        self.events.lock().unwrap().push(event);
        Ok(fixed_answer())
    }
}

/// A wall clock tests move by hand.
pub struct FakeClock(AtomicI64);

impl FakeClock {
    pub fn starting_now() -> Arc<Self> {
        Arc::new(Self(AtomicI64::new(jiff::Timestamp::now().as_second())))
    }

    pub fn advance_seconds(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> jiff::Timestamp {
        jiff::Timestamp::from_second(self.0.load(Ordering::SeqCst)).unwrap()
    }
}

/// A LaunchRequest for [`SKILL_ID`] stamped `timestamp`, with a request ID of its own (so its
/// signature is new: the endpoint refuses a signature it has verified before).
pub fn launch_request(timestamp: jiff::Timestamp) -> String {
    static NEXT_REQUEST: AtomicU64 = AtomicU64::new(0);
    let request_id = format!(
        "amzn1.echo-api.request.{}",
        NEXT_REQUEST.fetch_add(1, Ordering::SeqCst)
    );
    json!({
        "version": "1.0",
        "session": {"new": true, "sessionId": "s", "application": {"applicationId": SKILL_ID},
                    "user": {"userId": "u", "accessToken": "ya29.must-not-be-logged"}},
        "context": {"System": {"application": {"applicationId": SKILL_ID}, "user": {"userId": "u"}}},
        "request": {"type": "LaunchRequest", "requestId": request_id, "timestamp": timestamp.to_string(),
                    "locale": "en-US"}
    })
    .to_string()
}

/// Headers for `body`, as Alexa would send them.
pub fn signed_headers(signer: &AlexaSigner, body: &str) -> axum::http::HeaderMap {
    let mut headers = axum::http::HeaderMap::new();
    for (name, value) in signer.sign(body.as_bytes()).pairs() {
        headers.insert(name, value.parse().unwrap());
    }
    headers.insert("content-type", "application/json".parse().unwrap());
    headers
}
