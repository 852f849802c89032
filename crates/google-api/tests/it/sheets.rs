//! Sheets: a spreadsheet created, found by name, appended to, read back.

use devstack::google::Fault;
use google_api::Error;

use crate::{ADA, DRIVE_FILE_SCOPE, Fixture, generous_deadline};

#[tokio::test]
async fn a_created_spreadsheet_is_found_by_name() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &[DRIVE_FILE_SCOPE]);
    let google = fixture.client.for_user(&access_token, generous_deadline());
    let name = "Alexa notes";
    let before = google
        .find_spreadsheet_by_name(name)
        .await
        .expect("the search succeeds");
    assert_eq!(before, None);
    let created = google
        .create_spreadsheet(name)
        .await
        .expect("the spreadsheet is created");
    let found = google
        .find_spreadsheet_by_name(name)
        .await
        .expect("the search succeeds");
    assert_eq!(found, Some(created));
}

#[tokio::test]
async fn a_name_with_quotes_and_backslashes_is_found_exactly() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &[DRIVE_FILE_SCOPE]);
    let name = r"Ada's \notes";
    let created = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .create_spreadsheet(name)
        .await
        .expect("the spreadsheet is created");
    let found = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .find_spreadsheet_by_name(name)
        .await
        .expect("the search succeeds");
    assert_eq!(found, Some(created));
    let other = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .find_spreadsheet_by_name("Ada's")
        .await
        .expect("the search succeeds");
    assert_eq!(other, None, "names match exactly, not by prefix");
}

#[tokio::test]
async fn an_appended_row_is_read_back() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &[DRIVE_FILE_SCOPE]);
    let spreadsheet = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .create_spreadsheet("Alexa notes")
        .await
        .expect("the spreadsheet is created");
    let first = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .append_row(
            &spreadsheet,
            "Sheet1!A:B",
            vec!["2026-11-25".to_owned(), "buy milk".to_owned()],
        )
        .await
        .expect("the first row is appended");
    let second = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .append_row(
            &spreadsheet,
            "Sheet1!A:B",
            vec!["2026-11-26".to_owned(), "=1+1 stays text".to_owned()],
        )
        .await
        .expect("the second row is appended");
    let values = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .get_values(&spreadsheet, "Sheet1!A:B")
        .await
        .expect("the values are read");
    expect_test::expect![[r#"
        appended Sheet1!A1:B1 then Sheet1!A2:B2
        SheetValues { range: "Sheet1!A1:B1000", rows: [["2026-11-25", "buy milk"], ["2026-11-26", "=1+1 stays text"]] }"#]]
    .assert_eq(&format!("appended {first} then {second}\n{values:?}"));
    assert_eq!(
        fixture.emulator.sheet_rows(ADA, "Alexa notes"),
        Some(values.rows)
    );
}

#[tokio::test]
async fn an_append_is_not_retried_after_a_server_error_so_it_cannot_duplicate() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &[DRIVE_FILE_SCOPE]);
    let spreadsheet = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .create_spreadsheet("Alexa notes")
        .await
        .expect("the spreadsheet is created");
    fixture
        .emulator
        .inject_fault("/v4/spreadsheets/", Fault::ServerError500, Some(1));
    let result = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .append_row(&spreadsheet, "Sheet1!A:B", vec!["once".to_owned()])
        .await;
    // A retry would have succeeded: the fault was for one request only.
    assert!(
        matches!(result, Err(Error::Unavailable { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn an_append_is_retried_after_a_rate_limit_and_written_once() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &[DRIVE_FILE_SCOPE]);
    let spreadsheet = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .create_spreadsheet("Alexa notes")
        .await
        .expect("the spreadsheet is created");
    fixture
        .emulator
        .inject_fault("/v4/spreadsheets/", Fault::RateLimit429, Some(1));
    // A range without a sheet name means the first sheet, whatever its
    // localized name: the form the skill uses.
    fixture
        .client
        .for_user(&access_token, generous_deadline())
        .append_row(&spreadsheet, "A:B", vec!["once".to_owned()])
        .await
        .expect("the append succeeds after the rate limit");
    assert_eq!(
        fixture.emulator.sheet_rows(ADA, "Alexa notes"),
        Some(vec![vec!["once".to_owned()]])
    );
}
