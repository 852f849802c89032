//! The skill package and the handlers agree, and the model source carries enough phrasings.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn skill_package() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("skill-package")
}

#[test]
fn every_model_intent_has_a_handler_and_every_handled_intent_is_in_every_model() {
    let skill = tasks_skill::skill().build();
    linked_skill::testing::check_interaction_models(&skill, &skill_package())
        .unwrap_or_else(|problems| panic!("{problems}"));
}

#[test]
fn every_custom_intent_has_at_least_twenty_samples() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/en.json");
    let model: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut custom = 0;
    for intent in model["interactionModel"]["languageModel"]["intents"]
        .as_array()
        .unwrap()
    {
        let name = intent["name"].as_str().unwrap();
        if name.starts_with("AMAZON.") {
            continue;
        }
        custom += 1;
        let samples = intent["samples"].as_array().map_or(0, Vec::len);
        assert!(samples >= 20, "{name} has only {samples} samples");
    }
    assert_eq!(
        custom,
        tasks_skill::skill().build().registered_intents().count()
    );
}

/// Ways people ask, which reach their intents (and slot) in every published locale.
#[test]
fn everyday_phrasings_reach_their_intents() {
    let cases = [
        ("en-US", "what's on my to do list", "ListTasksIntent", None),
        ("en-GB", "what do i have to do", "ListTasksIntent", None),
        (
            "en-AU",
            "add buy milk to my to do list",
            "AddTaskIntent",
            Some("buy milk"),
        ),
        (
            "en-IN",
            "remind me to call charles",
            "AddTaskIntent",
            Some("call charles"),
        ),
        (
            "en-CA",
            "put eggs on my list",
            "AddTaskIntent",
            Some("eggs"),
        ),
    ];
    let mut failures = Vec::new();
    for (locale, utterance, intent, task) in cases {
        let path = skill_package().join(format!("interactionModels/custom/{locale}.json"));
        let model = devstack::voice::InteractionModel::load(&path).unwrap();
        let matched = model.match_utterance(utterance);
        let slot = matched
            .slots
            .iter()
            .find(|(name, _)| name == "task")
            .map(|(_, value)| value.as_str());
        if matched.intent != intent || slot != task {
            failures.push(format!("{locale} {utterance:?} → {matched:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
