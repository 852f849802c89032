//! Serde types and pure functions for Alexa custom-skill requests and responses.
