//! The one reqwest client provisioning uses for Google, SMAPI and LWA, with bounded timeouts so
//! a wrong or dead endpoint fails in seconds instead of hanging, and the one rule for URLs that
//! carry a token or secret: `https`, or plain `http` only to a loopback host (docs/smapi.md).

use std::time::Duration;

/// Time allowed to open a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Time allowed for a whole request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A client with [`CONNECT_TIMEOUT`], [`REQUEST_TIMEOUT`], this tool's user agent, and no
/// redirects: a redirected request would carry its body (the Google client secret, an LWA refresh
/// token) to wherever the `Location` points, and none of the APIs it calls redirects; a 3xx is
/// reported as the error it is.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
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

/// `url` without what may be a credential: the query (a presigned URL's `X-Amz-Credential`,
/// `X-Amz-Security-Token` and `X-Amz-Signature`), the fragment and any user or password.
pub fn without_credentials(url: &url::Url) -> url::Url {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    // Fails only for URLs that cannot have a user part, which then have none to remove.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url
}

/// True for `127.0.0.0/8`, `[::1]` and `localhost`: hosts whose traffic never leaves the machine.
pub fn is_loopback_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    }
}

/// Whether a token or secret may be sent to `url`: `https` anywhere, `http` to loopback only.
pub fn may_carry_secrets(url: &url::Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => is_loopback_host(url),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_for_loopback_hosts_only() {
        let cases = [
            ("https://api.amazonalexa.com", true),
            ("http://127.0.0.1:8080", true),
            ("http://127.8.9.10", true),
            ("http://localhost:5000/x", true),
            ("http://LOCALHOST", true),
            ("http://[::1]:9000", true),
            ("http://api.amazonalexa.com", false),
            ("http://128.0.0.1", false),
            ("http://10.0.0.1", false),
            ("http://localhost.example.com", false),
            ("http://[::2]", false),
            ("ftp://127.0.0.1", false),
        ];
        for (text, expected) in cases {
            let url = url::Url::parse(text).unwrap();
            assert_eq!(may_carry_secrets(&url), expected, "{text}");
        }
    }
}
