//! Gmail v1: `users.messages.list`, `users.messages.get` and `users.labels.get` over each test
//! user's seeded mailbox.
//!
//! The facts relied on (paths, parameters, error bodies, the `gmail.metadata` restrictions, id
//! shapes) are written down with their public sources in `docs/google-gmail.md`. In short:
//! `userId` is `me` or the caller's own address (anything else is 403 "Delegation denied"); lists
//! are newest first by `internalDate`, exclude `SPAM` and `TRASH` unless `includeSpamTrash=true`,
//! and omit `messages` when nothing matches; a message ID that is not a hexadecimal number below
//! 2^63 is 400 "Invalid id value" while an unknown well-formed one is 404; a token carrying
//! `gmail.metadata` may not send `q` or ask for `format=full`/`raw`.
//!
//! `q` supports the operators a skill needs (see [`SearchTerm`]); any other operator is answered
//! with a 400 that names the supported ones, so a test never silently gets a wrong result.

use std::{collections::BTreeSet, sync::Arc};

use axum::{
    extract::{Path, RawQuery, State},
    http::StatusCode,
    response::Response,
};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::{
    api_errors,
    auth::{Authorized, Caller},
    clock::ClockArithmetic,
    fields::selected_json_response,
    methods::{GmailLabelsGet, GmailMessagesGet, GmailMessagesList},
    params::{self, Params},
    state::{Shared, UserData},
    world::gmail::{Format, MailMessage, is_valid_message_id},
};

/// The scope whose tokens may not search (`q`) nor read bodies (`format=full|raw`).
pub(crate) const METADATA_SCOPE: &str = "https://www.googleapis.com/auth/gmail.metadata";

/// The system labels every mailbox has; `labels.get` answers for these.
pub(crate) const SYSTEM_LABELS: &[&str] = &[
    "CHAT",
    "SENT",
    "INBOX",
    "IMPORTANT",
    "TRASH",
    "DRAFT",
    "SPAM",
    "CATEGORY_FORUMS",
    "CATEGORY_UPDATES",
    "CATEGORY_PERSONAL",
    "CATEGORY_PROMOTIONS",
    "CATEGORY_SOCIAL",
    "STARRED",
    "UNREAD",
];

/// `maxResults` default and ceiling of `messages.list` (discovery document).
const DEFAULT_MAX_RESULTS: usize = 100;
const MAX_MAX_RESULTS: usize = 500;

/// `GET /gmail/v1/users/{userId}/messages`.
pub(crate) async fn list_messages(
    State(shared): State<Arc<Shared>>,
    Path(user_id): Path<String>,
    RawQuery(query): RawQuery,
    Authorized { caller, .. }: Authorized<GmailMessagesList>,
) -> Response {
    let params = Params::from_query(query.as_deref());
    if let Err(response) = check_user_id(&caller, &user_id) {
        return response;
    }
    // Even an empty `q` is refused with the metadata scope, whatever broader scopes the token has.
    let query_values = params.all("q");
    if !query_values.is_empty() && caller.scopes.contains(METADATA_SCOPE) {
        return forbidden("Metadata scope does not support 'q' parameter");
    }
    let max_results = match params.get("maxResults") {
        None => DEFAULT_MAX_RESULTS,
        Some(text) => match text.parse::<u32>() {
            Ok(0) => DEFAULT_MAX_RESULTS,
            Ok(count) => usize::try_from(count)
                .unwrap_or(MAX_MAX_RESULTS)
                .min(MAX_MAX_RESULTS),
            Err(_) => return invalid_value("max_results", "TYPE_UINT32", text),
        },
    };
    let include_spam_trash = match params.get("includeSpamTrash") {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => return invalid_value("include_spam_trash", "TYPE_BOOL", other),
    };
    let offset = match params.get("pageToken") {
        None => 0,
        Some(token) => match params::decode_page_token("gmail", token) {
            Some(offset) => offset,
            None => return invalid_argument("Invalid pageToken"),
        },
    };
    let label_ids: Vec<&str> = params
        .all("labelIds")
        .into_iter()
        .filter(|label| !label.is_empty())
        .collect();
    if let Some(unknown) = label_ids
        .iter()
        .find(|label| !SYSTEM_LABELS.contains(label))
    {
        return invalid_argument(&format!("Invalid label: {unknown}"));
    }
    let terms = match params.get("q").map(parse_search) {
        None => Vec::new(),
        Some(Ok(terms)) => terms,
        Some(Err(message)) => return twin_unsupported(&message),
    };
    // Naming spam or trash in the query searches them, as in Gmail's search box.
    let searches_spam_or_trash = terms.iter().any(|term| {
        matches!(&term.kind, TermKind::In(place) if matches!(place.as_str(), "spam" | "trash" | "anywhere"))
    });

    let state = shared.lock();
    let now = state.now();
    let Some(user) = state.user(&caller.email) else {
        return api_errors::invalid_credentials();
    };
    let mut matching: Vec<&MailMessage> = user
        .messages
        .iter()
        .filter(|message| {
            include_spam_trash
                || searches_spam_or_trash
                || !(message.has_label("SPAM") || message.has_label("TRASH"))
        })
        .filter(|message| label_ids.iter().all(|label| message.has_label(label)))
        .filter(|message| terms.iter().all(|term| term.matches(message, now)))
        .collect();
    matching.sort_by(|left, right| {
        right
            .internal_date
            .cmp(&left.internal_date)
            .then_with(|| right.id.cmp(&left.id))
    });
    let page: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(max_results)
        .map(|message| json!({"id": message.id, "threadId": message.thread_id}))
        .collect();
    let next_offset = offset.saturating_add(page.len());
    let mut body = serde_json::Map::new();
    if !page.is_empty() {
        body.insert("messages".into(), Value::Array(page));
    }
    if next_offset < matching.len() {
        body.insert(
            "nextPageToken".into(),
            params::encode_page_token("gmail", next_offset).into(),
        );
    }
    body.insert("resultSizeEstimate".into(), matching.len().into());
    selected_json_response(&params, &Value::Object(body))
}

/// `GET /gmail/v1/users/{userId}/messages/{id}`.
pub(crate) async fn get_message(
    State(shared): State<Arc<Shared>>,
    Path((user_id, message_id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    Authorized { caller, .. }: Authorized<GmailMessagesGet>,
) -> Response {
    let params = Params::from_query(query.as_deref());
    if let Err(response) = check_user_id(&caller, &user_id) {
        return response;
    }
    let format = match params.get("format").map(str::to_ascii_lowercase).as_deref() {
        None | Some("full") => Format::Full,
        Some("metadata") => Format::Metadata,
        Some("minimal") => Format::Minimal,
        Some("raw") => Format::Raw,
        Some(_) => {
            return invalid_value(
                "format",
                "TYPE_ENUM",
                params.get("format").unwrap_or_default(),
            );
        }
    };
    if caller.scopes.contains(METADATA_SCOPE) {
        match format {
            Format::Full => return forbidden("Metadata scope doesn't allow format FULL"),
            Format::Raw => return forbidden("Metadata scope doesn't allow format RAW"),
            Format::Minimal | Format::Metadata => {}
        }
    }
    if !is_valid_message_id(&message_id) {
        return invalid_argument("Invalid id value");
    }
    // `metadataHeaders` only narrows the `metadata` format.
    let metadata_headers: Vec<&str> = if format == Format::Metadata {
        params
            .all("metadataHeaders")
            .into_iter()
            .filter(|name| !name.is_empty())
            .collect()
    } else {
        Vec::new()
    };
    let state = shared.lock();
    let Some(user) = state.user(&caller.email) else {
        return api_errors::invalid_credentials();
    };
    let wanted = message_id.to_ascii_lowercase();
    let Some(message) = user.messages.iter().find(|message| message.id == wanted) else {
        return not_found();
    };
    selected_json_response(&params, &message.json(format, &metadata_headers))
}

/// `GET /gmail/v1/users/{userId}/labels/{id}`: system labels with their counts.
pub(crate) async fn get_label(
    State(shared): State<Arc<Shared>>,
    Path((user_id, label_id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    Authorized { caller, .. }: Authorized<GmailLabelsGet>,
) -> Response {
    let params = Params::from_query(query.as_deref());
    if let Err(response) = check_user_id(&caller, &user_id) {
        return response;
    }
    if !SYSTEM_LABELS.contains(&label_id.as_str()) {
        return not_found();
    }
    let state = shared.lock();
    let Some(user) = state.user(&caller.email) else {
        return api_errors::invalid_credentials();
    };
    selected_json_response(&params, &label_json(user, &label_id))
}

fn label_json(user: &UserData, label_id: &str) -> Value {
    let labelled: Vec<&MailMessage> = user
        .messages
        .iter()
        .filter(|message| message.has_label(label_id))
        .collect();
    let unread: Vec<&&MailMessage> = labelled
        .iter()
        .filter(|message| message.has_label("UNREAD"))
        .collect();
    let threads: BTreeSet<&str> = labelled
        .iter()
        .map(|message| message.thread_id.as_str())
        .collect();
    let unread_threads: BTreeSet<&str> = unread
        .iter()
        .map(|message| message.thread_id.as_str())
        .collect();
    json!({
        "id": label_id,
        "name": label_id,
        "type": "system",
        "messagesTotal": labelled.len(),
        "messagesUnread": unread.len(),
        "threadsTotal": threads.len(),
        "threadsUnread": unread_threads.len(),
    })
}

/// `me`, or the caller's own address; any other mailbox needs domain-wide delegation.
fn check_user_id(caller: &Caller, user_id: &str) -> Result<(), Response> {
    if user_id == "me" || user_id.eq_ignore_ascii_case(&caller.email) {
        Ok(())
    } else {
        Err(forbidden(&format!(
            "Delegation denied for {}",
            caller.email
        )))
    }
}

/// Gmail's error bodies always carry `errors[]` and `status`.
fn gmail_error(status: StatusCode, message: &str, reason: &str, status_name: &str) -> Response {
    let body = json!({"error": {
        "code": status.as_u16(),
        "message": message,
        "errors": [{"message": message, "domain": "global", "reason": reason}],
        "status": status_name,
    }});
    api_errors::json_response(status, &body, true)
}

fn forbidden(message: &str) -> Response {
    gmail_error(
        StatusCode::FORBIDDEN,
        message,
        "forbidden",
        "PERMISSION_DENIED",
    )
}

fn not_found() -> Response {
    gmail_error(
        StatusCode::NOT_FOUND,
        "Requested entity was not found.",
        "notFound",
        "NOT_FOUND",
    )
}

fn invalid_argument(message: &str) -> Response {
    gmail_error(
        StatusCode::BAD_REQUEST,
        message,
        "invalidArgument",
        "INVALID_ARGUMENT",
    )
}

/// A query parameter that does not parse as its type, in the front end's wording [unverified].
fn invalid_value(field: &str, type_name: &str, value: &str) -> Response {
    gmail_error(
        StatusCode::BAD_REQUEST,
        &format!("Invalid value at '{field}' ({type_name}), \"{value}\""),
        "invalid",
        "INVALID_ARGUMENT",
    )
}

/// A search the twin cannot answer truthfully: a 400 Gmail would not send, saying what is
/// supported, so the test author changes the query instead of trusting a wrong result.
fn twin_unsupported(message: &str) -> Response {
    gmail_error(
        StatusCode::BAD_REQUEST,
        &format!("devstack Gmail twin: {message}; supported: {SUPPORTED_SEARCH}"),
        "badRequest",
        "INVALID_ARGUMENT",
    )
}

const SUPPORTED_SEARCH: &str = "plain words, \"quoted phrases\", from:, to:, subject:, \
    is:unread|read|starred|important, in:inbox|spam|trash|sent|drafts|anywhere, label:, \
    newer_than:/older_than: with d, m or y, and - before any of them";

/// One space-separated part of `q`, possibly negated with a leading `-`.
#[derive(Debug, Clone, PartialEq)]
struct SearchTerm {
    negated: bool,
    kind: TermKind,
}

#[derive(Debug, Clone, PartialEq)]
enum TermKind {
    /// A word or phrase anywhere in From, To, Subject or body (case-insensitive).
    Text(String),
    From(String),
    To(String),
    Subject(String),
    /// `is:` and `label:` resolve to a label ID.
    Label(String),
    /// `is:read`: no UNREAD label.
    Read,
    /// `in:` place, lowercased (`inbox`, `spam`, `trash`, `sent`, `drafts`, `anywhere`).
    In(String),
    NewerThan(SignedDuration),
    OlderThan(SignedDuration),
}

impl SearchTerm {
    fn matches(&self, message: &MailMessage, now: Timestamp) -> bool {
        let contains =
            |haystack: &str, needle: &str| haystack.to_lowercase().contains(&needle.to_lowercase());
        let found = match &self.kind {
            TermKind::Text(text) => [&message.from, &message.to, &message.subject, &message.body]
                .iter()
                .any(|field| contains(field, text)),
            TermKind::From(text) => contains(&message.from, text),
            TermKind::To(text) => contains(&message.to, text),
            TermKind::Subject(text) => contains(&message.subject, text),
            TermKind::Label(label) => message.has_label(label),
            TermKind::Read => !message.has_label("UNREAD"),
            TermKind::In(place) => match place.as_str() {
                "anywhere" => true,
                "drafts" => message.has_label("DRAFT"),
                other => message.has_label(&other.to_ascii_uppercase()),
            },
            TermKind::NewerThan(age) => message.internal_date > now.minus(*age),
            TermKind::OlderThan(age) => message.internal_date < now.minus(*age),
        };
        found != self.negated
    }
}

/// Splits `q` into terms; `Err` names the first thing the twin does not support.
fn parse_search(query: &str) -> Result<Vec<SearchTerm>, String> {
    let mut terms = Vec::new();
    let characters: Vec<char> = query.chars().collect();
    let mut index = 0;
    while index < characters.len() {
        if characters[index].is_whitespace() {
            index += 1;
            continue;
        }
        let negated = characters[index] == '-';
        if negated {
            index += 1;
        }
        // A term runs to the next unquoted space.
        let mut term = String::new();
        let mut quoted = false;
        while let Some(&character) = characters.get(index) {
            if character == '"' {
                quoted = !quoted;
            } else if character.is_whitespace() && !quoted {
                break;
            } else {
                term.push(character);
            }
            index += 1;
        }
        if quoted {
            return Err("an unterminated quote".to_string());
        }
        if term.is_empty() {
            return Err("a lone `-`".to_string());
        }
        if ["OR", "AND", "AROUND"].contains(&term.as_str()) || term.contains(['(', ')', '{', '}']) {
            return Err(format!("`{term}` (boolean grouping)"));
        }
        terms.push(SearchTerm {
            negated,
            kind: parse_term(&term)?,
        });
    }
    Ok(terms)
}

fn parse_term(term: &str) -> Result<TermKind, String> {
    let Some((operator, value)) = term.split_once(':') else {
        return Ok(TermKind::Text(term.to_string()));
    };
    let unsupported = || Err(format!("the operator `{operator}:{value}`"));
    if value.is_empty() {
        return unsupported();
    }
    Ok(match operator.to_ascii_lowercase().as_str() {
        "from" => TermKind::From(value.to_string()),
        "to" => TermKind::To(value.to_string()),
        "subject" => TermKind::Subject(value.to_string()),
        "is" => match value.to_ascii_lowercase().as_str() {
            "unread" => TermKind::Label("UNREAD".to_string()),
            "starred" => TermKind::Label("STARRED".to_string()),
            "important" => TermKind::Label("IMPORTANT".to_string()),
            "read" => TermKind::Read,
            _ => return unsupported(),
        },
        "in" => match value.to_ascii_lowercase().as_str() {
            place @ ("inbox" | "spam" | "trash" | "sent" | "drafts" | "anywhere") => {
                TermKind::In(place.to_string())
            }
            _ => return unsupported(),
        },
        "label" => {
            let label = value.to_ascii_uppercase().replace('-', "_");
            if !SYSTEM_LABELS.contains(&label.as_str()) {
                return unsupported();
            }
            TermKind::Label(label)
        }
        "newer_than" => TermKind::NewerThan(parse_age(value).ok_or_else(|| {
            format!("`newer_than:{value}` (use a number and d, m or y, e.g. newer_than:2d)")
        })?),
        "older_than" => TermKind::OlderThan(parse_age(value).ok_or_else(|| {
            format!("`older_than:{value}` (use a number and d, m or y, e.g. older_than:1y)")
        })?),
        _ => return unsupported(),
    })
}

/// `2d`, `3m`, `1y`: Gmail's relative ages (a month is 30 days and a year 365 here).
fn parse_age(text: &str) -> Option<SignedDuration> {
    let unit = text.chars().last()?;
    let number: i64 = text[..text.len() - unit.len_utf8()].parse().ok()?;
    let days = match unit.to_ascii_lowercase() {
        'd' => number,
        'm' => number.checked_mul(30)?,
        'y' => number.checked_mul(365)?,
        _ => return None,
    };
    (days >= 0).then(|| SignedDuration::from_hours(days.saturating_mul(24)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_hexadecimal_below_two_to_the_sixty_third() {
        for (id, valid) in [
            ("18c9a1b2c3d4e5f6", true),
            ("1", true),
            ("DEADBEEF", true),
            ("7fffffffffffffff", true),
            ("8000000000000000", false),
            ("ffffffffffffffff", false),
            ("18c9a1b2c3d4e5f6a", false),
            ("nosuchmessageid", false),
            ("-1", false),
            ("", false),
        ] {
            assert_eq!(is_valid_message_id(id), valid, "{id}");
        }
    }

    #[test]
    fn parses_the_search_operators_a_skill_sends() {
        let parsed = parse_search(
            "in:inbox is:unread from:babbage newer_than:7d \"analytical engine\" -label:SPAM",
        )
        .unwrap();
        let kinds: Vec<(bool, TermKind)> = parsed
            .into_iter()
            .map(|term| (term.negated, term.kind))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (false, TermKind::In("inbox".to_string())),
                (false, TermKind::Label("UNREAD".to_string())),
                (false, TermKind::From("babbage".to_string())),
                (
                    false,
                    TermKind::NewerThan(SignedDuration::from_hours(7 * 24))
                ),
                (false, TermKind::Text("analytical engine".to_string())),
                (true, TermKind::Label("SPAM".to_string())),
            ]
        );
    }

    #[test]
    fn refuses_what_it_cannot_answer_truthfully() {
        for (query, named) in [
            ("has:attachment", "has:attachment"),
            ("from:a OR from:b", "OR"),
            ("newer_than:2w", "newer_than:2w"),
            ("is:snoozed", "is:snoozed"),
            ("\"open quote", "unterminated"),
            ("label:Receipts", "label:Receipts"),
        ] {
            let error = parse_search(query).unwrap_err();
            assert!(error.contains(named), "{query}: {error}");
        }
    }

    #[test]
    fn snippets_are_collapsed_and_html_escaped() {
        let message = MailMessage {
            id: "1".to_string(),
            thread_id: "1".to_string(),
            label_ids: Vec::new(),
            internal_date: Timestamp::UNIX_EPOCH,
            from: String::new(),
            to: String::new(),
            subject: String::new(),
            body: "Ada's  notes\n\n<b>on</b> the engine".to_string(),
            history_id: 1,
        };
        assert_eq!(
            message.snippet(),
            "Ada&#39;s notes &lt;b&gt;on&lt;/b&gt; the engine"
        );
    }
}
