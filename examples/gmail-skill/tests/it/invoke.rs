//! The real `gmail-skill` binary: `invoke` answers every request of its own interaction model, in
//! every published locale, as Amazon's model expects, with a LinkAccount card when unlinked.

use std::{fs, process::Output};

use linked_skill::testing::{SkillBinary, TestRequest, TestResponse};
use serde_json::Value;

use crate::support::{EnvelopeKind, check_with_ask_sdk_model, intent_request, skill_package};

/// `gmail-skill invoke -` on `request`, whatever it does: unlinked requests never call Google,
/// and a stray call fails fast on the kit's closed loopback port.
fn invoke(request: &TestRequest) -> Output {
    SkillBinary::new(env!("CARGO_BIN_EXE_gmail-skill"))
        .output(request.json().to_string().as_bytes())
}

/// Every intent of every published locale's model, plus launch and session end, unlinked.
#[test]
fn every_request_of_the_model_gets_an_answer_amazons_model_accepts() {
    let skill = gmail_skill::skill().build();
    let models = skill_package().join("interactionModels/custom");
    let mut failures = Vec::new();
    let mut checked = 0;
    for entry in fs::read_dir(&models).unwrap() {
        let path = entry.unwrap().path();
        let locale = path.file_stem().unwrap().to_string_lossy().into_owned();
        let model: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let mut requests: Vec<(String, TestRequest, bool)> =
            model["interactionModel"]["languageModel"]["intents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|intent| {
                    let name = intent["name"].as_str().unwrap().to_owned();
                    let needs_google = skill
                        .scopes_of(&name)
                        .is_some_and(|scopes| !scopes.is_empty());
                    (
                        name.clone(),
                        intent_request(&name, &locale, None),
                        needs_google,
                    )
                })
                .collect();
        // Without a launch handler the toolkit welcomes an unlinked user with a LinkAccount card.
        requests.push((
            "launch".to_owned(),
            TestRequest::launch().new_session(false).locale(&locale),
            true,
        ));
        requests.push((
            "session-ended".to_owned(),
            TestRequest::session_ended("USER_INITIATED").locale(&locale),
            false,
        ));
        for (name, request, needs_google) in requests {
            if let Err(problem) = check_with_ask_sdk_model(EnvelopeKind::Request, request.json()) {
                failures.push(format!("{locale} {name}: {problem}"));
            }
            let output = invoke(&request);
            if !output.status.success() {
                failures.push(format!(
                    "{locale} {name}: exit {}: {}",
                    output.status,
                    String::from_utf8_lossy(&output.stderr)
                ));
                continue;
            }
            let response =
                TestResponse::new(serde_json::from_slice(&output.stdout).expect("stdout is JSON"));
            if let Err(problem) = check_with_ask_sdk_model(EnvelopeKind::Response, &response) {
                failures.push(format!("{locale} {name}: {problem}"));
            }
            if response.has_link_account_card() != needs_google {
                failures.push(format!(
                    "{locale} {name}: LinkAccount card expected {needs_google}:\n{response:#}"
                ));
            }
            if name != "session-ended" && response.speech().is_empty() {
                failures.push(format!("{locale} {name}: no speech:\n{response:#}"));
            }
            checked += 1;
        }
    }
    // 8 locales (en ×5, de-DE, fr-FR, fr-CA) × (3 custom + 5 built-in intents + launch +
    // session end).
    assert_eq!(checked, 8 * 10, "{}", failures.join("\n\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
