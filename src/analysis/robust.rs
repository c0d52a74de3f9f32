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

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Serialize;

use crate::model::joint::{self, JointError};
use crate::model::{Exclusion, ModelOptions};
use crate::plan::{Plan, chosen_main_chains, solve_with};
use crate::problem::format::Measure;
use crate::problem::{ChainIx, Diagnostics, Problem, SourceFile, ValidProblem};
use crate::solver::{SolveError, SolveOptions, SolveStatus, solve};
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
    /// Its own optimum, solved alone.
    pub alone_objective: Option<f64>,
    /// How that solve ended.
    pub alone_status: SolveStatus,
    /// The main chains of its own optimum.
    pub alone_main_chains: IndexMap<String, String>,
    /// Its own optimum less its objective under the robust main chains (≥ 0).
    pub loss: Option<f64>,
    /// Its objective under the mean-value problem's main chains (`null` where infeasible).
    pub mean_value_objective: Option<f64>,
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
    /// RP: the robust objective (expected or worst-case).
    pub objective: Option<f64>,
    /// Relative MIP gap of the joint solve.
    pub gap: Option<f64>,
    /// The robust main chain of each park.
    pub main_chains: IndexMap<String, String>,
    /// Each scenario, in the order given.
    pub scenarios: Vec<ScenarioResult>,
    /// WS: the measure over each scenario's own optimum (expected only).
    pub ws: Option<f64>,
    /// EVPI = WS − RP (expected only).
    pub evpi: Option<f64>,
    /// EEV: the measure under the mean-value main chains; `null` when it is −∞ (see
    /// `eev_infeasible`) or for the worst case.
    pub eev: Option<f64>,
    /// Why EEV is −∞, in words (`the mean-value plan is infeasible in dry-season`).
    pub eev_infeasible: Option<String>,
    /// VSS = RP − EEV; `null` when EEV is −∞ (VSS is then +∞) or for the worst case.
    pub vss: Option<f64>,
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
    let jm = joint::build(&blocks, options.measure)?;
    let solution = solve(&jm.model, &options.solve)?;
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
        gap: solution.gap,
        main_chains: IndexMap::new(),
        scenarios: Vec::new(),
        ws: None,
        evpi: None,
        eev: None,
        eev_infeasible: None,
        vss: None,
        mean_value: None,
        worst_scenario: None,
    };
    if !solution.status.has_plan() {
        return Ok(out);
    }
    let main = chosen_main_chains(&jm.model, &solution).expect("a joint model has main chains");
    drop(jm);
    out.objective = Some(solution.objective);
    out.main_chains = names(&main);

    let expected = options.measure == Measure::Expected;
    let mean = if expected {
        let (plan, m) = solve_with(
            &rp.mean_value,
            "mean-value",
            ModelOptions::default(),
            &options.solve,
        )?;
        Some((plan.status, plan.objective, m))
    } else {
        None
    };
    let mean_main: Option<Vec<ChainIx>> = mean.as_ref().and_then(|(_, _, m)| m.clone());
    let fixed = |m: &[ChainIx]| ModelOptions {
        fixed_main: m.iter().copied().map(Some).collect(),
        exclude: Vec::<Exclusion>::new(),
        ..ModelOptions::default()
    };
    let work = || {
        rp.scenarios
            .par_iter()
            .map(|s| -> Result<ScenarioResult, SolveError> {
                let (plan, _) = solve_with(&s.problem, &s.name, fixed(&main), &options.solve)?;
                let (alone, alone_main) =
                    solve_with(&s.problem, &s.name, ModelOptions::default(), &options.solve)?;
                let (mv_status, mv_obj) = match &mean_main {
                    Some(m) => {
                        let (p, _) = solve_with(&s.problem, &s.name, fixed(m), &options.solve)?;
                        (Some(p.status), p.objective)
                    }
                    None => (None, None),
                };
                let loss = match (alone.objective, plan.objective) {
                    (Some(a), Some(o)) => Some(difference(a, o)),
                    _ => None,
                };
                Ok(ScenarioResult {
                    name: s.name.clone(),
                    probability: s.probability,
                    status: plan.status,
                    objective: plan.objective,
                    alone_objective: alone.objective,
                    alone_status: alone.status,
                    alone_main_chains: alone_main.as_deref().map(names).unwrap_or_default(),
                    loss,
                    mean_value_objective: mv_obj,
                    mean_value_status: mv_status,
                    plan: Some(plan),
                })
            })
            .collect::<Result<Vec<_>, _>>()
    };
    out.scenarios = crate::solver::watch::in_pool(options.jobs, work)?;

    if expected {
        let all_alone = out.scenarios.iter().all(|s| s.alone_objective.is_some());
        if all_alone {
            let ws: f64 = out
                .scenarios
                .iter()
                .map(|s| s.probability * s.alone_objective.unwrap_or(0.0))
                .sum();
            out.ws = Some(ws);
            out.evpi = Some(difference(ws, solution.objective));
        }
        let (status, objective, m) = mean.expect("solved for the expected measure");
        out.mean_value = Some(MeanValue {
            status,
            objective,
            main_chains: m.as_deref().map(names).unwrap_or_default(),
        });
        if !status.has_plan() {
            out.eev_infeasible = Some(format!("the mean-value problem is {status}"));
        } else if let Some(bad) = out
            .scenarios
            .iter()
            .find(|s| s.mean_value_objective.is_none())
        {
            out.eev_infeasible = Some(format!("the mean-value plan is infeasible in {}", bad.name));
        } else {
            let eev: f64 = out
                .scenarios
                .iter()
                .map(|s| s.probability * s.mean_value_objective.unwrap_or(0.0))
                .sum();
            out.eev = Some(eev);
            out.vss = Some(difference(solution.objective, eev));
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
