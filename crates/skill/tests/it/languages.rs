//! Every Alexa locale hears the toolkit's answers in its own language, through the real binary,
//! and a published locale without the skill's texts fails the package check.

use std::fs;

use linked_skill::testing::{SkillBinary, TestRequest};
use serde_json::Value;

use crate::support::{request, workspace_root};

/// The 17 locales of Alexa custom skills, with words only that locale's answer to an unlinked
/// user has (the Alexa app's name as Amazon writes it there, the verb for linking).
const LOCALES: [(&str, &[&str]); 17] = [
    ("ar-SA", &["تطبيق Alexa", "ربط حسابك"]),
    ("de-DE", &["in der Alexa-App", "verknüpfe"]),
    ("en-AU", &["in the Alexa app", "link your account"]),
    ("en-CA", &["in the Alexa app", "link your account"]),
    ("en-GB", &["in the Alexa app", "link your account"]),
    ("en-IN", &["in the Alexa app", "link your account"]),
    ("en-US", &["in the Alexa app", "link your account"]),
    ("es-ES", &["en la app Alexa", "Te he enviado"]),
    ("es-MX", &["en la app Alexa", "Te envié"]),
    ("es-US", &["en la app Alexa", "Te envié"]),
    ("fr-CA", &["dans l'application Alexa", "Associez"]),
    ("fr-FR", &["dans l'application Alexa", "Associez"]),
    ("hi-IN", &["Alexa ऐप", "लिंक करें"]),
    ("it-IT", &["nell'app Alexa", "Collega"]),
    ("ja-JP", &["Alexaアプリ", "リンクしてください"]),
    ("nl-NL", &["in de Alexa-app", "Koppel"]),
    ("pt-BR", &["no app Alexa", "Vincule"]),
];

#[test]
fn an_unlinked_google_intent_is_answered_in_every_locales_language() {
    let mut failures = Vec::new();
    let mut answers: Vec<(&str, String)> = Vec::new();
    for (locale, words) in LOCALES {
        let input = TestRequest::from_json(request("who-am-i"))
            .unlinked()
            .locale(locale);
        let response = SkillBinary::new(env!("CARGO_BIN_EXE_skill")).invoke_blocking(input);
        let speech = response.speech().to_owned();
        if !response.has_link_account_card() {
            failures.push(format!("{locale}: no LinkAccount card\n{response:#}"));
        }
        for word in words {
            if !speech.contains(word) {
                failures.push(format!("{locale}: {speech:?} lacks {word:?}"));
            }
        }
        answers.push((locale, speech));
    }
    // Locales of one language share the answer (Spanish differs between Spain and the
    // Americas); different languages never do.
    for (index, (locale, speech)) in answers.iter().enumerate() {
        for (other, other_speech) in &answers[..index] {
            let same_language = locale[..2] == other[..2];
            let same_variant = same_language
                && (locale[..2] != *"es" || (*locale == "es-ES") == (*other == "es-ES"));
            if same_variant != (speech == other_speech) {
                failures.push(format!(
                    "{locale} and {other}: {speech:?} vs {other_speech:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The sample's own texts are complete in every language it speaks, for every locale Alexa has
/// for that language, whether or not the package publishes it yet.
#[test]
fn the_samples_texts_are_complete_in_its_six_languages() {
    let skill = skill::skill().build();
    let locales: Vec<linked_skill::Locale> = LOCALES
        .iter()
        .map(|(locale, _)| locale.parse().unwrap())
        .filter(|locale: &linked_skill::Locale| {
            ["en", "de", "fr", "es", "it", "ja"].contains(&locale.language().code())
        })
        .collect();
    assert_eq!(locales.len(), 13);
    let problems = skill.texts().problems(&locales);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A copy of the skill package that also publishes `locale` (with the en-US model), in a fresh
/// temporary directory.
fn package_publishing(locale: &str) -> std::path::PathBuf {
    let source = workspace_root().join("infra/skill-package");
    let target =
        std::env::temp_dir().join(format!("skill-package-{locale}-{}", std::process::id()));
    let models = target.join("interactionModels/custom");
    fs::create_dir_all(&models).unwrap();
    let mut manifest: Value =
        serde_json::from_str(&fs::read_to_string(source.join("skill.json")).unwrap()).unwrap();
    let locales = manifest["manifest"]["publishingInformation"]["locales"]
        .as_object_mut()
        .unwrap();
    let english = locales["en-US"].clone();
    locales.insert(locale.to_owned(), english);
    fs::write(target.join("skill.json"), manifest.to_string()).unwrap();
    for entry in fs::read_dir(source.join("interactionModels/custom")).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, models.join(path.file_name().unwrap())).unwrap();
    }
    fs::copy(
        models.join("en-US.json"),
        models.join(format!("{locale}.json")),
    )
    .unwrap();
    target
}

#[test]
fn publishing_a_locale_without_the_skills_texts_fails_the_package_check() {
    let package = package_publishing("nl-NL");
    let skill = skill::skill().build();
    let result = linked_skill::testing::check_interaction_models(&skill, &package);
    fs::remove_dir_all(&package).unwrap();
    let problems = result.expect_err("the sample has no Dutch texts");
    for key in ["who_am_i.name", "add_note.added", "list_files.recent.one"] {
        assert!(
            problems.contains(&format!(
                "nl-NL is published, but the skill has no \"{key}\" text"
            )),
            "{problems}"
        );
    }
    // Its toolkit texts ship in Dutch: those are not the problem.
    assert!(!problems.contains("\"help\""), "{problems}");

    // French is one of the sample's languages: publishing fr-CA is fine as far as texts go.
    let package = package_publishing("fr-CA");
    let result = linked_skill::testing::check_interaction_models(&skill, &package);
    fs::remove_dir_all(&package).unwrap();
    if let Err(problems) = result {
        assert!(!problems.contains("text"), "{problems}");
    }
}
