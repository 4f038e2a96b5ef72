#!/usr/bin/env bash
# Diarization benchmark: real-time factor of `diarize.pyannote` per stage, peak RSS, DER.
#
#   scripts/bench-diarize.sh [--threads N] [--rounds N] [--lines N] [--dev] [--no-write]
#
# Makes a conversation with espeak-ng + sox in a temp dir (three voices that CAM++ tells
# apart, --lines lines (default 60, ≈ 4.5 min) taking turns with 0–0.6 s pauses), builds and
# runs `nodes/examples/bench_diarize.rs` in release mode (`--dev`: the dev profile, where
# dependencies are optimised but this crate's fbank/clustering glue is not), and replaces the section for this
# thread count in docs/benchmarks.md (between `<!-- bench-diarize:<threads>t -->` markers).
#
# Needs: cargo, espeak-ng, sox, the ONNX models (VOXFLOW_MODELS_DIR, default ../shared/models)
# and ONNX Runtime (scripts/setup-native.sh). Honours CARGO_TARGET_DIR. Run it on an idle
# machine; absolute times move with load.
set -euo pipefail
cd "$(dirname "$0")/.."

threads=2
rounds=2
n_lines=60
write=1
profile=(--release)
profile_name=release
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --lines) n_lines="$2"; shift 2 ;;
    --no-write) write=0; shift ;;
    --dev) profile=(); profile_name="dev (dependencies opt-level 2, voxflow-nodes opt-level 0)"; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
for tool in cargo espeak-ng sox soxi; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
scripts/setup-native.sh onnxruntime

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Same voices as the tests (nodes/tests/common): label voice wpm pitch.
voices=("A en-us 150 40" "B en+f3 165 70" "C en-us+m7 150 90")
sentences=(
  "Good morning and welcome to the weekly planning meeting"
  "Thanks for having me I have a short update on the budget"
  "The new office will open in the spring if the builders finish on time"
  "Can we talk about the hiring plan for the second quarter"
  "We need two more engineers and one designer for the mobile team"
  "That sounds reasonable but the budget is already very tight"
  "I think we should ask the finance team for a detailed forecast"
  "Let us schedule a call with them early next week"
  "Does anybody have questions about the travel policy"
  "Yes I would like to know whether train tickets are covered"
  "First class tickets are not covered but standard ones are"
  "Great then I will book my trip to the conference tomorrow"
  "The quarterly report is due at the end of the month"
  "Marketing wants a new campaign before the summer holidays"
)
order=(0 1 2 0 2 1 1 0 2 1 0 2) # who speaks, cycled
gaps=(0.3 0 0.6 0.15 0 0.45)    # pause after each line, cycled
sox -n -r 16000 -c 1 -b 16 "$tmp/lead.wav" trim 0 0.5
parts=("$tmp/lead.wav")
t=0.5
: > "$tmp/ref.tsv"
for i in $(seq 0 $((n_lines - 1))); do
  read -r label voice wpm pitch <<< "${voices[${order[$((i % ${#order[@]}))]}]}"
  espeak-ng -v "$voice" -s "$wpm" -p "$pitch" -w "$tmp/raw.wav" "${sentences[$((i % ${#sentences[@]}))]}"
  sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 "$tmp/l$i.wav" \
    silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse
  d=$(soxi -D "$tmp/l$i.wav")
  gap=${gaps[$((i % ${#gaps[@]}))]}
  printf '%s\t%s\t%s\n' "$t" "$(awk -v a="$t" -v b="$d" 'BEGIN{print a + b}')" "$label" >> "$tmp/ref.tsv"
  parts+=("$tmp/l$i.wav")
  if [ "$gap" != 0 ]; then
    sox -n -r 16000 -c 1 -b 16 "$tmp/g$i.wav" trim 0 "$gap"
    parts+=("$tmp/g$i.wav")
  fi
  t=$(awk -v a="$t" -v b="$d" -v c="$gap" 'BEGIN{print a + b + c}')
done
sox "${parts[@]}" "$tmp/conv.wav"
echo "conversation: $(soxi -D "$tmp/conv.wav") s, $n_lines lines, 3 speakers" >&2

cargo build "${profile[@]}" -p voxflow-nodes --example bench_diarize
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cmd=(cargo run "${profile[@]}" -q -p voxflow-nodes --example bench_diarize --
  --audio "$tmp/conv.wav" --reference "$tmp/ref.tsv" --threads "$threads" --rounds "$rounds")
echo "+ ${cmd[*]}" >&2
"${cmd[@]}" > "$tmp/report.md"

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
[ -n "$cpu" ] || cpu=$(uname -m)
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
section="$tmp/section.md"
{
  echo "<!-- bench-diarize:${threads}t -->"
  echo "## Diarization (\`diarize.pyannote\`), ${threads} threads"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') with \`scripts/bench-diarize.sh --threads ${threads} --rounds ${rounds} --lines ${n_lines}\`."
  echo
  echo "- Machine: ${cpu}; \`nproc\` $(nproc); ${mem} RAM; $(uname -sr); load average before the run ${load_before}, after it $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "- Toolchain: $(rustc --version); ort 2.0.0-rc.13 with ONNX Runtime from the PyPI wheel; ${profile_name} build."
  echo "- Clip: espeak-ng conversation, voices \`en-us\` / \`en+f3\` / \`en-us+m7\` (pitch 40/70/90), $(soxi -D "$tmp/conv.wav") s, pauses 0–0.6 s."
  echo
  cat "$tmp/report.md"
  echo "<!-- /bench-diarize:${threads}t -->"
} > "$section"
cat "$section"

if [ "$write" = 1 ]; then
  doc=docs/benchmarks.md
  begin="<!-- bench-diarize:${threads}t -->"
  end="<!-- /bench-diarize:${threads}t -->"
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
