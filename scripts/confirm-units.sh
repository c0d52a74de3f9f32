#!/bin/sh
# Confirms the known optimum of a problem with plant in units (MODEL.md §12) by two routes that
# do not rely on the MILP solve `parkplan solve` and `parkplan check` make:
#   1. `parkplan enumerate`: main-chain assignments searched, each leaf's MILP (the units and
#      switches that remain once the main chains are fixed) solved on its own;
#   2. GLPK's glpsol, a second solver, on the whole MILP as `parkplan export` writes it (an LP
#      file whose `general` and `binary` sections declare the integer columns). The file states
#      the minimisation of the negated objective, so glpsol's optimum is minus parkplan's.
# Usage: scripts/confirm-units.sh [problems/liupanshui-units.yaml]   (parkplan and glpsol on PATH,
# or PARKPLAN=path/to/parkplan)
set -eu
file=${1:-problems/liupanshui-units.yaml}
parkplan=${PARKPLAN:-parkplan}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$parkplan" solve "$file" --format json -o "$dir/plan.json" 2>/dev/null
solved=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["objective"])' "$dir/plan.json")

"$parkplan" enumerate "$file" --json > "$dir/enum.json" 2>/dev/null || true
enumerated=$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print(e["objective"], "reached by", e["ties"], "assignment(s):", e["main_chains"], "(" + str(e["lps"]) + " MILPs, " + e["method"] + ", milp=" + str(e["milp"]) + ")")' "$dir/enum.json")

"$parkplan" export "$file" -o "$dir/model.lp" 2>/dev/null
glpsol --lp "$dir/model.lp" --mipgap 1e-9 -o "$dir/glpk.txt" > "$dir/glpk.log" 2>&1 || true
glpk=$(python3 -c '
import re, sys
text = open(sys.argv[1]).read()
status = re.search(r"Status:\s+(.+)", text).group(1).strip()
found = re.search(r"Objective:\s+\S+\s+=\s+(\S+)\s+\((\w+)\)", text)
value = float(found.group(1))
print(value if found.group(2).startswith("MAX") else -value, "(" + status + ")")
' "$dir/glpk.txt")

echo "parkplan solve:     $solved"
echo "parkplan enumerate: $enumerated"
echo "glpsol (GLPK):      $glpk"
