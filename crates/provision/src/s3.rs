//! Builds the `aws_sdk_s3::Client` that provisioning uses, for AWS or for a local S3 twin.
//!
//! TLS goes through rustls with the ring provider (`aws-smithy-http-client/rustls-ring`), which
//! keeps `aws-lc-sys` (a C build) out of the dependency tree. The SDK's `sso` and
//! `credentials-process` features are off, so the default chain covers environment variables,
//! static and assume-role profiles, web identity, ECS and EC2 instance metadata, but not IAM
//! Identity Center (SSO) profiles: export their credentials into the environment first.

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_s3::config::{Credentials, Region};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};

/// Attempts per request, the first included. Bounded so a wrong endpoint fails in seconds.
pub const MAX_ATTEMPTS: u32 = 3;

/// Time allowed to open a TCP (and TLS) connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Time allowed for one attempt of one request, upload included; the login page is a few KB.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);

secrets::new_secret_type!(
    /// An AWS secret access key. Never printed: `Debug` shows `SecretAccessKey([redacted])`.
    pub SecretAccessKey
);

/// A fixed access key pair, used instead of the standard credential chain (tests, local S3).
#[derive(Debug, Clone)]
pub struct StaticCredentials {
    access_key_id: String,
    secret_access_key: SecretAccessKey,
}

impl StaticCredentials {
    pub fn new(access_key_id: impl Into<String>, secret_access_key: SecretAccessKey) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key,
        }
    }

    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    pub fn secret_access_key(&self) -> &SecretAccessKey {
        &self.secret_access_key
    }
}

/// An S3 client for `region`.
///
/// - `endpoint_url`: `None` talks to AWS; `Some("http://127.0.0.1:PORT")` talks to an
///   S3-compatible server with path-style addressing (`/bucket/key`), which an IP endpoint needs.
/// - `credentials`: `None` uses the standard AWS credential chain (environment, profile, …);
///   `Some` uses exactly those keys.
///
/// Retries and timeouts are bounded ([`MAX_ATTEMPTS`], [`CONNECT_TIMEOUT`], [`ATTEMPT_TIMEOUT`]).
/// Nothing is sent until the first request.
pub async fn client(
    region: &str,
    endpoint_url: Option<&str>,
    credentials: Option<StaticCredentials>,
) -> aws_sdk_s3::Client {
    let sdk_config = sdk_config(region, endpoint_url, None, credentials.as_ref()).await;
    client_from(&sdk_config, endpoint_url.is_some())
}

/// The SDK configuration every provision client shares: rustls on ring, bounded retries and
/// timeouts, and the optional endpoint, named profile and static credentials.
pub(crate) async fn sdk_config(
    region: &str,
    endpoint_url: Option<&str>,
    profile: Option<&str>,
    credentials: Option<&StaticCredentials>,
) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .http_client(https_client())
        .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .build(),
        );
    if let Some(endpoint_url) = endpoint_url {
        loader = loader.endpoint_url(endpoint_url);
    }
    if let Some(profile) = profile {
        loader = loader.profile_name(profile);
    }
    if let Some(credentials) = credentials {
        loader = loader.credentials_provider(Credentials::new(
            credentials.access_key_id.clone(),
            credentials.secret_access_key.secret().to_owned(),
            None,
            None,
            "provision-static",
        ));
    }
    loader.load().await
}

/// An S3 client from `sdk_config`, path-style for a custom endpoint (an IP endpoint needs it).
pub(crate) fn client_from(
    sdk_config: &aws_config::SdkConfig,
    custom_endpoint: bool,
) -> aws_sdk_s3::Client {
    let mut s3_config = aws_sdk_s3::config::Builder::from(sdk_config);
    if custom_endpoint {
        s3_config = s3_config.force_path_style(true);
    }
    aws_sdk_s3::Client::from_conf(s3_config.build())
}

/// The SDK's hyper client with rustls on ring; it speaks plain HTTP to local endpoints too.
fn https_client() -> aws_sdk_s3::config::SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_access_key_debug_is_redacted() {
        let credentials = StaticCredentials::new(
            "AKIDEXAMPLE",
            SecretAccessKey::new("wJalrXUtnFEMI".to_owned()),
        );
        let printed = format!("{credentials:?}");
        assert_eq!(
            printed,
            r#"StaticCredentials { access_key_id: "AKIDEXAMPLE", secret_access_key: SecretAccessKey([redacted]) }"#
        );
        assert!(!printed.contains("wJalrXUtnFEMI"));
        assert_eq!(credentials.secret_access_key().secret(), "wJalrXUtnFEMI");
    }
}
