//! Handlers failing with errors of their own: answered with speech (the skill's hook or the
//! toolkit's apology), Google's errors still with their link-state answers, and the error's
//! message never spoken or logged.

use std::io::Write;
use std::num::ParseIntError;
use std::sync::{Arc, Mutex};

use crate::testing::{TestRequest, TestResponse, answer};
use crate::{Answer, HandlerError, IntentHandler, IntentInput, Skill};
use google_api::scopes;

const SECRET_IN_MESSAGE: &str = "ya29.leaked-in-an-error-message";

/// Parses a number the user said: `?` on a parser.
struct Parse;

impl IntentHandler for Parse {
    const NAME: &'static str = "ParseIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, HandlerError> {
        let count: u32 = input.slot("count").unwrap_or_default().parse()?;
        Ok(Answer::say(format!("{count}.")))
    }
}

/// A store error whose message carries a token, and which wraps Google's errors.
#[derive(Debug, thiserror::Error)]
enum StoreError {
    #[error("the store refused token {0}")]
    Refused(String),
    #[error("the store could not reach Google")]
    Google(#[source] google_api::Error),
}

struct Store;

impl IntentHandler for Store {
    const NAME: &'static str = "StoreIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, HandlerError> {
        match input.slot("count") {
            Some("google") => Err(StoreError::Google(google_api::Error::Relink))?,
            _ => Err(StoreError::Refused(SECRET_IN_MESSAGE.to_owned()))?,
        }
    }
}

fn request(intent: &str, count: &str) -> TestRequest {
    TestRequest::intent(intent).slot("count", count)
}

/// Collects everything the toolkit logs while `run` runs on this thread.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn answer_logged(skill: &Skill, request: TestRequest) -> (TestResponse, String) {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // A handler error is answered, never a Lambda error (which `answer` would panic on).
    let response = answer(skill, request).await;
    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    (response, logged)
}

#[tokio::test]
async fn an_error_of_its_own_is_answered_with_an_apology_and_logged_by_type_only() {
    let skill = Skill::builder().intent(Parse).intent(Store).build();
    let (response, logs) = answer_logged(&skill, request("ParseIntent", "seven")).await;
    assert_eq!(
        response.speech(),
        "Sorry, something went wrong with that. Please try again."
    );
    assert_eq!(response.should_end_session(), Some(false));
    assert!(logs.contains("ParseIntError"), "{logs}");

    let (response, logs) = answer_logged(&skill, request("StoreIntent", "x")).await;
    for text in [response.speech(), logs.as_str(), &response.to_string()] {
        assert!(!text.contains(SECRET_IN_MESSAGE), "{text}");
    }
    assert!(logs.contains("StoreError"), "{logs}");
}

#[tokio::test]
async fn the_skills_hook_chooses_the_answer() {
    let skill = Skill::builder()
        .intent(Parse)
        .on_handler_error(|error, texts| {
            if error.find::<ParseIntError>().is_some() {
                Answer::ask("I didn't catch that number. How many?", "How many?")
            } else {
                Answer::say(texts.text(crate::Text::SomethingWentWrong))
            }
        })
        .build();
    let (response, _) = answer_logged(&skill, request("ParseIntent", "seven")).await;
    assert_eq!(response.speech(), "I didn't catch that number. How many?");
    let (response, _) = answer_logged(&skill, request("ParseIntent", "7")).await;
    assert_eq!(response.speech(), "7.");
}

#[tokio::test]
async fn a_google_error_inside_the_handlers_own_error_keeps_its_link_state_answer() {
    let skill = Skill::builder()
        .intent(Store)
        .on_handler_error(|_, _| Answer::tell("the hook must not answer Google's errors"))
        .build();
    let (response, _) = answer_logged(&skill, request("StoreIntent", "google")).await;
    assert!(response.has_link_account_card());
    assert!(response.speech().contains("link"), "{response:#}");
}

#[test]
fn debug_shows_the_type_and_never_the_message() {
    let error = HandlerError::from(StoreError::Refused(SECRET_IN_MESSAGE.to_owned()));
    let printed = format!("{error:?}");
    assert!(!printed.contains(SECRET_IN_MESSAGE), "{printed}");
    assert!(printed.contains("StoreError"), "{printed}");
    assert!(error.google().is_none());
    assert!(error.find::<StoreError>().is_some());
}
