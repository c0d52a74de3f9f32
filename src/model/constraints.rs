//! The constraint families of MODEL.md §4, one function each.

use good_lp::{Expression, Variable, constraint, variable};

use super::{Model, Node, RowKind, material_coef, use_coef};
use crate::problem::format::{AppliesTo, MaterialKind};
use crate::problem::{ChainIx, ParkIx};

/// Resource use of park `p`: `Σ_c uses[c][r]·x[p,c]` (with the fixed uses of chains built in
/// units, MODEL.md §12) and the constant `Σ_c uses[c][r]·e[p,c]`
/// that is subtracted when the resource applies to new activity only.
fn resource_use(m: &Model, p: ParkIx, r: usize) -> (Expression, f64) {
    let mut expr = m.park_sum(p, |c| use_coef(m.problem, c, r));
    let new_only = m.problem.problem().resources[r].applies_to == AppliesTo::New;
    // MODEL.md §12: the fixed uses of the chains built here.
    expr += super::units::fixed_use(m, p, r, new_only);
    if new_only && let Some(previous) = &m.previous {
        // A later period: charged on what it builds, x[t] − x[t−1].
        for (slot, &c) in m.problem.candidates(p).iter().enumerate() {
            let a = use_coef(m.problem, c, r);
            if a != 0.0 {
                expr.add_mul(-a, previous[p.0][slot]);
            }
        }
        return (expr, 0.0);
    }
    let offset = if new_only {
        m.problem
            .candidates(p)
            .iter()
            .map(|&c| use_coef(m.problem, c, r) * m.problem.existing(p, c))
            .sum()
    } else {
        0.0
    };
    (expr, offset)
}

/// §4.1: `Σ_c uses[c][r]·A(p,c,r) ≤ capacity[p][r]` for every park capacity given.
pub fn park_resources(m: &mut Model) {
    let prob = &m.problem.problem();
    for (p, park) in prob.park_ixs().zip(prob.parks.values()) {
        for (r, res_id) in prob.resources.keys().enumerate() {
            let Some(&cap) = park.capacity.get(res_id) else {
                continue;
            };
            let (expr, offset) = resource_use(m, p, r);
            let name = format!("{res_id}[{}]", m.park_id(p));
            m.push(
                constraint!(expr <= cap + offset),
                RowKind::ParkResource {
                    park: p,
                    resource: r,
                },
                name,
            );
        }
    }
}

/// §4.2: `Σ_p Σ_c uses[c][r]·A(p,c,r) ≤ pool[r]` for every pooled resource.
pub fn city_pools(m: &mut Model) {
    let prob = &m.problem.problem();
    for (r, (res_id, res)) in prob.resources.iter().enumerate() {
        let Some(pool) = res.pool else { continue };
        let mut total = Expression::from(0.0);
        let mut offset = 0.0;
        for p in prob.park_ixs() {
            let (e, o) = resource_use(m, p, r);
            total += e;
            offset += o;
        }
        m.push(
            constraint!(total <= pool + offset),
            RowKind::Pool { resource: r },
            format!("pool[{res_id}]"),
        );
    }
}

/// §4.3: `Σ_p x[p,c] ≤ max_total[c]` (`max_per_park` is a column bound set in
/// [`Model::build`]). One pass over the parks' candidates gathers every chain's total.
pub fn chain_limits(m: &mut Model) {
    let prob = &m.problem.problem();
    if prob.chains.values().all(|c| c.max_total.is_none()) {
        return;
    }
    let mut totals = vec![Expression::from(0.0); prob.chains.len()];
    for p in prob.park_ixs() {
        for (slot, &c) in m.problem.candidates(p).iter().enumerate() {
            if prob.chains[c].max_total.is_some() {
                totals[c.0].add_mul(1.0, m.x[p.0][slot]);
            }
        }
    }
    for ((c, (chain_id, chain)), total) in prob.chain_ixs().zip(prob.chains.iter()).zip(totals) {
        let Some(limit) = chain.max_total else {
            continue;
        };
        m.push(
            constraint!(total <= limit),
            RowKind::ChainTotal { chain: c },
            format!("max_total[{chain_id}]"),
        );
    }
}

/// §4.4: what leaves a park is at most what it generates; feedstock is met exactly by flows and
/// purchases; purchases within their limit. The flow columns are bucketed by material and park once,
/// so the rows are built in time linear in the columns.
pub fn material_balance(m: &mut Model) {
    let prob = &m.problem.problem();
    let n_p = prob.parks.len();
    let n_k = prob.materials.len();
    // Per material and park: the columns leaving it, and those (and purchases) reaching it.
    let mut leaving: Vec<Vec<Vec<Variable>>> = vec![vec![Vec::new(); n_p]; n_k];
    let mut reaching: Vec<Vec<Vec<Variable>>> = vec![vec![Vec::new(); n_p]; n_k];
    for f in &m.flows {
        if let Node::Park(p) = f.from {
            leaving[f.material][p.0].push(f.var);
        }
        if let Node::Park(q) = f.to {
            reaching[f.material][q.0].push(f.var);
        }
    }
    let mut bought: Vec<Vec<Variable>> = vec![Vec::new(); n_k];
    for b in &m.buys {
        reaching[b.material][b.park.0].push(b.var);
        bought[b.material].push(b.var);
    }
    for (k, (mat_id, mat)) in prob.materials.iter().enumerate() {
        for p in prob.park_ixs() {
            let out_vars = std::mem::take(&mut leaving[k][p.0]);
            if !out_vars.is_empty() {
                let generated = m.park_sum(p, |c| material_coef(m.problem, c, k).max(0.0));
                let out = sum_of(&out_vars);
                let name = format!("out[{mat_id},{}]", m.park_id(p));
                m.push(
                    constraint!(out <= generated),
                    RowKind::MaterialOut {
                        material: k,
                        park: p,
                    },
                    name,
                );
            }
            let consumes = m
                .problem
                .candidates(p)
                .iter()
                .any(|&c| material_coef(m.problem, c, k) < 0.0);
            if !consumes {
                continue;
            }
            let consumed = m.park_sum(p, |c| (-material_coef(m.problem, c, k)).max(0.0));
            let inflow = sum_of(&std::mem::take(&mut reaching[k][p.0]));
            let name = format!("in[{mat_id},{}]", m.park_id(p));
            m.push(
                constraint!(inflow == consumed),
                RowKind::MaterialIn {
                    material: k,
                    park: p,
                },
                name,
            );
        }
        if let Some(limit) = mat.external.as_ref().and_then(|e| e.limit) {
            let bought = sum_of(&bought[k]);
            m.push(
                constraint!(bought <= limit),
                RowKind::ExternalLimit { material: k },
                format!("external[{mat_id}]"),
            );
        }
    }
}

fn sum_of(vars: &[Variable]) -> Expression {
    let mut e = Expression::with_capacity(vars.len());
    for &v in vars {
        e.add_mul(1.0, v);
    }
    e
}

/// Total reuse of waste materials: every flow leaving a park reaches a park that uses it, so
/// `Σ_{k waste} Σ_{p,q} f[k,p,q]` is what leaves the parks (in the hub formulation, their own use
/// and their sends).
pub fn waste_reuse(m: &Model) -> Expression {
    let mats = &m.problem.problem().materials;
    let mut e = Expression::from(0.0);
    for f in &m.flows {
        if mats[f.material].kind == MaterialKind::Waste && matches!(f.from, Node::Park(_)) {
            e.add_mul(1.0, f.var);
        }
    }
    e
}

/// Total generation of waste materials: `Σ_{k waste} Σ_{p,c} max(materials[c][k],0)·x[p,c]`.
pub fn waste_generated(m: &Model) -> Expression {
    let mats = &m.problem.problem().materials;
    let mut e = Expression::from(0.0);
    for p in m.problem.problem().park_ixs() {
        e += m.park_sum(p, |c| {
            (0..mats.len())
                .filter(|&k| mats[k].kind == MaterialKind::Waste)
                .map(|k| material_coef(m.problem, c, k).max(0.0))
                .sum()
        });
    }
    e
}

/// §4.5: `Σ_{k waste} reuse[k] ≥ ρ · Σ_{k waste} gen[k]`.
pub fn min_reuse_rate(m: &mut Model) {
    let Some(rate) = m.problem.problem().rules.min_reuse_rate else {
        return;
    };
    if rate <= 0.0 {
        return;
    }
    let reuse = waste_reuse(m);
    let generated = waste_generated(m);
    m.push(
        constraint!(reuse >= rate * generated),
        RowKind::ReuseRate,
        "min_reuse_rate".into(),
    );
}

/// Candidates from which a park's share rows refer to one column holding its total output value.
const SHARE_TOTAL_FROM: usize = 12;

/// §4.6: exactly one main chain per park; only the main chain and the chains it supports grow;
/// the main chain's minimum share of output value.
pub fn one_main_chain(m: &mut Model) {
    let Some(rule) = m.problem.rule().cloned() else {
        return;
    };
    let prob = &m.problem.problem();
    // The chains whose `supports` name each chain, by chain index, found once: a growth row then
    // looks at these few rather than at every candidate's list.
    let mut supporters: Vec<Vec<ChainIx>> = vec![Vec::new(); prob.chains.len()];
    for (mc, chain) in prob.chain_ixs().zip(prob.chains.values()) {
        for s in &chain.supports {
            if let Some(c) = prob.chain_ix(s)
                && supporters[c.0].last() != Some(&mc)
            {
                supporters[c.0].push(mc);
            }
        }
    }
    // The slot of each chain among the park's candidates, by chain index (reset per park).
    let mut slot_of: Vec<Option<usize>> = vec![None; prob.chains.len()];
    for p in prob.park_ixs() {
        let cands = m.problem.candidates(p);
        for (slot, &c) in cands.iter().enumerate() {
            slot_of[c.0] = Some(slot);
        }
        if m.options.fixed(p).is_none() && !m.follower {
            let mut sum = Expression::from(0.0);
            for slot in 0..cands.len() {
                sum += m.main_term(p, slot).expect("rule on");
            }
            let name = format!("one_main[{}]", m.park_id(p));
            m.push(constraint!(sum == 1), RowKind::OneMain { park: p }, name);
        }
        if super::hull::applies(m, p) {
            super::hull::park_rows(m, p);
            for &c in cands {
                slot_of[c.0] = None;
            }
            continue;
        }
        for (slot, &c) in cands.iter().enumerate() {
            let chain_id = m.chain_id(c);
            // y[p,c] + Σ_{m : c ∈ supports[m]} y[p,m]
            let mut switch = m.main_term(p, slot).expect("rule on");
            for &mc in &supporters[c.0] {
                if let Some(ms) = slot_of[mc.0] {
                    switch += m.main_term(p, ms).expect("rule on");
                }
            }
            let e = if rule.strict {
                0.0
            } else {
                m.problem.existing(p, c)
            };
            // With the park's main chain fixed the switch is a constant. At 1 the row reads
            // x ≤ e + U, which the data already implies (U is derived from it); it is left out so
            // that it cannot take the dual value that belongs to the resource row it repeats.
            if let Some(main) = m.options.fixed(p)
                && (main == c || supporters[c.0].contains(&main))
            {
                continue;
            }
            let u = match &m.options.rule_bounds {
                Some(b) => b.growth[p.0][slot],
                None => m.problem.growth_bound(p, slot),
            };
            let x = m.x[p.0][slot];
            let name = format!("grow[{},{chain_id}]", m.park_id(p));
            m.push(
                constraint!(x <= e + u * switch),
                RowKind::Growth { park: p, chain: c },
                name,
            );
        }
        if rule.min_share > 0.0 {
            let big_m = match &m.options.rule_bounds {
                Some(b) => b.share_big_m[p.0],
                None => m.problem.share_big_m(p),
            };
            let mut total = m.park_sum(p, |c| prob.chains[c].output);
            // Every share row holds the park's whole output: with many candidates that is a
            // dense block (candidates² entries a park, most of a large model's non-zeros, and
            // what slows its LP). One column for the total, defined once, keeps each row short.
            // Parks with few candidates keep the rows as they were (the same optimum either way,
            // but among tied optima the plan HiGHS picks would change).
            if m.options.fixed(p).is_none() && cands.len() >= SHARE_TOTAL_FROM {
                let t = m.add_column(
                    variable().min(0.0),
                    format!("output_total[{}]", m.park_id(p)),
                );
                let name = format!("output_total[{}]", m.park_id(p));
                m.push(
                    constraint!(t - total == 0),
                    RowKind::ParkOutput { park: p },
                    name,
                );
                total = Expression::from(t);
            }
            for (slot, &c) in cands.iter().enumerate() {
                if m.options.fixed(p).is_some_and(|main| main != c) {
                    continue; // switched off by the fixed main chain
                }
                let own = prob.chains[c].output * m.x[p.0][slot];
                let y = m.main_term(p, slot).expect("rule on");
                let name = format!("share[{},{}]", m.park_id(p), m.chain_id(c));
                let row =
                    constraint!(own - rule.min_share * total.clone() + big_m * (1.0 - y) >= 0);
                m.push(row, RowKind::Share { park: p, chain: c }, name);
            }
        }
        for &c in cands {
            slot_of[c.0] = None;
        }
    }
}

/// The ε-constraint of the Pareto front: total waste reuse at least ε.
pub fn min_waste_reuse(m: &mut Model) {
    let Some(eps) = m.options.min_waste_reuse else {
        return;
    };
    let reuse = waste_reuse(m);
    m.push(
        constraint!(reuse >= eps),
        RowKind::MinWasteReuse,
        "min_waste_reuse".into(),
    );
}

/// The Pareto front's second stage: `Σ output[c]·x[p,c] ≥ floor`.
pub fn min_output(m: &mut Model) {
    let Some(floor) = m.options.min_output else {
        return;
    };
    let output = super::objective::output_value(m);
    m.push(
        constraint!(output >= floor),
        RowKind::MinOutput,
        "min_output".into(),
    );
}

/// MODEL.md §11: one no-good cut per excluded assignment, `Σ_p y[p, main(p)] ≤ |P| − D`. A park
/// whose main chain is fixed adds its constant; a cut with no free `y` left is not a row at all
/// (the fixed chains either meet it or the caller asked for the impossible, and that is its
/// business).
pub fn no_good_cuts(m: &mut Model) {
    if m.problem.rule().is_none() || m.follower {
        return;
    }
    let prob = m.problem.problem();
    let parks = prob.parks.len();
    for (index, ex) in m.options.exclude.clone().iter().enumerate() {
        let mut sum = Expression::from(0.0);
        let mut free = false;
        for (p, &main) in prob.park_ixs().zip(&ex.main) {
            let Some(slot) = m.problem.candidates(p).iter().position(|&c| c == main) else {
                continue; // not a candidate here: the park differs already
            };
            free |= m.options.fixed(p).is_none();
            sum += m.main_term(p, slot).expect("rule on");
        }
        if !free {
            continue;
        }
        let bound = parks as f64 - ex.differ as f64;
        m.push(
            constraint!(sum <= bound),
            RowKind::NoGood { index },
            format!("no_good[{}]", index + 1),
        );
    }
}
