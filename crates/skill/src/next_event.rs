//! "What's next on my calendar?": the next event of the primary calendar, spoken in the device's
//! time zone (Alexa's settings API), relative to today there, as people say dates and times in
//! the user's language (the toolkit's speech helpers). Without the device's zone, the event's
//! own zone (a timed event) or the calendar's (an all-day event) is used.

use jiff::{Timestamp, ZonedDateTime, civil::Date, tz::TimeZone};
use linked_skill::google_api::{EventTime, scopes};
use linked_skill::{Answer, HandlerError, IntentHandler, IntentInput, LocalTexts};

#[derive(Debug)]
pub struct NextEvent;

impl IntentHandler for NextEvent {
    const NAME: &'static str = "NextEventIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[&scopes::CALENDAR_EVENTS_READONLY];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, HandlerError> {
        let now = Timestamp::now();
        let events = input.google.upcoming_events(now, 1).await?;
        let Some(event) = events.items.first() else {
            return Ok(Answer::say(input.texts.get("next_event.nothing")));
        };
        // Cached per device after the first request of a warm process.
        let device_zone = input.time_zone().await;
        let in_device_zone;
        let start = match &event.start {
            EventTime::DateTime { date_time } => {
                let start = match device_zone {
                    Some(zone) => {
                        in_device_zone = date_time.with_time_zone(zone);
                        &in_device_zone
                    }
                    None => date_time,
                };
                EventStart::At {
                    start,
                    today: now.to_zoned_datetime(start.time_zone().clone()).date(),
                }
            }
            EventTime::Date(date) => {
                // All-day events have no zone of their own: "today" is the device's, else the
                // calendar's.
                let calendar_zone = device_zone
                    .or_else(|| {
                        events
                            .time_zone
                            .as_deref()
                            .and_then(|name| TimeZone::get(name).ok())
                    })
                    .unwrap_or(TimeZone::UTC);
                EventStart::AllDay {
                    date: *date,
                    today: now.to_zoned_datetime(calendar_zone).date(),
                }
            }
        };
        Ok(Answer::say(next_event(
            input.texts,
            event.summary.as_deref(),
            &start,
        )))
    }
}

/// When an event starts, as the speech needs it: relative to today in the event's own zone.
#[derive(Debug, Clone)]
enum EventStart<'a> {
    /// A timed event, in the device's time zone (else the one it was created in).
    At {
        start: &'a ZonedDateTime,
        today: Date,
    },
    /// An all-day event.
    AllDay { date: Date, today: Date },
}

fn next_event(texts: LocalTexts<'_>, title: Option<&str>, start: &EventStart<'_>) -> String {
    let title = title.unwrap_or_else(|| texts.get("next_event.untitled"));
    match start {
        EventStart::At { start, today } => {
            let when = texts.date_at_time(start.datetime(), *today);
            texts.format("next_event.at", &[("title", title), ("when", &when)])
        }
        EventStart::AllDay { date, today } => {
            let day = texts.date(*date, *today);
            texts.format("next_event.all_day", &[("title", title), ("day", &day)])
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use linked_skill::Skill;

    use super::*;

    fn spoken(locale: &str, title: Option<&str>, start: &EventStart<'_>) -> String {
        let skill: Skill = crate::skill().build();
        next_event(
            skill.texts().for_locale(locale.parse().unwrap()),
            title,
            start,
        )
    }

    #[test]
    fn event_times_are_spoken_in_the_events_zone_and_the_users_language() {
        let start = date(2026, 11, 26)
            .at(15, 30, 0, 0)
            .in_tz("Europe/Berlin")
            .unwrap();
        let today = date(2026, 11, 24);
        let at = EventStart::At {
            start: &start,
            today,
        };
        let tomorrow = EventStart::AllDay {
            date: date(2026, 11, 25),
            today,
        };
        let cases = [
            (
                "en-US",
                "Standup, on Thursday, November 26 at 3:30 PM.",
                "An event without a title, all day tomorrow.",
            ),
            (
                "de-DE",
                "Standup, am Donnerstag, 26. November um 15:30 Uhr.",
                "Ein Termin ohne Titel, ganztägig morgen.",
            ),
            (
                "fr-FR",
                "Standup, le jeudi 26 novembre à 15 h 30.",
                "Un événement sans titre, demain, toute la journée.",
            ),
            (
                "es-ES",
                "Standup, el jueves 26 de noviembre a las 3:30 de la tarde.",
                "Un evento sin título, mañana, todo el día.",
            ),
            (
                "es-MX",
                "Standup, el jueves 26 de noviembre a las 3:30 de la tarde.",
                "Un evento sin título, mañana, todo el día.",
            ),
            (
                "it-IT",
                "Standup, giovedì 26 novembre alle 15:30.",
                "Un impegno senza titolo, domani, tutto il giorno.",
            ),
            (
                "ja-JP",
                "11月26日木曜日の午後3時30分から、Standupがあります。",
                "明日は終日、タイトルのない予定があります。",
            ),
        ];
        for (locale, timed, all_day) in cases {
            assert_eq!(spoken(locale, Some("Standup"), &at), timed, "{locale}");
            assert_eq!(spoken(locale, None, &tomorrow), all_day, "{locale}");
        }
    }

    #[test]
    fn tomorrow_at_three_is_said_the_short_way() {
        let start = date(2026, 11, 25).at(15, 0, 0, 0).in_tz("UTC").unwrap();
        let at = EventStart::At {
            start: &start,
            today: date(2026, 11, 24),
        };
        assert_eq!(
            spoken("en-GB", Some("Dentist"), &at),
            "Dentist, tomorrow at 3 PM."
        );
        assert_eq!(
            spoken("fr-CA", Some("Dentiste"), &at),
            "Dentiste, demain à 15 h."
        );
        assert_eq!(
            spoken("de-DE", Some("Zahnarzt"), &at),
            "Zahnarzt, morgen um 15 Uhr."
        );
        assert_eq!(
            spoken("ja-JP", Some("歯医者"), &at),
            "明日の午後3時から、歯医者があります。"
        );
    }
}
