//! Typed Google API calls with the access token Alexa supplies.
//!
//! The skill never holds a refresh token (Alexa keeps it), so every call
//! takes the [`AccessToken`] of the current request and a [`Deadline`] the
//! answer must not pass. Failures come back as [`Error`] variants that say
//! what to do: relink, ask for a scope, try later.
//!
//! Any Google REST API is reachable through the same engine ([`UserClient::get_json`],
//! [`UserClient::post_json`], [`ApiRequest`]): the host is a name such as
//! `gmail.googleapis.com`, and `GOOGLE_API_ROOT` points every host at the offline twin. The
//! scope table ([`scopes`]) is the one place scopes are described.
//!
//! ```no_run
//! # async fn example() -> Result<(), google_api::Error> {
//! use std::time::Duration;
//! use google_api::{AccessToken, Client, Deadline, Endpoints};
//!
//! let client = Client::new(Endpoints::from_env()?, reqwest::Client::new());
//! let access_token = AccessToken::new("ya29.example".to_owned());
//! let google = client.for_user(&access_token, Deadline::after(Duration::from_secs(3)));
//! let files = google.recent_files(5).await?;
//! let labels: serde_json::Value = google
//!     .get_json("gmail.googleapis.com", "gmail/v1/users/me/labels/INBOX", &[])
//!     .await?;
//! # Ok(()) }
//! ```

mod calendar;
#[cfg(test)]
mod calendar_tests;
mod client;
mod drive;
mod encoding;
mod endpoints;
mod error;
mod retry;
pub mod scopes;
mod sheets;
mod userinfo;

#[cfg(test)]
mod tests;

pub use calendar::{Event, EventId, EventTime, Events, Inserted, InvalidEventId, NewEvent};
pub use client::{
    ApiRequest, BoxFuture, Client, Exchange, Idempotency, LazyHttpClient, Method,
    RESPONSE_SIZE_LIMIT, Reply, Transport, TransportError, UserClient, default_http_client,
};
pub use drive::DriveFile;
pub use encoding::{drive_query_string, encode_path_segment};
pub use endpoints::{API_ROOT_VARIABLE, Endpoints, hosts};
pub use error::Error;
pub use retry::{Deadline, RetryPolicy};
pub use secrets::AccessToken;
pub use sheets::{SheetValues, SpreadsheetId};
pub use userinfo::UserInfo;
