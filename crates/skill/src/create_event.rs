//! "Add dentist tomorrow at three pm to my calendar": a one-hour event on the primary calendar,
//! written only after the user says yes to a confirmation the skill words itself ("Shall I add
//! Dentist, tomorrow, Wednesday December 9, at 3 PM?"), in the device's time zone.
//!
//! The turns (docs/create-event.md):
//! - a slot missing: `Dialog.Delegate`, so Alexa asks with the model's prompts;
//! - a day or time the skill cannot use (a week, "this morning"), or one already past: the slot
//!   is asked again with the skill's own question;
//! - all there, not yet confirmed: `Dialog.ConfirmIntent`; asked again, prefixed with "please
//!   say yes or no", when the same event comes back unconfirmed;
//! - confirmed: `events.insert` with an event ID derived from the title and the start, so a
//!   retry or the same request said twice finds the event there (409) instead of adding it again;
//! - denied: nothing is written.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ZonedDateTime};
use linked_skill::alexa_model::ConfirmationStatus;
use linked_skill::google_api::{EventId, Inserted, NewEvent, UserClient, scopes};
use linked_skill::{Answer, HandlerError, IntentHandler, IntentInput, LocalTexts};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The event's title (custom slot type `EventSummary`: sample values, any words accepted).
pub const SUMMARY_SLOT: &str = "summary";
/// The day (AMAZON.DATE).
pub const DATE_SLOT: &str = "date";
/// The start time (AMAZON.TIME).
pub const TIME_SLOT: &str = "time";

/// How long an added event lasts: the user says only when it starts, and an hour is Google
/// Calendar's own default length for a new event.
pub const EVENT_LENGTH: SignedDuration = SignedDuration::from_hours(1);

/// The session attribute that holds the ID of the event the skill asked the user to confirm, so
/// an answer that was neither yes nor no is met with "please say yes or no".
pub const ASKED_ATTRIBUTE: &str = "createEventAsked";

/// How many IDs are tried when the calendar holds a deleted event with the derived ID (the
/// user added the same event before and deleted it): the derived ID, then the same with a
/// counter, all deterministic so retries still meet their own event.
const ID_VARIANTS: u32 = 3;

#[derive(Debug)]
pub struct CreateEvent;

impl IntentHandler for CreateEvent {
    const NAME: &'static str = "CreateEventIntent";
    /// `calendar.events` covers `events.insert`, `events.get`, and the `events.list` that reads
    /// the calendar's time zone when the device has none.
    const SCOPES: &'static [&'static scopes::Scope] = &[&scopes::CALENDAR_EVENTS];
    const SLOTS: &'static [&'static str] = &[SUMMARY_SLOT, DATE_SLOT, TIME_SLOT];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, HandlerError> {
        let texts = input.texts;
        let mut attributes = input.session_attributes.clone();
        let asked = attributes.remove(ASKED_ATTRIBUTE);
        // A "no" ends the dialog whatever the slots hold: nothing is checked, asked or written.
        if input.confirmation_status() == ConfirmationStatus::Denied {
            return Ok(Answer::say(texts.get("create_event.not_added"))
                .with_session_attributes(attributes));
        }
        let (Some(summary), Some(date), Some(time)) = (
            input.slot(SUMMARY_SLOT),
            input.slot(DATE_SLOT),
            input.slot(TIME_SLOT),
        ) else {
            // The dialog model's prompts ask for what is missing.
            return Ok(Answer::delegate());
        };
        let now = Timestamp::now();
        let zone = event_zone(&input, now).await?;
        let today = now.to_zoned_datetime(zone.clone()).date();
        let start = match event_start(date, time, today, &zone, now) {
            Ok(start) => start,
            Err(problem) => return Ok(problem.ask_again(texts)),
        };
        let title = title(summary);
        let id = event_id(&title, &start)?;
        if input.confirmation_status() == ConfirmationStatus::Confirmed {
            let end = start.checked_add(EVENT_LENGTH)?;
            let event = NewEvent::new(id, title.clone(), start, end);
            let key = match add_once(&input.google, event).await? {
                Added::Now => "create_event.added",
                Added::Before => "create_event.already_added",
            };
            return Ok(Answer::say(texts.format(key, &[("title", &title)]))
                .with_session_attributes(attributes));
        }
        let question = confirmation(texts, &title, start.datetime(), today);
        // The same event back unconfirmed: Alexa heard neither yes nor no.
        let question = if asked.as_ref().and_then(Value::as_str) == Some(id.as_str()) {
            texts.format("create_event.confirm_again", &[("question", &question)])
        } else {
            question
        };
        attributes.insert(ASKED_ATTRIBUTE.to_owned(), Value::from(id.as_str()));
        Ok(Answer::confirm_intent(question).with_session_attributes(attributes))
    }
}

/// The zone the user means by "tomorrow at three": the device's, else the calendar's, else UTC.
async fn event_zone(input: &IntentInput<'_>, now: Timestamp) -> Result<TimeZone, HandlerError> {
    if let Some(zone) = input.time_zone().await {
        return Ok(zone);
    }
    let events = input.google.upcoming_events(now, 1).await?;
    Ok(events
        .time_zone
        .as_deref()
        .and_then(|name| TimeZone::get(name).ok())
        .unwrap_or(TimeZone::UTC))
}

/// Why the slots do not make a start the skill can add; each asks for one slot again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SlotProblem {
    /// Not one day: a week, a month, a season (AMAZON.DATE's other formats).
    UnclearDay,
    /// Not a time of day: "this morning" (`MO`), "now" (`PRESENT_REF`), anything not `hh:mm`.
    UnclearTime,
    /// A day before today.
    PastDay,
    /// Today, at a time already past.
    PastTime,
}

impl SlotProblem {
    fn ask_again(self, texts: LocalTexts<'_>) -> Answer {
        let (slot, key) = match self {
            SlotProblem::UnclearDay => (DATE_SLOT, "create_event.which_day"),
            SlotProblem::UnclearTime => (TIME_SLOT, "create_event.which_time"),
            SlotProblem::PastDay => (DATE_SLOT, "create_event.past_day"),
            SlotProblem::PastTime => (TIME_SLOT, "create_event.past_time"),
        };
        Answer::elicit_slot(slot, texts.get(key))
    }
}

/// The start from AMAZON.DATE (`2026-12-09`, or `PRESENT_REF` for "today") and AMAZON.TIME
/// (`15:00`) values, in `zone`; it must not be before `now`.
fn event_start(
    date: &str,
    time: &str,
    today: Date,
    zone: &TimeZone,
    now: Timestamp,
) -> Result<ZonedDateTime, SlotProblem> {
    let day = match date {
        "PRESENT_REF" => today,
        _ => date.parse::<Date>().map_err(|_| SlotProblem::UnclearDay)?,
    };
    // Only `hh:mm` is a time of day; jiff would also take seconds, which Alexa never sends.
    if time.len() != 5 {
        return Err(SlotProblem::UnclearTime);
    }
    let at: Time = time.parse().map_err(|_| SlotProblem::UnclearTime)?;
    if day < today {
        return Err(SlotProblem::PastDay);
    }
    let start = day
        .to_datetime(at)
        .to_zoned_datetime(zone.clone())
        .map_err(|_| SlotProblem::UnclearTime)?;
    if start.timestamp() < now {
        return Err(SlotProblem::PastTime);
    }
    Ok(start)
}

/// The title as the calendar shows it: the words as said, the first letter capitalized
/// ("dentist" → "Dentist"); scripts without case are unchanged.
fn title(summary: &str) -> String {
    let summary = summary.trim();
    let mut characters = summary.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// The same title (whatever its case and spacing) at the same instant gets the same ID.
fn event_id(title: &str, start: &ZonedDateTime) -> Result<EventId, HandlerError> {
    let normalized = title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let digest = Sha256::new()
        .chain_update(b"cloud-companion create-event v1\n")
        .chain_update(normalized.as_bytes())
        .chain_update(b"\n")
        .chain_update(start.timestamp().to_string().as_bytes())
        .finalize();
    Ok(EventId::from_digest(&digest)?)
}

/// Whether this request added the event or found it added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Added {
    Now,
    Before,
}

/// Inserts `event` unless the calendar already has it. A 409 means the ID is taken: by the
/// event itself (an earlier attempt or request) → added before; by a deleted event the user
/// added and removed earlier (Calendar keeps deleted events' IDs) → the next ID variant.
async fn add_once(google: &UserClient<'_>, event: NewEvent) -> Result<Added, HandlerError> {
    let base = event.id.as_str().to_owned();
    let mut event = event;
    for variant in 0..ID_VARIANTS {
        if variant > 0 {
            event.id = EventId::new(format!("{base}{variant}"))?;
        }
        match google.insert_event(&event).await? {
            Inserted::Created(_) => return Ok(Added::Now),
            Inserted::IdTaken => match google.get_event(&event.id).await? {
                Some(existing) if !existing.cancelled => return Ok(Added::Before),
                _ => {}
            },
        }
    }
    Err(HandlerError::from(IdsTaken))
}

/// Every ID variant belongs to a deleted event: the user added and deleted this same event more
/// often than [`ID_VARIANTS`]; the skill's error answer is spoken.
#[derive(Debug, thiserror::Error)]
#[error("every event ID variant is taken by a deleted event")]
struct IdsTaken;

/// "Shall I add Dentist, tomorrow, Wednesday December 9, at 3 PM?": the day said relative to
/// today when it is today or tomorrow, always with its weekday and date, and the time.
fn confirmation(texts: LocalTexts<'_>, title: &str, start: DateTime, today: Date) -> String {
    let speech = texts.speech();
    let date = start.date();
    let weekday = usize::from(date.weekday().to_monday_zero_offset().unsigned_abs());
    let month = usize::from(date.month().unsigned_abs()).saturating_sub(1);
    let day_number = if date.day() == 1 {
        speech.first_day.to_owned()
    } else {
        date.day().to_string()
    };
    let full_date = texts.format(
        "create_event.day",
        &[
            ("weekday", speech.weekdays[weekday % 7]),
            ("day", &day_number),
            ("month", speech.months[month % 12]),
        ],
    );
    let relative = if date == today {
        Some(speech.today)
    } else if today.tomorrow().ok() == Some(date) {
        Some(speech.tomorrow)
    } else {
        None
    };
    let day = match relative {
        Some(relative) => texts.format(
            "create_event.relative_day",
            &[("relative", relative), ("date", &full_date)],
        ),
        None => full_date,
    };
    let hour = start.hour().unsigned_abs();
    let said_hour = if speech.clock.twelve_hour {
        (hour + 11) % 12 + 1
    } else {
        hour
    };
    let at_key = if said_hour == 1 {
        "create_event.at_one"
    } else {
        "create_event.at"
    };
    let at = texts.format(at_key, &[("time", &texts.time(start.time()))]);
    texts.format(
        "create_event.confirm",
        &[("title", title), ("day", &day), ("at", &at)],
    )
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use linked_skill::Skill;

    use super::*;

    fn confirm(locale: &str, title: &str, start: DateTime, today: Date) -> String {
        let skill: Skill = crate::skill().build();
        confirmation(
            skill.texts().for_locale(locale.parse().unwrap()),
            title,
            start,
            today,
        )
    }

    #[test]
    fn the_confirmation_says_the_relative_day_weekday_date_and_time_in_each_language() {
        let today = date(2026, 12, 8);
        let tomorrow_at_three = date(2026, 12, 9).at(15, 0, 0, 0);
        let friday_at_one = date(2026, 12, 11).at(13, 0, 0, 0);
        let first_at_nine_thirty = date(2027, 1, 1).at(9, 30, 0, 0);
        let cases = [
            (
                "en-US",
                "Dentist",
                [
                    "Shall I add Dentist, tomorrow, Wednesday December 9, at 3 PM?",
                    "Shall I add Dentist, Friday December 11, at 1 PM?",
                    "Shall I add Dentist, Friday January 1, at 9:30 AM?",
                ],
            ),
            (
                "de-DE",
                "Zahnarzt",
                [
                    "Soll ich Zahnarzt für morgen, Mittwoch, den 9. Dezember, um 15 Uhr in deinen Kalender eintragen?",
                    "Soll ich Zahnarzt für Freitag, den 11. Dezember, um 13 Uhr in deinen Kalender eintragen?",
                    "Soll ich Zahnarzt für Freitag, den 1. Januar, um 9:30 Uhr in deinen Kalender eintragen?",
                ],
            ),
            (
                "fr-FR",
                "Dentiste",
                [
                    "Voulez-vous que j'ajoute Dentiste, demain, mercredi 9 décembre, à 15 h ?",
                    "Voulez-vous que j'ajoute Dentiste, vendredi 11 décembre, à 13 h ?",
                    "Voulez-vous que j'ajoute Dentiste, vendredi 1er janvier, à 9 h 30 ?",
                ],
            ),
            (
                "es-ES",
                "Dentista",
                [
                    "¿Quieres que añada Dentista, mañana, miércoles 9 de diciembre, a las 3 de la tarde?",
                    "¿Quieres que añada Dentista, viernes 11 de diciembre, a la 1 de la tarde?",
                    "¿Quieres que añada Dentista, viernes 1 de enero, a las 9:30 de la mañana?",
                ],
            ),
            (
                "it-IT",
                "Dentista",
                [
                    "Vuoi che aggiunga Dentista, domani, mercoledì 9 dicembre, alle 15?",
                    "Vuoi che aggiunga Dentista, venerdì 11 dicembre, alle 13?",
                    "Vuoi che aggiunga Dentista, venerdì 1º gennaio, alle 9:30?",
                ],
            ),
            (
                "ja-JP",
                "歯医者",
                [
                    "明日、12月9日水曜日の午後3時に、歯医者の予定を追加しますか？",
                    "12月11日金曜日の午後1時に、歯医者の予定を追加しますか？",
                    "1月1日金曜日の午前9時30分に、歯医者の予定を追加しますか？",
                ],
            ),
        ];
        for (locale, title, [tomorrow, friday, first]) in cases {
            assert_eq!(
                confirm(locale, title, tomorrow_at_three, today),
                tomorrow,
                "{locale}"
            );
            assert_eq!(
                confirm(locale, title, friday_at_one, today),
                friday,
                "{locale}"
            );
            assert_eq!(
                confirm(locale, title, first_at_nine_thirty, today),
                first,
                "{locale}"
            );
        }
        assert_eq!(
            confirm("en-GB", "Dentist", date(2026, 12, 8).at(18, 0, 0, 0), today),
            "Shall I add Dentist, today, Tuesday December 8, at 6 PM?"
        );
        assert_eq!(
            confirm(
                "it-IT",
                "Dentista",
                date(2026, 12, 11).at(1, 0, 0, 0),
                today
            ),
            "Vuoi che aggiunga Dentista, venerdì 11 dicembre, all'1?"
        );
    }

    #[test]
    fn only_a_whole_day_and_an_hh_mm_time_not_yet_past_make_a_start() {
        let zone = TimeZone::get("Asia/Tokyo").unwrap();
        let now = date(2026, 12, 8)
            .at(12, 0, 0, 0)
            .to_zoned_datetime(zone.clone())
            .unwrap()
            .timestamp();
        let today = date(2026, 12, 8);
        let start = |day: &str, time: &str| event_start(day, time, today, &zone, now);
        let tomorrow_at_three = start("2026-12-09", "15:00").unwrap();
        assert_eq!(
            tomorrow_at_three.timestamp().to_string(),
            "2026-12-09T06:00:00Z"
        );
        assert!(start("PRESENT_REF", "18:00").is_ok(), "\"today\"");
        for (day, time, problem) in [
            ("2026-12-07", "15:00", SlotProblem::PastDay),
            ("2026-12-08", "11:59", SlotProblem::PastTime),
            ("2026-W50", "15:00", SlotProblem::UnclearDay),
            ("2026-12", "15:00", SlotProblem::UnclearDay),
            ("2027-WI", "15:00", SlotProblem::UnclearDay),
            ("2026-12-09", "MO", SlotProblem::UnclearTime),
            ("2026-12-09", "PRESENT_REF", SlotProblem::UnclearTime),
            ("2026-12-09", "15:00:30", SlotProblem::UnclearTime),
            ("2026-12-09", "25:00", SlotProblem::UnclearTime),
        ] {
            assert_eq!(start(day, time).unwrap_err(), problem, "{day} {time}");
        }
    }

    #[test]
    fn the_event_id_is_the_same_for_the_same_title_and_start_only() {
        let start = date(2026, 12, 9)
            .at(15, 0, 0, 0)
            .in_tz("Asia/Tokyo")
            .unwrap();
        let id = event_id("Dentist", &start).unwrap();
        assert_eq!(id, event_id(" dentist  ", &start).unwrap());
        // The same instant written in another zone is the same event.
        assert_eq!(
            id,
            event_id("Dentist", &start.with_time_zone(TimeZone::UTC)).unwrap()
        );
        assert_ne!(id, event_id("Doctor", &start).unwrap());
        let later = start.checked_add(SignedDuration::from_mins(30)).unwrap();
        assert_ne!(id, event_id("Dentist", &later).unwrap());
        assert_eq!(id.as_str().len(), 64);
    }

    #[test]
    fn titles_start_with_a_capital_where_the_script_has_one() {
        assert_eq!(title("dentist"), "Dentist");
        assert_eq!(title(" élodie's birthday "), "Élodie's birthday");
        assert_eq!(title("歯医者"), "歯医者");
        assert_eq!(title(""), "");
    }
}
