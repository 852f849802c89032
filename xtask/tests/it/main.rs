//! The xtask binary as a user runs it.

mod dev_signals;
mod scaffold;
mod workspace;
