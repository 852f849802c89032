"""Conformance of the Google twin's Calendar writes with Google's own Python client.

Run by crates/devstack/tests/it/google_python.rs with the venv from `cargo xtask setup`
(google-api-python-client 2.202.0, which ships calendar.v3.json rev 20261030). The Rust test starts
the twin and mints tokens; this script only uses Google's library with the bundled (static)
discovery document and `api_endpoint` pointed at the twin, so every request is built the way
production code builds it. Each check prints one line; any failure raises and exits non-zero.
"""

import json
import os

from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import _should_retry_response

BASE = os.environ["EMULATOR_BASE_URL"]

DENTIST = {
    "id": "dentist0kobe0001",
    "summary": "Dentist",
    "start": {"dateTime": "2026-12-09T15:00:00", "timeZone": "Asia/Tokyo"},
    "end": {"dateTime": "2026-12-09T16:00:00", "timeZone": "Asia/Tokyo"},
}


def calendar(token):
    return build(
        "calendar",
        "v3",
        credentials=Credentials(token=token),
        static_discovery=True,
        cache_discovery=False,
        client_options={"api_endpoint": BASE + "/calendar/v3/"},
    )


def status_reason_message(request):
    try:
        request.execute()
    except HttpError as error:
        body = json.loads(error.content)["error"]
        return error.resp.status, error.reason, body["errors"][0]["reason"], body["message"]
    raise AssertionError("expected an HttpError")


def check_insert_get_and_list(service):
    inserted = service.events().insert(calendarId="primary", body=DENTIST).execute()
    assert inserted["id"] == DENTIST["id"], inserted
    assert inserted["summary"] == "Dentist", inserted
    assert inserted["start"]["timeZone"] == "Asia/Tokyo", inserted
    got = service.events().get(calendarId="primary", eventId=DENTIST["id"], timeZone="Asia/Tokyo").execute()
    assert got["start"]["dateTime"] == "2026-12-09T15:00:00+09:00", got
    assert got["end"]["dateTime"] == "2026-12-09T16:00:00+09:00", got
    listed = (
        service.events()
        .list(
            calendarId="primary",
            timeMin="2026-12-09T05:00:00Z",
            timeMax="2026-12-09T08:00:00Z",
            singleEvents=True,
            orderBy="startTime",
        )
        .execute()
    )
    assert DENTIST["id"] in [event["id"] for event in listed["items"]], listed
    print("calendar events.insert, get and list: ok")


def check_reused_id(service):
    status, reason, google_reason, message = status_reason_message(
        service.events().insert(calendarId="primary", body=dict(DENTIST, summary="Dentist again"))
    )
    assert (status, google_reason) == (409, "duplicate"), (status, google_reason)
    assert reason == message == "The requested identifier already exists.", (reason, message)
    assert not _should_retry_response(status, b""), "a 409 is not retried"
    kept = service.events().get(calendarId="primary", eventId=DENTIST["id"]).execute()
    assert kept["summary"] == "Dentist", kept
    print("calendar 409 for a reused event id: ok")


def check_validation_and_not_found(service):
    bad_id = dict(DENTIST, id="Dentist-0001")
    assert status_reason_message(service.events().insert(calendarId="primary", body=bad_id))[1:] == (
        "Invalid resource id value.",
        "invalid",
        "Invalid resource id value.",
    )
    no_end = {"summary": "Dentist", "start": DENTIST["start"]}
    assert status_reason_message(service.events().insert(calendarId="primary", body=no_end))[:3] == (
        400,
        "Missing end time.",
        "required",
    )
    assert status_reason_message(service.events().get(calendarId="primary", eventId="nosuchevent"))[:3] == (
        404,
        "Not Found",
        "notFound",
    )
    print("calendar validation and 404: ok")


def check_scope(read_only_service):
    try:
        read_only_service.events().insert(calendarId="primary", body=dict(DENTIST, id="scopecheck02")).execute()
        raise AssertionError("a calendar.readonly token must not insert")
    except HttpError as error:
        assert error.resp.status == 403, error
        assert error.error_details[0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT", error.error_details
        assert error.error_details[0]["metadata"]["method"] == "calendar.v3.Events.Insert", error.error_details
        challenge = error.resp["www-authenticate"]
        assert 'error="insufficient_scope"' in challenge, challenge
        assert "https://www.googleapis.com/auth/calendar.events" in challenge, challenge
        assert not _should_retry_response(403, error.content), "scope errors are not retried"
    got = read_only_service.events().get(calendarId="primary", eventId=DENTIST["id"]).execute()
    assert got["id"] == DENTIST["id"], got
    print("calendar insert needs a write scope, get a read one: ok")


def main():
    events = calendar(os.environ["CALENDAR_EVENTS_TOKEN"])
    check_insert_get_and_list(events)
    check_reused_id(events)
    check_validation_and_not_found(events)
    check_scope(calendar(os.environ["CALENDAR_READONLY_TOKEN"]))


if __name__ == "__main__":
    main()
