//! Integration tests: the client against the Google emulator over loopback HTTP.

mod calls;
mod failures;
mod sheets;
mod unknown_api;

use std::time::Duration;

use devstack::google::{Config, DEFAULT_CLIENT_ID, Emulator};
use google_api::{AccessToken, Client, Deadline, Endpoints, RetryPolicy};

pub(crate) const ADA: &str = "ada@example.com";

pub(crate) const PROFILE_SCOPES: &[&str] = &["openid", "email", "profile"];
pub(crate) const DRIVE_METADATA_SCOPE: &str =
    "https://www.googleapis.com/auth/drive.metadata.readonly";
pub(crate) const DRIVE_FILE_SCOPE: &str = "https://www.googleapis.com/auth/drive.file";
pub(crate) const CALENDAR_READ_SCOPE: &str = "https://www.googleapis.com/auth/calendar.readonly";

/// A running emulator and a client pointed at it.
pub(crate) struct Fixture {
    pub(crate) emulator: Emulator,
    pub(crate) client: Client,
}

impl Fixture {
    pub(crate) async fn start() -> Fixture {
        let emulator = Emulator::start(Config::default())
            .await
            .expect("the google emulator starts on loopback");
        let root = emulator
            .base_url()
            .parse()
            .expect("the emulator's base URL parses");
        let client = Client::new(Endpoints::all_at(root), reqwest::Client::new())
            .with_retry_policy(fast_retry_policy());
        Fixture { emulator, client }
    }

    pub(crate) fn token(&self, email: &str, scopes: &[&str]) -> AccessToken {
        AccessToken::new(
            self.emulator
                .mint_access_token(email, DEFAULT_CLIENT_ID, scopes),
        )
    }
}

/// Millisecond backoff so retry tests run fast; the structure (attempt
/// count, deadline checks) is the production one.
pub(crate) fn fast_retry_policy() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_attempts: 4,
        attempt_timeout: Duration::from_secs(10),
        minimum_attempt_time: Duration::from_millis(1),
    }
}

/// A deadline far enough away that only the behaviour under test can end
/// the call; tests never assert on elapsed time.
pub(crate) fn generous_deadline() -> Deadline {
    Deadline::after(Duration::from_secs(20))
}
