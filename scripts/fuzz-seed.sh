#!/usr/bin/env bash
# scripts/fuzz-seed.sh — fills fuzz/corpus/<target>/ with the seed inputs of each fuzz target.
#
#   load_problem: every problem file (problems/**/*.yaml) and every golden case's in.yaml
#   load_plan:    the plan files in fuzz/seeds/load_plan/ (written by `parkplan solve --format
#                 json|yaml`, plus one written by hand)
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
for t in load_problem load_plan; do
  printf '%s: %s files in fuzz/corpus/%s\n' "$t" "$(find "fuzz/corpus/$t" -type f | wc -l)" "$t"
done
