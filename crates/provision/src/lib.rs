//! Provisioning logic that end users run (the `provision` CLI, `cargo xtask deploy`/`demo`): the
//! `skill.toml` configuration, the Google Cloud checklist, online checks, publishing the Alexa
//! account-linking login page to S3, and configuring account linking through SMAPI.
//!
//! The AWS SDK lives here and never in `crates/skill`: the Lambda binary stays small and must not
//! depend on this crate.

pub mod check;
pub mod config;
pub mod deploy;
pub mod deploy_state;
pub mod destroy;
mod error;
pub mod google_setup;
pub mod http;
pub mod login_page;
pub mod lwa;
pub mod preflight;
pub mod s3;
pub mod scopes;
pub mod skill_package;
pub mod smapi;
pub mod stack;
pub mod state_table;

pub use config::{Config, ConfigError};
pub use error::S3Error;
