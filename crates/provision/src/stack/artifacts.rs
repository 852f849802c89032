//! The artifacts bucket: the Lambda zip uploaded under a content-addressed key, and emptying
//! and deleting the deploy's buckets for `destroy --delete-buckets`.

use aws_sdk_s3::primitives::ByteStream;
use sha2::{Digest, Sha256};

use crate::error::Attempt;

/// Folder of the artifacts bucket holding the Lambda zips, one per content hash.
pub const ARTIFACT_KEY_PREFIX: &str = "skill/";

/// The Lambda zip in the artifacts bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub bucket: String,
    /// `skill/<sha256>.zip`.
    pub key: String,
    /// `false` when an object with this key, hence these bytes, was already there.
    pub uploaded: bool,
}

/// `skill/<hex sha256 of the zip>.zip`: new bytes give a new key, which is what makes CloudFormation
/// see a code change (the template and the other parameters stay the same).
pub fn artifact_key(lambda_zip: &[u8]) -> String {
    let digest: String = Sha256::digest(lambda_zip)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("{ARTIFACT_KEY_PREFIX}{digest}.zip")
}

/// Uploads the zip to `bucket` (created in the client's region if missing) under
/// [`artifact_key`], unless that key already exists. Every call names `expected_owner` (the
/// caller's account): a bucket of that name in another account is refused, never written to.
pub async fn upload_artifact(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    lambda_zip: &[u8],
    expected_owner: &str,
) -> Result<Artifact, crate::S3Error> {
    crate::login_page::validate_bucket_name(bucket)?;
    let key = artifact_key(lambda_zip);
    let endpoint = s3_endpoint(s3, bucket, &key).await?;
    let attempt = |operation| Attempt {
        bucket,
        operation,
        endpoint: &endpoint,
    };
    crate::login_page::ensure_bucket(
        s3,
        bucket,
        Some(expected_owner),
        attempt("CreateBucket"),
        attempt("HeadBucket"),
    )
    .await?;
    match s3
        .head_object()
        .bucket(bucket)
        .key(&key)
        .expected_bucket_owner(expected_owner)
        .send()
        .await
    {
        Ok(_) => {
            return Ok(Artifact {
                bucket: bucket.to_owned(),
                key,
                uploaded: false,
            });
        }
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|error| error.is_not_found()) => {}
        Err(error) => return Err(attempt("HeadObject").classify(error)),
    }
    s3.put_object()
        .bucket(bucket)
        .key(&key)
        .expected_bucket_owner(expected_owner)
        .content_type("application/zip")
        .body(ByteStream::from(lambda_zip.to_vec()))
        .send()
        .await
        .map_err(|error| attempt("PutObject").classify(error))?;
    Ok(Artifact {
        bucket: bucket.to_owned(),
        key,
        uploaded: true,
    })
}

/// Deletes every object of `bucket`, then the bucket (`destroy --delete-buckets`). `Ok(false)` when
/// there was no such bucket. The deploy's buckets are not versioned, so plain deletes empty them.
/// Every call names `expected_owner`: a same-named bucket of another account is never emptied.
pub async fn delete_bucket_with_contents(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    expected_owner: &str,
) -> Result<bool, crate::S3Error> {
    let endpoint = s3_endpoint(s3, bucket, "x").await?;
    let attempt = |operation| Attempt {
        bucket,
        operation,
        endpoint: &endpoint,
    };
    if !bucket_exists(s3, bucket, expected_owner)
        .await
        .map_err(|error| attempt("HeadBucket").classify(error))?
    {
        return Ok(false);
    }
    let keys = object_keys(s3, bucket, expected_owner)
        .await
        .map_err(|error| attempt("ListObjectsV2").classify(error))?;
    for key in keys {
        s3.delete_object()
            .bucket(bucket)
            .key(key)
            .expected_bucket_owner(expected_owner)
            .send()
            .await
            .map_err(|error| attempt("DeleteObject").classify(error))?;
    }
    s3.delete_bucket()
        .bucket(bucket)
        .expected_bucket_owner(expected_owner)
        .send()
        .await
        .map_err(|error| attempt("DeleteBucket").classify(error))?;
    Ok(true)
}

/// Before a stack is created: deletes the login page bucket an earlier stack of this name left
/// behind (`destroy` retains it, and so does a failed creation), since the stack creates that
/// bucket itself and CloudFormation refuses a name that exists. Only a bucket of
/// `expected_owner` holding nothing but the page at `page_key` is deleted; anything else is an
/// error naming the fix. `Ok(false)` when there is no such bucket.
///
/// The name is free only between this delete and the stack's create a few seconds later.
pub(crate) async fn remove_leftover_login_page_bucket(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    page_key: &str,
    expected_owner: &str,
) -> Result<bool, crate::S3Error> {
    let endpoint = s3_endpoint(s3, bucket, page_key).await?;
    let attempt = |operation| Attempt {
        bucket,
        operation,
        endpoint: &endpoint,
    };
    let exists = bucket_exists(s3, bucket, expected_owner)
        .await
        .map_err(|error| match attempt("HeadBucket").classify(error) {
            crate::S3Error::AccessDenied { detail, .. } => crate::S3Error::NotOwned {
                bucket: bucket.to_owned(),
                account: expected_owner.to_owned(),
                detail,
            },
            other => other,
        })?;
    if !exists {
        return Ok(false);
    }
    let others: Vec<String> = object_keys(s3, bucket, expected_owner)
        .await
        .map_err(|error| attempt("ListObjectsV2").classify(error))?
        .into_iter()
        .filter(|key| key != page_key)
        .collect();
    if !others.is_empty() {
        return Err(crate::S3Error::LeftoverBucketInUse {
            bucket: bucket.to_owned(),
            page_key: page_key.to_owned(),
            others,
        });
    }
    delete_bucket_with_contents(s3, bucket, expected_owner).await
}

/// `scheme://host:port` of the client for this bucket, for error messages.
async fn s3_endpoint(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
) -> Result<String, crate::S3Error> {
    Ok(crate::login_page::object_url(s3, bucket, key)
        .await?
        .origin()
        .ascii_serialization())
}

/// Every object key in `bucket`, page by page (ListObjectsV2), naming `expected_owner`.
async fn object_keys(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    expected_owner: &str,
) -> Result<
    Vec<String>,
    aws_sdk_s3::error::SdkError<aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Error>,
> {
    let mut keys = Vec::new();
    let mut continuation_token = None;
    loop {
        let page = s3
            .list_objects_v2()
            .bucket(bucket)
            .expected_bucket_owner(expected_owner)
            .set_continuation_token(continuation_token)
            .send()
            .await?;
        keys.extend(
            page.contents()
                .iter()
                .filter_map(|object| object.key())
                .map(str::to_owned),
        );
        match page.next_continuation_token() {
            Some(token) => continuation_token = Some(token.to_owned()),
            None => return Ok(keys),
        }
    }
}

/// Whether `bucket` exists and belongs to `expected_owner` (HeadBucket); a bucket of another
/// account is an error (403), never `true`.
async fn bucket_exists(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    expected_owner: &str,
) -> Result<bool, aws_sdk_s3::error::SdkError<aws_sdk_s3::operation::head_bucket::HeadBucketError>>
{
    match s3
        .head_bucket()
        .bucket(bucket)
        .expected_bucket_owner(expected_owner)
        .send()
        .await
    {
        Ok(_) => Ok(true),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|error| error.is_not_found()) =>
        {
            Ok(false)
        }
        Err(error) => Err(error),
    }
}
