//! Shared test plumbing: the skill package, intent requests from the toolkit's test kit, and
//! Amazon's own model as a checker.

use std::path::{Path, PathBuf};

use linked_skill::testing::TestRequest;

pub fn skill_package() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("skill-package")
}

/// An IntentRequest for `intent` in `locale`, inside a session, from a user who linked
/// (`Some(token)`) or did not (`None`: Alexa sends no `accessToken` at all).
pub fn intent_request(intent: &str, locale: &str, token: Option<&str>) -> TestRequest {
    let request = TestRequest::intent(intent).locale(locale);
    match token {
        Some(token) => request.linked(token),
        None => request,
    }
}

/// Amazon's ask-sdk-model as the judge of the JSON shape (`Err` names what it found wrong).
pub use devstack::ask_model::{EnvelopeKind, check as check_with_ask_sdk_model};
