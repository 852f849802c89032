//! Drive files: what `files.list` lists, and the files seeded for a test user (a seeded
//! spreadsheet is also a [`Spreadsheet`] with rows).

use jiff::Timestamp;

use crate::google::{clock::ClockArithmetic, seed::SeedFile};

use super::sheets::Spreadsheet;

/// Google Sheets' MIME type in Drive.
pub(crate) const SPREADSHEET_MIME_TYPE: &str = "application/vnd.google-apps.spreadsheet";

/// A file in a test user's Drive.
pub(crate) struct DriveFile {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) mime_type: String,
    pub(crate) created_time: Timestamp,
    pub(crate) modified_time: Timestamp,
    pub(crate) trashed: bool,
    pub(crate) size: Option<u64>,
}

pub(crate) fn seed_files(seeds: &[SeedFile], now: Timestamp) -> (Vec<DriveFile>, Vec<Spreadsheet>) {
    let mut files = Vec::new();
    let mut spreadsheets = Vec::new();
    for seed in seeds {
        let modified_time = now.minus(seed.modified_ago);
        files.push(DriveFile {
            id: seed.id.clone(),
            name: seed.name.clone(),
            mime_type: seed.mime_type.clone(),
            created_time: modified_time.minus(jiff::SignedDuration::from_hours(24 * 30)),
            modified_time,
            trashed: seed.trashed,
            size: seed.size,
        });
        if seed.mime_type == SPREADSHEET_MIME_TYPE {
            spreadsheets.push(Spreadsheet::seeded(
                &seed.id,
                &seed.name,
                seed.sheet_rows.clone(),
            ));
        }
    }
    (files, spreadsheets)
}
