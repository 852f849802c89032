//! The rules' data: the public documents they come from and the word lists Amazon names.
//! docs/preflight.md says which entries Amazon's pages state and which are the safe reading of
//! an unstated rule.

use serde::Serialize;

/// A public document a rule comes from.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    pub title: &'static str,
    pub url: &'static str,
}

pub const CERTIFICATION: Source = Source {
    title: "Certification Requirements for Custom Skills",
    url: "https://developer.amazon.com/en-US/docs/alexa/custom-skills/certification-requirements-for-custom-skills.html",
};
pub const INVOCATION_NAME: Source = Source {
    title: "Choose the Invocation Name for a Custom Skill",
    url: "https://developer.amazon.com/en-US/docs/alexa/custom-skills/choose-the-invocation-name-for-a-custom-skill.html",
};
pub const SAMPLE_UTTERANCES: Source = Source {
    title: "Best Practices for Sample Utterances and Custom Slot Type Values",
    url: "https://developer.amazon.com/en-US/docs/alexa/custom-skills/best-practices-for-sample-utterances-and-custom-slot-type-values.html",
};
pub const PRIVACY_URLS: Source = Source {
    title: "Certification requirements for privacy policy URLs",
    url: "https://developer.amazon.com/en-US/blogs/alexa/alexa-skills-kit/2023/02/certification-requirements-privacy-urls-feb-2023",
};
pub const ACCOUNT_LINKING: Source = Source {
    title: "Requirements for Account Linking for Alexa Skills",
    url: "https://developer.amazon.com/en-US/docs/alexa/account-linking/requirements-account-linking.html",
};
pub const ACCOUNT_LINKING_SCHEMAS: Source = Source {
    title: "Account Linking Schemas (domains)",
    url: "https://developer.amazon.com/en-US/docs/alexa/smapi/account-linking-schemas.html",
};
pub const GOOGLE_VERIFICATION: Source = Source {
    title: "OAuth App Verification Help Center",
    url: "https://support.google.com/cloud/answer/13463073",
};
pub const GOOGLE_RESTRICTED: Source = Source {
    title: "Restricted scope verification",
    url: "https://developers.google.com/identity/protocols/oauth2/production-readiness/restricted-scope-verification",
};
pub const GOOGLE_TESTING_EXPIRY: Source = Source {
    title: "Using OAuth 2.0 to Access Google APIs (Refresh token expiration)",
    url: "https://developers.google.com/identity/protocols/oauth2#expiration",
};

/// Wake words, which Alexa hears as the start of a new request. "computer" is a wake word a
/// user can choose, so it is refused too (the safe reading).
pub const WAKE_WORDS: &[&str] = &["alexa", "amazon", "echo", "computer"];
/// Words Amazon refuses in an invocation name because they name the skill itself.
pub const META_WORDS: &[&str] = &["skill", "app"];
/// Launch phrases, per language code ("*" for every locale). Amazon's page names "launch",
/// "ask", "tell", "load", "begin" and "enable"; the rest are the phrases its blog lists users
/// saying, refused as the safe reading.
pub const LAUNCH_PHRASES: &[(&str, &[&str])] = &[
    (
        "*",
        &[
            "ask", "begin", "enable", "launch", "load", "open", "play", "resume", "run", "start",
            "talk to", "tell", "use",
        ],
    ),
    (
        "de",
        &[
            "öffne",
            "frag",
            "frage",
            "starte",
            "spiele",
            "sag",
            "sage",
            "aktiviere",
            "lade",
        ],
    ),
];
/// "Two-word invocation names are not allowed if one of the words is a definite article, an
/// indefinite article or a preposition": the words Amazon's page names (English).
pub const ARTICLES_AND_PREPOSITIONS: &[(&str, &[&str])] =
    &[("en", &["the", "a", "an", "for", "to", "of"])];
/// The console's length limit for an invocation name [unverified: SMAPI itself only requires
/// one character], so a warning.
pub const INVOCATION_NAME_MAX_CHARACTERS: usize = 50;
/// Host labels Amazon's policy refuses in privacy, terms and account-linking URLs.
pub const AMAZON_MARKS: &[&str] = &["amazon", "alexa", "aws"];
/// Reserved example domains (RFC 2606): placeholders no reviewer accepts.
pub const PLACEHOLDER_DOMAINS: &[&str] = &["example.com", "example.org", "example.net"];

/// The phrases of `table` that apply to `locale` (`en-US` takes "*" and "en").
pub fn for_locale(
    table: &'static [(&'static str, &'static [&'static str])],
    locale: &str,
) -> Vec<&'static str> {
    let language = locale.split('-').next().unwrap_or(locale);
    table
        .iter()
        .filter(|(code, _)| *code == "*" || *code == language)
        .flat_map(|(_, words)| words.iter().copied())
        .collect()
}
