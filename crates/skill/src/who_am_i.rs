//! "Who am I?": the linked Google account's name and email address.

use linked_skill::google_api::scopes;
use linked_skill::{Answer, HandlerError, IntentHandler, IntentInput, LocalTexts};

#[derive(Debug)]
pub struct WhoAmI;

impl IntentHandler for WhoAmI {
    const NAME: &'static str = "WhoAmIIntent";
    const SCOPES: &'static [&'static scopes::Scope] =
        &[&scopes::OPENID, &scopes::EMAIL, &scopes::PROFILE];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, HandlerError> {
        let user_info = input.google.userinfo().await?;
        Ok(Answer::say(said(
            input.texts,
            user_info.name.as_deref(),
            user_info.email.as_deref(),
        )))
    }
}

fn said(texts: LocalTexts<'_>, name: Option<&str>, email: Option<&str>) -> String {
    match (name, email) {
        (Some(name), Some(email)) => texts.format(
            "who_am_i.name_and_email",
            &[("name", name), ("email", email)],
        ),
        (Some(name), None) => texts.format("who_am_i.name", &[("name", name)]),
        (None, Some(email)) => texts.format("who_am_i.email", &[("email", email)]),
        (None, None) => texts.get("who_am_i.nothing").to_owned(),
    }
}
