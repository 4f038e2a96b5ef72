#!/usr/bin/env bash
# Subtitle quality benchmark: professional-rule compliance of SRT cues before (segment text
# wrapped) and after (word-timed segmentation), on real recorded speech and on a long
# synthetic three-voice conversation.
#
#   scripts/bench-subtitles.sh [--model tiny.en] [--lines N] [--dev] [--no-write]
#
# The figures are shares of cues and words, not times, so `--dev` (the dev profile, no
# release build) gives the same report sooner.
# Fetches the real clips (scripts/fetch-real-speech.sh, ~114 MB, cached in
# ${VOXFLOW_BENCH_CACHE:-~/.cache/voxflow-bench}), builds and runs
# `nodes/examples/bench_subtitles.rs` in release mode and replaces the section for the model in
# docs/benchmarks.md (between `<!-- bench-subtitles:<model> -->` markers).
#
# Needs: cargo, curl, espeak-ng, sox, the Whisper models (VOXFLOW_MODELS_DIR, default
# ../shared/models). Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

model=tiny.en
n_lines=40
write=1
profile=(--release)
profile_dir=release
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --lines) n_lines="$2"; shift 2 ;;
    --no-write) write=0; shift ;;
    --dev) profile=(); profile_dir=debug; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
for tool in cargo curl espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
cache="${VOXFLOW_BENCH_CACHE:-$HOME/.cache/voxflow-bench}"
clips="$cache/real-speech"
FETCH_CACHE="$cache/downloads" scripts/fetch-real-speech.sh "$clips"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build "${profile[@]}" -p voxflow-nodes --example bench_subtitles
bin="${CARGO_TARGET_DIR:-target}/$profile_dir/examples/bench_subtitles"
"$bin" --clips "$clips" --model "$model" --conversation-lines "$n_lines" > "$tmp/report.md"

section="$tmp/section.md"
{
  echo "<!-- bench-subtitles:${model} -->"
  echo "## Subtitles: professional-rule compliance, Whisper ${model}"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') with \`scripts/bench-subtitles.sh --model ${model} --lines ${n_lines}\`."
  echo
  echo "Each input: \`whisper.transcribe\` (${model}, greedy, word timestamps) → SRT with the default"
  echo "\`export.subtitles\` params, **before** (segment text wrapped, the export without words)"
  echo "and **after** (word-timed cues), parsed back and scored by \`subtitles::score_cues\`: the"
  echo "share of cues meeting each Netflix TTSG rule and all of them. \"Words kept\": the subtitle"
  echo "text is the transcript text, word for word. WER is Whisper's against the package's own"
  echo "reference (lower-cased, punctuation removed; for context only). The real clips come from"
  echo "\`scripts/fetch-real-speech.sh\` (read and spontaneous speech, a phone call, a speech);"
  echo "the synthetic conversation is the tests' espeak-ng one, labelled with its reference"
  echo "speakers, so speaker changes and labels count."
  echo
  echo "The second table checks the word timestamps the cues are cut and timed from against the"
  echo "forced alignments the Montreal Forced Aligner ships with its test clips (median absolute"
  echo "error / median signed error, + = late, and the share within 100 ms)."
  echo
  cat "$tmp/report.md"
  echo "<!-- /bench-subtitles:${model} -->"
} > "$section"
cat "$section"

if [ "$write" = 1 ]; then
  doc=docs/benchmarks.md
  begin="<!-- bench-subtitles:${model} -->"
  end="<!-- /bench-subtitles:${model} -->"
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
