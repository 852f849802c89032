//! The handler in every account-linking state, driven in-process with a fake Google.
//!
//! Each case is a request file × a link state; the whole response is compared with a snapshot in
//! `tests/data/responses/`, and the LinkAccount card is asserted separately because it is the
//! behavior that matters most.

use alexa_model::SkillId;
use linked_skill::testing::{
    FakeGoogle, GoogleState, LINKED_TOKEN, TestRequest, TestResponse, answer,
};
use linked_skill::{Skill, alexa_model, google_api::Method};
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::support::{EnvelopeKind, check_snapshot, check_with_ask_sdk_model, request};

/// How Google behaves for a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// The user has not linked: no token in the request.
    NotLinked,
    /// Linked, and Google answers.
    Linked,
    /// Linked, but Google rejects the token (expired and not refreshed, or revoked).
    TokenRejected,
    /// Linked without the permission the intent needs.
    MissingScope,
    /// Google keeps failing (5xx past every retry).
    GoogleDown,
    /// Google never answers.
    GoogleHangs,
}

impl State {
    fn name(self) -> &'static str {
        match self {
            State::NotLinked => "not-linked",
            State::Linked => "linked",
            State::TokenRejected => "token-rejected",
            State::MissingScope => "missing-scope",
            State::GoogleDown => "google-down",
            State::GoogleHangs => "google-hangs",
        }
    }

    fn google(self) -> GoogleState {
        match self {
            State::Linked => GoogleState::Linked,
            State::TokenRejected => GoogleState::TokenRejected,
            State::MissingScope => GoogleState::MissingScope,
            State::GoogleDown => GoogleState::Down,
            // An unlinked request must not reach Google: a hanging one would show in the answer.
            State::GoogleHangs | State::NotLinked => GoogleState::Hangs,
        }
    }
}

/// The scopes Google accepts on each route, as its discovery documents list them (the twin in
/// `devstack::google::routes` has the same lists).
const USERINFO_SCOPES: &[&str] = &["openid", "email", "profile"];
const DRIVE_LIST_SCOPES: &[&str] = &[
    "https://www.googleapis.com/auth/drive",
    "https://www.googleapis.com/auth/drive.file",
    "https://www.googleapis.com/auth/drive.metadata.readonly",
    "https://www.googleapis.com/auth/drive.readonly",
];
const CALENDAR_LIST_SCOPES: &[&str] = &[
    "https://www.googleapis.com/auth/calendar",
    "https://www.googleapis.com/auth/calendar.events.readonly",
    "https://www.googleapis.com/auth/calendar.readonly",
];
const SHEETS_WRITE_SCOPES: &[&str] = &[
    "https://www.googleapis.com/auth/drive",
    "https://www.googleapis.com/auth/drive.file",
    "https://www.googleapis.com/auth/spreadsheets",
];

/// A fake Google with the sample's data: Ada's profile, three Drive files, one event far ahead,
/// and a notes spreadsheet to append to.
fn fake_google(state: State) -> FakeGoogle {
    FakeGoogle::new(state.google(), LINKED_TOKEN)
        .route(
            Method::GET,
            "/v1/userinfo",
            USERINFO_SCOPES,
            json!({"sub": "1001", "name": "Ada Lovelace", "given_name": "Ada",
                   "family_name": "Lovelace", "email": "ada@example.com", "email_verified": true}),
        )
        .route(
            Method::GET,
            "/drive/v3/files",
            DRIVE_LIST_SCOPES,
            json!({"files": [
                {"id": "file-0", "name": "Budget 2027", "mimeType": "application/vnd.google-apps.document"},
                {"id": "file-1", "name": "Trip to Lisbon", "mimeType": "application/vnd.google-apps.document"},
                {"id": "file-2", "name": "Notes on the Analytical Engine", "mimeType": "application/vnd.google-apps.document"}
            ]}),
        )
        .route(
            Method::GET,
            "/calendar/v3/calendars/primary/events",
            CALENDAR_LIST_SCOPES,
            // Far enough ahead to never be "today" or "tomorrow" when the tests run.
            json!({"timeZone": "Europe/London", "items": [{"id": "event-1", "summary": "Board meeting",
                   "start": {"dateTime": "2099-01-15T09:30:00+01:00", "timeZone": "Europe/Berlin"}}]}),
        )
        .route(
            Method::POST,
            "/v4/spreadsheets/",
            SHEETS_WRITE_SCOPES,
            json!({"updates": {"updatedRange": "Sheet1!A1:B1"}}),
        )
}

/// The sample skill with `google` behind it.
fn skill_with(google: &FakeGoogle) -> Skill {
    skill::skill().google(google.client()).build()
}

/// Handles `request` as Lambda would.
async fn handle(skill: &Skill, request: impl Into<Value>) -> TestResponse {
    answer(skill, request).await
}

fn request_in(name: &str, state: State) -> Value {
    let request = request(name);
    if state == State::NotLinked {
        TestRequest::from_json(request).unlinked().into_json()
    } else {
        request
    }
}

/// Requests that need Google, and so get a LinkAccount card when the link is missing or broken.
const NEEDS_GOOGLE: &[&str] = &[
    "launch",
    "launch-de",
    "who-am-i",
    "who-am-i-one-shot",
    "who-am-i-de",
    "list-files",
    "next-event",
    "next-event-de",
    "add-note",
];

/// Requests that never need Google: the same answer whatever the link state.
const WITHOUT_GOOGLE: &[&str] = &[
    "help",
    "stop",
    "cancel-de",
    "navigate-home",
    "fallback",
    "unknown-intent",
    "session-ended",
    "account-linked",
    "audio-player-started",
];

#[tokio::test(start_paused = true)]
async fn every_request_in_every_link_state() {
    let states = [
        State::NotLinked,
        State::Linked,
        State::TokenRejected,
        State::MissingScope,
        State::GoogleDown,
        State::GoogleHangs,
    ];
    let mut failures = Vec::new();
    for &name in NEEDS_GOOGLE {
        for state in states {
            let google = fake_google(state);
            let response = handle(&skill_with(&google), request_in(name, state)).await;
            // Launch greets without a name when only the name lookup fails; every Google intent
            // needs the link to work.
            let wants_card = match state {
                State::NotLinked | State::TokenRejected => true,
                State::MissingScope => !name.starts_with("launch"),
                State::Linked | State::GoogleDown | State::GoogleHangs => false,
            };
            if response.has_link_account_card() != wants_card {
                failures.push(format!(
                    "{name} {}: LinkAccount card expected {wants_card}:\n{response:#}",
                    state.name()
                ));
            }
            if let Err(mismatch) = check_snapshot(&format!("{name}.{}", state.name()), &response) {
                failures.push(mismatch);
            }
        }
    }
    for &name in WITHOUT_GOOGLE {
        for state in [State::NotLinked, State::Linked] {
            let google = fake_google(State::GoogleHangs);
            let response = handle(&skill_with(&google), request_in(name, state)).await;
            if response.has_link_account_card() {
                failures.push(format!(
                    "{name}: no LinkAccount card expected:\n{response:#}"
                ));
            }
            if let Err(mismatch) = check_snapshot(name, &response) {
                failures.push(mismatch);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing cases:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[tokio::test(start_paused = true)]
async fn responses_are_what_amazons_model_accepts() {
    let mut failures = Vec::new();
    for &name in NEEDS_GOOGLE.iter().chain(WITHOUT_GOOGLE) {
        for state in [
            State::NotLinked,
            State::Linked,
            State::TokenRejected,
            State::GoogleDown,
        ] {
            let request = request_in(name, state);
            if let Err(problem) = check_with_ask_sdk_model(EnvelopeKind::Request, &request) {
                failures.push(format!("request {name}: {problem}"));
            }
            let google = fake_google(state);
            let response = handle(&skill_with(&google), request).await;
            if let Err(problem) = check_with_ask_sdk_model(EnvelopeKind::Response, &response) {
                failures.push(format!("response {name} {}: {problem}", state.name()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The bodies of the rows the skill appended.
fn appended_rows(google: &FakeGoogle) -> Vec<Value> {
    google
        .requests()
        .into_iter()
        .filter(|request| request.path_and_query.contains(":append"))
        .map(|request| request.json_body.expect("an append has a body")["values"].clone())
        .collect()
}

#[tokio::test]
async fn a_note_is_written_with_the_time_it_was_said() {
    let google = fake_google(State::Linked);
    handle(&skill_with(&google), request("add-note")).await;
    assert_eq!(
        appended_rows(&google),
        [json!([["2026-11-24T18:00:00Z", "buy oat milk"]])]
    );
    // Found the existing spreadsheet (the fake lists one), so none was created.
    let created = google
        .requests()
        .iter()
        .filter(|request| request.path_and_query == "/v4/spreadsheets")
        .count();
    assert_eq!(created, 0);
}

#[tokio::test]
async fn an_empty_note_is_asked_for_and_nothing_is_written() {
    let google = fake_google(State::Linked);
    let response = handle(&skill_with(&google), request("add-note-empty")).await;
    let directive = response
        .directive("Dialog.ElicitSlot")
        .expect("an ElicitSlot directive");
    assert_eq!(directive["slotToElicit"], "note");
    assert_eq!(directive["updatedIntent"]["name"], "AddNoteIntent");
    assert_eq!(response.should_end_session(), Some(false));
    assert!(google.requests().is_empty());
}

#[tokio::test]
async fn a_request_for_another_skill_is_refused_not_answered() {
    let ours = SkillId::parse("amzn1.ask.skill.11111111-2222-3333-4444-555555555555").unwrap();
    let google = fake_google(State::Linked);
    let skill = skill::skill()
        .google(google.client())
        .skill_id(ours)
        .build();
    let error = skill
        .handle_json(request("help"), Instant::now())
        .await
        .expect_err("the request files are for another skill");
    let message = error.to_string();
    assert!(message.contains("another skill"), "{message}");
    assert!(!message.contains(LINKED_TOKEN), "{message}");
}

#[tokio::test]
async fn a_request_for_this_skill_is_answered() {
    let ours = SkillId::parse("amzn1.ask.skill.7c9a5ab3-4c5f-4f2a-9c1e-0123456789ab").unwrap();
    let google = fake_google(State::Linked);
    let skill = skill::skill()
        .google(google.client())
        .skill_id(ours)
        .build();
    let response = handle(&skill, request("help")).await;
    assert_eq!(response.should_end_session(), Some(false));
}

#[tokio::test]
async fn a_payload_that_is_not_an_alexa_request_is_an_error() {
    let skill = skill_with(&fake_google(State::Linked));
    let error = skill
        .handle_json(json!({"hello": "world"}), Instant::now())
        .await
        .expect_err("not an Alexa request");
    assert!(
        error
            .to_string()
            .starts_with("the event is not an Alexa request"),
        "{error}"
    );
}

#[tokio::test]
async fn can_fulfill_says_yes_when_linked_and_maybe_when_not() {
    let skill = skill_with(&fake_google(State::GoogleHangs));
    for (state, expected) in [(State::Linked, "YES"), (State::NotLinked, "MAYBE")] {
        let response = handle(&skill, request_in("can-fulfill-add-note", state)).await;
        let answer = &response["response"]["canFulfillIntent"];
        assert_eq!(answer["canFulfill"], expected, "{response:#}");
        assert_eq!(
            answer["slots"]["note"]["canUnderstand"], "YES",
            "{response:#}"
        );
        check_with_ask_sdk_model(EnvelopeKind::Response, &response).unwrap();
    }
    let pizza = TestRequest::can_fulfill_intent("OrderPizzaIntent")
        .slot("note", "buy oat milk")
        .linked(LINKED_TOKEN);
    let response = handle(&skill, pizza).await;
    assert_eq!(response["response"]["canFulfillIntent"]["canFulfill"], "NO");
    assert_eq!(
        response["response"]["canFulfillIntent"]["slots"]["note"]["canUnderstand"],
        "NO"
    );
}

#[tokio::test]
async fn can_fulfill_follows_the_registered_handlers() {
    let skill = skill_with(&fake_google(State::GoogleHangs));
    for intent in skill.registered_intents() {
        let question = TestRequest::can_fulfill_intent(intent).linked(LINKED_TOKEN);
        let response = handle(&skill, question).await;
        assert_eq!(
            response["response"]["canFulfillIntent"]["canFulfill"], "YES",
            "{intent}: {response:#}"
        );
    }
    assert_eq!(skill.registered_intents().count(), 5);
}
