//! Alexa account linking through SMAPI: the request body built from the config, and the
//! `PUT`/`GET /v1/skills/{skillId}/stages/{stage}/accountLinkingClient` calls.

use alexa_model::SkillId;
use serde::{Serialize, Serializer};
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
            domains: config.account_linking.domains.clone(),
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

fn unreachable(url: &Url, error: &reqwest::Error) -> SmapiError {
    SmapiError::Unreachable {
        url: url.clone(),
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
