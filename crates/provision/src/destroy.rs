//! The AWS side of `cargo xtask destroy`: each region's stack, then its users' state table and
//! buckets, which are kept unless asked (docs/user-state.md, "Deploy").
//!
//! The stack retains the state table (`DeletionPolicy: Retain`), and once the stack is gone
//! nothing in AWS names it any more; so a destroy that keeps a table writes its name into the
//! deploy state, and a later `destroy --delete-data` deletes it from there.

use std::path::Path;

use crate::config::{AwsRegion, Config, regional_bucket_name};
use crate::deploy_state::{DeployLock, DeployState, RetainedStateTable, StateError};
use crate::stack::{AwsClients, AwsTarget, StackError, StackEvent};
use crate::state_table::StateTableError;

/// What to delete besides the stacks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DestroyOptions {
    /// Empty and delete the artifacts and login page buckets.
    pub delete_buckets: bool,
    /// Delete the users' state table with all their data.
    pub delete_data: bool,
}

/// What happened in one region.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RegionDestroyed {
    pub region: AwsRegion,
    /// `false`: there was no stack.
    pub stack_deleted: bool,
    /// The users' state tables found (the stack's, and any an earlier destroy kept).
    pub state_tables: Vec<StateTableFate>,
    /// The artifacts and login page buckets.
    pub buckets: [String; 2],
    /// Per bucket whether it existed, when they were deleted; `None` when they were kept.
    pub buckets_deleted: Option<[bool; 2]>,
}

/// What became of a users' state table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StateTableFate {
    /// Kept with the users' data, remembered in the deploy state.
    Kept(String),
    /// Deleted with all users' data.
    Deleted(String),
    /// Remembered, but already deleted by someone else.
    AlreadyGone(String),
}

/// Why destroy stopped. Messages say what failed; none contains a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DestroyError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error("in {region}: {error}")]
    Stack { region: String, error: StackError },
    #[error("in {region}: {error}")]
    Bucket {
        region: String,
        error: crate::S3Error,
    },
    #[error("in {region}: {error}")]
    StateTable {
        region: String,
        error: StateTableError,
    },
}

/// Deletes the stack of `config` in each of its regions, then (per `options`) the users' state
/// table and the buckets; `aws` is for the main region, `target` says where AWS is. Holds the
/// deploy lock of `state_path` and keeps the names of retained tables there.
pub async fn destroy(
    aws: &AwsClients,
    target: &AwsTarget,
    config: &Config,
    state_path: &Path,
    options: DestroyOptions,
    on_event: &mut dyn FnMut(&StackEvent),
) -> Result<Vec<RegionDestroyed>, DestroyError> {
    let _lock = DeployLock::acquire(state_path)?;
    let mut state = DeployState::load(state_path)?;
    let stack_name = config.aws.stack_name.as_str();
    let regions = &config.aws.regions;
    let main = regions.main().as_str().to_owned();
    // Only buckets of the caller's account are ever emptied.
    let account = if options.delete_buckets {
        aws.account_id()
            .await
            .map_err(|error| DestroyError::Stack {
                region: main.clone(),
                error,
            })?
    } else {
        String::new()
    };
    let mut report = Vec::new();
    for region in regions.all() {
        let name = region.as_str().to_owned();
        let clients = if region == regions.main() {
            aws.clone()
        } else {
            aws.in_region(region.as_str())
        };
        let table_error = |error| DestroyError::StateTable {
            region: name.clone(),
            error,
        };
        let stack_error = |error| DestroyError::Stack {
            region: name.clone(),
            error,
        };
        // Found before the stack goes: afterwards nothing in AWS names the retained table.
        let stack_table = crate::state_table::find(&clients.cloudformation, stack_name)
            .await
            .map_err(table_error)?;
        let stack_deleted =
            crate::stack::delete_stack(&clients.cloudformation, stack_name, on_event)
                .await
                .map_err(stack_error)?;
        let mut tables: Vec<String> = state
            .retained_state_tables
            .iter()
            .filter(|retained| retained.region == name)
            .map(|retained| retained.table.clone())
            .collect();
        if let Some(table) = stack_table
            && !tables.contains(&table)
        {
            tables.push(table);
        }
        let mut state_tables = Vec::new();
        if options.delete_data && !tables.is_empty() {
            let dynamodb = crate::state_table::client(target, region.as_str()).await;
            for table in tables {
                let existed = crate::state_table::delete(&dynamodb, &table)
                    .await
                    .map_err(table_error)?;
                state
                    .retained_state_tables
                    .retain(|retained| !(retained.region == name && retained.table == table));
                state.save(state_path)?;
                state_tables.push(if existed {
                    StateTableFate::Deleted(table)
                } else {
                    StateTableFate::AlreadyGone(table)
                });
            }
        } else {
            for table in tables {
                let retained = RetainedStateTable {
                    region: name.clone(),
                    table: table.clone(),
                };
                if !state.retained_state_tables.contains(&retained) {
                    state.retained_state_tables.push(retained);
                    state.save(state_path)?;
                }
                state_tables.push(StateTableFate::Kept(table));
            }
        }
        let buckets = [
            regional_bucket_name(&config.aws.artifacts_bucket, regions, region),
            regional_bucket_name(&config.login_page.bucket, regions, region),
        ];
        let buckets_deleted = if options.delete_buckets {
            let mut existed = [false; 2];
            for (index, bucket) in buckets.iter().enumerate() {
                existed[index] =
                    crate::stack::delete_bucket_with_contents(&clients.s3, bucket, &account)
                        .await
                        .map_err(|error| DestroyError::Bucket {
                            region: name.clone(),
                            error,
                        })?;
            }
            Some(existed)
        } else {
            None
        };
        report.push(RegionDestroyed {
            region: region.clone(),
            stack_deleted,
            state_tables,
            buckets,
            buckets_deleted,
        });
    }
    Ok(report)
}
