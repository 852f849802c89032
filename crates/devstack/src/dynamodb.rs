//! DynamoDB offline: moto's server (the venv's `moto_server`) on a free loopback port with one
//! table in the layout of the skill's state table, and boto3, a client we did not write, to seed
//! and read items.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::venv;

/// A `moto_server` with one table, killed on drop.
#[derive(Debug)]
pub struct LocalDynamoDb {
    child: Child,
    /// `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL_DYNAMODB`.
    pub endpoint_url: String,
    /// The table's name, for `SKILL_STATE_TABLE`.
    pub table: String,
}

impl Drop for LocalDynamoDb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl LocalDynamoDb {
    /// Starts moto and creates `table` (partition key `id`, a string; on-demand billing).
    pub async fn start(table: &str) -> Result<LocalDynamoDb, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|error| format!("no free loopback port: {error}"))?
            .port();
        let child = Command::new(venv::executable("moto_server")?)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| format!("moto_server does not start: {error}"))?;
        let local = LocalDynamoDb {
            child,
            endpoint_url: format!("http://127.0.0.1:{port}"),
            table: table.to_owned(),
        };
        // moto takes a second or two to import its services; wait for it to answer.
        for _ in 0..300 {
            if reqwest::get(format!("{}/moto-api/", local.endpoint_url))
                .await
                .is_ok()
            {
                local.boto3(&format!(
                    "dynamodb.create_table(TableName={table:?}, BillingMode='PAY_PER_REQUEST', \
                     KeySchema=[{{'AttributeName': 'id', 'KeyType': 'HASH'}}], \
                     AttributeDefinitions=[{{'AttributeName': 'id', 'AttributeType': 'S'}}])"
                ))?;
                return Ok(local);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!(
            "moto_server did not answer on {}",
            local.endpoint_url
        ))
    }

    /// The variables a skill binary needs to use this table (fake credentials; moto checks none).
    pub fn environment(&self) -> [(&'static str, String); 5] {
        [
            ("SKILL_STATE_TABLE", self.table.clone()),
            ("AWS_REGION", "us-east-1".to_owned()),
            ("AWS_ACCESS_KEY_ID", "test".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
            ("AWS_ENDPOINT_URL_DYNAMODB", self.endpoint_url.clone()),
        ]
    }

    /// The item whose `id` is `user_id`, in DynamoDB's JSON (`{"id": {"S": …}, …}`).
    pub fn item(&self, user_id: &str) -> Result<Option<Value>, String> {
        let printed = self.boto3(&format!(
            "print(json.dumps(dynamodb.get_item(TableName={:?}, Key={{'id': {{'S': {user_id:?}}}}}, \
             ConsistentRead=True).get('Item')))",
            self.table
        ))?;
        let item: Value = serde_json::from_str(printed.trim())
            .map_err(|error| format!("boto3 printed no JSON: {error}"))?;
        Ok(Some(item).filter(|item| !item.is_null()))
    }

    /// Puts `item` (DynamoDB's JSON) in place.
    pub fn put_item(&self, item: &Value) -> Result<(), String> {
        self.boto3(&format!(
            "dynamodb.put_item(TableName={:?}, Item=json.loads({:?}))",
            self.table,
            item.to_string()
        ))
        .map(drop)
    }

    /// Runs `statement` with `dynamodb`, a boto3 client of this server, and returns what it prints.
    pub fn boto3(&self, statement: &str) -> Result<String, String> {
        let program = format!(
            "import boto3, json\n\
             dynamodb = boto3.client('dynamodb', endpoint_url='{}', region_name='us-east-1', \
             aws_access_key_id='test', aws_secret_access_key='test')\n\
             {statement}\n",
            self.endpoint_url
        );
        let output = Command::new(venv::executable("python")?)
            .args(["-c", &program])
            .output()
            .map_err(|error| format!("python does not run: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "boto3 failed: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        String::from_utf8(output.stdout).map_err(|error| error.to_string())
    }
}
