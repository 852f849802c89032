//! The interaction-model rules: invocation names and sample utterances, per locale.

use std::collections::BTreeMap;

use serde_json::Value;

use super::package::Package;
use super::rules::{self, INVOCATION_NAME, SAMPLE_UTTERANCES, Source};
use super::{Finding, Severity};

pub(super) fn check(package: &Package, findings: &mut Vec<Finding>) {
    for (locale, (file, language_model)) in &package.models {
        let at = At { file, locale };
        match language_model.get("invocationName").and_then(Value::as_str) {
            Some(name) => invocation_name(&at, name, findings),
            None => findings.push(at.finding(
                Severity::Error,
                "invocation-name.missing",
                "",
                "has no invocationName",
                "add \"invocationName\": \"two or more words\" to languageModel",
                &INVOCATION_NAME,
            )),
        }
        let invocation_name = language_model
            .get("invocationName")
            .and_then(Value::as_str)
            .unwrap_or_default();
        utterances(&at, language_model, invocation_name, findings);
    }
}

/// Where a finding is.
struct At<'a> {
    file: &'a str,
    locale: &'a str,
}

impl At<'_> {
    fn finding(
        &self,
        severity: Severity,
        rule: &'static str,
        text: &str,
        problem: &str,
        fix: &str,
        source: &'static Source,
    ) -> Finding {
        Finding {
            severity,
            rule,
            file: self.file.to_owned(),
            locale: Some(self.locale.to_owned()),
            text: text.to_owned(),
            problem: problem.to_owned(),
            fix: fix.to_owned(),
            source: Some(source),
        }
    }
}

/// The words of `text` (split on spaces).
fn words(text: &str) -> Vec<&str> {
    text.split(' ').filter(|word| !word.is_empty()).collect()
}

/// Whether the word sequence `phrase` occurs in `words` as whole words.
fn contains_phrase(words: &[&str], phrase: &str) -> bool {
    let phrase: Vec<&str> = phrase.split(' ').collect();
    words.windows(phrase.len()).any(|window| {
        window
            .iter()
            .zip(&phrase)
            .all(|(word, wanted)| word.to_lowercase() == *wanted)
    })
}

fn invocation_name(at: &At<'_>, name: &str, findings: &mut Vec<Finding>) {
    // Characters: lower-case letters, single spaces, possessive apostrophes, periods in
    // abbreviations ("a. b. c."); numbers spelled out.
    let well_formed = !name.is_empty()
        && !name.starts_with(' ')
        && !name.ends_with(' ')
        && !name.contains("  ")
        && words(name).iter().all(|word| is_invocation_word(word));
    if !well_formed {
        findings.push(at.finding(
            Severity::Error,
            "invocation-name.characters",
            name,
            "may contain only lower-case letters, single spaces, possessive apostrophes and \
             periods in abbreviations",
            "write it in lower case, spell numbers out (\"twenty one\") and drop other characters",
            &INVOCATION_NAME,
        ));
    }
    let name_words = words(name);
    for word in rules::WAKE_WORDS.iter().chain(rules::META_WORDS) {
        if contains_phrase(&name_words, word) {
            findings.push(at.finding(
                Severity::Error,
                "invocation-name.forbidden-word",
                name,
                &format!("contains {word:?}, which Amazon refuses in an invocation name"),
                &format!("choose a name without {word:?}"),
                &INVOCATION_NAME,
            ));
        }
    }
    for phrase in rules::for_locale(rules::LAUNCH_PHRASES, at.locale) {
        if contains_phrase(&name_words, phrase) {
            findings.push(at.finding(
                Severity::Error,
                "invocation-name.launch-phrase",
                name,
                &format!("contains the launch phrase {phrase:?}"),
                &format!("remove {phrase:?}: users say it before the name (\"Alexa, {phrase} …\")"),
                &INVOCATION_NAME,
            ));
        }
    }
    if name_words.len() == 2 {
        for word in rules::for_locale(rules::ARTICLES_AND_PREPOSITIONS, at.locale) {
            if contains_phrase(&name_words, word) {
                findings.push(at.finding(
                    Severity::Error,
                    "invocation-name.two-words-with-article",
                    name,
                    &format!("has two words, one of them {word:?}"),
                    "add a word, or replace the article or preposition",
                    &INVOCATION_NAME,
                ));
            }
        }
    }
    if name_words.len() == 1 && !at.locale.starts_with("de") {
        findings.push(at.finding(
            Severity::Warning,
            "invocation-name.one-word",
            name,
            "is one word, which Amazon allows only for a brand you can prove is yours",
            "use two or more words, or have the brand documentation ready for certification",
            &INVOCATION_NAME,
        ));
    }
    if name.chars().count() > rules::INVOCATION_NAME_MAX_CHARACTERS {
        findings.push(at.finding(
            Severity::Warning,
            "invocation-name.length",
            name,
            &format!(
                "is longer than {} characters, more than the developer console accepts",
                rules::INVOCATION_NAME_MAX_CHARACTERS
            ),
            "shorten it; a short name is also recognized more reliably",
            &INVOCATION_NAME,
        ));
    }
}

/// `sam's`, `a.`, `kaffeeroboter`, `über`: letters in lower case, one possessive apostrophe,
/// or a single letter with a period.
fn is_invocation_word(word: &str) -> bool {
    let letter = |character: char| character.is_alphabetic() && !character.is_uppercase();
    if let Some(letter_part) = word.strip_suffix('.') {
        return letter_part.chars().count() == 1 && letter_part.chars().all(letter);
    }
    let (stem, possessive) = match word.find(['\'', '’']) {
        Some(index) => (
            &word[..index],
            &word[index..][word[index..].chars().next().map_or(1, char::len_utf8)..],
        ),
        None => (word, ""),
    };
    !stem.is_empty() && stem.chars().all(letter) && possessive.chars().all(letter)
}

fn utterances(
    at: &At<'_>,
    language_model: &Value,
    invocation_name: &str,
    findings: &mut Vec<Finding>,
) {
    let intents = language_model
        .get("intents")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    // Normalized sample → the intents it appears in.
    let mut seen: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for intent in intents {
        let intent_name = intent.get("name").and_then(Value::as_str).unwrap_or("?");
        let slots: Vec<&str> = intent
            .get("slots")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|slot| slot.get("name").and_then(Value::as_str))
            .collect();
        let samples = intent
            .get("samples")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str);
        for sample in samples {
            utterance(at, intent_name, sample, &slots, invocation_name, findings);
            let normalized = words(&sample.to_lowercase()).join(" ");
            seen.entry(normalized).or_default().push(intent_name);
        }
    }
    for (sample, intents) in seen {
        let mut distinct = intents.clone();
        distinct.dedup();
        if distinct.len() > 1 {
            findings.push(at.finding(
                Severity::Error,
                "sample.in-two-intents",
                &sample,
                &format!("is a sample of {}", distinct.join(" and ")),
                "keep it in the one intent it means; Alexa cannot tell them apart",
                &SAMPLE_UTTERANCES,
            ));
        } else if intents.len() > 1 {
            findings.push(at.finding(
                Severity::Warning,
                "sample.duplicate",
                &sample,
                &format!("appears {} times in {}", intents.len(), intents[0]),
                "remove the copies",
                &SAMPLE_UTTERANCES,
            ));
        }
    }
}

fn utterance(
    at: &At<'_>,
    intent: &str,
    sample: &str,
    slots: &[&str],
    invocation_name: &str,
    findings: &mut Vec<Finding>,
) {
    let in_intent = |problem: &str| format!("({intent}) {problem}");
    // Characters, with `{Slot}` references taken out first.
    let mut plain = String::new();
    let mut rest = sample;
    let mut references = Vec::new();
    let mut balanced = true;
    while let Some(open) = rest.find(['{', '}']) {
        plain.push_str(&rest[..open]);
        if rest[open..].starts_with('}') {
            balanced = false;
            break;
        }
        match rest[open..].find('}') {
            Some(close) => {
                references.push(&rest[open + 1..open + close]);
                plain.push(' ');
                rest = &rest[open + close + 1..];
            }
            None => {
                balanced = false;
                rest = "";
            }
        }
    }
    plain.push_str(rest);
    let bad: Vec<char> = plain
        .chars()
        .filter(|character| {
            !(character.is_alphabetic()
                || character.is_numeric()
                || matches!(character, ' ' | '.' | '_' | '\'' | '’' | '-'))
        })
        .collect();
    let misplaced_period = words(&plain).iter().any(|word| {
        word.contains('.')
            && !(word.ends_with('.') && word.chars().filter(|c| c.is_alphabetic()).count() == 1)
    });
    if !balanced || !bad.is_empty() || misplaced_period {
        let what = if balanced {
            if bad.is_empty() {
                "has a period that does not end a one-letter abbreviation".to_owned()
            } else {
                format!(
                    "contains {:?}, which the model build refuses",
                    bad.iter().collect::<String>()
                )
            }
        } else {
            "has an unbalanced { or }".to_owned()
        };
        findings.push(at.finding(
            Severity::Error,
            "sample.characters",
            sample,
            &in_intent(&what),
            "use only letters, spaces, apostrophes, hyphens, underscores, periods after single \
             letters (\"a. b. c.\") and {SlotName}",
            &SAMPLE_UTTERANCES,
        ));
    }
    if plain.chars().any(|character| character.is_ascii_digit()) {
        findings.push(at.finding(
            Severity::Warning,
            "sample.digits",
            sample,
            &in_intent("contains digits"),
            "spell numbers out (\"two\"), or use an AMAZON.NUMBER slot",
            &SAMPLE_UTTERANCES,
        ));
    }
    for reference in references {
        if !slots.contains(&reference) {
            findings.push(at.finding(
                Severity::Error,
                "sample.unknown-slot",
                sample,
                &in_intent(&format!(
                    "refers to {{{reference}}}, which the intent does not declare"
                )),
                &format!("add a slot named {reference} to {intent}'s slots, or fix the spelling"),
                &SAMPLE_UTTERANCES,
            ));
        }
    }
    let sample_words = words(&plain);
    for word in rules::WAKE_WORDS {
        if contains_phrase(&sample_words, word) {
            findings.push(at.finding(
                Severity::Error,
                "sample.wake-word",
                sample,
                &in_intent(&format!("contains the wake word {word:?}")),
                "remove it: the wake word starts a new request and is never part of a sample",
                &SAMPLE_UTTERANCES,
            ));
        }
    }
    if !invocation_name.is_empty() {
        let name = words(invocation_name).join(" ");
        for phrase in rules::for_locale(rules::LAUNCH_PHRASES, at.locale) {
            if contains_phrase(&sample_words, &format!("{phrase} {name}")) {
                findings.push(at.finding(
                    Severity::Error,
                    "sample.launch-phrase",
                    sample,
                    &in_intent(&format!("contains the launch phrase \"{phrase} {name}\"")),
                    "remove the launch phrase and invocation name; Alexa takes them off before \
                     matching samples",
                    &SAMPLE_UTTERANCES,
                ));
            }
        }
    }
}
