//! Sheets v4: find or create the notes spreadsheet, append rows, read them back.

use serde::Deserialize;
use serde_json::json;

use crate::client::Request;
use crate::encoding::{drive_query_string, encode_path_segment};
use crate::endpoints::endpoint_url;
use crate::{AccessToken, Client, Deadline, Error};

/// A spreadsheet id (`1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SpreadsheetId(String);

impl SpreadsheetId {
    /// Wraps an id Google returned earlier.
    pub fn new(id: String) -> Self {
        Self(id)
    }

    /// The id as Google spells it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Cells of a range, row by row, as Sheets formats them for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetValues {
    /// The range Sheets actually returned (`Notes!A1:B3`).
    pub range: String,
    /// Rows; Sheets drops trailing empty rows and cells.
    pub rows: Vec<Vec<String>>,
}

/// The MIME type Drive gives Google Sheets files.
const SPREADSHEET_MIME_TYPE: &str = "application/vnd.google-apps.spreadsheet";

impl Client {
    /// The first non-trashed spreadsheet called exactly `name`, if any.
    pub async fn find_spreadsheet_by_name(
        &self,
        access_token: &AccessToken,
        deadline: Deadline,
        name: &str,
    ) -> Result<Option<SpreadsheetId>, Error> {
        let query = spreadsheet_query(name);
        let files: Vec<FileId> = self
            .list_drive_files(
                access_token,
                deadline,
                &[("q", &query), ("pageSize", "1"), ("fields", "files(id)")],
            )
            .await?;
        Ok(files.into_iter().next().map(|file| SpreadsheetId(file.id)))
    }

    /// Creates an empty spreadsheet titled `title` (one sheet, `Sheet1`).
    pub async fn create_spreadsheet(
        &self,
        access_token: &AccessToken,
        deadline: Deadline,
        title: &str,
    ) -> Result<SpreadsheetId, Error> {
        let url = endpoint_url(self.endpoints().sheets(), "v4/spreadsheets");
        let body = json!({ "properties": { "title": title } });
        let created: CreatedSpreadsheet = self
            .call(
                access_token,
                deadline,
                Request::post("sheets.spreadsheets.create", url, body),
            )
            .await?;
        Ok(SpreadsheetId(created.spreadsheet_id))
    }

    /// The spreadsheet called `name`, created on first use.
    ///
    /// Two first uses at the same moment can both create one (Drive has no
    /// create-if-absent); later calls then consistently find one of them.
    pub async fn notes_spreadsheet(
        &self,
        access_token: &AccessToken,
        deadline: Deadline,
        name: &str,
    ) -> Result<SpreadsheetId, Error> {
        if let Some(existing) = self
            .find_spreadsheet_by_name(access_token, deadline, name)
            .await?
        {
            return Ok(existing);
        }
        self.create_spreadsheet(access_token, deadline, name).await
    }

    /// Appends `cells` as one new row after the table in `range`
    /// (`Sheet1!A:B`) and returns the range written (`Sheet1!A3:B3`).
    ///
    /// Cells are stored as typed (`RAW`): text the user dictated must not be
    /// interpreted, so `=IMPORTXML(…)` stays text rather than a formula.
    /// Rows are inserted (`INSERT_ROWS`) instead of overwriting cells below
    /// the table. Not retried after a 5xx or timeout, which could duplicate
    /// the row.
    pub async fn append_row(
        &self,
        access_token: &AccessToken,
        deadline: Deadline,
        spreadsheet: &SpreadsheetId,
        range: &str,
        cells: Vec<String>,
    ) -> Result<String, Error> {
        let mut url = endpoint_url(
            self.endpoints().sheets(),
            &format!("{}:append", values_path(spreadsheet, range)),
        );
        url.query_pairs_mut()
            .append_pair("valueInputOption", "RAW")
            .append_pair("insertDataOption", "INSERT_ROWS");
        let body = json!({ "range": range, "majorDimension": "ROWS", "values": [cells] });
        let appended: AppendResponse = self
            .call(
                access_token,
                deadline,
                Request::post("sheets.spreadsheets.values.append", url, body),
            )
            .await?;
        Ok(appended.updates.updated_range)
    }

    /// The formatted values of `range` (`Sheet1!A:B`).
    pub async fn get_values(
        &self,
        access_token: &AccessToken,
        deadline: Deadline,
        spreadsheet: &SpreadsheetId,
        range: &str,
    ) -> Result<SheetValues, Error> {
        let url = endpoint_url(self.endpoints().sheets(), &values_path(spreadsheet, range));
        let values: ValueRange = self
            .call(
                access_token,
                deadline,
                Request::get("sheets.spreadsheets.values.get", url),
            )
            .await?;
        Ok(SheetValues {
            range: values.range,
            rows: values
                .values
                .into_iter()
                .map(|row| row.into_iter().map(cell_text).collect())
                .collect(),
        })
    }
}

/// `v4/spreadsheets/{id}/values/{range}`, both segments fully
/// percent-encoded (`Notes!A:B` → `Notes%21A%3AB`) so the `:append` suffix
/// is the only colon Sheets splits on.
pub(crate) fn values_path(spreadsheet: &SpreadsheetId, range: &str) -> String {
    format!(
        "v4/spreadsheets/{}/values/{}",
        encode_path_segment(spreadsheet.as_str()),
        encode_path_segment(range)
    )
}

/// The Drive query for a live spreadsheet named exactly `name`.
pub(crate) fn spreadsheet_query(name: &str) -> String {
    format!(
        "name = {} and mimeType = '{SPREADSHEET_MIME_TYPE}' and trashed = false",
        drive_query_string(name)
    )
}

/// The default `FORMATTED_VALUE` rendering gives strings, but numbers and
/// booleans are legal cell values on the wire; show them as written.
fn cell_text(cell: serde_json::Value) -> String {
    match cell {
        serde_json::Value::String(text) => text,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[derive(Deserialize)]
struct FileId {
    id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreatedSpreadsheet {
    spreadsheet_id: String,
}

#[derive(Deserialize)]
struct AppendResponse {
    updates: AppendUpdates,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AppendUpdates {
    updated_range: String,
}

#[derive(Deserialize)]
struct ValueRange {
    #[serde(default)]
    range: String,
    // Sheets omits `values` for an empty range.
    #[serde(default)]
    values: Vec<Vec<serde_json::Value>>,
}
