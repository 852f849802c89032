//! A primary calendar's events: each event's occurrences (weekly recurrences expanded), the
//! `EventDateTime` JSON Google renders them as, and the seeded events placed relative to "now".

use jiff::{Span, Timestamp, civil::Date, tz::TimeZone};
use serde_json::{Map, Value};

use crate::google::{
    clock::ClockArithmetic,
    seed::{SeedEvent, SeedEventTime},
};

/// An event of a test user's primary calendar, seeded or inserted.
pub(crate) struct CalendarEvent {
    pub(crate) id: String,
    /// Optional at Google: an event without one has no `summary` member.
    pub(crate) summary: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) location: Option<String>,
    /// Start and end of every occurrence; more than one for a weekly recurring event.
    pub(crate) occurrences: Vec<(EventTime, EventTime)>,
    /// The `timeZone` of `start` and of `end`, as given (seeded timed events: the calendar's).
    pub(crate) start_time_zone: Option<String>,
    pub(crate) end_time_zone: Option<String>,
    pub(crate) created: Timestamp,
    pub(crate) updated: Timestamp,
}

/// When an occurrence starts or ends.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventTime {
    Timed(Timestamp),
    /// All-day events have dates; the end date is exclusive.
    AllDay(Date),
}

impl EventTime {
    /// The instant this time begins in the calendar's time zone.
    pub(crate) fn instant(self, time_zone: &TimeZone) -> Timestamp {
        match self {
            EventTime::Timed(timestamp) => timestamp,
            EventTime::AllDay(date) => date
                .to_zoned_datetime(time_zone.clone())
                .map(|zoned| zoned.timestamp())
                .unwrap_or(Timestamp::UNIX_EPOCH),
        }
    }

    /// An `EventDateTime`: a timed event's instant in the response's time zone, with the
    /// event's own `timeZone` when it has one.
    pub(crate) fn json(
        self,
        event_time_zone: Option<&str>,
        response_time_zone: &TimeZone,
    ) -> Value {
        let mut object = Map::new();
        match self {
            EventTime::Timed(timestamp) => {
                object.insert(
                    "dateTime".to_string(),
                    timestamp
                        .to_zoned_datetime(response_time_zone.clone())
                        .strftime("%Y-%m-%dT%H:%M:%S%:z")
                        .to_string()
                        .into(),
                );
            }
            EventTime::AllDay(date) => {
                object.insert("date".to_string(), date.to_string().into());
            }
        }
        if let Some(time_zone) = event_time_zone {
            object.insert("timeZone".to_string(), time_zone.into());
        }
        Value::Object(object)
    }

    /// The suffix Google gives instance IDs: `20261125T150000Z` or `20261125`.
    pub(crate) fn instance_suffix(self) -> String {
        match self {
            EventTime::Timed(timestamp) => timestamp.strftime("%Y%m%dT%H%M%SZ").to_string(),
            EventTime::AllDay(date) => date.strftime("%Y%m%d").to_string(),
        }
    }
}

pub(crate) fn seed_events(
    seeds: &[SeedEvent],
    now: Timestamp,
    time_zone: &TimeZone,
) -> Vec<CalendarEvent> {
    // Timed events start relative to the current whole hour so they land on tidy times.
    let this_hour =
        Timestamp::from_second(now.as_second() - now.as_second().rem_euclid(3600)).unwrap_or(now);
    let today = now.to_zoned_datetime(time_zone.clone()).date();
    let created = now.minus(jiff::SignedDuration::from_hours(24 * 7));
    let calendar_zone_name = time_zone.iana_name().unwrap_or("UTC").to_string();
    seeds
        .iter()
        .map(|seed| {
            let occurrences = (0..seed.weekly_occurrences.max(1))
                .filter_map(|week| {
                    let weeks = Span::new().weeks(i64::from(week));
                    match seed.time {
                        SeedEventTime::Timed {
                            starts_in,
                            duration,
                        } => {
                            let first_start = this_hour.plus(starts_in);
                            // Weekly means the same local time, across daylight-saving changes.
                            let start = first_start
                                .to_zoned_datetime(time_zone.clone())
                                .checked_add(weeks)
                                .ok()?
                                .timestamp();
                            let end = start.plus(duration);
                            Some((EventTime::Timed(start), EventTime::Timed(end)))
                        }
                        SeedEventTime::AllDay { days_from_today } => {
                            let start = today
                                .checked_add(Span::new().days(i64::from(days_from_today)))
                                .ok()?
                                .checked_add(weeks)
                                .ok()?;
                            let end = start.checked_add(Span::new().days(1)).ok()?;
                            Some((EventTime::AllDay(start), EventTime::AllDay(end)))
                        }
                    }
                })
                .collect();
            let event_time_zone = match seed.time {
                SeedEventTime::Timed { .. } => Some(calendar_zone_name.clone()),
                SeedEventTime::AllDay { .. } => None,
            };
            CalendarEvent {
                id: seed.id.clone(),
                summary: Some(seed.summary.clone()),
                description: None,
                location: None,
                occurrences,
                start_time_zone: event_time_zone.clone(),
                end_time_zone: event_time_zone,
                created,
                updated: created,
            }
        })
        .collect()
}
