//! Publishes the rendered login page to S3: makes sure the bucket exists and uploads only when the
//! page changed, so running deploy twice is cheap and says what it did.

use std::time::Duration;

use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
use sha2::{Digest, Sha256};
use url::Url;

use crate::error::{Attempt, S3Error};

/// `Cache-Control` of the page: browsers revalidate, so a republished page shows at once.
pub const CACHE_CONTROL: &str = "no-cache";

/// User metadata key (`x-amz-meta-sha256`) holding the hex SHA-256 of the uploaded page. S3's ETag
/// is only an MD5 for single-part uploads without SSE-KMS, so the hash is stored explicitly.
pub const SHA256_METADATA_KEY: &str = "sha256";

/// Where the page is and whether this call uploaded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedPage {
    /// Public object URL: `https://<bucket>.s3.<region>.amazonaws.com/<key>` on AWS (the REST
    /// endpoint, since the website endpoint has no HTTPS and Alexa requires HTTPS), or
    /// `<endpoint>/<bucket>/<key>` for a custom endpoint.
    pub url: Url,
    /// `false` when the object already held this exact page with the same headers.
    pub uploaded: bool,
}

/// Ensures `bucket` exists (creating it in the client's region if missing) and uploads `html` to
/// `key` with `Content-Type: text/html; charset=utf-8` and `Cache-Control: no-cache`, unless the
/// object already has the same content and headers.
///
/// Making the object publicly readable is not done here: the CloudFormation stack owns the bucket
/// policy (public `s3:GetObject` on this object, Block Public Access relaxed for policies), and the
/// local S3 twin answers `PutBucketPolicy` with NotImplemented and serves objects anonymously
/// instead. A bucket created here on AWS therefore stays private until the stack's policy applies.
///
/// No owner is checked: this is for S3 stand-ins without STS. Against AWS, use
/// [`publish_to_own_bucket`].
pub async fn publish(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    html: &str,
) -> Result<PublishedPage, S3Error> {
    publish_checked(client, bucket, key, html, None).await
}

/// [`publish`], with every call naming `expected_owner` (the caller's AWS account) as
/// `ExpectedBucketOwner`: a bucket of this name in another account (names are global) is
/// refused, and the page that forwards users to Google is never uploaded to it.
pub async fn publish_to_own_bucket(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    html: &str,
    expected_owner: &str,
) -> Result<PublishedPage, S3Error> {
    publish_checked(client, bucket, key, html, Some(expected_owner)).await
}

async fn publish_checked(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    html: &str,
    expected_owner: Option<&str>,
) -> Result<PublishedPage, S3Error> {
    validate_bucket_name(bucket)?;
    validate_object_key(key)?;
    let url = object_url(client, bucket, key).await?;
    let endpoint = url.origin().ascii_serialization();
    let attempt = |operation| Attempt {
        bucket,
        operation,
        endpoint: &endpoint,
    };

    ensure_bucket(
        client,
        bucket,
        expected_owner,
        attempt("CreateBucket"),
        attempt("HeadBucket"),
    )
    .await?;

    let sha256 = sha256_hex(html.as_bytes());
    if object_is_current(
        client,
        bucket,
        key,
        &sha256,
        expected_owner,
        attempt("HeadObject"),
    )
    .await?
    {
        tracing::info!(%url, "login page unchanged, not uploading");
        return Ok(PublishedPage {
            url,
            uploaded: false,
        });
    }

    client
        .put_object()
        .bucket(bucket)
        .key(key)
        .set_expected_bucket_owner(expected_owner.map(str::to_owned))
        .content_type(login_page::CONTENT_TYPE)
        .cache_control(CACHE_CONTROL)
        .metadata(SHA256_METADATA_KEY, &sha256)
        .body(ByteStream::from(html.as_bytes().to_vec()))
        .send()
        .await
        .map_err(|error| attempt("PutObject").classify(error))?;
    tracing::info!(%url, "login page uploaded");
    Ok(PublishedPage {
        url,
        uploaded: true,
    })
}

/// The URL the object is served at, as the client's own endpoint resolution computes it (region,
/// custom endpoint, path or virtual-host style), without the query string.
///
/// It comes from a presigned GET, which is computed locally: no request is sent.
pub async fn object_url(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
) -> Result<Url, S3Error> {
    let presigning = PresigningConfig::expires_in(Duration::from_secs(60)).map_err(|error| {
        S3Error::Unexpected {
            bucket: bucket.to_owned(),
            operation: "presign GetObject",
            detail: error.to_string(),
        }
    })?;
    let presigned = client
        .get_object()
        .bucket(bucket)
        .key(key)
        .presigned(presigning)
        .await
        .map_err(|error| S3Error::NoCredentials {
            detail: aws_sdk_s3::error::DisplayErrorContext(&error).to_string(),
        })?;
    let mut url = Url::parse(presigned.uri()).map_err(|error| S3Error::Unexpected {
        bucket: bucket.to_owned(),
        operation: "presign GetObject",
        detail: format!("the SDK produced an unparsable URL: {error}"),
    })?;
    url.set_query(None);
    Ok(url)
}

/// Checks S3's bucket naming rules locally, so a typo fails before any request.
pub fn validate_bucket_name(bucket: &str) -> Result<(), S3Error> {
    let invalid = |reason: &str| {
        Err(S3Error::InvalidBucketName {
            bucket: bucket.to_owned(),
            reason: reason.to_owned(),
        })
    };
    if !(3..=63).contains(&bucket.len()) {
        return invalid("it must be 3 to 63 characters long");
    }
    if let Some(character) = bucket
        .chars()
        .find(|character| !matches!(character, 'a'..='z' | '0'..='9' | '.' | '-'))
    {
        return invalid(&format!("it contains {character:?}"));
    }
    let first_and_last = [bucket.as_bytes()[0], bucket.as_bytes()[bucket.len() - 1]];
    if !first_and_last.iter().all(u8::is_ascii_alphanumeric) {
        return invalid("it must start and end with a letter or digit");
    }
    if bucket.contains("..") {
        return invalid("it contains two adjacent dots");
    }
    if bucket.parse::<std::net::Ipv4Addr>().is_ok() {
        return invalid("it is formatted as an IP address");
    }
    Ok(())
}

fn validate_object_key(key: &str) -> Result<(), S3Error> {
    ObjectKey::parse(key).map(drop)
}

/// The login page's S3 object key, the one rule for `[login_page] key` and for publishing: 1 to
/// 1024 bytes (S3's limit), letters, digits, `.`, `-`, `_` and `/` only, and path segments that
/// are neither empty (a leading, trailing or doubled `/`) nor `.` or `..`.
///
/// The key is also the one object the stack's bucket policy makes public (`<bucket ARN>/<key>`),
/// where `*` and `?` are wildcards: `*` would publish the whole bucket. Segments of `.` and `..`
/// are normalized away by browsers, so the URL Alexa opens would not be the object's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectKey(String);

impl ObjectKey {
    pub fn parse(key: &str) -> Result<Self, S3Error> {
        let reason = if key.is_empty() {
            "it is empty"
        } else if key.len() > 1024 {
            "it is longer than 1024 bytes"
        } else if key.starts_with('/') {
            "it starts with /"
        } else if let Some(character) = key
            .chars()
            .find(|character| !(character.is_ascii_alphanumeric() || "._-/".contains(*character)))
        {
            return Err(S3Error::InvalidObjectKey {
                key: key.to_owned(),
                reason: if matches!(character, '*' | '?') {
                    format!(
                        "it contains {character:?}, a wildcard in the bucket policy that would \
                         make more than the page public; use letters, digits, '.', '-', '_' and '/'"
                    )
                } else {
                    format!("it contains {character:?}; use letters, digits, '.', '-', '_' and '/'")
                },
            });
        } else if key
            .split('/')
            .any(|segment| segment.is_empty() || segment == "." || segment == "..")
        {
            "it has an empty, '.' or '..' path segment"
        } else {
            return Ok(Self(key.to_owned()));
        };
        Err(S3Error::InvalidObjectKey {
            key: key.to_owned(),
            reason: reason.to_owned(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// HEADs `bucket` and creates it in the client's region when it is missing. With
/// `expected_owner`, a bucket of another account answers 403 and is reported as not ours.
pub(crate) async fn ensure_bucket(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    expected_owner: Option<&str>,
    create_attempt: Attempt<'_>,
    head_attempt: Attempt<'_>,
) -> Result<(), S3Error> {
    match client
        .head_bucket()
        .bucket(bucket)
        .set_expected_bucket_owner(expected_owner.map(str::to_owned))
        .send()
        .await
    {
        Ok(_) => return Ok(()),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|error| error.is_not_found()) => {}
        Err(error) => {
            return Err(match (head_attempt.classify(error), expected_owner) {
                (S3Error::AccessDenied { detail, .. }, Some(account)) => S3Error::NotOwned {
                    bucket: bucket.to_owned(),
                    account: account.to_owned(),
                    detail,
                },
                (other, _) => other,
            });
        }
    }

    let mut create = client.create_bucket().bucket(bucket);
    // us-east-1 is the one region that rejects an explicit location constraint.
    if let Some(region) = client.config().region().map(|region| region.as_ref())
        && region != "us-east-1"
    {
        create = create.create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from(region))
                .build(),
        );
    }
    match create.send().await {
        Ok(_) => {
            tracing::info!(bucket, "created S3 bucket");
            Ok(())
        }
        // Created by a concurrent run of ours between the HEAD and now: that is what we wanted.
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|error| error.is_bucket_already_owned_by_you()) =>
        {
            Ok(())
        }
        Err(error) => Err(match create_attempt.classify(error) {
            S3Error::Unexpected { detail, .. } => S3Error::BucketUnavailable {
                bucket: bucket.to_owned(),
                detail,
            },
            other => other,
        }),
    }
}

/// Whether `key` already holds a page with this hash and the headers `publish` sets.
async fn object_is_current(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    sha256: &str,
    expected_owner: Option<&str>,
    attempt: Attempt<'_>,
) -> Result<bool, S3Error> {
    match client
        .head_object()
        .bucket(bucket)
        .key(key)
        .set_expected_bucket_owner(expected_owner.map(str::to_owned))
        .send()
        .await
    {
        Ok(head) => Ok(head
            .metadata()
            .and_then(|metadata| metadata.get(SHA256_METADATA_KEY))
            .is_some_and(|stored| stored == sha256)
            && head.content_type() == Some(login_page::CONTENT_TYPE)
            && head.cache_control() == Some(CACHE_CONTROL)),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|error| error.is_not_found()) =>
        {
            Ok(false)
        }
        Err(error) => Err(attempt.classify(error)),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names_follow_s3_rules() {
        for good in ["abc", "my-skill-login-page", "login.example.com", "a1b2c3"] {
            assert!(validate_bucket_name(good).is_ok(), "{good}");
        }
        let reasons: Vec<String> = [
            "ab",
            "My-Bucket",
            "-leading",
            "trailing.",
            "two..dots",
            "192.168.1.1",
            "under_score",
        ]
        .iter()
        .map(|bad| validate_bucket_name(bad).unwrap_err().to_string())
        .collect();
        expect_test::expect![[r#"
            [
                "invalid S3 bucket name \"ab\": it must be 3 to 63 characters long; use 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
                "invalid S3 bucket name \"My-Bucket\": it contains 'M'; use 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
                "invalid S3 bucket name \"-leading\": it must start and end with a letter or digit; use 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
                "invalid S3 bucket name \"trailing.\": it must start and end with a letter or digit; use 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
                "invalid S3 bucket name \"two..dots\": it contains two adjacent dots; use 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
                "invalid S3 bucket name \"192.168.1.1\": it is formatted as an IP address; use 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
                "invalid S3 bucket name \"under_score\": it contains '_'; use 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
            ]
        "#]]
        .assert_debug_eq(&reasons);
    }

    #[test]
    fn the_object_key_rule_is_the_same_for_the_config_and_for_publishing() {
        assert_eq!(
            ObjectKey::parse("link/index.html").unwrap().as_str(),
            "link/index.html"
        );
        for bad in ["", "/index.html"] {
            let from_publish = validate_object_key(bad).unwrap_err().to_string();
            let text = format!(
                "[skill]\nvendor_id = \"M2AAAAAAAAAAAA\"\n[google]\nclient_id = \"a.apps.googleusercontent.com\"\nscopes = [\"openid\"]\n[login_page]\nbucket = \"login\"\nkey = {bad:?}\n[aws]\nregion = \"us-east-1\"\nstack_name = \"s\"\nartifacts_bucket = \"artifacts\"\n"
            );
            let from_config = crate::Config::parse(
                &text,
                std::path::Path::new("skill.toml"),
                &crate::config::Overrides::default(),
            )
            .unwrap_err()
            .to_string();
            assert!(
                from_config.contains(&from_publish),
                "{from_config} / {from_publish}"
            );
        }
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
