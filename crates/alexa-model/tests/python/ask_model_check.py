"""Check Alexa JSON against Amazon's own Python model (ask-sdk-model, via ask-sdk-core).

Usage: python ask_model_check.py request|response FILE|-

Deserializes the JSON with ask_sdk_core.serialize.DefaultSerializer into
ask_sdk_model.RequestEnvelope or ask_sdk_model.ResponseEnvelope, serializes it back, and compares
the result with the input. DefaultSerializer silently ignores fields it does not know (they are
not serialized again) and accepts wrong JSON types, so a round-trip difference is how a misnamed
field or a wrong type shows up. Exit status 0 when identical, 1 with the differences on stderr,
2 for usage errors.

Tolerated differences: a number that comes back as an equal number of the other Python type
(600 as 600.0: JSON has one number type), and a string the model types as a datetime comes back in Python's
isoformat ("2026-01-01T12:00:00+00:00" for "2026-01-01T12:00:00Z"); such pairs count as equal
when both parse to the same instant.
"""

import json
import sys

from ask_sdk_core.serialize import DefaultSerializer

ENVELOPE_TYPES = {
    "request": "ask_sdk_model.RequestEnvelope",
    "response": "ask_sdk_model.ResponseEnvelope",
}


def same_instant(original, round_tripped):
    """True if both strings are ISO 8601 datetimes naming the same instant."""
    from dateutil.parser import isoparse

    try:
        first, second = isoparse(original), isoparse(round_tripped)
    except (ValueError, OverflowError):
        return False
    if (first.tzinfo is None) != (second.tzinfo is None):
        return False
    return first == second


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def differences(original, round_tripped, path="$"):
    """Yields one human-readable line per difference between the two JSON values."""
    if isinstance(original, dict) and isinstance(round_tripped, dict):
        for key in sorted(set(original) | set(round_tripped)):
            child = f"{path}.{key}"
            if key not in round_tripped:
                yield f"{child}: dropped by ask-sdk-model (unknown field or wrong type?), input had {json.dumps(original[key])}"
            elif key not in original:
                yield f"{child}: added by ask-sdk-model: {json.dumps(round_tripped[key])}"
            else:
                yield from differences(original[key], round_tripped[key], child)
    elif isinstance(original, list) and isinstance(round_tripped, list):
        if len(original) != len(round_tripped):
            yield f"{path}: list of {len(original)} came back with {len(round_tripped)} entries"
        for index, (first, second) in enumerate(zip(original, round_tripped)):
            yield from differences(first, second, f"{path}[{index}]")
    elif is_number(original) and is_number(round_tripped) and original == round_tripped:
        return  # JSON has one number type; the model turns 600 into 600.0 for float fields.
    elif type(original) is not type(round_tripped) or original != round_tripped:
        if isinstance(original, str) and isinstance(round_tripped, str) and same_instant(original, round_tripped):
            return
        yield f"{path}: input {json.dumps(original)} came back as {json.dumps(round_tripped)}"


def check(kind, text):
    """Returns the list of differences (empty when the JSON matches the model)."""
    serializer = DefaultSerializer()
    original = json.loads(text)
    model = serializer.deserialize(text, ENVELOPE_TYPES[kind])
    round_tripped = json.loads(json.dumps(serializer.serialize(model)))
    return list(differences(original, round_tripped))


def main(arguments):
    if len(arguments) != 2 or arguments[0] not in ENVELOPE_TYPES:
        print("usage: ask_model_check.py request|response FILE|-", file=sys.stderr)
        return 2
    kind, source = arguments
    try:
        if source == "-":
            text = sys.stdin.read()
        else:
            with open(source, encoding="utf-8") as file:
                text = file.read()
    except OSError as error:
        print(f"ask_model_check: cannot read {source}: {error}", file=sys.stderr)
        return 2
    try:
        found = check(kind, text)
    except Exception as error:  # SerializationException, JSON errors, unknown enum values, ...
        print(f"ask_model_check: {source} is not a valid ask-sdk-model {kind} envelope: {error}", file=sys.stderr)
        return 1
    if found:
        print(f"ask_model_check: {source} differs from ask-sdk-model's {kind} envelope:", file=sys.stderr)
        for line in found:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(f"ok: {source} matches ask-sdk-model's {kind} envelope")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
