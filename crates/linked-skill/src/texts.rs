//! The toolkit's own texts (link states, built-in intents) in every language it ships, and the
//! one table a skill overrides them in.

use std::collections::HashMap;

use crate::Language;

/// A text the toolkit says on its own. Override any of them with
/// [`SkillBuilder::text`](crate::SkillBuilder::text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Text {
    /// LaunchRequest from a user who has not linked (with a LinkAccount card).
    WelcomeNotLinked,
    /// An intent that needs Google, from a user who has not linked (with a LinkAccount card).
    LinkNeeded,
    /// Google rejected the token: expired and not refreshed, or revoked (with a card).
    Relink,
    /// The link lacks a permission; `{permission}` is replaced by the scope table's name for it
    /// (with a card).
    MissingPermission,
    /// What `{permission}` becomes when no scope involved is in the scope table.
    UnnamedPermission,
    /// Google could not be reached in time, or kept failing; the session stays open.
    GoogleUnavailable,
    /// AMAZON.HelpIntent, and the reprompt after help and fallback.
    Help,
    /// AMAZON.StopIntent, AMAZON.CancelIntent, AMAZON.NavigateHomeIntent.
    Goodbye,
    /// AMAZON.FallbackIntent and intents without a handler.
    Fallback,
    /// The reprompt after an answer inside a conversation.
    AnythingElse,
}

/// Every text in every language: the toolkit's English and German, then the skill's overrides.
#[derive(Debug, Clone)]
pub struct Texts {
    texts: HashMap<(Language, Text), String>,
}

impl Default for Texts {
    fn default() -> Self {
        let mut texts = HashMap::new();
        for language in Language::ALL {
            for (text, value) in built_in(language) {
                texts.insert((language, *text), (*value).to_owned());
            }
        }
        Texts { texts }
    }
}

impl Texts {
    /// `text` in `language`.
    pub fn get(&self, language: Language, text: Text) -> &str {
        self.texts
            .get(&(language, text))
            .or_else(|| self.texts.get(&(Language::English, text)))
            .map_or("", String::as_str)
    }

    /// Replaces `text` in `language`.
    pub fn set(&mut self, language: Language, text: Text, value: impl Into<String>) {
        self.texts.insert((language, text), value.into());
    }
}

fn built_in(language: Language) -> &'static [(Text, &'static str)] {
    match language {
        Language::English => ENGLISH,
        Language::German => GERMAN,
    }
}

const ENGLISH: &[(Text, &str)] = &[
    (
        Text::WelcomeNotLinked,
        "Welcome. To get started, link your Google account in the Alexa app. I've sent a card \
         there to help you.",
    ),
    (
        Text::LinkNeeded,
        "To do that, I need access to your Google account. Please link your account in the \
         Alexa app; I've sent a card there to help you.",
    ),
    (
        Text::Relink,
        "Your Google account link has expired or was removed. Please link your account again in \
         the Alexa app; I've sent a card there to help you.",
    ),
    (
        Text::MissingPermission,
        "To do that, I need permission to {permission}. Please link your Google account again \
         in the Alexa app and allow it; I've sent a card there to help you.",
    ),
    (Text::UnnamedPermission, "use your Google account for this"),
    (
        Text::GoogleUnavailable,
        "Sorry, I couldn't reach Google just now. Please try again in a moment.",
    ),
    (
        Text::Help,
        "Ask me what you'd like to know. What would you like?",
    ),
    (Text::Goodbye, "Goodbye!"),
    (Text::Fallback, "Sorry, I can't help with that."),
    (Text::AnythingElse, "Anything else?"),
];

const GERMAN: &[(Text, &str)] = &[
    (
        Text::WelcomeNotLinked,
        "Willkommen. Verknüpfe zuerst dein Google-Konto in der Alexa-App. Dort findest du eine \
         Karte, die dir hilft.",
    ),
    (
        Text::LinkNeeded,
        "Dafür brauche ich Zugriff auf dein Google-Konto. Bitte verknüpfe dein Konto in der \
         Alexa-App. Dort findest du eine Karte, die dir hilft.",
    ),
    (
        Text::Relink,
        "Die Verknüpfung mit deinem Google-Konto ist abgelaufen oder wurde entfernt. Bitte \
         verknüpfe dein Konto in der Alexa-App erneut. Dort findest du eine Karte, die dir hilft.",
    ),
    (
        Text::MissingPermission,
        "Dafür brauche ich die Erlaubnis, {permission}. Bitte verknüpfe dein Google-Konto in der \
         Alexa-App erneut und erlaube es. Dort findest du eine Karte, die dir hilft.",
    ),
    (Text::UnnamedPermission, "dein Google-Konto dafür zu nutzen"),
    (
        Text::GoogleUnavailable,
        "Entschuldigung, ich konnte Google gerade nicht erreichen. Bitte versuche es gleich noch \
         einmal.",
    ),
    (
        Text::Help,
        "Frag mich, was du wissen möchtest. Was möchtest du?",
    ),
    (Text::Goodbye, "Tschüss!"),
    (
        Text::Fallback,
        "Entschuldigung, dabei kann ich nicht helfen.",
    ),
    (Text::AnythingElse, "Noch etwas?"),
];

#[cfg(test)]
mod tests {
    use super::*;

    const EVERY_TEXT: [Text; 10] = [
        Text::WelcomeNotLinked,
        Text::LinkNeeded,
        Text::Relink,
        Text::MissingPermission,
        Text::UnnamedPermission,
        Text::GoogleUnavailable,
        Text::Help,
        Text::Goodbye,
        Text::Fallback,
        Text::AnythingElse,
    ];

    #[test]
    fn every_text_ships_in_every_language() {
        for language in Language::ALL {
            for text in EVERY_TEXT {
                let table = built_in(language);
                assert!(
                    table
                        .iter()
                        .any(|(known, value)| *known == text && !value.is_empty()),
                    "{text:?} is missing in {language:?}"
                );
            }
        }
        let texts = Texts::default();
        for language in Language::ALL {
            assert!(
                texts
                    .get(language, Text::MissingPermission)
                    .contains("{permission}")
            );
        }
    }

    #[test]
    fn an_override_replaces_one_text_in_one_language() {
        let mut texts = Texts::default();
        texts.set(Language::German, Text::Goodbye, "Bis bald!");
        assert_eq!(texts.get(Language::German, Text::Goodbye), "Bis bald!");
        assert_eq!(texts.get(Language::English, Text::Goodbye), "Goodbye!");
    }
}
