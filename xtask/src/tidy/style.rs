//! Style rules on the text of each Rust file: a `//!` line first, no ignored or should-panic
//! test, no leftover debug macro.

use super::files::rust_files;
use super::{Finding, Rule, assert_tidy};

// Banned texts are assembled from pieces so that this file does not match its own rules.
const IGNORE_ATTRIBUTE: &str = concat!("#[", "ignore");

const SHOULD_PANIC_ATTRIBUTE: &str = concat!("#[", "should_panic");

const DEBUG_MACRO: &str = concat!("dbg", "!(");

#[test]
fn every_rust_file_starts_with_a_module_doc_line() {
    let findings = rust_files()
        .iter()
        .flat_map(|(path, text)| check_module_doc(path, text))
        .collect();
    assert_tidy(Rule::ModuleDoc, findings);
}

#[test]
fn no_ignored_or_should_panic_tests() {
    let findings = rust_files()
        .iter()
        .flat_map(|(path, text)| check_banned_test_attributes(path, text))
        .collect();
    assert_tidy(Rule::BannedTestAttribute, findings);
}

#[test]
fn no_debug_macro() {
    let findings = rust_files()
        .iter()
        .flat_map(|(path, text)| check_debug_macro(path, text))
        .collect();
    assert_tidy(Rule::DebugMacro, findings);
}

fn check_module_doc(path: &str, text: &str) -> Vec<Finding> {
    if text
        .lines()
        .next()
        .is_some_and(|line| line.starts_with("//!"))
    {
        return Vec::new();
    }
    vec![Finding::new(
        path,
        1,
        "the file does not start with a `//!` line: add one saying what the module is for",
    )]
}

fn check_banned_test_attributes(path: &str, text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.contains(IGNORE_ATTRIBUTE) {
            findings.push(Finding::new(
                path,
                index + 1,
                "an ignored test: make it run (tests find their tools or fail naming \
                 `cargo xtask setup`), or delete it",
            ));
        }
        if line.contains(SHOULD_PANIC_ATTRIBUTE) {
            findings.push(Finding::new(
                path,
                index + 1,
                "a should_panic test: return the `Err` and assert on it instead",
            ));
        }
    }
    findings
}

fn check_debug_macro(path: &str, text: &str) -> Vec<Finding> {
    lines_containing(text, DEBUG_MACRO)
        .map(|line| {
            Finding::new(
                path,
                line,
                "a leftover dbg!: delete it, or log with tracing",
            )
        })
        .collect()
}

/// 1-based numbers of the lines that contain `needle`.
fn lines_containing<'a>(text: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    text.lines()
        .enumerate()
        .filter(move |(_, line)| line.contains(needle))
        .map(|(index, _)| index + 1)
}

/// Each rule, broken on purpose: the checks above must report these.
mod rules_catch_what_they_should {
    use super::*;

    #[test]
    fn a_file_without_a_module_doc_line() {
        assert_eq!(
            check_module_doc("a.rs", "//! Says what it is.\nfn f() {}\n"),
            vec![]
        );
        let findings = check_module_doc("a.rs", "/// Not a module doc.\nfn f() {}\n");
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].line, 1);
        assert!(
            findings[0].to_string().starts_with("a.rs:1: "),
            "{}",
            findings[0]
        );
        assert_eq!(check_module_doc("empty.rs", "").len(), 1);
    }

    #[test]
    fn ignored_and_should_panic_tests() {
        let text = format!(
            "//! Tests.\n{IGNORE_ATTRIBUTE}]\n#[test]\nfn a() {{}}\n{SHOULD_PANIC_ATTRIBUTE}(expected = \"x\")]\nfn b() {{}}\n{IGNORE_ATTRIBUTE} = \"slow\"]\nfn c() {{}}\n"
        );
        let lines: Vec<usize> = check_banned_test_attributes("t.rs", &text)
            .iter()
            .map(|finding| finding.line)
            .collect();
        assert_eq!(lines, [2, 5, 7]);
    }

    #[test]
    fn a_leftover_debug_macro() {
        let text = format!("//! M.\nfn f(x: u8) -> u8 {{\n    {DEBUG_MACRO}x)\n}}\n");
        let findings = check_debug_macro("m.rs", &text);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].line, 3);
    }
}
