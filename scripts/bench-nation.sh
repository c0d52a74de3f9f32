#!/usr/bin/env bash
# Nation-scale runs over the families of `parkplan generate`: for each share of parks on an
# `allowed` list and each size, generates a problem, solves it under each time limit, solves the
# exported MPS with HiGHS alone under the same limit, and writes one Markdown table to
# target/bench/nation.md (and prints it). Every row carries the machine's load (`uptime`) when its
# runs began: on a shared machine, read the figures with it.
#
#   scripts/bench-nation.sh                                  every family and size, 10 s and 60 s
#   SHARES="0.3" PARKS="500" LIMITS="10 60 600" scripts/bench-nation.sh
#   SEEDS="1 2" SHARES="0 0.3" PARKS=2543 LIMITS=60 HIGHS=0 scripts/bench-nation.sh
#
# Settings (environment):
#   SHARES   shares of parks with an `allowed` list          (default "0 0.3 1")
#   PARKS    park counts                                      (default "100 500 2543")
#   SEEDS    seeds of `generate`                              (default "1")
#   LIMITS   --time-limit of each solve, seconds              (default "10 60")
#   HIGHS=0  skip HiGHS alone on the MPS file                 (default 1: run it)
#   PARKPLAN_BIN, SOLVE_FILE_BIN  the binaries measured  (default target/release/parkplan and
#            target/release/examples/solve_file, built with `cargo build --release --example
#            solve_file`)
#
# The family is the hard one of a national plan: 40 chains, 8 materials, a zone per ten parks,
# exchange across zones at a cost, half the parks with existing plant, `max_total` on 18 chains,
# city pools on new activity only (power, funds), min_share 0.3, not strict:
#   parkplan generate --parks N --chains 40 --zones N/10 --exchange across --allowed-share S \
#     --existing-share 0.5 --max-total 18 --pools new --seed SEED
#
# Columns: share, parks, seed; limit (s); status and gap of parkplan's plan (`gap` of plan.json,
# a proven bound); wall s and peak MB of the whole `parkplan solve` run (/usr/bin/time -v);
# HiGHS alone: its status and the gap of its last report (|dual − primal| / |primal| from its
# log, blank without a plan); load: the 1-minute load average when the row's runs began.
# "first plan" is read off the rows: the shortest limit whose plan exists.
# Runs are one at a time, never in parallel with each other.
set -euo pipefail
cd "$(dirname "$0")/.."

shares=${SHARES:-"0 0.3 1"}
parks_list=${PARKS:-"100 500 2543"}
seeds=${SEEDS:-"1"}
limits=${LIMITS:-"10 60"}
highs=${HIGHS:-1}
bin=${PARKPLAN_BIN:-target/release/parkplan}
solve_file=${SOLVE_FILE_BIN:-target/release/examples/solve_file}
out=target/bench
runs=$out/nation

die() {
  echo "bench-nation: $*" >&2
  exit 1
}
[ -x "$bin" ] || die "no parkplan binary at $bin: build it (cargo build --release) or set PARKPLAN_BIN"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian: apt-get install time)"
if [ "$highs" = 1 ]; then
  [ -x "$solve_file" ] || die "no HiGHS-alone binary at $solve_file: cargo build --release --example solve_file"
fi
mkdir -p "$runs"

load() { cut -d' ' -f1 /proc/loadavg; }
json() { python3 -c "import json,sys; d=json.load(open('$1')); v=d.get('$2'); print('' if v is None else v)"; }

table=$out/nation.md
{
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo); $("$bin" --version)"
  echo
  echo "| allowed share | parks | seed | limit s | status | gap | wall s | peak MB | HiGHS alone | HiGHS gap | load |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} >"$table"

for share in $shares; do
  for parks in $parks_list; do
    for seed in $seeds; do
      dir=$runs/$share-$parks-$seed
      mkdir -p "$dir"
      zones=$(((parks + 9) / 10))
      "$bin" generate --parks "$parks" --chains 40 --zones "$zones" --exchange across \
        --allowed-share "$share" --existing-share 0.5 --max-total 18 --pools new \
        --seed "$seed" -o "$dir/problem.yaml"
      if [ "$highs" = 1 ]; then
        "$bin" export "$dir/problem.yaml" -o "$dir/model.mps" 2>"$dir/export.err"
      fi
      for limit in $limits; do
        row_load=$(load)
        rc=0
        /usr/bin/time -v -o "$dir/time-$limit.txt" "$bin" solve "$dir/problem.yaml" \
          --time-limit "$limit" --no-tie-check -f json -o "$dir/plan-$limit.json" \
          2>"$dir/solve-$limit.err" || rc=$?
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; printf "%.1f", s}' "$dir/time-$limit.txt")
        peak=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$dir/time-$limit.txt")
        status=no-plan gap=
        if [ -s "$dir/plan-$limit.json" ]; then
          status=$(json "$dir/plan-$limit.json" status)
          gap=$(json "$dir/plan-$limit.json" gap)
        fi
        [ "$rc" = 0 ] || [ -n "$gap" ] || status="no-plan (exit $rc)"
        h_status= h_gap=
        if [ "$highs" = 1 ]; then
          "$solve_file" "$dir/model.mps" "$limit" >"$dir/highs-$limit.out" 2>&1 || true
          h_status=$(sed -n 's/^status \([A-Za-z]*\) .*/\1/p' "$dir/highs-$limit.out" | tail -1)
          h_gap=$(awk '/Primal bound/ {p=$3} /Dual bound/ {d=$3} END {
              if (p != "" && p != "inf" && p != "-inf" && d != "") {
                g = (d - p) / (p < 0 ? -p : p); if (g < 0) g = -g; printf "%.3g", g } }' "$dir/highs-$limit.out")
        fi
        echo "| $share | $parks | $seed | $limit | $status | $gap | $wall | $peak | $h_status | $h_gap | $row_load |" | tee -a "$table"
      done
    done
  done
done
echo
cat "$table"
