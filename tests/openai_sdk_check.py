"""Drives Voxflow with the official `openai` SDK, unchanged. Prints one JSON line.

Usage: openai_sdk_check.py BASE_URL API_KEY AUDIO_FILE
"""
import json
import sys

import openai

base, key, audio = sys.argv[1], sys.argv[2], sys.argv[3]
client = openai.OpenAI(base_url=base, api_key=key)

with open(audio, "rb") as f:
    text = client.audio.transcriptions.create(model="whisper-1", file=f).text
with open(audio, "rb") as f:
    srt = client.audio.transcriptions.create(model="whisper-1", file=f, response_format="srt")
with open(audio, "rb") as f:
    verbose = client.audio.transcriptions.create(
        model="tiny.en", file=f, response_format="verbose_json", timestamp_granularities=["word"]
    )
models = [m.id for m in client.models.list().data]

bad_key_status = None
try:
    with open(audio, "rb") as f:
        openai.OpenAI(base_url=base, api_key="vf_wrong").audio.transcriptions.create(model="whisper-1", file=f)
except openai.AuthenticationError as e:
    bad_key_status = e.status_code

print(json.dumps({
    "text": text,
    "srt": srt if isinstance(srt, str) else str(srt),
    "verbose_language": verbose.language,
    "words": len(verbose.words or []),
    "models": models,
    "bad_key_status": bad_key_status,
}))
