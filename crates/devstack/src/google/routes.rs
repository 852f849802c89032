//! The URL map: every Google host's paths under one router.

use std::sync::Arc;

use axum::{
    Router, middleware,
    routing::{get, post},
};

use super::{
    calendar, declared_routes, drive, faults, gmail, oauth, sheets, state::Shared, twin_controls,
};

/// The emulator's main router: every Google endpoint, the `/__twin/` controls and fault injection.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(google_routes())
        .merge(twin_controls::router())
        .fallback(declared_routes::not_found)
        // Declared routes answer before the built-in ones; faults run before both.
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            declared_routes::serve_declared,
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
        .fallback(declared_routes::not_found)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            declared_routes::serve_declared,
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
