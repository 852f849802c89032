//! The file schema of `skill.toml` as written, before validation, and where each override comes
//! from.

use serde::Deserialize;

use crate::scopes::ScopeDeclaration;

/// The file as written: every key optional so that validation can report all missing keys at
/// once. Unknown keys are refused because in a hand-written config they are typos.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileConfig {
    #[serde(default)]
    pub(super) skill: FileSkill,
    #[serde(default)]
    pub(super) google: FileGoogle,
    #[serde(default)]
    pub(super) login_page: FileLoginPage,
    #[serde(default)]
    pub(super) aws: FileAws,
    #[serde(default)]
    pub(super) account_linking: FileAccountLinking,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileSkill {
    pub(super) skill_id: Option<String>,
    pub(super) vendor_id: Option<String>,
    pub(super) stage: Option<String>,
    pub(super) package: Option<String>,
    pub(super) binary: Option<String>,
    pub(super) skill_package: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileGoogle {
    pub(super) client_id: Option<String>,
    pub(super) scopes: Option<Vec<String>>,
    /// Scopes the table in `google_api::scopes` does not know, described by the skill.
    #[serde(default)]
    pub(super) declared_scopes: Vec<ScopeDeclaration>,
    pub(super) authorization_endpoint: Option<String>,
    pub(super) token_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileLoginPage {
    pub(super) bucket: Option<String>,
    pub(super) key: Option<String>,
    pub(super) url: Option<String>,
    pub(super) domain: Option<String>,
    pub(super) hosted_zone_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileAws {
    pub(super) region: Option<String>,
    pub(super) regions: Option<Vec<String>>,
    pub(super) stack_name: Option<String>,
    pub(super) artifacts_bucket: Option<String>,
    pub(super) reserved_concurrent_executions: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileAccountLinking {
    pub(super) access_token_scheme: Option<String>,
    pub(super) domains: Option<Vec<String>>,
    pub(super) default_token_expiration_seconds: Option<u32>,
}

/// Where an override for each key comes from, for messages.
pub(super) const OVERRIDE_ORIGINS: &[(&str, &str)] = &[
    ("skill.skill_id", "--skill-id / SKILL_ID"),
    ("skill.vendor_id", "--vendor-id / ASK_VENDOR_ID"),
    ("skill.stage", "--stage / SKILL_STAGE"),
    ("google.client_id", "--google-client-id / GOOGLE_CLIENT_ID"),
    ("google.scopes", "--scopes / GOOGLE_SCOPES"),
    (
        "google.authorization_endpoint",
        "--authorization-endpoint / GOOGLE_AUTHORIZATION_ENDPOINT",
    ),
    ("google.token_url", "--token-url / GOOGLE_TOKEN_URL"),
    (
        "login_page.bucket",
        "--login-page-bucket / LOGIN_PAGE_BUCKET",
    ),
    ("login_page.key", "--login-page-key / LOGIN_PAGE_KEY"),
    ("login_page.url", "--login-page-url / LOGIN_PAGE_URL"),
    ("aws.region", "--region / AWS_REGION"),
    ("aws.stack_name", "--stack-name / STACK_NAME"),
    (
        "aws.artifacts_bucket",
        "--artifacts-bucket / ARTIFACTS_BUCKET",
    ),
    (
        "account_linking.access_token_scheme",
        "--access-token-scheme / ACCESS_TOKEN_SCHEME",
    ),
    (
        "account_linking.domains",
        "--domains / ACCOUNT_LINKING_DOMAINS",
    ),
    (
        "account_linking.default_token_expiration_seconds",
        "--default-token-expiration-seconds / DEFAULT_TOKEN_EXPIRATION_SECONDS",
    ),
];
