//! `cargo xtask demo`: the whole account-linking chain on this machine, with no cloud account, as
//! a readable walk through one dialog file of the sample skill.
//!
//! The conversation is `crates/skill/tests/dialogs/demo.yaml`, run by the same runner as
//! `cargo xtask dialogs` (`xtask/src/dialogs`, with the chain in `chain.rs`): the real login page on
//! the local S3, linking through it in headless Chromium against the Google twin, the real skill
//! binary behind cargo-lambda's Lambda Runtime API (or `skill serve` with `--transport serve`), token expiry and refresh, revocation and
//! relinking, Amazon's model over every envelope and a scan of every log line for tokens. Its
//! transcript is printed as it happens; a step that does not behave stops the demo naming it.

use std::path::Path;

use crate::{
    chain::Transport,
    dialogs::{self, Presentation},
};

/// The dialog the demo walks through, relative to the workspace root.
const DEMO_DIALOG: &str = "crates/skill/tests/dialogs/demo.yaml";

/// Walks the demo dialog; `transport` overrides the sample's `dialogs.toml`.
pub(crate) fn run(root: &Path, transport: Option<Transport>) -> anyhow::Result<()> {
    dialogs::run(
        root,
        &[root.join(DEMO_DIALOG)],
        Some(1),
        transport,
        Presentation::Walkthrough,
    )
}
