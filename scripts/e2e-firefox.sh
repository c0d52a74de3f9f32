#!/usr/bin/env bash
# The end-to-end scenario of `parkplan serve` (tests/e2e/scenario.mjs) in Firefox: Debian's
# firefox-esr, driven by Puppeteer over WebDriver BiDi. The test suite runs the same scenario in
# Chromium on every `cargo test`; this script is run by hand (or in a job of its own), since
# Firefox and its driver package are a large download the suite does without.
#
#   scripts/e2e-firefox.sh [SCREENSHOT_DIR]
#
# Installs what is missing: firefox-esr (apt-get, through sudo when not root), the npm package
# puppeteer-core in tests/e2e/firefox (npm ci, no browser downloaded), and the release build.
# Screenshots of the page at 1280 × 900 and at tablet widths (768 × 1024, 1024 × 768) go to
# SCREENSHOT_DIR (default target/e2e-firefox), named firefox-serve-*.png. Exits 0 when every
# check holds, 1 with the check that failed. PARKPLAN_FIREFOX names another Firefox binary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shots=$(mkdir -p "${1:-$root/target/e2e-firefox}" && cd "${1:-$root/target/e2e-firefox}" && pwd)
say() { printf '%s\n' "$*" >&2; }

firefox=${PARKPLAN_FIREFOX:-}
if [ -z "$firefox" ]; then
  firefox=$(command -v firefox-esr || command -v firefox || true)
fi
if [ -z "$firefox" ]; then
  sudo=()
  [ "$EUID" -eq 0 ] || sudo=(sudo)
  if ! command -v apt-get >/dev/null 2>&1; then
    say "Firefox is missing: install it (Debian: apt-get install firefox-esr), or set PARKPLAN_FIREFOX"
    exit 1
  fi
  say "installing firefox-esr (apt-get)"
  "${sudo[@]}" apt-get install -y --no-install-recommends firefox-esr >&2
  firefox=$(command -v firefox-esr)
fi
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || {
  say "Node.js and npm are missing (Debian: apt-get install nodejs npm)"
  exit 1
}
if [ ! -d "$root/tests/e2e/firefox/node_modules/puppeteer-core" ]; then
  say "installing puppeteer-core (npm ci in tests/e2e/firefox; no browser is downloaded)"
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix "$root/tests/e2e/firefox" --no-audit --no-fund >&2
fi
bin=${PARKPLAN_BIN:-$root/target/release/parkplan}
if [ -z "${PARKPLAN_BIN:-}" ]; then
  (cd "$root" && cargo build --release --locked >&2)
fi
PARKPLAN_BIN=$bin PARKPLAN_FIREFOX=$firefox node "$root/tests/e2e/firefox/firefox.test.mjs" "$shots"
say "screenshots: $shots/firefox-serve-*.png"
