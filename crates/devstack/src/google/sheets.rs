//! Sheets v4: `spreadsheets.create`, `spreadsheets.get`, `values.get` and `values.append`.
//!
//! Ranges are A1 notation (`Sheet1!A1`, `Sheet1!A:B`, `'My Sheet'!A1:C`, `A1:B2`, `Sheet1`),
//! parsed by the pure [`a1`] module. The `values/{range}:append` path is split on `:append`
//! before percent-decoding, because the range itself may contain an encoded colon
//! (docs/google-apis.md, Sheets). Cells keep the JSON type they were written with; formulas are
//! stored, not evaluated.

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{RawQuery, State},
    http::{StatusCode, Uri},
    response::Response,
};
use rand::Rng;
use serde_json::{Value, json};

mod a1;

use a1::{Bounds, format_range, split_sheet_name};

use super::{
    api_errors,
    auth::Authorized,
    fields::selected_json_response,
    html,
    methods::{SheetsByPath, SheetsCreate},
    params::{Params, percent_decode_path},
    state::{Shared, State as EmulatorState},
    world::{
        drive::{DriveFile, SPREADSHEET_MIME_TYPE},
        sheets::{Sheet, Spreadsheet, formatted, is_empty},
    },
};

/// `POST /v4/spreadsheets`.
pub(crate) async fn create_spreadsheet(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    authorized: Result<Authorized<SheetsCreate>, Response>,
    body: Bytes,
) -> Response {
    // Refused only now that the body is read (see `Authorized`).
    let caller = match authorized {
        Ok(authorized) => authorized.caller,
        Err(refused) => return refused,
    };
    let params = Params::from_query(query.as_deref());
    let request: Value = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(request) => request,
            Err(error) => return invalid_json(&error),
        }
    };
    let title = request["properties"]["title"]
        .as_str()
        .unwrap_or("Untitled spreadsheet")
        .to_string();
    let mut sheet_titles: Vec<String> = request["sheets"]
        .as_array()
        .map(|sheets| {
            sheets
                .iter()
                .filter_map(|sheet| sheet["properties"]["title"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if sheet_titles.is_empty() {
        sheet_titles.push("Sheet1".to_string());
    }

    let mut state = shared.lock();
    let id = new_spreadsheet_id(&mut state);
    let now = state.now();
    let Some(user) = state.user_mut(&caller.email) else {
        return api_errors::invalid_credentials();
    };
    let sheets = sheet_titles
        .iter()
        .zip(0_i64..)
        .map(|(sheet_title, index)| {
            // Sheet IDs after the first are random positive numbers at Google.
            Sheet::new(
                if index == 0 { 0 } else { 1_000_000 + index },
                sheet_title,
                Vec::new(),
            )
        })
        .collect();
    let spreadsheet = Spreadsheet {
        id: id.clone(),
        title: title.clone(),
        sheets,
    };
    let body = spreadsheet.json(&user.profile.time_zone);
    user.spreadsheets.push(spreadsheet);
    user.files.push(DriveFile {
        id,
        name: title,
        mime_type: SPREADSHEET_MIME_TYPE.to_string(),
        created_time: now,
        modified_time: now,
        trashed: false,
        size: None,
    });
    tracing::info!("spreadsheet created");
    selected_json_response(&params, &body)
}

/// `GET /v4/spreadsheets/{id}` and `GET /v4/spreadsheets/{id}/values/{range}`.
pub(crate) async fn get_route(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    authorized: Result<Authorized<SheetsByPath>, Response>,
) -> Response {
    let params = Params::from_query(uri.query());
    let Some((spreadsheet_id, values_path)) = split_path(uri.path()) else {
        return html::not_found_page(uri).await;
    };
    let Some(values_path) = values_path else {
        return get_spreadsheet(&shared, authorized, &params, &spreadsheet_id);
    };
    let Some(range) = percent_decode_path(values_path) else {
        return unable_to_parse_range(values_path);
    };
    // Google answers a range it cannot parse before it looks at the token.
    let caller = match authorized {
        Ok(authorized) => authorized.caller,
        Err(response) => return response,
    };
    let state = shared.lock();
    let spreadsheet = match find_spreadsheet(&state, &caller.email, &spreadsheet_id) {
        Ok(spreadsheet) => spreadsheet,
        Err(response) => return response,
    };
    let Some((sheet_index, bounds)) = resolve_range(spreadsheet, &range) else {
        return unable_to_parse_range(&range);
    };
    let sheet = &spreadsheet.sheets[sheet_index];
    let render = params.get("valueRenderOption").unwrap_or("FORMATTED_VALUE");
    if !matches!(render, "FORMATTED_VALUE" | "UNFORMATTED_VALUE" | "FORMULA") {
        return invalid_enum("value_render_option", "ValueRenderOption", render);
    }
    let columns_major = match params.get("majorDimension") {
        None | Some("ROWS") => false,
        Some("COLUMNS") => true,
        Some(other) => return invalid_enum("major_dimension", "Dimension", other),
    };
    let mut rows: Vec<Vec<Value>> = (bounds.first_row..=bounds.last_row)
        .map(|row| {
            (bounds.first_column..=bounds.last_column)
                .map(|column| render_cell(sheet.cell(row, column), render))
                .collect()
        })
        .collect();
    if columns_major {
        rows = transpose(rows);
    }
    let values = trim_trailing_empties(rows);
    let mut body = json!({
        "range": format_range(&sheet.title, &bounds),
        "majorDimension": if columns_major { "COLUMNS" } else { "ROWS" },
    });
    if !values.is_empty() {
        body["values"] = json!(values);
    }
    selected_json_response(&params, &body)
}

/// `POST /v4/spreadsheets/{id}/values/{range}:append`.
pub(crate) async fn post_route(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    authorized: Result<Authorized<SheetsByPath>, Response>,
    body: Bytes,
) -> Response {
    let params = Params::from_query(uri.query());
    let Some((spreadsheet_id, Some(values_path))) = split_path(uri.path()) else {
        return html::not_found_page(uri).await;
    };
    // Split on `:append` first: only then may the range be decoded (docs/google-apis.md, Sheets).
    let Some(encoded_range) = values_path.strip_suffix(":append") else {
        return html::not_found_page(uri).await;
    };
    let Some(range) = percent_decode_path(encoded_range) else {
        return unable_to_parse_range(encoded_range);
    };
    let caller = match authorized {
        Ok(authorized) => authorized.caller,
        Err(response) => return response,
    };
    let user_entered = match params.get("valueInputOption") {
        None => {
            return api_errors::status_only(
                StatusCode::BAD_REQUEST,
                "'valueInputOption' is required but not specified",
                "INVALID_ARGUMENT",
            );
        }
        Some("RAW") => false,
        Some("USER_ENTERED") => true,
        Some(other) => return invalid_enum("value_input_option", "ValueInputOption", other),
    };
    if let Some(option) = params.get("insertDataOption")
        && !matches!(option, "OVERWRITE" | "INSERT_ROWS")
    {
        return invalid_enum("insert_data_option", "InsertDataOption", option);
    }
    let request: Value = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => return invalid_json(&error),
    };
    let mut rows: Vec<Vec<Value>> = match request.get("values") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(rows)) => rows
            .iter()
            .map(|row| row.as_array().cloned().unwrap_or_default())
            .collect(),
        Some(_) => {
            return api_errors::status_only(
                StatusCode::BAD_REQUEST,
                "Invalid JSON payload received. Unknown name \"values\": Proto field is not repeating, cannot start list.",
                "INVALID_ARGUMENT",
            );
        }
    };
    if request["majorDimension"] == "COLUMNS" {
        rows = transpose(rows);
    }
    let rows: Vec<Vec<Value>> = rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|cell| {
                    if user_entered {
                        parse_user_entered(cell)
                    } else {
                        cell
                    }
                })
                .collect()
        })
        .collect();

    let mut state = shared.lock();
    if let Err(response) = find_spreadsheet(&state, &caller.email, &spreadsheet_id) {
        return response;
    }
    let now = state.now();
    let Some(user) = state.user_mut(&caller.email) else {
        return api_errors::invalid_credentials();
    };
    let Some(spreadsheet) = user
        .spreadsheets
        .iter_mut()
        .find(|spreadsheet| spreadsheet.id == spreadsheet_id)
    else {
        return api_errors::server_error_500();
    };
    let Some((sheet_index, bounds)) = resolve_range(spreadsheet, &range) else {
        return unable_to_parse_range(&range);
    };
    let spreadsheet_id = spreadsheet.id.clone();
    let sheet = &mut spreadsheet.sheets[sheet_index];
    let table = find_table(sheet, &bounds);
    let write_row = table
        .as_ref()
        .map_or(bounds.first_row, |table| table.last_row + 1);
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    for (row_offset, row) in rows.iter().enumerate() {
        for (column_offset, cell) in row.iter().enumerate() {
            // `null` leaves a cell as it is; `""` clears it (docs/google-apis.md, Sheets).
            if !cell.is_null() {
                sheet.set_cell(
                    write_row + row_offset,
                    bounds.first_column + column_offset,
                    cell.clone(),
                );
            }
        }
    }
    let mut updates = json!({"spreadsheetId": spreadsheet_id});
    if !rows.is_empty() && width > 0 {
        let updated = Bounds {
            first_row: write_row,
            last_row: write_row + rows.len() - 1,
            first_column: bounds.first_column,
            last_column: bounds.first_column + width - 1,
            single_cell: false,
        };
        updates["updatedRange"] = format_range(&sheet.title, &updated).into();
        updates["updatedRows"] = rows.len().into();
        updates["updatedColumns"] = width.into();
        // `null` cells are skipped, so they are not counted as updated.
        let updated_cells = rows.iter().flatten().filter(|cell| !cell.is_null()).count();
        updates["updatedCells"] = updated_cells.into();
        if params.get("includeValuesInResponse") == Some("true") {
            let values: Vec<Vec<Value>> = rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|cell| Value::String(formatted(cell)))
                        .collect()
                })
                .collect();
            updates["updatedData"] = json!({
                "range": format_range(&sheet.title, &updated),
                "majorDimension": "ROWS",
                "values": values,
            });
        }
    }
    let mut body = json!({"spreadsheetId": spreadsheet_id});
    if let Some(table) = &table {
        body["tableRange"] = format_range(&sheet.title, table).into();
    }
    body["updates"] = updates;
    if let Some(file) = user.files.iter_mut().find(|file| file.id == spreadsheet_id) {
        file.modified_time = now;
    }
    tracing::info!(rows = rows.len(), "values appended");
    selected_json_response(&params, &body)
}

fn get_spreadsheet(
    shared: &Shared,
    authorized: Result<Authorized<SheetsByPath>, Response>,
    params: &Params,
    spreadsheet_id: &str,
) -> Response {
    let caller = match authorized {
        Ok(authorized) => authorized.caller,
        Err(response) => return response,
    };
    let state = shared.lock();
    let spreadsheet = match find_spreadsheet(&state, &caller.email, spreadsheet_id) {
        Ok(spreadsheet) => spreadsheet,
        Err(response) => return response,
    };
    let time_zone = state
        .user(&caller.email)
        .map(|user| user.profile.time_zone.clone())
        .unwrap_or_default();
    selected_json_response(params, &spreadsheet.json(&time_zone))
}

/// `/v4/spreadsheets/{id}[/values/{range…}]` → (decoded ID, still-encoded values path).
fn split_path(path: &str) -> Option<(String, Option<&str>)> {
    let rest = path.strip_prefix("/v4/spreadsheets/")?;
    match rest.split_once('/') {
        None => Some((percent_decode_path(rest)?, None)),
        Some((id, values)) => Some((
            percent_decode_path(id)?,
            Some(values.strip_prefix("values/")?),
        )),
    }
}

/// The caller's spreadsheet, or Google's answer when it is someone else's or nobody's.
fn find_spreadsheet<'state>(
    state: &'state EmulatorState,
    email: &str,
    spreadsheet_id: &str,
) -> Result<&'state Spreadsheet, Response> {
    if let Some(spreadsheet) = state.user(email).and_then(|user| {
        user.spreadsheets
            .iter()
            .find(|sheet| sheet.id == spreadsheet_id)
    }) {
        return Ok(spreadsheet);
    }
    let belongs_to_someone_else = state.users.iter().any(|user| {
        user.spreadsheets
            .iter()
            .any(|sheet| sheet.id == spreadsheet_id)
    });
    Err(if belongs_to_someone_else {
        api_errors::status_only(
            StatusCode::FORBIDDEN,
            "The caller does not have permission",
            "PERMISSION_DENIED",
        )
    } else {
        api_errors::status_only(
            StatusCode::NOT_FOUND,
            "Requested entity was not found.",
            "NOT_FOUND",
        )
    })
}

fn new_spreadsheet_id(state: &mut EmulatorState) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // Real spreadsheet IDs are 44 characters starting with `1`.
    let mut id = String::from("1");
    for _ in 0..43 {
        id.push(char::from(
            ALPHABET[state.rng.random_range(0..ALPHABET.len())],
        ));
    }
    id
}

fn unable_to_parse_range(range: &str) -> Response {
    api_errors::status_only(
        StatusCode::BAD_REQUEST,
        &format!("Unable to parse range: {range}"),
        "INVALID_ARGUMENT",
    )
}

fn invalid_enum(field: &str, type_name: &str, value: &str) -> Response {
    api_errors::status_only(
        StatusCode::BAD_REQUEST,
        &format!(
            "Invalid value at '{field}' (type.googleapis.com/google.apps.sheets.v4.{type_name}), \"{value}\""
        ),
        "INVALID_ARGUMENT",
    )
}

fn invalid_json(error: &serde_json::Error) -> Response {
    api_errors::status_only(
        StatusCode::BAD_REQUEST,
        &format!("Invalid JSON payload received. {error}"),
        "INVALID_ARGUMENT",
    )
}

/// Finds the sheet and rectangle `range` names, clipped to the sheet's grid.
fn resolve_range(spreadsheet: &Spreadsheet, range: &str) -> Option<(usize, Bounds)> {
    let (title, cells) = split_sheet_name(range)?;
    let sheet_index = match &title {
        None => 0,
        Some(title) => spreadsheet
            .sheets
            .iter()
            .position(|sheet| sheet.title == *title)?,
    };
    let sheet = spreadsheet.sheets.get(sheet_index)?;
    let bounds = a1::bounds(cells, sheet.row_count, sheet.column_count)?;
    Some((sheet_index, bounds))
}

/// The table an append continues: non-empty rows from the range's first row on, within the
/// range's columns, widened to the columns those rows use. `None` when that part is empty.
fn find_table(sheet: &Sheet, bounds: &Bounds) -> Option<Bounds> {
    let columns_end = if bounds.single_cell {
        sheet.column_count.saturating_sub(1)
    } else {
        bounds.last_column
    };
    let used_rows: Vec<usize> = (bounds.first_row..sheet.cells.len())
        .filter(|row| {
            (bounds.first_column..=columns_end).any(|column| !sheet.is_empty_cell(*row, column))
        })
        .collect();
    let (first_row, last_row) = (*used_rows.first()?, *used_rows.last()?);
    let last_column = (first_row..=last_row)
        .flat_map(|row| {
            (bounds.first_column..=columns_end)
                .filter(move |column| !sheet.is_empty_cell(row, *column))
        })
        .max()
        .unwrap_or(bounds.first_column);
    Some(Bounds {
        first_row,
        last_row,
        first_column: bounds.first_column,
        last_column,
        single_cell: false,
    })
}

fn render_cell(cell: &Value, render: &str) -> Value {
    match render {
        "FORMATTED_VALUE" => Value::String(formatted(cell)),
        _ if cell.is_null() => Value::String(String::new()),
        _ => cell.clone(),
    }
}

/// `USER_ENTERED` parses strings as the Sheets UI would: numbers and booleans become typed.
fn parse_user_entered(cell: Value) -> Value {
    let Value::String(text) = &cell else {
        return cell;
    };
    if let Ok(number) = text.trim().parse::<f64>()
        && let Some(number) = serde_json::Number::from_f64(number)
    {
        return Value::Number(number);
    }
    match text.to_ascii_uppercase().as_str() {
        "TRUE" => Value::Bool(true),
        "FALSE" => Value::Bool(false),
        _ => cell,
    }
}

fn transpose(rows: Vec<Vec<Value>>) -> Vec<Vec<Value>> {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    (0..width)
        .map(|column| {
            rows.iter()
                .map(|row| row.get(column).cloned().unwrap_or(Value::Null))
                .collect()
        })
        .collect()
}

/// "Empty trailing rows and columns will not be included" (values.get docs).
fn trim_trailing_empties(rows: Vec<Vec<Value>>) -> Vec<Vec<Value>> {
    let mut rows: Vec<Vec<Value>> = rows
        .into_iter()
        .map(|mut row| {
            while row.last().is_some_and(is_empty) {
                row.pop();
            }
            row
        })
        .collect();
    while rows.last().is_some_and(Vec::is_empty) {
        rows.pop();
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::a1::column_letters;
    use super::*;

    fn sheet_with(rows: &[&[&str]]) -> Spreadsheet {
        Spreadsheet {
            id: "id".to_string(),
            title: "t".to_string(),
            sheets: vec![
                Sheet::new(
                    0,
                    "Sheet1",
                    rows.iter()
                        .map(|row| row.iter().map(|cell| json!(cell)).collect())
                        .collect(),
                ),
                Sheet::new(7, "My Sheet", Vec::new()),
            ],
        }
    }

    #[test]
    fn resolves_a1_ranges_and_writes_them_back_normalized() {
        let spreadsheet = sheet_with(&[]);
        let check = |range: &str, expected: Option<&str>| {
            let resolved = resolve_range(&spreadsheet, range)
                .map(|(index, bounds)| format_range(&spreadsheet.sheets[index].title, &bounds));
            assert_eq!(resolved.as_deref(), expected, "{range}");
        };
        check("Sheet1!A1", Some("Sheet1!A1"));
        check("Sheet1!A:B", Some("Sheet1!A1:B1000"));
        check("'My Sheet'!A1:C", Some("'My Sheet'!A1:C1000"));
        check("A1:B2", Some("Sheet1!A1:B2"));
        check("Sheet1", Some("Sheet1!A1:Z1000"));
        check("Sheet1!2:3", Some("Sheet1!A2:Z3"));
        check("Nope!A1", None);
        check("Sheet1!A0", None);
        check("'Unclosed!A1", None);
    }

    #[test]
    fn appends_after_the_existing_table() {
        let spreadsheet = sheet_with(&[&["Date", "Note"], &["1", "a"]]);
        let (_, bounds) = resolve_range(&spreadsheet, "Sheet1!A1").unwrap();
        let table = find_table(&spreadsheet.sheets[0], &bounds).unwrap();
        assert_eq!(format_range("Sheet1", &table), "Sheet1!A1:B2");
        assert_eq!(find_table(&spreadsheet.sheets[1], &bounds), None);
    }

    #[test]
    fn column_letters_roll_over_after_z() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
    }
}
