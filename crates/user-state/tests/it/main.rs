//! `user_state::DynamoDb` against moto's DynamoDB (the venv's `moto_server`) over loopback: the
//! table is made and read back with boto3, a client we did not write, so the item layout and the
//! signing are judged by the other side.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use user_state::{DynamoDb, DynamoDbSettings, Item, Store, StoreError};

const TABLE: &str = "skill-state";
const USER: &str = "amzn1.ask.account.AEXAMPLEUSER";

/// A `moto_server` on a free loopback port with one table, killed on drop.
struct Moto {
    child: Child,
    endpoint_url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    async fn start() -> Moto {
        let port = free_port();
        let child = Command::new(devstack::venv::require("moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let moto = Moto {
            child,
            endpoint_url: format!("http://127.0.0.1:{port}"),
        };
        // moto takes a second or two to import its services; wait for it to answer.
        for _ in 0..300 {
            if reqwest::get(format!("{}/moto-api/", moto.endpoint_url))
                .await
                .is_ok()
            {
                moto.boto3(&format!(
                    "dynamodb.create_table(TableName='{TABLE}', BillingMode='PAY_PER_REQUEST', \
                     KeySchema=[{{'AttributeName': 'id', 'KeyType': 'HASH'}}], \
                     AttributeDefinitions=[{{'AttributeName': 'id', 'AttributeType': 'S'}}])"
                ));
                return moto;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("moto_server did not answer on {}", moto.endpoint_url);
    }

    /// Runs `statement` with `dynamodb`, a boto3 client of this moto, and returns what it prints.
    fn boto3(&self, statement: &str) -> String {
        let program = format!(
            "import boto3, json\n\
             dynamodb = boto3.client('dynamodb', endpoint_url='{}', region_name='us-east-1', \
             aws_access_key_id='test', aws_secret_access_key='test')\n\
             {statement}\n",
            self.endpoint_url
        );
        let output = Command::new(devstack::venv::require("python"))
            .args(["-c", &program])
            .output()
            .expect("python runs");
        assert!(
            output.status.success(),
            "boto3 failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn store(&self, table: &str) -> DynamoDb {
        store_at(&self.endpoint_url, table)
    }
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
    let moto = Moto::start().await;
    let store = moto.store(TABLE);

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
    let stored = moto.boto3(&format!(
        "print(json.dumps(dynamodb.get_item(TableName='{TABLE}', Key={{'id': {{'S': '{USER}'}}}})['Item'], sort_keys=True))"
    ));
    assert_eq!(
        stored.trim(),
        r#"{"attributes": {"S": "{\"notes\":2}"}, "googleSub": {"S": "108234567890123456789"}, "id": {"S": "amzn1.ask.account.AEXAMPLEUSER"}, "version": {"N": "2"}}"#
    );

    store.delete(USER).await.unwrap();
    assert_eq!(store.load(USER).await.unwrap(), None);
    // Deleting what is not there is fine (a SkillDisabled for a user who never stored anything).
    store.delete(USER).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_classified() {
    let moto = Moto::start().await;

    let too_large = item(1, &"x".repeat(400 * 1024));
    let error = moto
        .store(TABLE)
        .save(USER, &too_large, None)
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::TooLarge { bytes } if bytes > 400 * 1024),
        "{error:?}"
    );
    assert_eq!(moto.store(TABLE).load(USER).await.unwrap(), None);

    let error = moto.store("no-such-table").load(USER).await.unwrap_err();
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
