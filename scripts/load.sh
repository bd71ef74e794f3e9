#!/usr/bin/env bash
# Many clerks, one file: four UI sessions in pseudo-terminals and a loop of
# command-line imports and queries on one demo database for SECONDS
# (default 300), then every write is looked for in the file.
#   scripts/load.sh [SECONDS] [--sessions N] [--db DEMO.sqlite]
# Exits 1 when a requirement failed (the figures say which).
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo bench --quiet --bench load -- "$@"
