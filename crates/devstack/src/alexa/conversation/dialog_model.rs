//! The dialog model of an interaction model: the `dialog` and `prompts` sections of Amazon's
//! interaction-model JSON (the ASK CLI shape), read for Alexa's dialog manager, and the checks
//! that keep those sections consistent with the language model (`cargo xtask models --check`).
//!
//! The JSON keys are Amazon's ("Interaction Model Schema",
//! https://developer.amazon.com/docs/smapi/interaction-model-schema.html); what each one makes
//! Alexa do is in `docs/dialog-manager.md`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// One locale's dialog model, with the slots and slot types of its language model.
#[derive(Debug, Clone, Default)]
pub struct DialogModel {
    intents: Vec<DialogIntent>,
    prompts: BTreeMap<String, Vec<PromptVariation>>,
    /// Per intent of the language model, its slots as (name, type) in the model's order.
    language_slots: BTreeMap<String, Vec<(String, String)>>,
    /// Custom slot types: per type, each value's name and synonyms.
    slot_types: BTreeMap<String, Vec<Vec<String>>>,
    /// Whether the model has a `dialog` section at all.
    has_dialog: bool,
}

/// How an intent's dialog is run: `ALWAYS` (auto-delegation: Alexa runs the whole dialog and
/// sends the skill one request when it is complete) or `SKILL_RESPONSE` (the skill decides each
/// turn, with `Dialog.Delegate` handing one turn to Alexa).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Delegation {
    Always,
    SkillResponse,
}

/// An intent of the dialog model.
#[derive(Debug, Clone)]
pub struct DialogIntent {
    pub name: String,
    pub delegation: Delegation,
    pub confirmation_required: bool,
    /// The prompt ID Alexa asks the intent confirmation with.
    pub confirmation_prompt: Option<String>,
    pub slots: Vec<DialogSlot>,
}

/// A slot of a dialog intent.
#[derive(Debug, Clone)]
pub struct DialogSlot {
    pub name: String,
    pub slot_type: String,
    pub elicitation_required: bool,
    pub confirmation_required: bool,
    pub elicitation_prompt: Option<String>,
    pub confirmation_prompt: Option<String>,
    /// The slot's validation rules as written (`{"type": "isInSet", "prompt": …, "values": …}`).
    pub validations: Vec<Value>,
}

/// One way a prompt may be spoken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptVariation {
    /// `PlainText` or `SSML`.
    pub kind: String,
    pub value: String,
}

/// Why a model's dialog sections could not be read.
#[derive(Debug, thiserror::Error)]
#[error("the interaction model's dialog or prompts are not in Amazon's shape: {0}")]
pub struct DialogModelError(#[from] serde_json::Error);

impl DialogModel {
    /// Reads the dialog, prompts and language-model slots of an ASK CLI interaction model.
    pub fn from_json(text: &str) -> Result<DialogModel, DialogModelError> {
        let file: ModelFile = serde_json::from_str(text)?;
        let body = file.interaction_model;
        let dialog = body.dialog;
        let default_delegation = dialog
            .as_ref()
            .and_then(|dialog| dialog.delegation_strategy.as_deref())
            .map_or(Delegation::SkillResponse, delegation);
        let intents = dialog
            .as_ref()
            .map(|dialog| dialog.intents.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|intent| DialogIntent {
                name: intent.name.clone(),
                delegation: intent
                    .delegation_strategy
                    .as_deref()
                    .map_or(default_delegation, delegation),
                confirmation_required: intent.confirmation_required,
                confirmation_prompt: intent.prompts.confirmation.clone(),
                slots: intent
                    .slots
                    .iter()
                    .map(|slot| DialogSlot {
                        name: slot.name.clone(),
                        slot_type: slot.slot_type.clone(),
                        elicitation_required: slot.elicitation_required,
                        confirmation_required: slot.confirmation_required,
                        elicitation_prompt: slot.prompts.elicitation.clone(),
                        confirmation_prompt: slot.prompts.confirmation.clone(),
                        validations: slot.validations.clone(),
                    })
                    .collect(),
            })
            .collect();
        let prompts = body
            .prompts
            .into_iter()
            .map(|prompt| {
                let variations = prompt
                    .variations
                    .into_iter()
                    .map(|variation| PromptVariation {
                        kind: variation.kind,
                        value: variation.value,
                    })
                    .collect();
                (prompt.id, variations)
            })
            .collect();
        let language_slots = body
            .language_model
            .intents
            .into_iter()
            .map(|intent| {
                let slots = intent
                    .slots
                    .into_iter()
                    .map(|slot| (slot.name, slot.slot_type))
                    .collect();
                (intent.name, slots)
            })
            .collect();
        let slot_types = body
            .language_model
            .types
            .into_iter()
            .map(|slot_type| {
                let values = slot_type
                    .values
                    .into_iter()
                    .map(|value| {
                        let mut names = vec![value.name.value];
                        names.extend(value.name.synonyms);
                        names
                    })
                    .collect();
                (slot_type.name, values)
            })
            .collect();
        Ok(DialogModel {
            intents,
            prompts,
            language_slots,
            slot_types,
            has_dialog: dialog.is_some(),
        })
    }

    /// Whether the model has a `dialog` section (Alexa then sends `dialogState` for its intents).
    pub fn has_dialog(&self) -> bool {
        self.has_dialog
    }

    /// The dialog of `intent`, if the model's `dialog` lists it.
    pub fn intent(&self, intent: &str) -> Option<&DialogIntent> {
        self.intents
            .iter()
            .find(|candidate| candidate.name == intent)
    }

    /// The dialog intents, in the model's order.
    pub fn intents(&self) -> &[DialogIntent] {
        &self.intents
    }

    /// The variations of the prompt `id`.
    pub fn prompt(&self, id: &str) -> Option<&[PromptVariation]> {
        self.prompts.get(id).map(Vec::as_slice)
    }

    /// The slots of `intent` in the language model, as (name, type); `None` for an intent the
    /// language model lacks.
    pub fn language_slots(&self, intent: &str) -> Option<&[(String, String)]> {
        self.language_slots.get(intent).map(Vec::as_slice)
    }

    /// Each value of the custom slot type `name` with its synonyms; `None` for a type the model
    /// does not define (a built-in type).
    pub fn slot_type_values(&self, name: &str) -> Option<&[Vec<String>]> {
        self.slot_types.get(name).map(Vec::as_slice)
    }

    /// What is inconsistent in the dialog sections, one sentence each naming the fix: a prompt
    /// ID referenced but not defined, a dialog intent or slot the language model lacks or types
    /// differently, a required elicitation or confirmation without its prompt, a validation
    /// without a prompt.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let prompt_exists = |id: &Option<String>, what: String, required: bool| match id {
            Some(id) if !self.prompts.contains_key(id) => Some(format!(
                "{what} uses the prompt `{id}`, which `prompts` does not define: add it there or \
                 fix the ID"
            )),
            None if required => Some(format!(
                "{what} is required but has no prompt: Alexa would have nothing to say; add one \
                 to its `prompts`"
            )),
            _ => None,
        };
        for intent in &self.intents {
            let Some(slots) = self.language_slots.get(&intent.name) else {
                problems.push(format!(
                    "dialog intent `{}` is not an intent of the language model: add it to \
                     languageModel.intents or remove it from dialog.intents",
                    intent.name
                ));
                continue;
            };
            problems.extend(prompt_exists(
                &intent.confirmation_prompt,
                format!("the confirmation of intent `{}`", intent.name),
                intent.confirmation_required,
            ));
            for slot in &intent.slots {
                let place = format!("slot `{}` of dialog intent `{}`", slot.name, intent.name);
                match slots.iter().find(|(name, _)| *name == slot.name) {
                    None => problems.push(format!(
                        "{place} is not a slot of the intent in the language model: add it there \
                         or remove it from the dialog"
                    )),
                    Some((_, slot_type)) if *slot_type != slot.slot_type => {
                        problems.push(format!(
                            "{place} has type `{}` in the dialog but `{slot_type}` in the language \
                             model: make them the same",
                            slot.slot_type
                        ));
                    }
                    Some(_) => {}
                }
                problems.extend(prompt_exists(
                    &slot.elicitation_prompt,
                    format!("the elicitation of {place}"),
                    slot.elicitation_required,
                ));
                problems.extend(prompt_exists(
                    &slot.confirmation_prompt,
                    format!("the confirmation of {place}"),
                    slot.confirmation_required,
                ));
                for validation in &slot.validations {
                    let kind = validation["type"].as_str().unwrap_or("?");
                    let prompt = validation["prompt"].as_str().map(str::to_owned);
                    problems.extend(prompt_exists(
                        &prompt,
                        format!("the `{kind}` validation of {place}"),
                        true,
                    ));
                }
            }
        }
        for (id, variations) in &self.prompts {
            if variations.is_empty() {
                problems.push(format!(
                    "prompt `{id}` has no variations: give it at least one"
                ));
            }
        }
        problems
    }

    /// The dialog's structure without its words: what must be the same in every language of a
    /// skill (intents, slots, types, what is required, delegation, validation kinds, prompt IDs).
    pub fn structure(&self) -> Vec<String> {
        self.intents
            .iter()
            .flat_map(|intent| {
                let head = format!(
                    "intent {} delegation {:?} confirmation required {} prompt {:?}",
                    intent.name,
                    intent.delegation,
                    intent.confirmation_required,
                    intent.confirmation_prompt
                );
                let slots = intent.slots.iter().map(move |slot| {
                    let validations: Vec<&str> = slot
                        .validations
                        .iter()
                        .map(|validation| validation["type"].as_str().unwrap_or("?"))
                        .collect();
                    format!(
                        "intent {} slot {} type {} elicitation required {} prompt {:?} \
                         confirmation required {} prompt {:?} validations {validations:?}",
                        intent.name,
                        slot.name,
                        slot.slot_type,
                        slot.elicitation_required,
                        slot.elicitation_prompt,
                        slot.confirmation_required,
                        slot.confirmation_prompt,
                    )
                });
                std::iter::once(head).chain(slots)
            })
            .collect()
    }
}

fn delegation(text: &str) -> Delegation {
    match text {
        "ALWAYS" => Delegation::Always,
        // "When no delegation strategies are defined, the value SKILL_RESPONSE is assumed."
        _ => Delegation::SkillResponse,
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ModelFile {
    interaction_model: ModelBody,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ModelBody {
    language_model: LanguageModelFile,
    #[serde(default)]
    dialog: Option<DialogFile>,
    #[serde(default)]
    prompts: Vec<PromptFile>,
}

#[derive(Deserialize)]
struct LanguageModelFile {
    #[serde(default)]
    intents: Vec<IntentFile>,
    #[serde(default)]
    types: Vec<TypeFile>,
}

#[derive(Deserialize)]
struct IntentFile {
    name: String,
    #[serde(default)]
    slots: Vec<SlotFile>,
}

#[derive(Deserialize)]
struct SlotFile {
    name: String,
    #[serde(rename = "type", default)]
    slot_type: String,
}

#[derive(Deserialize)]
struct TypeFile {
    name: String,
    #[serde(default)]
    values: Vec<TypeValueFile>,
}

#[derive(Deserialize)]
struct TypeValueFile {
    name: TypeValueName,
}

#[derive(Deserialize)]
struct TypeValueName {
    value: String,
    #[serde(default)]
    synonyms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DialogFile {
    #[serde(default)]
    delegation_strategy: Option<String>,
    #[serde(default)]
    intents: Vec<DialogIntentFile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DialogIntentFile {
    name: String,
    #[serde(default)]
    delegation_strategy: Option<String>,
    #[serde(default)]
    confirmation_required: bool,
    #[serde(default)]
    prompts: PromptsFile,
    #[serde(default)]
    slots: Vec<DialogSlotFile>,
}

#[derive(Deserialize, Default)]
struct PromptsFile {
    #[serde(default)]
    elicitation: Option<String>,
    #[serde(default)]
    confirmation: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DialogSlotFile {
    name: String,
    #[serde(rename = "type", default)]
    slot_type: String,
    #[serde(default)]
    elicitation_required: bool,
    #[serde(default)]
    confirmation_required: bool,
    #[serde(default)]
    prompts: PromptsFile,
    #[serde(default)]
    validations: Vec<Value>,
}

#[derive(Deserialize)]
struct PromptFile {
    id: String,
    #[serde(default)]
    variations: Vec<VariationFile>,
}

#[derive(Deserialize)]
struct VariationFile {
    #[serde(rename = "type")]
    kind: String,
    value: String,
}
