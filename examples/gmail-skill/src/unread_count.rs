//! "How many unread emails do I have?": the unread messages in the inbox.

use linked_skill::google_api::{self, scopes};
use linked_skill::{Answer, IntentHandler, IntentInput, Language};

use crate::gmail;

#[derive(Debug)]
pub struct UnreadCount;

impl IntentHandler for UnreadCount {
    const NAME: &'static str = "UnreadCountIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[&scopes::GMAIL_READONLY];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, google_api::Error> {
        let unread = gmail::unread_in_inbox(&input.google).await?;
        Ok(Answer::say(said(input.language, unread)))
    }
}

fn said(language: Language, unread: u64) -> String {
    match (language, unread) {
        (Language::English, 0) => "You have no unread emails in your inbox.".to_owned(),
        (Language::English, 1) => "You have one unread email in your inbox.".to_owned(),
        (Language::English, unread) => format!("You have {unread} unread emails in your inbox."),
        (Language::German, 0) => "Du hast keine ungelesenen E-Mails im Posteingang.".to_owned(),
        (Language::German, 1) => "Du hast eine ungelesene E-Mail im Posteingang.".to_owned(),
        (Language::German, unread) => {
            format!("Du hast {unread} ungelesene E-Mails im Posteingang.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn none_one_and_many_are_spoken_in_both_languages() {
        let cases = [
            (
                0,
                "You have no unread emails in your inbox.",
                "Du hast keine ungelesenen E-Mails im Posteingang.",
            ),
            (
                1,
                "You have one unread email in your inbox.",
                "Du hast eine ungelesene E-Mail im Posteingang.",
            ),
            (
                2,
                "You have 2 unread emails in your inbox.",
                "Du hast 2 ungelesene E-Mails im Posteingang.",
            ),
        ];
        for (unread, english, german) in cases {
            assert_eq!(said(Language::English, unread), english);
            assert_eq!(said(Language::German, unread), german);
        }
    }
}
