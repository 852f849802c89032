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
/// The longest `expires_in` believed from LWA (its access tokens live an hour): anything outside
/// 1 s to one day is a broken answer, refused instead of overflowing the expiry time.
pub const MAX_EXPIRES_IN_SECONDS: i64 = 24 * 60 * 60;

secrets::new_secret_type!(
    /// An LWA access token, sent as SMAPI's `Authorization` header. Never printed.
    pub LwaAccessToken
);

secrets::new_secret_type!(
    /// An LWA refresh token. Never printed.
    pub LwaRefreshToken
);

secrets::new_secret_type!(
    /// The client secret ("client confirmation") of an LWA security profile. Never printed.
    pub LwaClientSecret
);

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
            access_token: read("ASK_ACCESS_TOKEN").map(LwaAccessToken::new),
            refresh_token: read("ASK_REFRESH_TOKEN").map(LwaRefreshToken::new),
            client_id: read("ASK_LWA_CLIENT_ID"),
            client_secret: read("ASK_LWA_CLIENT_CONFIRMATION").map(LwaClientSecret::new),
            token_host: read("ASK_LWA_TOKEN_HOST"),
        }
    }

    fn token_url(&self) -> Result<Url, LwaError> {
        let host = self.token_host.as_deref().unwrap_or(DEFAULT_LWA_TOKEN_HOST);
        let url = Url::parse(host)
            .and_then(|host| host.join(LWA_TOKEN_PATH))
            .map_err(|error| LwaError::BadTokenHost {
                host: host.to_owned(),
                reason: error.to_string(),
            })?;
        // The refresh token and the LWA client secret go to this URL.
        if !crate::http::may_carry_secrets(&url) {
            return Err(LwaError::InsecureTokenHost {
                host: host.to_owned(),
            });
        }
        Ok(url)
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
        "ASK_LWA_TOKEN_HOST {host} would send the refresh token over plain http: use https:// \
         (plain http only for 127.0.0.0/8, localhost or [::1])"
    )]
    InsecureTokenHost { host: String },
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
        access_token: LwaAccessToken::new(token.access_token),
        refresh_token: token.refresh_token.map(LwaRefreshToken::new),
        token_type: token.token_type,
        expires_in: token.expires_in.unwrap_or(3600),
    })
}

/// `now + expires_in`, for an `expires_in` within [`MAX_EXPIRES_IN_SECONDS`].
fn expiry(now: Timestamp, expires_in: i64) -> Result<Timestamp, LwaError> {
    let out_of_range = || LwaError::RefreshRejected {
        detail: format!(
            "the token response's expires_in {expires_in} is not between 1 and \
             {MAX_EXPIRES_IN_SECONDS} seconds"
        ),
    };
    if !(1..=MAX_EXPIRES_IN_SECONDS).contains(&expires_in) {
        return Err(out_of_range());
    }
    now.checked_add(SignedDuration::from_secs(expires_in))
        .map_err(|_| out_of_range())
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
            LwaAccessToken::new(access_token.to_owned()),
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
        .map(|token| LwaRefreshToken::new(token.to_owned()))
        .ok_or_else(|| unusable(format!("profile {profile:?} has no token.refresh_token")))?;
    let refreshed = refresh(
        http,
        &environment.token_url()?,
        &refresh_token,
        client_id,
        client_secret,
    )
    .await?;

    let new_expires_at = expiry(now, refreshed.expires_in)?;
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

/// Writes next to `path` and renames over it, so a crash never leaves half a file.
///
/// - Permissions are never widened: the new file gets the old one's mode masked to owner
///   read/write (`& 0o600`; cli_config holds tokens), `0o600` when there was none.
/// - The temporary file has a name of its own (process ID and time), so one left by a crashed
///   run never blocks a later refresh; on any failure it is removed.
/// - The directory is fsynced after the rename, so the new name survives a power loss.
fn write_replacing(path: &Path, document: &serde_json::Value) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};

    let mut text = serde_json::to_string_pretty(document).map_err(std::io::Error::other)?;
    text.push('\n');
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("cli_config");
    let mode =
        std::fs::metadata(path).map_or(0o600, |metadata| metadata.permissions().mode() & 0o600);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.subsec_nanos());
    let temporary = directory.join(format!(
        ".{file_name}.provision-{}-{nanos}.tmp",
        std::process::id()
    ));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(mode))?;
        std::fs::rename(&temporary, path)?;
        std::fs::File::open(directory)?.sync_all()
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
            LwaAccessToken::new("Atza|access".to_owned()),
            LwaRefreshToken::new("Atzr|refresh".to_owned()),
            LwaClientSecret::new("confirmation".to_owned())
        );
        assert_eq!(
            printed,
            "LwaAccessToken([redacted]) LwaRefreshToken([redacted]) LwaClientSecret([redacted])"
        );
        assert_eq!(
            LwaAccessToken::new("Atza|access".to_owned()).secret(),
            "Atza|access"
        );
        let environment = LwaEnvironment {
            refresh_token: Some(LwaRefreshToken::new("Atzr|refresh".to_owned())),
            client_secret: Some(LwaClientSecret::new("confirmation".to_owned())),
            ..LwaEnvironment::default()
        };
        let printed = format!("{environment:?}");
        assert!(!printed.contains("Atzr|refresh") && !printed.contains("confirmation"));
    }

    #[test]
    fn plain_http_token_hosts_are_refused_unless_loopback() {
        let environment = |host: &str| LwaEnvironment {
            token_host: Some(host.to_owned()),
            ..LwaEnvironment::default()
        };
        assert!(environment("http://127.0.0.1:9000").token_url().is_ok());
        assert!(environment("https://api.amazon.com").token_url().is_ok());
        let error = environment("http://api.amazon.com")
            .token_url()
            .unwrap_err()
            .to_string();
        expect_test::expect!["ASK_LWA_TOKEN_HOST http://api.amazon.com would send the refresh token over plain http: use https:// (plain http only for 127.0.0.0/8, localhost or [::1])"]
            .assert_eq(&error);
    }

    #[test]
    fn an_absurd_expires_in_is_an_error_not_a_panic() {
        let now: Timestamp = "2026-11-25T01:02:03Z".parse().unwrap();
        assert_eq!(
            expiry(now, 3600).unwrap(),
            "2026-11-25T02:02:03Z".parse::<Timestamp>().unwrap()
        );
        for absurd in [i64::MAX, MAX_EXPIRES_IN_SECONDS + 1, 0, -5, i64::MIN] {
            let error = expiry(now, absurd).unwrap_err().to_string();
            assert!(
                error.contains("is not between 1 and 86400 seconds"),
                "{error}"
            );
        }
    }

    fn mode_of(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn the_rewritten_token_file_is_never_wider_than_owner_read_write() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = std::env::temp_dir().join(format!("provision-lwa-mode-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("cli_config");
        let document = serde_json::json!({"profiles": {}});
        for (old_mode, new_mode) in [
            (0o644, 0o600),
            (0o666, 0o600),
            (0o600, 0o600),
            (0o400, 0o400),
        ] {
            std::fs::write(&path, "{}").unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(old_mode)).unwrap();
            write_replacing(&path, &document).unwrap();
            assert_eq!(mode_of(&path), new_mode, "old mode {old_mode:o}");
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        std::fs::remove_file(&path).unwrap();
        write_replacing(&path, &document).unwrap();
        assert_eq!(mode_of(&path), 0o600, "a new file is owner-only");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_temporary_file_left_by_a_crash_does_not_block_the_rewrite() {
        let dir = std::env::temp_dir().join(format!("provision-lwa-stale-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("cli_config");
        std::fs::write(&path, "{}").unwrap();
        // The name the first version used, and one like the current names.
        std::fs::write(dir.join("cli_config.provision-tmp"), "half").unwrap();
        std::fs::write(dir.join(".cli_config.provision-1-1.tmp"), "half").unwrap();
        write_replacing(&path, &serde_json::json!({"profiles": {"a": {}}})).unwrap();
        let written: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(written, serde_json::json!({"profiles": {"a": {}}}));
        std::fs::remove_dir_all(&dir).unwrap();
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
