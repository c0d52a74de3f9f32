//! The objective of MODEL.md §5 and its parts.
//!
//! ```text
//!   objective.output · Σ output[c]·x[p,c]
//! + objective.reuse  · Σ_k reuse_value[k]·reuse[k]
//! − Σ across-zone cost[k]·f[k,p,q] − Σ price[k]·b[k,q] − Σ_k disposal_cost[k]·(gen[k] − reuse[k])
//! ```

use good_lp::{Expression, constraint};

use super::constraints::waste_reuse;
use super::{Goal, Model, RowKind, material_coef};

/// Total output value `Σ output[c]·x[p,c]`.
pub fn output_value(m: &Model) -> Expression {
    let chains = &m.problem.problem().chains;
    let mut e = Expression::from(0.0);
    for p in m.problem.problem().park_ixs() {
        e += m.park_sum(p, |c| chains[c].output);
    }
    e
}

/// The expression the model maximises, by its [`Goal`].
pub fn objective(m: &Model) -> Expression {
    match m.options.goal {
        Goal::Output => output_value(m),
        Goal::WasteReuse => waste_reuse(m),
        Goal::Weighted => weighted(m),
    }
}

/// The second stage of a lexicographic solve, once [`Model::objective`] is the goal's: the row
/// `objective ≥ min_objective` when asked for, then, with [`super::ModelOptions::agree_with`], the
/// objective replaced by `Σ_p y[p, main(p)]`. For a model of several periods, on the whole model
/// (its blocks are built without either).
pub fn second_stage(m: &mut Model) {
    if let Some(floor) = m.options.min_objective {
        let objective = m.objective.clone();
        m.push(
            constraint!(objective >= floor),
            RowKind::MinObjective,
            "min_objective".into(),
        );
    }
    let Some(main) = m.options.agree_with.clone() else {
        return;
    };
    let mut agree = Expression::from(0.0);
    for (p, c) in m.problem.problem().park_ixs().zip(&main) {
        let slot = c.and_then(|c| m.problem.candidates(p).iter().position(|&cc| cc == c));
        if let Some(term) = slot.and_then(|s| m.main_term(p, s)) {
            agree += term;
        }
    }
    m.objective = agree;
}

fn weighted(m: &Model) -> Expression {
    let prob = &m.problem.problem();
    let mut e = prob.objective.output * output_value(m);
    for f in &m.flows {
        let mat = &prob.materials[f.material];
        // Reuse (what leaves a park: it reaches one that uses it) earns its value and saves the
        // disposal cost; across zones it costs transport.
        let reused = matches!(f.from, super::Node::Park(_));
        let value = prob.objective.reuse * mat.reuse_value + mat.disposal_cost;
        let coef = if reused { value } else { 0.0 } - f.cost;
        if coef != 0.0 {
            e.add_mul(coef, f.var);
        }
    }
    for b in &m.buys {
        let price = prob.materials[b.material]
            .external
            .as_ref()
            .map_or(0.0, |x| x.price);
        if price != 0.0 {
            e.add_mul(-price, b.var);
        }
    }
    for p in prob.park_ixs() {
        e -= m.park_sum(p, |c| {
            prob.materials
                .values()
                .enumerate()
                .map(|(k, mat)| mat.disposal_cost * material_coef(m.problem, c, k).max(0.0))
                .sum()
        });
    }
    e
}
