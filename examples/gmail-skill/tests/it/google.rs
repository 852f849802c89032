//! The real `gmail-skill` binary against the Google twin over loopback: linked with Ada's seeded
//! mailbox, an empty mailbox, revoked, a missing scope, and every Gmail fault class.

use std::time::Duration;

use devstack::google::SeedMessage;
use devstack::google::{Config, DEFAULT_CLIENT_ID, Emulator, Fault};
use linked_skill::testing::{SkillBinary, TestResponse};

use crate::support::{EnvelopeKind, check_with_ask_sdk_model, intent_request};

const ADA: &str = "ada@example.com";
const GMAIL_READONLY: &str = "https://www.googleapis.com/auth/gmail.readonly";

/// What the skill asks for when linking: `google.scopes` of the example's config, each checked
/// against the scope table.
fn configured_scopes() -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("skill.example.toml");
    let config: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
    let scopes: Vec<String> = config["google"]["scopes"]
        .as_array()
        .expect("google.scopes is a list")
        .iter()
        .map(|scope| scope.as_str().unwrap().to_owned())
        .collect();
    for scope in &scopes {
        assert!(
            linked_skill::google_api::scopes::lookup(scope).is_some(),
            "{scope} is not in google_api::scopes"
        );
    }
    assert_eq!(scopes, [GMAIL_READONLY]);
    scopes
}

fn token_with(google: &Emulator, scopes: &[&str]) -> String {
    google.mint_access_token(ADA, DEFAULT_CLIENT_ID, scopes)
}

fn linked_token(google: &Emulator) -> String {
    let scopes = configured_scopes();
    let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
    token_with(google, &scopes)
}

/// Runs `gmail-skill invoke -` on `intent` in `locale` with `token`, against `google`.
async fn ask(google: &Emulator, intent: &str, locale: &str, token: &str) -> TestResponse {
    let response = SkillBinary::new(env!("CARGO_BIN_EXE_gmail-skill"))
        .google_api_root(&google.base_url())
        .invoke(intent_request(intent, locale, Some(token)))
        .await;
    check_with_ask_sdk_model(EnvelopeKind::Response, &response).unwrap();
    response
}

async fn emulator() -> Emulator {
    Emulator::start(Config::default())
        .await
        .expect("the Google twin starts")
}

#[tokio::test(flavor = "multi_thread")]
async fn linked_both_intents_read_adas_mailbox() {
    let google = emulator().await;
    let token = linked_token(&google);
    let latest = ask(&google, "LatestEmailIntent", "en-US", &token).await;
    assert_eq!(
        latest.speech(),
        "Your latest email is from Charles Babbage: Notes on the Analytical Engine."
    );
    let unread = ask(&google, "UnreadCountIntent", "en-US", &token).await;
    assert_eq!(unread.speech(), "You have 2 unread emails in your inbox.");
    let german = ask(&google, "UnreadCountIntent", "de-DE", &token).await;
    assert_eq!(
        german.speech(),
        "Du hast 2 ungelesene E-Mails im Posteingang."
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_mailbox_and_a_seeded_one() {
    let google = emulator().await;
    let token = linked_token(&google);
    google.clear_mailbox(ADA);
    let latest = ask(&google, "LatestEmailIntent", "en-US", &token).await;
    assert_eq!(latest.speech(), "Your inbox is empty.");
    let unread = ask(&google, "UnreadCountIntent", "en-US", &token).await;
    assert_eq!(unread.speech(), "You have no unread emails in your inbox.");

    google.seed_messages(
        ADA,
        &[SeedMessage {
            id: "19b0000000000001".to_owned(),
            thread_id: None,
            from: "\"Somerville, Mary\" <mary@example.com>".to_owned(),
            to: ADA.to_owned(),
            subject: "Tickets".to_owned(),
            body: "Two for Thursday.".to_owned(),
            received_ago: jiff::SignedDuration::from_mins(5),
            labels: vec!["INBOX".to_owned(), "UNREAD".to_owned()],
        }],
    );
    let latest = ask(&google, "LatestEmailIntent", "de-DE", &token).await;
    assert_eq!(
        latest.speech(),
        "Deine neueste E-Mail ist von Somerville, Mary: Tickets."
    );
    let unread = ask(&google, "UnreadCountIntent", "en-US", &token).await;
    assert_eq!(unread.speech(), "You have one unread email in your inbox.");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_token_asks_to_link_again() {
    let google = emulator().await;
    let token = linked_token(&google);
    google.revoke_all(ADA);
    let response = ask(&google, "LatestEmailIntent", "en-US", &token).await;
    assert!(
        response
            .speech()
            .starts_with("Your Google account link has expired or was removed"),
        "{response:#}"
    );
    assert!(response.has_link_account_card(), "{response:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_without_gmail_names_the_gmail_permission() {
    let google = emulator().await;
    let token = token_with(&google, &["openid", "email", "profile"]);
    for (intent, locale, permission) in [
        (
            "LatestEmailIntent",
            "en-US",
            "permission to read your Gmail.",
        ),
        (
            "UnreadCountIntent",
            "de-DE",
            "deine Gmail-Nachrichten zu lesen",
        ),
    ] {
        let response = ask(&google, intent, locale, &token).await;
        assert!(response.speech().contains(permission), "{response:#}");
        assert!(response.has_link_account_card(), "{response:#}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn gmail_faults_get_an_apology_and_a_single_outage_is_retried() {
    let google = emulator().await;
    let token = linked_token(&google);
    for fault in [
        Fault::RateLimit403,
        Fault::RateLimit429,
        Fault::ServerError500,
        Fault::Unavailable503,
        Fault::GarbageJson,
        Fault::Delay(Duration::from_secs(120)),
    ] {
        google.inject_fault("/gmail/", fault, None);
        for intent in ["LatestEmailIntent", "UnreadCountIntent"] {
            let response = ask(&google, intent, "en-US", &token).await;
            assert!(
                response
                    .speech()
                    .starts_with("Sorry, I couldn't reach Google"),
                "{fault:?} {intent}: {response:#}"
            );
            assert!(!response.has_link_account_card(), "{response:#}");
        }
        google.clear_faults();
    }
    google.inject_fault("/gmail/", Fault::Unavailable503, Some(1));
    let response = ask(&google, "UnreadCountIntent", "en-US", &token).await;
    assert_eq!(response.speech(), "You have 2 unread emails in your inbox.");

    google.inject_fault("/gmail/", Fault::Unauthorized, None);
    let response = ask(&google, "LatestEmailIntent", "en-US", &token).await;
    assert!(response.has_link_account_card(), "{response:#}");
}
