#!/usr/bin/env bash
# Translation benchmark: translate.text with Apertium (eng → spa) on transcripts standing for
# 1, 5 and 60 minutes of speech; throughput, RTF, CPU, and batching vs one call per segment.
#
#   scripts/bench-translate.sh [--rounds N] [--release] [--no-write]
#
# Runs `nodes/examples/bench_translate.rs` and replaces the section between
# `<!-- bench-translate -->` markers in docs/benchmarks.md with the result and a description
# of the machine. Nearly all the time is spent in the Apertium processes, so the default
# dev profile (dependencies at opt-level 2) measures the same as --release without a
# release build of whisper.cpp. Needs: cargo, apertium, apertium-eng-spa. Honours
# CARGO_TARGET_DIR. Run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3
profile=()
profile_name="dev profile (dependencies at opt-level 2)"
write=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --release) profile=(--release); profile_name="release build"; shift ;;
    --no-write) write=0; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
for tool in cargo apertium; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Build first so that compiling does not overlap the timed runs.
cargo build "${profile[@]}" -p voxflow-nodes --example bench_translate
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cargo run -q "${profile[@]}" -p voxflow-nodes --example bench_translate -- --rounds "$rounds" > "$tmp/report.md"
load=$(cut -d' ' -f1-3 /proc/loadavg)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
[ -n "$cpu" ] || cpu=$(uname -m)
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
apertium_version=$(dpkg-query -W -f='${Version}' apertium 2>/dev/null || echo "?")
pair_version=$(dpkg-query -W -f='${Version}' apertium-eng-spa 2>/dev/null || echo "?")

section="$tmp/section.md"
{
  echo "<!-- bench-translate -->"
  echo "## Translation: Apertium eng → spa"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') with \`scripts/bench-translate.sh --rounds ${rounds}\` (${profile_name})."
  echo
  echo "- Machine: ${cpu}; \`nproc\` $(nproc); ${mem} RAM; $(uname -sr); load average (1/5/15 min) just before the run ${load_before}, after it ${load}."
  echo "- Apertium ${apertium_version}, apertium-eng-spa ${pair_version} (Debian 12)."
  echo "- Transcripts: English sentences at 150 words/min in ~12-word segments; RTF = wall time / the speech duration the transcript stands for."
  echo
  cat "$tmp/report.md"
  echo "<!-- /bench-translate -->"
} > "$section"
cat "$section"

if [ "$write" = 1 ]; then
  doc=docs/benchmarks.md
  begin="<!-- bench-translate -->"
  end="<!-- /bench-translate -->"
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
