//! Every class of Google fault the twin can inject, through the real binary on the Lambda Runtime
//! API: each ends in a defined spoken answer and none in a Lambda error. One twin and one function
//! serve the cases one after another (each fault is cleared before the next).

use std::time::Duration;

use devstack::google::{Config, DEFAULT_CLIENT_ID, Emulator, Fault, FaultMatch, SeedFile};
use devstack::lambda::LambdaFunction;
use jiff::SignedDuration;
use linked_skill::testing::{TestRequest, TestResponse};
use serde_json::Value;

use crate::support::{lambda_function, request};

const ADA: &str = "ada@example.com";
const APOLOGY: &str = "Sorry, I couldn't reach Google just now. Please try again in a moment.";

/// The real binary behind the Runtime API, calling `google`, logging at debug level.
async fn function_for(google: &Emulator) -> LambdaFunction {
    lambda_function(&google.base_url(), &[("RUST_LOG", "debug")]).await
}

/// `name`'s request with a token of Ada's for every scope the skill uses.
fn linked_request(google: &Emulator, name: &str) -> Value {
    let token = google.mint_access_token(
        ADA,
        DEFAULT_CLIENT_ID,
        &[
            "openid",
            "email",
            "profile",
            "https://www.googleapis.com/auth/drive.metadata.readonly",
            "https://www.googleapis.com/auth/drive.file",
            "https://www.googleapis.com/auth/calendar.readonly",
        ],
    );
    TestRequest::from_json(request(name))
        .linked(&token)
        .into_json()
}

/// Invokes and fails the test on a Lambda error: every fault must end in an answer.
async fn answer(function: &LambdaFunction, event: Value, case: &str) -> TestResponse {
    function
        .invoke(event)
        .await
        .map(TestResponse::new)
        .unwrap_or_else(|error| panic!("{case}: a Lambda error instead of an answer: {error}"))
}

/// How many spreadsheets titled "Alexa Notes" Ada has (a retried create would make two).
fn notes_spreadsheets(google: &Emulator) -> usize {
    google
        .spreadsheet_titles(ADA)
        .iter()
        .filter(|title| *title == "Alexa Notes")
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_google_fault_ends_in_a_spoken_answer() {
    let google = Emulator::start(Config::default())
        .await
        .expect("the Google twin starts");
    let function = function_for(&google).await;

    // Faults that leave nothing to do but apologize and keep the session open.
    let apologies = [
        (
            "stall after headers",
            Fault::StallAfterHeaders(Duration::from_secs(60)),
        ),
        ("reset mid-body", Fault::ResetMidBody),
        ("oversized body", Fault::OversizedBody(10 * 1024 * 1024)),
        ("403 dailyLimitExceeded", Fault::DailyLimitExceeded),
        ("403 quotaExceeded", Fault::QuotaExceeded),
        ("403 forbidden", Fault::Forbidden),
        ("400", Fault::BadRequest),
        ("404", Fault::NotFound),
        ("redirect to another host", Fault::RedirectToOtherHost),
    ];
    for (case, fault) in apologies {
        google.inject_fault("/drive/", fault, None);
        let response = answer(&function, linked_request(&google, "list-files"), case).await;
        assert_eq!(response.speech(), APOLOGY, "{case}: {response:#}");
        assert_eq!(response.should_end_session(), Some(false), "{case}");
        assert!(!response.has_link_account_card(), "{case}");
        google.clear_faults();
    }
    // The redirect was not followed, so the token never went to the other host.
    assert!(
        google
            .redirected_requests()
            .iter()
            .all(|redirected| !redirected.authorization_present),
        "{:?}",
        google.redirected_requests()
    );

    // A challenge with bytes that are not UTF-8 still names the permission the intent needs.
    google.inject_fault("/drive/", Fault::InvalidUtf8Challenge, None);
    let response = answer(
        &function,
        linked_request(&google, "list-files"),
        "invalid UTF-8",
    )
    .await;
    assert!(response.has_link_account_card(), "{response:#}");
    assert!(
        response.speech().contains("see your Google Drive files"),
        "{response:#}"
    );
    google.clear_faults();

    // A note whose spreadsheet gets created but whose append fails: no retry may create a
    // second spreadsheet, and the user's next try appends to the first one.
    google.inject_fault_matching(
        FaultMatch {
            path_prefix: "/v4/spreadsheets/".to_owned(),
            http_method: Some("POST".to_owned()),
            path_suffix: Some(":append".to_owned()),
        },
        Fault::ServerError500,
        Some(1),
    );
    let response = answer(
        &function,
        linked_request(&google, "add-note"),
        "partial note",
    )
    .await;
    assert_eq!(response.speech(), APOLOGY, "{response:#}");
    assert_eq!(
        notes_spreadsheets(&google),
        1,
        "{:?}",
        google.spreadsheet_titles(ADA)
    );
    let response = answer(&function, linked_request(&google, "add-note"), "note again").await;
    assert_eq!(response.speech(), "I've added your note: buy oat milk.");
    assert_eq!(
        notes_spreadsheets(&google),
        1,
        "{:?}",
        google.spreadsheet_titles(ADA)
    );

    // A pooled connection the twin has closed (as after a Lambda freeze), then one it resets.
    let who = answer(&function, linked_request(&google, "who-am-i"), "warm").await;
    assert!(who.speech().starts_with("You are Ada Lovelace"), "{who:#}");
    google.close_idle_connections();
    let who = answer(
        &function,
        linked_request(&google, "who-am-i"),
        "after close",
    )
    .await;
    assert!(who.speech().starts_with("You are Ada Lovelace"), "{who:#}");
    google.inject_fault("/v1/userinfo", Fault::ResetConnection, Some(1));
    let who = answer(
        &function,
        linked_request(&google, "who-am-i"),
        "after reset",
    )
    .await;
    assert!(who.speech().starts_with("You are Ada Lovelace"), "{who:#}");

    let logs = function.finish();
    assert!(!logs.contains("ya29."), "a token reached the logs:\n{logs}");
    assert!(!logs.contains("Bearer"), "{logs}");
}

#[tokio::test(flavor = "multi_thread")]
async fn five_very_long_file_names_are_cut_to_alexas_limit() {
    let mut config = Config::default();
    let ada = config
        .users
        .iter_mut()
        .find(|user| user.email == ADA)
        .expect("Ada is a default user");
    ada.drive_files = (1..=5)
        .map(|index| SeedFile {
            id: format!("1LongFileName{index:022}"),
            name: format!("File {index} ") + &"with a very long name ".repeat(100),
            mime_type: "application/pdf".to_owned(),
            modified_ago: SignedDuration::from_mins(index),
            trashed: false,
            size: Some(1),
            sheet_rows: Vec::new(),
        })
        .collect();
    let google = Emulator::start(config)
        .await
        .expect("the Google twin starts");
    let function = function_for(&google).await;
    let response = answer(
        &function,
        linked_request(&google, "list-files"),
        "long names",
    )
    .await;
    let said = response.speech();
    assert!(
        said.starts_with("Your 5 most recent files: File 1 with"),
        "{said}"
    );
    assert!(
        said.chars().count() <= 8000,
        "{} characters",
        said.chars().count()
    );
    let last_word = said
        .strip_suffix('…')
        .and_then(|kept| kept.split_whitespace().last())
        .unwrap_or_default();
    assert!(
        ["with", "a", "very", "long", "name"].contains(&last_word),
        "cut after a whole word, then \"…\": {last_word:?}"
    );
    crate::support::check_with_ask_sdk_model(crate::support::EnvelopeKind::Response, &response)
        .unwrap();
    function.finish();
}
