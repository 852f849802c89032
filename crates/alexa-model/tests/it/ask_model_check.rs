//! Runs `tests/python/ask_model_check.py` (Amazon's Python model) on JSON this crate produced.
//!
//! Self-contained on purpose: another crate's tests (the skill's) can copy this file and only
//! adjust the two paths.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Which envelope the JSON is.
#[derive(Clone, Copy, Debug)]
pub enum EnvelopeKind {
    Request,
    Response,
}

/// The workspace's Python venv with ask-sdk-model, made by `cargo xtask setup`: `venv` in the
/// target directory, found when the test runs as `devstack::venv` finds it (this crate keeps its
/// own copy to stay free of devstack).
pub fn venv_python() -> PathBuf {
    // `cargo test` runs the tests in this crate's directory; the workspace root is the nearest
    // manifest above with a `[workspace]` table.
    let current = std::env::current_dir().expect("the current directory is readable");
    let root = current
        .ancestors()
        .find(|directory| {
            std::fs::read_to_string(directory.join("Cargo.toml")).is_ok_and(|manifest| {
                manifest.lines().any(|line| {
                    let header = line.split('#').next().unwrap_or_default().trim();
                    header == "[workspace]" || header.starts_with("[workspace.")
                })
            })
        })
        .expect("the tests run inside the cargo workspace");
    let target = ["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"]
        .into_iter()
        .find_map(|name| std::env::var_os(name).filter(|value| !value.is_empty()))
        .map_or_else(|| root.join("target"), |directory| root.join(directory));
    let python = target.join("venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `cargo xtask setup` to install the Python venv",
        python.display()
    );
    python
}

/// Checks `json` with ask-sdk-model: `Err` carries the script's stderr (the differences), or why
/// the script could not run. Panics if the venv is missing, with the command that installs it.
pub fn ask_model_check(kind: EnvelopeKind, json: &str) -> Result<(), String> {
    let python = venv_python();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python/ask_model_check.py");
    let kind_argument = match kind {
        EnvelopeKind::Request => "request",
        EnvelopeKind::Response => "response",
    };
    let mut child = Command::new(&python)
        .arg(&script)
        .arg(kind_argument)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot start {}: {error}", python.display()))?;
    // Dropping stdin after writing closes the pipe, so the script sees end of input.
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(json.as_bytes())
            .map_err(|error| format!("cannot write JSON to ask_model_check.py: {error}"))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|error| format!("ask_model_check.py did not finish: {error}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ask_model_check.py {kind_argument} exited with {}:\n{}\nJSON was:\n{json}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

#[test]
fn the_checker_rejects_a_misnamed_field() {
    let misnamed =
        r#"{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","txt":"hi"}}}"#;
    let error = ask_model_check(EnvelopeKind::Response, misnamed).unwrap_err();
    assert!(
        error.contains("$.response.outputSpeech.txt: dropped"),
        "{error}"
    );
}

#[test]
fn the_checker_rejects_a_wrong_type() {
    let wrong_type = r#"{"version":"1.0","response":{"shouldEndSession":"true"}}"#;
    let error = ask_model_check(EnvelopeKind::Response, wrong_type).unwrap_err();
    assert!(error.contains("$.response.shouldEndSession"), "{error}");
}

#[test]
fn the_checker_rejects_an_unknown_card_type() {
    let unknown_card = r#"{"version":"1.0","response":{"card":{"type":"LinkAcount"}}}"#;
    let error = ask_model_check(EnvelopeKind::Response, unknown_card).unwrap_err();
    assert!(
        error.contains("not a valid ask-sdk-model response envelope"),
        "{error}"
    );
}
