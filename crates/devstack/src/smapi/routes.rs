//! The SMAPI twin's HTTP handlers: authentication and recording as one layer, then one handler
//! per SMAPI operation.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde_json::{Value, json};

use super::validate::{self, Violation};
use super::{ALEXA_REDIRECT_URL_PREFIXES, Import, Recorded, Shared, StoredSkill};

/// Uploads larger than this are refused, like SMAPI's package size limit (docs/smapi.md).
const MAX_BODY_BYTES: usize = 50 * 1024 * 1024;

/// The handlers' state.
type Shared_ = Arc<Shared>;

pub(crate) fn router(shared: Shared_) -> Router {
    let smapi = Router::new()
        .route("/v1/vendors", get(vendors))
        .route("/v1/skills/uploads", post(create_upload))
        .route("/v1/skills/imports", post(create_skill_import))
        .route("/v1/skills/imports/{import_id}", get(import_status))
        .route("/v1/skills/{skill_id}/imports", post(update_skill_import))
        .route("/v1/skills/{skill_id}", axum::routing::delete(delete_skill))
        .route("/v1/skills/{skill_id}/status", get(skill_status))
        .route(
            "/v1/skills/{skill_id}/stages/{stage}/manifest",
            get(manifest),
        )
        .route(
            "/v1/skills/{skill_id}/stages/{stage}/interactionModel/locales/{locale}",
            get(interaction_model),
        )
        .route(
            "/v1/skills/{skill_id}/stages/{stage}/accountLinkingClient",
            put(put_account_linking)
                .get(get_account_linking)
                .delete(delete_account_linking),
        )
        .route_layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            authenticate,
        ));
    Router::new()
        .merge(smapi)
        .route("/__twin/uploads/{upload_id}", put(receive_upload))
        .route("/__twin/skills", get(all_skills))
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), record))
        .with_state(shared)
}

/// Keeps every request and the status it got, for tests.
async fn record(State(shared): State<Shared_>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(body) => body,
        Err(_) => {
            return message(
                StatusCode::PAYLOAD_TOO_LARGE,
                "The request body is too large.",
            );
        }
    };
    let method = parts.method.to_string();
    let path = parts.uri.path_and_query().map_or_else(
        || parts.uri.path().to_owned(),
        |path| path.as_str().to_owned(),
    );
    let response = next
        .run(Request::from_parts(parts, Body::from(body.clone())))
        .await;
    shared.state.lock().expect("lock").requests.push(Recorded {
        method,
        path,
        body: body.to_vec(),
        status: response.status().as_u16(),
    });
    response
}

/// SMAPI takes the LWA access token itself in `Authorization`; `Bearer ` before it is accepted too.
async fn authenticate(
    State(shared): State<Shared_>,
    headers: HeaderMap,
    request: Request,
    next: Next,
) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.strip_prefix("Bearer ").unwrap_or(value));
    if token != Some(shared.config.access_token.as_str()) {
        return message(StatusCode::UNAUTHORIZED, "Token is invalid or expired.");
    }
    next.run(request).await
}

fn json_response(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn message(status: StatusCode, text: &str) -> Response {
    json_response(status, json!({"message": text}))
}

fn violations(violations: &[Violation]) -> Response {
    json_response(
        StatusCode::BAD_REQUEST,
        json!({
            "message": "Request is not valid.",
            "violations": violations.iter().map(Violation::to_json).collect::<Vec<_>>(),
        }),
    )
}

fn one_violation(code: &'static str, text: String) -> Response {
    violations(&[Violation {
        code,
        message: text,
    }])
}

fn skill_not_found() -> Response {
    message(
        StatusCode::NOT_FOUND,
        "The resource being requested is not found.",
    )
}

/// `GET /v1/vendors`: the one vendor of the token's account.
async fn vendors(State(shared): State<Shared_>) -> Response {
    json_response(
        StatusCode::OK,
        json!({"vendors": [{"name": "devstack", "id": shared.config.vendor_id, "roles": ["ROLE_ADMINISTRATOR"]}]}),
    )
}

async fn create_upload(State(shared): State<Shared_>) -> Response {
    let mut state = shared.state.lock().expect("lock");
    let upload_id = format!("upload-{}", state.next_id());
    state.uploads.insert(upload_id.clone(), None);
    let expires_at = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3600);
    json_response(
        StatusCode::CREATED,
        json!({
            "uploadUrl": format!("{}/__twin/uploads/{upload_id}", shared.base_url),
            "expiresAt": expires_at.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        }),
    )
}

async fn receive_upload(
    State(shared): State<Shared_>,
    Path(upload_id): Path<String>,
    body: Bytes,
) -> Response {
    let mut state = shared.state.lock().expect("lock");
    match state.uploads.get_mut(&upload_id) {
        Some(slot) => {
            *slot = Some(body.to_vec());
            StatusCode::OK.into_response()
        }
        None => (StatusCode::FORBIDDEN, "unknown or expired upload URL").into_response(),
    }
}

async fn create_skill_import(State(shared): State<Shared_>, body: Bytes) -> Response {
    let Some(request) = serde_json::from_slice::<Value>(&body)
        .ok()
        .filter(Value::is_object)
    else {
        return one_violation(
            "INVALID_REQUEST_BODY",
            "the body is not a JSON object".to_owned(),
        );
    };
    let vendor_id = request.get("vendorId").and_then(Value::as_str);
    let Some(vendor_id) = vendor_id else {
        return one_violation(
            "MISSING_REQUIRED_PROPERTY",
            "vendorId is required".to_owned(),
        );
    };
    if vendor_id != shared.config.vendor_id {
        return message(
            StatusCode::FORBIDDEN,
            "The vendor ID does not belong to the account of this access token.",
        );
    }
    start_import(&shared, None, &request).await
}

async fn update_skill_import(
    State(shared): State<Shared_>,
    Path(skill_id): Path<String>,
    body: Bytes,
) -> Response {
    if !shared
        .state
        .lock()
        .expect("lock")
        .skills
        .contains_key(&skill_id)
    {
        return skill_not_found();
    }
    let Some(request) = serde_json::from_slice::<Value>(&body)
        .ok()
        .filter(Value::is_object)
    else {
        return one_violation(
            "INVALID_REQUEST_BODY",
            "the body is not a JSON object".to_owned(),
        );
    };
    if request.get("vendorId").is_some() {
        return one_violation(
            "UNEXPECTED_PROPERTY",
            "vendorId is only for creating a skill".to_owned(),
        );
    }
    start_import(&shared, Some(skill_id), &request).await
}

/// A package read from the zip.
struct Package {
    manifest: Value,
    interaction_models: BTreeMap<String, Value>,
}

fn read_package(zip_bytes: &[u8]) -> Result<Package, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes))
        .map_err(|error| format!("the skill package is not a zip file ({error})"))?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|name| name.ok().map(|name| name.into_owned()))
        .collect();
    let mut read_json = |name: &str| -> Result<Value, String> {
        let mut text = String::new();
        archive
            .by_name(name)
            .map_err(|error| format!("{name}: {error}"))?
            .read_to_string(&mut text)
            .map_err(|error| format!("{name}: {error}"))?;
        serde_json::from_str(&text).map_err(|error| format!("{name} is not valid JSON ({error})"))
    };
    let manifest = read_json("skill.json")
        .map_err(|error| format!("the package has no readable skill.json at its root: {error}"))?;
    let mut interaction_models = BTreeMap::new();
    for name in names {
        if let Some(locale) = name
            .strip_prefix("interactionModels/custom/")
            .and_then(|file| file.strip_suffix(".json"))
        {
            interaction_models.insert(locale.to_owned(), read_json(&name)?);
        }
    }
    Ok(Package {
        manifest,
        interaction_models,
    })
}

async fn start_import(shared: &Shared_, skill_id: Option<String>, request: &Value) -> Response {
    let Some(location) = request.get("location").and_then(Value::as_str) else {
        return one_violation(
            "MISSING_REQUIRED_PROPERTY",
            "location is required".to_owned(),
        );
    };
    let upload_prefix = format!("{}/__twin/uploads/", shared.base_url);
    let zip_bytes = {
        let state = shared.state.lock().expect("lock");
        location
            .strip_prefix(&upload_prefix)
            .and_then(|upload_id| state.uploads.get(upload_id).cloned().flatten())
    };
    let Some(zip_bytes) = zip_bytes else {
        return one_violation(
            "INVALID_URL_FORMAT",
            format!(
                "location {location:?} is not an upload URL from POST /v1/skills/uploads that received a package"
            ),
        );
    };

    let action = if skill_id.is_some() {
        "UPDATE"
    } else {
        "CREATE"
    };
    let mut errors: Vec<Violation> = Vec::new();
    let package = match read_package(&zip_bytes) {
        Ok(package) => Some(package),
        Err(problem) => {
            errors.push(Violation {
                code: "INVALID_PACKAGE",
                message: problem,
            });
            None
        }
    };
    if let Some(package) = &package {
        errors.extend(validate::manifest_violations(&package.manifest));
        for (locale, model) in &package.interaction_models {
            errors.extend(validate::model_violations(locale, model));
        }
        let locales: Vec<&String> =
            package.manifest["manifest"]["publishingInformation"]["locales"]
                .as_object()
                .map(|locales| locales.keys().collect())
                .unwrap_or_default();
        for locale in locales {
            if !package.interaction_models.contains_key(locale) {
                errors.push(Violation {
                    code: "MISSING_INTERACTION_MODEL",
                    message: format!(
                        "locale {locale} is published but the package has no interactionModels/custom/{locale}.json"
                    ),
                });
            }
        }
        if errors.is_empty() {
            for arn in validate::lambda_endpoints(&package.manifest) {
                if let Some(problem) =
                    lambda_trigger_problem(shared, &arn, skill_id.as_deref()).await
                {
                    errors.push(Violation {
                        code: "INVALID_LAMBDA_TRIGGER",
                        message: problem,
                    });
                }
            }
        }
    }

    let mut state = shared.state.lock().expect("lock");
    let import_id = format!("amzn1.ask-package.import.{:08x}", state.next_id());
    let (outcome, stored_skill_id) = match package.filter(|_| errors.is_empty()) {
        None => (
            json!({
                "status": "FAILED",
                "errors": errors.iter().map(Violation::to_json).collect::<Vec<_>>(),
                "warnings": [],
                "skill": {"resources": [{"name": "Manifest", "action": action, "status": "FAILED",
                    "errors": errors.iter().map(Violation::to_json).collect::<Vec<_>>(), "warnings": []}]},
            }),
            skill_id,
        ),
        Some(package) => {
            let skill_id = skill_id.unwrap_or_else(|| {
                let number = state.next_id();
                format!("amzn1.ask.skill.{number:08x}-0000-4000-8000-{number:012x}")
            });
            let mut resources = vec![
                json!({"name": "Manifest", "action": action, "status": "SUCCEEDED", "errors": [], "warnings": []}),
            ];
            let mut build_errors = BTreeMap::new();
            for (locale, model) in &package.interaction_models {
                let problems = validate::build_errors(locale, model);
                resources.push(json!({
                    "name": format!("InteractionModel.{locale}"),
                    "action": action,
                    "status": if problems.is_empty() { "SUCCEEDED" } else { "FAILED" },
                    "errors": problems.iter().map(Violation::to_json).collect::<Vec<_>>(),
                    "warnings": [],
                }));
                build_errors.insert(locale.clone(), problems);
            }
            let failed = build_errors.values().any(|problems| !problems.is_empty());
            let skill = state
                .skills
                .entry(skill_id.clone())
                .or_insert_with(|| StoredSkill {
                    vendor_id: shared.config.vendor_id.clone(),
                    ..StoredSkill::default()
                });
            skill.manifest = package.manifest;
            skill.interaction_models = package.interaction_models;
            skill.build_errors = build_errors;
            skill.last_import = Some(import_id.clone());
            (
                json!({
                    "status": if failed { "FAILED" } else { "SUCCEEDED" },
                    "errors": [],
                    "warnings": [],
                    "skill": {"skillId": skill_id, "eTag": format!("etag-{import_id}"), "resources": resources},
                }),
                Some(skill_id),
            )
        }
    };
    state.imports.insert(
        import_id.clone(),
        Import {
            polls_remaining: shared.config.polls_until_done,
            outcome,
            skill_id: stored_skill_id,
        },
    );
    (
        StatusCode::ACCEPTED,
        [(header::LOCATION, format!("/v1/skills/imports/{import_id}"))],
    )
        .into_response()
}

/// Why SMAPI would refuse `arn` as an endpoint: no such function, or no Alexa Skills Kit trigger.
/// Only checked with a Lambda API to ask; moto keeps the trigger's principal but drops its
/// `EventSourceToken`, so the skill ID is compared only when the policy has a condition.
async fn lambda_trigger_problem(
    shared: &Shared_,
    arn: &str,
    skill_id: Option<&str>,
) -> Option<String> {
    let lambda_api = shared.config.lambda_api.as_deref()?;
    let invalid = |detail: &str| {
        Some(format!(
            "The trigger setting for the Lambda {arn} is invalid: {detail}. Add an Alexa Skills Kit \
             trigger for this skill to the function first."
        ))
    };
    let region = arn.split(':').nth(3).unwrap_or("us-east-1");
    let response = shared
        .http
        .get(format!("{lambda_api}/2015-03-31/functions/{arn}/policy"))
        // moto picks the service from the credential scope and checks no signature.
        .header(
            header::AUTHORIZATION,
            format!(
                "AWS4-HMAC-SHA256 Credential=testing/20260101/{region}/lambda/aws4_request, \
                 SignedHeaders=host, Signature=0"
            ),
        )
        .send()
        .await;
    let Ok(response) = response else {
        return invalid("the Lambda API did not answer");
    };
    if !response.status().is_success() {
        return invalid("the function does not exist or has no resource policy");
    }
    let policy: Option<Value> = response
        .json::<Value>()
        .await
        .ok()
        .and_then(|body| serde_json::from_str(body["Policy"].as_str()?).ok());
    let statements = policy
        .as_ref()
        .and_then(|policy| policy["Statement"].as_array().cloned())
        .unwrap_or_default();
    let allowed = statements.iter().any(|statement| {
        let principal = &statement["Principal"];
        let alexa = principal == "alexa-appkit.amazon.com"
            || principal["Service"] == "alexa-appkit.amazon.com";
        let token = &statement["Condition"]["StringEquals"]["lambda:EventSourceToken"];
        alexa && (token.is_null() || skill_id.is_some_and(|skill_id| token == skill_id))
    });
    if allowed {
        None
    } else {
        invalid("the function has no alexa-appkit.amazon.com permission for this skill")
    }
}

async fn import_status(State(shared): State<Shared_>, Path(import_id): Path<String>) -> Response {
    let mut state = shared.state.lock().expect("lock");
    let Some(import) = state.imports.get_mut(&import_id) else {
        return skill_not_found();
    };
    if import.polls_remaining > 0 {
        import.polls_remaining -= 1;
        let mut body = json!({"status": "IN_PROGRESS", "errors": [], "warnings": [], "skill": {"resources": []}});
        if let Some(skill_id) = &import.skill_id {
            body["skill"]["skillId"] = json!(skill_id);
        }
        return json_response(StatusCode::OK, body);
    }
    json_response(StatusCode::OK, import.outcome.clone())
}

async fn skill_status(
    State(shared): State<Shared_>,
    Path(skill_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let state = shared.state.lock().expect("lock");
    let Some(skill) = state.skills.get(&skill_id) else {
        return skill_not_found();
    };
    let requested: Vec<String> = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(key, _)| key == "resource")
        .map(|(_, value)| value.into_owned())
        .collect();
    let wants =
        |resource: &str| requested.is_empty() || requested.iter().any(|name| name == resource);
    let in_progress = skill
        .last_import
        .as_ref()
        .and_then(|import_id| state.imports.get(import_id))
        .is_some_and(|import| import.polls_remaining > 0);
    let mut body = json!({});
    if wants("manifest") {
        body["manifest"] = json!({"lastUpdateRequest": {
            "status": if in_progress { "IN_PROGRESS" } else { "SUCCEEDED" }}});
    }
    if wants("interactionModel") {
        let locales: serde_json::Map<String, Value> = skill
            .build_errors
            .iter()
            .map(|(locale, errors)| {
                let status = match (in_progress, errors.is_empty()) {
                    (true, _) => "IN_PROGRESS",
                    (false, true) => "SUCCEEDED",
                    (false, false) => "FAILED",
                };
                let mut last_update = json!({"status": status});
                if !in_progress && !errors.is_empty() {
                    last_update["errors"] = errors.iter().map(Violation::to_json).collect();
                }
                (locale.clone(), json!({"lastUpdateRequest": last_update}))
            })
            .collect();
        body["interactionModel"] = Value::Object(locales);
    }
    json_response(StatusCode::OK, body)
}

/// The skill, for the one stage the twin keeps; `None` answers 404.
fn development_skill<'state>(
    state: &'state super::State,
    skill_id: &str,
    stage: &str,
) -> Option<&'state StoredSkill> {
    state
        .skills
        .get(skill_id)
        .filter(|_| stage == "development")
}

async fn manifest(
    State(shared): State<Shared_>,
    Path((skill_id, stage)): Path<(String, String)>,
) -> Response {
    let state = shared.state.lock().expect("lock");
    match development_skill(&state, &skill_id, &stage) {
        Some(skill) => json_response(StatusCode::OK, skill.manifest.clone()),
        None => skill_not_found(),
    }
}

async fn interaction_model(
    State(shared): State<Shared_>,
    Path((skill_id, stage, locale)): Path<(String, String, String)>,
) -> Response {
    let state = shared.state.lock().expect("lock");
    match development_skill(&state, &skill_id, &stage)
        .and_then(|skill| skill.interaction_models.get(&locale))
    {
        Some(model) => json_response(StatusCode::OK, model.clone()),
        None => skill_not_found(),
    }
}

async fn delete_skill(State(shared): State<Shared_>, Path(skill_id): Path<String>) -> Response {
    match shared.state.lock().expect("lock").skills.remove(&skill_id) {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => skill_not_found(),
    }
}

/// The account-linking request's rules (ask-smapi-model `AccountLinkingRequestPayload`, and
/// SMAPI's "Authorization Url is invalid" for anything but HTTPS).
fn account_linking_violations(request: &Value) -> Vec<Violation> {
    let mut found = Vec::new();
    let mut violation = |code, text: String| {
        found.push(Violation {
            code,
            message: text,
        })
    };
    let Some(request) = request.as_object() else {
        violation(
            "MISSING_REQUIRED_PROPERTY",
            "accountLinkingRequest is required".to_owned(),
        );
        return found;
    };
    for field in [
        "type",
        "authorizationUrl",
        "clientId",
        "accessTokenUrl",
        "accessTokenScheme",
    ] {
        if !request.get(field).is_some_and(Value::is_string) {
            violation(
                "MISSING_REQUIRED_PROPERTY",
                format!("accountLinkingRequest.{field} must be a string"),
            );
        }
    }
    if !matches!(
        request.get("type").and_then(Value::as_str),
        Some("AUTH_CODE" | "IMPLICIT") | None
    ) {
        violation(
            "INVALID_ENUM_VALUE",
            "accountLinkingRequest.type must be AUTH_CODE or IMPLICIT".to_owned(),
        );
    }
    if request.get("type").and_then(Value::as_str) == Some("AUTH_CODE")
        && !request.get("clientSecret").is_some_and(Value::is_string)
    {
        violation(
            "MISSING_REQUIRED_PROPERTY",
            "accountLinkingRequest.clientSecret is required for AUTH_CODE".to_owned(),
        );
    }
    if !matches!(
        request.get("accessTokenScheme").and_then(Value::as_str),
        Some("HTTP_BASIC" | "REQUEST_BODY_CREDENTIALS") | None
    ) {
        violation("INVALID_ENUM_VALUE", "accountLinkingRequest.accessTokenScheme must be HTTP_BASIC or REQUEST_BODY_CREDENTIALS".to_owned());
    }
    for field in ["authorizationUrl", "accessTokenUrl"] {
        if let Some(text) = request.get(field).and_then(Value::as_str) {
            let https = url::Url::parse(text).is_ok_and(|url| {
                url.scheme() == "https" && url.port_or_known_default() == Some(443)
            });
            if !https {
                violation(
                    "INVALID_URL_FORMAT",
                    format!(
                        "accountLinkingRequest.{field} {text:?} is invalid: it must be an https URL on port 443"
                    ),
                );
            }
        }
    }
    for field in ["scopes", "domains"] {
        if let Some(list) = request.get(field) {
            let valid = list
                .as_array()
                .is_some_and(|list| list.len() <= 15 && list.iter().all(Value::is_string));
            if !valid {
                violation(
                    "INVALID_PROPERTY_VALUE",
                    format!("accountLinkingRequest.{field} must be a list of at most 15 strings"),
                );
            }
        }
    }
    if let Some(skip) = request.get("skipOnEnablement")
        && !skip.is_boolean()
    {
        violation(
            "INVALID_PROPERTY_VALUE",
            "accountLinkingRequest.skipOnEnablement must be a boolean".to_owned(),
        );
    }
    if let Some(seconds) = request.get("defaultTokenExpirationInSeconds")
        && !seconds.is_u64()
    {
        violation(
            "INVALID_PROPERTY_VALUE",
            "accountLinkingRequest.defaultTokenExpirationInSeconds must be an integer".to_owned(),
        );
    }
    found
}

async fn put_account_linking(
    State(shared): State<Shared_>,
    Path((skill_id, stage)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut state = shared.state.lock().expect("lock");
    let Some(skill) = state
        .skills
        .get_mut(&skill_id)
        .filter(|_| stage == "development")
    else {
        return skill_not_found();
    };
    let json_content = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    let Some(body) = serde_json::from_slice::<Value>(&body)
        .ok()
        .filter(|_| json_content)
    else {
        return one_violation(
            "INVALID_REQUEST_BODY",
            "the body must be JSON with Content-Type application/json".to_owned(),
        );
    };
    let request = body
        .get("accountLinkingRequest")
        .cloned()
        .unwrap_or(Value::Null);
    let problems = account_linking_violations(&request);
    if !problems.is_empty() {
        return violations(&problems);
    }
    skill.account_linking.insert(stage, request);
    StatusCode::NO_CONTENT.into_response()
}

async fn get_account_linking(
    State(shared): State<Shared_>,
    Path((skill_id, stage)): Path<(String, String)>,
) -> Response {
    let state = shared.state.lock().expect("lock");
    let Some(stored) = state.skills.get(&skill_id).and_then(|skill| {
        skill
            .account_linking
            .get(&stage)
            .map(|request| (skill, request))
    }) else {
        return skill_not_found();
    };
    let (skill, request) = stored;
    let mut response = request.as_object().cloned().unwrap_or_default();
    // SMAPI never returns the secret nor the other write-only fields, and adds Alexa's redirect
    // URLs for the vendor.
    for write_only in [
        "clientSecret",
        "skipOnEnablement",
        "reciprocalAccessTokenUrl",
    ] {
        response.remove(write_only);
    }
    response.insert(
        "redirectUrls".to_owned(),
        ALEXA_REDIRECT_URL_PREFIXES
            .iter()
            .map(|prefix| json!(format!("{prefix}{}", skill.vendor_id)))
            .collect(),
    );
    json_response(StatusCode::OK, json!({"accountLinkingResponse": response}))
}

async fn delete_account_linking(
    State(shared): State<Shared_>,
    Path((skill_id, stage)): Path<(String, String)>,
) -> Response {
    let mut state = shared.state.lock().expect("lock");
    match state
        .skills
        .get_mut(&skill_id)
        .and_then(|skill| skill.account_linking.remove(&stage))
    {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => skill_not_found(),
    }
}

/// Everything the twin holds, for people poking at a running `devstack smapi` (secrets removed).
async fn all_skills(State(shared): State<Shared_>) -> Response {
    let state = shared.state.lock().expect("lock");
    let skills: serde_json::Map<String, Value> = state
        .skills
        .iter()
        .map(|(skill_id, skill)| {
            let account_linking: serde_json::Map<String, Value> = skill
                .account_linking
                .iter()
                .map(|(stage, request)| {
                    let mut request = request.clone();
                    if let Some(object) = request.as_object_mut() {
                        object.remove("clientSecret");
                    }
                    (stage.clone(), request)
                })
                .collect();
            (
                skill_id.clone(),
                json!({
                    "vendorId": skill.vendor_id,
                    "manifest": skill.manifest,
                    "locales": skill.interaction_models.keys().collect::<Vec<_>>(),
                    "accountLinking": account_linking,
                }),
            )
        })
        .collect();
    json_response(StatusCode::OK, Value::Object(skills))
}
