#!/usr/bin/env bash
# Redraws screenshots/*.png from a fresh demo database, the same bytes every run
# except the audit log's times (the log keeps the real clock, not GUANHUAI_TODAY).
#
# Each screen is drawn into ratatui's TestBackend at 80x24 and written as SVG
# with every glyph on an exact cell grid (examples/screenshots/), then
# rasterised by rsvg-convert with the Noto CJK fonts. Installs librsvg2-bin,
# fonts-noto-cjk and fonts-dejavu-core with apt-get when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v rsvg-convert >/dev/null 2>&1 || missing+=(librsvg2-bin)
has_font() { [[ -n $(fc-list "$1" family 2>/dev/null) ]]; }
has_font "Noto Sans Mono CJK SC" || missing+=(fonts-noto-cjk)
has_font "DejaVu Sans Mono" || missing+=(fonts-dejavu-core)
if ((${#missing[@]})); then
    sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    echo "installing ${missing[*]}" >&2
    "${sudo[@]}" apt-get update
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y "${missing[@]}"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GUANHUAI_TODAY=2026-11-28
unset NO_COLOR

cargo build --quiet --bin guanhuai --example screenshots
target_dir=$(cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
"$target_dir/debug/guanhuai" --db "$tmp/demo.sqlite" demo >/dev/null
# the public notice of this year's hardship cases, as the text file prints it
"$target_dir/debug/guanhuai" --db "$tmp/demo.sqlite" notice hardship \
    --from 2026-11-01 --to 2026-11-30 "$tmp/notice.txt" >/dev/null
"$target_dir/debug/examples/screenshots" "$tmp/svg" "$tmp/demo.sqlite" "$tmp/notice.txt" >/dev/null

mkdir -p screenshots
shopt -s nullglob
svgs=("$tmp"/svg/*.svg)
if ((${#svgs[@]} == 0)); then
    echo "no screens were drawn" >&2
    exit 1
fi
for svg in "${svgs[@]}"; do
    png="screenshots/$(basename "${svg%.svg}").png"
    # zoom 2: 1600x960 pixels, a 20x40 pixel cell
    rsvg-convert --zoom 2 --background-color '#1c1c1c' "$svg" -o "$png"
    echo "$png"
done
