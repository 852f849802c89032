//! AddNote remembers the user's notes spreadsheet in the user's state: Drive is searched for the
//! first note only, a deleted spreadsheet is found or made again, and a spreadsheet remembered
//! under another Google account is never written to.

use linked_skill::google_api::Method;
use linked_skill::testing::{
    FakeGoogle, GoogleState, LINKED_TOKEN as TOKEN, MemoryStore, StoredItem, TestResponse,
    USER_ID as USER, answer,
};
use serde_json::{Value, json};

use crate::support::request;

const SHEETS: &[&str] = &["https://www.googleapis.com/auth/drive.file"];

/// Google with one notes spreadsheet, `sheet-1`; appends to any other spreadsheet are 404.
fn google(sub: &str) -> FakeGoogle {
    FakeGoogle::new(GoogleState::Linked, TOKEN)
        .route(
            Method::GET,
            "/v1/userinfo",
            &["openid"],
            json!({"sub": sub}),
        )
        .route(
            Method::GET,
            "/drive/v3/files",
            SHEETS,
            json!({"files": [{"id": "sheet-1", "name": "Alexa Notes",
                              "mimeType": "application/vnd.google-apps.spreadsheet"}]}),
        )
        .route(
            Method::POST,
            "/v4/spreadsheets/sheet-1/",
            SHEETS,
            json!({"updates": {"updatedRange": "Sheet1!A1:B1"}}),
        )
}

async fn add_note(google: &FakeGoogle, store: &MemoryStore) -> TestResponse {
    let skill = skill::skill()
        .google(google.client())
        .state_store(store.clone())
        .build();
    answer(&skill, request("add-note")).await
}

fn count(google: &FakeGoogle, prefix: &str) -> usize {
    google
        .requests()
        .iter()
        .filter(|request| request.path_and_query.starts_with(prefix))
        .count()
}

fn appends_to(google: &FakeGoogle, spreadsheet: &str) -> usize {
    count(google, &format!("/v4/spreadsheets/{spreadsheet}/"))
}

fn remembered(store: &MemoryStore) -> Option<String> {
    let item = store.item(USER)?;
    let state: Value = serde_json::from_str(&item.attributes).unwrap();
    state["notesSpreadsheetId"].as_str().map(str::to_owned)
}

#[tokio::test]
async fn two_notes_search_drive_once() {
    let google = google("1001");
    let store = MemoryStore::new();
    for _ in 0..2 {
        let response = add_note(&google, &store).await;
        assert!(response.speech().contains("buy oat milk"), "{response}");
    }
    assert_eq!(count(&google, "/drive/v3/files"), 1);
    assert_eq!(appends_to(&google, "sheet-1"), 2);
    assert_eq!(remembered(&store).as_deref(), Some("sheet-1"));
}

#[tokio::test]
async fn a_deleted_spreadsheet_is_found_again() {
    let google = google("1001");
    let store = MemoryStore::new();
    store.insert(
        USER,
        StoredItem {
            version: 1,
            attributes: json!({"notesSpreadsheetId": "deleted-sheet"}).to_string(),
            google_sub: Some("1001".to_owned()),
            token_fingerprint: None,
        },
    );
    add_note(&google, &store).await;
    assert_eq!(appends_to(&google, "deleted-sheet"), 1, "tried, 404");
    assert_eq!(count(&google, "/drive/v3/files"), 1);
    assert_eq!(appends_to(&google, "sheet-1"), 1);
    assert_eq!(remembered(&store).as_deref(), Some("sheet-1"));
}

#[tokio::test]
async fn a_spreadsheet_of_another_google_account_is_not_written_to() {
    let store = MemoryStore::new();
    store.insert(
        USER,
        StoredItem {
            version: 1,
            attributes: json!({"notesSpreadsheetId": "sheet-of-account-1001"}).to_string(),
            google_sub: Some("1001".to_owned()),
            token_fingerprint: None,
        },
    );
    // The user linked another account, 2002.
    let google = google("2002");
    add_note(&google, &store).await;
    assert_eq!(appends_to(&google, "sheet-of-account-1001"), 0);
    assert_eq!(appends_to(&google, "sheet-1"), 1);
    let item = store.item(USER).unwrap();
    assert_eq!(item.google_sub.as_deref(), Some("2002"));
    assert_eq!(remembered(&store).as_deref(), Some("sheet-1"));
}
