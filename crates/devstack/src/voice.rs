//! Alexa's language understanding, reduced to what a twin needs: match a typed utterance to an
//! intent and its slots using the sample utterances of an interaction model, in any language
//! Alexa's custom skills speak.
//!
//! Real Alexa generalizes far beyond the samples; this matcher accepts an utterance only when it
//! fits a sample, word for word (character for character in Japanese, see `words`), with
//! `{slot}` standing for one or more words. That is enough to drive the skill through the same
//! interaction model it ships with, and strict enough that a sample removed from the model is
//! noticed. How people open a skill in each language ("open …", "demande à … de …",
//! "…で…") is data, in `voice/languages.toml`.
//!
//! A slot of AMAZON.DATE, AMAZON.TIME, AMAZON.DURATION or AMAZON.NUMBER takes only words that
//! resolve to one of the type's values, and carries Amazon's value ("tomorrow" → `2026-12-09`),
//! as Alexa fills `slots.<name>.value`; see `slot_values`. That is also how adjacent slots split:
//! in "add {summary} {date} at {time}", the date takes the words that make a date.

mod languages;
pub mod slot_values;
mod words;

use std::{fs, path::Path};

use jiff::civil::Date;
use serde::Deserialize;

use slot_values::Resolved;
use words::{Reading, Token, Tokens};

/// An interaction model's intents and their samples, for one locale.
#[derive(Debug, Clone)]
pub struct InteractionModel {
    locale: String,
    invocation_name: String,
    intents: Vec<ModelIntent>,
    /// The language's launch phrasings with the invocation name filled in.
    launch: Vec<Tokens>,
    /// The language's one-shot phrasings with the invocation name filled in; `{request}` is
    /// their one slot.
    one_shot: Vec<Tokens>,
}

#[derive(Debug, Clone)]
struct ModelIntent {
    name: String,
    samples: Vec<Sample>,
    /// Each slot's type (`AMAZON.DATE`, a custom type), by slot name.
    slot_types: Vec<(String, String)>,
    /// Per slot, the samples Alexa uses when the skill asks for that slot (`Dialog.ElicitSlot`).
    slot_samples: Vec<(String, Vec<Sample>)>,
}

/// A sample utterance as written in the model, and as tokens to match.
#[derive(Debug, Clone)]
struct Sample {
    text: String,
    tokens: Tokens,
}

impl Sample {
    fn new(text: &str) -> Sample {
        Sample {
            text: text.to_owned(),
            tokens: Tokens::new(text),
        }
    }
}

/// How many tokens of a sample are its own words: the more, the more specific the sample.
fn literal_count(tokens: &[Token]) -> usize {
    tokens
        .iter()
        .filter(|token| matches!(token, Token::Word(_)))
        .count()
}

fn literal_words(tokens: &[Token]) -> Vec<&str> {
    tokens
        .iter()
        .filter_map(|token| match token {
            Token::Word(word) => Some(word.as_str()),
            Token::Slot(_) => None,
        })
        .collect()
}

/// The intent an utterance matched, with each slot's value: the words it captured, or for the
/// built-in types `slot_values` resolves, Amazon's value for them (`2026-12-09`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub intent: String,
    pub slots: Vec<(String, String)>,
}

/// An utterance that names the skill: it opens a new session.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Invocation {
    /// "open cloud companion": a `LaunchRequest`.
    Launch,
    /// "ask cloud companion who am I": an intent request, matched from the request part.
    OneShot {
        found: Match,
        /// The words after the invocation phrasing ("who am i"): what the model matched, and
        /// what the closest intents are ranked against when it fell to Fallback.
        request: String,
    },
}

/// The intent Alexa sends when nothing in the model fits.
pub const FALLBACK_INTENT: &str = "AMAZON.FallbackIntent";

/// An intent the model would have matched had the user phrased it closer to one of its samples.
#[derive(Debug, Clone, PartialEq)]
pub struct NearMiss {
    pub intent: String,
    /// The intent's sample closest to the utterance, as written in the model.
    pub sample: String,
    /// How close, from 0 (no word in common) to 1 (the same words in the same order).
    pub similarity: f64,
}

/// Why a model could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    #[error("cannot read the interaction model {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not an ASK CLI interaction model: {source}")]
    Parse {
        path: String,
        source: serde_json::Error,
    },
    #[error(
        "{path}: the file name is not a locale; name the model after its locale as the ASK CLI \
         does (interactionModels/custom/fr-FR.json)"
    )]
    NoLocale { path: String },
    #[error("{path}: {message}")]
    Language { path: String, message: String },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ModelFile {
    interaction_model: ModelBody,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ModelBody {
    language_model: LanguageModel,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LanguageModel {
    #[serde(default)]
    invocation_name: String,
    intents: Vec<IntentFile>,
}

#[derive(Deserialize)]
struct IntentFile {
    name: String,
    #[serde(default)]
    samples: Vec<String>,
    #[serde(default)]
    slots: Vec<SlotFile>,
}

#[derive(Deserialize)]
struct SlotFile {
    name: String,
    #[serde(rename = "type", default)]
    slot_type: String,
    #[serde(default)]
    samples: Vec<String>,
}

impl InteractionModel {
    /// Reads `interactionModels/custom/<locale>.json` in the ASK CLI layout; the file's name is
    /// its locale, which picks the language's phrasings.
    pub fn load(path: &Path) -> Result<InteractionModel, ModelError> {
        let display = path.display().to_string();
        let text = fs::read_to_string(path).map_err(|source| ModelError::Read {
            path: display.clone(),
            source,
        })?;
        Self::from_json(&text, &display)
    }

    /// Parses the text of an ASK CLI interaction model; `path` names it in errors and, as in the
    /// ASK CLI layout, its file name is the model's locale (`…/fr-CA.json`).
    pub fn from_json(text: &str, path: &str) -> Result<InteractionModel, ModelError> {
        let locale = Path::new(path)
            .file_stem()
            .and_then(|stem| stem.to_str())
            .filter(|stem| is_locale(stem))
            .ok_or_else(|| ModelError::NoLocale {
                path: path.to_owned(),
            })?;
        Self::from_json_for_locale(text, path, locale)
    }

    /// Parses the text of an ASK CLI interaction model of `locale` (`ja-JP`).
    pub fn from_json_for_locale(
        text: &str,
        path: &str,
        locale: &str,
    ) -> Result<InteractionModel, ModelError> {
        let language =
            languages::language(languages::language_code(locale)).map_err(|message| {
                ModelError::Language {
                    path: path.to_owned(),
                    message,
                }
            })?;
        let file: ModelFile = serde_json::from_str(text).map_err(|source| ModelError::Parse {
            path: path.to_owned(),
            source,
        })?;
        let language_model = file.interaction_model.language_model;
        let intents = language_model
            .intents
            .into_iter()
            .map(|intent| {
                let built_in = language.built_in.get(&intent.name).into_iter().flatten();
                let samples = intent
                    .samples
                    .iter()
                    .chain(built_in)
                    .map(|sample| Sample::new(sample));
                let slot_samples = intent
                    .slots
                    .iter()
                    .map(|slot| {
                        let samples = slot.samples.iter().map(|text| Sample::new(text));
                        (slot.name.clone(), samples.collect())
                    })
                    .collect();
                let slot_types = intent
                    .slots
                    .iter()
                    .map(|slot| (slot.name.clone(), slot.slot_type.clone()))
                    .collect();
                ModelIntent {
                    name: intent.name,
                    samples: samples.collect(),
                    slot_types,
                    slot_samples,
                }
            })
            .collect();
        let invocation_name = language_model.invocation_name;
        // Braces in a name would read as a slot; a name has none, so they are only dropped.
        let fill = |template: &String| {
            Tokens::new(
                &template.replace("{invocation}", &invocation_name.replace(['{', '}'], " ")),
            )
        };
        Ok(InteractionModel {
            locale: locale.to_owned(),
            launch: language.launch.iter().map(fill).collect(),
            one_shot: language.one_shot.iter().map(fill).collect(),
            invocation_name,
            intents,
        })
    }

    /// The locale the model is for (`fr-FR`).
    pub fn locale(&self) -> &str {
        &self.locale
    }

    /// The name users open the skill with ("open cloud companion"), lowercase as the model
    /// requires.
    pub fn invocation_name(&self) -> &str {
        &self.invocation_name
    }

    /// The names of the model's intents, in the model's order.
    pub fn intent_names(&self) -> impl Iterator<Item = &str> {
        self.intents.iter().map(|intent| intent.name.as_str())
    }

    /// The type of `slot` in `intent` as the model declares it (`AMAZON.DATE`, a custom type).
    pub fn slot_type(&self, intent: &str, slot: &str) -> Option<&str> {
        self.intent(intent)?
            .slot_types
            .iter()
            .find(|(name, _)| name == slot)
            .map(|(_, slot_type)| slot_type.as_str())
    }

    fn intent(&self, name: &str) -> Option<&ModelIntent> {
        self.intents.iter().find(|intent| intent.name == name)
    }

    /// Whether `utterance` names the skill in one of its language's launch or one-shot
    /// phrasings, and what it asks for. `None`: the utterance is for a session already open.
    /// Among one-shot phrasings the most specific wins ("ask … to {request}" over
    /// "ask … {request}") unless only a less specific one leaves a request the model knows.
    /// Relative dates in slots count from today's date in UTC; `match_invocation_on` takes the
    /// device's.
    pub fn match_invocation(&self, utterance: &str) -> Option<Invocation> {
        self.match_invocation_on(utterance, today_in_utc())
    }

    /// `match_invocation`, with relative dates ("tomorrow") counted from `today`, the device's
    /// local date.
    pub fn match_invocation_on(&self, utterance: &str, today: Date) -> Option<Invocation> {
        // A one-shot whose request fits no sample as written may still fit once folded
        // ("demande à … d'ajouter …" only splits at the apostrophe when folded).
        let mut unknown_request = None;
        for reading in Reading::IN_ORDER {
            let words = words::words(utterance, reading);
            if self.launch.iter().any(|template| {
                match_sample(template.get(reading), &words, &words_as_spoken) == Some(Vec::new())
            }) {
                return Some(Invocation::Launch);
            }
            let mut requests: Vec<(usize, String)> = self
                .one_shot
                .iter()
                .filter_map(|template| {
                    let tokens = template.get(reading);
                    let request = match_sample(tokens, &words, &words_as_spoken)?
                        .into_iter()
                        .find(|(name, _)| name == "request")?
                        .1;
                    Some((literal_count(tokens), request))
                })
                .collect();
            // Stable: equally specific phrasings keep the table's order.
            requests.sort_by_key(|(literal, _)| std::cmp::Reverse(*literal));
            for (_, request) in requests {
                let found = self.match_utterance_on(&request, today);
                let invocation = Invocation::OneShot { found, request };
                if matches!(&invocation, Invocation::OneShot { found, .. } if found.intent != FALLBACK_INTENT)
                {
                    return Some(invocation);
                }
                unknown_request.get_or_insert(invocation);
            }
        }
        unknown_request
    }

    /// The intent `utterance` matches, or `AMAZON.FallbackIntent` when none does (as Alexa sends
    /// it for out-of-domain requests). Among several matches the most specific sample wins: the
    /// one with the most literal words. The utterance as written is tried first, then without
    /// accents and with apostrophes and hyphens as spaces (see `words`). Relative dates in
    /// slots count from today's date in UTC; `match_utterance_on` takes the device's.
    pub fn match_utterance(&self, utterance: &str) -> Match {
        self.match_utterance_on(utterance, today_in_utc())
    }

    /// `match_utterance`, with relative dates ("tomorrow") counted from `today`, the device's
    /// local date.
    pub fn match_utterance_on(&self, utterance: &str, today: Date) -> Match {
        for reading in Reading::IN_ORDER {
            let words = words::words(utterance, reading);
            let mut best: Option<(usize, Match)> = None;
            for intent in &self.intents {
                let value =
                    |slot: &str, words: &[String]| self.slot_value(intent, slot, words, today);
                for sample in &intent.samples {
                    let tokens = sample.tokens.get(reading);
                    let Some(slots) = match_sample(tokens, &words, &value) else {
                        continue;
                    };
                    let literal_words = literal_count(tokens);
                    if best
                        .as_ref()
                        .is_none_or(|(score, _)| literal_words > *score)
                    {
                        best = Some((
                            literal_words,
                            Match {
                                intent: intent.name.clone(),
                                slots,
                            },
                        ));
                    }
                }
            }
            if let Some((_, found)) = best {
                return found;
            }
        }
        Match {
            intent: FALLBACK_INTENT.to_owned(),
            slots: Vec::new(),
        }
    }
}

impl InteractionModel {
    /// What the user answered when the skill asked for `slot` of `intent` with
    /// `Dialog.ElicitSlot`: the slot's value if the answer fits one of the slot's own samples
    /// (`{note}`, "it says {note}"), `None` otherwise (Alexa then matches it as a new request).
    /// A built-in slot's value is Amazon's (see `slot_values`), and an answer that is not one of
    /// its type's values fits no sample. Relative dates count from today's date in UTC;
    /// `match_slot_answer_on` takes the device's.
    pub fn match_slot_answer(&self, intent: &str, slot: &str, utterance: &str) -> Option<String> {
        self.match_slot_answer_on(intent, slot, utterance, today_in_utc())
    }

    /// `match_slot_answer`, with relative dates ("tomorrow") counted from `today`, the device's
    /// local date.
    pub fn match_slot_answer_on(
        &self,
        intent: &str,
        slot: &str,
        utterance: &str,
        today: Date,
    ) -> Option<String> {
        let model_intent = self.intent(intent)?;
        let samples = model_intent
            .slot_samples
            .iter()
            .find(|(name, _)| name == slot)
            .map(|(_, samples)| samples)?;
        Reading::IN_ORDER.into_iter().find_map(|reading| {
            let words = words::words(utterance, reading);
            let value =
                |name: &str, words: &[String]| self.slot_value(model_intent, name, words, today);
            // As for intents, the most specific sample wins: "it says {note}" over "{note}".
            samples
                .iter()
                .filter_map(|sample| {
                    let tokens = sample.tokens.get(reading);
                    let value = match_sample(tokens, &words, &value)?
                        .into_iter()
                        .find(|(name, _)| name == slot)
                        .map(|(_, value)| value)?;
                    Some((literal_count(tokens), value))
                })
                .reduce(|best, next| if next.0 > best.0 { next } else { best })
                .map(|(_, value)| value)
        })
    }

    /// The `count` intents whose samples come closest to `utterance`, closest first, each with
    /// its nearest sample: what a developer needs when an utterance fell to Fallback. Closeness
    /// is the longest run of the sample's literal words found in order in the utterance, relative
    /// to both lengths (a Dice coefficient over that common subsequence), so "when is my next
    /// meeting" is close to "what's my next meeting". Words are compared folded (no accents), and
    /// in Japanese character by character. Built-in intents count too; Fallback does not, and
    /// intents sharing no word with the utterance are left out.
    pub fn closest_intents(&self, utterance: &str, count: usize) -> Vec<NearMiss> {
        let words = words::words(utterance, Reading::Folded);
        let mut ranked: Vec<NearMiss> = self
            .intents
            .iter()
            .filter(|intent| intent.name != FALLBACK_INTENT)
            .filter_map(|intent| {
                intent
                    .samples
                    .iter()
                    .map(|sample| {
                        let literal = literal_words(sample.tokens.get(Reading::Folded));
                        let common = common_subsequence_length(&literal, &words);
                        let total = literal.len() + words.len();
                        let similarity = if total == 0 {
                            0.0
                        } else {
                            2.0 * common as f64 / total as f64
                        };
                        NearMiss {
                            intent: intent.name.clone(),
                            sample: sample.text.clone(),
                            similarity,
                        }
                    })
                    .filter(|miss| miss.similarity > 0.0)
                    // The first of equally close samples: the model's own order decides.
                    .reduce(|best, next| {
                        if next.similarity > best.similarity {
                            next
                        } else {
                            best
                        }
                    })
            })
            .collect();
        // Stable: equally close intents keep the model's order.
        ranked.sort_by(|first, second| second.similarity.total_cmp(&first.similarity));
        ranked.truncate(count);
        ranked
    }
}

impl InteractionModel {
    /// What `slot` of `intent` holds when it captured `words`: Amazon's value for a built-in
    /// type, the words for any other; `None` when they are no value of the slot's type.
    fn slot_value(
        &self,
        intent: &ModelIntent,
        slot: &str,
        words: &[String],
        today: Date,
    ) -> Option<String> {
        let spoken = words::join(words);
        let slot_type = intent
            .slot_types
            .iter()
            .find(|(name, _)| name == slot)
            .map_or("", |(_, slot_type)| slot_type.as_str());
        match slot_values::resolve(slot_type, &spoken, &self.locale, today) {
            Resolved::Value(value) => Some(value),
            Resolved::Unresolvable => None,
            Resolved::PassThrough => Some(spoken),
        }
    }
}

/// Today's date in UTC: the default when the caller does not know the device's zone.
fn today_in_utc() -> Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

/// A slot's words as spoken: launch and one-shot phrasings' `{request}`.
fn words_as_spoken(_slot: &str, words: &[String]) -> Option<String> {
    Some(words::join(words))
}

/// `xx-YY` as Alexa writes locales (`en-US`, `ja-JP`).
fn is_locale(text: &str) -> bool {
    let mut parts = text.split('-');
    let (Some(language), Some(region), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    language.len() == 2
        && language.chars().all(|c| c.is_ascii_lowercase())
        && region.len() == 2
        && region.chars().all(|c| c.is_ascii_uppercase())
}

/// Length of the longest common subsequence of two word lists.
fn common_subsequence_length(first: &[&str], second: &[String]) -> usize {
    let mut previous = vec![0; second.len() + 1];
    for word in first {
        let mut current = vec![0; second.len() + 1];
        for (index, other) in second.iter().enumerate() {
            current[index + 1] = if word == other {
                previous[index] + 1
            } else {
                previous[index + 1].max(current[index])
            };
        }
        previous = current;
    }
    previous[second.len()]
}

/// Matches `sample` against all of `words`; a slot takes one or more words, for which
/// `value(slot, words)` gives the slot's value or `None` when they cannot fill it. The first
/// split that fits wins, trying the shortest first slot first: in "{summary} {date}" the date
/// takes as many words as still make a date.
fn match_sample(
    sample: &[Token],
    words: &[String],
    value: &dyn Fn(&str, &[String]) -> Option<String>,
) -> Option<Vec<(String, String)>> {
    match sample.split_first() {
        None => words.is_empty().then(Vec::new),
        Some((Token::Word(expected), rest)) => {
            let (first, remaining) = words.split_first()?;
            if first != expected {
                return None;
            }
            match_sample(rest, remaining, value)
        }
        Some((Token::Slot(name), rest)) => (1..=words.len()).find_map(|taken| {
            let captured = value(name, &words[..taken])?;
            let mut slots = match_sample(rest, &words[taken..], value)?;
            slots.insert(0, (name.clone(), captured));
            Some(slots)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small model of its own, so these tests do not move when the skill's samples change.
    fn fixture() -> InteractionModel {
        let text = serde_json::json!({"interactionModel": {"languageModel": {
            "invocationName": "cloud companion",
            "intents": [
                {"name": "WhoAmIIntent", "samples": ["who am i", "what is my name"]},
                {"name": "NextEventIntent",
                 "samples": ["what's my next meeting", "what is next on my calendar"]},
                {"name": "AddNoteIntent",
                 "slots": [{"name": "note", "type": "AMAZON.SearchQuery",
                            "samples": ["{note}", "it says {note}"]}],
                 "samples": ["add a note {note}", "take a note"]},
                {"name": "AMAZON.HelpIntent", "samples": []},
                {"name": "AMAZON.FallbackIntent", "samples": []},
            ]
        }}});
        InteractionModel::from_json(&text.to_string(), "fixture/en-US.json").unwrap()
    }

    /// (utterance, the closest intents in order, each with its nearest sample).
    const CLOSEST: &[(&str, &[(&str, &str)])] = &[
        (
            "when is my next meeting",
            &[
                ("NextEventIntent", "what's my next meeting"),
                ("WhoAmIIntent", "what is my name"),
            ],
        ),
        (
            "what's on my calendar",
            &[
                ("NextEventIntent", "what is next on my calendar"),
                ("WhoAmIIntent", "what is my name"),
            ],
        ),
        (
            "take a note call the plumber",
            &[("AddNoteIntent", "take a note")],
        ),
        ("order a pizza", &[("AddNoteIntent", "add a note {note}")]),
        ("xylophone", &[]),
    ];

    #[test]
    fn closest_intents_rank_by_shared_words_in_order() {
        let model = fixture();
        for (utterance, expected) in CLOSEST {
            let found: Vec<(String, String)> = model
                .closest_intents(utterance, 2)
                .into_iter()
                .map(|miss| (miss.intent, miss.sample))
                .collect();
            let expected: Vec<(String, String)> = expected
                .iter()
                .map(|(intent, sample)| (intent.to_string(), sample.to_string()))
                .collect();
            assert_eq!(found, expected, "{utterance}");
        }
    }

    #[test]
    fn closeness_is_one_for_the_sample_itself_and_never_names_fallback() {
        let model = fixture();
        let closest = model.closest_intents("who am i", 10);
        assert_eq!(closest[0].intent, "WhoAmIIntent");
        assert_eq!(closest[0].similarity, 1.0);
        assert!(closest.iter().all(|miss| miss.intent != FALLBACK_INTENT));
        assert!(
            closest
                .iter()
                .all(|miss| miss.similarity < 1.0 || miss.intent == "WhoAmIIntent")
        );
    }

    #[test]
    fn an_elicited_slot_is_filled_from_the_slots_own_samples() {
        let model = fixture();
        let answer = |utterance| model.match_slot_answer("AddNoteIntent", "note", utterance);
        assert_eq!(
            answer("call the plumber"),
            Some("call the plumber".to_owned())
        );
        assert_eq!(answer("it says buy milk"), Some("buy milk".to_owned()));
        assert_eq!(
            model.match_slot_answer("WhoAmIIntent", "note", "anything"),
            None
        );
        assert_eq!(
            model.match_slot_answer("AddNoteIntent", "title", "anything"),
            None
        );
    }

    #[test]
    fn the_invocation_name_and_intents_come_from_the_model() {
        let model = fixture();
        assert_eq!(model.invocation_name(), "cloud companion");
        assert_eq!(model.intent_names().count(), 5);
    }

    fn model() -> InteractionModel {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../infra/skill-package/interactionModels/custom/en-US.json");
        InteractionModel::load(&path).unwrap()
    }

    #[test]
    fn utterances_match_the_skills_own_samples() {
        let model = model();
        let intent = |utterance: &str| model.match_utterance(utterance).intent;
        assert_eq!(intent("Who am I?"), "WhoAmIIntent");
        assert_eq!(intent("list my files"), "ListFilesIntent");
        assert_eq!(intent("What's next on my calendar"), "NextEventIntent");
        assert_eq!(intent("help"), "AMAZON.HelpIntent");
        assert_eq!(intent("stop"), "AMAZON.StopIntent");
        assert_eq!(intent("order a pizza"), "AMAZON.FallbackIntent");
    }

    #[test]
    fn slots_capture_the_words_they_stand_for() {
        let found = model().match_utterance("Add a note buy oat milk.");
        assert_eq!(found.intent, "AddNoteIntent");
        assert_eq!(
            found.slots,
            vec![("note".to_owned(), "buy oat milk".to_owned())]
        );
    }

    #[test]
    fn the_most_specific_sample_wins() {
        // "add a note" (no slot) beats "add {note}"-like readings: the literal sample matches.
        let found = model().match_utterance("add a note");
        assert_eq!(
            found,
            Match {
                intent: "AddNoteIntent".to_owned(),
                slots: Vec::new()
            }
        );
    }

    /// A two-intent model in `locale`, named `invocation`.
    fn model_in(locale: &str, invocation: &str, samples: &[(&str, &[&str])]) -> InteractionModel {
        let intents: Vec<serde_json::Value> = samples
            .iter()
            .map(|(name, samples)| {
                serde_json::json!({"name": name, "samples": samples,
                    "slots": [{"name": "note", "type": "AMAZON.SearchQuery"}]})
            })
            .chain(
                [
                    "AMAZON.HelpIntent",
                    "AMAZON.StopIntent",
                    "AMAZON.FallbackIntent",
                ]
                .map(|name| serde_json::json!({"name": name, "samples": []})),
            )
            .collect();
        let text = serde_json::json!({"interactionModel": {"languageModel": {
            "invocationName": invocation, "intents": intents}}});
        InteractionModel::from_json(&text.to_string(), &format!("custom/{locale}.json")).unwrap()
    }

    /// What `utterance` opens, without the request's words (checked on their own below).
    fn invocation(model: &InteractionModel, utterance: &str) -> Option<Invocation> {
        model
            .match_invocation(utterance)
            .map(|invocation| match invocation {
                Invocation::OneShot { found, .. } => Invocation::OneShot {
                    found,
                    request: String::new(),
                },
                other => other,
            })
    }

    fn one_shot(intent: &str, slots: &[(&str, &str)]) -> Option<Invocation> {
        Some(Invocation::OneShot {
            found: Match {
                intent: intent.to_owned(),
                slots: slots
                    .iter()
                    .map(|(name, value)| (name.to_string(), value.to_string()))
                    .collect(),
            },
            request: String::new(),
        })
    }

    #[test]
    fn english_launch_and_one_shot_phrasings_come_from_the_table() {
        let model = model_in(
            "en-GB",
            "cloud companion",
            &[
                ("WhoAmIIntent", &["who am i"]),
                ("AddNoteIntent", &["add a note {note}"]),
            ],
        );
        assert_eq!(
            invocation(&model, "open cloud companion"),
            Some(Invocation::Launch)
        );
        assert_eq!(
            invocation(&model, "Talk to Cloud Companion."),
            Some(Invocation::Launch)
        );
        assert_eq!(
            invocation(&model, "ask cloud companion who am I"),
            one_shot("WhoAmIIntent", &[])
        );
        assert_eq!(
            invocation(&model, "ask cloud companion to add a note buy milk"),
            one_shot("AddNoteIntent", &[("note", "buy milk")])
        );
        assert_eq!(
            invocation(&model, "who am i using cloud companion"),
            one_shot("WhoAmIIntent", &[])
        );
        assert_eq!(
            invocation(&model, "ask cloud companion to order a pizza"),
            one_shot(FALLBACK_INTENT, &[])
        );
        assert!(matches!(
            model.match_invocation("ask cloud companion to order a pizza"),
            Some(Invocation::OneShot { request, .. }) if request == "order a pizza"
        ));
        assert_eq!(invocation(&model, "who am i"), None);
        assert_eq!(invocation(&model, "open another skill"), None);
    }

    #[test]
    fn french_phrasings_tolerate_missing_accents_and_straight_apostrophes() {
        let model = model_in(
            "fr-CA",
            "compagnon cloud",
            &[
                (
                    "WhoAmIIntent",
                    &["qui suis-je", "qu'est-ce que mon adresse e-mail"],
                ),
                (
                    "AddNoteIntent",
                    &[
                        "ajoute une note {note}",
                        "note {note}",
                        "ajouter une note {note}",
                    ],
                ),
            ],
        );
        assert_eq!(
            invocation(&model, "ouvre compagnon cloud"),
            Some(Invocation::Launch)
        );
        assert_eq!(
            invocation(&model, "Démarre compagnon cloud"),
            Some(Invocation::Launch)
        );
        assert_eq!(
            invocation(&model, "demarre compagnon cloud"),
            Some(Invocation::Launch)
        );
        assert_eq!(
            invocation(&model, "demande à compagnon cloud qui suis-je"),
            one_shot("WhoAmIIntent", &[])
        );
        assert_eq!(
            invocation(&model, "demande à compagnon cloud d'ajouter une note lait"),
            one_shot("AddNoteIntent", &[("note", "lait")])
        );
        assert_eq!(
            invocation(&model, "demande a compagnon cloud d'ajouter une note"),
            one_shot(FALLBACK_INTENT, &[])
        );
        assert_eq!(
            invocation(&model, "demande à compagnon cloud de noter acheter du pain"),
            one_shot(FALLBACK_INTENT, &[])
        );
        assert_eq!(
            model
                .match_utterance("Qu’est-ce que mon adresse e-mail ?")
                .intent,
            "WhoAmIIntent"
        );
        assert_eq!(model.match_utterance("qui suis je").intent, "WhoAmIIntent");
        // The exact reading keeps what the user typed: the accents of the note survive.
        assert_eq!(
            model.match_utterance("ajoute une note crème brûlée").slots,
            [("note".to_owned(), "crème brûlée".to_owned())]
        );
        assert_eq!(model.match_utterance("aide").intent, "AMAZON.HelpIntent");
        assert_eq!(model.match_utterance("arrête").intent, "AMAZON.StopIntent");
        assert_eq!(model.match_utterance("help").intent, FALLBACK_INTENT);
    }

    #[test]
    fn japanese_matches_character_by_character_without_spaces() {
        let model = model_in(
            "ja-JP",
            "クラウドコンパニオン",
            &[
                ("NextEventIntent", &["次の予定は何", "次の予定を教えて"]),
                ("AddNoteIntent", &["{note}とメモして", "メモを追加"]),
            ],
        );
        assert_eq!(
            invocation(&model, "クラウドコンパニオンを開いて"),
            Some(Invocation::Launch)
        );
        assert_eq!(
            invocation(&model, "クラウドコンパニオンで次の予定を教えて"),
            one_shot("NextEventIntent", &[])
        );
        assert_eq!(
            invocation(&model, "クラウドコンパニオンで牛乳を買うとメモして"),
            one_shot("AddNoteIntent", &[("note", "牛乳を買う")])
        );
        assert_eq!(
            model.match_utterance("次の 予定は 何？").intent,
            "NextEventIntent"
        );
        assert_eq!(model.match_utterance("ヘルプ").intent, "AMAZON.HelpIntent");
        let closest = model.closest_intents("次の会議を教えて", 1);
        assert_eq!(closest[0].intent, "NextEventIntent");
        assert_eq!(closest[0].sample, "次の予定を教えて");
    }

    #[test]
    fn arabic_and_hindi_phrasings_come_from_the_table() {
        let arabic = model_in("ar-SA", "رفيق السحاب", &[("WhoAmIIntent", &["من أنا"])]);
        assert_eq!(
            invocation(&arabic, "افتحي رفيق السحاب"),
            Some(Invocation::Launch)
        );
        assert_eq!(
            invocation(&arabic, "اسألي رفيق السحاب عن من أنا"),
            one_shot("WhoAmIIntent", &[])
        );
        assert_eq!(arabic.match_utterance("مَنْ أنا؟").intent, "WhoAmIIntent");
        let hindi = model_in("hi-IN", "क्लाउड साथी", &[("WhoAmIIntent", &["मैं कौन हूँ"])]);
        assert_eq!(
            invocation(&hindi, "क्लाउड साथी खोलो"),
            Some(Invocation::Launch)
        );
        assert_eq!(
            invocation(&hindi, "क्लाउड साथी से पूछो कि मैं कौन हूँ"),
            one_shot("WhoAmIIntent", &[])
        );
    }

    #[test]
    fn a_model_without_a_locale_or_in_an_unknown_language_names_the_fix() {
        let text = r#"{"interactionModel": {"languageModel": {"intents": []}}}"#;
        let error = InteractionModel::from_json(text, "models/model.json").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("name the model after its locale"),
            "{error}"
        );
        let error = InteractionModel::from_json(text, "custom/sv-SE.json").unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("custom/sv-SE.json: "), "{message}");
        assert!(message.contains("add a [sv] table"), "{message}");
        assert!(message.contains("languages.toml"), "{message}");
    }

    /// The skill packages of this repository: the sample's and the Gmail example's.
    const PACKAGES: &[&str] = &["infra/skill-package", "examples/gmail-skill/skill-package"];

    /// In every locale a package publishes, each sample (its slots filled) reaches its own
    /// intent, and each example phrase of the manifest opens the skill (with the right request):
    /// a table phrasing or a sample that no longer fits is noticed here, offline.
    #[test]
    fn the_repositorys_models_understand_their_samples_and_example_phrases() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut failures = Vec::new();
        let mut checked = 0;
        for package in PACKAGES {
            let manifest: serde_json::Value = serde_json::from_str(
                &fs::read_to_string(root.join(package).join("skill.json")).unwrap(),
            )
            .unwrap();
            let locales = manifest["manifest"]["publishingInformation"]["locales"]
                .as_object()
                .unwrap();
            for (locale, published) in locales {
                let model = InteractionModel::load(
                    &root.join(format!("{package}/interactionModels/custom/{locale}.json")),
                )
                .unwrap();
                let filler = if locale.starts_with("ja") {
                    "牛乳"
                } else {
                    "milk"
                };
                for intent in &model.intents {
                    for sample in &intent.samples {
                        let utterance: Vec<String> = sample
                            .tokens
                            .exact
                            .iter()
                            .map(|token| match token {
                                Token::Word(word) => word.clone(),
                                Token::Slot(name) => typed_value(&intent.slot_types, name)
                                    .unwrap_or(filler)
                                    .to_owned(),
                            })
                            .collect();
                        let found = model.match_utterance(&words::join(&utterance));
                        checked += 1;
                        if found.intent != intent.name {
                            failures.push(format!(
                                "{locale} sample {:?} of {} → {}",
                                sample.text, intent.name, found.intent
                            ));
                        }
                    }
                }
                for phrase in published["examplePhrases"].as_array().unwrap() {
                    let phrase = phrase.as_str().unwrap();
                    let spoken = ["Alexa, ", "アレクサ、"]
                        .iter()
                        .find_map(|wake_word| phrase.strip_prefix(wake_word))
                        .unwrap_or(phrase);
                    checked += 1;
                    match model.match_invocation(spoken) {
                        Some(Invocation::Launch) => {}
                        Some(Invocation::OneShot { found, .. })
                            if found.intent != FALLBACK_INTENT => {}
                        other => failures.push(format!("{locale} example {phrase:?} → {other:?}")),
                    }
                }
            }
        }
        assert!(checked > 1000, "only {checked} checked");
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// A value of a built-in slot type as a dialog file may type it in any language.
    fn typed_value(slot_types: &[(String, String)], slot: &str) -> Option<&'static str> {
        let (_, slot_type) = slot_types.iter().find(|(name, _)| name == slot)?;
        match slot_type.as_str() {
            "AMAZON.DATE" => Some("2026-12-09"),
            "AMAZON.TIME" => Some("15:00"),
            "AMAZON.DURATION" => Some("PT90M"),
            "AMAZON.NUMBER" => Some("7"),
            _ => None,
        }
    }

    /// Tuesday, 8 December 2026.
    fn tuesday() -> Date {
        Date::new(2026, 12, 8).unwrap()
    }

    /// A calendar model in `locale` whose one sample per intent has built-in slots.
    fn calendar_model(locale: &str, samples: &[(&str, &str)]) -> InteractionModel {
        let intents: Vec<serde_json::Value> = samples
            .iter()
            .map(|(name, sample)| {
                serde_json::json!({"name": name, "samples": [sample], "slots": [
                    {"name": "summary", "type": "AMAZON.SearchQuery"},
                    {"name": "date", "type": "AMAZON.DATE", "samples": ["{date}", "on {date}"]},
                    {"name": "time", "type": "AMAZON.TIME"},
                    {"name": "length", "type": "AMAZON.DURATION"},
                    {"name": "count", "type": "AMAZON.NUMBER"},
                ]})
            })
            .chain(std::iter::once(
                serde_json::json!({"name": FALLBACK_INTENT, "samples": []}),
            ))
            .collect();
        let text = serde_json::json!({"interactionModel": {"languageModel": {
            "invocationName": "cloud companion", "intents": intents}}});
        InteractionModel::from_json(&text.to_string(), &format!("custom/{locale}.json")).unwrap()
    }

    fn slots(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn adjacent_slots_split_where_the_built_in_slot_resolves_and_carry_amazons_value() {
        let model = calendar_model(
            "en-US",
            &[
                (
                    "AddEventIntent",
                    "add {summary} {date} at {time} to my calendar",
                ),
                ("TimerIntent", "set a timer for {length}"),
                ("RepeatIntent", "repeat {count} times"),
            ],
        );
        let found = |utterance| model.match_utterance_on(utterance, tuesday());
        assert_eq!(
            found("Add dentist tomorrow at three pm to my calendar"),
            Match {
                intent: "AddEventIntent".to_owned(),
                slots: slots(&[
                    ("summary", "dentist"),
                    ("date", "2026-12-09"),
                    ("time", "15:00")
                ]),
            }
        );
        assert_eq!(
            found("add buy oat milk next friday at 3 p.m. to my calendar").slots,
            slots(&[
                ("summary", "buy oat milk"),
                ("date", "2026-12-11"),
                ("time", "15:00")
            ])
        );
        assert_eq!(
            found("add the school play the day after tomorrow at noon to my calendar").slots,
            slots(&[
                ("summary", "the school play"),
                ("date", "2026-12-10"),
                ("time", "12:00")
            ])
        );
        assert_eq!(
            found("set a timer for half an hour").slots,
            slots(&[("length", "PT30M")])
        );
        assert_eq!(
            found("repeat twenty one times").slots,
            slots(&[("count", "21")])
        );
        // Words that are no date leave the sample unmatched, as Alexa does.
        assert_eq!(
            found("add dentist on blue at three pm to my calendar").intent,
            FALLBACK_INTENT
        );
        assert_eq!(found("repeat many times").intent, FALLBACK_INTENT);
        // Without a date of the device, today is UTC's: an absolute date does not depend on it.
        assert_eq!(
            model
                .match_utterance("add dentist december ninth twenty thirty at noon to my calendar")
                .slots,
            slots(&[
                ("summary", "dentist"),
                ("date", "2030-12-09"),
                ("time", "12:00")
            ])
        );
    }

    #[test]
    fn built_in_slots_resolve_in_german_and_japanese_samples() {
        let german = calendar_model(
            "de-DE",
            &[(
                "AddEventIntent",
                "füge {summary} {date} um {time} zu meinem kalender hinzu",
            )],
        );
        assert_eq!(
            german
                .match_utterance_on(
                    "Füge Zahnarzt morgen um drei Uhr nachmittags zu meinem Kalender hinzu",
                    tuesday()
                )
                .slots,
            slots(&[
                ("summary", "zahnarzt"),
                ("date", "2026-12-09"),
                ("time", "15:00")
            ])
        );
        let japanese = calendar_model(
            "ja-JP",
            &[("AddEventIntent", "{date}の{time}に{summary}を追加して")],
        );
        assert_eq!(
            japanese
                .match_utterance_on("明日の午後3時に歯医者を追加して", tuesday())
                .slots,
            slots(&[
                ("date", "2026-12-09"),
                ("time", "15:00"),
                ("summary", "歯医者")
            ])
        );
    }

    #[test]
    fn an_elicited_built_in_slot_carries_amazons_value_or_fits_no_sample() {
        let model = calendar_model(
            "en-US",
            &[(
                "AddEventIntent",
                "add {summary} {date} at {time} to my calendar",
            )],
        );
        let answer =
            |utterance| model.match_slot_answer_on("AddEventIntent", "date", utterance, tuesday());
        assert_eq!(answer("tomorrow"), Some("2026-12-09".to_owned()));
        assert_eq!(answer("on friday"), Some("2026-12-11".to_owned()));
        assert_eq!(answer("blue"), None);
        assert_eq!(
            model.match_slot_answer("AddEventIntent", "date", "2030-01-02"),
            Some("2030-01-02".to_owned())
        );
        assert_eq!(
            model.slot_type("AddEventIntent", "date"),
            Some("AMAZON.DATE")
        );
        assert_eq!(model.slot_type("AddEventIntent", "place"), None);
    }

    #[test]
    fn a_one_shot_request_resolves_its_slots_against_the_given_today() {
        let model = calendar_model(
            "en-US",
            &[(
                "AddEventIntent",
                "add {summary} {date} at {time} to my calendar",
            )],
        );
        let invocation = model.match_invocation_on(
            "ask cloud companion to add dentist tomorrow at three pm to my calendar",
            tuesday(),
        );
        assert!(
            matches!(&invocation, Some(Invocation::OneShot { found, .. })
                if found.slots == slots(&[("summary", "dentist"), ("date", "2026-12-09"), ("time", "15:00")])),
            "{invocation:?}"
        );
    }

    #[test]
    fn a_missing_model_names_the_file() {
        let error = InteractionModel::load(Path::new("no/such/model.json")).unwrap_err();
        assert!(error.to_string().contains("no/such/model.json"), "{error}");
    }
}
