//! "What's my latest email?": who sent the newest message in the inbox, and its subject.

use linked_skill::google_api::{self, scopes};
use linked_skill::{Answer, IntentHandler, IntentInput, Language};

use crate::gmail::{self, Headers};

#[derive(Debug)]
pub struct LatestEmail;

impl IntentHandler for LatestEmail {
    const NAME: &'static str = "LatestEmailIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[&scopes::GMAIL_READONLY];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, google_api::Error> {
        let newest = gmail::newest_inbox_message(&input.google).await?;
        Ok(Answer::say(said(input.language, newest.as_ref())))
    }
}

fn said(language: Language, newest: Option<&Headers>) -> String {
    let Some(headers) = newest else {
        return match language {
            Language::English => "Your inbox is empty.".to_owned(),
            Language::German => "Dein Posteingang ist leer.".to_owned(),
        };
    };
    let sender = headers.from.as_deref().map(gmail::spoken_sender);
    match (language, sender, headers.subject.as_deref()) {
        (Language::English, Some(sender), Some(subject)) => {
            format!("Your latest email is from {sender}: {subject}.")
        }
        (Language::English, Some(sender), None) => {
            format!("Your latest email is from {sender}, without a subject.")
        }
        (Language::English, None, Some(subject)) => {
            format!("Your latest email has no sender: {subject}.")
        }
        (Language::English, None, None) => {
            "Your latest email has neither a sender nor a subject.".to_owned()
        }
        (Language::German, Some(sender), Some(subject)) => {
            format!("Deine neueste E-Mail ist von {sender}: {subject}.")
        }
        (Language::German, Some(sender), None) => {
            format!("Deine neueste E-Mail ist von {sender}, ohne Betreff.")
        }
        (Language::German, None, Some(subject)) => {
            format!("Deine neueste E-Mail hat keinen Absender: {subject}.")
        }
        (Language::German, None, None) => {
            "Deine neueste E-Mail hat weder Absender noch Betreff.".to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_combination_of_headers_is_spoken_in_both_languages() {
        let headers = |from: Option<&str>, subject: Option<&str>| Headers {
            from: from.map(str::to_owned),
            subject: subject.map(str::to_owned),
        };
        let cases = [
            (
                Some(headers(
                    Some("Charles Babbage <charles@example.com>"),
                    Some("Notes"),
                )),
                "Your latest email is from Charles Babbage: Notes.",
                "Deine neueste E-Mail ist von Charles Babbage: Notes.",
            ),
            (
                Some(headers(Some("mary@example.com"), None)),
                "Your latest email is from mary@example.com, without a subject.",
                "Deine neueste E-Mail ist von mary@example.com, ohne Betreff.",
            ),
            (
                Some(headers(None, Some("Hello"))),
                "Your latest email has no sender: Hello.",
                "Deine neueste E-Mail hat keinen Absender: Hello.",
            ),
            (
                Some(headers(None, None)),
                "Your latest email has neither a sender nor a subject.",
                "Deine neueste E-Mail hat weder Absender noch Betreff.",
            ),
            (None, "Your inbox is empty.", "Dein Posteingang ist leer."),
        ];
        for (newest, english, german) in cases {
            assert_eq!(said(Language::English, newest.as_ref()), english);
            assert_eq!(said(Language::German, newest.as_ref()), german);
        }
    }
}
