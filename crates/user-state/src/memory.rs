//! A [`Store`] in memory, with DynamoDB's rules (version check, size limit) and switches to make
//! it fail: for unit tests of handlers, next to `linked_skill::testing::FakeGoogle`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::{BoxFuture, Item, Store, StoreError, check_write};

/// Items in memory. Clones share the items, so a test keeps one clone to look inside.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    items: HashMap<String, Item>,
    down: bool,
    delay: Duration,
    conflicting_writes: Vec<Item>,
    reads: usize,
    writes: usize,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The stored item of `user_id`.
    pub fn item(&self, user_id: &str) -> Option<Item> {
        self.inner().items.get(user_id).cloned()
    }

    /// Puts `item` in place as if written earlier.
    pub fn insert(&self, user_id: &str, item: Item) {
        self.inner().items.insert(user_id.to_owned(), item);
    }

    /// While `down`, every call fails with [`StoreError::Unavailable`].
    pub fn set_down(&self, down: bool) {
        self.inner().down = down;
    }

    /// Every call first waits `delay` (a slow or hanging DynamoDB).
    pub fn set_delay(&self, delay: Duration) {
        self.inner().delay = delay;
    }

    async fn wait(&self) {
        let delay = self.inner().delay;
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
    }

    /// Another request of the same user writes `item` just before the next save, which then
    /// finds the version changed. Called several times, one such write precedes each save.
    pub fn write_concurrently(&self, item: Item) {
        self.inner().conflicting_writes.push(item);
    }

    /// How many loads were asked for.
    pub fn reads(&self) -> usize {
        self.inner().reads
    }

    /// How many saves succeeded.
    pub fn writes(&self) -> usize {
        self.inner().writes
    }

    fn check_up(inner: &Inner) -> Result<(), StoreError> {
        if inner.down {
            return Err(StoreError::Unavailable {
                detail: "the memory store is switched off".to_owned(),
            });
        }
        Ok(())
    }
}

impl Store for MemoryStore {
    fn load<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<Item>, StoreError>> {
        Box::pin(async move {
            self.wait().await;
            let mut inner = self.inner();
            inner.reads += 1;
            MemoryStore::check_up(&inner)?;
            Ok(inner.items.get(user_id).cloned())
        })
    }

    fn save<'a>(
        &'a self,
        user_id: &'a str,
        item: &'a Item,
        read_version: Option<u64>,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            check_write(user_id, item, read_version)?;
            self.wait().await;
            let mut inner = self.inner();
            MemoryStore::check_up(&inner)?;
            if !inner.conflicting_writes.is_empty() {
                let other = inner.conflicting_writes.remove(0);
                inner.items.insert(user_id.to_owned(), other);
            }
            let stored_version = inner.items.get(user_id).map(|stored| stored.version);
            if stored_version != read_version {
                return Err(StoreError::Conflict);
            }
            inner.items.insert(user_id.to_owned(), item.clone());
            inner.writes += 1;
            Ok(())
        })
    }

    fn delete<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            self.wait().await;
            let mut inner = self.inner();
            MemoryStore::check_up(&inner)?;
            inner.items.remove(user_id);
            Ok(())
        })
    }
}
