#!/usr/bin/env bash
# Runs every benchmark under bench/ and prints its figures (not part of `make test`).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD/bench${PYTHONPATH:+:$PYTHONPATH}"
status=0
for bench in bench/bench_*.py; do
  printf '\n==> %s\n' "$bench"
  .venv/bin/python "$bench" || status=1
done
exit $status
