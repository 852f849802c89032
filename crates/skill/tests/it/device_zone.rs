//! The device's time zone from Alexa's settings API (the twin), through the real binary: an event
//! created in UTC is spoken in Tokyo time to an Echo set to Asia/Tokyo, the calendar's zone is
//! used when the device has none, and a warm process asks once per device.

use std::time::Duration;

use devstack::alexa::skill_api::SkillApiTwin;
use devstack::google::{Config, DEFAULT_CLIENT_ID, Emulator, SeedEvent, SeedEventTime};
use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use linked_skill::google_api::{self, EventTime};
use linked_skill::testing::{TestRequest, TestResponse};
use serde_json::Value;

use crate::support::{lambda_function, request};

const ADA: &str = "ada@example.com";
const TOKYO_ECHO: &str = "amzn1.ask.device.TOKYO";
const ZONELESS_ECHO: &str = "amzn1.ask.device.NOZONE";

fn next_event(alexa: &SkillApiTwin, token: &str, device: &str, id: &str) -> Value {
    TestRequest::from_json(request("next-event"))
        .linked(token)
        .request_id(id)
        .device_id(device)
        .api_endpoint(&alexa.api_endpoint())
        .api_access_token(&alexa.open_request(id, device))
        .into_json()
}

/// What the sample says for the calendar's next event seen from `zone`.
async fn expected(google: &Emulator, token: &str, zone: &TimeZone) -> String {
    let client = google_api::Client::new(
        google_api::Endpoints::all_at(google.base_url().parse().unwrap()),
        google_api::default_http_client(),
    );
    let token = google_api::AccessToken::new(token.to_owned());
    let deadline = google_api::Deadline::after(Duration::from_secs(5));
    let events = client
        .for_user(&token, deadline)
        .upcoming_events(Timestamp::now(), 1)
        .await
        .unwrap();
    let event = &events.items[0];
    let EventTime::DateTime { date_time } = &event.start else {
        panic!("the seeded event is timed")
    };
    let there = date_time.with_time_zone(zone.clone());
    let today = Timestamp::now().to_zoned_datetime(zone.clone()).date();
    let skill = skill::skill().build();
    let texts = skill.texts().for_locale("en-US".parse().unwrap());
    let when = texts.date_at_time(there.datetime(), today);
    texts.format(
        "next_event.at",
        &[
            ("title", event.summary.as_deref().unwrap()),
            ("when", &when),
        ],
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_created_in_utc_is_spoken_in_tokyo_time_for_a_tokyo_echo() {
    let mut config = Config::default();
    let ada = config
        .users
        .iter_mut()
        .find(|user| user.email == ADA)
        .expect("Ada is a default test user");
    ada.time_zone = "UTC".to_owned();
    ada.calendar_events = vec![SeedEvent {
        id: "tokyostandup0".to_owned(),
        summary: "Standup".to_owned(),
        time: SeedEventTime::Timed {
            starts_in: SignedDuration::from_hours(3),
            duration: SignedDuration::from_mins(30),
        },
        weekly_occurrences: 1,
    }];
    let google = Emulator::start(config)
        .await
        .expect("the Google twin starts");
    let alexa = SkillApiTwin::start()
        .await
        .expect("the Alexa API twin starts");
    alexa.set_time_zone(TOKYO_ECHO, "Asia/Tokyo");
    let token = google.mint_access_token(
        ADA,
        DEFAULT_CLIENT_ID,
        &["https://www.googleapis.com/auth/calendar.readonly"],
    );
    let function = lambda_function(&google.base_url(), &[]).await;

    let tokyo = TimeZone::get("Asia/Tokyo").unwrap();
    let in_tokyo = expected(&google, &token, &tokyo).await;
    let in_utc = expected(&google, &token, &TimeZone::UTC).await;
    assert_ne!(in_tokyo, in_utc, "Tokyo is nine hours ahead of UTC");

    for id in ["amzn1.echo-api.request.T1", "amzn1.echo-api.request.T2"] {
        let response = function
            .invoke(next_event(&alexa, &token, TOKYO_ECHO, id))
            .await
            .map(TestResponse::new)
            .expect("an answer");
        assert_eq!(response.speech(), in_tokyo, "{response:#}");
    }
    assert_eq!(
        alexa.time_zone_requests(),
        1,
        "the warm process asks once per device"
    );

    // No zone set on this Echo (204): the calendar's zone, here UTC.
    let response = function
        .invoke(next_event(
            &alexa,
            &token,
            ZONELESS_ECHO,
            "amzn1.echo-api.request.U",
        ))
        .await
        .map(TestResponse::new)
        .expect("an answer");
    assert_eq!(response.speech(), in_utc, "{response:#}");
}
