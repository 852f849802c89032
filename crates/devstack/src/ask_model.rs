//! Amazon's own model of Alexa JSON, ask-sdk-model, as the judge of requests and responses.
//!
//! The check is `crates/alexa-model/tests/python/ask_model_check.py`, run with the Python venv of
//! `cargo xtask setup`: one Python process imports its `check` function and answers one JSON line
//! per envelope, so many envelopes pay Python's start-up once. A skill's tests call [`check`] on
//! what they send and receive; `cargo xtask dialogs` calls [`check_all`] on a whole run.

use std::{
    io::{BufRead as _, BufReader, Write as _},
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

/// Which envelope a JSON value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeKind {
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

/// For each envelope, in order, what ask-sdk-model found wrong with it (empty: nothing); an error
/// if the check could not run (the venv is missing, or Python stopped).
pub fn check_all(envelopes: &[(EnvelopeKind, &Value)]) -> anyhow::Result<Vec<Vec<String>>> {
    let lines: Vec<String> = envelopes
        .iter()
        .map(|(kind, envelope)| json!({"kind": kind.as_str(), "envelope": envelope}).to_string())
        .collect();
    run_judge("ask-sdk-model", DRIVER, lines)
}

/// Runs `driver` (Python, given alexa-model's check directory as its argument) in the venv of
/// `cargo xtask setup`, writes `lines` to it and reads one JSON list of findings per line.
pub(crate) fn run_judge(
    judge: &str,
    driver: &str,
    lines: Vec<String>,
) -> anyhow::Result<Vec<Vec<String>>> {
    if lines.is_empty() {
        return Ok(Vec::new());
    }
    let count = lines.len();
    let python = crate::venv::executable("python").map_err(anyhow::Error::msg)?;
    // Found at run time like the venv: a path compiled in could name another checkout.
    let script_directory = crate::venv::workspace_root()
        .map_err(anyhow::Error::msg)?
        .join("crates/alexa-model/tests/python");
    let mut child = Command::new(&python)
        .arg("-c")
        .arg(driver)
        .arg(&script_directory)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start {}", python.display()))?;
    let mut stdin = child.stdin.take().context("python's stdin is piped")?;
    // Written from another thread: Python answers while we write, and both pipes are bounded.
    let writer = std::thread::spawn(move || -> std::io::Result<()> {
        for line in lines {
            writeln!(stdin, "{line}")?;
        }
        Ok(())
    });
    let stdout = child.stdout.take().context("python's stdout is piped")?;
    let mut results = Vec::with_capacity(count);
    for line in BufReader::new(stdout).lines() {
        let line = line.with_context(|| format!("reading {judge}'s answers"))?;
        let found: Vec<String> = serde_json::from_str(&line)
            .with_context(|| format!("{judge}'s check printed something else: {line}"))?;
        results.push(found);
    }
    let output = child.wait_with_output().context("waiting for python")?;
    let _ = writer.join();
    if results.len() != count {
        bail!(
            "{judge}'s check stopped after {} of {count} inputs: {}",
            results.len(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(results)
}

/// Checks one envelope: `Err` names what ask-sdk-model found wrong (or why it could not run),
/// followed by the JSON.
pub fn check(kind: EnvelopeKind, json: &Value) -> Result<(), String> {
    let kind_name = kind.as_str();
    match check_all(&[(kind, json)]) {
        Ok(found) if found.iter().all(Vec::is_empty) => Ok(()),
        Ok(found) => Err(format!(
            "ask-sdk-model rejects this {kind_name}: {}\n{json:#}",
            found.concat().join("; ")
        )),
        Err(error) => Err(format!(
            "ask-sdk-model could not check this {kind_name}: {error:#}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amazons_model_accepts_a_plain_answer_and_names_a_misspelled_field() {
        let good = json!({"version": "1.0", "response": {
            "outputSpeech": {"type": "PlainText", "text": "Goodbye!"},
            "shouldEndSession": true}});
        let misspelled = json!({"version": "1.0", "response": {
            "outputSpeech": {"type": "PlainText", "text": "Hi"},
            "shouldEndSesion": true}});
        let results = check_all(&[
            (EnvelopeKind::Response, &good),
            (EnvelopeKind::Response, &misspelled),
        ])
        .unwrap();
        assert_eq!(results.len(), 2);
        assert_eq!(results[0], Vec::<String>::new());
        assert!(
            results[1]
                .iter()
                .any(|line| line.contains("shouldEndSesion")),
            "{:?}",
            results[1]
        );
        assert_eq!(check(EnvelopeKind::Response, &good), Ok(()));
        let rejected = check(EnvelopeKind::Response, &misspelled).unwrap_err();
        assert!(rejected.contains("shouldEndSesion"), "{rejected}");
    }
}
