//! Stack events: converted from the SDK's type, polled until an operation ends, and read for
//! what failed.

use std::collections::HashSet;
use std::fmt;
use std::time::Instant;

use aws_sdk_cloudformation::error::ProvideErrorMetadata;

use super::{MAX_WAIT, POLL_INTERVAL, StackError, describe_stack, sdk_detail};

/// One stack event, converted from the SDK's type for printing and for finding the failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackEvent {
    /// RFC 3339, as CloudFormation recorded it.
    pub timestamp: String,
    pub logical_resource_id: String,
    pub resource_type: String,
    /// E.g. `CREATE_IN_PROGRESS`, `UPDATE_FAILED`.
    pub status: String,
    pub reason: Option<String>,
}

impl StackEvent {
    pub fn is_failure(&self) -> bool {
        self.status.ends_with("_FAILED")
    }
}

impl fmt::Display for StackEvent {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{} {:<28} {} ({})",
            self.timestamp, self.status, self.logical_resource_id, self.resource_type
        )?;
        if let Some(reason) = &self.reason {
            write!(formatter, ": {reason}")?;
        }
        Ok(())
    }
}

/// What went wrong, from the events of one operation (oldest first): each failed resource with its
/// reason, leaving out the cancellations that a failure elsewhere causes and the stack's own
/// summary line unless nothing else explains it.
pub fn failure_reasons(events: &[StackEvent]) -> Vec<String> {
    let is_consequence = |reason: &str| {
        reason.contains("Resource creation cancelled")
            || reason.contains("Resource update cancelled")
    };
    let failures: Vec<&StackEvent> = events
        .iter()
        .filter(|event| event.is_failure())
        .filter(|event| !event.reason.as_deref().is_some_and(is_consequence))
        .collect();
    let resource_failures: Vec<String> = failures
        .iter()
        .filter(|event| event.resource_type != "AWS::CloudFormation::Stack")
        .map(|event| describe_failure(event))
        .collect();
    if !resource_failures.is_empty() {
        return resource_failures;
    }
    let stack_failures: Vec<String> = failures
        .iter()
        .map(|event| describe_failure(event))
        .collect();
    if stack_failures.is_empty() {
        vec!["no failed resource was reported in the stack events".to_owned()]
    } else {
        stack_failures
    }
}

fn describe_failure(event: &StackEvent) -> String {
    format!(
        "{} ({}) {}: {}",
        event.logical_resource_id,
        event.resource_type,
        event.status,
        event.reason.as_deref().unwrap_or("no reason given")
    )
}

/// Polls until the stack leaves `*_IN_PROGRESS`, passing new events to `on_event`. Returns the
/// final status (empty when the stack is gone) and every event of this operation.
pub(super) async fn wait(
    cloudformation: &aws_sdk_cloudformation::Client,
    stack_id: &str,
    stack_name: &str,
    seen: &mut HashSet<String>,
    on_event: &mut dyn FnMut(&StackEvent),
) -> Result<(String, Vec<StackEvent>), StackError> {
    let started = Instant::now();
    let mut operation_events = Vec::new();
    loop {
        let status = describe_stack(cloudformation, stack_id)
            .await?
            .and_then(|stack| {
                stack
                    .stack_status()
                    .map(|status| status.as_str().to_owned())
            })
            .unwrap_or_default();
        // Read the events after the status, so that a final status comes with its events.
        for (event_id, event) in new_events(cloudformation, stack_id, seen).await? {
            seen.insert(event_id);
            on_event(&event);
            operation_events.push(event);
        }
        if !status.ends_with("_IN_PROGRESS") {
            return Ok((status, operation_events));
        }
        if started.elapsed() > MAX_WAIT {
            return Err(StackError::StillInProgress {
                stack: stack_name.to_owned(),
                status,
            });
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

/// Events not in `seen`, oldest first, with their IDs. CloudFormation lists newest first, so paging
/// stops at the first page that reaches an already seen event.
pub(super) async fn new_events(
    cloudformation: &aws_sdk_cloudformation::Client,
    stack: &str,
    seen: &HashSet<String>,
) -> Result<Vec<(String, StackEvent)>, StackError> {
    let mut fresh = Vec::new();
    let mut next_token = None;
    loop {
        let page = match cloudformation
            .describe_stack_events()
            .stack_name(stack)
            .set_next_token(next_token)
            .send()
            .await
        {
            Ok(page) => page,
            Err(error)
                if error
                    .message()
                    .is_some_and(|message| message.contains("does not exist")) =>
            {
                break;
            }
            Err(error) => {
                return Err(StackError::Unexpected {
                    stack: stack.to_owned(),
                    operation: "DescribeStackEvents",
                    detail: sdk_detail(&error),
                });
            }
        };
        let mut reached_seen = false;
        for event in page.stack_events() {
            let event_id = event.event_id().unwrap_or_default().to_owned();
            if seen.contains(&event_id) {
                reached_seen = true;
                continue;
            }
            fresh.push((event_id, convert_event(event)));
        }
        // A whole first listing (seen empty) is only read for priming: one page is enough there.
        if reached_seen || seen.is_empty() || page.next_token().is_none() {
            break;
        }
        next_token = page.next_token().map(str::to_owned);
    }
    fresh.reverse();
    Ok(fresh)
}

fn convert_event(event: &aws_sdk_cloudformation::types::StackEvent) -> StackEvent {
    StackEvent {
        timestamp: event
            .timestamp()
            .and_then(|timestamp| {
                timestamp
                    .fmt(aws_sdk_cloudformation::primitives::DateTimeFormat::DateTime)
                    .ok()
            })
            .unwrap_or_default(),
        logical_resource_id: event.logical_resource_id().unwrap_or_default().to_owned(),
        resource_type: event.resource_type().unwrap_or_default().to_owned(),
        status: event
            .resource_status()
            .map(|status| status.as_str().to_owned())
            .unwrap_or_default(),
        reason: event.resource_status_reason().map(str::to_owned),
    }
}
