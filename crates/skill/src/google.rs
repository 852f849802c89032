//! What the skill needs from Google, as a small trait the handler is generic over.

use std::future::Future;

use google_api::{AccessToken, Deadline, DriveFile, Error, Events, UserInfo};
use jiff::Timestamp;

/// The title of the spreadsheet notes go to, created in the user's Drive on first use.
pub const NOTES_SPREADSHEET_TITLE: &str = "Alexa Notes";

/// Columns A and B of the first sheet: whatever Google named it in the user's language.
const NOTES_RANGE: &str = "A:B";

/// The Google calls the skill makes, each bounded by `deadline`. `google_api::Client` is the real
/// implementation; tests substitute a fake.
pub trait Google: Send + Sync {
    fn user_info(
        &self,
        token: &AccessToken,
        deadline: Deadline,
    ) -> impl Future<Output = Result<UserInfo, Error>> + Send;

    fn recent_files(
        &self,
        token: &AccessToken,
        limit: u32,
        deadline: Deadline,
    ) -> impl Future<Output = Result<Vec<DriveFile>, Error>> + Send;

    fn upcoming_events(
        &self,
        token: &AccessToken,
        now: Timestamp,
        limit: u32,
        deadline: Deadline,
    ) -> impl Future<Output = Result<Events, Error>> + Send;

    /// Appends `row` to the notes spreadsheet, creating the spreadsheet on first use.
    fn add_note(
        &self,
        token: &AccessToken,
        row: Vec<String>,
        deadline: Deadline,
    ) -> impl Future<Output = Result<(), Error>> + Send;
}

impl Google for google_api::Client {
    async fn user_info(&self, token: &AccessToken, deadline: Deadline) -> Result<UserInfo, Error> {
        self.userinfo(token, deadline).await
    }

    async fn recent_files(
        &self,
        token: &AccessToken,
        limit: u32,
        deadline: Deadline,
    ) -> Result<Vec<DriveFile>, Error> {
        google_api::Client::recent_files(self, token, deadline, limit).await
    }

    async fn upcoming_events(
        &self,
        token: &AccessToken,
        now: Timestamp,
        limit: u32,
        deadline: Deadline,
    ) -> Result<Events, Error> {
        google_api::Client::upcoming_events(self, token, deadline, now, limit).await
    }

    async fn add_note(
        &self,
        token: &AccessToken,
        row: Vec<String>,
        deadline: Deadline,
    ) -> Result<(), Error> {
        let spreadsheet = self
            .notes_spreadsheet(token, deadline, NOTES_SPREADSHEET_TITLE)
            .await?;
        self.append_row(token, deadline, &spreadsheet, NOTES_RANGE, row)
            .await?;
        Ok(())
    }
}
