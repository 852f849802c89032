//! The Alexa Skill Management API (SMAPI) calls provisioning makes (docs/smapi.md): the skill
//! package flow (upload URL, upload, import, import status), interaction-model build status,
//! skill deletion, and account linking (the request body built from the config, and
//! `PUT`/`GET /v1/skills/{skillId}/stages/{stage}/accountLinkingClient`).

use std::collections::BTreeMap;

use alexa_model::SkillId;
use serde::{Deserialize, Serialize, Serializer};
use url::Url;

use crate::config::{ClientSecret, Config, Stage};
use crate::lwa::LwaAccessToken;

/// SMAPI's base URL unless `ASK_SMAPI_SERVER_BASE_URL` / `--smapi-url` says otherwise.
pub const DEFAULT_SMAPI_BASE_URL: &str = "https://api.amazonalexa.com";
/// What `account-linking show` prints instead of the secret without `--show-secret`.
pub const CLIENT_SECRET_PLACEHOLDER: &str = "<from GOOGLE_CLIENT_SECRET>";

/// `{"accountLinkingRequest": …}`, the whole body SMAPI's PUT takes (and `ask smapi
/// update-account-linking-info --account-linking-request` too).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountLinkingBody {
    pub account_linking_request: AccountLinkingRequest,
}

/// The account-linking settings for Google with the Auth Code Grant.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountLinkingRequest {
    #[serde(rename = "type")]
    pub grant_type: &'static str,
    pub authorization_url: String,
    pub access_token_url: String,
    pub client_id: String,
    pub client_secret: ClientSecretField,
    pub access_token_scheme: &'static str,
    pub scopes: Vec<String>,
    pub domains: Vec<String>,
    pub skip_on_enablement: bool,
    pub default_token_expiration_in_seconds: u32,
}

/// The secret itself (sent to SMAPI, or shown on request) or [`CLIENT_SECRET_PLACEHOLDER`].
#[derive(Debug)]
pub enum ClientSecretField {
    Secret(ClientSecret),
    Placeholder,
}

impl Serialize for ClientSecretField {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ClientSecretField::Secret(secret) => serializer.serialize_str(secret.secret()),
            ClientSecretField::Placeholder => serializer.serialize_str(CLIENT_SECRET_PLACEHOLDER),
        }
    }
}

/// The body for `config`, with the login page at `login_page_url` as Alexa's authorization URL.
pub fn account_linking_body(
    config: &Config,
    login_page_url: &Url,
    client_secret: ClientSecretField,
) -> AccountLinkingBody {
    AccountLinkingBody {
        account_linking_request: AccountLinkingRequest {
            grant_type: "AUTH_CODE",
            authorization_url: login_page_url.to_string(),
            access_token_url: config.google.token_url.to_string(),
            client_id: config.google.client_id.as_str().to_owned(),
            client_secret,
            access_token_scheme: config.account_linking.access_token_scheme.as_str(),
            scopes: config
                .scope_names()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            domains: config.account_linking_domains(),
            // Linking is the point of this skill; skipping it at enablement would leave users
            // with a skill that only answers "please link your account".
            skip_on_enablement: false,
            default_token_expiration_in_seconds: config
                .account_linking
                .default_token_expiration_seconds,
        },
    }
}

/// A SMAPI call failed. Each message names what to do; the body's message is included, a token
/// never is.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SmapiError {
    #[error("SMAPI answered HTTP {status} to {operation}{}: {advice}", message.as_ref().map(|message| format!(" ({message})")).unwrap_or_default())]
    Status {
        status: u16,
        operation: String,
        message: Option<String>,
        advice: &'static str,
    },
    #[error(
        "cannot reach SMAPI at {url} ({reason}): check --smapi-url / ASK_SMAPI_SERVER_BASE_URL and the network"
    )]
    Unreachable { url: Url, reason: String },
    #[error("SMAPI answered {operation} with a body that is not JSON ({reason})")]
    UnreadableBody { operation: String, reason: String },
    #[error("--smapi-url {given:?} is not a URL ({reason}): use https://api.amazonalexa.com")]
    BadBaseUrl { given: String, reason: String },
    #[error(
        "--smapi-url / ASK_SMAPI_SERVER_BASE_URL {given} would send the LWA token and the Google \
         client secret over plain http: use https:// (plain http only for 127.0.0.0/8, localhost \
         or [::1])"
    )]
    InsecureBaseUrl { given: String },
}

/// Where SMAPI is and whose credentials to use, as flags (shared by `provision account-linking`
/// and `cargo xtask deploy`).
#[derive(Debug, Clone, clap::Args)]
pub struct SmapiArgs {
    /// SMAPI's base URL (a twin such as `devstack smapi` for offline runs).
    #[arg(long, env = "ASK_SMAPI_SERVER_BASE_URL", default_value = DEFAULT_SMAPI_BASE_URL, value_name = "URL")]
    pub smapi_url: String,
    /// The ASK CLI profile in cli_config to take the LWA token from.
    #[arg(long, env = "ASK_DEFAULT_PROFILE", default_value = crate::lwa::DEFAULT_ASK_PROFILE, value_name = "NAME")]
    pub ask_profile: String,
    /// The ASK CLI's credentials file (default ~/.ask/cli_config).
    #[arg(long, env = "ASK_CLI_CONFIG", value_name = "PATH")]
    pub ask_cli_config: Option<std::path::PathBuf>,
}

/// Why no SMAPI client could be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SmapiSetupError {
    #[error("could not get an Amazon (LWA) access token for SMAPI")]
    Lwa(#[from] crate::lwa::LwaError),
    #[error(transparent)]
    Smapi(#[from] SmapiError),
}

impl SmapiArgs {
    /// Finds an LWA access token (see [`crate::lwa::access_token`]) and makes the client.
    pub async fn client(
        &self,
        http: reqwest::Client,
        environment: &crate::lwa::LwaEnvironment,
    ) -> Result<(SmapiClient, crate::lwa::TokenSource), SmapiSetupError> {
        let cli_config = self
            .ask_cli_config
            .clone()
            .unwrap_or_else(crate::lwa::default_cli_config_path);
        let (access_token, source) =
            crate::lwa::access_token(&http, environment, &cli_config, &self.ask_profile).await?;
        Ok((
            SmapiClient::new(http, &self.smapi_url, access_token)?,
            source,
        ))
    }
}

/// What to do about each status SMAPI documents for the account-linking operations.
pub fn advice_for_status(status: u16) -> &'static str {
    match status {
        400 => {
            "SMAPI refused a value in the request: fix the one the message names in skill.toml \
             (the authorization URL must be https on port 443), then re-run"
        }
        401 => {
            "the LWA access token was refused: run `ask configure` or refresh the credentials \
             (ASK_ACCESS_TOKEN / ASK_REFRESH_TOKEN), then re-run"
        }
        403 => {
            "the LWA profile lacks access to this skill/vendor: use the profile of the vendor \
             that owns the skill (--ask-profile) and check --skill-id"
        }
        404 => {
            "no such skill, stage or account-linking configuration: check --skill-id and --stage \
             (the live stage exists only after certification)"
        }
        412 => "someone changed the skill's account linking meanwhile: re-run the command",
        429 => "SMAPI is rate limiting these credentials: wait a minute and retry",
        500..=599 => "SMAPI had a server-side failure: retry in a few minutes",
        _ => "SMAPI gave an undocumented answer: retry, and check the Alexa developer console",
    }
}

/// Talks to SMAPI with one LWA access token.
#[derive(Debug, Clone)]
pub struct SmapiClient {
    http: reqwest::Client,
    base_url: Url,
    access_token: LwaAccessToken,
}

impl SmapiClient {
    pub fn new(
        http: reqwest::Client,
        base_url: &str,
        access_token: LwaAccessToken,
    ) -> Result<Self, SmapiError> {
        let base_url = Url::parse(base_url).map_err(|error| SmapiError::BadBaseUrl {
            given: base_url.to_owned(),
            reason: error.to_string(),
        })?;
        // `localhost:8080` parses as a URL with the scheme `localhost`: refuse what cannot carry
        // the SMAPI paths instead of failing later.
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(SmapiError::BadBaseUrl {
                given: base_url.to_string(),
                reason: "it must start with https:// (or http:// for a local stand-in)".to_owned(),
            });
        }
        if !crate::http::may_carry_secrets(&base_url) {
            return Err(SmapiError::InsecureBaseUrl {
                given: base_url.to_string(),
            });
        }
        Ok(Self {
            http,
            base_url,
            access_token,
        })
    }

    /// `PUT …/accountLinkingClient`: creates or replaces the configuration (204 expected).
    pub async fn put_account_linking(
        &self,
        skill_id: &SkillId,
        stage: Stage,
        body: &AccountLinkingBody,
    ) -> Result<(), SmapiError> {
        let url = self.account_linking_url(skill_id, stage);
        // The CLI's context names the skill and stage; the message names the operation only.
        let operation = "PUT accountLinkingClient".to_owned();
        let response = self
            .http
            .put(url.clone())
            // SMAPI takes the bare LWA token, not `Bearer …`.
            .header(reqwest::header::AUTHORIZATION, self.access_token.secret())
            .json(body)
            .send()
            .await
            .map_err(|error| unreachable(&url, &error))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(());
        }
        let text = response.text().await.unwrap_or_default();
        // SMAPI's messages may quote a refused value; the secret is never printed.
        let text = match &body.account_linking_request.client_secret {
            ClientSecretField::Secret(secret) if !secret.secret().is_empty() => {
                text.replace(secret.secret(), "[redacted]")
            }
            _ => text,
        };
        Err(status_error(status, operation, &text))
    }

    /// `GET …/accountLinkingClient`: the stored configuration (`{"accountLinkingResponse": …}`,
    /// never with the secret).
    pub async fn get_account_linking(
        &self,
        skill_id: &SkillId,
        stage: Stage,
    ) -> Result<serde_json::Value, SmapiError> {
        let url = self.account_linking_url(skill_id, stage);
        let operation = "GET accountLinkingClient".to_owned();
        let response = self
            .http
            .get(url.clone())
            .header(reqwest::header::AUTHORIZATION, self.access_token.secret())
            .send()
            .await
            .map_err(|error| unreachable(&url, &error))?;
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        if status != 200 {
            return Err(status_error(status, operation, &text));
        }
        serde_json::from_str(&text).map_err(|error| SmapiError::UnreadableBody {
            operation,
            reason: error.to_string(),
        })
    }

    /// `GET /v1/vendors`: whether these credentials may act for `vendor_id`. A cheap first call
    /// that fails on bad credentials before anything is changed.
    pub async fn has_vendor(&self, vendor_id: &str) -> Result<bool, SmapiError> {
        #[derive(Deserialize)]
        struct Vendors {
            #[serde(default)]
            vendors: Vec<Vendor>,
        }
        #[derive(Deserialize)]
        struct Vendor {
            id: String,
        }
        let url = self.url(&["v1", "vendors"]);
        let answer = self.send(reqwest::Method::GET, url, None::<&()>).await?;
        let vendors: Vendors = answer.json("GET vendors", 200)?;
        Ok(vendors.vendors.iter().any(|vendor| vendor.id == vendor_id))
    }

    /// `POST /v1/skills/uploads`: a URL to PUT the package zip to, valid for a while.
    pub async fn create_upload(&self) -> Result<String, SmapiError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct UploadResponse {
            upload_url: String,
        }
        let url = self.url(&["v1", "skills", "uploads"]);
        let answer = self.send(reqwest::Method::POST, url, None::<&()>).await?;
        let upload: UploadResponse = answer.json("POST skills/uploads", 201)?;
        Ok(upload.upload_url)
    }

    /// PUTs the zip to the upload URL SMAPI handed out (presigned: no LWA token is sent there).
    pub async fn upload_package(&self, upload_url: &str, zip: Vec<u8>) -> Result<(), SmapiError> {
        let url = Url::parse(upload_url).map_err(|error| SmapiError::UnreadableBody {
            operation: "POST skills/uploads".to_owned(),
            reason: format!("the upload URL is not a URL ({error})"),
        })?;
        let response = self
            .http
            .put(url.clone())
            .body(zip)
            .send()
            .await
            .map_err(|error| unreachable(&url, &error))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(());
        }
        let text = response.text().await.unwrap_or_default();
        Err(status_error(status, "PUT upload URL".to_owned(), &text))
    }

    /// `POST /v1/skills/imports` (a new skill of `vendor_id`) or `POST /v1/skills/{id}/imports`;
    /// returns the import ID from the `Location` header.
    pub async fn import_package(
        &self,
        target: &ImportTarget,
        location: &str,
    ) -> Result<String, SmapiError> {
        let (url, body, operation) = match target {
            ImportTarget::NewSkill { vendor_id } => (
                self.url(&["v1", "skills", "imports"]),
                serde_json::to_value(CreateSkillWithPackageRequest {
                    vendor_id: vendor_id.clone(),
                    location: location.to_owned(),
                }),
                "POST skills/imports",
            ),
            ImportTarget::Skill(skill_id) => (
                self.url(&["v1", "skills", skill_id.as_str(), "imports"]),
                serde_json::to_value(UpdateSkillWithPackageRequest {
                    location: location.to_owned(),
                }),
                "POST skills/{skillId}/imports",
            ),
        };
        let body = body.expect("import bodies serialize");
        let answer = self.send(reqwest::Method::POST, url, Some(&body)).await?;
        answer.expect_status(operation, 202)?;
        answer
            .location
            .as_deref()
            .and_then(|location| location.rsplit('/').next())
            .filter(|import_id| !import_id.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| SmapiError::UnreadableBody {
                operation: operation.to_owned(),
                reason: "the answer has no Location header naming the import".to_owned(),
            })
    }

    /// `GET /v1/skills/imports/{importId}`.
    pub async fn import_status(&self, import_id: &str) -> Result<ImportStatus, SmapiError> {
        let url = self.url(&["v1", "skills", "imports", import_id]);
        let answer = self.send(reqwest::Method::GET, url, None::<&()>).await?;
        answer.json("GET skills/imports/{importId}", 200)
    }

    /// `GET /v1/skills/{skillId}/status?resource=interactionModel`: each locale's last build.
    pub async fn interaction_model_status(
        &self,
        skill_id: &SkillId,
    ) -> Result<BTreeMap<String, BuildStatus>, SmapiError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct SkillStatus {
            #[serde(default)]
            interaction_model: BTreeMap<String, LocaleStatus>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct LocaleStatus {
            last_update_request: BuildStatus,
        }
        let mut url = self.url(&["v1", "skills", skill_id.as_str(), "status"]);
        url.query_pairs_mut()
            .append_pair("resource", "interactionModel");
        let answer = self.send(reqwest::Method::GET, url, None::<&()>).await?;
        let status: SkillStatus = answer.json("GET skills/{skillId}/status", 200)?;
        Ok(status
            .interaction_model
            .into_iter()
            .map(|(locale, status)| (locale, status.last_update_request))
            .collect())
    }

    /// `DELETE /v1/skills/{skillId}` (every stage).
    pub async fn delete_skill(&self, skill_id: &SkillId) -> Result<(), SmapiError> {
        let url = self.url(&["v1", "skills", skill_id.as_str()]);
        let answer = self.send(reqwest::Method::DELETE, url, None::<&()>).await?;
        answer.expect_status("DELETE skills/{skillId}", 204)
    }

    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base_url.clone();
        url.path_segments_mut()
            .expect("an http(s) base URL has path segments")
            .pop_if_empty()
            .extend(segments);
        url
    }

    async fn send<B: Serialize + ?Sized>(
        &self,
        method: reqwest::Method,
        url: Url,
        body: Option<&B>,
    ) -> Result<Answer, SmapiError> {
        let mut request = self
            .http
            .request(method, url.clone())
            // SMAPI takes the bare LWA token, not `Bearer …` (as the ASK CLI sends it).
            .header(reqwest::header::AUTHORIZATION, self.access_token.secret());
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .map_err(|error| unreachable(&url, &error))?;
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let text = response.text().await.unwrap_or_default();
        Ok(Answer {
            status,
            location,
            text,
        })
    }

    fn account_linking_url(&self, skill_id: &SkillId, stage: Stage) -> Url {
        let mut url = self.base_url.clone();
        url.path_segments_mut()
            .expect("an http(s) base URL has path segments")
            .pop_if_empty()
            .extend([
                "v1",
                "skills",
                skill_id.as_str(),
                "stages",
                stage.as_str(),
                "accountLinkingClient",
            ]);
        url
    }
}

/// Which skill an import goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportTarget {
    /// Creates a skill owned by this vendor.
    NewSkill { vendor_id: String },
    /// Updates this skill.
    Skill(SkillId),
}

/// `{"vendorId", "location"}` (ask-smapi-model `CreateSkillWithPackageRequest`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSkillWithPackageRequest {
    pub vendor_id: String,
    pub location: String,
}

/// `{"location"}` (ask-smapi-model `UpdateSkillWithPackageRequest`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSkillWithPackageRequest {
    pub location: String,
}

/// One `{"code", "message"}` of SMAPI's errors and warnings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StandardizedError {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: String,
}

/// What `GET /v1/skills/imports/{importId}` says (ask-smapi-model `ImportResponse`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportStatus {
    /// `IN_PROGRESS`, `SUCCEEDED`, `FAILED` (or a rollback state).
    pub status: String,
    #[serde(default)]
    pub errors: Vec<StandardizedError>,
    #[serde(default)]
    pub warnings: Vec<StandardizedError>,
    #[serde(default)]
    pub skill: Option<ImportedSkill>,
}

/// The skill part of an import status.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportedSkill {
    #[serde(default)]
    pub skill_id: Option<String>,
    #[serde(default)]
    pub resources: Vec<ImportedResource>,
}

/// `Manifest` or `InteractionModel.<locale>` of an import.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ImportedResource {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub errors: Vec<StandardizedError>,
}

/// A locale's last interaction-model build.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BuildStatus {
    /// `IN_PROGRESS`, `SUCCEEDED` or `FAILED`.
    pub status: String,
    #[serde(default)]
    pub errors: Vec<StandardizedError>,
}

/// A SMAPI answer before it is judged.
struct Answer {
    status: u16,
    location: Option<String>,
    text: String,
}

impl Answer {
    fn expect_status(&self, operation: &str, expected: u16) -> Result<(), SmapiError> {
        if self.status == expected || (200..300).contains(&self.status) {
            Ok(())
        } else {
            Err(status_error(self.status, operation.to_owned(), &self.text))
        }
    }

    fn json<T: serde::de::DeserializeOwned>(
        &self,
        operation: &str,
        expected: u16,
    ) -> Result<T, SmapiError> {
        self.expect_status(operation, expected)?;
        serde_json::from_str(&self.text).map_err(|error| SmapiError::UnreadableBody {
            operation: operation.to_owned(),
            reason: error.to_string(),
        })
    }
}

/// The URL is printed without its query: the presigned upload URL's query is a credential.
fn unreachable(url: &Url, error: &reqwest::Error) -> SmapiError {
    SmapiError::Unreachable {
        url: crate::http::without_credentials(url),
        reason: crate::http::innermost_message(error),
    }
}

/// SMAPI error bodies are `{"message": "…", "violations": [{"code", "message"}]}`; the message
/// and each violation's message are kept, joined on one line.
fn status_error(status: u16, operation: String, body: &str) -> SmapiError {
    let message = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|body| {
            let mut parts: Vec<String> = Vec::new();
            if let Some(message) = body.get("message").and_then(serde_json::Value::as_str) {
                parts.push(message.to_owned());
            }
            for violation in body
                .get("violations")
                .and_then(serde_json::Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(message) = violation.get("message").and_then(serde_json::Value::as_str)
                {
                    parts.push(message.to_owned());
                }
            }
            (!parts.is_empty()).then(|| parts.join("; ").replace('\n', " "))
        });
    SmapiError::Status {
        status,
        operation,
        message,
        advice: advice_for_status(status),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_smapi_urls_are_refused_unless_loopback() {
        let client = |url: &str| {
            SmapiClient::new(
                reqwest::Client::new(),
                url,
                LwaAccessToken::new("Atza|token".to_owned()),
            )
        };
        assert!(client("https://api.amazonalexa.com").is_ok());
        assert!(client("http://127.0.0.1:5078").is_ok());
        assert!(client("http://[::1]:5078").is_ok());
        let error = client("http://api.amazonalexa.com")
            .unwrap_err()
            .to_string();
        expect_test::expect!["--smapi-url / ASK_SMAPI_SERVER_BASE_URL http://api.amazonalexa.com/ would send the LWA token and the Google client secret over plain http: use https:// (plain http only for 127.0.0.0/8, localhost or [::1])"]
            .assert_eq(&error);
        assert!(!error.contains('\n'));
    }
}
