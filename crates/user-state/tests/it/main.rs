//! `user_state::DynamoDb` against moto's DynamoDB (the venv's `moto_server`) over loopback: the
//! table is made and read back with boto3, a client we did not write, so the item layout and the
//! signing are judged by the other side.

use std::net::TcpListener;

use devstack::dynamodb::LocalDynamoDb;
use user_state::{DynamoDb, DynamoDbSettings, Item, Store, StoreError};

const TABLE: &str = "skill-state";
const USER: &str = "amzn1.ask.account.AEXAMPLEUSER";

async fn moto() -> LocalDynamoDb {
    LocalDynamoDb::start(TABLE)
        .await
        .unwrap_or_else(|message| panic!("{message}"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn store_at(endpoint_url: &str, table: &str) -> DynamoDb {
    let variables = [
        ("SKILL_STATE_TABLE", table),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_ENDPOINT_URL_DYNAMODB", endpoint_url),
    ];
    let settings = DynamoDbSettings::from_lookup(|name| {
        variables
            .iter()
            .find(|(variable, _)| *variable == name)
            .map(|(_, value)| (*value).to_owned())
    })
    .unwrap()
    .expect("a table is configured");
    DynamoDb::new(settings)
}

fn item(version: u64, attributes: &str) -> Item {
    Item {
        version,
        attributes: attributes.to_owned(),
        google_sub: Some("108234567890123456789".to_owned()),
        token_fingerprint: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn items_round_trip_with_version_checks() {
    let moto = moto().await;
    let store = store_at(&moto.endpoint_url, TABLE);

    assert_eq!(store.load(USER).await.unwrap(), None);
    store
        .save(USER, &item(1, r#"{"notes":1}"#), None)
        .await
        .unwrap();
    assert_eq!(
        store.load(USER).await.unwrap(),
        Some(item(1, r#"{"notes":1}"#))
    );

    // A second writer that also read "no item", and one that read version 0: both refused.
    let stale = store.save(USER, &item(1, r#"{"notes":9}"#), None).await;
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
    store
        .save(USER, &item(2, r#"{"notes":2}"#), Some(1))
        .await
        .unwrap();
    let stale = store.save(USER, &item(2, r#"{"notes":9}"#), Some(1)).await;
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");

    // What boto3 reads is the documented layout (docs/user-state.md, "What is stored").
    let stored = moto.item(USER).unwrap().expect("boto3 finds the item");
    assert_eq!(
        stored,
        serde_json::json!({
            "id": {"S": USER},
            "attributes": {"S": r#"{"notes":2}"#},
            "version": {"N": "2"},
            "googleSub": {"S": "108234567890123456789"},
        })
    );

    store.delete(USER).await.unwrap();
    assert_eq!(store.load(USER).await.unwrap(), None);
    // Deleting what is not there is fine (a SkillDisabled for a user who never stored anything).
    store.delete(USER).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_classified() {
    let moto = moto().await;

    let too_large = item(1, &"x".repeat(400 * 1024));
    let error = store_at(&moto.endpoint_url, TABLE)
        .save(USER, &too_large, None)
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::TooLarge { bytes } if bytes > 400 * 1024),
        "{error:?}"
    );
    assert_eq!(
        store_at(&moto.endpoint_url, TABLE)
            .load(USER)
            .await
            .unwrap(),
        None
    );

    let error = store_at(&moto.endpoint_url, "no-such-table")
        .load(USER)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::Refused { kind, .. } if kind == "ResourceNotFoundException"),
        "{error:?}"
    );

    // Nothing listens on this port: DynamoDB is down.
    let error = store_at(&format!("http://127.0.0.1:{}", free_port()), TABLE)
        .load(USER)
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Unavailable { .. }), "{error:?}");
}
