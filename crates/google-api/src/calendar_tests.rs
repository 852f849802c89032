//! Unit tests of Calendar `events.insert` and `events.get` on a scripted transport: what goes on
//! the wire, how 409, 404 and deleted events come back, and that an insert with a client ID is
//! retried like a read.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::civil::date;
use serde_json::{Value, json};

use crate::{
    AccessToken, BoxFuture, Client, Deadline, Endpoints, Error, EventId, EventTime, Exchange,
    Inserted, Method, NewEvent, Reply, RetryPolicy, Transport, TransportError,
};

/// One exchange as sent: method, path, JSON body.
type Sent = (Method, String, Option<Value>);

/// Answers each exchange with the next scripted reply and records what was sent.
#[derive(Debug, Clone, Default)]
struct Scripted {
    replies: Arc<Mutex<VecDeque<(u16, Value)>>>,
    sent: Arc<Mutex<Vec<Sent>>>,
}

impl Scripted {
    fn new(replies: &[(u16, Value)]) -> Scripted {
        Scripted {
            replies: Arc::new(Mutex::new(replies.iter().cloned().collect())),
            sent: Arc::default(),
        }
    }

    fn sent(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }
}

impl Transport for Scripted {
    fn send<'a>(&'a self, exchange: Exchange<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
        self.sent.lock().unwrap().push((
            exchange.method.clone(),
            exchange.url.path().to_owned(),
            exchange.json_body.cloned(),
        ));
        let (status, body) = self
            .replies
            .lock()
            .unwrap()
            .pop_front()
            .expect("a scripted reply for every exchange");
        Box::pin(async move {
            Ok(Reply {
                status,
                www_authenticate: None,
                retry_after: None,
                body: body.to_string().into_bytes(),
            })
        })
    }
}

fn client(transport: &Scripted) -> Client {
    Client::with_transport(Endpoints::google(), transport.clone()).with_retry_policy(RetryPolicy {
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
        max_attempts: 3,
        attempt_timeout: Duration::from_secs(5),
        minimum_attempt_time: Duration::from_millis(1),
    })
}

fn dentist() -> NewEvent {
    let start = date(2026, 12, 9)
        .at(15, 0, 0, 0)
        .in_tz("Asia/Tokyo")
        .unwrap();
    let end = start.checked_add(jiff::Span::new().hours(1)).unwrap();
    NewEvent::new(
        EventId::new("0123456789abcdefghijklmnopqrstuv").unwrap(),
        "Dentist".to_owned(),
        start,
        end,
    )
}

fn created_event() -> Value {
    json!({"kind": "calendar#event", "id": "0123456789abcdefghijklmnopqrstuv",
        "status": "confirmed", "summary": "Dentist",
        "start": {"dateTime": "2026-12-09T15:00:00+09:00", "timeZone": "Asia/Tokyo"},
        "end": {"dateTime": "2026-12-09T16:00:00+09:00", "timeZone": "Asia/Tokyo"}})
}

fn unavailable() -> Value {
    json!({"error": {"code": 503, "message": "The service is currently unavailable.",
        "status": "UNAVAILABLE"}})
}

fn duplicate() -> Value {
    json!({"error": {"errors": [{"domain": "global", "reason": "duplicate",
        "message": "The requested identifier already exists."}],
        "code": 409, "message": "The requested identifier already exists."}})
}

fn token() -> AccessToken {
    AccessToken::new("ya29.calendar-test".to_owned())
}

fn deadline() -> Deadline {
    Deadline::after(Duration::from_secs(10))
}

#[tokio::test]
async fn insert_sends_the_client_id_and_times_with_offset_and_zone() {
    let transport = Scripted::new(&[(200, created_event())]);
    let client = client(&transport);
    let token = token();
    let inserted = client
        .for_user(&token, deadline())
        .insert_event(&dentist())
        .await
        .unwrap();
    let Inserted::Created(event) = inserted else {
        panic!("created, got {inserted:?}")
    };
    assert_eq!(event.summary.as_deref(), Some("Dentist"));
    assert!(!event.cancelled);
    let EventTime::DateTime { date_time } = event.start else {
        panic!("a timed event")
    };
    assert_eq!(date_time.time_zone().iana_name(), Some("Asia/Tokyo"));
    assert_eq!(date_time.hour(), 15);
    let sent = transport.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, Method::POST);
    assert_eq!(sent[0].1, "/calendar/v3/calendars/primary/events");
    assert_eq!(
        sent[0].2,
        Some(
            json!({"id": "0123456789abcdefghijklmnopqrstuv", "summary": "Dentist",
            "start": {"dateTime": "2026-12-09T15:00:00+09:00", "timeZone": "Asia/Tokyo"},
            "end": {"dateTime": "2026-12-09T16:00:00+09:00", "timeZone": "Asia/Tokyo"}})
        )
    );
}

#[tokio::test]
async fn an_insert_with_a_client_id_is_retried_after_a_5xx_and_a_409_means_the_id_is_taken() {
    // The first attempt may have created the event before the 503: the retry with the same ID
    // gets 409 rather than making a second event.
    let transport = Scripted::new(&[(503, unavailable()), (409, duplicate())]);
    let client = client(&transport);
    let token = token();
    let inserted = client
        .for_user(&token, deadline())
        .insert_event(&dentist())
        .await
        .unwrap();
    assert_eq!(inserted, Inserted::IdTaken);
    let sent = transport.sent();
    assert_eq!(sent.len(), 2, "one retry");
    assert_eq!(
        sent[0].2, sent[1].2,
        "the retry sends the same event and ID"
    );
}

#[tokio::test]
async fn other_insert_failures_stay_errors() {
    let transport = Scripted::new(&[(
        400,
        json!({"error": {"code": 400, "message": "Invalid resource id value.",
            "errors": [{"domain": "global", "reason": "invalid"}]}}),
    )]);
    let client = client(&transport);
    let token = token();
    let error = client
        .for_user(&token, deadline())
        .insert_event(&dentist())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Api { status: 400, .. }), "{error:?}");
}

#[tokio::test]
async fn get_returns_deleted_events_as_cancelled_and_none_when_gone() {
    let mut deleted = created_event();
    deleted["status"] = json!("cancelled");
    let not_found = json!({"error": {"code": 404, "message": "Not Found",
        "errors": [{"domain": "global", "reason": "notFound"}]}});
    let gone = json!({"error": {"code": 410, "message": "Resource has been deleted",
        "errors": [{"domain": "global", "reason": "deleted"}]}});
    let transport = Scripted::new(&[
        (200, created_event()),
        (200, deleted),
        (404, not_found),
        (410, gone),
    ]);
    let client = client(&transport);
    let token = token();
    let google = client.for_user(&token, deadline());
    let id = EventId::new("0123456789abcdefghijklmnopqrstuv").unwrap();
    let live = google.get_event(&id).await.unwrap().unwrap();
    assert!(!live.cancelled);
    let deleted = google.get_event(&id).await.unwrap().unwrap();
    assert!(deleted.cancelled);
    assert_eq!(google.get_event(&id).await.unwrap(), None);
    assert_eq!(google.get_event(&id).await.unwrap(), None);
    let sent = transport.sent();
    assert!(
        sent.iter()
            .all(|(method, path, body)| *method == Method::GET
                && path
                    == "/calendar/v3/calendars/primary/events/0123456789abcdefghijklmnopqrstuv"
                && body.is_none())
    );
}

#[test]
fn event_ids_follow_calendars_rules() {
    assert!(EventId::new("abcv0").is_ok());
    for (id, why) in [
        ("abcd", "4 characters"),
        ("abcdw", "'w'"),
        ("ABCDE", "'A'"),
        ("abc-def", "'-'"),
    ] {
        let error = EventId::new(id).unwrap_err().to_string();
        assert!(error.contains(why), "{id}: {error}");
    }
    assert!(EventId::new("a".repeat(1024)).is_ok());
    assert!(EventId::new("a".repeat(1025)).is_err());
    let from_digest = EventId::from_digest(&[0x00, 0xab, 0xff]).unwrap();
    assert_eq!(from_digest.as_str(), "00abff");
    assert!(EventId::from_digest(&[0xab, 0xcd]).is_err(), "4 hex digits");
}

#[test]
fn a_new_events_debug_shows_its_id_not_its_title() {
    let printed = format!("{:?}", dentist());
    assert!(printed.contains("0123456789abcdefghijklmnopqrstuv"));
    assert!(!printed.contains("Dentist"), "{printed}");
}
