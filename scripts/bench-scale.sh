#!/usr/bin/env bash
# The long scale runs: for each size, generates a problem (`parkplan generate --materials 8
# --exchange across --seed 1`), exports its model to MPS, solves it under a time limit, and writes
# one Markdown table of the figures to target/bench/scale.md (and prints it).
#
#   scripts/bench-scale.sh [PARKS...]          default sizes: 12 100 500 2543 parks x 20 40 chains
#   PARKS="500" CHAINS="40" LIMIT=600 scripts/bench-scale.sh
#   OVERHEAD=1 PARKS="12 100" LIMIT=30 scripts/bench-scale.sh
#
# Settings (environment; park counts given as arguments replace PARKS):
#   PARKS         park counts                          (default "12 100 500 2543")
#   CHAINS        chain counts, each run with every park count   (default "20 40")
#   LIMIT         --time-limit of each solve, seconds  (default 600)
#   GAP           --gap of each solve                  (default 1e-6, parkplan's own)
#   OVERHEAD=1    also solve the exported MPS with HiGHS alone (examples/solve_file.rs, built
#                 with `cargo build --release --example solve_file`) under the same gap and limit
#   PARKPLAN_BIN  the parkplan binary to measure       (default target/release/parkplan)
#   SOLVE_FILE_BIN  HiGHS alone                        (default target/release/examples/solve_file)
#
# Per size, in target/bench/runs/P-C/: problem.yaml, model.mps, export.err, solve.err (standard
# error of the solve), time.txt (/usr/bin/time -v), solve.log (HiGHS's log), plan.json and, with
# OVERHEAD=1, solve_file.out. The table's columns:
#   columns, rows     of the model, from `parkplan export`'s `… columns (… binary), … rows` line
#   validate s        reading and validating the file; build s: building the model. From
#                     `export --timings` when the binary has it; otherwise estimated (marked ≈):
#                     validate = the wall time of `parkplan validate`, build = the wall time of
#                     `parkplan export` less that (so it includes writing the MPS file; 0 when
#                     the difference is within the noise of two process starts and comes out < 0)
#   build % of solve  the build's share of the solve run: from `solve --timings` (build lap over
#                     total) when the binary has it, else the build above over solve s (≈)
#   gap at 60 s       the relative gap |BestBound - BestSol| / |BestSol| of the last
#                     branch-and-bound line of HiGHS's log at or before 60 s of HiGHS's time (the
#                     final gap when the MILP ended sooner); blank when HiGHS had no plan by then
#   final gap         the plan's `gap` field (plan.json); 0 when proven optimal within GAP
#   solve s           wall time of the whole `parkplan solve` run (reading to writing the plan,
#                     shadow prices' LP included), with --no-tie-check
#   peak MB           its maximum resident set size (/usr/bin/time -v)
#   overhead %        OVERHEAD=1: parkplan's solve wall time over HiGHS alone on the MPS file
#                     (reading it and solving), less 100 %. Meaningful when both end by the gap;
#                     marked † when either stopped at the time limit (solve_file then says
#                     `time_limit` with its plan's objective and gap, or `no_solution`, and exits
#                     5 or 6 as parkplan does)
# Solves are not niced: run on a quiet machine, one size at a time.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -gt 0 ]; then PARKS="$*"; fi
parks_list=${PARKS:-"12 100 500 2543"}
chains_list=${CHAINS:-"20 40"}
limit=${LIMIT:-600}
gap=${GAP:-1e-6}
overhead=${OVERHEAD:-0}
bin=${PARKPLAN_BIN:-target/release/parkplan}
solve_file=${SOLVE_FILE_BIN:-target/release/examples/solve_file}
out=target/bench
runs=$out/runs

die() {
  echo "bench-scale: $*" >&2
  exit 1
}
for n in $parks_list $chains_list; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "\`$n\` is not a count of parks or chains (PARKS, CHAINS: positive integers)"
done
[[ $limit =~ ^[0-9]+([.][0-9]+)?$ ]] || die "LIMIT \`$limit\` is not a number of seconds"
[ -x "$bin" ] || die "no parkplan binary at $bin: build it (cargo build --release) or set PARKPLAN_BIN"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian: apt-get install time)"
if [ "$overhead" = 1 ] && [ -z "${SOLVE_FILE_BIN:-}" ]; then
  nice -n 10 cargo build --release --quiet --example solve_file
fi
if [ "$overhead" = 1 ]; then
  [ -x "$solve_file" ] || die "no HiGHS-alone binary at $solve_file (SOLVE_FILE_BIN)"
fi
mkdir -p "$runs"

# Which --timings the binary has. (The help is read whole first: `grep -q` in a pipe would stop
# reading at the match, and under pipefail the writer's SIGPIPE would read as "no".)
export_timings=0
solve_timings=0
[[ $("$bin" export --help) == *--timings* ]] && export_timings=1
[[ $("$bin" solve --help) == *--timings* ]] && solve_timings=1

now() { date +%s.%N; }
# `calc EXPR`: floating-point arithmetic, three decimals.
calc() { awk "function max0(x) { return x > 0 ? x : 0 } BEGIN { printf \"%.3f\", $1 }"; }
# `pct EXPR`: a percentage, one decimal.
pct() { awk "BEGIN { printf \"%.1f\", $1 }"; }
# `lap NAME FILE`: the seconds of lap NAME on the `timings:` line of FILE (empty if none).
lap() {
  grep -m1 '^timings: ' "$2" | tr ',' '\n' | sed -n "s/^ *\(timings: \)\{0,1\}$1 \([0-9.]*\) s$/\2/p"
}
# `percent X`: a relative gap as a percentage, three significant digits ("" stays "").
percent() {
  if [ -n "$1" ]; then awk "BEGIN { printf \"%.3g %%\", 100 * $1 }"; fi
}
# `gap_at SECONDS LOG`: the relative gap of the last branch-and-bound line at or before SECONDS
# in the first MILP of HiGHS's log; "end" when that MILP's B&B table ended sooner, "" without a
# plan. Fields count from the right (the Src column may be blank): Time, LpIters, Confl., InLp,
# Cuts, Gap, BestSol, BestBound.
gap_at() {
  awk -v limit="$1" '
    /^==== / { section++ }
    section != 1 { next }
    /^Solving report/ { done = 1 }
    done { next }
    $NF ~ /^[0-9.e+]+s$/ && $(NF-5) ~ /%$|^Large$|^inf$/ {
      t = substr($NF, 1, length($NF) - 1) + 0
      if (t > limit) { late = 1; next }
      bound = $(NF-7); sol = $(NF-6)
      if (sol ~ /inf/ || bound ~ /inf/ || sol + 0 == 0) { g = "" }
      else { d = bound - sol; if (d < 0) d = -d; s = sol < 0 ? -sol : sol; g = d / s }
    }
    END { if (!late) print "end"; else print g }
  ' "$2"
}

cpu=$(grep -m1 '^model name' /proc/cpuinfo | sed 's/^[^:]*: *//')
mem=$(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)
binary="$bin ($("$bin" --version), built $(date -u -r "$bin" '+%Y-%m-%d %H:%M UTC'); export --timings: $([ $export_timings = 1 ] && echo yes || echo no), solve --timings: $([ $solve_timings = 1 ] && echo yes || echo no))"
machine="$(nproc) cores, ${cpu:-unknown CPU}, $mem memory"
echo "binary: $binary"
echo "machine: $machine"
echo "sizes: parks $parks_list x chains $chains_list; --time-limit $limit --gap $gap --no-tie-check"

rows=()
notes=()
limited=0
for parks in $parks_list; do
  for chains in $chains_list; do
    dir=$runs/$parks-$chains
    mkdir -p "$dir"
    rm -f "$dir"/*
    echo "== $parks parks x $chains chains" >&2
    "$bin" generate --parks "$parks" --chains "$chains" --materials 8 --exchange across --seed 1 \
      -o "$dir/problem.yaml"

    # Export: the model's size, and the validate and build laps.
    est=""
    if [ $export_timings = 1 ]; then
      "$bin" export --timings "$dir/problem.yaml" -o "$dir/model.mps" 2>"$dir/export.err"
      validate_s=$(lap validate "$dir/export.err")
      build_s=$(lap build "$dir/export.err")
    else
      t0=$(now)
      "$bin" validate "$dir/problem.yaml" >/dev/null
      t1=$(now)
      "$bin" export "$dir/problem.yaml" -o "$dir/model.mps" 2>"$dir/export.err"
      t2=$(now)
      validate_s=$(calc "$t1 - $t0")
      build_s=$(calc "max0(($t2 - $t1) - ($t1 - $t0))")
      est="≈"
    fi
    size_line=$(grep -m1 ' columns (.* binary), .* rows$' "$dir/export.err") ||
      die "no model size in $dir/export.err"
    columns=$(sed 's/.*: \([0-9]*\) columns.*/\1/' <<<"$size_line")
    nrows=$(sed 's/.*binary), \([0-9]*\) rows$/\1/' <<<"$size_line")

    # Solve, under /usr/bin/time for the peak memory.
    timings_flag=()
    [ $solve_timings = 1 ] && timings_flag=(--timings)
    t0=$(now)
    set +e
    /usr/bin/time -v -o "$dir/time.txt" "$bin" solve "$dir/problem.yaml" --time-limit "$limit" \
      --gap "$gap" --no-tie-check --log "$dir/solve.log" --format json -o "$dir/plan.json" \
      "${timings_flag[@]}" 2>"$dir/solve.err"
    code=$?
    set -e
    t1=$(now)
    solve_s=$(calc "$t1 - $t0")
    peak_mb=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$dir/time.txt")
    status=$(sed -n 's/^  "status": "\(.*\)",$/\1/p' "$dir/plan.json" 2>/dev/null | head -n1)
    final_gap=$(sed -n 's/^  "gap": \([-0-9.eE+]*\),$/\1/p' "$dir/plan.json" 2>/dev/null | head -n1)
    if [ $solve_timings = 1 ] && [ -n "$(lap total "$dir/solve.err")" ]; then
      build_pct=$(pct "100 * $(lap build "$dir/solve.err") / $(lap total "$dir/solve.err")")
      build_pct_est=""
    else
      build_pct=$(pct "100 * $build_s / $solve_s")
      build_pct_est="≈"
    fi
    g60=$(gap_at 60 "$dir/solve.log")
    [ "$g60" = end ] && g60=$final_gap

    # HiGHS alone on the MPS file.
    over=""
    if [ "$overhead" = 1 ]; then
      t2=$(now)
      set +e
      "$solve_file" "$dir/model.mps" "$limit" "$gap" >"$dir/solve_file.out" 2>&1
      alone_code=$?
      set -e
      t3=$(now)
      alone_s=$(calc "$t3 - $t2")
      over=$(pct "100 * ($solve_s / $alone_s - 1)")
      if [ "$status" != optimal ] || ! grep -q '^status optimal ' "$dir/solve_file.out"; then
        over="$over †"
        limited=1
      fi
      notes+=("- $parks x $chains: HiGHS alone $alone_s s, exit $alone_code: $(tr -d '\n' <"$dir/solve_file.out")")
    fi

    rows+=("| $parks | $chains | $columns | $nrows | $est$validate_s | $est$build_s | $build_pct_est$build_pct | $(percent "$g60") | $(percent "$final_gap") | $solve_s | $peak_mb | $over |")
    notes+=("- $parks x $chains: solve exit $code, status ${status:-none}")
    echo "${rows[-1]}" >&2
  done
done

mkdir -p "$out"
table=$out/scale.md
tmp=$(mktemp "$out/.scale.md.XXXXXX")
{
  echo "# parkplan at scale"
  echo
  echo "- binary: $binary"
  echo "- machine: $machine"
  echo "- generated with \`--materials 8 --exchange across --seed 1\`; solved with \`--time-limit $limit --gap $gap --no-tie-check\`; $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "| parks | chains | columns | rows | validate s | build s | build % of solve | gap at 60 s | final gap | solve s | peak MB | overhead % |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  if [ $export_timings = 0 ]; then
    echo "≈: estimated, the binary has no \`export --timings\`: validate = wall time of \`parkplan validate\`, build = wall time of \`parkplan export\` less that (MPS writing included), build % = that over solve s."
    echo
  elif [ $solve_timings = 0 ]; then
    echo "≈: estimated, the binary has no \`solve --timings\`: build % = the export's build lap over solve s."
    echo
  fi
  if [ $limited = 1 ]; then
    echo "†: parkplan or HiGHS alone stopped at the time limit, not at the gap: the two did different work, so the overhead says little. (HiGHS alone reports any stop at the limit as \`NoSolution\`, plan or not.)"
    echo
  fi
  printf '%s\n' "${notes[@]}"
} >"$tmp"
mv "$tmp" "$table"
echo
cat "$table"
