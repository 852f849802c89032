//! Where the tools `cargo xtask setup` installs live: the workspace's Python venv, `target/venv`,
//! with Google's and Amazon's Python clients, cargo-lambda, moto and cfn-lint.
//!
//! The one place that knows the path; the twins and every crate's tests ask here.

use std::path::{Path, PathBuf};

/// The venv's directory.
pub fn venv_dir() -> PathBuf {
    // crates/devstack → the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/venv")
}

/// The executable `name` of the venv (`python`, `cargo-lambda`, `moto_server`, …), or an error
/// that names the command installing it.
pub fn executable(name: &str) -> Result<PathBuf, String> {
    let path = venv_dir().join("bin").join(name);
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
