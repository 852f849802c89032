//! provision's integration tests: the library against the local S3 twin, and the real `provision`
//! binary against the Google emulator, the local S3 twin and a SMAPI + LWA stand-in, all over
//! loopback.

mod account_linking;
mod check;
mod cli;
mod deploy;
mod http;
mod login_domain;
mod login_page;
mod preflight;
mod s3_twin;
mod stack;
mod state_table;
mod support;
