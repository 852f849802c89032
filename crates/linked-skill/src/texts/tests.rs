//! The toolkit's texts in every shipped language, their resolution, the speech helpers, and the
//! checks of a skill's tables.

use jiff::civil::date;

use super::*;

fn locale(code: &str) -> Locale {
    Locale::new(code).unwrap()
}

/// What is wrong with one language's toolkit texts: a text that is empty (a translation left
/// out), or whose placeholders are not the text's own. `Text::ALL` and `Builtin`'s fields come
/// from one macro, so a new `Text` is checked here at once, and a language file without it does
/// not compile (its `Builtin` lacks a field).
fn builtin_problems(language: Language, table: &Builtin) -> Vec<String> {
    let mut problems = Vec::new();
    for text in Text::ALL {
        let value = table.get(*text);
        if value.trim().is_empty() {
            problems.push(format!("{text:?} has no `{language}` translation"));
            continue;
        }
        match placeholders(value) {
            Ok(mut used) => {
                used.sort_unstable();
                if used != text.placeholders() {
                    problems.push(format!(
                        "`{language}` {text:?} uses {used:?}, not {:?}",
                        text.placeholders()
                    ));
                }
            }
            Err(problem) => problems.push(format!("`{language}` {text:?} {problem}")),
        }
    }
    problems
}

#[test]
fn a_missing_translation_or_a_wrong_placeholder_is_a_problem() {
    let english = builtin(Language::EN).unwrap();
    assert_eq!(
        builtin_problems(Language::EN, english),
        Vec::<String>::new()
    );
    // A Builtin has a field per Text, so "missing" can only be an empty value (or a file that
    // does not compile): both the empty help and the renamed placeholder are found.
    let incomplete = Builtin {
        help: " ",
        missing_permission: "I need permission to {scope}.",
        ..*english
    };
    assert_eq!(
        builtin_problems(Language::EN, &incomplete),
        [
            r#"`en` MissingPermission uses ["scope"], not ["permission"]"#,
            "Help has no `en` translation",
        ]
    );
}

#[test]
fn every_text_ships_in_every_language_with_its_placeholders_only() {
    for language in Language::SHIPPED {
        let table = builtin(language).expect("a shipped language has texts");
        assert!(builtin_speech(language).is_some(), "{language}");
        assert_eq!(builtin_problems(language, table), Vec::<String>::new());
    }
    for ((language, region), texts) in LOCALE_TEXTS {
        let code = format!("{language}-{region}");
        for (text, value) in *texts {
            let mut used = placeholders(value).unwrap();
            used.sort_unstable();
            assert_eq!(used, text.placeholders(), "{code} {text:?}");
        }
    }
    // Every language says the toolkit's texts in its own words: no two languages share one.
    for text in Text::ALL {
        let mut values: Vec<&str> = Language::SHIPPED
            .iter()
            .map(|language| builtin(*language).unwrap().get(*text))
            .collect();
        values.sort_unstable();
        values.dedup();
        assert_eq!(values.len(), Language::SHIPPED.len(), "{text:?}");
    }
}

#[test]
fn every_known_scope_has_a_permission_name_in_every_shipped_language() {
    for scope in google_api::scopes::ALL {
        for language in Language::SHIPPED {
            assert!(
                scope
                    .permission
                    .iter()
                    .any(|(code, name)| *code == language.code() && !name.is_empty()),
                "{} has no `{language}` permission name",
                scope.name
            );
        }
    }
}

#[test]
fn a_locale_finds_its_text_then_its_languages_then_the_default() {
    static EN_GB: TextTable = crate::text_table!("en-GB", { "goodbye" => "Cheerio!" });
    static FR: TextTable = crate::text_table!("fr", { "help" => "Aide du skill." });
    let mut texts = Texts::default();
    texts.add_table(&EN_GB);
    texts.add_table(&FR);
    assert_eq!(texts.get(locale("en-GB"), Text::Goodbye), "Cheerio!");
    assert_eq!(texts.get(locale("en-US"), Text::Goodbye), "Goodbye!");
    assert_eq!(texts.get(locale("fr-CA"), Text::Help), "Aide du skill.");
    assert_eq!(texts.get(locale("fr-FR"), Text::Goodbye), "Au revoir !");
    // A language nobody ships falls back to the default language.
    assert_eq!(texts.get(locale("sv-SE"), Text::Goodbye), "Goodbye!");
    // The toolkit's own country variants.
    assert!(
        texts
            .get(locale("es-MX"), Text::LinkNeeded)
            .contains("Te envié")
    );
    assert!(
        texts
            .get(locale("es-ES"), Text::LinkNeeded)
            .contains("Te he enviado")
    );
    texts.set_default_language(Language::DE);
    assert_eq!(texts.get(locale("sv-SE"), Text::Goodbye), "Tschüss!");
}

#[test]
fn placeholders_are_filled_and_braces_escaped() {
    assert_eq!(
        render("{a} and {b}, {{literal}}", &[("a", "1"), ("b", "2")]),
        "1 and 2, {literal}"
    );
    assert_eq!(placeholders("x {a_1} {{y}}").unwrap(), ["a_1"]);
    assert!(placeholders("{Name}").unwrap_err().contains("lowercase"));
    assert!(placeholders("{open").unwrap_err().contains("`{{`"));
    assert!(placeholders("close}").unwrap_err().contains("`}}`"));
}

#[test]
fn lists_counts_dates_and_times_are_said_as_people_say_them() {
    let texts = Texts::default();
    let at = |code: &str| texts.for_locale(locale(code));
    assert_eq!(at("en-US").list(&["a", "b", "c"]), "a, b and c");
    assert_eq!(at("de-DE").list(&["a", "b"]), "a und b");
    assert_eq!(at("fr-FR").list(&["a", "b", "c"]), "a, b et c");
    assert_eq!(at("ja-JP").list(&["a", "b"]), "aとb");
    assert_eq!(at("ja-JP").list(&["a", "b", "c"]), "a、b、c");
    assert_eq!(at("ar-SA").list(&["a", "b"]), "a وb");
    assert_eq!(at("en-US").list::<&str>(&[]), "");

    let today = date(2026, 11, 24);
    let tomorrow_at_3 = date(2026, 11, 25).at(15, 0, 0, 0);
    let thursday_at_half_past = date(2026, 11, 26).at(15, 30, 0, 0);
    let cases = [
        (
            "en-US",
            "tomorrow at 3 PM",
            "on Thursday, November 26 at 3:30 PM",
        ),
        (
            "en-GB",
            "tomorrow at 3 PM",
            "on Thursday, November 26 at 3:30 PM",
        ),
        (
            "de-DE",
            "morgen um 15 Uhr",
            "am Donnerstag, 26. November um 15:30 Uhr",
        ),
        ("fr-FR", "demain à 15 h", "le jeudi 26 novembre à 15 h 30"),
        ("fr-CA", "demain à 15 h", "le jeudi 26 novembre à 15 h 30"),
        (
            "es-ES",
            "mañana a las 3 de la tarde",
            "el jueves 26 de noviembre a las 3:30 de la tarde",
        ),
        (
            "es-MX",
            "mañana a las 3 de la tarde",
            "el jueves 26 de noviembre a las 3:30 de la tarde",
        ),
        ("it-IT", "domani alle 15", "giovedì 26 novembre alle 15:30"),
        ("ja-JP", "明日の午後3時", "11月26日木曜日の午後3時30分"),
        (
            "nl-NL",
            "morgen om 15 uur",
            "op donderdag 26 november om 15:30 uur",
        ),
        (
            "pt-BR",
            "amanhã às 15h",
            "quinta-feira, 26 de novembro às 15h30",
        ),
        ("hi-IN", "कल दोपहर 3 बजे", "गुरुवार, 26 नवंबर को दोपहर 3:30 बजे"),
        (
            "ar-SA",
            "غدًا الساعة 3 مساءً",
            "يوم الخميس 26 نوفمبر الساعة 3:30 مساءً",
        ),
    ];
    for (code, tomorrow, thursday) in cases {
        assert_eq!(
            at(code).date_at_time(tomorrow_at_3, today),
            tomorrow,
            "{code}"
        );
        assert_eq!(
            at(code).date_at_time(thursday_at_half_past, today),
            thursday,
            "{code}"
        );
    }
    // One o'clock is singular in Spanish and Italian; midnight and noon on a 12-hour clock.
    let one = date(2026, 11, 24).at(13, 0, 0, 0);
    assert_eq!(
        at("es-MX").date_at_time(one, today),
        "hoy a la 1 de la tarde"
    );
    assert_eq!(
        at("it-IT").date_at_time(date(2026, 11, 24).at(1, 5, 0, 0), today),
        "oggi all'1:05"
    );
    assert_eq!(at("en-US").time(jiff::civil::time(0, 5, 0, 0)), "12:05 AM");
    assert_eq!(at("en-US").time(jiff::civil::time(12, 0, 0, 0)), "12 PM");
    assert_eq!(
        at("ja-JP").time(jiff::civil::time(9, 5, 0, 0)),
        "午前9時5分"
    );
    assert_eq!(
        at("fr-FR").date(date(2026, 12, 1), today),
        "le mardi 1er décembre"
    );
    assert_eq!(at("de-DE").date(today, today), "heute");
}

#[test]
fn plural_categories_follow_cldr() {
    let texts = Texts::default();
    let plural = |code: &str, count| texts.for_locale(locale(code)).plural(count);
    assert_eq!(plural("en-US", 1), Plural::One);
    assert_eq!(plural("en-US", 0), Plural::Other);
    assert_eq!(plural("fr-FR", 0), Plural::One);
    assert_eq!(plural("fr-FR", 2_000_000), Plural::Many);
    assert_eq!(plural("pt-BR", 0), Plural::One);
    assert_eq!(plural("hi-IN", 0), Plural::One);
    assert_eq!(plural("ja-JP", 1), Plural::Other);
    let arabic: Vec<Plural> = [0, 1, 2, 3, 11, 100, 103]
        .map(|count| plural("ar-SA", count))
        .to_vec();
    assert_eq!(
        arabic,
        [
            Plural::Zero,
            Plural::One,
            Plural::Two,
            Plural::Few,
            Plural::Many,
            Plural::Other,
            Plural::Few
        ]
    );
}

static EN: TextTable = crate::text_table!("en", {
    "greeting" => "Hello {name}.",
    "files.one" => "One file: {names}.",
    "files.other" => "{count} files: {names}.",
});
static FR: TextTable = crate::text_table!("fr", {
    "greeting" => "Bonjour {name}.",
    "files.one" => "{count} fichier : {names}.",
    "files.other" => "{count} fichiers : {names}.",
});

#[test]
fn a_skills_own_texts_are_read_by_key_with_plurals() {
    let mut texts = Texts::default();
    texts.add_table(&EN);
    texts.add_table(&FR);
    let french = texts.for_locale(locale("fr-CA"));
    assert_eq!(
        french.format("greeting", &[("name", "Ada")]),
        "Bonjour Ada."
    );
    assert_eq!(french.count("files", 0, &[("names", "")]), "0 fichier : .");
    assert_eq!(
        french.count("files", 2, &[("names", "a et b")]),
        "2 fichiers : a et b."
    );
    // German has no table: the default language speaks, never "".
    let german = texts.for_locale(locale("de-DE"));
    assert_eq!(german.format("greeting", &[("name", "Ada")]), "Hello Ada.");
    assert_eq!(german.count("files", 1, &[("names", "x")]), "One file: x.");
    assert!(
        texts
            .problems(&[locale("en-US"), locale("fr-FR")])
            .is_empty()
    );
}

#[test]
fn a_published_language_without_the_skills_texts_is_a_problem() {
    let mut texts = Texts::default();
    texts.add_table(&EN);
    texts.add_table(&FR);
    let problems = texts
        .problems(&[locale("en-US"), locale("de-DE")])
        .join("\n");
    assert!(
        problems.contains("de-DE is published, but the skill has no \"greeting\" text in `de`: add it to the `de` text table"),
        "{problems}"
    );
    assert!(problems.contains("no \"files.one\" text"), "{problems}");
    // Arabic needs every form its plural rule uses.
    static AR: TextTable = crate::text_table!("ar", {
        "greeting" => "مرحبًا {name}.",
        "files.one" => "ملف واحد: {names}.",
        "files.other" => "{count} ملف: {names}.",
    });
    texts.add_table(&AR);
    let problems = texts.problems(&[locale("ar-SA")]).join("\n");
    for form in ["zero", "two", "few", "many"] {
        assert!(
            problems.contains(&format!("\"files.{form}\"")),
            "{problems}"
        );
    }
    assert!(!problems.contains("\"files.one\""), "{problems}");
}

#[test]
fn an_unknown_placeholder_names_the_file_the_key_and_the_fix() {
    static BAD: TextTable = crate::text_table!("fr", {
        "greeting" => "Bonjour {nom}.",
        "typo" => "Pas de clé.",
        "goodbye" => "Au revoir {name}.",
        "files.other" => "{count} fichiers : {names",
    });
    let mut texts = Texts::default();
    texts.add_table(&EN);
    texts.add_table(&BAD);
    let problems = texts.problems(&[]).join("\n");
    assert!(
        problems.contains(
            "crates/linked-skill/src/texts/tests.rs: `fr` text \"greeting\" uses the unknown \
             placeholder {nom}: the `en` text of this key has {name}; rename it to one of those"
        ),
        "{problems}"
    );
    assert!(
        problems
            .contains("`fr` text \"typo\" has no text in the default language `en`: add \"typo\""),
        "{problems}"
    );
    assert!(
        problems.contains("`fr` text \"goodbye\" uses the unknown placeholder {name}: the `en` text of this key has none"),
        "{problems}"
    );
    assert!(
        problems.contains("\"files.other\" has a `{` without `}`"),
        "{problems}"
    );
}

#[test]
fn a_language_the_toolkit_does_not_ship_needs_every_toolkit_text_and_speech_words() {
    static SV: TextTable = crate::text_table!("sv", { "goodbye" => "Hej då!" });
    let mut texts = Texts::default();
    texts.add_table(&SV);
    let problems = texts.problems(&[locale("sv-SE")]).join("\n");
    assert!(problems.contains("no speech words for `sv`"), "{problems}");
    static SWEDISH: SpeechWords = SpeechWords {
        list_pair: " och ",
        list_last: " och ",
        ..en::SPEECH
    };
    texts.add_speech_words(Language::new("sv").unwrap(), &SWEDISH);
    let problems = texts.problems(&[locale("sv-SE")]).join("\n");
    assert!(
        problems.contains("the toolkit does not ship `sv` and the skill has no \"help\" text"),
        "{problems}"
    );
    assert!(!problems.contains("\"goodbye\""), "{problems}");
    assert_eq!(texts.get(locale("sv-SE"), Text::Goodbye), "Hej då!");
    assert_eq!(
        texts.for_locale(locale("sv-SE")).list(&["a", "b"]),
        "a och b"
    );
}
