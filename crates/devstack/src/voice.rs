//! Alexa's language understanding, reduced to what a twin needs: match a typed utterance to an
//! intent and its slots using the sample utterances of an interaction model.
//!
//! Real Alexa generalizes far beyond the samples; this matcher accepts an utterance only when it
//! fits a sample, word for word, with `{slot}` standing for one or more words. That is enough to
//! drive the skill through the same interaction model it ships with, and strict enough that a
//! sample removed from the model is noticed.

use std::{fs, path::Path};

use serde::Deserialize;

/// An interaction model's intents and their samples.
#[derive(Debug, Clone)]
pub struct InteractionModel {
    invocation_name: String,
    intents: Vec<ModelIntent>,
}

#[derive(Debug, Clone)]
struct ModelIntent {
    name: String,
    samples: Vec<Sample>,
    /// Per slot, the samples Alexa uses when the skill asks for that slot (`Dialog.ElicitSlot`).
    slot_samples: Vec<(String, Vec<Sample>)>,
}

/// A sample utterance as written in the model, and as tokens to match.
#[derive(Debug, Clone)]
struct Sample {
    text: String,
    tokens: Vec<Token>,
}

impl Sample {
    fn new(text: &str) -> Sample {
        Sample {
            text: text.to_owned(),
            tokens: tokens(text),
        }
    }

    fn literal_words(&self) -> impl Iterator<Item = &str> {
        self.tokens.iter().filter_map(|token| match token {
            Token::Word(word) => Some(word.as_str()),
            Token::Slot(_) => None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Slot(String),
}

/// The intent an utterance matched, with the words each slot captured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub intent: String,
    pub slots: Vec<(String, String)>,
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
    #[serde(default)]
    samples: Vec<String>,
}

/// Words Alexa understands for built-in intents whatever the model lists (English and German).
const BUILT_IN_SAMPLES: &[(&str, &[&str])] = &[
    (
        "AMAZON.HelpIntent",
        &["help", "help me", "what can you do", "hilfe"],
    ),
    (
        "AMAZON.StopIntent",
        &["stop", "exit", "quit", "goodbye", "stopp", "beenden"],
    ),
    (
        "AMAZON.CancelIntent",
        &["cancel", "never mind", "abbrechen"],
    ),
    ("AMAZON.NavigateHomeIntent", &["go home", "home"]),
];

impl InteractionModel {
    /// Reads `interactionModels/custom/<locale>.json` in the ASK CLI layout.
    pub fn load(path: &Path) -> Result<InteractionModel, ModelError> {
        let display = path.display().to_string();
        let text = fs::read_to_string(path).map_err(|source| ModelError::Read {
            path: display.clone(),
            source,
        })?;
        Self::from_json(&text, &display)
    }

    /// Parses the text of an ASK CLI interaction model; `path` names it in errors.
    pub fn from_json(text: &str, path: &str) -> Result<InteractionModel, ModelError> {
        let file: ModelFile = serde_json::from_str(text).map_err(|source| ModelError::Parse {
            path: path.to_owned(),
            source,
        })?;
        let language_model = file.interaction_model.language_model;
        let intents = language_model
            .intents
            .into_iter()
            .map(|intent| {
                let built_in = BUILT_IN_SAMPLES
                    .iter()
                    .find(|(name, _)| *name == intent.name)
                    .map(|(_, samples)| samples.iter().map(|sample| sample.to_string()))
                    .into_iter()
                    .flatten();
                let samples = intent
                    .samples
                    .iter()
                    .cloned()
                    .chain(built_in)
                    .map(|sample| Sample::new(&sample));
                let slot_samples = intent
                    .slots
                    .iter()
                    .map(|slot| {
                        let samples = slot.samples.iter().map(|text| Sample::new(text));
                        (slot.name.clone(), samples.collect())
                    })
                    .collect();
                ModelIntent {
                    name: intent.name,
                    samples: samples.collect(),
                    slot_samples,
                }
            })
            .collect();
        Ok(InteractionModel {
            invocation_name: language_model.invocation_name,
            intents,
        })
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

    /// The intent `utterance` matches, or `AMAZON.FallbackIntent` when none does (as Alexa sends
    /// it for out-of-domain requests). Among several matches the most specific sample wins: the
    /// one with the most literal words.
    pub fn match_utterance(&self, utterance: &str) -> Match {
        let words = normalize(utterance);
        let mut best: Option<(usize, Match)> = None;
        for intent in &self.intents {
            for sample in &intent.samples {
                let Some(slots) = match_sample(&sample.tokens, &words) else {
                    continue;
                };
                let literal_words = sample.literal_words().count();
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
        best.map(|(_, found)| found).unwrap_or_else(|| Match {
            intent: FALLBACK_INTENT.to_owned(),
            slots: Vec::new(),
        })
    }
}

impl InteractionModel {
    /// What the user answered when the skill asked for `slot` of `intent` with
    /// `Dialog.ElicitSlot`: the slot's value if the answer fits one of the slot's own samples
    /// (`{note}`, "it says {note}"), `None` otherwise (Alexa then matches it as a new request).
    pub fn match_slot_answer(&self, intent: &str, slot: &str, utterance: &str) -> Option<String> {
        let words = normalize(utterance);
        let samples = self
            .intents
            .iter()
            .find(|candidate| candidate.name == intent)?
            .slot_samples
            .iter()
            .find(|(name, _)| name == slot)
            .map(|(_, samples)| samples)?;
        // As for intents, the most specific sample wins: "it says {note}" over "{note}".
        samples
            .iter()
            .filter_map(|sample| {
                let value = match_sample(&sample.tokens, &words)?
                    .into_iter()
                    .find(|(name, _)| name == slot)
                    .map(|(_, value)| value)?;
                Some((sample.literal_words().count(), value))
            })
            .reduce(|best, next| if next.0 > best.0 { next } else { best })
            .map(|(_, value)| value)
    }

    /// The `count` intents whose samples come closest to `utterance`, closest first, each with
    /// its nearest sample: what a developer needs when an utterance fell to Fallback. Closeness
    /// is the longest run of the sample's literal words found in order in the utterance, relative
    /// to both lengths (a Dice coefficient over that common subsequence), so "when is my next
    /// meeting" is close to "what's my next meeting". Built-in intents count too; Fallback does
    /// not, and intents sharing no word with the utterance are left out.
    pub fn closest_intents(&self, utterance: &str, count: usize) -> Vec<NearMiss> {
        let words = normalize(utterance);
        let mut ranked: Vec<NearMiss> = self
            .intents
            .iter()
            .filter(|intent| intent.name != FALLBACK_INTENT)
            .filter_map(|intent| {
                intent
                    .samples
                    .iter()
                    .map(|sample| {
                        let literal: Vec<&str> = sample.literal_words().collect();
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

/// Lowercase words without punctuation; "what's" stays one word.
fn normalize(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|word| {
            word.chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'' || *c == '-')
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|word| !word.is_empty())
        .collect()
}

fn tokens(sample: &str) -> Vec<Token> {
    sample
        .split_whitespace()
        .map(|part| {
            match part
                .strip_prefix('{')
                .and_then(|rest| rest.strip_suffix('}'))
            {
                Some(slot) => Token::Slot(slot.to_owned()),
                None => Token::Word(normalize(part).concat()),
            }
        })
        .filter(|token| !matches!(token, Token::Word(word) if word.is_empty()))
        .collect()
}

/// Matches `sample` against all of `words`; a slot takes one or more words.
fn match_sample(sample: &[Token], words: &[String]) -> Option<Vec<(String, String)>> {
    match sample.split_first() {
        None => words.is_empty().then(Vec::new),
        Some((Token::Word(expected), rest)) => {
            let (first, remaining) = words.split_first()?;
            if first != expected {
                return None;
            }
            match_sample(rest, remaining)
        }
        Some((Token::Slot(name), rest)) => (1..=words.len()).find_map(|taken| {
            let mut slots = match_sample(rest, &words[taken..])?;
            slots.insert(0, (name.clone(), words[..taken].join(" ")));
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
        InteractionModel::from_json(&text.to_string(), "fixture.json").unwrap()
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

    #[test]
    fn a_missing_model_names_the_file() {
        let error = InteractionModel::load(Path::new("no/such/model.json")).unwrap_err();
        assert!(error.to_string().contains("no/such/model.json"), "{error}");
    }
}
