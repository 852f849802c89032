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
use serde::Deserialize;
use url::Url;

use crate::scopes::{self, KnownScope};

mod args;
pub use args::ConfigArgs;

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

/// A cargo package or target name: letters, digits, `-` and `_`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CargoName(String);

impl CargoName {
    pub fn parse(name: &str) -> Result<Self, String> {
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
        if valid {
            Ok(Self(name.to_owned()))
        } else {
            Err(format!(
                "{name:?} is not a cargo package or binary name (letters, digits, - and _)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

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

/// A skill stage SMAPI accepts for account linking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Development,
    Live,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Development => "development",
            Stage::Live => "live",
        }
    }
}

/// How Alexa sends the Google client credentials to the token URL; Google accepts both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessTokenScheme {
    HttpBasic,
    RequestBodyCredentials,
}

impl AccessTokenScheme {
    /// The SMAPI spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessTokenScheme::HttpBasic => "HTTP_BASIC",
            AccessTokenScheme::RequestBodyCredentials => "REQUEST_BODY_CREDENTIALS",
        }
    }
}

/// A Google OAuth client ID: `<something>.apps.googleusercontent.com`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoogleClientId(String);

impl GoogleClientId {
    pub fn parse(client_id: &str) -> Result<Self, String> {
        let prefix = client_id
            .strip_suffix(GOOGLE_CLIENT_ID_SUFFIX)
            .ok_or_else(|| format!("{client_id:?} does not end with {GOOGLE_CLIENT_ID_SUFFIX}"))?;
        let valid_prefix = !prefix.is_empty()
            && prefix
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
        if valid_prefix {
            Ok(Self(client_id.to_owned()))
        } else {
            Err(format!(
                "{client_id:?} has characters other than letters, digits and hyphens before \
                 {GOOGLE_CLIENT_ID_SUFFIX}"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An S3 bucket name that follows S3's naming rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketName(String);

impl BucketName {
    pub fn parse(bucket: &str) -> Result<Self, String> {
        crate::login_page::validate_bucket_name(bucket)
            .map(|()| Self(bucket.to_owned()))
            .map_err(|error| error.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An AWS region code like `us-east-1` or `us-gov-west-1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsRegion(String);

impl AwsRegion {
    pub fn parse(region: &str) -> Result<Self, String> {
        let parts: Vec<&str> = region.split('-').collect();
        let shaped = parts.len() >= 3
            && parts[..parts.len() - 1]
                .iter()
                .all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_lowercase()))
            && parts[parts.len() - 1]
                .bytes()
                .all(|byte| byte.is_ascii_digit())
            && !parts[parts.len() - 1].is_empty();
        if shaped {
            Ok(Self(region.to_owned()))
        } else {
            Err(format!("{region:?} is not an AWS region code"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An Alexa endpoint region of the skill manifest (`apis.custom.regions`): Alexa sends a
/// request to the endpoint of the user's region, or to the default endpoint without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AlexaRegion {
    /// North America.
    Na,
    /// Europe and India.
    Eu,
    /// Far East.
    Fe,
}

/// The AWS region Amazon advises for each Alexa region (docs/deploy.md, "Regions").
pub const ALEXA_AWS_REGIONS: [(AlexaRegion, &str); 3] = [
    (AlexaRegion::Na, "us-east-1"),
    (AlexaRegion::Eu, "eu-west-1"),
    (AlexaRegion::Fe, "us-west-2"),
];

impl AlexaRegion {
    /// The manifest's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AlexaRegion::Na => "NA",
            AlexaRegion::Eu => "EU",
            AlexaRegion::Fe => "FE",
        }
    }

    /// The Alexa region an AWS region serves, for the three regions Amazon advises.
    pub fn for_aws_region(region: &AwsRegion) -> Option<AlexaRegion> {
        ALEXA_AWS_REGIONS
            .iter()
            .find(|(_, aws)| *aws == region.as_str())
            .map(|(alexa, _)| *alexa)
    }
}

/// The regions with a stack: at least one, no repeats, and, when there are several, each one
/// of [`ALEXA_AWS_REGIONS`] so that it has an Alexa region to serve. The first is the main one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsRegions {
    main: AwsRegion,
    others: Vec<(AwsRegion, AlexaRegion)>,
}

impl AwsRegions {
    /// The one region of a single-region deploy: any AWS region.
    pub fn single(region: AwsRegion) -> Self {
        Self {
            main: region,
            others: Vec::new(),
        }
    }

    /// Several regions, `regions[0]` the main one.
    pub fn parse(regions: &[String]) -> Result<Self, String> {
        let parsed = regions
            .iter()
            .map(|region| AwsRegion::parse(region))
            .collect::<Result<Vec<_>, _>>()?;
        let Some((main, others)) = parsed.split_first() else {
            return Err("the list is empty".to_owned());
        };
        if others.is_empty() {
            return Ok(Self::single(main.clone()));
        }
        let mut seen = Vec::new();
        for region in &parsed {
            let Some(alexa) = AlexaRegion::for_aws_region(region) else {
                return Err(format!(
                    "{:?} serves no Alexa region: with several regions, list only us-east-1 (NA), eu-west-1 (EU) and us-west-2 (FE)",
                    region.as_str()
                ));
            };
            if seen.contains(&alexa) {
                return Err(format!("{:?} is listed twice", region.as_str()));
            }
            seen.push(alexa);
        }
        Ok(Self {
            main: main.clone(),
            others: others
                .iter()
                .cloned()
                .zip(seen.into_iter().skip(1))
                .collect(),
        })
    }

    /// The first region: the login page's and the default endpoint's.
    pub fn main(&self) -> &AwsRegion {
        &self.main
    }

    /// The regions after the first, each with the Alexa region it serves.
    pub fn others(&self) -> &[(AwsRegion, AlexaRegion)] {
        &self.others
    }

    /// Every region, the main one first.
    pub fn all(&self) -> impl Iterator<Item = &AwsRegion> {
        std::iter::once(&self.main).chain(self.others.iter().map(|(region, _)| region))
    }

    /// The Alexa region of each region when there are several; empty for a single region,
    /// whose function is the default endpoint for every Alexa region.
    pub fn alexa_regions(&self) -> Vec<(AlexaRegion, &AwsRegion)> {
        if self.others.is_empty() {
            return Vec::new();
        }
        self.all()
            .filter_map(|region| AlexaRegion::for_aws_region(region).map(|alexa| (alexa, region)))
            .collect()
    }
}

/// The name of a per-region bucket: `bucket` in the main region, `<bucket>-<region>` elsewhere
/// (bucket names are global, and Lambda reads its code from a bucket of its own region).
pub fn regional_bucket_name(
    bucket: &BucketName,
    regions: &AwsRegions,
    region: &AwsRegion,
) -> String {
    if region == regions.main() {
        bucket.as_str().to_owned()
    } else {
        format!("{}-{}", bucket.as_str(), region.as_str())
    }
}

/// A CloudFormation stack name: a letter, then letters, digits and hyphens, at most 128.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackName(String);

impl StackName {
    pub fn parse(stack_name: &str) -> Result<Self, String> {
        let valid = (1..=128).contains(&stack_name.len())
            && stack_name.starts_with(|character: char| character.is_ascii_alphabetic())
            && stack_name
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-');
        if valid {
            Ok(Self(stack_name.to_owned()))
        } else {
            Err(format!(
                "{stack_name:?} is not a CloudFormation stack name (a letter, then letters, \
                 digits and hyphens, at most 128)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
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
            (text.to_owned(), path.display().to_string())
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
            // toml's message spans several lines (a source excerpt); one line reads better.
            reason: error
                .to_string()
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
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

    /// The public URL of the login page: `[login_page] url` if set, else the S3 object URL,
    /// `https://<bucket>.s3.<region>.amazonaws.com/<key>` on AWS (the REST endpoint: the website
    /// endpoint has no HTTPS, which Alexa requires) or `<endpoint>/<bucket>/<key>` (path style)
    /// for an S3-compatible endpoint. Computed locally, the same shapes as
    /// [`crate::login_page::object_url`], which needs credentials to presign.
    pub fn login_page_url(&self, s3_endpoint_url: Option<&Url>) -> Url {
        if let Some(url) = &self.login_page.url {
            return url.clone();
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
        Url::parse(&text).expect("bucket, region and key were validated")
    }

    /// The login page's configuration: the configured authorization endpoint, Alexa's three
    /// redirect origins, and this vendor's link path.
    pub fn login_page_config(&self) -> login_page::LoginPageConfig {
        login_page::LoginPageConfig::new(
            self.google.authorization_endpoint.clone(),
            login_page::alexa_redirect_origins(),
            Some(self.skill.vendor_id.clone()),
            login_page::OAuthClient::new(self.google.client_id.as_str(), self.scope_names())
                .expect("the client ID and scopes were validated"),
        )
        .expect("the authorization endpoint was validated with the login page's own rules")
    }

    /// The scope strings, in file order.
    pub fn scope_names(&self) -> Vec<&'static str> {
        self.google.scopes.iter().map(|scope| scope.name).collect()
    }
}

/// The file as written: every key optional so that validation can report all missing keys at
/// once. Unknown keys are refused because in a hand-written config they are typos.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    skill: FileSkill,
    #[serde(default)]
    google: FileGoogle,
    #[serde(default)]
    login_page: FileLoginPage,
    #[serde(default)]
    aws: FileAws,
    #[serde(default)]
    account_linking: FileAccountLinking,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSkill {
    skill_id: Option<String>,
    vendor_id: Option<String>,
    stage: Option<String>,
    package: Option<String>,
    binary: Option<String>,
    skill_package: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileGoogle {
    client_id: Option<String>,
    scopes: Option<Vec<String>>,
    authorization_endpoint: Option<String>,
    token_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLoginPage {
    bucket: Option<String>,
    key: Option<String>,
    url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAws {
    region: Option<String>,
    regions: Option<Vec<String>>,
    stack_name: Option<String>,
    artifacts_bucket: Option<String>,
    reserved_concurrent_executions: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAccountLinking {
    access_token_scheme: Option<String>,
    domains: Option<Vec<String>>,
    default_token_expiration_seconds: Option<u32>,
}

/// Where an override for each key comes from, for messages.
const OVERRIDE_ORIGINS: &[(&str, &str)] = &[
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

struct Validator {
    file_name: String,
    problems: Vec<ConfigProblem>,
}

/// A value and where it came from.
struct Sourced<T> {
    value: T,
    origin: String,
}

impl Validator {
    fn validate(mut self, file: FileConfig, overrides: &Overrides) -> Result<Config, ConfigError> {
        let skill_id = self.pick("skill.skill_id", &overrides.skill_id, file.skill.skill_id);
        let skill_id = skill_id.and_then(|sourced| {
            self.check(sourced, "skill.skill_id", "", |text| {
                SkillId::parse(text).map_err(|error| error.to_string())
            })
        });
        let vendor_id = self.required(
            "skill.vendor_id",
            &overrides.vendor_id,
            file.skill.vendor_id,
            "",
            |text: &String| VendorId::new(text.as_str()).map_err(|error| error.to_string()),
        );
        let stage = self
            .pick("skill.stage", &overrides.stage, file.skill.stage)
            .map_or(Some(Stage::Development), |sourced| {
                self.check(
                    sourced,
                    "skill.stage",
                    "use \"development\" or \"live\"",
                    |text: &String| match text.as_str() {
                        "development" => Ok(Stage::Development),
                        "live" => Ok(Stage::Live),
                        other => Err(format!("{other:?} is not a stage")),
                    },
                )
            });
        let package = self.defaulted(
            "skill.package",
            file.skill.package,
            DEFAULT_LAMBDA_PACKAGE,
            "name the cargo package of the skill's Lambda binary",
            CargoName::parse,
        );
        let binary = self.defaulted(
            "skill.binary",
            file.skill.binary,
            DEFAULT_LAMBDA_PACKAGE,
            "name the binary target of that package",
            CargoName::parse,
        );
        let config_folder = Path::new(&self.file_name)
            .parent()
            .map(Path::to_owned)
            .unwrap_or_default();
        let skill_package = config_folder.join(
            file.skill
                .skill_package
                .as_deref()
                .unwrap_or(DEFAULT_SKILL_PACKAGE),
        );

        let client_id = self.required(
            "google.client_id",
            &overrides.google_client_id,
            file.google.client_id,
            "copy the Web application client ID from Google Cloud Console, APIs & Services, \
             Credentials",
            |text: &String| GoogleClientId::parse(text),
        );
        let scopes = self.required(
            "google.scopes",
            &overrides.scopes,
            file.google.scopes,
            "list the scopes the skill needs; `provision google-setup` prints the known ones",
            |names: &Vec<String>| parse_scopes(names),
        );
        let authorization_endpoint = self
            .pick(
                "google.authorization_endpoint",
                &overrides.authorization_endpoint,
                file.google.authorization_endpoint,
            )
            .map_or_else(
                || Some(Url::parse(login_page::GOOGLE_AUTHORIZATION_ENDPOINT).expect("valid")),
                |sourced| {
                    self.check(
                        sourced,
                        "google.authorization_endpoint",
                        "use https://accounts.google.com/o/oauth2/v2/auth (or remove the key)",
                        |text: &String| parse_authorization_endpoint(text),
                    )
                },
            );
        let token_url = self
            .pick(
                "google.token_url",
                &overrides.token_url,
                file.google.token_url,
            )
            .map_or_else(
                || Some(Url::parse(GOOGLE_TOKEN_URL).expect("valid")),
                |sourced| {
                    self.check(
                        sourced,
                        "google.token_url",
                        "use https://oauth2.googleapis.com/token (or remove the key)",
                        |text| parse_web_url(text),
                    )
                },
            );

        let login_page_bucket = self.required(
            "login_page.bucket",
            &overrides.login_page_bucket,
            file.login_page.bucket,
            "name the S3 bucket that serves the login page, e.g. my-skill-login-page-<account id>",
            |text: &String| BucketName::parse(text),
        );
        let login_page_key = self
            .pick(
                "login_page.key",
                &overrides.login_page_key,
                file.login_page.key,
            )
            .map_or_else(
                || crate::login_page::ObjectKey::parse(login_page::OBJECT_KEY).ok(),
                |sourced| {
                    self.check(
                        sourced,
                        "login_page.key",
                        "use an object key like index.html or link/index.html",
                        |text| {
                            crate::login_page::ObjectKey::parse(text)
                                .map_err(|error| error.to_string())
                        },
                    )
                },
            );
        let login_page_url = self
            .pick(
                "login_page.url",
                &overrides.login_page_url,
                file.login_page.url,
            )
            .map(|sourced| {
                self.check(
                    sourced,
                    "login_page.url",
                    "give the page's public https URL (CloudFront or your domain), or remove \
                     the key to use the S3 object URL",
                    |text| parse_web_url(text),
                )
            });

        let region_sourced = self.pick("aws.region", &overrides.region, file.aws.region);
        let regions = match file.aws.regions {
            Some(list) => {
                let sourced = Sourced {
                    value: list,
                    origin: self.file_name.clone(),
                };
                let regions = self.check(
                    sourced,
                    "aws.regions",
                    "list AWS regions, the main one (login page, default endpoint) first, e.g. \
                     [\"us-east-1\", \"eu-west-1\"]",
                    |list: &Vec<String>| AwsRegions::parse(list),
                );
                // `region` may repeat the list's first entry (AWS_REGION is often set).
                match (&regions, region_sourced) {
                    (Some(regions), Some(sourced)) if sourced.value != regions.main().as_str() => {
                        self.problems.push(ConfigProblem {
                            origin: sourced.origin,
                            key: "aws.region".to_owned(),
                            problem: format!(
                                "is {:?}, but the first of aws.regions is {:?}",
                                sourced.value,
                                regions.main().as_str()
                            ),
                            fix: "remove region (aws.regions names the main region first) or \
                                  make them agree"
                                .to_owned(),
                        });
                        None
                    }
                    _ => regions,
                }
            }
            None => match region_sourced {
                Some(sourced) => self
                    .check(
                        sourced,
                        "aws.region",
                        "use the region of the stack and buckets, e.g. us-east-1 (Alexa's North \
                         America endpoint region)",
                        |text: &String| AwsRegion::parse(text),
                    )
                    .map(AwsRegions::single),
                None => {
                    self.required(
                        "aws.region",
                        &None::<String>,
                        None,
                        "use the region of the stack and buckets, e.g. us-east-1 (Alexa's North \
                         America endpoint region)",
                        |text: &String| AwsRegion::parse(text),
                    );
                    None
                }
            },
        };
        let stack_name = self.required(
            "aws.stack_name",
            &overrides.stack_name,
            file.aws.stack_name,
            "name the CloudFormation stack, e.g. alexa-google-skill",
            |text: &String| StackName::parse(text),
        );
        let artifacts_bucket = self.required(
            "aws.artifacts_bucket",
            &overrides.artifacts_bucket,
            file.aws.artifacts_bucket,
            "name the S3 bucket for the Lambda zip, e.g. my-skill-artifacts-<account id>",
            |text: &String| BucketName::parse(text),
        );
        let reserved_concurrent_executions = file.aws.reserved_concurrent_executions.map(|cap| {
            let sourced = Sourced {
                value: cap,
                origin: self.file_name.clone(),
            };
            self.check(
                sourced,
                "aws.reserved_concurrent_executions",
                "use a number of at least 1, or remove the key for no cap",
                |cap: &u32| {
                    if *cap >= 1 {
                        Ok(*cap)
                    } else {
                        Err("0 would stop the function from running at all".to_owned())
                    }
                },
            )
        });

        let access_token_scheme = self
            .pick(
                "account_linking.access_token_scheme",
                &overrides.access_token_scheme,
                file.account_linking.access_token_scheme,
            )
            .map_or(Some(AccessTokenScheme::HttpBasic), |sourced| {
                self.check(
                    sourced,
                    "account_linking.access_token_scheme",
                    "use \"HTTP_BASIC\" or \"REQUEST_BODY_CREDENTIALS\" (Google accepts both)",
                    |text: &String| match text.as_str() {
                        "HTTP_BASIC" => Ok(AccessTokenScheme::HttpBasic),
                        "REQUEST_BODY_CREDENTIALS" => Ok(AccessTokenScheme::RequestBodyCredentials),
                        other => Err(format!("{other:?} is not a scheme")),
                    },
                )
            });
        let domains = self
            .pick(
                "account_linking.domains",
                &overrides.domains,
                file.account_linking.domains,
            )
            .map_or_else(
                || {
                    Some(
                        DEFAULT_DOMAINS
                            .iter()
                            .map(|domain| (*domain).to_owned())
                            .collect(),
                    )
                },
                |sourced| {
                    self.check(
                        sourced,
                        "account_linking.domains",
                        "list bare host names like accounts.google.com, at most 15",
                        |domains: &Vec<String>| parse_domains(domains),
                    )
                },
            );
        let default_token_expiration_seconds = self
            .pick(
                "account_linking.default_token_expiration_seconds",
                &overrides.default_token_expiration_seconds,
                file.account_linking.default_token_expiration_seconds,
            )
            .map_or(Some(DEFAULT_TOKEN_EXPIRATION_SECONDS), |sourced| {
                self.check(
                    sourced,
                    "account_linking.default_token_expiration_seconds",
                    "use 3600 (Google's access tokens live about an hour)",
                    |seconds: &u32| {
                        if *seconds >= MIN_TOKEN_EXPIRATION_SECONDS {
                            Ok(*seconds)
                        } else {
                            Err(format!(
                                "{seconds} is below Alexa's minimum of {MIN_TOKEN_EXPIRATION_SECONDS}"
                            ))
                        }
                    },
                )
            });

        // The other regions' buckets carry the region in their name; it must still be a name.
        if let (Some(regions), Some(artifacts), Some(login)) =
            (&regions, &artifacts_bucket, &login_page_bucket)
        {
            for (region, _) in regions.others() {
                for (key, bucket) in [
                    ("aws.artifacts_bucket", artifacts),
                    ("login_page.bucket", login),
                ] {
                    let name = regional_bucket_name(bucket, regions, region);
                    if let Err(problem) = BucketName::parse(&name) {
                        self.problems.push(ConfigProblem {
                            origin: self.file_name.clone(),
                            key: key.to_owned(),
                            problem: format!(
                                "gives the bucket {name:?} in {}, which is invalid: {problem}",
                                region.as_str()
                            ),
                            fix: "shorten the bucket name (at most 63 characters with the region)"
                                .to_owned(),
                        });
                    }
                }
            }
        }

        // Each value is `None` exactly when a problem was recorded for it, so the `else` branch
        // returns those problems; no value is unwrapped on the strength of that reasoning.
        let (
            Some(vendor_id),
            Some(stage),
            Some(package),
            Some(binary),
            Some(client_id),
            Some(scopes),
            Some(authorization_endpoint),
            Some(token_url),
            Some(login_page_bucket),
            Some(login_page_key),
            Some(regions),
            Some(stack_name),
            Some(artifacts_bucket),
            Some(access_token_scheme),
            Some(domains),
            Some(default_token_expiration_seconds),
            true,
        ) = (
            vendor_id,
            stage,
            package,
            binary,
            client_id,
            scopes,
            authorization_endpoint,
            token_url,
            login_page_bucket,
            login_page_key,
            regions,
            stack_name,
            artifacts_bucket,
            access_token_scheme,
            domains,
            default_token_expiration_seconds,
            self.problems.is_empty(),
        )
        else {
            if self.problems.is_empty() {
                // A default that does not pass its own check: a bug here, reported, not a panic.
                self.problems.push(ConfigProblem {
                    origin: self.file_name.clone(),
                    key: "(defaults)".to_owned(),
                    problem: "a built-in default failed validation".to_owned(),
                    fix: "report this as a bug of provision".to_owned(),
                });
            }
            return Err(ConfigError::Invalid {
                problems: self.problems,
            });
        };
        Ok(Config {
            path: PathBuf::from(&self.file_name),
            skill: SkillConfig {
                skill_id,
                vendor_id,
                stage,
                package,
                binary,
                skill_package,
            },
            google: GoogleConfig {
                client_id,
                scopes,
                authorization_endpoint,
                token_url,
            },
            login_page: LoginPageLocation {
                bucket: login_page_bucket,
                key: login_page_key,
                url: login_page_url.flatten(),
            },
            aws: AwsConfig {
                region: regions.main().clone(),
                regions,
                stack_name,
                artifacts_bucket,
                reserved_concurrent_executions: reserved_concurrent_executions.flatten(),
            },
            account_linking: AccountLinkingConfig {
                access_token_scheme,
                domains,
                default_token_expiration_seconds,
            },
        })
    }

    /// The override if given, else the file's value, with its origin.
    fn pick<T: Clone>(
        &self,
        key: &str,
        override_value: &Option<T>,
        file_value: Option<T>,
    ) -> Option<Sourced<T>> {
        if let Some(value) = override_value {
            let origin = OVERRIDE_ORIGINS
                .iter()
                .find(|(known, _)| *known == key)
                .map_or("a command-line override", |(_, origin)| origin);
            return Some(Sourced {
                value: value.clone(),
                origin: (*origin).to_owned(),
            });
        }
        file_value.map(|value| Sourced {
            value,
            origin: self.file_name.clone(),
        })
    }

    /// Parses a present value; records a problem and returns `None` when it is bad.
    fn check<T, U>(
        &mut self,
        sourced: Sourced<T>,
        key: &str,
        fix: &str,
        parse: impl FnOnce(&T) -> Result<U, String>,
    ) -> Option<U> {
        match parse(&sourced.value) {
            Ok(value) => Some(value),
            Err(problem) => {
                self.problems.push(ConfigProblem {
                    origin: sourced.origin,
                    key: key.to_owned(),
                    problem: format!("is invalid: {problem}"),
                    fix: fix.to_owned(),
                });
                None
            }
        }
    }

    /// A file-only value with a default, checked by `parse`.
    fn defaulted<U>(
        &mut self,
        key: &str,
        file_value: Option<String>,
        default: &str,
        fix: &str,
        parse: impl FnOnce(&str) -> Result<U, String>,
    ) -> Option<U> {
        match file_value {
            Some(value) => {
                let sourced = Sourced {
                    value,
                    origin: self.file_name.clone(),
                };
                self.check(sourced, key, fix, |text: &String| parse(text))
            }
            None => parse(default).ok(),
        }
    }

    /// Like [`Self::check`], recording a problem when the value is absent too.
    fn required<T: Clone, U>(
        &mut self,
        key: &str,
        override_value: &Option<T>,
        file_value: Option<T>,
        fix: &str,
        parse: impl FnOnce(&T) -> Result<U, String>,
    ) -> Option<U> {
        match self.pick(key, override_value, file_value) {
            Some(sourced) => self.check(sourced, key, fix, parse),
            None => {
                let (section, name) = key.split_once('.').expect("keys are section.name");
                let environment = OVERRIDE_ORIGINS
                    .iter()
                    .find(|(known, _)| *known == key)
                    .map_or(String::new(), |(_, origin)| format!(" or pass {origin}"));
                self.problems.push(ConfigProblem {
                    origin: self.file_name.clone(),
                    key: key.to_owned(),
                    problem: "is missing".to_owned(),
                    fix: if fix.is_empty() {
                        format!("add {name} under [{section}]{environment}")
                    } else {
                        format!("add {name} under [{section}]{environment}; {fix}")
                    },
                });
                None
            }
        }
    }
}

fn parse_scopes(names: &[String]) -> Result<Vec<&'static KnownScope>, String> {
    if names.is_empty() {
        return Err("the list is empty".to_owned());
    }
    if names.len() > MAX_SMAPI_LIST_LENGTH {
        return Err(format!(
            "{} scopes, but Alexa accepts at most {MAX_SMAPI_LIST_LENGTH}",
            names.len()
        ));
    }
    let mut known = Vec::new();
    for name in names {
        let scope = scopes::lookup(name).ok_or_else(|| {
            format!(
                "unknown scope {name:?} (known: {})",
                scopes::KNOWN_SCOPES
                    .iter()
                    .map(|scope| scope.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        if known.contains(&scope) {
            return Err(format!("{name:?} is listed twice"));
        }
        known.push(scope);
    }
    Ok(known)
}

fn parse_domains(domains: &[String]) -> Result<Vec<String>, String> {
    if domains.len() > MAX_SMAPI_LIST_LENGTH {
        return Err(format!(
            "{} domains, but Alexa accepts at most {MAX_SMAPI_LIST_LENGTH}",
            domains.len()
        ));
    }
    for domain in domains {
        let valid = !domain.is_empty()
            && domain.split('.').count() >= 2
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.bytes().all(|byte| {
                        byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-'
                    })
            });
        if !valid {
            return Err(format!(
                "{domain:?} is not a bare lowercase host name (no scheme, path or port)"
            ));
        }
    }
    Ok(domains.to_vec())
}

/// https, or http on a loopback host so the offline twins can stand in (the shared rule of
/// [`crate::http::may_carry_secrets`]: Alexa sends the client secret to the token URL); no
/// credentials or fragment in the URL.
fn parse_web_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|error| format!("{text:?} is not a URL ({error})"))?;
    if !crate::http::may_carry_secrets(&url) || url.host_str().is_none_or(str::is_empty) {
        return Err(format!(
            "{text:?} must be an https URL (plain http only for 127.0.0.0/8, localhost or [::1])"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return Err(format!(
            "{text:?} must not contain a user name, password or fragment"
        ));
    }
    Ok(url)
}

/// The login page's own rules apply: it refuses endpoints that carry the parameters it adds.
fn parse_authorization_endpoint(text: &str) -> Result<Url, String> {
    let url = parse_web_url(text)?;
    login_page::check_authorization_endpoint(&url).map_err(|error| error.to_string())?;
    Ok(url)
}

#[cfg(test)]
mod tests;
