//! `cargo xtask demo`: the whole account-linking chain on this machine, with no cloud account, as
//! a readable walk through one dialog file of a skill (`--skill`, else the configuration's
//! `[skill] package`).
//!
//! The conversation is the skill's `tests/dialogs/demo.yaml`, run by the same runner as
//! `cargo xtask dialogs` (`xtask/src/dialogs`, with the chain in `chain.rs`): the real login page on
//! the local S3, linking through it in headless Chromium against the Google twin, the real skill
//! binary behind cargo-lambda's Lambda Runtime API (or `skill serve` with `--transport serve`), token expiry and refresh, revocation and
//! relinking, Amazon's model over every envelope and a scan of every log line for tokens. Its
//! transcript is printed as it happens; a step that does not behave stops the demo naming it.

use std::path::Path;

use anyhow::bail;

use crate::{
    chain::Transport,
    dialogs::{self, Presentation},
};

/// The dialog the demo walks through, in the skill's dialog folder.
const DEMO_DIALOG: &str = "demo.yaml";

/// Walks the demo dialog of `skill`; `transport` overrides the skill's `dialogs.toml`.
pub(crate) fn run(
    root: &Path,
    skill: Option<&str>,
    transport: Option<Transport>,
) -> anyhow::Result<()> {
    let package = crate::skills::package_or_default(root, skill)?;
    let dialog = crate::skills::with_dialogs(root, &package, transport)?
        .dialogs_directory
        .join(DEMO_DIALOG);
    if !dialog.is_file() {
        bail!(
            "the skill `{package}` has no demo: write {} (see docs/dialogs.md), or run its \
             dialogs with `cargo xtask dialogs --skill {package}`",
            dialog.display()
        );
    }
    dialogs::run(
        root,
        &[dialog],
        Some(&package),
        Some(1),
        transport,
        Presentation::Walkthrough,
    )
}
