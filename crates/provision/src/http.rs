//! The one reqwest client provisioning uses for Google, SMAPI and LWA, with bounded timeouts so
//! a wrong or dead endpoint fails in seconds instead of hanging.

use std::time::Duration;

/// Time allowed to open a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Time allowed for a whole request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A client with [`CONNECT_TIMEOUT`], [`REQUEST_TIMEOUT`] and this tool's user agent.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .user_agent(concat!("provision/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("a rustls client with timeouts always builds")
}

/// The deepest source's text ("Connection refused (os error 111)") without reqwest's layers, and
/// without the URL reqwest puts in its own message (a URL may carry a query worth not echoing).
pub fn innermost_message(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}
