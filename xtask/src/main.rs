//! Project automation behind `cargo xtask`: installing what the tests need, CI, and the offline demo.
//!
//! Commands run without a shell, with explicit arguments, from the workspace root. Logic end users
//! need too lives in library crates (`devstack`, `provision`); this binary only orchestrates.

mod build;
mod cargo_build;
mod chain;
mod demo;
mod deploy;
mod dev;
mod dialogs;
mod models;
mod new;
mod setup;
mod skills;
#[cfg(test)]
mod tidy;
mod workspace;

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

/// Project automation: `cargo xtask <command>`.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Install what the tests need: Debian's Chromium and ChromeDriver, and a Python venv
    /// (`venv` in the target directory) with Google's and Amazon's own client libraries.
    Setup,
    /// Run everything CI checks: setup, rustfmt, clippy with -D warnings, all tests (--locked),
    /// and every dialog (`cargo xtask dialogs`), on Lambda and again on `skill serve`.
    Ci,
    /// Run the whole chain offline and hold a scripted conversation: the login page on a local S3,
    /// account linking through it in headless Chromium against the Google twin, the skill binary
    /// on a local Lambda Runtime API (or `skill serve` with signed requests), token expiry and
    /// refresh, revocation and relinking. Exits 0 only if every step behaved as expected.
    Demo {
        #[command(flatten)]
        transport: TransportArg,
        /// The skill whose `tests/dialogs/demo.yaml` to walk through.
        #[command(flatten)]
        skill: skills::SkillArg,
    },
    /// Run the skills' dialog files (`tests/dialogs/*.yaml`, see docs/dialogs.md) through the
    /// whole offline chain, each with its own Google twin and account link; prints each
    /// transcript and ends with `N passed, M failed`. Exits non-zero if any step misbehaved.
    Dialogs {
        /// Only these dialog files (default: every dialog of every skill).
        files: Vec<PathBuf>,
        /// How many dialogs run at once (default: one per core).
        #[arg(long, short)]
        jobs: Option<usize>,
        #[command(flatten)]
        transport: TransportArg,
        /// Only this skill's dialogs (default: every skill's).
        #[arg(long, value_name = "PACKAGE")]
        skill: Option<String>,
    },
    /// Keep the offline chain of one skill running for hands-on use: prints the URL to link the
    /// test Google account in your own browser (it waits as long as it runs), or links in
    /// headless Chromium with --link, then serves `cargo xtask say` until Ctrl-C or SIGTERM.
    Dev {
        /// Approve at the Google twin at once as ada@example.com, without its consent page.
        #[arg(long)]
        auto_consent: bool,
        /// Link in headless Chromium at once, as the demo does (no browser or person needed, e.g.
        /// over SSH); implies --auto-consent.
        #[arg(long)]
        link: bool,
        #[command(flatten)]
        transport: TransportArg,
        /// The locale the user speaks (`fr-FR`, `ja-JP`): its interaction model understands what
        /// `say` sends. One the skill publishes.
        #[arg(long, default_value = "en-US")]
        locale: String,
        #[command(flatten)]
        skill: skills::SkillArg,
    },
    /// Say something to the skill a running `cargo xtask dev` serves (the one its --skill chose),
    /// e.g. `cargo xtask say "list my files"`; prints the spoken answer and any card.
    Say {
        /// What you would say after "Alexa, ask <the skill's invocation name> …".
        utterance: String,
    },
    /// Build a skill's Lambda zip (<target directory>/lambda/<binary>/bootstrap.zip) for
    /// provided.al2023 x86_64, checking the binary needs no glibc newer than 2.34; prints the
    /// zip's path.
    Build {
        #[command(flatten)]
        skill: skills::SkillArg,
    },
    /// Deploy both sides from skill.toml: create the Alexa skill if there is none (SMAPI), build
    /// and upload the Lambda zip, create or update the CloudFormation stack (infra/template.yaml),
    /// publish the login page, import the skill package with the function as its endpoint, wait
    /// for the interaction-model builds, and configure account linking. Parts with nothing
    /// changed are left alone; prints a summary with the skill ID and what to say.
    Deploy(deploy::DeployArgs),
    /// Delete the CloudFormation stack in each region; kept unless asked: buckets with content
    /// (--delete-buckets), the users' state table with their data (--delete-data) and the skill
    /// (--delete-skill).
    Destroy(deploy::DestroyArgs),
    /// Generate each locale's interaction model from `models/<language>.json` of a skill
    /// directory (default: `infra` and every `examples/*` with models); `--check` only verifies.
    Models {
        #[arg(long)]
        check: bool,
        dirs: Vec<PathBuf>,
        /// The skill whose models to generate: the folder holding its skill package (from its
        /// `tests/dialogs/dialogs.toml`).
        #[arg(long, value_name = "PACKAGE", conflicts_with = "dirs")]
        skill: Option<String>,
    },
    /// Create a new skill crate in `examples/NAME`: one Google-backed intent with its texts,
    /// model source and skill package, `skill.example.toml`, unit tests and a dialog.
    New {
        /// The package name: lowercase words joined by `-` (it is also spoken: "NAME companion").
        name: String,
    },
    /// Print the workspace root, the target directory and the Python venv the commands use, all
    /// found from the current directory and `CARGO_TARGET_DIR` when xtask runs.
    Paths,
}

/// How the offline chain reaches the skill binary, for every command that runs it.
#[derive(Debug, clap::Args)]
struct TransportArg {
    /// `lambda`: the binary behind cargo-lambda's Lambda Runtime API; `serve`: `skill serve` on
    /// loopback, every request signed as Alexa signs it. Default: each skill's
    /// `tests/dialogs/dialogs.toml` (`transport = …`), else `lambda`.
    #[arg(long, value_enum, env = "DIALOGS_TRANSPORT")]
    transport: Option<chain::Transport>,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let root = find_workspace_root()?;
    match cli.command {
        Task::Setup => setup::run(&root),
        Task::Ci => ci(&root),
        Task::Demo { transport, skill } => {
            demo::run(&root, skill.skill.as_deref(), transport.transport)
        }
        Task::Dialogs {
            files,
            jobs,
            transport,
            skill,
        } => dialogs::run(
            &root,
            &files,
            skill.as_deref(),
            jobs,
            transport.transport,
            dialogs::Presentation::Report,
        ),
        Task::Dev {
            auto_consent,
            link,
            transport,
            locale,
            skill,
        } => dev::run(
            &root,
            dev::DevOptions {
                skill: skill.skill,
                link,
                auto_consent,
                transport: transport.transport,
                locale,
            },
        ),
        Task::Say { utterance } => dev::say(&root, &utterance),
        Task::Build { skill } => skills::build(
            &root,
            &skills::package_or_default(&root, skill.skill.as_deref())?,
        ),
        Task::Deploy(args) => deploy::deploy(&root, args),
        Task::Destroy(args) => deploy::destroy(&root, args),
        Task::Models { check, dirs, skill } => models::run(
            &match skill {
                Some(package) => vec![skills::models_dir(&root, &package)?],
                None if dirs.is_empty() => models::skill_dirs(&root),
                None => dirs,
            },
            check,
        ),
        Task::Paths => workspace::print_paths(&root),
        Task::New { name } => new::run(&root, &name),
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
    // The conversations through the whole offline chain, after the tests they build on: over each
    // skill's own transport, then all of them again as `skill serve` with signed requests.
    dialogs::run(root, &[], None, None, None, dialogs::Presentation::Report)?;
    dialogs::run(
        root,
        &[],
        None,
        None,
        Some(chain::Transport::Serve),
        dialogs::Presentation::Report,
    )?;
    eprintln!("xtask ci: all checks passed");
    Ok(())
}

/// The workspace root, found from the current directory when xtask runs (not where it was
/// compiled: two checkouts sharing a `CARGO_TARGET_DIR` share one xtask binary).
pub(crate) fn find_workspace_root() -> anyhow::Result<PathBuf> {
    devstack::venv::workspace_root().map_err(anyhow::Error::msg)
}

/// [`find_workspace_root`] for tests, which `cargo test` runs inside the workspace.
#[cfg(test)]
pub(crate) fn workspace_root() -> PathBuf {
    find_workspace_root().expect("tests run inside the workspace")
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
