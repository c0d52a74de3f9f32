#!/bin/sh
# Generates the largest problem `parkplan generate` is meant for (2,543 parks x 40 chains x 8
# materials) and validates it; prints the time of each step. Too slow for the test suite (the
# validation takes tens of seconds), so it is run by hand: scripts/generate-large.sh
set -eu
cd "$(dirname "$0")/.."
nice -n 10 cargo build --release --quiet
bin=target/release/parkplan
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
start=$(date +%s.%N)
"$bin" generate --parks 2543 --chains 40 --materials 8 --seed 1 -o "$out/large.yaml"
mid=$(date +%s.%N)
"$bin" validate "$out/large.yaml"
end=$(date +%s.%N)
echo "generate: $(echo "$mid - $start" | bc) s, validate: $(echo "$end - $mid" | bc) s, $(wc -c <"$out/large.yaml") bytes"
