//! Shared test plumbing: request files, snapshot files, and Amazon's own model as a checker.

use std::{
    fs,
    path::{Path, PathBuf},
};

use devstack::lambda::LambdaFunction;
use linked_skill::testing::{OFFLINE_API_ENDPOINT, SKILL_ID, TestRequest};
use serde_json::Value;

pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `tests/data/requests/NAME.json`, parsed, with its `apiEndpoint` (Amazon's, as Alexa sends it)
/// replaced by the kit's [`OFFLINE_API_ENDPOINT`]: tests never touch the internet. The files
/// carry the kit's [`linked_skill::testing::LINKED_TOKEN`] and
/// [`linked_skill::testing::SKILL_ID`]; `TestRequest::from_json(…).unlinked()` makes one a
/// request from a user who has not linked.
pub fn request(name: &str) -> Value {
    let path = data_dir().join("requests").join(format!("{name}.json"));
    let text = fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let request: Value = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()));
    TestRequest::from_json(request)
        .api_endpoint(OFFLINE_API_ENDPOINT)
        .into_json()
}

/// The real `skill` binary behind the Lambda Runtime API, answering only the request files' skill,
/// with every Google call sent to `google_api_root` and `environment` set besides.
pub async fn lambda_function(
    google_api_root: &str,
    environment: &[(&str, &str)],
) -> LambdaFunction {
    let mut environment: Vec<(String, String)> = environment
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    environment.push(("SKILL_ID".to_owned(), SKILL_ID.to_owned()));
    environment.push(("GOOGLE_API_ROOT".to_owned(), google_api_root.to_owned()));
    tokio::task::spawn_blocking(move || {
        let environment: Vec<(&str, &str)> = environment
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        LambdaFunction::start(Path::new(env!("CARGO_BIN_EXE_skill")), &environment)
    })
    .await
    .expect("the starting thread finishes")
    .expect("the skill starts behind the Lambda Runtime API (run `cargo xtask setup`?)")
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
