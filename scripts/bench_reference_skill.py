"""The Python reference for scripts/bench-cold-start.sh: the sample skill's help, "list my files"
and "add a note" written the way most Alexa skills that call Google are written, with Amazon's
ASK SDK for Python (ask-sdk-core, and its DynamoDB persistence adapter for the per-user state)
and Google's API client (google-api-python-client with its bundled discovery documents).

It is run like `skill invoke -`: a fresh interpreter reads one Alexa request on stdin, builds
the skill, handles the request through the SDK's Lambda handler and prints the response JSON. A
Lambda cold start of such a function pays the same: interpreter start, imports, skill set-up,
one request. It makes the same Google calls as the Rust sample for these requests:
- list files: Drive `files.list` (trashed = false, newest first, 5 files);
- add note: the persistent attributes read (DynamoDB GetItem), a Drive search for the notes
  spreadsheet when none is remembered, the Sheets append, and the attributes written back
  (PutItem) when the spreadsheet's ID is new. (The Rust sample also asks Google's userinfo
  which account the state belongs to; the SDK has no such rule.)

Environment: GOOGLE_API_ROOT (the Google twin), and for the state SKILL_STATE_TABLE with the
usual AWS variables (AWS_ENDPOINT_URL_DYNAMODB for moto). Used by the bench only: not part of
any skill.
"""

import json
import os
import sys

import boto3
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_intent_name
from ask_sdk_dynamodb.adapter import DynamoDbAdapter
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build

GOOGLE_API_ROOT = os.environ.get("GOOGLE_API_ROOT", "").rstrip("/")
NOTES_TITLE = "Alexa Notes"


def google(handler_input, name, version, path):
    """Google's client for the user's access token (the twin when GOOGLE_API_ROOT is set)."""
    token = handler_input.request_envelope.context.system.user.access_token
    options = {"api_endpoint": GOOGLE_API_ROOT + path} if GOOGLE_API_ROOT else None
    return build(name, version, credentials=Credentials(token=token), static_discovery=True,
                 cache_discovery=False, client_options=options)


class HelpHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input):
        speech = "You can ask me for your recent files or add a note. What would you like?"
        return handler_input.response_builder.speak(speech).ask(speech).response


class ListFilesHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("ListFilesIntent")(handler_input)

    def handle(self, handler_input):
        drive = google(handler_input, "drive", "v3", "/drive/v3/")
        files = drive.files().list(q="trashed = false", orderBy="modifiedTime desc", pageSize=5,
                                   fields="files(id,name,mimeType,modifiedTime)").execute()
        names = [file["name"] for file in files.get("files", [])]
        speech = ("Your recent files are: " + ", ".join(names) + ".") if names else \
            "You have no files."
        return handler_input.response_builder.speak(speech).response


class AddNoteHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AddNoteIntent")(handler_input)

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        note = request.intent.slots["note"].value
        manager = handler_input.attributes_manager
        attributes = manager.persistent_attributes
        spreadsheet = attributes.get("notesSpreadsheetId")
        if not spreadsheet:
            drive = google(handler_input, "drive", "v3", "/drive/v3/")
            query = (f"name = '{NOTES_TITLE}' and mimeType = "
                     "'application/vnd.google-apps.spreadsheet' and trashed = false")
            found = drive.files().list(q=query, pageSize=1, fields="files(id)").execute()
            files = found.get("files", [])
            sheets = google(handler_input, "sheets", "v4", "/")
            if files:
                spreadsheet = files[0]["id"]
            else:
                created = sheets.spreadsheets().create(
                    body={"properties": {"title": NOTES_TITLE}}).execute()
                spreadsheet = created["spreadsheetId"]
        else:
            sheets = google(handler_input, "sheets", "v4", "/")
        sheets.spreadsheets().values().append(
            spreadsheetId=spreadsheet, range="A:B", valueInputOption="RAW",
            insertDataOption="INSERT_ROWS",
            body={"range": "A:B", "majorDimension": "ROWS",
                  "values": [[request.timestamp.isoformat(), note]]}).execute()
        if attributes.get("notesSpreadsheetId") != spreadsheet:
            attributes["notesSpreadsheetId"] = spreadsheet
            manager.persistent_attributes = attributes
            manager.save_persistent_attributes()
        return handler_input.response_builder.speak(f"I've added your note: {note}.").response


def skill_builder():
    table = os.environ.get("SKILL_STATE_TABLE")
    adapter = None
    if table:
        adapter = DynamoDbAdapter(table_name=table, partition_key_name="id",
                                  attribute_name="attributes", create_table=False,
                                  dynamodb_resource=boto3.resource("dynamodb"))
    builder = CustomSkillBuilder(persistence_adapter=adapter)
    builder.add_request_handler(HelpHandler())
    builder.add_request_handler(ListFilesHandler())
    builder.add_request_handler(AddNoteHandler())
    return builder


lambda_handler = skill_builder().lambda_handler()

if __name__ == "__main__":
    print(json.dumps(lambda_handler(json.load(sys.stdin), None)))
