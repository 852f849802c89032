//! The notes spreadsheet: found or created, appended to, read back.

use devstack::google::Fault;
use google_api::Error;

use crate::{ADA, DRIVE_FILE_SCOPE, Fixture, generous_deadline};

#[tokio::test]
async fn the_notes_spreadsheet_is_created_on_first_use_and_found_afterwards() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &[DRIVE_FILE_SCOPE]);
    let name = "Alexa notes";
    let before = fixture
        .client
        .find_spreadsheet_by_name(&access_token, generous_deadline(), name)
        .await
        .expect("the search succeeds");
    assert_eq!(before, None);

    let created = fixture
        .client
        .notes_spreadsheet(&access_token, generous_deadline(), name)
        .await
        .expect("the spreadsheet is created");
    let found = fixture
        .client
        .notes_spreadsheet(&access_token, generous_deadline(), name)
        .await
        .expect("the spreadsheet is found");
    assert_eq!(
        found, created,
        "the second use finds the first spreadsheet instead of creating another"
    );
    assert_eq!(
        fixture
            .client
            .find_spreadsheet_by_name(&access_token, generous_deadline(), name)
            .await
            .expect("the search succeeds"),
        Some(created)
    );
}

#[tokio::test]
async fn a_name_with_quotes_and_backslashes_is_found_exactly() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &[DRIVE_FILE_SCOPE]);
    let name = r"Ada's \notes";
    let created = fixture
        .client
        .create_spreadsheet(&access_token, generous_deadline(), name)
        .await
        .expect("the spreadsheet is created");
    let found = fixture
        .client
        .find_spreadsheet_by_name(&access_token, generous_deadline(), name)
        .await
        .expect("the search succeeds");
    assert_eq!(found, Some(created));
    let other = fixture
        .client
        .find_spreadsheet_by_name(&access_token, generous_deadline(), "Ada's")
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
        .notes_spreadsheet(&access_token, generous_deadline(), "Alexa notes")
        .await
        .expect("the spreadsheet is created");
    let first = fixture
        .client
        .append_row(
            &access_token,
            generous_deadline(),
            &spreadsheet,
            "Sheet1!A:B",
            vec!["2026-11-25".to_owned(), "buy milk".to_owned()],
        )
        .await
        .expect("the first row is appended");
    let second = fixture
        .client
        .append_row(
            &access_token,
            generous_deadline(),
            &spreadsheet,
            "Sheet1!A:B",
            vec!["2026-11-26".to_owned(), "=1+1 stays text".to_owned()],
        )
        .await
        .expect("the second row is appended");
    let values = fixture
        .client
        .get_values(
            &access_token,
            generous_deadline(),
            &spreadsheet,
            "Sheet1!A:B",
        )
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
        .notes_spreadsheet(&access_token, generous_deadline(), "Alexa notes")
        .await
        .expect("the spreadsheet is created");
    fixture
        .emulator
        .inject_fault("/v4/spreadsheets/", Fault::ServerError500, Some(1));
    let result = fixture
        .client
        .append_row(
            &access_token,
            generous_deadline(),
            &spreadsheet,
            "Sheet1!A:B",
            vec!["once".to_owned()],
        )
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
        .notes_spreadsheet(&access_token, generous_deadline(), "Alexa notes")
        .await
        .expect("the spreadsheet is created");
    fixture
        .emulator
        .inject_fault("/v4/spreadsheets/", Fault::RateLimit429, Some(1));
    // A range without a sheet name means the first sheet, whatever its
    // localized name: the form the skill uses.
    fixture
        .client
        .append_row(
            &access_token,
            generous_deadline(),
            &spreadsheet,
            "A:B",
            vec!["once".to_owned()],
        )
        .await
        .expect("the append succeeds after the rate limit");
    assert_eq!(
        fixture.emulator.sheet_rows(ADA, "Alexa notes"),
        Some(vec![vec!["once".to_owned()]])
    );
}
