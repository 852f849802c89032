//! Gmail behavior of the Google twin over HTTP with minted tokens: lists, messages, labels, search,
//! Google's errors and the `gmail.metadata` restrictions, and the mailbox controls.

use devstack::google::{Config, DEFAULT_CLIENT_ID, Emulator, SeedMessage};
use expect_test::expect;
use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::google_support::*;

const GMAIL_READONLY: &str = "https://www.googleapis.com/auth/gmail.readonly";
const GMAIL_METADATA: &str = "https://www.googleapis.com/auth/gmail.metadata";
const GMAIL_MODIFY: &str = "https://www.googleapis.com/auth/gmail.modify";
const MAIL_GOOGLE_COM: &str = "https://mail.google.com/";

fn token(emulator: &Emulator, email: &str, scopes: &[&str]) -> String {
    emulator.mint_access_token(email, DEFAULT_CLIENT_ID, scopes)
}

async fn get_json(emulator: &Emulator, token: &str, path: &str) -> (StatusCode, Value) {
    let response = api_get(emulator, token, path).await;
    let status = response.status();
    (status, response.json().await.unwrap())
}

/// The IDs of a `messages.list` answer.
fn ids(list: &Value) -> Vec<String> {
    list["messages"]
        .as_array()
        .map(|messages| {
            messages
                .iter()
                .map(|message| message["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// `From | Subject` of each listed message, fetched with `format=metadata` like a skill does.
async fn senders_and_subjects(emulator: &Emulator, token: &str, list: &Value) -> String {
    let mut lines = String::new();
    for id in ids(list) {
        let (status, message) = get_json(
            emulator,
            token,
            &format!(
                "/gmail/v1/users/me/messages/{id}?format=metadata&metadataHeaders=From&metadataHeaders=Subject"
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{message}");
        let header = |name: &str| {
            message["payload"]["headers"]
                .as_array()
                .unwrap()
                .iter()
                .find(|header| header["name"] == name)
                .map(|header| header["value"].as_str().unwrap().to_string())
                .unwrap_or_default()
        };
        lines.push_str(&format!(
            "{id} {} | {} | {}\n",
            header("From"),
            header("Subject"),
            message["labelIds"]
        ));
    }
    lines
}

#[tokio::test]
async fn inbox_lists_newest_first_and_pages() {
    let emulator = start(Config::default()).await;
    let token = token(&emulator, "ada@example.com", &[GMAIL_READONLY]);
    let (status, first) = get_json(
        &emulator,
        &token,
        "/gmail/v1/users/me/messages?labelIds=INBOX&maxResults=3",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["resultSizeEstimate"], 4, "{first}");
    let page_token = first["nextPageToken"].as_str().unwrap().to_string();
    let (_, second) = get_json(
        &emulator,
        &token,
        &format!("/gmail/v1/users/me/messages?labelIds=INBOX&maxResults=3&pageToken={page_token}"),
    )
    .await;
    assert!(second.get("nextPageToken").is_none(), "{second}");
    let mut listed = senders_and_subjects(&emulator, &token, &first).await;
    listed.push_str(&senders_and_subjects(&emulator, &token, &second).await);
    expect![[r#"
        19a3f0c2b4d6e801 Charles Babbage <charles@example.com> | Notes on the Analytical Engine | ["INBOX","UNREAD","IMPORTANT","CATEGORY_PERSONAL"]
        19a3e8a1f7c29d02 Mary Somerville <mary@example.com> | Lecture on Thursday | ["INBOX","UNREAD","CATEGORY_PERSONAL"]
        19a3d1c07e5b4a03 Royal Society <events@royalsociety.example.org> | Your invitation to the soirée | ["INBOX","CATEGORY_UPDATES"]
        19a3b7d2c1e08f04 Mary Somerville <mary@example.com> | Re: Lecture on Thursday | ["INBOX","CATEGORY_PERSONAL"]
    "#]]
    .assert_eq(&listed);
    // The list items carry only `id` and `threadId`; a reply shares its thread.
    assert_eq!(
        second["messages"][0],
        json!({"id": "19a3b7d2c1e08f04", "threadId": "19a3e8a1f7c29d02"})
    );
}

#[tokio::test]
async fn search_operators_filter_like_the_gmail_search_box() {
    let emulator = start(Config::default()).await;
    let token = token(&emulator, "ada@example.com", &[GMAIL_MODIFY]);
    let mut seen = String::new();
    for query in [
        "is:unread",
        "in:inbox is:unread",
        "from:babbage",
        "from:charles@example.com -in:inbox",
        "newer_than:1d",
        "older_than:3d",
        "lecture",
        "\"two tickets\"",
        "subject:invitation",
        "is:read in:inbox",
        "in:spam",
        "in:trash",
        "in:anywhere",
        "label:important",
    ] {
        let encoded: String = url::form_urlencoded::byte_serialize(query.as_bytes()).collect();
        let (status, list) = get_json(
            &emulator,
            &token,
            &format!("/gmail/v1/users/me/messages?q={encoded}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{query}: {list}");
        seen.push_str(&format!("{query}: {:?}\n", ids(&list)));
    }
    expect![[r#"
        is:unread: ["19a3f0c2b4d6e801", "19a3e8a1f7c29d02"]
        in:inbox is:unread: ["19a3f0c2b4d6e801", "19a3e8a1f7c29d02"]
        from:babbage: ["19a3f0c2b4d6e801", "19a2f6e5d4c3b205"]
        from:charles@example.com -in:inbox: ["19a2f6e5d4c3b205"]
        newer_than:1d: ["19a3f0c2b4d6e801", "19a3e8a1f7c29d02"]
        older_than:3d: ["19a2f6e5d4c3b205"]
        lecture: ["19a3e8a1f7c29d02", "19a3b7d2c1e08f04"]
        "two tickets": ["19a3b7d2c1e08f04"]
        subject:invitation: ["19a3d1c07e5b4a03"]
        is:read in:inbox: ["19a3d1c07e5b4a03", "19a3b7d2c1e08f04"]
        in:spam: ["19a2e1f0a9b8c706"]
        in:trash: ["19a2d0b1c2d3e407"]
        in:anywhere: ["19a3f0c2b4d6e801", "19a2e1f0a9b8c706", "19a3e8a1f7c29d02", "19a3d1c07e5b4a03", "19a3b7d2c1e08f04", "19a2d0b1c2d3e407", "19a2f6e5d4c3b205"]
        label:important: ["19a3f0c2b4d6e801"]
    "#]]
    .assert_eq(&seen);

    // Spam and trash only with includeSpamTrash; several labelIds must all match.
    let (_, all) = get_json(&emulator, &token, "/gmail/v1/users/me/messages").await;
    assert_eq!(all["resultSizeEstimate"], 5, "{all}");
    let (_, with_spam) = get_json(
        &emulator,
        &token,
        "/gmail/v1/users/me/messages?includeSpamTrash=true",
    )
    .await;
    assert_eq!(with_spam["resultSizeEstimate"], 7, "{with_spam}");
    let (_, unread_inbox) = get_json(
        &emulator,
        &token,
        "/gmail/v1/users/me/messages?labelIds=INBOX&labelIds=UNREAD&labelIds=IMPORTANT",
    )
    .await;
    assert_eq!(ids(&unread_inbox), ["19a3f0c2b4d6e801"]);

    // What the twin cannot answer truthfully is refused, naming what it supports.
    let (status, refused) = get_json(
        &emulator,
        &token,
        "/gmail/v1/users/me/messages?q=has%3Aattachment",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("has:attachment") && message.contains("supported: plain words"),
        "{message}"
    );
}

#[tokio::test]
async fn message_formats() {
    let emulator = start(Config::default()).await;
    let token = token(&emulator, "grace@example.com", &[MAIL_GOOGLE_COM]);
    let path = "/gmail/v1/users/grace%40example.com/messages/19a3f1d4e2c0b711";
    let (status, metadata) = get_json(
        &emulator,
        &token,
        &format!("{path}?format=metadata&metadataHeaders=subject&metadataHeaders=FROM&metadataHeaders=X-Missing"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let internal_date: i64 = metadata["internalDate"].as_str().unwrap().parse().unwrap();
    let age_minutes = (jiff::Timestamp::now().as_millisecond() - internal_date) / 60_000;
    assert!((19..=21).contains(&age_minutes), "{age_minutes}");
    let mut shown = metadata.clone();
    shown["internalDate"] = "…".into();
    expect![[r#"
        {
          "historyId": "1008",
          "id": "19a3f1d4e2c0b711",
          "internalDate": "…",
          "labelIds": [
            "INBOX",
            "UNREAD",
            "CATEGORY_PERSONAL"
          ],
          "payload": {
            "headers": [
              {
                "name": "Subject",
                "value": "Mark I schedule"
              },
              {
                "name": "From",
                "value": "Howard Aiken <aiken@example.edu>"
              }
            ],
            "mimeType": "text/plain"
          },
          "sizeEstimate": 328,
          "snippet": "The Mark I is yours from midnight to six. Please log every run.",
          "threadId": "19a3f1d4e2c0b711"
        }"#]]
    .assert_eq(&serde_json::to_string_pretty(&shown).unwrap());

    let (_, minimal) = get_json(&emulator, &token, &format!("{path}?format=MINIMAL")).await;
    assert!(minimal.get("payload").is_none() && minimal.get("raw").is_none());
    assert_eq!(minimal["labelIds"], metadata["labelIds"]);

    let (_, full) = get_json(&emulator, &token, path).await;
    let names: Vec<&str> = full["payload"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|header| header["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "MIME-Version",
            "Date",
            "Message-ID",
            "Subject",
            "From",
            "To",
            "Content-Type"
        ]
    );
    let data = full["payload"]["body"]["data"].as_str().unwrap();
    let body = base64_url_decode(data);
    assert_eq!(
        body,
        "The Mark I is yours from midnight to six. Please log every run."
    );

    let (_, raw) = get_json(&emulator, &token, &format!("{path}?format=raw")).await;
    let text = base64_url_decode(raw["raw"].as_str().unwrap());
    assert!(
        text.contains("\r\nSubject: Mark I schedule\r\n") && text.ends_with("every run."),
        "{text}"
    );
    assert_eq!(raw["sizeEstimate"].as_u64(), Some(text.len() as u64));
}

fn base64_url_decode(data: &str) -> String {
    use base64::Engine as _;
    String::from_utf8(
        base64::engine::general_purpose::URL_SAFE
            .decode(data)
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn system_labels_count_messages_and_threads() {
    let emulator = start(Config::default()).await;
    let token = token(&emulator, "ada@example.com", &[GMAIL_METADATA]);
    let mut counts = String::new();
    for label in ["INBOX", "UNREAD", "SPAM", "TRASH", "STARRED"] {
        let (status, body) = get_json(
            &emulator,
            &token,
            &format!("/gmail/v1/users/me/labels/{label}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            (&body["id"], &body["type"]),
            (&json!(label), &json!("system"))
        );
        counts.push_str(&format!(
            "{label}: messages {}/{} threads {}/{}\n",
            body["messagesUnread"],
            body["messagesTotal"],
            body["threadsUnread"],
            body["threadsTotal"]
        ));
    }
    expect![[r#"
        INBOX: messages 2/4 threads 2/3
        UNREAD: messages 3/3 threads 3/3
        SPAM: messages 1/1 threads 1/1
        TRASH: messages 0/1 threads 0/1
        STARRED: messages 0/0 threads 0/0
    "#]]
    .assert_eq(&counts);
    expect![[r#"
        404 Not Found
        content-type: application/json; charset=UTF-8

        {
          "error": {
            "code": 404,
            "errors": [
              {
                "domain": "global",
                "message": "Requested entity was not found.",
                "reason": "notFound"
              }
            ],
            "message": "Requested entity was not found.",
            "status": "NOT_FOUND"
          }
        }
    "#]]
    .assert_eq(
        &describe(api_get(&emulator, &token, "/gmail/v1/users/me/labels/Label_42").await).await,
    );
}

#[tokio::test]
async fn googles_errors_for_ids_mailboxes_and_scopes() {
    let emulator = start(Config::default()).await;
    let readonly = token(&emulator, "ada@example.com", &[GMAIL_READONLY]);
    let metadata_and_readonly = token(
        &emulator,
        "ada@example.com",
        &[GMAIL_METADATA, GMAIL_READONLY],
    );
    let drive_only = token(&emulator, "ada@example.com", &[DRIVE_READONLY]);
    let mut seen = String::new();
    for (name, token, path) in [
        (
            "unknown id",
            &readonly,
            "/gmail/v1/users/me/messages/7fffffffffffffff",
        ),
        (
            "not hex",
            &readonly,
            "/gmail/v1/users/me/messages/nosuchmessageid",
        ),
        (
            "too large",
            &readonly,
            "/gmail/v1/users/me/messages/8000000000000000",
        ),
        (
            "bad format",
            &readonly,
            "/gmail/v1/users/me/messages/19a3f0c2b4d6e801?format=html",
        ),
        (
            "bad maxResults",
            &readonly,
            "/gmail/v1/users/me/messages?maxResults=many",
        ),
        (
            "bad page token",
            &readonly,
            "/gmail/v1/users/me/messages?pageToken=garbage",
        ),
        (
            "unknown label",
            &readonly,
            "/gmail/v1/users/me/messages?labelIds=Receipts",
        ),
        (
            "other mailbox",
            &readonly,
            "/gmail/v1/users/grace%40example.com/messages",
        ),
        (
            "metadata q",
            &metadata_and_readonly,
            "/gmail/v1/users/me/messages?q=is%3Aunread",
        ),
        (
            "metadata empty q",
            &metadata_and_readonly,
            "/gmail/v1/users/me/messages?q=",
        ),
        (
            "metadata full",
            &metadata_and_readonly,
            "/gmail/v1/users/me/messages/19a3f0c2b4d6e801",
        ),
        (
            "metadata raw",
            &metadata_and_readonly,
            "/gmail/v1/users/me/messages/19a3f0c2b4d6e801?format=raw",
        ),
        ("drive token", &drive_only, "/gmail/v1/users/me/messages"),
    ] {
        let response = api_get(&emulator, token, path).await;
        let status = response.status();
        let challenge = response
            .headers()
            .get("www-authenticate")
            .map(|value| value.to_str().unwrap().to_string());
        let body: Value = response.json().await.unwrap();
        let error = &body["error"];
        seen.push_str(&format!(
            "{name}: {status} {} reason={} status={} message={}\n",
            error["code"], error["errors"][0]["reason"], error["status"], error["message"]
        ));
        if let Some(challenge) = challenge {
            seen.push_str(&format!("  challenge: {challenge}\n"));
            seen.push_str(&format!(
                "  method: {}\n",
                error["details"][0]["metadata"]["method"]
            ));
        }
    }
    expect![[r#"
        unknown id: 404 Not Found 404 reason="notFound" status="NOT_FOUND" message="Requested entity was not found."
        not hex: 400 Bad Request 400 reason="invalidArgument" status="INVALID_ARGUMENT" message="Invalid id value"
        too large: 400 Bad Request 400 reason="invalidArgument" status="INVALID_ARGUMENT" message="Invalid id value"
        bad format: 400 Bad Request 400 reason="invalid" status="INVALID_ARGUMENT" message="Invalid value at 'format' (TYPE_ENUM), \"html\""
        bad maxResults: 400 Bad Request 400 reason="invalid" status="INVALID_ARGUMENT" message="Invalid value at 'max_results' (TYPE_UINT32), \"many\""
        bad page token: 400 Bad Request 400 reason="invalidArgument" status="INVALID_ARGUMENT" message="Invalid pageToken"
        unknown label: 400 Bad Request 400 reason="invalidArgument" status="INVALID_ARGUMENT" message="Invalid label: Receipts"
        other mailbox: 403 Forbidden 403 reason="forbidden" status="PERMISSION_DENIED" message="Delegation denied for ada@example.com"
        metadata q: 403 Forbidden 403 reason="forbidden" status="PERMISSION_DENIED" message="Metadata scope does not support 'q' parameter"
        metadata empty q: 403 Forbidden 403 reason="forbidden" status="PERMISSION_DENIED" message="Metadata scope does not support 'q' parameter"
        metadata full: 403 Forbidden 403 reason="forbidden" status="PERMISSION_DENIED" message="Metadata scope doesn't allow format FULL"
        metadata raw: 403 Forbidden 403 reason="forbidden" status="PERMISSION_DENIED" message="Metadata scope doesn't allow format RAW"
        drive token: 403 Forbidden 403 reason="insufficientPermissions" status="PERMISSION_DENIED" message="Request had insufficient authentication scopes."
          challenge: Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="https://mail.google.com/ https://www.googleapis.com/auth/gmail.metadata https://www.googleapis.com/auth/gmail.modify https://www.googleapis.com/auth/gmail.readonly"
          method: "caribou.api.proto.MailboxService.ListMessages"
    "#]]
    .assert_eq(&seen);

    // The metadata scope still lists without `q` and reads headers.
    let (status, _) = get_json(
        &emulator,
        &metadata_and_readonly,
        "/gmail/v1/users/me/messages?labelIds=UNREAD",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = get_json(
        &emulator,
        &metadata_and_readonly,
        "/gmail/v1/users/me/messages/19a3f0c2b4d6e801?format=metadata",
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // No credential at all: 401 without `error=` in the challenge.
    let anonymous = http()
        .get(format!(
            "{}/gmail/v1/users/me/messages",
            emulator.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous.headers()["www-authenticate"],
        "Bearer realm=\"https://accounts.google.com/\""
    );
}

#[tokio::test]
async fn mailbox_controls_seed_and_clear_in_process_and_over_http() {
    let emulator = start(Config::default()).await;
    let token = token(&emulator, "grace@example.com", &[GMAIL_READONLY]);
    emulator.clear_mailbox("grace@example.com");
    let (_, empty) = get_json(
        &emulator,
        &token,
        "/gmail/v1/users/me/messages?labelIds=INBOX",
    )
    .await;
    assert_eq!(empty, json!({"resultSizeEstimate": 0}));
    let (_, inbox) = get_json(&emulator, &token, "/gmail/v1/users/me/labels/INBOX").await;
    assert_eq!(inbox["messagesTotal"], 0);

    emulator.seed_messages(
        "grace@example.com",
        &[SeedMessage {
            id: "19b0000000000001".to_string(),
            thread_id: None,
            from: "John von Neumann <johnny@example.com>".to_string(),
            to: "grace@example.com".to_string(),
            subject: "EDVAC report".to_string(),
            body: "First draft attached.".to_string(),
            received_ago: SignedDuration::from_hours(2),
            labels: vec!["INBOX".to_string()],
        }],
    );
    let base = emulator.base_url();
    let seeded = http()
        .post(format!("{base}/__twin/gmail/messages"))
        .json(&json!({"email": "grace@example.com", "messages": [
            {"id": "19b0000000000002", "from": "Alan Turing <alan@example.com>",
             "subject": "Computable numbers", "body": "On computable numbers…",
             "received_seconds_ago": 60, "labels": ["INBOX", "UNREAD"]}
        ]}))
        .send()
        .await
        .unwrap();
    assert_eq!(seeded.status(), StatusCode::OK);
    let (_, list) = get_json(
        &emulator,
        &token,
        "/gmail/v1/users/me/messages?labelIds=INBOX",
    )
    .await;
    assert_eq!(ids(&list), ["19b0000000000002", "19b0000000000001"]);
    let (_, unread) = get_json(&emulator, &token, "/gmail/v1/users/me/labels/UNREAD").await;
    assert_eq!(unread["messagesUnread"], 1);
    let (_, message) = get_json(
        &emulator,
        &token,
        "/gmail/v1/users/me/messages/19b0000000000002?format=metadata&metadataHeaders=To",
    )
    .await;
    assert_eq!(
        message["payload"]["headers"],
        json!([{"name": "To", "value": "grace@example.com"}])
    );

    let refused = http()
        .post(format!("{base}/__twin/gmail/messages"))
        .json(&json!({"email": "grace@example.com", "messages": [
            {"id": "not-hex", "from": "x", "subject": "y", "labels": []}
        ]}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(
        refused.text().await.unwrap().contains("hexadecimal"),
        "the refusal names the ID rule"
    );
    let cleared = http()
        .delete(format!(
            "{base}/__twin/gmail/messages?email=grace%40example.com"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), StatusCode::NO_CONTENT);
    let (_, empty) = get_json(&emulator, &token, "/gmail/v1/users/me/messages").await;
    assert_eq!(empty["resultSizeEstimate"], 0);
    let unknown = http()
        .delete(format!(
            "{base}/__twin/gmail/messages?email=nobody%40example.com"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}
