//! Calendar `events.insert` and `events.get` of the Google twin, over HTTP with minted tokens:
//! Google's validation of an event, its 409 for a reused ID, its scopes, and inserted events
//! showing up in `events.list`.

use devstack::google::{Config, DEFAULT_CLIENT_ID, Emulator};
use expect_test::expect;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use super::google_support::*;

const CALENDAR_EVENTS: &str = "https://www.googleapis.com/auth/calendar.events";
const EVENTS_PATH: &str = "/calendar/v3/calendars/primary/events";

fn ada_token(emulator: &Emulator, scopes: &[&str]) -> String {
    emulator.mint_access_token("ada@example.com", DEFAULT_CLIENT_ID, scopes)
}

async fn insert(emulator: &Emulator, token: &str, body: &Value) -> Response {
    http()
        .post(format!("{}{EVENTS_PATH}", emulator.base_url()))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// Status, reason and message of a Google error answer, the parts a client acts on.
async fn error_of(response: Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    (
        status,
        body["error"]["errors"][0]["reason"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

fn dentist(id: &str) -> Value {
    json!({
        "id": id,
        "summary": "Dentist",
        "start": {"dateTime": "2026-12-09T15:00:00", "timeZone": "Asia/Tokyo"},
        "end": {"dateTime": "2026-12-09T16:00:00+09:00", "timeZone": "Asia/Tokyo"},
    })
}

#[tokio::test]
async fn an_inserted_event_is_answered_got_and_listed() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[CALENDAR_EVENTS]);
    let inserted = insert(&emulator, &token, &dentist("dentist20261209")).await;
    assert_eq!(inserted.status(), StatusCode::OK);
    let inserted: Value = inserted.json().await.unwrap();
    assert_eq!(inserted["kind"], "calendar#event");
    assert_eq!(inserted["id"], "dentist20261209");
    assert_eq!(inserted["summary"], "Dentist");
    assert_eq!(inserted["status"], "confirmed");
    // Rendered in the calendar's zone (Ada's is Europe/London), keeping the event's own zone.
    assert_eq!(
        inserted["start"],
        json!({"dateTime": "2026-12-09T06:00:00+00:00", "timeZone": "Asia/Tokyo"})
    );
    assert_eq!(
        inserted["end"],
        json!({"dateTime": "2026-12-09T07:00:00+00:00", "timeZone": "Asia/Tokyo"})
    );

    let got = api_get(
        &emulator,
        &token,
        &format!("{EVENTS_PATH}/dentist20261209?timeZone=Asia%2FTokyo"),
    )
    .await;
    assert_eq!(got.status(), StatusCode::OK);
    let got: Value = got.json().await.unwrap();
    assert_eq!(got["id"], "dentist20261209");
    assert_eq!(got["start"]["dateTime"], "2026-12-09T15:00:00+09:00");
    assert_eq!(got["created"], inserted["created"]);

    let listed = api_get(
        &emulator,
        &token,
        &format!(
            "{EVENTS_PATH}?singleEvents=true&orderBy=startTime\
             &timeMin=2026-12-09T00%3A00%3A00Z&timeMax=2026-12-10T00%3A00%3A00Z"
        ),
    )
    .await;
    let listed: Value = listed.json().await.unwrap();
    let ids: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["id"].as_str().unwrap())
        .collect();
    // Seeded events are placed relative to today, so only the inserted one is asserted on.
    assert!(ids.contains(&"dentist20261209"), "{ids:?}");
    let day_before: Value = api_get(
        &emulator,
        &token,
        &format!(
            "{EVENTS_PATH}?singleEvents=true\
             &timeMin=2026-12-08T00%3A00%3A00Z&timeMax=2026-12-09T06%3A00%3A00Z"
        ),
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(
        !day_before.to_string().contains("dentist20261209"),
        "timeMax is exclusive on the start: {day_before}"
    );
}

#[tokio::test]
async fn a_reused_id_is_a_409_and_the_first_event_stays() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[CALENDAR_EVENTS]);
    let first = insert(&emulator, &token, &dentist("retried0001")).await;
    assert_eq!(first.status(), StatusCode::OK);
    let mut retry = dentist("retried0001");
    retry["summary"] = "Dentist (again)".into();
    expect![[r#"
        409 Conflict
        content-type: application/json; charset=UTF-8

        {
          "error": {
            "code": 409,
            "errors": [
              {
                "domain": "global",
                "message": "The requested identifier already exists.",
                "reason": "duplicate"
              }
            ],
            "message": "The requested identifier already exists."
          }
        }
    "#]]
    .assert_eq(&describe(insert(&emulator, &token, &retry).await).await);
    // A seeded event's ID is taken too.
    let seeded = insert(&emulator, &token, &dentist("adaplanning0005")).await;
    assert_eq!(seeded.status(), StatusCode::CONFLICT);

    let got: Value = api_get(&emulator, &token, &format!("{EVENTS_PATH}/retried0001"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got["summary"], "Dentist");
}

#[tokio::test]
async fn the_twin_chooses_an_id_when_the_client_does_not() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[CALENDAR_EVENTS]);
    let untitled = json!({"start": {"date": "2026-12-24"}, "end": {"date": "2026-12-25"}});
    let first: Value = insert(&emulator, &token, &untitled)
        .await
        .json()
        .await
        .unwrap();
    let second: Value = insert(&emulator, &token, &untitled)
        .await
        .json()
        .await
        .unwrap();
    let id = first["id"].as_str().unwrap();
    assert_eq!(id.len(), 26, "{id}");
    assert!(
        id.bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'v').contains(&byte)),
        "{id}"
    );
    assert_ne!(first["id"], second["id"]);
    assert!(
        first.get("summary").is_none(),
        "summary is optional: {first}"
    );
    assert_eq!(first["start"], json!({"date": "2026-12-24"}));
}

#[tokio::test]
async fn insert_checks_the_event_like_google() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[CALENDAR_EVENTS]);
    let cases = [
        (json!({"summary": "no times"}), "Missing end time."),
        (
            json!({"end": {"dateTime": "2026-12-09T16:00:00Z"}}),
            "Missing start time.",
        ),
        (
            json!({"start": {}, "end": {"dateTime": "2026-12-09T16:00:00Z"}}),
            "Missing start time.",
        ),
        (
            json!({"start": {"dateTime": "2026-12-09T15:00:00"},
                   "end": {"dateTime": "2026-12-09T16:00:00Z"}}),
            "Missing time zone definition for start time.",
        ),
        (
            json!({"start": {"dateTime": "2026-12-09T15:00:00Z", "timeZone": "Mars/Olympus"},
                   "end": {"dateTime": "2026-12-09T16:00:00Z"}}),
            "Invalid time zone definition for start time.",
        ),
        (
            json!({"start": {"date": "2026-12-09"}, "end": {"dateTime": "2026-12-09T16:00:00Z"}}),
            "Start and end times must either both be date or both be dateTime.",
        ),
        (
            json!({"start": {"dateTime": "2026-12-09T16:00:00Z"},
                   "end": {"dateTime": "2026-12-09T15:00:00Z"}}),
            "The specified time range is empty.",
        ),
        (
            json!({"start": {"date": "2026-12-09"}, "end": {"date": "2026-12-09"}}),
            "The specified time range is empty.",
        ),
        (
            json!({"id": "ABCDE", "start": {"date": "2026-12-09"}, "end": {"date": "2026-12-10"}}),
            "Invalid resource id value.",
        ),
        (
            json!({"id": "abcd", "start": {"date": "2026-12-09"}, "end": {"date": "2026-12-10"}}),
            "Invalid resource id value.",
        ),
        (
            json!({"id": "0f8fad5b-d9cb-469f-a165-70867728950e",
                   "start": {"date": "2026-12-09"}, "end": {"date": "2026-12-10"}}),
            "Invalid resource id value.",
        ),
    ];
    let mut seen = String::new();
    for (body, expected_message) in cases {
        let (status, reason, message) = error_of(insert(&emulator, &token, &body).await).await;
        assert_eq!(message, expected_message, "{body}");
        seen.push_str(&format!("{status} {reason}: {message}\n"));
    }
    expect![[r#"
        400 required: Missing end time.
        400 required: Missing start time.
        400 required: Missing start time.
        400 required: Missing time zone definition for start time.
        400 invalid: Invalid time zone definition for start time.
        400 invalid: Start and end times must either both be date or both be dateTime.
        400 timeRangeEmpty: The specified time range is empty.
        400 timeRangeEmpty: The specified time range is empty.
        400 invalid: Invalid resource id value.
        400 invalid: Invalid resource id value.
        400 invalid: Invalid resource id value.
    "#]]
    .assert_eq(&seen);

    let not_json = http()
        .post(format!("{}{EVENTS_PATH}", emulator.base_url()))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"summary\":")
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(not_json).await,
        (400, "parseError".to_string(), "Parse Error".to_string())
    );
    let recurring = json!({"start": {"dateTime": "2026-12-09T15:00:00Z", "timeZone": "UTC"},
                           "end": {"dateTime": "2026-12-09T16:00:00Z", "timeZone": "UTC"},
                           "recurrence": ["RRULE:FREQ=DAILY;COUNT=3"]});
    let (status, reason, message) = error_of(insert(&emulator, &token, &recurring).await).await;
    assert_eq!((status, reason.as_str()), (501, "notImplemented"));
    assert!(message.contains("recurrence"), "{message}");
    // Nothing of the rejected requests was stored.
    let listed: Value = api_get(&emulator, &token, EVENTS_PATH)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 5, "{listed}");
}

#[tokio::test]
async fn get_answers_404_for_an_unknown_event_and_finds_instances() {
    let emulator = start(Config::default()).await;
    let token = ada_token(&emulator, &[CALENDAR_READONLY]);
    expect![[r#"
        404 Not Found
        content-type: application/json; charset=UTF-8

        {
          "error": {
            "code": 404,
            "errors": [
              {
                "domain": "global",
                "message": "Not Found",
                "reason": "notFound"
              }
            ],
            "message": "Not Found"
          }
        }
    "#]]
    .assert_eq(
        &describe(api_get(&emulator, &token, &format!("{EVENTS_PATH}/nosuchevent")).await).await,
    );
    let other_calendar = api_get(
        &emulator,
        &token,
        "/calendar/v3/calendars/grace%40example.com/events/adaplanning0005",
    )
    .await;
    assert_eq!(other_calendar.status(), StatusCode::NOT_FOUND);

    let listed: Value = api_get(
        &emulator,
        &token,
        &format!("{EVENTS_PATH}?singleEvents=true"),
    )
    .await
    .json()
    .await
    .unwrap();
    let instance = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|event| event["recurringEventId"] == "adaplanning0005")
        .unwrap();
    let instance_id = instance["id"].as_str().unwrap();
    let got: Value = api_get(&emulator, &token, &format!("{EVENTS_PATH}/{instance_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(&got, instance);
    let master: Value = api_get(&emulator, &token, &format!("{EVENTS_PATH}/adaplanning0005"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(master["recurrence"], json!(["RRULE:FREQ=WEEKLY;COUNT=2"]));
}

#[tokio::test]
async fn insert_needs_a_write_scope_and_get_takes_a_read_one() {
    let emulator = start(Config::default()).await;
    let read_only = ada_token(&emulator, &[CALENDAR_READONLY]);
    let refused = insert(&emulator, &read_only, &dentist("scopecheck01")).await;
    expect![[r#"
        403 Forbidden
        content-type: application/json; charset=UTF-8
        www-authenticate: Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="https://www.googleapis.com/auth/calendar https://www.googleapis.com/auth/calendar.app.created https://www.googleapis.com/auth/calendar.events https://www.googleapis.com/auth/calendar.events.owned"

        {
          "error": {
            "code": 403,
            "details": [
              {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "domain": "googleapis.com",
                "metadata": {
                  "method": "calendar.v3.Events.Insert",
                  "service": "calendar-json.googleapis.com"
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
    .assert_eq(&describe(refused).await);

    let full = ada_token(&emulator, &["https://www.googleapis.com/auth/calendar"]);
    assert_eq!(
        insert(&emulator, &full, &dentist("scopecheck01"))
            .await
            .status(),
        StatusCode::OK
    );
    let got = api_get(
        &emulator,
        &read_only,
        &format!("{EVENTS_PATH}/scopecheck01"),
    )
    .await;
    assert_eq!(got.status(), StatusCode::OK);
    let drive_only = ada_token(&emulator, &[DRIVE_READONLY]);
    let (status, reason, _) = error_of(
        api_get(
            &emulator,
            &drive_only,
            &format!("{EVENTS_PATH}/scopecheck01"),
        )
        .await,
    )
    .await;
    assert_eq!((status, reason.as_str()), (403, "insufficientPermissions"));
}

#[tokio::test]
async fn a_refused_insert_reads_the_body_and_keeps_the_connection() {
    let emulator = start(Config::default()).await;
    let read_only = ada_token(&emulator, &[CALENDAR_READONLY]);
    let client = http();
    let mut large = dentist("keepalive001");
    large["description"] = "x".repeat(256 * 1024).into();
    let refused = client
        .post(format!("{}{EVENTS_PATH}", emulator.base_url()))
        .bearer_auth(&read_only)
        .json(&large)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    refused.bytes().await.unwrap();
    let listed = client
        .get(format!("{}{EVENTS_PATH}", emulator.base_url()))
        .bearer_auth(&read_only)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), StatusCode::OK);
    listed.bytes().await.unwrap();
    // Google's front end reads a request it refuses; a twin that did not would close the
    // connection, and a client reusing it (httplib2) would fail on its next request.
    assert_eq!(emulator.connections_accepted(), 1);
}
