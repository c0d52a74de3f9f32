//! The one-main-chain rule of MODEL.md §4.6 as a disjunctive ("hull") formulation: tighter LP
//! relaxation than the big-M rows, the same integer solutions.
//!
//! A park's main chain m is a disjunction: in the disjunct of m only the chains
//! `G(m) = {m} ∪ supports[m]` may grow, the share row holds, and the park's capacities hold. The
//! big-M rows state it with `U[p,c]` and `M_p`, which a fractional `y` switches half on; here each
//! disjunct gets its own growth columns and its rows are scaled by `y[p,m]` (the perspective):
//!
//! ```text
//! x[p,c] = b[p,c] + Σ_{m : c ∈ G(m)} g[p,c,m]               link        b = e, or 0 when strict
//! g[p,c,m] ≤ U[p,c] · y[p,m]                                 grow
//! g[p,c,m] ≥ existing[p,c] · y[p,m]                          strict, where there is plant
//! y[p,m] = 0                                                 strict, plant outside G(m)
//! (Σ_c uses[c][r]·β_c − cap[p][r]) · y[p,m] + Σ_{c∈G(m)} uses[c][r] · g[p,c,m] ≤ 0      capacity
//! (output[m]·b_m − s·Σ_c output[c]·b_c) · y[p,m]
//!     + output[m]·g[p,m,m] − s·Σ_{c∈G(m)} output[c]·g[p,c,m] ≥ 0                        share
//! ```
//!
//! (β_c is b_c for a resource on total activity and b_c − existing_c for one on new activity.)
//! With `y` integer, the disjunct of the main chain is the park's plan and every other disjunct's
//! columns are 0, its rows `0 ≤ 0`: exactly the big-M model's plans. With `y` fractional, each
//! disjunct holds at its share of `y` — the LP bound of a mixture of main chains, where the big-M
//! rows let a fractional `y` escape the share row entirely.
//!
//! Used for parks whose main chain is free; parks with a fixed main chain, elastic models (with
//! their own bounds) and later periods' resources on new activity keep the rows of
//! [`super::constraints::one_main_chain`].

use good_lp::{Expression, Variable, constraint, variable};

use super::{Model, RowKind, use_coef};
use crate::problem::format::AppliesTo;
use crate::problem::{ChainIx, ParkIx};

/// How the one-main-chain rule is formulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Formulation {
    /// Big-M rows: `x ≤ e + U·(y + Σ y)` and the share row relaxed by `M_p·(1 − y)`.
    #[default]
    BigM,
    /// The disjunctive formulation of this module.
    Hull,
}

/// Whether park `p`'s rule rows are those of this module.
pub fn applies(m: &Model, p: ParkIx) -> bool {
    m.options.formulation == Formulation::Hull
        && m.problem.rule().is_some()
        && m.options.fixed(p).is_none()
        && m.options.rule_bounds.is_none()
}

/// The rule's rows for park `p` (the one-main-chain row itself is stated by the caller).
pub fn park_rows(m: &mut Model, p: ParkIx) {
    let rule = m.problem.rule().cloned().expect("rule on");
    let prob = m.problem.problem();
    let cands: Vec<ChainIx> = m.problem.candidates(p).to_vec();
    let park_id = prob.park_id(p).to_string();
    let base: Vec<f64> = cands
        .iter()
        .map(|&c| {
            if rule.strict {
                0.0
            } else {
                m.problem.existing(p, c)
            }
        })
        .collect();
    let existing: Vec<f64> = cands.iter().map(|&c| m.problem.existing(p, c)).collect();
    let grows = |main: ChainIx, c: ChainIx| {
        c == main
            || prob.chains[main]
                .supports
                .iter()
                .any(|s| s == prob.chain_id(c))
    };
    // The capacities the perspective rows restate: (resource, cap, uses by slot).
    let caps: Vec<(usize, String, f64, Vec<f64>, bool)> = prob
        .resources
        .iter()
        .enumerate()
        .filter_map(|(r, (res_id, res))| {
            let cap = *prob.parks[p.0].capacity.get(res_id)?;
            let new = res.applies_to == AppliesTo::New;
            // In a later period, new activity is charged against the period before's: no
            // constant base to restate it on.
            if new && m.previous.is_some() {
                return None;
            }
            let uses: Vec<f64> = cands.iter().map(|&c| use_coef(m.problem, c, r)).collect();
            Some((r, res_id.clone(), cap, uses, new))
        })
        .collect();
    let mut link: Vec<Expression> = cands.iter().map(|_| Expression::from(0.0)).collect();
    for (ms, &main) in cands.iter().enumerate() {
        let y: Variable = m.y[p.0][ms].expect("a free main chain has its column");
        let main_id = prob.chain_id(main).to_string();
        let blocked = rule.strict
            && cands
                .iter()
                .zip(&existing)
                .any(|(&c, &e)| e > 0.0 && !grows(main, c));
        if blocked {
            m.push(
                constraint!(y <= 0),
                RowKind::Disjunct {
                    park: p,
                    chain: main,
                },
                format!("blocked[{park_id},{main_id}]"),
            );
            continue;
        }
        let mut g: Vec<Option<Variable>> = vec![None; cands.len()];
        for (slot, &c) in cands.iter().enumerate() {
            if !grows(main, c) {
                continue;
            }
            let chain_id = prob.chain_id(c);
            let name = format!("g[{park_id},{chain_id},{main_id}]");
            let v = m.add_column(variable().min(0), name);
            g[slot] = Some(v);
            link[slot].add_mul(1.0, v);
            let u = m.problem.growth_bound(p, slot);
            m.push(
                constraint!(v <= u * y),
                RowKind::Disjunct {
                    park: p,
                    chain: main,
                },
                format!("grow[{park_id},{chain_id},{main_id}]"),
            );
            if rule.strict && existing[slot] > 0.0 {
                m.push(
                    constraint!(v >= existing[slot] * y),
                    RowKind::Disjunct {
                        park: p,
                        chain: main,
                    },
                    format!("keep[{park_id},{chain_id},{main_id}]"),
                );
            }
        }
        for (_, res_id, cap, uses, new) in &caps {
            if !g.iter().zip(uses).any(|(g, &u)| g.is_some() && u != 0.0) {
                continue;
            }
            let constant: f64 = uses
                .iter()
                .zip(&base)
                .zip(&existing)
                .map(|((&u, &b), &e)| u * if *new { b - e } else { b })
                .sum();
            let mut row = Expression::from(0.0);
            row.add_mul(constant - cap, y);
            for (gv, &u) in g.iter().zip(uses) {
                if let Some(v) = gv
                    && u != 0.0
                {
                    row.add_mul(u, *v);
                }
            }
            m.push(
                constraint!(row <= 0),
                RowKind::Disjunct {
                    park: p,
                    chain: main,
                },
                format!("{res_id}[{park_id},{main_id}]"),
            );
        }
        if rule.min_share > 0.0 {
            let s = rule.min_share;
            let out = |slot: usize| prob.chains[cands[slot]].output;
            let total_base: f64 = (0..cands.len()).map(|i| out(i) * base[i]).sum();
            let mut row = Expression::from(0.0);
            row.add_mul(out(ms) * base[ms] - s * total_base, y);
            for (slot, gv) in g.iter().enumerate() {
                if let Some(v) = gv {
                    let own = if slot == ms { out(slot) } else { 0.0 };
                    row.add_mul(own - s * out(slot), *v);
                }
            }
            m.push(
                constraint!(row >= 0),
                RowKind::Disjunct {
                    park: p,
                    chain: main,
                },
                format!("share[{park_id},{main_id}]"),
            );
        }
    }
    for (slot, &c) in cands.iter().enumerate() {
        let x = m.x[p.0][slot];
        let rhs = std::mem::take(&mut link[slot]) + base[slot];
        m.push(
            constraint!(x == rhs),
            RowKind::Disjunct { park: p, chain: c },
            format!("link[{park_id},{}]", prob.chain_id(c)),
        );
    }
}
