//! Drive v3 `files.list` over each user's seeded files and the spreadsheets they create.
//!
//! Supports what a skill needs to find and sort files: `q` clauses joined by `and` (`trashed`,
//! `name`, `mimeType`, `'…' in parents`), `orderBy`, `pageSize`/`pageToken` and `fields`.

use std::{cmp::Ordering, sync::Arc};

use axum::{
    extract::{RawQuery, State},
    http::StatusCode,
    response::Response,
};
use serde_json::{Value, json};

use super::{
    api_errors,
    auth::Authorized,
    clock::rfc3339_millis,
    fields::{self, Selection},
    methods::DriveFilesList,
    params::Params,
    state::Shared,
    world::drive::{DriveFile, SPREADSHEET_MIME_TYPE},
};

const FOLDER_MIME_TYPE: &str = "application/vnd.google-apps.folder";

/// Every `File` property in drive.v3.json rev 20261106, for validating `fields`.
const FILE_PROPERTIES: &[&str] = &[
    "appProperties",
    "capabilities",
    "clientEncryptionDetails",
    "contentHints",
    "contentRestrictions",
    "copyRequiresWriterPermission",
    "createdTime",
    "description",
    "downloadRestrictions",
    "driveId",
    "explicitlyTrashed",
    "exportLinks",
    "fileExtension",
    "folderColorRgb",
    "fullFileExtension",
    "hasAugmentedPermissions",
    "hasThumbnail",
    "headRevisionId",
    "iconLink",
    "id",
    "imageMediaMetadata",
    "inheritedPermissionsDisabled",
    "isAppAuthorized",
    "kind",
    "labelInfo",
    "lastModifyingUser",
    "linkShareMetadata",
    "md5Checksum",
    "mimeType",
    "modifiedByMe",
    "modifiedByMeTime",
    "modifiedTime",
    "name",
    "originalFilename",
    "ownedByMe",
    "owners",
    "parents",
    "permissionIds",
    "permissions",
    "properties",
    "quotaBytesUsed",
    "resourceKey",
    "sha1Checksum",
    "sha256Checksum",
    "shared",
    "sharedWithMeTime",
    "sharingUser",
    "shortcutDetails",
    "size",
    "spaces",
    "starred",
    "teamDriveId",
    "thumbnailLink",
    "thumbnailVersion",
    "trashed",
    "trashedTime",
    "trashingUser",
    "version",
    "videoMediaMetadata",
    "viewedByMe",
    "viewedByMeTime",
    "viewersCanCopyContent",
    "webContentLink",
    "webViewLink",
    "writersCanShare",
];
const FILE_LIST_PROPERTIES: &[&str] = &["files", "incompleteSearch", "kind", "nextPageToken"];
const ORDER_BY_KEYS: &[&str] = &[
    "createdTime",
    "folder",
    "modifiedByMeTime",
    "modifiedTime",
    "name",
    "name_natural",
    "quotaBytesUsed",
    "recency",
    "sharedWithMeTime",
    "starred",
    "viewedByMeTime",
];
/// ID of every user's "My Drive" root; `'root' in parents` is an alias for it.
const ROOT_FOLDER_ID: &str = "0AMyDriveRootFolder00000";

/// `GET /drive/v3/files`.
pub(crate) async fn list_files(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    Authorized { caller, .. }: Authorized<DriveFilesList>,
) -> Response {
    let params = Params::from_query(query.as_deref());
    let page_size = match params.get("pageSize").map(str::parse::<i64>) {
        None => usize::MAX,
        Some(Ok(size)) if size >= 1 => usize::try_from(size.min(1000)).unwrap_or(1000),
        Some(Ok(size)) => {
            return api_errors::invalid_parameter(
                "invalid",
                &format!("Invalid value '{size}'. Values must be within the range: [1, 1000]"),
                "pageSize",
            );
        }
        Some(Err(_)) => {
            return api_errors::invalid_parameter("invalid", "Invalid value", "pageSize");
        }
    };
    let offset = match params
        .get("pageToken")
        .map(|token| super::params::decode_page_token("drive", token))
    {
        None => 0,
        Some(Some(offset)) => offset,
        Some(None) => {
            return api_errors::invalid_parameter("invalid", "Invalid Value", "pageToken");
        }
    };
    let filters = match params.get("q").map(parse_query) {
        None => Vec::new(),
        Some(Ok(filters)) => filters,
        Some(Err(())) => return api_errors::invalid_parameter("invalid", "Invalid Value", "q"),
    };
    let order = match params.get("orderBy").map(parse_order_by) {
        None => Vec::new(),
        Some(Ok(order)) => order,
        Some(Err(())) => {
            return api_errors::invalid_parameter("invalid", "Invalid Value", "orderBy");
        }
    };
    let selection = match fields::from_params_checked(&params, check_file_list_fields) {
        Ok(selection) => selection,
        Err(invalid) => return invalid,
    };

    let state = shared.lock();
    let Some(user) = state.user(&caller.email) else {
        return api_errors::invalid_credentials();
    };
    let mut files: Vec<&DriveFile> = user
        .files
        .iter()
        .filter(|file| filters.iter().all(|filter| filter.matches(file)))
        .collect();
    // Without `orderBy` Google's order is unspecified; creation order keeps ours stable.
    files.sort_by(|left, right| compare(&order, left, right));
    let page: Vec<Value> = files
        .iter()
        .skip(offset)
        .take(page_size)
        .map(|file| file_json(file))
        .collect();
    let next_offset = offset.saturating_add(page.len());
    let mut body = json!({"kind": "drive#fileList", "incompleteSearch": false});
    if next_offset < files.len() {
        body["nextPageToken"] = super::params::encode_page_token("drive", next_offset).into();
    }
    body["files"] = match &selection {
        // Drive's default file fields (docs/google-apis.md, Drive).
        None => Value::Array(
            page.iter()
                .map(|file| {
                    Selection::parse("kind,id,name,mimeType")
                        .unwrap_or_default()
                        .apply(file)
                })
                .collect(),
        ),
        Some(_) => Value::Array(page),
    };
    if let Some(selection) = selection {
        body = selection.apply(&body);
    }
    api_errors::json_response(StatusCode::OK, &body, params.pretty_print())
}

fn file_json(file: &DriveFile) -> Value {
    let mut value = json!({
        "kind": "drive#file",
        "id": file.id,
        "name": file.name,
        "mimeType": file.mime_type,
        "parents": [ROOT_FOLDER_ID],
        "createdTime": rfc3339_millis(file.created_time),
        "modifiedTime": rfc3339_millis(file.modified_time),
        "trashed": file.trashed,
        "explicitlyTrashed": file.trashed,
        "starred": false,
        "ownedByMe": true,
        "shared": false,
        "spaces": ["drive"],
        "version": "1",
        "webViewLink": web_view_link(file),
        "quotaBytesUsed": file.size.unwrap_or(0).to_string(),
    });
    if let Some(size) = file.size {
        // int64 values are JSON strings in Google APIs.
        value["size"] = size.to_string().into();
    }
    value
}

fn web_view_link(file: &DriveFile) -> String {
    match file.mime_type.as_str() {
        SPREADSHEET_MIME_TYPE => format!(
            "https://docs.google.com/spreadsheets/d/{}/edit?usp=drivesdk",
            file.id
        ),
        "application/vnd.google-apps.document" => format!(
            "https://docs.google.com/document/d/{}/edit?usp=drivesdk",
            file.id
        ),
        FOLDER_MIME_TYPE => format!("https://drive.google.com/drive/folders/{}", file.id),
        _ => format!(
            "https://drive.google.com/file/d/{}/view?usp=drivesdk",
            file.id
        ),
    }
}

/// Names a selected field that `FileList` or `File` lacks.
fn check_file_list_fields(selection: &Selection) -> Result<(), String> {
    for (name, nested) in selection.entries() {
        if name != "*" && !FILE_LIST_PROPERTIES.contains(&name) {
            return Err(name.to_string());
        }
        if let (Some(nested), "files") = (nested, name) {
            for (file_field, _) in nested.entries() {
                if file_field != "*" && !FILE_PROPERTIES.contains(&file_field) {
                    return Err(format!("files/{file_field}"));
                }
            }
        }
    }
    Ok(())
}

#[derive(Debug, PartialEq)]
enum Filter {
    Trashed { equals: bool, value: bool },
    Name { operator: Operator, value: String },
    MimeType { operator: Operator, value: String },
    InParents { folder_id: String },
}

#[derive(Debug, PartialEq, Clone, Copy)]
enum Operator {
    Equals,
    NotEquals,
    Contains,
}

impl Filter {
    fn matches(&self, file: &DriveFile) -> bool {
        match self {
            Filter::Trashed { equals, value } => (file.trashed == *value) == *equals,
            Filter::Name { operator, value } => compare_text(*operator, &file.name, value),
            Filter::MimeType { operator, value } => compare_text(*operator, &file.mime_type, value),
            Filter::InParents { folder_id } => folder_id == "root" || folder_id == ROOT_FOLDER_ID,
        }
    }
}

fn compare_text(operator: Operator, actual: &str, expected: &str) -> bool {
    match operator {
        Operator::Equals => actual == expected,
        Operator::NotEquals => actual != expected,
        // Drive matches `name contains` on word prefixes, case-insensitively; a substring test
        // accepts everything that would match there, which is the safe side for a twin.
        Operator::Contains => actual.to_lowercase().contains(&expected.to_lowercase()),
    }
}

#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Operator(String),
}

fn tokenize(query: &str) -> Result<Vec<Token>, ()> {
    let characters: Vec<char> = query.chars().collect();
    let mut tokens = Vec::new();
    let mut index = 0;
    while index < characters.len() {
        let character = characters[index];
        if character.is_whitespace() {
            index += 1;
        } else if character == '\'' {
            let mut text = String::new();
            index += 1;
            loop {
                match characters.get(index) {
                    None => return Err(()),
                    Some('\\') => {
                        text.push(*characters.get(index + 1).ok_or(())?);
                        index += 2;
                    }
                    Some('\'') => {
                        index += 1;
                        break;
                    }
                    Some(other) => {
                        text.push(*other);
                        index += 1;
                    }
                }
            }
            tokens.push(Token::Text(text));
        } else if character == '=' {
            tokens.push(Token::Operator("=".to_string()));
            index += 1;
        } else if character == '!' && characters.get(index + 1) == Some(&'=') {
            tokens.push(Token::Operator("!=".to_string()));
            index += 2;
        } else if character.is_alphanumeric() {
            let start = index;
            while index < characters.len()
                && (characters[index].is_alphanumeric() || characters[index] == '_')
            {
                index += 1;
            }
            tokens.push(Token::Word(characters[start..index].iter().collect()));
        } else {
            return Err(());
        }
    }
    Ok(tokens)
}

fn parse_query(query: &str) -> Result<Vec<Filter>, ()> {
    let tokens = tokenize(query)?;
    let mut filters = Vec::new();
    for clause in
        tokens.split(|token| matches!(token, Token::Word(word) if word.eq_ignore_ascii_case("and")))
    {
        filters.push(parse_clause(clause)?);
    }
    Ok(filters)
}

fn parse_clause(clause: &[Token]) -> Result<Filter, ()> {
    let operator = |token: &Token| match token {
        Token::Operator(operator) if operator == "=" => Ok(Operator::Equals),
        Token::Operator(operator) if operator == "!=" => Ok(Operator::NotEquals),
        Token::Word(word) if word == "contains" => Ok(Operator::Contains),
        _ => Err(()),
    };
    match clause {
        [Token::Word(field), op, value] if field == "trashed" => {
            let equals = match operator(op)? {
                Operator::Equals => true,
                Operator::NotEquals => false,
                Operator::Contains => return Err(()),
            };
            let value = match value {
                Token::Word(word) if word == "true" => true,
                Token::Word(word) if word == "false" => false,
                _ => return Err(()),
            };
            Ok(Filter::Trashed { equals, value })
        }
        [Token::Word(field), op, Token::Text(value)] if field == "name" => Ok(Filter::Name {
            operator: operator(op)?,
            value: value.clone(),
        }),
        [Token::Word(field), op, Token::Text(value)] if field == "mimeType" => {
            Ok(Filter::MimeType {
                operator: operator(op)?,
                value: value.clone(),
            })
        }
        [
            Token::Text(folder_id),
            Token::Word(word),
            Token::Word(field),
        ] if word == "in" && field == "parents" => Ok(Filter::InParents {
            folder_id: folder_id.clone(),
        }),
        _ => Err(()),
    }
}

#[derive(Debug, PartialEq)]
struct OrderKey {
    key: String,
    descending: bool,
}

fn parse_order_by(text: &str) -> Result<Vec<OrderKey>, ()> {
    text.split(',')
        .map(|part| {
            let mut words = part.split_whitespace();
            let key = words.next().ok_or(())?;
            let descending = match words.next() {
                None => false,
                Some(direction) if direction.eq_ignore_ascii_case("desc") => true,
                Some(direction) if direction.eq_ignore_ascii_case("asc") => false,
                Some(_) => return Err(()),
            };
            if words.next().is_some() || !ORDER_BY_KEYS.contains(&key) {
                return Err(());
            }
            Ok(OrderKey {
                key: key.to_string(),
                descending,
            })
        })
        .collect()
}

fn compare(order: &[OrderKey], left: &DriveFile, right: &DriveFile) -> Ordering {
    for key in order {
        let ordering = match key.key.as_str() {
            "createdTime" => left.created_time.cmp(&right.created_time),
            // Folders first in ascending order, as Drive does.
            "folder" => {
                (right.mime_type == FOLDER_MIME_TYPE).cmp(&(left.mime_type == FOLDER_MIME_TYPE))
            }
            "modifiedTime" | "modifiedByMeTime" | "recency" | "viewedByMeTime" => {
                left.modified_time.cmp(&right.modified_time)
            }
            "name" | "name_natural" => left.name.to_lowercase().cmp(&right.name.to_lowercase()),
            "quotaBytesUsed" => left.size.unwrap_or(0).cmp(&right.size.unwrap_or(0)),
            // `sharedWithMeTime` and `starred` are equal for every seeded file.
            _ => Ordering::Equal,
        };
        let ordering = if key.descending {
            ordering.reverse()
        } else {
            ordering
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_clauses_skills_send() {
        assert_eq!(
            parse_query(
                "trashed = false and mimeType = 'application/vnd.google-apps.spreadsheet' and name = 'Ada\\'s notes'"
            ),
            Ok(vec![
                Filter::Trashed {
                    equals: true,
                    value: false
                },
                Filter::MimeType {
                    operator: Operator::Equals,
                    value: SPREADSHEET_MIME_TYPE.to_string()
                },
                Filter::Name {
                    operator: Operator::Equals,
                    value: "Ada's notes".to_string()
                },
            ])
        );
        assert_eq!(
            parse_query("'root' in parents"),
            Ok(vec![Filter::InParents {
                folder_id: "root".to_string()
            }])
        );
        assert_eq!(parse_query("trashed = maybe"), Err(()));
        assert_eq!(parse_query("name = 'unterminated"), Err(()));
    }

    #[test]
    fn parses_order_by_with_directions() {
        assert_eq!(
            parse_order_by("folder,modifiedTime desc,name"),
            Ok(vec![
                OrderKey {
                    key: "folder".to_string(),
                    descending: false
                },
                OrderKey {
                    key: "modifiedTime".to_string(),
                    descending: true
                },
                OrderKey {
                    key: "name".to_string(),
                    descending: false
                },
            ])
        );
        assert_eq!(parse_order_by("size desc"), Err(()));
    }

    #[test]
    fn page_tokens_round_trip() {
        assert_eq!(
            crate::google::params::decode_page_token(
                "drive",
                &crate::google::params::encode_page_token("drive", 42)
            ),
            Some(42)
        );
        assert_eq!(
            crate::google::params::decode_page_token("drive", "garbage"),
            None
        );
    }
}
