//! The users' state table in `infra/template.yaml`, read as CloudFormation reads it: the data
//! outlives the stack, and the function may touch one user's item at a time and nothing else
//! (docs/user-state.md, "Deploy").

use serde_json::{Value, json};

use provision::s3::{SecretAccessKey, StaticCredentials};
use provision::stack::AwsTarget;

use crate::stack::template_json;

#[test]
fn the_state_table_keeps_its_data_and_the_role_reaches_only_its_items() {
    let template = template_json();
    let resources = &template["Resources"];
    let table = &resources["StateTable"];
    assert_eq!(table["Type"], "AWS::DynamoDB::Table");
    assert_eq!(table["DeletionPolicy"], "Retain");
    assert_eq!(table["UpdateReplacePolicy"], "Retain");
    let properties = &table["Properties"];
    assert_eq!(properties["BillingMode"], "PAY_PER_REQUEST");
    assert_eq!(properties["DeletionProtectionEnabled"], true);
    assert_eq!(
        properties["PointInTimeRecoverySpecification"],
        json!({"PointInTimeRecoveryEnabled": true})
    );
    assert_eq!(properties["SSESpecification"], json!({"SSEEnabled": true}));
    // ASK SDK's layout: the Alexa user ID is the partition key `id`.
    assert_eq!(
        properties["KeySchema"],
        json!([{"AttributeName": "id", "KeyType": "HASH"}])
    );
    assert_eq!(
        resources["SkillFunction"]["Properties"]["Environment"]["Variables"]["SKILL_STATE_TABLE"],
        json!({"Ref": "StateTable"})
    );

    // Every statement of the role, across its policies.
    let statements: Vec<&Value> = resources["SkillExecutionRole"]["Properties"]["Policies"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|policy| policy["PolicyDocument"]["Statement"].as_array().unwrap())
        .collect();
    let dynamodb: Vec<&&Value> = statements
        .iter()
        .filter(|statement| statement["Action"].to_string().contains("dynamodb:"))
        .collect();
    assert_eq!(dynamodb.len(), 1, "{dynamodb:#?}");
    assert_eq!(dynamodb[0]["Effect"], "Allow");
    assert_eq!(
        dynamodb[0]["Action"],
        json!([
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem"
        ])
    );
    assert_eq!(
        dynamodb[0]["Resource"],
        json!({"Fn::GetAtt": ["StateTable", "Arn"]}),
        "the table itself, not its indexes or streams, and never `*`"
    );
    for statement in &statements {
        let text = statement.to_string();
        assert!(
            !text.contains(r#""*""#) && !text.contains(":*\""),
            "no wildcard action or resource: {statement:#}"
        );
    }
}

/// The deployed stack made the table the function was told about, keyed by `id` (read with
/// boto3 from moto, which CloudFormation created it in).
pub(crate) fn assert_table_exists(endpoint_url: &str, table: &str) {
    let output = std::process::Command::new(devstack::venv::require("python"))
        .args([
            "-c",
            "import boto3, json, sys\n\
             dynamodb = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='us-east-1', \
             aws_access_key_id='test', aws_secret_access_key='test')\n\
             print(json.dumps(dynamodb.describe_table(TableName=sys.argv[2])['Table']['KeySchema']))",
            endpoint_url,
            table,
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "no table {table}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let key_schema: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        key_schema,
        json!([{"AttributeName": "id", "KeyType": "HASH"}])
    );
}

/// After the stack is gone: the table is still there (Retain), `--delete-data`'s call deletes it
/// through its deletion protection, and a second call finds nothing.
pub(crate) async fn destroy_keeps_the_table_until_asked(endpoint_url: &str, table: &str) {
    assert_table_exists(endpoint_url, table);
    let target = AwsTarget {
        region: "us-east-1".to_owned(),
        endpoint_url: Some(endpoint_url.to_owned()),
        profile: None,
        credentials: Some(StaticCredentials::new(
            "testing",
            SecretAccessKey::new("testing".to_owned()),
        )),
    };
    let dynamodb = provision::state_table::client(&target, "us-east-1").await;
    assert!(
        provision::state_table::delete(&dynamodb, table)
            .await
            .unwrap()
    );
    assert!(
        !provision::state_table::delete(&dynamodb, table)
            .await
            .unwrap()
    );
}
