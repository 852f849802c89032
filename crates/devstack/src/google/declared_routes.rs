//! Serving declared APIs (`declared.rs`): the middleware that answers a request a declared route
//! matches, behind the same token and scope check as the built-in methods, and the twin's 404.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{StatusCode, Uri},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde_json::{Map, Value, json};

use super::{
    api_errors,
    auth::authorize,
    declared::{Answer, BODY_LIMIT, DeclaredRoute, MethodDetails, joined, split_path},
    fields::selected_json_response,
    html,
    params::Params,
    state::Shared,
};

/// Serves a request a declared route matches; hands every other request on.
pub(crate) async fn serve_declared(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with("/__twin/") {
        return next.run(request).await;
    }
    let http_method = request.method().as_str().to_owned();
    let route = {
        let state = shared.lock();
        state
            .declared
            .find(&http_method, &split_path(&path))
            .map(|(_, route)| route.clone())
    };
    let Some(route) = route else {
        return next.run(request).await;
    };
    let params = Params::from_query(request.uri().query());
    let details = MethodDetails {
        service: route.service.clone(),
        method: route.name.clone(),
        scopes: route.scopes.clone(),
    };
    let caller = details.with_api_method(|method| {
        authorize(&shared, request.headers(), params.access_token(), method)
    });
    let caller = match caller {
        Ok(caller) => caller,
        Err(refused) => return refused,
    };
    let body = match &route.answer {
        Answer::Insert { .. } => {
            match axum::body::to_bytes(request.into_body(), BODY_LIMIT).await {
                Ok(bytes) => Some(bytes),
                Err(_) => return api_errors::bad_request("Request payload size exceeds the limit"),
            }
        }
        _ => None,
    };
    answer(
        &shared,
        &route,
        &caller.email,
        &split_path(&path),
        &params,
        body.as_deref(),
    )
}

fn answer(
    shared: &Shared,
    route: &DeclaredRoute,
    email: &str,
    segments: &[String],
    params: &Params,
    body: Option<&[u8]>,
) -> Response {
    let path = joined(segments);
    let mut state = shared.lock();
    let declared = &mut state.declared;
    match &route.answer {
        Answer::Canned(value) => selected_json_response(params, value),
        Answer::List { kind } => {
            let items = declared.resources(email, &path);
            let mut list = Map::new();
            if let Some(kind) = kind {
                list.insert("kind".to_owned(), json!(kind));
            }
            if !items.is_empty() {
                list.insert("items".to_owned(), Value::Array(items));
            }
            selected_json_response(params, &Value::Object(list))
        }
        Answer::Insert { defaults } => {
            let Some(Ok(Value::Object(fields))) = body.map(serde_json::from_slice::<Value>) else {
                return api_errors::bad_request(
                    "Invalid JSON payload received. Expected a JSON object.",
                );
            };
            let mut resource = defaults.clone();
            resource.extend(fields);
            // The twin, like Google, decides the ID of a new resource.
            resource.remove("id");
            let resource = declared.with_id(Value::Object(resource));
            declared
                .resources
                .entry((email.to_owned(), path.clone()))
                .or_default()
                .push(resource.clone());
            selected_json_response(params, &resource)
        }
        Answer::Get | Answer::Delete => {
            let (id, collection) = segments.split_last().unwrap_or((&path, &[]));
            let key = (email.to_owned(), joined(collection));
            let position = declared.resources.get(&key).and_then(|items| {
                items
                    .iter()
                    .position(|item| item.get("id").and_then(Value::as_str) == Some(id.as_str()))
            });
            let Some(position) = position else {
                return api_errors::not_found("Requested entity was not found.");
            };
            let items = declared.resources.entry(key).or_default();
            if matches!(route.answer, Answer::Delete) {
                items.remove(position);
                StatusCode::NO_CONTENT.into_response()
            } else {
                selected_json_response(params, &items[position])
            }
        }
    }
}

/// The twin's answer to a path no route serves: Google's JSON 404 under a declared API's base
/// path, the HTML 404 page anywhere else.
pub(crate) async fn not_found(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let under_declared_api = shared
        .lock()
        .declared
        .under_a_declared_api(&split_path(uri.path()));
    if under_declared_api {
        // [unverified] Google's exact text for an unknown method of a known API; the status and
        // JSON error shape are what a client acts on.
        return api_errors::not_found(&format!(
            "The requested URL {} was not found on this server.",
            uri.path()
        ));
    }
    html::not_found_page(uri).await
}
