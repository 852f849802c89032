"""Conformance of a declared API (Google Tasks) on the twin with Google's own Python clients.

Run by crates/devstack/tests/it/google_declared.rs with the venv from `cargo xtask setup`
(google-api-python-client 2.202.0, which ships tasks.v1.json, and google-auth). The Rust test
starts the twin, declares the Tasks routes and mints tokens; this script only uses Google's
libraries: the discovery client with the bundled document and `api_endpoint` pointed at the twin,
and google-auth's AuthorizedSession for a plain request. Each check prints one line; any failure
raises and exits non-zero.
"""

import json
import os

from google.auth.transport.requests import AuthorizedSession
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import _should_retry_response

BASE = os.environ["EMULATOR_BASE_URL"]


def tasks(token):
    return build(
        "tasks",
        "v1",
        credentials=Credentials(token=token),
        static_discovery=True,
        cache_discovery=False,
        client_options={"api_endpoint": BASE + "/"},
    )


def check_crud(service):
    listed = service.tasks().list(tasklist="@default", showCompleted=False).execute()
    assert [task["title"] for task in listed["items"]] == ["Buy milk"], listed
    added = service.tasks().insert(tasklist="@default", body={"title": "Call Charles"}).execute()
    assert added["title"] == "Call Charles" and added["status"] == "needsAction", added
    fetched = service.tasks().get(tasklist="@default", task=added["id"]).execute()
    assert fetched == added, fetched
    deleted = service.tasks().delete(tasklist="@default", task=added["id"]).execute()
    assert deleted == "", deleted
    try:
        service.tasks().get(tasklist="@default", task=added["id"]).execute()
        raise AssertionError("a deleted task was still there")
    except HttpError as error:
        assert error.resp.status == 404, error
    print("tasks list/insert/get/delete through the discovery client: ok")


def check_insufficient_scope(service):
    try:
        service.tasks().insert(tasklist="@default", body={"title": "x"}).execute()
        raise AssertionError("a read-only token inserted a task")
    except HttpError as error:
        assert error.resp.status == 403, error
        assert error.reason == "Request had insufficient authentication scopes.", error.reason
        reason = json.loads(error.content)["error"]["errors"][0]["reason"]
        assert reason == "insufficientPermissions", reason
        assert not _should_retry_response(403, error.content), "scope errors are not retried"
        assert error.error_details[0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT", error.error_details
        assert 'error="insufficient_scope"' in error.resp["www-authenticate"], error.resp
    print("insufficient scope reads as insufficientPermissions: ok")


def check_authorized_session(token):
    session = AuthorizedSession(Credentials(token=token))
    response = session.get(BASE + "/tasks/v1/lists/@default/archive")
    assert response.status_code == 404, response.status_code
    assert response.headers["Content-Type"].startswith("application/json"), response.headers
    assert response.json()["error"]["code"] == 404, response.text
    listed = session.get(BASE + "/tasks/v1/lists/@default/tasks")
    assert listed.status_code == 200 and listed.json()["kind"] == "tasks#tasks", listed.text
    print("AuthorizedSession reads the JSON 404 of an undeclared path: ok")


check_crud(tasks(os.environ["ACCESS_TOKEN"]))
check_insufficient_scope(tasks(os.environ["READONLY_ACCESS_TOKEN"]))
check_authorized_session(os.environ["ACCESS_TOKEN"])
