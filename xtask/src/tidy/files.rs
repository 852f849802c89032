//! The files of the repository the rules read: what git would commit, with their text.

use std::{fs, path::Path, process::Command, sync::OnceLock};

use crate::workspace_root;

/// The kinds of file a reader reads: code and docs.
const TEXT_EXTENSIONS: &[&str] = &[
    "rs", "md", "toml", "yaml", "yml", "json", "html", "py", "sh",
];

/// Every `.rs` file, with its text.
pub(super) fn rust_files() -> &'static [(String, String)] {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| files_with_extensions(&["rs"]))
}

/// Every file a reader reads as code or docs ([`TEXT_EXTENSIONS`]), with its text.
pub(super) fn text_files() -> &'static [(String, String)] {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| files_with_extensions(TEXT_EXTENSIONS))
}

fn files_with_extensions(extensions: &[&str]) -> Vec<(String, String)> {
    let root = workspace_root();
    repository_files(&root)
        .into_iter()
        .filter(|path| {
            Path::new(path)
                .extension()
                .and_then(|extension| extension.to_str())
                .is_some_and(|extension| extensions.contains(&extension))
        })
        .filter_map(|path| {
            // A file deleted in the work tree but still tracked is simply skipped.
            let text = fs::read_to_string(root.join(&path)).ok()?;
            Some((path, text))
        })
        .collect()
}

/// Repository-relative paths, `/` separated: what git would commit, or (outside a git checkout)
/// every file but `target/` and hidden folders.
pub(super) fn repository_files(root: &Path) -> Vec<String> {
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root)
        .output();
    if let Ok(output) = listed
        && output.status.success()
    {
        let mut paths: Vec<String> = output
            .stdout
            .split(|&byte| byte == 0)
            .filter(|path| !path.is_empty())
            .map(|path| String::from_utf8_lossy(path).into_owned())
            .collect();
        paths.sort();
        paths.dedup();
        return paths;
    }
    let mut paths = Vec::new();
    walk(root, root, &mut paths);
    paths.sort();
    paths
}

fn walk(root: &Path, directory: &Path, paths: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(directory) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            let is_target = directory == root && name == "target";
            if !name.starts_with('.') && !is_target {
                walk(root, &path, paths);
            }
        } else {
            paths.push(relative(root, &path));
        }
    }
}

pub(super) fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|component| component.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub(super) fn read(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}
