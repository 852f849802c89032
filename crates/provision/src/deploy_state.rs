//! The deploy state file next to the config (`skill.toml` → `skill.deploy-state.json`), like the
//! ASK CLI's `.ask/ask-states.json`: the skill ID deploy created, and fingerprints of what it last
//! sent, so a rerun with nothing changed sends nothing. Not committed (`.gitignore`).
//!
//! A fingerprint is the SHA-256 of the exact bytes sent. The account-linking one covers the
//! client secret too: SMAPI never returns the secret, so comparing its GET answer with the body
//! cannot tell whether the secret changed (docs/smapi.md, "Account linking").
//!
//! The file is written owner-only (0600), atomically (a temporary file, fsync, rename, fsync of
//! the directory), and a deploy holds [`DeployLock`] on `<stem>.deploy-state.lock` while it runs,
//! so two deploys from one checkout cannot interleave their writes.

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
    /// Users' state tables a `destroy` kept after deleting their stack: once the stack is gone
    /// nothing in AWS names them, so `destroy --delete-data` finds them here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retained_state_tables: Vec<RetainedStateTable>,
}

/// A users' state table its stack no longer holds, with its region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetainedStateTable {
    pub region: String,
    pub table: String,
}

/// Why the state file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    #[error(
        "cannot read the deploy state {path}: {reason}; delete it to start over (deploy then takes the skill the stack serves, and creates one only when there is no stack and no skill_id)"
    )]
    Unreadable { path: PathBuf, reason: String },
    #[error("cannot write the deploy state {path}: {reason}")]
    Unwritable { path: PathBuf, reason: String },
    #[error(
        "another deploy or destroy of this config is running (it holds {path}): wait for it to \
         end, then run this again"
    )]
    Locked { path: PathBuf },
}

/// Held while a deploy or destroy runs; the lock is released when this is dropped or the
/// process ends (an advisory `flock`, so a crashed deploy leaves no stale lock behind).
#[derive(Debug)]
pub struct DeployLock {
    _file: std::fs::File,
}

impl DeployLock {
    /// Locks the state file at `state_path` (through `<stem>.deploy-state.lock` next to it),
    /// or says that another deploy holds it.
    pub fn acquire(state_path: &Path) -> Result<DeployLock, StateError> {
        let path = lock_path(state_path);
        let unwritable = |error: std::io::Error| StateError::Unwritable {
            path: path.clone(),
            reason: error.to_string(),
        };
        let file = owner_only_options()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(unwritable)?;
        match file.try_lock() {
            Ok(()) => Ok(DeployLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(StateError::Locked { path }),
            Err(std::fs::TryLockError::Error(error)) => Err(unwritable(error)),
        }
    }
}

/// `<dir>/<stem>.deploy-state.lock` for `<dir>/<stem>.deploy-state.json`.
pub fn lock_path(state_path: &Path) -> PathBuf {
    state_path.with_extension("lock")
}

/// Options that create a file readable and writable by its owner only.
fn owner_only_options() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options
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

    /// Writes the state atomically and durably: an owner-only temporary file, fsync, rename over
    /// the old one, fsync of the directory. A crash leaves the old state or the new one, never a
    /// torn file; the skill ID in it is what keeps the next deploy from creating another skill.
    pub fn save(&self, path: &Path) -> Result<(), StateError> {
        use std::io::Write as _;
        let unwritable = |error: std::io::Error| StateError::Unwritable {
            path: path.to_owned(),
            reason: error.to_string(),
        };
        let mut text = serde_json::to_string_pretty(self).expect("the state serializes");
        text.push('\n');
        let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
        let written = (|| {
            let _ = std::fs::remove_file(&temporary);
            let mut file = owner_only_options()
                .write(true)
                .create_new(true)
                .open(&temporary)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&temporary, path)?;
            sync_directory(path)
        })();
        written.map_err(|error| {
            let _ = std::fs::remove_file(&temporary);
            unwritable(error)
        })
    }
}

/// Makes the rename itself durable: fsync of the directory holding `path` (Unix only; Windows
/// has no directory handles to sync).
fn sync_directory(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let directory = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        std::fs::File::open(directory)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
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

    #[cfg(unix)]
    #[test]
    fn the_state_is_owner_only_even_over_a_world_readable_file() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = std::env::temp_dir().join(format!("provision-state-mode-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("skill.deploy-state.json");
        std::fs::write(&path, "{}").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let state = DeployState {
            skill_id: Some("amzn1.ask.skill.x".to_owned()),
            ..DeployState::default()
        };
        state.save(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
        assert_eq!(DeployState::load(&path).unwrap(), state);
        // No temporary file is left next to it.
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["skill.deploy-state.json"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_second_deploy_of_the_same_config_is_refused_while_the_first_holds_the_lock() {
        let dir = std::env::temp_dir().join(format!("provision-state-lock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("skill.deploy-state.json");
        let first = DeployLock::acquire(&path).unwrap();
        let error = DeployLock::acquire(&path).unwrap_err();
        assert!(matches!(error, StateError::Locked { .. }), "{error}");
        expect_test::expect!["another deploy or destroy of this config is running (it holds /x/skill.deploy-state.lock): wait for it to end, then run this again"]
            .assert_eq(&error.to_string().replace(&dir.display().to_string(), "/x"));
        drop(first);
        let again = DeployLock::acquire(&path);
        assert!(again.is_ok(), "the lock is free once the first deploy ends");
        drop(again);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
