//! `cargo xtask new` as a user runs it: the scaffold, untouched, compiles and passes its tests.
//!
//! The skill is written into this workspace (a copy would rebuild every path dependency under
//! new package IDs), under a name no one else uses, and removed with its `Cargo.lock` entry
//! afterwards, even when the test fails. Only the new crate is compiled: its dependencies are
//! the workspace's, already built into the shared target directory.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Removes the scaffolded skill and restores `Cargo.lock` when dropped.
struct Scaffold {
    directory: PathBuf,
    lock_file: PathBuf,
    lock_text: String,
}

impl Drop for Scaffold {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.directory);
        let _ = std::fs::write(&self.lock_file, &self.lock_text);
    }
}

/// A skill name of letters only (the scaffold refuses digits), different per test process.
fn unique_name() -> String {
    let letters: String = std::process::id()
        .to_string()
        .bytes()
        .map(|digit| char::from(b'a' + (digit - b'0')))
        .collect();
    format!("scaffold-check-{letters}")
}

#[test]
fn a_new_skill_compiles_and_passes_its_tests_untouched() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = root.canonicalize().unwrap();
    let name = unique_name();
    let lock_file = root.join("Cargo.lock");
    let _scaffold = Scaffold {
        directory: root.join("examples").join(&name),
        lock_text: std::fs::read_to_string(&lock_file).unwrap(),
        lock_file,
    };

    let created = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["new", &name])
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "cargo xtask new {name} failed: {}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(
        String::from_utf8_lossy(&created.stdout).contains(&format!("cargo test -p {name}")),
        "{}",
        String::from_utf8_lossy(&created.stdout)
    );

    // The target directory this test was built in, so only the new crate compiles.
    let target_dir = Path::new(env!("CARGO_BIN_EXE_xtask"))
        .ancestors()
        .nth(2)
        .unwrap()
        .to_owned();
    let tested = Command::new(env!("CARGO"))
        .args(["test", "--offline", "--package", &name])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", &target_dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&tested.stdout);
    assert!(
        tested.status.success(),
        "cargo test -p {name} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&tested.stderr)
    );
    // Its own tests ran, not zero of them.
    assert!(
        stdout
            .lines()
            .any(|line| line.starts_with("test result: ok. ") && !line.contains("ok. 0 passed")),
        "{stdout}"
    );
}
