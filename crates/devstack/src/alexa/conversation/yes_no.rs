//! "Yes" and "no" in each language, for confirmations (data in `yes_no.toml`).

use std::{collections::BTreeMap, sync::OnceLock};

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization as _;

#[derive(Debug, Deserialize)]
pub(super) struct YesNo {
    pub(super) yes: Vec<String>,
    pub(super) no: Vec<String>,
}

fn table() -> &'static BTreeMap<String, YesNo> {
    static TABLE: OnceLock<BTreeMap<String, YesNo>> = OnceLock::new();
    TABLE.get_or_init(|| {
        toml::from_str(include_str!("yes_no.toml")).expect("yes_no.toml is a table of languages")
    })
}

/// The words of `locale`'s language (`de-DE` → de); an error naming the file to extend.
pub(super) fn words_for(locale: &str) -> Result<&'static YesNo, String> {
    let language = locale.split(['-', '_']).next().unwrap_or(locale);
    table().get(language).ok_or_else(|| {
        format!(
            "Alexa's dialog manager does not know \"yes\" and \"no\" in `{language}`: add a \
             `[{language}]` table to crates/devstack/src/alexa/conversation/yes_no.toml"
        )
    })
}

/// `Some(true)` for yes, `Some(false)` for no, `None` for anything else.
pub(super) fn answer(locale: &str, utterance: &str) -> Result<Option<bool>, String> {
    let words = words_for(locale)?;
    let heard = fold(utterance);
    let matches = |candidates: &[String]| candidates.iter().any(|word| fold(word) == heard);
    Ok(if matches(&words.yes) {
        Some(true)
    } else if matches(&words.no) {
        Some(false)
    } else {
        None
    })
}

/// Lowercase, accents removed, punctuation (but not apostrophes inside words) dropped, spaces
/// collapsed; Japanese has no spaces, so they are dropped there too.
fn fold(text: &str) -> String {
    let folded: String = text
        .nfd()
        .filter(|character| !unicode_normalization::char::is_combining_mark(*character))
        .collect::<String>()
        .to_lowercase()
        .chars()
        .map(|character| {
            if character.is_alphanumeric() || character == '\'' || character == '’' {
                character
            } else {
                ' '
            }
        })
        .collect();
    let words: Vec<&str> = folded.split_whitespace().collect();
    let is_japanese = folded
        .chars()
        .any(|character| matches!(character, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'));
    if is_japanese {
        words.concat()
    } else {
        words.join(" ").replace('’', "'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_and_no_are_heard_in_every_language_of_the_sample() {
        for (locale, yes, no) in [
            ("en-US", "Yes.", "no thanks"),
            ("de-DE", "Ja", "Nein!"),
            ("fr-FR", "Oui", "non"),
            ("es-ES", "si", "No"),
            ("it-IT", "Sì", "no"),
            ("ja-JP", "はい。", "いいえ"),
        ] {
            assert_eq!(answer(locale, yes), Ok(Some(true)), "{locale} {yes}");
            assert_eq!(answer(locale, no), Ok(Some(false)), "{locale} {no}");
            assert_eq!(answer(locale, "blue"), Ok(None), "{locale}");
        }
    }

    #[test]
    fn a_language_without_words_names_the_file_to_extend() {
        let message = answer("sv-SE", "ja").unwrap_err();
        assert!(message.contains("`[sv]`"), "{message}");
        assert!(message.contains("yes_no.toml"), "{message}");
    }
}
