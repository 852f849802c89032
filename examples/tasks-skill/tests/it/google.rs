//! The real `tasks-skill` binary against the Google twin over loopback, the twin playing the
//! Tasks routes declared in `tests/dialogs/dialogs.toml`: linked (list and add), an expired
//! token, a revoked one, a link without the Tasks scope, Google down and a spent quota.

use std::{path::Path, time::Duration};

use devstack::ask_model::{EnvelopeKind, check};
use devstack::google::{ApiDeclaration, Config, DEFAULT_CLIENT_ID, Emulator, Fault};
use linked_skill::testing::{SkillBinary, TestRequest, TestResponse};
use serde::Deserialize;

const ADA: &str = "ada@example.com";
const DEFAULT_LIST: &str = "/tasks/v1/lists/@default/tasks";

#[derive(Deserialize)]
struct DialogsFile {
    api: Vec<ApiDeclaration>,
}

/// The twin with the skill's declared Tasks routes: the same file the dialogs use.
async fn tasks_twin() -> Emulator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/dialogs/dialogs.toml");
    let file: DialogsFile = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let google = Emulator::start(Config::default())
        .await
        .expect("the Google twin starts");
    for api in &file.api {
        google
            .declare_api(api)
            .expect("the Tasks routes are served");
    }
    google
}

fn token(google: &Emulator, scopes: &[&str]) -> String {
    google.mint_access_token(ADA, DEFAULT_CLIENT_ID, scopes)
}

fn linked_token(google: &Emulator) -> String {
    token(google, &[tasks_skill::TASKS_SCOPE.name])
}

/// Runs `tasks-skill invoke -` on `intent` with `slots` and `token`, against `google`.
async fn ask(google: &Emulator, intent: &str, slots: &[(&str, &str)], token: &str) -> TestResponse {
    let mut request = TestRequest::intent(intent).new_session(true).linked(token);
    for (name, value) in slots {
        request = request.slot(name, value);
    }
    let response = SkillBinary::new(env!("CARGO_BIN_EXE_tasks-skill"))
        .google_api_root(&google.base_url())
        .invoke(request)
        .await;
    check(EnvelopeKind::Response, &response).unwrap();
    response
}

#[tokio::test(flavor = "multi_thread")]
async fn linked_ada_hears_her_list_and_adds_to_it() {
    let google = tasks_twin().await;
    let token = linked_token(&google);
    let listed = ask(&google, "ListTasksIntent", &[], &token).await;
    assert_eq!(
        listed.speech(),
        "You have 2 things on your to-do list: Buy milk and Call Charles."
    );
    let added = ask(
        &google,
        "AddTaskIntent",
        &[("task", "water the plants")],
        &token,
    )
    .await;
    assert_eq!(
        added.speech(),
        "Okay, I added water the plants to your to-do list."
    );
    let stored = google.declared_resources(ADA, DEFAULT_LIST);
    assert_eq!(stored.len(), 3);
    assert_eq!(stored[2]["title"], "water the plants");
    assert_eq!(stored[2]["status"], "needsAction");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_or_revoked_token_asks_to_link_again() {
    let google = tasks_twin().await;
    let token = linked_token(&google);
    google.advance_clock(Duration::from_secs(3600));
    let expired = ask(&google, "ListTasksIntent", &[], &token).await;
    assert!(
        expired
            .speech()
            .starts_with("Your Google account link has expired or was removed"),
        "{expired}"
    );
    assert!(expired.has_link_account_card());

    let token = linked_token(&google);
    google.revoke_all(ADA);
    let revoked = ask(&google, "AddTaskIntent", &[("task", "buy bread")], &token).await;
    assert!(
        revoked
            .speech()
            .starts_with("Your Google account link has expired or was removed"),
        "{revoked}"
    );
    assert_eq!(google.declared_resources(ADA, DEFAULT_LIST).len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_without_the_tasks_scope_names_the_declared_permission() {
    let google = tasks_twin().await;
    let token = token(&google, &["openid", "email"]);
    let response = ask(&google, "ListTasksIntent", &[], &token).await;
    assert_eq!(
        response.speech(),
        "To do that, I need permission to see and change your Google Tasks. Please link your \
         Google account again in the Alexa app and allow it; I've sent a card there to help you."
    );
    assert!(response.has_link_account_card());
}

#[tokio::test(flavor = "multi_thread")]
async fn google_down_or_out_of_quota_is_an_apology() {
    let google = tasks_twin().await;
    let token = linked_token(&google);
    for fault in [Fault::Unavailable503, Fault::DailyLimitExceeded] {
        google.clear_faults();
        google.inject_fault("/tasks/", fault, None);
        let response = ask(&google, "ListTasksIntent", &[], &token).await;
        assert!(
            response
                .speech()
                .starts_with("Sorry, I couldn't reach Google"),
            "{fault:?}: {response}"
        );
        assert!(!response.has_link_account_card(), "{fault:?}");
    }
}
