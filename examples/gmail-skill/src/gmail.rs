//! The three Gmail API calls this skill makes, through `UserClient::get_json`, and how a sender
//! is spoken. Shapes and parameters: `docs/google-gmail.md`.

use linked_skill::google_api::{self, UserClient, hosts};
use serde::Deserialize;

/// `users.messages.list`: only IDs; `messages` is left out when nothing matches.
#[derive(Debug, Deserialize)]
struct MessageList {
    #[serde(default)]
    messages: Vec<MessageId>,
}

#[derive(Debug, Deserialize)]
struct MessageId {
    id: String,
}

/// `users.messages.get` with `format=metadata`.
#[derive(Debug, Deserialize)]
struct Message {
    #[serde(default)]
    payload: Option<Payload>,
}

#[derive(Debug, Deserialize)]
struct Payload {
    #[serde(default)]
    headers: Vec<Header>,
}

#[derive(Debug, Deserialize)]
struct Header {
    name: String,
    value: String,
}

/// `users.labels.get`: the counts are left out of a label without messages.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Label {
    #[serde(default)]
    messages_unread: u64,
}

/// The `From` and `Subject` of a message, as sent (either may be missing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Headers {
    pub(crate) from: Option<String>,
    pub(crate) subject: Option<String>,
}

/// The headers of the newest message in the inbox, `None` when the inbox is empty.
pub(crate) async fn newest_inbox_message(
    google: &UserClient<'_>,
) -> Result<Option<Headers>, google_api::Error> {
    let list: MessageList = google
        .get_json(
            hosts::GMAIL,
            "gmail/v1/users/me/messages",
            &[("labelIds", "INBOX"), ("maxResults", "1")],
        )
        .await?;
    let Some(newest) = list.messages.first() else {
        return Ok(None);
    };
    let message: Message = google
        .get_json(
            hosts::GMAIL,
            &format!(
                "gmail/v1/users/me/messages/{}",
                google_api::encode_path_segment(&newest.id)
            ),
            &[
                ("format", "metadata"),
                ("metadataHeaders", "From"),
                ("metadataHeaders", "Subject"),
            ],
        )
        .await?;
    let mut headers = Headers::default();
    for header in message
        .payload
        .map(|payload| payload.headers)
        .unwrap_or_default()
    {
        let value = Some(header.value.trim().to_owned()).filter(|value| !value.is_empty());
        if header.name.eq_ignore_ascii_case("From") {
            headers.from = value;
        } else if header.name.eq_ignore_ascii_case("Subject") {
            headers.subject = value;
        }
    }
    Ok(Some(headers))
}

/// How many messages in the inbox are unread (`labels.get INBOX` → `messagesUnread`).
pub(crate) async fn unread_in_inbox(google: &UserClient<'_>) -> Result<u64, google_api::Error> {
    let label: Label = google
        .get_json(hosts::GMAIL, "gmail/v1/users/me/labels/INBOX", &[])
        .await?;
    Ok(label.messages_unread)
}

/// A `From` header as a person would say it: the display name of `"Name" <address>` without
/// its quotes, or the bare address when there is no name.
///
/// ```
/// assert_eq!(gmail_skill::spoken_sender("Charles Babbage <charles@example.com>"), "Charles Babbage");
/// assert_eq!(gmail_skill::spoken_sender("\"Somerville, Mary\" <mary@example.com>"), "Somerville, Mary");
/// assert_eq!(gmail_skill::spoken_sender("<ada@example.com>"), "ada@example.com");
/// assert_eq!(gmail_skill::spoken_sender("ada@example.com"), "ada@example.com");
/// ```
pub fn spoken_sender(from: &str) -> String {
    let from = from.trim();
    let (name, address) = match from.rfind('<') {
        Some(open) => (
            &from[..open],
            from[open + 1..].trim_end().trim_end_matches('>'),
        ),
        None => ("", from),
    };
    let name = name.trim().trim_matches('"').trim();
    if name.is_empty() {
        address.trim().to_owned()
    } else {
        name.replace("\\\"", "\"")
    }
}
