#!/usr/bin/env bash
# guanhuai against VisiData and the sqlite3 shell (scripts/compare.py says what
# is measured). Builds the release binary, the dataset generator and the `dist`
# binary (whose size is reported), installs the sqlite3 shell with apt-get when
# it is missing and VisiData and pyte into bench-data/venv, then runs the
# comparison; arguments go to compare.py:
#
#     scripts/compare.sh                    # 8,275 and 100,000 members
#     scripts/compare.sh --large            # and 1,000,000 (tens of minutes)
#     scripts/compare.sh --sizes 8275 --runs 5
#
# The table is printed and written to bench-data/compare.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v sqlite3 >/dev/null 2>&1; then
    sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    echo "installing sqlite3" >&2
    "${sudo[@]}" apt-get update
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y sqlite3
fi

mkdir -p bench-data
venv=bench-data/venv
if [[ ! -x $venv/bin/vd || ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import pyte' 2>/dev/null; then
    echo "installing VisiData and pyte into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check visidata pyte
fi

cargo build --release --quiet --bin guanhuai --example bench_roster
cargo build --profile dist --quiet --bin guanhuai
target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')

exec "$venv/bin/python" scripts/compare.py \
    --bin "$target_dir/release/guanhuai" \
    --gen "$target_dir/release/examples/bench_roster" \
    --dist-bin "$target_dir/dist/guanhuai" \
    --vd "$venv/bin/vd" \
    "$@"
