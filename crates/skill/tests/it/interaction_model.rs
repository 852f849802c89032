//! The interaction models in `infra/skill-package` and the handler agree on the intents.

use std::{collections::BTreeSet, fs};

use serde_json::Value;

use crate::support::workspace_root;

#[test]
fn every_model_intent_has_a_handler_and_every_handled_intent_is_in_every_model() {
    let skill = skill::skill().build();
    let package = workspace_root().join("infra/skill-package");
    linked_skill::testing::check_interaction_models(&skill, &package)
        .unwrap_or_else(|problems| panic!("{problems}"));
    let mut locales: Vec<String> = fs::read_dir(package.join("interactionModels/custom"))
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            path.file_stem().unwrap().to_string_lossy().into_owned()
        })
        .collect();
    locales.sort();
    assert_eq!(
        locales,
        [
            "de-DE", "en-AU", "en-CA", "en-GB", "en-IN", "en-US", "es-ES", "es-MX", "es-US",
            "fr-CA", "fr-FR", "it-IT", "ja-JP"
        ]
    );
}

#[test]
fn the_check_notices_a_handler_the_models_lack() {
    /// An intent no model declares.
    struct Unmodeled;
    impl linked_skill::IntentHandler for Unmodeled {
        const NAME: &'static str = "UnmodeledIntent";
        const SCOPES: &'static [&'static linked_skill::google_api::scopes::Scope] = &[];
        async fn answer(
            &self,
            _: linked_skill::IntentInput<'_>,
        ) -> Result<linked_skill::Answer, linked_skill::HandlerError> {
            Ok(linked_skill::Answer::say("unused"))
        }
    }
    let skill = skill::skill().intent(Unmodeled).build();
    let problems = linked_skill::testing::check_interaction_models(
        &skill,
        &workspace_root().join("infra/skill-package"),
    )
    .expect_err("UnmodeledIntent is in no model");
    assert!(
        problems.contains("en-US: UnmodeledIntent is handled but not declared in the model"),
        "{problems}"
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
        .find(|intent| intent["name"] == "AddNoteIntent")
        .unwrap();
    assert_eq!(add_note["slots"][0]["name"], "note");
    assert_eq!(add_note["slots"][0]["type"], "AMAZON.SearchQuery");
    // Dialog.ElicitSlot needs the slot in the dialog model.
    let dialog = &model["interactionModel"]["dialog"]["intents"][0];
    assert_eq!(dialog["name"], "AddNoteIntent");
    assert_eq!(dialog["slots"][0]["name"], "note");
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

/// The ways people really ask, beyond the first samples: each must reach its intent (with the
/// note captured), in every published locale of the language.
#[test]
fn everyday_phrasings_reach_their_intents() {
    let cases: &[(&str, &str, &str, Option<&str>)] = &[
        ("en-US", "what's on my calendar", "NextEventIntent", None),
        ("en-GB", "when is my next meeting", "NextEventIntent", None),
        (
            "en-US",
            "take a note call the plumber",
            "AddNoteIntent",
            Some("call the plumber"),
        ),
        ("en-AU", "take a note", "AddNoteIntent", None),
        (
            "en-IN",
            "what's in my google drive",
            "ListFilesIntent",
            None,
        ),
        (
            "en-CA",
            "which google account am i using",
            "WhoAmIIntent",
            None,
        ),
        (
            "de-DE",
            "was steht in meinem kalender",
            "NextEventIntent",
            None,
        ),
        (
            "de-DE",
            "notiere dir milch kaufen",
            "AddNoteIntent",
            Some("milch kaufen"),
        ),
        (
            "de-DE",
            "mit welchem konto bin ich angemeldet",
            "WhoAmIIntent",
            None,
        ),
        (
            "de-DE",
            "was ist in meinem google drive",
            "ListFilesIntent",
            None,
        ),
    ];
    let models = workspace_root().join("infra/skill-package/interactionModels/custom");
    let mut failures = Vec::new();
    for (locale, utterance, intent, note) in cases {
        let model = devstack::voice::InteractionModel::load(&models.join(format!("{locale}.json")))
            .unwrap();
        let matched = model.match_utterance(utterance);
        let captured = matched
            .slots
            .iter()
            .find(|(name, _)| name == "note")
            .map(|(_, value)| value.as_str());
        if matched.intent != *intent || captured != *note {
            failures.push(format!("{locale} {utterance:?} → {matched:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_custom_intent_has_at_least_twenty_samples_in_each_language() {
    let skill = skill::skill().build();
    for language in ["en", "de", "fr", "es", "it", "ja"] {
        let path = workspace_root().join(format!("infra/models/{language}.json"));
        let model: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        for intent in model["interactionModel"]["languageModel"]["intents"]
            .as_array()
            .unwrap()
        {
            let name = intent["name"].as_str().unwrap();
            if skill.scopes_of(name).is_none() {
                continue;
            }
            let samples = intent["samples"].as_array().map_or(0, Vec::len);
            assert!(
                samples >= 20,
                "{language}: {name} has only {samples} samples"
            );
        }
    }
}
