//! Spreadsheets: their sheets and cells, as Sheets' API methods read and write them.

use serde_json::{Value, json};

/// New sheets are 1000 rows by 26 columns (A–Z), as in the Sheets UI.
pub(crate) const DEFAULT_ROW_COUNT: usize = 1000;
pub(crate) const DEFAULT_COLUMN_COUNT: usize = 26;

/// A spreadsheet of a test user; its Drive file (`DriveFile`) has the same ID.
pub(crate) struct Spreadsheet {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) sheets: Vec<Sheet>,
}

/// One sheet (tab) of a spreadsheet and its grid.
pub(crate) struct Sheet {
    pub(crate) sheet_id: i64,
    pub(crate) title: String,
    /// Row-major cells; `Value::Null` or a missing cell is empty.
    pub(crate) cells: Vec<Vec<Value>>,
    pub(crate) row_count: usize,
    pub(crate) column_count: usize,
}

impl Spreadsheet {
    pub(crate) fn seeded(id: &str, title: &str, rows: Vec<Vec<String>>) -> Self {
        let cells: Vec<Vec<Value>> = rows
            .into_iter()
            .map(|row| row.into_iter().map(Value::String).collect())
            .collect();
        Spreadsheet {
            id: id.to_string(),
            title: title.to_string(),
            sheets: vec![Sheet::new(0, "Sheet1", cells)],
        }
    }

    pub(crate) fn first_sheet_rows(&self) -> Vec<Vec<String>> {
        let Some(sheet) = self.sheets.first() else {
            return Vec::new();
        };
        sheet
            .cells
            .iter()
            .map(|row| row.iter().map(formatted).collect())
            .collect()
    }

    pub(crate) fn json(&self, time_zone: &str) -> Value {
        json!({
            "spreadsheetId": self.id,
            "properties": {
                "title": self.title,
                "locale": "en_US",
                "autoRecalc": "ON_CHANGE",
                "timeZone": time_zone,
            },
            "sheets": self.sheets.iter().enumerate().map(|(index, sheet)| json!({
                "properties": {
                    "sheetId": sheet.sheet_id,
                    "title": sheet.title,
                    "index": index,
                    "sheetType": "GRID",
                    "gridProperties": {"rowCount": sheet.row_count, "columnCount": sheet.column_count},
                }
            })).collect::<Vec<_>>(),
            "spreadsheetUrl": format!("https://docs.google.com/spreadsheets/d/{}/edit", self.id),
        })
    }
}

impl Sheet {
    pub(crate) fn new(sheet_id: i64, title: &str, cells: Vec<Vec<Value>>) -> Self {
        let column_count = cells
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(DEFAULT_COLUMN_COUNT);
        Sheet {
            sheet_id,
            title: title.to_string(),
            row_count: cells.len().max(DEFAULT_ROW_COUNT),
            column_count,
            cells,
        }
    }

    pub(crate) fn cell(&self, row: usize, column: usize) -> &Value {
        self.cells
            .get(row)
            .and_then(|cells| cells.get(column))
            .unwrap_or(&Value::Null)
    }

    pub(crate) fn set_cell(&mut self, row: usize, column: usize, value: Value) {
        if self.cells.len() <= row {
            self.cells.resize_with(row + 1, Vec::new);
        }
        let cells = &mut self.cells[row];
        if cells.len() <= column {
            cells.resize(column + 1, Value::Null);
        }
        cells[column] = value;
        self.row_count = self.row_count.max(row + 1);
        self.column_count = self.column_count.max(column + 1);
    }

    pub(crate) fn is_empty_cell(&self, row: usize, column: usize) -> bool {
        is_empty(self.cell(row, column))
    }
}

/// Whether a cell counts as empty: never written, or an empty string.
pub(crate) fn is_empty(cell: &Value) -> bool {
    matches!(cell, Value::Null) || cell.as_str() == Some("")
}

/// A cell as `FORMATTED_VALUE` shows it.
pub(crate) fn formatted(cell: &Value) -> String {
    match cell {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Bool(true) => "TRUE".to_string(),
        Value::Bool(false) => "FALSE".to_string(),
        Value::Number(number) => match number.as_f64() {
            Some(float) if float.fract() == 0.0 && float.abs() < 1e15 => format!("{float:.0}"),
            _ => number.to_string(),
        },
        other => other.to_string(),
    }
}
