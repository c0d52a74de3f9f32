#!/usr/bin/env bash
# Screenshot of a parkplan HTML report, rendered by headless Chromium — to look at how it reads.
#
#   scripts/screenshot-report.sh [INPUT] [OUT.png] [WIDTH,HEIGHT]
#
# INPUT is an HTML report, or anything `parkplan report` takes (a problem file: its base and
# scenarios are solved; a plan file; a comparison file; a folder of plans; a sweep's output
# folder; a Pareto front file). Defaults:
# problems/liupanshui.yaml, target/report/screenshot.png, 1280,2400. The HTML report is kept beside
# the screenshot (target/report/report.html). Needs Debian's `chromium`
# (`apt-get install chromium`) and the release build (`cargo build --release`).
set -euo pipefail
cd "$(dirname "$0")/.."

input=${1:-problems/liupanshui.yaml}
out=${2:-target/report/screenshot.png}
size=${3:-1280,2400}
mkdir -p "$(dirname "$out")"

case "$input" in
  *.html) html=$input ;;
  *)
    html="$(dirname "$out")/report.html"
    target/release/parkplan report "$input" -o "$html"
    ;;
esac

browser=${PARKPLAN_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$browser" ]; then
  echo "no chromium: apt-get install chromium (or set PARKPLAN_CHROMIUM)" >&2
  exit 1
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
  --user-data-dir="$profile" --window-size="$size" \
  --screenshot="$(realpath -m "$out")" "file://$(realpath "$html")" 2>/dev/null
echo "$html -> $out"
