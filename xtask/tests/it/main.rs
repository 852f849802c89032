//! The xtask binary as a user runs it.

mod scaffold;
mod workspace;
