//! The skill package read leniently for preflight: whatever cannot be read or parsed becomes a
//! finding, and the rest is still checked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Finding, Severity};
use crate::skill_package::{INTERACTION_MODELS_DIR, MANIFEST_FILE};

/// What could be read of a package.
#[derive(Debug, Default)]
pub(super) struct Package {
    pub(super) manifest_path: PathBuf,
    /// `manifest` of `skill.json`, when it parsed.
    pub(super) manifest: Option<Value>,
    /// Locale → (file, `interactionModel.languageModel`), for every model that parsed.
    pub(super) models: BTreeMap<String, (String, Value)>,
    /// Every locale the package names: the manifest's and the model files'.
    pub(super) locales: Vec<String>,
}

pub(super) fn read(directory: &Path, findings: &mut Vec<Finding>) -> Package {
    let manifest_path = directory.join(MANIFEST_FILE);
    let mut package = Package {
        manifest_path: manifest_path.clone(),
        ..Package::default()
    };
    let manifest_file = manifest_path.display().to_string();
    if let Some(json) = read_json(&manifest_path, findings) {
        match json.get("manifest") {
            Some(manifest) if manifest.is_object() => package.manifest = Some(manifest.clone()),
            _ => findings.push(input_error(
                &manifest_file,
                None,
                "has no \"manifest\" object",
                "start from the committed infra/skill-package/skill.json",
            )),
        }
    }
    let manifest_locales: Vec<String> = package
        .manifest
        .as_ref()
        .and_then(|manifest| manifest.pointer("/publishingInformation/locales"))
        .and_then(Value::as_object)
        .map(|locales| locales.keys().cloned().collect())
        .unwrap_or_default();

    let models_dir = directory.join(INTERACTION_MODELS_DIR);
    let mut model_files: Vec<(String, PathBuf)> = Vec::new();
    match std::fs::read_dir(&models_dir) {
        Ok(entries) => {
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(locale) = name.strip_suffix(".json") {
                    model_files.push((locale.to_owned(), path));
                } else if path.is_dir() {
                    // A folder per locale is not the ASK CLI layout: SMAPI would not see it.
                    findings.push(input_error(
                        &path.display().to_string(),
                        Some(&name),
                        "is a folder, but each locale's model is one file",
                        &format!("move its model to {INTERACTION_MODELS_DIR}/{name}.json"),
                    ));
                }
            }
        }
        Err(error) => findings.push(input_error(
            &models_dir.display().to_string(),
            None,
            &format!("cannot be read ({error})"),
            &format!(
                "put one interaction model per locale in {INTERACTION_MODELS_DIR}/<locale>.json \
                 (ASK CLI layout)"
            ),
        )),
    }
    model_files.sort();
    for (locale, path) in &model_files {
        let file = path.display().to_string();
        let Some(json) = read_json(path, findings) else {
            continue;
        };
        match json.pointer("/interactionModel/languageModel") {
            Some(language_model) if language_model.is_object() => {
                package
                    .models
                    .insert(locale.clone(), (file, language_model.clone()));
            }
            _ => findings.push(input_error(
                &file,
                Some(locale),
                "has no interactionModel.languageModel object",
                "generate it with `cargo xtask models`, or copy the committed sample's layout",
            )),
        }
    }
    for locale in &manifest_locales {
        if !model_files.iter().any(|(known, _)| known == locale) {
            findings.push(input_error(
                &models_dir.display().to_string(),
                Some(locale),
                "has no interaction model for a locale skill.json publishes",
                &format!(
                    "add {INTERACTION_MODELS_DIR}/{locale}.json, or remove {locale} from \
                     publishingInformation.locales"
                ),
            ));
        }
    }
    let mut locales = manifest_locales;
    for (locale, _) in model_files {
        if !locales.contains(&locale) {
            locales.push(locale);
        }
    }
    locales.sort();
    package.locales = locales;
    package
}

fn read_json(path: &Path, findings: &mut Vec<Finding>) -> Option<Value> {
    let file = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            findings.push(input_error(
                &file,
                None,
                &format!("cannot be read ({error})"),
                "check [skill] skill_package points at the ASK CLI skill-package folder",
            ));
            return None;
        }
    };
    match serde_json::from_str(&text) {
        Ok(value) => Some(value),
        Err(error) => {
            findings.push(input_error(
                &file,
                None,
                &format!("is not valid JSON ({error})"),
                "fix the JSON at that line and column (SMAPI refuses the whole package)",
            ));
            None
        }
    }
}

fn input_error(file: &str, locale: Option<&str>, problem: &str, fix: &str) -> Finding {
    Finding {
        severity: Severity::Error,
        rule: "package",
        file: file.to_owned(),
        locale: locale.map(str::to_owned),
        text: String::new(),
        problem: problem.to_owned(),
        fix: fix.to_owned(),
        source: None,
    }
}
