//! Builds a binary with cargo and asks cargo where it put it, so `CARGO_TARGET_DIR`,
//! `build.target-dir` and out-of-tree target directories all work.
//!
//! Cargo reports every artifact it produced as a `compiler-artifact` JSON message on stdout when
//! run with `--message-format=json-render-diagnostics` (the Cargo Book, "External tools", JSON
//! messages); the `executable` field is the binary's path. Diagnostics still go to stderr,
//! rendered as usual.

use std::{
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
    eprintln!("$ cargo {}", args.join(" "));
    let mut child = Command::new("cargo")
        .args(&args)
        .current_dir(root)
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
}
