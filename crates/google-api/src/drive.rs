//! Drive v3 `files.list`: the user's recently modified files.

use jiff::Timestamp;
use serde::Deserialize;

use crate::endpoints::hosts;
use crate::{ApiRequest, Error, UserClient};

/// One Drive file, as far as the skill reads it out.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DriveFile {
    /// Drive file id.
    pub id: String,
    /// File name as shown in Drive.
    pub name: String,
    /// MIME type (`application/vnd.google-apps.document`, …).
    pub mime_type: String,
    /// Last modification; optional because Drive only returns what `fields`
    /// asks for and this crate would rather show a file without it than fail.
    #[serde(default)]
    pub modified_time: Option<Timestamp>,
}

/// Drive caps `pageSize` at 1000 and rejects 0.
const DRIVE_PAGE_SIZE_RANGE: std::ops::RangeInclusive<u32> = 1..=1000;

impl UserClient<'_> {
    /// The `limit` most recently modified files that are not in the trash
    /// (`limit` is clamped to Drive's 1–1000).
    pub async fn recent_files(&self, limit: u32) -> Result<Vec<DriveFile>, Error> {
        let page_size = limit.clamp(*DRIVE_PAGE_SIZE_RANGE.start(), *DRIVE_PAGE_SIZE_RANGE.end());
        let files = self
            .list_drive_files(&[
                // Drive returns trashed files unless told not to.
                ("q", "trashed = false"),
                ("orderBy", "modifiedTime desc"),
                ("pageSize", &page_size.to_string()),
                ("fields", "files(id,name,mimeType,modifiedTime)"),
            ])
            .await?;
        Ok(files)
    }

    /// `files.list` with the given query parameters, first page only.
    pub(crate) async fn list_drive_files<T: serde::de::DeserializeOwned>(
        &self,
        parameters: &[(&str, &str)],
    ) -> Result<Vec<T>, Error> {
        let request = ApiRequest::get(hosts::GOOGLEAPIS, "drive/v3/files")
            .query(parameters)
            .operation("drive.files.list");
        let list: FileList<T> = self.send(&request).await?;
        Ok(list.files)
    }
}

#[derive(Deserialize)]
struct FileList<T> {
    // Absent when nothing matched is not documented; tolerate it.
    #[serde(default = "Vec::new")]
    files: Vec<T>,
}
