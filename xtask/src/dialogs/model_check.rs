//! Every request and response of a run, checked with Amazon's own model (ask-sdk-model).
//!
//! The judge is the check the skill's and the model crate's tests use,
//! `crates/alexa-model/tests/python/ask_model_check.py`: one Python process imports its `check`
//! function and answers one JSON line per envelope, so a run of many envelopes pays Python's
//! start-up once.

use std::{
    io::{BufRead as _, BufReader, Write as _},
    path::Path,
    process::{Command, Stdio},
};

use anyhow::{Context, bail};
use serde_json::{Value, json};

/// Reads envelopes as JSON lines and prints, for each, the JSON list of its differences.
const DRIVER: &str = r#"
import json, sys
sys.path.insert(0, sys.argv[1])
from ask_model_check import check
for line in sys.stdin:
    item = json.loads(line)
    try:
        found = check(item["kind"], json.dumps(item["envelope"]))
    except Exception as error:
        found = [f"not a valid ask-sdk-model {item['kind']} envelope: {error}"]
    print(json.dumps(found), flush=True)
"#;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EnvelopeKind {
    Request,
    Response,
}

impl EnvelopeKind {
    fn as_str(self) -> &'static str {
        match self {
            EnvelopeKind::Request => "request",
            EnvelopeKind::Response => "response",
        }
    }
}

/// One envelope of a dialog, with where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Envelope {
    pub(crate) kind: EnvelopeKind,
    pub(crate) json: Value,
    /// `step 3`.
    pub(crate) label: String,
}

/// For each envelope, in order, what ask-sdk-model found wrong with it (empty: nothing).
pub(crate) fn check_all(root: &Path, envelopes: &[&Envelope]) -> anyhow::Result<Vec<Vec<String>>> {
    if envelopes.is_empty() {
        return Ok(Vec::new());
    }
    let python = devstack::venv::venv_dir().join("bin/python");
    if !python.is_file() {
        bail!(
            "{} is missing: run `cargo xtask setup` to install ask-sdk-model",
            python.display()
        );
    }
    let script_directory = root.join("crates/alexa-model/tests/python");
    let mut child = Command::new(&python)
        .arg("-c")
        .arg(DRIVER)
        .arg(&script_directory)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start {}", python.display()))?;
    let lines: Vec<String> = envelopes
        .iter()
        .map(|envelope| {
            json!({"kind": envelope.kind.as_str(), "envelope": envelope.json}).to_string()
        })
        .collect();
    let mut stdin = child.stdin.take().context("python's stdin is piped")?;
    // Written from another thread: Python answers while we write, and both pipes are bounded.
    let writer = std::thread::spawn(move || -> std::io::Result<()> {
        for line in lines {
            writeln!(stdin, "{line}")?;
        }
        Ok(())
    });
    let stdout = child.stdout.take().context("python's stdout is piped")?;
    let mut results = Vec::with_capacity(envelopes.len());
    for line in BufReader::new(stdout).lines() {
        let line = line.context("reading ask-sdk-model's answers")?;
        let found: Vec<String> = serde_json::from_str(&line)
            .with_context(|| format!("ask-sdk-model's check printed something else: {line}"))?;
        results.push(found);
    }
    let output = child.wait_with_output().context("waiting for python")?;
    let _ = writer.join();
    if results.len() != envelopes.len() {
        bail!(
            "ask-sdk-model's check stopped after {} of {} envelopes: {}",
            results.len(),
            envelopes.len(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amazons_model_accepts_a_plain_answer_and_names_a_misspelled_field() {
        let root = crate::workspace_root();
        let good = Envelope {
            kind: EnvelopeKind::Response,
            json: json!({"version": "1.0", "response": {
                "outputSpeech": {"type": "PlainText", "text": "Goodbye!"},
                "shouldEndSession": true}}),
            label: "good".to_owned(),
        };
        let misspelled = Envelope {
            kind: EnvelopeKind::Response,
            json: json!({"version": "1.0", "response": {
                "outputSpeech": {"type": "PlainText", "text": "Hi"},
                "shouldEndSesion": true}}),
            label: "misspelled".to_owned(),
        };
        let results = check_all(&root, &[&good, &misspelled]).unwrap();
        assert_eq!(results[0], Vec::<String>::new());
        assert_eq!(results.len(), 2);
        assert!(
            results[1]
                .iter()
                .any(|line| line.contains("shouldEndSesion")),
            "{:?}",
            results[1]
        );
    }
}
