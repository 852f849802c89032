//! The crate's one error type, and how Google's error responses map onto it.

use serde::Deserialize;

/// What went wrong, phrased as what the caller should do about it.
///
/// No variant ever holds the access token: Google does not echo it in error
/// bodies, and request URLs never carry it (it travels in a header). `Debug` shows the length of
/// a [`Error::BadResponse`] body, not the body: it is a success answer, so the user's own data
/// (file names, event titles, addresses), and handlers log errors with `{:?}`.
#[derive(thiserror::Error)]
pub enum Error {
    /// There is no access token to send: the user has not linked the account (or Alexa could
    /// not refresh the token, which looks the same). Nothing was sent to Google; answer with a
    /// LinkAccount card.
    #[error("no linked access token; the user must link the account")]
    NotLinked,

    /// Google rejected the token (expired, revoked or malformed). The skill
    /// cannot refresh it (Alexa holds the refresh token), so the user must
    /// link the account again: answer with a LinkAccount card.
    #[error("google rejected the access token; the user must link the account again")]
    Relink,

    /// The token is valid but was not granted a scope this call needs. `scopes`
    /// are the scopes Google says would work (from `WWW-Authenticate`'s
    /// `scope="…"`), empty when Google did not say.
    #[error("the access token lacks a needed scope (would work: {})", display_scopes(.scopes))]
    MissingScope {
        /// Space-separated `scope` parameter of `WWW-Authenticate`, split.
        scopes: Vec<String>,
    },

    /// Google's quota or rate limit (429, or 403 `rateLimitExceeded` and kin)
    /// still applied after the retries that fit in the deadline: try later.
    #[error("google rate-limited the request; try again later")]
    RateLimited,

    /// The project's daily or overall quota is spent (403 `dailyLimitExceeded`,
    /// `quotaExceeded`): it will not recover within an answer, so it is never retried. Answer
    /// like Google being unavailable.
    #[error("google's quota for this project is spent ({reason}); retrying cannot help today")]
    QuotaExhausted {
        /// Google's reason.
        reason: String,
    },

    /// Google's answer was larger than [`RESPONSE_SIZE_LIMIT`](crate::RESPONSE_SIZE_LIMIT)
    /// bytes, so it was not read to the end. Not retried (the same request gets the same
    /// answer); answer like Google being unavailable.
    #[error("google's answer exceeded the {limit}-byte response size limit")]
    ResponseTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },

    /// 5xx, a timed-out attempt or a connection failure, after the retries
    /// that fit in the deadline: a transient problem, try later.
    #[error("google is unavailable: {detail}")]
    Unavailable {
        /// What failed, for logs.
        detail: String,
    },

    /// The caller's deadline arrived before Google answered.
    #[error("the deadline passed before google answered")]
    DeadlineExceeded,

    /// Any other error response (bad request, not found, disabled API …):
    /// probably a bug or a configuration problem, not worth retrying.
    #[error("google answered HTTP {status}{}", display_reason(.reason))]
    Api {
        /// HTTP status code.
        status: u16,
        /// Google's `error.errors[].reason`, `error.details[].reason` or
        /// `error.status`, whichever came first.
        reason: Option<String>,
        /// The response body (truncated), for diagnosis.
        body: String,
    },

    /// A success response whose body is not the JSON this crate expects.
    #[error("google answered HTTP {status} with a body that could not be understood: {detail}")]
    BadResponse {
        /// HTTP status code.
        status: u16,
        /// Why the body was rejected.
        detail: String,
        /// The response body (truncated), for diagnosis.
        body: String,
    },

    /// The request could not be built (e.g. a host name that is not one); a bug in the caller.
    #[error("the google request is invalid: {detail}")]
    InvalidRequest {
        /// What is wrong.
        detail: String,
    },

    /// A configuration variable holds something unusable.
    #[error("{variable} is not a usable Google API root URL ({value:?}): {detail}")]
    InvalidEnvironment {
        /// The variable's name, so the message says what to fix.
        variable: &'static str,
        /// Its value.
        value: String,
        /// Why it was rejected.
        detail: String,
    },
}

impl std::fmt::Debug for Error {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::NotLinked => formatter.write_str("NotLinked"),
            Error::Relink => formatter.write_str("Relink"),
            Error::MissingScope { scopes } => formatter
                .debug_struct("MissingScope")
                .field("scopes", scopes)
                .finish(),
            Error::RateLimited => formatter.write_str("RateLimited"),
            Error::QuotaExhausted { reason } => formatter
                .debug_struct("QuotaExhausted")
                .field("reason", reason)
                .finish(),
            Error::ResponseTooLarge { limit } => formatter
                .debug_struct("ResponseTooLarge")
                .field("limit", limit)
                .finish(),
            Error::Unavailable { detail } => formatter
                .debug_struct("Unavailable")
                .field("detail", detail)
                .finish(),
            Error::DeadlineExceeded => formatter.write_str("DeadlineExceeded"),
            Error::Api {
                status,
                reason,
                body,
            } => formatter
                .debug_struct("Api")
                .field("status", status)
                .field("reason", reason)
                .field("body", body)
                .finish(),
            Error::BadResponse {
                status,
                detail,
                body,
            } => formatter
                .debug_struct("BadResponse")
                .field("status", status)
                .field("detail", detail)
                .field("body", &format_args!("<{} bytes>", body.len()))
                .finish(),
            Error::InvalidRequest { detail } => formatter
                .debug_struct("InvalidRequest")
                .field("detail", detail)
                .finish(),
            Error::InvalidEnvironment {
                variable,
                value,
                detail,
            } => formatter
                .debug_struct("InvalidEnvironment")
                .field("variable", variable)
                .field("value", value)
                .field("detail", detail)
                .finish(),
        }
    }
}

impl Error {
    /// Whether the same request may succeed if repeated later: rate limits
    /// and transient unavailability. A relink, missing scope, deadline or
    /// malformed request will fail the same way again.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Error::RateLimited | Error::Unavailable { .. })
    }
}

/// Longest body excerpt kept in an error: enough for Google's JSON error
/// envelope, small enough for a log line.
const BODY_EXCERPT_LIMIT: usize = 4096;

pub(crate) fn body_excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(BODY_EXCERPT_LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

/// Maps a non-success response to an [`Error`].
///
/// Google's reasons decide first, in google-api-python-client's lookup order
/// (`error.errors[].reason`, then `error.details[].reason`, then
/// `error.status`), because the status alone misleads: a 403 may be a rate
/// limit (`userRateLimitExceeded`) or a missing scope. The status and the
/// `WWW-Authenticate` header decide when no reason is known.
pub(crate) fn classify(status: u16, www_authenticate: Option<&str>, body: &[u8]) -> Error {
    // A 401 is always about the token, whatever reason the body gives (docs/google-apis.md):
    // the only fix is a new link, and a body that says otherwise must not turn it into a retry.
    if status == 401 {
        return Error::Relink;
    }
    let reasons = reasons_from_body(body);
    let first_reason = reasons.first().cloned();
    let missing_scope = || Error::MissingScope {
        scopes: www_authenticate
            .and_then(|header| auth_parameter(header, "scope"))
            .map(|scopes| scopes.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default(),
    };
    let unavailable = |reason: Option<&str>| Error::Unavailable {
        detail: match reason {
            Some(reason) => format!("HTTP {status} ({reason})"),
            None => format!("HTTP {status}"),
        },
    };

    for reason in &reasons {
        match reason_kind(reason) {
            Some(ReasonKind::Relink) => return Error::Relink,
            Some(ReasonKind::MissingScope) => return missing_scope(),
            Some(ReasonKind::RateLimited) => return Error::RateLimited,
            Some(ReasonKind::QuotaExhausted) => {
                return Error::QuotaExhausted {
                    reason: reason.clone(),
                };
            }
            Some(ReasonKind::Transient) if status >= 500 => {
                return unavailable(Some(reason));
            }
            Some(ReasonKind::Transient) | None => {}
        }
    }

    let header_error = www_authenticate.and_then(|header| auth_parameter(header, "error"));
    match (status, header_error.as_deref()) {
        (401, _) | (_, Some("invalid_token")) => Error::Relink,
        (403, Some("insufficient_scope")) => missing_scope(),
        (429, _) => Error::RateLimited,
        (408 | 500 | 502 | 503 | 504, _) => unavailable(first_reason.as_deref()),
        _ => Error::Api {
            status,
            reason: first_reason,
            body: body_excerpt(body),
        },
    }
}

enum ReasonKind {
    Relink,
    MissingScope,
    RateLimited,
    QuotaExhausted,
    Transient,
}

fn reason_kind(reason: &str) -> Option<ReasonKind> {
    match reason {
        // v1 reasons, ErrorInfo reasons, AIP-193 statuses and the OAuth-style
        // `{"error":"invalid_token"}` of the userinfo endpoint.
        "authError"
        | "CREDENTIALS_MISSING"
        | "ACCESS_TOKEN_EXPIRED"
        | "ACCESS_TOKEN_TYPE_UNSUPPORTED"
        | "UNAUTHENTICATED"
        | "invalid_token" => Some(ReasonKind::Relink),
        "insufficientPermissions" | "ACCESS_TOKEN_SCOPE_INSUFFICIENT" => {
            Some(ReasonKind::MissingScope)
        }
        // Per-minute and per-user limits clear within seconds: retried.
        "rateLimitExceeded"
        | "userRateLimitExceeded"
        | "RATE_LIMIT_EXCEEDED"
        | "RESOURCE_EXHAUSTED" => Some(ReasonKind::RateLimited),
        // A spent daily or project quota does not clear within an answer (docs/google-apis.md):
        // retrying only burns the deadline.
        "quotaExceeded" | "dailyLimitExceeded" => Some(ReasonKind::QuotaExhausted),
        "backendError" | "internalError" | "INTERNAL" | "UNAVAILABLE" | "DEADLINE_EXCEEDED" => {
            Some(ReasonKind::Transient)
        }
        _ => None,
    }
}

fn reasons_from_body(body: &[u8]) -> Vec<String> {
    let Ok(envelope) = serde_json::from_slice::<ErrorEnvelope>(body) else {
        return Vec::new();
    };
    match envelope.error {
        ErrorField::Object(error) => error
            .errors
            .into_iter()
            .filter_map(|item| item.reason)
            .chain(error.details.into_iter().filter_map(|detail| detail.reason))
            .chain(error.status)
            .collect(),
        ErrorField::Code(code) => vec![code],
    }
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ErrorField,
}

/// Google APIs nest an object under `error`; OAuth-style endpoints
/// (userinfo) put a code string there.
#[derive(Deserialize)]
#[serde(untagged)]
enum ErrorField {
    Object(ErrorObject),
    Code(String),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ErrorObject {
    errors: Vec<ReasonHolder>,
    details: Vec<ReasonHolder>,
    status: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ReasonHolder {
    reason: Option<String>,
}

/// The value of one auth-param of a `WWW-Authenticate: Bearer …` header,
/// quoted (`scope="a b"`, backslash escapes honored) or bare.
pub(crate) fn auth_parameter(header: &str, name: &str) -> Option<String> {
    let parameters = header
        .trim_start()
        .strip_prefix("Bearer")
        .or_else(|| header.trim_start().strip_prefix("bearer"))
        .unwrap_or(header);
    let mut rest = parameters.trim_start();
    while !rest.is_empty() {
        let (key, after_key) = rest.split_once('=')?;
        let key = key.trim().trim_start_matches(',').trim();
        let after_key = after_key.trim_start();
        let (value, remainder) = if let Some(quoted) = after_key.strip_prefix('"') {
            let mut value = String::new();
            let mut characters = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((index, character)) = characters.next() {
                match character {
                    '\\' => {
                        if let Some((_, escaped)) = characters.next() {
                            value.push(escaped);
                        }
                    }
                    '"' => {
                        end = index + 1;
                        break;
                    }
                    other => value.push(other),
                }
            }
            (value, &quoted[end..])
        } else {
            let end = after_key.find(',').unwrap_or(after_key.len());
            (after_key[..end].trim().to_owned(), &after_key[end..])
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        rest = remainder.trim_start().trim_start_matches(',').trim_start();
    }
    None
}

fn display_scopes(scopes: &[String]) -> String {
    if scopes.is_empty() {
        "not stated".to_owned()
    } else {
        scopes.join(" ")
    }
}

fn display_reason(reason: &Option<String>) -> String {
    reason
        .as_ref()
        .map(|reason| format!(" ({reason})"))
        .unwrap_or_default()
}
