#!/usr/bin/env bash
# Rate-limiter benchmark: throughput of an authenticated route (GET /v1/jobs with an API
# key, an empty list: the cheapest tenant read, so the limiter's share shows most) with the
# limiter on and off, side by side in one run, on SQLite and on PostgreSQL; once with every
# request from one tenant (one key: the worst case, every check on the same two bucket rows)
# and once spread over --tenants tenants (one key each, round-robin through a wrk script).
#
#   scripts/bench-ratelimit.sh [--secs N] [--rounds N] [--conns N] [--tenants N] [--release] [--no-write]
#
# Per backend it starts two `voxflow serve` processes (no workers) on one fresh database:
# "on" with limits far above what wrk can send (VOXFLOW_RATE_LIMIT_PER_MINUTE and
# VOXFLOW_KEY_RATE_LIMIT_PER_MINUTE = 1e7, so every request pays the check — the tenant's
# plan read and the in-process buckets; on PostgreSQL a lease of 1 % of the limit is taken
# per bucket (key and tenant) with one upsert and served from memory until spent or expired,
# so at 1e7/min this measures the leased path, not one write per request — and none is
# refused), and "off" with both 0. wrk rounds alternate on/off so load drift hits
# both alike; the report gives each round and the medians. Replaces the section between
# `<!-- bench-ratelimit -->` markers in docs/benchmarks.md; --no-write prints only.
#
# Needs: cargo, wrk, curl, jq, psql, a PostgreSQL server whose admin URL is
# $VOXFLOW_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres). Builds the
# dev profile by default (dependencies at opt-level 2, see Cargo.toml); --release for a
# release build. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=5 rounds=3 conns=16 tenants=16 profile=debug write=1
while [ $# -gt 0 ]; do
  case "$1" in
    --secs) secs="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --conns) conns="$2"; shift 2 ;;
    --tenants) tenants="$2"; shift 2 ;;
    --release) profile=release; shift ;;
    --no-write) write=0; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
for tool in cargo wrk curl jq psql; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
pg="${VOXFLOW_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
target="${CARGO_TARGET_DIR:-target}"
if [ "$profile" = release ]; then cargo build --release --bin voxflow; else cargo build --bin voxflow; fi
bin="$target/$profile/voxflow"
tmp=$(mktemp -d)
dbs=()
# `serve` runs in a command substitution (a subshell): each server's pid goes to a file.
stop_servers() {
  for f in "$tmp"/*/pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  sleep 0.5
}
cleanup() {
  stop_servers
  for d in "${dbs[@]}"; do psql "$pg" -qc "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
PASSWORD=bench-password-1234
ROLE=voxflow_bench

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# serve NAME DATABASE_URL TENANT_LIMIT KEY_LIMIT -> prints the base URL
serve() {
  local name=$1 url=$2 tl=$3 kl=$4 port
  port=$(free_port)
  mkdir -p "$tmp/$name"
  VOXFLOW_BIND="127.0.0.1:$port" DATABASE_URL="$url" VOXFLOW_DATA_DIR="$tmp/data" \
    VOXFLOW_JWT_SECRET=bench-secret-bench-secret-bench-secret \
    VOXFLOW_BOOTSTRAP_ADMIN_EMAIL=root@bench.test VOXFLOW_BOOTSTRAP_ADMIN_PASSWORD=$PASSWORD \
    VOXFLOW_WORKERS=0 VOXFLOW_LOG=warn VOXFLOW_DB_POOL_SIZE=16 \
    VOXFLOW_RATE_LIMIT_PER_MINUTE="$tl" VOXFLOW_KEY_RATE_LIMIT_PER_MINUTE="$kl" \
    "$bin" serve > "$tmp/$name/server.log" 2>&1 &
  echo $! > "$tmp/$name/pid"
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && { echo "http://127.0.0.1:$port"; return; }
    sleep 0.1
  done
  echo "server $name did not start:" >&2; cat "$tmp/$name/server.log" >&2; exit 1
}

post() { curl -fsS -X POST "$1$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' -d "$4"; }

# N tenants, each with an admin and an API key, through the API; writes the keys to FILE.
world() {
  local base=$1 n=$2 file=$3 admin tenant user i
  admin=$(curl -fsS -X POST "$base/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"root@bench.test\",\"password\":\"$PASSWORD\"}" | jq -r .access_token)
  : > "$file"
  for i in $(seq 1 "$n"); do
    tenant=$(post "$base" /v1/tenants "$admin" "{\"name\":\"Bench tenant $i\"}" | jq -r .id)
    post "$base" /v1/users "$admin" "{\"email\":\"admin$i@bench.test\",\"password\":\"$PASSWORD\",\"role\":\"tenant_admin\",\"tenant_id\":\"$tenant\"}" >/dev/null
    user=$(curl -fsS -X POST "$base/v1/auth/login" -H 'Content-Type: application/json' \
      -d "{\"email\":\"admin$i@bench.test\",\"password\":\"$PASSWORD\"}" | jq -r .access_token)
    post "$base" /v1/api-keys "$user" '{"name":"bench"}' | jq -r .key >> "$file"
  done
}

cat > "$tmp/keys.lua" <<'LUA'
keys = {}
for line in io.lines(os.getenv("BENCH_KEYS")) do keys[#keys + 1] = line end
i = math.random(#keys)
request = function()
  i = i % #keys + 1
  return wrk.format("GET", "/v1/jobs", { ["X-API-Key"] = keys[i] })
end
LUA

rps() { # URL KEYS_FILE -> requests/s (round-robin over the file's keys)
  BENCH_KEYS="$2" wrk -t2 -c"$conns" -d"${secs}s" -s "$tmp/keys.lua" "$1/v1/jobs" \
    | awk '/Requests\/sec/ {print $2} /Non-2xx/ {print "NON2XX " $4 > "/dev/stderr"}'
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

report="$tmp/report.txt"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "bench-ratelimit: $(date -u '+%Y-%m-%d %H:%M UTC') | cores $(nproc) | $profile build | wrk -t2 -c$conns -d${secs}s x $rounds rounds | GET /v1/jobs (X-API-Key), limits 1e7/min when on"
} > "$report"
for backend in ${BENCH_BACKENDS:-sqlite postgres}; do
  if [ "$backend" = sqlite ]; then
    url="sqlite://$tmp/bench.db"
  else
    psql "$pg" -qc "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE') THEN CREATE ROLE $ROLE LOGIN PASSWORD '$ROLE' NOSUPERUSER NOBYPASSRLS; END IF; END \$\$;" >/dev/null
    db="vf_bench_rl_$$"
    psql "$pg" -qc "CREATE DATABASE $db OWNER $ROLE" >/dev/null
    dbs+=("$db")
    hostport=$(echo "$pg" | sed -E 's#^[a-z]+://([^@]*@)?([^/]+)/.*#\2#')
    url="postgres://$ROLE:$ROLE@$hostport/$db"
  fi
  on=$(serve "$backend-on" "$url" 10000000 10000000)
  off=$(serve "$backend-off" "$url" 0 0)
  world "$on" "$tenants" "$tmp/keys-all.txt"
  head -n 1 "$tmp/keys-all.txt" > "$tmp/keys-one.txt"
  key=$(cat "$tmp/keys-one.txt")
  # Warm both (connection pools, page cache).
  wrk -t1 -c4 -d1s -H "X-API-Key: $key" "$on/v1/jobs" >/dev/null
  wrk -t1 -c4 -d1s -H "X-API-Key: $key" "$off/v1/jobs" >/dev/null
  curl -fsS -D - -o /dev/null -H "X-API-Key: $key" "$on/v1/jobs" | grep -i '^ratelimit' | tr -d '\r' | sed "s/^/$backend headers (on): /" >> "$report"
  for scenario in one all; do
    label=$([ "$scenario" = one ] && echo "1 tenant" || echo "$tenants tenants")
    ons="" offs=""
    for r in $(seq 1 "$rounds"); do
      a=$(rps "$on" "$tmp/keys-$scenario.txt"); b=$(rps "$off" "$tmp/keys-$scenario.txt")
      ons="$ons $a" offs="$offs $b"
      echo "$backend, $label, round $r: limiter on $a req/s, off $b req/s" >> "$report"
    done
    mon=$(echo "$ons" | median) moff=$(echo "$offs" | median)
    echo "$backend, $label, median: on $mon req/s, off $moff req/s, cost $(awk -v a="$mon" -v b="$moff" 'BEGIN {printf "%.1f %%", (1 - a / b) * 100}')" >> "$report"
  done
  stop_servers
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cat "$report"

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
pgv=$(psql "$pg" -tAc 'SHOW server_version' 2>/dev/null || echo '?')
section="$tmp/section.md"
{
  echo "<!-- bench-ratelimit -->"
  echo "## Run: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`scripts/bench-ratelimit.sh --secs $secs --rounds $rounds --conns $conns --tenants $tenants$([ "$profile" = release ] && echo ' --release')\`."
  echo
  echo "- Machine: ${cpu:-$(uname -m)}; \`nproc\` $(nproc); $(uname -sr); PostgreSQL ${pgv} on the same machine; load average (1/5/15 min) before ${load_before}, after ${load_after}."
  echo "- Server, wrk and PostgreSQL share the same cores; the on/off rounds alternate so drift hits both."
  echo
  echo '```'
  cat "$report"
  echo '```'
  echo "<!-- /bench-ratelimit -->"
} > "$section"
if [ "$write" = 1 ]; then
  doc=docs/benchmarks.md
  begin="<!-- bench-ratelimit -->" end="<!-- /bench-ratelimit -->"
  if grep -qF "$begin" "$doc"; then
    awk -v b="$begin" -v e="$end" -v f="$section" '
      $0 == b { while ((getline line < f) > 0) print line; skip = 1; next }
      $0 == e { skip = 0; next }
      !skip { print }
    ' "$doc" > "$tmp/doc.md"
    cp "$tmp/doc.md" "$doc"
  else
    { echo; echo "# Rate limiter"; echo; echo "Cost of the per-tenant and per-key rate limiter (\`auth::rate_limit\`) on an authenticated route; generated by \`scripts/bench-ratelimit.sh\`, which rewrites what follows between its markers."; echo; cat "$section"; } >> "$doc"
  fi
  echo "wrote $doc" >&2
fi
