//! Drive, Sheets and Calendar behavior of the emulator, over HTTP with minted tokens.

use devstack::google::{Config, DEFAULT_CLIENT_ID, Emulator};
use expect_test::expect;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::google_support::*;

fn names(list: &Value) -> Vec<String> {
    list["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["name"].as_str().unwrap().to_string())
        .collect()
}

async fn ada_token(emulator: &Emulator, scopes: &[&str]) -> String {
    emulator.mint_access_token("ada@example.com", DEFAULT_CLIENT_ID, scopes)
}

#[tokio::test]
async fn drive_lists_default_fields_and_includes_trashed_files() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[DRIVE_READONLY]).await;
    let response = api_get(&emulator, &token, "/drive/v3/files?orderBy=name&alt=json").await;
    expect![[r#"
        200 OK
        content-type: application/json; charset=UTF-8

        {
          "files": [
            {
              "id": "1AdaBernoulliNumbersSpreadsheet00002",
              "kind": "drive#file",
              "mimeType": "application/vnd.google-apps.spreadsheet",
              "name": "Bernoulli numbers"
            },
            {
              "id": "1AdaEngineDiagramsFolder0000000004",
              "kind": "drive#file",
              "mimeType": "application/vnd.google-apps.folder",
              "name": "Engine diagrams"
            },
            {
              "id": "1AdaLetterToBabbagePdf000000000003",
              "kind": "drive#file",
              "mimeType": "application/pdf",
              "name": "Letter to Babbage.pdf"
            },
            {
              "id": "1AdaOldDraftTrashed00000000000005",
              "kind": "drive#file",
              "mimeType": "application/vnd.google-apps.document",
              "name": "Old draft"
            },
            {
              "id": "1AdaPunchedCardsPhoto0000000000006",
              "kind": "drive#file",
              "mimeType": "image/jpeg",
              "name": "Punched cards.jpg"
            },
            {
              "id": "1AdaSketchOfTheAnalyticalEngine0001",
              "kind": "drive#file",
              "mimeType": "application/vnd.google-apps.document",
              "name": "Sketch of the Analytical Engine"
            }
          ],
          "incompleteSearch": false,
          "kind": "drive#fileList"
        }
    "#]]
    .assert_eq(&describe(response).await);
}

#[tokio::test]
async fn drive_query_order_fields_and_paging() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[DRIVE_READONLY]).await;
    let list = |query: &'static str| {
        let emulator = &emulator;
        let token = token.clone();
        async move {
            let response = api_get(emulator, &token, &format!("/drive/v3/files?{query}")).await;
            assert_eq!(response.status(), StatusCode::OK, "{query}");
            response.json::<Value>().await.unwrap()
        }
    };

    let newest_first = list("q=trashed+%3D+false&orderBy=modifiedTime+desc").await;
    assert_eq!(
        names(&newest_first),
        [
            "Sketch of the Analytical Engine",
            "Bernoulli numbers",
            "Letter to Babbage.pdf",
            "Engine diagrams"
        ]
    );
    let spreadsheets = list(
        "q=trashed%20%3D%20false%20and%20mimeType%20%3D%20%27application%2Fvnd.google-apps.spreadsheet%27",
    )
    .await;
    assert_eq!(names(&spreadsheets), ["Bernoulli numbers"]);
    let by_name = list("q=name+%3D+%27Old+draft%27").await;
    assert_eq!(names(&by_name), ["Old draft"]);
    let trashed = list("q=trashed%3Dtrue&orderBy=name").await;
    assert_eq!(names(&trashed), ["Old draft", "Punched cards.jpg"]);

    let first_page = list(
        "pageSize=2&orderBy=modifiedTime%20desc&fields=nextPageToken%2C%20files(id%2C%20name%2C%20modifiedTime%2C%20mimeType)",
    )
    .await;
    assert_eq!(
        names(&first_page),
        ["Old draft", "Sketch of the Analytical Engine"]
    );
    let file = &first_page["files"][0];
    let mut keys: Vec<&String> = file.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["id", "mimeType", "modifiedTime", "name"]);
    assert!(
        first_page.get("kind").is_none(),
        "fields drops unselected keys"
    );
    let page_token = first_page["nextPageToken"].as_str().unwrap().to_string();
    let second_page: Value = api_get(
        &emulator,
        &token,
        &format!("/drive/v3/files?pageSize=2&orderBy=modifiedTime%20desc&pageToken={page_token}&fields=nextPageToken,files(name)"),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        names(&second_page),
        ["Bernoulli numbers", "Letter to Babbage.pdf"]
    );

    let everything = list("pageSize=5000").await;
    assert_eq!(names(&everything).len(), 6);
    assert!(everything.get("nextPageToken").is_none());
}

#[tokio::test]
async fn drive_rejects_bad_parameters_like_google() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[DRIVE_READONLY]).await;
    expect![[r#"
        400 Bad Request
        content-type: application/json; charset=UTF-8

        {
          "error": {
            "code": 400,
            "errors": [
              {
                "domain": "global",
                "location": "pageSize",
                "locationType": "parameter",
                "message": "Invalid value '0'. Values must be within the range: [1, 1000]",
                "reason": "invalid"
              }
            ],
            "message": "Invalid value '0'. Values must be within the range: [1, 1000]"
          }
        }
    "#]]
    .assert_eq(&describe(api_get(&emulator, &token, "/drive/v3/files?pageSize=0").await).await);
    let bad_fields = api_get(&emulator, &token, "/drive/v3/files?fields=files(id,colour)").await;
    assert_eq!(bad_fields.status(), StatusCode::BAD_REQUEST);
    assert!(
        bad_fields
            .text()
            .await
            .unwrap()
            .contains("Invalid field selection files/colour")
    );
    let bad_query = api_get(&emulator, &token, "/drive/v3/files?q=owner%20%3D%20me").await;
    assert_eq!(bad_query.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn api_authentication_errors() {
    let emulator = start(Config::default()).await;
    let missing = http()
        .get(format!("{}/drive/v3/files", emulator.base_url()))
        .send()
        .await
        .unwrap();
    expect![[r#"
        401 Unauthorized
        content-type: application/json; charset=UTF-8
        www-authenticate: Bearer realm="https://accounts.google.com/"

        {
          "error": {
            "code": 401,
            "details": [
              {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "domain": "googleapis.com",
                "metadata": {
                  "method": "google.apps.drive.v3.DriveFiles.List",
                  "service": "drive.googleapis.com"
                },
                "reason": "CREDENTIALS_MISSING"
              }
            ],
            "errors": [
              {
                "domain": "global",
                "location": "Authorization",
                "locationType": "header",
                "message": "Login Required.",
                "reason": "required"
              }
            ],
            "message": "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
            "status": "UNAUTHENTICATED"
          }
        }
    "#]]
    .assert_eq(&describe(missing).await);

    let calendar_only = ada_token(&emulator, &[CALENDAR_READONLY]).await;
    let insufficient = api_get(&emulator, &calendar_only, "/drive/v3/files").await;
    expect![[r#"
        403 Forbidden
        content-type: application/json; charset=UTF-8
        www-authenticate: Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="https://www.googleapis.com/auth/drive https://www.googleapis.com/auth/drive.appdata https://www.googleapis.com/auth/drive.file https://www.googleapis.com/auth/drive.meet.readonly https://www.googleapis.com/auth/drive.metadata https://www.googleapis.com/auth/drive.metadata.readonly https://www.googleapis.com/auth/drive.photos.readonly https://www.googleapis.com/auth/drive.readonly"

        {
          "error": {
            "code": 403,
            "details": [
              {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "domain": "googleapis.com",
                "metadata": {
                  "method": "google.apps.drive.v3.DriveFiles.List",
                  "service": "drive.googleapis.com"
                },
                "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
              }
            ],
            "errors": [
              {
                "domain": "global",
                "message": "Insufficient Permission",
                "reason": "insufficientPermissions"
              }
            ],
            "message": "Request had insufficient authentication scopes.",
            "status": "PERMISSION_DENIED"
          }
        }
    "#]]
    .assert_eq(&describe(insufficient).await);

    let drive_only = ada_token(&emulator, &[DRIVE_READONLY]).await;
    let calendar = api_get(
        &emulator,
        &drive_only,
        "/calendar/v3/calendars/primary/events",
    )
    .await;
    assert_eq!(calendar.status(), StatusCode::FORBIDDEN);
    assert!(
        calendar
            .text()
            .await
            .unwrap()
            .contains("calendar-json.googleapis.com")
    );
    // drive.readonly may read values but not append them.
    let append = http()
        .post(format!(
            "{}/v4/spreadsheets/1AdaBernoulliNumbersSpreadsheet00002/values/Sheet1%21A1:append?valueInputOption=RAW",
            emulator.base_url()
        ))
        .bearer_auth(&drive_only)
        .json(&json!({"values": [["x"]]}))
        .send()
        .await
        .unwrap();
    assert_eq!(append.status(), StatusCode::FORBIDDEN);
    assert!(
        append
            .text()
            .await
            .unwrap()
            .contains("sheets.googleapis.com")
    );

    // The access_token system parameter works like the header.
    let by_parameter = http()
        .get(format!(
            "{}/drive/v3/files?access_token={drive_only}",
            emulator.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(by_parameter.status(), StatusCode::OK);
}

#[tokio::test]
async fn sheets_create_append_and_read_back() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[DRIVE_FILE]).await;
    let base = emulator.base_url();
    let created: Value = http()
        .post(format!("{base}/v4/spreadsheets?alt=json"))
        .bearer_auth(&token)
        .json(&json!({"properties": {"title": "Alexa notes"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let spreadsheet_id = string_field(&created, "spreadsheetId");
    assert_eq!(spreadsheet_id.len(), 44);
    assert_eq!(created["properties"]["title"], "Alexa notes");
    assert_eq!(created["properties"]["timeZone"], "Europe/London");
    assert_eq!(created["sheets"][0]["properties"]["title"], "Sheet1");

    let listed: Value = api_get(
        &emulator,
        &token,
        "/drive/v3/files?q=name%20%3D%20%27Alexa%20notes%27%20and%20trashed%20%3D%20false",
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(listed["files"][0]["id"], spreadsheet_id.as_str());
    assert_eq!(
        listed["files"][0]["mimeType"],
        "application/vnd.google-apps.spreadsheet"
    );

    let append_url = |range: &str, query: &str| {
        format!("{base}/v4/spreadsheets/{spreadsheet_id}/values/{range}:append?{query}")
    };
    let missing_option = http()
        .post(append_url("Sheet1%21A1", ""))
        .bearer_auth(&token)
        .json(&json!({"values": [["a"]]}))
        .send()
        .await
        .unwrap();
    expect![[r#"
        400 Bad Request
        content-type: application/json; charset=UTF-8

        {
          "error": {
            "code": 400,
            "message": "'valueInputOption' is required but not specified",
            "status": "INVALID_ARGUMENT"
          }
        }
    "#]]
    .assert_eq(&describe(missing_option).await);

    let first = http()
        .post(append_url(
            "Sheet1%21A1",
            "valueInputOption=USER_ENTERED&insertDataOption=INSERT_ROWS&alt=json",
        ))
        .bearer_auth(&token)
        .json(&json!({"values": [["2026-11-24", "Buy milk"]]}))
        .send()
        .await
        .unwrap();
    let first = describe(first).await.replace(&spreadsheet_id, "<id>");
    expect![[r#"
        200 OK
        content-type: application/json; charset=UTF-8

        {
          "spreadsheetId": "<id>",
          "updates": {
            "spreadsheetId": "<id>",
            "updatedCells": 2,
            "updatedColumns": 2,
            "updatedRange": "Sheet1!A1:B1",
            "updatedRows": 1
          }
        }
    "#]]
    .assert_eq(&first);

    // The range's colon is percent-encoded too: `:append` is split off before decoding.
    let second: Value = http()
        .post(append_url("Sheet1%21A%3AB", "valueInputOption=RAW"))
        .bearer_auth(&token)
        .json(&json!({"values": [["2026-11-25", "Call Charles", null], [true, 42]]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(second["tableRange"], "Sheet1!A1:B1");
    assert_eq!(second["updates"]["updatedRange"], "Sheet1!A2:C3");
    assert_eq!(second["updates"]["updatedRows"], 2);

    let values = api_get(
        &emulator,
        &token,
        &format!("/v4/spreadsheets/{spreadsheet_id}/values/Sheet1%21A1%3AC10?alt=json"),
    )
    .await;
    expect![[r#"
        200 OK
        content-type: application/json; charset=UTF-8

        {
          "majorDimension": "ROWS",
          "range": "Sheet1!A1:C10",
          "values": [
            [
              "2026-11-24",
              "Buy milk"
            ],
            [
              "2026-11-25",
              "Call Charles"
            ],
            [
              "TRUE",
              "42"
            ]
          ]
        }
    "#]]
    .assert_eq(&describe(values).await);
    assert_eq!(
        emulator.sheet_rows("ada@example.com", "Alexa notes"),
        Some(vec![
            vec!["2026-11-24".to_string(), "Buy milk".to_string()],
            vec!["2026-11-25".to_string(), "Call Charles".to_string()],
            vec!["TRUE".to_string(), "42".to_string()],
        ])
    );
    assert_eq!(
        emulator.sheet_rows("grace@example.com", "Alexa notes"),
        None
    );

    let unparsable = api_get(
        &emulator,
        &token,
        &format!("/v4/spreadsheets/{spreadsheet_id}/values/Nope%21A1"),
    )
    .await;
    assert_eq!(unparsable.status(), StatusCode::BAD_REQUEST);
    assert!(
        unparsable
            .text()
            .await
            .unwrap()
            .contains("Unable to parse range: Nope!A1")
    );
    let grace = emulator.mint_access_token("grace@example.com", DEFAULT_CLIENT_ID, &[SPREADSHEETS]);
    let foreign = api_get(
        &emulator,
        &grace,
        &format!("/v4/spreadsheets/{spreadsheet_id}/values/A1"),
    )
    .await;
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let missing = api_get(&emulator, &grace, "/v4/spreadsheets/nope/values/A1").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn sheets_quoted_sheet_names_and_column_ranges() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[SPREADSHEETS]).await;
    let base = emulator.base_url();
    let created: Value = http()
        .post(format!("{base}/v4/spreadsheets"))
        .bearer_auth(&token)
        .json(&json!({"properties": {"title": "Log"}, "sheets": [{"properties": {"title": "My Sheet"}}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let spreadsheet_id = string_field(&created, "spreadsheetId");
    let appended: Value = http()
        .post(format!(
            "{base}/v4/spreadsheets/{spreadsheet_id}/values/%27My%20Sheet%27%21A1%3AC:append?valueInputOption=RAW&includeValuesInResponse=true"
        ))
        .bearer_auth(&token)
        .json(&json!({"values": [["a", "b", "c"]]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(appended["updates"]["updatedRange"], "'My Sheet'!A1:C1");
    assert_eq!(
        appended["updates"]["updatedData"]["values"],
        json!([["a", "b", "c"]])
    );
    let read: Value = api_get(
        &emulator,
        &token,
        &format!("/v4/spreadsheets/{spreadsheet_id}/values/%27My%20Sheet%27%21A%3AB"),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(read["range"], "'My Sheet'!A1:B1000");
    assert_eq!(read["values"], json!([["a", "b"]]));

    // Seeded spreadsheets are readable too, and an empty range omits `values`.
    let seeded: Value = api_get(
        &emulator,
        &token,
        "/v4/spreadsheets/1AdaBernoulliNumbersSpreadsheet00002/values/Sheet1!A1:B2",
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(seeded["values"], json!([["n", "B(n)"], ["0", "1"]]));
    let empty: Value = api_get(
        &emulator,
        &token,
        "/v4/spreadsheets/1AdaBernoulliNumbersSpreadsheet00002/values/Sheet1!D5:E6",
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        empty,
        json!({"range": "Sheet1!D5:E6", "majorDimension": "ROWS"})
    );
}

fn summaries(events: &Value) -> Vec<String> {
    events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["summary"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn calendar_window_ordering_and_expansion() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[CALENDAR_READONLY]).await;
    let list = |query: String| {
        let emulator = &emulator;
        let token = token.clone();
        async move {
            let response = api_get(
                emulator,
                &token,
                &format!("/calendar/v3/calendars/primary/events?{query}"),
            )
            .await;
            assert_eq!(response.status(), StatusCode::OK, "{query}");
            response.json::<Value>().await.unwrap()
        }
    };
    let everything = list("singleEvents=true&orderBy=startTime".to_string()).await;
    assert_eq!(everything["timeZone"], "Europe/London");
    assert_eq!(everything["summary"], "ada@example.com");
    assert_eq!(
        summaries(&everything),
        [
            "Retrospective",
            "Call with Charles Babbage",
            "Weekly review",
            "Team standup",
            "Bank holiday",
            "Weekly review",
        ]
    );
    let instances: Vec<&Value> = everything["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["summary"] == "Weekly review")
        .collect();
    assert_eq!(instances[0]["recurringEventId"], "adaplanning0005");
    assert!(
        instances[0]["id"]
            .as_str()
            .unwrap()
            .starts_with("adaplanning0005_")
    );
    let holiday = everything["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|event| event["summary"] == "Bank holiday")
        .unwrap();
    assert!(holiday["start"]["date"].is_string(), "{holiday}");
    assert!(holiday["start"].get("dateTime").is_none());

    let masters = list(String::new()).await;
    assert_eq!(masters["items"].as_array().unwrap().len(), 5);
    let recurring = masters["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|event| event["id"] == "adaplanning0005")
        .unwrap();
    assert_eq!(
        recurring["recurrence"],
        json!(["RRULE:FREQ=WEEKLY;COUNT=2"])
    );

    // timeMin is exclusive on the end: an event ending exactly at timeMin is left out.
    let retro = &everything["items"][0];
    let retro_end = retro["end"]["dateTime"].as_str().unwrap().to_string();
    let after_retro = list(format!(
        "singleEvents=true&orderBy=startTime&timeMin={}",
        retro_end.replace('+', "%2B")
    ))
    .await;
    assert_eq!(summaries(&after_retro)[0], "Call with Charles Babbage");
    // timeMax is exclusive on the start.
    let retro_start = retro["start"]["dateTime"]
        .as_str()
        .unwrap()
        .replace('+', "%2B");
    let before_retro = list(format!("singleEvents=true&timeMax={retro_start}")).await;
    assert_eq!(summaries(&before_retro), Vec::<String>::new());

    let limited = list("singleEvents=true&orderBy=startTime&maxResults=2".to_string()).await;
    assert_eq!(summaries(&limited).len(), 2);
    assert!(limited["nextPageToken"].is_string());
    let new_york =
        list("singleEvents=true&orderBy=startTime&timeZone=America%2FNew_York".to_string()).await;
    assert_eq!(new_york["timeZone"], "America/New_York");
    let start = new_york["items"][0]["start"]["dateTime"].as_str().unwrap();
    assert!(
        start.ends_with("-05:00") || start.ends_with("-04:00"),
        "{start}"
    );
}

#[tokio::test]
async fn calendar_parameter_errors() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[CALENDAR_READONLY]).await;
    let order_without_single = api_get(
        &emulator,
        &token,
        "/calendar/v3/calendars/primary/events?orderBy=startTime",
    )
    .await;
    expect![[r#"
        400 Bad Request
        content-type: application/json; charset=UTF-8

        {
          "error": {
            "code": 400,
            "errors": [
              {
                "domain": "global",
                "message": "The requested ordering is not available for the particular query.",
                "reason": "badRequest"
              }
            ],
            "message": "The requested ordering is not available for the particular query."
          }
        }
    "#]]
    .assert_eq(&describe(order_without_single).await);
    let empty_range = api_get(
        &emulator,
        &token,
        "/calendar/v3/calendars/primary/events?timeMin=2026-01-02T00%3A00%3A00Z&timeMax=2026-01-01T00%3A00%3A00Z",
    )
    .await;
    expect![[r#"
        400 Bad Request
        content-type: application/json; charset=UTF-8

        {
          "error": {
            "code": 400,
            "errors": [
              {
                "domain": "calendar",
                "location": "timeMax",
                "locationType": "parameter",
                "message": "The specified time range is empty.",
                "reason": "timeRangeEmpty"
              }
            ],
            "message": "The specified time range is empty."
          }
        }
    "#]]
    .assert_eq(&describe(empty_range).await);
    let no_offset = api_get(
        &emulator,
        &token,
        "/calendar/v3/calendars/primary/events?timeMin=2026-01-01T00%3A00%3A00",
    )
    .await;
    assert_eq!(no_offset.status(), StatusCode::BAD_REQUEST);
    let someone_else = api_get(
        &emulator,
        &token,
        "/calendar/v3/calendars/grace%40example.com/events",
    )
    .await;
    assert_eq!(someone_else.status(), StatusCode::NOT_FOUND);
    let by_email = api_get(
        &emulator,
        &token,
        "/calendar/v3/calendars/ada%40example.com/events",
    )
    .await;
    assert_eq!(by_email.status(), StatusCode::OK);
}
