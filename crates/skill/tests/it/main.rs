//! Integration tests of the skill: the handler in every link state, the skill package, and the
//! real binary.

mod create_event;
mod device_zone;
mod faults;
mod google;
mod interaction_model;
mod invoke;
mod lambda;
mod languages;
mod link_states;
mod notes_state;
mod progress;
mod serve;
mod support;
mod user_state;
