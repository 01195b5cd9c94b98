#!/usr/bin/env bash
# The whole suite: lint, SQLite, PostgreSQL (when reachable; mandatory with CI=true), the deploy
# check, and the browser tests in headless Chromium (mandatory with CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
CI=${CI:-false}
export SIGNPOST_ENV=test
export PYTHONDONTWRITEBYTECODE=1
WORKERS=${TEST_WORKERS:-2}

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

step "ruff"
$BIN/ruff check .
step "mypy"
$BIN/mypy signpost
step "migrations are up to date"
$BIN/signpost makemigrations --check --dry-run >/dev/null || fail "models changed without a migration"

# Debian packages the tests use, installed when missing and running as root: HarfBuzz's
# subsetter (WeasyPrint subsets the leaflets' fonts with it, and warns that it will require it)
# and Chromium for the browser tests.
apt_install() {
  if [ "$#" -gt 0 ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@") >/dev/null \
      || echo "apt-get could not install $*"
  fi
}
missing=()
grep -q libharfbuzz-subset <(ldconfig -p 2>/dev/null) || missing+=(libharfbuzz-subset0)
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-dejavu-core)
apt_install "${missing[@]}"

step "tests on SQLite"
env -u DATABASE_URL $BIN/pytest -m "not browser" -n "$WORKERS" -q

PG_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/signpost}
if $BIN/python scripts/pg_reachable.py "$PG_URL"; then
  step "tests on PostgreSQL"
  DATABASE_URL=$PG_URL $BIN/pytest -m "not browser" -n "$WORKERS" -q
  step "production settings pass the deploy check"
  DATABASE_URL=$PG_URL bash scripts/deploy-check.sh
elif [ "$CI" = "true" ]; then
  fail "PostgreSQL is not reachable at $PG_URL (mandatory in CI)"
else
  echo "PostgreSQL not reachable at $PG_URL: skipped (mandatory in CI)"
fi

step "browser tests"
if command -v chromium >/dev/null 2>&1; then
  env -u DATABASE_URL $BIN/pytest -m browser -q -p no:xdist
elif [ "$CI" = "true" ]; then
  fail "Chromium is not installed (mandatory in CI)"
else
  echo "Chromium not found: browser tests skipped (mandatory in CI)"
fi
