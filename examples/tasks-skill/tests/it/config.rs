//! The declared Tasks scope: the code's `TASKS_SCOPE` and `skill.example.toml` say the same, and
//! the configuration passes `provision check --offline` and deploys against the twins of AWS and
//! SMAPI (crates/provision/tests/it/deploy.rs) without the scope being in the toolkit's table.

use std::path::{Path, PathBuf};

use linked_skill::google_api::scopes::{self, ScopeDeclaration};
use provision::check::{Finding, Severity};
use provision::config::ClientSecret;
use serde::Deserialize;

pub fn example_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("skill.example.toml")
}

#[derive(Deserialize)]
struct File {
    google: Google,
}

#[derive(Deserialize)]
struct Google {
    scopes: Vec<String>,
    declared_scopes: Vec<ScopeDeclaration>,
}

#[test]
fn the_code_and_the_config_declare_the_same_tasks_scope() {
    let file: File = toml::from_str(&std::fs::read_to_string(example_config()).unwrap()).unwrap();
    assert_eq!(file.google.scopes, [tasks_skill::TASKS_SCOPE.name]);
    assert_eq!(
        scopes::lookup(tasks_skill::TASKS_SCOPE.name),
        None,
        "the example is about a scope the toolkit's table does not know"
    );
    let [declaration] = file.google.declared_scopes.as_slice() else {
        panic!("skill.example.toml declares exactly the Tasks scope");
    };
    assert!(
        declaration.agrees_with(&tasks_skill::TASKS_SCOPE),
        "skill.example.toml and TASKS_SCOPE disagree:\n{declaration:?}\n{:?}",
        tasks_skill::TASKS_SCOPE
    );
    let skill = tasks_skill::skill().build();
    for intent in skill.registered_intents() {
        assert_eq!(
            skill.scopes_of(intent),
            Some(&[&tasks_skill::TASKS_SCOPE][..]),
            "{intent}"
        );
    }
}

#[test]
fn the_example_config_passes_the_offline_check() {
    let config = provision::Config::load(&example_config()).unwrap();
    let tasks = config.google.scopes[0];
    assert_eq!(tasks.apis, [("Google Tasks API", "tasks.googleapis.com")]);
    let secret = Ok(ClientSecret::new("test-client-secret".to_owned()));
    let findings =
        provision::check::offline_findings(&config, &secret, &config.login_page_url(None));
    let problems: Vec<&Finding> = findings
        .iter()
        .filter(|finding| finding.severity == Severity::Problem)
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
    assert!(
        findings[0]
            .message
            .ends_with("skill.example.toml is valid (1 scopes, vendor M2AAAAAAAAAAAA)"),
        "{findings:?}"
    );
}

#[test]
fn google_setup_lists_the_declared_api_and_scope() {
    let config = provision::Config::load(&example_config()).unwrap();
    let checklist = provision::google_setup::checklist(&config, &config.login_page_url(None));
    for expected in [
        "   - Google Tasks API (tasks.googleapis.com)\n",
        "   - https://www.googleapis.com/auth/tasks (create, edit, organize and delete all tasks; \
         sensitive, needs app verification)\n",
    ] {
        assert!(
            checklist.contains(expected),
            "{expected:?} missing from:\n{checklist}"
        );
    }
}
