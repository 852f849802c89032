//! The real `skill` binary against the Google twin over loopback, in every state a linked user's
//! Google access can be in: linked, token expired, token revoked, scope missing, rate limited then
//! recovering, Google down, Google hanging.

use std::time::Duration;

use devstack::google::{Config, DEFAULT_CLIENT_ID, Emulator, Fault};
use linked_skill::testing::{SkillBinary, TestRequest, TestResponse};
use serde_json::Value;

use crate::support::{EnvelopeKind, check_with_ask_sdk_model, request};

const ADA: &str = "ada@example.com";

/// What the skill asks for when linking: `google.scopes` of `skill.example.toml`, the
/// provisioning config, each checked against the scope table.
fn all_scopes() -> Vec<String> {
    let path = crate::support::workspace_root().join("skill.example.toml");
    let config: toml::Table = std::fs::read_to_string(&path)
        .unwrap()
        .parse()
        .unwrap_or_else(|error| panic!("{} is not TOML: {error}", path.display()));
    let scopes: Vec<String> = config["google"]["scopes"]
        .as_array()
        .expect("google.scopes is a list")
        .iter()
        .map(|scope| scope.as_str().expect("scopes are strings").to_owned())
        .collect();
    for scope in &scopes {
        assert!(
            linked_skill::google_api::scopes::lookup(scope).is_some(),
            "{scope} is not in google_api::scopes"
        );
    }
    scopes
}

/// A token for Ada with every scope the skill asks for.
pub(crate) fn linked_token(google: &Emulator) -> String {
    let scopes = all_scopes();
    let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
    google.mint_access_token(ADA, DEFAULT_CLIENT_ID, &scopes)
}

/// Runs `skill invoke -` on `request` linked with `token`, against `google`.
async fn invoke(google: &Emulator, request: &Value, token: &str) -> TestResponse {
    SkillBinary::new(env!("CARGO_BIN_EXE_skill"))
        .google_api_root(&google.base_url())
        .invoke(TestRequest::from_json(request.clone()).linked(token))
        .await
}

async fn emulator() -> Emulator {
    Emulator::start(Config::default())
        .await
        .expect("the Google twin starts")
}

#[tokio::test(flavor = "multi_thread")]
async fn linked_every_intent_reads_the_users_own_data() {
    let google = emulator().await;
    let token = linked_token(&google);

    let launch = invoke(&google, &request("launch"), &token).await;
    assert!(launch.speech().starts_with("Hi Ada!"), "{launch:#}");

    let who = invoke(&google, &request("who-am-i"), &token).await;
    assert_eq!(
        who.speech(),
        "You are Ada Lovelace, signed in as ada@example.com."
    );

    let files = invoke(&google, &request("list-files"), &token).await;
    let said = files.speech();
    // Most recent first, trashed files left out.
    assert!(
        said.starts_with("Your 4 most recent files: Sketch of the Analytical Engine"),
        "{said}"
    );
    assert!(
        !said.contains("Old draft") && !said.contains("Punched cards"),
        "{said}"
    );

    let next = invoke(&google, &request("next-event"), &token).await;
    assert!(!next.has_link_account_card(), "{next:#}");
    assert!(!next.speech().contains("couldn't reach Google"), "{next:#}");
    assert!(
        next.speech().contains(" at "),
        "a timed event is spoken with its time: {next:#}"
    );

    for response in [&launch, &who, &files, &next] {
        check_with_ask_sdk_model(EnvelopeKind::Response, response).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_note_creates_the_spreadsheet_once_and_appends_each_time() {
    let google = emulator().await;
    let token = linked_token(&google);
    assert_eq!(google.sheet_rows(ADA, "Alexa Notes"), None);

    let first = invoke(&google, &request("add-note"), &token).await;
    assert_eq!(first.speech(), "I've added your note: buy oat milk.");
    let mut second_request = request("add-note");
    second_request["request"]["intent"]["slots"]["note"]["value"] = "call the plumber".into();
    invoke(&google, &second_request, &token).await;

    let rows = google
        .sheet_rows(ADA, "Alexa Notes")
        .expect("the notes spreadsheet exists");
    assert_eq!(
        rows,
        vec![
            vec!["2026-11-24T18:00:00Z".to_owned(), "buy oat milk".to_owned()],
            vec![
                "2026-11-24T18:00:00Z".to_owned(),
                "call the plumber".to_owned()
            ],
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_token_asks_to_link_again() {
    let google = emulator().await;
    let token = linked_token(&google);
    google.advance_clock(Duration::from_secs(3600));
    for name in ["who-am-i", "list-files", "next-event", "add-note", "launch"] {
        let response = invoke(&google, &request(name), &token).await;
        assert!(response.has_link_account_card(), "{name}: {response:#}");
        assert!(
            response.speech().contains("link your account again"),
            "{name}: {response:#}"
        );
    }
    assert_eq!(google.sheet_rows(ADA, "Alexa Notes"), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_token_asks_to_link_again() {
    let google = emulator().await;
    let token = linked_token(&google);
    google.revoke_all(ADA);
    for name in ["who-am-i", "list-files", "next-event", "add-note"] {
        let response = invoke(&google, &request(name), &token).await;
        assert!(response.has_link_account_card(), "{name}: {response:#}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_scope_names_the_permission() {
    let google = emulator().await;
    let token = google.mint_access_token(ADA, DEFAULT_CLIENT_ID, &["openid", "email", "profile"]);
    let cases = [
        ("list-files", "see your Google Drive files"),
        ("next-event", "see your Google Calendar"),
        ("add-note", "keep its own files in your Google Drive"),
    ];
    for (name, permission) in cases {
        let response = invoke(&google, &request(name), &token).await;
        assert!(response.has_link_account_card(), "{name}: {response:#}");
        assert!(
            response.speech().contains(permission),
            "{name}: {response:#}"
        );
    }
    // What the token does allow still works.
    let who = invoke(&google, &request("who-am-i"), &token).await;
    assert!(!who.has_link_account_card(), "{who:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limits_are_retried_until_google_recovers() {
    let google = emulator().await;
    let token = linked_token(&google);
    google.inject_fault("/drive/", Fault::RateLimit429, Some(2));
    let files = invoke(&google, &request("list-files"), &token).await;
    assert!(
        files.speech().starts_with("Your 4 most recent files"),
        "{files:#}"
    );

    google.inject_fault("/calendar/", Fault::RateLimit403, Some(1));
    let next = invoke(&google, &request("next-event"), &token).await;
    assert!(!next.speech().contains("couldn't reach Google"), "{next:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn google_down_gets_an_apology_that_keeps_the_session_open() {
    let google = emulator().await;
    let token = linked_token(&google);
    for prefix in ["/v1/userinfo", "/drive/", "/calendar/", "/v4/"] {
        google.inject_fault(prefix, Fault::Unavailable503, None);
    }
    for name in ["who-am-i", "list-files", "next-event", "add-note"] {
        let response = invoke(&google, &request(name), &token).await;
        assert_eq!(
            response.speech(),
            "Sorry, I couldn't reach Google just now. Please try again in a moment.",
            "{name}"
        );
        assert_eq!(response.should_end_session(), Some(false), "{name}");
        assert!(!response.has_link_account_card(), "{name}");
    }
    // A linked user whose name cannot be fetched is still welcomed.
    let launch = invoke(&google, &request("launch"), &token).await;
    assert!(launch.speech().starts_with("Hi!"), "{launch:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn google_hanging_gets_an_apology_instead_of_a_timeout() {
    let google = emulator().await;
    let token = linked_token(&google);
    // Far past Alexa's 8 seconds: only the skill's own deadline can produce an answer in time.
    // How long the answer takes is measured by the benchmark, not asserted here.
    for prefix in ["/drive/", "/calendar/"] {
        google.inject_fault(prefix, Fault::Delay(Duration::from_secs(120)), None);
    }
    let (list_files, next_event) = (request("list-files"), request("next-event"));
    let (files, next) = tokio::join!(
        invoke(&google, &list_files, &token),
        invoke(&google, &next_event, &token),
    );
    for response in [files, next] {
        assert!(
            response.speech().contains("couldn't reach Google"),
            "{response:#}"
        );
        assert_eq!(response.should_end_session(), Some(false));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn german_users_hear_german() {
    let google = emulator().await;
    let token = linked_token(&google);
    let who = invoke(&google, &request("who-am-i-de"), &token).await;
    assert_eq!(
        who.speech(),
        "Du bist Ada Lovelace, angemeldet als ada@example.com."
    );
}
