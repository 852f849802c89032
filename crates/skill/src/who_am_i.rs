//! "Who am I?": the linked Google account's name and email address.

use linked_skill::google_api::{self, scopes};
use linked_skill::{Answer, IntentHandler, IntentInput, Language};

#[derive(Debug)]
pub struct WhoAmI;

impl IntentHandler for WhoAmI {
    const NAME: &'static str = "WhoAmIIntent";
    const SCOPES: &'static [&'static scopes::Scope] =
        &[&scopes::OPENID, &scopes::EMAIL, &scopes::PROFILE];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, google_api::Error> {
        let user_info = input.google.userinfo().await?;
        Ok(Answer::say(said(
            input.language,
            user_info.name.as_deref(),
            user_info.email.as_deref(),
        )))
    }
}

fn said(language: Language, name: Option<&str>, email: Option<&str>) -> String {
    match (language, name, email) {
        (Language::English, Some(name), Some(email)) => {
            format!("You are {name}, signed in as {email}.")
        }
        (Language::English, Some(name), None) => format!("You are {name}."),
        (Language::English, None, Some(email)) => format!("You are signed in as {email}."),
        (Language::English, None, None) => {
            "Your Google account didn't tell me your name or email address.".to_owned()
        }
        (Language::German, Some(name), Some(email)) => {
            format!("Du bist {name}, angemeldet als {email}.")
        }
        (Language::German, Some(name), None) => format!("Du bist {name}."),
        (Language::German, None, Some(email)) => format!("Du bist als {email} angemeldet."),
        (Language::German, None, None) => {
            "Dein Google-Konto hat mir weder Namen noch E-Mail-Adresse verraten.".to_owned()
        }
    }
}
