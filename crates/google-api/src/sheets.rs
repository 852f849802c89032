//! Sheets v4: find a spreadsheet by name, create one, append rows, read them back.

use serde::Deserialize;
use serde_json::json;

use crate::encoding::{drive_query_string, encode_path_segment};
use crate::endpoints::hosts;
use crate::{ApiRequest, Error, Method, UserClient};

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

impl UserClient<'_> {
    /// The first non-trashed spreadsheet called exactly `name`, if any (a Drive `files.list`).
    pub async fn find_spreadsheet_by_name(
        &self,
        name: &str,
    ) -> Result<Option<SpreadsheetId>, Error> {
        let query = spreadsheet_query(name);
        let files: Vec<FileId> = self
            .list_drive_files(&[("q", &query), ("pageSize", "1"), ("fields", "files(id)")])
            .await?;
        Ok(files.into_iter().next().map(|file| SpreadsheetId(file.id)))
    }

    /// Creates an empty spreadsheet titled `title` (one sheet, `Sheet1`). Not idempotent: a
    /// retry after a 5xx could create a second one.
    pub async fn create_spreadsheet(&self, title: &str) -> Result<SpreadsheetId, Error> {
        let request = ApiRequest::new(Method::POST, hosts::SHEETS, "v4/spreadsheets")
            .json_body(json!({ "properties": { "title": title } }))
            .operation("sheets.spreadsheets.create");
        let created: CreatedSpreadsheet = self.send(&request).await?;
        Ok(SpreadsheetId(created.spreadsheet_id))
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
        spreadsheet: &SpreadsheetId,
        range: &str,
        cells: Vec<String>,
    ) -> Result<String, Error> {
        let path = format!("{}:append", values_path(spreadsheet, range));
        let request = ApiRequest::new(Method::POST, hosts::SHEETS, &path)
            .query(&[
                ("valueInputOption", "RAW"),
                ("insertDataOption", "INSERT_ROWS"),
            ])
            .json_body(json!({ "range": range, "majorDimension": "ROWS", "values": [cells] }))
            .operation("sheets.spreadsheets.values.append");
        let appended: AppendResponse = self.send(&request).await?;
        Ok(appended.updates.updated_range)
    }

    /// The formatted values of `range` (`Sheet1!A:B`).
    pub async fn get_values(
        &self,
        spreadsheet: &SpreadsheetId,
        range: &str,
    ) -> Result<SheetValues, Error> {
        let request = ApiRequest::get(hosts::SHEETS, &values_path(spreadsheet, range))
            .operation("sheets.spreadsheets.values.get");
        let values: ValueRange = self.send(&request).await?;
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
