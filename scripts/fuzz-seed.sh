#!/usr/bin/env bash
# scripts/fuzz-seed.sh — fills fuzz/corpus/<target>/ with the seed inputs of each fuzz target.
#
#   load_problem: every problem file (problems/**/*.yaml) and every golden case's in.yaml
#   load_plan:    the plan files in fuzz/seeds/load_plan/ (written by `parkplan solve --format
#                 json|yaml`, plus one written by hand)
#   load_tables:  the problems as sheets of text in fuzz/seeds/load_tables/ (`parkplan convert` to
#                 a CSV folder, each file under a `=== NAME` line; the `x` ones as a workbook),
#                 and every workbook of problems/ and of the golden cases, as its bytes
#
# Seeds are copied under names made from their paths, so running the script again adds nothing
# twice; what libFuzzer has added to the corpus is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

seed() {
  local target=$1 file=$2
  local name=${file//\//_}
  mkdir -p "fuzz/corpus/$target"
  cp "$file" "fuzz/corpus/$target/seed-$name"
}

for f in problems/*.yaml problems/*/*.yaml tests/cmd/*/in.yaml; do
  [ -f "$f" ] && seed load_problem "$f"
done
for f in fuzz/seeds/load_plan/*; do
  seed load_plan "$f"
done
for f in fuzz/seeds/load_tables/* problems/*.xlsx tests/cmd/*/in.xlsx; do
  [ -f "$f" ] && seed load_tables "$f"
done
for t in load_problem load_plan load_tables; do
  printf '%s: %s files in fuzz/corpus/%s\n' "$t" "$(find "fuzz/corpus/$t" -type f | wc -l)" "$t"
done
