//! DynamoDB through its HTTP API: `GetItem`, conditional `PutItem` and `DeleteItem` as JSON
//! POSTs signed with SigV4 (aws-sigv4), over the reqwest client the skill already links. The
//! AWS SDK would do the same with several times the binary and start-up cost
//! (docs/user-state.md, "Why not the AWS SDK").

use std::sync::OnceLock;
use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use serde_json::{Map, Value, json};

use crate::{BoxFuture, Item, Store, StoreError, check_write};

/// The variable the stack sets to the table's name. Without it a skill keeps no state.
pub const TABLE_VARIABLE: &str = "SKILL_STATE_TABLE";

/// The attribute names of an item. `id` is the partition key, as ASK SDK's
/// `DynamoDbPersistenceAdapter` names it.
pub(crate) const KEY: &str = "id";
pub(crate) const ATTRIBUTES: &str = "attributes";
pub(crate) const VERSION: &str = "version";
pub(crate) const GOOGLE_SUB: &str = "googleSub";
pub(crate) const TOKEN_FINGERPRINT: &str = "tokenFingerprint";

/// The largest DynamoDB answer read, in bytes: an item is at most 400 KB, and its JSON encoding
/// adds little.
const RESPONSE_SIZE_LIMIT: usize = 1024 * 1024;

/// Where and as whom to reach DynamoDB, read from the environment as the AWS SDKs read it.
#[derive(Clone)]
pub struct DynamoDbSettings {
    pub table: String,
    pub region: String,
    /// `https://dynamodb.{region}.amazonaws.com`, or `AWS_ENDPOINT_URL_DYNAMODB`, or
    /// `AWS_ENDPOINT_URL`.
    pub endpoint: url::Url,
    credentials: Credentials,
}

impl std::fmt::Debug for DynamoDbSettings {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Credentials' own Debug redacts the secret; the key ID is left out too.
        formatter
            .debug_struct("DynamoDbSettings")
            .field("table", &self.table)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint.as_str())
            .finish_non_exhaustive()
    }
}

/// The environment asks for a store it does not fully describe; the message names the variable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    #[error(
        "{TABLE_VARIABLE} is set but neither AWS_REGION nor AWS_DEFAULT_REGION is: set the \
         table's region (Lambda sets AWS_REGION itself)"
    )]
    Region,
    #[error(
        "{TABLE_VARIABLE} is set but AWS credentials are not: set AWS_ACCESS_KEY_ID and \
         AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials; Lambda sets \
         all three from the function's role)"
    )]
    Credentials,
    #[error("{variable} is not a URL ({detail}): set it to e.g. http://127.0.0.1:5000")]
    EndpointUrl {
        variable: &'static str,
        detail: String,
    },
    #[error(
        "{variable} is plain http to {host}, which is not this machine: use https, or http only \
         to a loopback address (127.0.0.1, ::1, localhost)"
    )]
    PlainHttp {
        variable: &'static str,
        host: String,
    },
}

impl DynamoDbSettings {
    /// `None` when [`TABLE_VARIABLE`] is unset or empty (the skill keeps no state).
    pub fn from_env() -> Result<Option<DynamoDbSettings>, SettingsError> {
        DynamoDbSettings::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`DynamoDbSettings::from_env`], reading variables through `lookup`.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<DynamoDbSettings>, SettingsError> {
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let Some(table) = get(TABLE_VARIABLE) else {
            return Ok(None);
        };
        let region = get("AWS_REGION")
            .or_else(|| get("AWS_DEFAULT_REGION"))
            .ok_or(SettingsError::Region)?;
        let (Some(access_key_id), Some(secret_access_key)) =
            (get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY"))
        else {
            return Err(SettingsError::Credentials);
        };
        let credentials = Credentials::new(
            access_key_id,
            secret_access_key,
            get("AWS_SESSION_TOKEN"),
            None,
            "environment",
        );
        // The AWS SDKs' order: the service's own variable, then the global one, both off when
        // AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (docs/user-state.md, "Endpoints").
        let ignore = get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
            .is_some_and(|value| value.trim().eq_ignore_ascii_case("true"));
        let configured = if ignore {
            None
        } else {
            ["AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"]
                .into_iter()
                .find_map(|variable| get(variable).map(|value| (variable, value)))
        };
        let endpoint = match configured {
            Some((variable, value)) => checked_endpoint(variable, value.trim())?,
            None => url::Url::parse(&format!("https://dynamodb.{region}.amazonaws.com/")).map_err(
                |error| SettingsError::EndpointUrl {
                    variable: "AWS_REGION",
                    detail: error.to_string(),
                },
            )?,
        };
        Ok(Some(DynamoDbSettings {
            table: table.trim().to_owned(),
            region: region.trim().to_owned(),
            endpoint,
            credentials,
        }))
    }
}

fn checked_endpoint(variable: &'static str, value: &str) -> Result<url::Url, SettingsError> {
    let endpoint = url::Url::parse(value).map_err(|error| SettingsError::EndpointUrl {
        variable,
        detail: error.to_string(),
    })?;
    match endpoint.scheme() {
        "https" => Ok(endpoint),
        "http" if is_loopback(&endpoint) => Ok(endpoint),
        "http" => Err(SettingsError::PlainHttp {
            variable,
            host: endpoint.host_str().unwrap_or_default().to_owned(),
        }),
        other => Err(SettingsError::EndpointUrl {
            variable,
            detail: format!("scheme {other:?}, expected https"),
        }),
    }
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// DynamoDB as a [`Store`]. The HTTP client is made on first use, so a request that keeps no
/// state pays nothing for it.
#[derive(Debug)]
pub struct DynamoDb {
    settings: DynamoDbSettings,
    http: OnceLock<reqwest::Client>,
}

impl DynamoDb {
    pub fn new(settings: DynamoDbSettings) -> DynamoDb {
        DynamoDb {
            settings,
            http: OnceLock::new(),
        }
    }

    pub fn settings(&self) -> &DynamoDbSettings {
        &self.settings
    }

    /// The table's name.
    pub fn table(&self) -> &str {
        &self.settings.table
    }

    fn http(&self) -> &reqwest::Client {
        self.http.get_or_init(|| {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("the HTTP client starts (reqwest::Client::new would panic here too)")
        })
    }

    /// The headers of a call at `time`, the SigV4 `authorization` included; `host` is left to
    /// the HTTP client, which derives the same value from the URL.
    fn signed_headers(
        &self,
        operation: &str,
        body: &[u8],
        time: SystemTime,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let signing_failed = |error: &dyn std::fmt::Display| StoreError::BadResponse {
            detail: format!("could not sign: {error}"),
        };
        let target = format!("DynamoDB_20120810.{operation}");
        let host = host_header(&self.settings.endpoint);
        let headers = [
            ("content-type", "application/x-amz-json-1.0"),
            ("host", host.as_str()),
            ("x-amz-target", target.as_str()),
        ];
        let identity = self.settings.credentials.clone().into();
        let signing_params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.settings.region)
            .name("dynamodb")
            .time(time)
            .settings(SigningSettings::default())
            .build()
            .map_err(|error| signing_failed(&error))?
            .into();
        let signable = SignableRequest::new(
            "POST",
            self.settings.endpoint.as_str(),
            headers.into_iter(),
            SignableBody::Bytes(body),
        )
        .map_err(|error| signing_failed(&error))?;
        let (instructions, _signature) = sign(signable, &signing_params)
            .map_err(|error| signing_failed(&error))?
            .into_parts();
        Ok(headers
            .into_iter()
            .chain(instructions.headers())
            .filter(|(name, _)| *name != "host")
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect())
    }

    /// One signed call of DynamoDB's JSON API (`X-Amz-Target: DynamoDB_20120810.{operation}`).
    async fn call(&self, operation: &str, body: Value) -> Result<Map<String, Value>, StoreError> {
        let body = serde_json::to_vec(&body).expect("JSON values serialize");
        let headers = self.signed_headers(operation, &body, SystemTime::now())?;
        let mut request = self.http().post(self.settings.endpoint.as_str());
        for (name, value) in &headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let response =
            request
                .body(body)
                .send()
                .await
                .map_err(|error| StoreError::Unavailable {
                    // reqwest's message names the URL, never the signed headers.
                    detail: error.without_url().to_string(),
                })?;
        let status = response.status();
        let bytes = read_capped(response).await?;
        let answer: Map<String, Value> =
            serde_json::from_slice(&bytes).map_err(|error| StoreError::BadResponse {
                detail: format!("HTTP {status}, body is not a JSON object: {error}"),
            })?;
        if status.is_success() {
            return Ok(answer);
        }
        Err(classify(status, &answer))
    }
}

fn host_header(endpoint: &url::Url) -> String {
    let host = endpoint.host_str().unwrap_or_default();
    match endpoint.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, StoreError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| StoreError::Unavailable {
            detail: error.without_url().to_string(),
        })?
    {
        if bytes.len() + chunk.len() > RESPONSE_SIZE_LIMIT {
            return Err(StoreError::BadResponse {
                detail: format!("answer over {RESPONSE_SIZE_LIMIT} bytes"),
            });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// DynamoDB's error answer: `__type` ends in the exception's name (docs/user-state.md,
/// "DynamoDB facts").
fn classify(status: reqwest::StatusCode, answer: &Map<String, Value>) -> StoreError {
    let kind = answer
        .get("__type")
        .and_then(Value::as_str)
        .and_then(|kind| kind.rsplit('#').next())
        .unwrap_or("unknown")
        .to_owned();
    let message = answer
        .get("message")
        .or_else(|| answer.get("Message"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect::<String>();
    match kind.as_str() {
        "ConditionalCheckFailedException" => StoreError::Conflict,
        "ProvisionedThroughputExceededException"
        | "ThrottlingException"
        | "RequestLimitExceeded" => StoreError::Throttled { kind },
        _ if status.is_server_error() => StoreError::Unavailable {
            detail: format!("HTTP {status} {kind}: {message}"),
        },
        _ => StoreError::Refused { kind, message },
    }
}

fn key(user_id: &str) -> Value {
    json!({ KEY: { "S": user_id } })
}

fn string_attribute(item: &Map<String, Value>, name: &str) -> Result<Option<String>, StoreError> {
    match item.get(name) {
        None => Ok(None),
        Some(value) => value
            .get("S")
            .and_then(Value::as_str)
            .map(|text| Some(text.to_owned()))
            .ok_or_else(|| StoreError::BadResponse {
                detail: format!("attribute {name} is not a string"),
            }),
    }
}

fn item_from_dynamodb(item: &Map<String, Value>) -> Result<Item, StoreError> {
    let version = item
        .get(VERSION)
        .and_then(|value| value.get("N"))
        .and_then(Value::as_str)
        .and_then(|number| number.parse::<u64>().ok())
        .ok_or_else(|| StoreError::BadResponse {
            detail: format!("attribute {VERSION} is missing or not a whole number"),
        })?;
    Ok(Item {
        version,
        attributes: string_attribute(item, ATTRIBUTES)?.unwrap_or_else(|| "null".to_owned()),
        google_sub: string_attribute(item, GOOGLE_SUB)?,
        token_fingerprint: string_attribute(item, TOKEN_FINGERPRINT)?,
    })
}

fn item_to_dynamodb(user_id: &str, item: &Item) -> Value {
    let mut attributes = Map::new();
    attributes.insert(KEY.to_owned(), json!({ "S": user_id }));
    attributes.insert(ATTRIBUTES.to_owned(), json!({ "S": item.attributes }));
    attributes.insert(VERSION.to_owned(), json!({ "N": item.version.to_string() }));
    if let Some(sub) = &item.google_sub {
        attributes.insert(GOOGLE_SUB.to_owned(), json!({ "S": sub }));
    }
    if let Some(fingerprint) = &item.token_fingerprint {
        attributes.insert(TOKEN_FINGERPRINT.to_owned(), json!({ "S": fingerprint }));
    }
    Value::Object(attributes)
}

impl Store for DynamoDb {
    fn load<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<Item>, StoreError>> {
        Box::pin(async move {
            let answer = self
                .call(
                    "GetItem",
                    json!({
                        "TableName": self.settings.table,
                        "Key": key(user_id),
                        "ConsistentRead": true,
                    }),
                )
                .await?;
            match answer.get("Item").and_then(Value::as_object) {
                Some(item) => item_from_dynamodb(item).map(Some),
                None => Ok(None),
            }
        })
    }

    fn save<'a>(
        &'a self,
        user_id: &'a str,
        item: &'a Item,
        read_version: Option<u64>,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            check_write(user_id, item, read_version)?;
            let mut body = json!({
                "TableName": self.settings.table,
                "Item": item_to_dynamodb(user_id, item),
            });
            let condition = match read_version {
                None => json!({
                    "ConditionExpression": "attribute_not_exists(#key)",
                    "ExpressionAttributeNames": { "#key": KEY },
                }),
                Some(version) => json!({
                    "ConditionExpression": "#version = :read",
                    "ExpressionAttributeNames": { "#version": VERSION },
                    "ExpressionAttributeValues": { ":read": { "N": version.to_string() } },
                }),
            };
            if let (Value::Object(body), Value::Object(condition)) = (&mut body, condition) {
                body.extend(condition);
            }
            self.call("PutItem", body).await.map(drop)
        })
    }

    fn delete<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            self.call(
                "DeleteItem",
                json!({ "TableName": self.settings.table, "Key": key(user_id) }),
            )
            .await
            .map(drop)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{DynamoDbSettings, SettingsError};

    fn settings(variables: &[(&str, &str)]) -> Result<Option<DynamoDbSettings>, SettingsError> {
        let variables: Vec<(String, String)> = variables
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        DynamoDbSettings::from_lookup(|name| {
            variables
                .iter()
                .find(|(variable, _)| variable == name)
                .map(|(_, value)| value.clone())
        })
    }

    const BASE: [(&str, &str); 4] = [
        ("SKILL_STATE_TABLE", "skill-state"),
        ("AWS_REGION", "eu-west-1"),
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        (
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        ),
    ];

    fn with(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        BASE.iter().chain(extra).copied().collect()
    }

    #[test]
    fn no_table_means_no_store() {
        assert!(settings(&[("AWS_REGION", "eu-west-1")]).unwrap().is_none());
    }

    #[test]
    fn endpoints_follow_the_aws_sdks_order() {
        let endpoint = |extra: &[(&'static str, &'static str)]| {
            settings(&with(extra))
                .unwrap()
                .unwrap()
                .endpoint
                .to_string()
        };
        assert_eq!(endpoint(&[]), "https://dynamodb.eu-west-1.amazonaws.com/");
        assert_eq!(
            endpoint(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")]),
            "http://127.0.0.1:5000/"
        );
        assert_eq!(
            endpoint(&[
                ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
                ("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:8000"),
            ]),
            "http://localhost:8000/"
        );
        assert_eq!(
            endpoint(&[
                ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
                ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
            ]),
            "https://dynamodb.eu-west-1.amazonaws.com/"
        );
    }

    #[test]
    fn bad_settings_name_the_fix() {
        let error = |variables: &[(&str, &str)]| settings(variables).unwrap_err().to_string();
        assert!(
            error(&with(&[(
                "AWS_ENDPOINT_URL",
                "http://dynamodb.example.com"
            )]))
            .contains("AWS_ENDPOINT_URL is plain http to dynamodb.example.com")
        );
        assert!(error(&[("SKILL_STATE_TABLE", "t")]).contains("AWS_REGION"));
        assert!(
            error(&[("SKILL_STATE_TABLE", "t"), ("AWS_REGION", "eu-west-1")])
                .contains("AWS_ACCESS_KEY_ID")
        );
        assert!(
            error(&with(&[("AWS_ENDPOINT_URL_DYNAMODB", "not a url")]))
                .contains("AWS_ENDPOINT_URL_DYNAMODB is not a URL")
        );
    }

    #[test]
    fn error_answers_are_classified_by_their_type() {
        use reqwest::StatusCode;

        use crate::StoreError;

        let classify = |status: u16, kind: &str| {
            let answer = serde_json::json!({
                "__type": format!("com.amazonaws.dynamodb.v20120810#{kind}"),
                "message": "details",
            });
            super::classify(
                StatusCode::from_u16(status).unwrap(),
                answer.as_object().unwrap(),
            )
        };
        assert!(matches!(
            classify(400, "ConditionalCheckFailedException"),
            StoreError::Conflict
        ));
        for throttled in [
            "ProvisionedThroughputExceededException",
            "ThrottlingException",
            "RequestLimitExceeded",
        ] {
            assert!(
                matches!(classify(400, throttled), StoreError::Throttled { .. }),
                "{throttled}"
            );
        }
        assert!(matches!(
            classify(500, "InternalServerError"),
            StoreError::Unavailable { .. }
        ));
        assert!(matches!(
            classify(400, "AccessDeniedException"),
            StoreError::Refused { kind, .. } if kind == "AccessDeniedException"
        ));
    }

    /// The signature is the one botocore (the AWS SDK for Python, which we did not write)
    /// computes for the same request, time and credentials, session token included.
    #[test]
    fn requests_are_signed_as_botocore_signs_them() {
        let settings = settings(&with(&[
            ("AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjEXAMPLETOKEN"),
            (
                "AWS_ENDPOINT_URL_DYNAMODB",
                "https://dynamodb.eu-west-1.amazonaws.com",
            ),
        ]))
        .unwrap()
        .unwrap();
        let store = super::DynamoDb::new(settings);
        let body = br#"{"TableName":"skill-state","Key":{"id":{"S":"amzn1.ask.account.A"}}}"#;
        // 2026-12-08T02:00:00Z
        let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_796_695_200);
        let headers = store.signed_headers("GetItem", body, time).unwrap();
        let ours = headers
            .iter()
            .find(|(name, _)| name == "authorization")
            .map(|(_, value)| value.clone())
            .expect("an authorization header");
        let program = r#"
import datetime, sys
import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
botocore.auth.get_current_datetime = lambda: datetime.datetime(2026, 12, 8, 2, 0, 0)
request = AWSRequest(method="POST", url="https://dynamodb.eu-west-1.amazonaws.com/",
                     data=sys.argv[1].encode(),
                     headers={"Content-Type": "application/x-amz-json-1.0",
                              "X-Amz-Target": "DynamoDB_20120810.GetItem"})
SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                      "IQoJb3JpZ2luX2VjEXAMPLETOKEN"), "dynamodb", "eu-west-1").add_auth(request)
print(request.headers["Authorization"])
"#;
        let output = std::process::Command::new(devstack::venv::require("python"))
            .args(["-c", program, std::str::from_utf8(body).unwrap()])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let botocore = String::from_utf8(output.stdout).unwrap();
        assert_eq!(ours, botocore.trim());
        assert!(
            headers
                .iter()
                .any(|(name, value)| name == "x-amz-security-token"
                    && value == "IQoJb3JpZ2luX2VjEXAMPLETOKEN")
        );
    }

    #[test]
    fn debug_shows_no_credentials() {
        let settings = settings(&BASE).unwrap().unwrap();
        let debug = format!("{settings:?}");
        assert!(
            !debug.contains("AKIDEXAMPLE") && !debug.contains("EXAMPLEKEY"),
            "{debug}"
        );
    }
}
