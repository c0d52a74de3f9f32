#!/usr/bin/env bash
# The pictures of the book and the README (docs/src/images/), made anew from the current build:
# parts of the HTML report of Liupanshui and of the tutorial's problem, rendered by headless
# Chromium through scripts/screenshot-report.sh. Run it after a change to the report's look, look
# at the pictures, and commit them.
#
#   scripts/book-images.sh
#
# Needs what scripts/screenshot-report.sh needs: Chromium, python3 and the release build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
images=$root/docs/src/images
shoot=$root/scripts/screenshot-report.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$images"

# Liupanshui with its scenarios: the report is written once and shot in parts.
"$root/target/release/parkplan" report "$root/problems/liupanshui.yaml" -o "$work/liupanshui.html"
export PROBLEM=$root/problems/liupanshui.yaml
HEIGHT=860 "$shoot" "$work/liupanshui.html" "$images/report-overview.png" 1200
HEIGHT=700 FROM="Output value by park" "$shoot" "$work/liupanshui.html" "$images/report-output.png" 1200
HEIGHT=520 FROM="Resource utilisation" "$shoot" "$work/liupanshui.html" "$images/report-heat-map.png" 1200
HEIGHT=760 FROM="Material flows" "$shoot" "$work/liupanshui.html" "$images/report-flows.png" 1200
HEIGHT=600 FROM="Shadow prices" "$shoot" "$work/liupanshui.html" "$images/report-shadow-prices.png" 1200
HEIGHT=640 FROM="Changes against" "$shoot" "$work/liupanshui.html" "$images/report-changes.png" 1200

# The tutorial's problem as it stands at the end: the last `parks.yaml` the page writes.
python3 - "$root/docs/src/tutorial.md" "$work/parks.yaml" <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
files = re.findall(r"<!-- readme-test: file parks.yaml -->\n```yaml\n(.*?)```", page, re.S)
open(sys.argv[2], "w", encoding="utf-8").write(files[-1])
PY
"$root/target/release/parkplan" report "$work/parks.yaml" -o "$work/parks.html"
export PROBLEM=$work/parks.yaml
HEIGHT=860 "$shoot" "$work/parks.html" "$images/tutorial-report.png" 1200
ls -l "$images"
