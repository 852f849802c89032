//! Citation rules on code and docs: every citation is something a reader who clones the
//! repository can open, so no folder of one machine, no document outside the repository, and no
//! repository path that does not exist.

use std::{collections::BTreeSet, path::Path};

use super::files::{repository_files, text_files};
use super::{Finding, Rule, assert_tidy};
use crate::workspace_root;

/// Folders that exist only on a developer's machine.
const MACHINE_PATHS: &[&str] = &[
    concat!("/wo", "rk/"),
    concat!("/ro", "ot/"),
    concat!("/ho", "me/"),
];

/// Citations of documents that are not in the repository.
const EXTERNAL_REFERENCES: &[&str] = &[
    concat!("shared", "/reference"),
    concat!("../", "shared"),
    concat!("alexa", ".md §"),
    concat!("alexa-signature", ".md"),
    concat!("google", ".md §"),
    concat!("aws", ".md §"),
    concat!("reference", " §"),
];

#[test]
fn no_paths_of_a_developer_machine() {
    let findings = text_files()
        .iter()
        .flat_map(|(path, text)| check_machine_paths(path, text))
        .collect();
    assert_tidy(Rule::MachinePath, findings);
}

#[test]
fn no_references_to_documents_outside_the_repository() {
    let findings = text_files()
        .iter()
        .flat_map(|(path, text)| check_external_references(path, text))
        .collect();
    assert_tidy(Rule::ExternalReference, findings);
}

/// Every repository path cited in a doc (`*.md`) or in a comment of code exists: a file or a
/// folder of the repository, from its root (`crates/provision/src/deploy.rs`, `docs/aws.md`), or
/// an upper-case document by its name alone (`ARCHITECTURE.md`); or a file a user makes from
/// the template next to it (`skill.toml` from `skill.example.toml`).
#[test]
fn every_cited_repository_path_exists() {
    let repository = Repository::new(repository_files(&workspace_root()));
    let findings = text_files()
        .iter()
        .flat_map(|(path, text)| check_cited_paths(path, text, &repository))
        .collect();
    assert_tidy(Rule::DeadPath, findings);
}

/// The paths a citation may name: every file and every folder of the repository.
struct Repository {
    /// Files and the folders that hold them, `/` separated, without a trailing `/`.
    paths: BTreeSet<String>,
    /// The names of the root's folders: a citation of a repository path starts with one.
    top_folders: BTreeSet<String>,
    /// The names of files, wherever they are: an upper-case document is cited by its name
    /// alone.
    file_names: BTreeSet<String>,
}

impl Repository {
    fn new(files: Vec<String>) -> Repository {
        let mut paths = BTreeSet::new();
        let mut top_folders = BTreeSet::new();
        let mut file_names = BTreeSet::new();
        for file in files {
            if let Some((top, _)) = file.split_once('/')
                && !top.starts_with('.')
            {
                top_folders.insert(top.to_owned());
            }
            let mut folder = file.as_str();
            while let Some((parent, _)) = folder.rsplit_once('/') {
                paths.insert(parent.to_owned());
                folder = parent;
            }
            if let Some(name) = Path::new(&file).file_name().and_then(|name| name.to_str()) {
                file_names.insert(name.to_owned());
            }
            paths.insert(file);
        }
        Repository {
            paths,
            top_folders,
            file_names,
        }
    }
}

/// The lines a reader reads as prose: all of a `*.md` file, the comments of code (`//` in Rust,
/// `#` in TOML, YAML, Python and shell). Other files (JSON, HTML) have no comments to cite in.
fn prose_lines(path: &str, text: &str) -> Vec<(usize, String)> {
    let extension = Path::new(path)
        .extension()
        .and_then(|extension| extension.to_str())
        .unwrap_or_default();
    let marker = match extension {
        "md" => None,
        "rs" => Some("//"),
        "toml" | "yaml" | "yml" | "py" | "sh" => Some("#"),
        _ => return Vec::new(),
    };
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| match marker {
            None => Some((index + 1, line.to_owned())),
            Some(marker) => line
                .find(marker)
                .map(|start| (index + 1, line[start..].to_owned())),
        })
        .collect()
}

/// The characters a cited path is made of.
fn is_path_character(character: char) -> bool {
    character.is_ascii_alphanumeric() || "_-./".contains(character)
}

/// Every repository path cited in `text` that names nothing in `repository`.
fn check_cited_paths(path: &str, text: &str, repository: &Repository) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (line_number, line) in prose_lines(path, text) {
        for cited in cited_paths(&line, repository) {
            let exists = if cited.contains('/') {
                let cited = cited.trim_end_matches('/');
                repository.paths.contains(cited)
                    || example_of(cited).is_some_and(|example| repository.paths.contains(&example))
            } else {
                repository.file_names.contains(&cited)
            };
            if !exists {
                findings.push(Finding::new(
                    path,
                    line_number,
                    format!(
                        "`{cited}` is cited but is not in the repository: cite the file where \
                         it is now, or a public URL"
                    ),
                ));
            }
        }
    }
    findings
}

/// The template a user copies to make `path`: `skill.example.toml` for `skill.toml`. A cited
/// path with such a template is the user's copy (the config a deploy reads), not a dead link.
fn example_of(path: &str) -> Option<String> {
    let (stem, extension) = path.rsplit_once('.')?;
    (!stem.ends_with(".example") && !stem.ends_with('/'))
        .then(|| format!("{stem}.example.{extension}"))
}

/// The repository paths `line` cites: words that start at one of the root's folders, and
/// upper-case documents named alone. A path inside a URL or a longer path does not start a
/// citation, nor does a pattern or a placeholder (`examples/*`, `docs/<file>.md`,
/// `examples/NAME`): those name no single file.
fn cited_paths(line: &str, repository: &Repository) -> Vec<String> {
    let mut cited = Vec::new();
    let characters: Vec<(usize, char)> = line.char_indices().collect();
    let mut position = 0;
    while position < characters.len() {
        let (start, character) = characters[position];
        let before = position
            .checked_sub(1)
            .map(|previous| characters[previous].1);
        let starts_word = before
            .is_none_or(|before| !(is_path_character(before) || "~:@$<{*\\".contains(before)));
        if !(starts_word && is_path_character(character)) {
            position += 1;
            continue;
        }
        let mut end = position;
        while end < characters.len() && is_path_character(characters[end].1) {
            end += 1;
        }
        let stop = characters.get(end).map(|(_, character)| *character);
        let end_byte = characters.get(end).map_or(line.len(), |(index, _)| *index);
        position = end;
        // Sentence punctuation after a path is not part of it.
        let word = line[start..end_byte].trim_end_matches('.');
        let is_placeholder = stop.is_some_and(|stop| "<{*…$[".contains(stop))
            || word.split('/').any(|part| {
                part.len() > 1 && part.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            });
        if is_placeholder {
            continue;
        }
        match word.split_once('/') {
            Some((top, rest)) if !rest.is_empty() && repository.top_folders.contains(top) => {
                cited.push(word.to_owned());
            }
            None if is_document_name(word) => cited.push(word.to_owned()),
            _ => {}
        }
    }
    cited
}

/// `ARCHITECTURE.md`, `README.md`: an upper-case document cited by its name alone.
fn is_document_name(word: &str) -> bool {
    word.strip_suffix(".md").is_some_and(|stem| {
        stem.len() > 1
            && stem
                .chars()
                .all(|character| character.is_ascii_uppercase() || character == '_')
    })
}

fn check_machine_paths(path: &str, text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, line) in text.lines().enumerate() {
        for &machine_path in MACHINE_PATHS {
            if contains_path_start(line, machine_path) {
                findings.push(Finding::new(
                    path,
                    index + 1,
                    format!(
                        "`{machine_path}…` is a folder of one machine: use a path relative to \
                         the repository (tests find it from CARGO_MANIFEST_DIR, tools from the \
                         current directory)"
                    ),
                ));
            }
        }
    }
    findings
}

fn check_external_references(path: &str, text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, line) in text.lines().enumerate() {
        for &reference in EXTERNAL_REFERENCES {
            if line.contains(reference) {
                findings.push(Finding::new(
                    path,
                    index + 1,
                    format!(
                        "`{reference}` cites a document outside the repository: cite \
                         `docs/<file>.md` (write the fact there, with its public source) or the \
                         public URL"
                    ),
                ));
            }
        }
    }
    findings
}

/// Whether `line` contains `path` as the start of an absolute path, not as the tail of a URL or a
/// longer path: a URL such as `https://example.com/home/`, or the same folder name inside a
/// relative path, does not count.
fn contains_path_start(line: &str, path: &str) -> bool {
    line.match_indices(path).any(|(start, _)| {
        line[..start]
            .chars()
            .next_back()
            .is_none_or(|before| !(before.is_alphanumeric() || "./-_~:".contains(before)))
    })
}

/// Each rule, broken on purpose: the checks above must report these.
mod rules_catch_what_they_should {
    use super::*;

    #[test]
    fn machine_paths_but_not_urls_or_relative_paths() {
        for path in MACHINE_PATHS {
            let bad = format!("see `{path}somebody/notes.md` and \"{path}x\"");
            assert_eq!(check_machine_paths("README.md", &bad).len(), 1, "{bad}");
            let url = format!("https://example.com{path}index.html and target{path}x");
            assert_eq!(check_machine_paths("README.md", &url), vec![], "{url}");
        }
    }

    #[test]
    fn citations_of_documents_outside_the_repository() {
        for reference in EXTERNAL_REFERENCES {
            let text = format!("// fine\n// as {reference} 3 says\n");
            let findings = check_external_references("src/lib.rs", &text);
            assert_eq!(findings.len(), 1, "{reference}");
            assert_eq!(findings[0].line, 2);
        }
        let fine = "// docs/account-linking.md, \"Token exchange\"; RFC 6749 §5.1; docs/aws.md\n";
        assert_eq!(check_external_references("src/lib.rs", fine), vec![]);
    }

    #[test]
    fn cited_paths_that_are_not_in_the_repository() {
        let repository = Repository::new(vec![
            "ARCHITECTURE.md".to_owned(),
            "crates/provision/src/deploy.rs".to_owned(),
            "crates/skill.example.toml".to_owned(),
            "docs/aws.md".to_owned(),
        ]);
        // Assembled from pieces so that this file does not break its own rule.
        let text = concat!(
            "//! Fine: crates/provision/src/deploy.rs, `crates/provision/` and docs/aws.md.\n",
            "//! Fine: ARCHITECTURE.md, docs/<file>.md, examples/NAME, crates/*/src.\n",
            "//! Fine: https://github.com/o/r/blob/main/docs/gone.md and target/docs/x.\n",
            "let not_a_comment = \"docs/gone.md\";\n",
            "// Dead: cra",
            "tes/provision/src/gone.rs and STY",
            "LE.md.\n",
            "//! Dead: see docs/aws.md",
            ".md. Fine: crates/skill.toml (a copy).\n",
        );
        let findings: Vec<String> = check_cited_paths("src/lib.rs", text, &repository)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(findings.len(), 3, "{findings:#?}");
        assert!(findings[0].starts_with(concat!(
            "src/lib.rs:5: `cra",
            "tes/provision/src/gone.rs` is cited"
        )));
        assert!(findings[1].starts_with("src/lib.rs:5: `STYLE.md` is cited"));
        assert!(findings[2].starts_with("src/lib.rs:6: `docs/aws.md.md` is cited"));
        // In a doc every line counts.
        let doc = concat!("See `crates/gone", "/README.md`.\n");
        assert_eq!(check_cited_paths("README.md", doc, &repository).len(), 1);
    }
}
