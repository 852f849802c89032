//! Each API method the twin serves: its service, its method name and the scopes that allow it,
//! and which method a request path belongs to (for faults and the auth extractor).
//!
//! Scope lists are copied from the discovery documents google-api-python-client 2.202.0 ships
//! (`googleapiclient/discovery_cache/documents/`): drive.v3.json rev 20261106 `files.list`,
//! sheets.v4.json rev 20261019 `spreadsheets.create`, `spreadsheets.values.get`,
//! `spreadsheets.values.append`, calendar.v3.json rev 20261030 `events.list`, `events.get` (the same scopes as `events.list`),
//! `events.insert`, gmail.v1.json rev
//! 20261005 `users.messages.list`, `users.messages.get`, `users.labels.get`.

use axum::http::request::Parts;

/// One API method: which service it belongs to and which scopes (any one) allow it.
/// Built-in methods are `'static` constants; a declared route lends its own (`declared.rs`).
#[derive(Clone, Copy)]
pub(crate) struct ApiMethod<'a> {
    /// `metadata.service` of `ErrorInfo`, e.g. `drive.googleapis.com`.
    pub(crate) service: &'a str,
    /// `metadata.method` of `ErrorInfo`, e.g. `google.apps.drive.v3.DriveFiles.List`.
    pub(crate) method: &'a str,
    /// `methods.*.scopes` from the method's discovery document.
    pub(crate) scopes: &'a [&'a str],
}

macro_rules! scopes {
    ($($scope:literal),* $(,)?) => {
        &[$(concat!("https://www.googleapis.com/auth/", $scope)),*]
    };
}

pub(crate) const DRIVE_FILES_LIST: ApiMethod<'static> = ApiMethod {
    service: "drive.googleapis.com",
    method: "google.apps.drive.v3.DriveFiles.List",
    scopes: scopes![
        "drive",
        "drive.appdata",
        "drive.file",
        "drive.meet.readonly",
        "drive.metadata",
        "drive.metadata.readonly",
        "drive.photos.readonly",
        "drive.readonly",
    ],
};

pub(crate) const SHEETS_CREATE: ApiMethod<'static> = ApiMethod {
    service: "sheets.googleapis.com",
    method: "google.apps.sheets.v4.SpreadsheetsService.CreateSpreadsheet",
    scopes: scopes!["drive", "drive.file", "spreadsheets"],
};

pub(crate) const SHEETS_GET: ApiMethod<'static> = ApiMethod {
    service: "sheets.googleapis.com",
    method: "google.apps.sheets.v4.SpreadsheetsService.GetSpreadsheet",
    scopes: scopes![
        "drive",
        "drive.file",
        "drive.readonly",
        "spreadsheets",
        "spreadsheets.readonly",
    ],
};

pub(crate) const SHEETS_VALUES_GET: ApiMethod<'static> = ApiMethod {
    service: "sheets.googleapis.com",
    method: "google.apps.sheets.v4.SpreadsheetsService.GetValues",
    scopes: scopes![
        "drive",
        "drive.file",
        "drive.readonly",
        "spreadsheets",
        "spreadsheets.readonly",
    ],
};

pub(crate) const SHEETS_VALUES_APPEND: ApiMethod<'static> = ApiMethod {
    service: "sheets.googleapis.com",
    method: "google.apps.sheets.v4.SpreadsheetsService.AppendValues",
    scopes: scopes!["drive", "drive.file", "spreadsheets"],
};

pub(crate) const CALENDAR_EVENTS_LIST: ApiMethod<'static> = ApiMethod {
    service: "calendar-json.googleapis.com",
    method: "calendar.v3.Events.List",
    scopes: scopes![
        "calendar",
        "calendar.app.created",
        "calendar.events",
        "calendar.events.freebusy",
        "calendar.events.owned",
        "calendar.events.owned.readonly",
        "calendar.events.public.readonly",
        "calendar.events.readonly",
        "calendar.readonly",
    ],
};

pub(crate) const CALENDAR_EVENTS_GET: ApiMethod<'static> = ApiMethod {
    service: "calendar-json.googleapis.com",
    method: "calendar.v3.Events.Get",
    scopes: CALENDAR_EVENTS_LIST.scopes,
};

pub(crate) const CALENDAR_EVENTS_INSERT: ApiMethod<'static> = ApiMethod {
    service: "calendar-json.googleapis.com",
    method: "calendar.v3.Events.Insert",
    scopes: scopes![
        "calendar",
        "calendar.app.created",
        "calendar.events",
        "calendar.events.owned",
    ],
};

// Gmail's `ErrorInfo.metadata.method` names its backend (`caribou.api.proto.MailboxService.*`);
// `ListMessages` is observed, the other two follow the same pattern (docs/google-gmail.md).
pub(crate) const GMAIL_MESSAGES_LIST: ApiMethod<'static> = ApiMethod {
    service: "gmail.googleapis.com",
    method: "caribou.api.proto.MailboxService.ListMessages",
    scopes: &[
        "https://mail.google.com/",
        "https://www.googleapis.com/auth/gmail.metadata",
        "https://www.googleapis.com/auth/gmail.modify",
        "https://www.googleapis.com/auth/gmail.readonly",
    ],
};

pub(crate) const GMAIL_MESSAGES_GET: ApiMethod<'static> = ApiMethod {
    service: "gmail.googleapis.com",
    method: "caribou.api.proto.MailboxService.GetMessage",
    scopes: &[
        "https://mail.google.com/",
        "https://www.googleapis.com/auth/gmail.addons.current.message.action",
        "https://www.googleapis.com/auth/gmail.addons.current.message.metadata",
        "https://www.googleapis.com/auth/gmail.addons.current.message.readonly",
        "https://www.googleapis.com/auth/gmail.metadata",
        "https://www.googleapis.com/auth/gmail.modify",
        "https://www.googleapis.com/auth/gmail.readonly",
    ],
};

pub(crate) const GMAIL_LABELS_GET: ApiMethod<'static> = ApiMethod {
    service: "gmail.googleapis.com",
    method: "caribou.api.proto.MailboxService.GetLabel",
    scopes: &[
        "https://mail.google.com/",
        "https://www.googleapis.com/auth/gmail.labels",
        "https://www.googleapis.com/auth/gmail.metadata",
        "https://www.googleapis.com/auth/gmail.modify",
        "https://www.googleapis.com/auth/gmail.readonly",
    ],
};

/// Stands in when a fault names a path no API method matches.
pub(crate) const UNKNOWN_API_METHOD: ApiMethod<'static> = ApiMethod {
    service: "googleapis.com",
    method: "unknown",
    scopes: &[],
};

/// The API method a request path belongs to, for faults that must name it.
pub(crate) fn api_method_for(http_method: &str, path: &str) -> Option<ApiMethod<'static>> {
    if path.starts_with("/drive/") {
        Some(DRIVE_FILES_LIST)
    } else if path.starts_with("/gmail/") {
        Some(if path.contains("/labels/") {
            GMAIL_LABELS_GET
        } else if path.contains("/messages/") {
            GMAIL_MESSAGES_GET
        } else {
            GMAIL_MESSAGES_LIST
        })
    } else if path.starts_with("/calendar/") {
        Some(if http_method == "POST" {
            CALENDAR_EVENTS_INSERT
        } else if path.trim_end_matches('/').ends_with("/events") {
            CALENDAR_EVENTS_LIST
        } else {
            CALENDAR_EVENTS_GET
        })
    } else if path.starts_with("/v4/spreadsheets") {
        Some(match (http_method, path.ends_with(":append")) {
            ("POST", true) => SHEETS_VALUES_APPEND,
            ("POST", false) => SHEETS_CREATE,
            (_, _) if path.contains("/values/") => SHEETS_VALUES_GET,
            (_, _) => SHEETS_GET,
        })
    } else {
        None
    }
}

/// Endpoints that answer with OAuth `{"error":…,"error_description":…}` bodies.
pub(crate) fn is_oauth_json_endpoint(path: &str) -> bool {
    matches!(
        path,
        "/token"
            | "/o/oauth2/token"
            | "/oauth2/v4/token"
            | "/oauth2/v3/token"
            | "/tokeninfo"
            | "/oauth2/v3/tokeninfo"
            | "/revoke"
            | "/o/oauth2/revoke"
    )
}

/// Which API method a handler serves, as a type, so that its auth extractor
/// (`auth::Authorized<M>`) states the method in the handler's signature.
pub(crate) trait RequiredMethod {
    /// The method `request` calls; most handlers serve one, the Sheets wildcard routes several.
    fn of(request: &Parts) -> ApiMethod<'static>;
}

/// Declares a [`RequiredMethod`] type for one method constant.
macro_rules! required_method {
    ($($marker:ident => $method:ident),* $(,)?) => {
        $(
            #[doc = concat!("Requires [`", stringify!($method), "`].")]
            pub(crate) struct $marker;

            impl RequiredMethod for $marker {
                fn of(_: &Parts) -> ApiMethod<'static> {
                    $method
                }
            }
        )*
    };
}

required_method! {
    DriveFilesList => DRIVE_FILES_LIST,
    SheetsCreate => SHEETS_CREATE,
    CalendarEventsList => CALENDAR_EVENTS_LIST,
    CalendarEventsGet => CALENDAR_EVENTS_GET,
    CalendarEventsInsert => CALENDAR_EVENTS_INSERT,
    GmailMessagesList => GMAIL_MESSAGES_LIST,
    GmailMessagesGet => GMAIL_MESSAGES_GET,
    GmailLabelsGet => GMAIL_LABELS_GET,
}

/// The Sheets method of a `/v4/spreadsheets/{*rest}` request, which one wildcard route serves:
/// `values.append` (`POST …:append`), `values.get` (`…/values/…`) or `spreadsheets.get`.
pub(crate) struct SheetsByPath;

impl RequiredMethod for SheetsByPath {
    fn of(request: &Parts) -> ApiMethod<'static> {
        api_method_for(request.method.as_str(), request.uri.path()).unwrap_or(UNKNOWN_API_METHOD)
    }
}
