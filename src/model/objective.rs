//! The objective of MODEL.md §5 and its parts.
//!
//! ```text
//!   objective.output · Σ output[c]·x[p,c]
//! + objective.reuse  · Σ_k reuse_value[k]·reuse[k]
//! − Σ across-zone cost[k]·f[k,p,q] − Σ price[k]·b[k,q] − Σ_k disposal_cost[k]·(gen[k] − reuse[k])
//! ```

use good_lp::Expression;

use super::constraints::waste_reuse;
use super::{Goal, Model, material_coef};

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

fn weighted(m: &Model) -> Expression {
    let prob = &m.problem.problem();
    let mut e = prob.objective.output * output_value(m);
    for f in &m.flows {
        let mat = &prob.materials[f.material];
        // Reuse earns its value and saves the disposal cost; across zones it costs transport.
        let coef = prob.objective.reuse * mat.reuse_value + mat.disposal_cost - f.cost;
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
