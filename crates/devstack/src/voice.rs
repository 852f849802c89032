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
    intents: Vec<ModelIntent>,
}

#[derive(Debug, Clone)]
struct ModelIntent {
    name: String,
    samples: Vec<Vec<Token>>,
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
struct LanguageModel {
    intents: Vec<IntentFile>,
}

#[derive(Deserialize)]
struct IntentFile {
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
        let file: ModelFile = serde_json::from_str(&text).map_err(|source| ModelError::Parse {
            path: display,
            source,
        })?;
        let intents = file
            .interaction_model
            .language_model
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
                    .map(|sample| tokens(&sample));
                ModelIntent {
                    name: intent.name,
                    samples: samples.collect(),
                }
            })
            .collect();
        Ok(InteractionModel { intents })
    }

    /// The intent `utterance` matches, or `AMAZON.FallbackIntent` when none does (as Alexa sends
    /// it for out-of-domain requests). Among several matches the most specific sample wins: the
    /// one with the most literal words.
    pub fn match_utterance(&self, utterance: &str) -> Match {
        let words = normalize(utterance);
        let mut best: Option<(usize, Match)> = None;
        for intent in &self.intents {
            for sample in &intent.samples {
                let Some(slots) = match_sample(sample, &words) else {
                    continue;
                };
                let literal_words = sample
                    .iter()
                    .filter(|token| matches!(token, Token::Word(_)))
                    .count();
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
            intent: "AMAZON.FallbackIntent".to_owned(),
            slots: Vec::new(),
        })
    }
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
