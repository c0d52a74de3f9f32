#!/bin/sh
# Peak memory of a sweep of 1,000,000 points of the Liupanshui problem: validated whole, and one
# shard of 100,000 (10 points) solved. Sweep points are enumerated by index and built only when
# validated or solved, so neither run holds more than a chunk of points at once.
#
#   scripts/sweep-memory.sh [PARKPLAN]     (default: target/release/parkplan)
#
# Needs GNU time (/usr/bin/time, Debian's `time` package) for the maximum resident set size.
set -eu
bin=${1:-target/release/parkplan}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# A sweep of 100 × 100 × 100 points added at the top of the file's `sweeps:` block.
awk '{ print } /^sweeps:/ {
  print "  million:"
  print "    description: 1,000,000 points, to measure memory"
  print "    vary:"
  print "      \"parks.pannan.capacity.land\": { from: 3.0, to: 6.3, steps: 100 }"
  print "      \"parks.liuzhi.capacity.funds\": { from: 4, to: 11, steps: 100 }"
  print "      \"parks.liuzhi.capacity.water\": { from: 20, to: 40, steps: 100 }"
}' problems/liupanshui.yaml > "$dir/million.yaml"
peak() { # command… → prints its exit code and peak memory
    /usr/bin/time -v "$@" > "$dir/out" 2> "$dir/time" || true
    code=$(sed -n 's/.*Exit status: //p' "$dir/time")
    kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time")
    secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time")
    echo "exit $code, max RSS $((kb / 1024)) MB, $secs wall: $*"
}
peak "$bin" validate "$dir/million.yaml"
peak "$bin" sweep "$dir/million.yaml" --sweep million --shard 0/100000 -f csv
