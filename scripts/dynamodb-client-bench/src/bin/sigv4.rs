//! One GetItem through the toolkit's own client (`user_state::DynamoDb`: aws-sigv4 + reqwest),
//! then exit.

use user_state::{DynamoDb, DynamoDbSettings, Store};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let settings = DynamoDbSettings::from_env()
        .expect("settings")
        .expect("SKILL_STATE_TABLE is set");
    let store = DynamoDb::new(settings);
    let item = store.load("amzn1.ask.account.BENCH").await.expect("GetItem");
    println!("{}", item.is_some());
}
