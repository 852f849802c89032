//! `cargo xtask paths`: where this checkout's files are, as every command finds them when it runs.
//!
//! xtask finds the workspace root from the current directory and the Python venv in the target
//! directory (`devstack::venv`), never from paths compiled into the binary, so a binary built in
//! one checkout serves another that shares its `CARGO_TARGET_DIR`.

use std::path::Path;

use anyhow::Context;

/// Prints the workspace root, the target directory and the Python venv, one `name: path` a line.
pub(crate) fn print_paths(root: &Path) -> anyhow::Result<()> {
    let target = devstack::venv::target_dir().map_err(anyhow::Error::msg)?;
    let venv = devstack::venv::venv_dir().map_err(anyhow::Error::msg)?;
    let installed = if venv.join("bin/python").is_file() {
        ""
    } else {
        " (not installed: run `cargo xtask setup`)"
    };
    println!("workspace root: {}", root.display());
    println!("target directory: {}", target.display());
    println!("python venv: {}{installed}", venv.display());
    std::io::Write::flush(&mut std::io::stdout()).context("could not write to stdout")
}
