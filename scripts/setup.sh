#!/usr/bin/env bash
# Everything `cargo run -- serve` needs on a fresh Debian/Ubuntu machine; safe to run again
# (what is already there is left alone, so a second run does no download).
#
#   scripts/setup.sh               system packages for the build, native libraries, default models
#   scripts/setup.sh --test        also what the tests need (scripts/test.sh runs this itself)
#   scripts/setup.sh --ci          also what CI's Flowise e2e needs (chromium)
#   scripts/setup.sh --no-models   skip `voxflow models pull --defaults`
#
# 1. System packages. Missing ones are installed with apt-get when this runs as root or with
#    a password-less sudo; otherwise the script prints the exact `apt-get install` line and
#    stops. Elsewhere than Debian/Ubuntu it lists what is needed and carries on.
#      build: build-essential pkg-config cmake clang libclang-dev (whisper.cpp and its
#             bindings, libopus), libpq-dev (PostgreSQL client), ca-certificates, python3,
#             python3-venv, unzip (native libraries come from PyPI wheels)
#      test:  postgresql postgresql-client espeak-ng sox libsox-fmt-all ffmpeg apertium
#             apertium-eng-spa, and nodejs npm when no Node.js is installed
#      ci:    chromium
# 2. Rust: cargo 1.89 or newer must be installed (rustup); the script says so if it is not.
# 3. Native libraries: scripts/setup-native.sh (ONNX Runtime, DeepFilterNet3) into vendor/.
# 4. Models: `voxflow models pull --defaults` into the models directory (VOXFLOW_MODELS_DIR,
#    default ./data/models): the default Whisper model, Silero VAD, the two diarization
#    models. When the model host cannot be reached it says so and the setup still succeeds:
#    the service runs, and the nodes without their model report "not installed".
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

want_test=false want_ci=false want_models=true
for arg in "$@"; do
  case $arg in
    --test) want_test=true ;;
    --ci) want_test=true want_ci=true ;;
    --no-models) want_models=false ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done

say() { echo "setup: $*" >&2; }

# ---- 1. system packages
packages=(build-essential pkg-config cmake clang libclang-dev libpq-dev ca-certificates python3
          python3-venv unzip)
if $want_test; then
  packages+=(postgresql postgresql-client espeak-ng sox libsox-fmt-all ffmpeg apertium apertium-eng-spa)
  # Node.js for the SDK and plugin tests: Debian's is enough; a newer one already installed stays.
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi
# chromium for the browser end-to-end runs; curl and jq for the scripts that seed a server
# (the e2e runs, scripts/schemathesis.sh).
$want_ci && packages+=(chromium curl jq)

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
      sudo=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo)
    else
      say "these system packages are missing: ${missing[*]}"
      say "install them (as root), then run this script again:"
      echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
    say "installing ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "system packages: all ${#packages[@]} present"
  fi
else
  say "not a Debian/Ubuntu system: make sure the equivalents of these are installed: ${packages[*]}"
fi

# ---- 2. Rust
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  say "cargo is not installed: install Rust 1.89 or newer with rustup (https://rustup.rs), then run this again"
  exit 1
fi
rust_version=$(rustc --version | awk '{print $2}')
if [ "$(printf '%s\n1.89.0\n' "$rust_version" | sort -V | head -n1)" != "1.89.0" ]; then
  say "Rust $rust_version is too old: Voxflow needs 1.89 or newer (rustup update)"
  exit 1
fi

# ---- 3. native libraries
scripts/setup-native.sh

# ---- 4. default models
if $want_models; then
  say "building voxflow (the first build takes several minutes), then pulling the default models"
  cargo build
  if ! cargo run --quiet -- models pull --defaults; then
    say "WARNING: some default models are not installed (see above). Voxflow runs without"
    say "them; the nodes that need them report \"not installed\" in GET /v1/nodes."
  fi
fi
say "done; start the service with: cargo run -- serve"
