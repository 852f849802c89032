//! The interaction models in `infra/skill-package` and the handler agree on the intents.

use std::{collections::BTreeSet, fs};

use serde_json::Value;
use skill::intent::Intent;

use crate::support::workspace_root;

#[test]
fn every_model_intent_has_a_handler_and_every_handled_intent_is_in_every_model() {
    let models = workspace_root().join("infra/skill-package/interactionModels/custom");
    let handled: BTreeSet<&str> = Intent::ALL.iter().map(|intent| intent.name()).collect();
    let mut locales = Vec::new();
    for entry in fs::read_dir(&models).expect("the interaction models exist") {
        let path = entry.unwrap().path();
        let model: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()));
        let declared: BTreeSet<&str> = model["interactionModel"]["languageModel"]["intents"]
            .as_array()
            .unwrap_or_else(|| panic!("{} has no intents", path.display()))
            .iter()
            .map(|intent| intent["name"].as_str().expect("intents have names"))
            .collect();
        let without_handler: Vec<_> = declared.difference(&handled).collect();
        let not_declared: Vec<_> = handled.difference(&declared).collect();
        assert!(
            without_handler.is_empty() && not_declared.is_empty(),
            "{}: intents without a handler {without_handler:?}; handled but not declared \
             {not_declared:?}",
            path.display()
        );
        locales.push(path.file_stem().unwrap().to_string_lossy().into_owned());
    }
    locales.sort();
    assert_eq!(
        locales,
        ["de-DE", "en-AU", "en-CA", "en-GB", "en-IN", "en-US"]
    );
}

#[test]
fn the_note_slot_is_a_search_query_with_a_dialog_prompt() {
    let path = workspace_root().join("infra/skill-package/interactionModels/custom/en-US.json");
    let model: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let intents = model["interactionModel"]["languageModel"]["intents"]
        .as_array()
        .unwrap();
    let add_note = intents
        .iter()
        .find(|intent| intent["name"] == Intent::AddNote.name())
        .unwrap();
    assert_eq!(add_note["slots"][0]["name"], Intent::NOTE_SLOT);
    assert_eq!(add_note["slots"][0]["type"], "AMAZON.SearchQuery");
    // Dialog.ElicitSlot needs the slot in the dialog model.
    let dialog = &model["interactionModel"]["dialog"]["intents"][0];
    assert_eq!(dialog["name"], Intent::AddNote.name());
    assert_eq!(dialog["slots"][0]["name"], Intent::NOTE_SLOT);
}

#[test]
fn the_manifest_subscribes_to_linking_events_in_every_model_locale() {
    let path = workspace_root().join("infra/skill-package/skill.json");
    let manifest: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let events: BTreeSet<&str> = manifest["manifest"]["events"]["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|subscription| subscription["eventName"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        BTreeSet::from(["SKILL_ACCOUNT_LINKED", "SKILL_DISABLED"])
    );
    let locales = manifest["manifest"]["publishingInformation"]["locales"]
        .as_object()
        .unwrap();
    for locale in locales.keys() {
        let model = workspace_root().join(format!(
            "infra/skill-package/interactionModels/custom/{locale}.json"
        ));
        assert!(
            model.exists(),
            "{locale} is published but has no interaction model"
        );
    }
}
