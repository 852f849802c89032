//! The skill package (`skill.json` and `interactionModels/custom/<locale>.json`, the ASK CLI
//! layout) as deploy sends it to SMAPI: read from a directory, the manifest's endpoints set to
//! the deployed function (or removed, for creating a new skill before the function exists), and
//! zipped with the files at the zip's root (docs/smapi.md, "Skill package format").
//!
//! The zip is deterministic (sorted entries, fixed timestamps), so its SHA-256 says whether the
//! package changed since the last deploy.

use std::collections::BTreeMap;
use std::io::{Cursor, Write as _};
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest as _, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The manifest file of a package.
pub const MANIFEST_FILE: &str = "skill.json";
/// Where the custom interaction models are, one file per locale.
pub const INTERACTION_MODELS_DIR: &str = "interactionModels/custom";

/// A package read from disk: the manifest and each locale's interaction model.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillPackage {
    /// `{"manifest": …}`.
    pub manifest: Value,
    /// Locale → `{"interactionModel": …}`.
    pub interaction_models: BTreeMap<String, Value>,
}

/// Where the manifest should send Alexa's requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// No endpoint: how a skill is created before its function exists (SMAPI refuses a Lambda
    /// endpoint without a trigger for the skill, and the trigger needs the skill's ID).
    None,
    /// The deployed function for requests and for skill events.
    Lambda { function_arn: String },
    /// A function per region (docs/deploy.md, "Regions"): `function_arn` as the default
    /// endpoint, and each Alexa region's own function under `apis.custom.regions` and
    /// `events.regions`, so Alexa calls the function nearest the user.
    Regional {
        function_arn: String,
        regions: Vec<(crate::config::AlexaRegion, String)>,
    },
}

/// Why the package could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PackageError {
    #[error(
        "cannot read {path}: {reason}; is [skill] skill_package the ASK CLI skill-package folder?"
    )]
    Unreadable { path: PathBuf, reason: String },
    #[error("{path} is not valid JSON ({reason})")]
    NotJson { path: PathBuf, reason: String },
    #[error("{path} has no \"manifest\" object")]
    NoManifest { path: PathBuf },
    #[error("could not zip the skill package: {0}")]
    Zip(String),
}

impl SkillPackage {
    /// Reads `directory/skill.json` and every `directory/interactionModels/custom/*.json`.
    pub fn read(directory: &Path) -> Result<SkillPackage, PackageError> {
        let manifest_path = directory.join(MANIFEST_FILE);
        let manifest = read_json(&manifest_path)?;
        if !manifest.get("manifest").is_some_and(Value::is_object) {
            return Err(PackageError::NoManifest {
                path: manifest_path,
            });
        }
        let models_dir = directory.join(INTERACTION_MODELS_DIR);
        let entries = std::fs::read_dir(&models_dir).map_err(|error| PackageError::Unreadable {
            path: models_dir.clone(),
            reason: error.to_string(),
        })?;
        let mut interaction_models = BTreeMap::new();
        for entry in entries {
            let path = entry
                .map_err(|error| PackageError::Unreadable {
                    path: models_dir.clone(),
                    reason: error.to_string(),
                })?
                .path();
            if let Some(locale) = path
                .file_name()
                .and_then(|name| name.to_str())
                .and_then(|name| name.strip_suffix(".json"))
            {
                interaction_models.insert(locale.to_owned(), read_json(&path)?);
            }
        }
        Ok(SkillPackage {
            manifest,
            interaction_models,
        })
    }

    /// The manifest with `apis.custom.endpoint` and `events.endpoint` set to `endpoint`. With
    /// [`Endpoint::None`] both are removed, and so is the whole `events` block, whose
    /// subscriptions SMAPI accepts only with an endpoint.
    pub fn manifest_with(&self, endpoint: &Endpoint) -> Value {
        let mut manifest = self.manifest.clone();
        let body = &mut manifest["manifest"];
        match endpoint {
            Endpoint::None => {
                if let Some(custom) = body
                    .get_mut("apis")
                    .and_then(|apis| apis.get_mut("custom"))
                    .and_then(Value::as_object_mut)
                {
                    custom.remove("endpoint");
                    custom.remove("regions");
                }
                if let Some(object) = body.as_object_mut() {
                    object.remove("events");
                }
            }
            Endpoint::Lambda { function_arn } => {
                body["apis"]["custom"]["endpoint"] = serde_json::json!({"uri": function_arn});
                if body.get("events").is_some_and(Value::is_object) {
                    body["events"]["endpoint"] = serde_json::json!({"uri": function_arn});
                }
            }
            Endpoint::Regional {
                function_arn,
                regions,
            } => {
                let regional: serde_json::Map<String, Value> = regions
                    .iter()
                    .map(|(region, arn)| {
                        (
                            region.as_str().to_owned(),
                            serde_json::json!({"endpoint": {"uri": arn}}),
                        )
                    })
                    .collect();
                body["apis"]["custom"]["endpoint"] = serde_json::json!({"uri": function_arn});
                body["apis"]["custom"]["regions"] = Value::Object(regional.clone());
                // SMAPI's manifest has regional event endpoints too (docs/smapi.md).
                if body.get("events").is_some_and(Value::is_object) {
                    body["events"]["endpoint"] = serde_json::json!({"uri": function_arn});
                    body["events"]["regions"] = Value::Object(regional);
                }
            }
        }
        manifest
    }

    /// The zip SMAPI imports: `skill.json` and the models at its root, deflated, in sorted
    /// order with a fixed timestamp.
    pub fn zip(&self, endpoint: &Endpoint) -> Result<Vec<u8>, PackageError> {
        let zip_error = |error: &dyn std::fmt::Display| PackageError::Zip(error.to_string());
        let mut files: Vec<(String, Vec<u8>)> = vec![(
            MANIFEST_FILE.to_owned(),
            pretty(&self.manifest_with(endpoint)),
        )];
        for (locale, model) in &self.interaction_models {
            files.push((
                format!("{INTERACTION_MODELS_DIR}/{locale}.json"),
                pretty(model),
            ));
        }
        files.sort();
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .unix_permissions(0o644)
            .last_modified_time(DateTime::default());
        for (name, bytes) in files {
            writer
                .start_file(name, options)
                .map_err(|error| zip_error(&error))?;
            writer
                .write_all(&bytes)
                .map_err(|error| zip_error(&error))?;
        }
        Ok(writer
            .finish()
            .map_err(|error| zip_error(&error))?
            .into_inner())
    }

    /// What a user says to start the skill in `locale`: the model's invocation name.
    pub fn invocation_name(&self, locale: &str) -> Option<&str> {
        self.interaction_models.get(locale)?["interactionModel"]["languageModel"]["invocationName"]
            .as_str()
    }

    /// The locales that have an interaction model.
    pub fn locales(&self) -> Vec<&str> {
        self.interaction_models.keys().map(String::as_str).collect()
    }
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn pretty(value: &Value) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values serialize");
    text.push('\n');
    text.into_bytes()
}

fn read_json(path: &Path) -> Result<Value, PackageError> {
    let text = std::fs::read_to_string(path).map_err(|error| PackageError::Unreadable {
        path: path.to_owned(),
        reason: error.to_string(),
    })?;
    serde_json::from_str(&text).map_err(|error| PackageError::NotJson {
        path: path.to_owned(),
        reason: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SkillPackage {
        SkillPackage::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../infra/skill-package"))
            .expect("the sample package reads")
    }

    #[test]
    fn endpoints_are_set_or_removed_and_the_zip_is_deterministic() {
        let package = sample();
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:skill";
        let with = package.manifest_with(&Endpoint::Lambda {
            function_arn: arn.to_owned(),
        });
        assert_eq!(with["manifest"]["apis"]["custom"]["endpoint"]["uri"], arn);
        assert_eq!(with["manifest"]["events"]["endpoint"]["uri"], arn);
        let subscriptions: Vec<&str> = with["manifest"]["events"]["subscriptions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|subscription| subscription["eventName"].as_str().unwrap())
            .collect();
        assert_eq!(subscriptions, ["SKILL_ACCOUNT_LINKED", "SKILL_DISABLED"]);
        let without = package.manifest_with(&Endpoint::None);
        assert!(
            without["manifest"]["apis"]["custom"]
                .get("endpoint")
                .is_none()
        );
        assert!(without["manifest"].get("events").is_none());
        assert!(without["manifest"]["apis"]["custom"].is_object());

        let endpoint = Endpoint::Lambda {
            function_arn: arn.to_owned(),
        };
        let zip = package.zip(&endpoint).unwrap();
        assert_eq!(package.zip(&endpoint).unwrap(), zip);
        assert_ne!(package.zip(&Endpoint::None).unwrap(), zip);
        let archive = zip::ZipArchive::new(Cursor::new(&zip)).unwrap();
        let names: Vec<String> = archive
            .file_names()
            .map(|name| name.unwrap().into_owned())
            .collect();
        assert!(names.contains(&"skill.json".to_owned()), "{names:?}");
        assert!(
            names.contains(&"interactionModels/custom/en-US.json".to_owned()),
            "{names:?}"
        );
        assert_eq!(package.invocation_name("en-US"), Some("cloud companion"));
    }

    #[test]
    fn a_missing_package_names_the_setting() {
        let error = SkillPackage::read(Path::new("/nonexistent/skill-package")).unwrap_err();
        assert!(
            error.to_string().contains("[skill] skill_package"),
            "{error}"
        );
    }
}
