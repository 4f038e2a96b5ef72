#!/usr/bin/env bash
# Usage-report benchmark: a year of usage records (--rows, default 1,000,000, spread evenly
# over 100 tenants under 4 resellers and the 365 days before today) on SQLite and on
# PostgreSQL, and the latency of the three reports over HTTP — a tenant's
# (GET /v1/usage, as its admin), a reseller's (GET /v1/resellers/{id}/usage, as its admin:
# 25 tenants, a quarter of the rows) and the platform's (GET /v1/platform/usage) — each by
# day and by month, median of --rounds runs after one warm-up.
#
#   scripts/bench-usage.sh [--rows N] [--rounds N] [--release] [--no-write]
#
# Per backend it starts one `voxflow serve` (no workers) on a fresh database, creates the
# resellers, tenants and admins through the API, then inserts the rows in one SQL statement
# (SQLite: a recursive CTE through the sqlite3 shell, then ANALYZE; PostgreSQL: generate_series
# as the admin role, then VACUUM ANALYZE so index-only scans apply). The service connects to
# PostgreSQL as an unprivileged role, so row-level security applies as in production.
# Rows: 50 % job_audio, 20 % transcription, 30 % node_audio over three node kinds.
# Replaces the section between `<!-- bench-usage -->` markers in docs/benchmarks.md;
# --no-write prints only.
#
# Needs: cargo, curl, jq, sqlite3, psql, python3, a PostgreSQL server whose admin URL is
# $VOXFLOW_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres). Builds the dev
# profile by default; --release for a release build. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

rows=1000000 rounds=5 profile=debug write=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --release) profile=release; shift ;;
    --no-write) write=0; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
for tool in cargo curl jq sqlite3 psql python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
pg="${VOXFLOW_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
target="${CARGO_TARGET_DIR:-target}"
if [ "$profile" = release ]; then cargo build --release --bin voxflow; else cargo build --bin voxflow; fi
bin="$target/$profile/voxflow"
tmp=$(mktemp -d)
dbs=()
stop_server() {
  [ -f "$tmp/pid" ] && { kill "$(cat "$tmp/pid")" 2>/dev/null || true; rm -f "$tmp/pid"; sleep 0.5; }
  return 0
}
cleanup() {
  stop_server
  for d in "${dbs[@]}"; do psql "$pg" -qc "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
PASSWORD=bench-password-1234
ROLE=voxflow_bench
TENANTS=100 RESELLERS=4

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

serve() { # DATABASE_URL -> prints the base URL
  local url=$1 port
  port=$(free_port)
  VOXFLOW_BIND="127.0.0.1:$port" DATABASE_URL="$url" VOXFLOW_DATA_DIR="$tmp/data" \
    VOXFLOW_JWT_SECRET=bench-secret-bench-secret-bench-secret \
    VOXFLOW_BOOTSTRAP_ADMIN_EMAIL=root@bench.test VOXFLOW_BOOTSTRAP_ADMIN_PASSWORD=$PASSWORD \
    VOXFLOW_WORKERS=0 VOXFLOW_LOG=warn VOXFLOW_RATE_LIMIT_PER_MINUTE=0 \
    "$bin" serve > "$tmp/server.log" 2>&1 &
  echo $! > "$tmp/pid"
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && { echo "http://127.0.0.1:$port"; return; }
    sleep 0.1
  done
  echo "server did not start:" >&2; cat "$tmp/server.log" >&2; exit 1
}

post() { curl -fsS -X POST "$1$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' -d "$4"; }
login() { curl -fsS -X POST "$1/v1/auth/login" -H 'Content-Type: application/json' -d "{\"email\":\"$2\",\"password\":\"$PASSWORD\"}" | jq -r .access_token; }

# Resellers, their admins and tenants; tenant 1's admin. Sets ADMIN, RESELLER, RESELLER_TOKEN, TENANT_TOKEN.
world() {
  local base=$1 r t reseller tenant
  ADMIN=$(login "$base" root@bench.test)
  for r in $(seq 1 "$RESELLERS"); do
    reseller=$(post "$base" /v1/resellers "$ADMIN" "{\"name\":\"Bench reseller $r\",\"email\":\"r$r@bench.test\"}" | jq -r .id)
    post "$base" /v1/users "$ADMIN" "{\"email\":\"ra$r@bench.test\",\"password\":\"$PASSWORD\",\"role\":\"reseller_admin\",\"reseller_id\":\"$reseller\"}" >/dev/null
    for t in $(seq 1 $((TENANTS / RESELLERS))); do
      tenant=$(post "$base" /v1/tenants "$ADMIN" "{\"name\":\"Bench tenant $r.$t\",\"reseller_id\":\"$reseller\"}" | jq -r .id)
      if [ "$r" = 1 ] && [ "$t" = 1 ]; then
        post "$base" /v1/users "$ADMIN" "{\"email\":\"ta@bench.test\",\"password\":\"$PASSWORD\",\"role\":\"tenant_admin\",\"tenant_id\":\"$tenant\"}" >/dev/null
      fi
    done
    [ "$r" = 1 ] && RESELLER=$reseller
  done
  RESELLER_TOKEN=$(login "$base" ra1@bench.test)
  TENANT_TOKEN=$(login "$base" ta@bench.test)
}

start_day=$(date -u -d '365 days ago' +%F)
end_day=$(date -u +%F)
# Row i: tenant i % 100 (in creation order), at start + i × (365 days / rows).
step_ms=$((365 * 86400 * 1000 / rows))
resource_case="CASE WHEN i % 10 < 5 THEN 'job_audio' WHEN i % 10 < 7 THEN 'transcription' ELSE 'node_audio' END"
kind_case="CASE WHEN i % 10 >= 7 THEN (CASE i % 3 WHEN 0 THEN 'audio.decode' WHEN 1 THEN 'vad.silero' ELSE 'whisper.transcribe' END) END"

fill_sqlite() {
  sqlite3 "$1" >/dev/null <<SQL
PRAGMA busy_timeout = 10000;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $rows - 1),
     t AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM tenants)
INSERT INTO usage_records (id, tenant_id, user_id, job_id, resource_type, amount_milli, unit, recorded_at, node_id, node_kind)
SELECT printf('bench-%08d', i), t.id, NULL, NULL, $resource_case, 1000 + (i * 7919) % 600000, 'audio_seconds',
       strftime('%Y-%m-%d %H:%M:%f', '$start_day', '+' || ((i * $step_ms) / 1000.0) || ' seconds'),
       CASE WHEN i % 10 >= 7 THEN 'n' || (i % 3) END, $kind_case
FROM n JOIN t ON t.k = n.i % $TENANTS;
COMMIT;
ANALYZE;
SQL
}

fill_postgres() {
  psql "$1" -q -v ON_ERROR_STOP=1 <<SQL
INSERT INTO usage_records (id, tenant_id, user_id, job_id, resource_type, amount_milli, unit, recorded_at, node_id, node_kind)
SELECT 'bench-' || lpad(i::text, 8, '0'), t.id, NULL, NULL, $resource_case, 1000 + (i::bigint * 7919) % 600000, 'audio_seconds',
       timestamp '$start_day' + (i::bigint * $step_ms) * interval '1 millisecond',
       CASE WHEN i % 10 >= 7 THEN 'n' || (i % 3) END, $kind_case
FROM generate_series(0, $rows - 1) AS i
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM tenants) t ON t.k = i % $TENANTS;
VACUUM ANALYZE usage_records;
SQL
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# time_report LABEL PATH TOKEN -> one report line (median and each run, in ms)
time_report() {
  local label=$1 path=$2 token=$3 runs="" t items
  items=$(curl -fsS "$BASE$path" -H "Authorization: Bearer $token" | jq '.items | length')
  for _ in $(seq 1 "$rounds"); do
    t=$(curl -fsS -o /dev/null -w '%{time_total}' "$BASE$path" -H "Authorization: Bearer $token")
    runs="$runs $(awk -v t="$t" 'BEGIN {printf "%.1f", t * 1000}')"
  done
  printf '%-9s %-40s median %8.1f ms  (%s) items %s\n' "$BACKEND" "$label" "$(echo "$runs" | median)" "${runs# }" "$items"
}

report="$tmp/report.txt"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench-usage: $(date -u '+%Y-%m-%d %H:%M UTC') | cores $(nproc) | $profile build | $rows rows, $TENANTS tenants ($RESELLERS resellers), $start_day to $end_day | median of $rounds after 1 warm-up, curl over loopback" > "$report"
range="from=$start_day&to=$end_day"
for BACKEND in ${BENCH_BACKENDS:-sqlite postgres}; do
  if [ "$BACKEND" = sqlite ]; then
    url="sqlite://$tmp/bench.db"
  else
    psql "$pg" -qc "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE') THEN CREATE ROLE $ROLE LOGIN PASSWORD '$ROLE' NOSUPERUSER NOBYPASSRLS; END IF; END \$\$;" >/dev/null
    db="vf_bench_usage_$$"
    psql "$pg" -qc "CREATE DATABASE $db OWNER $ROLE" >/dev/null
    dbs+=("$db")
    hostport=$(echo "$pg" | sed -E 's#^[a-z]+://([^@]*@)?([^/]+)/.*#\2#')
    url="postgres://$ROLE:$ROLE@$hostport/$db"
  fi
  BASE=$(serve "$url")
  world "$BASE"
  started=$(date +%s.%N)
  if [ "$BACKEND" = sqlite ]; then fill_sqlite "$tmp/bench.db"; else fill_postgres "${pg%/*}/$db"; fi
  echo "$BACKEND: inserted $rows rows in $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}') s" >> "$report"
  # Warm-up: page cache, pools, plans.
  curl -fsS -o /dev/null "$BASE/v1/usage?period=day&$range" -H "Authorization: Bearer $TENANT_TOKEN"
  curl -fsS -o /dev/null "$BASE/v1/resellers/$RESELLER/usage?period=day&$range" -H "Authorization: Bearer $RESELLER_TOKEN"
  curl -fsS -o /dev/null "$BASE/v1/platform/usage?period=day&$range" -H "Authorization: Bearer $ADMIN"
  {
    time_report "tenant, by day, node kinds" "/v1/usage?period=day&$range&group_by=node_kind" "$TENANT_TOKEN"
    time_report "tenant, by month, node kinds" "/v1/usage?period=month&$range&group_by=node_kind" "$TENANT_TOKEN"
    time_report "tenant, this month (quota only)" "/v1/usage" "$TENANT_TOKEN"
    time_report "reseller, by day" "/v1/resellers/$RESELLER/usage?period=day&$range" "$RESELLER_TOKEN"
    time_report "reseller, by month per tenant" "/v1/resellers/$RESELLER/usage?period=month&$range&group_by=tenant" "$RESELLER_TOKEN"
    time_report "platform, by day" "/v1/platform/usage?period=day&$range" "$ADMIN"
    time_report "platform, by month per tenant" "/v1/platform/usage?period=month&$range&group_by=tenant" "$ADMIN"
  } >> "$report"
  stop_server
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cat "$report"

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
pgv=$(psql "$pg" -tAc 'SHOW server_version' 2>/dev/null || echo '?')
section="$tmp/section.md"
{
  echo "<!-- bench-usage -->"
  echo "## Run: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`scripts/bench-usage.sh --rows $rows --rounds $rounds$([ "$profile" = release ] && echo ' --release')\`."
  echo
  echo "- Machine: ${cpu:-$(uname -m)}; \`nproc\` $(nproc); $(uname -sr); SQLite $(sqlite3 --version | cut -d' ' -f1) (the service's is bundled), PostgreSQL ${pgv} on the same machine; load average (1/5/15 min) before ${load_before}, after ${load_after}."
  echo "- Times are whole HTTP requests (authentication, the report's read transaction, JSON), measured by curl on loopback."
  echo
  echo '```'
  cat "$report"
  echo '```'
  echo "<!-- /bench-usage -->"
} > "$section"
if [ "$write" = 1 ]; then
  doc=docs/benchmarks.md
  begin="<!-- bench-usage -->" end="<!-- /bench-usage -->"
  if grep -qF "$begin" "$doc"; then
    awk -v b="$begin" -v e="$end" -v f="$section" '
      $0 == b { while ((getline line < f) > 0) print line; skip = 1; next }
      $0 == e { skip = 0; next }
      !skip { print }
    ' "$doc" > "$tmp/doc.md"
    cp "$tmp/doc.md" "$doc"
  else
    { echo; echo "# Usage reports"; echo; echo "Latency of the usage reports (docs/usage.md) on a year of usage records; generated by \`scripts/bench-usage.sh\`, which rewrites what follows between its markers."; echo; cat "$section"; } >> "$doc"
  fi
  echo "wrote $doc" >&2
fi
