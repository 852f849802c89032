//! The users' state table of a stack (`StateTable` in infra/template.yaml): the stack keeps it
//! when deleted (`DeletionPolicy: Retain`, deletion protection), so removing users' data is a
//! separate, explicit step, `cargo xtask destroy --delete-data` (docs/user-state.md).

use aws_sdk_cloudformation::error::ProvideErrorMetadata;

use crate::stack::AwsTarget;

/// The table's logical ID in the template.
pub const LOGICAL_ID: &str = "StateTable";

/// A state-table call failed; the message names the call and AWS's answer.
#[derive(Debug, thiserror::Error)]
#[error("{operation} failed: {detail}")]
pub struct StateTableError {
    pub operation: &'static str,
    pub detail: String,
}

fn failed<E: ProvideErrorMetadata>(operation: &'static str, error: &E) -> StateTableError {
    StateTableError {
        operation,
        detail: format!(
            "{}: {}",
            error.code().unwrap_or("no error code"),
            error.message().unwrap_or("no message")
        ),
    }
}

/// A DynamoDB client for `region` of `target` (same credentials and endpoint as the stack's).
pub async fn client(target: &AwsTarget, region: &str) -> aws_sdk_dynamodb::Client {
    let sdk_config = crate::s3::sdk_config(
        region,
        target.endpoint_url.as_deref(),
        target.profile.as_deref(),
        target.credentials.as_ref(),
    )
    .await;
    aws_sdk_dynamodb::Client::new(&sdk_config)
}

/// The name of the stack's state table; `None` when there is no such stack or resource.
pub async fn find(
    cloudformation: &aws_sdk_cloudformation::Client,
    stack_name: &str,
) -> Result<Option<String>, StateTableError> {
    match cloudformation
        .describe_stack_resource()
        .stack_name(stack_name)
        .logical_resource_id(LOGICAL_ID)
        .send()
        .await
    {
        Ok(answer) => Ok(answer
            .stack_resource_detail()
            .and_then(|resource| resource.physical_resource_id())
            .map(str::to_owned)),
        // CloudFormation answers a missing stack or resource with a ValidationError.
        Err(error) if error.code() == Some("ValidationError") => Ok(None),
        Err(error) => Err(failed("DescribeStackResource", &error)),
    }
}

/// Turns the table's deletion protection off and deletes it, with all users' data. `false` when
/// there was no such table.
pub async fn delete(
    dynamodb: &aws_sdk_dynamodb::Client,
    table: &str,
) -> Result<bool, StateTableError> {
    match dynamodb
        .update_table()
        .table_name(table)
        .deletion_protection_enabled(false)
        .send()
        .await
    {
        Ok(_) => {}
        Err(error) if error.code() == Some("ResourceNotFoundException") => return Ok(false),
        Err(error) => return Err(failed("UpdateTable (deletion protection off)", &error)),
    }
    match dynamodb.delete_table().table_name(table).send().await {
        Ok(_) => Ok(true),
        Err(error) if error.code() == Some("ResourceNotFoundException") => Ok(false),
        Err(error) => Err(failed("DeleteTable", &error)),
    }
}
