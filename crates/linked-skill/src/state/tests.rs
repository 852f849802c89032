//! The user's state through the router, with the in-memory store and the socket-less fake
//! Google: lazy load, one write only when changed, conflicts, faults, the account rule and the
//! privacy events.

use google_api::{Method, scopes};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::testing::{FakeGoogle, GoogleState, MemoryStore, StoredItem, TestRequest, answer};
use crate::{Answer, IntentHandler, IntentInput, Skill};

const USER: &str = "amzn1.ask.account.STATE";
const TOKEN_A: &str = "ya29.account-a";
const TOKEN_B: &str = "ya29.account-b";
const SUB_A: &str = "100000000000000000001";
const SUB_B: &str = "100000000000000000002";

#[derive(Debug, Default, Serialize, Deserialize)]
struct Tasks {
    added: u32,
}

/// Counts tasks in the state and says the count.
struct AddTask;

impl IntentHandler for AddTask {
    const NAME: &'static str = "AddTaskIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, crate::HandlerError> {
        let tasks = input
            .state
            .update(|tasks: &mut Tasks| tasks.added += 1)
            .await;
        let kept = if input.state.is_available().await {
            ""
        } else {
            " (not kept)"
        };
        Ok(Answer::tell(format!("Task {}{kept}.", tasks.added)))
    }
}

/// Only reads the count.
struct CountTasks;

impl IntentHandler for CountTasks {
    const NAME: &'static str = "CountTasksIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, crate::HandlerError> {
        let tasks: Tasks = input.state.get().await;
        Ok(Answer::tell(format!("{} tasks.", tasks.added)))
    }
}

/// Reads the state, then calls Google.
struct Greet;

impl IntentHandler for Greet {
    const NAME: &'static str = "GreetIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, crate::HandlerError> {
        let tasks: Tasks = input.state.get().await;
        let user = input.google.userinfo().await?;
        Ok(Answer::tell(format!(
            "Hello {}, {} tasks.",
            user.sub, tasks.added
        )))
    }
}

/// Stores a large text.
struct Hoard;

impl IntentHandler for Hoard {
    const NAME: &'static str = "HoardIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, crate::HandlerError> {
        input
            .state
            .set(&json!({"text": "x".repeat(500 * 1024)}))
            .await;
        Ok(Answer::tell("Kept."))
    }
}

fn google(token: &str, sub: &str) -> FakeGoogle {
    FakeGoogle::new(GoogleState::Linked, token).route(
        Method::GET,
        "/v1/userinfo",
        &["openid"],
        json!({"sub": sub}),
    )
}

fn skill(store: &MemoryStore, google: &FakeGoogle) -> Skill {
    Skill::builder()
        .intent(AddTask)
        .intent(CountTasks)
        .intent(Hoard)
        .intent(Greet)
        .google(google.client())
        .state_store(store.clone())
        .build()
}

/// `name` from [`USER`], linked with `token` or not.
fn intent(name: &str, token: Option<&str>) -> TestRequest {
    let request = TestRequest::intent(name).user_id(USER);
    match token {
        Some(token) => request.linked(token),
        None => request,
    }
}

/// What `skill` says to `request`.
async fn spoken(skill: &Skill, request: TestRequest) -> String {
    answer(skill, request).await.speech().to_owned()
}

fn stored(store: &MemoryStore) -> Option<(u64, Value, Option<String>)> {
    store.item(USER).map(|item| {
        (
            item.version,
            serde_json::from_str(&item.attributes).unwrap(),
            item.google_sub,
        )
    })
}

fn item(version: u64, attributes: Value, sub: Option<&str>, token: Option<&str>) -> StoredItem {
    StoredItem {
        version,
        attributes: attributes.to_string(),
        google_sub: sub.map(str::to_owned),
        token_fingerprint: token.map(user_state::token_fingerprint),
    }
}

#[tokio::test(start_paused = true)]
async fn state_is_written_once_per_change_and_not_on_reads() {
    let store = MemoryStore::new();
    let google = google(TOKEN_A, SUB_A);
    let skill = skill(&store, &google);

    assert_eq!(
        spoken(&skill, intent("AddTaskIntent", Some(TOKEN_A))).await,
        "Task 1."
    );
    assert_eq!(
        spoken(&skill, intent("AddTaskIntent", Some(TOKEN_A))).await,
        "Task 2."
    );
    assert_eq!(
        stored(&store),
        Some((2, json!({"added": 2}), Some(SUB_A.to_owned())))
    );
    assert_eq!(
        spoken(&skill, intent("CountTasksIntent", Some(TOKEN_A))).await,
        "2 tasks."
    );
    assert_eq!(store.writes(), 2, "a read writes nothing");
    // The account was asked for once, for the first write; then the token's fingerprint told.
    let userinfo_calls = google
        .requests()
        .iter()
        .filter(|request| request.path_and_query.starts_with("/v1/userinfo"))
        .count();
    assert_eq!(userinfo_calls, 1);
}

#[tokio::test(start_paused = true)]
async fn a_request_that_does_not_use_the_state_does_not_read_it() {
    let store = MemoryStore::new();
    let google = google(TOKEN_A, SUB_A);
    let skill = skill(&store, &google);
    spoken(&skill, intent("AMAZON.HelpIntent", Some(TOKEN_A))).await;
    assert_eq!(store.reads(), 0);
    spoken(&skill, intent("CountTasksIntent", Some(TOKEN_A))).await;
    assert_eq!(store.reads(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_concurrent_write_is_kept_and_this_requests_update_applied_on_top() {
    let store = MemoryStore::new();
    store.insert(USER, item(1, json!({"added": 5}), None, None));
    // Another request of the user stores 10 after this one read 5.
    store.write_concurrently(item(2, json!({"added": 10}), None, None));
    let google = google(TOKEN_A, SUB_A);

    let said = spoken(&skill(&store, &google), intent("AddTaskIntent", None)).await;
    assert_eq!(
        said, "Task 6.",
        "the answer was computed before the conflict"
    );
    assert_eq!(stored(&store), Some((3, json!({"added": 11}), None)));
}

#[tokio::test(start_paused = true)]
async fn endless_conflicts_give_up_without_costing_the_answer() {
    let store = MemoryStore::new();
    for version in 1..=crate::limits::WRITE_ATTEMPTS as u64 {
        store.write_concurrently(item(version, json!({"added": 100}), None, None));
    }
    let google = google(TOKEN_A, SUB_A);
    let said = spoken(&skill(&store, &google), intent("AddTaskIntent", None)).await;
    assert_eq!(said, "Task 1.");
    assert_eq!(store.writes(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_store_that_is_down_still_answers_and_keeps_nothing() {
    let store = MemoryStore::new();
    store.insert(USER, item(1, json!({"added": 5}), None, None));
    store.set_down(true);
    let google = google(TOKEN_A, SUB_A);
    let said = spoken(&skill(&store, &google), intent("AddTaskIntent", None)).await;
    assert_eq!(said, "Task 1 (not kept).");
    store.set_down(false);
    assert_eq!(stored(&store), Some((1, json!({"added": 5}), None)));
}

#[tokio::test(start_paused = true)]
async fn a_store_that_hangs_costs_the_state_not_the_answer() {
    let store = MemoryStore::new();
    store.insert(USER, item(1, json!({"added": 5}), None, None));
    // Longer than the whole answer budget: without the per-call limit the router's deadline
    // would answer with its apology instead of the handler's words.
    store.set_delay(std::time::Duration::from_secs(60));
    let google = google(TOKEN_A, SUB_A);
    let said = spoken(&skill(&store, &google), intent("AddTaskIntent", None)).await;
    assert_eq!(said, "Task 1 (not kept).");
    assert_eq!(stored(&store), Some((1, json!({"added": 5}), None)));
    // The state's wait is cut short, so the answer budget still has room for Google.
    let said = spoken(
        &skill(&store, &google),
        intent("GreetIntent", Some(TOKEN_A)),
    )
    .await;
    assert_eq!(said, format!("Hello {SUB_A}, 0 tasks."));
}

#[tokio::test(start_paused = true)]
async fn state_that_no_longer_fits_the_type_reads_as_default_and_is_replaced_on_change() {
    let store = MemoryStore::new();
    store.insert(USER, item(1, json!({"added": "many"}), None, None));
    let google = google(TOKEN_A, SUB_A);
    let skill = skill(&store, &google);
    assert_eq!(
        spoken(&skill, intent("CountTasksIntent", None)).await,
        "0 tasks."
    );
    assert_eq!(store.writes(), 0, "reading does not replace it");
    assert_eq!(
        spoken(&skill, intent("AddTaskIntent", None)).await,
        "Task 1."
    );
    assert_eq!(stored(&store), Some((2, json!({"added": 1}), None)));
}

#[tokio::test(start_paused = true)]
async fn state_over_the_item_limit_is_not_written_and_the_answer_stands() {
    let store = MemoryStore::new();
    let google = google(TOKEN_A, SUB_A);
    let said = spoken(&skill(&store, &google), intent("HoardIntent", None)).await;
    assert_eq!(said, "Kept.");
    assert_eq!(stored(&store), None);
}

#[tokio::test(start_paused = true)]
async fn state_of_another_google_account_is_not_applied() {
    let store = MemoryStore::new();
    store.insert(
        USER,
        item(4, json!({"added": 7}), Some(SUB_A), Some(TOKEN_A)),
    );
    // The user relinked with account B: the old count is not B's.
    let google_b = google(TOKEN_B, SUB_B);
    let said = spoken(
        &skill(&store, &google_b),
        intent("AddTaskIntent", Some(TOKEN_B)),
    )
    .await;
    assert_eq!(said, "Task 1.");
    assert_eq!(
        stored(&store),
        Some((5, json!({"added": 1}), Some(SUB_B.to_owned())))
    );

    // A fresh token of the same account B: the state applies (one userinfo call tells).
    let fresh_token = "ya29.account-b-refreshed";
    let google_b_later = google(fresh_token, SUB_B);
    let said = spoken(
        &skill(&store, &google_b_later),
        intent("CountTasksIntent", Some(fresh_token)),
    )
    .await;
    assert_eq!(said, "1 tasks.");

    // Unlinked: state bound to an account is neither applied nor touched, even by a change.
    let before = store.item(USER);
    let said = spoken(&skill(&store, &google_b), intent("CountTasksIntent", None)).await;
    assert_eq!(said, "0 tasks.");
    let said = spoken(&skill(&store, &google_b), intent("AddTaskIntent", None)).await;
    assert_eq!(said, "Task 1 (not kept).");
    assert_eq!(store.item(USER), before);
}

#[tokio::test(start_paused = true)]
async fn linking_another_account_deletes_the_old_accounts_state() {
    let store = MemoryStore::new();
    let linked = |token: &str| TestRequest::account_linked().user_id(USER).linked(token);
    store.insert(
        USER,
        item(1, json!({"added": 7}), Some(SUB_A), Some(TOKEN_A)),
    );
    // The same account linked again keeps its state.
    let google_a = google(TOKEN_A, SUB_A);
    spoken(&skill(&store, &google_a), linked(TOKEN_A)).await;
    assert_eq!(stored(&store).map(|(version, ..)| version), Some(1));

    let google_b = google(TOKEN_B, SUB_B);
    spoken(&skill(&store, &google_b), linked(TOKEN_B)).await;
    assert_eq!(stored(&store), None);
}

#[tokio::test(start_paused = true)]
async fn skill_disabled_deletes_the_state_unless_amazon_keeps_the_user() {
    let google = google(TOKEN_A, SUB_A);
    let disabled = |body: Value| {
        TestRequest::skill_event("AlexaSkillEvent.SkillDisabled", Some(body)).user_id(USER)
    };
    for (body, kept) in [
        (
            json!({"userInformationPersistenceStatus": "PERSISTED"}),
            true,
        ),
        (
            json!({"userInformationPersistenceStatus": "NOT_PERSISTED"}),
            false,
        ),
        (json!({}), false),
    ] {
        let store = MemoryStore::new();
        store.insert(USER, item(1, json!({"added": 7}), None, None));
        spoken(&skill(&store, &google), disabled(body.clone())).await;
        assert_eq!(store.item(USER).is_some(), kept, "{body}");
    }

    // A hook that changes the state first does not bring it back after the delete.
    let store = MemoryStore::new();
    store.insert(USER, item(1, json!({"added": 7}), None, None));
    let skill = Skill::builder()
        .google(google.client())
        .state_store(store.clone())
        .on_skill_disabled(CountOnDisable)
        .build();
    let not_persisted = json!({"userInformationPersistenceStatus": "NOT_PERSISTED"});
    spoken(&skill, disabled(not_persisted)).await;
    assert_eq!(store.item(USER), None);
}

/// Changes the state on SkillDisabled.
struct CountOnDisable;

impl crate::SkillEventHook for CountOnDisable {
    async fn handle(&self, event: crate::SkillEvent<'_>) {
        event
            .state
            .update(|tasks: &mut Tasks| tasks.added += 1)
            .await;
    }
}

#[test]
fn debug_shows_no_state_or_account() {
    let item = item(3, json!({"note": "buy milk"}), Some(SUB_A), Some(TOKEN_A));
    let debug = format!("{item:?}");
    assert!(!debug.contains("milk") && !debug.contains(SUB_A), "{debug}");
    assert!(
        !debug.contains(&user_state::token_fingerprint(TOKEN_A)),
        "{debug}"
    );
}
