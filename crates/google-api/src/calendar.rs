//! Calendar v3 on the primary calendar: `events.list` (what comes next), and `events.insert`
//! with a client-chosen event ID plus `events.get` (adding an event exactly once).

use jiff::fmt::temporal::Pieces;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime, civil};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::encoding::encode_path_segment;
use crate::endpoints::hosts;
use crate::{ApiRequest, Error, Idempotency, Method, UserClient};

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
    /// The event was deleted (`status: cancelled`). `events.get` returns deleted events;
    /// [`UserClient::upcoming_events`] leaves them out.
    pub cancelled: bool,
}

/// An event ID chosen by the client, as Calendar accepts it: 5 to 1024 characters of base32hex
/// (lowercase `a`–`v` and digits), unique per calendar
/// (https://developers.google.com/calendar/api/v3/reference/events#id). Inserting with the same
/// ID twice makes Google answer 409 instead of creating a second event, which is what makes
/// [`UserClient::insert_event`] safe to retry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EventId(String);

/// Calendar's length limits for a client-chosen event ID.
const EVENT_ID_LENGTH: std::ops::RangeInclusive<usize> = 5..=1024;

impl EventId {
    /// Checks `id` against Calendar's rules.
    pub fn new(id: impl Into<String>) -> Result<EventId, InvalidEventId> {
        let id = id.into();
        let length = id.chars().count();
        if !EVENT_ID_LENGTH.contains(&length) {
            return Err(InvalidEventId {
                detail: format!(
                    "it has {length} characters; Calendar needs {} to {}",
                    EVENT_ID_LENGTH.start(),
                    EVENT_ID_LENGTH.end()
                ),
            });
        }
        if let Some(bad) = id
            .chars()
            .find(|character| !matches!(character, 'a'..='v' | '0'..='9'))
        {
            return Err(InvalidEventId {
                detail: format!(
                    "it contains {bad:?}; Calendar allows only base32hex: lowercase a to v and digits"
                ),
            });
        }
        Ok(EventId(id))
    }

    /// An ID from bytes that identify an event (a digest of what makes it the same event),
    /// written as lowercase hexadecimal, whose digits are all base32hex digits.
    pub fn from_digest(digest: &[u8]) -> Result<EventId, InvalidEventId> {
        EventId::new(
            digest
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect::<String>(),
        )
    }

    /// The ID as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A string Calendar would refuse as an event ID (HTTP 400); the message says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a Calendar event ID: {detail}")]
pub struct InvalidEventId {
    detail: String,
}

/// A timed event to add to the primary calendar. `Debug` shows the ID only: the title is the
/// user's words.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct NewEvent {
    /// The client-chosen ID: the same event gets the same ID, so a repeated insert creates
    /// nothing.
    pub id: EventId,
    /// The title.
    pub summary: String,
    /// When it starts, in the zone the event belongs to (sent as the event's `timeZone`).
    pub start: ZonedDateTime,
    /// When it ends, in the same zone.
    pub end: ZonedDateTime,
}

impl NewEvent {
    /// A timed event from `start` to `end`.
    pub fn new(id: EventId, summary: String, start: ZonedDateTime, end: ZonedDateTime) -> NewEvent {
        NewEvent {
            id,
            summary,
            start,
            end,
        }
    }
}

impl std::fmt::Debug for NewEvent {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("NewEvent")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// What [`UserClient::insert_event`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Inserted {
    /// Google created the event and returned it.
    Created(Event),
    /// The calendar already has an event with this ID (HTTP 409): an earlier attempt or an
    /// earlier request created it, or the user deleted an event that had it (Calendar keeps
    /// deleted events' IDs). [`UserClient::get_event`] tells which.
    IdTaken,
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

impl UserClient<'_> {
    /// `events.insert` on the primary calendar with the event's own ID. Idempotent: a retry
    /// after Google may have created the event (a timeout, a 5xx) answers 409, which comes back
    /// as [`Inserted::IdTaken`], so it is retried like a read.
    pub async fn insert_event(&self, event: &NewEvent) -> Result<Inserted, Error> {
        let request = ApiRequest::new(
            Method::POST,
            hosts::GOOGLEAPIS,
            "calendar/v3/calendars/primary/events",
        )
        .json_body(new_event_body(event))
        .idempotency(Idempotency::Idempotent)
        .operation("calendar.events.insert");
        match self.send::<EventWire>(&request).await {
            Ok(wire) => event_from_wire(wire, None)
                .map(Inserted::Created)
                .map_err(|detail| Error::BadResponse {
                    status: 200,
                    detail,
                    body: String::new(),
                }),
            Err(Error::Api { status: 409, .. }) => Ok(Inserted::IdTaken),
            Err(error) => Err(error),
        }
    }

    /// `events.get` on the primary calendar: the event with `id`, deleted ones included
    /// ([`Event::cancelled`]); `None` when Google has none (404) or no longer has it (410).
    pub async fn get_event(&self, id: &EventId) -> Result<Option<Event>, Error> {
        let path = format!(
            "calendar/v3/calendars/primary/events/{}",
            encode_path_segment(id.as_str())
        );
        let request = ApiRequest::get(hosts::GOOGLEAPIS, &path).operation("calendar.events.get");
        match self.send::<EventWire>(&request).await {
            Ok(wire) => {
                event_from_wire(wire, None)
                    .map(Some)
                    .map_err(|detail| Error::BadResponse {
                        status: 200,
                        detail,
                        body: String::new(),
                    })
            }
            Err(Error::Api {
                status: 404 | 410, ..
            }) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

/// The `Event` resource `events.insert` gets: the times with their offset (which Calendar
/// requires unless `timeZone` is given) and the zone's IANA name, so the event keeps its zone
/// (daylight saving, how other calendars show it).
pub(crate) fn new_event_body(event: &NewEvent) -> Value {
    let time = |at: &ZonedDateTime| {
        let mut time = json!({
            "dateTime": at.timestamp().display_with_offset(at.offset()).to_string(),
        });
        if let Some(name) = at.time_zone().iana_name() {
            time["timeZone"] = json!(name);
        }
        time
    };
    json!({
        "id": event.id.as_str(),
        "summary": event.summary,
        "start": time(&event.start),
        "end": time(&event.end),
    })
}

pub(crate) fn event_from_wire(
    item: EventWire,
    calendar_time_zone: Option<&str>,
) -> Result<Event, String> {
    let start = item
        .start
        .ok_or_else(|| format!("event {} has no start", item.id))
        .and_then(|start| event_time(start, calendar_time_zone))?;
    let end = item
        .end
        .map(|end| event_time(end, calendar_time_zone))
        .transpose()?;
    Ok(Event {
        cancelled: item.status.as_deref() == Some("cancelled"),
        id: item.id,
        summary: item.summary,
        location: item.location,
        start,
        end,
    })
}

pub(crate) fn events_from_wire(wire: EventsWire) -> Result<Events, String> {
    let calendar_time_zone = wire.time_zone.as_deref();
    let items = wire
        .items
        .into_iter()
        // Only listed with showDeleted=true, but harmless to guard.
        .filter(|item| item.status.as_deref() != Some("cancelled"))
        .map(|item| event_from_wire(item, calendar_time_zone))
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
