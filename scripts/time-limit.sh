#!/usr/bin/env bash
# Measures how closely `--time-limit` bounds a whole `solve` run (reading, building, solving,
# shadow prices) on a large problem: 40 copies of Liupanshui, 320 parks with exchange across
# zones (about 500,000 flow columns), which HiGHS does not finish in the limit.
#
#   scripts/time-limit.sh [COPIES] [SECONDS]      defaults: 40 copies, 10 s
#
# Prints the wall time and peak memory of the run, and its exit code (5: a plan with its gap,
# 6: no plan yet). Needs python3 with PyYAML and a release build (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-40}
limit=${2:-10}
problem=$(mktemp --suffix=.yaml)
trap 'rm -f "$problem"' EXIT
scripts/replicate.py "$copies" >"$problem"
set +e
/usr/bin/time -f "wall %e s, peak memory %M KB" \
  target/release/parkplan solve "$problem" --time-limit "$limit" -f json -o /dev/null
echo "exit code $? with --time-limit $limit on $copies copies"
