#!/usr/bin/env bash
# Speech benchmark: Whisper node vs bare whisper-rs, with and without VAD, peak RSS.
#
#   scripts/bench-speech.sh [--model tiny.en|base] [--threads N] [--rounds N] [--no-write]
#
# Makes two clips with espeak-ng + sox in a temp dir (~60 s of continuous speech; 5
# sentences separated by 11-13 s of silence), builds and runs
# `nodes/examples/bench_whisper.rs` in release mode, and replaces the section for this
# model/thread count in docs/benchmarks.md (between `<!-- bench-speech:<model>:<threads>t -->`
# markers) with the result and a description of the machine. Pass --no-write to print only.
#
# Needs: cargo, espeak-ng, sox, the model files (VOXFLOW_MODELS_DIR, default ../shared/models
# relative to the repository root). Honours CARGO_TARGET_DIR. Run it on an otherwise idle
# machine; the ratio node/bare is robust to steady load (runs are interleaved), the absolute
# RTFs are not.
set -euo pipefail
cd "$(dirname "$0")/.."

model=tiny.en
threads=2
rounds=3
write=1
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --no-write) write=0; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

for tool in cargo espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# espeak-ng → 16 kHz mono 16-bit WAV.
say() { # say OUT.wav "text"
  espeak-ng -v en-us -s 150 -w "$tmp/raw.wav" "$2"
  sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 "$1"
}
silence() { # silence OUT.wav SECONDS
  sox -n -r 16000 -c 1 -b 16 "$1" trim 0 "$2"
}

# (a) ~60 s of continuous speech.
cat > "$tmp/speech.txt" <<'EOF'
The old lighthouse stood at the edge of the cliff for more than a century. Every night its keeper climbed the narrow stairs and lit the great lamp that warned ships away from the rocks. In winter the storms were so strong that the windows rattled and the whole tower seemed to sway in the wind. The keeper kept a careful diary of the weather, the passing ships and the birds that rested on the railing. One morning a small fishing boat drifted into the bay with a broken engine and a tired crew of three. The keeper rowed out with fresh water and bread, and he towed the boat slowly to the harbour. The village remembered his kindness for many years and named the new school after him. Today the lamp is powered by the sun and no keeper lives in the tower any more. Visitors walk up the same narrow stairs and read the diary in a glass case near the door. From the top they can see the whole coast, the green fields and the quiet sea below.
EOF
say "$tmp/speech.wav" "$(cat "$tmp/speech.txt")"

# (b) 5 sentences separated by long silences (~70 s).
sentences=(
  "Please remember to close the windows before you leave the office tonight."
  "The meeting about the new budget has been moved to Thursday afternoon."
  "Our train was late because of heavy snow on the northern line."
  "She planted tomatoes, beans and sunflowers in the garden behind the house."
  "Thank you for listening, and have a pleasant evening."
)
gaps=(2 12 13 11 12 2) # leading, between sentences, trailing (seconds)
parts=()
: > "$tmp/gaps.txt"
for i in "${!sentences[@]}"; do
  silence "$tmp/gap$i.wav" "${gaps[$i]}"
  say "$tmp/s$i.wav" "${sentences[$i]}"
  parts+=("$tmp/gap$i.wav" "$tmp/s$i.wav")
  printf '%s\n' "${sentences[$i]}" >> "$tmp/gaps.txt"
done
silence "$tmp/gap_end.wav" "${gaps[5]}"
parts+=("$tmp/gap_end.wav")
sox "${parts[@]}" "$tmp/gaps.wav"

echo "clips: speech $(soxi -D "$tmp/speech.wav") s, with silences $(soxi -D "$tmp/gaps.wav") s" >&2

cmd=(cargo run --release -p voxflow-nodes --example bench_whisper --
  --speech "$tmp/speech.wav" --speech-text "$tmp/speech.txt"
  --silence "$tmp/gaps.wav" --silence-text "$tmp/gaps.txt"
  --model "$model" --threads "$threads" --rounds "$rounds")
# Build first so that compiling does not overlap the timed runs.
cargo build --release -p voxflow-nodes --example bench_whisper
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "+ ${cmd[*]}" >&2
"${cmd[@]}" > "$tmp/report.md"

# The machine.
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
[ -n "$cpu" ] || cpu=$(uname -m)
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
load=$(cut -d' ' -f1-3 /proc/loadavg)

section="$tmp/section.md"
{
  echo "<!-- bench-speech:${model}:${threads}t -->"
  echo "## Whisper \`${model}\`, ${threads} threads"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') with \`scripts/bench-speech.sh --model ${model} --threads ${threads} --rounds ${rounds}\`."
  echo
  echo "- Machine: ${cpu}; \`nproc\` $(nproc); ${mem} RAM; $(uname -sr); load average (1/5/15 min) just before the run ${load_before}, after it ${load}."
  echo "- Toolchain: $(rustc --version); whisper-rs 0.16 (whisper.cpp 1.8, CPU); release build."
  echo "- Clips (espeak-ng \`en-us\`, 150 wpm, 16 kHz): continuous speech $(soxi -D "$tmp/speech.wav") s; 5 sentences separated by 11–13 s of silence, $(soxi -D "$tmp/gaps.wav") s."
  echo "- The machine is shared and noisy: absolute times move between runs. The node/bare ratio comes from one run in which the two paths were interleaved (A B A B …) on the same model, threads and samples; compare it, not the absolute RTFs, across runs."
  echo
  cat "$tmp/report.md"
  echo "<!-- /bench-speech:${model}:${threads}t -->"
} > "$section"

cat "$section"

if [ "$write" = 1 ]; then
  doc=docs/benchmarks.md
  if [ ! -f "$doc" ]; then
    cat > "$doc" <<'EOF'
# Benchmarks

Produced by committed scripts; do not edit the generated sections by hand — re-run the script.

# Speech: Whisper node vs bare whisper-rs, VAD, memory

`scripts/bench-speech.sh` runs `nodes/examples/bench_whisper.rs` (release build) on two
synthetic clips it makes with espeak-ng + sox, and rewrites the section for the model and
thread count it ran with. What it measures:

- **Node overhead.** `voxflow_nodes::asr::whisper::transcribe` against a bare whisper-rs call
  (`create_state` + `FullParams` with the node's settings + `state.full` + segment text) on the
  same model file, threads and decoded 16 kHz samples, in the same process. Models are loaded
  once before timing (the node's `ModelCache` loads once too). Target: node within 5 % of bare.
- **VAD.** On a clip that is mostly silence: the node on the whole clip against
  `audio::vad::detect` (Silero, 1 thread) followed by the node on the speech regions; wall time,
  RTF, speedup and word error rate against the text that was synthesised.
- **Peak RSS** (`VmHWM`), per path and for the whole run.

Wall time and process CPU time (user + system) are both reported. On a busy machine prefer
the CPU-time ratio, and a 1-thread run (`--threads 1`): with 2+ threads ggml's workers
busy-wait for each other, so preemption inflates CPU time as well as wall time.

EOF
  fi
  begin="<!-- bench-speech:${model}:${threads}t -->"
  end="<!-- /bench-speech:${model}:${threads}t -->"
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
