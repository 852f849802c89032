//! The skill: turns each Alexa request into an answer, calling Google with the user's linked token.
//!
//! `main` sets up logging and builds one [`Skill`] with the real Google client; the handler itself
//! only sees the [`Google`] trait, so unit tests drive it with a fake and integration tests drive
//! the real binary against the Google twin in `devstack`.

mod google;
mod handler;
pub mod intent;
pub mod logging;
pub mod speech;

pub use crate::{
    google::Google,
    handler::{Config, ConfigError, Error, Skill},
};
