"""Drives Voxflow with the generated Python client (sdks/python, `voxflow_client`), as an
integrator would: log in, create an API key, list nodes, upload a clip, run a
VAD → Whisper → SRT job, wait for it with ETag polling, read the SRT, and get typed
problem+json errors. Prints one JSON line; tests/api/sdks.rs checks it.

Usage: sdk_python_check.py BASE_URL EMAIL PASSWORD AUDIO_FILE
"""

import json
import sys
import time
import uuid

from voxflow_client import AuthenticatedClient, Client
import hashlib
import zipfile
import io

from voxflow_client.api.api_keys import create_api_key
from voxflow_client.api.auth import login
from voxflow_client.api.branding import get_branding
from voxflow_client.api.exports import create_my_export, download_export, get_export
from voxflow_client.api.files import upload_file
from voxflow_client.api.jobs import create_job, get_job, get_job_artifact
from voxflow_client.api.nodes import list_nodes
from voxflow_client.api.templates import list_templates
from voxflow_client.models import (
    CreateApiKeyRequest,
    CreatedApiKeyView,
    CreateJobRequest,
    DataExportView,
    ExportStatus,
    FileUploadForm,
    FileView,
    JobState,
    JobSummary,
    JobView,
    LoginRequest,
    NodeList,
    Problem,
    ResolvedBrandingView,
    TemplateList,
    TokenResponse,
)
from voxflow_client.types import UNSET, File

base, email, password, audio = sys.argv[1:5]

GRAPH = {
    "nodes": [
        {"id": "src", "type": "audio.decode"},
        {"id": "vad", "type": "vad.silero"},
        {"id": "asr", "type": "whisper.transcribe", "data": {"params": {"model": "tiny.en", "language": "en"}}},
        {"id": "srt", "type": "export.subtitles", "data": {"params": {"format": "srt"}}},
    ],
    "edges": [
        {"id": "e1", "source": "src", "sourceHandle": "audio", "target": "vad", "targetHandle": "audio"},
        {"id": "e2", "source": "src", "sourceHandle": "audio", "target": "asr", "targetHandle": "audio"},
        {"id": "e3", "source": "vad", "sourceHandle": "speech_regions", "target": "asr", "targetHandle": "speech_regions"},
        {"id": "e4", "source": "asr", "sourceHandle": "transcript", "target": "srt", "targetHandle": "transcript"},
    ],
}


def expect(value, kind):
    """The parsed body must be `kind` (a Problem here means the call failed)."""
    if not isinstance(value, kind):
        raise SystemExit(f"expected {kind.__name__}, got {value!r}")
    return value


# 1. Log in with email and password; the access token authenticates the next calls.
anonymous = Client(base_url=base)
wrong = login.sync_detailed(client=anonymous, body=LoginRequest(email=email, password="not-the-password"))
tokens = expect(login.sync(client=anonymous, body=LoginRequest(email=email, password=password)), TokenResponse)
user = AuthenticatedClient(base_url=base, token=tokens.access_token)

# 2. An API key (what integrators deploy with) is also a bearer token.
key = expect(create_api_key.sync(client=user, body=CreateApiKeyRequest(name="python sdk")), CreatedApiKeyView)
client = AuthenticatedClient(base_url=base, token=key.key)

nodes = expect(list_nodes.sync(client=client), NodeList)

# 3. Upload (multipart), and a refused upload comes back as a typed problem.
with open(audio, "rb") as f:
    uploaded = expect(
        upload_file.sync(client=client, body=FileUploadForm(file=File(payload=f, file_name="clip.wav", mime_type="audio/wav"))),
        FileView,
    )
refused = upload_file.sync_detailed(
    client=client, body=FileUploadForm(file=File(payload=b"plain text, not audio", file_name="notes.txt"))
)

# 4. Submit the job and wait: conditional GETs answer 304 until the job changes.
job = expect(create_job.sync(client=client, body=CreateJobRequest.from_dict({"graph": GRAPH, "inputs": {"src": str(uploaded.id)}})), JobSummary)
etag, polls, not_modified, seen = None, 0, 0, []
deadline = time.monotonic() + 180
while True:
    r = get_job.sync_detailed(job.id, client=client, if_none_match=etag or UNSET)
    polls += 1
    if r.status_code == 304:
        not_modified += 1
    else:
        view = expect(r.parsed, JobView)
        etag = r.headers["etag"]
        seen.append(view.status.value)
        if view.status in (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED):
            break
    if time.monotonic() > deadline:
        raise SystemExit(f"job {job.id} did not finish: {seen}")
    time.sleep(min(float(r.headers.get("voxflow-poll-after", "1")), 0.2))

srt = get_job_artifact.sync(job.id, "srt.file.srt", client=client)
missing = get_job.sync(uuid.uuid4(), client=client)
foreign_token = get_job.sync_detailed(job.id, client=AuthenticatedClient(base_url=base, token="vf_not_a_key"))

# 5. The reseller side: the templates offered to the tenant, and its resolved branding.
templates = expect(list_templates.sync(client=client), TemplateList)
branding = expect(get_branding.sync(client=client), ResolvedBrandingView)

# 6. A personal data export (a session, not a key): queued, built, downloaded as bytes.
export = expect(create_my_export.sync(client=user), DataExportView)
deadline = time.monotonic() + 120
while export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING):
    if time.monotonic() > deadline:
        raise SystemExit(f"export {export.id} still {export.status}")
    time.sleep(0.2)
    export = expect(get_export.sync(export.id, client=user), DataExportView)
archive = download_export.sync_detailed(export.id, client=user)
body = archive.content
with zipfile.ZipFile(io.BytesIO(body)) as z:
    manifest = json.loads(z.read("manifest.json"))
key_export = create_my_export.sync_detailed(client=client)

print(json.dumps({
    "templates": [t.name for t in templates.items],
    "product_name": branding.product_name,
    "export_status": export.status.value,
    "export_etag_is_sha256": archive.headers.get("etag") == f'"{hashlib.sha256(body).hexdigest()}"',
    "export_format": manifest.get("format"),
    "export_key_status": int(key_export.status_code),
    "wrong_password_status": int(wrong.status_code),
    "wrong_password_code": wrong.parsed.code if isinstance(wrong.parsed, Problem) else None,
    "node_kinds": [n.kind for n in nodes.items],
    "file_size": uploaded.size_bytes,
    "refused_status": int(refused.status_code),
    "refused_code": refused.parsed.code if isinstance(refused.parsed, Problem) else None,
    "job_status": view.status.value,
    "job_error": view.error if isinstance(view.error, str) else None,
    "outputs": [o.name for o in view.outputs],
    "statuses_seen": seen,
    "polls": polls,
    "not_modified": not_modified,
    "srt": srt if isinstance(srt, str) else None,
    "missing_code": missing.code if isinstance(missing, Problem) else None,
    "bad_key_status": int(foreign_token.status_code),
}))
