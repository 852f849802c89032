//! The kit's requests are what Amazon's own model accepts, and its changes reach every place
//! Alexa puts the part they change.

use devstack::ask_model::{EnvelopeKind, check_all};
use serde_json::{Value, json};

use super::{LINKED_TOKEN, TestRequest};

#[test]
fn every_kind_of_request_is_what_amazons_model_accepts() {
    let requests = [
        TestRequest::launch().linked(LINKED_TOKEN),
        TestRequest::intent("AddItemsIntent")
            .slot("list", "groceries")
            .slot_with_id("store", "corner shop", "CORNER")
            .slot_values("items", &["milk", "eggs"])
            .empty_slot("note")
            .slot_confirmation("list", "CONFIRMED")
            .confirmation("DENIED")
            .dialog_state("COMPLETED")
            .session_attribute("step", "asked")
            .locale("de-DE"),
        TestRequest::can_fulfill_intent("AddItemsIntent").slot("items", "milk"),
        TestRequest::session_ended("USER_INITIATED"),
        TestRequest::account_linked().linked(LINKED_TOKEN),
        // ask-sdk-model has no `body` on SkillDisabled (Amazon sends one; the router reads it),
        // so its model would report the body as unknown.
        TestRequest::skill_disabled(None),
        TestRequest::skill_event("AlexaSkillEvent.SkillEnabled", None),
    ];
    let envelopes: Vec<(EnvelopeKind, &Value)> = requests
        .iter()
        .map(|request| (EnvelopeKind::Request, request.json()))
        .collect();
    let problems = check_all(&envelopes).unwrap_or_else(|error| panic!("{error:#}"));
    for (request, problems) in requests.iter().zip(problems) {
        assert!(problems.is_empty(), "{problems:?}\n{:#}", request.json());
    }
}

#[test]
fn linking_and_unlinking_reach_every_place_of_the_token() {
    let linked = TestRequest::account_linked().linked("ya29.new");
    let json = linked.json();
    assert_eq!(json["context"]["System"]["user"]["accessToken"], "ya29.new");
    assert_eq!(json["request"]["body"]["accessToken"], "ya29.new");
    // Skill events have no session, and no method makes one up.
    assert!(json.get("session").is_none());

    let unlinked = linked.unlinked();
    assert_eq!(unlinked.json()["request"]["body"], json!({}));
    assert_eq!(
        unlinked.json()["context"]["System"]["user"],
        json!({"userId": super::USER_ID})
    );

    let intent = TestRequest::intent("HelpIntent")
        .linked("ya29.a")
        .user_id("amzn1.ask.account.B");
    for user in ["/context/System/user", "/session/user"] {
        assert_eq!(
            intent.json().pointer(user),
            Some(&json!({"userId": "amzn1.ask.account.B", "accessToken": "ya29.a"})),
            "{user}"
        );
    }
    let unlinked = intent.unlinked();
    assert!(!unlinked.json().to_string().contains("ya29.a"));
}

#[test]
fn a_part_the_request_does_not_have_is_a_mistake_of_the_test() {
    let launch_slot = std::panic::catch_unwind(|| TestRequest::launch().slot("items", "milk"));
    let message = launch_slot.expect_err("a launch has no intent");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert_eq!(message, "a LaunchRequest has no intent");

    let event_attribute = std::panic::catch_unwind(|| {
        TestRequest::account_linked().session_attribute("step", "asked")
    });
    let message = event_attribute.expect_err("a skill event has no session");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        message,
        "a AlexaSkillEvent.SkillAccountLinked has no session"
    );
}
