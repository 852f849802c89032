//! Integration tests of `alexa-signature`: every test vector of docs/request-signatures.md.

mod certificate_url;
mod chain;
mod dependencies;
mod signature;
mod support;
mod timestamp;
