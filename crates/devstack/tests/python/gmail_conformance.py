"""Conformance of the Google twin's Gmail API with Google's own Python client.

Run by crates/devstack/tests/it/google_python.rs with the venv from `cargo xtask setup`
(google-api-python-client 2.202.0, which ships gmail.v1.json). The Rust test starts the twin and
mints tokens; this script only uses Google's library with the bundled (static) discovery document
and `api_endpoint` pointed at the twin, so every request is built the way production code builds
it (paths, repeated `labelIds`/`metadataHeaders`, `alt=json`). Each check prints one line; any
failure raises and exits non-zero.
"""

import json
import os

from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import _should_retry_response

BASE = os.environ["EMULATOR_BASE_URL"]


def gmail(token):
    return build(
        "gmail",
        "v1",
        credentials=Credentials(token=token),
        static_discovery=True,
        cache_discovery=False,
        client_options={"api_endpoint": BASE + "/"},
    )


def header(message, name):
    return next(h["value"] for h in message["payload"]["headers"] if h["name"] == name)


def check_latest_and_unread(service):
    listed = service.users().messages().list(userId="me", labelIds=["INBOX"], maxResults=1).execute()
    assert len(listed["messages"]) == 1 and "nextPageToken" in listed, listed
    latest = (
        service.users()
        .messages()
        .get(userId="me", id=listed["messages"][0]["id"], format="metadata", metadataHeaders=["From", "Subject"])
        .execute()
    )
    assert header(latest, "From") == "Charles Babbage <charles@example.com>", latest
    assert header(latest, "Subject") == "Notes on the Analytical Engine", latest
    assert {h["name"] for h in latest["payload"]["headers"]} == {"From", "Subject"}, latest
    inbox = service.users().labels().get(userId="me", id="INBOX").execute()
    assert (inbox["messagesTotal"], inbox["messagesUnread"]) == (4, 2), inbox
    unread = service.users().messages().list(userId="me", labelIds=["INBOX", "UNREAD"]).execute()
    assert len(unread["messages"]) == 2, unread
    print("latest inbox message and unread count: ok")


def check_search_and_paging(service):
    found = service.users().messages().list(userId="ada@example.com", q="in:inbox is:unread from:mary").execute()
    assert [m["id"] for m in found["messages"]] == ["19a3e8a1f7c29d02"], found
    seen, token = [], None
    while True:
        page = service.users().messages().list(userId="me", maxResults=2, pageToken=token).execute()
        seen += [m["id"] for m in page.get("messages", [])]
        token = page.get("nextPageToken")
        if not token:
            break
    assert len(seen) == 5 and len(set(seen)) == 5, seen
    nothing = service.users().messages().list(userId="me", q="from:nobody@example.com").execute()
    assert nothing.get("messages", []) == [] and nothing["resultSizeEstimate"] == 0, nothing
    print("search and paging: ok")


def check_errors(service, metadata_service, drive_only_service):
    def status_and_reason(request):
        try:
            request.execute()
        except HttpError as error:
            body = json.loads(error.content)["error"]
            return error.resp.status, body["errors"][0]["reason"], body["message"]
        raise AssertionError("expected an HttpError")

    messages = service.users().messages()
    assert status_and_reason(messages.get(userId="me", id="7fffffffffffffff")) == (
        404,
        "notFound",
        "Requested entity was not found.",
    )
    assert status_and_reason(messages.get(userId="me", id="nosuchmessageid")) == (400, "invalidArgument", "Invalid id value")
    assert status_and_reason(metadata_service.users().messages().list(userId="me", q="is:unread")) == (
        403,
        "forbidden",
        "Metadata scope does not support 'q' parameter",
    )
    assert status_and_reason(metadata_service.users().messages().get(userId="me", id="19a3f0c2b4d6e801")) == (
        403,
        "forbidden",
        "Metadata scope doesn't allow format FULL",
    )
    try:
        drive_only_service.users().labels().get(userId="me", id="UNREAD").execute()
        raise AssertionError("a drive-only token must not read labels")
    except HttpError as error:
        assert error.resp.status == 403, error
        assert error.error_details[0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT", error.error_details
        assert 'error="insufficient_scope"' in error.resp["www-authenticate"], error.resp
        assert "https://www.googleapis.com/auth/gmail.readonly" in error.resp["www-authenticate"], error.resp
        assert not _should_retry_response(403, error.content), "scope errors are not retried"
    print("errors read as Google's: ok")


def main():
    check_latest_and_unread(gmail(os.environ["GMAIL_READONLY_TOKEN"]))
    check_search_and_paging(gmail(os.environ["GMAIL_READONLY_TOKEN"]))
    check_errors(
        gmail(os.environ["GMAIL_READONLY_TOKEN"]),
        gmail(os.environ["GMAIL_METADATA_TOKEN"]),
        gmail(os.environ["DRIVE_ONLY_TOKEN"]),
    )


if __name__ == "__main__":
    main()
