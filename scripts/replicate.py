#!/usr/bin/env python3
"""Writes a large problem made of N copies of problems/liupanshui.yaml: every park and zone is
copied N times (ids suffixed _1 … _N), and every city-wide quantity (city pools, chains'
max_total, materials' external limits) is multiplied by N, so the copy is feasible whenever the
original is. Its optimum is not N times the original's (parks of different copies may trade
across zones), but it is at least that.

    scripts/replicate.py 40 > /tmp/liupanshui-x40.yaml      # 320 parks, 14 chains
    scripts/replicate.py 40 --no-across-zones > …            # only within-zone exchange

Used for the time-limit measurement in docs/src/how-to/long-solves.md and for timing at scale by hand.
"""
import argparse
import copy
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("copies", type=int)
    ap.add_argument("--no-across-zones", action="store_true")
    ap.add_argument("--source", default=str(ROOT / "problems" / "liupanshui.yaml"))
    a = ap.parse_args()
    n = a.copies
    doc = yaml.safe_load(open(a.source, encoding="utf-8"))
    for key in ("expected", "scenarios", "sweeps", "uncertainty"):
        doc.pop(key, None)
    doc["name"] = f"{doc['name']} x{n}"
    doc["zones"] = {
        f"{z}_{k}": copy.deepcopy(v) for k in range(1, n + 1) for z, v in doc["zones"].items()
    }
    parks = {}
    for k in range(1, n + 1):
        for p, v in doc["parks"].items():
            v = copy.deepcopy(v)
            v["zone"] = f"{v['zone']}_{k}"
            parks[f"{p}_{k}"] = v
    doc["parks"] = parks
    for r in doc.get("resources", {}).values():
        if isinstance(r, dict) and "pool" in r:
            r["pool"] *= n
    for c in doc["chains"].values():
        if "max_total" in c:
            c["max_total"] *= n
    for m in doc.get("materials", {}).values():
        ext = m.get("external")
        if isinstance(ext, dict) and "limit" in ext:
            ext["limit"] *= n
    if a.no_across_zones:
        doc["exchange"].pop("across_zones", None)
    yaml.safe_dump(doc, sys.stdout, allow_unicode=True, sort_keys=False)


if __name__ == "__main__":
    main()
