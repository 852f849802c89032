//! A Gmail mailbox's messages: their labels, headers and bodies, and the JSON `messages.get`
//! renders in each `format`.

use base64::{Engine, engine::general_purpose::URL_SAFE};
use jiff::Timestamp;
use serde_json::{Value, json};

use crate::google::{clock::ClockArithmetic, seed::SeedMessage};

/// One message of a mailbox.
pub(crate) struct MailMessage {
    pub(crate) id: String,
    pub(crate) thread_id: String,
    pub(crate) label_ids: Vec<String>,
    pub(crate) internal_date: Timestamp,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) subject: String,
    pub(crate) body: String,
    /// Counts up per message of the twin, like Gmail's mailbox-wide history IDs.
    pub(crate) history_id: u64,
}

impl MailMessage {
    pub(crate) fn from_seed(seed: &SeedMessage, now: Timestamp, history_id: u64) -> Self {
        MailMessage {
            id: seed.id.to_ascii_lowercase(),
            thread_id: seed
                .thread_id
                .clone()
                .unwrap_or_else(|| seed.id.clone())
                .to_ascii_lowercase(),
            label_ids: seed.labels.clone(),
            internal_date: now.minus(seed.received_ago),
            from: seed.from.clone(),
            to: seed.to.clone(),
            subject: seed.subject.clone(),
            body: seed.body.clone(),
            history_id,
        }
    }

    pub(crate) fn has_label(&self, label: &str) -> bool {
        self.label_ids.iter().any(|candidate| candidate == label)
    }

    /// The RFC 5322 headers, in the order a mail server writes them.
    pub(crate) fn headers(&self) -> Vec<(&'static str, String)> {
        vec![
            ("MIME-Version", "1.0".to_string()),
            ("Date", rfc5322_date(self.internal_date)),
            (
                "Message-ID",
                format!("<{}.devstack@mail.example.com>", self.id),
            ),
            ("Subject", self.subject.clone()),
            ("From", self.from.clone()),
            ("To", self.to.clone()),
            ("Content-Type", "text/plain; charset=\"UTF-8\"".to_string()),
        ]
    }

    /// The whole message as RFC 5322 text: what `format=raw` encodes.
    pub(crate) fn rfc5322(&self) -> String {
        let mut text = String::new();
        for (name, value) in self.headers() {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        text.push_str("\r\n");
        text.push_str(&self.body.replace('\n', "\r\n"));
        text
    }

    /// Gmail's snippet: the start of the body, whitespace collapsed, HTML-escaped.
    pub(crate) fn snippet(&self) -> String {
        let collapsed: Vec<&str> = self.body.split_whitespace().collect();
        let text: String = collapsed.join(" ").chars().take(200).collect();
        html_escape(&text)
    }

    pub(crate) fn json(&self, format: Format, metadata_headers: &[&str]) -> Value {
        let raw = self.rfc5322();
        let mut message = json!({
            "id": self.id,
            "threadId": self.thread_id,
            "labelIds": self.label_ids,
            "snippet": self.snippet(),
            "sizeEstimate": raw.len(),
            "historyId": self.history_id.to_string(),
            "internalDate": self.internal_date.as_millisecond().to_string(),
        });
        let headers = |only: &[&str]| -> Value {
            Value::Array(
                self.headers()
                    .into_iter()
                    .filter(|(name, _)| {
                        only.is_empty()
                            || only.iter().any(|wanted| wanted.eq_ignore_ascii_case(name))
                    })
                    .map(|(name, value)| json!({"name": name, "value": value}))
                    .collect(),
            )
        };
        match format {
            Format::Minimal => {}
            Format::Metadata => {
                message["payload"] = json!({
                    "mimeType": "text/plain",
                    "headers": headers(metadata_headers),
                });
            }
            Format::Full => {
                message["payload"] = json!({
                    "partId": "",
                    "mimeType": "text/plain",
                    "filename": "",
                    "headers": headers(&[]),
                    "body": {
                        "size": self.body.len(),
                        "data": URL_SAFE.encode(self.body.as_bytes()),
                    },
                });
            }
            Format::Raw => {
                message["raw"] = URL_SAFE.encode(raw.as_bytes()).into();
            }
        }
        message
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Minimal,
    Metadata,
    Full,
    Raw,
}

/// Gmail IDs are hexadecimal renderings of a positive 64-bit signed integer.
pub(crate) fn is_valid_message_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 16
        && id.bytes().all(|byte| byte.is_ascii_hexdigit())
        && u64::from_str_radix(id, 16).is_ok_and(|value| value < (1 << 63))
}

/// `Tue, 24 Nov 2026 09:15:00 +0000`.
fn rfc5322_date(timestamp: Timestamp) -> String {
    timestamp
        .strftime("%a, %d %b %Y %H:%M:%S +0000")
        .to_string()
}

fn html_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}
