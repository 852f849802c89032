//! Every request and response of a run, checked with Amazon's own model (ask-sdk-model).
//!
//! The judge is `devstack::ask_model`, the check the skills' tests use too: one Python process
//! for the whole run.

pub(crate) use devstack::ask_model::EnvelopeKind;
use serde_json::Value;

/// One envelope of a dialog, with where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Envelope {
    pub(crate) kind: EnvelopeKind,
    pub(crate) json: Value,
    /// `step 3`.
    pub(crate) label: String,
}

/// For each envelope, in order, what ask-sdk-model found wrong with it (empty: nothing).
pub(crate) fn check_all(envelopes: &[&Envelope]) -> anyhow::Result<Vec<Vec<String>>> {
    let pairs: Vec<(EnvelopeKind, &Value)> = envelopes
        .iter()
        .map(|envelope| (envelope.kind, &envelope.json))
        .collect();
    devstack::ask_model::check_all(&pairs)
}
