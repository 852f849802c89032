"""Check a SMAPI body against Amazon's own SMAPI model (ask-smapi-model).

Usage: python smapi_model_check.py [MODEL] FILE|-

MODEL is the dotted class name, default
ask_smapi_model.v1.skill.account_linking.account_linking_request.AccountLinkingRequest; deploy's
tests also pass e.g. ask_smapi_model.v1.skill.create_skill_with_package_request.
CreateSkillWithPackageRequest, ask_smapi_model.v1.skill.manifest.skill_manifest_envelope.
SkillManifestEnvelope and ask_smapi_model.v1.skill.interaction_model.interaction_model_data.
InteractionModelData. Deserializes the JSON with the model runtime's DefaultSerializer into MODEL,
serializes it back and compares with the input. The serializer drops fields it does not know and
does not check JSON types on the way in, so a round-trip difference is how a misnamed field or a
wrong type shows up. Exit status 0 when identical, 1 with one line per difference on stderr,
2 for usage errors.
"""

import json
import sys
from datetime import datetime

from ask_sdk_model_runtime.serializer import DefaultSerializer

MODEL = "ask_smapi_model.v1.skill.account_linking.account_linking_request.AccountLinkingRequest"


def differences(original, round_tripped, path="$"):
    """Yields one human-readable line per difference between the two JSON values."""
    if isinstance(original, dict) and isinstance(round_tripped, dict):
        for key in sorted(set(original) | set(round_tripped)):
            child = f"{path}.{key}"
            if key not in round_tripped:
                yield f"{child}: dropped by ask-smapi-model (unknown field?), input had {json.dumps(original[key])}"
            elif key not in original:
                yield f"{child}: added by ask-smapi-model: {json.dumps(round_tripped[key])}"
            else:
                yield from differences(original[key], round_tripped[key], child)
    elif isinstance(original, list) and isinstance(round_tripped, list):
        if len(original) != len(round_tripped):
            yield f"{path}: list of {len(original)} came back with {len(round_tripped)} entries"
        for index, (first, second) in enumerate(zip(original, round_tripped)):
            yield from differences(first, second, f"{path}[{index}]")
    elif same_instant(original, round_tripped):
        # The model re-serializes date-times in Python's ISO form ("+00:00" for "Z").
        return
    elif type(original) is not type(round_tripped) or original != round_tripped:
        yield f"{path}: {json.dumps(original)} came back as {json.dumps(round_tripped)}"


def same_instant(first, second):
    """True when both are ISO 8601 date-time strings of the same instant."""
    if not (isinstance(first, str) and isinstance(second, str)):
        return False
    try:
        return datetime.fromisoformat(first) == datetime.fromisoformat(second)
    except ValueError:
        return False


def main(arguments):
    if len(arguments) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 2
    model_name = arguments[0] if len(arguments) == 2 else MODEL
    source = arguments[-1]
    text = sys.stdin.read() if source == "-" else open(source, encoding="utf-8").read()
    original = json.loads(text)
    serializer = DefaultSerializer()
    model = serializer.deserialize(text, model_name)
    round_tripped = serializer.serialize(model)
    found = list(differences(original, round_tripped))
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
