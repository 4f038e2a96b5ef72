#!/usr/bin/env bash
# End-to-end proof of the Flowise plugin in a real Flowise (issue 6), run by CI after
# scripts/test.sh:
#   1. Node 24 + flowise@3.1.4 (cached under /var/cache/voxflow-ci; see setup-flowise.sh)
#   2. build the plugin (npm ci + esbuild) and install it with its own installer (twice: idempotent)
#   3. start Voxflow (SQLite, ../shared/models, VOXFLOW_URL_ALLOW_PRIVATE=true for the loopback
#      audio server), create a tenant, a tenant admin and an API key, and publish a platform
#      template and a platform node preset (WebVTT subtitles) through Voxflow's API
#   4. synthesise a clip (espeak-ng + sox) and serve it over HTTP on loopback
#   5. start Flowise on loopback and run e2e/flowise.mjs against it (credential; chatflow
#      URL → VAD → Whisper → Run; a problem detail; the clip as a chat upload; with no plugin
#      node, Flowise's built-in "LocalAI STT" pointed at Voxflow's /v1 transcribing a voice
#      recording (Voxflow logs the OpenAI-route transcriptions, voxflow::api::openai=info); Agentflow v2
#      Start → Voxflow Transcribe streamed with progress; Agentflow v2 Tool node running the
#      Voxflow tool; the Template node running the published template; a subtitles node using
#      the preset; node list)
#   6. open both flows in Flowise's UI (playwright-core + Debian's chromium) and check every node
#      is rendered; with SCREENSHOT=1 (or `e2e/run.sh --screenshot`) also save the chatflow's
#      canvas to docs/flowise-canvas.png and the Agentflow's chat window during a run to
#      docs/flowise-agentflow-chat.png. Skipped without chromium unless VOXFLOW_REQUIRE_CANVAS=1.
#   7. a renamed fork (make-fork.sh: the same Flowise 3.1.4 as `keelflow` + `keelflow-components`,
#      Keelflow's package names; no fork is on the npm registry): install the plugin with the same
#      installer, start it, and run flowise.mjs up to the first chatflow (FORK_ONLY=1): nodes loaded
#      from keelflow-components, credential, load methods, one job. SKIP_FORK=1 skips it.
# Env: CARGO_TARGET_DIR (reuses its debug `voxflow`), VOXFLOW_CI_CACHE, KEEP=1 keeps the work dir,
#      AUDIO_MIME/AUDIO_NAME to upload another format (the clip is converted with sox or ffmpeg).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
plugin=$(dirname "$here")
repo=$(dirname "$plugin")
[ "${1:-}" = "--screenshot" ] && SCREENSHOT=1
work=$(mktemp -d /tmp/voxflow-e2e.XXXXXX)
. "$repo/scripts/e2e-lib.sh"  # cleanup trap, step, free_port, wait_http, jq_, post

step "Node 24 and flowise@3.1.4"
eval "$("$here/setup-flowise.sh")"
node --version

step "Build and unit-test the plugin (npm test: generator drift check, tsc, esbuild, node --test)"
(cd "$plugin" && npm ci --no-audit --no-fund --loglevel=error && npm test 2>&1 | tail -n 12)

step "Install it into Flowise (twice: the installer is idempotent)"
node "$plugin/dist/cli.js" install --flowise-dir "$FLOWISE_DIR"
node "$plugin/dist/cli.js" install --flowise-dir "$FLOWISE_DIR" >/dev/null
test -f "$FLOWISE_DIR/node_modules/flowise-components/dist/credentials/VoxflowApi.credential.js"

step "Start Voxflow"
bin="${VOXFLOW_BIN:-${CARGO_TARGET_DIR:-$repo/target}/debug/voxflow}"
if [ ! -x "$bin" ]; then (cd "$repo" && cargo build --bin voxflow); fi
vport=$(free_port)
admin_pw="E2e-admin-$(date +%s)"
VOXFLOW_DATA_DIR="$work/voxflow" VOXFLOW_BIND="127.0.0.1:$vport" VOXFLOW_MODELS_DIR="$repo/../shared/models" \
  VOXFLOW_URL_ALLOW_PRIVATE=true VOXFLOW_DEFAULT_MODEL=tiny.en VOXFLOW_BOOTSTRAP_ADMIN_PASSWORD="$admin_pw" \
  VOXFLOW_LOG="warn,voxflow::api::openai=info" "$bin" serve >"$work/voxflow.log" 2>&1 &
pids+=($!)
vurl="http://127.0.0.1:$vport"
wait_http "$vurl/healthz" Voxflow "$work/voxflow.log"

token=$(post /v1/auth/login "{\"email\":\"admin@voxflow.local\",\"password\":\"$admin_pw\"}" | jq_ "['access_token']")
tenant=$(post /v1/tenants '{"name":"Flowise e2e"}' "$token" | jq_ "['id']")
post /v1/users "{\"email\":\"flowise@e2e.local\",\"password\":\"Tenant-admin-pw-1\",\"role\":\"tenant_admin\",\"tenant_id\":\"$tenant\"}" "$token" >/dev/null
ttoken=$(post /v1/auth/login '{"email":"flowise@e2e.local","password":"Tenant-admin-pw-1"}' | jq_ "['access_token']")
vkey=$(post /v1/api-keys '{"name":"Flowise"}' "$ttoken" | jq_ "['key']")
echo "tenant $tenant, API key ${vkey:0:6}…"
# A platform template (offered to every tenant) the Template node runs, and a platform preset
# (WebVTT subtitles) one node of a flow uses: authored through Voxflow's API, as an operator would.
template=$(post /v1/templates '{"name":"E2E interview transcript","category":"interviews","description":"VAD then Whisper (tiny.en, English)",
  "inputs":{"src":"The recording"},
  "graph":{"nodes":[{"id":"src","type":"audio.decode","data":{"params":{}}},{"id":"vad","type":"vad.silero","data":{"params":{}}},
    {"id":"asr","type":"whisper.transcribe","data":{"params":{"model":"tiny.en","language":"en"}}}],
   "edges":[{"id":"e1","source":"src","sourceHandle":"audio","target":"vad","targetHandle":"audio"},
    {"id":"e2","source":"src","sourceHandle":"audio","target":"asr","targetHandle":"audio"},
    {"id":"e3","source":"vad","sourceHandle":"speech_regions","target":"asr","targetHandle":"speech_regions"}]}}' "$token" | jq_ "['id']")
post "/v1/templates/$template/publish" '{}' "$token" >/dev/null
preset=$(post /v1/presets '{"kind":"export.subtitles","name":"E2E WebVTT","description":"WebVTT, 32 characters a line","params":{"format":"vtt","max_line_length":32}}' "$token" | jq_ "['id']")
echo "template $template (published), subtitles preset $preset"

step "Serve a spoken clip on loopback"
mkdir -p "$work/www"
espeak-ng -s 140 -w "$work/raw.wav" "The quick brown fox jumps over the lazy dog. Voxflow turns speech into text inside Flowise."
sox "$work/raw.wav" -r 16000 -c 1 "$work/www/clip.wav" pad 1.5 2
# The chat-upload check sends the same clip as WebM/Opus, what a browser's MediaRecorder
# records (made with ffmpeg; AUDIO_MIME=audio/wav AUDIO_NAME=clip.wav sends the WAV). The
# name's extension must match the MIME type.
upload_name=${AUDIO_NAME:-clip.webm}
[ "$upload_name" = clip.wav ] || ffmpeg -loglevel error -y -i "$work/www/clip.wav" "$work/www/$upload_name"
# Flowise's built-in speech-to-text only takes audio/webm, audio/mp4 or audio/ogg: always WebM/Opus.
[ -f "$work/www/clip.webm" ] || ffmpeg -loglevel error -y -i "$work/www/clip.wav" "$work/www/clip.webm"
clip_ms=$(python3 -c 'import sys, wave; w = wave.open(sys.argv[1]); print(round(w.getnframes() * 1000 / w.getframerate()))' "$work/www/clip.wav")
aport=$(free_port)
(cd "$work/www" && exec python3 -m http.server "$aport" --bind 127.0.0.1) >"$work/http.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$aport/clip.wav" "audio server" "$work/http.log"

step "Start Flowise"
fport=$(free_port)
mkdir -p "$work/flowise"
(cd "$FLOWISE_DIR" && HOST=127.0.0.1 PORT=$fport DATABASE_TYPE=sqlite DATABASE_PATH="$work/flowise" \
  SECRETKEY_PATH="$work/flowise" LOG_PATH="$work/flowise/logs" BLOB_STORAGE_PATH="$work/flowise/storage" \
  DISABLE_FLOWISE_TELEMETRY=true SHOW_COMMUNITY_NODES=true \
  exec node node_modules/flowise/bin/run start) >"$work/flowise.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$fport/api/v1/ping" Flowise "$work/flowise.log"

step "Drive Flowise"
FLOWISE_URL="http://127.0.0.1:$fport" VOXFLOW_URL="$vurl" VOXFLOW_KEY="$vkey" TEMPLATE_ID="$template" PRESET_ID="$preset" \
  AUDIO_URL="http://127.0.0.1:$aport/clip.wav" AUDIO_FILE="$work/www/$upload_name" AUDIO_MIME="${AUDIO_MIME:-audio/webm}" \
  STT_AUDIO_FILE="$work/www/clip.webm" CLIP_MS="$clip_ms" VOXFLOW_LOG_FILE="$work/voxflow.log" \
  EXPECT_WORDS="quick,fox,over,lazy,dog,text,inside" EXPECT_COMPONENTS=flowise-components \
  NODES_JSON="$plugin/dist/voxflow-nodes.json" OUT="$work/flow.json" \
  node "$here/flowise.mjs" || { echo "--- flowise.log"; tail -n 80 "$work/flowise.log"; echo "--- voxflow.log"; tail -n 40 "$work/voxflow.log"; exit 1; }

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ -x "$chromium" ]; then
  step "Flowise's UI renders both flows (chromium)"
  png=()
  [ "${SCREENSHOT:-}" = 1 ] && png=(OUT_PNG="$repo/docs/flowise-canvas.png" OUT_CHAT_PNG="$repo/docs/flowise-agentflow-chat.png")
  env FLOWISE_URL="http://127.0.0.1:$fport" FLOW_JSON="$work/flow.json" CHROMIUM="$chromium" "${png[@]}" \
    NODE_PATH="$FLOWISE_DIR/node_modules" node "$here/screenshot.cjs"
elif [ "${VOXFLOW_REQUIRE_CANVAS:-}" = 1 ] || [ "${SCREENSHOT:-}" = 1 ]; then
  echo "no chromium at $chromium (apt-get install chromium)"; exit 1
else
  echo "(canvas check skipped: no chromium at $chromium)"
fi
if [ "${SKIP_FORK:-}" != 1 ]; then
  # No Flowise fork is published on the npm registry (Keelflow, which renames the packages
  # keelflow / keelflow-components, ships as source and an image): the same Flowise 3.1.4 with
  # those names stands in for one, to prove the installer and the nodes do not depend on the name.
  step "A renamed fork: Flowise 3.1.4 as keelflow + keelflow-components (make-fork.sh)"
  "$here/make-fork.sh" "$FLOWISE_DIR" "$work/keelflow"
  out=$(node "$plugin/dist/cli.js" install --flowise-dir "$work/keelflow")
  echo "$out"
  grep -q "keelflow-components/dist (keelflow-components [0-9.]*, used by keelflow " <<<"$out"
  test -f "$work/keelflow/node_modules/keelflow-components/dist/credentials/VoxflowApi.credential.js"
  kport=$(free_port)
  mkdir -p "$work/keelflow-data"
  (cd "$work/keelflow" && HOST=127.0.0.1 PORT=$kport DATABASE_TYPE=sqlite DATABASE_PATH="$work/keelflow-data" \
    SECRETKEY_PATH="$work/keelflow-data" LOG_PATH="$work/keelflow-data/logs" BLOB_STORAGE_PATH="$work/keelflow-data/storage" \
    DISABLE_FLOWISE_TELEMETRY=true SHOW_COMMUNITY_NODES=true \
    exec node node_modules/keelflow/bin/run start) >"$work/keelflow.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$kport/api/v1/ping" "the renamed fork" "$work/keelflow.log"
  FORK_ONLY=1 FLOWISE_URL="http://127.0.0.1:$kport" VOXFLOW_URL="$vurl" VOXFLOW_KEY="$vkey" TEMPLATE_ID="$template" PRESET_ID="$preset" \
    AUDIO_URL="http://127.0.0.1:$aport/clip.wav" EXPECT_WORDS="quick,fox,over,lazy,dog,text,inside" EXPECT_COMPONENTS=keelflow-components \
    NODES_JSON="$plugin/dist/voxflow-nodes.json" \
    node "$here/flowise.mjs" || { echo "--- keelflow.log"; tail -n 80 "$work/keelflow.log"; echo "--- voxflow.log"; tail -n 40 "$work/voxflow.log"; exit 1; }
fi
step "Flowise e2e passed"
