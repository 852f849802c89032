//! Offline twins of Google, S3, the Lambda Runtime API and Alexa account linking.

pub mod alexa;
pub mod alexa_signer;
pub mod google;
pub mod lambda;
pub mod s3;
pub mod venv;
pub mod voice;
