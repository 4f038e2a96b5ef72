#!/usr/bin/env bash
# End-to-end proof of Voxflow Studio (issue 14) in a real browser against a real server:
#   1. build Studio if dist/ is missing (dist/ is committed, so CI normally skips this) and
#      install playwright-core (npm ci) — no browser download: the spec drives Debian's
#      /usr/bin/chromium
#   2. start `voxflow serve` (SQLite in a temp dir, models from ../shared/models) on a free
#      port; create a tenant, a tenant admin with a password and a viewer in the same tenant
#      through the API as the bootstrap platform admin
#   3. synthesise a spoken clip (espeak-ng + sox)
#   4. run e2e/studio.e2e.cjs: sign in; build Decode → VAD → Whisper → subtitles by drag and
#      drop, connect the handles by dragging; run it on the clip dropped on the drop zone (a
#      throttled upload shows its progress bar); see the transcript, play a word; download the
#      SRT; a second run, of the clip by URL, whose WebSocket is cut mid-run switches to
#      polling and still finishes; presets, version diff, Flowise export →
#      import, auto-layout, delete + undo, a template instantiated, tenant switching, silent
#      refreshes of a 20 s access token; the viewer has no enabled Save/Run.
# Studio is opened at http://127.0.0.1:<port>/studio/ on the server itself. STUDIO_URL
# overrides it; with a binary that does not serve /studio/ yet, `vite preview` (proxying /v1
# and /v1/ws to the server) stands in, said loudly.
# Env: VOXFLOW_BIN (else ${CARGO_TARGET_DIR:-../target}/debug/voxflow), CHROMIUM
#      (/usr/bin/chromium), SCREENSHOT=1 (or --screenshot) writes docs/studio-editor.png and
#      docs/studio-results.png, else screenshots go to $OUT_DIR (default: the work dir),
#      KEEP=1 keeps the work dir, TIMEOUT_S per job (default 300), ACCESS_TTL: the access
#      tokens' lifetime in seconds (default 20, so Studio refreshes its session during the run),
#      SHOWCASE=1 (default with SCREENSHOT=1): a third run of a two-voice dialogue through
#      diarization, speaker assignment and an Apertium en→es translation, whose results (speakers,
#      the translation beside the original) make docs/studio-results.png.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
studio=$(dirname "$here")
repo=$(dirname "$studio")
[ "${1:-}" = "--screenshot" ] && SCREENSHOT=1
work=$(mktemp -d /tmp/voxflow-studio-e2e.XXXXXX)
. "$repo/scripts/e2e-lib.sh"  # cleanup trap, step, free_port, wait_http, jq_, post
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "no chromium at $chromium (apt-get install chromium)"; exit 1; }

step "Studio and playwright-core"
export npm_config_cache=${npm_config_cache:-/var/cache/voxflow-ci/npm}
(cd "$studio" && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error; })
[ -f "$studio/dist/index.html" ] || (cd "$studio" && npm run build)

step "Start Voxflow"
bin="${VOXFLOW_BIN:-${CARGO_TARGET_DIR:-$repo/target}/debug/voxflow}"
[ -x "$bin" ] || { echo "no voxflow binary at $bin (set VOXFLOW_BIN or build it)"; exit 1; }
vport=$(free_port)
admin_pw="E2e-admin-$(date +%s)"
VOXFLOW_DATA_DIR="$work/voxflow" VOXFLOW_BIND="127.0.0.1:$vport" VOXFLOW_MODELS_DIR="$repo/../shared/models" \
  VOXFLOW_DEFAULT_MODEL=tiny.en VOXFLOW_BOOTSTRAP_ADMIN_PASSWORD="$admin_pw" \
  VOXFLOW_ACCESS_TOKEN_TTL_SECS="${ACCESS_TTL:-20}" VOXFLOW_URL_ALLOW_PRIVATE=true VOXFLOW_JOB_LEASE_SECS=6 \
  VOXFLOW_LOG=warn "$bin" serve >"$work/voxflow.log" 2>&1 &
pids+=($!)
vurl="http://127.0.0.1:$vport"
wait_http "$vurl/healthz" Voxflow "$work/voxflow.log"

token=$(post /v1/auth/login "{\"email\":\"admin@voxflow.local\",\"password\":\"$admin_pw\"}" | jq_ "['access_token']")
tenant=$(post /v1/tenants '{"name":"Studio e2e"}' "$token" | jq_ "['id']")
admin_email=studio-admin@e2e.local admin_pass=Studio-admin-pw-1
viewer_email=studio-viewer@e2e.local viewer_pass=Studio-viewer-pw-1
post /v1/users "{\"email\":\"$admin_email\",\"password\":\"$admin_pass\",\"role\":\"tenant_admin\",\"tenant_id\":\"$tenant\"}" "$token" >/dev/null
post /v1/users "{\"email\":\"$viewer_email\",\"password\":\"$viewer_pass\",\"role\":\"viewer\",\"tenant_id\":\"$tenant\"}" "$token" >/dev/null
echo "tenant $tenant: tenant admin $admin_email, viewer $viewer_email"
# A second tenant where the tenant admin is a member: Studio offers tenant switching.
tenant_b=$(post /v1/tenants '{"name":"Studio e2e B"}' "$token" | jq_ "['id']")
post "/v1/tenants/$tenant_b/members" "{\"email\":\"$admin_email\",\"role\":\"member\"}" "$token" >/dev/null
# A platform template (the gallery) and a platform preset of export.subtitles (the form).
template=$(post /v1/templates '{"name":"E2E interview transcript","category":"interviews","description":"VAD then Whisper (tiny.en, English)",
  "inputs":{"src":"The recording"},
  "graph":{"nodes":[{"id":"src","type":"audio.decode","data":{"params":{}}},{"id":"vad","type":"vad.silero","data":{"params":{}}},
    {"id":"asr","type":"whisper.transcribe","data":{"params":{"model":"tiny.en","language":"en"}}}],
   "edges":[{"id":"e1","source":"src","sourceHandle":"audio","target":"vad","targetHandle":"audio"},
    {"id":"e2","source":"src","sourceHandle":"audio","target":"asr","targetHandle":"audio"},
    {"id":"e3","source":"vad","sourceHandle":"speech_regions","target":"asr","targetHandle":"speech_regions"}]}}' "$token" | jq_ "['id']")
post "/v1/templates/$template/publish" '{}' "$token" >/dev/null
post /v1/presets '{"kind":"export.subtitles","name":"E2E WebVTT","description":"WebVTT, 32 characters a line","params":{"format":"vtt","max_line_length":32}}' "$token" >/dev/null
echo "second tenant $tenant_b (the admin is a member), template $template (published), preset E2E WebVTT"
# The platform's branding, which the sign-in page must wear (GET /v1/branding/public).
product="Acme Speech"
if post /v1/branding/configurations "{\"product_name\":\"$product\",\"powered_by\":true,\"colors\":{\"primary\":\"#0b7a75\",\"secondary\":\"#12323a\"}}" "$token" >/dev/null; then
  echo "platform branding: $product"
else
  echo "!! could not set the platform branding; the sign-in page is checked against the default"; product=""
fi

step "Synthesise a spoken clip"
espeak-ng -s 140 -w "$work/raw.wav" "The quick brown fox jumps over the lazy dog. Voxflow Studio turns speech into subtitles."
sox "$work/raw.wav" -r 16000 -c 1 "$work/clip.wav" pad 1 1
# Run 2 gives the clip by URL: served on loopback (VOXFLOW_URL_ALLOW_PRIVATE=true above).
mkdir -p "$work/www" && cp "$work/clip.wav" "$work/www/clip.wav"
# Run 3 is cancelled while it runs: a minute of speech, so it is still running when the
# cancellation lands (a running job sees it at its next heartbeat, every lease/3: 2 s with
# VOXFLOW_JOB_LEASE_SECS=6 above).
sox "$work/clip.wav" "$work/clip.wav" "$work/clip.wav" "$work/clip.wav" "$work/clip.wav" "$work/clip.wav" "$work/clip.wav" "$work/www/long.wav"
aport=$(free_port)
(cd "$work/www" && exec python3 -m http.server "$aport" --bind 127.0.0.1) >"$work/http.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$aport/clip.wav" "audio server" "$work/http.log"
# The showcase (SHOWCASE=1, on with SCREENSHOT=1): two voices, for speakers and a translation.
espeak-ng -v en-us -s 140 -w "$work/a.wav" "Good morning everybody, welcome to the weekly meeting about the new product."
espeak-ng -v en+f3 -p 70 -s 150 -w "$work/b.wav" "Thank you. Today we will look at the subtitles and the translation."
sox "$work/a.wav" "$work/b.wav" -r 16000 -c 1 "$work/dialogue.wav" pad 0.5 0.8

step "Where Studio is served"
url=${STUDIO_URL:-}
if [ -z "$url" ]; then
  if python3 -c 'import sys,urllib.request; r=urllib.request.urlopen(sys.argv[1], timeout=5); sys.exit(0 if b"<div id=\"root\">" in r.read() else 1)' "$vurl/studio/" 2>/dev/null; then
    url="$vurl/studio/"
  else
    sport=$(free_port)
    echo "!! $vurl/studio/ is not served by this binary: using vite preview on :$sport (proxy to $vurl)"
    (cd "$studio" && VOXFLOW_URL="$vurl" exec node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port "$sport" --strictPort) >"$work/preview.log" 2>&1 &
    pids+=($!)
    url="http://127.0.0.1:$sport/studio/"
    wait_http "$url" "vite preview" "$work/preview.log"
  fi
fi
echo "Studio: $url"

step "Drive Studio in chromium"
out=${OUT_DIR:-$work}
mkdir -p "$out"
shots=()
[ "${SCREENSHOT:-}" = 1 ] && shots=(EDITOR_PNG="$repo/docs/studio-editor.png" RESULTS_PNG="$repo/docs/studio-results.png")
start=$SECONDS
env STUDIO_URL="$url" CHROMIUM="$chromium" OUT_DIR="$out" CLIP="$work/clip.wav" DIALOGUE="$work/dialogue.wav" \
  AUDIO_URL="http://127.0.0.1:$aport/clip.wav" LONG_URL="http://127.0.0.1:$aport/long.wav" \
  SHOWCASE="${SHOWCASE:-${SCREENSHOT:-}}" \
  ADMIN_EMAIL="$admin_email" ADMIN_PASSWORD="$admin_pass" VIEWER_EMAIL="$viewer_email" VIEWER_PASSWORD="$viewer_pass" \
  EXPECT_WORDS="quick,fox,lazy,dog" EXPECT_PRODUCT="$product" ACCESS_TTL_S="${ACCESS_TTL:-20}" TIMEOUT_S="${TIMEOUT_S:-300}" "${shots[@]}" \
  NODE_PATH="$studio/node_modules" node "$here/studio.e2e.cjs" || { echo "--- voxflow.log"; tail -n 60 "$work/voxflow.log"; exit 1; }
step "Studio e2e passed (browser part: $((SECONDS - start)) s)"
