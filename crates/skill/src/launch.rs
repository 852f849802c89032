//! "Alexa, open cloud companion": a greeting with the user's first name.

use linked_skill::google_api::{self, scopes};
use linked_skill::{Answer, Language, LaunchHandler, LaunchInput, Text};

/// Greets a linked user by first name; an unlinked one hears the toolkit's welcome with a card.
#[derive(Debug)]
pub struct Launch;

impl LaunchHandler for Launch {
    const SCOPES: &'static [&'static scopes::Scope] =
        &[&scopes::OPENID, &scopes::EMAIL, &scopes::PROFILE];

    async fn answer(&self, input: LaunchInput<'_>) -> Result<Answer, google_api::Error> {
        let given_name = match input.google.userinfo().await {
            Ok(user_info) => user_info.given_name,
            Err(google_api::Error::Relink) => return Err(google_api::Error::Relink),
            // Greet without a name rather than fail the whole launch.
            Err(error) => {
                tracing::warn!(%error, "could not read the user's name for the greeting");
                None
            }
        };
        Ok(Answer::ask(
            welcome(input.language, given_name.as_deref()),
            input.text(Text::Help),
        ))
    }
}

fn welcome(language: Language, given_name: Option<&str>) -> String {
    match language {
        Language::English => {
            let greeting =
                given_name.map_or_else(|| "Hi!".to_owned(), |name| format!("Hi {name}!"));
            format!(
                "{greeting} You can ask who you are, list your files, hear your next event, or \
                 add a note. What would you like?"
            )
        }
        Language::German => {
            let greeting =
                given_name.map_or_else(|| "Hallo!".to_owned(), |name| format!("Hallo {name}!"));
            format!(
                "{greeting} Du kannst fragen, wer du bist, deine Dateien auflisten, deinen \
                 nächsten Termin hören oder eine Notiz hinzufügen. Was möchtest du?"
            )
        }
    }
}
