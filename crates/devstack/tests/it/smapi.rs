//! The SMAPI twin over HTTP: the token check, the package flow from upload URL to import outcome,
//! SMAPI's refusals, per-locale build status, and account linking that never echoes the secret.
//! Every answer the twin gives is read back through Amazon's ask-smapi-model.

use std::io::Write as _;
use std::path::Path;

use devstack::smapi::{Config, DEFAULT_ACCESS_TOKEN, DEFAULT_VENDOR_ID, SmapiTwin};
use serde_json::{Value, json};

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:skill";

fn manifest(endpoint: Option<&str>) -> Value {
    let mut manifest = json!({"manifest": {
        "manifestVersion": "1.0",
        "publishingInformation": {"locales": {"en-US": {"name": "Cloud Companion"}}},
        "apis": {"custom": {}},
    }});
    if let Some(endpoint) = endpoint {
        manifest["manifest"]["apis"]["custom"]["endpoint"] = json!({"uri": endpoint});
    }
    manifest
}

fn model(samples: Value) -> Value {
    json!({"interactionModel": {"languageModel": {
        "invocationName": "cloud companion",
        "intents": [
            {"name": "AMAZON.StopIntent", "samples": []},
            {"name": "AddNoteIntent", "slots": [{"name": "note", "type": "AMAZON.SearchQuery"}],
             "samples": samples},
        ],
    }}})
}

fn package(manifest: &Value, model: &Value) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    writer.start_file("skill.json", options).unwrap();
    writer.write_all(manifest.to_string().as_bytes()).unwrap();
    writer
        .start_file("interactionModels/custom/en-US.json", options)
        .unwrap();
    writer.write_all(model.to_string().as_bytes()).unwrap();
    writer.finish().unwrap().into_inner()
}

struct Client {
    http: reqwest::Client,
    base_url: String,
}

impl Client {
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value, Option<String>) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base_url))
            .header("authorization", DEFAULT_ACCESS_TOKEN);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|value| value.to_str().unwrap().to_owned());
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::Null),
            location,
        )
    }

    /// Upload URL → PUT the zip → import; returns the import's status path.
    async fn import(&self, skill_id: Option<&str>, zip: Vec<u8>) -> String {
        let (status, upload, _) = self
            .send(reqwest::Method::POST, "/v1/skills/uploads", None)
            .await;
        assert_eq!(status, 201, "{upload}");
        model_check(
            "ask_smapi_model.v1.skill.upload_response.UploadResponse",
            &upload,
        );
        let upload_url = upload["uploadUrl"].as_str().unwrap();
        let put = self.http.put(upload_url).body(zip).send().await.unwrap();
        assert!(put.status().is_success());
        let (path, body) = match skill_id {
            None => (
                "/v1/skills/imports".to_owned(),
                json!({"vendorId": DEFAULT_VENDOR_ID, "location": upload_url}),
            ),
            Some(skill_id) => (
                format!("/v1/skills/{skill_id}/imports"),
                json!({"location": upload_url}),
            ),
        };
        let (status, body, location) = self.send(reqwest::Method::POST, &path, Some(body)).await;
        assert_eq!(status, 202, "{body}");
        location.expect("an import answers with its Location")
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        let (status, body, _) = self.send(reqwest::Method::GET, path, None).await;
        (status, body)
    }
}

/// Runs provision's ask-smapi-model round trip on `body` as `model` and fails on a difference.
fn model_check(model: &str, body: &Value) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../provision/tests/python/smapi_model_check.py");
    let path = std::env::temp_dir().join(format!(
        "devstack-smapi-{}-{}.json",
        std::process::id(),
        model.rsplit('.').next().unwrap()
    ));
    std::fs::write(&path, body.to_string()).unwrap();
    let output = std::process::Command::new(devstack::venv::require("python"))
        .arg(&script)
        .arg(model)
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "ask-smapi-model disagrees with {body}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

async fn twin() -> (SmapiTwin, Client) {
    let twin = SmapiTwin::start(Config::default()).await.unwrap();
    let client = Client {
        http: reqwest::Client::new(),
        base_url: twin.base_url(),
    };
    (twin, client)
}

#[tokio::test]
async fn a_wrong_token_gets_401_and_nothing_happens() {
    let (twin, client) = twin().await;
    for authorization in ["Atza|someone-else", ""] {
        let response = client
            .http
            .post(format!("{}/v1/skills/uploads", client.base_url))
            .header("authorization", authorization)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 401);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body, json!({"message": "Token is invalid or expired."}));
    }
    let bearer = client
        .http
        .post(format!("{}/v1/skills/uploads", client.base_url))
        .bearer_auth(DEFAULT_ACCESS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status().as_u16(), 201);
    assert!(twin.skill_ids().is_empty());
}

#[tokio::test]
async fn an_import_creates_the_skill_after_in_progress_and_an_update_replaces_it() {
    let (twin, client) = twin().await;
    let import = client
        .import(
            None,
            package(&manifest(None), &model(json!(["add a note {note}"]))),
        )
        .await;
    let (status, first) = client.get(&import).await;
    assert_eq!(
        (status, first["status"].as_str()),
        (200, Some("IN_PROGRESS"))
    );
    model_check(
        "ask_smapi_model.v1.skill.import_response.ImportResponse",
        &first,
    );
    let (_, done) = client.get(&import).await;
    model_check(
        "ask_smapi_model.v1.skill.import_response.ImportResponse",
        &done,
    );
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    let skill_id = done["skill"]["skillId"].as_str().unwrap().to_owned();
    assert!(skill_id.starts_with("amzn1.ask.skill."));
    let resources: Vec<(&str, &str)> = done["skill"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|resource| {
            (
                resource["name"].as_str().unwrap(),
                resource["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        resources,
        [
            ("Manifest", "SUCCEEDED"),
            ("InteractionModel.en-US", "SUCCEEDED")
        ]
    );
    assert_eq!(twin.skill_ids(), std::slice::from_ref(&skill_id));

    let (status, stored) = client
        .get(&format!(
            "/v1/skills/{skill_id}/stages/development/manifest"
        ))
        .await;
    assert_eq!((status, stored), (200, manifest(None)));
    let (_, status_body) = client
        .get(&format!(
            "/v1/skills/{skill_id}/status?resource=interactionModel"
        ))
        .await;
    model_check(
        "ask_smapi_model.v1.skill.skill_status.SkillStatus",
        &status_body,
    );
    assert_eq!(
        status_body["interactionModel"]["en-US"]["lastUpdateRequest"]["status"],
        "SUCCEEDED"
    );

    // The update path: same skill, new manifest with the endpoint.
    let import = client
        .import(
            Some(&skill_id),
            package(&manifest(Some(ARN)), &model(json!(["add a note {note}"]))),
        )
        .await;
    client.get(&import).await;
    let (_, done) = client.get(&import).await;
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    assert_eq!(twin.skill(&skill_id).unwrap().manifest, manifest(Some(ARN)));
    // Updating a skill that does not exist is a 404.
    let (status, _, _) = client
        .send(
            reqwest::Method::POST,
            "/v1/skills/amzn1.ask.skill.nope/imports",
            Some(json!({"location": "x"})),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn invalid_packages_fail_the_import_with_smapis_errors() {
    let (twin, client) = twin().await;
    let no_locales =
        json!({"manifest": {"publishingInformation": {"locales": {}}, "apis": {"custom": {}}}});
    let cases = [
        (
            no_locales,
            model(json!(["add {note}"])),
            "MISSING_REQUIRED_PROPERTY: manifest.publishingInformation.locales must name at least one locale",
        ),
        (
            manifest(Some("http://example.com/skill")),
            model(json!(["add {note}"])),
            "INVALID_URL_FORMAT: manifest.apis.custom.endpoint.uri \"http://example.com/skill\" is neither an AWS Lambda ARN nor an HTTPS URL",
        ),
        (
            manifest(None),
            model(json!([])),
            "MISSING_SAMPLE_UTTERANCES: en-US: intent \"AddNoteIntent\" has no sample utterances; add at least one",
        ),
    ];
    for (manifest, model, expected) in cases {
        let import = client.import(None, package(&manifest, &model)).await;
        client.get(&import).await;
        let (_, done) = client.get(&import).await;
        model_check(
            "ask_smapi_model.v1.skill.import_response.ImportResponse",
            &done,
        );
        assert_eq!(done["status"], "FAILED");
        let errors: Vec<String> = done["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|error| {
                format!(
                    "{}: {}",
                    error["code"].as_str().unwrap(),
                    error["message"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(errors, [expected]);
    }
    assert!(
        twin.skill_ids().is_empty(),
        "a refused package creates no skill"
    );

    // Request errors are synchronous 400s with SMAPI's violations.
    let (status, body, _) = client
        .send(
            reqwest::Method::POST,
            "/v1/skills/imports",
            Some(json!({"vendorId": DEFAULT_VENDOR_ID})),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"message": "Request is not valid.", "violations": [{"code": "MISSING_REQUIRED_PROPERTY", "message": "location is required"}]})
    );
    let (status, _, _) = client
        .send(
            reqwest::Method::POST,
            "/v1/skills/imports",
            Some(json!({"vendorId": "MOTHERVENDOR1", "location": "x"})),
        )
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_build_failure_is_reported_per_locale() {
    let (_twin, client) = twin().await;
    let import = client
        .import(
            None,
            package(&manifest(None), &model(json!(["add {text} to my notes"]))),
        )
        .await;
    client.get(&import).await;
    let (_, done) = client.get(&import).await;
    assert_eq!(done["status"], "FAILED");
    let skill_id = done["skill"]["skillId"].as_str().unwrap();
    let (_, status) = client
        .get(&format!(
            "/v1/skills/{skill_id}/status?resource=interactionModel"
        ))
        .await;
    model_check("ask_smapi_model.v1.skill.skill_status.SkillStatus", &status);
    let last_update = &status["interactionModel"]["en-US"]["lastUpdateRequest"];
    assert_eq!(last_update["status"], "FAILED");
    assert_eq!(
        last_update["errors"][0]["message"],
        "en-US: sample \"add {text} to my notes\" of intent \"AddNoteIntent\" uses the slot {text}, which the intent does not declare"
    );
}

#[tokio::test]
async fn account_linking_is_stored_and_read_back_without_the_secret() {
    let (twin, client) = twin().await;
    let import = client
        .import(
            None,
            package(&manifest(None), &model(json!(["add {note}"]))),
        )
        .await;
    client.get(&import).await;
    let (_, done) = client.get(&import).await;
    let skill_id = done["skill"]["skillId"].as_str().unwrap().to_owned();
    let path = format!("/v1/skills/{skill_id}/stages/development/accountLinkingClient");
    let request = json!({"accountLinkingRequest": {
        "type": "AUTH_CODE",
        "authorizationUrl": "https://login.example.com/index.html",
        "accessTokenUrl": "https://oauth2.googleapis.com/token",
        "clientId": "test-client-id.apps.googleusercontent.com",
        "clientSecret": "GOCSPX-twin-secret",
        "accessTokenScheme": "HTTP_BASIC",
        "scopes": ["openid"],
        "domains": ["accounts.google.com"],
        "skipOnEnablement": false,
        "defaultTokenExpirationInSeconds": 3600,
    }});
    let (status, _, _) = client
        .send(reqwest::Method::PUT, &path, Some(request.clone()))
        .await;
    assert_eq!(status, 204);
    let (status, stored) = client.get(&path).await;
    assert_eq!(status, 200);
    model_check(
        "ask_smapi_model.v1.skill.account_linking.account_linking_response.AccountLinkingResponse",
        &stored["accountLinkingResponse"],
    );
    assert!(
        !stored.to_string().contains("GOCSPX-twin-secret"),
        "{stored}"
    );
    assert_eq!(
        stored["accountLinkingResponse"]["redirectUrls"],
        json!([
            format!("https://pitangui.amazon.com/api/skill/link/{DEFAULT_VENDOR_ID}"),
            format!("https://layla.amazon.com/api/skill/link/{DEFAULT_VENDOR_ID}"),
            format!("https://alexa.amazon.co.jp/api/skill/link/{DEFAULT_VENDOR_ID}"),
        ])
    );
    assert_eq!(
        twin.skill(&skill_id).unwrap().account_linking["development"]["clientSecret"],
        "GOCSPX-twin-secret"
    );

    let mut plain_http = request;
    plain_http["accountLinkingRequest"]["authorizationUrl"] = json!("http://login.example.com/");
    let (status, body, _) = client
        .send(reqwest::Method::PUT, &path, Some(plain_http))
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["violations"][0]["message"],
        "accountLinkingRequest.authorizationUrl \"http://login.example.com/\" is invalid: it must be an https URL on port 443"
    );
}
