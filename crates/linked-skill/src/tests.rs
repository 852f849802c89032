//! Unit tests of the router with small handlers and the socket-less fake Google.

use std::sync::{Arc, Mutex};

use google_api::{Method, scopes};
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::testing::{FakeGoogle, GoogleState, TestRequest, answer};
use crate::{Answer, IntentHandler, IntentInput, Skill, SkillEvent, SkillEventHook, Text};

const TOKEN: &str = "ya29.test-toolkit-token";

/// Reads a mail label through an API the toolkit has no typed call for.
struct UnreadCount;

impl IntentHandler for UnreadCount {
    const NAME: &'static str = "UnreadCountIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[&scopes::GMAIL_READONLY];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, crate::HandlerError> {
        let label: Value = input
            .google
            .get_json(
                "gmail.googleapis.com",
                "gmail/v1/users/me/labels/UNREAD",
                &[],
            )
            .await?;
        let mut attributes = serde_json::Map::new();
        attributes.insert("asked".to_owned(), json!(true));
        Ok(Answer::say(format!("{} unread.", label["messagesTotal"]))
            .with_session_attributes(attributes))
    }
}

/// Works unlinked, but calls Google anyway when asked to.
struct Greeting;

impl IntentHandler for Greeting {
    const NAME: &'static str = "GreetingIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[];
    const SLOTS: &'static [&'static str] = &["name"];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, crate::HandlerError> {
        if input.slot("name") == Some("google") {
            input.google.userinfo().await?;
        }
        Ok(Answer::tell(format!(
            "Hello {}.",
            input.slot("name").unwrap_or("you")
        )))
    }
}

fn gmail(state: GoogleState) -> FakeGoogle {
    FakeGoogle::new(state, TOKEN).route(
        Method::GET,
        "/gmail/v1/users/me/labels/",
        &[
            "https://www.googleapis.com/auth/gmail.readonly",
            "https://mail.google.com/",
        ],
        json!({"id": "UNREAD", "messagesTotal": 3}),
    )
}

fn skill(google: &FakeGoogle) -> Skill {
    Skill::builder()
        .intent(UnreadCount)
        .intent(Greeting)
        .google(google.client())
        .text("de", Text::Goodbye, "Bis bald!")
        .build()
}

/// `name` with its slot `name` filled with "google", from a linked user or not.
fn intent_request(name: &str, linked: bool, new_session: bool, locale: &str) -> TestRequest {
    let request = TestRequest::intent(name)
        .slot("name", "google")
        .new_session(new_session)
        .locale(locale);
    if linked {
        request.linked(TOKEN)
    } else {
        request
    }
}

#[tokio::test(start_paused = true)]
async fn an_api_without_a_typed_call_answers_and_says_inside_a_session_keep_listening() {
    let google = gmail(GoogleState::Linked);
    let response = answer(
        &skill(&google),
        intent_request("UnreadCountIntent", true, false, "en-US"),
    )
    .await;
    assert_eq!(response.speech(), "3 unread.");
    assert_eq!(response.should_end_session(), Some(false));
    assert_eq!(response.reprompt(), Some("Anything else?"));
    assert_eq!(response["sessionAttributes"]["asked"], true);

    let one_shot = answer(
        &skill(&google),
        intent_request("UnreadCountIntent", true, true, "en-US"),
    )
    .await;
    assert_eq!(one_shot.should_end_session(), Some(true));
}

#[tokio::test(start_paused = true)]
async fn a_missing_scope_is_named_from_the_scope_table_in_the_users_language() {
    let google = gmail(GoogleState::MissingScope);
    let response = answer(
        &skill(&google),
        intent_request("UnreadCountIntent", true, true, "de-DE"),
    )
    .await;
    assert!(
        response
            .speech()
            .contains("die Erlaubnis, deine Gmail-Nachrichten zu lesen."),
        "{response:#}"
    );
    assert!(response.has_link_account_card());
}

#[tokio::test(start_paused = true)]
async fn a_missing_scope_google_does_not_name_falls_back_to_the_declared_one() {
    let google = FakeGoogle::new(GoogleState::MissingScope, TOKEN).route(
        Method::GET,
        "/gmail/",
        &[],
        json!({}),
    );
    let response = answer(
        &skill(&google),
        intent_request("UnreadCountIntent", true, true, "en-US"),
    )
    .await;
    assert!(
        response.speech().contains("permission to read your Gmail."),
        "{response:#}"
    );
}

#[tokio::test(start_paused = true)]
async fn calling_google_unlinked_from_an_intent_that_needs_no_link_asks_to_link() {
    let google = gmail(GoogleState::Hangs);
    let response = answer(
        &skill(&google),
        intent_request("GreetingIntent", false, true, "en-US"),
    )
    .await;
    assert!(response.has_link_account_card(), "{response:#}");
    assert!(
        response
            .speech()
            .contains("I need access to your Google account")
    );
    assert!(google.requests().is_empty());

    // The intent needs no link, so CanFulfill says yes unlinked, and knows its slot.
    let question = TestRequest::can_fulfill_intent("GreetingIntent").slot("name", "google");
    let response = answer(&skill(&google), question).await;
    assert_eq!(
        response["response"]["canFulfillIntent"]["canFulfill"],
        "YES"
    );
    assert_eq!(
        response["response"]["canFulfillIntent"]["slots"]["name"]["canUnderstand"],
        "YES"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unlinked_user_is_asked_to_link_before_the_handler_runs() {
    let google = gmail(GoogleState::Hangs);
    let response = answer(
        &skill(&google),
        intent_request("UnreadCountIntent", false, true, "en-US"),
    )
    .await;
    assert!(response.has_link_account_card());
    assert!(google.requests().is_empty());
}

#[tokio::test(start_paused = true)]
async fn built_in_texts_can_be_overridden_per_language() {
    let google = gmail(GoogleState::Hangs);
    let stop = |locale| intent_request("AMAZON.StopIntent", false, true, locale);
    assert_eq!(
        answer(&skill(&google), stop("de-DE")).await.speech(),
        "Bis bald!"
    );
    assert_eq!(
        answer(&skill(&google), stop("en-GB")).await.speech(),
        "Goodbye!"
    );
}

#[tokio::test(start_paused = true)]
async fn google_down_or_hanging_gets_the_apology_within_the_deadline() {
    for state in [GoogleState::Down, GoogleState::Hangs] {
        let google = gmail(state);
        let started = Instant::now();
        let response = answer(
            &skill(&google),
            intent_request("UnreadCountIntent", true, true, "en-US"),
        )
        .await;
        assert!(
            response.speech().contains("couldn't reach Google"),
            "{state:?}: {response:#}"
        );
        assert_eq!(response.should_end_session(), Some(false));
        // Paused time: the clock only moves by what the skill waited for.
        assert!(
            started.elapsed() <= crate::limits::ANSWER_WITHIN,
            "{state:?}"
        );
    }
}

/// A user ID seen by a hook, and whether it got a Google client with a token.
type Link = (Option<String>, bool);

/// Remembers which users linked, through the Google client bound to the event's token.
#[derive(Clone, Default)]
struct RecordLinks(Arc<Mutex<Vec<Link>>>);

impl SkillEventHook for RecordLinks {
    async fn handle(&self, event: SkillEvent<'_>) {
        let entry = (event.user_id.map(str::to_owned), event.google.is_linked());
        self.0.lock().unwrap().push(entry);
    }
}

#[tokio::test]
async fn the_account_linked_hook_gets_a_client_bound_to_the_new_token() {
    let links = RecordLinks::default();
    let skill = Skill::builder().on_account_linked(links.clone()).build();
    let event = TestRequest::account_linked()
        .user_id("amzn1.ask.account.NEW")
        .linked(TOKEN);
    let response = answer(&skill, event).await;
    assert_eq!(*response, json!({"version": "1.0", "response": {}}));
    assert_eq!(
        *links.0.lock().unwrap(),
        [(Some("amzn1.ask.account.NEW".to_owned()), true)]
    );
}

#[test]
fn registering_an_intent_twice_is_refused() {
    let twice = std::panic::catch_unwind(|| Skill::builder().intent(Greeting).intent(Greeting));
    let message = twice.expect_err("two handlers for one intent");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(
        message.contains("two handlers for the intent GreetingIntent"),
        "{message}"
    );
}

#[tokio::test(start_paused = true)]
async fn every_link_state_answer_is_in_the_locales_language() {
    let unlinked = gmail(GoogleState::Hangs);
    let response = answer(
        &skill(&unlinked),
        intent_request("UnreadCountIntent", false, true, "fr-CA"),
    )
    .await;
    assert!(
        response.speech().contains("dans l'application Alexa"),
        "{response:#}"
    );
    let missing = gmail(GoogleState::MissingScope);
    let response = answer(
        &skill(&missing),
        intent_request("UnreadCountIntent", true, true, "ja-JP"),
    )
    .await;
    assert!(
        response
            .speech()
            .starts_with("その操作には、Gmailを読む権限が必要です。"),
        "{response:#}"
    );
    let down = gmail(GoogleState::Down);
    let response = answer(
        &skill(&down),
        intent_request("UnreadCountIntent", true, false, "es-MX"),
    )
    .await;
    assert!(
        response
            .speech()
            .starts_with("Lo siento, no pude conectarme con Google"),
        "{response:#}"
    );
    assert_eq!(response.reprompt(), Some("¿Algo más?"));
}

#[tokio::test(start_paused = true)]
async fn a_language_the_toolkit_does_not_ship_never_hears_another_languages_permission_name() {
    static SV: crate::TextTable = crate::text_table!("sv", {
        "link_needed" => "Länka ditt Google-konto i Alexa-appen.",
        "missing_permission" => "Jag behöver tillstånd att {permission}.",
        "unnamed_permission" => "använda ditt Google-konto för detta",
    });
    let google = gmail(GoogleState::MissingScope);
    let skill = Skill::builder()
        .intent(UnreadCount)
        .texts(&SV)
        .google(google.client())
        .build();
    let response = answer(
        &skill,
        intent_request("UnreadCountIntent", true, true, "sv-SE"),
    )
    .await;
    // The scope table has no Swedish name for Gmail: the skill's own words, not English.
    assert_eq!(
        response.speech(),
        "Jag behöver tillstånd att använda ditt Google-konto för detta."
    );
    let response = answer(
        &skill,
        intent_request("UnreadCountIntent", false, true, "sv-SE"),
    )
    .await;
    assert_eq!(response.speech(), "Länka ditt Google-konto i Alexa-appen.");
}

#[test]
fn a_text_for_a_code_that_is_no_locale_is_refused_at_start_up() {
    let refused = std::panic::catch_unwind(|| Skill::builder().text("english", Text::Help, "x"));
    let message = refused.expect_err("not a locale");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(
        message.contains("\"english\" is not a locale code"),
        "{message}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_locale_that_is_no_locale_is_answered_in_the_default_language() {
    let google = gmail(GoogleState::Hangs);
    let skill = Skill::builder()
        .intent(UnreadCount)
        .default_language(crate::Language::DE)
        .google(google.client())
        .build();
    for locale in ["deutsch", "", "sv-SE"] {
        let response = answer(
            &skill,
            intent_request("AMAZON.StopIntent", false, true, locale),
        )
        .await;
        assert_eq!(response.speech(), "Tschüss!", "{locale:?}");
    }
}
