# Shell helpers shared by the end-to-end runners (flowise-plugin/e2e/run.sh, studio/e2e/run.sh).
# Source it after setting `work` (the run's temp dir); `post` sends to `$vurl` (the Voxflow
# base URL), read when it is called. HTTP goes through python3's standard library: a bare
# Debian has no curl.
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "${KEEP:-}" = 1 ]; then echo "work dir kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_ok() { python3 -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' "$1" 2>/dev/null; }
wait_http() { # url, what, log
  for _ in $(seq 1 180); do http_ok "$1" && return 0; sleep 1; done
  echo "$2 did not come up; log tail:"; tail -n 60 "$3"; return 1
}
jq_() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { # path, json body, [bearer token] → response body (fails on non-2xx, printing it)
  python3 - "$vurl$1" "$2" "${3:-}" <<'PY'
import sys, urllib.request, urllib.error
url, body, token = sys.argv[1:4]
req = urllib.request.Request(url, data=body.encode(), headers={"content-type": "application/json", **({"authorization": "Bearer " + token} if token else {})})
try:
    print(urllib.request.urlopen(req, timeout=30).read().decode())
except urllib.error.HTTPError as e:
    sys.exit(f"POST {url} -> {e.code}: {e.read().decode()}")
PY
}
