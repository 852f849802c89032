//! Time helpers shared by the twin's world and its handlers: clamped timestamp arithmetic on the
//! twin's clock, and the timestamp format Google's APIs answer with.

use jiff::{SignedDuration, Timestamp};

/// Timestamp arithmetic that clamps instead of failing: the emulator clock never leaves jiff's
/// range in practice, and a clamped value is a better answer for a twin than a panic.
pub(crate) trait ClockArithmetic {
    fn plus(self, by: SignedDuration) -> Timestamp;
    fn minus(self, by: SignedDuration) -> Timestamp;
}

impl ClockArithmetic for Timestamp {
    fn plus(self, by: SignedDuration) -> Timestamp {
        self.checked_add(by).unwrap_or(if by.is_negative() {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        })
    }

    fn minus(self, by: SignedDuration) -> Timestamp {
        self.plus(-by)
    }
}

/// Drive's and Calendar's timestamps: RFC 3339 in UTC with milliseconds, e.g. `2026-11-24T23:44:22.123Z`.
pub(crate) fn rfc3339_millis(timestamp: Timestamp) -> String {
    timestamp.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}
