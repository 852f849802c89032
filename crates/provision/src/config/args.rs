//! The command-line flags (each with its environment variable) that override `skill.toml`, shared
//! by every `provision` subcommand and by anything else that wants to `#[command(flatten)]` them.

use std::path::PathBuf;

use super::{Config, ConfigError, DEFAULT_CONFIG_PATH, Overrides};

/// Where the config file is and which of its values to replace.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConfigArgs {
    /// The configuration file (start from skill.example.toml).
    #[arg(long, global = true, env = "SKILL_CONFIG", default_value = DEFAULT_CONFIG_PATH, value_name = "PATH")]
    pub config: PathBuf,
    /// Overrides [skill] skill_id.
    #[arg(
        long,
        global = true,
        env = "SKILL_ID",
        value_name = "amzn1.ask.skill.…"
    )]
    pub skill_id: Option<String>,
    /// Overrides [skill] vendor_id.
    #[arg(long, global = true, env = "ASK_VENDOR_ID", value_name = "ID")]
    pub vendor_id: Option<String>,
    /// Overrides [skill] stage: development or live.
    #[arg(long, global = true, env = "SKILL_STAGE", value_name = "STAGE")]
    pub stage: Option<String>,
    /// Overrides [google] client_id.
    #[arg(long, global = true, env = "GOOGLE_CLIENT_ID", value_name = "ID")]
    pub google_client_id: Option<String>,
    /// Overrides [google] scopes (space-separated in the variable, repeatable as a flag).
    #[arg(long, global = true, env = "GOOGLE_SCOPES", value_delimiter = ' ', num_args = 1.., value_name = "SCOPE")]
    pub scopes: Option<Vec<String>>,
    /// Overrides [google] authorization_endpoint.
    #[arg(
        long,
        global = true,
        env = "GOOGLE_AUTHORIZATION_ENDPOINT",
        value_name = "URL"
    )]
    pub authorization_endpoint: Option<String>,
    /// Overrides [google] token_url.
    #[arg(long, global = true, env = "GOOGLE_TOKEN_URL", value_name = "URL")]
    pub token_url: Option<String>,
    /// Overrides [login_page] bucket.
    #[arg(long, global = true, env = "LOGIN_PAGE_BUCKET", value_name = "BUCKET")]
    pub login_page_bucket: Option<String>,
    /// Overrides [login_page] key.
    #[arg(long, global = true, env = "LOGIN_PAGE_KEY", value_name = "KEY")]
    pub login_page_key: Option<String>,
    /// Overrides [login_page] url.
    #[arg(long, global = true, env = "LOGIN_PAGE_URL", value_name = "URL")]
    pub login_page_url: Option<String>,
    /// Overrides [aws] region.
    #[arg(long, global = true, env = "AWS_REGION", value_name = "REGION")]
    pub region: Option<String>,
    /// Overrides [aws] stack_name.
    #[arg(long, global = true, env = "STACK_NAME", value_name = "NAME")]
    pub stack_name: Option<String>,
    /// Overrides [aws] artifacts_bucket.
    #[arg(long, global = true, env = "ARTIFACTS_BUCKET", value_name = "BUCKET")]
    pub artifacts_bucket: Option<String>,
    /// Overrides [account_linking] access_token_scheme: HTTP_BASIC or REQUEST_BODY_CREDENTIALS.
    #[arg(
        long,
        global = true,
        env = "ACCESS_TOKEN_SCHEME",
        value_name = "SCHEME"
    )]
    pub access_token_scheme: Option<String>,
    /// Overrides [account_linking] domains (space-separated in the variable).
    #[arg(long, global = true, env = "ACCOUNT_LINKING_DOMAINS", value_delimiter = ' ', num_args = 1.., value_name = "DOMAIN")]
    pub domains: Option<Vec<String>>,
    /// Overrides [account_linking] default_token_expiration_seconds.
    #[arg(
        long,
        global = true,
        env = "DEFAULT_TOKEN_EXPIRATION_SECONDS",
        value_name = "SECONDS"
    )]
    pub default_token_expiration_seconds: Option<u32>,
}

impl ConfigArgs {
    /// The overrides these flags carry.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            skill_id: self.skill_id.clone(),
            vendor_id: self.vendor_id.clone(),
            stage: self.stage.clone(),
            google_client_id: self.google_client_id.clone(),
            scopes: self.scopes.clone(),
            authorization_endpoint: self.authorization_endpoint.clone(),
            token_url: self.token_url.clone(),
            login_page_bucket: self.login_page_bucket.clone(),
            login_page_key: self.login_page_key.clone(),
            login_page_url: self.login_page_url.clone(),
            region: self.region.clone(),
            stack_name: self.stack_name.clone(),
            artifacts_bucket: self.artifacts_bucket.clone(),
            access_token_scheme: self.access_token_scheme.clone(),
            domains: self.domains.clone(),
            default_token_expiration_seconds: self.default_token_expiration_seconds,
        }
    }

    /// Reads `--config` and applies the overrides.
    pub fn load(&self) -> Result<Config, ConfigError> {
        Config::load_with_overrides(&self.config, &self.overrides())
    }
}
