//! The provisioning configuration (`skill.toml`): parsing, overrides from flags and environment
//! variables, and validation into types that cannot hold a bad value.
//!
//! The file holds nothing secret. The Google client secret comes from `GOOGLE_CLIENT_SECRET` or
//! `--client-secret-file` ([`ClientSecret`]); AWS and Amazon credentials come from their usual
//! places. Validation collects every problem instead of stopping at the first, so one run of
//! `provision check` lists everything to fix.

use std::fmt;
use std::path::{Path, PathBuf};

use alexa_model::SkillId;
use login_page::VendorId;
use url::Url;

use crate::scopes::KnownScope;

mod args;
mod domain;
mod file;
mod validate;
mod values;
pub use args::ConfigArgs;
pub use domain::CLOUDFRONT_CERTIFICATE_REGION;
use file::FileConfig;
use validate::Validator;
pub use values::{
    ALEXA_AWS_REGIONS, AccessTokenScheme, AlexaRegion, AwsRegion, AwsRegions, BucketName,
    CargoName, GoogleClientId, StackName, Stage, regional_bucket_name,
};

/// The file `--config` defaults to.
pub const DEFAULT_CONFIG_PATH: &str = "skill.toml";
/// The committed example that new users copy.
pub const EXAMPLE_CONFIG_PATH: &str = "skill.example.toml";
/// Google's token endpoint, Alexa's `accessTokenUrl` unless the file says otherwise.
pub const GOOGLE_TOKEN_URL: &str = "https://oauth2.googleapis.com/token";
/// The suffix every Google OAuth client ID has.
pub const GOOGLE_CLIENT_ID_SUFFIX: &str = ".apps.googleusercontent.com";
/// SMAPI accepts at most this many scopes and this many domains.
pub const MAX_SMAPI_LIST_LENGTH: usize = 15;
/// Alexa requires access tokens to live at least six minutes.
pub const MIN_TOKEN_EXPIRATION_SECONDS: u32 = 360;
/// `[account_linking] default_token_expiration_seconds` when the file omits it.
pub const DEFAULT_TOKEN_EXPIRATION_SECONDS: u32 = 3600;
/// `[account_linking] domains` when the file omits them.
pub const DEFAULT_DOMAINS: [&str; 3] = ["accounts.google.com", "google.com", "googleapis.com"];

/// A validated configuration, overrides applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from, for messages.
    pub path: PathBuf,
    pub skill: SkillConfig,
    pub google: GoogleConfig,
    pub login_page: LoginPageLocation,
    pub aws: AwsConfig,
    pub account_linking: AccountLinkingConfig,
    /// Built by validation from `google` and `skill`, with the login page crate's own checks,
    /// so [`Config::login_page_config`] cannot fail. Private: it must match those fields.
    login_page_config: login_page::LoginPageConfig,
}

/// `[skill]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillConfig {
    /// Absent until the skill exists (the deploy creates it); commands that need it say so.
    pub skill_id: Option<SkillId>,
    pub vendor_id: VendorId,
    pub stage: Stage,
    /// The cargo package whose binary is the Lambda function (default: the sample, `skill`).
    pub package: CargoName,
    /// That package's binary target (default: `skill`).
    pub binary: CargoName,
    /// The ASK CLI skill-package folder (default `infra/skill-package`), relative to the config
    /// file's folder unless absolute.
    pub skill_package: PathBuf,
}

/// `[skill] package` and `binary` when the file omits them: the sample skill.
pub const DEFAULT_LAMBDA_PACKAGE: &str = "skill";
/// `[skill] skill_package` when the file omits it.
pub const DEFAULT_SKILL_PACKAGE: &str = "infra/skill-package";

/// `[google]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoogleConfig {
    pub client_id: GoogleClientId,
    /// In the order the file lists them, each known to [`crate::scopes`].
    pub scopes: Vec<&'static KnownScope>,
    pub authorization_endpoint: Url,
    pub token_url: Url,
}

/// `[login_page]`: where the rendered page is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginPageLocation {
    pub bucket: BucketName,
    pub key: crate::login_page::ObjectKey,
    /// The public URL when it is not the S3 REST URL of `bucket`/`key` (e.g. CloudFront).
    pub url: Option<Url>,
    /// The developer's own domain, served by the stack's CloudFront distribution.
    pub domain: Option<LoginPageDomain>,
}

/// `[login_page] domain` and `hosted_zone_id` (docs/login-page-domain.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginPageDomain {
    /// A bare lowercase host name, like `login.example.com`.
    pub name: String,
    /// A Route 53 zone of the account that validates the certificate by itself; without it the
    /// deploy prints the CNAME record to create and waits for it.
    pub hosted_zone_id: Option<String>,
}

/// `[aws]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsConfig {
    /// The first of [`Self::regions`]: where the login page and the default endpoint's
    /// function are, and the region of every command that works on one stack.
    pub region: AwsRegion,
    /// Every region that gets a stack, `region` first (docs/deploy.md, "Regions").
    pub regions: AwsRegions,
    pub stack_name: StackName,
    pub artifacts_bucket: BucketName,
    /// The cost cap: at most this many concurrent executions of the function; `None`: no cap.
    pub reserved_concurrent_executions: Option<u32>,
}

/// `[account_linking]`: the SMAPI settings that are not derived from other sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountLinkingConfig {
    pub access_token_scheme: AccessTokenScheme,
    pub domains: Vec<String>,
    pub default_token_expiration_seconds: u32,
}

secrets::new_secret_type!(
    /// The Google OAuth client secret. Never in the config file, never printed.
    pub ClientSecret
);

/// Where the client secret is read from, in this order.
pub const CLIENT_SECRET_ENV: &str = "GOOGLE_CLIENT_SECRET";

/// Reads the client secret from `--client-secret-file` if given, else from `GOOGLE_CLIENT_SECRET`
/// (passed in, so tests and callers decide what the environment is). A file's trailing newline
/// is dropped; other surrounding whitespace is an error, because a secret pasted with a stray
/// space is a classic cause of Alexa's "unable to link" and is better fixed than hidden.
pub fn load_client_secret(
    secret_file: Option<&Path>,
    secret_from_environment: Option<String>,
) -> Result<ClientSecret, ConfigError> {
    let (secret, origin) = match secret_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|error| {
                ConfigError::single(
                    path.display().to_string(),
                    "client secret",
                    format!("cannot be read ({error})"),
                    "pass the file Google's console let you download the secret into, or set \
                     GOOGLE_CLIENT_SECRET instead",
                )
            })?;
            let text = text.strip_suffix('\n').unwrap_or(&text);
            let text = text.strip_suffix('\r').unwrap_or(text);
            let secret = if text.trim_start().starts_with('{') {
                secret_from_google_json(text).map_err(|problem| {
                    ConfigError::single(
                        path.display().to_string(),
                        "client secret",
                        problem,
                        "pass the JSON Google Cloud Console downloads for the OAuth client \
                         (Credentials, the client, Download JSON), or a file holding only the \
                         secret",
                    )
                })?
            } else {
                text.to_owned()
            };
            (secret, path.display().to_string())
        }
        None => match secret_from_environment {
            Some(secret) => (secret, CLIENT_SECRET_ENV.to_owned()),
            None => {
                return Err(ConfigError::single(
                    CLIENT_SECRET_ENV.to_owned(),
                    "client secret",
                    "is not set".to_owned(),
                    "export GOOGLE_CLIENT_SECRET=<the secret of the OAuth client> or pass \
                     --client-secret-file PATH (it never goes into skill.toml)",
                ));
            }
        },
    };
    if secret.is_empty() {
        return Err(ConfigError::single(
            origin,
            "client secret",
            "is empty".to_owned(),
            "copy the client secret from Google Cloud Console, APIs & Services, Credentials",
        ));
    }
    if secret.trim() != secret {
        return Err(ConfigError::single(
            origin,
            "client secret",
            "has leading or trailing whitespace".to_owned(),
            "remove the spaces; Google compares the secret exactly",
        ));
    }
    Ok(ClientSecret::new(secret))
}

/// What is wrong with the TOML and where, in one line, never the offending text: toml's own
/// message quotes the line (a source excerpt), and serde's names the value, either of which may
/// be a client secret pasted into the file by mistake.
fn syntax_reason(error: &toml::de::Error, text: &str) -> String {
    let message = error.message().lines().next().unwrap_or("").trim();
    // serde's "invalid type: string \"…\", expected …" quotes the value: keep the kind only.
    let message = ["invalid type: ", "invalid value: "]
        .iter()
        .find_map(|prefix| {
            let rest = message.strip_prefix(prefix)?;
            let kind = rest.split_whitespace().next().unwrap_or("value");
            let kind = kind.trim_end_matches(',');
            let expected = rest.rfind(", expected").map_or("", |at| &rest[at..]);
            Some(format!("{prefix}a {kind}{expected}"))
        })
        .unwrap_or_else(|| message.to_owned());
    let place = error.span().map(|span| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        format!(" (line {line}, column {column})")
    });
    let hint = if message.starts_with("unknown field `") && message.contains("secret") {
        "; the client secret never goes into skill.toml: remove the line, and export \
         GOOGLE_CLIENT_SECRET or pass --client-secret-file PATH"
    } else {
        ""
    };
    format!("{message}{}{hint}", place.unwrap_or_default())
}

/// `web.client_secret` (a Web application client, the kind account linking uses) or
/// `installed.client_secret` of the JSON Google's console downloads. The problem never quotes the
/// file: it holds the secret.
fn secret_from_google_json(text: &str) -> Result<String, String> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|error| {
        format!(
            "is not valid JSON (line {}, column {})",
            error.line(),
            error.column()
        )
    })?;
    ["web", "installed"]
        .iter()
        .find_map(|section| json.get(section)?.get("client_secret")?.as_str())
        .map(str::to_owned)
        .ok_or_else(|| "is JSON without web.client_secret or installed.client_secret".to_owned())
}

/// Values that replace the file's, from flags or environment variables. `None` keeps the file's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub skill_id: Option<String>,
    pub vendor_id: Option<String>,
    pub stage: Option<String>,
    pub google_client_id: Option<String>,
    pub scopes: Option<Vec<String>>,
    pub authorization_endpoint: Option<String>,
    pub token_url: Option<String>,
    pub login_page_bucket: Option<String>,
    pub login_page_key: Option<String>,
    pub login_page_url: Option<String>,
    pub region: Option<String>,
    pub stack_name: Option<String>,
    pub artifacts_bucket: Option<String>,
    pub access_token_scheme: Option<String>,
    pub domains: Option<Vec<String>>,
    pub default_token_expiration_seconds: Option<u32>,
}

/// The configuration could not be used. Every problem names where the value came from (the file
/// or the flag/variable), the key, and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "config file {path} does not exist: run `cp skill.example.toml {path}` in the repository \
         root and fill it in, or pass --config PATH"
    )]
    NotFound { path: PathBuf },
    #[error("cannot read config file {path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("{path} is not valid TOML for this tool: {reason}")]
    Syntax { path: PathBuf, reason: String },
    #[error("{}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid { problems: Vec<ConfigProblem> },
}

impl ConfigError {
    fn single(origin: String, key: &str, problem: String, fix: &str) -> Self {
        ConfigError::Invalid {
            problems: vec![ConfigProblem {
                origin,
                key: key.to_owned(),
                problem,
                fix: fix.to_owned(),
            }],
        }
    }

    /// One line per problem: what is wrong and how to fix it.
    pub fn findings(&self) -> Vec<String> {
        match self {
            ConfigError::Invalid { problems } => problems.iter().map(ToString::to_string).collect(),
            other => vec![other.to_string()],
        }
    }
}

/// One bad or missing value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// `skill.toml`, or the flag and variable the value came from.
    pub origin: String,
    /// `section.key`.
    pub key: String,
    pub problem: String,
    pub fix: String,
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}: {} {}", self.origin, self.key, self.problem)?;
        // Some validators' messages already name the fix; they pass an empty one.
        if !self.fix.is_empty() {
            write!(formatter, ": {}", self.fix)?;
        }
        Ok(())
    }
}

impl Config {
    /// Reads and validates `path` without overrides.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Self::load_with_overrides(path, &Overrides::default())
    }

    /// Reads `path`, applies `overrides`, and validates the result.
    pub fn load_with_overrides(path: &Path, overrides: &Overrides) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(ConfigError::NotFound {
                    path: path.to_owned(),
                });
            }
            Err(error) => {
                return Err(ConfigError::Unreadable {
                    path: path.to_owned(),
                    reason: error.to_string(),
                });
            }
        };
        Self::parse(&text, path, overrides)
    }

    /// Validates `text` as if read from `path`.
    pub fn parse(text: &str, path: &Path, overrides: &Overrides) -> Result<Config, ConfigError> {
        let file: FileConfig = toml::from_str(text).map_err(|error| ConfigError::Syntax {
            path: path.to_owned(),
            reason: syntax_reason(&error, text),
        })?;
        Validator {
            file_name: path.display().to_string(),
            problems: Vec::new(),
        }
        .validate(file, overrides)
    }

    /// The skill ID, or an error naming how to provide it.
    pub fn require_skill_id(&self) -> Result<&SkillId, ConfigError> {
        self.skill.skill_id.as_ref().ok_or_else(|| {
            ConfigError::single(
                self.path.display().to_string(),
                "skill.skill_id",
                "is not set".to_owned(),
                "set skill_id = \"amzn1.ask.skill.…\" under [skill], or pass --skill-id / SKILL_ID \
                 (the developer console shows it under the skill's name)",
            )
        })
    }

    /// The public URL of the login page: `[login_page] url` if set, else
    /// `https://<domain>/<key>` with `[login_page] domain` on AWS, else the S3 object URL,
    /// `https://<bucket>.s3.<region>.amazonaws.com/<key>` on AWS (the REST endpoint: the website
    /// endpoint has no HTTPS, which Alexa requires) or `<endpoint>/<bucket>/<key>` (path style)
    /// for an S3-compatible endpoint. Computed locally, the same shapes as
    /// [`crate::login_page::object_url`], which needs credentials to presign.
    pub fn login_page_url(&self, s3_endpoint_url: Option<&Url>) -> Url {
        if let Some(url) = &self.login_page.url {
            return url.clone();
        }
        if let Some(domain) = &self.login_page.domain
            && s3_endpoint_url.is_none()
        {
            return Url::parse(&format!(
                "https://{}/{}",
                domain.name,
                self.login_page.key.as_str()
            ))
            .expect("a validated host name and ObjectKey make a URL");
        }
        let bucket = self.login_page.bucket.as_str();
        let key = self.login_page.key.as_str();
        let text = match s3_endpoint_url {
            Some(endpoint) => format!("{}/{bucket}/{key}", endpoint.as_str().trim_end_matches('/')),
            // A dotted bucket name breaks the TLS wildcard certificate of virtual-hosted URLs.
            None if bucket.contains('.') => format!(
                "https://s3.{}.amazonaws.com/{bucket}/{key}",
                self.aws.region.as_str()
            ),
            None => format!(
                "https://{bucket}.s3.{}.amazonaws.com/{key}",
                self.aws.region.as_str()
            ),
        };
        Url::parse(&text)
            .expect("BucketName, AwsRegion and ObjectKey hold only URL-safe characters")
    }

    /// The login page's configuration: the configured authorization endpoint, Alexa's three
    /// redirect origins, and this vendor's link path.
    pub fn login_page_config(&self) -> login_page::LoginPageConfig {
        self.login_page_config.clone()
    }

    /// The scope strings, in file order.
    pub fn scope_names(&self) -> Vec<&'static str> {
        self.google.scopes.iter().map(|scope| scope.name).collect()
    }
}

#[cfg(test)]
mod tests;
