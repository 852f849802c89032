//! Escaping for the two places user text ends up in a request: URL path segments and Drive queries.

/// Percent-encodes everything except RFC 3986 unreserved characters, so a
/// Sheets range such as `Notes!A:B` becomes one path segment `Notes%21A%3AB`
/// and a `/`, `?` or `#` in a sheet name cannot change the request's path.
pub fn encode_path_segment(segment: &str) -> String {
    let mut encoded = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// A Drive query string literal: the value in single quotes with `\` and `'`
/// escaped by a backslash, as Drive's query language requires
/// (`name = 'Ada\'s notes'`). Backslashes go first so the escapes added for
/// quotes are not escaped again.
pub fn drive_query_string(value: &str) -> String {
    let escaped = value.replace('\\', "\\\\").replace('\'', "\\'");
    format!("'{escaped}'")
}
