//! "Alexa, open cloud companion": a greeting with the user's first name.

use linked_skill::google_api::{self, scopes};
use linked_skill::{Answer, HandlerError, LaunchHandler, LaunchInput, Text};

/// Greets a linked user by first name; an unlinked one hears the toolkit's welcome with a card.
#[derive(Debug)]
pub struct Launch;

impl LaunchHandler for Launch {
    const SCOPES: &'static [&'static scopes::Scope] =
        &[&scopes::OPENID, &scopes::EMAIL, &scopes::PROFILE];

    async fn answer(&self, input: LaunchInput<'_>) -> Result<Answer, HandlerError> {
        let given_name = match input.google.userinfo().await {
            Ok(user_info) => user_info.given_name,
            Err(google_api::Error::Relink) => return Err(google_api::Error::Relink.into()),
            // Greet without a name rather than fail the whole launch.
            Err(error) => {
                tracing::warn!(%error, "could not read the user's name for the greeting");
                None
            }
        };
        let hello = match given_name.as_deref() {
            Some(name) => input.texts.format("launch.hello_name", &[("name", name)]),
            None => input.texts.get("launch.hello").to_owned(),
        };
        Ok(Answer::ask(
            input.texts.format("launch.welcome", &[("hello", &hello)]),
            input.text(Text::Help),
        ))
    }
}
