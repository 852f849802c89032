//! `cargo xtask models`: every locale's interaction model generated from one source per language.
//!
//! A skill directory holds `models/<language>.json` (an interaction model in the ASK CLI shape,
//! e.g. `models/en.json`) and `skill-package/skill.json`. For every locale the manifest publishes
//! (`manifest.publishingInformation.locales`), `skill-package/interactionModels/custom/
//! <locale>.json` is the source of the locale's language (`en-GB` → `en.json`), byte for byte.
//! `--check` changes nothing and fails when a committed model is stale, missing or left over.

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
};

use anyhow::{Context, bail};
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
    for dir in dirs {
        let wanted = wanted_models(dir)?;
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
    if !stale.is_empty() {
        bail!(
            "the interaction models are not generated from their sources; run `cargo xtask models`:\n{}",
            stale.join("\n")
        );
    }
    Ok(())
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
}
