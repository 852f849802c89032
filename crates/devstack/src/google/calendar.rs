//! Calendar v3 `events.list` on each user's primary calendar.
//!
//! Window rules follow docs/google-apis.md, Calendar: `timeMin` is an exclusive bound on an event's end and
//! `timeMax` on its start, both RFC 3339 with an offset; `orderBy=startTime` needs
//! `singleEvents=true`, which also expands weekly recurrences into instances.

use std::sync::Arc;

use axum::{
    extract::{Path, RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jiff::{Span, Timestamp, civil::Date, tz::TimeZone};
use serde_json::{Value, json};

use super::{
    SeedEvent, SeedEventTime,
    api_errors::{self, authorize},
    drive::rfc3339_millis,
    fields,
    params::Params,
    routes::CALENDAR_EVENTS_LIST,
    state::ClockArithmetic,
    state::Shared,
};

pub(crate) struct CalendarEvent {
    id: String,
    summary: String,
    /// Start and end of every occurrence; more than one for a weekly recurring event.
    occurrences: Vec<(EventTime, EventTime)>,
    created: Timestamp,
    updated: Timestamp,
}

#[derive(Clone, Copy)]
enum EventTime {
    Timed(Timestamp),
    /// All-day events have dates; the end date is exclusive.
    AllDay(Date),
}

impl EventTime {
    /// The instant this time begins in the calendar's time zone.
    fn instant(self, time_zone: &TimeZone) -> Timestamp {
        match self {
            EventTime::Timed(timestamp) => timestamp,
            EventTime::AllDay(date) => date
                .to_zoned_datetime(time_zone.clone())
                .map(|zoned| zoned.timestamp())
                .unwrap_or(Timestamp::UNIX_EPOCH),
        }
    }

    fn json(self, event_time_zone: &TimeZone, response_time_zone: &TimeZone) -> Value {
        match self {
            EventTime::Timed(timestamp) => json!({
                "dateTime": timestamp
                    .to_zoned_datetime(response_time_zone.clone())
                    .strftime("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string(),
                "timeZone": event_time_zone.iana_name().unwrap_or("UTC"),
            }),
            EventTime::AllDay(date) => json!({"date": date.to_string()}),
        }
    }

    /// The suffix Google gives instance IDs: `20261125T150000Z` or `20261125`.
    fn instance_suffix(self) -> String {
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
            CalendarEvent {
                id: seed.id.clone(),
                summary: seed.summary.clone(),
                occurrences,
                created,
                updated: created,
            }
        })
        .collect()
}

/// `GET /calendar/v3/calendars/{calendarId}/events`.
pub(crate) async fn list_events(
    State(shared): State<Arc<Shared>>,
    Path(calendar_id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = Params::from_query(query.as_deref());
    let caller = match authorize(
        &shared,
        &headers,
        params.access_token(),
        CALENDAR_EVENTS_LIST,
    ) {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    if calendar_id != "primary" && calendar_id != caller.email {
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
    let response_time_zone = match params.get("timeZone") {
        None => calendar_time_zone.clone(),
        Some(name) => match TimeZone::get(name) {
            Ok(time_zone) => time_zone,
            Err(_) => return api_errors::bad_request("Invalid time zone definition."),
        },
    };
    let in_window = |(start, end): &(EventTime, EventTime)| {
        time_min.is_none_or(|minimum| end.instant(calendar_time_zone) > minimum)
            && time_max.is_none_or(|maximum| start.instant(calendar_time_zone) < maximum)
    };

    // (sort key, updated, JSON) per returned item.
    let mut items: Vec<(Timestamp, Timestamp, Value)> = Vec::new();
    for event in &user.events {
        let recurring = event.occurrences.len() > 1;
        if single_events {
            for occurrence in event
                .occurrences
                .iter()
                .filter(|occurrence| in_window(occurrence))
            {
                let mut item = event_json(
                    event,
                    *occurrence,
                    &user.profile.email,
                    calendar_time_zone,
                    &response_time_zone,
                );
                if recurring {
                    item["id"] = format!("{}_{}", event.id, occurrence.0.instance_suffix()).into();
                    item["recurringEventId"] = event.id.clone().into();
                    item["originalStartTime"] =
                        occurrence.0.json(calendar_time_zone, &response_time_zone);
                }
                items.push((
                    occurrence.0.instant(calendar_time_zone),
                    event.updated,
                    item,
                ));
            }
        } else if event.occurrences.iter().any(in_window) {
            let Some(first) = event.occurrences.first() else {
                continue;
            };
            let mut item = event_json(
                event,
                *first,
                &user.profile.email,
                calendar_time_zone,
                &response_time_zone,
            );
            if recurring {
                item["recurrence"] = json!([format!(
                    "RRULE:FREQ=WEEKLY;COUNT={}",
                    event.occurrences.len()
                )]);
            }
            items.push((first.0.instant(calendar_time_zone), event.updated, item));
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

fn event_json(
    event: &CalendarEvent,
    (start, end): (EventTime, EventTime),
    email: &str,
    calendar_time_zone: &TimeZone,
    response_time_zone: &TimeZone,
) -> Value {
    json!({
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
        "summary": event.summary,
        "creator": {"email": email, "self": true},
        "organizer": {"email": email, "self": true},
        "start": start.json(calendar_time_zone, response_time_zone),
        "end": end.json(calendar_time_zone, response_time_zone),
        "iCalUID": format!("{}@google.com", event.id),
        "sequence": 0,
        "reminders": {"useDefault": true},
        "eventType": "default",
    })
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
}
