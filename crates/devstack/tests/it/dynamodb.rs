//! moto's DynamoDB as the dialog runner uses it: a table per conversation over DynamoDB's JSON
//! API, read back by boto3, and a gate per skill that can stop answering.

use std::time::Duration;

use devstack::dynamodb::LocalDynamoDb;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tables_per_conversation_and_a_gate_that_goes_down() {
    let dynamodb = LocalDynamoDb::start_server("unused")
        .await
        .unwrap_or_else(|message| panic!("{message}"));
    dynamodb.create_table("state-1").await.unwrap();
    dynamodb.create_table("state-2").await.unwrap();
    let item = json!({"id": {"S": "amzn1.ask.account.A"}, "version": {"N": "1"},
        "attributes": {"S": "{\"n\":1}"}});
    dynamodb.put_item_in("state-1", &item).await.unwrap();
    assert_eq!(
        dynamodb
            .get_item("state-1", "amzn1.ask.account.A")
            .await
            .unwrap(),
        Some(item.clone())
    );
    assert_eq!(
        dynamodb
            .get_item("state-2", "amzn1.ask.account.A")
            .await
            .unwrap(),
        None,
        "tables are separate"
    );
    // boto3, a client we did not write, reads what the JSON API wrote.
    let printed = dynamodb
        .boto3(
            "print(dynamodb.get_item(TableName='state-1', \
             Key={'id': {'S': 'amzn1.ask.account.A'}})['Item']['version']['N'])",
        )
        .unwrap();
    assert_eq!(printed.trim(), "1");
    let missing = dynamodb.create_table("state-1").await.unwrap_err();
    assert!(missing.contains("ResourceInUseException"), "{missing}");

    let gate = dynamodb.gate().await.unwrap();
    let get = || {
        reqwest::Client::new()
            .post(gate.endpoint_url())
            .header("X-Amz-Target", "DynamoDB_20120810.GetItem")
            .header("Content-Type", "application/x-amz-json-1.0")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, \
                 SignedHeaders=host, Signature=0",
            )
            .timeout(Duration::from_millis(500))
            .body(r#"{"TableName":"state-1","Key":{"id":{"S":"amzn1.ask.account.A"}}}"#)
            .send()
    };
    let through = get().await.unwrap();
    assert_eq!(through.status().as_u16(), 200);
    assert_eq!(
        through.json::<serde_json::Value>().await.unwrap()["Item"],
        item
    );
    gate.set_down(true);
    let error = get().await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    gate.set_down(false);
    assert_eq!(get().await.unwrap().status().as_u16(), 200);
    assert_eq!(gate.calls(), 3);

    dynamodb
        .delete_item("state-1", "amzn1.ask.account.A")
        .await
        .unwrap();
    assert_eq!(
        dynamodb
            .get_item("state-1", "amzn1.ask.account.A")
            .await
            .unwrap(),
        None
    );
}
