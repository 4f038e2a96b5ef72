#!/usr/bin/env bash
# The test command: every crate's unit and integration tests.
#
# The API suite runs each test on SQLite and, when a PostgreSQL server is configured, on
# PostgreSQL too. Configure it with VOXFLOW_TEST_PG_URL (an admin connection that may
# create roles and databases); if unset and a server answers on 127.0.0.1:5432 as the
# `postgres` user, that one is used.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests need beyond the run (espeak-ng, sox, ffmpeg, apertium, PostgreSQL, Node.js)
# and the native libraries, installed the same way the run's setup does (models come from
# ../shared/models or VOXFLOW_MODELS_DIR, never downloaded by a test).
scripts/setup.sh --test --no-models

if [ -z "${VOXFLOW_TEST_PG_URL:-}" ] && command -v psql >/dev/null 2>&1; then
  for url in "postgres://postgres:postgres@127.0.0.1:5432/postgres" "postgres://postgres@127.0.0.1:5432/postgres"; do
    if PGCONNECT_TIMEOUT=3 psql "$url" -tAc 'SELECT 1' >/dev/null 2>&1; then
      export VOXFLOW_TEST_PG_URL="$url"
      break
    fi
  done
fi
if [ -n "${VOXFLOW_TEST_PG_URL:-}" ]; then
  echo "PostgreSQL tests: enabled (${VOXFLOW_TEST_PG_URL%%@*}@…)"
else
  echo "PostgreSQL tests: skipped (no server; set VOXFLOW_TEST_PG_URL)"
fi

cargo test --workspace "$@"
