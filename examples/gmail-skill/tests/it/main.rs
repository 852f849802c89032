//! Integration tests of the Gmail example: the handlers in every link state with a fake Google,
//! the skill package, and the real binary (alone and against the Google twin).

mod google;
mod interaction_model;
mod invoke;
mod link_states;
mod support;
