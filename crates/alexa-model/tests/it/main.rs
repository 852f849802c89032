//! Integration tests of alexa-model: Amazon-shaped samples, builder output checked against
//! Amazon's Python model, and leniency towards requests this crate does not fully know.

mod ask_model_check;
mod builder;
mod checks;
mod dependencies;
mod leniency;
mod properties;
mod redaction;
mod samples;
mod slots;
