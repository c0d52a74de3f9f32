//! Robust main chains across scenarios (MODEL.md §10): one main-chain assignment for several
//! scenarios at once, activities and flows adapting in each.
//!
//! The recourse problem (RP) is one MILP ([`crate::model::joint`]). Beside it, from independent
//! solves run side by side: each scenario's objective under the robust main chains (the second
//! stage re-optimised with `y` fixed), each scenario's own optimum (its sum weighted by the
//! probabilities is WS, the wait-and-see value; EVPI = WS − RP), and the main chains of the
//! mean-value problem with each scenario's second stage under them (EEV; VSS = RP − EEV). When
//! those main chains are infeasible in a scenario, or the mean-value problem itself is, EEV is
//! −∞ and VSS +∞, and the report says why. For the worst case the worst scenario and each
//! scenario's loss against its own optimum are reported instead of EVPI and VSS.
//!
//! Solved with a relative gap, RP, WS and EEV are known only between a plan's objective and the
//! bound HiGHS proved, so VSS, EVPI and each loss are intervals (MODEL.md §10):
//! `VSS ∈ [RP_low − EEV_high, RP_high − EEV_low]`, `EVPI ∈ [WS_low − RP_high, WS_high − RP_low]`.
//! Every solve runs at half the gap asked for, so that each interval is at most the gap times the
//! largest of |RP|, |WS| and |EEV| wide: VSS and EVPI are known within the gap, as RP is. The
//! mean-value problem alone is solved to optimality: EEV depends on which main chains it picks,
//! and no bound brackets the EEV of main chains merely near its optimum.

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Serialize;

use crate::model::joint::{self, JointError};
use crate::model::{Exclusion, Formulation, ModelOptions};
use crate::plan::{Plan, chosen_main_chains, solve_with};
use crate::problem::format::Measure;
use crate::problem::{ChainIx, Diagnostics, Problem, SourceFile, ValidProblem};
use crate::solver::{SolveError, SolveOptions, SolveStatus, StopCause, solve};
use crate::variant::{self, Variant, uncertainty};

/// One scenario of a robust problem, validated.
pub struct Scenario {
    /// `base` or the scenario's name.
    pub name: String,
    /// Its probability.
    pub probability: f64,
    /// Its problem.
    pub problem: ValidProblem,
}

/// The scenarios and the mean-value problem of a file.
pub struct RobustProblem {
    /// The scenarios in the order given.
    pub scenarios: Vec<Scenario>,
    /// The mean-value problem: every number that differs among the scenarios replaced by its
    /// probability-weighted mean.
    pub mean_value: ValidProblem,
}

/// Reads the scenarios `pairs` (name, probability) of a file, each validated as a variant, and
/// builds the mean-value problem. `at` names where the pairs come from, for diagnostics.
pub fn load(
    src: &SourceFile,
    base: &Problem,
    pairs: &[(String, f64)],
    at: &str,
) -> Result<RobustProblem, Diagnostics> {
    uncertainty::check(base, pairs, at).map_err(|d| src.diagnostics(d))?;
    let mut variants: Vec<Variant> = Vec::new();
    let mut scenarios = Vec::new();
    for (name, probability) in pairs {
        let v = variant::find(&src.document, base, name).map_err(|d| src.diagnostics(vec![d]))?;
        let problem = src.validate_variant(&v)?;
        scenarios.push(Scenario {
            name: name.clone(),
            probability: *probability,
            problem,
        });
        variants.push(v);
    }
    let base_doc = variant::base(&src.document, base).document;
    let docs: Vec<&serde_yaml::Value> = variants.iter().map(|v| &v.document).collect();
    let weights: Vec<f64> = pairs.iter().map(|(_, p)| *p).collect();
    let mean = Variant {
        name: "mean-value".into(),
        description: None,
        document: uncertainty::mean_document(&base_doc, &docs, &weights),
        expected: None,
        origins: Vec::new(),
    };
    let mean_value = src.validate_variant(&mean)?;
    Ok(RobustProblem {
        scenarios,
        mean_value,
    })
}

/// Settings of a robust solve.
#[derive(Debug, Clone)]
pub struct RobustOptions {
    /// Expected or worst case.
    pub measure: Measure,
    /// Solver settings for every solve.
    pub solve: SolveOptions,
    /// Solves run side by side (0 = one per core).
    pub jobs: usize,
}

/// Why a robust analysis cannot run.
#[derive(Debug, thiserror::Error)]
pub enum RobustError {
    /// The scenarios cannot share main chains.
    #[error(transparent)]
    Joint(#[from] JointError),
    /// The solver failed.
    #[error(transparent)]
    Solve(#[from] SolveError),
}

/// One scenario's figures.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    /// `base` or the scenario's name.
    pub name: String,
    /// Its probability.
    pub probability: f64,
    /// How its second stage under the robust main chains solved.
    pub status: SolveStatus,
    /// Its objective under the robust main chains.
    pub objective: Option<f64>,
    /// The most its objective under the robust main chains can be (the solve's proven bound;
    /// `objective` when solved exactly, `null` when not known).
    pub objective_bound: Option<f64>,
    /// Its own optimum, solved alone.
    pub alone_objective: Option<f64>,
    /// The most its own optimum can be (`null` when not known).
    pub alone_bound: Option<f64>,
    /// How that solve ended.
    pub alone_status: SolveStatus,
    /// The main chains of its own optimum.
    pub alone_main_chains: IndexMap<String, String>,
    /// Its own optimum less its objective under the robust main chains, from the plans found
    /// (at least 0: the exact loss is never negative).
    pub loss: Option<f64>,
    /// The least the exact loss can be given the solves' bounds (may be below 0 when solved with
    /// a gap; the exact loss is ≥ 0).
    pub loss_low: Option<f64>,
    /// The most the exact loss can be (`null` when a bound is not known).
    pub loss_high: Option<f64>,
    /// Its objective under the mean-value problem's main chains (`null` where infeasible).
    pub mean_value_objective: Option<f64>,
    /// The most that objective can be (`null` when not known or infeasible).
    pub mean_value_bound: Option<f64>,
    /// How that solve ended.
    pub mean_value_status: Option<SolveStatus>,
    /// Its whole plan under the robust main chains.
    pub plan: Option<Plan>,
}

/// The mean-value problem's solve.
#[derive(Debug, Clone, Serialize)]
pub struct MeanValue {
    /// How it solved.
    pub status: SolveStatus,
    /// Its objective.
    pub objective: Option<f64>,
    /// The most its objective can be (`null` when not known).
    pub objective_bound: Option<f64>,
    /// Its main chains.
    pub main_chains: IndexMap<String, String>,
}

/// The robust plan and its measures.
#[derive(Debug, Clone, Serialize)]
pub struct Robust {
    /// The problem's name.
    pub problem: Option<String>,
    /// Expected or worst case.
    pub measure: Measure,
    /// How the joint MILP ended.
    pub status: SolveStatus,
    /// RP: the robust objective (expected or worst-case) of the plan found.
    pub objective: Option<f64>,
    /// The most the exact RP can be: the joint solve's proven bound (`null` when not known).
    pub objective_bound: Option<f64>,
    /// Relative MIP gap of the joint solve.
    pub gap: Option<f64>,
    /// What stopped the joint solve short (`time_limit`, `sigint`, `sigterm`, `request`), when
    /// something did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<StopCause>,
    /// The relative gap every solve was run with: half the gap asked for, so that VSS and EVPI
    /// are known within it.
    pub solve_gap: f64,
    /// The robust main chain of each park.
    pub main_chains: IndexMap<String, String>,
    /// Each scenario, in the order given.
    pub scenarios: Vec<ScenarioResult>,
    /// WS: the measure over each scenario's own optimum (expected only).
    pub ws: Option<f64>,
    /// The most the exact WS can be (`null` when not known).
    pub ws_bound: Option<f64>,
    /// EVPI = WS − RP from the plans found (expected only); at least 0, as the exact EVPI is.
    pub evpi: Option<f64>,
    /// The least the exact EVPI can be, `WS_low − RP_high` (below 0 only within the gap).
    pub evpi_low: Option<f64>,
    /// The most the exact EVPI can be, `WS_high − RP_low` (`null` when a bound is not known).
    pub evpi_high: Option<f64>,
    /// EEV: the measure under the mean-value main chains; `null` when it is −∞ (see
    /// `eev_infeasible`) or for the worst case.
    pub eev: Option<f64>,
    /// The most the exact EEV can be (`null` when not known).
    pub eev_bound: Option<f64>,
    /// Why EEV is −∞, in words (`the mean-value plan is infeasible in dry-season`).
    pub eev_infeasible: Option<String>,
    /// VSS = RP − EEV from the plans found, at least 0 as the exact VSS is; `null` when EEV is −∞
    /// (VSS is then +∞) or for the worst case.
    pub vss: Option<f64>,
    /// The least the exact VSS can be, `RP_low − EEV_high` (below 0 only within the gap).
    pub vss_low: Option<f64>,
    /// The most the exact VSS can be, `RP_high − EEV_low` (`null` when a bound is not known).
    pub vss_high: Option<f64>,
    /// The mean-value problem's solve (expected only).
    pub mean_value: Option<MeanValue>,
    /// The scenario whose objective under the robust main chains is lowest (worst case only).
    pub worst_scenario: Option<String>,
}

impl Robust {
    /// VSS is +∞: the mean-value main chains fail in some scenario.
    pub fn vss_infinite(&self) -> bool {
        self.eev_infeasible.is_some()
    }
}

/// Solves the robust problem and the independent solves beside it.
pub fn robust(rp: &RobustProblem, options: &RobustOptions) -> Result<Robust, RobustError> {
    let blocks: Vec<(&str, f64, &ValidProblem)> = rp
        .scenarios
        .iter()
        .map(|s| (s.name.as_str(), s.probability, &s.problem))
        .collect();
    // The joint model's main chains are the first scenario's, shared by every block. Half the
    // gap for every solve: VSS and EVPI each combine two of RP, WS and EEV.
    let solve_options = SolveOptions {
        mip_rel_gap: options.solve.mip_rel_gap / 2.0,
        ..options.solve
    }
    .started_now();
    let piece = solve_options;
    let columns = crate::plan::main_columns(&rp.scenarios[0].problem, &ModelOptions::default());
    let formulation = if crate::plan::wants_method(columns, solve_options.mip_start) {
        Formulation::Hull
    } else {
        Formulation::BigM
    };
    let jm = joint::build(&blocks, options.measure, formulation)?;
    let solution = crate::plan::solve_milp(&jm.model, &solve_options, || {
        solve(&jm.model, &solve_options)
    })?;
    let first = rp.scenarios[0].problem.problem();
    let names = |main: &[ChainIx]| -> IndexMap<String, String> {
        first
            .park_ixs()
            .zip(main)
            .map(|(pi, &c)| (first.park_id(pi).to_string(), first.chain_id(c).to_string()))
            .collect()
    };
    let mut out = Robust {
        problem: first.name.clone(),
        measure: options.measure,
        status: solution.status,
        objective: None,
        objective_bound: None,
        gap: solution.gap,
        stopped_by: crate::plan::stop_cause_of(solution.status),
        solve_gap: piece.mip_rel_gap,
        main_chains: IndexMap::new(),
        scenarios: Vec::new(),
        ws: None,
        ws_bound: None,
        evpi: None,
        evpi_low: None,
        evpi_high: None,
        eev: None,
        eev_bound: None,
        eev_infeasible: None,
        vss: None,
        vss_low: None,
        vss_high: None,
        mean_value: None,
        worst_scenario: None,
    };
    if !solution.status.has_plan() {
        return Ok(out);
    }
    let main = chosen_main_chains(&jm.model, &solution).expect("a joint model has main chains");
    drop(jm);
    out.objective = Some(solution.objective);
    out.objective_bound = upper_bound(solution.status, Some(solution.objective), solution.gap);
    out.main_chains = names(&main);
    // With the limit spent (the joint solve stopped by it, or past it) or a stop asked for, the
    // solves beside the joint one would each still build a model of a whole scenario before
    // stopping at once, which at nation scale takes as long as a solve, and give no figure: the
    // answer is the joint plan alone, and it says what stopped it.
    let spent = crate::plan::stop_cause_of(solution.status).is_some()
        || solve_options
            .deadline
            .is_some_and(|d| std::time::Instant::now() >= d);
    if spent || crate::solver::watch::interrupted() || crate::solver::watch::cancelled() {
        if out.stopped_by.is_none() {
            out.stopped_by = crate::plan::stop_cause_of(SolveStatus::TimeLimit);
        }
        return Ok(out);
    }

    let expected = options.measure == Measure::Expected;
    let mean = if expected {
        // EEV is defined by the mean-value problem's optimal main chains, and a plan within a
        // gap of that optimum may have other main chains whose EEV lies anywhere: no bound
        // brackets it. The mean-value problem is therefore solved to optimality (one problem of
        // one scenario's size); only the time limit can cut it short, and the report says so.
        let exact = SolveOptions {
            mip_rel_gap: 0.0,
            ..piece
        };
        let (plan, m) = solve_with(
            &rp.mean_value,
            "mean-value",
            ModelOptions::default(),
            &exact,
        )?;
        Some((plan.status, plan.objective, bound_of(&plan), m))
    } else {
        None
    };
    let mean_main: Option<Vec<ChainIx>> = mean.as_ref().and_then(|(_, _, _, m)| m.clone());
    let fixed = |m: &[ChainIx]| ModelOptions {
        fixed_main: m.iter().copied().map(Some).collect(),
        exclude: Vec::<Exclusion>::new(),
        ..ModelOptions::default()
    };
    let work = || {
        rp.scenarios
            .par_iter()
            .map(|s| -> Result<ScenarioResult, SolveError> {
                let (plan, _) = solve_with(&s.problem, &s.name, fixed(&main), &piece)?;
                let (alone, alone_main) =
                    solve_with(&s.problem, &s.name, ModelOptions::default(), &piece)?;
                let (mv_status, mv_obj, mv_bound) = match &mean_main {
                    Some(m) => {
                        let (p, _) = solve_with(&s.problem, &s.name, fixed(m), &piece)?;
                        (Some(p.status), p.objective, bound_of(&p))
                    }
                    None => (None, None, None),
                };
                let objective_bound = bound_of(&plan);
                let alone_bound = bound_of(&alone);
                let (loss, loss_low, loss_high) = match (alone.objective, plan.objective) {
                    (Some(a), Some(o)) => {
                        let low = objective_bound.map(|ob| difference(a, ob));
                        let high = alone_bound.map(|ab| difference(ab, o));
                        (Some(difference(a, o).max(0.0)), low, high)
                    }
                    _ => (None, None, None),
                };
                Ok(ScenarioResult {
                    name: s.name.clone(),
                    probability: s.probability,
                    status: plan.status,
                    objective: plan.objective,
                    objective_bound,
                    alone_objective: alone.objective,
                    alone_bound,
                    alone_status: alone.status,
                    alone_main_chains: alone_main.as_deref().map(names).unwrap_or_default(),
                    loss,
                    loss_low,
                    loss_high,
                    mean_value_objective: mv_obj,
                    mean_value_bound: mv_bound,
                    mean_value_status: mv_status,
                    plan: Some(plan),
                })
            })
            .collect::<Result<Vec<_>, _>>()
    };
    out.scenarios = crate::solver::watch::in_pool(options.jobs, work)?;

    // The scenarios' second stages under the robust main chains are one feasible first stage's
    // value: a lower end of the exact RP that may be better than the joint solve's own plan.
    if let Some(under) = weighed(&out.scenarios, options.measure, |s| s.objective) {
        out.objective = Some(solution.objective.max(under));
    }
    let rp_low = out.objective.unwrap_or(solution.objective);
    let rp_high = out.objective_bound.map(|h| h.max(rp_low));
    out.objective_bound = rp_high;
    if expected {
        if let Some(ws) = weighed(&out.scenarios, options.measure, |s| s.alone_objective) {
            let ws_bound = weighed(&out.scenarios, options.measure, |s| s.alone_bound);
            out.ws = Some(ws);
            out.ws_bound = ws_bound;
            out.evpi = Some(difference(ws, rp_low).max(0.0));
            out.evpi_low = rp_high.map(|h| difference(ws, h));
            out.evpi_high = ws_bound.map(|h| difference(h, rp_low));
        }
        let (status, objective, objective_bound, m) =
            mean.expect("solved for the expected measure");
        out.mean_value = Some(MeanValue {
            status,
            objective,
            objective_bound,
            main_chains: m.as_deref().map(names).unwrap_or_default(),
        });
        // A solve stopped before it found a plan leaves EEV unknown (no figure), not −∞: only
        // a proven infeasibility makes it −∞.
        let stopped =
            |s: SolveStatus| matches!(s, SolveStatus::NoSolution | SolveStatus::TimeLimit);
        if !status.has_plan() {
            if !stopped(status) {
                out.eev_infeasible = Some(format!("the mean-value problem is {status}"));
            }
        } else if let Some(bad) = out.scenarios.iter().find(|s| {
            s.mean_value_objective.is_none() && s.mean_value_status == Some(SolveStatus::Infeasible)
        }) {
            out.eev_infeasible = Some(format!("the mean-value plan is infeasible in {}", bad.name));
        } else if out
            .scenarios
            .iter()
            .any(|s| s.mean_value_objective.is_none())
        {
            // Stopped in some scenario before a plan under the mean-value main chains: unknown.
        } else {
            let eev = weighed(&out.scenarios, options.measure, |s| s.mean_value_objective)
                .expect("every scenario has an objective under the mean-value main chains");
            let eev_bound = weighed(&out.scenarios, options.measure, |s| s.mean_value_bound);
            out.eev = Some(eev);
            out.eev_bound = eev_bound;
            out.vss = Some(difference(rp_low, eev).max(0.0));
            // Main chains of a mean-value plan not proven optimal give an EEV no bound brackets.
            if status == SolveStatus::Optimal {
                out.vss_low = eev_bound.map(|h| difference(rp_low, h));
                out.vss_high = rp_high.map(|h| difference(h, eev));
            }
        }
    } else {
        out.worst_scenario = out
            .scenarios
            .iter()
            .filter_map(|s| s.objective.map(|o| (o, &s.name)))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, n)| n.clone());
    }
    Ok(out)
}

/// The measure of one figure over the scenarios: the probability-weighted sum (expected) or the
/// least (worst case); `None` when some scenario lacks it.
fn weighed(
    scenarios: &[ScenarioResult],
    measure: Measure,
    figure: impl Fn(&ScenarioResult) -> Option<f64>,
) -> Option<f64> {
    if scenarios.is_empty() {
        return None;
    }
    let values: Option<Vec<(f64, f64)>> = scenarios
        .iter()
        .map(|s| figure(s).map(|v| (s.probability, v)))
        .collect();
    let values = values?;
    Some(match measure {
        Measure::Expected => values.iter().map(|(p, v)| p * v).sum(),
        Measure::WorstCase => values.iter().map(|(_, v)| *v).fold(f64::INFINITY, f64::min),
    })
}

/// The most a solve's exact optimum can be, from the plan's objective and its relative gap:
/// HiGHS's gap is `(bound − objective) / |objective|`, so the bound is
/// `objective + gap · |objective|`. A plan proven optimal without a gap (an LP) is exact; a plan
/// stopped with no bound yet, or no plan, has no known bound.
pub fn upper_bound(status: SolveStatus, objective: Option<f64>, gap: Option<f64>) -> Option<f64> {
    let objective = objective.filter(|o| o.is_finite())?;
    match (status, gap.filter(|g| g.is_finite())) {
        (SolveStatus::Optimal, None) => Some(objective),
        (SolveStatus::Optimal | SolveStatus::TimeLimit, Some(g)) => {
            Some(objective + g.max(0.0) * objective.abs())
        }
        _ => None,
    }
}

fn bound_of(plan: &Plan) -> Option<f64> {
    upper_bound(plan.status, plan.objective, plan.gap)
}

/// `a − b` for two optima that should satisfy `a ≥ b`, with differences within the solver's
/// rounding (relative 1e-9) read as 0: a loss, EVPI or VSS of 3e-14 is no loss, and printing it
/// as `0.000` beside exact zeros would only depend on which equally good vertex HiGHS ends on.
fn difference(a: f64, b: f64) -> f64 {
    let d = a - b;
    if d.abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0) {
        0.0
    } else {
        d
    }
}
