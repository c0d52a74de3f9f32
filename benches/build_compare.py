#!/usr/bin/env python3
"""parkplan's model build time against linopy and Pyomo, on one problem file.

Reads a problem file of the kind `parkplan generate` writes, builds the MILP parkplan builds for
it (docs/MODEL.md §3–§5 with the zone hubs of §3.1 and the big-M rows of §4.6: the same columns,
rows, coefficients and objective as src/model/) once with linopy and once with Pyomo, and times
each build from the parsed data to a model ready for a solver. parkplan's own build time comes
from `parkplan export --timings` (or, for a binary without that flag, from the wall time of
`export` less that of `validate`). The script then checks that the three models are one:

- the columns, rows and nonzeros of the linopy and Pyomo models equal those of parkplan's MPS
  file, and every row of the Python assembly equals parkplan's row of the same name, coefficient
  by coefficient (relative 1e-9), as do the column bounds and the objective;
- up to --lp-check-parks parks, the LP relaxation of the linopy model and of the Pyomo model,
  solved by HiGHS, equals that of parkplan's MPS file (integrality dropped) within 1e-6 relative.

It exits 1 when any of these differ, 2 for a file it cannot take. Both Python builds start from
the same assembly of the rows as coefficient lists in plain Python (timed as part of each build,
and reported on its own), so the difference between them is the libraries'.

    target/bench-venv/bin/python benches/build_compare.py problem.yaml [--parkplan BIN] [--json OUT]
"""

import argparse
import gc
import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

import yaml

INF = math.inf

# Imported before any timing, so that no build pays for loading a library.
import highspy  # noqa: E402
import linopy  # noqa: E402
import numpy as np  # noqa: E402
import pyomo.environ as pe  # noqa: E402
import xarray as xr  # noqa: E402
from pyomo.core.expr import LinearExpression  # noqa: E402


class Refused(Exception):
    """A problem file this benchmark does not build: what, where, and how to mend it."""


# ---------------------------------------------------------------------------------------------
# Reading: exactly the features `parkplan generate` writes.

ALLOWED = {
    "": {"name", "description", "units", "resources", "zones", "parks", "chains", "materials",
         "exchange", "rules", "objective"},
    "resources.*": {"name", "unit", "pool", "applies_to"},
    "zones.*": {"name"},
    "parks.*": {"name", "zone", "capacity", "existing", "allowed"},
    "chains.*": {"name", "unit", "output", "uses", "materials", "supports", "max_per_park",
                 "max_total"},
    "materials.*": {"name", "unit", "kind", "reuse_value", "disposal_cost", "external"},
    "materials.*.external": {"price", "limit"},
    "exchange": {"within_zone", "across_zones"},
    "exchange.across_zones": {"cost"},
    "rules": {"one_main_chain"},
    "rules.one_main_chain": {"min_share"},
    "objective": {"output", "reuse"},
}

WHAT = ("this benchmark builds only what `parkplan generate` writes: parks with zones and "
        "capacities, chains with uses, outputs and materials, existing plant, city pools, "
        "exchange within zones and across them at a cost, purchases, and the one-main-chain "
        "rule with min_share")


def mapping(v, path):
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise Refused(f"`{path}` must be a mapping")
    return v


def keys_of(v, path, pattern):
    v = mapping(v, path)
    for k in v:
        if k not in ALLOWED[pattern]:
            where = f"{path}.{k}" if path else str(k)
            raise Refused(f"`{where}` is not supported: {WHAT}; use a file from `parkplan generate`")
    return v


def number(v, path, lo=None):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise Refused(f"`{path}` must be a finite number, not {v!r}")
    if lo is not None and v < lo:
        raise Refused(f"`{path}` must be at least {lo}, not {v}")
    return float(v)


def ref(v, known, path, what):
    if v not in known:
        raise Refused(f"`{path}` names an unknown {what} `{v}`")
    return v


def read(doc):
    """The problem as plain data, checked against the features generate writes."""
    doc = keys_of(doc, "", "")
    res = {r: keys_of(v, f"resources.{r}", "resources.*")
           for r, v in mapping(doc.get("resources"), "resources").items()}
    zones = {z: keys_of(v, f"zones.{z}", "zones.*")
             for z, v in mapping(doc.get("zones"), "zones").items()}
    chains = {c: keys_of(v, f"chains.{c}", "chains.*")
              for c, v in mapping(doc.get("chains"), "chains").items()}
    mats = {k: keys_of(v, f"materials.{k}", "materials.*")
            for k, v in mapping(doc.get("materials"), "materials").items()}
    parks = {p: keys_of(v, f"parks.{p}", "parks.*")
             for p, v in mapping(doc.get("parks"), "parks").items()}
    if not parks or not chains:
        raise Refused("the file needs at least one park and one chain")
    for r, v in res.items():
        if "pool" in v:
            v["pool"] = number(v["pool"], f"resources.{r}.pool", 0)
        if v.get("applies_to", "total") not in ("total", "new"):
            raise Refused(f"`resources.{r}.applies_to` must be `total` or `new`")
    for c, v in chains.items():
        if "output" not in v:
            raise Refused(f"`chains.{c}.output` is required")
        v["output"] = number(v["output"], f"chains.{c}.output", 0)
        v["uses"] = {ref(r, res, f"chains.{c}.uses.{r}", "resource"):
                     number(u, f"chains.{c}.uses.{r}")
                     for r, u in mapping(v.get("uses"), f"chains.{c}.uses").items()}
        v["materials"] = {ref(k, mats, f"chains.{c}.materials.{k}", "material"):
                          number(a, f"chains.{c}.materials.{k}")
                          for k, a in mapping(v.get("materials"), f"chains.{c}.materials").items()}
        v["supports"] = [ref(s, chains, f"chains.{c}.supports", "chain")
                         for s in (v.get("supports") or [])]
        for lim in ("max_per_park", "max_total"):
            if lim in v:
                v[lim] = number(v[lim], f"chains.{c}.{lim}", 0)
    for k, v in mats.items():
        if v.get("kind", "waste") not in ("waste", "product"):
            raise Refused(f"`materials.{k}.kind` must be `waste` or `product`")
        for f in ("reuse_value", "disposal_cost"):
            v[f] = number(v.get(f, 0), f"materials.{k}.{f}", 0)
        if "external" in v:
            ext = keys_of(v["external"], f"materials.{k}.external", "materials.*.external")
            ext["price"] = number(ext.get("price", 0), f"materials.{k}.external.price", 0)
            if "limit" in ext:
                ext["limit"] = number(ext["limit"], f"materials.{k}.external.limit", 0)
            v["external"] = ext
    for p, v in parks.items():
        if "zone" not in v:
            raise Refused(f"`parks.{p}` has no zone: {WHAT}")
        ref(v["zone"], zones, f"parks.{p}.zone", "zone")
        v["capacity"] = {ref(r, res, f"parks.{p}.capacity.{r}", "resource"):
                         number(a, f"parks.{p}.capacity.{r}", 0)
                         for r, a in mapping(v.get("capacity"), f"parks.{p}.capacity").items()}
        v["existing"] = {ref(c, chains, f"parks.{p}.existing.{c}", "chain"):
                         number(a, f"parks.{p}.existing.{c}", 0)
                         for c, a in mapping(v.get("existing"), f"parks.{p}.existing").items()}
        if "allowed" in v:
            v["allowed"] = [ref(c, chains, f"parks.{p}.allowed", "chain") for c in v["allowed"]]
            for c in v["existing"]:
                if c not in v["allowed"]:
                    raise Refused(f"`parks.{p}.existing.{c}`: the chain is not in the park's "
                                  "`allowed` list")
    ex = keys_of(doc.get("exchange"), "exchange", "exchange")
    within = ex.get("within_zone", True)
    if not isinstance(within, bool):
        raise Refused("`exchange.within_zone` must be true or false")
    across = None
    if ex.get("across_zones") is not None:
        az = keys_of(ex["across_zones"], "exchange.across_zones", "exchange.across_zones")
        costs = mapping(az.get("cost"), "exchange.across_zones.cost")
        across = {ref(k, mats, f"exchange.across_zones.cost.{k}", "material"):
                  number(a, f"exchange.across_zones.cost.{k}", 0) for k, a in costs.items()}
    rules = keys_of(doc.get("rules"), "rules", "rules")
    if "one_main_chain" not in rules:
        raise Refused(f"the one-main-chain rule is off: {WHAT}")
    omc = keys_of(rules["one_main_chain"], "rules.one_main_chain", "rules.one_main_chain")
    share = number(omc.get("min_share", 0), "rules.one_main_chain.min_share", 0)
    if share > 1:
        raise Refused("`rules.one_main_chain.min_share` must be at most 1")
    obj = keys_of(doc.get("objective"), "objective", "objective")
    return {
        "resources": res, "zones": zones, "parks": parks, "chains": chains, "materials": mats,
        "within": within, "across": across, "min_share": share,
        "w_out": number(obj.get("output", 1), "objective.output", 0),
        "w_reuse": number(obj.get("reuse", 1), "objective.reuse", 0),
    }


# ---------------------------------------------------------------------------------------------
# What validation derives (src/problem/bounds.rs, validate.rs): not part of any build.

def prepare(d):
    P = list(d["parks"])
    C = list(d["chains"])
    R = list(d["resources"])
    K = list(d["materials"])
    cix = {c: i for i, c in enumerate(C)}
    chains = [d["chains"][c] for c in C]
    parks = [d["parks"][p] for p in P]
    uses = [[ch["uses"].get(r, 0.0) for r in R] for ch in chains]
    mat = [[ch["materials"].get(k, 0.0) for k in K] for ch in chains]
    cand = [sorted(cix[c] for c in pk["allowed"]) if "allowed" in pk else list(range(len(C)))
            for pk in parks]
    e0 = [[pk["existing"].get(C[c], 0.0) for c in cand[p]] for p, pk in enumerate(parks)]
    new_only = [d["resources"][r].get("applies_to", "total") == "new" for r in R]
    pool = [d["resources"][r].get("pool") for r in R]
    cap = [[pk["capacity"].get(r) for r in R] for pk in parks]
    produced_in = [[any(uses[c][r] < 0 for c in cand[p]) for r in range(len(R))]
                   for p in range(len(P))]
    produced_anywhere = [any(produced_in[p][r] for p in range(len(P))) for r in range(len(R))]
    exist_total = [0.0] * len(C)
    pool_exist = [0.0] * len(R)
    for p in range(len(P)):
        for s, c in enumerate(cand[p]):
            exist_total[c] += e0[p][s]
            for r in range(len(R)):
                pool_exist[r] += uses[c][r] * e0[p][s]
    upper = []
    for p in range(len(P)):
        row = []
        for s, c in enumerate(cand[p]):
            ch, e = chains[c], e0[p][s]
            best = INF
            if "max_per_park" in ch:
                best = min(best, ch["max_per_park"])
            if "max_total" in ch:
                best = min(best, ch["max_total"] - (exist_total[c] - e))
            for r in range(len(R)):
                u = uses[c][r]
                if u <= 0:
                    continue
                if cap[p][r] is not None and not produced_in[p][r]:
                    if new_only[r]:
                        best = min(best, e + cap[p][r] / u)
                    else:
                        others = sum(uses[c2][r] * e0[p][s2]
                                     for s2, c2 in enumerate(cand[p]) if s2 != s)
                        best = min(best, (cap[p][r] - others) / u)
                if pool[r] is not None and not produced_anywhere[r]:
                    if new_only[r]:
                        best = min(best, e + pool[r] / u)
                    else:
                        best = min(best, (pool[r] - (pool_exist[r] - u * e)) / u)
            if not math.isfinite(best):
                raise Refused(f"chain `{C[c]}` has no finite upper bound in park `{P[p]}`, which "
                              f"the one-main-chain rule needs: give chains.{C[c]}.max_per_park")
            row.append(max(best, 0.0))
        upper.append(row)
    growth = [[max(upper[p][s] - e0[p][s], 0.0) for s in range(len(cand[p]))]
              for p in range(len(P))]
    big_m = [d["min_share"] * sum(chains[c]["output"] * upper[p][s]
                                  for s, c in enumerate(cand[p])) for p in range(len(P))]
    # Groups: zones in the order parks first name them (every park has a zone here).
    gix, group_of, group_parks = {}, [], []
    for p, pk in enumerate(parks):
        g = gix.setdefault(pk["zone"], len(group_parks))
        if g == len(group_parks):
            group_parks.append([])
        group_parks[g].append(p)
        group_of.append(g)
    across = None
    if d["across"] is not None:
        across = [d["across"].get(k, 0.0) for k in K]
    return {
        "d": d, "P": P, "C": C, "R": R, "K": K, "chains": chains, "uses": uses, "mat": mat,
        "cand": cand, "e0": e0, "new_only": new_only, "pool": pool, "cap": cap,
        "growth": growth, "big_m": big_m, "group_of": group_of, "group_parks": group_parks,
        "group_zone": [parks[g[0]]["zone"] for g in group_parks],
        "within": [d["within"] and len(g) > 1 for g in group_parks], "across": across,
    }


# ---------------------------------------------------------------------------------------------
# The model (src/model/): columns, then rows as coefficient lists. Part of every Python build.

class Cols:
    def __init__(self):
        self.names, self.lb, self.ub, self.binary = [], [], [], []

    def add(self, name, lb=0.0, ub=INF, binary=False):
        self.names.append(name)
        self.lb.append(lb)
        self.ub.append(ub)
        self.binary.append(binary)
        return len(self.names) - 1


def columns(m):
    """Columns in parkplan's order: x, y, then per material the hub flows and `across`, then
    purchases (mod.rs, exchange.rs)."""
    P, C, K, cand = m["P"], m["C"], m["K"], m["cand"]
    cols = Cols()
    x = []
    for p in range(len(P)):
        row = []
        for s, c in enumerate(cand[p]):
            ub = m["chains"][c].get("max_per_park", INF)
            row.append(cols.add(f"x[{P[p]},{C[c]}]", m["e0"][p][s], ub))
        x.append(row)
    y = [[cols.add(f"y[{P[p]},{C[c]}]", 0.0, 1.0, True) for c in cand[p]] for p in range(len(P))]
    gen = [[any(m["mat"][c][k] > 0 for c in cand[p]) for p in range(len(P))] for k in range(len(K))]
    use = [[any(m["mat"][c][k] < 0 for c in cand[p]) for p in range(len(P))] for k in range(len(K))]
    flows = []  # (k, from, to, cost, col); ends are ("P", p), ("H", g) or ("A", None)
    across_col = {}
    groups, within, across = m["group_parks"], m["within"], m["across"]
    for k, mid in enumerate(K):
        cost = across[k] if across is not None else None
        gens = [sum(gen[k][q] for q in g) for g in groups]
        users = [sum(use[k][q] for q in g) for g in groups]
        all_gens, all_users = sum(gens), sum(users)
        for q in range(len(P)):
            if gen[k][q] and use[k][q]:
                flows.append((k, ("P", q), ("P", q), 0.0, cols.add(f"f[{mid},{P[q]},{P[q]}]")))
        any_across = False
        for g, members in enumerate(groups):
            w = within[g]
            export = cost is not None and gens[g] > 0 and all_users > users[g]
            imprt = cost is not None and users[g] > 0 and all_gens > gens[g]
            sends = takes = False
            for q in members:
                gq, uq = gen[k][q], use[k][q]
                send = gq and ((w and users[g] > int(uq)) or export)
                take = uq and ((w and gens[g] > int(gq)) or imprt)
                to, c = (("H", g), 0.0) if w else (("A", None), cost or 0.0)
                if send:
                    sends = True
                    flows.append((k, ("P", q), to, c, cols.add(f"send[{mid},{P[q]}]")))
                if take:
                    takes = True
                    frm = ("H", g) if w else ("A", None)
                    flows.append((k, frm, ("P", q), 0.0, cols.add(f"take[{mid},{P[q]}]")))
            any_across |= (not w) and (sends or takes)
            if w:
                zone = m["group_zone"][g]
                if export and sends:
                    flows.append((k, ("H", g), ("A", None), cost or 0.0,
                                  cols.add(f"export[{mid},{zone}]")))
                    any_across = True
                if imprt and takes:
                    flows.append((k, ("A", None), ("H", g), 0.0, cols.add(f"import[{mid},{zone}]")))
                    any_across = True
        if any_across:
            across_col[k] = cols.add(f"across[{mid}]")
    buys = []
    for k, mid in enumerate(K):
        if "external" not in m["d"]["materials"][mid]:
            continue
        for q in range(len(P)):
            if use[k][q]:
                buys.append((k, q, cols.add(f"b[{mid},{P[q]}]")))
    return {"cols": cols, "x": x, "y": y, "flows": flows, "across": across_col, "buys": buys}


def rows(m, v):
    """Rows in parkplan's order, each (family, name, sense, rhs, [(col, coef), ...]) with the
    constant moved to the right and zero coefficients left out (constraints.rs, exchange.rs)."""
    P, C, R, K, cand, chains = m["P"], m["C"], m["R"], m["K"], m["cand"], m["chains"]
    uses, mat, e0, x, y = m["uses"], m["mat"], m["e0"], v["x"], v["y"]
    out = []

    def park_sum(p, coef):
        t = []
        for s, c in enumerate(cand[p]):
            a = coef(c)
            if a != 0.0:
                t.append((x[p][s], a))
        return t

    def resource_use(p, r):
        t = park_sum(p, lambda c: uses[c][r])
        off = sum(uses[c][r] * e0[p][s] for s, c in enumerate(cand[p])) if m["new_only"][r] else 0.0
        return t, off

    for p in range(len(P)):                                       # §4.1
        for r in range(len(R)):
            if m["cap"][p][r] is not None:
                t, off = resource_use(p, r)
                out.append(("resource", f"{R[r]}[{P[p]}]", "<=", m["cap"][p][r] + off, t))
    for r in range(len(R)):                                       # §4.2
        if m["pool"][r] is not None:
            t, off = [], 0.0
            for p in range(len(P)):
                tp, o = resource_use(p, r)
                t += tp
                off += o
            out.append(("pool", f"pool[{R[r]}]", "<=", m["pool"][r] + off, t))
    for c, ch in enumerate(chains):                               # §4.3
        if "max_total" in ch:
            t = [(x[p][cand[p].index(c)], 1.0) for p in range(len(P)) if c in cand[p]]
            out.append(("max_total", f"max_total[{C[c]}]", "<=", ch["max_total"], t))
    leaving = [[[] for _ in P] for _ in K]                        # §4.4
    reaching = [[[] for _ in P] for _ in K]
    bought = [[] for _ in K]
    for k, frm, to, _, col in v["flows"]:
        if frm[0] == "P":
            leaving[k][frm[1]].append(col)
        if to[0] == "P":
            reaching[k][to[1]].append(col)
    for k, q, col in v["buys"]:
        reaching[k][q].append(col)
        bought[k].append(col)
    for k, mid in enumerate(K):
        for p in range(len(P)):
            if leaving[k][p]:
                t = [(col, 1.0) for col in leaving[k][p]]
                t += [(col, -a) for col, a in park_sum(p, lambda c: max(mat[c][k], 0.0))]
                out.append(("out", f"out[{mid},{P[p]}]", "<=", 0.0, t))
            if any(mat[c][k] < 0 for c in cand[p]):
                t = [(col, 1.0) for col in reaching[k][p]]
                t += [(col, -a) for col, a in park_sum(p, lambda c: max(-mat[c][k], 0.0))]
                out.append(("in", f"in[{mid},{P[p]}]", "==", 0.0, t))
        limit = m["d"]["materials"][mid].get("external", {}).get("limit")
        if limit is not None:
            out.append(("external", f"external[{mid}]", "<=", limit,
                        [(col, 1.0) for col in bought[k]]))
    ng = len(m["group_parks"])                                    # §3.1 hub rows
    for k, mid in enumerate(K):
        sent = [[] for _ in range(ng)]
        taken = [[] for _ in range(ng)]
        hub_in = [[] for _ in range(ng)]
        hub_out = [[] for _ in range(ng)]
        trade = [[] for _ in range(ng)]
        hub = [False] * ng
        exported, imported = [False] * ng, [False] * ng
        exports, imports, hub_trade = [], [], []
        for kk, frm, to, _, col in v["flows"]:
            if kk != k:
                continue
            if frm[0] == "P" and to[0] == "H":
                g = to[1]
                sent[g].append(col)
                hub_in[g].append(col)
                hub[g] = True
            elif frm[0] == "H" and to[0] == "P":
                g = frm[1]
                taken[g].append(col)
                hub_out[g].append(col)
                hub[g] = True
            elif frm[0] == "H" and to[0] == "A":
                g = frm[1]
                exports.append(col)
                trade[g].append(col)
                hub_out[g].append(col)
                hub_trade.append((g, True, col))
                exported[g] = True
            elif frm[0] == "A" and to[0] == "H":
                g = to[1]
                imports.append(col)
                trade[g].append(col)
                hub_in[g].append(col)
                hub_trade.append((g, False, col))
                imported[g] = True
            elif frm[0] == "P" and to[0] == "A":
                g = m["group_of"][frm[1]]
                exports.append(col)
                trade[g].append(col)
                exported[g] = True
            elif frm[0] == "A" and to[0] == "P":
                g = m["group_of"][to[1]]
                imports.append(col)
                trade[g].append(col)
                imported[g] = True
        for g, is_export, col in hub_trade:
            bound, side = (sent[g], "export") if is_export else (taken[g], "import")
            t = [(col, 1.0)] + [(b, -1.0) for b in bound]
            out.append(("hub_trade", f"{side}_bound[{mid},{m['group_zone'][g]}]", "<=", 0.0, t))
        for g in range(ng):
            if hub[g]:
                t = [(c, 1.0) for c in hub_in[g]] + [(c, -1.0) for c in hub_out[g]]
                out.append(("hub", f"hub[{mid},{m['group_zone'][g]}]", "==", 0.0, t))
        if k not in v["across"]:
            continue
        total = v["across"][k]
        out.append(("across", f"across_out[{mid}]", "==", 0.0,
                    [(c, 1.0) for c in exports] + [(total, -1.0)]))
        out.append(("across", f"across_in[{mid}]", "==", 0.0,
                    [(c, 1.0) for c in imports] + [(total, -1.0)]))
        for g in range(ng):
            if exported[g] and imported[g]:
                out.append(("across", f"not_to_itself[{mid},{m['group_zone'][g]}]", "<=", 0.0,
                            [(c, 1.0) for c in trade[g]] + [(total, -1.0)]))
    s = m["d"]["min_share"]                                       # §4.6, big-M
    for p in range(len(P)):
        out.append(("one_main", f"one_main[{P[p]}]", "==", 1.0, [(col, 1.0) for col in y[p]]))
        for sl, c in enumerate(cand[p]):
            u = m["growth"][p][sl]
            t = [(x[p][sl], 1.0)]
            if u != 0.0:
                t.append((y[p][sl], -u))
                for ms, mc in enumerate(cand[p]):
                    if C[c] in chains[mc]["supports"]:
                        t.append((y[p][ms], -u))
            out.append(("grow", f"grow[{P[p]},{C[c]}]", "<=", e0[p][sl], t))
        if s > 0:
            big_m = m["big_m"][p]
            for sl, c in enumerate(cand[p]):
                # output[c]·x − s·Σ output·x + M·(1 − y) ≥ 0
                coef = {}
                coef[x[p][sl]] = chains[c]["output"]
                for col, a in park_sum(p, lambda cc: chains[cc]["output"]):
                    coef[col] = coef.get(col, 0.0) - s * a
                t = [(col, a) for col, a in coef.items() if a != 0.0]
                if big_m != 0.0:
                    t.append((y[p][sl], -big_m))
                out.append(("share", f"share[{P[p]},{C[c]}]", ">=", -big_m, t))
    return out


def objective(m, v):
    """The objective of §5 to maximise, as {col: coef} (objective.rs)."""
    d, mats = m["d"], m["d"]["materials"]
    obj = {}

    def add(col, a):
        if a != 0.0:
            obj[col] = obj.get(col, 0.0) + a

    for p in range(len(m["P"])):
        for s, c in enumerate(m["cand"][p]):
            add(v["x"][p][s], d["w_out"] * m["chains"][c]["output"])
    for k, frm, _, cost, col in v["flows"]:
        mt = mats[m["K"][k]]
        value = d["w_reuse"] * mt["reuse_value"] + mt["disposal_cost"] if frm[0] == "P" else 0.0
        add(col, value - cost)
    for k, _, col in v["buys"]:
        add(col, -mats[m["K"][k]]["external"]["price"])
    for p in range(len(m["P"])):
        for s, c in enumerate(m["cand"][p]):
            add(v["x"][p][s], -sum(mats[kid]["disposal_cost"] * max(m["mat"][c][k], 0.0)
                                   for k, kid in enumerate(m["K"])))
    return {col: a for col, a in obj.items() if a != 0.0}


def assemble(m):
    v = columns(m)
    return v, rows(m, v), objective(m, v)


# ---------------------------------------------------------------------------------------------
# The two builds.

def build_linopy(m):
    v, rs, obj = assemble(m)
    cols = v["cols"]
    model = linopy.Model()
    lb, ub = np.array(cols.lb), np.array(cols.ub)
    binary = np.array(cols.binary)
    cont = np.flatnonzero(~binary)
    bins = np.flatnonzero(binary)
    label = np.empty(len(cols.names), dtype=np.int64)
    xc = model.add_variables(lower=lb[cont], upper=ub[cont],
                             coords=[np.arange(len(cont))], name="cont")
    label[cont] = xc.labels.values
    yb = model.add_variables(coords=[np.arange(len(bins))], name="main", binary=True)
    label[bins] = yb.labels.values
    families = {}
    for fam, _, sense, rhs, t in rs:
        families.setdefault((fam, sense), []).append((rhs, t))
    for (fam, sense), fr in families.items():
        width = max(len(t) for _, t in fr)
        vars_ = np.full((len(fr), width), -1, dtype=np.int64)
        coeffs = np.zeros((len(fr), width))
        for i, (_, t) in enumerate(fr):
            vars_[i, :len(t)] = label[[c for c, _ in t]]
            coeffs[i, :len(t)] = [a for _, a in t]
        dim = f"{fam}_row"
        data = xr.Dataset({"coeffs": ((dim, "_term"), coeffs), "vars": ((dim, "_term"), vars_)},
                          coords={dim: np.arange(len(fr))})
        lhs = linopy.LinearExpression(data, model)
        rhs = xr.DataArray(np.array([r for r, _ in fr]), coords={dim: np.arange(len(fr))})
        model.add_constraints(lhs, sense, rhs, name=f"{fam}_{ {'<=': 'le', '>=': 'ge', '==': 'eq'}[sense]}")
    oc = list(obj.items())
    odata = xr.Dataset({"coeffs": (("_term",), np.array([a for _, a in oc])),
                        "vars": (("_term",), label[[c for c, _ in oc]])})
    model.add_objective(linopy.LinearExpression(odata, model), sense="max")
    return model


def build_pyomo(m):
    v, rs, obj = assemble(m)
    cols = v["cols"]
    model = pe.ConcreteModel()
    xi = [(p, s) for p in range(len(m["P"])) for s in range(len(m["cand"][p]))]
    model.X = pe.Set(initialize=xi, dimen=2, ordered=True)
    model.x = pe.Var(model.X, bounds=lambda _, p, s: (cols.lb[v["x"][p][s]],
                                                      None if cols.ub[v["x"][p][s]] == INF
                                                      else cols.ub[v["x"][p][s]]))
    model.y = pe.Var(model.X, within=pe.Binary)
    xs = set(q for r in v["x"] for q in r)
    rest = [c for c in range(len(cols.names)) if c not in xs and not cols.binary[c]]
    model.F = pe.Set(initialize=rest, ordered=True)
    model.f = pe.Var(model.F, within=pe.NonNegativeReals)
    var = [None] * len(cols.names)
    for p, s in xi:
        var[v["x"][p][s]] = model.x[p, s]
        var[v["y"][p][s]] = model.y[p, s]
    for c in rest:
        var[c] = model.f[c]
    families = {}
    for fam, _, sense, rhs, t in rs:
        families.setdefault(fam, []).append((sense, rhs, t))
    for fam, fr in families.items():
        def rule(_, i, fr=fr):
            sense, rhs, t = fr[i]
            # A row without terms (a limit on purchases no park can make) stays a row, as in
            # parkplan's model: an empty linear expression, which quicksum would fold into 0.
            e = (pe.quicksum(a * var[c] for c, a in t) if t
                 else LinearExpression(constant=0, linear_coefs=[], linear_vars=[]))
            if sense == "<=":
                return e <= rhs
            if sense == ">=":
                return e >= rhs
            return e == rhs
        setattr(model, fam, pe.Constraint(range(len(fr)), rule=rule))
    model.obj = pe.Objective(expr=pe.quicksum(a * var[c] for c, a in obj.items()),
                             sense=pe.maximize)
    return model


# ---------------------------------------------------------------------------------------------
# parkplan's side: its build time, its model file, its LP relaxation.

def run(cmd, repeat):
    """Runs `cmd` `repeat` times: its standard error and its shortest wall time."""
    best = INF
    for _ in range(repeat):
        t = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True)
        best = min(best, time.perf_counter() - t)
        if r.returncode != 0:
            sys.exit(f"error: `{' '.join(cmd)}` failed (exit {r.returncode}):\n{r.stderr}")
    return r.stderr, best


def parkplan_side(binary, problem, mps, repeat):
    help_text = subprocess.run([binary, "export", "--help"], capture_output=True, text=True).stdout
    if "--timings" in help_text:
        build = validate = INF
        for _ in range(repeat):
            err, _ = run([binary, "export", "--timings", problem, "-o", mps], 1)
            t = re.search(r"timings: (.*)", err)
            laps = dict((n, float(s)) for n, s in re.findall(r"(\w+) ([0-9.]+) s", t.group(1)))
            build, validate = min(build, laps["build"]), min(validate, laps["validate"])
        method = "export --timings"
    else:
        _, val_wall = run([binary, "validate", problem], repeat)
        err, exp_wall = run([binary, "export", problem, "-o", mps], repeat)
        build = exp_wall - val_wall
        validate = val_wall
        method = ("wall time of `export` less that of `validate` (this binary has no --timings): "
                  "build, hand-over to HiGHS and writing the file")
    counts = re.search(r"(\d+) columns \((\d+) binary\), (\d+) rows", err)
    return {"build_s": build, "validate_s": validate, "method": method,
            "columns": int(counts.group(1)), "binary": int(counts.group(2)),
            "rows": int(counts.group(3))}


def quiet_highs():
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def relax_and_solve(h):
    lp = h.getLp()
    n = lp.num_col_
    if len(lp.integrality_) > 0:
        h.changeColsIntegrality(n, list(range(n)), [highspy.HighsVarType.kContinuous] * n)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    if status != "Optimal":
        sys.exit(f"error: the LP relaxation ended `{status}`")
    return h.getInfo().objective_function_value


def read_mps(mps):
    h = quiet_highs()
    h.readModel(mps)
    return h


def compare_structure(h, v, rs, obj):
    """Every column, row and objective coefficient of the assembly against parkplan's file."""
    lp = h.getLp()
    cols = v["cols"]
    problems = []
    if list(lp.col_names_) != cols.names:
        a, b = set(lp.col_names_), set(cols.names)
        problems.append(f"column names differ: {len(b - a)} only here (e.g. {sorted(b - a)[:3]}), "
                        f"{len(a - b)} only in parkplan's (e.g. {sorted(a - b)[:3]})")
        return problems
    close = lambda a, b: (a == b) or abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    big = lambda x: INF if x >= 1e30 else (-INF if x <= -1e30 else x)
    for j, name in enumerate(cols.names):
        if not (close(big(lp.col_lower_[j]), cols.lb[j]) and close(big(lp.col_upper_[j]), cols.ub[j])):
            problems.append(f"bounds of {name}: parkplan [{lp.col_lower_[j]}, {lp.col_upper_[j]}], "
                            f"here [{cols.lb[j]}, {cols.ub[j]}]")
        if not close(-lp.col_cost_[j], obj.get(j, 0.0)):
            problems.append(f"objective of {name}: parkplan {-lp.col_cost_[j]}, here {obj.get(j, 0.0)}")
    a = lp.a_matrix_
    # parkplan's rows, column-wise in the file: gather them row-wise.
    theirs = [dict() for _ in range(lp.num_row_)]
    start, index, value = list(a.start_), list(a.index_), list(a.value_)
    for j in range(lp.num_col_):
        for e in range(start[j], start[j + 1]):
            if value[e] != 0.0:
                theirs[index[e]][j] = value[e]
    rindex = {n: i for i, n in enumerate(lp.row_names_)}
    if len(rindex) != len(rs) or any(r[1] not in rindex for r in rs):
        problems.append(f"row names differ: parkplan has {len(rindex)}, here {len(rs)}")
        return problems
    for _, name, sense, rhs, t in rs:
        i = rindex[name]
        lo, hi = big(lp.row_lower_[i]), big(lp.row_upper_[i])
        mine = dict(t)
        # Compare as "lo ≤ a·x ≤ hi", allowing parkplan's row to be written negated.
        my_lo, my_hi = {"<=": (-INF, rhs), ">=": (rhs, INF), "==": (rhs, rhs)}[sense]
        same = lambda sign: (set(mine) == set(theirs[i])
                             and all(close(sign * theirs[i][c], mine[c]) for c in mine)
                             and close(*sorted((sign * lo, sign * hi))[0:1], my_lo)
                             and close(sorted((sign * lo, sign * hi))[1], my_hi))
        if not (same(1.0) or same(-1.0)):
            problems.append(f"row {name} differs: parkplan {sorted(theirs[i].items())} in "
                            f"[{lo}, {hi}], here {sorted(mine.items())} {sense} {rhs}")
        if len(problems) > 10:
            break
    return problems


def linopy_counts(model):
    A = model.matrices.A.tocsr()
    A.sum_duplicates()
    A.eliminate_zeros()
    return {"columns": int(model.nvars), "rows": int(model.ncons), "nonzeros": int(A.nnz),
            "binary": int(model.binaries.nvars)}


def pyomo_counts(model):
    from pyomo.repn import generate_standard_repn
    nvars = sum(1 for _ in model.component_data_objects(pe.Var))
    nbin = sum(1 for x in model.component_data_objects(pe.Var) if x.is_binary())
    nrows = nnz = 0
    for c in model.component_data_objects(pe.Constraint, active=True):
        nrows += 1
        repn = generate_standard_repn(c.body, compute_values=True)
        nnz += sum(1 for a in repn.linear_coefs if a != 0)
    return {"columns": nvars, "rows": nrows, "nonzeros": nnz, "binary": nbin}


def pyomo_relaxation(model):
    pe.TransformationFactory("core.relax_integer_vars").apply_to(model)
    res = pe.SolverFactory("appsi_highs").solve(model)
    if str(res.solver.termination_condition) != "optimal":
        sys.exit(f"error: Pyomo's LP relaxation ended `{res.solver.termination_condition}`")
    return pe.value(model.obj)


def timed(build, m, repeat):
    """The model `build` makes of `m`, and its shortest build time over `repeat` builds."""
    best, model = INF, None
    for _ in range(repeat):
        model = None
        gc.collect()
        t = time.perf_counter()
        model = build(m)
        best = min(best, time.perf_counter() - t)
    return model, best


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("problem", help="a problem file written by `parkplan generate`")
    ap.add_argument("--parkplan", default="target/release/parkplan", help="the parkplan binary")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON here")
    ap.add_argument("--lp-check-parks", type=int, default=100, metavar="N",
                    help="compare LP relaxations when the problem has at most N parks (default 100)")
    ap.add_argument("--repeat", type=int, default=3, metavar="N",
                    help="time every build N times and keep the shortest (default 3)")
    a = ap.parse_args()
    if a.repeat < 1:
        sys.exit("error: --repeat must be at least 1")
    if not os.access(a.parkplan, os.X_OK):
        sys.exit(f"error: no parkplan binary at `{a.parkplan}`: build it with "
                 "`cargo build --release` or give --parkplan PATH")
    try:
        with open(a.problem, encoding="utf-8") as f:
            doc = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        m = prepare(read(doc))
    except OSError as e:
        print(f"error: cannot read `{a.problem}`: {e.strerror}", file=sys.stderr)
        sys.exit(2)
    except (Refused, yaml.YAMLError) as e:
        print(f"error: {a.problem}: {e}", file=sys.stderr)
        sys.exit(2)

    with tempfile.TemporaryDirectory() as tmp:
        mps = os.path.join(tmp, "model.mps")
        pp = parkplan_side(a.parkplan, a.problem, mps, a.repeat)
        h = read_mps(mps)
        lp = h.getLp()
        pp["nonzeros"] = sum(1 for x in lp.a_matrix_.value_ if x != 0.0)

        (v, rs, obj), assembly_s = timed(assemble, m, a.repeat)
        lin, lin_s = timed(build_linopy, m, a.repeat)
        pyo, pyo_s = timed(build_pyomo, m, a.repeat)
        # linopy leaves out a row without terms (a purchase limit of a material no park may
        # consume: `0 ≤ limit`, always met); parkplan and Pyomo keep it as a row.
        empty = sum(1 for r in rs if not r[4])

        failures = compare_structure(h, v, rs, obj)
        counts = {"parkplan": {k: pp[k] for k in ("columns", "binary", "rows", "nonzeros")},
                  "linopy": linopy_counts(lin), "pyomo": pyomo_counts(pyo)}
        counts["linopy"]["rows"] += empty
        for name in ("linopy", "pyomo"):
            if counts[name] != counts["parkplan"]:
                failures.append(f"{name}'s model has {counts[name]}, parkplan's {counts['parkplan']}")
        lp_check = None
        if len(m["P"]) <= a.lp_check_parks:
            ref = -relax_and_solve(h)
            hl = lin.to_highspy()
            hl.setOptionValue("output_flag", False)
            got = relax_and_solve(hl)
            got_pyo = pyomo_relaxation(pyo)
            lp_check = {"parkplan": ref, "linopy": got, "pyomo": got_pyo}
            for name, val in (("linopy", got), ("pyomo", got_pyo)):
                if abs(val - ref) > 1e-6 * max(1.0, abs(ref)):
                    failures.append(f"LP relaxation: {name} {val!r}, parkplan {ref!r}")

    result = {
        "problem": a.problem, "parks": len(m["P"]), "chains": len(m["C"]),
        "materials": len(m["K"]), "counts": counts["parkplan"],
        "parkplan_build_s": pp["build_s"], "parkplan_validate_s": pp["validate_s"],
        "parkplan_timing": pp["method"], "python_assembly_s": assembly_s,
        "linopy_build_s": lin_s, "pyomo_build_s": pyo_s,
        "linopy_over_parkplan": lin_s / pp["build_s"], "pyomo_over_parkplan": pyo_s / pp["build_s"],
        "empty_rows": empty, "repeat": a.repeat,
        "lp_relaxation": lp_check, "same_model": not failures, "machine": machine(),
    }
    c = counts["parkplan"]
    head = ["parks", "columns", "rows", "nonzeros", "parkplan build s", "parkplan validate s",
            "linopy build s", "Pyomo build s", "linopy/parkplan", "Pyomo/parkplan"]
    vals = [str(result["parks"]), str(c["columns"]), str(c["rows"]), str(c["nonzeros"]),
            f"{pp['build_s']:.4f}", f"{pp['validate_s']:.4f}", f"{lin_s:.3f}", f"{pyo_s:.3f}",
            f"{result['linopy_over_parkplan']:.0f}×", f"{result['pyomo_over_parkplan']:.0f}×"]
    widths = [max(len(h_), len(v_)) for h_, v_ in zip(head, vals)]
    print("  ".join(h_.rjust(w) for h_, w in zip(head, widths)))
    print("  ".join(v_.rjust(w) for v_, w in zip(vals, widths)))
    print(f"parkplan's build time: {pp['method']}; the Python assembly of the rows alone "
          f"took {assembly_s:.3f} s of each Python build", flush=True)
    mc = result["machine"]
    if empty:
        print(f"rows without terms: {empty} (linopy leaves them out; counted back above)")
    print(f"machine: {mc['nproc']} cores, {mc['cpu']}, Python {mc['python']}")
    if lp_check:
        print(f"LP relaxation: parkplan {lp_check['parkplan']:.9g}, linopy {lp_check['linopy']:.9g}, "
              f"Pyomo {lp_check['pyomo']:.9g}")
    if a.json:
        tmp = a.json + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
        os.replace(tmp, a.json)
    if failures:
        print("the models differ:", file=sys.stderr)
        for f_ in failures:
            print(f"  {f_}", file=sys.stderr)
        sys.exit(1)
    print("same model: columns, rows, nonzeros and every coefficient agree with parkplan's")


if __name__ == "__main__":
    main()
