//! "How many unread emails do I have?": the unread messages in the inbox.

use linked_skill::google_api::scopes;
use linked_skill::{Answer, HandlerError, IntentHandler, IntentInput};

use crate::gmail;

#[derive(Debug)]
pub struct UnreadCount;

impl IntentHandler for UnreadCount {
    const NAME: &'static str = "UnreadCountIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[&scopes::GMAIL_READONLY];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, HandlerError> {
        let unread = gmail::unread_in_inbox(&input.google).await?;
        Ok(Answer::say(input.texts.count("unread", unread, &[])))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn none_one_and_many_are_spoken_in_every_language() {
        let skill = crate::skill().build();
        let cases = [
            (
                0,
                "You have no unread emails in your inbox.",
                "Du hast keine ungelesenen E-Mails im Posteingang.",
                "Vous n'avez aucun e-mail non lu dans votre boîte de réception.",
            ),
            (
                1,
                "You have one unread email in your inbox.",
                "Du hast eine ungelesene E-Mail im Posteingang.",
                "Vous avez un e-mail non lu dans votre boîte de réception.",
            ),
            (
                2,
                "You have 2 unread emails in your inbox.",
                "Du hast 2 ungelesene E-Mails im Posteingang.",
                "Vous avez 2 e-mails non lus dans votre boîte de réception.",
            ),
        ];
        for (unread, english, german, french) in cases {
            for (locale, expected) in [("en-IN", english), ("de-DE", german), ("fr-CA", french)] {
                let texts = skill.texts().for_locale(locale.parse().unwrap());
                assert_eq!(texts.count("unread", unread, &[]), expected, "{locale}");
            }
        }
    }
}
