//! The Google OAuth scopes this tool knows: the workspace's one scope table,
//! `google_api::scopes`, under the names the rest of this crate uses, plus the scopes a
//! configuration declares itself (`[[google.declared_scopes]]`, resolved by `resolve`). Which API each scope needs
//! enabled, what the checklist says about it and how Google classifies it (which decides
//! verification and the Testing 7-day refresh-token limit) are described there, once.

pub use google_api::scopes::{
    ALL as KNOWN_SCOPES, HOW_TO_DECLARE, Scope as KnownScope, ScopeDeclaration, Sensitivity,
    apis_to_enable, lookup, resolve, testing_tokens_expire,
};
