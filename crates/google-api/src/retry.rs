//! The caller's deadline and the backoff policy that must respect it, including the wait a
//! `Retry-After` header asks for.

use std::time::Duration;

use tokio::time::Instant;

/// The instant by which a call must have returned, whatever happens.
///
/// An Alexa skill has a few seconds to answer; the caller derives this from
/// its own budget and every retry, sleep and per-attempt timeout is cut to fit
/// inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Deadline(Instant);

impl Deadline {
    /// A deadline at `instant`.
    pub fn at(instant: Instant) -> Self {
        Self(instant)
    }

    /// A deadline `budget` from now.
    pub fn after(budget: Duration) -> Self {
        Self(Instant::now() + budget)
    }

    /// The instant itself.
    pub fn instant(self) -> Instant {
        self.0
    }

    /// Time left from now, zero once passed.
    pub fn remaining(self) -> Duration {
        self.0.saturating_duration_since(Instant::now())
    }
}

/// Truncated exponential backoff with full jitter, bounded by the deadline.
///
/// Before retry `n` (0-based) the client sleeps a uniformly random time in
/// `[0, min(max_delay, base_delay × 2ⁿ)]` (AWS's "full jitter": spreads
/// clients out better than adding a small random term). Google's advice is a
/// cap of 32–64 s; the skill has seconds, hence the small defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Ceiling of the first sleep.
    pub base_delay: Duration,
    /// Ceiling of any sleep.
    pub max_delay: Duration,
    /// Attempts in total, the first included (at least one is always made).
    pub max_attempts: u32,
    /// Longest time one attempt may take (also cut to the deadline), so a
    /// hanging connection leaves time for another attempt.
    pub attempt_timeout: Duration,
    /// The least time an attempt is assumed to need. A retry is only started
    /// if the sleep plus the longer of this and the previous attempt's
    /// duration still ends before the deadline; otherwise the call stops and
    /// returns the last error rather than an attempt doomed to be cut off.
    pub minimum_attempt_time: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            max_attempts: 4,
            attempt_timeout: Duration::from_secs(4),
            minimum_attempt_time: Duration::from_millis(150),
        }
    }
}

impl RetryPolicy {
    /// The ceiling of the sleep before retry `retry_index` (0-based).
    pub(crate) fn backoff_ceiling(&self, retry_index: u32) -> Duration {
        // 2^16 × base is far past any sensible cap; the bound avoids overflow.
        let factor = 1_u32 << retry_index.min(16);
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }

    /// How long to sleep before the next attempt, or `None` to stop now.
    ///
    /// `attempts_made` counts finished attempts (≥ 1), `unit_random` is a
    /// uniform sample from `[0, 1)`, `previous_attempt_time` how long the last
    /// attempt took. Pure, so the deadline arithmetic is unit-tested without
    /// sleeping.
    pub(crate) fn delay_before_next_attempt(
        &self,
        attempts_made: u32,
        unit_random: f64,
        now: Instant,
        deadline: Deadline,
        previous_attempt_time: Duration,
    ) -> Option<Duration> {
        if attempts_made >= self.max_attempts {
            return None;
        }
        let ceiling = self.backoff_ceiling(attempts_made.saturating_sub(1));
        let delay = ceiling.mul_f64(unit_random.clamp(0.0, 1.0));
        let expected_attempt_time = previous_attempt_time.max(self.minimum_attempt_time);
        let attempt_ends = now.checked_add(delay)?.checked_add(expected_attempt_time)?;
        (attempt_ends <= deadline.instant()).then_some(delay)
    }

    /// How long to sleep before the next attempt when Google said how long to wait
    /// (`Retry-After`), or `None` to stop now: the wait is honoured as given when the attempt after
    /// it still ends before the deadline, and never cut short, since an earlier retry would only
    /// be refused again. Pure, like [`Self::delay_before_next_attempt`].
    pub(crate) fn delay_for_retry_after(
        &self,
        attempts_made: u32,
        retry_after: Duration,
        now: Instant,
        deadline: Deadline,
        previous_attempt_time: Duration,
    ) -> Option<Duration> {
        if attempts_made >= self.max_attempts {
            return None;
        }
        let expected_attempt_time = previous_attempt_time.max(self.minimum_attempt_time);
        let attempt_ends = now
            .checked_add(retry_after)?
            .checked_add(expected_attempt_time)?;
        (attempt_ends <= deadline.instant()).then_some(retry_after)
    }

    /// When the attempt starting at `start` must be abandoned.
    pub(crate) fn attempt_deadline(&self, start: Instant, deadline: Deadline) -> Instant {
        start
            .checked_add(self.attempt_timeout)
            .map_or(deadline.instant(), |limit| limit.min(deadline.instant()))
    }
}

/// The wait a `Retry-After` header asks for: a number of seconds, or an HTTP date (RFC 9110,
/// section 10.2.3), which counts from `now` and means "now" once past. `None` for anything else,
/// which then leaves the ordinary backoff in charge.
pub(crate) fn parse_retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit()) {
        return value.parse::<u64>().ok().map(Duration::from_secs);
    }
    let date = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(value)
        .ok()?;
    let wait = date.duration_since(now);
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}
