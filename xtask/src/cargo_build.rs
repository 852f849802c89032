//! Builds a binary with cargo and asks cargo where it put it, so `CARGO_TARGET_DIR`,
//! `build.target-dir` and out-of-tree target directories all work.
//!
//! Cargo reports every artifact it produced as a `compiler-artifact` JSON message on stdout when
//! run with `--message-format=json-render-diagnostics` (the Cargo Book, "External tools", JSON
//! messages); the `executable` field is the binary's path. Diagnostics still go to stderr,
//! rendered as usual. Where our own outputs go (the Lambda zip) comes from `cargo metadata`'s
//! `target_directory`, the directory cargo itself resolved from the same settings.

use std::{
    collections::BTreeMap,
    ffi::OsString,
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use anyhow::{Context, bail};
use serde_json::Value;

/// Which profile to build with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Profile {
    Dev,
    Release,
}

/// `cargo build [--release] --package PACKAGE --bin BIN` in `root`; returns the path of the
/// built executable as cargo reports it.
pub(crate) fn build_binary(
    root: &Path,
    package: &str,
    bin: &str,
    profile: Profile,
) -> anyhow::Result<PathBuf> {
    Cargo::new(root).build_binary(package, bin, profile)
}

/// Runs cargo in one project directory with extra environment variables (tests set
/// `CARGO_TARGET_DIR` here instead of in their own process, which other tests share).
#[derive(Debug, Clone)]
pub(crate) struct Cargo {
    root: PathBuf,
    environment: Vec<(OsString, OsString)>,
}

impl Cargo {
    pub(crate) fn new(root: &Path) -> Self {
        Self {
            root: root.to_owned(),
            environment: Vec::new(),
        }
    }

    /// Sets a variable for every cargo run of this value.
    #[cfg(test)]
    pub(crate) fn env(mut self, name: &str, value: impl Into<OsString>) -> Self {
        self.environment.push((name.into(), value.into()));
        self
    }

    fn command(&self) -> Command {
        let mut command = Command::new("cargo");
        command
            .current_dir(&self.root)
            .envs(self.environment.iter().map(|(name, value)| (name, value)));
        command
    }

    /// `cargo build [--release] --package PACKAGE --bin BIN`; returns the path of the built
    /// executable as cargo reports it.
    pub(crate) fn build_binary(
        &self,
        package: &str,
        bin: &str,
        profile: Profile,
    ) -> anyhow::Result<PathBuf> {
        self.build_binary_with(package, bin, profile, &[])
    }

    /// [`Self::build_binary`] with more arguments for `cargo build` (feature flags).
    pub(crate) fn build_binary_with(
        &self,
        package: &str,
        bin: &str,
        profile: Profile,
        extra: &[String],
    ) -> anyhow::Result<PathBuf> {
        let mut args = vec![
            "build",
            "--message-format=json-render-diagnostics",
            "--package",
            package,
            "--bin",
            bin,
        ];
        if profile == Profile::Release {
            args.push("--release");
        }
        args.extend(extra.iter().map(String::as_str));
        eprintln!("$ cargo {}", args.join(" "));
        let mut child = self
            .command()
            .args(&args)
            .stdout(Stdio::piped())
            .spawn()
            .context("could not start `cargo`: is it installed and on PATH?")?;
        let stdout = child.stdout.take().context("cargo's stdout is piped")?;
        let mut executable = None;
        for line in BufReader::new(stdout).lines() {
            let line = line.context("could not read cargo's output")?;
            if let Some(path) = executable_of(&line, bin) {
                executable = Some(path);
            }
        }
        let status = child.wait().context("cargo did not finish")?;
        if !status.success() {
            bail!("`cargo {}` failed with {status}", args.join(" "));
        }
        executable.with_context(|| {
            format!("cargo built `{package}` but reported no executable named `{bin}`")
        })
    }

    /// The target directory cargo uses for this project (`CARGO_TARGET_DIR`, `build.target-dir`
    /// or `<workspace>/target`), from `cargo metadata`.
    pub(crate) fn target_directory(&self) -> anyhow::Result<PathBuf> {
        target_directory_of(&self.metadata()?)
    }

    /// The features `package` declares (`[features]`, with `default`), from `cargo metadata`;
    /// `None` when the workspace has no such package.
    pub(crate) fn package_features(
        &self,
        package: &str,
    ) -> anyhow::Result<Option<BTreeMap<String, Vec<String>>>> {
        package_features_of(&self.metadata()?, package)
    }

    /// `cargo metadata --format-version 1 --no-deps`, as printed.
    fn metadata(&self) -> anyhow::Result<Vec<u8>> {
        let output = self
            .command()
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .stderr(Stdio::inherit())
            .output()
            .context("could not start `cargo metadata`: is cargo installed and on PATH?")?;
        if !output.status.success() {
            bail!("`cargo metadata` failed with {}", output.status);
        }
        Ok(output.stdout)
    }
}

/// The `features` of the package named `package` in `cargo metadata` output.
fn package_features_of(
    metadata: &[u8],
    package: &str,
) -> anyhow::Result<Option<BTreeMap<String, Vec<String>>>> {
    let metadata: Value =
        serde_json::from_slice(metadata).context("`cargo metadata` printed no JSON")?;
    let packages = metadata["packages"]
        .as_array()
        .context("`cargo metadata` printed no packages")?;
    let Some(found) = packages.iter().find(|found| found["name"] == package) else {
        return Ok(None);
    };
    serde_json::from_value(found["features"].clone())
        .map(Some)
        .with_context(|| format!("`cargo metadata` printed no features for `{package}`"))
}

/// `target_directory` of `cargo metadata` output.
fn target_directory_of(metadata: &[u8]) -> anyhow::Result<PathBuf> {
    let metadata: Value =
        serde_json::from_slice(metadata).context("`cargo metadata` printed no JSON")?;
    metadata["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .context("`cargo metadata` printed no target_directory")
}

/// The `executable` of a `compiler-artifact` message for the binary target `bin`.
fn executable_of(line: &str, bin: &str) -> Option<PathBuf> {
    let message: Value = serde_json::from_str(line).ok()?;
    if message["reason"] != "compiler-artifact" || message["target"]["name"] != bin {
        return None;
    }
    let is_bin = message["target"]["kind"]
        .as_array()
        .is_some_and(|kinds| kinds.iter().any(|kind| kind == "bin"));
    if !is_bin {
        return None;
    }
    message["executable"].as_str().map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_executable_of_the_named_binary_only() {
        let binary = r#"{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"skill"},"executable":"/elsewhere/debug/skill"}"#;
        let library = r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"skill"},"executable":null}"#;
        let other = r#"{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"devstack"},"executable":"/elsewhere/debug/devstack"}"#;
        assert_eq!(
            executable_of(binary, "skill"),
            Some(PathBuf::from("/elsewhere/debug/skill"))
        );
        assert_eq!(executable_of(library, "skill"), None);
        assert_eq!(executable_of(other, "skill"), None);
        assert_eq!(executable_of("not json", "skill"), None);
        assert_eq!(
            executable_of(r#"{"reason":"build-finished","success":true}"#, "skill"),
            None
        );
    }

    #[test]
    fn reads_the_features_of_the_named_package() {
        let metadata = br#"{"packages":[
            {"name":"other","features":{}},
            {"name":"skill","features":{"default":["serve"],"serve":["linked-skill/serve"]}}
        ],"target_directory":"/t"}"#;
        let features = package_features_of(metadata, "skill").unwrap().unwrap();
        assert_eq!(features["default"], ["serve"]);
        assert_eq!(features["serve"], ["linked-skill/serve"]);
        assert!(
            package_features_of(metadata, "other")
                .unwrap()
                .unwrap()
                .is_empty()
        );
        assert_eq!(package_features_of(metadata, "missing").unwrap(), None);
        assert!(package_features_of(b"{}", "skill").is_err());
    }

    #[test]
    fn reads_the_target_directory_of_cargo_metadata() {
        assert_eq!(
            target_directory_of(br#"{"packages":[],"target_directory":"/out/of/tree"}"#).unwrap(),
            PathBuf::from("/out/of/tree")
        );
        assert!(target_directory_of(b"{}").is_err());
    }
}
