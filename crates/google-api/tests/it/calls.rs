//! Each call with a valid token returns the emulator's seeded data, typed.

use expect_test::expect;
use google_api::EventTime;
use jiff::Timestamp;

use crate::{
    ADA, CALENDAR_READ_SCOPE, DRIVE_METADATA_SCOPE, Fixture, PROFILE_SCOPES, generous_deadline,
};

#[tokio::test]
async fn userinfo_returns_the_linked_user() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, PROFILE_SCOPES);
    let user = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .userinfo()
        .await
        .expect("userinfo succeeds");
    expect![[r#"
        UserInfo {
            sub: "118234567890123456781",
            name: Some(
                "Ada Lovelace",
            ),
            given_name: Some(
                "Ada",
            ),
            family_name: Some(
                "Lovelace",
            ),
            email: Some(
                "ada@example.com",
            ),
            email_verified: Some(
                true,
            ),
        }
    "#]]
    .assert_debug_eq(&user);
}

#[tokio::test]
async fn userinfo_without_the_profile_scope_leaves_names_out() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &["openid", "email"]);
    let user = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .userinfo()
        .await
        .expect("userinfo succeeds");
    expect![[r#"
        UserInfo {
            sub: "118234567890123456781",
            name: None,
            given_name: None,
            family_name: None,
            email: Some(
                "ada@example.com",
            ),
            email_verified: Some(
                true,
            ),
        }
    "#]]
    .assert_debug_eq(&user);
}

#[tokio::test]
async fn recent_files_lists_untrashed_files_newest_first() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &[DRIVE_METADATA_SCOPE]);
    let files = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .recent_files(3)
        .await
        .expect("files.list succeeds");
    let listing = files
        .iter()
        .map(|file| {
            format!(
                "{} | {} | {} | has modified time: {}",
                file.id,
                file.name,
                file.mime_type,
                file.modified_time.is_some()
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    expect![[r#"
        1AdaSketchOfTheAnalyticalEngine0001 | Sketch of the Analytical Engine | application/vnd.google-apps.document | has modified time: true
        1AdaBernoulliNumbersSpreadsheet00002 | Bernoulli numbers | application/vnd.google-apps.spreadsheet | has modified time: true
        1AdaLetterToBabbagePdf000000000003 | Letter to Babbage.pdf | application/pdf | has modified time: true"#]]
    .assert_eq(&listing);
    let modified: Vec<_> = files.iter().map(|file| file.modified_time).collect();
    let mut newest_first = modified.clone();
    newest_first.sort_by(|left, right| right.cmp(left));
    assert_eq!(modified, newest_first);
}

#[tokio::test]
async fn upcoming_events_are_expanded_ordered_and_zoned() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &[CALENDAR_READ_SCOPE]);
    let events = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .upcoming_events(Timestamp::now(), 10)
        .await
        .expect("events.list succeeds");
    // Seeded times are relative to now, so the snapshot shows the shape, not the clock.
    let listing = events
        .items
        .iter()
        .map(|event| {
            let start = match &event.start {
                EventTime::DateTime { date_time } => format!(
                    "timed, zone {}",
                    date_time.time_zone().iana_name().unwrap_or("fixed offset")
                ),
                EventTime::Date(_) => "all day".to_owned(),
            };
            format!(
                "{} | {start}",
                event.summary.as_deref().unwrap_or("(no title)")
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    expect![[r#"
        calendar zone Some("Europe/London")
        Call with Charles Babbage | timed, zone Europe/London
        Weekly review | timed, zone Europe/London
        Team standup | timed, zone Europe/London
        Bank holiday | all day
        Weekly review | timed, zone Europe/London"#]]
    .assert_eq(&format!("calendar zone {:?}\n{listing}", events.time_zone));
    let starts: Vec<Timestamp> = events
        .items
        .iter()
        .filter_map(|event| match &event.start {
            EventTime::DateTime { date_time } => Some(date_time.timestamp()),
            EventTime::Date(_) => None,
        })
        .collect();
    assert!(
        starts.windows(2).all(|pair| pair[0] <= pair[1]),
        "timed events in start order: {starts:?}"
    );
}

#[tokio::test]
async fn upcoming_events_honors_the_limit() {
    let fixture = Fixture::start().await;
    let access_token = fixture.token(ADA, &[CALENDAR_READ_SCOPE]);
    let events = fixture
        .client
        .for_user(&access_token, generous_deadline())
        .upcoming_events(Timestamp::now(), 2)
        .await
        .expect("events.list succeeds");
    assert_eq!(events.items.len(), 2);
}
