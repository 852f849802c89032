//! Where a skill keeps each user's state between requests: one item per Alexa user ID, with a
//! version for conditional writes and the Google account it was written under.
//!
//! [`Store`] is the seam: [`DynamoDb`] speaks DynamoDB's HTTP API (signed with SigV4, no AWS
//! SDK), [`MemoryStore`] keeps items in memory for unit tests. The toolkit (`linked-skill`) loads
//! an item lazily, applies it only to the Google account it belongs to, and writes it back once
//! per request with [`Store::save`]'s version check. docs/user-state.md says what is stored,
//! when it is deleted, and why.

mod dynamodb;
mod memory;

use std::fmt;
use std::future::Future;
use std::pin::Pin;

pub use dynamodb::{DynamoDb, DynamoDbSettings, SettingsError, TABLE_VARIABLE};
pub use memory::MemoryStore;

/// A boxed future, so [`Store`] can be used as `dyn Store`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// DynamoDB's item size limit: 400 KB, counting attribute names and values
/// (docs/user-state.md, "DynamoDB facts").
pub const ITEM_SIZE_LIMIT: usize = 400 * 1024;

/// One user's stored state.
#[derive(Clone, PartialEq, Eq)]
pub struct Item {
    /// Counts writes: 1 for the first. A write names the version it read and fails with
    /// [`StoreError::Conflict`] when another write came in between.
    pub version: u64,
    /// The skill's state as JSON text.
    pub attributes: String,
    /// Google's `sub` of the account the state was written under; `None` when the user was not
    /// linked (or the skill's scopes do not reveal it).
    pub google_sub: Option<String>,
    /// [`token_fingerprint`] of the last access token seen for `google_sub`, so a request with
    /// the same token needs no userinfo call to know its account.
    pub token_fingerprint: Option<String>,
}

impl fmt::Debug for Item {
    // The attributes and the account ID are the user's data: never in logs.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Item")
            .field("version", &self.version)
            .field("attributes_bytes", &self.attributes.len())
            .field(
                "google_sub",
                &self.google_sub.as_ref().map(|_| "[redacted]"),
            )
            .finish_non_exhaustive()
    }
}

impl Item {
    /// The item's size as DynamoDB counts it: UTF-8 bytes of every attribute name and value
    /// (numbers approximated by their decimal digits, which is never less than DynamoDB's count).
    pub fn size(&self, user_id: &str) -> usize {
        let named = |name: &str, value: Option<&str>| value.map_or(0, |v| name.len() + v.len());
        named(dynamodb::KEY, Some(user_id))
            + named(dynamodb::ATTRIBUTES, Some(&self.attributes))
            + named(dynamodb::VERSION, Some(&self.version.to_string()))
            + named(dynamodb::GOOGLE_SUB, self.google_sub.as_deref())
            + named(
                dynamodb::TOKEN_FINGERPRINT,
                self.token_fingerprint.as_deref(),
            )
    }
}

/// Why a store operation failed. None of these carries the user's data or a credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Another request wrote the item since it was read (the version check failed).
    #[error("the item changed since it was read")]
    Conflict,
    /// The item would exceed DynamoDB's 400 KB limit; nothing was written.
    #[error("the item is {bytes} bytes, over DynamoDB's {ITEM_SIZE_LIMIT}-byte item limit")]
    TooLarge { bytes: usize },
    /// DynamoDB asked to slow down (throttling).
    #[error("DynamoDB throttled the request ({kind})")]
    Throttled { kind: String },
    /// DynamoDB could not be reached or failed on its side; worth trying on a later request.
    #[error("DynamoDB is unavailable: {detail}")]
    Unavailable { detail: String },
    /// DynamoDB refused the request: missing table, missing permission, bad credentials. The
    /// message says which; retrying does not help.
    #[error("DynamoDB refused the request ({kind}): {message}")]
    Refused { kind: String, message: String },
    /// DynamoDB answered something this client cannot read.
    #[error("unexpected answer from DynamoDB: {detail}")]
    BadResponse { detail: String },
}

/// Where items live. Every call is one round trip; callers bound it with their deadline.
pub trait Store: Send + Sync + fmt::Debug {
    /// The item of `user_id`, read consistently (a write that succeeded is always seen).
    fn load<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<Item>, StoreError>>;

    /// Writes `item` for `user_id` if the stored version is still `read_version` (`None`: if
    /// there is no item). `item.version` must be `read_version + 1` (1 for a new item).
    fn save<'a>(
        &'a self,
        user_id: &'a str,
        item: &'a Item,
        read_version: Option<u64>,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Deletes the item of `user_id` (nothing happens when there is none).
    fn delete<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// A one-way fingerprint of an access token (SHA-256, hex): enough to recognise the same token
/// again, useless for calling Google.
pub fn token_fingerprint(access_token: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(access_token.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Checks what every store checks before writing: the version follows the one read, and the
/// item fits DynamoDB's limit.
fn check_write(user_id: &str, item: &Item, read_version: Option<u64>) -> Result<(), StoreError> {
    assert_eq!(
        item.version,
        read_version.map_or(1, |version| version + 1),
        "Store::save: the new version must follow the one read"
    );
    let bytes = item.size(user_id);
    if bytes > ITEM_SIZE_LIMIT {
        return Err(StoreError::TooLarge { bytes });
    }
    Ok(())
}
