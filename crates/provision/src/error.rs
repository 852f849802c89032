//! [`S3Error`], why an S3 call of provisioning failed: every variant says what the person running
//! provisioning should fix.

use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_s3::operation::RequestId;

/// Why an S3 call (login page publish, artifact upload, bucket cleanup) failed. Messages name the
/// fix; none of them ever contains a credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum S3Error {
    /// S3 refused the credentials or the permission.
    #[error(
        "S3 denied {operation} on bucket {bucket} ({detail}): check the AWS credentials/profile can \
         s3:PutObject on {bucket} (publishing also uses s3:ListBucket, s3:GetObject and \
         s3:CreateBucket on it)"
    )]
    AccessDenied {
        bucket: String,
        operation: &'static str,
        detail: String,
    },
    /// The bucket is missing and creating it failed, or it belongs to someone else.
    #[error(
        "S3 bucket {bucket} does not exist and could not be created ({detail}): create it with the \
         CloudFormation stack, or choose a globally unique bucket name your account owns"
    )]
    BucketUnavailable { bucket: String, detail: String },
    /// The bucket answered 403 to a HEAD naming the caller's account as its owner: it belongs
    /// to another account (bucket names are global), or these credentials may not use it.
    #[error(
        "S3 bucket {bucket} is not usable as a bucket of account {account} ({detail}): it \
         belongs to another AWS account (bucket names are global) or these credentials may not \
         read it; choose a bucket name your account owns in skill.toml ([aws] artifacts_bucket, \
         [login_page] bucket), or grant s3:ListBucket on it"
    )]
    NotOwned {
        bucket: String,
        account: String,
        detail: String,
    },
    /// A bucket of the login page's name exists before its stack does, with other objects in it.
    #[error(
        "S3 bucket {bucket} already exists and holds more than the login page {page_key} ({}): \
         the stack creates this bucket itself, so set [login_page] bucket to a new name, or move \
         those objects and delete the bucket, then deploy again",
        shown_keys(others)
    )]
    LeftoverBucketInUse {
        bucket: String,
        page_key: String,
        others: Vec<String>,
    },
    /// The bucket exists in a region other than the client's.
    #[error(
        "S3 bucket {bucket} is in region {bucket_region}, not in the region the client was built \
         for: pass --region {bucket_region}"
    )]
    WrongRegion {
        bucket: String,
        bucket_region: String,
    },
    /// No TCP connection, or no answer in time.
    #[error(
        "cannot reach the S3 endpoint {endpoint} ({detail}): is the endpoint URL right / is the \
         server running?"
    )]
    EndpointUnreachable { endpoint: String, detail: String },
    /// The bucket name breaks S3's naming rules, so no request was sent.
    #[error(
        "invalid S3 bucket name {bucket:?}: {reason}; use 3-63 lowercase letters, digits, dots and \
         hyphens, starting and ending with a letter or digit"
    )]
    InvalidBucketName { bucket: String, reason: String },
    /// The object key is unusable.
    #[error("invalid S3 object key {key:?}: {reason}")]
    InvalidObjectKey { key: String, reason: String },
    /// The SDK could not sign a request, which in practice means it found no credentials.
    #[error(
        "could not sign the S3 request ({detail}): configure AWS credentials (AWS_PROFILE, or \
         AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
    )]
    NoCredentials { detail: String },
    /// Anything else S3 answered; the detail carries S3's code, message and request ID.
    #[error("S3 {operation} on bucket {bucket} failed: {detail}")]
    Unexpected {
        bucket: String,
        operation: &'static str,
        detail: String,
    },
}

/// The first three keys, and how many more.
fn shown_keys(keys: &[String]) -> String {
    let shown = keys.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    match keys.len() {
        0..=3 => shown,
        more => format!("{shown} and {} more", more - 3),
    }
}

/// What was being done when an SDK call failed, so the error can name it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attempt<'a> {
    pub(crate) bucket: &'a str,
    pub(crate) operation: &'static str,
    /// `scheme://host:port` the client talks to, for the unreachable message.
    pub(crate) endpoint: &'a str,
}

impl Attempt<'_> {
    /// Sorts an SDK failure into the variant whose message names the fix.
    pub(crate) fn classify<E>(
        &self,
        error: SdkError<E, aws_sdk_s3::config::http::HttpResponse>,
    ) -> S3Error
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let bucket = self.bucket.to_owned();
        let operation = self.operation;
        match &error {
            SdkError::DispatchFailure(failure) if failure.is_io() || failure.is_timeout() => {
                S3Error::EndpointUnreachable {
                    endpoint: self.endpoint.to_owned(),
                    detail: innermost_message(&error),
                }
            }
            SdkError::TimeoutError(_) => S3Error::EndpointUnreachable {
                endpoint: self.endpoint.to_owned(),
                detail: "no answer before the timeout".to_owned(),
            },
            SdkError::ServiceError(service_error) => {
                let status = service_error.raw().status().as_u16();
                let code = service_error.err().code();
                let detail = service_detail(service_error.err(), status);
                // HeadBucket answers 301 with the bucket's region when the client signed for another.
                if status == 301
                    && let Some(bucket_region) =
                        service_error.raw().headers().get("x-amz-bucket-region")
                {
                    return S3Error::WrongRegion {
                        bucket,
                        bucket_region: bucket_region.to_owned(),
                    };
                }
                match code {
                    Some("InvalidBucketName") => S3Error::InvalidBucketName {
                        bucket,
                        reason: detail,
                    },
                    Some(
                        "AccessDenied"
                        | "InvalidAccessKeyId"
                        | "SignatureDoesNotMatch"
                        | "AllAccessDisabled"
                        | "InvalidToken"
                        | "ExpiredToken",
                    ) => S3Error::AccessDenied {
                        bucket,
                        operation,
                        detail,
                    },
                    // HEAD answers have no body, so a 403 arrives without a code.
                    None if status == 403 => S3Error::AccessDenied {
                        bucket,
                        operation,
                        detail,
                    },
                    _ => S3Error::Unexpected {
                        bucket,
                        operation,
                        detail,
                    },
                }
            }
            _ => S3Error::Unexpected {
                bucket,
                operation,
                detail: DisplayErrorContext(&error).to_string(),
            },
        }
    }
}

/// `Code: message (HTTP status, request ID …)`, whatever of that S3 sent.
fn service_detail<E: ProvideErrorMetadata>(error: &E, status: u16) -> String {
    let mut detail = match (error.code(), error.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code.to_owned(),
        (None, _) => "no error body".to_owned(),
    };
    detail.push_str(&format!(", HTTP {status}"));
    if let Some(request_id) = error.meta().request_id() {
        detail.push_str(&format!(", request ID {request_id}"));
    }
    detail
}

/// The deepest source's text, e.g. "Connection refused (os error 111)", without the SDK's layers.
fn innermost_message(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}
