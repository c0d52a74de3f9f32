#!/usr/bin/env bash
# Full-page screenshot of a parkplan HTML report, rendered by headless Chromium — to look at how it
# reads — and a check that the rendered page names every park.
#
#   scripts/screenshot-report.sh [INPUT] [OUT.png] [WIDTH]
#
# INPUT is an HTML report, or anything `parkplan report` takes (a problem file: its base and
# scenarios are solved; a plan file; a comparison file; a folder of plans; a sweep's output
# folder; a Pareto front file). Defaults: problems/liupanshui.yaml, target/report/screenshot.png,
# 1280. The HTML report is kept beside the screenshot (target/report/report.html).
#
# The page's height is measured by Chromium itself: a copy of the report with a small script
# appended (and the page's Content-Security-Policy, which forbids scripts, left out) writes
# document.documentElement.scrollHeight into the DOM, read back with --dump-dom; the screenshot is
# then taken with a window that tall. The same rendered DOM must hold the display name (`name:`)
# of every park of the problem file — INPUT when it is one, else PROBLEM=FILE — or the script
# names the missing ones and exits with 1.
#
# Two settings take a part of the page instead of the whole: HEIGHT=N takes only the first N pixels
# (a window N tall), and FROM=TEXT starts the page at the first heading (h2 or h3) that starts with
# TEXT, on a copy whose script removes everything before that heading. The book's pictures are
# made this way (scripts/book-images.sh).
#
# Needs Debian's `chromium` (`apt-get install chromium`; PARKPLAN_CHROMIUM names another binary),
# python3 and the release build (`cargo build --release`).
set -euo pipefail
# Paths given are taken from where the script is run; the defaults are in the repository.
root=$(cd "$(dirname "$0")/.." && pwd)
input=${1:-$root/problems/liupanshui.yaml}
out=${2:-$root/target/report/screenshot.png}
width=${3:-1280}
problem=${PROBLEM:-}
parkplan=$root/target/release/parkplan
if [ ! -x "$parkplan" ]; then
  echo "no $parkplan: cargo build --release" >&2
  exit 1
fi
mkdir -p "$(dirname "$out")"

case "$width" in
  '' | *[!0-9]*) echo "WIDTH must be a number of pixels, not \`$width\`" >&2; exit 2 ;;
esac
if [ -z "$problem" ] && [ -f "$input" ] && grep -q '^parks:' "$input"; then
  problem=$input
fi

case "$input" in
  *.html) html=$input ;;
  *)
    html="$(dirname "$out")/report.html"
    "$parkplan" report "$input" -o "$html"
    ;;
esac

browser=${PARKPLAN_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$browser" ]; then
  echo "no chromium: apt-get install chromium (or set PARKPLAN_CHROMIUM)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chromium() {
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$(mktemp -d -p "$work")" "$@" 2>/dev/null
}

# The copy that measures itself: the height goes into <body data-scroll-height="…">.
sed '/http-equiv="Content-Security-Policy"/d' "$html" > "$work/measure.html"
cat >> "$work/measure.html" <<'EOF'
<script>
document.body.dataset.scrollHeight = document.documentElement.scrollHeight;
</script>
EOF
chromium --window-size="$width,600" --dump-dom "file://$work/measure.html" > "$work/dom.html"
height=$(grep -o 'data-scroll-height="[0-9]*"' "$work/dom.html" | head -n 1 | tr -dc 0-9)
if [ -z "$height" ]; then
  echo "Chromium did not report the height of $html (is it a parkplan report?)" >&2
  exit 1
fi

if [ -n "$problem" ]; then
  names=$("$parkplan" solve "$problem" -f json --no-tie-check 2>/dev/null || true)
  NAMES=$names python3 - "$work/dom.html" "$problem" <<'EOF'
import html, json, os, sys
dom = open(sys.argv[1], encoding="utf-8").read()
try:
    parks = json.loads(os.environ["NAMES"]).get("names", {}).get("parks", {})
except ValueError:
    sys.exit(f"cannot read the park names of {sys.argv[2]}: `parkplan solve -f json` printed no plan")
missing = [f"{park} ({name})" for park, name in parks.items()
           if html.escape(name, quote=False) not in dom]
if missing:
    sys.exit(f"the rendered report lacks the name of {len(missing)} park(s) of {sys.argv[2]}: "
             + ", ".join(missing))
print(f"all {len(parks)} park names of {sys.argv[2]} are on the page")
EOF
else
  echo "note: no problem file (PROBLEM=FILE) to take the park names from; names not checked" >&2
fi

shot=$(realpath "$html")
if [ -n "${FROM:-}" ]; then
  # The copy that starts at the heading: everything before it, at every level, is removed.
  sed '/http-equiv="Content-Security-Policy"/d' "$html" > "$work/from.html"
  FROM_TEXT=$FROM python3 -c 'import json, os; print("<script>const from = " + json.dumps(os.environ["FROM_TEXT"]) + ";</script>")' >> "$work/from.html"
  cat >> "$work/from.html" <<'EOF'
<script>
const start = [...document.querySelectorAll('h2, h3')].find(h => h.textContent.startsWith(from));
if (start) {
  for (let el = start; el && el !== document.body; el = el.parentElement) {
    while (el.previousElementSibling) el.previousElementSibling.remove();
  }
} else {
  document.body.dataset.missing = 'yes';
}
</script>
EOF
  if chromium --window-size="$width,600" --dump-dom "file://$work/from.html" | grep -q 'data-missing="yes"'; then
    echo "no heading of $html starts with \`$FROM\`" >&2
    exit 1
  fi
  shot=$work/from.html
fi
case "${HEIGHT:-}" in
  '') ;;
  *[!0-9]*) echo "HEIGHT must be a number of pixels, not \`$HEIGHT\`" >&2; exit 2 ;;
  *) height=$HEIGHT ;;
esac

rm -f "$out"
chromium --window-size="$width,$height" --screenshot="$(realpath -m "$out")" \
  "file://$shot"
# Chromium may quietly take less than asked for (a page taller than it can draw).
python3 - "$out" "$width" "$height" <<'EOF'
import struct, sys
path, want = sys.argv[1], (int(sys.argv[2]), int(sys.argv[3]))
try:
    with open(path, "rb") as f:
        head = f.read(24)
except OSError:
    sys.exit(f"Chromium wrote no screenshot to {path}")
got = struct.unpack(">II", head[16:24]) if head[:8] == b"\x89PNG\r\n\x1a\n" else None
if got != want:
    sys.exit(f"{path} is {got[0]}×{got[1]} px, not the page's {want[0]}×{want[1]}" if got
             else f"{path} is not a PNG")
EOF
echo "$html -> $out (${width}×${height} px)"
