#!/usr/bin/env bash
# Load test of `parkplan serve` on loopback: CLIENTS concurrent clients each send WHATIFS what-ifs
# on Liupanshui (Pannan's land and the funds pool changed, a different value each time), check
# every answer (HTTP 200, status optimal, an objective), and report latency percentiles, the
# server's peak memory (VmHWM) and how many answers were wrong. Bounded: loopback only, a fixed
# count of requests, each with a time limit, the whole run stopped after LIMIT seconds.
#
#   scripts/load-serve.sh [CLIENTS] [WHATIFS] [JOBS]        defaults: 50 20 2
#
# Needs curl and a built binary (cargo build --release); exits 1 if any answer is wrong.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-50}
whatifs=${2:-20}
jobs=${3:-2}
limit=${LIMIT:-600}
bin=${PARKPLAN_BIN:-target/release/parkplan}
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" serve problems/liupanshui.yaml --addr 127.0.0.1:0 --jobs "$jobs" --time-limit 30 \
  --queue $((clients + 8)) >"$work/url" 2>/dev/null &
server=$!
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(head -1 "$work/url")
case $url in http://127.0.0.1:*) ;; *) echo "the server printed no loopback URL" >&2; exit 1 ;; esac

client() {
  local c=$1 i land pool t0 t1 out
  for i in $(seq "$whatifs"); do
    land=$(awk -v c="$c" -v i="$i" 'BEGIN { printf "%.2f", 3.3 + (c * 7 + i) % 30 / 10 }')
    pool=$(awk -v c="$c" -v i="$i" 'BEGIN { printf "%.1f", 20 + (c + i * 3) % 15 }')
    t0=$(date +%s%N)
    out=$(curl -s --max-time 60 -w '\n%{http_code}' -H 'Content-Type: application/json' \
      -d "{\"problem\":\"liupanshui\",\"set\":{\"parks.pannan.capacity.land\":$land,\"resources.funds.pool\":$pool},\"time_limit\":30}" \
      "${url}api/solve" || true)
    t1=$(date +%s%N)
    local code=${out##*$'\n'}
    local ok=0
    if [ "$code" = 200 ] && grep -q '"status": "optimal"' <<<"$out" && grep -q '"objective": [0-9]' <<<"$out"; then ok=1; fi
    echo "$(( (t1 - t0) / 1000000 )) $ok $code"
  done >"$work/client-$c"
}

peak=0
start=$(date +%s%N)
pids=()
for c in $(seq "$clients"); do
  client "$c" &
  pids+=($!)
done
running() {
  local p
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done
  return 1
}
# Sample the server's memory while the clients run.
while running; do
  rss=$(awk '/VmHWM/ { print $2 }' "/proc/$server/status" 2>/dev/null || echo 0)
  [ "${rss:-0}" -gt "$peak" ] && peak=$rss
  if [ $(( ($(date +%s%N) - start) / 1000000000 )) -gt "$limit" ]; then
    echo "stopped after ${limit} s" >&2; break
  fi
  sleep 0.2
done
wait "${pids[@]}" 2>/dev/null || true
end=$(date +%s%N)
rss=$(awk '/VmHWM/ { print $2 }' "/proc/$server/status" 2>/dev/null || echo 0)
[ "${rss:-0}" -gt "$peak" ] && peak=$rss

cat "$work"/client-* | sort -n >"$work/all"
total=$(wc -l <"$work/all")
good=$(awk '$2 == 1' "$work/all" | wc -l)
pct() { awk -v p="$1" -v n="$total" 'NR == int((n - 1) * p / 100) + 1 { print $1; exit }' "$work/all"; }
secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
echo "parkplan serve under load: $clients clients x $whatifs what-ifs on Liupanshui, --jobs $jobs"
echo "  answers: $total, correct: $good, wrong or failed: $((total - good))"
echo "  latency ms: p50 $(pct 50), p90 $(pct 90), p99 $(pct 99), max $(tail -1 "$work/all" | cut -d' ' -f1)"
echo "  wall: ${secs} s, throughput $(awk -v n="$total" -v s="$secs" 'BEGIN { printf "%.1f", n / s }') what-ifs/s"
echo "  server peak memory (VmHWM): $((peak / 1024)) MiB"
[ "$good" -eq $((clients * whatifs)) ]
