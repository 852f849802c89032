//! "What's my latest email?": who sent the newest message in the inbox, and its subject. The
//! user has then heard about that message: it is remembered for "anything new since I last
//! asked?" (`new_email`).

use linked_skill::google_api::scopes;
use linked_skill::{Answer, HandlerError, IntentHandler, IntentInput, LocalTexts};

use crate::gmail::{self, Headers};
use crate::state::{Heard, MailState};

#[derive(Debug)]
pub struct LatestEmail;

impl IntentHandler for LatestEmail {
    const NAME: &'static str = "LatestEmailIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[&scopes::GMAIL_READONLY];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, HandlerError> {
        let newest = gmail::newest_inbox_message(&input.google).await?;
        let heard = Heard::of(newest.as_ref());
        input
            .state
            .update(move |state: &mut MailState| state.heard = Some(heard.clone()))
            .await;
        let headers = newest.as_ref().map(|message| &message.headers);
        Ok(Answer::say(said(input.texts, headers)))
    }
}

pub(crate) fn said(texts: LocalTexts<'_>, newest: Option<&Headers>) -> String {
    let Some(headers) = newest else {
        return texts.get("latest_email.empty").to_owned();
    };
    let sender = headers.from.as_deref().map(gmail::spoken_sender);
    match (sender.as_deref(), headers.subject.as_deref()) {
        (Some(sender), Some(subject)) => texts.format(
            "latest_email.from_and_subject",
            &[("sender", sender), ("subject", subject)],
        ),
        (Some(sender), None) => texts.format("latest_email.from", &[("sender", sender)]),
        (None, Some(subject)) => texts.format("latest_email.subject", &[("subject", subject)]),
        (None, None) => texts.get("latest_email.nothing").to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_combination_of_headers_is_spoken_in_every_language() {
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
                "Votre dernier e-mail vient de Charles Babbage : Notes.",
            ),
            (
                Some(headers(Some("mary@example.com"), None)),
                "Your latest email is from mary@example.com, without a subject.",
                "Deine neueste E-Mail ist von mary@example.com, ohne Betreff.",
                "Votre dernier e-mail vient de mary@example.com, sans objet.",
            ),
            (
                Some(headers(None, Some("Hello"))),
                "Your latest email has no sender: Hello.",
                "Deine neueste E-Mail hat keinen Absender: Hello.",
                "Votre dernier e-mail n'a pas d'expéditeur : Hello.",
            ),
            (
                Some(headers(None, None)),
                "Your latest email has neither a sender nor a subject.",
                "Deine neueste E-Mail hat weder Absender noch Betreff.",
                "Votre dernier e-mail n'a ni expéditeur ni objet.",
            ),
            (
                None,
                "Your inbox is empty.",
                "Dein Posteingang ist leer.",
                "Votre boîte de réception est vide.",
            ),
        ];
        let skill = crate::skill().build();
        let texts = |locale: &str| skill.texts().for_locale(locale.parse().unwrap());
        for (newest, english, german, french) in cases {
            assert_eq!(said(texts("en-US"), newest.as_ref()), english);
            assert_eq!(said(texts("de-DE"), newest.as_ref()), german);
            assert_eq!(said(texts("fr-FR"), newest.as_ref()), french);
        }
    }
}
