//! The deploy state file next to the config (`skill.toml` → `skill.deploy-state.json`), like the
//! ASK CLI's `.ask/ask-states.json`: the skill ID deploy created, and fingerprints of what it last
//! sent, so a rerun with nothing changed sends nothing. Not committed (`.gitignore`).
//!
//! A fingerprint is the SHA-256 of the exact bytes sent. The account-linking one covers the
//! client secret too: SMAPI never returns the secret, so comparing its GET answer with the body
//! cannot tell whether the secret changed (docs/smapi.md, "Account linking").

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What the last deploy left behind. Every field is optional: an absent one means "send it".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeployState {
    /// The skill deploy created (or was told about) and configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skill_id: Option<String>,
    /// The function the skill's endpoints point at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_arn: Option<String>,
    /// SHA-256 of the last skill package zip SMAPI imported successfully.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skill_package_sha256: Option<String>,
    /// SHA-256 of the last account-linking body SMAPI accepted, with the stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_linking_sha256: Option<String>,
}

/// Why the state file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    #[error(
        "cannot read the deploy state {path}: {reason}; delete it to start over (deploy then creates a new skill unless skill_id is set)"
    )]
    Unreadable { path: PathBuf, reason: String },
    #[error("cannot write the deploy state {path}: {reason}")]
    Unwritable { path: PathBuf, reason: String },
}

/// `<config dir>/<config stem>.deploy-state.json`.
pub fn state_path(config_path: &Path) -> PathBuf {
    let stem = config_path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or("skill");
    config_path.with_file_name(format!("{stem}.deploy-state.json"))
}

impl DeployState {
    /// The state at `path`, empty when there is no file yet.
    pub fn load(path: &Path) -> Result<DeployState, StateError> {
        let unreadable = |reason: String| StateError::Unreadable {
            path: path.to_owned(),
            reason,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|error| unreadable(error.to_string())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Ok(DeployState::default())
            }
            Err(error) => Err(unreadable(error.to_string())),
        }
    }

    /// Writes the state (a temporary file renamed over the old one).
    pub fn save(&self, path: &Path) -> Result<(), StateError> {
        let unwritable = |error: std::io::Error| StateError::Unwritable {
            path: path.to_owned(),
            reason: error.to_string(),
        };
        let mut text = serde_json::to_string_pretty(self).expect("the state serializes");
        text.push('\n');
        let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
        std::fs::write(&temporary, text).map_err(unwritable)?;
        std::fs::rename(&temporary, path).map_err(|error| {
            let _ = std::fs::remove_file(&temporary);
            unwritable(error)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_sits_next_to_the_config_and_round_trips() {
        assert_eq!(
            state_path(Path::new("/repo/skill.toml")),
            Path::new("/repo/skill.deploy-state.json")
        );
        let dir = std::env::temp_dir().join(format!("provision-state-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("skill.deploy-state.json");
        let _ = std::fs::remove_file(&path);
        assert_eq!(DeployState::load(&path).unwrap(), DeployState::default());
        let state = DeployState {
            skill_id: Some("amzn1.ask.skill.x".to_owned()),
            skill_package_sha256: Some("ab".to_owned()),
            ..DeployState::default()
        };
        state.save(&path).unwrap();
        assert_eq!(DeployState::load(&path).unwrap(), state);
        std::fs::write(&path, "not json").unwrap();
        assert!(
            DeployState::load(&path)
                .unwrap_err()
                .to_string()
                .contains("delete it to start over")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
