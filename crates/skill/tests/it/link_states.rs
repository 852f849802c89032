//! The handler in every account-linking state, driven in-process with a fake Google.
//!
//! Each case is a request file × a link state; the whole response is compared with a snapshot in
//! `tests/data/responses/`, and the LinkAccount card is asserted separately because it is the
//! behaviour that matters most.

use std::{future::Future, sync::Mutex};

use alexa_model::SkillId;
use google_api::{AccessToken, Deadline, DriveFile, Error, Event, EventTime, Events, UserInfo};
use jiff::Timestamp;
use serde_json::Value;
use skill::{Google, Skill};
use tokio::time::Instant;

use crate::support::{
    LINKED_TOKEN, check_snapshot, check_with_ask_sdk_model, has_link_account_card, request,
    unlinked,
};

/// How the fake Google behaves for a case.
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
    /// Google keeps failing (rate limits or 5xx past every retry).
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
}

struct FakeGoogle {
    state: State,
    notes: Mutex<Vec<Vec<String>>>,
}

impl FakeGoogle {
    fn new(state: State) -> FakeGoogle {
        FakeGoogle {
            state,
            notes: Mutex::new(Vec::new()),
        }
    }

    /// Either the answer, or what Google does in this state.
    async fn respond<T>(
        &self,
        token: &AccessToken,
        answer: impl FnOnce() -> T,
    ) -> Result<T, Error> {
        assert_eq!(
            token.secret(),
            LINKED_TOKEN,
            "the skill must pass on the request's token"
        );
        match self.state {
            State::Linked => Ok(answer()),
            State::TokenRejected => Err(Error::Relink),
            State::MissingScope => Err(Error::MissingScope {
                scopes: vec!["https://www.googleapis.com/auth/drive".to_owned()],
            }),
            State::GoogleDown => Err(Error::Unavailable {
                detail: "HTTP 503".to_owned(),
            }),
            State::GoogleHangs => std::future::pending().await,
            State::NotLinked => panic!("an unlinked request must not reach Google"),
        }
    }
}

impl Google for FakeGoogle {
    fn user_info(
        &self,
        token: &AccessToken,
        _deadline: Deadline,
    ) -> impl Future<Output = Result<UserInfo, Error>> + Send {
        self.respond(token, || UserInfo {
            sub: "1001".to_owned(),
            name: Some("Ada Lovelace".to_owned()),
            given_name: Some("Ada".to_owned()),
            family_name: Some("Lovelace".to_owned()),
            email: Some("ada@example.com".to_owned()),
            email_verified: Some(true),
        })
    }

    fn recent_files(
        &self,
        token: &AccessToken,
        limit: u32,
        _deadline: Deadline,
    ) -> impl Future<Output = Result<Vec<DriveFile>, Error>> + Send {
        assert_eq!(limit, 5, "the skill reads out five files");
        self.respond(token, || {
            [
                "Budget 2027",
                "Trip to Lisbon",
                "Notes on the Analytical Engine",
            ]
            .into_iter()
            .enumerate()
            .map(|(index, name)| DriveFile {
                id: format!("file-{index}"),
                name: name.to_owned(),
                mime_type: "application/vnd.google-apps.document".to_owned(),
                modified_time: None,
            })
            .collect()
        })
    }

    fn upcoming_events(
        &self,
        token: &AccessToken,
        _now: Timestamp,
        limit: u32,
        _deadline: Deadline,
    ) -> impl Future<Output = Result<Events, Error>> + Send {
        assert_eq!(limit, 1, "the skill reads out the next event");
        self.respond(token, || Events {
            time_zone: Some("Europe/London".to_owned()),
            items: vec![Event {
                id: "event-1".to_owned(),
                summary: Some("Board meeting".to_owned()),
                location: None,
                // Far enough ahead to never be "today" or "tomorrow" when the tests run.
                start: EventTime::DateTime {
                    date_time: "2099-01-15T09:30:00+01:00[Europe/Berlin]".parse().unwrap(),
                },
                end: None,
            }],
        })
    }

    fn add_note(
        &self,
        token: &AccessToken,
        row: Vec<String>,
        _deadline: Deadline,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        self.respond(token, move || self.notes.lock().unwrap().push(row))
    }
}

/// Handles `request` with a fake Google in `state`, as Lambda would.
async fn handle(skill: &Skill<FakeGoogle>, request: Value) -> Value {
    skill
        .handle_json(request, Instant::now())
        .await
        .expect("an Alexa request gets an answer")
}

fn request_in(name: &str, state: State) -> Value {
    let request = request(name);
    if state == State::NotLinked {
        unlinked(request)
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
            let skill = Skill::with_google(None, FakeGoogle::new(state));
            let response = handle(&skill, request_in(name, state)).await;
            // Launch greets without a name when only the name lookup fails; every Google intent
            // needs the link to work.
            let wants_card = match state {
                State::NotLinked | State::TokenRejected => true,
                State::MissingScope => !name.starts_with("launch"),
                State::Linked | State::GoogleDown | State::GoogleHangs => false,
            };
            if has_link_account_card(&response) != wants_card {
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
            let skill = Skill::with_google(None, FakeGoogle::new(State::GoogleHangs));
            let response = handle(&skill, request_in(name, state)).await;
            if has_link_account_card(&response) {
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

#[tokio::test]
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
            if let Err(problem) = check_with_ask_sdk_model("request", &request) {
                failures.push(format!("request {name}: {problem}"));
            }
            let skill = Skill::with_google(None, FakeGoogle::new(state));
            let response = handle(&skill, request).await;
            if let Err(problem) = check_with_ask_sdk_model("response", &response) {
                failures.push(format!("response {name} {}: {problem}", state.name()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[tokio::test]
async fn a_note_is_written_with_the_time_it_was_said() {
    let skill = Skill::with_google(None, FakeGoogle::new(State::Linked));
    handle(&skill, request("add-note")).await;
    let google = skill_google(&skill);
    let notes = google.notes.lock().unwrap();
    assert_eq!(
        *notes,
        vec![vec![
            "2026-11-24T18:00:00Z".to_owned(),
            "buy oat milk".to_owned()
        ]]
    );
}

#[tokio::test]
async fn an_empty_note_is_asked_for_and_nothing_is_written() {
    let skill = Skill::with_google(None, FakeGoogle::new(State::Linked));
    let response = handle(&skill, request("add-note-empty")).await;
    let directive = &response["response"]["directives"][0];
    assert_eq!(directive["type"], "Dialog.ElicitSlot");
    assert_eq!(directive["slotToElicit"], "note");
    assert_eq!(directive["updatedIntent"]["name"], "AddNoteIntent");
    assert_eq!(response["response"]["shouldEndSession"], false);
    assert!(skill_google(&skill).notes.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_request_for_another_skill_is_refused_not_answered() {
    let ours = SkillId::parse("amzn1.ask.skill.11111111-2222-3333-4444-555555555555").unwrap();
    let skill = Skill::with_google(Some(ours), FakeGoogle::new(State::Linked));
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
    let skill = Skill::with_google(Some(ours), FakeGoogle::new(State::Linked));
    let response = handle(&skill, request("help")).await;
    assert_eq!(response["response"]["shouldEndSession"], false);
}

#[tokio::test]
async fn a_payload_that_is_not_an_alexa_request_is_an_error() {
    let skill = Skill::with_google(None, FakeGoogle::new(State::Linked));
    let error = skill
        .handle_json(serde_json::json!({"hello": "world"}), Instant::now())
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
    let skill = Skill::with_google(None, FakeGoogle::new(State::GoogleHangs));
    for (state, expected) in [(State::Linked, "YES"), (State::NotLinked, "MAYBE")] {
        let response = handle(&skill, request_in("can-fulfill-add-note", state)).await;
        let answer = &response["response"]["canFulfillIntent"];
        assert_eq!(answer["canFulfill"], expected, "{response:#}");
        assert_eq!(
            answer["slots"]["note"]["canUnderstand"], "YES",
            "{response:#}"
        );
        check_with_ask_sdk_model("response", &response).unwrap();
    }
    let mut pizza = request("can-fulfill-add-note");
    pizza["request"]["intent"]["name"] = "OrderPizzaIntent".into();
    let response = handle(&skill, pizza).await;
    assert_eq!(response["response"]["canFulfillIntent"]["canFulfill"], "NO");
    assert_eq!(
        response["response"]["canFulfillIntent"]["slots"]["note"]["canUnderstand"],
        "NO"
    );
}

fn skill_google(skill: &Skill<FakeGoogle>) -> &FakeGoogle {
    skill.google()
}
