#!/usr/bin/env bash
# Generates the client SDKs from openapi/openapi.json:
#   sdks/python/                 `voxflow-client` (openapi-python-client; the whole folder is generated)
#   sdks/typescript/src/schema.ts  `@voxflow/sdk`'s types (openapi-typescript; src/index.ts is hand-written
#                                 over openapi-fetch), then compiled with tsc
#
#   scripts/generate-sdks.sh          regenerate in place (after the spec changed)
#   scripts/generate-sdks.sh --check  regenerate into a temp dir and diff against the committed SDKs
#                                     (exit 1 on drift); the API test suite runs this
#   scripts/generate-sdks.sh --tools  only install the pinned tools (CI does this before the tests)
#
# Tools are pinned and installed on first use: the generator into the venv $VOXFLOW_SDK_VENV
# (default .venv), the TypeScript tool chain into sdks/typescript/node_modules (npm ci, with the
# npm cache wherever npm_config_cache points).
set -euo pipefail
cd "$(dirname "$0")/.."

OPENAPI_PYTHON_CLIENT_VERSION=0.29.1
RUFF_VERSION=0.17.6 # formats the generated Python: pinned so output is reproducible

mode="${1:-generate}"
case "$mode" in
  generate | --check | --tools) ;;
  *) echo "usage: $0 [--check | --tools]" >&2; exit 2 ;;
esac

spec="$PWD/openapi/openapi.json"
venv="${VOXFLOW_SDK_VENV:-$PWD/.venv}"
ts="$PWD/sdks/typescript"

# --- tools (idempotent; fast when already there) ---------------------------------------------
if ! "$venv/bin/openapi-python-client" --version 2>/dev/null | grep -q "version: $OPENAPI_PYTHON_CLIENT_VERSION\$" ||
   ! "$venv/bin/ruff" --version 2>/dev/null | grep -q "^ruff $RUFF_VERSION\$"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "openapi-python-client==$OPENAPI_PYTHON_CLIENT_VERSION" "ruff==$RUFF_VERSION"
fi
if [ ! -x "$ts/node_modules/.bin/tsc" ] || [ ! -x "$ts/node_modules/.bin/openapi-typescript" ] ||
   [ ! -d "$ts/node_modules/openapi-fetch" ]; then
  (cd "$ts" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
[ "$mode" = --tools ] && exit 0

# --- generate into $out ----------------------------------------------------------------------
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The generator formats its output with the ruff it finds on PATH.
PATH="$venv/bin:$PATH" openapi-python-client generate --path "$spec" \
  --config sdks/openapi-python-client.yaml --meta uv --fail-on-warning \
  --output-path "$out/python" >"$out/python.log" 2>&1 ||
  { cat "$out/python.log" >&2; echo "openapi-python-client failed" >&2; exit 1; }
rm -rf "$out/python/.ruff_cache" # the formatter's cache, not part of the client

mkdir -p "$out/typescript"
"$ts/node_modules/.bin/openapi-typescript" "$spec" -o "$out/typescript/schema.ts" >"$out/ts.log" 2>&1 ||
  { cat "$out/ts.log" >&2; echo "openapi-typescript failed" >&2; exit 1; }

if [ "$mode" = --check ]; then
  drift=0
  diff -r -x __pycache__ sdks/python "$out/python" >&2 || drift=1
  diff "$ts/src/schema.ts" "$out/typescript/schema.ts" >&2 || drift=1
  if [ "$drift" = 1 ]; then
    echo "The SDKs drifted from openapi/openapi.json: run scripts/generate-sdks.sh and commit sdks/" >&2
    exit 1
  fi
  # The committed TypeScript must still compile against the committed schema.
  "$ts/node_modules/.bin/tsc" -p "$ts/tsconfig.json" --noEmit
  echo "SDKs match openapi/openapi.json"
else
  rm -rf sdks/python
  cp -r "$out/python" sdks/python
  cp "$out/typescript/schema.ts" "$ts/src/schema.ts"
  "$ts/node_modules/.bin/tsc" -p "$ts/tsconfig.json"
  echo "Generated sdks/python and sdks/typescript/src/schema.ts (built to sdks/typescript/dist)"
fi
