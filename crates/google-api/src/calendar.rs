//! Calendar v3 `events.list` on the primary calendar: what comes next.

use jiff::fmt::temporal::Pieces;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime, civil};
use serde::Deserialize;

use crate::endpoints::hosts;
use crate::{ApiRequest, Error, UserClient};

/// Upcoming events of the primary calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Events {
    /// The calendar's IANA time zone (`Europe/Zurich`), the one to speak
    /// times in when an event has none of its own.
    pub time_zone: Option<String>,
    /// Events in start order; recurring events expanded into instances.
    pub items: Vec<Event>,
}

/// One event (or one instance of a recurring event).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Event id (instances carry the recurring id plus a suffix).
    pub id: String,
    /// Title; absent for events the user may only see as busy.
    pub summary: Option<String>,
    /// Free-text location.
    pub location: Option<String>,
    /// When it starts.
    pub start: EventTime,
    /// When it ends (exclusive for all-day events); absent only if Google
    /// omitted it.
    pub end: Option<EventTime>,
}

/// The start or end of an event.
#[derive(Debug, Clone, PartialEq)]
pub enum EventTime {
    /// A timed event, in the event's own time zone when it has one, else
    /// the calendar's, else the fixed offset Google wrote.
    DateTime {
        /// The instant with its time zone.
        date_time: ZonedDateTime,
    },
    /// An all-day event's date (no time, no zone).
    Date(civil::Date),
}

/// Calendar caps `maxResults` at 2500 and rejects 0.
const CALENDAR_MAX_RESULTS_RANGE: std::ops::RangeInclusive<u32> = 1..=2500;

impl UserClient<'_> {
    /// Events of the primary calendar that have not ended by `now`, ordered
    /// by start, at most `limit` (clamped to Calendar's 1–2500).
    pub async fn upcoming_events(&self, now: Timestamp, limit: u32) -> Result<Events, Error> {
        let max_results = limit.clamp(
            *CALENDAR_MAX_RESULTS_RANGE.start(),
            *CALENDAR_MAX_RESULTS_RANGE.end(),
        );
        let request = ApiRequest::get(hosts::GOOGLEAPIS, "calendar/v3/calendars/primary/events")
            .query(&[
                // `Timestamp`'s Display is RFC 3339 in UTC with `Z`, which Calendar
                // requires (an offset is mandatory in timeMin).
                ("timeMin", &now.to_string()),
                // orderBy=startTime is only allowed with singleEvents=true.
                ("singleEvents", "true"),
                ("orderBy", "startTime"),
                ("maxResults", &max_results.to_string()),
            ])
            .operation("calendar.events.list");
        let wire: EventsWire = self.send(&request).await?;
        events_from_wire(wire).map_err(|detail| Error::BadResponse {
            status: 200,
            detail,
            body: String::new(),
        })
    }
}

pub(crate) fn events_from_wire(wire: EventsWire) -> Result<Events, String> {
    let calendar_time_zone = wire.time_zone.as_deref();
    let items = wire
        .items
        .into_iter()
        // Only listed with showDeleted=true, but harmless to guard.
        .filter(|item| item.status.as_deref() != Some("cancelled"))
        .map(|item| {
            let start = item
                .start
                .ok_or_else(|| format!("event {} has no start", item.id))
                .and_then(|start| event_time(start, calendar_time_zone))?;
            let end = item
                .end
                .map(|end| event_time(end, calendar_time_zone))
                .transpose()?;
            Ok(Event {
                id: item.id,
                summary: item.summary,
                location: item.location,
                start,
                end,
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(Events {
        time_zone: wire.time_zone,
        items,
    })
}

/// Reads `{"dateTime": "…+01:00", "timeZone"?: "…"}` or `{"date": "…"}`.
pub(crate) fn event_time(
    wire: EventDateTimeWire,
    calendar_time_zone: Option<&str>,
) -> Result<EventTime, String> {
    if let Some(date_time) = wire.date_time {
        let timestamp: Timestamp = date_time
            .parse()
            .map_err(|error| format!("dateTime {date_time:?} is not RFC 3339: {error}"))?;
        // Speak the time where the event happens. An unknown zone name (a
        // tz database older than Google's) falls back to the offset Google
        // wrote, which is right for this instant even if not for others.
        let time_zone = wire
            .time_zone
            .as_deref()
            .or(calendar_time_zone)
            .and_then(|name| TimeZone::get(name).ok())
            .or_else(|| {
                Pieces::parse(&date_time)
                    .ok()?
                    .to_numeric_offset()
                    .map(TimeZone::fixed)
            })
            .unwrap_or(TimeZone::UTC);
        return Ok(EventTime::DateTime {
            date_time: timestamp.to_zoned_datetime(time_zone),
        });
    }
    if let Some(date) = wire.date {
        let date: civil::Date = date
            .parse()
            .map_err(|error| format!("date {date:?} is not yyyy-mm-dd: {error}"))?;
        return Ok(EventTime::Date(date));
    }
    Err("event time has neither dateTime nor date".to_owned())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EventsWire {
    #[serde(default)]
    pub(crate) time_zone: Option<String>,
    #[serde(default)]
    pub(crate) items: Vec<EventWire>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EventWire {
    #[serde(default)]
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) status: Option<String>,
    #[serde(default)]
    pub(crate) summary: Option<String>,
    #[serde(default)]
    pub(crate) location: Option<String>,
    #[serde(default)]
    pub(crate) start: Option<EventDateTimeWire>,
    #[serde(default)]
    pub(crate) end: Option<EventDateTimeWire>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EventDateTimeWire {
    #[serde(default)]
    pub(crate) date: Option<String>,
    #[serde(default)]
    pub(crate) date_time: Option<String>,
    #[serde(default)]
    pub(crate) time_zone: Option<String>,
}
