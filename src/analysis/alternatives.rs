//! Near-optimal alternatives (MODEL.md §11): a ranked list of main-chain assignments, each the
//! optimum of the MILP with one no-good cut per earlier plan.
//!
//! Plan 1 is the optimum. Plan k is the best plan whose main chains differ from each of plans
//! 1…k−1 in at least `differ` parks, found by adding `Σ_p y[p, main_j(p)] ≤ |P| − differ` for every
//! earlier plan j ([`crate::model::Exclusion`]). The list stops at `count` plans, before the
//! first plan more than `within · |optimum|` below the optimum, or when the cuts leave no plan.
//!
//! Solved with a gap, plan k's objective is known only between its own value and the bound its
//! solve proved (no assignment still allowed does better), so plan k is ranked above plan k+1
//! only when its objective is at least plan k+1's bound; otherwise the two are a tie within the
//! gap, and each loss is an interval.

use indexmap::IndexMap;
use serde::Serialize;

use crate::model::{Exclusion, ModelOptions};
use crate::plan::{Plan, solve_with};
use crate::problem::{ChainIx, ValidProblem};
use crate::solver::{SolveError, SolveOptions, SolveStatus, StopCause};

/// What to look for.
#[derive(Debug, Clone)]
pub struct AlternativesOptions {
    /// At most this many plans, the optimum included.
    pub count: usize,
    /// Keep only plans at most this fraction of |optimum| below the optimum (`None`: no limit).
    pub within: Option<f64>,
    /// Each plan differs from every earlier one in at least this many parks' main chains.
    pub differ: usize,
    /// Solver settings for each MILP.
    pub solve: SolveOptions,
}

/// Why an analysis of alternatives cannot run.
#[derive(Debug, thiserror::Error)]
pub enum AlternativesError {
    /// The one-main-chain rule is off: plans have no main chains to differ in.
    #[error(
        "the one-main-chain rule is off in this problem, so plans have no main chains to tell alternatives apart; turn on `rules.one_main_chain` to rank main-chain assignments"
    )]
    RuleOff,
    /// `differ` is 0 or more than the number of parks.
    #[error("--differ must be between 1 and the number of parks ({parks}), not {differ}")]
    Differ {
        /// What was asked.
        differ: usize,
        /// How many parks there are.
        parks: usize,
    },
    /// The solver failed.
    #[error(transparent)]
    Solve(#[from] SolveError),
}

/// Why the list ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    /// `count` plans were found.
    Count,
    /// The next plan is more than `within` below the optimum.
    Within,
    /// No further plan exists (the MILP with the cuts is infeasible).
    Exhausted,
    /// A solve ended without an optimal plan (time limit, unbounded, infeasible problem).
    Status(SolveStatus),
}

/// One plan of the list.
#[derive(Debug, Clone, Serialize)]
pub struct Alternative {
    /// 1 for the optimum.
    pub rank: usize,
    /// The plan's objective.
    pub objective: f64,
    /// The most any assignment not ranked above could reach: its solve's proven bound (the
    /// objective when solved exactly; `null` when not known).
    pub objective_bound: Option<f64>,
    /// Whether the bounds fail to order this plan after the one above it: the plan above's
    /// objective is below this plan's bound (or equal to it), so the two tie within the gap.
    pub tie_with_previous: bool,
    /// How much less than the optimum, from the plans found (≥ 0).
    pub loss: f64,
    /// The least the exact loss can be: plan 1's objective less this plan's bound, at least 0.
    pub loss_low: Option<f64>,
    /// The most the exact loss can be: plan 1's bound less this plan's objective.
    pub loss_high: Option<f64>,
    /// `loss` as a percentage of |optimum| (`null` when the optimum is 0).
    pub loss_percent: Option<f64>,
    /// Each park's main chain.
    pub main_chains: IndexMap<String, String>,
    /// The parks whose main chain differs from plan 1's.
    pub differs_from_first: Vec<String>,
    /// The whole plan, as `solve` writes it.
    #[serde(skip)]
    pub plan: Plan,
}

/// The ranked list.
#[derive(Debug, Clone, Serialize)]
pub struct Alternatives {
    /// The problem's name.
    pub problem: Option<String>,
    /// The variant solved.
    pub variant: String,
    /// The number of plans asked for.
    pub count: usize,
    /// The `within` fraction asked for.
    pub within: Option<f64>,
    /// The `differ` asked for.
    pub differ: usize,
    /// Why the list ended.
    pub stop: Stop,
    /// What stopped the search short (`time_limit`, `sigint`, `sigterm`, `request`) when a solve
    /// ended without proving its plan (`stop` a status): the plans above were all found before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<StopCause>,
    /// The plans, best first.
    pub plans: Vec<Alternative>,
}

/// Ranks main-chain assignments of `problem`.
pub fn alternatives(
    problem: &ValidProblem,
    variant: &str,
    options: &AlternativesOptions,
) -> Result<Alternatives, AlternativesError> {
    if problem.rule().is_none() {
        return Err(AlternativesError::RuleOff);
    }
    let p = problem.problem();
    let parks = p.parks.len();
    if options.differ == 0 || options.differ > parks {
        return Err(AlternativesError::Differ {
            differ: options.differ,
            parks,
        });
    }
    let names = |main: &[ChainIx]| -> IndexMap<String, String> {
        p.park_ixs()
            .zip(main)
            .map(|(pi, &c)| (p.park_id(pi).to_string(), p.chain_id(c).to_string()))
            .collect()
    };
    let mut exclude: Vec<Exclusion> = Vec::new();
    let mut plans: Vec<Alternative> = Vec::new();
    let mut first: Option<(f64, Vec<ChainIx>)> = None;
    let mut stop = Stop::Count;
    let mut stopped_by = None;
    while plans.len() < options.count {
        let model_options = ModelOptions {
            exclude: exclude.clone(),
            ..ModelOptions::default()
        };
        let (plan, main) = solve_with(problem, variant, model_options, &options.solve)?;
        let (objective, main) = match (plan.status, plan.objective, main) {
            (SolveStatus::Optimal, Some(obj), Some(main)) => (obj, main),
            (SolveStatus::Infeasible, ..) if first.is_some() => {
                stop = Stop::Exhausted;
                break;
            }
            (status, ..) => {
                stop = Stop::Status(status);
                stopped_by = plan.stopped_by;
                break;
            }
        };
        let bound = crate::analysis::robust::upper_bound(plan.status, plan.objective, plan.gap);
        let (best, best_main) = first.get_or_insert_with(|| (objective, main.clone()));
        let loss = (*best - objective).max(0.0);
        let best_bound = plans
            .first()
            .map_or(bound, |a: &Alternative| a.objective_bound);
        let tol = 1e-9 * best.abs().max(1.0);
        // Ranked below the plan above only when that plan is proven better than anything left:
        // its objective above this solve's bound. Equal objectives are a tie too.
        let tie_with_previous = match (plans.last(), bound) {
            (None, _) => false,
            (Some(above), Some(b)) => above.objective <= b + tol,
            (Some(_), None) => true,
        };
        let loss_low = bound.map(|b| (*best - b).max(0.0));
        let loss_high = best_bound.map(|bb| (bb - objective).max(0.0));
        if let Some(f) = options.within
            && loss > f * best.abs() + 1e-9 * best.abs().max(1.0)
        {
            stop = Stop::Within;
            break;
        }
        let differs_from_first = p
            .park_ixs()
            .filter(|pi| main[pi.0] != best_main[pi.0])
            .map(|pi| p.park_id(pi).to_string())
            .collect();
        plans.push(Alternative {
            rank: plans.len() + 1,
            objective,
            objective_bound: bound,
            tie_with_previous,
            loss,
            loss_low,
            loss_high,
            loss_percent: (*best != 0.0).then(|| 100.0 * loss / best.abs()),
            main_chains: names(&main),
            differs_from_first,
            plan,
        });
        exclude.push(Exclusion {
            main,
            differ: options.differ,
        });
    }
    Ok(Alternatives {
        problem: p.name.clone(),
        variant: variant.to_string(),
        count: options.count,
        within: options.within,
        differ: options.differ,
        stop,
        stopped_by,
        plans,
    })
}
