"""Schemathesis hooks for scripts/schemathesis.sh (loaded through SCHEMATHESIS_HOOKS).

Audio uploads: the document can only say `format: binary` for the `file` part, and
Schemathesis fills such a part with a tiny PNG or random bytes, which the server rightly
refuses (it sniffs the content: `415 file_not_audio`, or OpenAI's `400 unsupported_format`).
No JSON Schema keyword can say "a WAV file", so the bytes of the seeded WAV
($VOXFLOW_ST_WAV) stand in for every generated file of the audio operations. Only the file's
bytes change, and only in positive cases: the other parts, and whether the part is there at
all, stay as generated, and negative cases are left alone.
"""

import os

import schemathesis
from schemathesis.transport.serialization import Binary

AUDIO_OPERATIONS = {
    "POST /v1/files",
    "POST /v1/audio/transcriptions",
    "POST /v1/audio/translations",
}

_WAV_PATH = os.environ.get("VOXFLOW_ST_WAV", "")
_WAV = open(_WAV_PATH, "rb").read() if _WAV_PATH else None


def _is_file(value):
    return isinstance(value, (bytes, bytearray, Binary))


# `before_call` sees every case, whichever phase made it (coverage cases skip `map_body`).
@schemathesis.hook
def before_call(context, case, kwargs):
    if _WAV is None or case.operation.label not in AUDIO_OPERATIONS:
        return
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return  # a negative case must stay invalid, whatever part of it was broken
    body = case.body
    if isinstance(body, dict) and _is_file(body.get("file")):
        body["file"] = Binary(_WAV)
        # Schemathesis re-checks a body a hook edits, and as it cannot check binary data it would
        # then count this positive case as a negative one: record the edit as the baseline
        # (private API of the pinned version; without it the swap only moves the failures).
        case._sync_validated_hashes()
