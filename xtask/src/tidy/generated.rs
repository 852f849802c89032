//! Generated files are fresh: the interaction models, and the tests that hold other generated
//! trees to their generators.

use std::{fs, path::Path};

use super::{Finding, Rule, assert_tidy};
use crate::workspace_root;

/// Generated files are what their generator makes today.
///
/// - Interaction models (`skill-package/interactionModels/custom/*.json` of `infra` and of every
///   example with model sources): [`interaction_models_are_fresh`] runs `cargo xtask models
///   --check`.
/// - The request samples of `crates/alexa-model/tests/data/requests` are made by
///   `generate.py` with Amazon's Python model. Re-running Python here would duplicate the suite
///   that already does it (`samples_are_exactly_what_generate_py_makes` runs `generate.py` into a
///   temporary folder and compares byte for byte) and would need the venv; so this test holds
///   that suite in place instead: deleting or renaming it fails here.
#[test]
fn generated_files_are_fresh() {
    let root = workspace_root();
    let mut findings = interaction_models_are_fresh(&root);
    findings.extend(check_freshness_tests_exist(&root, FRESHNESS_TESTS));
    assert_tidy(Rule::GeneratedFiles, findings);
}

/// `cargo xtask models --check` (see [`generated_files_are_fresh`]): every committed interaction
/// model is what `models/<language>.json` makes.
fn interaction_models_are_fresh(root: &Path) -> Vec<Finding> {
    match crate::models::run(&crate::models::skill_dirs(root), true) {
        Ok(()) => Vec::new(),
        Err(error) => vec![Finding::new(
            "infra/skill-package/interactionModels/custom",
            0,
            format!("{error:#}"),
        )],
    }
}

/// A generated tree and the test that regenerates it and compares.
struct FreshnessTest {
    generated: &'static str,
    test_file: &'static str,
    test_name: &'static str,
}

const FRESHNESS_TESTS: &[FreshnessTest] = &[FreshnessTest {
    generated: "crates/alexa-model/tests/data/requests",
    test_file: "crates/alexa-model/tests/it/samples.rs",
    test_name: "samples_are_exactly_what_generate_py_makes",
}];

fn check_freshness_tests_exist(root: &Path, tests: &[FreshnessTest]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for test in tests {
        let text = fs::read_to_string(root.join(test.test_file)).unwrap_or_default();
        let has_test = text.lines().any(|line| {
            line.trim_start()
                .starts_with(&format!("fn {}(", test.test_name))
        });
        if !has_test {
            findings.push(Finding::new(
                test.test_file,
                0,
                format!(
                    "no test `{}` any more, so nothing checks that {} is what its generator \
                     makes: restore it, or point tidy::FRESHNESS_TESTS at its replacement",
                    test.test_name, test.generated
                ),
            ));
        }
    }
    findings
}

/// Each rule, broken on purpose: the checks above must report these.
mod rules_catch_what_they_should {
    use super::*;

    #[test]
    fn a_missing_freshness_test() {
        let root = workspace_root();
        assert_eq!(check_freshness_tests_exist(&root, FRESHNESS_TESTS), vec![]);
        let gone = [FreshnessTest {
            generated: "crates/alexa-model/tests/data/requests",
            test_file: "crates/alexa-model/tests/it/samples.rs",
            test_name: "a_test_nobody_wrote",
        }];
        let findings = check_freshness_tests_exist(&root, &gone);
        assert_eq!(findings.len(), 1);
        assert!(
            findings[0].message.contains("a_test_nobody_wrote"),
            "{}",
            findings[0]
        );
    }
}
