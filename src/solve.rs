//! Solving a [`Model`] with HiGHS: the one module that knows the solver.
//!
//! The model is handed to HiGHS through good_lp, then driven with the `highs` crate directly so
//! that the full status (infeasible vs unbounded, time limit with or without an incumbent), the MIP
//! gap and the row duals are all available. Every solve runs HiGHS with `threads = 1`: HiGHS keeps a
//! process-wide scheduler, mixing thread counts within one process makes it fail, and parallelism
//! comes from solving variants side by side instead.

use good_lp::{SolverModel, solvers::highs::highs};
use highs::HighsModelStatus;
use serde::{Deserialize, Serialize};

use crate::model::Model;

/// Solver settings.
#[derive(Debug, Clone, Copy)]
pub struct SolveOptions {
    /// Relative MIP gap at which HiGHS may stop and call the plan optimal.
    pub mip_rel_gap: f64,
    /// Wall-clock limit in seconds for one solve.
    pub time_limit: Option<f64>,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            mip_rel_gap: 1e-6,
            time_limit: None,
        }
    }
}

/// How a solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    /// Proven optimal (within the relative MIP gap; the gap is reported).
    Optimal,
    /// Stopped by the time limit with a feasible plan; the gap says how far from optimal it may be.
    TimeLimit,
    /// Stopped by the time limit before any feasible plan was found.
    NoSolution,
    /// No plan satisfies every constraint.
    Infeasible,
    /// The objective can grow without limit: some chain is missing a bound.
    Unbounded,
}

impl SolveStatus {
    /// Whether a plan comes with this status.
    pub fn has_plan(self) -> bool {
        matches!(self, SolveStatus::Optimal | SolveStatus::TimeLimit)
    }

    /// The status as written in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SolveStatus::Optimal => "optimal",
            SolveStatus::TimeLimit => "time_limit",
            SolveStatus::NoSolution => "no_solution",
            SolveStatus::Infeasible => "infeasible",
            SolveStatus::Unbounded => "unbounded",
        }
    }
}

impl std::fmt::Display for SolveStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failure of the solver itself (not of the problem).
#[derive(Debug, thiserror::Error)]
#[error("HiGHS failed: {0}")]
pub struct SolveError(pub String);

/// The raw result of a solve, indexed like the model's columns and rows.
#[derive(Debug, Clone)]
pub struct Solution {
    /// How the solve ended.
    pub status: SolveStatus,
    /// The objective value (meaningful when a plan exists).
    pub objective: f64,
    /// Relative MIP gap, for a MILP with a plan.
    pub gap: Option<f64>,
    /// Column values.
    pub columns: Vec<f64>,
    /// Row activities.
    pub rows: Vec<f64>,
    /// Row duals: the change in the objective per unit increase of each row's bound. Only
    /// meaningful for an LP.
    pub duals: Vec<f64>,
    /// Whether the model had integer variables.
    pub is_mip: bool,
}

/// Solves a model.
pub fn solve(model: &Model, options: &SolveOptions) -> Result<Solution, SolveError> {
    let solved = run(model, options, false)?;
    match solved.status {
        // HiGHS's presolve may not tell the two apart; without presolve it does.
        None => run(model, options, true).map(|s| Solution {
            status: s.status.unwrap_or(SolveStatus::Infeasible),
            ..s.solution
        }),
        Some(status) => Ok(Solution {
            status,
            ..solved.solution
        }),
    }
}

/// The model as HiGHS holds it: columns in [`Model::col_names`] order, rows in [`Model::rows`]
/// order, maximising. [`crate::export`] writes it out.
pub(crate) fn highs_model(model: &Model) -> Result<highs::Model, SolveError> {
    let mut problem = model
        .vars
        .clone()
        .maximise(model.objective.clone())
        .using(highs);
    for row in &model.rows {
        problem.add_constraint(row.constraint.clone());
    }
    problem
        .try_into_inner()
        .map_err(|e| SolveError(e.to_string()))
}

struct Run {
    status: Option<SolveStatus>,
    solution: Solution,
}

fn run(model: &Model, options: &SolveOptions, no_presolve: bool) -> Result<Run, SolveError> {
    let is_mip = !model.options.relax && model.y.iter().flatten().any(Option::is_some);
    let mut hm = highs_model(model)?;
    let set = |hm: &mut highs::Model, k: &str, v: HighsValue| {
        let r = match v {
            HighsValue::Int(i) => hm.try_set_option(k, i),
            HighsValue::Float(f) => hm.try_set_option(k, f),
            HighsValue::Str(s) => hm.try_set_option(k, s),
        };
        r.map_err(|_| SolveError(format!("cannot set option {k}")))
    };
    set(&mut hm, "threads", HighsValue::Int(1))?;
    set(
        &mut hm,
        "mip_rel_gap",
        HighsValue::Float(options.mip_rel_gap),
    )?;
    if let Some(t) = options.time_limit {
        set(&mut hm, "time_limit", HighsValue::Float(t))?;
    }
    if no_presolve {
        set(&mut hm, "presolve", HighsValue::Str("off"))?;
    }
    let solved = hm.try_solve().map_err(|e| SolveError(format!("{e:?}")))?;
    let has_primal = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    let status = match solved.status() {
        HighsModelStatus::Optimal => Some(SolveStatus::Optimal),
        HighsModelStatus::Infeasible => Some(SolveStatus::Infeasible),
        HighsModelStatus::Unbounded => Some(SolveStatus::Unbounded),
        HighsModelStatus::UnboundedOrInfeasible if no_presolve => Some(SolveStatus::Infeasible),
        HighsModelStatus::UnboundedOrInfeasible => None,
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt => Some(if has_primal {
            SolveStatus::TimeLimit
        } else {
            SolveStatus::NoSolution
        }),
        HighsModelStatus::ModelEmpty => Some(SolveStatus::Optimal),
        other => return Err(SolveError(format!("unexpected model status {other:?}"))),
    };
    let sol = solved.get_solution();
    // HiGHS reports an infinite gap when it has no bound yet: the gap is then unknown, not 0.
    let gap = if is_mip && has_primal {
        let g = solved.mip_gap();
        g.is_finite().then(|| g.max(0.0))
    } else {
        None
    };
    Ok(Run {
        status,
        solution: Solution {
            status: status.unwrap_or(SolveStatus::Infeasible),
            objective: if has_primal {
                solved.objective_value()
            } else {
                f64::NAN
            },
            gap,
            columns: sol.columns().to_vec(),
            rows: sol.rows().to_vec(),
            duals: sol.dual_rows().to_vec(),
            is_mip,
        },
    })
}

enum HighsValue {
    Int(i32),
    Float(f64),
    Str(&'static str),
}
