//! Both intents in every account-linking state, in both languages, driven in-process with the
//! toolkit's fake Google.

use linked_skill::testing::{
    FakeGoogle, GoogleState, LINKED_TOKEN, TestRequest, TestResponse, answer,
};
use linked_skill::{Skill, google_api::Method};
use serde_json::json;

use crate::support::{EnvelopeKind, check_with_ask_sdk_model, intent_request};

/// The scopes Google accepts on the Gmail read routes (the discovery document's lists, as the
/// twin has them).
const GMAIL_READ_SCOPES: &[&str] = &[
    "https://mail.google.com/",
    "https://www.googleapis.com/auth/gmail.modify",
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/gmail.metadata",
];

/// A fake Google with one inbox message from Charles Babbage and 2 unread, or an empty inbox.
fn fake_google(state: GoogleState, empty_inbox: bool) -> FakeGoogle {
    let (list, unread) = if empty_inbox {
        (
            json!({"resultSizeEstimate": 0}),
            json!({"id": "INBOX", "name": "INBOX", "type": "system"}),
        )
    } else {
        (
            json!({"messages": [{"id": "19a3f0c2b4d6e801", "threadId": "19a3f0c2b4d6e801"}],
                   "nextPageToken": "1", "resultSizeEstimate": 4}),
            json!({"id": "INBOX", "name": "INBOX", "type": "system", "messagesTotal": 4,
                   "messagesUnread": 2, "threadsTotal": 3, "threadsUnread": 2}),
        )
    };
    FakeGoogle::new(state, LINKED_TOKEN)
        .route(
            Method::GET,
            "/gmail/v1/users/me/messages/",
            GMAIL_READ_SCOPES,
            json!({"id": "19a3f0c2b4d6e801", "threadId": "19a3f0c2b4d6e801",
                   "labelIds": ["INBOX", "UNREAD"], "payload": {"mimeType": "text/plain", "headers": [
                       {"name": "From", "value": "Charles Babbage <charles@example.com>"},
                       {"name": "Subject", "value": "Notes on the Analytical Engine"}]}}),
        )
        .route(Method::GET, "/gmail/v1/users/me/messages", GMAIL_READ_SCOPES, list)
        .route(Method::GET, "/gmail/v1/users/me/labels/INBOX", GMAIL_READ_SCOPES, unread)
}

async fn handle(google: &FakeGoogle, request: TestRequest) -> TestResponse {
    let skill: Skill = gmail_skill::skill().google(google.client()).build();
    answer(&skill, request).await
}

/// Every intent × locale × link state: what the user hears, and whether a LinkAccount card comes.
#[tokio::test(start_paused = true)]
async fn every_intent_in_every_link_state() {
    #[rustfmt::skip]
    let cases: &[(&str, &str, Option<GoogleState>, Said, bool)] = &[
        ("LatestEmailIntent", "en-US", None, Said::StartsWith("To do that, I need access"), true),
        ("LatestEmailIntent", "en-US", Some(GoogleState::Linked), Said::Is("Your latest email is from Charles Babbage: Notes on the Analytical Engine."), false),
        ("LatestEmailIntent", "en-US", Some(GoogleState::TokenRejected), Said::StartsWith("Your Google account link has expired or was removed"), true),
        ("LatestEmailIntent", "en-US", Some(GoogleState::MissingScope), Said::Contains("I need permission to read your Gmail."), true),
        ("LatestEmailIntent", "en-US", Some(GoogleState::Down), Said::StartsWith("Sorry, I couldn't reach Google"), false),
        ("LatestEmailIntent", "en-US", Some(GoogleState::Hangs), Said::StartsWith("Sorry, I couldn't reach Google"), false),
        ("UnreadCountIntent", "en-GB", None, Said::StartsWith("To do that, I need access"), true),
        ("UnreadCountIntent", "en-GB", Some(GoogleState::Linked), Said::Is("You have 2 unread emails in your inbox."), false),
        ("UnreadCountIntent", "en-GB", Some(GoogleState::TokenRejected), Said::StartsWith("Your Google account link has expired or was removed"), true),
        ("UnreadCountIntent", "en-GB", Some(GoogleState::MissingScope), Said::Contains("I need permission to read your Gmail."), true),
        ("UnreadCountIntent", "en-GB", Some(GoogleState::Down), Said::StartsWith("Sorry, I couldn't reach Google"), false),
        ("LatestEmailIntent", "de-DE", Some(GoogleState::Linked), Said::Is("Deine neueste E-Mail ist von Charles Babbage: Notes on the Analytical Engine."), false),
        ("LatestEmailIntent", "de-DE", Some(GoogleState::MissingScope), Said::Contains("deine Gmail-Nachrichten zu lesen"), true),
        ("UnreadCountIntent", "de-DE", Some(GoogleState::Linked), Said::Is("Du hast 2 ungelesene E-Mails im Posteingang."), false),
        ("UnreadCountIntent", "de-DE", None, Said::Contains("Google-Konto"), true),
        ("UnreadCountIntent", "de-DE", Some(GoogleState::TokenRejected), Said::Contains("Google-Konto"), true),
        ("UnreadCountIntent", "de-DE", Some(GoogleState::Down), Said::Contains("Google"), false),
    ];
    let mut failures = Vec::new();
    for (intent, locale, state, wanted_speech, wants_card) in cases {
        // An unlinked request must not reach Google: a hanging one would show in the answer.
        let google = fake_google(state.unwrap_or(GoogleState::Hangs), false);
        let token = state.map(|_| LINKED_TOKEN);
        let response = handle(&google, intent_request(intent, locale, token)).await;
        let said = response.speech();
        if !wanted_speech.matches(said) || response.has_link_account_card() != *wants_card {
            failures.push(format!(
                "{intent} {locale} {state:?}: wanted speech {wanted_speech:?} and card {wants_card}:\n{response:#}"
            ));
        }
        if state.is_none() && !google.requests().is_empty() {
            failures.push(format!(
                "{intent} {locale}: an unlinked request reached Google"
            ));
        }
        if let Err(problem) = check_with_ask_sdk_model(EnvelopeKind::Response, &response) {
            failures.push(problem);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// What the user must hear.
#[derive(Debug, Clone, Copy)]
enum Said {
    Is(&'static str),
    StartsWith(&'static str),
    Contains(&'static str),
}

impl Said {
    fn matches(self, text: &str) -> bool {
        match self {
            Said::Is(wanted) => text == wanted,
            Said::StartsWith(wanted) => text.starts_with(wanted),
            Said::Contains(wanted) => text.contains(wanted),
        }
    }
}

#[tokio::test]
async fn an_empty_inbox_and_no_unread_are_said_plainly() {
    let google = fake_google(GoogleState::Linked, true);
    let latest = handle(
        &google,
        intent_request("LatestEmailIntent", "en-US", Some(LINKED_TOKEN)),
    )
    .await;
    assert_eq!(latest.speech(), "Your inbox is empty.");
    let unread = handle(
        &google,
        intent_request("UnreadCountIntent", "de-DE", Some(LINKED_TOKEN)),
    )
    .await;
    assert_eq!(
        unread.speech(),
        "Du hast keine ungelesenen E-Mails im Posteingang."
    );
    // Only the list was asked for: nothing to get when it is empty.
    let paths: Vec<String> = google
        .requests()
        .into_iter()
        .map(|request| request.path_and_query)
        .collect();
    assert_eq!(
        paths,
        [
            "/gmail/v1/users/me/messages?labelIds=INBOX&maxResults=1",
            "/gmail/v1/users/me/labels/INBOX",
        ]
    );
}

#[tokio::test]
async fn the_newest_message_is_read_as_metadata_with_only_from_and_subject() {
    let google = fake_google(GoogleState::Linked, false);
    handle(
        &google,
        intent_request("LatestEmailIntent", "en-US", Some(LINKED_TOKEN)),
    )
    .await;
    let paths: Vec<String> = google
        .requests()
        .into_iter()
        .map(|request| request.path_and_query)
        .collect();
    assert_eq!(
        paths,
        [
            "/gmail/v1/users/me/messages?labelIds=INBOX&maxResults=1",
            "/gmail/v1/users/me/messages/19a3f0c2b4d6e801?format=metadata&metadataHeaders=From&metadataHeaders=Subject",
        ]
    );
}

#[tokio::test]
async fn help_and_fallback_say_what_this_skill_does() {
    let google = fake_google(GoogleState::Hangs, false);
    for (intent, locale, wanted) in [
        ("AMAZON.HelpIntent", "en-US", "latest email"),
        ("AMAZON.FallbackIntent", "en-US", "unread emails"),
        ("AMAZON.HelpIntent", "de-DE", "neuesten E-Mail"),
    ] {
        let response = handle(&google, intent_request(intent, locale, None)).await;
        assert!(
            response.speech().contains(wanted),
            "{intent} {locale}: {response:#}"
        );
        assert!(!response.has_link_account_card(), "{response:#}");
    }
}
