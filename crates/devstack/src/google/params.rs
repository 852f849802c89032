//! Query-string and form parameters, decoded the way Google's front ends decode them.
//!
//! Handlers look parameters up by name instead of deserializing into structs so that a missing,
//! empty or repeated parameter can be answered with Google's own error, not a framework rejection.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};

/// Decoded `name=value` pairs in request order (`+` is a space, as in HTML forms).
#[derive(Debug, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub(crate) fn parse(encoded: &[u8]) -> Self {
        Params(
            url::form_urlencoded::parse(encoded)
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect(),
        )
    }

    pub(crate) fn from_query(query: Option<&str>) -> Self {
        Self::parse(query.unwrap_or_default().as_bytes())
    }

    /// Adds `other`'s pairs after this one's, for endpoints that take both query and body.
    pub(crate) fn extend(&mut self, other: Params) {
        self.0.extend(other.0);
    }

    /// The first value of `name`; an empty value counts as absent, as it does at Google.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(candidate, _)| candidate == name)
            .map(|(_, value)| value.as_str())
            .filter(|value| !value.is_empty())
    }

    /// Every value of `name`, in order.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(candidate, _)| candidate == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// `prettyPrint` system parameter: Google pretty-prints unless it is `false`.
    pub(crate) fn pretty_print(&self) -> bool {
        self.get("prettyPrint") != Some("false")
    }

    /// An access token passed as the `access_token` or `oauth_token` system parameter.
    pub(crate) fn access_token(&self) -> Option<&str> {
        self.get("access_token").or(self.get("oauth_token"))
    }
}

/// Percent-decodes a URL path segment (`+` stays a plus, unlike in query strings).
pub(crate) fn percent_decode_path(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = segment.get(index + 1..index + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

/// A page token that carries the offset of the next page, opaque to clients like Google's.
pub(crate) fn encode_page_token(kind: &str, offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("devstack-{kind}-offset:{offset}"))
}

/// The offset in a token from [`encode_page_token`] for the same `kind`.
pub(crate) fn decode_page_token(kind: &str, token: &str) -> Option<usize> {
    let decoded = String::from_utf8(URL_SAFE_NO_PAD.decode(token).ok()?).ok()?;
    decoded
        .strip_prefix(&format!("devstack-{kind}-offset:"))?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_count_as_missing_and_plus_is_space() {
        let params = Params::parse(b"scope=&state=a+b%26c&state=second");
        assert_eq!(params.get("scope"), None);
        assert_eq!(params.get("state"), Some("a b&c"));
        assert_eq!(params.all("state"), ["a b&c", "second"]);
    }

    #[test]
    fn path_segments_decode_percent_but_keep_plus() {
        assert_eq!(
            percent_decode_path("%27My%20Sheet%27%21A1+B").as_deref(),
            Some("'My Sheet'!A1+B")
        );
        assert_eq!(percent_decode_path("bad%2"), None);
    }
}
