//! "Add dentist tomorrow at three pm to my calendar", driven in-process on the toolkit's fake
//! Google (a calendar that keeps its events and refuses a reused event ID with 409, as Calendar
//! does) turn by turn as Alexa's dialog manager would send them: missing slots, the
//! confirmation, yes, no, neither, a past or unclear day or time, a retry, and an Echo in Tokyo.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use devstack::alexa::skill_api::SkillApiTwin;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};
use linked_skill::Skill;
use linked_skill::google_api::Method;
use linked_skill::testing::{FakeGoogle, GoogleState, RecordedRequest};
use serde_json::{Value, json};
use tokio::time::Instant;

use linked_skill::testing::LINKED_TOKEN;

use crate::support::request;

/// Every scope Google accepts for `events.insert` (its discovery document), and the one the
/// sample asks for first.
const INSERT_SCOPES: &[&str] = &[
    "https://www.googleapis.com/auth/calendar",
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/calendar.events.owned",
];

/// The fake calendar's own zone, used when the device's zone cannot be read.
const CALENDAR_ZONE: &str = "Europe/London";

const TOKYO_ECHO: &str = "amzn1.ask.device.TOKYO";

/// The primary calendar behind the fake: events by ID, deleted ones kept (Calendar keeps their
/// IDs), and an optional lost reply (the event is created, the answer never arrives: a 503).
#[derive(Debug, Clone, Default)]
struct Calendar {
    events: Arc<Mutex<BTreeMap<String, Value>>>,
    lose_next_reply: Arc<Mutex<bool>>,
}

impl Calendar {
    fn google(&self) -> FakeGoogle {
        let inserting = self.clone();
        let getting = self.clone();
        FakeGoogle::new(GoogleState::Linked, LINKED_TOKEN)
            // Before the list route: the first matching prefix wins.
            .route_with(
                Method::GET,
                "/calendar/v3/calendars/primary/events/",
                INSERT_SCOPES,
                move |request| getting.get(request),
            )
            .route_with(
                Method::POST,
                "/calendar/v3/calendars/primary/events",
                INSERT_SCOPES,
                move |request| inserting.insert(request),
            )
            .route(
                Method::GET,
                "/calendar/v3/calendars/primary/events",
                INSERT_SCOPES,
                json!({"timeZone": CALENDAR_ZONE, "items": []}),
            )
    }

    fn insert(&self, request: &RecordedRequest) -> (u16, Value) {
        let mut event = request.json_body.clone().expect("an insert has a body");
        let id = event["id"]
            .as_str()
            .expect("the skill chooses the ID")
            .to_owned();
        let mut events = self.events.lock().unwrap();
        if events.contains_key(&id) {
            return (
                409,
                json!({"error": {"errors": [{"domain": "global", "reason": "duplicate",
                    "message": "The requested identifier already exists."}],
                    "code": 409, "message": "The requested identifier already exists."}}),
            );
        }
        event["status"] = json!("confirmed");
        events.insert(id, event.clone());
        if std::mem::take(&mut *self.lose_next_reply.lock().unwrap()) {
            return (
                503,
                json!({"error": {"code": 503, "message": "The service is currently unavailable.",
                    "status": "UNAVAILABLE"}}),
            );
        }
        (200, event)
    }

    fn get(&self, request: &RecordedRequest) -> (u16, Value) {
        let id = request
            .path_and_query
            .rsplit('/')
            .next()
            .unwrap_or_default();
        match self.events.lock().unwrap().get(id) {
            Some(event) => (200, event.clone()),
            None => (
                404,
                json!({"error": {"code": 404, "message": "Not Found",
                    "errors": [{"domain": "global", "reason": "notFound"}]}}),
            ),
        }
    }

    fn events(&self) -> Vec<Value> {
        self.events.lock().unwrap().values().cloned().collect()
    }

    /// The user deleted every event: Calendar keeps them, cancelled, with their IDs.
    fn delete_all(&self) {
        for event in self.events.lock().unwrap().values_mut() {
            event["status"] = json!("cancelled");
        }
    }
}

/// One turn of the dialog: the CreateEventIntent request with these slots (absent when `None`).
struct Turn<'a> {
    locale: &'a str,
    summary: Option<&'a str>,
    date: Option<String>,
    time: Option<&'a str>,
    confirmation: &'a str,
    dialog_state: &'a str,
    attributes: Value,
}

impl Turn<'_> {
    fn complete(date: Date) -> Turn<'static> {
        Turn {
            locale: "en-US",
            summary: Some("dentist"),
            date: Some(date.to_string()),
            time: Some("15:00"),
            confirmation: "NONE",
            dialog_state: "IN_PROGRESS",
            attributes: json!({}),
        }
    }

    fn request(&self) -> Value {
        let mut request = request("add-note");
        let mut slots = serde_json::Map::new();
        for (name, value) in [
            ("summary", self.summary.map(str::to_owned)),
            ("date", self.date.clone()),
            ("time", self.time.map(str::to_owned)),
        ] {
            let mut slot = json!({"name": name, "confirmationStatus": "NONE"});
            if let Some(value) = value {
                slot["value"] = json!(value);
            }
            slots.insert(name.to_owned(), slot);
        }
        request["request"]["intent"] = json!({"name": "CreateEventIntent",
            "confirmationStatus": self.confirmation, "slots": slots});
        request["request"]["dialogState"] = json!(self.dialog_state);
        request["request"]["locale"] = json!(self.locale);
        request["session"]["attributes"] = self.attributes.clone();
        request
    }
}

async fn handle(skill: &Skill, request: Value) -> Value {
    skill
        .handle_json(request, Instant::now())
        .await
        .expect("an Alexa request gets an answer")
}

fn speech(response: &Value) -> &str {
    response["response"]["outputSpeech"]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("no speech in {response:#}"))
}

fn directive(response: &Value) -> &Value {
    &response["response"]["directives"][0]
}

fn today_in(zone: &str) -> Date {
    Timestamp::now()
        .to_zoned_datetime(TimeZone::get(zone).unwrap())
        .date()
}

fn tomorrow_in(zone: &str) -> Date {
    today_in(zone).tomorrow().unwrap()
}

/// "Shall I add Dentist, tomorrow, Wednesday December 9, at 3 PM?" for `date`, the day after
/// today.
fn english_confirmation(title: &str, tomorrow: Date) -> String {
    format!(
        "Shall I add {title}, tomorrow, {}, at 3 PM?",
        tomorrow.strftime("%A %B %-d")
    )
}

/// `date` at 15:00 in `zone`, as the skill sends it to Calendar.
fn three_pm(date: Date, zone: &str) -> ZonedDateTime {
    date.to_datetime(Time::new(15, 0, 0, 0).unwrap())
        .to_zoned_datetime(TimeZone::get(zone).unwrap())
        .unwrap()
}

fn calendar_time(at: &ZonedDateTime, zone: &str) -> Value {
    json!({"dateTime": at.timestamp().display_with_offset(at.offset()).to_string(),
        "timeZone": zone})
}

fn inserts(google: &FakeGoogle) -> usize {
    google
        .requests()
        .iter()
        .filter(|request| request.method == Method::POST)
        .count()
}

#[tokio::test]
async fn missing_slots_are_left_to_the_dialog_models_prompts() {
    let calendar = Calendar::default();
    let google = calendar.google();
    let skill = skill::skill().google(google.client()).build();
    let tomorrow = tomorrow_in(CALENDAR_ZONE);
    let cases = [
        ("nothing said", None, None, None),
        ("no day or time", Some("dentist"), None, None),
        ("no time", Some("dentist"), Some(tomorrow.to_string()), None),
        ("no title", None, Some(tomorrow.to_string()), Some("15:00")),
    ];
    for (case, summary, date, time) in cases {
        let turn = Turn {
            summary,
            date,
            time,
            dialog_state: "STARTED",
            ..Turn::complete(tomorrow)
        };
        let response = handle(&skill, turn.request()).await;
        assert_eq!(
            directive(&response)["type"],
            "Dialog.Delegate",
            "{case}: {response:#}"
        );
        assert!(
            response["response"].get("outputSpeech").is_none(),
            "{case}: Alexa forbids speech with Delegate"
        );
    }
    assert!(google.requests().is_empty(), "nothing asked of Google yet");
}

#[tokio::test]
async fn a_complete_request_is_confirmed_before_anything_is_written() {
    let calendar = Calendar::default();
    let google = calendar.google();
    let skill = skill::skill().google(google.client()).build();
    let tomorrow = tomorrow_in(CALENDAR_ZONE);
    let response = handle(&skill, Turn::complete(tomorrow).request()).await;
    assert_eq!(
        directive(&response)["type"],
        "Dialog.ConfirmIntent",
        "{response:#}"
    );
    assert_eq!(speech(&response), english_confirmation("Dentist", tomorrow));
    assert!(
        response["sessionAttributes"][skill::ASKED_ATTRIBUTE].is_string(),
        "{response:#}"
    );
    assert_eq!(inserts(&google), 0);
    assert!(calendar.events().is_empty());
}

#[tokio::test]
async fn yes_adds_one_event_in_the_calendars_zone_when_the_device_has_none() {
    let calendar = Calendar::default();
    let google = calendar.google();
    let skill = skill::skill().google(google.client()).build();
    let tomorrow = tomorrow_in(CALENDAR_ZONE);
    let response = handle(
        &skill,
        Turn {
            confirmation: "CONFIRMED",
            dialog_state: "COMPLETED",
            ..Turn::complete(tomorrow)
        }
        .request(),
    )
    .await;
    assert_eq!(
        speech(&response),
        "OK, I've added Dentist to your calendar.",
        "{response:#}"
    );
    let events = calendar.events();
    assert_eq!(events.len(), 1);
    let start = three_pm(tomorrow, CALENDAR_ZONE);
    let end = start.checked_add(skill::EVENT_LENGTH).unwrap();
    assert_eq!(events[0]["summary"], "Dentist");
    assert_eq!(events[0]["start"], calendar_time(&start, CALENDAR_ZONE));
    assert_eq!(events[0]["end"], calendar_time(&end, CALENDAR_ZONE));
    let id = events[0]["id"].as_str().unwrap();
    assert!(
        id.len() >= 5 && id.chars().all(|c| matches!(c, 'a'..='v' | '0'..='9')),
        "{id} is a Calendar event ID"
    );
}

#[tokio::test]
async fn no_writes_nothing() {
    let calendar = Calendar::default();
    let google = calendar.google();
    let skill = skill::skill().google(google.client()).build();
    let tomorrow = tomorrow_in(CALENDAR_ZONE);
    let asked = handle(&skill, Turn::complete(tomorrow).request()).await;
    let denied = |date: Date| Turn {
        confirmation: "DENIED",
        dialog_state: "COMPLETED",
        attributes: asked["sessionAttributes"].clone(),
        ..Turn::complete(date)
    };
    let response = handle(&skill, denied(tomorrow).request()).await;
    assert_eq!(speech(&response), "OK, I won't add it.");
    assert!(
        response["sessionAttributes"]
            .get(skill::ASKED_ATTRIBUTE)
            .is_none(),
        "nothing left to confirm: {response:#}"
    );
    // A "no" is never met with another question, even when the day has passed meanwhile.
    let yesterday = today_in(CALENDAR_ZONE).yesterday().unwrap();
    let response = handle(&skill, denied(yesterday).request()).await;
    assert_eq!(speech(&response), "OK, I won't add it.");
    assert_eq!(inserts(&google), 0);
    assert!(calendar.events().is_empty());
}

#[tokio::test]
async fn neither_yes_nor_no_asks_again_for_yes_or_no() {
    let calendar = Calendar::default();
    let google = calendar.google();
    let skill = skill::skill().google(google.client()).build();
    let tomorrow = tomorrow_in(CALENDAR_ZONE);
    let first = handle(&skill, Turn::complete(tomorrow).request()).await;
    // Alexa heard something else after the confirmation prompt and sent the intent back
    // unconfirmed, with the session attributes the skill set.
    let again = handle(
        &skill,
        Turn {
            attributes: first["sessionAttributes"].clone(),
            ..Turn::complete(tomorrow)
        }
        .request(),
    )
    .await;
    assert_eq!(directive(&again)["type"], "Dialog.ConfirmIntent");
    assert_eq!(
        speech(&again),
        format!(
            "Please say yes or no. {}",
            english_confirmation("Dentist", tomorrow)
        )
    );
    assert_eq!(inserts(&google), 0);
}

#[tokio::test]
async fn a_past_day_or_time_and_an_unclear_day_or_time_are_asked_again() {
    let calendar = Calendar::default();
    let google = calendar.google();
    let skill = skill::skill().google(google.client()).build();
    let today = today_in(CALENDAR_ZONE);
    let yesterday = today.yesterday().unwrap();
    let cases = [
        (
            Some(yesterday.to_string()),
            "15:00",
            "date",
            "That day has already passed. Which day is it on?",
        ),
        (
            Some(today.to_string()),
            "00:00",
            "time",
            "That time has already passed today. What time does it start?",
        ),
        (
            Some("2026-W50".to_owned()),
            "15:00",
            "date",
            "Which day exactly? For example, tomorrow or next Friday.",
        ),
        (
            Some(today.tomorrow().unwrap().to_string()),
            "EV",
            "time",
            "What time exactly? For example, 3 PM.",
        ),
    ];
    for (date, time, slot, said) in cases {
        let response = handle(
            &skill,
            Turn {
                date,
                time: Some(time),
                ..Turn::complete(today)
            }
            .request(),
        )
        .await;
        assert_eq!(
            directive(&response)["type"],
            "Dialog.ElicitSlot",
            "{response:#}"
        );
        assert_eq!(directive(&response)["slotToElicit"], slot, "{response:#}");
        assert_eq!(speech(&response), said);
    }
    // Confirmed or not, a past start is never written.
    let response = handle(
        &skill,
        Turn {
            date: Some(yesterday.to_string()),
            confirmation: "CONFIRMED",
            ..Turn::complete(today)
        }
        .request(),
    )
    .await;
    assert_eq!(directive(&response)["slotToElicit"], "date");
    assert_eq!(inserts(&google), 0);
}

#[tokio::test]
async fn a_retry_after_a_lost_reply_and_the_same_request_twice_make_one_event() {
    let calendar = Calendar::default();
    *calendar.lose_next_reply.lock().unwrap() = true;
    let google = calendar.google();
    let skill = skill::skill().google(google.client()).build();
    let confirmed = Turn {
        confirmation: "CONFIRMED",
        dialog_state: "COMPLETED",
        ..Turn::complete(tomorrow_in(CALENDAR_ZONE))
    };
    // Google created the event but its answer was lost (503): the client retries the insert
    // with the same ID, gets 409, and finds the event there.
    let first = handle(&skill, confirmed.request()).await;
    assert_eq!(speech(&first), "Dentist is already on your calendar.");
    // The user asks for the same event again ("Dentist", said in another case).
    let again = Turn {
        summary: Some("Dentist "),
        ..confirmed
    };
    let second = handle(&skill, again.request()).await;
    assert_eq!(speech(&second), "Dentist is already on your calendar.");
    assert_eq!(calendar.events().len(), 1, "one event");
    assert_eq!(inserts(&google), 3, "two attempts, then one");
}

#[tokio::test]
async fn an_event_the_user_deleted_is_added_again() {
    let calendar = Calendar::default();
    let google = calendar.google();
    let skill = skill::skill().google(google.client()).build();
    let confirmed = Turn {
        confirmation: "CONFIRMED",
        dialog_state: "COMPLETED",
        ..Turn::complete(tomorrow_in(CALENDAR_ZONE))
    };
    handle(&skill, confirmed.request()).await;
    calendar.delete_all();
    let response = handle(&skill, confirmed.request()).await;
    assert_eq!(
        speech(&response),
        "OK, I've added Dentist to your calendar."
    );
    let events = calendar.events();
    let live: Vec<&Value> = events
        .iter()
        .filter(|event| event["status"] == "confirmed")
        .collect();
    assert_eq!(live.len(), 1, "{events:#?}");
    // The same request once more finds the new one.
    let response = handle(&skill, confirmed.request()).await;
    assert_eq!(speech(&response), "Dentist is already on your calendar.");
    assert_eq!(calendar.events().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_echo_in_tokyo_gets_tokyos_tomorrow_and_the_event_in_tokyo_time() {
    let alexa = SkillApiTwin::start()
        .await
        .expect("the Alexa API twin starts");
    alexa.set_time_zone(TOKYO_ECHO, "Asia/Tokyo");
    let calendar = Calendar::default();
    let google = calendar.google();
    let skill = skill::skill().google(google.client()).build();
    let tomorrow = tomorrow_in("Asia/Tokyo");
    let from_tokyo = |turn: Turn<'_>, id: &str| {
        let mut request = turn.request();
        request["request"]["requestId"] = json!(id);
        request["context"]["System"]["device"]["deviceId"] = json!(TOKYO_ECHO);
        request["context"]["System"]["apiEndpoint"] = json!(alexa.api_endpoint());
        request["context"]["System"]["apiAccessToken"] = json!(alexa.open_request(id, TOKYO_ECHO));
        request
    };
    let asked = handle(
        &skill,
        from_tokyo(Turn::complete(tomorrow), "amzn1.echo-api.request.TOKYO1"),
    )
    .await;
    assert_eq!(speech(&asked), english_confirmation("Dentist", tomorrow));
    let added = handle(
        &skill,
        from_tokyo(
            Turn {
                confirmation: "CONFIRMED",
                dialog_state: "COMPLETED",
                ..Turn::complete(tomorrow)
            },
            "amzn1.echo-api.request.TOKYO2",
        ),
    )
    .await;
    assert_eq!(speech(&added), "OK, I've added Dentist to your calendar.");
    let events = calendar.events();
    assert_eq!(events.len(), 1);
    let start = three_pm(tomorrow, "Asia/Tokyo");
    assert_eq!(events[0]["start"], calendar_time(&start, "Asia/Tokyo"));
    assert!(
        events[0]["start"]["dateTime"]
            .as_str()
            .unwrap()
            .ends_with("T15:00:00+09:00"),
        "{events:#?}"
    );
    assert!(
        google
            .requests()
            .iter()
            .all(|request| request.method != Method::GET
                || request.path_and_query.contains("/events/")),
        "the device's zone is used, not the calendar's"
    );
}

/// How people say it in each language reaches CreateEventIntent with the title captured (the
/// day and time as spoken; Alexa resolves them to AMAZON.DATE and AMAZON.TIME values).
#[test]
fn everyday_phrasings_reach_create_event_with_the_title() {
    let cases = [
        (
            "en-US",
            "add dentist tomorrow at three pm to my calendar",
            "dentist",
        ),
        (
            "en-GB",
            "put team meeting on my calendar for friday at ten am",
            "team meeting",
        ),
        (
            "de-DE",
            "trag zahnarzt morgen um fünfzehn uhr in meinen kalender ein",
            "zahnarzt",
        ),
        (
            "fr-FR",
            "ajoute dentiste demain à quinze heures à mon agenda",
            "dentiste",
        ),
        (
            "es-ES",
            "añade dentista mañana a las tres de la tarde a mi calendario",
            "dentista",
        ),
        (
            "es-MX",
            "agrega dentista mañana a las tres de la tarde a mi calendario",
            "dentista",
        ),
        (
            "it-IT",
            "aggiungi dentista domani alle quindici al mio calendario",
            "dentista",
        ),
        ("ja-JP", "明日の午後三時に歯医者を予定に追加して", "歯医者"),
    ];
    let models =
        crate::support::workspace_root().join("infra/skill-package/interactionModels/custom");
    let mut failures = Vec::new();
    for (locale, utterance, summary) in cases {
        let model = devstack::voice::InteractionModel::load(&models.join(format!("{locale}.json")))
            .unwrap();
        let matched = model.match_utterance(utterance);
        let captured = matched
            .slots
            .iter()
            .find(|(name, _)| name == "summary")
            .map(|(_, value)| value.as_str());
        if matched.intent != "CreateEventIntent" || captured != Some(summary) {
            failures.push(format!("{locale} {utterance:?} → {matched:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
