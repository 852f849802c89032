//! A binary built in one checkout uses the files of the checkout it runs in: the workspace root
//! and the venv are found at run time, not compiled in.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

/// A second checkout: a workspace manifest and one member, in a fresh temporary directory.
fn other_checkout(name: &str) -> PathBuf {
    let base = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(base.join("checkout/crates/member/src")).unwrap();
    std::fs::write(
        base.join("checkout/Cargo.toml"),
        "[workspace]\nmembers = [\"crates/*\"]\n",
    )
    .unwrap();
    std::fs::write(
        base.join("checkout/crates/member/Cargo.toml"),
        "[package]\nname = \"member\"\nedition.workspace = true\n",
    )
    .unwrap();
    base
}

/// `xtask paths` (built from this checkout) run in `directory`, with `target_dir` as
/// `CARGO_TARGET_DIR` if given.
fn paths_in(directory: &Path, target_dir: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .arg("paths")
        .current_dir(directory)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env_remove("CARGO_MANIFEST_DIR");
    if let Some(target_dir) = target_dir {
        command.env("CARGO_TARGET_DIR", target_dir);
    }
    command.output().unwrap()
}

fn line<'a>(stdout: &'a str, name: &str) -> &'a str {
    stdout
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no `{name}:` line in {stdout:?}"))
}

#[test]
fn a_binary_built_here_uses_the_checkout_it_runs_in() {
    let base = other_checkout("other-checkout");
    let checkout = base.join("checkout");
    let output = paths_in(&checkout.join("crates/member/src"), None);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{stdout}");

    assert_eq!(
        line(&stdout, "workspace root"),
        checkout.display().to_string()
    );
    assert_eq!(
        line(&stdout, "target directory"),
        checkout.join("target").display().to_string()
    );
    assert_eq!(
        line(&stdout, "python venv"),
        format!(
            "{} (not installed: run `cargo xtask setup`)",
            checkout.join("target/venv").display()
        )
    );
    std::fs::remove_dir_all(&base).unwrap();
}

#[test]
fn the_venv_follows_cargo_target_dir() {
    let base = other_checkout("shared-target");
    let shared = base.join("shared-target");
    let output = paths_in(&base.join("checkout"), Some(&shared));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{stdout}");

    assert_eq!(
        line(&stdout, "workspace root"),
        base.join("checkout").display().to_string()
    );
    assert_eq!(
        line(&stdout, "target directory"),
        shared.display().to_string()
    );
    assert!(
        line(&stdout, "python venv").starts_with(&shared.join("venv").display().to_string()),
        "{stdout}"
    );
    std::fs::remove_dir_all(&base).unwrap();
}

#[test]
fn outside_a_workspace_it_says_where_to_run_it() {
    let base = other_checkout("no-workspace");
    let outside = base.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let output = paths_in(&outside, None);
    let stderr = String::from_utf8(output.stderr).unwrap();

    assert!(!output.status.success());
    assert!(
        stderr.contains("is not inside a cargo workspace")
            && stderr.contains("run this from the repository"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&base).unwrap();
}

#[test]
fn two_checkouts_sharing_a_target_directory_each_use_their_own_files_and_one_venv() {
    let first = other_checkout("first-of-two");
    let second = other_checkout("second-of-two");
    let shared = first.join("shared-target");
    let mut venvs = Vec::new();
    for base in [&first, &second] {
        let checkout = base.join("checkout");
        let output = paths_in(&checkout.join("crates/member"), Some(&shared));
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(output.status.success(), "{stdout}");
        assert_eq!(
            line(&stdout, "workspace root"),
            checkout.display().to_string()
        );
        venvs.push(line(&stdout, "python venv").to_owned());
    }
    assert_eq!(venvs[0], venvs[1]);
    assert!(
        venvs[0].starts_with(&shared.join("venv").display().to_string()),
        "{venvs:?}"
    );
    std::fs::remove_dir_all(&first).unwrap();
    std::fs::remove_dir_all(&second).unwrap();
}
