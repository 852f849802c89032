//! `cargo xtask dialogs [FILE…]`: conversations written as data (`tests/dialogs/*.yaml` of each
//! skill, format in `docs/dialogs.md`), each run through a whole offline chain of its own.
//!
//! Each dialog gets its own Google twin, Alexa redirect host, link and skill process, so no
//! dialog sees another's tokens, faults or notes; the built binary and the local S3 (one bucket
//! per dialog) are shared. Dialogs run several at a time. After the last one, every request and
//! response of the run is checked with Amazon's ask-sdk-model, and every log line of the run
//! (skills, Lambda emulators, twins) is scanned for tokens and secrets.

mod device_state;
pub(crate) mod format;
mod model_check;
mod runner;
pub(crate) mod skill;

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    sync::Arc,
    time::Instant,
};

use anyhow::{Context, bail};
use tokio::{sync::Semaphore, task::JoinSet};

use crate::chain::{self, Infra, LogBuffer, SeenSecrets, Transport};
pub(crate) use device_state::progressive_lines;
use runner::{DialogOutcome, Transcript};
use skill::SkillUnderTest;

/// How a run is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presentation {
    /// Each dialog's transcript printed whole when it ends, then the summary line.
    Report,
    /// One dialog at a time, its transcript printed as it happens (the demo).
    Walkthrough,
}

/// Runs `files` (every dialog of every skill, or of `only_skill`, when empty), `jobs` at a time,
/// over `transport` when given (else each skill's own).
pub(crate) fn run(
    root: &Path,
    files: &[PathBuf],
    only_skill: Option<&str>,
    jobs: Option<usize>,
    transport: Option<Transport>,
    presentation: Presentation,
) -> anyhow::Result<()> {
    crate::setup::run(root)?;
    let mut skills = skill::discover(root, transport)?;
    if let Some(package) = only_skill {
        skills = vec![crate::skills::with_dialogs(root, package, transport)?];
    }
    if skills.is_empty() {
        bail!(
            "no skill has dialogs: add tests/dialogs/{} to a skill's package",
            skill::DESCRIPTION_FILE
        );
    }
    let selected = select(root, &skills, files)?;
    let mut binaries = BTreeMap::new();
    for (skill_index, _) in &selected {
        let skill = &skills[*skill_index];
        if !binaries.contains_key(skill_index) {
            let binary = chain::build_skill(root, &skill.package, &skill.binary)?;
            binaries.insert(*skill_index, binary);
        }
    }
    let jobs = match presentation {
        Presentation::Walkthrough => 1,
        Presentation::Report => jobs.unwrap_or_else(default_jobs).max(1),
    };
    let logs = LogBuffer::install();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let started = Instant::now();
    let outcomes = runtime.block_on(run_all(
        Arc::new(skills),
        Arc::new(binaries),
        selected,
        jobs,
        presentation,
    ))?;
    summarize(root, outcomes, &logs, started, presentation)
}

/// One dialog per core: a dialog mostly waits (on Chromium, the Lambda emulator, the twin), so
/// more would fit, but each one also starts three processes.
fn default_jobs() -> usize {
    std::thread::available_parallelism()
        .map(|cores| cores.get())
        .unwrap_or(1)
}

/// (skill index, dialog file) of every dialog to run.
fn select(
    root: &Path,
    skills: &[SkillUnderTest],
    files: &[PathBuf],
) -> anyhow::Result<Vec<(usize, PathBuf)>> {
    let mut selected = Vec::new();
    if files.is_empty() {
        for (index, skill) in skills.iter().enumerate() {
            for file in skill.dialog_files()? {
                selected.push((index, file));
            }
        }
        return Ok(selected);
    }
    for file in files {
        let path = if file.is_absolute() {
            file.clone()
        } else {
            std::env::current_dir()?.join(file)
        };
        let path = path
            .canonicalize()
            .with_context(|| format!("no dialog file {}", file.display()))?;
        let owner = skills.iter().position(|skill| {
            skill
                .dialogs_directory
                .canonicalize()
                .is_ok_and(|directory| path.starts_with(directory))
        });
        let Some(owner) = owner else {
            let folders: Vec<String> = skills
                .iter()
                .map(|skill| relative(root, &skill.dialogs_directory))
                .collect();
            bail!(
                "{} is not in a skill's dialog folder ({}): the folder's {} says which skill \
                 runs it",
                file.display(),
                folders.join(", "),
                skill::DESCRIPTION_FILE
            );
        };
        selected.push((owner, path));
    }
    Ok(selected)
}

async fn run_all(
    skills: Arc<Vec<SkillUnderTest>>,
    binaries: Arc<BTreeMap<usize, PathBuf>>,
    selected: Vec<(usize, PathBuf)>,
    jobs: usize,
    presentation: Presentation,
) -> anyhow::Result<Vec<DialogOutcome>> {
    let infra = Arc::new(Infra::start().await?);
    let permits = Arc::new(Semaphore::new(jobs));
    let mut tasks = JoinSet::new();
    let streaming = presentation == Presentation::Walkthrough;
    chain::progress(&format!(
        "running {} dialog{} ({jobs} at a time)",
        selected.len(),
        if selected.len() == 1 { "" } else { "s" }
    ));
    for (order, (skill_index, path)) in selected.into_iter().enumerate() {
        let (skills, binaries, infra, permits) = (
            Arc::clone(&skills),
            Arc::clone(&binaries),
            Arc::clone(&infra),
            Arc::clone(&permits),
        );
        tasks.spawn(async move {
            let _permit = permits
                .acquire_owned()
                .await
                .expect("the semaphore stays open");
            let transport = skills[skill_index].transport;
            if streaming {
                println!("\n── {} ({})", path.display(), transport.label());
            }
            let outcome = runner::run_dialog(
                &infra,
                &skills[skill_index],
                &binaries[&skill_index],
                &path,
                Transcript::new(streaming),
            )
            .await;
            if !streaming {
                print_outcome(&outcome, transport);
            }
            (order, outcome)
        });
    }
    let mut outcomes = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        outcomes.push(joined.context("a dialog task panicked")?);
    }
    outcomes.sort_by_key(|(order, _)| *order);
    Ok(outcomes.into_iter().map(|(_, outcome)| outcome).collect())
}

fn print_outcome(outcome: &DialogOutcome, transport: Transport) {
    println!("\n── {} ({})", outcome.path.display(), transport.label());
    print!("{}", outcome.transcript);
    let seconds = outcome.elapsed.as_secs_f64();
    match &outcome.failure {
        None => println!("  ✓ passed ({seconds:.1} s)"),
        Some(_) => println!("  ✗ failed ({seconds:.1} s)"),
    }
}

/// Amazon's model over every envelope, the log scan over every line, and the summary line.
fn summarize(
    root: &Path,
    mut outcomes: Vec<DialogOutcome>,
    logs: &LogBuffer,
    started: Instant,
    presentation: Presentation,
) -> anyhow::Result<()> {
    let envelopes: Vec<_> = outcomes
        .iter()
        .flat_map(|outcome| outcome.envelopes.iter())
        .collect();
    let verdicts = model_check::check_all(&envelopes)?;
    let checked = envelopes.len();
    let mut verdicts = verdicts.into_iter();
    for outcome in &mut outcomes {
        for envelope in &outcome.envelopes {
            let differences = verdicts.next().unwrap_or_default();
            if !differences.is_empty() && outcome.failure.is_none() {
                outcome.failure = Some(format!(
                    "{}: ask-sdk-model rejects the {:?}:\n      {}",
                    envelope.label,
                    envelope.kind,
                    differences.join("\n      ")
                ));
            }
        }
    }
    println!("\n· ask-sdk-model checked {checked} requests and responses");

    let mut seen = SeenSecrets::default();
    let mut all_logs = String::new();
    for outcome in &mut outcomes {
        seen.extend(std::mem::take(&mut outcome.seen));
        all_logs.push_str(&outcome.logs);
        all_logs.push('\n');
    }
    all_logs.push_str(&logs.contents());
    let scan = chain::scan_for_secrets(&all_logs, &seen);
    match &scan {
        Ok(()) => println!(
            "· no token, code or secret in {} lines of skill, skill host (Lambda emulator or \
             `serve`) and twin logs",
            all_logs.lines().count()
        ),
        Err(error) => println!("✗ {error:#}"),
    }

    let failed: Vec<&DialogOutcome> = outcomes
        .iter()
        .filter(|outcome| outcome.failure.is_some())
        .collect();
    for outcome in &failed {
        let failure = outcome.failure.as_deref().unwrap_or_default();
        println!("✗ {}: {failure}", relative(root, &outcome.path));
    }
    let passed = outcomes.len() - failed.len();
    if presentation == Presentation::Walkthrough && failed.is_empty() && scan.is_ok() {
        println!("\n✓ every step behaved as expected");
    }
    println!(
        "\n{passed} passed, {} failed ({:.1} s)",
        failed.len(),
        started.elapsed().as_secs_f64()
    );
    scan.context("the log scan found a secret")?;
    if !failed.is_empty() {
        bail!("{} of {} dialogs failed", failed.len(), outcomes.len());
    }
    Ok(())
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dialog_file_of_the_workspace_parses() {
        let root = crate::workspace_root();
        let skills = skill::discover(&root, None).unwrap();
        assert!(
            !skills.is_empty(),
            "no skill has tests/dialogs/dialogs.toml"
        );
        let mut failures = Vec::new();
        let mut count = 0;
        for skill in &skills {
            for file in skill.dialog_files().unwrap() {
                count += 1;
                if let Err(error) = format::load(&file) {
                    failures.push(format!("{error:#}"));
                }
            }
        }
        assert!(count > 0, "the skills have no dialog files");
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
