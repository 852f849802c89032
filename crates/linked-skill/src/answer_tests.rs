//! Every kind of answer as Alexa receives it, judged by Amazon's ask-sdk-model, and what any kind
//! carries (session attributes, a card, directives) kept with every kind.

use alexa_model::{CardImage, Directive, Intent, ResponseBuilder};
use devstack::ask_model::{EnvelopeKind, check};
use google_api::scopes;
use serde_json::{Map, Value, json};

use crate::testing::{TestRequest, TestResponse, answer};
use crate::{Answer, IntentHandler, IntentInput, LaunchHandler, LaunchInput, Skill};

/// Answers with whatever its function chooses from the handler's input.
struct Dialog(fn(&IntentInput<'_>) -> Answer);

impl IntentHandler for Dialog {
    const NAME: &'static str = "AddItemsIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, crate::HandlerError> {
        Ok((self.0)(&input))
    }
}

struct ChainToAddItems;

impl LaunchHandler for ChainToAddItems {
    const SCOPES: &'static [&'static scopes::Scope] = &[];

    async fn answer(&self, _: LaunchInput<'_>) -> Result<Answer, crate::HandlerError> {
        Ok(Answer::delegate().with_updated_intent(Intent::new("AddItemsIntent")))
    }
}

fn attributes() -> Map<String, Value> {
    let mut attributes = Map::new();
    attributes.insert("step".to_owned(), json!("confirming"));
    attributes
}

fn request(dialog_state: &str, intent_confirmation: &str) -> TestRequest {
    TestRequest::intent("AddItemsIntent")
        .session_attribute("step", "asked")
        .dialog_state(dialog_state)
        .confirmation(intent_confirmation)
        .slot_values("items", &["milk", "eggs"])
}

async fn respond(pick: fn(&IntentInput<'_>) -> Answer, request: TestRequest) -> TestResponse {
    let skill = Skill::builder().intent(Dialog(pick)).build();
    let response = answer(&skill, request).await;
    check(EnvelopeKind::Response, &response).unwrap_or_else(|problem| panic!("{problem}"));
    response
}

#[tokio::test]
async fn a_hand_built_response_keeps_the_session_attributes_card_and_directives() {
    // Before the fix, `Answer::response` sent the envelope as it was and dropped all three.
    let response = respond(
        |_| {
            Answer::response(ResponseBuilder::new().speak("Built by hand.").build())
                .with_session_attributes(attributes())
                .with_simple_card("Shopping", "milk, eggs")
                .with_directive(Directive::Other(
                    json!({"type": "Hint", "hint": {"type": "PlainText", "text": "add bread"}}),
                ))
        },
        request("IN_PROGRESS", "NONE"),
    )
    .await;
    assert_eq!(
        response.session_attribute("step"),
        Some(&json!("confirming"))
    );
    assert_eq!(
        response.card(),
        Some(&json!({"type": "Simple", "title": "Shopping", "content": "milk, eggs"}))
    );
    assert!(response.directive("Hint").is_some(), "{response:#}");
}

#[tokio::test]
async fn every_kind_keeps_the_session_attributes() {
    let kinds: [fn(&IntentInput<'_>) -> Answer; 9] = [
        |_| Answer::say("Hi."),
        |_| Answer::tell("Bye."),
        |_| Answer::ask("Which list?", "Which list?"),
        |_| Answer::delegate(),
        |_| Answer::elicit_slot("items", "What should I add?"),
        |_| Answer::confirm_slot("items", "Milk and eggs?"),
        |_| Answer::confirm_intent("Shall I add milk and eggs?"),
        |_| Answer::link_account("Please link."),
        |_| Answer::response(ResponseBuilder::new().speak("Raw.").build()),
    ];
    for kind in kinds {
        let skill = Skill::builder().intent(Dialog(kind)).build();
        let response = answer(&skill, request("STARTED", "NONE")).await;
        // The kind itself adds none: the next step adds them and they must survive.
        assert!(response.get("sessionAttributes").is_none(), "{response:#}");
    }
    for kind in kinds {
        let response = respond_with_attributes(kind).await;
        assert_eq!(
            response["sessionAttributes"],
            json!({"step": "confirming"}),
            "{response:#}"
        );
    }
}

async fn respond_with_attributes(kind: fn(&IntentInput<'_>) -> Answer) -> TestResponse {
    struct WithAttributes(fn(&IntentInput<'_>) -> Answer);
    impl IntentHandler for WithAttributes {
        const NAME: &'static str = "AddItemsIntent";
        const SCOPES: &'static [&'static scopes::Scope] = &[];
        async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, crate::HandlerError> {
            Ok((self.0)(&input).with_session_attributes(attributes()))
        }
    }
    let skill = Skill::builder().intent(WithAttributes(kind)).build();
    let response = answer(&skill, request("STARTED", "NONE")).await;
    check(EnvelopeKind::Response, &response).unwrap_or_else(|problem| panic!("{problem}"));
    response
}

#[tokio::test]
async fn dialog_answers_have_amazons_shapes() {
    let delegate = respond(|_| Answer::delegate(), request("STARTED", "NONE")).await;
    assert_eq!(
        delegate["response"],
        json!({"directives": [{"type": "Dialog.Delegate",
            "updatedIntent": {"name": "AddItemsIntent", "confirmationStatus": "NONE",
                "slots": {"items": {"name": "items", "confirmationStatus": "NONE",
                    "slotValue": {"type": "List", "values": [
                        {"type": "Simple", "value": "milk"}, {"type": "Simple", "value": "eggs"}]}}}}}],
            "shouldEndSession": false}),
        "Alexa forbids speech next to Dialog.Delegate"
    );

    let confirm_slot = respond(
        |_| Answer::confirm_slot("items", "Milk and eggs?"),
        request("IN_PROGRESS", "NONE"),
    )
    .await;
    let directive = confirm_slot
        .directive("Dialog.ConfirmSlot")
        .expect("a ConfirmSlot directive");
    assert_eq!(directive["slotToConfirm"], "items");
    assert_eq!(directive["updatedIntent"]["name"], "AddItemsIntent");
    assert_eq!(confirm_slot.speech(), "Milk and eggs?");
    assert_eq!(confirm_slot.reprompt(), Some("Milk and eggs?"));
    assert_eq!(confirm_slot.should_end_session(), Some(false));

    let confirm_intent = respond(
        |_| {
            let mut changed = Intent::new("AddItemsIntent");
            changed
                .slots
                .insert("items".to_owned(), alexa_model::Slot::new("items"));
            Answer::confirm_intent("Shall I add them?")
                .with_updated_intent(changed)
                .with_standard_card(
                    "Shopping",
                    "milk\neggs",
                    Some(CardImage {
                        small_image_url: Some("https://example.com/s.png".to_owned()),
                        large_image_url: None,
                    }),
                )
        },
        request("IN_PROGRESS", "NONE"),
    )
    .await;
    let directive = &confirm_intent["response"]["directives"][0];
    assert_eq!(directive["type"], "Dialog.ConfirmIntent");
    assert_eq!(
        directive["updatedIntent"],
        json!({"name": "AddItemsIntent", "slots": {"items": {"name": "items"}}})
    );
    assert_eq!(confirm_intent["response"]["card"]["type"], "Standard");
    assert_eq!(
        confirm_intent["response"]["card"]["image"]["smallImageUrl"],
        "https://example.com/s.png"
    );

    let elicit = respond(
        |_| Answer::elicit_slot("items", "What should I add?"),
        request("STARTED", "NONE"),
    )
    .await;
    let directive = elicit
        .directive("Dialog.ElicitSlot")
        .expect("an ElicitSlot directive");
    assert_eq!(directive["slotToElicit"], "items");
}

#[tokio::test]
async fn a_launch_handler_chains_to_an_intent_by_delegating() {
    let skill = Skill::builder()
        .intent(Dialog(|_| Answer::say("unused")))
        .launch(ChainToAddItems)
        .build();
    let response = answer(&skill, TestRequest::launch()).await;
    check(EnvelopeKind::Response, &response).unwrap_or_else(|problem| panic!("{problem}"));
    assert_eq!(
        response["response"]["directives"],
        json!([{"type": "Dialog.Delegate", "updatedIntent": {"name": "AddItemsIntent"}}])
    );
}

#[tokio::test]
async fn a_handler_sees_the_dialog_state_confirmations_and_every_value() {
    let response = respond(
        |input| {
            let seen = format!(
                "{:?} {:?} {:?} {:?} {:?}",
                input.dialog_state(),
                input.confirmation_status(),
                input.slot_confirmation("items"),
                input.slot_values("items"),
                input.slot_ids("items"),
            );
            Answer::say(seen)
        },
        request("COMPLETED", "DENIED"),
    )
    .await;
    assert_eq!(
        response.speech(),
        r#"Some(Completed) Denied None ["milk", "eggs"] []"#
    );
}

#[tokio::test]
async fn a_handler_sees_a_confirmed_slot_and_its_resolved_id() {
    let response = respond(
        |input| {
            let seen = format!(
                "{:?} {:?} {:?}",
                input.slot("list"),
                input.slot_ids("list"),
                input.slot_confirmation("list"),
            );
            Answer::say(seen)
        },
        TestRequest::intent("AddItemsIntent")
            .slot_with_id("list", "groceries", "SHOPPING")
            .slot_confirmation("list", "CONFIRMED"),
    )
    .await;
    assert_eq!(
        response.speech(),
        r#"Some("groceries") ["SHOPPING"] Confirmed"#
    );
}
