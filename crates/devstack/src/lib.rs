//! Offline twins of Google, S3, the Lambda Runtime API, Alexa account linking and SMAPI.

pub mod alexa;
pub mod alexa_signer;
pub mod ask_model;
pub mod ask_smapi_model;
pub mod chromium;
pub mod dynamodb;
pub mod google;
pub mod lambda;
pub mod s3;
pub mod smapi;
pub mod venv;
pub mod voice;
