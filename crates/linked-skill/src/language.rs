//! Languages and locales as open, validated codes taken from the request: `fr`, `fr-CA`.
//!
//! Neither is a closed enum: a skill may speak a language the toolkit ships no texts for, by
//! adding its own (see `Texts`). Both are `Copy` and hold their code inline, so reading the
//! request's locale allocates nothing.

use std::fmt;
use std::str::FromStr;

/// A language a skill speaks: a lowercase ISO 639 code of two or three letters (`en`, `fr`,
/// `ja`), taken from the request's locale.
///
/// ```
/// use linked_skill::Language;
///
/// let french: Language = "fr".parse().unwrap();
/// assert_eq!(french, Language::FR);
/// assert_eq!(french.code(), "fr");
/// assert!("french".parse::<Language>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language {
    code: [u8; 3],
    length: u8,
}

/// A locale as Alexa sends it: a language and usually a region (`en-GB`, `es-MX`, or just `en`).
///
/// ```
/// use linked_skill::{Language, Locale};
///
/// let locale: Locale = "fr-CA".parse().unwrap();
/// assert_eq!(locale.language(), Language::FR);
/// assert_eq!(locale.region(), Some("CA"));
/// assert_eq!(locale.to_string(), "fr-CA");
/// assert_eq!("en_gb".parse::<Locale>().unwrap().to_string(), "en-GB");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Locale {
    language: Language,
    region: [u8; 3],
    region_length: u8,
}

/// A language or locale code that is not one: the message names the expected shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{given:?} is not a {kind} code: use a two- or three-letter language code such as `fr`, \
     optionally followed by a region such as `fr-CA`"
)]
pub struct CodeError {
    given: String,
    kind: &'static str,
}

impl Language {
    pub const AR: Language = Language::from_static("ar");
    pub const DE: Language = Language::from_static("de");
    pub const EN: Language = Language::from_static("en");
    pub const ES: Language = Language::from_static("es");
    pub const FR: Language = Language::from_static("fr");
    pub const HI: Language = Language::from_static("hi");
    pub const IT: Language = Language::from_static("it");
    pub const JA: Language = Language::from_static("ja");
    pub const NL: Language = Language::from_static("nl");
    pub const PT: Language = Language::from_static("pt");

    /// Every language the toolkit ships its texts and speech helpers in: the ten languages of
    /// Alexa custom skills (docs/languages.md).
    pub const SHIPPED: [Language; 10] = [
        Language::AR,
        Language::DE,
        Language::EN,
        Language::ES,
        Language::FR,
        Language::HI,
        Language::IT,
        Language::JA,
        Language::NL,
        Language::PT,
    ];

    /// The language code `code` (any letter case), or why it is not one.
    pub fn new(code: &str) -> Result<Language, CodeError> {
        parse_language(code.as_bytes()).ok_or_else(|| CodeError {
            given: code.chars().take(40).collect(),
            kind: "language",
        })
    }

    /// The code: `en`, `fr` (the keys of the scope table's permission names, of text tables
    /// and of the model sources `models/<code>.json`).
    pub fn code(&self) -> &str {
        // Only ASCII letters are ever stored (see `parse_language`).
        std::str::from_utf8(&self.code[..usize::from(self.length)]).unwrap_or("und")
    }

    /// Whether the toolkit ships texts in this language.
    pub fn is_shipped(self) -> bool {
        Language::SHIPPED.contains(&self)
    }

    const fn from_static(code: &str) -> Language {
        match parse_language(code.as_bytes()) {
            Some(language) => language,
            None => panic!("not a language code"),
        }
    }
}

impl Locale {
    /// `locale` as Alexa sends it (`de-DE`; `_` and any letter case are accepted too), or why
    /// it is not one.
    pub fn new(locale: &str) -> Result<Locale, CodeError> {
        parse_locale(locale).ok_or_else(|| CodeError {
            given: locale.chars().take(40).collect(),
            kind: "locale",
        })
    }

    /// The language of the locale.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The region (`GB`, `MX`), if the locale has one.
    pub fn region(&self) -> Option<&str> {
        match self.region_length {
            0 => None,
            length => std::str::from_utf8(&self.region[..usize::from(length)]).ok(),
        }
    }

    /// The same locale without its region: what a per-language table is keyed by.
    pub fn without_region(self) -> Locale {
        Locale::from(self.language)
    }
}

impl From<Language> for Locale {
    fn from(language: Language) -> Locale {
        Locale {
            language,
            region: [0; 3],
            region_length: 0,
        }
    }
}

impl FromStr for Language {
    type Err = CodeError;
    fn from_str(code: &str) -> Result<Language, CodeError> {
        Language::new(code)
    }
}

impl FromStr for Locale {
    type Err = CodeError;
    fn from_str(locale: &str) -> Result<Locale, CodeError> {
        Locale::new(locale)
    }
}

impl fmt::Display for Language {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.code())
    }
}

impl fmt::Debug for Language {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "Language({:?})", self.code())
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.region() {
            Some(region) => write!(formatter, "{}-{region}", self.language),
            None => write!(formatter, "{}", self.language),
        }
    }
}

impl fmt::Debug for Locale {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "Locale(\"{self}\")")
    }
}

const fn parse_language(code: &[u8]) -> Option<Language> {
    if code.len() < 2 || code.len() > 3 {
        return None;
    }
    let mut stored = [0u8; 3];
    let mut index = 0;
    while index < code.len() {
        if !code[index].is_ascii_alphabetic() {
            return None;
        }
        stored[index] = code[index].to_ascii_lowercase();
        index += 1;
    }
    Some(Language {
        code: stored,
        length: code.len() as u8,
    })
}

/// A language, then optionally `-`/`_` and a region of two letters or three digits (BCP 47's
/// region subtag, which is all Alexa's locales use).
fn parse_locale(locale: &str) -> Option<Locale> {
    let (language, region) = match locale.split_once(['-', '_']) {
        Some((language, region)) => (language, Some(region)),
        None => (locale, None),
    };
    let language = parse_language(language.as_bytes())?;
    let Some(region) = region else {
        return Some(Locale::from(language));
    };
    let letters = region.len() == 2 && region.bytes().all(|byte| byte.is_ascii_alphabetic());
    let digits = region.len() == 3 && region.bytes().all(|byte| byte.is_ascii_digit());
    if !letters && !digits {
        return None;
    }
    let mut stored = [0u8; 3];
    for (slot, byte) in stored.iter_mut().zip(region.bytes()) {
        *slot = byte.to_ascii_uppercase();
    }
    Some(Locale {
        language,
        region: stored,
        region_length: region.len() as u8,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alexa_locale_parses_to_its_language() {
        let cases = [
            ("ar-SA", "ar"),
            ("de-DE", "de"),
            ("en-AU", "en"),
            ("en-CA", "en"),
            ("en-GB", "en"),
            ("en-IN", "en"),
            ("en-US", "en"),
            ("es-ES", "es"),
            ("es-MX", "es"),
            ("es-US", "es"),
            ("fr-CA", "fr"),
            ("fr-FR", "fr"),
            ("hi-IN", "hi"),
            ("it-IT", "it"),
            ("ja-JP", "ja"),
            ("nl-NL", "nl"),
            ("pt-BR", "pt"),
        ];
        for (locale, language) in cases {
            let parsed = Locale::new(locale).unwrap();
            assert_eq!(parsed.language().code(), language);
            assert_eq!(parsed.to_string(), locale);
            assert!(parsed.language().is_shipped(), "{locale}");
        }
    }

    #[test]
    fn codes_are_normalized_and_bad_ones_name_the_shape() {
        assert_eq!(Locale::new("EN_gb").unwrap().to_string(), "en-GB");
        assert_eq!(Locale::new("es-419").unwrap().region(), Some("419"));
        assert_eq!(Locale::new("sv").unwrap().region(), None);
        assert_eq!(format!("{:?}", Language::FR), "Language(\"fr\")");
        for bad in ["", "e", "engl", "en-", "en-G", "en-GBR", "e1-GB", "en-GB-x"] {
            let error = Locale::new(bad).expect_err(bad).to_string();
            assert!(error.contains("such as `fr-CA`"), "{bad}: {error}");
        }
        assert!(Language::new("fr-FR").is_err());
        assert!(!Language::new("sv").unwrap().is_shipped());
    }
}
