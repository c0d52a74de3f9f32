#!/usr/bin/env bash
# scripts/fuzz.sh [TARGET] [SECONDS] — fuzzes parkplan's input handling with cargo-fuzz.
#
#   scripts/fuzz.sh                    every target, 1800 s each, one after the other
#   scripts/fuzz.sh load_problem 600   one target for ten minutes
#
# Targets (fuzz/fuzz_targets/):
#   load_problem  bytes → problem file parsed and validated with every scenario and sweep point,
#                 as `parkplan validate` does; every diagnostic must render
#   load_plan     bytes → plan file (JSON or YAML) read as `parkplan verify` reads it and, when it
#                 holds values, verified against problems/liupanshui.yaml and rendered
#   load_tables   bytes → a problem as tables: a workbook file as it is (`PK…`), sheets of text
#                 written as a workbook (`x…`) or as a folder of CSV files, read as `parkplan
#                 validate` reads them and validated with every scenario and sweep point
#
# Installs cargo-fuzz when it is missing, seeds fuzz/corpus/ (scripts/fuzz-seed.sh), then runs
# each target niced, in one process (no -jobs/-workers: libFuzzer's jobs mode would move the
# output to fuzz-N.log), with the dictionary fuzz/yaml.dict, and prints libFuzzer's last
# stats line. Leak detection is off: every input that validates sweep points starts and ends a
# pool of threads, and glibc keeps 32 bytes per ended thread's destructor list, which
# LeakSanitizer reported as a leak and stopped load_tables with. cargo-fuzz needs nightly
# compiler flags; on a stable toolchain RUSTC_BOOTSTRAP=1
# allows them. A crash is written to fuzz/artifacts/<target>/crash-<hash>; reproduce it with
# `cargo fuzz run <target> <file>` and shrink it with `cargo fuzz tmin <target> <file>` (both
# with RUSTC_BOOTSTRAP=1, from fuzz/). FUZZ_ARGS adds cargo-fuzz options (e.g. `--sanitizer none`).
# FUZZ_TIMEOUT (seconds, default 30) is libFuzzer's limit on one input: on a machine shared with
# builds, an input that takes 0.1 s natively can pass 30 s under AddressSanitizer at nice 19.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(load_problem load_plan load_tables)
[ $# -ge 1 ] && [ -n "$1" ] && targets=("$1")
seconds=${2:-1800}

export RUSTC_BOOTSTRAP=1
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked
fi
scripts/fuzz-seed.sh
# shellcheck disable=SC2086 # FUZZ_ARGS is a list of words
for t in "${targets[@]}"; do
  echo "fuzzing $t for ${seconds} s" >&2
  log=fuzz/$t.log
  (cd fuzz && nice -n 19 cargo fuzz run -O ${FUZZ_ARGS:-} "$t" "corpus/$t" -- \
    -dict=yaml.dict -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-30}" -detect_leaks=0 -print_final_stats=1) \
    >"$log" 2>&1 || { tail -n 40 "$log" >&2; echo "$t: failed, see $log and fuzz/artifacts/$t/" >&2; exit 1; }
  grep -E '^#[0-9]+' "$log" | tail -n 1
  grep -E '^stat::' "$log" || true
  echo "$t: corpus $(find "fuzz/corpus/$t" -type f | wc -l) files" >&2
done
