"""Conformance of the Google emulator with Google's own Python clients.

Run by crates/devstack/tests/it/google_python.rs with the venv from `cargo xtask setup`
(google-api-python-client 2.202.0, google-auth 2.63.0). The Rust test starts the emulator and
obtains tokens through the real code flow; this script only uses Google's libraries, with the
bundled (static) discovery documents and `api_endpoint` pointed at the emulator. Each check prints
one line; any failure raises and exits non-zero.
"""

import datetime
import json
import os

import google.auth.exceptions
import google.auth.transport.requests
import requests
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import _should_retry_response

BASE = os.environ["EMULATOR_BASE_URL"]
CLIENT_ID = os.environ["CLIENT_ID"]
CLIENT_SECRET = os.environ["CLIENT_SECRET"]


def service(name, version, credentials, path):
    return build(
        name,
        version,
        credentials=credentials,
        static_discovery=True,
        cache_discovery=False,
        client_options={"api_endpoint": BASE + path},
    )


def twin(path, body):
    response = requests.post(BASE + "/__twin/" + path, json=body, timeout=10)
    response.raise_for_status()


def check_drive(credentials):
    drive = service("drive", "v3", credentials, "/drive/v3/")
    listed = (
        drive.files()
        .list(
            pageSize=2,
            orderBy="modifiedTime desc",
            fields="nextPageToken, files(id, name, modifiedTime, mimeType)",
            q="trashed = false",
        )
        .execute()
    )
    names = [file["name"] for file in listed["files"]]
    assert names == ["Sketch of the Analytical Engine", "Bernoulli numbers"], listed
    assert set(listed["files"][0]) == {"id", "name", "modifiedTime", "mimeType"}, listed
    rest = drive.files().list(pageSize=2, pageToken=listed["nextPageToken"], q="trashed = false").execute()
    assert [file["name"] for file in rest["files"]] == ["Letter to Babbage.pdf", "Engine diagrams"], rest
    # A rate-limit 403 is retried by the client because of its `reason`.
    twin("faults", {"path_prefix": "/drive/", "fault": "rate_limit_403", "times": 1})
    retried = drive.files().list(q="trashed = false", fields="files(id)").execute(num_retries=1)
    assert len(retried["files"]) == 4, retried
    print("drive files.list: ok")


def check_calendar(credentials):
    calendar = service("calendar", "v3", credentials, "/calendar/v3/")
    now = datetime.datetime.now(datetime.timezone.utc).isoformat()
    events = (
        calendar.events()
        .list(calendarId="primary", timeMin=now, singleEvents=True, orderBy="startTime", maxResults=10)
        .execute()
    )
    assert events["timeZone"] == "Europe/London", events
    summaries = [event["summary"] for event in events["items"]]
    assert summaries[0] == "Call with Charles Babbage", summaries
    assert "Retrospective" not in summaries, summaries
    try:
        calendar.events().list(calendarId="primary", orderBy="startTime").execute()
        raise AssertionError("orderBy=startTime without singleEvents must fail")
    except HttpError as error:
        assert error.resp.status == 400, error
    print("calendar events.list: ok")


def check_sheets(credentials):
    sheets = service("sheets", "v4", credentials, "/")
    created = sheets.spreadsheets().create(body={"properties": {"title": "Conformance log"}}, fields="spreadsheetId").execute()
    assert set(created) == {"spreadsheetId"}, created
    spreadsheet_id = created["spreadsheetId"]
    values = sheets.spreadsheets().values()
    for row in (["2026-11-24", "first"], ["2026-11-25", "second"]):
        appended = values.append(
            spreadsheetId=spreadsheet_id,
            range="Sheet1!A1",
            valueInputOption="USER_ENTERED",
            insertDataOption="INSERT_ROWS",
            body={"values": [row]},
        ).execute()
    assert appended["tableRange"] == "Sheet1!A1:B1", appended
    assert appended["updates"]["updatedRange"] == "Sheet1!A2:B2", appended
    read = values.get(spreadsheetId=spreadsheet_id, range="Sheet1!A:B").execute()
    assert read["values"] == [["2026-11-24", "first"], ["2026-11-25", "second"]], read
    assert read["range"] == "Sheet1!A1:B1000", read
    try:
        values.append(spreadsheetId=spreadsheet_id, range="Sheet1!A1", body={"values": [["x"]]}).execute()
        raise AssertionError("append without valueInputOption must fail")
    except HttpError as error:
        assert error.resp.status == 400, error
        assert "'valueInputOption' is required but not specified" in str(error), error
    print("sheets create/append/get: ok")


def check_insufficient_scope():
    credentials = Credentials(token=os.environ["DRIVE_ONLY_ACCESS_TOKEN"])
    calendar = service("calendar", "v3", credentials, "/calendar/v3/")
    try:
        calendar.events().list(calendarId="primary").execute()
        raise AssertionError("a drive-only token must not list events")
    except HttpError as error:
        assert error.resp.status == 403, error
        reason = json.loads(error.content)["error"]["errors"][0]["reason"]
        assert reason == "insufficientPermissions", reason
        assert not _should_retry_response(403, error.content), "scope errors are not retried"
        assert error.error_details[0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT", error.error_details
        assert 'error="insufficient_scope"' in error.resp["www-authenticate"], error.resp
    print("insufficient scope reads as insufficientPermissions: ok")


def check_refresh_after_expiry():
    credentials = Credentials(
        token=os.environ["ACCESS_TOKEN"],
        refresh_token=os.environ["REFRESH_TOKEN"],
        token_uri=BASE + "/token",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
    )
    twin("clock/advance", {"seconds": 3600})
    drive = service("drive", "v3", credentials, "/drive/v3/")
    # The stale token gets a 401; google-auth refreshes at token_uri and the client retries.
    listed = drive.files().list(q="trashed = false").execute()
    assert "Conformance log" in [file["name"] for file in listed["files"]], listed
    assert credentials.token != os.environ["ACCESS_TOKEN"], "token was refreshed"
    assert credentials.token.startswith("ya29."), credentials.token
    assert credentials.refresh_token == os.environ["REFRESH_TOKEN"], "no rotation"
    print("google-auth refresh of an expired token: ok")


def check_revoked_refresh_token():
    refresh_token = os.environ["DRIVE_ONLY_REFRESH_TOKEN"]
    revoked = requests.post(BASE + "/revoke", data={"token": refresh_token}, timeout=10)
    assert revoked.status_code == 200, revoked.text
    credentials = Credentials(
        token=None,
        refresh_token=refresh_token,
        token_uri=BASE + "/token",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
    )
    try:
        credentials.refresh(google.auth.transport.requests.Request())
        raise AssertionError("a revoked refresh token must not refresh")
    except google.auth.exceptions.RefreshError as error:
        assert "invalid_grant" in str(error), error
        assert not error.retryable, error
    print("revoked refresh token raises RefreshError invalid_grant: ok")


def main():
    credentials = Credentials(token=os.environ["ACCESS_TOKEN"])
    check_drive(credentials)
    check_calendar(credentials)
    check_sheets(credentials)
    check_insufficient_scope()
    check_refresh_after_expiry()
    check_revoked_refresh_token()


if __name__ == "__main__":
    main()
