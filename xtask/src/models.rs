//! `cargo xtask models`: every locale's interaction model generated from one source per language.
//!
//! A skill directory holds `models/<language>.json` (an interaction model in the ASK CLI shape,
//! e.g. `models/en.json`) and `skill-package/skill.json`. For every locale the manifest publishes
//! (`manifest.publishingInformation.locales`), `skill-package/interactionModels/custom/
//! <locale>.json` is the source of the locale's language (`en-GB` → `en.json`), byte for byte.
//! The sources' `dialog` and `prompts` sections (Amazon's own JSON: required slots, prompts,
//! confirmations, validations, delegation) are the dialog model, copied with the rest.
//! `--check` changes nothing and fails when a committed model is stale, missing or left over,
//! when Amazon's ask-smapi-model (in the venv of `cargo xtask setup`) rejects a generated model,
//! or when a dialog model is inconsistent: a prompt ID it references is not defined, a dialog
//! intent or slot is not in the language model with the same type, a required slot has no
//! elicitation prompt, or the languages of one skill differ in dialog structure. Generating runs
//! the consistency checks too.

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
};

use anyhow::{Context, bail};
use devstack::alexa::conversation::DialogModel;
use serde_json::Value;

/// The skill directories of this repository: the sample (`infra`) and every example that has
/// model sources.
pub(crate) fn skill_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![root.join("infra")];
    if let Ok(entries) = fs::read_dir(root.join("examples")) {
        let mut examples: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.join("models").is_dir())
            .collect();
        examples.sort();
        dirs.extend(examples);
    }
    dirs
}

/// Generates (or with `check`, verifies) the models of each of `dirs`.
pub(crate) fn run(dirs: &[PathBuf], check: bool) -> anyhow::Result<()> {
    let mut stale = Vec::new();
    let mut defects = Vec::new();
    for dir in dirs {
        defects.extend(dialog_defects(dir)?);
        let wanted = wanted_models(dir)?;
        if check {
            defects.extend(smapi_defects(&wanted)?);
        }
        let custom = dir.join("skill-package/interactionModels/custom");
        for (path, text) in &wanted {
            let current = fs::read_to_string(path).ok();
            if current.as_deref() == Some(text.as_str()) {
                continue;
            }
            if check {
                stale.push(format!("{} is stale or missing", path.display()));
            } else {
                fs::create_dir_all(&custom)
                    .with_context(|| format!("could not create {}", custom.display()))?;
                fs::write(path, text)
                    .with_context(|| format!("could not write {}", path.display()))?;
                eprintln!("xtask models: wrote {}", path.display());
            }
        }
        for leftover in leftover_models(&custom, &wanted)? {
            if check {
                stale.push(format!(
                    "{} is for a locale skill.json does not publish",
                    leftover.display()
                ));
            } else {
                fs::remove_file(&leftover)
                    .with_context(|| format!("could not remove {}", leftover.display()))?;
                eprintln!("xtask models: removed {}", leftover.display());
            }
        }
    }
    if !defects.is_empty() {
        bail!(
            "the interaction model sources have defects; fix them in models/<language>.json and \
             run `cargo xtask models`:\n{}",
            defects.join("\n")
        );
    }
    if !stale.is_empty() {
        bail!(
            "the interaction models are not generated from their sources; run `cargo xtask models`:\n{}",
            stale.join("\n")
        );
    }
    Ok(())
}

/// What is inconsistent in the dialog models of `dir`'s sources, one line each naming the file:
/// each language on its own (`DialogModel::problems`), then each language against the first.
fn dialog_defects(dir: &Path) -> anyhow::Result<Vec<String>> {
    let models = dir.join("models");
    let Ok(entries) = fs::read_dir(&models) else {
        return Ok(Vec::new());
    };
    let mut sources: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .collect();
    sources.sort();
    let mut defects = Vec::new();
    let mut first: Option<(PathBuf, Vec<String>)> = None;
    for source in sources {
        let text = fs::read_to_string(&source)
            .with_context(|| format!("could not read {}", source.display()))?;
        let model = match DialogModel::from_json(&text) {
            Ok(model) => model,
            Err(error) => {
                defects.push(format!("{}: {error}", source.display()));
                continue;
            }
        };
        defects.extend(
            model
                .problems()
                .into_iter()
                .map(|problem| format!("{}: {problem}", source.display())),
        );
        let structure = model.structure();
        match &first {
            None => first = Some((source, structure)),
            Some((first_source, first_structure)) if *first_structure != structure => {
                let only_here = structure
                    .iter()
                    .filter(|line| !first_structure.contains(line))
                    .chain(
                        first_structure
                            .iter()
                            .filter(|line| !structure.contains(line)),
                    )
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ");
                defects.push(format!(
                    "{}: its dialog differs from {}'s ({only_here}): every language of a skill \
                     has the same dialog (intents, slots, types, what is required, delegation, \
                     validations, prompt IDs); only the prompts' words differ",
                    source.display(),
                    first_source.display()
                ));
            }
            Some(_) => {}
        }
    }
    Ok(defects)
}

/// What Amazon's ask-smapi-model finds wrong with each generated model.
fn smapi_defects(wanted: &BTreeMap<PathBuf, String>) -> anyhow::Result<Vec<String>> {
    let mut models = Vec::new();
    for (path, text) in wanted {
        let model: Value = serde_json::from_str(text)
            .with_context(|| format!("{} would not be JSON", path.display()))?;
        models.push((path, model));
    }
    let judged: Vec<&Value> = models.iter().map(|(_, model)| model).collect();
    let found = devstack::ask_smapi_model::check_interaction_models(&judged).context(
        "checking the interaction models with ask-smapi-model (run `cargo xtask setup`?)",
    )?;
    Ok(models
        .iter()
        .zip(found)
        .flat_map(|((path, _), found)| {
            found
                .into_iter()
                .map(move |finding| format!("{}: ask-smapi-model: {finding}", path.display()))
        })
        .collect())
}

/// Each model file `dir` should have, with its text.
fn wanted_models(dir: &Path) -> anyhow::Result<BTreeMap<PathBuf, String>> {
    let manifest_path = dir.join("skill-package/skill.json");
    let manifest: Value = read_json(&manifest_path)?;
    let locales = manifest
        .pointer("/manifest/publishingInformation/locales")
        .and_then(Value::as_object)
        .with_context(|| {
            format!(
                "{} has no manifest.publishingInformation.locales: list the locales the skill is published in",
                manifest_path.display()
            )
        })?;
    let mut wanted = BTreeMap::new();
    for locale in locales.keys() {
        let language = locale.split(['-', '_']).next().unwrap_or(locale);
        let source = dir.join(format!("models/{language}.json"));
        let text = fs::read_to_string(&source).with_context(|| {
            format!(
                "{locale} is published but there is no model source for it: write {}",
                source.display()
            )
        })?;
        let model: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", source.display()))?;
        if model
            .pointer("/interactionModel/languageModel/intents")
            .and_then(Value::as_array)
            .is_none()
        {
            bail!(
                "{} is not an interaction model: it needs interactionModel.languageModel.intents",
                source.display()
            );
        }
        let text = if text.ends_with('\n') {
            text
        } else {
            text + "\n"
        };
        let target = dir.join(format!(
            "skill-package/interactionModels/custom/{locale}.json"
        ));
        wanted.insert(target, text);
    }
    Ok(wanted)
}

fn leftover_models(
    custom: &Path,
    wanted: &BTreeMap<PathBuf, String>,
) -> anyhow::Result<Vec<PathBuf>> {
    let Ok(entries) = fs::read_dir(custom) else {
        return Ok(Vec::new());
    };
    let mut leftovers = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("could not list {}", custom.display()))?
            .path();
        if path
            .extension()
            .is_some_and(|extension| extension == "json")
            && !wanted.contains_key(&path)
        {
            leftovers.push(path);
        }
    }
    leftovers.sort();
    Ok(leftovers)
}

fn read_json(path: &Path) -> anyhow::Result<Value> {
    let text =
        fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_models_are_generated_from_their_sources() {
        let root = crate::workspace_root();
        run(&skill_dirs(&root), true).unwrap_or_else(|error| panic!("{error:#}"));
    }

    #[test]
    fn a_stale_missing_or_leftover_model_fails_the_check_and_generation_fixes_it() {
        let dir = std::env::temp_dir().join(format!("xtask-models-{}", std::process::id()));
        let custom = dir.join("skill-package/interactionModels/custom");
        fs::create_dir_all(&custom).unwrap();
        fs::create_dir_all(dir.join("models")).unwrap();
        fs::write(
            dir.join("skill-package/skill.json"),
            r#"{"manifest": {"publishingInformation": {"locales": {"en-US": {}, "en-GB": {}}}}}"#,
        )
        .unwrap();
        let source =
            r#"{"interactionModel": {"languageModel": {"invocationName": "test", "intents": []}}}"#;
        fs::write(dir.join("models/en.json"), source).unwrap();
        fs::write(custom.join("en-US.json"), "{}\n").unwrap();
        fs::write(custom.join("fr-FR.json"), "{}\n").unwrap();
        let dirs = [dir.clone()];

        let message = format!("{:#}", run(&dirs, true).unwrap_err());
        assert!(
            message.contains("en-US.json is stale or missing"),
            "{message}"
        );
        assert!(
            message.contains("en-GB.json is stale or missing"),
            "{message}"
        );
        assert!(message.contains("fr-FR.json is for a locale"), "{message}");
        assert!(message.contains("cargo xtask models"), "{message}");

        run(&dirs, false).unwrap();
        run(&dirs, true).unwrap();
        assert_eq!(
            fs::read_to_string(custom.join("en-GB.json")).unwrap(),
            format!("{source}\n")
        );
        assert!(!custom.join("fr-FR.json").exists());

        fs::remove_file(dir.join("models/en.json")).unwrap();
        let message = format!("{:#}", run(&dirs, true).unwrap_err());
        assert!(
            message.contains("write ") && message.contains("models/en.json"),
            "{message}"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A skill directory publishing en-US and de-DE from `en` and `de`, generated.
    fn skill_with(name: &str, en: &Value, de: &Value) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-models-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("models")).unwrap();
        fs::create_dir_all(dir.join("skill-package")).unwrap();
        fs::write(
            dir.join("skill-package/skill.json"),
            r#"{"manifest": {"publishingInformation": {"locales": {"en-US": {}, "de-DE": {}}}}}"#,
        )
        .unwrap();
        fs::write(dir.join("models/en.json"), en.to_string()).unwrap();
        fs::write(dir.join("models/de.json"), de.to_string()).unwrap();
        dir
    }

    fn dialog_model(invocation: &str, prompt: &str) -> Value {
        serde_json::json!({"interactionModel": {
            "languageModel": {"invocationName": invocation, "intents": [
                {"name": "OrderIntent", "samples": ["order {drink}"],
                 "slots": [{"name": "drink", "type": "AMAZON.Food", "samples": ["{drink}"]}]}]},
            "dialog": {"delegationStrategy": "SKILL_RESPONSE", "intents": [{"name": "OrderIntent",
                "confirmationRequired": false, "prompts": {},
                "slots": [{"name": "drink", "type": "AMAZON.Food", "elicitationRequired": true,
                    "confirmationRequired": false, "prompts": {"elicitation": "Elicit.drink"}}]}]},
            "prompts": [{"id": "Elicit.drink", "variations": [{"type": "PlainText", "value": prompt}]}],
        }})
    }

    /// What `cargo xtask models --check` says after generating, or `None` when it passes.
    fn check_message(dir: &Path) -> Option<String> {
        let dirs = [dir.to_owned()];
        let _ = run(&dirs, false);
        let result = run(&dirs, true).err().map(|error| format!("{error:#}"));
        fs::remove_dir_all(dir).unwrap();
        result
    }

    #[test]
    fn a_consistent_dialog_model_in_two_languages_passes_the_check() {
        let dir = skill_with(
            "consistent",
            &dialog_model("coffee shop", "What would you like?"),
            &dialog_model("kaffeeladen", "Was möchtest du?"),
        );
        assert_eq!(check_message(&dir), None);
    }

    #[test]
    fn each_planted_dialog_defect_fails_the_check_naming_the_file() {
        let good_de = dialog_model("kaffeeladen", "Was möchtest du?");
        let mut missing_prompt = dialog_model("coffee shop", "What?");
        missing_prompt["interactionModel"]["prompts"] = serde_json::json!([]);
        let mut other_type = dialog_model("coffee shop", "What?");
        other_type["interactionModel"]["dialog"]["intents"][0]["slots"][0]["type"] =
            serde_json::json!("AMAZON.Drink");
        let mut no_elicitation = dialog_model("coffee shop", "What?");
        no_elicitation["interactionModel"]["dialog"]["intents"][0]["slots"][0]["prompts"] =
            serde_json::json!({});
        let mut unknown_intent = dialog_model("coffee shop", "What?");
        unknown_intent["interactionModel"]["dialog"]["intents"][0]["name"] =
            serde_json::json!("PayIntent");
        let mut other_structure = good_de.clone();
        other_structure["interactionModel"]["dialog"]["intents"][0]["confirmationRequired"] =
            serde_json::json!(false);
        other_structure["interactionModel"]["dialog"]["intents"][0]["slots"][0]["confirmationRequired"] =
            serde_json::json!(true);
        other_structure["interactionModel"]["dialog"]["intents"][0]["slots"][0]["prompts"]["confirmation"] =
            serde_json::json!("Elicit.drink");
        let mut smapi_rejects = dialog_model("coffee shop", "What?");
        smapi_rejects["interactionModel"]["dialog"]["delegationStrategy"] =
            serde_json::json!("SOMETIMES");
        let mut misspelled = dialog_model("coffee shop", "What?");
        misspelled["interactionModel"]["dialog"]["intents"][0]["slots"][0]["elicitationRequierd"] =
            serde_json::json!(true);
        for (name, en, de, expected) in [
            (
                "prompt",
                &missing_prompt,
                &good_de,
                "uses the prompt `Elicit.drink`, which `prompts` does not define",
            ),
            (
                "type",
                &other_type,
                &good_de,
                "has type `AMAZON.Drink` in the dialog but `AMAZON.Food` in the language model",
            ),
            (
                "elicitation",
                &no_elicitation,
                &good_de,
                "the elicitation of slot `drink` of dialog intent `OrderIntent` is required but has no prompt",
            ),
            (
                "intent",
                &unknown_intent,
                &good_de,
                "dialog intent `PayIntent` is not an intent of the language model",
            ),
            (
                "structure",
                &dialog_model("coffee shop", "What?"),
                &other_structure,
                "its dialog differs from",
            ),
            (
                "smapi",
                &smapi_rejects,
                &good_de,
                "ask-smapi-model: not a valid ask-smapi-model interaction model: 'SOMETIMES'",
            ),
            ("misspelled", &misspelled, &good_de, "elicitationRequierd"),
        ] {
            let dir = skill_with(name, en, de);
            let message = check_message(&dir).unwrap_or_else(|| panic!("{name}: the check passed"));
            assert!(message.contains(expected), "{name}: {message}");
            assert!(message.contains(".json"), "{name}: {message}");
        }
    }
}
