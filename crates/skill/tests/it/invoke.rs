//! The real `skill` binary: `skill invoke FILE` answers with the handlers and settings Lambda
//! mode uses, and bad input gets a one-line error, never a panic.

use std::{
    fs,
    process::{Command, Output},
};

use linked_skill::testing::{LINKED_TOKEN, SkillBinary, TestRequest, TestResponse};
use serde_json::Value;

use crate::support::{EnvelopeKind, check_with_ask_sdk_model, data_dir, request, workspace_root};

fn skill() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_skill"));
    // Nothing here may reach the network: unlinked requests never call Google, and a stray call
    // would fail fast against a closed loopback port instead of leaving the machine.
    command
        .env("GOOGLE_API_ROOT", "http://127.0.0.1:9")
        .env_remove("SKILL_ID");
    command
}

/// `skill invoke -` on `input`, whatever it does (the kit's defaults: offline as above).
fn invoke_stdin(input: &[u8]) -> Output {
    SkillBinary::new(env!("CARGO_BIN_EXE_skill")).output(input)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every request type Amazon sends, from the model crate's ask-sdk-model-made samples, without a
/// linked token: the binary answers each, Amazon's model accepts each answer, and exactly the
/// requests that need Google get a LinkAccount card.
#[test]
fn every_request_type_gets_an_answer_amazons_model_accepts() {
    let samples = workspace_root().join("crates/alexa-model/tests/data/requests");
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in fs::read_dir(&samples).expect("the model crate's samples exist") {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|extension| extension != "json") {
            continue;
        }
        let sample: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let unlinked = TestRequest::from_json(sample.clone()).unlinked();
        let output = invoke_stdin(unlinked.json().to_string().as_bytes());
        let name = path.file_name().unwrap().to_string_lossy();
        if !output.status.success() {
            failures.push(format!(
                "{name}: exit {}: {}",
                output.status,
                stderr(&output)
            ));
            continue;
        }
        let response =
            TestResponse::new(serde_json::from_slice(&output.stdout).expect("stdout is JSON"));
        if let Err(problem) = check_with_ask_sdk_model(EnvelopeKind::Response, &response) {
            failures.push(format!("{name}: {problem}"));
        }
        if response.has_link_account_card() != needs_google(&sample) {
            failures.push(format!(
                "{name}: wrong LinkAccount card decision:\n{response:#}"
            ));
        }
        checked += 1;
    }
    assert!(
        checked >= 20,
        "only {checked} samples found in {}",
        samples.display()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// LaunchRequest and the intents whose handlers declare Google scopes.
fn needs_google(request: &Value) -> bool {
    let skill = skill::skill().build();
    match request["request"]["type"].as_str() {
        Some("LaunchRequest") => true,
        Some("IntentRequest") => request["request"]["intent"]["name"]
            .as_str()
            .and_then(|name| skill.scopes_of(name))
            .is_some_and(|scopes| !scopes.is_empty()),
        _ => false,
    }
}

#[test]
fn a_request_file_is_read_from_its_path() {
    let path = data_dir().join("requests/help.json");
    let output = skill().args(["invoke"]).arg(&path).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let response = TestResponse::new(serde_json::from_slice(&output.stdout).unwrap());
    assert_eq!(response.should_end_session(), Some(false));
    assert!(response.speech().contains("who you are"), "{response:#}");
}

#[test]
fn malformed_json_is_a_one_line_error() {
    let output = invoke_stdin(b"{\"version\": \"1.0\", ");
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.starts_with("error: `-` is not valid JSON"),
        "{message}"
    );
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");
    assert!(output.stdout.is_empty());
}

#[test]
fn json_that_is_not_an_alexa_request_is_a_one_line_error() {
    let output = invoke_stdin(br#"{"Records": [{"eventSource": "aws:s3"}]}"#);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("is not an Alexa request"), "{message}");
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");
}

#[test]
fn a_missing_file_names_the_file() {
    let output = skill()
        .args(["invoke", "no/such/request.json"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("no/such/request.json"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_request_for_another_skill_fails_like_a_lambda_error() {
    let output = skill()
        .env(
            "SKILL_ID",
            "amzn1.ask.skill.11111111-2222-3333-4444-555555555555",
        )
        .args(["invoke"])
        .arg(data_dir().join("requests/help.json"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("another skill"),
        "{}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_bad_skill_id_setting_names_the_fix() {
    let output = skill()
        .env("SKILL_ID", "my-skill")
        .args(["invoke"])
        .arg(data_dir().join("requests/help.json"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(stderr(&output).contains("SKILL_ID"), "{}", stderr(&output));
}

#[test]
fn without_the_runtime_api_it_says_how_to_run_locally() {
    let output = skill()
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("AWS_LAMBDA_RUNTIME_API") && message.contains("skill invoke"),
        "{message}"
    );
}

#[test]
fn logs_never_carry_the_token() {
    let linked = request("account-linked");
    let output = invoke_stdin(linked.to_string().as_bytes());
    assert!(output.status.success(), "{}", stderr(&output));
    let logs = stderr(&output);
    assert!(logs.contains("account linked"), "{logs}");
    assert!(!logs.contains(LINKED_TOKEN), "{logs}");
}

/// Parts of an envelope that test tools, recorded sessions and hand-written events leave out.
const OPTIONAL_PARTS: &[&str] = &[
    "/context/System/device/deviceId",
    "/context/System/device",
    "/context/System/apiEndpoint",
    "/context/System/apiAccessToken",
    "/context/System/user/userId",
    "/request/locale",
    "/request/requestId",
    "/request/timestamp",
    "/session/sessionId",
    "/session/user",
    "/session",
    "/version",
];

/// `skill invoke` answers requests stripped of each optional part as it answers the whole one.
#[test]
fn requests_without_optional_parts_are_answered() {
    let mut failures = Vec::new();
    let mut stripped = std::collections::BTreeSet::new();
    for name in ["help", "who-am-i", "add-note-empty", "launch"] {
        for pointer in OPTIONAL_PARTS {
            let mut input = TestRequest::from_json(request(name)).unlinked().into_json();
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let parent = if parent.is_empty() {
                Some(&mut input)
            } else {
                input.pointer_mut(parent)
            };
            let removed = parent
                .and_then(Value::as_object_mut)
                .is_some_and(|object| object.remove(key).is_some());
            if !removed {
                continue;
            }
            stripped.insert(*pointer);
            let output = invoke_stdin(input.to_string().as_bytes());
            if !output.status.success() {
                failures.push(format!("{name} without {pointer}: {}", stderr(&output)));
                continue;
            }
            let response = TestResponse::new(serde_json::from_slice(&output.stdout).unwrap());
            if response.speech().is_empty() {
                failures.push(format!("{name} without {pointer}: no speech\n{response:#}"));
            }
        }
    }
    assert_eq!(stripped.len(), OPTIONAL_PARTS.len(), "{stripped:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `skill scopes` prints what the handlers need; account linking in `skill.example.toml` asks for
/// exactly that (`cargo xtask deploy` hands the list to `provision preflight`).
#[test]
fn the_scopes_the_handlers_need_are_the_scopes_linking_asks_for() {
    let output = skill().arg("scopes").output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let mut needed: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(
        needed.contains(&"https://www.googleapis.com/auth/drive.file".to_owned()),
        "{needed:?}"
    );
    let config: toml::Value =
        toml::from_str(&fs::read_to_string(workspace_root().join("skill.example.toml")).unwrap())
            .unwrap();
    let mut asked: Vec<String> = config["google"]["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|scope| scope.as_str().unwrap().to_owned())
        .collect();
    needed.sort();
    asked.sort();
    assert_eq!(needed, asked);
}
