//! Helpers shared by the Google emulator tests: starting it, doing the OAuth code flow over HTTP,
//! and rendering responses as text for expect-test snapshots.

use std::collections::HashMap;

use devstack::google::{Config, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Emulator};
use reqwest::{Client, Response, StatusCode, header};
use serde_json::Value;

pub(crate) const REDIRECT_URI: &str = "https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA";
pub(crate) const DRIVE_READONLY: &str = "https://www.googleapis.com/auth/drive.readonly";
pub(crate) const DRIVE_FILE: &str = "https://www.googleapis.com/auth/drive.file";
pub(crate) const CALENDAR_READONLY: &str = "https://www.googleapis.com/auth/calendar.readonly";
pub(crate) const SPREADSHEETS: &str = "https://www.googleapis.com/auth/spreadsheets";

pub(crate) async fn start(config: Config) -> Emulator {
    Emulator::start(config)
        .await
        .expect("emulator starts on 127.0.0.1")
}

pub(crate) async fn start_auto_consent(email: &str) -> Emulator {
    start(Config {
        auto_consent: Some(email.to_string()),
        ..Config::default()
    })
    .await
}

/// A client that shows redirects instead of following them: the tests assert on them.
pub(crate) fn http() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client builds")
}

/// The authorization URL for the default client with `extra` parameters.
pub(crate) fn authorization_url(
    emulator: &Emulator,
    scope: &str,
    extra: &[(&str, &str)],
) -> String {
    let mut url = url::Url::parse(&format!("{}/o/oauth2/v2/auth", emulator.base_url())).unwrap();
    url.query_pairs_mut()
        .append_pair("client_id", DEFAULT_CLIENT_ID)
        .append_pair("redirect_uri", REDIRECT_URI)
        .append_pair("response_type", "code")
        .append_pair("scope", scope);
    for (name, value) in extra {
        url.query_pairs_mut().append_pair(name, value);
    }
    url.to_string()
}

/// Query parameters of a redirect's `Location`.
pub(crate) fn redirect_parameters(response: &Response) -> HashMap<String, String> {
    assert_eq!(response.status(), StatusCode::FOUND, "expected a redirect");
    let location = response.headers()[header::LOCATION].to_str().unwrap();
    url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// Runs the authorization request (auto-consent) and returns the code.
pub(crate) async fn authorization_code(
    emulator: &Emulator,
    scope: &str,
    extra: &[(&str, &str)],
) -> String {
    let response = http()
        .get(authorization_url(emulator, scope, extra))
        .send()
        .await
        .unwrap();
    redirect_parameters(&response)["code"].clone()
}

pub(crate) async fn exchange_code(emulator: &Emulator, code: &str) -> Response {
    http()
        .post(format!("{}/token", emulator.base_url()))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("redirect_uri", REDIRECT_URI),
        ])
        .send()
        .await
        .unwrap()
}

/// The whole code flow over HTTP: authorize (auto-consent), exchange, return the token JSON.
pub(crate) async fn code_flow(emulator: &Emulator, scope: &str, extra: &[(&str, &str)]) -> Value {
    let code = authorization_code(emulator, scope, extra).await;
    let response = exchange_code(emulator, &code).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

pub(crate) async fn refresh(emulator: &Emulator, refresh_token: &str) -> Response {
    http()
        .post(format!("{}/token", emulator.base_url()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap()
}

pub(crate) async fn api_get(emulator: &Emulator, token: &str, path_and_query: &str) -> Response {
    http()
        .get(format!("{}{path_and_query}", emulator.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// Status, the headers a client acts on, and the body: what a snapshot should show a reviewer.
pub(crate) async fn describe(response: Response) -> String {
    let mut text = format!("{}\n", response.status());
    for name in [
        header::CONTENT_TYPE,
        header::WWW_AUTHENTICATE,
        header::CACHE_CONTROL,
        header::LOCATION,
    ] {
        if let Some(value) = response.headers().get(&name) {
            text.push_str(&format!("{name}: {}\n", value.to_str().unwrap()));
        }
    }
    text.push('\n');
    text.push_str(&response.text().await.unwrap());
    text
}

pub(crate) fn string_field(json: &Value, name: &str) -> String {
    json[name]
        .as_str()
        .unwrap_or_else(|| panic!("no string `{name}` in {json}"))
        .to_string()
}
