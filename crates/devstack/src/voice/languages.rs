//! The per-language table (`languages.toml`): how people open a skill, with or without a
//! request, and the words Alexa knows for the built-in intents. Data, so a language or a
//! phrasing is added without touching the matcher.

use std::{collections::BTreeMap, sync::LazyLock};

use serde::Deserialize;

/// Where the table lives, for error messages that name the fix.
pub(super) const TABLE_FILE: &str = "crates/devstack/src/voice/languages.toml";

const TABLE: &str = include_str!("languages.toml");

/// One language's phrasings, as written in the table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Language {
    /// "open {invocation}": opens the skill.
    pub(super) launch: Vec<String>,
    /// "ask {invocation} to {request}": opens the skill with a request.
    pub(super) one_shot: Vec<String>,
    /// Per built-in intent, what Alexa understands for it in this language.
    #[serde(default)]
    pub(super) built_in: BTreeMap<String, Vec<String>>,
}

static LANGUAGES: LazyLock<Result<BTreeMap<String, Language>, String>> = LazyLock::new(|| {
    let languages: BTreeMap<String, Language> =
        toml::from_str(TABLE).map_err(|error| format!("{TABLE_FILE} is not valid: {error}"))?;
    for (code, language) in &languages {
        let templates = language.launch.iter().chain(&language.one_shot);
        for template in templates {
            if !template.contains("{invocation}") {
                return Err(format!(
                    "{TABLE_FILE}: [{code}] phrasing {template:?} has no {{invocation}}"
                ));
            }
        }
        if let Some(template) = language
            .one_shot
            .iter()
            .find(|template| !template.contains("{request}"))
        {
            return Err(format!(
                "{TABLE_FILE}: [{code}] one_shot phrasing {template:?} has no {{request}}"
            ));
        }
    }
    Ok(languages)
});

/// The language of `locale` (`fr-CA` → `fr`).
pub(super) fn language_code(locale: &str) -> &str {
    locale.split(['-', '_']).next().unwrap_or(locale)
}

/// The table's entry for `code`; the error names the table and the fix.
pub(super) fn language(code: &str) -> Result<&'static Language, String> {
    let languages = LANGUAGES.as_ref().map_err(Clone::clone)?;
    languages.get(code).ok_or_else(|| {
        let known: Vec<&str> = languages.keys().map(String::as_str).collect();
        format!(
            "the voice twin does not know the language `{code}` (it knows {}): add a [{code}] \
             table with its launch and one-shot phrasings to {TABLE_FILE}",
            known.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every language Alexa custom skills are published in ("Develop Skills in Multiple
    /// Languages").
    const SHIPPED: &[&str] = &["ar", "de", "en", "es", "fr", "hi", "it", "ja", "nl", "pt"];

    #[test]
    fn the_table_reads_and_covers_every_shipped_language() {
        for code in SHIPPED {
            let language = language(code).unwrap_or_else(|error| panic!("{error}"));
            assert!(!language.launch.is_empty(), "{code}");
            assert!(!language.one_shot.is_empty(), "{code}");
            for intent in [
                "AMAZON.HelpIntent",
                "AMAZON.StopIntent",
                "AMAZON.CancelIntent",
            ] {
                assert!(language.built_in.contains_key(intent), "{code}: {intent}");
            }
        }
    }

    #[test]
    fn an_unknown_language_names_the_table_and_the_fix() {
        let error = language("sv").unwrap_err();
        assert!(error.contains("add a [sv] table"), "{error}");
        assert!(error.contains(TABLE_FILE), "{error}");
    }

    #[test]
    fn the_language_is_the_locales_first_part() {
        assert_eq!(language_code("fr-CA"), "fr");
        assert_eq!(language_code("ja-JP"), "ja");
        assert_eq!(language_code("en"), "en");
    }
}
