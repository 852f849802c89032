//! Refusing a signed request seen before (docs/request-signatures.md, "Replay").
//!
//! A request's signature covers its exact bytes, and the timestamp check bounds how long a
//! captured request stays acceptable (150 s, an hour for five skill events). Within that window
//! the same bytes could be sent again; this cache remembers the signature of every verified
//! request until its timestamp leaves the window, and a second request with the same signature is
//! refused. Only requests whose signature verified are recorded, so only Amazon's requests can
//! fill it.

use std::collections::{BTreeSet, HashMap};
use std::hash::BuildHasher as _;
use std::sync::Mutex;

use alexa_signature::timestamp_tolerance_milliseconds;
use serde_json::Value;

/// Most signatures remembered at once. Each costs about 80 bytes, so the cache stays under
/// 8 MB; 100,000 requests in a 150-second window is over 600 requests a second, far more than an
/// endpoint that verifies on two cores answers. Past it the entries nearest to leaving the window
/// are dropped first (and a warning is logged), which only shortens their protection.
pub const REPLAY_CACHE_CAPACITY: usize = 100_000;

/// The signatures of the verified requests whose timestamps are still inside the window.
pub struct ReplayCache {
    capacity: usize,
    // A keyed hash of the signature, chosen per process, so no one can aim at a collision.
    hasher: std::collections::hash_map::RandomState,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    expiry_by_key: HashMap<u64, i64>,
    by_expiry: BTreeSet<(i64, u64)>,
}

impl std::fmt::Debug for ReplayCache {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ReplayCache")
            .field("capacity", &self.capacity)
            .field("len", &self.len())
            .finish()
    }
}

impl Default for ReplayCache {
    fn default() -> Self {
        Self::with_capacity(REPLAY_CACHE_CAPACITY)
    }
}

impl ReplayCache {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            capacity,
            hasher: std::collections::hash_map::RandomState::new(),
            state: Mutex::default(),
        }
    }

    /// How many signatures are remembered.
    pub fn len(&self) -> usize {
        self.state.lock().expect("not poisoned").expiry_by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Remembers the signature of a verified request and says whether it is the first time it
    /// was seen. `event` is the verified body (its type and timestamp say how long the request
    /// stays acceptable), `now` the time of the check.
    pub fn first_time(&self, signature: &[u8], event: &Value, now: jiff::Timestamp) -> bool {
        let key = self.hasher.hash_one(signature);
        let expiry = expiry_milliseconds(event, now);
        let now = now.as_millisecond();
        let mut state = self.state.lock().expect("not poisoned");
        while let Some(&(first_expiry, first_key)) = state.by_expiry.first() {
            if first_expiry >= now {
                break;
            }
            state.by_expiry.pop_first();
            state.expiry_by_key.remove(&first_key);
        }
        if state.expiry_by_key.contains_key(&key) {
            return false;
        }
        if state.expiry_by_key.len() >= self.capacity
            && let Some((_, first_key)) = state.by_expiry.pop_first()
        {
            state.expiry_by_key.remove(&first_key);
            tracing::warn!(
                capacity = self.capacity,
                "the replay cache is full: forgetting the oldest request early"
            );
        }
        state.expiry_by_key.insert(key, expiry);
        state.by_expiry.insert((expiry, key));
        true
    }
}

/// Until when (Unix milliseconds) the timestamp check would still accept this request: its
/// timestamp plus the tolerance for its type. The request has passed that check, so both are
/// there; if not, twice the tolerance from now covers any timestamp the check accepts.
fn expiry_milliseconds(event: &Value, now: jiff::Timestamp) -> i64 {
    let text = |pointer: &str| event.pointer(pointer).and_then(Value::as_str);
    let tolerance = timestamp_tolerance_milliseconds(text("/request/type").unwrap_or_default());
    match text("/request/timestamp").and_then(|timestamp| timestamp.parse::<jiff::Timestamp>().ok())
    {
        Some(timestamp) => timestamp.as_millisecond() + tolerance,
        None => now.as_millisecond() + 2 * tolerance,
    }
}
