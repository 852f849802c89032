//! Shared test plumbing: request files, snapshot files, and Amazon's own model as a checker.

use std::{
    fs,
    path::{Path, PathBuf},
};

use serde_json::Value;

/// The token every request file carries; tests remove it to model an unlinked user.
pub const LINKED_TOKEN: &str = "ya29.test-linked-access-token";

/// The skill ID every request file carries: the real binary in Lambda mode needs it.
pub const SKILL_ID: &str = "amzn1.ask.skill.7c9a5ab3-4c5f-4f2a-9c1e-0123456789ab";

pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Where the requests say Alexa's APIs are: a loopback port nothing listens on, so a call back
/// (a progressive response while Google is slow) fails at once instead of reaching Amazon.
pub const OFFLINE_API_ENDPOINT: &str = "http://127.0.0.1:9";

/// `tests/data/requests/NAME.json`, parsed, with its `apiEndpoint` (Amazon's, as Alexa sends it)
/// replaced by [`OFFLINE_API_ENDPOINT`]: tests never touch the internet.
pub fn request(name: &str) -> Value {
    let path = data_dir().join("requests").join(format!("{name}.json"));
    let text = fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let mut request: Value = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()));
    if let Some(endpoint) = request.pointer_mut("/context/System/apiEndpoint") {
        *endpoint = Value::from(OFFLINE_API_ENDPOINT);
    }
    request
}

/// The same request from a user who has not linked: Alexa sends no `accessToken` at all.
pub fn unlinked(mut request: Value) -> Value {
    for user in ["/context/System/user", "/session/user"] {
        if let Some(Value::Object(user)) = request.pointer_mut(user) {
            user.remove("accessToken");
        }
    }
    if let Some(Value::Object(body)) = request.pointer_mut("/request/body") {
        body.remove("accessToken");
    }
    request
}

/// Compares `actual` with the snapshot `tests/data/responses/NAME.json`. With `UPDATE_EXPECT=1`
/// the snapshot is (re)written instead, for a reviewer to read in the diff. Returns a description
/// of the mismatch, so one test can report every failing case at once.
pub fn check_snapshot(name: &str, actual: &Value) -> Result<(), String> {
    let path = data_dir().join("responses").join(format!("{name}.json"));
    let rendered = serde_json::to_string_pretty(actual).expect("a Value always serializes") + "\n";
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        fs::create_dir_all(path.parent().expect("has a parent")).expect("can create responses/");
        fs::write(&path, &rendered).expect("can write the snapshot");
        return Ok(());
    }
    match fs::read_to_string(&path) {
        Ok(expected) if expected == rendered => Ok(()),
        Ok(expected) => Err(format!(
            "{name}: response differs from {}\n--- expected\n{expected}--- actual\n{rendered}\
             (rerun with UPDATE_EXPECT=1 to accept)",
            path.display()
        )),
        Err(_) => Err(format!(
            "{name}: no snapshot at {}; rerun with UPDATE_EXPECT=1 to create it\n{rendered}",
            path.display()
        )),
    }
}

/// Amazon's ask-sdk-model as the judge of the JSON shape (`Err` names what it found wrong).
pub use devstack::ask_model::{EnvelopeKind, check as check_with_ask_sdk_model};

pub fn has_link_account_card(response: &Value) -> bool {
    response.pointer("/response/card/type") == Some(&Value::from("LinkAccount"))
}
