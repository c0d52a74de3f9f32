//! Verifying a plan without any solver: every constraint of MODEL.md §4 re-evaluated from the
//! problem data and the plan's own values, and the objective of §5 recomputed part by part.
//!
//! Nothing here builds a model or calls HiGHS, and nothing reuses the model builder's helpers:
//! routes, resource use, material balances and the one-main-chain rule are evaluated straight from
//! the problem as MODEL.md states them (the rule in its logical form, without big-M values). So a
//! fault in the model or in the solver shows up here as a violated constraint or a wrong objective.
//!
//! This module owns the interface: [`verify`], what it returns, and the constraint families a
//! violation names. The state the checks share (the plan's values by index, the tolerance, the
//! tally) is in `verifier.rs`; the checks live one family per file: `domains.rs` (references and
//! §3), `resources.rs` (§4.1–§4.2), `chain_limits.rs` (§4.3), `materials.rs` (§4.4–§4.5),
//! `main_chain.rs` (§4.6) and `objective.rs` (§5). [`PlanFile`] reads a plan from YAML or JSON.

mod chain_limits;
mod domains;
mod main_chain;
mod materials;
mod objective;
mod periods;
mod plan_file;
mod resources;
#[cfg(test)]
mod tests;
mod units;
mod verifier;

use serde::{Deserialize, Serialize};

use crate::plan::Plan;
use crate::problem::ValidProblem;
use verifier::Verifier;

pub use plan_file::PlanFile;

/// Default tolerance of `verify`: relative to the size of the quantities compared, and absolute
/// below 1.
pub const DEFAULT_TOLERANCE: f64 = 1e-6;

/// The constraint families of MODEL.md §3–§5, as a violation names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// A park, chain or material the problem does not have.
    Reference,
    /// §3: variable domains (activity at least existing, only allowed chains, flows only on
    /// allowed routes, purchases only of materials with `external`, nothing negative).
    Domain,
    /// §4.1: park resources.
    ParkResource,
    /// §4.2: city pools.
    Pool,
    /// §4.3: chain limits (`max_per_park`, `max_total`).
    ChainLimit,
    /// §4.4: what leaves a park is at most what it generates.
    MaterialOut,
    /// §4.4: feedstock is met exactly by flows and purchases.
    MaterialIn,
    /// §4.4: purchases within the external limit.
    ExternalLimit,
    /// §4.5: minimum reuse rate.
    ReuseRate,
    /// §4.6: exactly one main chain per park, and one the park may run.
    OneMainChain,
    /// §4.6: only the main chain and the chains it supports grow.
    Growth,
    /// §4.6: the main chain's minimum share of the park's output value.
    MinShare,
    /// §5: a stated objective or part of it differs from the recomputed one.
    Objective,
    /// §9: the plan's periods are those of the problem, with their lengths and weights, and its
    /// totals and tables are the periods' as stated.
    Periods,
    /// §9: built plant stays, `x[p,c,t] ≥ x[p,c,t−1]`.
    Stays,
    /// §9: one main chain per park for the whole horizon.
    HeldMainChain,
    /// §12: new activity of a chain with `build:` in whole units, and at least its minimum; and
    /// what the plan states it builds in units (`built_units`) as its activity gives it.
    Units,
}

impl Family {
    /// Every family, in MODEL.md order.
    pub const ALL: [Family; 17] = [
        Family::Reference,
        Family::Domain,
        Family::ParkResource,
        Family::Pool,
        Family::ChainLimit,
        Family::MaterialOut,
        Family::MaterialIn,
        Family::ExternalLimit,
        Family::ReuseRate,
        Family::OneMainChain,
        Family::Growth,
        Family::MinShare,
        Family::Objective,
        Family::Periods,
        Family::Stays,
        Family::HeldMainChain,
        Family::Units,
    ];

    /// The family as MODEL.md names it.
    pub fn title(self) -> &'static str {
        match self {
            Family::Reference => "plan references",
            Family::Domain => "§3 variable domains",
            Family::ParkResource => "§4.1 park resources",
            Family::Pool => "§4.2 city pools",
            Family::ChainLimit => "§4.3 chain limits",
            Family::MaterialOut => "§4.4 material balance (out)",
            Family::MaterialIn => "§4.4 material balance (in)",
            Family::ExternalLimit => "§4.4 external purchase limit",
            Family::ReuseRate => "§4.5 minimum reuse rate",
            Family::OneMainChain => "§4.6 one main chain",
            Family::Growth => "§4.6 growth of non-main chains",
            Family::MinShare => "§4.6 main chain's minimum share",
            Family::Objective => "§5 objective",
            Family::Periods => "§9 periods",
            Family::Stays => "§9 built plant stays",
            Family::HeldMainChain => "§9 main chains held for the horizon",
            Family::Units => "§12 plant in units",
        }
    }
}

/// One violated constraint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    /// The constraint family.
    pub family: Family,
    /// The constraint, named like the model's rows (`land[pannan]`, `in[fly_ash,faer]`).
    pub constraint: String,
    /// What is wrong, in planners' words.
    pub message: String,
    /// By how much the constraint is violated (in the constraint's own unit).
    pub amount: f64,
    /// Where in the plan the offending value is (`activities.a.steel`), when one value is.
    #[serde(default)]
    pub plan_path: Option<String>,
}

/// The objective of MODEL.md §5 and its parts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Parts {
    /// The weighted objective.
    pub objective: f64,
    /// `Σ output·x`.
    pub output_value: f64,
    /// `Σ reuse_value·reuse` (before its weight).
    pub reuse_value: f64,
    /// Cost of moving materials across zones.
    pub transport_cost: f64,
    /// Cost of external purchases.
    pub purchase_cost: f64,
    /// Cost of disposing of what is generated and not reused.
    pub disposal_cost: f64,
    /// Total reuse of waste materials.
    pub total_reuse: f64,
}

/// The result of verifying a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    /// How many constraints and stated values were checked.
    pub checked: usize,
    /// The tolerance used.
    pub tolerance: f64,
    /// The objective and its parts recomputed from the plan's values.
    pub recomputed: Parts,
    /// Every violated constraint and every stated value that differs, in MODEL.md order.
    pub violations: Vec<Violation>,
}

impl Verification {
    /// Whether the plan is feasible and its stated values are right.
    pub fn ok(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Numbers as verification messages write them: exact, without trailing zeros.
pub use crate::util::numbers::fmt_exact as num;

/// Checks a plan against a validated problem: every constraint of MODEL.md §4, and every stated
/// part of the objective against its value recomputed from the plan (§5).
///
/// `tolerance` is relative: `lhs ≤ rhs` holds when `lhs − rhs ≤ tolerance · max(1, |terms|)`,
/// where `|terms|` is the largest magnitude among the sides and the terms summed.
///
/// A plan of a multi-period problem is checked period by period against each period's data, and
/// then for what links the periods (MODEL.md §9).
pub fn verify(problem: &ValidProblem, plan: &Plan, tolerance: f64) -> Verification {
    periods::verify(problem, plan, tolerance)
}

/// Checks a plan of one period against its data; `previous` is the period before's activity
/// `x[park][chain]` in a later period of a multi-period plan, and `base` the first period's
/// existing plant, from which new activity in units is counted (MODEL.md §12).
fn verify_one(
    problem: &ValidProblem,
    plan: &Plan,
    tolerance: f64,
    previous: Option<Vec<Vec<f64>>>,
    base: Option<Vec<Vec<f64>>>,
) -> Verification {
    let mut v = Verifier::new(problem.problem(), tolerance);
    v.previous = previous;
    v.base = base;
    v.read_activities(plan);
    v.read_flows(plan);
    v.read_purchases(plan);
    v.domains();
    v.park_resources();
    v.pools();
    v.chain_limits();
    v.units();
    v.stated_units(plan);
    v.material_balance();
    v.reuse_rate();
    if let Some(rule) = problem.rule() {
        v.one_main_chain(plan, rule.strict, rule.min_share);
    } else {
        v.main_chain_references(plan);
    }
    let parts = v.parts();
    v.stated(plan, &parts);
    sort(&mut v.violations);
    Verification {
        checked: v.checked,
        tolerance,
        recomputed: parts,
        violations: v.violations,
    }
}

/// Violations in MODEL.md order of their families.
fn sort(violations: &mut [Violation]) {
    violations.sort_by_key(|x| {
        Family::ALL
            .iter()
            .position(|f| *f == x.family)
            .unwrap_or(usize::MAX)
    });
}
