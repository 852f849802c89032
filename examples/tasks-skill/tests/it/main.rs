//! Integration tests of the Tasks example: the scope it declares (in code and in its config),
//! the skill package, and the real binary against the Google twin playing the declared Tasks
//! routes in every link state.

mod config;
mod google;
mod interaction_model;
