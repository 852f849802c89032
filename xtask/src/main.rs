//! Project automation behind `cargo xtask`: installing what the tests need and running CI.
//!
//! Commands run without a shell, with explicit arguments, from the workspace root.

mod setup;

use std::{
    env,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup   install what the tests need: Debian's Chromium and ChromeDriver, and a Python venv
          (target/venv) with Google's and Amazon's own client libraries
  ci      setup, then everything CI checks: rustfmt, clippy with -D warnings, all tests (--locked)
";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = env::args().skip(1).collect();
    let root = workspace_root();
    match args.first().map(String::as_str) {
        Some("setup") => setup::run(&root),
        Some("ci") => ci(&root),
        Some("help" | "--help" | "-h") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown command `{other}`: run `cargo xtask help` for the list"),
    }
}

fn ci(root: &Path) -> anyhow::Result<()> {
    setup::run(root)?;
    run(root, "cargo", &["fmt", "--all", "--check"])
        .context("code is not formatted: run `cargo fmt --all`")?;
    run(
        root,
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    run(root, "cargo", &["test", "--workspace", "--locked"])?;
    eprintln!("xtask ci: all checks passed");
    Ok(())
}

/// The workspace root: xtask's own manifest lives one level below it.
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// Runs `program args…` in `dir`, streaming its output, and fails unless it exits 0.
pub(crate) fn run(dir: &Path, program: &str, args: &[&str]) -> anyhow::Result<()> {
    eprintln!("$ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .status()
        .with_context(|| format!("could not start `{program}`: is it installed and on PATH?"))?;
    if !status.success() {
        bail!("`{program} {}` failed with {status}", args.join(" "));
    }
    Ok(())
}
