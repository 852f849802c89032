//! DynamoDB offline: moto's server (the venv's `moto_server`) on a free loopback port with
//! tables in the layout of the skill's state table, and boto3, a client we did not write, to seed
//! and read items.
//!
//! For a run of many conversations (the dialog runner, `cargo xtask dev`) one server holds a
//! table per conversation ([`LocalDynamoDb::create_table`]), read and seeded over DynamoDB's JSON
//! API ([`LocalDynamoDb::get_item`], [`LocalDynamoDb::put_item_in`]) without a Python start per
//! call, and each skill process reaches it through its own [`DynamoDbGate`], which can stop
//! answering to play an outage for that conversation alone.

use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::task::JoinHandle;

use crate::venv;

/// The region moto's tables live in, and the one a skill is told.
pub const REGION: &str = "us-east-1";

/// An `Authorization` header moto reads the service and region from; it checks no signature.
const MOTO_AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/\
                                  aws4_request, SignedHeaders=host, Signature=0";

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
        let local = LocalDynamoDb::start_server(table).await?;
        local.create_table(table).await?;
        Ok(local)
    }

    /// Starts moto with no table; `table` is the one [`LocalDynamoDb::environment`] names.
    pub async fn start_server(table: &str) -> Result<LocalDynamoDb, String> {
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
        environment(&self.table, &self.endpoint_url)
    }

    /// Creates `table` as the stack creates the skill's state table: partition key `id`, a
    /// string, on-demand billing.
    pub async fn create_table(&self, table: &str) -> Result<(), String> {
        self.call(
            "CreateTable",
            &json!({
                "TableName": table,
                "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            }),
        )
        .await
        .map(drop)
    }

    /// The item of `user_id` in `table`, in DynamoDB's JSON, read consistently.
    pub async fn get_item(&self, table: &str, user_id: &str) -> Result<Option<Value>, String> {
        let answer = self
            .call(
                "GetItem",
                &json!({"TableName": table, "Key": {"id": {"S": user_id}}, "ConsistentRead": true}),
            )
            .await?;
        Ok(answer.get("Item").cloned())
    }

    /// Puts `item` (DynamoDB's JSON, `id` included) in `table`.
    pub async fn put_item_in(&self, table: &str, item: &Value) -> Result<(), String> {
        self.call("PutItem", &json!({"TableName": table, "Item": item}))
            .await
            .map(drop)
    }

    /// Deletes the item of `user_id` from `table` (nothing happens when there is none).
    pub async fn delete_item(&self, table: &str, user_id: &str) -> Result<(), String> {
        self.call(
            "DeleteItem",
            &json!({"TableName": table, "Key": {"id": {"S": user_id}}}),
        )
        .await
        .map(drop)
    }

    /// One call of DynamoDB's JSON API on moto; the error carries moto's answer.
    async fn call(&self, operation: &str, body: &Value) -> Result<Value, String> {
        let response = reqwest::Client::new()
            .post(&self.endpoint_url)
            .header("X-Amz-Target", format!("DynamoDB_20120810.{operation}"))
            .header(header::CONTENT_TYPE, "application/x-amz-json-1.0")
            .header(header::AUTHORIZATION, MOTO_AUTHORIZATION)
            .body(body.to_string())
            .send()
            .await
            .map_err(|error| format!("moto does not answer {operation}: {error}"))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|error| format!("moto's {operation} answer breaks off: {error}"))?;
        if !status.is_success() {
            return Err(format!("moto refused {operation} ({status}): {text}"));
        }
        serde_json::from_str(&text)
            .map_err(|error| format!("moto's {operation} answer is not JSON ({error}): {text}"))
    }

    /// A gate of its own in front of this server, for one skill process.
    pub async fn gate(&self) -> std::io::Result<DynamoDbGate> {
        DynamoDbGate::start(&self.endpoint_url).await
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

/// The variables a skill binary needs to use `table` at `endpoint_url` (fake credentials; moto
/// checks none).
pub fn environment(table: &str, endpoint_url: &str) -> [(&'static str, String); 5] {
    [
        ("SKILL_STATE_TABLE", table.to_owned()),
        ("AWS_REGION", REGION.to_owned()),
        ("AWS_ACCESS_KEY_ID", "test".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
        ("AWS_ENDPOINT_URL_DYNAMODB", endpoint_url.to_owned()),
    ]
}

/// A loopback HTTP endpoint that passes every call on to moto, until [`DynamoDbGate::set_down`]
/// makes it stop answering: calls then hang, as when DynamoDB is unreachable, and the skill's own
/// time limit is what ends them. Dropped, it stops.
#[derive(Debug)]
pub struct DynamoDbGate {
    address: SocketAddr,
    shared: Arc<GateState>,
    server: JoinHandle<()>,
}

#[derive(Debug)]
struct GateState {
    upstream: String,
    client: reqwest::Client,
    down: AtomicBool,
    /// Calls that arrived, passed on or not.
    calls: AtomicUsize,
}

impl DynamoDbGate {
    /// Starts on a free loopback port in front of `upstream` (`http://127.0.0.1:PORT`).
    pub async fn start(upstream: &str) -> std::io::Result<DynamoDbGate> {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let address = listener.local_addr()?;
        let shared = Arc::new(GateState {
            upstream: upstream.to_owned(),
            client: reqwest::Client::new(),
            down: AtomicBool::new(false),
            calls: AtomicUsize::new(0),
        });
        let router = axum::Router::new()
            .fallback(pass_on)
            .with_state(Arc::clone(&shared));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(DynamoDbGate {
            address,
            shared,
            server,
        })
    }

    /// `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL_DYNAMODB`.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Down: calls hang unanswered. Up: they reach moto again.
    pub fn set_down(&self, down: bool) {
        self.shared.down.store(down, Ordering::SeqCst);
    }

    pub fn is_down(&self) -> bool {
        self.shared.down.load(Ordering::SeqCst)
    }

    /// How many calls arrived so far.
    pub fn calls(&self) -> usize {
        self.shared.calls.load(Ordering::SeqCst)
    }
}

impl Drop for DynamoDbGate {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn pass_on(State(gate): State<Arc<GateState>>, headers: HeaderMap, body: Bytes) -> Response {
    gate.calls.fetch_add(1, Ordering::SeqCst);
    if gate.down.load(Ordering::SeqCst) {
        // The caller gives up and drops the connection, which drops this future.
        std::future::pending::<()>().await;
    }
    let mut request = gate.client.post(&gate.upstream).body(body);
    for (name, value) in &headers {
        if *name != header::HOST && *name != header::CONTENT_LENGTH {
            request = request.header(name, value);
        }
    }
    match request.send().await {
        Ok(response) => {
            let status = response.status();
            let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
            let bytes = response.bytes().await.unwrap_or_default();
            let mut answer = (status, bytes).into_response();
            if let Some(content_type) = content_type {
                answer
                    .headers_mut()
                    .insert(header::CONTENT_TYPE, content_type);
            }
            answer
        }
        Err(error) => (StatusCode::BAD_GATEWAY, format!("moto: {error}")).into_response(),
    }
}
