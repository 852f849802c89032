//! The URL map: every Google host's paths under one router, and each API method's scopes.
//!
//! Scope lists are copied from the discovery documents google-api-python-client 2.202.0 ships
//! (`googleapiclient/discovery_cache/documents/`): drive.v3.json rev 20261106 `files.list`,
//! sheets.v4.json rev 20261019 `spreadsheets.create`, `spreadsheets.values.get`,
//! `spreadsheets.values.append`, calendar.v3.json rev 20261030 `events.list`, `events.get` (the same scopes as `events.list`),
//! `events.insert`, gmail.v1.json rev
//! 20261005 `users.messages.list`, `users.messages.get`, `users.labels.get`.

use std::sync::Arc;

use axum::{
    Router, middleware,
    routing::{get, post},
};

use super::{
    api_errors::ApiMethod, calendar, declared, drive, faults, gmail, oauth, sheets, state::Shared,
    twin_controls,
};

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

/// The emulator's main router: every Google endpoint, the `/__twin/` controls and fault injection.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(google_routes())
        .merge(twin_controls::router())
        .fallback(declared::not_found)
        // Declared routes answer before the built-in ones; faults run before both.
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            declared::serve_declared,
        ))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            faults::apply_faults,
        ))
        .with_state(shared)
}

/// The redirect target's router: the same Google endpoints without faults or controls, recording
/// who arrived and whether `Authorization` came along.
pub(crate) fn redirect_target_router(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(google_routes())
        .fallback(declared::not_found)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            declared::serve_declared,
        ))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            faults::record_redirected_request,
        ))
        .with_state(shared)
}

fn google_routes() -> Router<Arc<Shared>> {
    Router::new()
        // accounts.google.com
        .route("/o/oauth2/v2/auth", get(oauth::authorize))
        .route("/o/oauth2/auth", get(oauth::authorize))
        .route("/o/oauth2/consent", post(oauth::consent_decision))
        // oauth2.googleapis.com and its legacy hosts
        .route("/token", post(oauth::token))
        .route("/o/oauth2/token", post(oauth::token))
        .route("/oauth2/v4/token", post(oauth::token))
        .route("/oauth2/v3/token", post(oauth::token))
        .route("/tokeninfo", get(oauth::tokeninfo).post(oauth::tokeninfo))
        .route(
            "/oauth2/v3/tokeninfo",
            get(oauth::tokeninfo).post(oauth::tokeninfo),
        )
        .route("/revoke", post(oauth::revoke).get(oauth::revoke))
        .route("/o/oauth2/revoke", post(oauth::revoke).get(oauth::revoke))
        // openidconnect.googleapis.com = www.googleapis.com/oauth2/v3
        .route("/v1/userinfo", get(oauth::userinfo).post(oauth::userinfo))
        .route(
            "/oauth2/v3/userinfo",
            get(oauth::userinfo).post(oauth::userinfo),
        )
        .route(
            "/.well-known/openid-configuration",
            get(oauth::openid_configuration),
        )
        .route("/oauth2/v3/certs", get(oauth::certificates))
        // www.googleapis.com/drive/v3
        .route("/drive/v3/files", get(drive::list_files))
        // sheets.googleapis.com
        .route("/v4/spreadsheets", post(sheets::create_spreadsheet))
        .route(
            "/v4/spreadsheets/{*rest}",
            get(sheets::get_route).post(sheets::post_route),
        )
        // www.googleapis.com/calendar/v3
        .route(
            "/calendar/v3/calendars/{calendar_id}/events",
            get(calendar::list_events).post(calendar::insert_event),
        )
        .route(
            "/calendar/v3/calendars/{calendar_id}/events/{event_id}",
            get(calendar::get_event),
        )
        // gmail.googleapis.com
        .route(
            "/gmail/v1/users/{user_id}/messages",
            get(gmail::list_messages),
        )
        .route(
            "/gmail/v1/users/{user_id}/messages/{message_id}",
            get(gmail::get_message),
        )
        .route(
            "/gmail/v1/users/{user_id}/labels/{label_id}",
            get(gmail::get_label),
        )
}

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
