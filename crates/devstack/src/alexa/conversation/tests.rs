//! The dialog manager driven against skills in this process: each test's skill is a closure
//! that answers as a skill would, and records what Alexa sent it.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::*;

/// A model with one dialog intent, `OrderIntent` (`drink`, `size`), written like Amazon's JSON.
fn model(dialog: Value, prompts: Value) -> SkillModel {
    model_in("en-US", dialog, prompts)
}

fn model_in(locale: &str, dialog: Value, prompts: Value) -> SkillModel {
    let (order, invocation) = if locale.starts_with("ja") {
        (
            vec!["{drink}を注文して", "{drink}を{size}で注文して"],
            "コーヒーショップ",
        )
    } else {
        (
            vec!["order {drink}", "order a {size} {drink}", "order"],
            "coffee shop",
        )
    };
    let text = json!({"interactionModel": {
        "languageModel": {
            "invocationName": invocation,
            "intents": [
                {"name": "OrderIntent", "samples": order, "slots": [
                    {"name": "drink", "type": "DrinkType", "samples": ["{drink}", "a {drink}"]},
                    {"name": "size", "type": "SizeType", "samples": ["{size}", "a {size} one"]},
                ]},
                {"name": "HelloIntent", "samples": ["hello", "こんにちは"]},
                {"name": "AMAZON.HelpIntent", "samples": []},
            ],
            "types": [
                {"name": "DrinkType", "values": [{"name": {"value": "tea"}}, {"name": {"value": "coffee", "synonyms": ["java"]}}]},
                {"name": "SizeType", "values": [{"name": {"value": "small"}}, {"name": {"value": "large"}}]},
            ],
        },
        "dialog": dialog,
        "prompts": prompts,
    }});
    SkillModel::from_json_for_locale(&text.to_string(), &format!("{locale}.json"), locale).unwrap()
}

fn prompts() -> Value {
    json!([
        {"id": "Elicit.drink", "variations": [
            {"type": "PlainText", "value": "What would you like?"},
            {"type": "SSML", "value": "<speak>Which drink?</speak>"},
        ]},
        {"id": "Elicit.size", "variations": [{"type": "PlainText", "value": "Which size of {drink}?"}]},
        {"id": "Confirm.size", "variations": [{"type": "PlainText", "value": "{size}, right?"}]},
        {"id": "Confirm.order", "variations": [{"type": "PlainText", "value": "A {size} {drink}. Shall I order it?"}]},
        {"id": "Invalid.drink", "variations": [{"type": "PlainText", "value": "We only have tea. What would you like?"}]},
    ])
}

fn order_dialog(delegation: &str, intent_confirmation: bool, size_confirmation: bool) -> Value {
    json!({"delegationStrategy": delegation, "intents": [{
        "name": "OrderIntent",
        "confirmationRequired": intent_confirmation,
        "prompts": if intent_confirmation { json!({"confirmation": "Confirm.order"}) } else { json!({}) },
        "slots": [
            {"name": "drink", "type": "DrinkType", "elicitationRequired": true,
             "confirmationRequired": false, "prompts": {"elicitation": "Elicit.drink"}},
            {"name": "size", "type": "SizeType", "elicitationRequired": true,
             "confirmationRequired": size_confirmation,
             "prompts": if size_confirmation {
                 json!({"elicitation": "Elicit.size", "confirmation": "Confirm.size"})
             } else { json!({"elicitation": "Elicit.size"}) }},
        ],
    }]})
}

type Requests = Arc<Mutex<Vec<Value>>>;

/// A skill answering with `answer(request)`, recording every request.
fn skill(
    answer: impl Fn(&Value) -> Value + Send + Sync + 'static,
) -> (Arc<dyn SkillEndpoint>, Requests) {
    let requests: Requests = Arc::default();
    let seen = Arc::clone(&requests);
    let answer = Arc::new(answer);
    let endpoint = skill_fn(move |request: Value| {
        let seen = Arc::clone(&seen);
        let answer = Arc::clone(&answer);
        async move {
            let response = answer(&request);
            seen.lock().unwrap().push(request);
            Ok::<Value, BoxError>(response)
        }
    });
    (endpoint, requests)
}

fn speak(text: &str, end: bool) -> Value {
    json!({"version": "1.0", "response": {
        "outputSpeech": {"type": "PlainText", "text": text}, "shouldEndSession": end}})
}

fn delegate() -> Value {
    json!({"version": "1.0", "response": {"directives": [{"type": "Dialog.Delegate"}]}})
}

fn with_directive(text: &str, directive: Value) -> Value {
    json!({"version": "1.0", "response": {
        "outputSpeech": {"type": "PlainText", "text": text},
        "directives": [directive], "shouldEndSession": false}})
}

/// The skill of Amazon's manual-delegation pattern: delegate until COMPLETED, then fulfil.
fn delegating_skill(request: &Value) -> Value {
    let request = &request["request"];
    if request["type"] == "LaunchRequest" {
        return speak("Welcome", false);
    }
    if request["dialogState"] != "COMPLETED" {
        return delegate();
    }
    let intent = &request["intent"];
    speak(
        &format!(
            "{} {} {}",
            intent["confirmationStatus"].as_str().unwrap(),
            intent["slots"]["size"]["value"].as_str().unwrap_or("-"),
            intent["slots"]["drink"]["value"].as_str().unwrap_or("-"),
        ),
        true,
    )
}

fn states(requests: &Requests) -> Vec<String> {
    requests
        .lock()
        .unwrap()
        .iter()
        .map(|request| {
            format!(
                "{} {}",
                request["request"]["intent"]["name"].as_str().unwrap_or("-"),
                request["request"]["dialogState"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

#[tokio::test]
async fn session_attributes_come_back_exactly_as_the_skill_set_them() {
    let (endpoint, requests) = skill(|request| {
        let count = request["session"]["attributes"]["count"]
            .as_i64()
            .unwrap_or(0);
        let mut response = speak("ok", false);
        response["sessionAttributes"] =
            json!({"count": count + 1, "nested": {"list": [1, "two", null]}});
        response
    });
    let mut conversation = Conversation::new(endpoint, model(json!(null), json!([])));
    conversation.say("open coffee shop").await.unwrap();
    conversation.say("hello").await.unwrap();
    conversation.say("hello").await.unwrap();
    let requests = requests.lock().unwrap();
    assert_eq!(requests[0]["session"]["attributes"], json!({}));
    assert_eq!(
        requests[1]["session"]["attributes"],
        json!({"count": 1, "nested": {"list": [1, "two", null]}})
    );
    assert_eq!(requests[2]["session"]["attributes"]["count"], 2);
    assert_eq!(
        requests[2]["session"]["sessionId"],
        requests[0]["session"]["sessionId"]
    );
}

#[tokio::test]
async fn a_new_session_starts_without_the_old_attributes() {
    let (endpoint, requests) = skill(|_| {
        let mut response = speak("bye", true);
        response["sessionAttributes"] = json!({"left": "over"});
        response
    });
    let mut conversation = Conversation::new(endpoint, model(json!(null), json!([])));
    conversation.say("open coffee shop").await.unwrap();
    conversation.say("open coffee shop").await.unwrap();
    assert_eq!(
        requests.lock().unwrap()[1]["session"]["attributes"],
        json!({})
    );
}

#[tokio::test]
async fn delegate_speaks_the_models_prompts_and_completes_the_dialog() {
    let (endpoint, requests) = skill(delegating_skill);
    let mut conversation = Conversation::new(
        endpoint,
        model(order_dialog("SKILL_RESPONSE", false, false), prompts()),
    );
    let turn = conversation.say("open coffee shop").await.unwrap();
    assert_eq!(turn.speech(), "Welcome");
    let turn = conversation.say("order").await.unwrap();
    assert_eq!(turn.alexa_prompt.as_deref(), Some("What would you like?"));
    assert_eq!(turn.exchanges.len(), 1);
    let turn = conversation.say("a tea").await.unwrap();
    // The prompt names the slot already filled.
    assert_eq!(turn.speech(), "Which size of tea?");
    let turn = conversation.say("large").await.unwrap();
    // The answer goes to the skill, which delegates; nothing is left, so Alexa sends COMPLETED.
    assert_eq!(turn.exchanges.len(), 2);
    assert_eq!(turn.speech(), "NONE large tea");
    assert_eq!(
        states(&requests),
        [
            "- -",
            "OrderIntent STARTED",
            "OrderIntent IN_PROGRESS",
            "OrderIntent IN_PROGRESS",
            "OrderIntent COMPLETED",
        ]
    );
    let last = &requests.lock().unwrap()[4]["request"]["intent"];
    assert_eq!(last["slots"]["drink"]["value"], "tea");
    assert_eq!(last["slots"]["size"]["confirmationStatus"], "NONE");
}

#[tokio::test]
async fn every_slot_of_the_intent_is_sent_the_unfilled_ones_without_a_value() {
    let (endpoint, requests) = skill(delegating_skill);
    let mut conversation = Conversation::new(
        endpoint,
        model(order_dialog("SKILL_RESPONSE", false, false), prompts()),
    );
    conversation.say("open coffee shop").await.unwrap();
    conversation.say("order tea").await.unwrap();
    let intent = requests.lock().unwrap()[1]["request"]["intent"].clone();
    assert_eq!(
        intent,
        json!({"name": "OrderIntent", "confirmationStatus": "NONE", "slots": {
            "drink": {"name": "drink", "value": "tea", "confirmationStatus": "NONE"},
            "size": {"name": "size", "confirmationStatus": "NONE"},
        }})
    );
}

#[tokio::test]
async fn auto_delegation_sends_the_skill_one_completed_request_with_the_confirmation() {
    for (answer, status) in [("yes", "CONFIRMED"), ("no", "DENIED")] {
        let (endpoint, requests) = skill(delegating_skill);
        let mut conversation = Conversation::new(
            endpoint,
            model(order_dialog("ALWAYS", true, false), prompts()),
        );
        conversation.say("open coffee shop").await.unwrap();
        let turn = conversation.say("order a small coffee").await.unwrap();
        assert!(turn.exchanges.is_empty(), "Alexa asks itself");
        assert_eq!(turn.speech(), "A small coffee. Shall I order it?");
        assert!(conversation.awaits_confirmation());
        let turn = conversation.say(answer).await.unwrap();
        assert_eq!(turn.speech(), format!("{status} small coffee"));
        assert_eq!(states(&requests), ["- -", "OrderIntent COMPLETED"]);
        assert_eq!(
            requests.lock().unwrap()[1]["request"]["intent"]["confirmationStatus"],
            status
        );
    }
}

#[tokio::test]
async fn a_denied_slot_is_asked_for_again_and_a_confirmed_one_is_not() {
    let (endpoint, requests) = skill(delegating_skill);
    let mut conversation = Conversation::new(
        endpoint,
        model(order_dialog("ALWAYS", false, true), prompts()),
    );
    conversation.say("open coffee shop").await.unwrap();
    let turn = conversation.say("order a large tea").await.unwrap();
    assert_eq!(turn.speech(), "large, right?");
    let turn = conversation.say("no").await.unwrap();
    assert_eq!(turn.speech(), "Which size of tea?");
    let turn = conversation.say("small").await.unwrap();
    assert_eq!(turn.speech(), "small, right?");
    let turn = conversation.say("yes").await.unwrap();
    assert_eq!(turn.speech(), "NONE small tea");
    let last = &requests.lock().unwrap()[1]["request"]["intent"]["slots"]["size"];
    assert_eq!(last["confirmationStatus"], "CONFIRMED");
}

#[tokio::test]
async fn the_skills_own_confirm_intent_comes_back_confirmed_or_denied_in_japanese() {
    for (answer, status, state) in [
        ("はい", "CONFIRMED", "IN_PROGRESS"),
        ("いいえ", "DENIED", "COMPLETED"),
    ] {
        let (endpoint, requests) = skill(|request| {
            let request = &request["request"];
            if request["type"] == "LaunchRequest" {
                return speak("ようこそ", false);
            }
            match request["intent"]["confirmationStatus"].as_str().unwrap() {
                "NONE" => with_directive("注文しますか?", json!({"type": "Dialog.ConfirmIntent"})),
                other => speak(other, true),
            }
        });
        let mut conversation = Conversation::new(
            endpoint,
            model_in(
                "ja-JP",
                order_dialog("SKILL_RESPONSE", false, false),
                prompts(),
            ),
        );
        conversation.say("コーヒーショップを開いて").await.unwrap();
        let turn = conversation.say("紅茶を注文して").await.unwrap();
        assert_eq!(turn.speech(), "注文しますか?");
        let turn = conversation.say(answer).await.unwrap();
        assert_eq!(turn.speech(), status);
        let last = requests.lock().unwrap().last().cloned().unwrap();
        assert_eq!(last["request"]["dialogState"], state);
        assert_eq!(last["request"]["intent"]["confirmationStatus"], status);
        assert_eq!(last["request"]["intent"]["slots"]["drink"]["value"], "紅茶");
    }
}

#[tokio::test]
async fn confirm_slot_from_the_skill_sets_the_slots_status() {
    let (endpoint, requests) = skill(|request| {
        if request["request"]["type"] == "LaunchRequest" {
            return speak("Welcome", false);
        }
        let slot = &request["request"]["intent"]["slots"]["drink"];
        if slot["confirmationStatus"] == "NONE" {
            with_directive(
                "Tea, is that right?",
                json!({"type": "Dialog.ConfirmSlot", "slotToConfirm": "drink"}),
            )
        } else {
            speak(slot["confirmationStatus"].as_str().unwrap(), true)
        }
    });
    let mut conversation = Conversation::new(endpoint, model(json!(null), json!([])));
    conversation.say("open coffee shop").await.ok();
    let turn = conversation.say("order tea").await.unwrap();
    assert_eq!(turn.speech(), "Tea, is that right?");
    let turn = conversation.say("yeah").await.unwrap();
    assert_eq!(turn.speech(), "CONFIRMED");
    // No dialog model: no dialogState.
    assert!(
        requests
            .lock()
            .unwrap()
            .iter()
            .all(|request| request["request"].get("dialogState").is_none())
    );
}

#[tokio::test]
async fn elicit_slot_from_the_skill_fills_the_slot_and_keeps_the_others() {
    let (endpoint, requests) = skill(|request| {
        let slots = &request["request"]["intent"]["slots"];
        if slots["size"]["value"].is_null() {
            with_directive(
                "Which size?",
                json!({"type": "Dialog.ElicitSlot", "slotToElicit": "size"}),
            )
        } else {
            speak("ok", true)
        }
    });
    let mut conversation = Conversation::new(
        endpoint,
        model(order_dialog("SKILL_RESPONSE", false, false), prompts()),
    );
    conversation.say("open coffee shop").await.ok();
    conversation.say("order tea").await.unwrap();
    conversation.say("a small one").await.unwrap();
    let requests = requests.lock().unwrap();
    let last = &requests.last().unwrap()["request"];
    assert_eq!(last["dialogState"], "IN_PROGRESS");
    assert_eq!(last["intent"]["slots"]["size"]["value"], "small");
    assert_eq!(last["intent"]["slots"]["drink"]["value"], "tea");
}

#[tokio::test]
async fn a_failed_validation_speaks_its_prompt_and_asks_again() {
    let mut dialog = order_dialog("ALWAYS", false, false);
    dialog["intents"][0]["slots"][0]["validations"] =
        json!([{"type": "isInSet", "prompt": "Invalid.drink", "values": ["tea"]}]);
    let (endpoint, _) = skill(delegating_skill);
    let mut conversation = Conversation::new(endpoint, model(dialog, prompts()));
    conversation.say("open coffee shop").await.unwrap();
    let turn = conversation.say("order a small coffee").await.unwrap();
    assert_eq!(turn.speech(), "We only have tea. What would you like?");
    let turn = conversation.say("tea").await.unwrap();
    assert_eq!(turn.speech(), "NONE small tea");
}

#[tokio::test]
async fn a_validation_the_twin_cannot_decide_is_an_error_naming_the_rule() {
    let mut dialog = order_dialog("ALWAYS", false, false);
    dialog["intents"][0]["slots"][0]["validations"] =
        json!([{"type": "isSpelledBackwards", "prompt": "Invalid.drink"}]);
    let (endpoint, _) = skill(delegating_skill);
    let mut conversation = Conversation::new(endpoint, model(dialog, prompts()));
    conversation.say("open coffee shop").await.unwrap();
    let error = conversation.say("order a small tea").await.unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::Model(_)), "{message}");
    assert!(message.contains("`isSpelledBackwards`"), "{message}");
    assert!(message.contains("slot `drink`"), "{message}");
}

#[tokio::test]
async fn prompt_variations_are_spoken_in_turn() {
    let (endpoint, _) = skill(|request| {
        if request["request"]["intent"]["name"] != "OrderIntent" {
            speak("Welcome", false)
        } else {
            delegate()
        }
    });
    let mut conversation = Conversation::new(
        endpoint,
        model(order_dialog("SKILL_RESPONSE", false, false), prompts()),
    );
    conversation.say("open coffee shop").await.unwrap();
    let first = conversation.say("order").await.unwrap();
    conversation.say("open coffee shop").await.unwrap();
    let second = conversation.say("order").await.unwrap();
    assert_eq!(first.speech(), "What would you like?");
    // The SSML variation, without its markup.
    assert_eq!(second.speech(), "Which drink?");
}

async fn answer_error(answer: Value, utterance: &str) -> String {
    let launching = utterance == "open coffee shop";
    let (endpoint, _) = skill(move |request| {
        if request["request"]["type"] == "LaunchRequest" && !launching {
            speak("Welcome", false)
        } else {
            answer.clone()
        }
    });
    let mut conversation = Conversation::new(
        endpoint,
        model(order_dialog("SKILL_RESPONSE", false, false), prompts()),
    );
    if !launching {
        conversation.say("open coffee shop").await.unwrap();
    }
    let error = conversation.say(utterance).await.unwrap_err();
    assert!(matches!(error, Error::InvalidAnswer { .. }), "{error}");
    error.to_string()
}

#[tokio::test]
async fn eliciting_a_slot_the_model_lacks_is_an_error_naming_the_slots() {
    let message = answer_error(
        with_directive(
            "Milk?",
            json!({"type": "Dialog.ElicitSlot", "slotToElicit": "milk"}),
        ),
        "order tea",
    )
    .await;
    assert!(message.contains("slot `milk`"), "{message}");
    assert!(message.contains("drink, size"), "{message}");
}

#[tokio::test]
async fn confirming_a_slot_the_model_lacks_is_an_error() {
    let message = answer_error(
        with_directive(
            "Milk?",
            json!({"type": "Dialog.ConfirmSlot", "slotToConfirm": "milk"}),
        ),
        "order tea",
    )
    .await;
    assert!(message.contains("slot `milk`"), "{message}");
}

#[tokio::test]
async fn a_dialog_directive_answering_a_launch_without_an_intent_is_an_error() {
    let message = answer_error(delegate(), "open coffee shop").await;
    assert!(
        message.starts_with("the skill's answer to LaunchRequest"),
        "{message}"
    );
    assert!(message.contains("updatedIntent"), "{message}");
}

#[tokio::test]
async fn a_launch_may_chain_to_an_intent_with_updated_intent() {
    let (endpoint, requests) = skill(|request| {
        if request["request"]["type"] == "LaunchRequest" {
            json!({"version": "1.0", "response": {"directives": [{"type": "Dialog.Delegate",
                "updatedIntent": {"name": "OrderIntent", "confirmationStatus": "NONE",
                    "slots": {"drink": {"name": "drink", "value": "tea", "confirmationStatus": "NONE"}}}}]}})
        } else {
            delegating_skill(request)
        }
    });
    let mut conversation = Conversation::new(
        endpoint,
        model(order_dialog("SKILL_RESPONSE", false, false), prompts()),
    );
    let turn = conversation.say("open coffee shop").await.unwrap();
    assert_eq!(turn.speech(), "Which size of tea?");
    let turn = conversation.say("small").await.unwrap();
    assert_eq!(turn.speech(), "NONE small tea");
    assert_eq!(
        states(&requests),
        ["- -", "OrderIntent IN_PROGRESS", "OrderIntent COMPLETED"]
    );
}

#[tokio::test]
async fn chaining_to_a_built_in_intent_is_an_error() {
    let message = answer_error(
        json!({"version": "1.0", "response": {"directives": [{"type": "Dialog.Delegate",
            "updatedIntent": {"name": "AMAZON.HelpIntent", "confirmationStatus": "NONE"}}]}}),
        "order tea",
    )
    .await;
    assert!(
        message.contains("built-in intent `AMAZON.HelpIntent`"),
        "{message}"
    );
}

#[tokio::test]
async fn delegate_with_speech_is_an_error() {
    let message = answer_error(
        with_directive("Hmm", json!({"type": "Dialog.Delegate"})),
        "order tea",
    )
    .await;
    assert!(message.contains("must not carry outputSpeech"), "{message}");
}

#[tokio::test]
async fn two_dialog_directives_are_an_error() {
    let mut answer = with_directive(
        "Which?",
        json!({"type": "Dialog.ElicitSlot", "slotToElicit": "size"}),
    );
    answer["response"]["directives"]
        .as_array_mut()
        .unwrap()
        .push(json!({"type": "Dialog.ConfirmIntent"}));
    let message = answer_error(answer, "order tea").await;
    assert!(message.contains("2 Dialog directives"), "{message}");
}

#[tokio::test]
async fn delegate_for_an_intent_without_a_dialog_model_is_an_error() {
    let message = answer_error(delegate(), "hello").await;
    assert!(message.contains("dialog does not list"), "{message}");
}

#[tokio::test]
async fn delegate_while_the_dialog_is_completed_is_an_error() {
    let (endpoint, _) = skill(|request| {
        if request["request"]["type"] == "LaunchRequest" {
            speak("Welcome", false)
        } else {
            delegate()
        }
    });
    let mut conversation = Conversation::new(
        endpoint,
        model(order_dialog("SKILL_RESPONSE", false, false), prompts()),
    );
    conversation.say("open coffee shop").await.unwrap();
    let error = conversation.say("order a small tea").await.unwrap_err();
    let message = error.to_string();
    assert!(message.contains("dialogState is COMPLETED"), "{message}");
}

#[tokio::test]
async fn an_answer_neither_yes_nor_no_is_an_error_naming_the_words_and_another_intent_goes_there() {
    let (endpoint, requests) =
        skill(
            |request| match request["request"]["intent"]["name"].as_str() {
                Some("OrderIntent") => {
                    with_directive("Sure?", json!({"type": "Dialog.ConfirmIntent"}))
                }
                _ => speak("hi", false),
            },
        );
    let mut conversation = Conversation::new(endpoint, model(json!(null), json!([])));
    conversation.say("open coffee shop").await.unwrap();
    conversation.say("order tea").await.unwrap();
    let error = conversation.say("purple").await.unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::NotYesOrNo { .. }), "{message}");
    assert!(
        message.contains("\"purple\" is neither yes nor no in en-US"),
        "{message}"
    );
    assert!(message.contains("yes, yeah"), "{message}");
    // Another intent's words leave the confirmation: the skill hears that intent.
    let turn = conversation.say("hello").await.unwrap();
    assert_eq!(turn.speech(), "hi");
    assert_eq!(
        requests.lock().unwrap().last().unwrap()["request"]["intent"]["name"],
        "HelloIntent"
    );
}

#[tokio::test]
async fn the_dialog_model_is_read_from_amazons_json() {
    let model = model(order_dialog("ALWAYS", true, true), prompts());
    let dialog = model.dialog();
    assert!(dialog.has_dialog());
    let intent = dialog.intent("OrderIntent").unwrap();
    assert_eq!(intent.delegation, dialog_model::Delegation::Always);
    assert_eq!(
        intent.slots[1].confirmation_prompt.as_deref(),
        Some("Confirm.size")
    );
    assert!(dialog.problems().is_empty(), "{:?}", dialog.problems());
}

#[test]
fn each_inconsistency_of_the_dialog_model_is_named() {
    let mut dialog = order_dialog("SKILL_RESPONSE", true, false);
    dialog["intents"][0]["prompts"] = json!({});
    dialog["intents"][0]["slots"][0]["prompts"]["elicitation"] = json!("Elicit.nothing");
    dialog["intents"][0]["slots"][1]["type"] = json!("AMAZON.NUMBER");
    dialog["intents"][0]["slots"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "milk", "type": "MilkType", "prompts": {}}));
    dialog["intents"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "PayIntent", "slots": []}));
    let problems = model(dialog, prompts()).dialog().problems().join("\n");
    for expected in [
        "the confirmation of intent `OrderIntent` is required but has no prompt",
        "uses the prompt `Elicit.nothing`, which `prompts` does not define",
        "slot `size` of dialog intent `OrderIntent` has type `AMAZON.NUMBER` in the dialog but `SizeType`",
        "slot `milk` of dialog intent `OrderIntent` is not a slot of the intent",
        "dialog intent `PayIntent` is not an intent of the language model",
    ] {
        assert!(problems.contains(expected), "{expected}\nin\n{problems}");
    }
}

#[test]
fn date_and_number_validations_follow_amazons_rules() {
    let model = DialogModel::default();
    let today: jiff::civil::Date = "2026-12-08".parse().unwrap();
    let rule = json!({"type": "isInDuration", "prompt": "p", "start": "P0D", "end": "P7D"});
    assert_eq!(
        validation::passes(&rule, "AMAZON.DATE", "2026-12-10", &model, today),
        Ok(true)
    );
    assert_eq!(
        validation::passes(&rule, "AMAZON.DATE", "2026-12-20", &model, today),
        Ok(false)
    );
    assert_eq!(
        validation::passes(&rule, "AMAZON.DATE", "2026-12-07", &model, today),
        Ok(false)
    );
    let week = validation::passes(&rule, "AMAZON.DATE", "2026-W50", &model, today).unwrap_err();
    assert!(week.contains("not a single day"), "{week}");
    let rule = json!({"type": "isGreaterThan", "prompt": "p", "value": "2"});
    assert_eq!(
        validation::passes(&rule, "AMAZON.NUMBER", "3", &model, today),
        Ok(true)
    );
    assert_eq!(
        validation::passes(&rule, "AMAZON.NUMBER", "2", &model, today),
        Ok(false)
    );
    let rule = json!({"type": "isNotInDuration", "prompt": "p", "start": "09:00", "end": "17:00"});
    assert_eq!(
        validation::passes(&rule, "AMAZON.TIME", "20:00", &model, today),
        Ok(true)
    );
}

#[test]
fn the_wake_word_is_not_part_of_the_utterance() {
    assert_eq!(
        strip_wake_word("Alexa, open cloud companion"),
        "open cloud companion"
    );
    assert_eq!(strip_wake_word("alexa,who am i"), "who am i");
    assert_eq!(strip_wake_word("who am i"), "who am i");
    assert_eq!(strip_wake_word("Alex"), "Alex");
    assert_eq!(strip_wake_word("Alexander, hi"), "Alexander, hi");
    assert_eq!(
        strip_wake_word("アレクサ、クラウドコンパニオンを開いて"),
        "クラウドコンパニオンを開いて"
    );
    assert_eq!(strip_wake_word("اليكسا، افتحي"), "افتحي");
}

/// The `AMAZON.DATE` value Alexa understands for "remind me tomorrow" on a device in `zone`.
fn tomorrow_on_a_device_in(zone: Option<&str>) -> String {
    let text = json!({"interactionModel": {"languageModel": {
        "invocationName": "reminders",
        "intents": [{"name": "RemindIntent", "samples": ["remind me {day}"],
                     "slots": [{"name": "day", "type": "AMAZON.DATE"}]}],
        "types": [],
    }}});
    let model = SkillModel::from_json_for_locale(&text.to_string(), "en-US.json", "en-US").unwrap();
    let (endpoint, _) = skill(|_| speak("OK", true));
    let mut conversation = Conversation::new(endpoint, model);
    if let Some(zone) = zone {
        conversation.set_time_zone(jiff::tz::TimeZone::get(zone).unwrap());
    }
    let Understood::Intent { found, .. } = conversation.understand("remind me tomorrow") else {
        panic!("not understood as an intent");
    };
    assert_eq!(found.intent, "RemindIntent");
    found
        .slots
        .into_iter()
        .find(|(name, _)| name == "day")
        .map(|(_, value)| value)
        .expect("the day slot is filled")
}

#[test]
fn relative_dates_count_from_the_devices_local_date() {
    // UTC+14 and UTC-12 are 26 hours apart: their dates always differ, whatever the time now.
    let kiritimati = tomorrow_on_a_device_in(Some("Etc/GMT-14"));
    let baker_island = tomorrow_on_a_device_in(Some("Etc/GMT+12"));
    assert_ne!(kiritimati, baker_island);
    let expected = |zone: jiff::tz::TimeZone| {
        let today = jiff::Timestamp::now().to_zoned_datetime(zone).date();
        today.tomorrow().unwrap().to_string()
    };
    assert_eq!(
        kiritimati,
        expected(jiff::tz::TimeZone::fixed(jiff::tz::offset(14)))
    );
    assert_eq!(
        baker_island,
        expected(jiff::tz::TimeZone::fixed(jiff::tz::offset(-12)))
    );
    // Without a zone, the date in UTC.
    assert_eq!(
        tomorrow_on_a_device_in(None),
        expected(jiff::tz::TimeZone::UTC)
    );
}
