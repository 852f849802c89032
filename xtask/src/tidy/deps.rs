//! Dependency rules on `cargo metadata` and the manifests: the twins reach none of our clients,
//! the Lambda binary no AWS SDK client, and every declared dependency is used.

use std::{
    collections::{BTreeMap, BTreeSet, VecDeque},
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

use serde_json::Value;

use super::files::{read, relative, rust_files};
use super::{Finding, Rule, assert_tidy};
use crate::workspace_root;

#[test]
fn devstack_depends_on_neither_google_api_nor_skill() {
    let findings = check_devstack_independence(metadata());
    assert_tidy(Rule::DevstackIndependence, findings);
}

#[test]
fn the_lambda_binary_has_no_aws_sdk() {
    let findings = check_lambda_without_aws_sdk(metadata());
    assert_tidy(Rule::LambdaWithoutAwsSdk, findings);
}

#[test]
fn every_declared_dependency_is_used() {
    let root = workspace_root();
    let mut unused = Vec::new();
    let mut redundant = Vec::new();
    for package in workspace_packages(metadata()) {
        let sources = PackageSources::read(&root, &package);
        for finding in check_dependencies(&package, &sources) {
            match finding {
                (Rule::RedundantDevDependency, finding) => redundant.push(finding),
                (_, finding) => unused.push(finding),
            }
        }
    }
    assert_tidy(Rule::UnusedDependency, unused);
    assert_tidy(Rule::RedundantDevDependency, redundant);
}

#[test]
fn every_workspace_dependency_is_used_by_a_member() {
    let root = workspace_root();
    let manifest = read(&root.join("Cargo.toml"));
    let declared_by_members: BTreeSet<String> = workspace_packages(metadata())
        .iter()
        .flat_map(|package| package.dependencies.iter().map(|dep| dep.key.clone()))
        .collect();
    assert_tidy(
        Rule::UnusedWorkspaceDependency,
        check_workspace_dependencies(&manifest, &declared_by_members),
    );
}

/// `cargo metadata --format-version 1` of the workspace, run once per test process.
fn metadata() -> &'static Value {
    static METADATA: OnceLock<Value> = OnceLock::new();
    METADATA.get_or_init(|| {
        let output = Command::new(env!("CARGO"))
            .args(["metadata", "--format-version", "1"])
            .current_dir(workspace_root())
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
    })
}

/// Crates whose presence means the AWS SDK for Rust (smithy-rs) is linked in.
fn is_aws_sdk_crate(name: &str) -> bool {
    name.starts_with("aws-sdk-")
        || name.starts_with("aws-smithy-")
        || [
            "aws-config",
            "aws-credential-types",
            "aws-runtime",
            "aws-runtime-api",
            "aws-sigv4",
            "aws-types",
        ]
        .contains(&name)
}

fn check_devstack_independence(metadata: &Value) -> Vec<Finding> {
    let graph = DependencyGraph::new(metadata);
    // Every kind of devstack's own dependencies counts (its tests must not judge the twins with
    // our clients either); below that, only what gets built: normal and build dependencies.
    let reached = graph.reachable("devstack", &[None, Some("build"), Some("dev")]);
    let mut findings = Vec::new();
    for forbidden in ["google-api", "skill"] {
        if let Some(chain) = reached.get(forbidden) {
            findings.push(Finding::new(
                "crates/devstack/Cargo.toml",
                0,
                format!(
                    "devstack depends on {forbidden} ({}): the twins must not depend on our \
                     clients; drop that dependency (the other way round, as a dev-dependency, is \
                     fine)",
                    chain.join(" → ")
                ),
            ));
        }
    }
    findings
}

/// The SDK's clients, credential chain and runtime: never in the Lambda binary, by any path.
fn is_aws_sdk_client_crate(name: &str) -> bool {
    name.starts_with("aws-sdk-")
        || [
            "aws-config",
            "aws-runtime",
            "aws-smithy-runtime",
            "aws-smithy-http-client",
        ]
        .contains(&name)
}

/// Where the SDK may enter the Lambda binary: `user-state`'s DynamoDB client signs its requests
/// with the SigV4 signer alone (the AWS SDK measured twice the binary and start-up cost,
/// docs/user-state.md).
fn is_allowed_aws_entry(name: &str, parent: &str) -> bool {
    parent == "user-state" && ["aws-sigv4", "aws-credential-types"].contains(&name)
}

fn check_lambda_without_aws_sdk(metadata: &Value) -> Vec<Finding> {
    let graph = DependencyGraph::new(metadata);
    let reached = graph.reachable("skill", &[None]);
    reached
        .iter()
        // Report where the SDK enters the tree, not every crate it brings along, and any SDK
        // client however it came in.
        .filter(|(name, chain)| {
            let parent = &chain[chain.len().saturating_sub(2)];
            is_aws_sdk_client_crate(name)
                || (is_aws_sdk_crate(name)
                    && !is_aws_sdk_crate(parent)
                    && !is_allowed_aws_entry(name, parent))
        })
        .map(|(name, chain)| {
            Finding::new(
                "crates/skill/Cargo.toml",
                0,
                format!(
                    "the Lambda binary links the AWS SDK crate {name} ({}): the skill needs no \
                     AWS API; keep AWS SDK crates in the deploy tools",
                    chain.join(" → ")
                ),
            )
        })
        .collect()
}

/// The kinds of one dependency edge: `None` normal, `Some("dev")`, `Some("build")`.
type EdgeKinds = Vec<Option<String>>;

/// The resolved dependency graph, by package name.
struct DependencyGraph {
    /// package id → package name
    names: BTreeMap<String, String>,
    /// package id → its dependencies, by id, with the kinds of each edge
    edges: BTreeMap<String, Vec<(String, EdgeKinds)>>,
}

impl DependencyGraph {
    fn new(metadata: &Value) -> DependencyGraph {
        let names = metadata["packages"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|package| (string(&package["id"]), string(&package["name"])))
            .collect();
        let mut edges = BTreeMap::new();
        for node in metadata["resolve"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let dependencies = node["deps"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|dependency| {
                    let kinds = dependency["dep_kinds"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|kind| kind["kind"].as_str().map(str::to_owned))
                        .collect();
                    (string(&dependency["pkg"]), kinds)
                })
                .collect();
            edges.insert(string(&node["id"]), dependencies);
        }
        DependencyGraph { names, edges }
    }

    /// Every package reachable from the workspace package `start`, with the chain of names that
    /// leads there. `first_kinds` are the edge kinds followed out of `start`; deeper, only normal
    /// and build edges are followed (dev-dependencies of dependencies are never built).
    fn reachable(
        &self,
        start: &str,
        first_kinds: &[Option<&str>],
    ) -> BTreeMap<String, Vec<String>> {
        let Some(start_id) = self
            .names
            .iter()
            .find(|(id, name)| name.as_str() == start && self.edges.contains_key(*id))
            .map(|(id, _)| id.clone())
        else {
            panic!("no package {start} in cargo metadata");
        };
        let mut chains: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut queue = VecDeque::from([(start_id, vec![start.to_owned()])]);
        let mut seen = BTreeSet::new();
        while let Some((id, chain)) = queue.pop_front() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let followed: Vec<Option<&str>> = if chain.len() == 1 {
                first_kinds.to_vec()
            } else {
                vec![None, Some("build")]
            };
            for (dependency, kinds) in self.edges.get(&id).into_iter().flatten() {
                if !kinds.iter().any(|kind| followed.contains(&kind.as_deref())) {
                    continue;
                }
                let name = self.names[dependency].clone();
                let mut next = chain.clone();
                next.push(name.clone());
                chains.entry(name).or_insert_with(|| next.clone());
                queue.push_back((dependency.clone(), next));
            }
        }
        chains
    }
}

/// A workspace member as the dependency rules see it.
#[derive(Debug)]
struct Package {
    /// The manifest, relative to the repository root.
    manifest: String,
    directory: PathBuf,
    dependencies: Vec<Dependency>,
}

/// One `[dependencies]`, `[dev-dependencies]` or `[build-dependencies]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Dependency {
    /// The key in the manifest (the rename, if any).
    key: String,
    /// The name code uses: the rename or the library name, `-` replaced by `_`.
    crate_name: String,
    kind: DependencyKind,
    /// Enabled features beyond the dependency's own declaration, and whether defaults are on.
    features: (Vec<String>, bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DependencyKind {
    Normal,
    Dev,
    Build,
}

impl DependencyKind {
    /// The code that may use a dependency of this kind, for messages.
    fn scope(self) -> &'static str {
        match self {
            DependencyKind::Normal => "the crate's own code, tests excluded",
            DependencyKind::Dev => "the crate's code and tests",
            DependencyKind::Build => "build.rs",
        }
    }

    fn section(self) -> &'static str {
        match self {
            DependencyKind::Normal => "[dependencies]",
            DependencyKind::Dev => "[dev-dependencies]",
            DependencyKind::Build => "[build-dependencies]",
        }
    }
}

fn workspace_packages(metadata: &Value) -> Vec<Package> {
    let root = workspace_root();
    let members: BTreeSet<String> = metadata["workspace_members"]
        .as_array()
        .into_iter()
        .flatten()
        .map(string)
        .collect();
    let library_names: BTreeMap<String, String> = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|package| {
            let library = package["targets"].as_array()?.iter().find(|target| {
                target["kind"].as_array().is_some_and(|kinds| {
                    kinds.iter().any(|kind| {
                        ["lib", "rlib", "proc-macro"].contains(&kind.as_str().unwrap_or(""))
                    })
                })
            })?;
            Some((string(&package["name"]), string(&library["name"])))
        })
        .collect();
    metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|package| members.contains(&string(&package["id"])))
        .map(|package| {
            let manifest_path = PathBuf::from(string(&package["manifest_path"]));
            let directory = manifest_path
                .parent()
                .expect("a manifest has a folder")
                .to_owned();
            let dependencies = package["dependencies"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|dependency| {
                    let name = string(&dependency["name"]);
                    let rename = dependency["rename"].as_str().map(str::to_owned);
                    let crate_name = rename
                        .clone()
                        .or_else(|| library_names.get(&name).cloned())
                        .unwrap_or_else(|| name.clone())
                        .replace('-', "_");
                    let kind = match dependency["kind"].as_str() {
                        Some("dev") => DependencyKind::Dev,
                        Some("build") => DependencyKind::Build,
                        _ => DependencyKind::Normal,
                    };
                    let features = dependency["features"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(string)
                        .collect();
                    let default_features = dependency["uses_default_features"]
                        .as_bool()
                        .unwrap_or(true);
                    Dependency {
                        key: rename.unwrap_or(name),
                        crate_name,
                        kind,
                        features: (features, default_features),
                    }
                })
                .collect();
            Package {
                manifest: relative(&root, &manifest_path),
                directory,
                dependencies,
            }
        })
        .collect()
}

/// A package's Rust sources, split the way the dependency kinds see them.
struct PackageSources {
    /// The crate's own code: everything outside `tests/`, `benches/`, `examples/` and `build.rs`,
    /// without `tests.rs` files and `#[cfg(test)] mod … { … }` blocks.
    normal: String,
    /// Everything, tests included (dev-dependencies are visible to all of it).
    dev: String,
    /// `build.rs`.
    build: String,
    manifest_text: String,
}

impl PackageSources {
    fn read(root: &Path, package: &Package) -> PackageSources {
        let mut sources = PackageSources {
            normal: String::new(),
            dev: String::new(),
            build: String::new(),
            manifest_text: read(&package.directory.join("Cargo.toml")),
        };
        let package_prefix = relative(root, &package.directory);
        for (path, text) in rust_files() {
            let Some(inside) = path
                .strip_prefix(&package_prefix)
                .and_then(|rest| rest.strip_prefix('/'))
            else {
                continue;
            };
            let code = without_plain_comments(text);
            sources.dev.push_str(&code);
            let first_folder = inside.split('/').next().unwrap_or("");
            if inside == "build.rs" {
                sources.build.push_str(&code);
            } else if !["tests", "benches", "examples"].contains(&first_folder)
                && !inside.ends_with("/tests.rs")
            {
                sources.normal.push_str(&without_test_modules(&code));
            }
        }
        sources
    }

    fn for_kind(&self, kind: DependencyKind) -> &str {
        match kind {
            DependencyKind::Normal => &self.normal,
            DependencyKind::Dev => &self.dev,
            DependencyKind::Build => &self.build,
        }
    }
}

fn check_dependencies(package: &Package, sources: &PackageSources) -> Vec<(Rule, Finding)> {
    let mut findings = Vec::new();
    for dependency in &package.dependencies {
        let line = manifest_line(
            &sources.manifest_text,
            dependency.kind.section(),
            &dependency.key,
        );
        if !uses_crate(sources.for_kind(dependency.kind), &dependency.crate_name) {
            let fix = match dependency.kind {
                DependencyKind::Normal if uses_crate(&sources.dev, &dependency.crate_name) => {
                    "only tests use it: move it to [dev-dependencies]"
                }
                _ => "remove it",
            };
            findings.push((
                Rule::UnusedDependency,
                Finding::new(
                    package.manifest.clone(),
                    line,
                    format!(
                        "{} `{}` is not used (no `{}::…` path or `use {}` in {}): {fix}",
                        dependency.kind.section(),
                        dependency.key,
                        dependency.crate_name,
                        dependency.crate_name,
                        dependency.kind.scope()
                    ),
                ),
            ));
        }
        if dependency.kind == DependencyKind::Dev {
            let repeats_normal = package.dependencies.iter().any(|other| {
                other.kind == DependencyKind::Normal
                    && other.key == dependency.key
                    && other.features == dependency.features
            });
            if repeats_normal {
                findings.push((
                    Rule::RedundantDevDependency,
                    Finding::new(
                        package.manifest.clone(),
                        line,
                        format!(
                            "[dev-dependencies] `{}` repeats the [dependencies] entry without \
                             adding features: remove it, tests see normal dependencies",
                            dependency.key
                        ),
                    ),
                ));
            }
        }
    }
    findings
}

fn check_workspace_dependencies(
    manifest: &str,
    declared_by_members: &BTreeSet<String>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut in_section = false;
    for (index, line) in manifest.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_section = trimmed == "[workspace.dependencies]";
            continue;
        }
        if !in_section || trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some(key) = trimmed.split(['=', ' ', '.']).next() else {
            continue;
        };
        if !declared_by_members.contains(key) {
            findings.push(Finding::new(
                "Cargo.toml",
                index + 1,
                format!("[workspace.dependencies] `{key}` is used by no member: remove it"),
            ));
        }
    }
    findings
}

/// Whether `code` refers to the crate `crate_name` by path (`name::…`, `::name::…`) or in a `use`
/// or `extern crate` item.
fn uses_crate(code: &str, crate_name: &str) -> bool {
    code.match_indices(crate_name).any(|(start, _)| {
        let before = &code[..start];
        let after = &code[start + crate_name.len()..];
        let starts_a_word = before
            .chars()
            .next_back()
            .is_none_or(|character| !(character.is_alphanumeric() || character == '_'));
        let absolute = before.ends_with("::")
            && before[..before.len() - 2]
                .chars()
                .next_back()
                .is_none_or(|character| !(character.is_alphanumeric() || character == '_'));
        let ends_a_word = after
            .chars()
            .next()
            .is_none_or(|character| !(character.is_alphanumeric() || character == '_'));
        let as_path = after.starts_with("::");
        let in_item = before.ends_with("use ") || before.ends_with("extern crate ");
        ends_a_word
            && ((starts_a_word && !before.ends_with(':')) || absolute)
            && (as_path || in_item)
    })
}

/// `code` without lines that are plain `//` comments (doc comments stay: doc tests are code).
fn without_plain_comments(code: &str) -> String {
    code.lines()
        .filter(|line| {
            let trimmed = line.trim_start();
            !trimmed.starts_with("//") || trimmed.starts_with("///") || trimmed.starts_with("//!")
        })
        .map(|line| format!("{line}\n"))
        .collect()
}

/// `code` without `#[cfg(test)]` modules written inline, as rustfmt lays them out: from the
/// attribute to the `}` that closes the module at the attribute's indentation.
fn without_test_modules(code: &str) -> String {
    let mut kept = String::new();
    let mut lines = code.lines().peekable();
    while let Some(line) = lines.next() {
        let is_test_module = line.trim() == "#[cfg(test)]"
            && lines.peek().is_some_and(|next| {
                let next = next.trim_start();
                (next.starts_with("mod ") || next.starts_with("pub(crate) mod "))
                    && next.ends_with('{')
            });
        if !is_test_module {
            kept.push_str(line);
            kept.push('\n');
            continue;
        }
        let indentation = &line[..line.len() - line.trim_start().len()];
        let closing = format!("{indentation}}}");
        for inner in lines.by_ref() {
            if inner == closing {
                break;
            }
        }
    }
    kept
}

/// The 1-based line of `key` in `section` of a manifest (0 when not found, e.g. a target-specific
/// table).
fn manifest_line(manifest: &str, section: &str, key: &str) -> usize {
    let mut in_section = false;
    for (index, line) in manifest.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_section = trimmed == section;
            continue;
        }
        if in_section
            && trimmed
                .strip_prefix(key)
                .is_some_and(|rest| rest.starts_with([' ', '=', '.']))
        {
            return index + 1;
        }
    }
    0
}

fn string(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// Each rule, broken on purpose: the checks above must report these.
mod rules_catch_what_they_should {
    use super::*;

    #[test]
    fn crate_uses_are_recognized_and_mentions_are_not() {
        assert!(uses_crate("use serde::Deserialize;", "serde"));
        assert!(uses_crate("#[tokio::main]\nasync fn main() {}", "tokio"));
        assert!(uses_crate("let x = ::url::Url::parse(s);", "url"));
        assert!(uses_crate("extern crate alloc;", "alloc"));
        assert!(!uses_crate(
            "let serde_json = 1; serde_json_extra::f();",
            "serde_json"
        ));
        assert!(!uses_crate("$crate::__private::serde::Serialize", "serde"));
        assert!(!uses_crate("let url = String::new();", "url"));
        assert!(!uses_crate("my_tokio::spawn()", "tokio"));
    }

    #[test]
    fn test_modules_and_plain_comments_are_not_the_crates_own_code() {
        let code = "//! Doc.\nuse a::b;\n// uses c::d in a comment\n/// doc test: e::f()\nfn f() {}\n\n#[cfg(test)]\nmod tests {\n    use g::h;\n\n    fn inner() {\n    }\n}\n\nfn after() { i::j(); }\n";
        let own = without_test_modules(&without_plain_comments(code));
        assert!(uses_crate(&own, "a"));
        assert!(!uses_crate(&own, "c"), "{own}");
        assert!(uses_crate(&own, "e"), "{own}");
        assert!(!uses_crate(&own, "g"), "{own}");
        assert!(uses_crate(&own, "i"), "{own}");
    }

    #[test]
    fn unused_test_only_and_repeated_dependencies() {
        let manifest = "[package]\nname = \"p\"\n\n[dependencies]\nused.workspace = true\nunused = \"1\"\ntest-only = \"1\"\n\n[dev-dependencies]\nused.workspace = true\n";
        let dependency = |key: &str, kind| Dependency {
            key: key.to_owned(),
            crate_name: key.replace('-', "_"),
            kind,
            features: (Vec::new(), true),
        };
        let package = Package {
            manifest: "crates/p/Cargo.toml".to_owned(),
            directory: PathBuf::from("crates/p"),
            dependencies: vec![
                dependency("used", DependencyKind::Normal),
                dependency("unused", DependencyKind::Normal),
                dependency("test-only", DependencyKind::Normal),
                dependency("used", DependencyKind::Dev),
            ],
        };
        let sources = PackageSources {
            normal: "use used::Thing;\n".to_owned(),
            dev: "use used::Thing;\nuse test_only::helper;\n".to_owned(),
            build: String::new(),
            manifest_text: manifest.to_owned(),
        };
        let findings: Vec<(Rule, String)> = check_dependencies(&package, &sources)
            .into_iter()
            .map(|(rule, finding)| (rule, finding.to_string()))
            .collect();
        assert_eq!(findings.len(), 3, "{findings:#?}");
        assert_eq!(findings[0].0, Rule::UnusedDependency);
        assert!(
            findings[0]
                .1
                .starts_with("crates/p/Cargo.toml:6: [dependencies] `unused`")
                && findings[0].1.ends_with("remove it"),
            "{}",
            findings[0].1
        );
        assert!(findings[1].1.contains("`test-only`"), "{}", findings[1].1);
        assert!(
            findings[1].1.ends_with("move it to [dev-dependencies]"),
            "{}",
            findings[1].1
        );
        assert_eq!(findings[2].0, Rule::RedundantDevDependency);
        assert!(
            findings[2].1.starts_with("crates/p/Cargo.toml:10: "),
            "{}",
            findings[2].1
        );
    }

    #[test]
    fn an_unused_workspace_dependency() {
        let manifest = "[workspace]\nmembers = []\n\n[workspace.dependencies]\n# A comment.\nkept = \"1\"\ndropped = { version = \"1\" }\n\n[profile.dev]\ndebug = 0\n";
        let declared = BTreeSet::from(["kept".to_owned()]);
        let findings = check_workspace_dependencies(manifest, &declared);
        assert_eq!(
            findings,
            vec![Finding::new(
                "Cargo.toml",
                7,
                "[workspace.dependencies] `dropped` is used by no member: remove it"
            )]
        );
    }

    #[test]
    fn forbidden_crates_in_the_dependency_graph() {
        let metadata = serde_json::json!({
            "packages": [
                {"id": "devstack-id", "name": "devstack"},
                {"id": "provision-id", "name": "provision"},
                {"id": "google-api-id", "name": "google-api"},
                {"id": "skill-id", "name": "skill"},
                {"id": "smithy-id", "name": "aws-smithy-runtime"},
                {"id": "tokio-id", "name": "tokio"},
            ],
            "resolve": {"nodes": [
                {"id": "devstack-id", "deps": [
                    {"pkg": "provision-id", "dep_kinds": [{"kind": "dev"}]},
                ]},
                {"id": "provision-id", "deps": [
                    {"pkg": "google-api-id", "dep_kinds": [{"kind": null}]},
                    {"pkg": "skill-id", "dep_kinds": [{"kind": "dev"}]},
                ]},
                {"id": "google-api-id", "deps": []},
                {"id": "skill-id", "deps": [
                    {"pkg": "tokio-id", "dep_kinds": [{"kind": null}]},
                    {"pkg": "smithy-id", "dep_kinds": [{"kind": null}]},
                    {"pkg": "devstack-id", "dep_kinds": [{"kind": "dev"}]},
                ]},
                {"id": "smithy-id", "deps": []},
                {"id": "tokio-id", "deps": []},
            ]},
        });
        let devstack = check_devstack_independence(&metadata);
        // google-api through a dev-dependency's normal dependency; skill only through a
        // dev-dependency of a dependency, which is never built.
        assert_eq!(devstack.len(), 1, "{devstack:#?}");
        assert!(
            devstack[0]
                .message
                .contains("devstack → provision → google-api"),
            "{}",
            devstack[0]
        );
        let lambda = check_lambda_without_aws_sdk(&metadata);
        assert_eq!(lambda.len(), 1, "{lambda:#?}");
        assert!(
            lambda[0]
                .message
                .contains("aws-smithy-runtime (skill → aws-smithy-runtime)"),
            "{}",
            lambda[0]
        );
    }

    #[test]
    fn the_sigv4_signer_may_enter_the_lambda_binary_only_through_user_state() {
        let metadata = serde_json::json!({
            "packages": [
                {"id": "skill-id", "name": "skill"},
                {"id": "user-state-id", "name": "user-state"},
                {"id": "sigv4-id", "name": "aws-sigv4"},
                {"id": "types-id", "name": "aws-smithy-types"},
                {"id": "runtime-id", "name": "aws-smithy-runtime"},
                {"id": "credentials-id", "name": "aws-credential-types"},
            ],
            "resolve": {"nodes": [
                {"id": "skill-id", "deps": [
                    {"pkg": "user-state-id", "dep_kinds": [{"kind": null}]},
                    {"pkg": "credentials-id", "dep_kinds": [{"kind": null}]},
                ]},
                {"id": "user-state-id", "deps": [
                    {"pkg": "sigv4-id", "dep_kinds": [{"kind": null}]},
                ]},
                {"id": "sigv4-id", "deps": [
                    {"pkg": "types-id", "dep_kinds": [{"kind": null}]},
                    {"pkg": "runtime-id", "dep_kinds": [{"kind": null}]},
                ]},
                {"id": "types-id", "deps": []},
                {"id": "runtime-id", "deps": []},
                {"id": "credentials-id", "deps": []},
            ]},
        });
        let findings = check_lambda_without_aws_sdk(&metadata);
        let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
        // The signer and its types through user-state are fine; the SDK runtime is not, even
        // there, and the credential types straight from the skill are not either.
        assert_eq!(messages.len(), 2, "{messages:#?}");
        assert!(messages.iter().any(|m| {
            m.contains("aws-smithy-runtime (skill → user-state → aws-sigv4 → aws-smithy-runtime)")
        }));
        assert!(
            messages
                .iter()
                .any(|m| m.contains("aws-credential-types (skill → aws-credential-types)"))
        );
    }
}
