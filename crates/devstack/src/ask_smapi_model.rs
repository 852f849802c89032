//! Amazon's own model of the Skill Management API, ask-smapi-model, as the judge of interaction
//! models (`cargo xtask models --check`).
//!
//! The model is read into `ask_smapi_model.v1.skill.interaction_model.InteractionModelData` with
//! the ASK SDK's serializer and written back; as for requests (`ask_model`), a field the model
//! does not know is dropped on the way, so a difference names a misspelled or misplaced key,
//! and an enum value SMAPI does not have (a `delegationStrategy`, a prompt's `type`) fails the
//! reading. Fields the serializer adds empty (`"types": []`) are not differences. One Python
//! process checks many models.

use serde_json::Value;

/// Reads interaction models as JSON lines and prints, for each, the JSON list of its problems.
const DRIVER: &str = r#"
import json, sys
sys.path.insert(0, sys.argv[1])
from ask_model_check import differences
from ask_sdk_model_runtime.serializer import DefaultSerializer
serializer = DefaultSerializer()
MODEL = "ask_smapi_model.v1.skill.interaction_model.interaction_model_data.InteractionModelData"
EMPTY = ("[]", "{}", "null")
for line in sys.stdin:
    model = json.loads(line)
    try:
        back = serializer.serialize(serializer.deserialize(json.dumps(model), MODEL))
        found = [
            found.replace("ask-sdk-model", "ask-smapi-model")
            for found in differences(model, back)
            if not ("added by" in found and found.rsplit(": ", 1)[-1] in EMPTY)
        ]
    except Exception as error:
        found = [f"not a valid ask-smapi-model interaction model: {error}"]
    print(json.dumps(found), flush=True)
"#;

/// For each interaction model (the whole file, `{"interactionModel": …}`), in order, what
/// ask-smapi-model found wrong with it (empty: nothing); an error if the check could not run
/// (the venv of `cargo xtask setup` is missing, or Python stopped).
pub fn check_interaction_models(models: &[&Value]) -> anyhow::Result<Vec<Vec<String>>> {
    let lines = models.iter().map(|model| model.to_string()).collect();
    crate::ask_model::run_judge("ask-smapi-model", DRIVER, lines)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn amazons_smapi_model_accepts_a_dialog_model_and_names_each_defect() {
        let good = json!({"interactionModel": {
            "languageModel": {"invocationName": "coffee shop", "intents": [
                {"name": "OrderIntent", "samples": ["order {drink}"],
                 "slots": [{"name": "drink", "type": "AMAZON.Food"}]}]},
            "dialog": {"delegationStrategy": "ALWAYS", "intents": [{"name": "OrderIntent",
                "confirmationRequired": false, "prompts": {},
                "slots": [{"name": "drink", "type": "AMAZON.Food", "elicitationRequired": true,
                    "confirmationRequired": false, "prompts": {"elicitation": "Elicit.drink"}}]}]},
            "prompts": [{"id": "Elicit.drink", "variations": [
                {"type": "PlainText", "value": "What would you like?"}]}],
        }});
        let mut misspelled = good.clone();
        misspelled["interactionModel"]["dialog"]["intents"][0]["slots"][0]["elicitationRequierd"] =
            json!(true);
        let mut bad_strategy = good.clone();
        bad_strategy["interactionModel"]["dialog"]["delegationStrategy"] = json!("SOMETIMES");
        let mut bad_prompt_type = good.clone();
        bad_prompt_type["interactionModel"]["prompts"][0]["variations"][0]["type"] = json!("Text");
        let found =
            check_interaction_models(&[&good, &misspelled, &bad_strategy, &bad_prompt_type])
                .unwrap();
        assert_eq!(found[0], Vec::<String>::new());
        assert!(
            found[1].concat().contains("elicitationRequierd"),
            "{:?}",
            found[1]
        );
        assert!(found[2].concat().contains("'SOMETIMES'"), "{:?}", found[2]);
        assert!(found[3].concat().contains("'Text'"), "{:?}", found[3]);
    }
}
