//! The house style, checked: a test of the xtask crate, so `cargo test --workspace` (the README's
//! test command, and `cargo xtask ci`) fails when a promise of the house style or an invariant of
//! ARCHITECTURE.md breaks.
//!
//! In the spirit of rust-analyzer's tidy test
//! (https://github.com/rust-lang/rust-analyzer/blob/master/xtask/src/tidy.rs): plain text scans of
//! the repository's own files and of `cargo metadata`, no parser, fast enough to run with every
//! test. Each rule reports every offending `file:line` with the fix. Known exceptions live in
//! [`ALLOWED`], each with its reason; an entry that no longer matches anything fails too, so the
//! list only ever shrinks.
//!
//! The rules, one module per concern:
//! - `style`: every `.rs` file starts with a `//!` line saying what it is for; no ignored and no
//!   should-panic tests (assert on the `Err` instead), no debug macro;
//! - `citations`: no absolute path of a developer's machine, no reference to a document outside
//!   the repository, and no repository path that does not exist, in code comments or docs (a
//!   reader who clones the repo must be able to follow every citation: cite a file of the
//!   repository or a public URL);
//! - `deps`: `devstack` depends on neither `google-api` nor `skill`, not even through another
//!   crate or a dev-dependency (the twins are judged by clients we did not write); the Lambda
//!   binary (package `skill`) has no AWS SDK crate in its normal dependency tree, except the
//!   SigV4 signer (`aws-sigv4`, `aws-credential-types` and the smithy types they need) entering
//!   through `user-state`, and never an SDK client or runtime; every declared dependency is used:
//!   a `[dependencies]` entry by the crate's own code (test code does not count), a
//!   `[dev-dependencies]` entry by its tests, and no dev-dependency repeats a normal one without
//!   adding features; every `[workspace.dependencies]` entry is used by a member;
//! - `generated`: generated files are fresh (see `generated::generated_files_are_fresh`).
//!
//! `files` lists what the scans read: what git would commit (tracked files plus untracked ones
//! that are not ignored), or every file outside `target/` and hidden folders when the tree is not
//! a git checkout.

mod citations;
mod deps;
mod files;
mod generated;
mod style;

use std::fmt;

/// A rule of the house style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    ModuleDoc,
    BannedTestAttribute,
    DebugMacro,
    MachinePath,
    ExternalReference,
    DeadPath,
    DevstackIndependence,
    LambdaWithoutAwsSdk,
    UnusedDependency,
    RedundantDevDependency,
    UnusedWorkspaceDependency,
    GeneratedFiles,
}

/// One exception to a rule, for one file.
struct Allowed {
    rule: Rule,
    /// The file it exempts, relative to the repository root, `/` separated.
    path: &'static str,
    /// Text the finding's message must contain (`""`: every finding of the rule in `path`), so
    /// an exemption for one dependency does not hide a new one in the same manifest.
    what: &'static str,
    /// Why, and who removes it when.
    reason: &'static str,
}

/// Every exception, with its reason. Temporary entries name the helper whose branch fixes the
/// violation; the integrator deletes them when that branch lands (a stale entry fails the test).
const ALLOWED: &[Allowed] = &[];

/// Where a rule is broken, and how to mend it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Finding {
    /// A repository-relative file, `/` separated.
    path: String,
    /// 1-based; 0 when the finding is about the whole file.
    line: usize,
    message: String,
}

impl Finding {
    fn new(path: impl Into<String>, line: usize, message: impl Into<String>) -> Finding {
        Finding {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(formatter, "{}: {}", self.path, self.message)
        } else {
            write!(formatter, "{}:{}: {}", self.path, self.line, self.message)
        }
    }
}

/// Fails with every finding of `rule` that [`ALLOWED`] does not exempt, and with every exemption
/// of `rule` that no longer matches a finding.
fn assert_tidy(rule: Rule, findings: Vec<Finding>) {
    let allowed: Vec<&Allowed> = ALLOWED.iter().filter(|entry| entry.rule == rule).collect();
    let exempts = |entry: &Allowed, finding: &Finding| {
        entry.path == finding.path && finding.message.contains(entry.what)
    };
    let mut problems: Vec<String> = findings
        .iter()
        .filter(|finding| !allowed.iter().any(|entry| exempts(entry, finding)))
        .map(Finding::to_string)
        .collect();
    for entry in &allowed {
        if !findings.iter().any(|finding| exempts(entry, finding)) {
            problems.push(format!(
                "xtask/src/tidy/mod.rs: the ALLOWED entry for {:?} {} matches nothing any more \
                 ({}): delete it",
                rule, entry.path, entry.reason
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "\n{rule:?}: {} problem(s)\n\n{}\n",
        problems.len(),
        problems.join("\n")
    );
}
