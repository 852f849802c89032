//! The real skill binary behind cargo-lambda's Runtime API, invoked over HTTP on 127.0.0.1.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

use devstack::lambda::{InvokeError, LambdaFunction};
use expect_test::expect;

/// The skill ID in `crates/skill/tests/data/requests/*.json`.
const SAMPLE_SKILL_ID: &str = "amzn1.ask.skill.7c9a5ab3-4c5f-4f2a-9c1e-0123456789ab";
/// The access token in those samples; it must never show up in the function's logs.
const SAMPLE_ACCESS_TOKEN: &str = "ya29.test-linked-access-token";

#[tokio::test]
async fn help_intent_is_answered_by_the_real_skill_binary() {
    let function = LambdaFunction::start(skill_binary(), &[("SKILL_ID", SAMPLE_SKILL_ID)])
        .expect("the skill starts behind the Runtime API");

    let response = function
        .invoke(sample_request("help.json"))
        .await
        .unwrap_or_else(|error| panic!("{error}\nlogs:\n{}", function.logs()));

    expect![[r#"
        {
          "response": {
            "outputSpeech": {
              "text": "You can ask me who you are, to list your recent files, what's next on your calendar, or to add a note. What would you like?",
              "type": "PlainText"
            },
            "reprompt": {
              "outputSpeech": {
                "text": "You can ask me who you are, to list your recent files, what's next on your calendar, or to add a note. What would you like?",
                "type": "PlainText"
              }
            },
            "shouldEndSession": false
          },
          "version": "1.0"
        }"#]]
    .assert_eq(&serde_json::to_string_pretty(&response).unwrap());
    let logs = function.finish();
    assert!(logs.contains("AMAZON.HelpIntent"), "logs: {logs}");
    assert!(!logs.contains(SAMPLE_ACCESS_TOKEN), "token in logs: {logs}");
}

#[tokio::test]
async fn request_for_another_skill_is_a_function_error() {
    let function = LambdaFunction::start(
        skill_binary(),
        &[(
            "SKILL_ID",
            "amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef",
        )],
    )
    .expect("the skill starts behind the Runtime API");

    let error = function
        .invoke(sample_request("help.json"))
        .await
        .expect_err("the skill refuses a request for another skill");

    let InvokeError::Function {
        error_type,
        error_message,
    } = error
    else {
        panic!(
            "expected a function error, got {error:?}\nlogs:\n{}",
            function.logs()
        );
    };
    assert!(!error_type.is_empty());
    assert!(
        error_message.contains("refused a request for another skill"),
        "{error_message}"
    );
    assert!(error_message.contains(SAMPLE_SKILL_ID), "{error_message}");
    // The same function keeps serving after a function error, as a warm Lambda does.
    let second = function.invoke(sample_request("help.json")).await;
    assert!(
        matches!(second, Err(InvokeError::Function { .. })),
        "{second:?}"
    );
}

#[tokio::test]
async fn function_that_dies_at_start_up_is_reported_with_its_logs() {
    let function = LambdaFunction::start(skill_binary(), &[("SKILL_ID", "not-a-skill-id")])
        .expect("the process starts; it exits once it reads its configuration");

    let error = function
        .invoke(sample_request("help.json"))
        .await
        .expect_err("nobody answers the invocation");

    assert!(matches!(error, InvokeError::Exited { .. }), "{error:?}");
    let logs = function.finish();
    assert!(logs.contains("SKILL_ID"), "{logs}");
}

#[tokio::test]
async fn missing_binary_is_reported_by_path() {
    let missing = workspace_root().join("target/debug/no-such-function");
    let error = LambdaFunction::start(&missing, &[]).expect_err("nothing to start");
    assert!(error.to_string().contains("no-such-function"), "{error}");
}

/// `target/debug/skill`, built once per test run (or `SKILL_BINARY` if set): devstack cannot
/// name another package's binary with `env!("CARGO_BIN_EXE_…")`.
pub(crate) fn skill_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        if let Some(path) = std::env::var_os("SKILL_BINARY") {
            return PathBuf::from(path);
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--package", "skill", "--bin", "skill"])
            .current_dir(workspace_root())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cargo build -p skill failed");
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace_root().join("target"));
        target.join("debug/skill")
    })
}

pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sample_request(name: &str) -> serde_json::Value {
    let path = workspace_root()
        .join("crates/skill/tests/data/requests")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).expect("the sample is JSON")
}
