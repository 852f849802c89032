//! A1 notation, the pure part: `Sheet1!A1:C3`, `'My Sheet'!A:B`, `2:3`, `A1` and `Sheet1` parsed
//! into a sheet title and a zero-based rectangle, and rectangles written back the way Sheets
//! normalizes them (`Sheet1!A1:B1000`). No spreadsheet state: the handlers in `sheets.rs` look the
//! title up and pass the grid size in.

/// A rectangle of a sheet, zero-based and inclusive.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bounds {
    pub(crate) first_row: usize,
    pub(crate) last_row: usize,
    pub(crate) first_column: usize,
    pub(crate) last_column: usize,
    /// Written back as `A1` rather than `A1:A1`.
    pub(crate) single_cell: bool,
}

/// A1 reference parts: either may be absent (`A:B` has no rows, `1:2` no columns).
#[derive(Debug, Clone, Copy, PartialEq)]
struct CellReference {
    column: Option<usize>,
    row: Option<usize>,
}

/// Splits `'My Sheet'!A1:C` into the sheet title (if any) and the cell part (if any).
pub(crate) fn split_sheet_name(range: &str) -> Option<(Option<String>, Option<&str>)> {
    if let Some(quoted) = range.strip_prefix('\'') {
        let mut title = String::new();
        let mut characters = quoted.char_indices();
        while let Some((index, character)) = characters.next() {
            if character == '\'' {
                if quoted[index + 1..].starts_with('\'') {
                    title.push('\'');
                    characters.next();
                    continue;
                }
                let rest = &quoted[index + 1..];
                return match rest.strip_prefix('!') {
                    Some(cells) => Some((Some(title), Some(cells))),
                    None if rest.is_empty() => Some((Some(title), None)),
                    None => None,
                };
            }
            title.push(character);
        }
        return None;
    }
    match range.split_once('!') {
        Some((title, cells)) => Some((Some(title.to_string()), Some(cells))),
        None if parse_cells(range).is_some() => Some((None, Some(range))),
        None => Some((Some(range.to_string()), None)),
    }
}

fn parse_cell_reference(text: &str) -> Option<CellReference> {
    let letters: String = text.chars().take_while(char::is_ascii_alphabetic).collect();
    let digits = &text[letters.len()..];
    // Sheets' last column is ZZZ (18278 columns); longer letter runs are names like `Sheet1`.
    if (letters.is_empty() && digits.is_empty()) || letters.len() > 3 {
        return None;
    }
    let column = if letters.is_empty() {
        None
    } else {
        let mut column = 0_usize;
        for letter in letters.to_ascii_uppercase().bytes() {
            column = column
                .checked_mul(26)?
                .checked_add(usize::from(letter - b'A') + 1)?;
        }
        Some(column - 1)
    };
    let row = if digits.is_empty() {
        None
    } else {
        let row: usize = digits.parse().ok()?;
        Some(row.checked_sub(1)?)
    };
    Some(CellReference { column, row })
}

fn parse_cells(cells: &str) -> Option<(CellReference, Option<CellReference>)> {
    match cells.split_once(':') {
        None => {
            let cell = parse_cell_reference(cells)?;
            // A lone `A` or `1` is not a range.
            (cell.column.is_some() && cell.row.is_some()).then_some((cell, None))
        }
        Some((start, end)) => Some((
            parse_cell_reference(start)?,
            Some(parse_cell_reference(end)?),
        )),
    }
}

/// The rectangle `cells` (the part after `!`; `None`: the whole sheet) names on a grid of
/// `row_count` by `column_count`, clipped to it; `None` when it is not A1 notation or empty.
pub(crate) fn bounds(cells: Option<&str>, row_count: usize, column_count: usize) -> Option<Bounds> {
    let last_row = row_count.saturating_sub(1);
    let last_column = column_count.saturating_sub(1);
    let bounds = match cells {
        None => Bounds {
            first_row: 0,
            last_row,
            first_column: 0,
            last_column,
            single_cell: false,
        },
        Some(cells) => {
            let (start, end) = parse_cells(cells)?;
            match end {
                None => {
                    let (row, column) = (start.row?, start.column?);
                    Bounds {
                        first_row: row,
                        last_row: row,
                        first_column: column,
                        last_column: column,
                        single_cell: true,
                    }
                }
                Some(end) => {
                    // Whole columns (`A:B`) or whole rows (`1:2`) must be consistent on both ends.
                    if start.column.is_some() != end.column.is_some() && start.row.is_none() {
                        return None;
                    }
                    Bounds {
                        first_row: start.row.unwrap_or(0),
                        last_row: end.row.unwrap_or(last_row),
                        first_column: start.column.unwrap_or(0),
                        last_column: end.column.unwrap_or(last_column),
                        single_cell: false,
                    }
                }
            }
        }
    };
    if bounds.first_row > bounds.last_row || bounds.first_column > bounds.last_column {
        return None;
    }
    Some(bounds)
}

pub(crate) fn column_letters(column: usize) -> String {
    let mut letters = Vec::new();
    let mut remaining = column + 1;
    while remaining > 0 {
        let digit = (remaining - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(digit).unwrap_or(0)));
        remaining = (remaining - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// `Sheet1!A1:C3`, quoting titles that need it (`'My Sheet'!A1`) [unverified exact quoting rule].
pub(crate) fn format_range(sheet_title: &str, bounds: &Bounds) -> String {
    let plain = sheet_title
        .chars()
        .all(|character| character.is_ascii_alphanumeric() || character == '_')
        && parse_cells(sheet_title).is_none();
    let title = if plain {
        sheet_title.to_string()
    } else {
        format!("'{}'", sheet_title.replace('\'', "''"))
    };
    let start = format!(
        "{}{}",
        column_letters(bounds.first_column),
        bounds.first_row + 1
    );
    if bounds.single_cell {
        return format!("{title}!{start}");
    }
    format!(
        "{title}!{start}:{}{}",
        column_letters(bounds.last_column),
        bounds.last_row + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sheet_titles_from_cells() {
        type Split<'a> = Option<(Option<&'a str>, Option<&'a str>)>;
        let table: &[(&str, Split)] = &[
            ("Sheet1!A1", Some((Some("Sheet1"), Some("A1")))),
            ("'My Sheet'!A1:C", Some((Some("My Sheet"), Some("A1:C")))),
            ("'Ada''s notes'!B2", Some((Some("Ada's notes"), Some("B2")))),
            ("'Quoted only'", Some((Some("Quoted only"), None))),
            ("A1:B2", Some((None, Some("A1:B2")))),
            ("Sheet1", Some((Some("Sheet1"), None))),
            ("'Unclosed!A1", None),
            ("'Title'junk", None),
        ];
        for (range, expected) in table {
            let split = split_sheet_name(range);
            let split = split
                .as_ref()
                .map(|(title, cells)| (title.as_deref(), *cells));
            assert_eq!(split, *expected, "{range}");
        }
    }

    #[test]
    fn cells_become_clipped_zero_based_rectangles() {
        // (cells, expected (rows, columns, single cell)) on a 1000 × 26 grid.
        type Expected = Option<((usize, usize), (usize, usize), bool)>;
        let table: &[(Option<&str>, Expected)] = &[
            (None, Some(((0, 999), (0, 25), false))),
            (Some("A1"), Some(((0, 0), (0, 0), true))),
            (Some("c3"), Some(((2, 2), (2, 2), true))),
            (Some("A1:B2"), Some(((0, 1), (0, 1), false))),
            (Some("A:B"), Some(((0, 999), (0, 1), false))),
            (Some("2:3"), Some(((1, 2), (0, 25), false))),
            (Some("A2:C"), Some(((1, 999), (0, 2), false))),
            (Some("AA1"), Some(((0, 0), (26, 26), true))),
            (Some("A0"), None),
            (Some("A"), None),
            (Some("1"), None),
            (Some("B2:A1"), None),
            (Some("ABCD1"), None),
            (Some("A1:"), None),
        ];
        for (cells, expected) in table {
            let got = bounds(*cells, 1000, 26).map(|bounds| {
                (
                    (bounds.first_row, bounds.last_row),
                    (bounds.first_column, bounds.last_column),
                    bounds.single_cell,
                )
            });
            assert_eq!(got, *expected, "{cells:?}");
        }
    }

    #[test]
    fn ranges_are_written_back_with_quoting_where_needed() {
        let rectangle = Bounds {
            first_row: 0,
            last_row: 2,
            first_column: 0,
            last_column: 27,
            single_cell: false,
        };
        let cell = Bounds {
            single_cell: true,
            ..rectangle.clone()
        };
        for (title, bounds, expected) in [
            ("Sheet1", &rectangle, "Sheet1!A1:AB3"),
            ("My Sheet", &rectangle, "'My Sheet'!A1:AB3"),
            ("Ada's", &cell, "'Ada''s'!A1"),
            ("A1", &cell, "'A1'!A1"),
        ] {
            assert_eq!(format_range(title, bounds), expected, "{title}");
        }
    }
}
