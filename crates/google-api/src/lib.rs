//! Typed Google API calls with the access token Alexa supplies.
//!
//! The skill never holds a refresh token (Alexa keeps it), so every call
//! takes the [`AccessToken`] of the current request and a [`Deadline`] the
//! answer must not pass. Failures come back as [`Error`] variants that say
//! what to do: relink, ask for a scope, try later.
//!
//! ```no_run
//! # async fn example() -> Result<(), google_api::Error> {
//! use std::time::Duration;
//! use google_api::{AccessToken, Client, Deadline, Endpoints};
//!
//! let client = Client::new(Endpoints::from_env()?, reqwest::Client::new());
//! let access_token = AccessToken::new("ya29.example".to_owned());
//! let deadline = Deadline::after(Duration::from_secs(3));
//! let files = client.recent_files(&access_token, deadline, 5).await?;
//! # Ok(()) }
//! ```

mod calendar;
mod client;
mod drive;
mod encoding;
mod endpoints;
mod error;
mod retry;
mod sheets;
mod token;
mod userinfo;

#[cfg(test)]
mod tests;

pub use calendar::{Event, EventTime, Events};
pub use client::Client;
pub use drive::DriveFile;
pub use endpoints::{API_ROOT_VARIABLE, Endpoints};
pub use error::Error;
pub use retry::{Deadline, RetryPolicy};
pub use sheets::{SheetValues, SpreadsheetId};
pub use token::AccessToken;
pub use userinfo::UserInfo;
