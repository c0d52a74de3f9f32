//! Tied optima: whether another main-chain assignment reaches a plan's objective within the MIP
//! gap, and, among tied optima, the plan that keeps a base plan's main chains.
//!
//! Both are second solves that hold the optimum: the row `objective ≥ z* − tol`
//! ([`ModelOptions::min_objective`]), `tol` the gap the solver may stop at (relative
//! `mip_rel_gap`, and at least HiGHS's absolute gap of 1e-6). [`check_tie`] adds a no-good cut
//! against the plan's assignment: a plan of that model is another assignment as good as the
//! optimum. [`prefer_base`] first fixes the base's main chains (an LP); when they fall short of
//! the optimum it maximises the number of parks that keep theirs (`Σ_p y[p, base(p)]`) and solves
//! the LP of the assignment found.

use super::*;
use crate::model::Exclusion;

/// Another main-chain assignment that reaches the plan's objective within the MIP gap.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tie {
    /// Its objective.
    pub objective: f64,
    /// Its main chain in each park where it differs from the plan's.
    pub main_chains: IndexMap<String, String>,
    /// The plan was chosen among tied optima because it keeps more of the base plan's main
    /// chains; the tie is the optimum the solver found first.
    #[serde(default, skip_serializing_if = "is_false")]
    pub base_preferred: bool,
}

impl Tie {
    /// The tie in one line: `another main-chain assignment reaches the same objective (within
    /// the gap): pannan → coal_power (objective 141.106)`.
    pub fn sentence(&self) -> String {
        let chains: Vec<String> = self
            .main_chains
            .iter()
            .map(|(park, chain)| format!("{park} → {chain}"))
            .collect();
        let mut s = format!(
            "another main-chain assignment reaches the same objective (within the gap): {} (objective {})",
            chains.join(", "),
            crate::util::numbers::fmt_num(self.objective)
        );
        if self.base_preferred {
            s += "; this plan is the one among them that keeps the base plan's main chains";
        }
        s
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// How far below the optimum `objective` a plan still ties with it.
pub fn tolerance(objective: f64, options: &SolveOptions) -> f64 {
    (options.mip_rel_gap * objective.abs()).max(1e-6)
}

/// The main chain, by park of `problem`, that `names` (park id → chain id) gives, where it is a
/// candidate of the park.
pub fn main_of(problem: &ValidProblem, names: &IndexMap<String, String>) -> Vec<Option<ChainIx>> {
    let p = problem.problem();
    p.park_ixs()
        .map(|pi| {
            let c = p.chain_ix(names.get(p.park_id(pi))?)?;
            problem.candidates(pi).contains(&c).then_some(c)
        })
        .collect()
}

/// The optimum of a plan with main chains to tie with, if it is one.
fn optimum(problem: &ValidProblem, plan: &Plan) -> Option<f64> {
    problem.rule()?;
    match (plan.status, plan.objective) {
        (SolveStatus::Optimal, Some(z)) if !plan.main_chains.is_empty() => Some(z),
        _ => None,
    }
}

/// The main chains of `other` that differ from `plan`'s.
fn differing(plan: &Plan, other: &IndexMap<String, String>) -> IndexMap<String, String> {
    other
        .iter()
        .filter(|(park, chain)| plan.main_chains.get(*park) != Some(*chain))
        .map(|(p, c)| (p.clone(), c.clone()))
        .collect()
}

/// Looks for another main-chain assignment that reaches `plan`'s objective within the gap (one
/// MILP) and records it in [`Plan::tie`]. Nothing to do for a plan that is not optimal, without
/// main chains, or that already names a tie.
pub fn check_tie(
    problem: &ValidProblem,
    plan: &mut Plan,
    options: &SolveOptions,
) -> Result<(), SolveError> {
    let Some(z) = optimum(problem, plan) else {
        return Ok(());
    };
    if plan.tie.is_some() {
        return Ok(());
    }
    let main: Option<Vec<ChainIx>> = main_of(problem, &plan.main_chains).into_iter().collect();
    let Some(main) = main else { return Ok(()) };
    let model_options = ModelOptions {
        exclude: vec![Exclusion { main, differ: 1 }],
        min_objective: Some(z - tolerance(z, options)),
        ..ModelOptions::default()
    };
    let other = solve_plain(problem, &plan.variant, model_options, options)?;
    if other.status.has_plan()
        && let Some(objective) = other.objective
    {
        plan.tie = Some(Tie {
            objective,
            main_chains: differing(plan, &other.main_chains),
            base_preferred: false,
        });
    }
    Ok(())
}

/// How many parks of `main` have the main chain of `base`.
fn agreement(main: &[Option<ChainIx>], base: &[Option<ChainIx>]) -> usize {
    main.iter()
        .zip(base)
        .filter(|(a, b)| a.is_some() && a == b)
        .count()
}

/// Among the plans as good as `plan` (within the gap), the one that keeps most of the main chains
/// `base` (park id → chain id) gives: `plan` itself when it keeps them all or none keeps more, else
/// the best plan of the assignment that does, its [`Plan::tie`] naming `plan`'s assignment.
pub fn prefer_base(
    problem: &ValidProblem,
    plan: Plan,
    base: &IndexMap<String, String>,
    options: &SolveOptions,
) -> Result<Plan, SolveError> {
    let Some(z) = optimum(problem, &plan) else {
        return Ok(plan);
    };
    let floor = z - tolerance(z, options);
    let base_main = main_of(problem, base);
    let first = main_of(problem, &plan.main_chains);
    let kept = agreement(&first, &base_main);
    if kept == base_main.iter().flatten().count() {
        return Ok(plan);
    }
    let reaches = |p: &Plan| p.status == SolveStatus::Optimal && p.objective >= Some(floor);
    let mut chosen: Option<Vec<ChainIx>> = None;
    if let Some(all) = base_main.iter().copied().collect::<Option<Vec<ChainIx>>>() {
        let fixed = fixed_plan(problem, &plan, &all, options)?;
        if reaches(&fixed) {
            return Ok(adopt(fixed, &plan));
        }
    }
    // Only the base's assignment can keep more than all but one park.
    if kept + 1 < base_main.iter().flatten().count() {
        let model_options = ModelOptions {
            min_objective: Some(floor),
            agree_with: Some(base_main.clone()),
            ..ModelOptions::default()
        };
        let agreed = solve_plain(problem, &plan.variant, model_options, options)?;
        if agreed.status.has_plan() {
            let main = main_of(problem, &agreed.main_chains);
            if agreement(&main, &base_main) > kept {
                chosen = main.into_iter().collect();
            }
        }
    }
    if let Some(main) = chosen {
        let fixed = fixed_plan(problem, &plan, &main, options)?;
        if reaches(&fixed) {
            return Ok(adopt(fixed, &plan));
        }
    }
    Ok(plan)
}

/// The plan of `problem` with every park's main chain fixed (an LP), with its shadow prices.
fn fixed_plan(
    problem: &ValidProblem,
    plan: &Plan,
    main: &[ChainIx],
    options: &SolveOptions,
) -> Result<Plan, SolveError> {
    let model_options = ModelOptions {
        fixed_main: main.iter().copied().map(Some).collect(),
        ..ModelOptions::default()
    };
    solve_with(problem, &plan.variant, model_options, options).map(|(p, _)| p)
}

/// `fixed`, the LP of a tied assignment, as the plan of the MILP that `first` solved: its gap, its
/// shadow prices at fixed main chains, and `first` as the tie.
fn adopt(mut fixed: Plan, first: &Plan) -> Plan {
    fixed.gap = first.gap;
    let basis = first.shadow_price_basis;
    if fixed.shadow_price_basis.is_some() {
        fixed.shadow_price_basis = basis;
    }
    for (pp, fp) in fixed.periods.iter_mut().zip(&first.periods) {
        if pp.plan.shadow_price_basis.is_some() {
            pp.plan.shadow_price_basis = fp.plan.shadow_price_basis;
        }
    }
    fixed.tie = Some(Tie {
        objective: first.objective.unwrap_or_default(),
        main_chains: differing(&fixed, &first.main_chains),
        base_preferred: true,
    });
    fixed
}
