//! Where the tools `cargo xtask setup` installs live: the workspace's Python venv, `venv` in the
//! target directory, with Google's and Amazon's Python clients, cargo-lambda, moto and cfn-lint.
//!
//! The one place that knows the path; xtask, the twins and every crate's tests ask here. Both the
//! workspace root and the venv are found when the program runs, never baked in when it is
//! compiled: cargo reuses a binary between two checkouts that share a `CARGO_TARGET_DIR`, and a
//! path compiled in would point into whichever checkout built it first.

use std::{
    ffi::OsStr,
    path::{Path, PathBuf},
};

/// The venv's directory: `venv` in the target directory (see [`target_dir`]).
pub fn venv_dir() -> Result<PathBuf, String> {
    Ok(target_dir()?.join("venv"))
}

/// The workspace's target directory as cargo chooses it from the environment: `CARGO_TARGET_DIR`
/// (or `CARGO_BUILD_TARGET_DIR`) if set, a relative one taken from the workspace root, else
/// `target` in the workspace root. A `build.target-dir` in a cargo config file is not read: set
/// `CARGO_TARGET_DIR` instead.
pub fn target_dir() -> Result<PathBuf, String> {
    let from_environment = ["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"]
        .into_iter()
        .find_map(|name| std::env::var_os(name).filter(|value| !value.is_empty()));
    let root = workspace_root()?;
    Ok(target_dir_of(&root, from_environment.as_deref()))
}

/// The workspace the program runs in: the nearest directory, from the current directory upwards,
/// whose `Cargo.toml` has a `[workspace]` table, as cargo finds it.
pub fn workspace_root() -> Result<PathBuf, String> {
    let current = std::env::current_dir()
        .map_err(|error| format!("could not read the current directory: {error}"))?;
    workspace_root_from(&current).ok_or_else(|| {
        format!(
            "{} is not inside a cargo workspace (no Cargo.toml with [workspace] in it or above \
             it): run this from the repository",
            current.display()
        )
    })
}

/// The executable `name` of the venv (`python`, `cargo-lambda`, `moto_server`, …), or an error
/// that names the command installing it.
pub fn executable(name: &str) -> Result<PathBuf, String> {
    let path = venv_dir()?.join("bin").join(name);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "{} is missing: run `cargo xtask setup` to install it",
            path.display()
        ))
    }
}

/// Like [`executable`], for tests: panics with that message.
pub fn require(name: &str) -> PathBuf {
    executable(name).unwrap_or_else(|message| panic!("{message}"))
}

/// The nearest directory from `start` upwards whose `Cargo.toml` declares a workspace.
fn workspace_root_from(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|directory| {
            std::fs::read_to_string(directory.join("Cargo.toml"))
                .is_ok_and(|manifest| declares_workspace(&manifest))
        })
        .map(Path::to_path_buf)
}

/// Whether a manifest has a `[workspace]` table (or one of its subtables), as a workspace root's
/// does; a member's `edition.workspace = true` does not count.
fn declares_workspace(manifest: &str) -> bool {
    manifest.lines().any(|line| {
        let header = line.split('#').next().unwrap_or_default().trim();
        header == "[workspace]" || header.starts_with("[workspace.")
    })
}

fn target_dir_of(root: &Path, from_environment: Option<&OsStr>) -> PathBuf {
    match from_environment {
        Some(directory) => root.join(directory),
        None => root.join("target"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_the_nearest_manifest_with_a_workspace_table() {
        let base = std::env::temp_dir().join(format!("devstack-venv-{}", std::process::id()));
        let member = base.join("checkout/crates/member");
        std::fs::create_dir_all(member.join("src")).unwrap();
        std::fs::write(
            base.join("checkout/Cargo.toml"),
            "# a comment\n[workspace]\nmembers = [\"crates/*\"]\n",
        )
        .unwrap();
        std::fs::write(
            member.join("Cargo.toml"),
            "[package]\nname = \"member\"\nedition.workspace = true\n",
        )
        .unwrap();

        assert_eq!(
            workspace_root_from(&member.join("src")),
            Some(base.join("checkout"))
        );
        assert_eq!(
            workspace_root_from(&base.join("checkout")),
            Some(base.join("checkout"))
        );
        assert_eq!(workspace_root_from(&base), None);
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn only_a_workspace_table_makes_a_root() {
        assert!(declares_workspace("[workspace]\nmembers = []\n"));
        assert!(declares_workspace(
            "[workspace.package]\nedition = \"2024\"\n"
        ));
        assert!(declares_workspace("  [workspace]  # the root\n"));
        assert!(!declares_workspace(
            "[package]\nedition.workspace = true\n[dependencies]\nserde.workspace = true\n"
        ));
        assert!(!declares_workspace("# [workspace]\n[package]\n"));
    }

    #[test]
    fn the_venv_follows_the_target_directory() {
        let root = Path::new("/checkout");
        assert_eq!(target_dir_of(root, None), Path::new("/checkout/target"));
        assert_eq!(
            target_dir_of(root, Some(OsStr::new("/shared/target"))),
            Path::new("/shared/target")
        );
        assert_eq!(
            target_dir_of(root, Some(OsStr::new("build"))),
            Path::new("/checkout/build")
        );
    }

    #[test]
    fn this_crates_tests_find_this_checkout() {
        // `cargo test` runs a crate's tests in the crate's directory, so the root found at run
        // time is the checkout being tested.
        let root = workspace_root().unwrap();
        assert!(root.join("crates/devstack/src/venv.rs").is_file());
    }
}
