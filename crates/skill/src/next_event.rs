//! "What's next on my calendar?": the next event of the primary calendar, spoken in the event's
//! own time zone, relative to today there.

use jiff::{Timestamp, ZonedDateTime, civil::Date, tz::TimeZone};
use linked_skill::google_api::{self, EventTime, scopes};
use linked_skill::{Answer, IntentHandler, IntentInput, Language};

#[derive(Debug)]
pub struct NextEvent;

impl IntentHandler for NextEvent {
    const NAME: &'static str = "NextEventIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[&scopes::CALENDAR_EVENTS_READONLY];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, google_api::Error> {
        let now = Timestamp::now();
        let events = input.google.upcoming_events(now, 1).await?;
        let Some(event) = events.items.first() else {
            return Ok(Answer::say(nothing_coming_up(input.language)));
        };
        let start = match &event.start {
            EventTime::DateTime { date_time } => EventStart::At {
                start: date_time,
                today: now.to_zoned_datetime(date_time.time_zone().clone()).date(),
            },
            EventTime::Date(date) => {
                // All-day events have no zone of their own: "today" is the calendar's.
                let calendar_zone = events
                    .time_zone
                    .as_deref()
                    .and_then(|name| TimeZone::get(name).ok())
                    .unwrap_or(TimeZone::UTC);
                EventStart::AllDay {
                    date: *date,
                    today: now.to_zoned_datetime(calendar_zone).date(),
                }
            }
        };
        Ok(Answer::say(next_event(
            input.language,
            event.summary.as_deref(),
            &start,
        )))
    }
}

/// When an event starts, as the speech needs it: relative to today in the event's own zone.
#[derive(Debug, Clone)]
enum EventStart<'a> {
    /// A timed event, in the time zone it was created in.
    At {
        start: &'a ZonedDateTime,
        today: Date,
    },
    /// An all-day event.
    AllDay { date: Date, today: Date },
}

fn nothing_coming_up(language: Language) -> &'static str {
    match language {
        Language::English => "Your calendar has nothing coming up.",
        Language::German => "In deinem Kalender steht nichts an.",
    }
}

fn next_event(language: Language, title: Option<&str>, start: &EventStart<'_>) -> String {
    match language {
        Language::English => {
            let title = title.unwrap_or("An event without a title");
            match start {
                EventStart::At { start, today } => format!(
                    "{title}, {} at {}.",
                    english_day(start.date(), *today),
                    english_time(start)
                ),
                EventStart::AllDay { date, today } => {
                    format!("{title}, all day {}.", english_day(*date, *today))
                }
            }
        }
        Language::German => {
            let title = title.unwrap_or("Ein Termin ohne Titel");
            match start {
                EventStart::At { start, today } => format!(
                    "{title}, {} um {} Uhr.",
                    german_day(start.date(), *today),
                    german_time(start)
                ),
                EventStart::AllDay { date, today } => {
                    format!("{title}, ganztägig {}.", german_day(*date, *today))
                }
            }
        }
    }
}

const ENGLISH_WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const GERMAN_WEEKDAYS: [&str; 7] = [
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
];
const GERMAN_MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

fn weekday_index(date: Date) -> usize {
    usize::from(date.weekday().to_monday_zero_offset().unsigned_abs())
}

fn month_index(date: Date) -> usize {
    usize::from(date.month().unsigned_abs()) - 1
}

fn english_day(date: Date, today: Date) -> String {
    if date == today {
        "today".to_owned()
    } else if Some(date) == today.tomorrow().ok() {
        "tomorrow".to_owned()
    } else {
        format!(
            "on {}, {} {}",
            ENGLISH_WEEKDAYS[weekday_index(date)],
            ENGLISH_MONTHS[month_index(date)],
            date.day()
        )
    }
}

fn german_day(date: Date, today: Date) -> String {
    if date == today {
        "heute".to_owned()
    } else if Some(date) == today.tomorrow().ok() {
        "morgen".to_owned()
    } else {
        format!(
            "am {}, {}. {}",
            GERMAN_WEEKDAYS[weekday_index(date)],
            date.day(),
            GERMAN_MONTHS[month_index(date)]
        )
    }
}

/// "3 PM", "3:30 PM", "noon" is left to Alexa's voice: "12 PM" is read naturally.
fn english_time(time: &ZonedDateTime) -> String {
    let hour = time.hour();
    let minute = time.minute();
    let (hour12, suffix) = match hour {
        0 => (12, "AM"),
        1..=11 => (hour, "AM"),
        12 => (12, "PM"),
        _ => (hour - 12, "PM"),
    };
    if minute == 0 {
        format!("{hour12} {suffix}")
    } else {
        format!("{hour12}:{minute:02} {suffix}")
    }
}

/// "15", "15:30" (followed by "Uhr").
fn german_time(time: &ZonedDateTime) -> String {
    let (hour, minute) = (time.hour(), time.minute());
    if minute == 0 {
        format!("{hour}")
    } else {
        format!("{hour}:{minute:02}")
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn event_times_are_spoken_in_the_events_zone_and_language() {
        let start = date(2026, 11, 26)
            .at(15, 30, 0, 0)
            .in_tz("Europe/Berlin")
            .unwrap();
        let today = date(2026, 11, 24);
        let at = EventStart::At {
            start: &start,
            today,
        };
        assert_eq!(
            next_event(Language::English, Some("Standup"), &at),
            "Standup, on Thursday, November 26 at 3:30 PM."
        );
        assert_eq!(
            next_event(Language::German, Some("Standup"), &at),
            "Standup, am Donnerstag, 26. November um 15:30 Uhr."
        );

        let tomorrow = EventStart::AllDay {
            date: date(2026, 11, 25),
            today,
        };
        assert_eq!(
            next_event(Language::English, None, &tomorrow),
            "An event without a title, all day tomorrow."
        );
        assert_eq!(
            next_event(Language::German, None, &tomorrow),
            "Ein Termin ohne Titel, ganztägig morgen."
        );
    }

    #[test]
    fn midnight_and_noon_use_twelve() {
        let midnight = date(2026, 1, 1).at(0, 5, 0, 0).in_tz("UTC").unwrap();
        let noon = date(2026, 1, 1).at(12, 0, 0, 0).in_tz("UTC").unwrap();
        assert_eq!(english_time(&midnight), "12:05 AM");
        assert_eq!(english_time(&noon), "12 PM");
        assert_eq!(german_time(&noon), "12");
    }
}
