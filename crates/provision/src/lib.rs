//! Provisioning logic that end users run (the `provision` CLI, `cargo xtask deploy`/`demo`): building
//! S3 clients and publishing the Alexa account-linking login page.
//!
//! The AWS SDK lives here and never in `crates/skill`: the Lambda binary stays small and must not
//! depend on this crate.

mod error;
pub mod login_page;
pub mod s3;

pub use error::Error;
