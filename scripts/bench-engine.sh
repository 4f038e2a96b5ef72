#!/usr/bin/env bash
# Engine benchmark: 304 polling vs a trivial route (wrk), WebSocket fan-out latency with
# 1,000 clients, claim rate with 1 and 4 workers on PostgreSQL, and growth with jobs/tenants.
#
#   scripts/bench-engine.sh [--clients N] [--events N] [--claim-jobs N] [--growth 1000,10000,100000]
#                           [--wrk-secs N] [--sections poll,ws,claim,growth] [--no-write]
#
# Builds `voxflow` and `examples/bench_engine.rs` in release mode (once; cargo reuses the
# build), then runs the example, which starts the real service (`voxflow serve`, release
# build, no in-process workers) on SQLite and on a fresh PostgreSQL database owned by an
# ordinary role, and drives it over loopback (see the example's docs for each section).
# Replaces the section between `<!-- bench-engine -->` markers in docs/benchmarks.md with
# the output and a description of the machine; --no-write prints only.
#
# Needs: cargo, wrk (Debian package `wrk`), a PostgreSQL server whose admin URL is
# $VOXFLOW_TEST_PG_URL (default postgres://postgres:postgres@127.0.0.1:5432/postgres), and
# enough file descriptors for the WebSocket clients (the script raises `ulimit -n`).
# Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

write=1
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-write) write=0; shift ;;
    --clients|--events|--claim-jobs|--growth|--wrk-secs|--sections) pass+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
for tool in cargo wrk; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install $tool)" >&2; exit 1; }
done
pg="${VOXFLOW_TEST_PG_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
# The fixture's job has a VAD node, which the server admits only when its model is installed.
export VOXFLOW_MODELS_DIR="${VOXFLOW_MODELS_DIR:-$(cd .. && pwd)/shared/models}"

target="${CARGO_TARGET_DIR:-target}"
# Build first so that compiling does not overlap the timed runs.
cargo build --release --bin voxflow --example bench_engine
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cmd=("$target/release/examples/bench_engine" --bin "$target/release/voxflow" --pg-admin "$pg" "${pass[@]}")
echo "+ ${cmd[*]}" >&2
"${cmd[@]}" | tee "$tmp/report.txt"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
[ -n "$cpu" ] || cpu=$(uname -m)
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
pgv=$(psql "$pg" -tAc 'SHOW server_version' 2>/dev/null || echo '?')
section="$tmp/section.md"
{
  echo "<!-- bench-engine -->"
  echo "## Run: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`scripts/bench-engine.sh${pass[*]:+ ${pass[*]}}\`."
  echo
  echo "- Machine: ${cpu}; \`nproc\` $(nproc); ${mem} RAM; $(uname -sr); PostgreSQL ${pgv} on the same machine; load average (1/5/15 min) before ${load_before}, after ${load_after}."
  echo "- Server, wrk, WebSocket clients and PostgreSQL share the same cores, so absolute numbers are low and move between runs; ratios are taken from rounds interleaved in one run."
  echo
  echo '```'
  cat "$tmp/report.txt"
  echo '```'
  echo "<!-- /bench-engine -->"
} > "$section"

if [ "$write" = 1 ]; then
  doc=docs/benchmarks.md
  begin="<!-- bench-engine -->"
  end="<!-- /bench-engine -->"
  if grep -qF "$begin" "$doc"; then
    awk -v b="$begin" -v e="$end" -v f="$section" '
      $0 == b { while ((getline line < f) > 0) print line; skip = 1; next }
      $0 == e { skip = 0; next }
      !skip { print }
    ' "$doc" > "$tmp/doc.md"
  else
    { cat "$doc"; echo; cat "$section"; } > "$tmp/doc.md"
  fi
  cp "$tmp/doc.md" "$doc"
  echo "updated $doc" >&2
fi
