//! devstack's integration tests: each twin driven over its real protocol on 127.0.0.1.

mod alexa;
mod alexa_signer;
mod alexa_skill_api;
mod dynamodb;
mod google_apis;
mod google_binary;
mod google_calendar;
mod google_declared;
mod google_faults;
mod google_gmail;
mod google_imports;
mod google_oauth;
mod google_python;
mod google_support;
mod google_transport_faults;
mod lambda;
mod smapi;
