//! Deploys the skill's CloudFormation stack (`infra/template.yaml`): uploads the Lambda zip under a
//! content-addressed key ([`artifacts`]), creates or updates the stack while reporting its events
//! ([`events`]), and publishes the login page, for `cargo xtask deploy` and `destroy`.
//!
//! Every parameter is always passed with an explicit value: `UsePreviousValue` would keep a stale
//! value silently, and moto (the offline twin the tests use) answers it with HTTP 500.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::time::Duration;

use aws_sdk_cloudformation::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_cloudformation::types::{Capability, Parameter, StackStatus};

use crate::login_page::PublishedPage;
use crate::s3::StaticCredentials;

mod artifacts;
pub mod certificate;
mod events;
pub use artifacts::{
    ARTIFACT_KEY_PREFIX, Artifact, artifact_key, delete_bucket_with_contents, upload_artifact,
};
pub use events::{StackEvent, failure_reasons};
use events::{new_events, wait};

/// The template's path relative to the workspace root.
pub const TEMPLATE_PATH: &str = "infra/template.yaml";

/// How long to wait between two looks at a stack that is still changing.
pub const POLL_INTERVAL: Duration = Duration::from_secs(5);

/// Give up waiting after this long; CloudFormation itself keeps going and the console shows the end.
pub const MAX_WAIT: Duration = Duration::from_secs(60 * 60);

/// Defaults of the template's `MemorySize`, `Timeout` and `LogRetentionDays`, repeated here because
/// every parameter is sent explicitly.
pub const DEFAULT_MEMORY_SIZE_MEGABYTES: u32 = 256;
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 10;
pub const DEFAULT_LOG_RETENTION_DAYS: u32 = 14;

/// The template's parameters. All of them are sent on every create and update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackParameters {
    pub skill_id: String,
    pub code_bucket: String,
    pub code_key: String,
    pub memory_size_megabytes: u32,
    pub timeout_seconds: u32,
    pub login_page_bucket_name: String,
    pub login_page_key: String,
    /// The cost cap; `None` sends the template's "no cap" value.
    pub reserved_concurrent_executions: Option<u32>,
    pub log_retention_days: u32,
    /// `[login_page] domain` and `hosted_zone_id`: CloudFront in front of the bucket.
    pub login_page_domain: Option<crate::config::LoginPageDomain>,
}

/// The template's `ReservedConcurrentExecutions` value meaning "no cap".
pub const NO_CONCURRENCY_CAP: &str = "-1";

impl StackParameters {
    /// `(ParameterKey, ParameterValue)` pairs, sorted by key, exactly as sent to CloudFormation.
    pub fn to_pairs(&self) -> BTreeMap<&'static str, String> {
        BTreeMap::from([
            ("SkillId", self.skill_id.clone()),
            ("CodeBucket", self.code_bucket.clone()),
            ("CodeKey", self.code_key.clone()),
            ("MemorySize", self.memory_size_megabytes.to_string()),
            ("Timeout", self.timeout_seconds.to_string()),
            ("LoginPageBucketName", self.login_page_bucket_name.clone()),
            ("LoginPageKey", self.login_page_key.clone()),
            (
                "ReservedConcurrentExecutions",
                self.reserved_concurrent_executions
                    .map_or_else(|| NO_CONCURRENCY_CAP.to_owned(), |cap| cap.to_string()),
            ),
            ("LogRetentionDays", self.log_retention_days.to_string()),
            (
                "LoginPageDomain",
                self.login_page_domain
                    .as_ref()
                    .map_or_else(String::new, |domain| domain.name.clone()),
            ),
            (
                "LoginPageHostedZoneId",
                self.login_page_domain
                    .as_ref()
                    .and_then(|domain| domain.hosted_zone_id.clone())
                    .unwrap_or_default(),
            ),
        ])
    }

    fn to_sdk(&self) -> Vec<Parameter> {
        self.to_pairs()
            .into_iter()
            .map(|(key, value)| {
                Parameter::builder()
                    .parameter_key(key)
                    .parameter_value(value)
                    .build()
            })
            .collect()
    }
}

/// What a create-or-update did to the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StackChange {
    Created,
    Updated,
    /// Template and parameters were already deployed; nothing was sent.
    Unchanged,
}

/// The stack's outputs the person deploying needs next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackOutputs {
    /// Paste as the skill's endpoint.
    pub function_arn: String,
    /// The public HTTPS URL of the login page, the account-linking authorization URI.
    pub login_page_url: String,
    /// With `[login_page] domain`: the CloudFront host name the domain must point at.
    pub login_page_distribution_domain: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackResult {
    pub change: StackChange,
    pub outputs: StackOutputs,
}

/// Everything one deploy needs besides the clients.
#[derive(Debug, Clone)]
pub struct Deployment<'a> {
    pub stack_name: &'a str,
    pub template_body: &'a str,
    pub artifacts_bucket: &'a str,
    pub lambda_zip: &'a [u8],
    pub skill_id: &'a str,
    pub memory_size_megabytes: u32,
    pub timeout_seconds: u32,
    pub log_retention_days: u32,
    pub login_page_bucket: &'a str,
    /// `[login_page] key`: where the page is published and what the bucket policy makes public.
    pub login_page_key: &'a str,
    pub login_page_html: &'a str,
    pub reserved_concurrent_executions: Option<u32>,
    /// The AWS account both buckets must belong to ([`AwsClients::account_id`]): every S3 call
    /// sends it as `ExpectedBucketOwner`, so a bucket of that name in another account (names
    /// are global, and `<bucket>-<region>` is predictable) is refused instead of used.
    pub expected_bucket_owner: &'a str,
    /// `[login_page] domain`: the page behind CloudFront on the developer's own host name.
    pub login_page_domain: Option<&'a crate::config::LoginPageDomain>,
}

/// What one deploy did, for the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployReport {
    pub artifact: Artifact,
    pub parameters: StackParameters,
    pub stack: StackResult,
    pub login_page: PublishedPage,
}

/// Why deploying or deleting the stack failed. Messages say what to do; none contains a credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StackError {
    /// Uploading the zip or the login page failed.
    #[error(transparent)]
    S3(#[from] crate::S3Error),
    /// CloudFormation refused the request itself, typically a template or parameter error.
    #[error("CloudFormation rejected {operation} of stack {stack}: {detail}")]
    Rejected {
        stack: String,
        operation: &'static str,
        detail: String,
    },
    /// The stack could not be created; CloudFormation deleted what it had made.
    #[error(
        "creating stack {stack} failed ({status}): {reasons}; nothing of it is in service: delete \
         it with `cargo xtask destroy --stack-name {stack}`, fix the cause and deploy again",
        reasons = reasons.join("; ")
    )]
    CreateFailed {
        stack: String,
        status: String,
        reasons: Vec<String>,
    },
    /// The update failed and was rolled back: the previous stack is what runs.
    #[error(
        "updating stack {stack} failed: {reasons}; CloudFormation rolled back, and {status} means \
         the previous stack is still deployed and serving the skill",
        reasons = reasons.join("; ")
    )]
    UpdateRolledBack {
        stack: String,
        status: String,
        reasons: Vec<String>,
    },
    /// The stack ended in a state no deploy should leave it in (e.g. `UPDATE_ROLLBACK_FAILED`).
    #[error(
        "stack {stack} ended in {status}: {reasons}; look at its events in the CloudFormation \
         console before deploying again",
        reasons = reasons.join("; ")
    )]
    Failed {
        stack: String,
        status: String,
        reasons: Vec<String>,
    },
    /// The stack exists in a state that cannot be updated.
    #[error("stack {stack} is in {status} and cannot be updated: {fix}")]
    NotUpdatable {
        stack: String,
        status: String,
        fix: &'static str,
    },
    /// The stack did not settle in [`MAX_WAIT`].
    #[error(
        "stack {stack} was still {status} after {minutes} minutes: follow it in the CloudFormation \
         console",
        minutes = MAX_WAIT.as_secs() / 60
    )]
    StillInProgress { stack: String, status: String },
    /// A call failed for another reason (network, credentials, throttling).
    #[error("CloudFormation {operation} on stack {stack} failed: {detail}")]
    Unexpected {
        stack: String,
        operation: &'static str,
        detail: String,
    },
    /// STS could not say which account the credentials belong to.
    #[error(
        "could not learn the AWS account of these credentials (STS GetCallerIdentity: {detail}): \
         check the AWS credentials/profile"
    )]
    CallerIdentity { detail: String },
    /// The template no longer declares an output deploy relies on.
    #[error("stack {stack} has no output {output}: is infra/template.yaml the one deploy expects?")]
    MissingOutput { stack: String, output: &'static str },
}

/// Which AWS (or AWS twin) to talk to, and as whom.
#[derive(Debug, Clone)]
pub struct AwsTarget {
    pub region: String,
    /// `None` talks to AWS; `Some("http://127.0.0.1:PORT")` to a twin such as moto, with S3 in
    /// path style (an IP endpoint has no bucket subdomains).
    pub endpoint_url: Option<String>,
    /// A named profile of `~/.aws/config`; `None` follows `AWS_PROFILE` and the default chain.
    pub profile: Option<String>,
    /// Exactly these keys instead of the standard credential chain (tests).
    pub credentials: Option<StaticCredentials>,
}

/// The clients a deploy uses, sharing one SDK configuration.
#[derive(Debug, Clone)]
pub struct AwsClients {
    pub s3: aws_sdk_s3::Client,
    pub cloudformation: aws_sdk_cloudformation::Client,
    /// For [`AwsClients::account_id`].
    pub sts: aws_sdk_sts::Client,
}

impl AwsClients {
    /// The same clients (credentials, endpoint, retries) in another region: one stack per
    /// region shares everything else (docs/deploy.md, "Regions").
    pub fn in_region(&self, region: &str) -> AwsClients {
        let s3_config = self
            .s3
            .config()
            .to_builder()
            .region(aws_sdk_s3::config::Region::new(region.to_owned()))
            .build();
        let cloudformation_config = self
            .cloudformation
            .config()
            .to_builder()
            .region(aws_sdk_cloudformation::config::Region::new(
                region.to_owned(),
            ))
            .build();
        let sts_config = self
            .sts
            .config()
            .to_builder()
            .region(aws_sdk_sts::config::Region::new(region.to_owned()))
            .build();
        AwsClients {
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            cloudformation: aws_sdk_cloudformation::Client::from_conf(cloudformation_config),
            sts: aws_sdk_sts::Client::from_conf(sts_config),
        }
    }

    /// The AWS account the credentials act for (STS `GetCallerIdentity`, which needs no
    /// permission): the owner every deploy bucket must have.
    pub async fn account_id(&self) -> Result<String, StackError> {
        let identity = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|error| StackError::CallerIdentity {
                detail: sdk_detail(&error),
            })?;
        identity
            .account()
            .map(str::to_owned)
            .ok_or_else(|| StackError::CallerIdentity {
                detail: "the answer names no account".to_owned(),
            })
    }
}

/// Builds both clients like [`crate::s3::client`] (rustls on ring, bounded retries and timeouts),
/// plus the named profile, which `s3::client` has no parameter for. Nothing is sent yet.
pub async fn clients(target: &AwsTarget) -> AwsClients {
    let sdk_config = crate::s3::sdk_config(
        &target.region,
        target.endpoint_url.as_deref(),
        target.profile.as_deref(),
        target.credentials.as_ref(),
    )
    .await;
    AwsClients {
        s3: crate::s3::client_from(&sdk_config, target.endpoint_url.is_some()),
        cloudformation: aws_sdk_cloudformation::Client::new(&sdk_config),
        sts: aws_sdk_sts::Client::new(&sdk_config),
    }
}

/// The whole deploy after the build: zip upload, stack create-or-update (events go to `on_event`
/// as they arrive), login page publish.
pub async fn deploy(
    s3: &aws_sdk_s3::Client,
    cloudformation: &aws_sdk_cloudformation::Client,
    deployment: &Deployment<'_>,
    on_event: &mut dyn FnMut(&StackEvent),
) -> Result<DeployReport, StackError> {
    let artifact = upload_artifact(
        s3,
        deployment.artifacts_bucket,
        deployment.lambda_zip,
        deployment.expected_bucket_owner,
    )
    .await?;
    let parameters = StackParameters {
        skill_id: deployment.skill_id.to_owned(),
        code_bucket: artifact.bucket.clone(),
        code_key: artifact.key.clone(),
        memory_size_megabytes: deployment.memory_size_megabytes,
        timeout_seconds: deployment.timeout_seconds,
        login_page_bucket_name: deployment.login_page_bucket.to_owned(),
        login_page_key: deployment.login_page_key.to_owned(),
        reserved_concurrent_executions: deployment.reserved_concurrent_executions,
        log_retention_days: deployment.log_retention_days,
        login_page_domain: deployment.login_page_domain.cloned(),
    };
    // A login page bucket left by an earlier stack of this name (destroy retains it) would make
    // the creation fail with "already exists": it is removed first when it holds only the page.
    if describe_stack(cloudformation, deployment.stack_name)
        .await?
        .is_none()
        && artifacts::remove_leftover_login_page_bucket(
            s3,
            deployment.login_page_bucket,
            deployment.login_page_key,
            deployment.expected_bucket_owner,
        )
        .await?
    {
        tracing::info!(
            bucket = deployment.login_page_bucket,
            "removed the login page bucket an earlier stack left; the new stack creates it again"
        );
    }
    let stack = deploy_stack(
        cloudformation,
        deployment.stack_name,
        deployment.template_body,
        &parameters,
        on_event,
    )
    .await?;
    // The stack owns the login page bucket (and its public-read policy), so it exists by now.
    let login_page = crate::login_page::publish_to_own_bucket(
        s3,
        deployment.login_page_bucket,
        deployment.login_page_key,
        deployment.login_page_html,
        deployment.expected_bucket_owner,
    )
    .await?;
    Ok(DeployReport {
        artifact,
        parameters,
        stack,
        login_page,
    })
}

/// Creates the stack, or updates it when template or parameters differ from what is deployed,
/// and waits for the end, handing each new stack event to `on_event` (oldest first).
///
/// "No updates are to be performed" counts as [`StackChange::Unchanged`]. The comparison before
/// updating exists because moto updates an identical stack instead of refusing, and it saves AWS a
/// call too.
pub async fn deploy_stack(
    cloudformation: &aws_sdk_cloudformation::Client,
    stack_name: &str,
    template_body: &str,
    parameters: &StackParameters,
    on_event: &mut dyn FnMut(&StackEvent),
) -> Result<StackResult, StackError> {
    let unexpected = |operation: &'static str, detail: String| StackError::Unexpected {
        stack: stack_name.to_owned(),
        operation,
        detail,
    };
    let existing = describe_stack(cloudformation, stack_name).await?;
    let change = match &existing {
        None => StackChange::Created,
        Some(stack) => {
            let status = stack.stack_status().map(StackStatus::as_str).unwrap_or("");
            if let Some(fix) = why_not_updatable(status) {
                return Err(StackError::NotUpdatable {
                    stack: stack_name.to_owned(),
                    status: status.to_owned(),
                    fix,
                });
            }
            let deployed_parameters: BTreeMap<&str, String> = stack
                .parameters()
                .iter()
                .filter_map(|parameter| {
                    Some((
                        parameter.parameter_key()?,
                        parameter.parameter_value()?.to_owned(),
                    ))
                })
                .collect();
            let deployed_template = cloudformation
                .get_template()
                .stack_name(stack_name)
                .send()
                .await
                .map_err(|error| unexpected("GetTemplate", sdk_detail(&error)))?;
            if deployed_template.template_body() == Some(template_body)
                && deployed_parameters == parameters.to_pairs()
            {
                return Ok(StackResult {
                    change: StackChange::Unchanged,
                    outputs: outputs(stack_name, stack)?,
                });
            }
            StackChange::Updated
        }
    };

    // Events that happened before this operation are not printed again.
    let mut seen = match &existing {
        Some(_) => new_events(cloudformation, stack_name, &HashSet::new())
            .await?
            .into_iter()
            .map(|(event_id, _)| event_id)
            .collect(),
        None => HashSet::new(),
    };

    let stack_id = match change {
        StackChange::Created => cloudformation
            .create_stack()
            .stack_name(stack_name)
            .template_body(template_body)
            .set_parameters(Some(parameters.to_sdk()))
            .capabilities(Capability::CapabilityIam)
            .send()
            .await
            .map_err(|error| rejected_or_unexpected(stack_name, "CreateStack", &error))?
            .stack_id()
            .unwrap_or(stack_name)
            .to_owned(),
        StackChange::Updated | StackChange::Unchanged => {
            match cloudformation
                .update_stack()
                .stack_name(stack_name)
                .template_body(template_body)
                .set_parameters(Some(parameters.to_sdk()))
                .capabilities(Capability::CapabilityIam)
                .send()
                .await
            {
                Ok(output) => output.stack_id().unwrap_or(stack_name).to_owned(),
                Err(error)
                    if error.message().is_some_and(|message| {
                        message.contains("No updates are to be performed")
                    }) =>
                {
                    let stack = existing.as_ref().expect("an update has an existing stack");
                    return Ok(StackResult {
                        change: StackChange::Unchanged,
                        outputs: outputs(stack_name, stack)?,
                    });
                }
                Err(error) => {
                    return Err(rejected_or_unexpected(stack_name, "UpdateStack", &error));
                }
            }
        }
    };

    let (status, events) = wait(cloudformation, &stack_id, stack_name, &mut seen, on_event).await?;
    let reasons = || failure_reasons(&events);
    match (change, status.as_str()) {
        (StackChange::Created, "CREATE_COMPLETE") | (_, "UPDATE_COMPLETE") => {
            let stack = describe_stack(cloudformation, stack_name)
                .await?
                .ok_or_else(|| unexpected("DescribeStacks", "the stack vanished".to_owned()))?;
            Ok(StackResult {
                change,
                outputs: outputs(stack_name, &stack)?,
            })
        }
        (StackChange::Created, _) => Err(StackError::CreateFailed {
            stack: stack_name.to_owned(),
            status,
            reasons: reasons(),
        }),
        (_, "UPDATE_ROLLBACK_COMPLETE") => Err(StackError::UpdateRolledBack {
            stack: stack_name.to_owned(),
            status,
            reasons: reasons(),
        }),
        _ => Err(StackError::Failed {
            stack: stack_name.to_owned(),
            status,
            reasons: reasons(),
        }),
    }
}

/// The skill the stack `stack_name` serves (its `SkillId` parameter, which sets the function's
/// trigger and `SKILL_ID`), or `None` when there is no such stack. This is what lets a deploy
/// without its state file find the skill again instead of creating a second one.
pub async fn deployed_skill_id(
    cloudformation: &aws_sdk_cloudformation::Client,
    stack_name: &str,
) -> Result<Option<String>, StackError> {
    let Some(stack) = describe_stack(cloudformation, stack_name).await? else {
        return Ok(None);
    };
    Ok(stack
        .parameters()
        .iter()
        .find(|parameter| parameter.parameter_key() == Some("SkillId"))
        .and_then(|parameter| parameter.parameter_value())
        .map(str::to_owned))
}

/// Deletes the stack and waits for the end. `Ok(false)` when there was no such stack.
///
/// The login page bucket has `DeletionPolicy: Retain` (so nobody else can take the name the
/// skill's account linking still points at; [`deploy`] takes it over again) and the artifacts
/// bucket is not part of the
/// stack, so both stay, with their content.
pub async fn delete_stack(
    cloudformation: &aws_sdk_cloudformation::Client,
    stack_name: &str,
    on_event: &mut dyn FnMut(&StackEvent),
) -> Result<bool, StackError> {
    let Some(stack) = describe_stack(cloudformation, stack_name).await? else {
        return Ok(false);
    };
    // Deleted stacks are only found by ID afterwards.
    let stack_id = stack.stack_id().unwrap_or(stack_name).to_owned();
    let mut seen = new_events(cloudformation, stack_name, &HashSet::new())
        .await?
        .into_iter()
        .map(|(event_id, _)| event_id)
        .collect();
    cloudformation
        .delete_stack()
        .stack_name(stack_name)
        .send()
        .await
        .map_err(|error| rejected_or_unexpected(stack_name, "DeleteStack", &error))?;
    let (status, events) = wait(cloudformation, &stack_id, stack_name, &mut seen, on_event).await?;
    if status == "DELETE_COMPLETE" || status.is_empty() {
        Ok(true)
    } else {
        Err(StackError::Failed {
            stack: stack_name.to_owned(),
            status,
            reasons: failure_reasons(&events),
        })
    }
}

/// `Some(fix)` for states an update cannot start from.
fn why_not_updatable(status: &str) -> Option<&'static str> {
    match status {
        "ROLLBACK_COMPLETE" | "ROLLBACK_FAILED" | "CREATE_FAILED" => Some(
            "its creation failed, so nothing of it is in service: delete it with `cargo xtask \
             destroy` and deploy again",
        ),
        "DELETE_FAILED" => Some("a delete failed: run `cargo xtask destroy` again"),
        "UPDATE_ROLLBACK_FAILED" => Some(
            "a rollback failed: continue the rollback in the CloudFormation console, then deploy \
             again",
        ),
        status if status.ends_with("_IN_PROGRESS") => {
            Some("another operation is running: wait for it to end, then deploy again")
        }
        _ => None,
    }
}

async fn describe_stack(
    cloudformation: &aws_sdk_cloudformation::Client,
    stack_name: &str,
) -> Result<Option<aws_sdk_cloudformation::types::Stack>, StackError> {
    match cloudformation
        .describe_stacks()
        .stack_name(stack_name)
        .send()
        .await
    {
        Ok(output) => Ok(output.stacks().first().cloned()),
        // CloudFormation has no NotFound code for stacks: it is a ValidationError with this text.
        Err(error)
            if error.code() == Some("ValidationError")
                && error
                    .message()
                    .is_some_and(|message| message.contains("does not exist")) =>
        {
            Ok(None)
        }
        Err(error) => Err(StackError::Unexpected {
            stack: stack_name.to_owned(),
            operation: "DescribeStacks",
            detail: sdk_detail(&error),
        }),
    }
}

fn outputs(
    stack_name: &str,
    stack: &aws_sdk_cloudformation::types::Stack,
) -> Result<StackOutputs, StackError> {
    let output = |key: &'static str| {
        stack
            .outputs()
            .iter()
            .find(|output| output.output_key() == Some(key))
            .and_then(|output| output.output_value())
            .map(str::to_owned)
            .ok_or(StackError::MissingOutput {
                stack: stack_name.to_owned(),
                output: key,
            })
    };
    Ok(StackOutputs {
        function_arn: output("FunctionArn")?,
        login_page_url: output("LoginPageUrl")?,
        login_page_distribution_domain: output("LoginPageDistributionDomain").ok(),
    })
}

/// A `ValidationError` is CloudFormation refusing the template or parameters; anything else is
/// reported as it came.
fn rejected_or_unexpected<E>(
    stack_name: &str,
    operation: &'static str,
    error: &SdkError<E, aws_sdk_cloudformation::config::http::HttpResponse>,
) -> StackError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if error.code() == Some("ValidationError") {
        StackError::Rejected {
            stack: stack_name.to_owned(),
            operation,
            detail: error.message().unwrap_or("no message").to_owned(),
        }
    } else {
        StackError::Unexpected {
            stack: stack_name.to_owned(),
            operation,
            detail: sdk_detail(error),
        }
    }
}

fn sdk_detail<E, R>(error: &SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: fmt::Debug,
{
    match (error.code(), error.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        _ => DisplayErrorContext(error).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(logical: &str, kind: &str, status: &str, reason: Option<&str>) -> StackEvent {
        StackEvent {
            timestamp: "2026-01-01T00:00:00Z".to_owned(),
            logical_resource_id: logical.to_owned(),
            resource_type: kind.to_owned(),
            status: status.to_owned(),
            reason: reason.map(str::to_owned),
        }
    }

    #[test]
    fn the_failing_resource_explains_a_rollback() {
        let events = [
            event(
                "alexa-skill",
                "AWS::CloudFormation::Stack",
                "UPDATE_IN_PROGRESS",
                Some("User Initiated"),
            ),
            event(
                "SkillFunction",
                "AWS::Lambda::Function",
                "UPDATE_FAILED",
                Some(
                    "Resource handler returned message: \"Error occurred while GetObject. S3 Error Code: NoSuchKey\"",
                ),
            ),
            event(
                "AlexaSkillPermission",
                "AWS::Lambda::Permission",
                "UPDATE_FAILED",
                Some("Resource update cancelled"),
            ),
            event(
                "alexa-skill",
                "AWS::CloudFormation::Stack",
                "UPDATE_ROLLBACK_IN_PROGRESS",
                Some("The following resource(s) failed to update: [SkillFunction]."),
            ),
            event(
                "alexa-skill",
                "AWS::CloudFormation::Stack",
                "UPDATE_ROLLBACK_COMPLETE",
                None,
            ),
        ];
        expect_test::expect![[r#"
            [
                "SkillFunction (AWS::Lambda::Function) UPDATE_FAILED: Resource handler returned message: \"Error occurred while GetObject. S3 Error Code: NoSuchKey\"",
            ]
        "#]]
        .assert_debug_eq(&failure_reasons(&events));
        let error = StackError::UpdateRolledBack {
            stack: "alexa-skill".to_owned(),
            status: "UPDATE_ROLLBACK_COMPLETE".to_owned(),
            reasons: failure_reasons(&events),
        };
        expect_test::expect![[r#"updating stack alexa-skill failed: SkillFunction (AWS::Lambda::Function) UPDATE_FAILED: Resource handler returned message: "Error occurred while GetObject. S3 Error Code: NoSuchKey"; CloudFormation rolled back, and UPDATE_ROLLBACK_COMPLETE means the previous stack is still deployed and serving the skill"#]]
        .assert_eq(&error.to_string());
    }

    #[test]
    fn a_stack_level_failure_is_reported_when_no_resource_failed() {
        let events = [event(
            "alexa-skill",
            "AWS::CloudFormation::Stack",
            "ROLLBACK_FAILED",
            Some("Role is invalid or cannot be assumed"),
        )];
        assert_eq!(
            failure_reasons(&events),
            [
                "alexa-skill (AWS::CloudFormation::Stack) ROLLBACK_FAILED: Role is invalid or cannot be assumed"
            ]
        );
        assert_eq!(
            failure_reasons(&[]),
            ["no failed resource was reported in the stack events"]
        );
    }

    #[test]
    fn every_parameter_is_sent_explicitly() {
        let parameters = StackParameters {
            skill_id: "amzn1.ask.skill.00000000-0000-0000-0000-000000000000".to_owned(),
            code_bucket: "artifacts".to_owned(),
            code_key: artifact_key(b"zip bytes"),
            memory_size_megabytes: DEFAULT_MEMORY_SIZE_MEGABYTES,
            timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
            login_page_bucket_name: "login".to_owned(),
            login_page_key: "link/index.html".to_owned(),
            reserved_concurrent_executions: None,
            log_retention_days: DEFAULT_LOG_RETENTION_DAYS,
            login_page_domain: None,
        };
        expect_test::expect![[r#"
            {
                "CodeBucket": "artifacts",
                "CodeKey": "skill/5b7a2754b389130e138d57ba83f1eae7f05a41c66becacfa2dd2060143ae66db.zip",
                "LogRetentionDays": "14",
                "LoginPageBucketName": "login",
                "LoginPageDomain": "",
                "LoginPageHostedZoneId": "",
                "LoginPageKey": "link/index.html",
                "MemorySize": "256",
                "ReservedConcurrentExecutions": "-1",
                "SkillId": "amzn1.ask.skill.00000000-0000-0000-0000-000000000000",
                "Timeout": "10",
            }
        "#]]
        .assert_debug_eq(&parameters.to_pairs());
        assert!(
            parameters
                .to_sdk()
                .iter()
                .all(|parameter| parameter.use_previous_value().is_none())
        );
    }

    #[test]
    fn failed_creations_must_be_deleted_before_deploying_again() {
        assert!(why_not_updatable("ROLLBACK_COMPLETE").is_some());
        assert!(why_not_updatable("UPDATE_IN_PROGRESS").is_some());
        assert!(why_not_updatable("UPDATE_ROLLBACK_COMPLETE").is_none());
        assert!(why_not_updatable("CREATE_COMPLETE").is_none());
    }
}
