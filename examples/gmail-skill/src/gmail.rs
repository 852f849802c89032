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
#[serde(rename_all = "camelCase")]
struct Message {
    #[serde(default)]
    payload: Option<Payload>,
    /// When Gmail received the message: epoch milliseconds, as a string.
    #[serde(default)]
    internal_date: Option<String>,
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

/// One inbox message as the skill speaks of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InboxMessage {
    pub(crate) id: String,
    /// Gmail's `internalDate` (epoch milliseconds); `None` if Google left it out.
    pub(crate) received_millis: Option<i64>,
    pub(crate) headers: Headers,
}

/// The headers of the newest message in the inbox, `None` when the inbox is empty.
pub(crate) async fn newest_inbox_message(
    google: &UserClient<'_>,
) -> Result<Option<InboxMessage>, google_api::Error> {
    let Some(newest) = inbox_message_ids(google, 1).await?.into_iter().next() else {
        return Ok(None);
    };
    inbox_message(google, newest).await.map(Some)
}

/// The IDs of the `count` newest inbox messages, newest first (at most `count`, at most 500).
pub(crate) async fn inbox_message_ids(
    google: &UserClient<'_>,
    count: u32,
) -> Result<Vec<String>, google_api::Error> {
    let list: MessageList = google
        .get_json(
            hosts::GMAIL,
            "gmail/v1/users/me/messages",
            &[("labelIds", "INBOX"), ("maxResults", &count.to_string())],
        )
        .await?;
    Ok(list
        .messages
        .into_iter()
        .map(|message| message.id)
        .collect())
}

/// The `From`, `Subject` and arrival time of the message `id`.
pub(crate) async fn inbox_message(
    google: &UserClient<'_>,
    id: String,
) -> Result<InboxMessage, google_api::Error> {
    let message: Message = google
        .get_json(
            hosts::GMAIL,
            &format!(
                "gmail/v1/users/me/messages/{}",
                google_api::encode_path_segment(&id)
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
    Ok(InboxMessage {
        id,
        received_millis: message
            .internal_date
            .and_then(|millis| millis.trim().parse().ok()),
        headers,
    })
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
