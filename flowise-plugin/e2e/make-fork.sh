#!/usr/bin/env bash
# Makes a "renamed fork" of an installed Flowise for the e2e: the same Flowise 3.1.4 code, with
# its server package renamed `keelflow` and its components package `keelflow-components` — the
# names Keelflow (a continuation of Flowise 3.1.4) gives them. No fork is published on the npm
# registry, so this is the closest to one that can be installed here; it is NOT Keelflow's code.
#   make-fork.sh FLOWISE_DIR FORK_DIR
# FORK_DIR/node_modules: the two renamed packages are hard-linked copies (files that are
# rewritten are replaced, never edited in place, so FLOWISE_DIR is left as it was); every other
# package is a symlink into FLOWISE_DIR/node_modules. Start it with
#   (cd FORK_DIR && node node_modules/keelflow/bin/run start)
set -euo pipefail
src=$(cd "$1" && pwd)/node_modules
fork=$2
rm -rf "$fork"
mkdir -p "$fork/node_modules"
echo '{"name":"voxflow-e2e-keelflow","private":true,"dependencies":{"keelflow":"3.1.4"}}' >"$fork/package.json"
for entry in "$src"/* "$src"/.bin; do
  name=$(basename "$entry")
  case "$name" in flowise | flowise-components) continue ;; esac
  ln -s "$entry" "$fork/node_modules/$name"
done
# Hard links where FORK_DIR is on FLOWISE_DIR's file system, a plain copy (~170 MB) elsewhere.
cp -al "$src/flowise" "$fork/node_modules/keelflow" 2>/dev/null || { rm -rf "$fork/node_modules/keelflow"; cp -a "$src/flowise" "$fork/node_modules/keelflow"; }
cp -al "$src/flowise-components" "$fork/node_modules/keelflow-components" 2>/dev/null ||
  { rm -rf "$fork/node_modules/keelflow-components"; cp -a "$src/flowise-components" "$fork/node_modules/keelflow-components"; }
# A Voxflow plugin installed into FLOWISE_DIR earlier is not part of the fork (and its hard
# links must not be written through): the e2e installs the plugin into the fork itself.
rm -rf "$fork/node_modules/keelflow-components/dist/nodes/voxflow" "$fork/node_modules/keelflow-components/dist/credentials/VoxflowApi.credential.js"
# Rewrite (replace, so the hard links to FLOWISE_DIR break) the files naming the package.
replace() { # file, sed expression
  sed "$2" "$1" >"$1.new" && rm -f "$1" && mv "$1.new" "$1"
}
grep -rlE "flowise-components" "$fork/node_modules/keelflow/dist" --include='*.js' | while read -r f; do
  replace "$f" 's/flowise-components/keelflow-components/g'
done
replace "$fork/node_modules/keelflow/package.json" 's/"name": "flowise"/"name": "keelflow"/; s/"flowise-components":/"keelflow-components":/'
replace "$fork/node_modules/keelflow-components/package.json" 's/"name": "flowise-components"/"name": "keelflow-components"/'
# Nothing of the fork may still load a package called flowise-components.
if grep -rlE "require\(\"flowise-components\"\)|'flowise-components'" "$fork/node_modules/keelflow/dist" --include='*.js' | grep -v '\.test\.js$' | grep -q .; then
  echo "make-fork: flowise-components is still required" >&2
  exit 1
fi
test ! -e "$fork/node_modules/flowise-components"
grep -q '"name": "keelflow-components"' "$fork/node_modules/keelflow-components/package.json"
grep -q '"keelflow-components":' "$fork/node_modules/keelflow/package.json"
