//! The languages the toolkit speaks, chosen from the request's locale.

/// A language a skill speaks. Every English locale gets English, German locales German, and
/// anything else (or no locale at all) English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    English,
    German,
}

impl Language {
    /// Every language the toolkit ships texts for.
    pub const ALL: [Language; 2] = [Language::English, Language::German];

    /// The language of `locale` (`de-DE`, `en_GB`), English when unknown or absent.
    pub fn from_locale(locale: Option<&str>) -> Language {
        let language = locale.unwrap_or("").split(['-', '_']).next().unwrap_or("");
        if language.eq_ignore_ascii_case("de") {
            Language::German
        } else {
            Language::English
        }
    }

    /// The ISO 639-1 code: `en`, `de` (the keys of the scope table's permission names and of
    /// the model sources `models/<code>.json`).
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
        }
    }

    /// `items` as speech lists them: "a", "a and b", "a, b and c" ("und" in German).
    pub fn list<S: AsRef<str>>(self, items: &[S]) -> String {
        let and = match self {
            Language::English => "and",
            Language::German => "und",
        };
        match items {
            [] => String::new(),
            [only] => only.as_ref().to_owned(),
            [init @ .., last] => {
                let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
                format!("{} {and} {}", init.join(", "), last.as_ref())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_follows_the_locale_and_falls_back_to_english() {
        assert_eq!(Language::from_locale(Some("de-DE")), Language::German);
        assert_eq!(Language::from_locale(Some("de-AT")), Language::German);
        assert_eq!(Language::from_locale(Some("en-GB")), Language::English);
        assert_eq!(Language::from_locale(Some("fr-FR")), Language::English);
        assert_eq!(Language::from_locale(None), Language::English);
    }

    #[test]
    fn lists_are_joined_like_speech() {
        assert_eq!(Language::English.list(&["a"]), "a");
        assert_eq!(Language::English.list(&["a", "b"]), "a and b");
        assert_eq!(Language::German.list(&["a", "b", "c"]), "a, b und c");
        assert_eq!(Language::German.list::<&str>(&[]), "");
    }
}
