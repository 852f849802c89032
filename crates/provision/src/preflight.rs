//! `provision preflight`: what Amazon's certification and Google's verification would refuse,
//! checked offline before anything is deployed (docs/preflight.md). Every locale of the skill
//! package and the account-linking settings of `skill.toml`; one [`Finding`] per problem with
//! its severity, file, locale, the offending text, the fix and the public rule it comes from.
//!
//! The rules are data (word lists and sources in `rules.rs`) and small functions, one per rule,
//! over a leniently read package (`package.rs`): bad input is a finding, never a panic.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::{Config, ConfigError, Overrides};

mod linking;
mod model;
mod package;
pub mod rules;

pub use rules::Source;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// Something to do that no check can settle offline (e.g. the redirect URIs to register).
    Note,
    /// Publishing works, but users or reviewers will meet it (verification, a placeholder URL).
    Warning,
    /// Amazon or Google refuses it: preflight exits non-zero and deploy stops.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem, on one line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// The rule's stable name, e.g. `invocation-name.launch-phrase`.
    pub rule: &'static str,
    /// The file the text is in, as given (relative to where preflight ran, or absolute).
    pub file: String,
    /// The locale the text belongs to, when it belongs to one.
    pub locale: Option<String>,
    /// The offending text itself (never a secret: preflight reads no secret).
    pub text: String,
    pub problem: String,
    pub fix: String,
    /// The public document the rule comes from; `None` for this tool's own input rules.
    pub source: Option<&'static Source>,
}

impl fmt::Display for Finding {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{}[{}] {}",
            self.severity.as_str(),
            self.rule,
            self.file
        )?;
        if let Some(locale) = &self.locale {
            write!(formatter, " ({locale})")?;
        }
        if !self.text.is_empty() {
            write!(formatter, ": {:?}", self.text)?;
        }
        write!(formatter, ": {}; fix: {}", self.problem, self.fix)?;
        if let Some(source) = self.source {
            write!(formatter, " [{}: {}]", source.title, source.url)?;
        }
        Ok(())
    }
}

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct PreflightInput {
    /// `skill.toml`; its `[skill] skill_package` names the package.
    pub config_path: PathBuf,
    pub overrides: Overrides,
    /// The scopes the skill's handlers need (`--needed-scopes`); `None` skips that comparison.
    pub needed_scopes: Option<Vec<String>>,
}

/// Every finding, errors first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|finding| finding.severity == severity)
            .count()
    }

    /// One line per finding and a summary line.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for finding in &self.findings {
            text.push_str(&finding.to_string());
            text.push('\n');
        }
        text.push_str(&format!(
            "preflight: {} error(s), {} warning(s), {} note(s)\n",
            self.error_count(),
            self.count(Severity::Warning),
            self.count(Severity::Note)
        ));
        text
    }

    /// `{"errors": n, "warnings": n, "findings": [...]}` for CI.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&serde_json::json!({
            "errors": self.error_count(),
            "warnings": self.count(Severity::Warning),
            "findings": self.findings,
        }))
        .expect("findings serialize")
    }
}

/// Runs every rule. Never fails: an unreadable config or package is itself a finding.
pub fn run(input: &PreflightInput) -> Report {
    let mut findings = Vec::new();
    let config = match Config::load_with_overrides(&input.config_path, &input.overrides) {
        Ok(config) => Some(config),
        Err(error) => {
            findings.extend(config_findings(&input.config_path, &error));
            None
        }
    };
    let package_dir = match &config {
        Some(config) => config.skill.skill_package.clone(),
        None => package_dir_from_raw_config(&input.config_path),
    };
    let package = package::read(&package_dir, &mut findings);
    model::check(&package, &mut findings);
    linking::check_privacy(&package, &mut findings);
    if let Some(config) = &config {
        linking::check_account_linking(config, &mut findings);
        linking::check_google(config, input.needed_scopes.as_deref(), &mut findings);
    }
    findings.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    Report { findings }
}

fn config_findings(path: &Path, error: &ConfigError) -> Vec<Finding> {
    let file = path.display().to_string();
    match error {
        ConfigError::Invalid { problems } => problems
            .iter()
            .map(|problem| Finding {
                severity: Severity::Error,
                rule: "config",
                file: problem.origin.clone(),
                locale: None,
                text: problem.key.clone(),
                problem: problem.problem.clone(),
                fix: if problem.fix.is_empty() {
                    "see skill.example.toml".to_owned()
                } else {
                    problem.fix.clone()
                },
                source: None,
            })
            .collect(),
        other => vec![Finding {
            severity: Severity::Error,
            rule: "config",
            file,
            locale: None,
            text: String::new(),
            problem: other.to_string(),
            fix: "start from skill.example.toml; the account-linking rules are checked once the \
                  config loads"
                .to_owned(),
            source: None,
        }],
    }
}

/// `[skill] skill_package` read from a config that did not validate, so the package is still
/// checked; the default folder when the file does not even parse.
fn package_dir_from_raw_config(config_path: &Path) -> PathBuf {
    let folder = config_path.parent().unwrap_or(Path::new(""));
    let configured = std::fs::read_to_string(config_path)
        .ok()
        .and_then(|text| toml::from_str::<toml::Table>(&text).ok())
        .and_then(|table| {
            table
                .get("skill")?
                .get("skill_package")?
                .as_str()
                .map(str::to_owned)
        });
    folder.join(
        configured
            .as_deref()
            .unwrap_or(crate::config::DEFAULT_SKILL_PACKAGE),
    )
}
