//! Calendar v3 `events.list`, `events.get` and `events.insert` on each user's primary calendar.
//!
//! Window rules follow docs/google-apis.md, Calendar: `timeMin` is an exclusive bound on an event's end and
//! `timeMax` on its start, both RFC 3339 with an offset; `orderBy=startTime` needs
//! `singleEvents=true`, which also expands weekly recurrences into instances. Inserting follows
//! docs/google-apis.md, "Calendar: `events.insert` and `events.get`": `start` and `end` required,
//! either both `date` or both `dateTime`, a `dateTime` without an offset needs a `timeZone`, and a
//! client-chosen `id` is lowercase base32hex, 5 to 1024 characters, unique in the calendar.

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::StatusCode,
    response::Response,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jiff::{Timestamp, civil, civil::Date, tz::TimeZone};
use rand::Rng;
use serde_json::{Map, Value, json};

use super::{
    api_errors,
    auth::Authorized,
    clock::rfc3339_millis,
    fields::{self, selected_json_response},
    methods::{CalendarEventsGet, CalendarEventsInsert, CalendarEventsList},
    params::Params,
    state::{Shared, UserData},
    world::calendar::{CalendarEvent, EventTime},
};

/// The characters of a Calendar event ID: base32hex, lowercase (RFC 2938, section 3.1.2).
const EVENT_ID_ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuv";
/// How long a client-chosen event ID may be, in characters.
const EVENT_ID_LENGTHS: std::ops::RangeInclusive<usize> = 5..=1024;
/// How long the IDs the twin chooses are: 26 characters, like Google's.
const GENERATED_EVENT_ID_LENGTH: usize = 26;

/// `GET /calendar/v3/calendars/{calendarId}/events`.
pub(crate) async fn list_events(
    State(shared): State<Arc<Shared>>,
    Path(calendar_id): Path<String>,
    RawQuery(query): RawQuery,
    Authorized { caller, .. }: Authorized<CalendarEventsList>,
) -> Response {
    let params = Params::from_query(query.as_deref());
    if !is_own_calendar(&calendar_id, &caller.email) {
        return api_errors::not_found("Not Found");
    }
    let time_min = match params.get("timeMin").map(parse_rfc3339) {
        None => None,
        Some(Some(time)) => Some(time),
        Some(None) => return api_errors::bad_request("Bad Request"),
    };
    let time_max = match params.get("timeMax").map(parse_rfc3339) {
        None => None,
        Some(Some(time)) => Some(time),
        Some(None) => return api_errors::bad_request("Bad Request"),
    };
    if let (Some(minimum), Some(maximum)) = (time_min, time_max)
        && minimum >= maximum
    {
        return api_errors::invalid_parameter_in(
            "calendar",
            "timeRangeEmpty",
            "The specified time range is empty.",
            "timeMax",
        );
    }
    let single_events = match params.get("singleEvents") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return api_errors::invalid_parameter(
                "invalidParameter",
                "Invalid boolean value",
                "singleEvents",
            );
        }
    };
    let order_by_start = match params.get("orderBy") {
        None | Some("updated") => false,
        Some("startTime") if single_events => true,
        // Message [unverified]; the 400 itself is documented.
        Some("startTime") => {
            return api_errors::bad_request(
                "The requested ordering is not available for the particular query.",
            );
        }
        Some(other) => {
            return api_errors::invalid_parameter(
                "invalidParameter",
                &format!("Invalid value for orderBy: {other}"),
                "orderBy",
            );
        }
    };
    let order_by_updated = params.get("orderBy") == Some("updated");
    let max_results = match params.get("maxResults").map(str::parse::<i64>) {
        None => 250,
        Some(Ok(count)) if count >= 1 => usize::try_from(count.min(2500)).unwrap_or(2500),
        Some(_) => {
            return api_errors::invalid_parameter(
                "invalid",
                "Invalid value for: maxResults",
                "maxResults",
            );
        }
    };
    let offset = match params
        .get("pageToken")
        .map(|token| super::params::decode_page_token("calendar", token))
    {
        None => 0,
        Some(Some(offset)) => offset,
        Some(None) => {
            return api_errors::invalid_parameter(
                "invalid",
                "Invalid page token value.",
                "pageToken",
            );
        }
    };
    let selection = match fields::from_params(&params) {
        Ok(selection) => selection,
        Err(invalid) => return invalid,
    };

    let state = shared.lock();
    let Some(user) = state.user(&caller.email) else {
        return api_errors::invalid_credentials();
    };
    let calendar_time_zone = &user.time_zone;
    let response_time_zone = match response_time_zone(&params, user) {
        Ok(time_zone) => time_zone,
        Err(invalid) => return invalid,
    };
    let view = EventView {
        email: &user.profile.email,
        response_time_zone: &response_time_zone,
    };
    let in_window = |(start, end): &(EventTime, EventTime)| {
        time_min.is_none_or(|minimum| end.instant(calendar_time_zone) > minimum)
            && time_max.is_none_or(|maximum| start.instant(calendar_time_zone) < maximum)
    };

    // (sort key, updated, JSON) per returned item.
    let mut items: Vec<(Timestamp, Timestamp, Value)> = Vec::new();
    for event in &user.events {
        if single_events {
            for occurrence in event
                .occurrences
                .iter()
                .filter(|occurrence| in_window(occurrence))
            {
                items.push((
                    occurrence.0.instant(calendar_time_zone),
                    event.updated,
                    view.instance_json(event, *occurrence),
                ));
            }
        } else if event.occurrences.iter().any(in_window) {
            let Some(first) = event.occurrences.first() else {
                continue;
            };
            items.push((
                first.0.instant(calendar_time_zone),
                event.updated,
                view.master_json(event),
            ));
        }
    }
    if order_by_start {
        items.sort_by_key(|(start, _, _)| *start);
    } else if order_by_updated {
        items.sort_by_key(|(_, updated, _)| *updated);
    }
    let total = items.len();
    let page: Vec<Value> = items
        .into_iter()
        .skip(offset)
        .take(max_results)
        .map(|(_, _, item)| item)
        .collect();
    let next_offset = offset.saturating_add(page.len());
    let updated = user
        .events
        .iter()
        .map(|event| event.updated)
        .max()
        .unwrap_or(state.now());
    let mut body = json!({
        "kind": "calendar#events",
        "etag": format!("\"{}\"", updated.as_microsecond()),
        "summary": user.profile.email,
        "description": "",
        "updated": rfc3339_millis(updated),
        "timeZone": response_time_zone.iana_name().unwrap_or("UTC"),
        "accessRole": "owner",
        "defaultReminders": [{"method": "popup", "minutes": 10}],
    });
    if next_offset < total {
        body["nextPageToken"] = super::params::encode_page_token("calendar", next_offset).into();
    } else {
        body["nextSyncToken"] = URL_SAFE_NO_PAD
            .encode(format!("devstack-sync:{}", state.now().as_second()))
            .into();
    }
    body["items"] = Value::Array(page);
    if let Some(selection) = selection {
        body = selection.apply(&body);
    }
    api_errors::json_response(StatusCode::OK, &body, params.pretty_print())
}

/// `GET /calendar/v3/calendars/{calendarId}/events/{eventId}`: an event by its ID, or one
/// instance of a recurring event by the instance ID `events.list` gave it.
pub(crate) async fn get_event(
    State(shared): State<Arc<Shared>>,
    Path((calendar_id, event_id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    Authorized { caller, .. }: Authorized<CalendarEventsGet>,
) -> Response {
    let params = Params::from_query(query.as_deref());
    if !is_own_calendar(&calendar_id, &caller.email) {
        return api_errors::not_found("Not Found");
    }
    let state = shared.lock();
    let Some(user) = state.user(&caller.email) else {
        return api_errors::invalid_credentials();
    };
    let response_time_zone = match response_time_zone(&params, user) {
        Ok(time_zone) => time_zone,
        Err(invalid) => return invalid,
    };
    let view = EventView {
        email: &user.profile.email,
        response_time_zone: &response_time_zone,
    };
    let body = if let Some(event) = user.events.iter().find(|event| event.id == event_id) {
        view.master_json(event)
    } else if let Some((event, occurrence)) = find_instance(user, &event_id) {
        view.instance_json(event, occurrence)
    } else {
        return api_errors::not_found("Not Found");
    };
    selected_json_response(&params, &body)
}

/// `POST /calendar/v3/calendars/{calendarId}/events`: creates a single event and answers it.
pub(crate) async fn insert_event(
    State(shared): State<Arc<Shared>>,
    Path(calendar_id): Path<String>,
    RawQuery(query): RawQuery,
    authorized: Result<Authorized<CalendarEventsInsert>, Response>,
    body: Bytes,
) -> Response {
    // Refused only now that the body is read (see `Authorized`).
    let caller = match authorized {
        Ok(authorized) => authorized.caller,
        Err(refused) => return refused,
    };
    let params = Params::from_query(query.as_deref());
    if !is_own_calendar(&calendar_id, &caller.email) {
        return api_errors::not_found("Not Found");
    }
    let new_event =
        match parse_event_body(&body).and_then(|request| NewEvent::from_request(&request)) {
            Ok(new_event) => new_event,
            Err(invalid) => return invalid,
        };

    let mut state = shared.lock();
    let now = state.now();
    let Some(user) = state.user(&caller.email) else {
        return api_errors::invalid_credentials();
    };
    if let Some(id) = &new_event.id
        && user.events.iter().any(|event| &event.id == id)
    {
        // The Calendar errors guide's 409: the ID is taken in this calendar.
        return api_errors::error_with_reason(
            StatusCode::CONFLICT,
            "global",
            "duplicate",
            "The requested identifier already exists.",
        );
    }
    let id = match new_event.id {
        Some(id) => id,
        None => loop {
            let candidate = random_event_id(&mut state.rng);
            if state
                .user(&caller.email)
                .is_some_and(|user| user.events.iter().all(|event| event.id != candidate))
            {
                break candidate;
            }
        },
    };
    let event = CalendarEvent {
        id,
        summary: new_event.summary,
        description: new_event.description,
        location: new_event.location,
        occurrences: vec![(new_event.start, new_event.end)],
        start_time_zone: new_event.start_time_zone,
        end_time_zone: new_event.end_time_zone,
        created: now,
        updated: now,
    };
    let Some(user) = state.user_mut(&caller.email) else {
        return api_errors::invalid_credentials();
    };
    let view = EventView {
        email: &user.profile.email,
        response_time_zone: &user.time_zone,
    };
    let body = view.master_json(&event);
    user.events.push(event);
    tracing::info!("calendar event inserted");
    selected_json_response(&params, &body)
}

/// `primary` and the user's own address name the one calendar each test user has.
fn is_own_calendar(calendar_id: &str, email: &str) -> bool {
    calendar_id == "primary" || calendar_id == email
}

/// The `timeZone` request parameter's zone, else the calendar's.
fn response_time_zone(params: &Params, user: &UserData) -> Result<TimeZone, Response> {
    match params.get("timeZone") {
        None => Ok(user.time_zone.clone()),
        Some(name) => TimeZone::get(name)
            .map_err(|_| api_errors::bad_request("Invalid time zone definition.")),
    }
}

/// The recurring event and occurrence an instance ID (`{eventId}_{suffix}`) names.
fn find_instance<'user>(
    user: &'user UserData,
    instance_id: &str,
) -> Option<(&'user CalendarEvent, (EventTime, EventTime))> {
    let (event_id, suffix) = instance_id.rsplit_once('_')?;
    let event = user
        .events
        .iter()
        .find(|event| event.id == event_id && event.occurrences.len() > 1)?;
    let occurrence = event
        .occurrences
        .iter()
        .find(|(start, _)| start.instance_suffix() == suffix)?;
    Some((event, *occurrence))
}

/// How events are rendered for one response: whose calendar, and in which time zone.
struct EventView<'a> {
    email: &'a str,
    response_time_zone: &'a TimeZone,
}

impl EventView<'_> {
    /// The event itself: its first occurrence, with a `recurrence` rule if it repeats.
    fn master_json(&self, event: &CalendarEvent) -> Value {
        let Some(first) = event.occurrences.first() else {
            return Value::Null;
        };
        let mut item = self.event_json(event, *first);
        if event.occurrences.len() > 1 {
            item["recurrence"] = json!([format!(
                "RRULE:FREQ=WEEKLY;COUNT={}",
                event.occurrences.len()
            )]);
        }
        item
    }

    /// One occurrence as `singleEvents=true` shows it; a recurring event's instance gets its own
    /// ID and points at the event it belongs to.
    fn instance_json(&self, event: &CalendarEvent, occurrence: (EventTime, EventTime)) -> Value {
        let mut item = self.event_json(event, occurrence);
        if event.occurrences.len() > 1 {
            item["id"] = format!("{}_{}", event.id, occurrence.0.instance_suffix()).into();
            item["recurringEventId"] = event.id.clone().into();
            item["originalStartTime"] = occurrence
                .0
                .json(event.start_time_zone.as_deref(), self.response_time_zone);
        }
        item
    }

    fn event_json(&self, event: &CalendarEvent, (start, end): (EventTime, EventTime)) -> Value {
        let email = self.email;
        let mut item = json!({
            "kind": "calendar#event",
            "etag": format!("\"{}\"", event.updated.as_microsecond()),
            "id": event.id,
            "status": "confirmed",
            "htmlLink": format!(
                "https://www.google.com/calendar/event?eid={}",
                URL_SAFE_NO_PAD.encode(format!("{} {email}", event.id))
            ),
            "created": rfc3339_millis(event.created),
            "updated": rfc3339_millis(event.updated),
        });
        for (name, value) in [
            ("summary", &event.summary),
            ("description", &event.description),
            ("location", &event.location),
        ] {
            if let Some(value) = value {
                item[name] = value.clone().into();
            }
        }
        item["creator"] = json!({"email": email, "self": true});
        item["organizer"] = json!({"email": email, "self": true});
        item["start"] = start.json(event.start_time_zone.as_deref(), self.response_time_zone);
        item["end"] = end.json(event.end_time_zone.as_deref(), self.response_time_zone);
        item["iCalUID"] = format!("{}@google.com", event.id).into();
        item["sequence"] = 0.into();
        item["reminders"] = json!({"useDefault": true});
        item["eventType"] = "default".into();
        item
    }
}

/// What an `events.insert` body asks for, checked as Google checks it.
struct NewEvent {
    id: Option<String>,
    summary: Option<String>,
    description: Option<String>,
    location: Option<String>,
    start: EventTime,
    end: EventTime,
    start_time_zone: Option<String>,
    end_time_zone: Option<String>,
}

/// Which end of an event an `EventDateTime` is, for Google's messages ("Missing end time.").
#[derive(Clone, Copy)]
enum Bound {
    Start,
    End,
}

impl Bound {
    fn name(self) -> &'static str {
        match self {
            Bound::Start => "start",
            Bound::End => "end",
        }
    }
}

impl NewEvent {
    fn from_request(request: &Map<String, Value>) -> Result<Self, Response> {
        let id = match request.get("id") {
            None | Some(Value::Null) => None,
            Some(Value::String(id)) if is_valid_event_id(id) => Some(id.clone()),
            Some(_) => {
                return Err(api_errors::error_with_reason(
                    StatusCode::BAD_REQUEST,
                    "global",
                    "invalid",
                    "Invalid resource id value.",
                ));
            }
        };
        if request
            .get("recurrence")
            .and_then(Value::as_array)
            .is_some_and(|rules| !rules.is_empty())
        {
            // Not Google's behavior: the twin says what it lacks instead of storing a recurring
            // event it would then list wrongly.
            return Err(api_errors::error_with_reason(
                StatusCode::NOT_IMPLEMENTED,
                "global",
                "notImplemented",
                "devstack's Calendar twin does not store recurring events (`recurrence`): insert \
                 single events, or seed recurring ones with SeedEvent::weekly_occurrences",
            ));
        }
        // Google checks the end first: a body with neither is "Missing end time." [observed].
        let (end, end_time_zone) = event_time(request, Bound::End)?;
        let (start, start_time_zone) = event_time(request, Bound::Start)?;
        let empty = match (start, end) {
            (EventTime::Timed(start), EventTime::Timed(end)) => end < start,
            (EventTime::AllDay(start), EventTime::AllDay(end)) => end <= start,
            _ => {
                return Err(api_errors::error_with_reason(
                    StatusCode::BAD_REQUEST,
                    "global",
                    "invalid",
                    "Start and end times must either both be date or both be dateTime.",
                ));
            }
        };
        if empty {
            return Err(api_errors::error_with_reason(
                StatusCode::BAD_REQUEST,
                "calendar",
                "timeRangeEmpty",
                "The specified time range is empty.",
            ));
        }
        let text = |name: &str| {
            request
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        Ok(NewEvent {
            id,
            summary: text("summary"),
            description: text("description"),
            location: text("location"),
            start,
            end,
            start_time_zone,
            end_time_zone,
        })
    }
}

/// The JSON object an `events.insert` body must be; an empty body is an empty event.
fn parse_event_body(body: &[u8]) -> Result<Map<String, Value>, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(object)) => Ok(object),
        // Google's generic answer to a body it cannot parse [unverified].
        _ => Err(api_errors::error_with_reason(
            StatusCode::BAD_REQUEST,
            "global",
            "parseError",
            "Parse Error",
        )),
    }
}

/// `start` or `end` of an insert body: the time and the `timeZone` given with it.
fn event_time(
    request: &Map<String, Value>,
    bound: Bound,
) -> Result<(EventTime, Option<String>), Response> {
    let which = bound.name();
    let invalid = |message: String| {
        api_errors::error_with_reason(StatusCode::BAD_REQUEST, "global", "invalid", &message)
    };
    let missing = || {
        api_errors::error_with_reason(
            StatusCode::BAD_REQUEST,
            "global",
            "required",
            &format!("Missing {which} time."),
        )
    };
    let object = match request.get(which) {
        None | Some(Value::Null) => return Err(missing()),
        Some(Value::Object(object)) => object,
        Some(_) => return Err(invalid(format!("Invalid {which} time."))),
    };
    let text = |name: &str| match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.as_str())),
        Some(_) => Err(invalid(format!("Invalid {which} time."))),
    };
    let (date, date_time, time_zone_name) = (text("date")?, text("dateTime")?, text("timeZone")?);
    let event_time_zone = match time_zone_name {
        None => None,
        Some(name) => match TimeZone::get(name) {
            Ok(time_zone) => Some(time_zone),
            Err(_) => {
                return Err(invalid(format!(
                    "Invalid time zone definition for {which} time."
                )));
            }
        },
    };
    let time = match (date, date_time) {
        (None, None) => return Err(missing()),
        (Some(_), Some(_)) => return Err(invalid(format!("Invalid {which} time."))),
        (Some(date), None) => EventTime::AllDay(parse_date(date).map_err(invalid)?),
        (None, Some(date_time)) => {
            if let Some(instant) = parse_rfc3339(date_time) {
                EventTime::Timed(instant)
            } else if let Some(local) = parse_local_date_time(date_time) {
                // "A time zone offset is required unless a time zone is explicitly specified in
                // timeZone" (discovery document, EventDateTime.dateTime).
                let Some(time_zone) = &event_time_zone else {
                    return Err(api_errors::error_with_reason(
                        StatusCode::BAD_REQUEST,
                        "global",
                        "required",
                        &format!("Missing time zone definition for {which} time."),
                    ));
                };
                match local.to_zoned_datetime(time_zone.clone()) {
                    Ok(zoned) => EventTime::Timed(zoned.timestamp()),
                    Err(_) => return Err(invalid(format!("Invalid {which} time."))),
                }
            } else {
                return Err(invalid(format!(
                    "Invalid value for: Invalid format: \"{date_time}\""
                )));
            }
        }
    };
    Ok((time, time_zone_name.map(str::to_string)))
}

/// A `date`: `yyyy-mm-dd` and nothing else.
fn parse_date(text: &str) -> Result<Date, String> {
    if text.contains('T') {
        // The message Google gives a dateTime sent as a date [observed].
        return Err(format!(
            "Invalid value for: 'T' found, can only parse bare date string: {text} Have you \
             accidentally used DateTime instead of a Date?"
        ));
    }
    let well_formed = text.len() == 10
        && text
            .bytes()
            .enumerate()
            .all(|(index, byte)| matches!(index, 4 | 7) == (byte == b'-'))
        && text.bytes().filter(u8::is_ascii_digit).count() == 8;
    well_formed
        .then(|| text.parse::<Date>().ok())
        .flatten()
        .ok_or_else(|| format!("Invalid value for: Invalid format: \"{text}\""))
}

/// A `dateTime` without an offset (`2026-12-09T15:00:00`), which needs a `timeZone`.
fn parse_local_date_time(text: &str) -> Option<civil::DateTime> {
    // jiff would also read an offset or a bracketed zone and drop it; only a bare local time is
    // meant here.
    let (_, time) = text.split_once('T')?;
    if time.contains(['Z', 'z', '+', '-', '[']) {
        return None;
    }
    text.parse().ok()
}

/// Whether a client-chosen event ID follows Google's rules: lowercase base32hex (`a`–`v`,
/// `0`–`9`), 5 to 1024 characters.
fn is_valid_event_id(id: &str) -> bool {
    EVENT_ID_LENGTHS.contains(&id.len()) && id.bytes().all(|byte| EVENT_ID_ALPHABET.contains(&byte))
}

/// An event ID as Google chooses them when the client does not.
fn random_event_id(rng: &mut impl Rng) -> String {
    (0..GENERATED_EVENT_ID_LENGTH)
        .map(|_| char::from(EVENT_ID_ALPHABET[rng.random_range(0..EVENT_ID_ALPHABET.len())]))
        .collect()
}

/// RFC 3339 with a mandatory offset (`Z` or `±hh:mm`), as Calendar requires.
fn parse_rfc3339(text: &str) -> Option<Timestamp> {
    // jiff also accepts RFC 9557 annotations and lowercase separators; Google's parser is
    // stricter, so reject bracketed suffixes to stay on the safe side.
    if text.contains('[') {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_bounds_need_an_offset() {
        assert!(parse_rfc3339("2026-01-01T00:00:00Z").is_some());
        assert!(parse_rfc3339("2026-01-01T00:00:00-05:00").is_some());
        assert!(parse_rfc3339("2026-01-01T00:00:00").is_none());
        assert!(parse_rfc3339("2026-01-01").is_none());
    }

    #[test]
    fn event_ids_are_lowercase_base32hex_of_5_to_1024_characters() {
        assert!(is_valid_event_id("abcde"));
        assert!(is_valid_event_id("0123456789abcdefghijklmnopqrstuv"));
        assert!(is_valid_event_id(&"v".repeat(1024)));
        assert!(!is_valid_event_id("abcd"), "too short");
        assert!(!is_valid_event_id(&"v".repeat(1025)), "too long");
        assert!(!is_valid_event_id("abcdw"), "w is past base32hex's v");
        assert!(!is_valid_event_id("ABCDE"), "uppercase");
        assert!(!is_valid_event_id("abc-de"), "a dash, as in a UUID");
        let generated =
            random_event_id(&mut <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(7));
        assert!(is_valid_event_id(&generated), "{generated}");
    }

    #[test]
    fn dates_and_local_times_parse_strictly() {
        assert_eq!(parse_date("2026-12-09"), Ok(civil::date(2026, 12, 9)));
        assert!(parse_date("2026-12-9").is_err());
        assert!(
            parse_date("2026-12-09T00:00:00Z")
                .unwrap_err()
                .contains("'T' found")
        );
        assert!(parse_local_date_time("2026-12-09T15:00:00").is_some());
        assert!(parse_local_date_time("2026-12-09T15:00:00+09:00").is_none());
        assert!(parse_local_date_time("2026-12-09T15:00:00Z").is_none());
        assert!(parse_local_date_time("2026-12-09").is_none());
    }
}
