//! The check that a skill's handlers, its texts and its skill package agree.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::{BUILT_IN_INTENTS, Locale, Skill};

/// Checks a skill against its skill package (`DIR/skill.json`, `DIR/interactionModels/custom/`)
/// in both directions: every intent a model declares has a handler (registered or built in),
/// every registered handler and built-in intent is declared in every model, each handler's
/// slots are exactly its intent's slots in the model, every locale the manifest publishes
/// has a model, and the skill's texts are complete for every published locale (see
/// [`Texts::problems`](crate::Texts::problems): each of the skill's own keys in the locale's
/// language, no unknown placeholder, and every toolkit text for a language the toolkit does not
/// ship). Returns every problem found, one per line.
pub fn check_interaction_models(skill: &Skill, package_dir: &Path) -> Result<(), String> {
    let mut problems = Vec::new();
    let read = |path: &Path| -> Result<Value, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|error| format!("{} is not JSON: {error}", path.display()))
    };
    let manifest = read(&package_dir.join("skill.json"))?;
    let locales: Vec<String> = manifest
        .pointer("/manifest/publishingInformation/locales")
        .and_then(Value::as_object)
        .map(|locales| locales.keys().cloned().collect())
        .unwrap_or_default();
    if locales.is_empty() {
        problems.push(format!(
            "{}/skill.json publishes no locale",
            package_dir.display()
        ));
    }
    let mut published = Vec::new();
    for locale in &locales {
        match Locale::new(locale) {
            Ok(parsed) => published.push(parsed),
            Err(error) => problems.push(format!("{}/skill.json: {error}", package_dir.display())),
        }
    }
    problems.extend(skill.texts().problems(&published));
    let handled: BTreeSet<&str> = skill.registered_intents().chain(BUILT_IN_INTENTS).collect();
    for locale in &locales {
        let path = package_dir.join(format!("interactionModels/custom/{locale}.json"));
        let model = match read(&path) {
            Ok(model) => model,
            Err(problem) => {
                problems.push(format!("{locale} is published but: {problem}"));
                continue;
            }
        };
        let intents = model
            .pointer("/interactionModel/languageModel/intents")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let declared: BTreeSet<&str> = intents
            .iter()
            .filter_map(|intent| intent["name"].as_str())
            .collect();
        for name in declared.difference(&handled) {
            problems.push(format!(
                "{locale}: the model declares {name}, which has no handler"
            ));
        }
        for name in handled.difference(&declared) {
            problems.push(format!(
                "{locale}: {name} is handled but not declared in the model"
            ));
        }
        for intent in &intents {
            let Some(name) = intent["name"].as_str() else {
                continue;
            };
            let Some(handled_slots) = skill.slots_of(name) else {
                continue;
            };
            let model_slots: BTreeSet<&str> = intent["slots"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|slot| slot["name"].as_str())
                .collect();
            let handled_slots: BTreeSet<&str> = handled_slots.iter().copied().collect();
            if model_slots != handled_slots {
                problems.push(format!(
                    "{locale}: {name} has slots {model_slots:?} in the model but its handler reads {handled_slots:?}"
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}
