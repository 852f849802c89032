//! The user's persistent state as a handler sees it: loaded on first use, changed through
//! recorded updates, written once after the answer if it changed, and applied only to the Google
//! account it was made with (docs/user-state.md).

use std::fmt;
use std::time::Duration;

use alexa_model::AccessToken;
use google_api::{Deadline, UserClient};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::Mutex;
use tokio::time::Instant;
use tracing::{error, info, warn};
use user_state::{Item, Store, StoreError};

/// The longest one store call may take. DynamoDB answers in milliseconds; a store that takes
/// longer is treated as down for this request, so the handler still has most of the answer
/// budget for Google.
pub const STORE_CALL_LIMIT: Duration = Duration::from_millis(1_000);

/// How often a write is tried in all when other requests of the same user keep writing first.
/// Each round of a race has one winner, so this many requests of one user at the same moment all
/// get their update in; the answer deadline bounds the attempts too.
pub const WRITE_ATTEMPTS: usize = 10;

/// The user's persistent state (ASK SDK's "persistent attributes"): one JSON document per Alexa
/// user, read as any serde type the skill chooses.
///
/// ```
/// # use linked_skill::{Answer, IntentHandler, IntentInput, google_api};
/// #[derive(Default, serde::Serialize, serde::Deserialize)]
/// struct Tasks {
///     added: u32,
/// }
///
/// struct AddTask;
///
/// impl IntentHandler for AddTask {
///     const NAME: &'static str = "AddTaskIntent";
///     const SCOPES: &'static [&'static google_api::scopes::Scope] = &[];
///
///     async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, linked_skill::HandlerError> {
///         let tasks = input.state.update(|tasks: &mut Tasks| tasks.added += 1).await;
///         Ok(Answer::say(format!("That's task number {}.", tasks.added)))
///     }
/// }
/// ```
///
/// Reading never fails: with no stored state, a store that is down or slow, or a stored document
/// that no longer fits the type, a handler gets `T::default()` (and the toolkit logs one warning).
/// Writes happen after the answer, once: when another request of the same user wrote in the
/// meantime, the stored state is read again and this request's [`UserState::update`]s are
/// applied to it again, in order, so no update is lost.
pub struct UserState<'a> {
    store: Option<&'a dyn Store>,
    user_id: Option<&'a str>,
    access_token: Option<&'a AccessToken>,
    google: UserClient<'a>,
    deadline: Deadline,
    inner: Mutex<Inner>,
}

impl fmt::Debug for UserState<'_> {
    // The state and the user's IDs are personal data: only whether there is a store.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("UserState")
            .field("store", &self.store.is_some())
            .finish_non_exhaustive()
    }
}

// 'static: a handler's update may run again after the handler returned (on a conflict).
type Update = Box<dyn Fn(&mut Value) + Send + Sync>;

#[derive(Default)]
struct Inner {
    loaded: Option<Loaded>,
    updates: Vec<Update>,
    /// The type the last update wrote, named in the error when the state is too large.
    state_type: Option<&'static str>,
    warned: bool,
}

/// What was read, and what this request made of it.
struct Loaded {
    /// `None` when the store could not be read: the state is the default and is never written.
    read: Option<Read>,
    current: Value,
}

struct Read {
    /// The version read (`None`: no item), which the write must still find.
    version: Option<u64>,
    /// The document the handler started from (after the account check).
    original: Value,
    binding: Binding,
    /// The account binding differs from the stored one: write even if the document did not
    /// change, so the next request needs no userinfo call.
    binding_changed: bool,
    /// The stored state belongs to another Google account and was not applied.
    other_account: bool,
    /// `false` on a request without a token when the state belongs to a Google account: that
    /// state is neither shown nor overwritten (nothing says whose it would become).
    writable: bool,
}

#[derive(Clone, PartialEq, Eq)]
struct Binding {
    google_sub: Option<String>,
    token_fingerprint: Option<String>,
    /// Whether `google_sub` is known for this request's token (or there is no token).
    resolved: bool,
}

impl<'a> UserState<'a> {
    pub(crate) fn new(
        store: Option<&'a dyn Store>,
        user_id: Option<&'a str>,
        access_token: Option<&'a AccessToken>,
        google: UserClient<'a>,
        deadline: Deadline,
    ) -> UserState<'a> {
        UserState {
            store,
            user_id,
            access_token,
            google,
            deadline,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// The state as `T`: `T::default()` when there is none, when it cannot be read, or when the
    /// stored document does not fit `T` (the skill's type changed: the next write replaces it).
    pub async fn get<T: DeserializeOwned + Default>(&self) -> T {
        let mut inner = self.inner.lock().await;
        self.ensure_loaded(&mut inner).await;
        let current = inner.loaded.as_ref().map(|loaded| loaded.current.clone());
        self.decode(&mut inner, current.unwrap_or(Value::Null))
    }

    /// Changes the state with `change` and returns the result. `change` is kept: if another
    /// request of the user writes first, it runs again on what that request stored.
    pub async fn update<T>(&self, change: impl Fn(&mut T) + Send + Sync + 'static) -> T
    where
        T: DeserializeOwned + Serialize + Default + 'static,
    {
        let mut inner = self.inner.lock().await;
        self.ensure_loaded(&mut inner).await;
        inner.state_type = Some(std::any::type_name::<T>());
        let update: Update = Box::new(move |document: &mut Value| {
            let mut state: T = serde_json::from_value(document.clone()).unwrap_or_default();
            change(&mut state);
            if let Some(encoded) = encode(&state) {
                *document = encoded;
            }
        });
        let loaded = inner.loaded.as_mut().expect("ensure_loaded loads");
        update(&mut loaded.current);
        let current = loaded.current.clone();
        inner.updates.push(update);
        self.decode(&mut inner, current)
    }

    /// Replaces the state with `value` (on a conflict, too: the last writer wins).
    pub async fn set<T: Serialize + ?Sized>(&self, value: &T) {
        let Some(document) = encode(value) else {
            return;
        };
        let mut inner = self.inner.lock().await;
        self.ensure_loaded(&mut inner).await;
        inner.state_type = Some(std::any::type_name::<T>());
        let update: Update = Box::new(move |current: &mut Value| *current = document.clone());
        let loaded = inner.loaded.as_mut().expect("ensure_loaded loads");
        update(&mut loaded.current);
        inner.updates.push(update);
    }

    /// Whether the state could be read in this request (with no store configured, or the store
    /// down, it is always the default and changes are not kept).
    pub async fn is_available(&self) -> bool {
        let mut inner = self.inner.lock().await;
        self.ensure_loaded(&mut inner).await;
        inner
            .loaded
            .as_ref()
            .and_then(|loaded| loaded.read.as_ref())
            .is_some_and(|read| read.writable)
    }

    fn decode<T: DeserializeOwned + Default>(&self, inner: &mut Inner, document: Value) -> T {
        if document.is_null() {
            return T::default();
        }
        match serde_json::from_value(document) {
            Ok(state) => state,
            Err(error) => {
                // The document is the skill's data: say where it stopped fitting, not what it is.
                warn_once(
                    inner,
                    format_args!(
                        "the stored state does not fit {} ({:?} error); using its default, the \
                         next change replaces it",
                        std::any::type_name::<T>(),
                        error.classify()
                    ),
                );
                T::default()
            }
        }
    }

    async fn ensure_loaded(&self, inner: &mut Inner) {
        if inner.loaded.is_some() {
            return;
        }
        let read = match (self.store, self.user_id) {
            (Some(store), Some(user_id)) => match self.read(store, user_id).await {
                Ok(read) => Some(read),
                Err(problem) => {
                    warn_once(
                        inner,
                        format_args!("the user's state could not be read ({problem})"),
                    );
                    None
                }
            },
            _ => None,
        };
        let current = read
            .as_ref()
            .map_or(Value::Null, |read| read.original.clone());
        inner.loaded = Some(Loaded { read, current });
    }

    /// Reads the item and applies the account rule: state bound to another Google account than
    /// the request's token belongs to (or bound to one, on a request without a token) is not
    /// applied.
    async fn read(&self, store: &dyn Store, user_id: &str) -> Result<Read, String> {
        let item = bounded(store.load(user_id), self.deadline)
            .await
            .map_err(|error| error.to_string())?;
        let fingerprint = self
            .access_token
            .map(|token| user_state::token_fingerprint(token.secret()));
        let Some(item) = item else {
            return Ok(Read {
                version: None,
                original: Value::Null,
                binding: Binding {
                    google_sub: None,
                    token_fingerprint: fingerprint,
                    resolved: self.access_token.is_none(),
                },
                binding_changed: false,
                other_account: false,
                writable: true,
            });
        };
        let stored = Binding {
            google_sub: item.google_sub.clone(),
            token_fingerprint: item.token_fingerprint.clone(),
            resolved: true,
        };
        let document = serde_json::from_str(&item.attributes).unwrap_or(Value::Null);
        let (binding, applies) = match (&fingerprint, &item.google_sub) {
            // No token: only state made without an account applies.
            (None, sub) => (stored.clone(), sub.is_none()),
            // The token this state was last used with: the same account, no call needed.
            (Some(fingerprint), Some(_))
                if item.token_fingerprint.as_ref() == Some(fingerprint) =>
            {
                (stored.clone(), true)
            }
            (Some(_), stored_sub) => {
                let sub = self.google_sub().await?;
                let applies = match (stored_sub, &sub) {
                    (Some(stored_sub), Some(sub)) => stored_sub == sub,
                    // Unbound state is the same Alexa user's: it becomes this account's.
                    (None, _) => true,
                    // The link reveals no account (no openid/email/profile scope): the state
                    // stays bound to the Alexa user only.
                    (Some(_), None) => true,
                };
                let binding = Binding {
                    google_sub: sub.or_else(|| stored_sub.clone()),
                    token_fingerprint: fingerprint.clone(),
                    resolved: true,
                };
                (binding, applies)
            }
        };
        if !applies && fingerprint.is_some() {
            info!("stored state belongs to another Google account: starting fresh");
        }
        Ok(Read {
            version: Some(item.version),
            original: if applies { document } else { Value::Null },
            binding_changed: binding != stored || !applies,
            binding,
            other_account: !applies && fingerprint.is_some(),
            writable: fingerprint.is_some() || item.google_sub.is_none(),
        })
    }

    /// Google's `sub` for the request's token: `None` when the link's scopes do not reveal it.
    async fn google_sub(&self) -> Result<Option<String>, String> {
        match self.google.userinfo().await {
            Ok(user) => Ok(Some(user.sub)),
            Err(google_api::Error::MissingScope { .. }) => Ok(None),
            Err(error) => Err(format!("could not tell the Google account: {error}")),
        }
    }

    /// Writes the state if this request changed it. Called once, after the answer; bounded by
    /// the answer deadline.
    pub(crate) async fn save(&self) {
        let (Some(store), Some(user_id)) = (self.store, self.user_id) else {
            return;
        };
        let mut inner = self.inner.lock().await;
        let Some(Loaded {
            read: Some(read),
            current,
        }) = inner.loaded.take()
        else {
            return;
        };
        if !read.writable || (current == read.original && !read.binding_changed) {
            return;
        }
        let mut read = read;
        let mut current = current;
        if !read.binding.resolved {
            match self.google_sub().await {
                Ok(sub) => {
                    read.binding.google_sub = sub;
                    read.binding.resolved = true;
                }
                Err(problem) => {
                    warn_once(&mut inner, format_args!("state not saved: {problem}"));
                    return;
                }
            }
        }
        for attempt in 1..=WRITE_ATTEMPTS {
            let item = Item {
                version: read.version.map_or(1, |version| version + 1),
                attributes: current.to_string(),
                google_sub: read.binding.google_sub.clone(),
                token_fingerprint: read.binding.token_fingerprint.clone(),
            };
            match bounded(store.save(user_id, &item, read.version), self.deadline).await {
                Ok(()) => return,
                Err(StoreError::Conflict) if attempt < WRITE_ATTEMPTS => {
                    // Another request of this user wrote first: apply this request's updates
                    // again to what it stored.
                    info!(
                        attempt,
                        "the user's state changed meanwhile; applying again"
                    );
                    match self.read(store, user_id).await {
                        Ok(fresh) if !fresh.writable => return,
                        Ok(fresh) => {
                            current = fresh.original.clone();
                            for update in &inner.updates {
                                update(&mut current);
                            }
                            read = Read {
                                binding_changed: true,
                                ..fresh
                            };
                        }
                        Err(problem) => {
                            warn_once(&mut inner, format_args!("state not saved: {problem}"));
                            return;
                        }
                    }
                }
                Err(StoreError::TooLarge { bytes }) => {
                    let state_type = inner.state_type.unwrap_or("the skill's state");
                    error!(
                        state_type,
                        bytes,
                        "state not saved: {state_type} is {bytes} bytes as JSON, over DynamoDB's \
                         400 KB item limit; keep less in it"
                    );
                    return;
                }
                Err(problem) => {
                    warn_once(&mut inner, format_args!("state not saved: {problem}"));
                    return;
                }
            }
        }
        warn_once(
            &mut inner,
            format_args!(
                "state not saved: {WRITE_ATTEMPTS} writes in a row lost to other requests"
            ),
        );
    }
}

impl UserState<'_> {
    /// Deletes the user's state (SkillDisabled without `PERSISTED`).
    pub(crate) async fn delete(&self) {
        let (Some(store), Some(user_id)) = (self.store, self.user_id) else {
            return;
        };
        // Whatever a hook changed before is not written back after the delete.
        self.inner.lock().await.loaded = Some(Loaded {
            read: None,
            current: Value::Null,
        });
        match bounded(store.delete(user_id), self.deadline).await {
            Ok(()) => info!("deleted the user's state"),
            Err(error) => warn!(%error, "could not delete the user's state"),
        }
    }

    /// On SkillAccountLinked: deletes state that belongs to another Google account than the one
    /// just linked, so it is never applied to the new one.
    pub(crate) async fn forget_other_account(&self) {
        let (Some(store), Some(user_id)) = (self.store, self.user_id) else {
            return;
        };
        if self.access_token.is_none() {
            return;
        }
        match self.read(store, user_id).await {
            Ok(read) if read.other_account => {
                info!("a different Google account was linked: deleting the old account's state");
                self.delete().await;
            }
            Ok(_) => {}
            Err(problem) => warn!("could not check the stored state's account ({problem})"),
        }
    }
}

/// Whether a SkillDisabled event says Amazon keeps the user's information
/// (`body.userInformationPersistenceStatus` is `PERSISTED`: the same user ID comes back when the
/// skill is enabled again). Anything else, a missing body included, means the user ID is retired
/// and the state is deleted (docs/user-state.md, "When it is deleted").
pub(crate) fn user_information_persisted(body: Option<&Value>) -> bool {
    body.and_then(|body| body.get("userInformationPersistenceStatus"))
        .and_then(Value::as_str)
        == Some("PERSISTED")
}

/// `call`, stopped after [`STORE_CALL_LIMIT`] or at the deadline, whichever comes first.
async fn bounded<T>(
    call: impl Future<Output = Result<T, StoreError>>,
    deadline: Deadline,
) -> Result<T, StoreError> {
    let limit = deadline.instant().min(Instant::now() + STORE_CALL_LIMIT);
    tokio::time::timeout_at(limit, call)
        .await
        .unwrap_or_else(|_elapsed| {
            Err(StoreError::Unavailable {
                detail: format!("no answer within {} ms", STORE_CALL_LIMIT.as_millis()),
            })
        })
}

/// `state` as JSON; `None` (and an error naming the type) when its `Serialize` fails, e.g. a map
/// with non-string keys: a bug in the skill, which must not cost the user the answer.
fn encode<T: Serialize + ?Sized>(state: &T) -> Option<Value> {
    match serde_json::to_value(state) {
        Ok(document) => Some(document),
        Err(error) => {
            error!(
                state_type = std::any::type_name::<T>(),
                "the state does not serialize to JSON ({:?} error), change ignored",
                error.classify()
            );
            None
        }
    }
}

fn warn_once(inner: &mut Inner, message: fmt::Arguments<'_>) {
    if !inner.warned {
        inner.warned = true;
        warn!("{message}");
    }
}

#[cfg(test)]
mod tests;
