//! `cargo xtask dialogs`: conversations written as data, run through the whole offline chain.

pub(crate) mod format;
