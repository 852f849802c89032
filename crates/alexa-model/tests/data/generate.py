"""Generate the request samples in requests/ with Amazon's own Python model.

Run from anywhere:  target/venv/bin/python crates/alexa-model/tests/data/generate.py

Each sample is built from ask-sdk-model 1.82.0 classes and serialized with ask-sdk-core 1.19.0's
DefaultSerializer, so field names, nesting and enum spellings are Amazon's, not ours. The only
post-processing: datetimes come out of Python as "…+00:00"; Alexa sends "…Z", so timestamps are
rewritten to that form (the same instant). Files are written with sorted keys and a final newline
so that regenerating gives a byte-identical tree. See README.md for what each sample covers.
"""

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import (
    Application,
    Context,
    Device,
    DialogState,
    Intent,
    IntentConfirmationStatus,
    IntentRequest,
    LaunchRequest,
    Permissions,
    RequestEnvelope,
    Session,
    SessionEndedError,
    SessionEndedErrorType,
    SessionEndedReason,
    SessionEndedRequest,
    SimpleSlotValue,
    Slot,
    SlotConfirmationStatus,
    SupportedInterfaces,
    User,
)
from ask_sdk_model.canfulfill import CanFulfillIntentRequest
from ask_sdk_model.events.skillevents import (
    AccountLinkedBody,
    AccountLinkedRequest,
    Permission,
    PermissionAcceptedRequest,
    PermissionBody,
    PermissionChangedRequest,
    SkillDisabledRequest,
    SkillEnabledRequest,
)
from ask_sdk_model.interfaces.alexa.presentation.apl import (
    AlexaPresentationAplInterface,
    RenderedDocumentState,
    Runtime,
)
from ask_sdk_model.interfaces.audioplayer import (
    AudioPlayerInterface,
    AudioPlayerState,
    PlaybackStartedRequest,
    PlayerActivity,
)
from ask_sdk_model.interfaces.system import (
    Error,
    ErrorCause,
    ErrorType,
    ExceptionEncounteredRequest,
    SystemState,
)
from ask_sdk_model.interfaces.viewport import Experience, Keyboard, Mode, Shape, Touch, ViewportState
from ask_sdk_model.slu.entityresolution import Resolution, Resolutions, Status, StatusCode, Value, ValueWrapper

OUTPUT = Path(__file__).resolve().parent / "requests"

# Clearly fake identifiers and tokens. The skill ID has the real shape (a UUID) so SkillId parses it.
SKILL_ID = "amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
USER_ID = "amzn1.ask.account.TEST-USER-ID"
DEVICE_ID = "amzn1.ask.device.TEST-DEVICE-ID"
SESSION_ID = "amzn1.echo-api.session.test-session-id"
GOOGLE_ACCESS_TOKEN = "ya29.test-google-access-token"
API_ACCESS_TOKEN = "test-alexa-api-access-token"
CONSENT_TOKEN = "Atza|test-consent-token"
API_ENDPOINT = "https://api.amazonalexa.com"
NOW = datetime(2026, 1, 15, 10, 0, 0, tzinfo=timezone.utc)
EVENT_CREATED = datetime(2026, 1, 15, 9, 40, 0, tzinfo=timezone.utc)
DATETIME_KEYS = {"timestamp", "eventCreationTime", "eventPublishingTime"}


def request_id(name):
    return f"amzn1.echo-api.request.test-{name}"


def user(access_token=None, with_permissions=False):
    permissions = Permissions(consent_token=CONSENT_TOKEN) if with_permissions else None
    return User(user_id=USER_ID, access_token=access_token, permissions=permissions)


def device(screen=False):
    if screen:
        interfaces = SupportedInterfaces(
            alexa_presentation_apl=AlexaPresentationAplInterface(runtime=Runtime(max_version="2023.3")),
            audio_player=AudioPlayerInterface(),
        )
    else:
        interfaces = SupportedInterfaces(audio_player=AudioPlayerInterface())
    return Device(device_id=DEVICE_ID, supported_interfaces=interfaces)


def context(access_token=None, screen=False, audio_player=False, with_device=True):
    system = SystemState(
        application=Application(application_id=SKILL_ID),
        user=user(access_token, with_permissions=True),
        device=device(screen) if with_device else None,
        api_endpoint=API_ENDPOINT,
        api_access_token=API_ACCESS_TOKEN,
    )
    result = Context(system=system)
    if screen:
        result.viewport = ViewportState(
            experiences=[Experience(arc_minute_width=246, arc_minute_height=144, can_rotate=False, can_resize=False)],
            mode=Mode.HUB,
            shape=Shape.RECTANGLE,
            pixel_width=1024,
            pixel_height=600,
            dpi=160,
            current_pixel_width=1024,
            current_pixel_height=600,
            touch=[Touch.SINGLE],
            keyboard=[Keyboard.DIRECTION],
        )
        result.alexa_presentation_apl = RenderedDocumentState(
            token="test-apl-token", version="AplRenderer-1.4", components_visible_on_screen=[]
        )
    if screen or audio_player:
        result.audio_player = AudioPlayerState(
            offset_in_milliseconds=0, token="test-audio-token", player_activity=PlayerActivity.IDLE
        )
    return result


def session(access_token=None, new=False, attributes=None):
    return Session(
        new=new,
        session_id=SESSION_ID,
        application=Application(application_id=SKILL_ID),
        user=user(access_token),
        attributes=attributes,
    )


def envelope(request, access_token=None, in_session=True, new_session=False, attributes=None, **context_options):
    return RequestEnvelope(
        version="1.0",
        session=session(access_token, new_session, attributes) if in_session else None,
        context=context(access_token, **context_options),
        request=request,
    )


def intent(name, slots=None, confirmation=IntentConfirmationStatus.NONE):
    return Intent(name=name, slots=slots, confirmation_status=confirmation)


def slot(name, value=None, **extra):
    return Slot(name=name, value=value, confirmation_status=SlotConfirmationStatus.NONE, **extra)


def intent_request(name, intent_value, locale="en-US", dialog_state=None):
    return IntentRequest(
        request_id=request_id(name), timestamp=NOW, locale=locale, dialog_state=dialog_state, intent=intent_value
    )


def samples():
    """Yields (file stem, ask-sdk-model RequestEnvelope)."""
    yield "launch_linked", envelope(
        LaunchRequest(request_id=request_id("launch-linked"), timestamp=NOW, locale="en-US"),
        access_token=GOOGLE_ACCESS_TOKEN,
        new_session=True,
    )
    yield "launch_unlinked", envelope(
        LaunchRequest(request_id=request_id("launch-unlinked"), timestamp=NOW, locale="en-US"),
        new_session=True,
    )
    # Whether Alexa ever sends an empty token is unverified; if it does, it must mean "not linked".
    yield "launch_empty_access_token", envelope(
        LaunchRequest(request_id=request_id("launch-empty-token"), timestamp=NOW, locale="en-US"),
        access_token="",
        new_session=True,
    )
    yield "launch_de_de_screen_device", envelope(
        LaunchRequest(request_id=request_id("launch-de"), timestamp=NOW, locale="de-DE"),
        access_token=GOOGLE_ACCESS_TOKEN,
        new_session=True,
        screen=True,
    )

    yield "intent_who_am_i", envelope(
        intent_request("who-am-i", intent("WhoAmIIntent")), access_token=GOOGLE_ACCESS_TOKEN
    )
    yield "intent_who_am_i_unlinked", envelope(intent_request("who-am-i-unlinked", intent("WhoAmIIntent")))
    yield "intent_list_files", envelope(
        intent_request("list-files", intent("ListFilesIntent")), access_token=GOOGLE_ACCESS_TOKEN
    )
    yield "intent_next_event_de_de", envelope(
        intent_request("next-event", intent("NextEventIntent"), locale="de-DE"),
        access_token=GOOGLE_ACCESS_TOKEN,
        screen=True,
    )
    yield "intent_add_note_filled", envelope(
        intent_request(
            "add-note-filled",
            intent("AddNoteIntent", {"note": slot("note", "buy milk & eggs")}),
            dialog_state=DialogState.COMPLETED,
        ),
        access_token=GOOGLE_ACCESS_TOKEN,
        attributes={"lastIntent": "ListFilesIntent", "turns": 2},
    )
    yield "intent_add_note_without_value", envelope(
        intent_request(
            "add-note-empty", intent("AddNoteIntent", {"note": slot("note")}), dialog_state=DialogState.STARTED
        ),
        access_token=GOOGLE_ACCESS_TOKEN,
    )
    # Not one of the skill's intents: a custom slot type with entity resolution, to cover
    # resolutionsPerAuthority, both match statuses and the structured slotValue.
    authority = f"amzn1.er-authority.echo-sdk.{SKILL_ID}.FILE_KIND"
    matched = Resolutions(
        resolutions_per_authority=[
            Resolution(
                authority=authority,
                status=Status(code=StatusCode.ER_SUCCESS_MATCH),
                values=[ValueWrapper(value=Value(name="spreadsheet", id="SHEET"))],
            )
        ]
    )
    unmatched = Resolutions(
        resolutions_per_authority=[
            Resolution(authority=authority, status=Status(code=StatusCode.ER_SUCCESS_NO_MATCH))
        ]
    )
    yield "intent_resolutions_dialog_in_progress", envelope(
        intent_request(
            "resolutions",
            intent(
                "SampleFileKindIntent",
                {
                    "fileKind": slot(
                        "fileKind",
                        "sheets",
                        resolutions=matched,
                        slot_value=SimpleSlotValue(value="sheets", resolutions=matched),
                    ),
                    "otherKind": slot("otherKind", "banana", resolutions=unmatched),
                },
            ),
            dialog_state=DialogState.IN_PROGRESS,
        ),
        access_token=GOOGLE_ACCESS_TOKEN,
    )
    for builtin in ("Help", "Stop", "Cancel", "NavigateHome", "Fallback"):
        yield f"intent_amazon_{builtin.lower()}", envelope(
            intent_request(f"amazon-{builtin.lower()}", intent(f"AMAZON.{builtin}Intent")),
            access_token=GOOGLE_ACCESS_TOKEN,
        )

    yield "session_ended_error", envelope(
        SessionEndedRequest(
            request_id=request_id("session-ended-error"),
            timestamp=NOW,
            locale="en-US",
            reason=SessionEndedReason.ERROR,
            error=SessionEndedError(
                object_type=SessionEndedErrorType.INVALID_RESPONSE,
                message="Invalid SSML Output Speech for requestId amzn1.echo-api.request.test-previous",
            ),
        ),
        access_token=GOOGLE_ACCESS_TOKEN,
    )
    yield "session_ended_user_initiated", envelope(
        SessionEndedRequest(
            request_id=request_id("session-ended-user"),
            timestamp=NOW,
            locale="de-DE",
            reason=SessionEndedReason.USER_INITIATED,
        ),
    )
    yield "can_fulfill_intent", envelope(
        CanFulfillIntentRequest(
            request_id=request_id("can-fulfill"),
            timestamp=NOW,
            locale="en-US",
            intent=Intent(name="AddNoteIntent", slots={"note": Slot(name="note", value="call mom")}),
        ),
        new_session=True,
    )
    yield "system_exception_encountered", envelope(
        ExceptionEncounteredRequest(
            request_id=request_id("exception"),
            timestamp=NOW,
            locale="en-US",
            error=Error(object_type=ErrorType.INVALID_RESPONSE, message="The response is invalid."),
            cause=ErrorCause(request_id="amzn1.echo-api.request.test-previous"),
        ),
        in_session=False,
    )

    # Skill events come without a session and without a device, may arrive late.
    event_times = {"event_creation_time": EVENT_CREATED, "event_publishing_time": NOW}
    yield "skill_enabled", envelope(
        SkillEnabledRequest(request_id=request_id("skill-enabled"), timestamp=NOW, locale="en-US", **event_times),
        in_session=False,
        with_device=False,
    )
    yield "skill_disabled", envelope(
        SkillDisabledRequest(request_id=request_id("skill-disabled"), timestamp=NOW, locale="en-US", **event_times),
        in_session=False,
        with_device=False,
    )
    # The token only in body.accessToken, to exercise linked_access_token's last fallback.
    yield "skill_account_linked", envelope(
        AccountLinkedRequest(
            request_id=request_id("account-linked"),
            timestamp=NOW,
            locale="en-US",
            body=AccountLinkedBody(access_token=GOOGLE_ACCESS_TOKEN),
            **event_times,
        ),
        in_session=False,
        with_device=False,
    )
    permission_body = PermissionBody(accepted_permissions=[Permission(scope="alexa::profile:email:read")])
    yield "skill_permission_accepted", envelope(
        PermissionAcceptedRequest(
            request_id=request_id("permission-accepted"),
            timestamp=NOW,
            locale="en-US",
            body=permission_body,
            **event_times,
        ),
        in_session=False,
        with_device=False,
    )
    yield "skill_permission_changed", envelope(
        PermissionChangedRequest(
            request_id=request_id("permission-changed"),
            timestamp=NOW,
            locale="en-US",
            body=PermissionBody(accepted_permissions=[]),
            **event_times,
        ),
        in_session=False,
        with_device=False,
    )

    # A type this crate has no variant for: must parse as Request::Unknown and round-trip.
    yield "audio_player_playback_started", envelope(
        PlaybackStartedRequest(
            request_id=request_id("playback-started"),
            timestamp=NOW,
            locale="en-US",
            token="test-audio-token",
            offset_in_milliseconds=0,
        ),
        access_token=GOOGLE_ACCESS_TOKEN,
        in_session=False,
        audio_player=True,
    )


def alexa_datetimes(value, key=None):
    """Rewrites Python's "+00:00" to the "Z" Alexa sends, for the datetime fields only."""
    if isinstance(value, dict):
        return {k: alexa_datetimes(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [alexa_datetimes(v) for v in value]
    if key in DATETIME_KEYS and isinstance(value, str) and value.endswith("+00:00"):
        return value[: -len("+00:00")] + "Z"
    return value


def main(arguments):
    """Writes into requests/, or into the directory given as `--output DIR` (used by the Rust
    test that checks the committed samples are exactly what this script makes)."""
    output = Path(arguments[1]) if arguments[:1] == ["--output"] and len(arguments) == 2 else OUTPUT
    serializer = DefaultSerializer()
    output.mkdir(exist_ok=True)
    for stale in output.glob("*.json"):
        stale.unlink()
    for stem, sample in samples():
        serialized = alexa_datetimes(serializer.serialize(sample))
        text = json.dumps(serialized, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        (output / f"{stem}.json").write_text(text, encoding="utf-8")
        print(f"wrote {output / stem}.json")


if __name__ == "__main__":
    main(sys.argv[1:])
