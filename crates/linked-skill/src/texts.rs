//! Every user-facing text, one home per language reached by key: the toolkit's own texts (link
//! states, built-in intents) in every shipped language (`texts/<code>.rs`), the skill's texts
//! in its [`TextTable`]s, and how a locale picks among them.
//!
//! A text is found for a locale (`en-GB`) in this order: the skill's table for the locale, the
//! skill's table for its language (`en`), the toolkit's text for the locale, the toolkit's for
//! the language, then the same for the skill's default language. Code never branches on the
//! language to pick words.

use jiff::civil::{Date, DateTime, Time};

use crate::speech::{Plural, SpeechWords};
use crate::{Language, Locale};

mod ar;
mod de;
mod en;
mod es;
mod fr;
mod hi;
mod it;
mod ja;
mod nl;
mod pt;

/// Defines [`Text`], its list [`Text::ALL`], its keys and placeholders, and [`Builtin`] with one
/// field per text, from one list: a language file that lacks a text does not compile, and a new
/// text is in every check at once.
macro_rules! toolkit_texts {
    ($( $(#[doc = $doc:literal])* $variant:ident => $field:ident [$($placeholder:literal),*] ),* $(,)?) => {
        /// A text the toolkit says on its own, shipped in every language of
        /// [`Language::SHIPPED`]. A skill overrides one in its [`TextTable`] under the text's
        /// [`key`](Text::key), or with [`SkillBuilder::text`](crate::SkillBuilder::text).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Text {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Text {
            /// Every text, in declaration order.
            pub const ALL: &'static [Text] = &[$(Text::$variant),*];

            /// The key a skill's [`TextTable`] overrides this text under (`"help"`).
            pub fn key(self) -> &'static str {
                match self { $(Text::$variant => stringify!($field)),* }
            }

            /// The placeholders the text may use (`{permission}`).
            pub fn placeholders(self) -> &'static [&'static str] {
                match self { $(Text::$variant => &[$($placeholder),*]),* }
            }

            /// The text whose key is `key`.
            pub fn from_key(key: &str) -> Option<Text> {
                Text::ALL.iter().copied().find(|text| text.key() == key)
            }
        }

        /// The toolkit's texts in one language: one field per [`Text`].
        #[derive(Debug)]
        pub(crate) struct Builtin {
            $( pub(crate) $field: &'static str, )*
        }

        impl Builtin {
            fn get(&self, text: Text) -> &'static str {
                match text { $(Text::$variant => self.$field),* }
            }
        }
    };
}

toolkit_texts! {
    /// LaunchRequest from a user who has not linked (with a LinkAccount card).
    WelcomeNotLinked => welcome_not_linked [],
    /// An intent that needs Google, from a user who has not linked (with a LinkAccount card).
    LinkNeeded => link_needed [],
    /// Google rejected the token: expired and not refreshed, or revoked (with a card).
    Relink => relink [],
    /// The link lacks a permission; `{permission}` is replaced by the scope table's name for it
    /// (with a card).
    MissingPermission => missing_permission ["permission"],
    /// What `{permission}` becomes when no scope involved is in the scope table.
    UnnamedPermission => unnamed_permission [],
    /// Google could not be reached in time, or kept failing; the session stays open.
    GoogleUnavailable => google_unavailable [],
    /// A handler failed with an error of its own (not Google's) and the skill has no
    /// `on_handler_error` hook; the session stays open.
    SomethingWentWrong => something_went_wrong [],
    /// Spoken as a progressive response while a handler is still working after the skill's
    /// automatic-progress wait (Google being slow).
    OneMoment => one_moment [],
    /// AMAZON.HelpIntent, and the reprompt after help and fallback.
    Help => help [],
    /// AMAZON.StopIntent, AMAZON.CancelIntent, AMAZON.NavigateHomeIntent.
    Goodbye => goodbye [],
    /// AMAZON.FallbackIntent and intents without a handler.
    Fallback => fallback [],
    /// The reprompt after an answer inside a conversation.
    AnythingElse => anything_else [],
}

/// One language's (or one locale's) texts of a skill, reached by key, written with
/// [`text_table!`](crate::text_table) so that checks can name the file:
///
/// ```
/// static FR: linked_skill::TextTable = linked_skill::text_table!("fr", {
///     "note_added" => "J'ai ajouté votre note : {note}.",
///     "files.one" => "Votre fichier le plus récent : {names}.",
///     "files.other" => "Vos {count} fichiers les plus récents : {names}.",
///     "help" => "Demandez-moi vos fichiers ou ajoutez une note. Que souhaitez-vous ?",
/// });
/// ```
///
/// Keys are the skill's own, or a toolkit [`Text::key`] to override that text. A template names
/// its values in braces (`{note}`); `{{` and `}}` are literal braces. A key with plural forms
/// has one entry per CLDR category the language uses (`.one`, `.other`; Arabic also `.zero`,
/// `.two`, `.few`, `.many`; Japanese only `.other`), read with
/// [`LocalTexts::count`].
#[derive(Debug)]
pub struct TextTable {
    code: &'static str,
    source: &'static str,
    entries: &'static [(&'static str, &'static str)],
}

impl TextTable {
    /// A table for `code` (`"fr"` or `"fr-CA"`) defined in the file `source`; use
    /// [`text_table!`](crate::text_table), which fills in `source`.
    pub const fn new(
        code: &'static str,
        source: &'static str,
        entries: &'static [(&'static str, &'static str)],
    ) -> TextTable {
        TextTable {
            code,
            source,
            entries,
        }
    }

    /// The language or locale code the table is for.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The file the table is defined in.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// The table's (key, template) pairs.
    pub fn entries(&self) -> &'static [(&'static str, &'static str)] {
        self.entries
    }
}

/// A [`TextTable`] for a language or locale code, naming the file it is written in:
/// `text_table!("de", { "key" => "Vorlage mit {wert}", … })`.
#[macro_export]
macro_rules! text_table {
    ($code:literal, { $($key:literal => $value:expr),* $(,)? }) => {
        $crate::TextTable::new($code, file!(), &[$(($key, $value)),*])
    };
}

/// Every text in every language: the toolkit's, then the skill's tables and overrides, and the
/// speech words of each language. Built once per process at no cost: registering a table keeps
/// a reference to its static entries, and a lookup scans the few tables of the request's locale
/// (nothing is parsed, hashed or copied before a request needs it).
#[derive(Clone)]
pub struct Texts {
    default_language: Language,
    tables: Vec<(Locale, &'static TextTable)>,
    /// `SkillBuilder::text` overrides, which win over the tables.
    overrides: Vec<(Locale, Text, String)>,
    speech: Vec<(Language, &'static SpeechWords)>,
}

impl Default for Texts {
    fn default() -> Self {
        Texts {
            default_language: Language::EN,
            tables: Vec::new(),
            overrides: Vec::new(),
            speech: Vec::new(),
        }
    }
}

impl Texts {
    /// The language used when the request's locale has no text: English unless the skill says
    /// otherwise.
    pub fn default_language(&self) -> Language {
        self.default_language
    }

    /// The texts as a request in `locale` reads them.
    pub fn for_locale(&self, locale: Locale) -> LocalTexts<'_> {
        LocalTexts {
            texts: self,
            locale,
        }
    }

    /// `text` in `locale`.
    pub fn get(&self, locale: Locale, text: Text) -> &str {
        self.for_locale(locale).text(text)
    }

    /// The tables the skill registered, with the locale each is for.
    pub fn tables(&self) -> impl Iterator<Item = (Locale, &'static TextTable)> + '_ {
        self.tables.iter().copied()
    }

    pub(crate) fn set_default_language(&mut self, language: Language) {
        self.default_language = language;
    }

    pub(crate) fn add_table(&mut self, table: &'static TextTable) {
        let locale = Locale::new(table.code).unwrap_or_else(|error| {
            panic!(
                "the text table in {} is for {:?}: {error}",
                table.source, table.code
            )
        });
        self.tables.push((locale, table));
    }

    pub(crate) fn set(&mut self, locale: Locale, text: Text, value: String) {
        self.overrides.push((locale, text, value));
    }

    pub(crate) fn add_speech_words(&mut self, language: Language, words: &'static SpeechWords) {
        self.speech.push((language, words));
    }

    /// The skill's own entry for `key`, looking at the locale, then its language; within one,
    /// an override, then the last registered table that has the key.
    fn skill_entry<'a>(&'a self, locale: Locale, key: &str) -> Option<&'a str> {
        let region = locale.region().is_some().then_some(locale);
        region
            .into_iter()
            .chain([locale.without_region()])
            .find_map(|wanted| {
                let overridden = self
                    .overrides
                    .iter()
                    .rev()
                    .find(|(locale, text, _)| *locale == wanted && text.key() == key)
                    .map(|(_, _, value)| value.as_str());
                overridden.or_else(|| {
                    self.tables
                        .iter()
                        .rev()
                        .filter(|(locale, _)| *locale == wanted)
                        .find_map(|(_, table)| {
                            table
                                .entries
                                .iter()
                                .find(|(known, _)| *known == key)
                                .map(|(_, value)| *value)
                        })
                })
            })
    }

    fn skill_speech(&self, language: Language) -> Option<&'static SpeechWords> {
        self.speech
            .iter()
            .rev()
            .find(|(known, _)| *known == language)
            .map(|(_, words)| *words)
    }

    fn skill_or_builtin(&self, locale: Locale, text: Text) -> Option<&str> {
        self.skill_entry(locale, text.key())
            .or_else(|| builtin_for_locale(locale, text))
            .or_else(|| builtin(locale.language()).map(|builtin| builtin.get(text)))
    }

    fn speech_words(&self, language: Language) -> Option<&'static SpeechWords> {
        self.skill_speech(language)
            .or_else(|| builtin_speech(language))
    }
}

/// The texts, speech words and locale of one request: what a handler speaks with.
///
/// ```
/// # use linked_skill::{Locale, Skill};
/// static EN: linked_skill::TextTable = linked_skill::text_table!("en", {
///     "signed_in_as" => "You are signed in as {email}.",
///     "files.one" => "Your newest file: {names}.",
///     "files.other" => "Your {count} newest files: {names}.",
/// });
/// let skill = Skill::builder().texts(&EN).build();
/// let texts = skill.texts().for_locale("en-GB".parse().unwrap());
/// assert_eq!(texts.format("signed_in_as", &[("email", "ada@example.com")]),
///            "You are signed in as ada@example.com.");
/// let names = texts.list(&["Budget", "Trip", "Notes"]);
/// assert_eq!(texts.count("files", 3, &[("names", &names)]),
///            "Your 3 newest files: Budget, Trip and Notes.");
/// ```
#[derive(Clone, Copy)]
pub struct LocalTexts<'a> {
    texts: &'a Texts,
    locale: Locale,
}

/// Short: the tables' locales and files, not every text (a handler's input prints this).
impl std::fmt::Debug for Texts {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Texts")
            .field("default_language", &self.default_language)
            .field(
                "tables",
                &self
                    .tables
                    .iter()
                    .map(|(locale, table)| format!("{locale} ({})", table.source))
                    .collect::<Vec<_>>(),
            )
            .field(
                "speech_words",
                &self
                    .speech
                    .iter()
                    .map(|(language, _)| language)
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl std::fmt::Debug for LocalTexts<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("LocalTexts")
            .field("locale", &self.locale)
            .finish_non_exhaustive()
    }
}

impl<'a> LocalTexts<'a> {
    /// The locale these texts are for.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// One of the toolkit's texts (as the skill may have overridden it).
    pub fn text(&self, text: Text) -> &'a str {
        let default = Locale::from(self.texts.default_language);
        self.texts
            .skill_or_builtin(self.locale, text)
            .or_else(|| self.texts.skill_or_builtin(default, text))
            .or_else(|| builtin(Language::EN).map(|builtin| builtin.get(text)))
            .unwrap_or_default()
    }

    /// The skill's text `key`, without placeholders filled in.
    ///
    /// A key no table has is a bug in the skill: tests (debug builds) panic naming it, and a
    /// release build logs it and says nothing for it.
    pub fn get(&self, key: &str) -> &'a str {
        if let Some(text) = Text::from_key(key) {
            return self.text(text);
        }
        let default = Locale::from(self.texts.default_language);
        match self
            .texts
            .skill_entry(self.locale, key)
            .or_else(|| self.texts.skill_entry(default, key))
        {
            Some(value) => value,
            None => {
                debug_assert!(
                    false,
                    "the skill has no text {key:?}: add it to the text table of {default}"
                );
                tracing::error!(key, "the skill has no text for this key");
                ""
            }
        }
    }

    /// The skill's text `key` with its placeholders filled from `arguments`
    /// (`&[("name", name)]`).
    pub fn format(&self, key: &str, arguments: &[(&str, &str)]) -> String {
        render(self.get(key), arguments)
    }

    /// The variant of `key` for `count` (`files.one`, `files.other`, by the language's plural
    /// rule; `files.zero` for 0 where the table has one), with `{count}` and the other
    /// placeholders filled in.
    pub fn count(&self, key: &str, count: u64, arguments: &[(&str, &str)]) -> String {
        let category = (self.speech().plural)(count);
        // As in i18next, a `.zero` text is said for 0 in any language that has one ("no unread
        // emails"), whatever the plural rule calls 0.
        let zero = (count == 0).then(|| format!("{key}.zero"));
        let wanted = format!("{key}.{}", category.suffix());
        let other = format!("{key}.other");
        let default = Locale::from(self.texts.default_language);
        let template = [self.locale, default]
            .into_iter()
            .find_map(|locale| {
                zero.as_deref()
                    .and_then(|zero| self.texts.skill_entry(locale, zero))
                    .or_else(|| self.texts.skill_entry(locale, &wanted))
                    .or_else(|| self.texts.skill_entry(locale, &other))
            })
            .unwrap_or_else(|| self.get(&other));
        let count = count.to_string();
        let mut all = Vec::with_capacity(arguments.len() + 1);
        all.push(("count", count.as_str()));
        all.extend_from_slice(arguments);
        render(template, &all)
    }

    /// `items` joined as said in the language: "a, b and c", "a, b et c", "aとb".
    pub fn list<S: AsRef<str>>(&self, items: &[S]) -> String {
        self.speech().list(items)
    }

    /// `date` relative to `today`: "tomorrow", "demain", "on Thursday, November 26".
    pub fn date(&self, date: Date, today: Date) -> String {
        self.speech().date(date, today)
    }

    /// A time of day as said in the locale: "3 PM", "15 Uhr", "午後3時".
    pub fn time(&self, time: Time) -> String {
        self.speech().time(time)
    }

    /// "tomorrow at 3 PM", "morgen um 15 Uhr", "demain à 15 h", "明日の午後3時".
    pub fn date_at_time(&self, at: DateTime, today: Date) -> String {
        self.speech().date_at_time(at, today)
    }

    /// The plural category of `count` in the language.
    pub fn plural(&self, count: u64) -> Plural {
        (self.speech().plural)(count)
    }

    /// The speech words in force: the skill's for the language, the toolkit's, else the default
    /// language's.
    pub fn speech(&self) -> &'a SpeechWords {
        let language = self.locale.language();
        self.texts
            .skill_speech(language)
            .or_else(|| self.texts.speech_words(language))
            .or_else(|| self.texts.speech_words(self.texts.default_language))
            .unwrap_or(&en::SPEECH)
    }
}

fn builtin(language: Language) -> Option<&'static Builtin> {
    Some(match language.code() {
        "ar" => &ar::TEXTS,
        "de" => &de::TEXTS,
        "en" => &en::TEXTS,
        "es" => &es::TEXTS,
        "fr" => &fr::TEXTS,
        "hi" => &hi::TEXTS,
        "it" => &it::TEXTS,
        "ja" => &ja::TEXTS,
        "nl" => &nl::TEXTS,
        "pt" => &pt::TEXTS,
        _ => return None,
    })
}

fn builtin_speech(language: Language) -> Option<&'static SpeechWords> {
    Some(match language.code() {
        "ar" => &ar::SPEECH,
        "de" => &de::SPEECH,
        "en" => &en::SPEECH,
        "es" => &es::SPEECH,
        "fr" => &fr::SPEECH,
        "hi" => &hi::SPEECH,
        "it" => &it::SPEECH,
        "ja" => &ja::SPEECH,
        "nl" => &nl::SPEECH,
        "pt" => &pt::SPEECH,
        _ => return None,
    })
}

/// The toolkit's texts that differ by country within a language, keyed by locale.
/// A (language, region) pair: `("es", "MX")`.
type LanguageAndRegion = (&'static str, &'static str);

const LOCALE_TEXTS: &[(LanguageAndRegion, &[(Text, &str)])] = &[
    (("es", "MX"), es::AMERICAS_TEXTS),
    (("es", "US"), es::AMERICAS_TEXTS),
];

fn builtin_for_locale(locale: Locale, text: Text) -> Option<&'static str> {
    let language = locale.language();
    let wanted = (language.code(), locale.region()?);
    LOCALE_TEXTS
        .iter()
        .find(|(known, _)| *known == wanted)
        .and_then(|(_, texts)| texts.iter().find(|(known, _)| *known == text))
        .map(|(_, value)| *value)
}

/// `template` with `{name}` replaced by the argument `name`; `{{` and `}}` are literal braces.
/// A placeholder without an argument is a bug the checks and the skill's tests find: debug
/// builds panic, release builds leave it out.
pub(crate) fn render(template: &str, arguments: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(index) = rest.find(['{', '}']) {
        out.push_str(&rest[..index]);
        let tail = &rest[index..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if let Some(end) = tail.find('}').filter(|_| tail.starts_with('{')) {
            let name = &tail[1..end];
            match arguments.iter().find(|(known, _)| *known == name) {
                Some((_, value)) => out.push_str(value),
                None => {
                    debug_assert!(false, "no value for {{{name}}} in {template:?}");
                    tracing::error!(placeholder = name, "a text placeholder has no value");
                }
            }
            rest = &tail[end + 1..];
        } else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders of `template`, or what is wrong with its braces.
pub(crate) fn placeholders(template: &str) -> Result<Vec<&str>, String> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(index) = rest.find(['{', '}']) {
        let tail = &rest[index..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('}') {
            return Err("has a `}` without `{` (write `}}` for a literal brace)".to_owned());
        }
        let Some(end) = tail.find('}') else {
            return Err("has a `{` without `}` (write `{{` for a literal brace)".to_owned());
        };
        let name = &tail[1..end];
        let valid = name
            .bytes()
            .next()
            .is_some_and(|first| first.is_ascii_lowercase() || first == b'_')
            && name
                .bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_');
        if !valid {
            return Err(format!(
                "has the placeholder {{{name}}}: placeholder names are lowercase ASCII letters, \
                 digits and `_`"
            ));
        }
        found.push(name);
        rest = &tail[end + 1..];
    }
    Ok(found)
}

/// The categories a language's rule gives the counts people say (0 to 1000), in order.
fn plural_categories(rule: fn(u64) -> Plural) -> Vec<Plural> {
    let mut categories: Vec<Plural> = (0..=1000).map(rule).collect();
    categories.sort();
    categories.dedup();
    categories
}

/// The base key of a plural variant (`files` of `files.one`), if `key` is one.
fn plural_base(key: &str) -> Option<&str> {
    let (base, suffix) = key.rsplit_once('.')?;
    Plural::ALL
        .iter()
        .any(|plural| plural.suffix() == suffix)
        .then_some(base)
}

impl Texts {
    /// Every problem with the skill's texts for `published` locales, one message per problem,
    /// each naming the file or locale and the fix:
    ///
    /// - a template whose braces are broken, or that uses a placeholder the default language's
    ///   text of the key (or the toolkit text) does not have;
    /// - a key the default language does not have (a typo, or a text the default lacks);
    /// - a published locale whose language lacks one of the skill's keys, or a plural form its
    ///   language uses, or (for a language the toolkit does not ship) a toolkit text or speech
    ///   words.
    pub fn problems(&self, published: &[Locale]) -> Vec<String> {
        let mut problems = Vec::new();
        let default = Locale::from(self.default_language);
        let mut default_keys: Vec<&'static str> = Vec::new();
        for (locale, table) in &self.tables {
            if *locale == default {
                default_keys.extend(table.entries.iter().map(|(key, _)| *key));
            }
        }
        default_keys.sort_unstable();
        default_keys.dedup();
        let default_placeholders = |key: &str| -> Option<Vec<&str>> {
            if let Some(text) = Text::from_key(key) {
                return Some(text.placeholders().to_vec());
            }
            let base = plural_base(key);
            let mut names: Option<Vec<&str>> = None;
            for known in &default_keys {
                let same = *known == key || (base.is_some() && plural_base(known) == base);
                if !same {
                    continue;
                }
                let template = self.skill_entry(default, known);
                let found = template
                    .and_then(|template| placeholders(template).ok())
                    .unwrap_or_default();
                let names = names.get_or_insert_with(Vec::new);
                names.extend(found);
                if base.is_some() {
                    names.push("count");
                }
            }
            names
        };
        for (locale, table) in &self.tables {
            let mut seen = Vec::new();
            for (key, template) in table.entries {
                let at = format!("{}: `{locale}` text {key:?}", table.source);
                if seen.contains(key) {
                    problems.push(format!("{at} is defined twice: keep one"));
                }
                seen.push(*key);
                let used = match placeholders(template) {
                    Ok(used) => used,
                    Err(problem) => {
                        problems.push(format!("{at} {problem}"));
                        continue;
                    }
                };
                let Some(allowed) = default_placeholders(key) else {
                    problems.push(format!(
                        "{at} has no text in the default language `{}`: add {key:?} to the \
                         `{}` table, or fix the key",
                        self.default_language, self.default_language
                    ));
                    continue;
                };
                for name in used {
                    if !allowed.contains(&name) {
                        let mut allowed = allowed.clone();
                        allowed.sort_unstable();
                        allowed.dedup();
                        let known = if allowed.is_empty() {
                            "none".to_owned()
                        } else {
                            allowed
                                .iter()
                                .map(|name| format!("{{{name}}}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        };
                        problems.push(format!(
                            "{at} uses the unknown placeholder {{{name}}}: the `{}` text of this \
                             key has {known}; rename it to one of those, or add it there and \
                             pass it from the code",
                            self.default_language
                        ));
                    }
                }
            }
        }
        let mut checked_languages = Vec::new();
        for locale in published {
            let language = locale.language();
            let Some(speech) = self.speech_words(language) else {
                problems.push(format!(
                    "{locale} is published, but the toolkit has no speech words for `{language}`: \
                     give them with SkillBuilder::speech_words"
                ));
                continue;
            };
            if builtin(language).is_none() {
                for text in Text::ALL {
                    if self.skill_entry(*locale, text.key()).is_none() {
                        problems.push(format!(
                            "{locale} is published, but the toolkit does not ship `{language}` \
                             and the skill has no {:?} text for it: add {:?} to the `{language}` \
                             text table",
                            text.key(),
                            text.key()
                        ));
                    }
                }
            }
            if checked_languages.contains(locale) {
                continue;
            }
            checked_languages.push(*locale);
            let categories = plural_categories(speech.plural);
            let mut bases: Vec<&str> = Vec::new();
            for key in &default_keys {
                // The toolkit ships its own texts: a skill's override in one language need not
                // be repeated in every other.
                if Text::from_key(key).is_some() {
                    continue;
                }
                if let Some(base) = plural_base(key) {
                    if !bases.contains(&base) {
                        bases.push(base);
                    }
                    continue;
                }
                if self.skill_entry(*locale, key).is_none() && *locale != default {
                    problems.push(format!(
                        "{locale} is published, but the skill has no {key:?} text in `{language}`: \
                         add it to the `{language}` text table"
                    ));
                }
            }
            for base in bases {
                for category in &categories {
                    let key = format!("{base}.{}", category.suffix());
                    if self.skill_entry(*locale, &key).is_none() {
                        problems.push(format!(
                            "{locale} is published, but the skill has no {key:?} text in \
                             `{language}` (which says counts in the forms {}): add it to the \
                             `{language}` text table",
                            categories
                                .iter()
                                .map(|category| format!(".{}", category.suffix()))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                    }
                }
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests;
