//! Login with Amazon access tokens for SMAPI, found the way the ASK CLI finds them: environment
//! variables first, then a profile in the ASK CLI's `~/.ask/cli_config`, refreshed when expired.

use std::fmt;
use std::path::{Path, PathBuf};

use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use url::Url;

/// The LWA token host the ASK CLI uses unless `ASK_LWA_TOKEN_HOST` says otherwise.
pub const DEFAULT_LWA_TOKEN_HOST: &str = "https://api.amazon.com";
/// The token path under the host.
pub const LWA_TOKEN_PATH: &str = "/auth/o2/token";
/// The ASK CLI profile used when `--ask-profile` is not given.
pub const DEFAULT_ASK_PROFILE: &str = "default";
/// A token this close to `expires_at` is refreshed first, so it cannot expire in flight.
pub const EXPIRY_MARGIN: SignedDuration = SignedDuration::from_secs(60);

/// An LWA access token, sent as SMAPI's `Authorization` header. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct LwaAccessToken(String);

impl LwaAccessToken {
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for LwaAccessToken {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("LwaAccessToken([redacted])")
    }
}

/// An LWA refresh token. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct LwaRefreshToken(String);

impl LwaRefreshToken {
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for LwaRefreshToken {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("LwaRefreshToken([redacted])")
    }
}

/// The client secret ("client confirmation") of an LWA security profile. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct LwaClientSecret(String);

impl LwaClientSecret {
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for LwaClientSecret {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("LwaClientSecret([redacted])")
    }
}

/// The ASK CLI's environment variables, read once so tests can pass their own.
#[derive(Debug, Clone, Default)]
pub struct LwaEnvironment {
    /// `ASK_ACCESS_TOKEN`: used as is.
    pub access_token: Option<LwaAccessToken>,
    /// `ASK_REFRESH_TOKEN`: refreshed on every run.
    pub refresh_token: Option<LwaRefreshToken>,
    /// `ASK_LWA_CLIENT_ID`.
    pub client_id: Option<String>,
    /// `ASK_LWA_CLIENT_CONFIRMATION`.
    pub client_secret: Option<LwaClientSecret>,
    /// `ASK_LWA_TOKEN_HOST`, default [`DEFAULT_LWA_TOKEN_HOST`].
    pub token_host: Option<String>,
}

impl LwaEnvironment {
    /// Reads the variables of this process; empty values count as unset.
    pub fn from_process() -> Self {
        let read = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        Self {
            access_token: read("ASK_ACCESS_TOKEN").map(LwaAccessToken),
            refresh_token: read("ASK_REFRESH_TOKEN").map(LwaRefreshToken),
            client_id: read("ASK_LWA_CLIENT_ID"),
            client_secret: read("ASK_LWA_CLIENT_CONFIRMATION").map(LwaClientSecret),
            token_host: read("ASK_LWA_TOKEN_HOST"),
        }
    }

    fn token_url(&self) -> Result<Url, LwaError> {
        let host = self.token_host.as_deref().unwrap_or(DEFAULT_LWA_TOKEN_HOST);
        Url::parse(host)
            .and_then(|host| host.join(LWA_TOKEN_PATH))
            .map_err(|error| LwaError::BadTokenHost {
                host: host.to_owned(),
                reason: error.to_string(),
            })
    }

    fn client(&self) -> Option<(&str, &LwaClientSecret)> {
        Some((self.client_id.as_deref()?, self.client_secret.as_ref()?))
    }
}

/// Where the access token came from, for the one line the CLI prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// `ASK_ACCESS_TOKEN`.
    AccessTokenVariable,
    /// `ASK_REFRESH_TOKEN`, refreshed just now.
    RefreshTokenVariable,
    /// A cli_config profile; `refreshed` when it was expired and the file was rewritten.
    CliConfig {
        path: PathBuf,
        profile: String,
        refreshed: bool,
    },
}

impl fmt::Display for TokenSource {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSource::AccessTokenVariable => formatter.write_str("ASK_ACCESS_TOKEN"),
            TokenSource::RefreshTokenVariable => {
                formatter.write_str("ASK_REFRESH_TOKEN (refreshed)")
            }
            TokenSource::CliConfig {
                path,
                profile,
                refreshed,
            } => {
                write!(formatter, "profile {profile:?} of {}", path.display())?;
                if *refreshed {
                    formatter.write_str(" (expired, refreshed and saved)")?;
                }
                Ok(())
            }
        }
    }
}

/// Why no access token could be had. Messages say what to run or set; none holds a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LwaError {
    #[error(
        "no Amazon (SMAPI) credentials: run `ask configure` (writes {cli_config}), or set \
         ASK_ACCESS_TOKEN, or ASK_REFRESH_TOKEN with ASK_LWA_CLIENT_ID and \
         ASK_LWA_CLIENT_CONFIRMATION"
    )]
    NoCredentials { cli_config: PathBuf },
    #[error(
        "ASK_REFRESH_TOKEN is set but {missing} is not: set ASK_LWA_CLIENT_ID and \
         ASK_LWA_CLIENT_CONFIRMATION to the LWA security profile the refresh token was issued to"
    )]
    IncompleteRefreshVariables { missing: &'static str },
    #[error(
        "{path} has no profile {profile:?} (it has: {available}): pass --ask-profile NAME or run \
         `ask configure --profile {profile}`"
    )]
    ProfileMissing {
        path: PathBuf,
        profile: String,
        available: String,
    },
    #[error("cannot use {path}: {reason}; run `ask configure` to recreate it")]
    CliConfigUnusable { path: PathBuf, reason: String },
    #[error(
        "the token of profile {profile:?} in {path} expired at {expired_at}, and refreshing it \
         needs the LWA client it was issued to: run any `ask smapi` command (the ASK CLI refreshes \
         the file), or set ASK_LWA_CLIENT_ID and ASK_LWA_CLIENT_CONFIRMATION if the profile was \
         made with your own security profile"
    )]
    NoClientForRefresh {
        path: PathBuf,
        profile: String,
        expired_at: String,
    },
    #[error(
        "refreshing the LWA token failed ({detail}): run `ask configure` to sign in again, or \
         renew ASK_REFRESH_TOKEN"
    )]
    RefreshRejected { detail: String },
    #[error(
        "cannot reach the LWA token endpoint {url} ({reason}): check ASK_LWA_TOKEN_HOST and the network"
    )]
    Unreachable { url: Url, reason: String },
    #[error("ASK_LWA_TOKEN_HOST {host:?} is not a URL ({reason}): use https://api.amazon.com")]
    BadTokenHost { host: String, reason: String },
    #[error(
        "refreshed the LWA token but could not save it to {path} ({reason}): check the file's permissions"
    )]
    CliConfigWrite { path: PathBuf, reason: String },
}

/// The default cli_config location, `~/.ask/cli_config`.
pub fn default_cli_config_path() -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".ask").join("cli_config")
}

/// Finds an access token: `ASK_ACCESS_TOKEN`, else `ASK_REFRESH_TOKEN` refreshed with
/// `ASK_LWA_CLIENT_ID`/`ASK_LWA_CLIENT_CONFIRMATION`, else `profile` of `cli_config`, refreshed
/// and written back when it is within [`EXPIRY_MARGIN`] of `expires_at`.
pub async fn access_token(
    http: &reqwest::Client,
    environment: &LwaEnvironment,
    cli_config: &Path,
    profile: &str,
) -> Result<(LwaAccessToken, TokenSource), LwaError> {
    if let Some(access_token) = &environment.access_token {
        return Ok((access_token.clone(), TokenSource::AccessTokenVariable));
    }
    if let Some(refresh_token) = &environment.refresh_token {
        let (client_id, client_secret) = match (&environment.client_id, &environment.client_secret)
        {
            (Some(client_id), Some(client_secret)) => (client_id.as_str(), client_secret),
            (None, _) => {
                return Err(LwaError::IncompleteRefreshVariables {
                    missing: "ASK_LWA_CLIENT_ID",
                });
            }
            (_, None) => {
                return Err(LwaError::IncompleteRefreshVariables {
                    missing: "ASK_LWA_CLIENT_CONFIRMATION",
                });
            }
        };
        let refreshed = refresh(
            http,
            &environment.token_url()?,
            refresh_token,
            client_id,
            client_secret,
        )
        .await?;
        return Ok((refreshed.access_token, TokenSource::RefreshTokenVariable));
    }
    from_cli_config(http, environment, cli_config, profile).await
}

/// What the token endpoint answered.
struct Refreshed {
    access_token: LwaAccessToken,
    refresh_token: Option<LwaRefreshToken>,
    token_type: Option<String>,
    expires_in: i64,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    refresh_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<i64>,
}

#[derive(Deserialize)]
struct TokenErrorResponse {
    error: Option<String>,
    error_description: Option<String>,
}

/// POSTs the refresh as JSON, the way the ASK CLI does.
async fn refresh(
    http: &reqwest::Client,
    token_url: &Url,
    refresh_token: &LwaRefreshToken,
    client_id: &str,
    client_secret: &LwaClientSecret,
) -> Result<Refreshed, LwaError> {
    let body = serde_json::json!({
        "grant_type": "refresh_token",
        "refresh_token": refresh_token.secret(),
        "client_id": client_id,
        "client_secret": client_secret.secret(),
    });
    let response = http
        .post(token_url.clone())
        .json(&body)
        .send()
        .await
        .map_err(|error| LwaError::Unreachable {
            url: token_url.clone(),
            reason: crate::http::innermost_message(&error),
        })?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    if !status.is_success() {
        let detail = match serde_json::from_str::<TokenErrorResponse>(&text) {
            Ok(TokenErrorResponse {
                error: Some(error),
                error_description,
            }) => match error_description {
                Some(description) => format!("HTTP {status}, {error}: {description}"),
                None => format!("HTTP {status}, {error}"),
            },
            _ => format!("HTTP {status}"),
        };
        return Err(LwaError::RefreshRejected { detail });
    }
    let token: TokenResponse =
        serde_json::from_str(&text).map_err(|error| LwaError::RefreshRejected {
            detail: format!("unreadable token response: {error}"),
        })?;
    Ok(Refreshed {
        access_token: LwaAccessToken(token.access_token),
        refresh_token: token.refresh_token.map(LwaRefreshToken),
        token_type: token.token_type,
        expires_in: token.expires_in.unwrap_or(3600),
    })
}

async fn from_cli_config(
    http: &reqwest::Client,
    environment: &LwaEnvironment,
    path: &Path,
    profile: &str,
) -> Result<(LwaAccessToken, TokenSource), LwaError> {
    let unusable = |reason: String| LwaError::CliConfigUnusable {
        path: path.to_owned(),
        reason,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(LwaError::NoCredentials {
                cli_config: path.to_owned(),
            });
        }
        Err(error) => return Err(unusable(error.to_string())),
    };
    // Kept as a generic value so that writing it back preserves every field the ASK CLI owns.
    let mut document: serde_json::Value =
        serde_json::from_str(&text).map_err(|error| unusable(format!("not JSON: {error}")))?;
    let profiles = document
        .get("profiles")
        .and_then(serde_json::Value::as_object)
        .ok_or_else(|| unusable("no \"profiles\" object".to_owned()))?;
    let Some(token) = profiles.get(profile).and_then(|entry| entry.get("token")) else {
        return Err(LwaError::ProfileMissing {
            path: path.to_owned(),
            profile: profile.to_owned(),
            available: profiles.keys().cloned().collect::<Vec<_>>().join(", "),
        });
    };
    let field = |name: &str| token.get(name).and_then(serde_json::Value::as_str);
    let access_token = field("access_token")
        .ok_or_else(|| unusable(format!("profile {profile:?} has no token.access_token")))?;
    let expires_at_text = field("expires_at")
        .ok_or_else(|| unusable(format!("profile {profile:?} has no token.expires_at")))?;
    let expires_at: Timestamp = expires_at_text.parse().map_err(|error| {
        unusable(format!(
            "token.expires_at {expires_at_text:?} is not a timestamp ({error})"
        ))
    })?;
    let now = Timestamp::now();
    if now + EXPIRY_MARGIN < expires_at {
        return Ok((
            LwaAccessToken(access_token.to_owned()),
            TokenSource::CliConfig {
                path: path.to_owned(),
                profile: profile.to_owned(),
                refreshed: false,
            },
        ));
    }

    // The ASK CLI refreshes with its own built-in LWA client, which Amazon calls unsupported
    // outside the CLI; the safe reading is to refresh only with a client the user configured.
    let Some((client_id, client_secret)) = environment.client() else {
        return Err(LwaError::NoClientForRefresh {
            path: path.to_owned(),
            profile: profile.to_owned(),
            expired_at: expires_at_text.to_owned(),
        });
    };
    let refresh_token = field("refresh_token")
        .map(|token| LwaRefreshToken(token.to_owned()))
        .ok_or_else(|| unusable(format!("profile {profile:?} has no token.refresh_token")))?;
    let refreshed = refresh(
        http,
        &environment.token_url()?,
        &refresh_token,
        client_id,
        client_secret,
    )
    .await?;

    let new_expires_at = now + SignedDuration::from_secs(refreshed.expires_in);
    let new_token = serde_json::json!({
        "access_token": refreshed.access_token.secret(),
        "refresh_token": refreshed
            .refresh_token
            .as_ref()
            .unwrap_or(&refresh_token)
            .secret(),
        "token_type": refreshed.token_type.as_deref().unwrap_or("bearer"),
        "expires_in": refreshed.expires_in,
        // JavaScript's Date#toISOString shape, which the ASK CLI writes and reads.
        "expires_at": new_expires_at.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
    });
    document["profiles"][profile]["token"] = new_token;
    write_replacing(path, &document).map_err(|error| LwaError::CliConfigWrite {
        path: path.to_owned(),
        reason: error.to_string(),
    })?;
    Ok((
        refreshed.access_token,
        TokenSource::CliConfig {
            path: path.to_owned(),
            profile: profile.to_owned(),
            refreshed: true,
        },
    ))
}

/// Writes next to `path` and renames over it, so a crash never leaves half a file. The new file is
/// created readable by its owner only (cli_config holds tokens), then given the old file's
/// permissions; on any failure the temporary file is removed.
fn write_replacing(path: &Path, document: &serde_json::Value) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;

    let mut text = serde_json::to_string_pretty(document).map_err(std::io::Error::other)?;
    text.push('\n');
    let temporary = path.with_extension("provision-tmp");
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        if let Ok(metadata) = std::fs::metadata(path) {
            std::fs::set_permissions(&temporary, metadata.permissions())?;
        }
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_secrets_are_redacted() {
        let printed = format!(
            "{:?} {:?} {:?}",
            LwaAccessToken::new("Atza|access"),
            LwaRefreshToken::new("Atzr|refresh"),
            LwaClientSecret::new("confirmation")
        );
        assert_eq!(
            printed,
            "LwaAccessToken([redacted]) LwaRefreshToken([redacted]) LwaClientSecret([redacted])"
        );
        assert_eq!(LwaAccessToken::new("Atza|access").secret(), "Atza|access");
        let environment = LwaEnvironment {
            refresh_token: Some(LwaRefreshToken::new("Atzr|refresh")),
            client_secret: Some(LwaClientSecret::new("confirmation")),
            ..LwaEnvironment::default()
        };
        let printed = format!("{environment:?}");
        assert!(!printed.contains("Atzr|refresh") && !printed.contains("confirmation"));
    }

    #[test]
    fn expires_at_is_written_like_javascript() {
        let timestamp: Timestamp = "2026-11-25T01:02:03Z".parse().unwrap();
        assert_eq!(
            timestamp.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            "2026-11-25T01:02:03.000Z"
        );
        let parsed: Timestamp = "2026-11-25T01:02:03.456Z".parse().unwrap();
        assert_eq!(parsed.subsec_millisecond(), 456);
    }
}
