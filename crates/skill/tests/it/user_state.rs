//! The real `skill` binary with its state in moto's DynamoDB: `skill invoke` of SkillDisabled
//! deletes the user's item unless Amazon keeps the user (`PERSISTED`), a DynamoDB that is down
//! still gets an answer, and an incomplete store setting is refused with the variable to set.

use std::process::Output;

use devstack::dynamodb::LocalDynamoDb;
use linked_skill::testing::{SkillBinary, TestRequest, answer};
use serde_json::{Value, json};

const USER: &str = "amzn1.ask.account.DISABLEDUSER";

/// `skill invoke -` on `request` with `environment` (and none of the developer's AWS settings).
fn invoke(environment: &[(&str, String)], request: TestRequest) -> Output {
    let mut binary = SkillBinary::new(env!("CARGO_BIN_EXE_skill"))
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_PROFILE");
    for (name, value) in environment {
        binary = binary.env(name, value);
    }
    binary.output(request.json().to_string().as_bytes())
}

/// SkillDisabled for [`USER`], with `userInformationPersistenceStatus` `status` or no body.
fn skill_disabled(status: Option<&str>) -> TestRequest {
    TestRequest::skill_disabled(status).user_id(USER)
}

fn stored_item() -> Value {
    json!({
        "id": {"S": USER},
        "attributes": {"S": r#"{"notesSpreadsheet":"1AbC"}"#},
        "version": {"N": "3"},
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skill_disabled_deletes_the_item_unless_persisted() {
    let dynamodb = LocalDynamoDb::start("skill-state")
        .await
        .unwrap_or_else(|message| panic!("{message}"));
    let environment = dynamodb.environment();
    for (status, kept) in [
        (Some("PERSISTED"), true),
        (Some("NOT_PERSISTED"), false),
        (None, false),
    ] {
        dynamodb.put_item(&stored_item()).unwrap();
        let output = invoke(&environment, skill_disabled(status));
        let logs = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{status:?}: {logs}");
        let response: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(response["version"], "1.0", "{response}");
        assert_eq!(
            dynamodb.item(USER).unwrap().is_some(),
            kept,
            "{status:?}: {logs}"
        );
        assert!(!logs.contains("1AbC"), "the state reached the logs: {logs}");
    }
}

#[test]
fn a_store_that_is_down_costs_the_delete_not_the_answer() {
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let environment = [
        ("SKILL_STATE_TABLE", "skill-state".to_owned()),
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_ACCESS_KEY_ID", "test".to_owned()),
        (
            "AWS_SECRET_ACCESS_KEY",
            "test-secret-never-logged".to_owned(),
        ),
        (
            "AWS_ENDPOINT_URL_DYNAMODB",
            format!("http://127.0.0.1:{closed_port}"),
        ),
    ];
    let output = invoke(&environment, skill_disabled(Some("NOT_PERSISTED")));
    let logs = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{logs}");
    assert!(logs.contains("could not delete the user's state"), "{logs}");
    assert!(!logs.contains("test-secret-never-logged"), "{logs}");
}

#[test]
fn an_incomplete_store_setting_names_the_variable() {
    let environment = [("SKILL_STATE_TABLE", "skill-state".to_owned())];
    let mut command_environment = environment.to_vec();
    // Whatever the developer's shell has, the region is missing here.
    command_environment.push(("AWS_REGION", String::new()));
    command_environment.push(("AWS_DEFAULT_REGION", String::new()));
    let output = invoke(&command_environment, skill_disabled(None));
    assert!(!output.status.success());
    let logs = String::from_utf8_lossy(&output.stderr);
    assert!(logs.contains("AWS_REGION"), "{logs}");
}

/// Counts in the user's state.
struct Count;

#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Counter {
    count: u32,
}

impl linked_skill::IntentHandler for Count {
    const NAME: &'static str = "CountIntent";
    const SCOPES: &'static [&'static linked_skill::google_api::scopes::Scope] = &[];

    async fn answer(
        &self,
        input: linked_skill::IntentInput<'_>,
    ) -> Result<linked_skill::Answer, linked_skill::HandlerError> {
        let counter = input
            .state
            .update(|counter: &mut Counter| counter.count += 1)
            .await;
        Ok(linked_skill::Answer::tell(counter.count.to_string()))
    }
}

/// Concurrent requests of one user against DynamoDB's conditional writes: every increment
/// counts (the losers of a race read again and apply their update on top).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_of_one_user_are_all_kept() {
    use linked_skill::user_state::{DynamoDb, DynamoDbSettings};

    let dynamodb = LocalDynamoDb::start("skill-state")
        .await
        .unwrap_or_else(|message| panic!("{message}"));
    let environment = dynamodb.environment();
    let settings = DynamoDbSettings::from_lookup(|name| {
        environment
            .iter()
            .find(|(variable, _)| *variable == name)
            .map(|(_, value)| value.clone())
    })
    .unwrap()
    .unwrap();
    let skill = std::sync::Arc::new(
        linked_skill::Skill::builder()
            .intent(Count)
            .state_store(DynamoDb::new(settings))
            .build(),
    );
    let request = TestRequest::intent("CountIntent").user_id(USER);
    let requests = 8;
    let mut tasks = Vec::new();
    for _ in 0..requests {
        let skill = std::sync::Arc::clone(&skill);
        let request = request.clone();
        tasks.push(tokio::spawn(async move { answer(&skill, request).await }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let item = dynamodb.item(USER).unwrap().expect("the count is stored");
    let state: Value = serde_json::from_str(item["attributes"]["S"].as_str().unwrap()).unwrap();
    assert_eq!(state, json!({"count": requests}), "{item}");
}
