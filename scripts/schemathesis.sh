#!/usr/bin/env bash
# Schemathesis against the served OpenAPI document (GET /openapi.json) of a real, seeded
# `voxflow serve`: every documented operation is called with generated data (examples,
# coverage and fuzzing phases), as a tenant admin and, for platform-only routes, as the
# platform admin. Fails on any 5xx, any response the document does not describe (status,
# content type, headers, body schema) and any data the document allows that the server
# rejects (or the reverse) — `--checks all`.
#
# Environment (all optional):
#   VOXFLOW_CI_CACHE     cache dir for the Schemathesis venv (default /var/cache/voxflow-ci)
#   VOXFLOW_BIN          a built voxflow binary (default: cargo build --bin voxflow into
#                        $CARGO_TARGET_DIR, default ./target)
#   VOXFLOW_MODELS_DIR   model files (default ../shared/models)
#   ST_MAX_EXAMPLES      examples per operation in the fuzzing phase (default 8)
#   ST_SEED              Hypothesis seed (default 20261207)
#   ST_WORKERS           concurrent Schemathesis workers (default 1: with more, Python 3.11's
#                        ast module races in Hypothesis — "AST constructor recursion depth
#                        mismatch", CPython gh-106905 — and the run reports spurious errors)
#   ST_PHASES            phases (default examples,coverage,fuzzing)
#   ST_ONLY              debugging: a path regex; one run (tenant admin) over those paths only
#   ST_BASELINE_UPDATE=1 record this run's failures into scripts/schemathesis/baseline.json
#                        (then give each new entry a `reason`); without it the baseline is
#                        only read: a failure it does not list fails the run
#   KEEP=1               keep the work dir (server log, reports)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
SCHEMATHESIS_VERSION=4.32.5
cache="${VOXFLOW_CI_CACHE:-/var/cache/voxflow-ci}"
venv="$cache/schemathesis-venv"
max_examples="${ST_MAX_EXAMPLES:-8}"
seed="${ST_SEED:-20261207}"
workers="${ST_WORKERS:-1}"
phases="${ST_PHASES:-examples,coverage,fuzzing}"
started=$SECONDS

work=$(mktemp -d "${TMPDIR:-/tmp}/voxflow-schemathesis.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ "${KEEP:-}" = 1 ]; then echo "work dir kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
step() { printf '\n== %s (%ss)\n' "$1" "$((SECONDS - started))"; }

# 1. Schemathesis, pinned, in a cached venv.
step "schemathesis $SCHEMATHESIS_VERSION"
if [ "$("$venv/bin/schemathesis" --version 2>/dev/null | awk '{print $NF}')" != "$SCHEMATHESIS_VERSION" ]; then
  rm -rf "$venv"
  mkdir -p "$cache"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi
"$venv/bin/schemathesis" --version

# 2. The binary.
step "voxflow binary"
bin="${VOXFLOW_BIN:-}"
if [ -z "$bin" ]; then
  cargo build -q --bin voxflow
  bin="${CARGO_TARGET_DIR:-$root/target}/debug/voxflow"
fi
[ -x "$bin" ] || { echo "no voxflow binary at $bin"; exit 1; }

# 3. A real server: SQLite in a temp data dir, no rate limit, private URLs allowed (the
#    webhook and URL inputs point at 127.0.0.1).
step "start voxflow serve"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
admin_email=admin@schemathesis.test
admin_password=Schemathesis-admin-1
models="${VOXFLOW_MODELS_DIR:-$root/../shared/models}"
env VOXFLOW_DATA_DIR="$work/data" \
  VOXFLOW_MODELS_DIR="$models" \
  VOXFLOW_BIND="127.0.0.1:$port" \
  VOXFLOW_JWT_SECRET="schemathesis-jwt-secret-0123456789abcdef" \
  VOXFLOW_SECRETS_KEY="schemathesis-secrets-key-0123456789abcdef" \
  VOXFLOW_RATE_LIMIT_PER_MINUTE=0 \
  VOXFLOW_LOGIN_MAX_FAILURES=100000 \
  VOXFLOW_URL_ALLOW_PRIVATE=true \
  VOXFLOW_WORKERS=1 \
  VOXFLOW_ACCESS_TOKEN_TTL_SECS=3600 \
  VOXFLOW_BOOTSTRAP_ADMIN_EMAIL="$admin_email" \
  VOXFLOW_BOOTSTRAP_ADMIN_PASSWORD="$admin_password" \
  VOXFLOW_LOG="${VOXFLOW_LOG:-warn}" \
  "$bin" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "voxflow exited:"; tail -n 60 "$work/server.log"; exit 1; }
  sleep 0.5
done
curl -fsS "$base/openapi.json" -o "$work/openapi.json"
echo "serving $base ($(jq '[.paths[] | keys[]] | length' "$work/openapi.json") operations)"

# 4. Seed: platform admin → reseller → tenants → users → the tenant's objects.
step "seed"
# api METHOD PATH TOKEN [JSON] → body on stdout; any non-2xx fails the script.
api() {
  local method=$1 path=$2 token=$3 body=${4:-} out status
  out=$(mktemp -p "$work")
  local args=(-sS -o "$out" -w '%{http_code}' -X "$method" "$base$path")
  [ -n "$token" ] && args+=(-H "authorization: Bearer $token")
  [ -n "$body" ] && args+=(-H 'content-type: application/json' --data-binary "$body")
  status=$(curl "${args[@]}")
  if [ "${status:0:1}" != 2 ]; then
    echo "seed: $method $path -> $status: $(cat "$out")" >&2
    return 1
  fi
  cat "$out"
}
upload() { # token file → body
  curl -fsS -X POST "$base/v1/files" -H "authorization: Bearer $1" -F "file=@$2;type=audio/wav"
}
login() { # email password → access token
  api POST /v1/auth/login "" "$(jq -nc --arg e "$1" --arg p "$2" '{email:$e,password:$p}')" | jq -r .access_token
}
pw=Schemathesis-pass-1
ptoken=$(login "$admin_email" "$admin_password")
reseller=$(api POST /v1/resellers "$ptoken" '{"name":"ST Reseller","email":"reseller@schemathesis.test","commission_rate":"10"}' | jq -r .id)
spare_reseller=$(api POST /v1/resellers "$ptoken" '{"name":"ST Spare Reseller","email":"spare-reseller@schemathesis.test"}' | jq -r .id)
plan=$(api POST /v1/plans "$ptoken" '{"name":"ST Plan","price_monthly":"9.99","price_yearly":"99.00","max_users":10,"processing_quota_minutes":1000,"storage_quota_mb":1000}' | jq -r .id) || plan=
tenant=$(api POST /v1/tenants "$ptoken" "$(jq -nc --arg r "$reseller" '{name:"ST Tenant",reseller_id:$r}')" | jq -r .id)
spare_tenant=$(api POST /v1/tenants "$ptoken" "$(jq -nc --arg r "$reseller" '{name:"ST Spare Tenant",reseller_id:$r}')" | jq -r .id)
mkuser() { # email role tenant_id reseller_id → user id
  api POST /v1/users "$ptoken" "$(jq -nc --arg e "$1" --arg r "$2" --arg t "$3" --arg s "$4" --arg p "$pw" \
    '{email:$e,password:$p,role:$r} + (if $t != "" then {tenant_id:$t} else {} end) + (if $s != "" then {reseller_id:$s} else {} end)')" | jq -r .id
}
tadmin=$(mkuser tadmin@schemathesis.test tenant_admin "$tenant" "")
member=$(mkuser member@schemathesis.test member "$tenant" "")
spare_user=$(mkuser spare@schemathesis.test member "$tenant" "")
erase_user=$(mkuser erase@schemathesis.test viewer "$tenant" "")
radmin=$(mkuser radmin@schemathesis.test reseller_admin "" "$reseller")
ttoken=$(login tadmin@schemathesis.test "$pw")

sox -q -n -r 16000 -c 1 -b 16 "$work/tone.wav" synth 2 sine 440
file=$(upload "$ttoken" "$work/tone.wav" | jq -r .id)
spare_file=$(upload "$ttoken" "$work/tone.wav" | jq -r .id)
graph='{"nodes":[{"id":"src","type":"audio.decode","data":{"params":{}}},{"id":"vad","type":"vad.silero","data":{"params":{}}}],"edges":[{"id":"e1","source":"src","sourceHandle":"audio","target":"vad","targetHandle":"audio"}]}'
workflow=$(api POST /v1/workflows "$ttoken" "$(jq -nc --argjson g "$graph" '{name:"ST workflow",graph:$g}')" | jq -r .id)
spare_workflow=$(api POST /v1/workflows "$ttoken" "$(jq -nc --argjson g "$graph" '{name:"ST spare workflow",graph:$g}')" | jq -r .id)
job=$(api POST /v1/jobs "$ttoken" "$(jq -nc --arg w "$workflow" --arg f "$file" '{workflow_id:$w,inputs:{src:$f}}')" | jq -r .id)
spare_job=$(api POST /v1/jobs "$ttoken" "$(jq -nc --arg w "$workflow" --arg f "$file" '{workflow_id:$w,inputs:{src:$f}}')" | jq -r .id)
webhook=$(api POST /v1/webhooks "$ttoken" '{"url":"http://127.0.0.1:9/hook"}' | jq -r .id)
api_key_json=$(api POST /v1/api-keys "$ttoken" '{"name":"ST key"}')
api_key=$(jq -r .id <<<"$api_key_json")
spare_api_key=$(api POST /v1/api-keys "$ttoken" '{"name":"ST spare key"}' | jq -r .id)
credential=$(api POST /v1/credentials "$ttoken" '{"name":"ST credential","provider":"deepl","value":"abc123:fx"}' | jq -r .id) || credential=
engine=$(api POST /v1/translation-engines "$ttoken" '{"name":"st-libre","kind":"libretranslate","base_url":"http://127.0.0.1:9"}' | jq -r .id) || engine=
preset=$(api POST /v1/presets "$ttoken" '{"name":"ST preset","kind":"vad.silero","params":{}}' | jq -r .id) || preset=
template=$(api POST /v1/templates "$ptoken" "$(jq -nc --argjson g "$graph" '{name:"ST template",graph:$g}')" | jq -r .id) || template=
branding=$(api POST /v1/branding/configurations "$ttoken" '{"product_name":"ST Speech"}' | jq -r .id) || branding=
invitation=$(api POST "/v1/tenants/$tenant/invitations" "$ttoken" '{"email":"invitee@schemathesis.test","role":"member"}' | jq -r .id) || invitation=
export_id=$(api POST "/v1/tenants/$tenant/exports" "$ttoken" | jq -r .id) || export_id=
audit=$(api GET "/v1/audit-log?limit=1" "$ptoken" | jq -r '.items[0].id') || audit=
# Wait (briefly) for the job to finish so its events and artifacts exist.
for _ in $(seq 1 60); do
  st=$(api GET "/v1/jobs/$job" "$ttoken" | jq -r .status)
  case "$st" in succeeded|failed|cancelled) break ;; esac
  sleep 0.5
done
artifact=$(api GET "/v1/jobs/$job" "$ttoken" | jq -r '(.outputs // {} | keys | .[0]) // "vad"' 2>/dev/null || echo vad)
echo "job $job: $st; tenant $tenant; file $file; workflow $workflow"

# 5. Schemathesis configuration: fixed path parameters naming the seeded objects, so that
#    operations on one object get past 404. Deletes and other destructive calls get spares.
step "schemathesis config"
cfg="$work/schemathesis.toml"
cursor=$(printf %s "$tenant" | base64 -w0 | tr '+/' '-_' | tr -d '=')
{
  cat <<TOML
seed = $seed
workers = $workers

[generation]
max-examples = $max_examples
no-shrink = true
database = "none"

[checks]
enabled = true

# Pagination cursors are opaque (base64url of an object id, issued by the server): any other
# string is `400 invalid_cursor`, which no schema can express. Every list gets a real one.
[parameters]
"query.cursor" = "$cursor"

[phases.stateful]
enabled = false
TOML
  op() { # method path key=value... (path parameters)
    local method=$1 path=$2; shift 2
    # `include-name` (the operation's label): separate include-path / include-method filters
    # would be OR'ed, and the first entry would then match every operation of that method.
    printf '\n[[operations]]\ninclude-name = "%s %s"\nparameters = { ' "$method" "$path"
    local first=1 kv
    for kv in "$@"; do
      [ $first = 1 ] || printf ', '
      printf '"path.%s" = "%s"' "${kv%%=*}" "${kv#*=}"
      first=0
    done
    printf ' }\n'
  }
  op GET /v1/files/{id} id="$file"
  op GET /v1/files/{id}/content id="$file"
  op DELETE /v1/files/{id} id="$spare_file"
  for m in GET PATCH; do op $m /v1/workflows/{id} id="$workflow"; done
  op GET /v1/workflows/{id}/versions id="$workflow"
  op GET /v1/workflows/{id}/versions/{version} id="$workflow" version=1
  op POST /v1/workflows/{id}/upgrade id="$workflow"
  op DELETE /v1/workflows/{id} id="$spare_workflow"
  op GET /v1/jobs/{id} id="$job"
  op GET /v1/jobs/{id}/events id="$job"
  op GET /v1/jobs/{id}/artifacts/{name} id="$job" name="$artifact"
  op POST /v1/jobs/{id}/cancel id="$spare_job"
  op POST /v1/jobs/{id}/retry id="$job"
  op DELETE /v1/jobs/{id} id="$spare_job"
  op DELETE /v1/webhooks/{id} id="$webhook"
  op GET /v1/api-keys/{id} id="$api_key"
  op DELETE /v1/api-keys/{id} id="$spare_api_key"
  for m in GET PATCH DELETE; do [ -n "$credential" ] && op $m /v1/credentials/{id} id="$credential"; done
  for m in GET PATCH DELETE; do [ -n "$engine" ] && op $m /v1/translation-engines/{id} id="$engine"; done
  [ -n "$engine" ] && op GET /v1/translation-engines/{engine}/languages engine=st-libre
  for m in GET PATCH DELETE; do [ -n "$preset" ] && op $m /v1/presets/{id} id="$preset"; done
  [ -n "$preset" ] && op PUT /v1/presets/{id}/sharing id="$preset"
  if [ -n "$template" ]; then
    for p in /v1/templates/{id} /v1/templates/{id}/versions; do op GET $p id="$template"; done
    op GET /v1/templates/{id}/versions/{version} id="$template" version=1
    op PATCH /v1/templates/{id} id="$template"
    for p in publish deprecate instantiate; do op POST "/v1/templates/{id}/$p" id="$template"; done
    op PUT /v1/templates/{id}/sharing id="$template"
  fi
  if [ -n "$branding" ]; then
    for m in GET PATCH DELETE; do op $m /v1/branding/configurations/{id} id="$branding"; done
    for m in PUT DELETE; do op $m /v1/branding/configurations/{id}/assets/{kind} id="$branding" kind=logo; done
  fi
  for m in GET PATCH; do op $m /v1/tenants/{id} id="$tenant"; done
  op DELETE /v1/tenants/{id} id="$spare_tenant"
  for p in exports invitations members invoices/upcoming subscription usage; do
    op GET "/v1/tenants/{id}/$p" id="$tenant"
  done
  for p in exports invitations members; do op POST "/v1/tenants/{id}/$p" id="$tenant"; done
  [ -n "$invitation" ] && op DELETE /v1/tenants/{id}/invitations/{invitation_id} id="$tenant" invitation_id="$invitation"
  for m in PATCH DELETE; do op $m /v1/tenants/{id}/members/{user_id} id="$tenant" user_id="$spare_user"; done
  op GET /v1/users/{id} id="$member"
  op PATCH /v1/users/{id} id="$spare_user"
  op DELETE /v1/users/{id} id="$spare_user"
  op POST /v1/users/{id}/erasure id="$erase_user"
  op POST /v1/users/{id}/exports id="$member"
  [ -n "$export_id" ] && for p in /v1/exports/{id} /v1/exports/{id}/content; do op GET $p id="$export_id"; done
  [ -n "$audit" ] && [ "$audit" != null ] && op GET /v1/audit-log/{id} id="$audit"
  for m in GET PATCH; do op $m /v1/resellers/{id} id="$reseller"; done
  op DELETE /v1/resellers/{id} id="$spare_reseller"
  for p in dashboard revenuecat revenuecat/events usage; do op GET "/v1/resellers/{id}/$p" id="$reseller"; done
  for m in PUT DELETE; do op $m /v1/resellers/{id}/revenuecat id="$reseller"; done
  if [ -n "$plan" ]; then for m in GET PATCH DELETE; do op $m /v1/plans/{id} id="$plan"; done; fi
  op GET /v1/nodes/{kind} kind=vad.silero
} >"$cfg"

# 6. Run: every check except `unsupported_method` (an undocumented method, e.g. TRACE, answers
#    404 from the app's default service where RFC 9110 wants 405 + Allow: a routing change in
#    src/app.rs, not a document fix), and every operation except the WebSocket upgrade
#    (GET /v1/ws needs the Upgrade handshake headers, which Schemathesis does not send).
#    Once as the tenant admin (every operation), once as the platform admin (the
#    platform's and resellers' operations, which a tenant admin only sees as 403).
run_st() { # name token [filter args...]
  local name=$1 token=$2; shift 2
  step "schemathesis: $name"
  set +e
  SCHEMATHESIS_HOOKS="$root/scripts/schemathesis/hooks.py" VOXFLOW_ST_WAV="$work/tone.wav" \
  "$venv/bin/schemathesis" --config-file "$cfg" run "$base/openapi.json" \
    --checks all --exclude-checks unsupported_method \
    --exclude-path /v1/ws \
    --phases "$phases" \
    -H "Authorization: Bearer $token" \
    --baseline "$root/scripts/schemathesis/baseline.json" ${ST_BASELINE_UPDATE:+--baseline-update} \
    --report junit,ndjson --report-dir "$work/report-$name" \
    --no-color --output-truncate true \
    "$@" 2>&1 | tee "$work/st-$name.log"
  local rc=${PIPESTATUS[0]}
  set -e
  return "$rc"
}
rc=0
if [ -n "${ST_ONLY:-}" ]; then # debugging: one run, as the tenant admin, over matching paths
  run_st tenant-admin "$ttoken" --include-path-regex "$ST_ONLY" || rc=1
else
  run_st tenant-admin "$ttoken" || rc=1
  run_st platform-admin "$ptoken" \
    --include-path-regex '^/v1/(resellers|plans|platform|billing|commission-statements|invoices|tenants|users|audit-log|templates|presets)' || rc=1
fi

# 7. Summary: operations, cases, failures by check (those the baseline accepts counted apart),
#    and how many operations got past 404. Pass/fail is Schemathesis's own exit status above.
step "summary"
python3 "$root/scripts/schemathesis/summary.py" --baseline "$root/scripts/schemathesis/baseline.json" "$work"/report-*/ || rc=1
if ! kill -0 "$server_pid" 2>/dev/null; then echo "voxflow died during the run"; rc=1; fi
if grep -q 'panicked at' "$work/server.log"; then echo "voxflow panicked:"; grep -A3 'panicked at' "$work/server.log" | head -20; rc=1; fi
echo "total wall time: $((SECONDS - started))s"
exit "$rc"
