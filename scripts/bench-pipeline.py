#!/usr/bin/env python3
"""Full-pipeline benchmark: the graph of docs/pipeline.md as one job on a 5-minute clip.

    scripts/bench-pipeline.py [--bin target/release/voxflow] [--minutes 5] [--concurrency 2]

Makes a two-speaker espeak-ng conversation over a quiet sox music bed (--minutes long),
starts the real service (`voxflow serve`, SQLite in a temp dir, ../shared/models,
vendor/ native libraries), creates a tenant, a tenant admin and an API key through the API,
uploads the clip (FLAC), submits docs/pipeline.md's graph verbatim, polls the job
(If-None-Match) and prints each node's wall time, the real-time factor and the server's peak
RSS (VmHWM). `--concurrency 1` runs one node at a time (VOXFLOW_JOB_NODE_CONCURRENCY), so each
node's wall time is its own, not shared with a node running beside it. Record the output in
docs/benchmarks.md by hand. Needs espeak-ng, sox, apertium + apertium-eng-spa, and
scripts/setup-native.sh run once. Standard library only.
"""
import argparse, json, os, re, shutil, socket, subprocess, sys, tempfile, time, urllib.error, urllib.request
from datetime import datetime

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINES = [
    ("en-us", "40", "Good morning and welcome to the weekly planning meeting"),
    ("en+f3", "70", "Thanks for having me I have a short update on the budget"),
    ("en-us", "40", "Can we talk about the hiring plan for the second quarter"),
    ("en+f3", "70", "We need two more engineers and one designer for the mobile team"),
    ("en-us", "40", "That sounds reasonable let us review the numbers again next week"),
    ("en+f3", "70", "I will send the updated spreadsheet to everyone before Friday"),
]
NUMBERS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
           "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"]


def sh(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def make_clip(work, minutes, verbatim=False):
    parts, total, i = [], 0.0, 0
    while total < minutes * 60:
        voice, pitch, text = LINES[i % len(LINES)]
        raw, line = f"{work}/raw{i}.wav", f"{work}/line{i}.wav"
        # espeak-ng is deterministic: without variation every repeat of a line would be the
        # same waveform (no real conversation repeats itself exactly). Vary the words, the
        # speed and the pitch a little per line.
        if verbatim:  # --verbatim: the first version's clip, every repeat the same waveform
            speed = "140"
        else:
            text = f"{text}, point {NUMBERS[i % len(NUMBERS)]} of {NUMBERS[(i * 7) % len(NUMBERS)]}"
            speed, pitch = str(140 + (i * 7) % 21), str(int(pitch) + (i * 3) % 7 - 3)
        sh("espeak-ng", "-v", voice, "-p", pitch, "-s", speed, "-w", raw, text)
        sh("sox", raw, "-r", "16000", "-c", "1", "-b", "16", line, "pad", "0", "0.5")
        total += float(subprocess.check_output(["soxi", "-D", line]).decode())
        parts.append(line)
        i += 1
    speech = f"{work}/speech.wav"
    # Concatenate in chunks (sox has an open-file limit).
    chunks = []
    for k in range(0, len(parts), 100):
        chunk = f"{work}/chunk{k}.wav"
        sh("sox", *parts[k:k + 100], chunk)
        chunks.append(chunk)
    sh("sox", *chunks, speech) if len(chunks) > 1 else shutil.copy(chunks[0], speech)
    secs = float(subprocess.check_output(["soxi", "-D", speech]).decode())
    music = f"{work}/music.wav"
    sh("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", music, "synth", str(secs),
       "pluck", "C3", "pluck", "E4", "pluck", "G4", "tremolo", "2", "80", "gain", "-24")
    mix = f"{work}/mix.flac"
    sh("sox", "-m", speech, music, mix)
    return mix, secs


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Api:
    def __init__(self, base):
        self.base, self.token = base, None

    def call(self, method, path, body=None, headers=None, raw=False):
        data = json.dumps(body).encode() if body is not None else None
        h = {"content-type": "application/json"} if body is not None else {}
        if self.token:
            h["authorization"] = "Bearer " + self.token
        h.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, headers=h, method=method)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                out = r.read()
                return (r.status, dict(r.headers), out if raw else json.loads(out or b"null"))
        except urllib.error.HTTPError as e:
            if e.code == 304:
                return 304, dict(e.headers), None
            sys.exit(f"{method} {path} -> {e.code}: {e.read().decode()}")

    def upload(self, path, name):
        """Multipart POST /v1/files (field `file`)."""
        boundary = "voxflowbench"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                "Content-Type: audio/flac\r\n\r\n").encode() + open(path, "rb").read() + f"\r\n--{boundary}--\r\n".encode()
        req = urllib.request.Request(self.base + "/v1/files", data=body, method="POST", headers={
            "content-type": f"multipart/form-data; boundary={boundary}", "authorization": "Bearer " + self.token})
        with urllib.request.urlopen(req, timeout=300) as r:
            return json.loads(r.read())


def ts(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", f"{REPO}/target"), "release", "voxflow"))
    ap.add_argument("--minutes", type=float, default=5.0)
    ap.add_argument("--concurrency", type=int, default=2, help="VOXFLOW_JOB_NODE_CONCURRENCY")
    ap.add_argument("--verbatim", action="store_true", help="repeat the 6 lines unchanged (identical waveforms)")
    a = ap.parse_args()
    doc = open(f"{REPO}/docs/pipeline.md").read()
    graph = json.loads(re.search(r"```json\n(.*?)```", doc, re.S).group(1))
    work = tempfile.mkdtemp(prefix="vf-bench-pipeline-")
    clip, secs = make_clip(work, a.minutes, a.verbatim)
    port, pw = free_port(), "Bench-admin-pw-1"
    env = dict(os.environ, VOXFLOW_DATA_DIR=f"{work}/data", VOXFLOW_BIND=f"127.0.0.1:{port}",
               VOXFLOW_MODELS_DIR=os.path.normpath(f"{REPO}/../shared/models"),
               VOXFLOW_ORT_LIB=f"{REPO}/vendor/onnxruntime/libonnxruntime.so",
               VOXFLOW_DEEPFILTER_DIR=f"{REPO}/vendor/deepfilter",
               VOXFLOW_BOOTSTRAP_ADMIN_PASSWORD=pw, VOXFLOW_LOG="warn",
               VOXFLOW_JOB_NODE_CONCURRENCY=str(a.concurrency))
    server = subprocess.Popen([a.bin, "serve"], env=env, stdout=open(f"{work}/voxflow.log", "w"), stderr=subprocess.STDOUT)
    try:
        api = Api(f"http://127.0.0.1:{port}")
        for _ in range(100):
            try:
                urllib.request.urlopen(api.base + "/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.2)
        api.token = api.call("POST", "/v1/auth/login", {"email": "admin@voxflow.local", "password": pw})[2]["access_token"]
        tenant = api.call("POST", "/v1/tenants", {"name": "Bench"})[2]["id"]
        api.call("POST", "/v1/users", {"email": "bench@bench.local", "password": "Tenant-admin-pw-1",
                                       "role": "tenant_admin", "tenant_id": tenant})
        api.token = api.call("POST", "/v1/auth/login", {"email": "bench@bench.local", "password": "Tenant-admin-pw-1"})[2]["access_token"]
        # An API key, not the access token: a long job outlives the token's lifetime.
        api.token = api.call("POST", "/v1/api-keys", {"name": "bench"})[2]["key"]
        file_id = api.upload(clip, "meeting.flac")["id"]
        t0 = time.monotonic()
        job = api.call("POST", "/v1/jobs", {"graph": graph, "inputs": {"src": file_id}})[2]
        etag, polls, not_modified = None, 0, 0
        while True:
            status, headers, body = api.call("GET", f"/v1/jobs/{job['id']}", headers={"If-None-Match": etag} if etag else {})
            polls += 1
            if status == 304:
                not_modified += 1
            else:
                etag, view = headers.get("ETag"), body
                if view["status"] in ("succeeded", "failed", "cancelled"):
                    break
            time.sleep(1)
        wall = time.monotonic() - t0
        if view["status"] != "succeeded":
            sys.exit(f"job {view['status']}: {view.get('error')}")
        load = open("/proc/loadavg").read().split()[:3]
        print(f"bench-pipeline: {datetime.utcnow():%Y-%m-%d %H:%M} UTC | cores {os.cpu_count()} | load {' '.join(load)} | {os.path.basename(a.bin)} {a.bin.split('/')[-2]}")
        print(f"clip: {secs:.1f} s two-speaker espeak-ng conversation over a sox music bed (-24 dB), FLAC; node concurrency {a.concurrency}{'; lines repeated verbatim' if a.verbatim else ''}")
        print(f"{'node':<6} {'kind':<28} {'wall (s)':>9} {'RTF':>7}")
        for n in view["nodes"]:
            d = (ts(n["finished_at"]) - ts(n["started_at"])).total_seconds()
            print(f"{n['node_id']:<6} {n['kind']:<28} {d:>9.2f} {d / secs:>7.3f}")
        print(f"job: submitted → succeeded {wall:.1f} s, RTF {wall / secs:.3f}; {polls} polls, {not_modified} answered 304")
        status = open(f"/proc/{server.pid}/status").read()
        rss = {k: int(re.search(rf"{k}:\s+(\d+) kB", status).group(1)) // 1024 for k in ("VmHWM", "VmRSS")}
        print(f"server memory: peak RSS {rss['VmHWM']} MiB, now {rss['VmRSS']} MiB")
        spk = api.call("GET", f"/v1/jobs/{job['id']}/artifacts/dia.speaker_turns.json")[2]
        srt = api.call("GET", f"/v1/jobs/{job['id']}/artifacts/srt.file.srt", raw=True)[2].decode()
        print(f"speakers found: {spk['num_speakers']} of 2; SRT cues: {srt.count('-->')}; first cue: {srt.split(chr(10)+chr(10))[0].splitlines()[-1]!r}")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
