//! Solving a [`Model`] with HiGHS: the one module that knows the solver.
//!
//! The model is handed to HiGHS through good_lp, then driven with the `highs` crate directly so
//! that the full status (infeasible vs unbounded, time limit with or without an incumbent), the MIP
//! gap and the row duals are all available. Every solve runs HiGHS with `threads = 1`: HiGHS keeps a
//! process-wide scheduler, mixing thread counts within one process makes it fail, and parallelism
//! comes from solving variants side by side instead.

pub mod decompose;
pub mod files;
pub mod status;
pub mod watch;

pub use status::{SolveStatus, StopCause, VariantStatus};

use std::time::{Duration, Instant};

use good_lp::{SolverModel, solvers::highs::highs};
use highs::HighsModelStatus;

use crate::model::Model;
use crate::util::timings::{self, Step};

/// Solver settings.
#[derive(Debug, Clone, Copy)]
pub struct SolveOptions {
    /// Relative MIP gap at which HiGHS may stop and call the plan optimal.
    pub mip_rel_gap: f64,
    /// Wall-clock limit in seconds for the work on one variant: building its model, solving it,
    /// and the shadow prices' re-solve, counted from [`SolveOptions::started_now`].
    pub time_limit: Option<f64>,
    /// When the time limit runs out; set by [`SolveOptions::started_now`]. Every solve gets only
    /// what is left of it.
    pub deadline: Option<Instant>,
    /// When a MILP starts from a plan found fast (`crate::plan::solve_milp`).
    pub mip_start: StartMode,
}

/// When a MILP is started from a plan found fast: [`StartMode::Auto`] for MILPs of at least
/// `crate::plan::AUTO_BINARIES` main-chain columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StartMode {
    /// For large MILPs only.
    #[default]
    Auto,
    /// Always.
    On,
    /// Never.
    Off,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            mip_rel_gap: 1e-6,
            time_limit: None,
            deadline: None,
            mip_start: StartMode::Auto,
        }
    }
}

impl SolveOptions {
    /// Starts the clock of the time limit now, unless it has already been started: every solve
    /// made with the result shares one deadline.
    pub fn started_now(self) -> SolveOptions {
        match (self.time_limit, self.deadline) {
            (Some(t), None) => SolveOptions {
                deadline: Some(Instant::now() + Duration::from_secs_f64(t)),
                ..self
            },
            _ => self,
        }
    }

    /// The seconds a solve may still take: the time limit, less what the run has used of it.
    /// `Some(0.0)` when the deadline has passed.
    pub fn remaining(&self) -> Option<f64> {
        match self.deadline {
            Some(d) => Some(d.saturating_duration_since(Instant::now()).as_secs_f64()),
            None => self.time_limit,
        }
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
    /// The best bound HiGHS proved on the objective, for a MILP that has one (the objective of
    /// no plan exceeds it).
    pub bound: Option<f64>,
    /// Column values.
    pub columns: Vec<f64>,
    /// Row activities.
    pub rows: Vec<f64>,
    /// Row duals: the change in the objective per unit increase of each row's bound. Only
    /// meaningful for an LP.
    pub duals: Vec<f64>,
    /// Whether the model had integer variables.
    pub is_mip: bool,
    /// For an LP solved to optimality with [`solve_ranged`]: each row's bound range, the lowest
    /// and highest values its bound may take with the optimal basis unchanged, so that its dual
    /// holds (HiGHS's ranging). Empty otherwise.
    pub ranges: Vec<(f64, f64)>,
}

/// Solves a model.
pub fn solve(model: &Model, options: &SolveOptions) -> Result<Solution, SolveError> {
    solve_as(model, options, false)
}

/// Solves a model and, when it is an LP solved to optimality, ranges every row's bound
/// ([`Solution::ranges`]): over what values of a limit its shadow price holds.
pub fn solve_ranged(model: &Model, options: &SolveOptions) -> Result<Solution, SolveError> {
    solve_as(model, options, true)
}

/// Solves a MILP from a feasible starting plan (`start`: one value per column, in the model's
/// column order), as [`solve_ranged`] otherwise. HiGHS checks the start and ignores one that is
/// not feasible.
pub fn solve_from(
    model: &Model,
    options: &SolveOptions,
    start: &[f64],
) -> Result<Solution, SolveError> {
    solve_start(model, options, true, Some(start))
}

/// Solves a MILP with some columns fixed (`fixed`: column index and value), the rest as in
/// [`solve`]: with every integer column fixed, an LP whose plan is one of the MILP's, read in the
/// MILP's own columns and rows.
pub fn solve_fixed(
    model: &Model,
    options: &SolveOptions,
    fixed: &[(usize, f64)],
) -> Result<Solution, SolveError> {
    let how = How {
        fixed,
        ..How::default()
    };
    solve_how(model, options, &how)
}

/// Solves an LP with HiGHS's interior-point method (and its crossover to a vertex): on the large,
/// degenerate relaxations of the hull formulation several times faster than the dual simplex.
pub fn solve_barrier(model: &Model, options: &SolveOptions) -> Result<Solution, SolveError> {
    let how = How {
        barrier: true,
        ..How::default()
    };
    solve_how(model, options, &how)
}

fn solve_as(model: &Model, options: &SolveOptions, ranging: bool) -> Result<Solution, SolveError> {
    solve_start(model, options, ranging, None)
}

/// What a solve does beyond solving: ranging, a starting plan, columns fixed.
#[derive(Clone, Copy, Default)]
struct How<'a> {
    ranging: bool,
    start: Option<&'a [f64]>,
    fixed: &'a [(usize, f64)],
    barrier: bool,
}

fn solve_start(
    model: &Model,
    options: &SolveOptions,
    ranging: bool,
    start: Option<&[f64]>,
) -> Result<Solution, SolveError> {
    let how = How {
        ranging,
        start,
        ..How::default()
    };
    solve_how(model, options, &how)
}

fn solve_how(model: &Model, options: &SolveOptions, how: &How) -> Result<Solution, SolveError> {
    let solved = run(model, options, false, how)?;
    match solved.status {
        // HiGHS's presolve may not tell the two apart; without presolve it does.
        None => run(model, options, true, how).map(|s| Solution {
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
/// order, maximising. [`crate::solver::files`] writes it out as an LP file.
pub(crate) fn highs_model(model: &Model) -> Result<highs::Model, SolveError> {
    with_rows(
        model,
        model
            .vars
            .clone()
            .maximise(model.objective.clone())
            .using(highs),
    )
}

/// The same model as [`highs_model`], stated as the minimisation of the negated objective: its
/// optimum is minus parkplan's. Model files are written this way (see [`files`]).
pub(crate) fn highs_model_negated(model: &Model) -> Result<highs::Model, SolveError> {
    with_rows(
        model,
        model
            .vars
            .clone()
            .minimise(-model.objective.clone())
            .using(highs),
    )
}

fn with_rows(
    model: &Model,
    mut problem: good_lp::solvers::highs::HighsProblem,
) -> Result<highs::Model, SolveError> {
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

/// One HiGHS solve. Options are set on the `highs` model itself, not through good_lp's typed
/// setters: those are stored on good_lp's problem and applied only by its own `solve`, which
/// reports neither infeasible-or-unbounded apart, nor the MIP gap, nor row duals; and
/// `try_into_inner`, which gives the `highs` model that does, drops them (its `mip_rel_gap`
/// setter also takes an `f32`).
fn run(
    model: &Model,
    options: &SolveOptions,
    no_presolve: bool,
    how: &How,
) -> Result<Run, SolveError> {
    let How {
        ranging,
        start,
        fixed,
        barrier,
    } = *how;
    let is_mip = model.is_mip();
    let handing = Instant::now();
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
    // After Ctrl-C a solve stops at once, as when no time is left.
    let remaining = match options.remaining() {
        _ if watch::interrupted() || watch::cancelled() => Some(0.0),
        t => t,
    };
    if let Some(t) = remaining {
        // HiGHS takes 0 as "stop at once": it then reports the time limit with no plan.
        set(&mut hm, "time_limit", HighsValue::Float(t))?;
    }
    if no_presolve {
        set(&mut hm, "presolve", HighsValue::Str("off"))?;
    }
    if barrier {
        set(&mut hm, "solver", HighsValue::Str("ipm"))?;
    }
    for &(col, value) in fixed {
        // SAFETY: `hm` is a live HiGHS instance holding the model's columns; HiGHS checks the
        // index and returns an error status for one out of range.
        let status = unsafe {
            highs_sys::Highs_changeColBounds(
                hm.as_mut_ptr(),
                col as highs_sys::HighsInt,
                value,
                value,
            )
        };
        if status < 0 {
            return Err(SolveError(format!("HiGHS cannot fix column {col}")));
        }
    }
    if let Some(start) = start.filter(|s| is_mip && s.len() == model.col_names.len()) {
        let ptr = hm.as_mut_ptr();
        // SAFETY: `ptr` is the live HiGHS instance of `hm`, whose columns are the model's, and
        // `start` has one value per column; HiGHS copies it. Null rows and duals are allowed.
        let status = unsafe {
            highs_sys::Highs_setSolution(
                ptr,
                start.as_ptr(),
                std::ptr::null(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        if status < 0 {
            return Err(SolveError("HiGHS refused the starting plan".into()));
        }
    }
    let size = (model.col_names.len(), model.rows.len());
    let deadline = match options.deadline {
        Some(d) if !watch::interrupted() && !watch::cancelled() => Some(d),
        _ => remaining.map(|t| Instant::now() + Duration::from_secs_f64(t)),
    };
    let session = watch::Session::start(&mut hm, is_mip, size, deadline).map_err(SolveError)?;
    timings::add(Step::Highs, handing.elapsed());
    let solving = Instant::now();
    let mut solved = hm.try_solve().map_err(|e| SolveError(format!("{e:?}")))?;
    let has_primal = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    let status = match highs_status(solved.status(), has_primal, no_presolve) {
        Ok(status) => status,
        Err(other) => return Err(SolveError(format!("unexpected model status {other:?}"))),
    };
    let sol = solved.get_solution();
    let ranges = if ranging && !is_mip && status == Some(SolveStatus::Optimal) {
        row_ranges(&mut solved, sol.columns().len(), sol.rows().len())
    } else {
        Vec::new()
    };
    timings::add(Step::Solve, solving.elapsed());
    // HiGHS reports an infinite gap when it has no bound yet: the gap is then unknown, not 0.
    let gap = if is_mip && has_primal {
        let g = solved.mip_gap();
        g.is_finite().then(|| g.max(0.0))
    } else {
        None
    };
    let bound = if is_mip {
        let mut b = f64::NAN;
        // SAFETY: the solved model owns a live HiGHS instance; the name is a C string and `b`
        // a valid place for the value.
        let status = unsafe {
            highs_sys::Highs_getDoubleInfoValue(
                solved.as_mut_ptr(),
                c"mip_dual_bound".as_ptr(),
                &mut b,
            )
        };
        (status >= 0 && b.is_finite() && b.abs() < 1e30).then_some(b)
    } else {
        None
    };
    let run = Run {
        status,
        solution: Solution {
            status: status.unwrap_or(SolveStatus::Infeasible),
            objective: if has_primal {
                solved.objective_value()
            } else {
                f64::NAN
            },
            gap,
            bound,
            columns: sol.columns().to_vec(),
            rows: sol.rows().to_vec(),
            duals: sol.dual_rows().to_vec(),
            is_mip,
            ranges,
        },
    };
    // HiGHS closes its log file when its instance goes.
    drop(solved);
    session.finish();
    Ok(run)
}

/// HiGHS's ranging of every row's bound: `(down, up)` by row, empty when HiGHS cannot range
/// (no basis).
fn row_ranges(solved: &mut highs::SolvedModel, n_cols: usize, n_rows: usize) -> Vec<(f64, f64)> {
    let f = |n: usize| vec![0.0f64; n];
    let i = |n: usize| vec![0 as highs_sys::HighsInt; n];
    let (mut c1, mut c2, mut c5, mut c6, mut c9, mut c10, mut c13, mut c14) = (
        f(n_cols),
        f(n_cols),
        f(n_cols),
        f(n_cols),
        f(n_cols),
        f(n_cols),
        f(n_cols),
        f(n_cols),
    );
    let (mut c3, mut c4, mut c7, mut c8, mut c11, mut c12, mut c15, mut c16) = (
        i(n_cols),
        i(n_cols),
        i(n_cols),
        i(n_cols),
        i(n_cols),
        i(n_cols),
        i(n_cols),
        i(n_cols),
    );
    let (mut up, mut up_obj, mut dn, mut dn_obj) = (f(n_rows), f(n_rows), f(n_rows), f(n_rows));
    let (mut r3, mut r4, mut r7, mut r8) = (i(n_rows), i(n_rows), i(n_rows), i(n_rows));
    // SAFETY: the solved model owns a live HiGHS instance; every array has the length HiGHS
    // writes into it (one entry per column or per row of that instance).
    let status = unsafe {
        highs_sys::Highs_getRanging(
            solved.as_mut_ptr(),
            c1.as_mut_ptr(),
            c2.as_mut_ptr(),
            c3.as_mut_ptr(),
            c4.as_mut_ptr(),
            c5.as_mut_ptr(),
            c6.as_mut_ptr(),
            c7.as_mut_ptr(),
            c8.as_mut_ptr(),
            c9.as_mut_ptr(),
            c10.as_mut_ptr(),
            c11.as_mut_ptr(),
            c12.as_mut_ptr(),
            c13.as_mut_ptr(),
            c14.as_mut_ptr(),
            c15.as_mut_ptr(),
            c16.as_mut_ptr(),
            up.as_mut_ptr(),
            up_obj.as_mut_ptr(),
            r3.as_mut_ptr(),
            r4.as_mut_ptr(),
            dn.as_mut_ptr(),
            dn_obj.as_mut_ptr(),
            r7.as_mut_ptr(),
            r8.as_mut_ptr(),
        )
    };
    // 0 is kHighsStatusOk, 1 a warning; -1 an error (no basis to range).
    if status < 0 {
        return Vec::new();
    }
    dn.into_iter().zip(up).collect()
}

/// How HiGHS's model status reads in parkplan's words: `Ok(None)` when HiGHS could not tell
/// infeasible from unbounded (with presolve on; without it, that means infeasible), `Err` for a
/// status that reports a failure of the solver.
pub(crate) fn highs_status(
    status: HighsModelStatus,
    has_primal: bool,
    no_presolve: bool,
) -> Result<Option<SolveStatus>, HighsModelStatus> {
    Ok(match status {
        HighsModelStatus::Optimal | HighsModelStatus::ModelEmpty => Some(SolveStatus::Optimal),
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
        other => return Err(other),
    })
}

enum HighsValue {
    Int(i32),
    Float(f64),
    Str(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_limit_is_shared_by_every_solve_of_a_run() {
        let options = SolveOptions {
            time_limit: Some(3600.0),
            ..SolveOptions::default()
        }
        .started_now();
        let deadline = options.deadline.expect("a deadline");
        // Started once: a second start keeps the first deadline.
        assert_eq!(options.started_now().deadline, Some(deadline));
        let left = options.remaining().expect("a limit");
        assert!(left <= 3600.0 && left > 3500.0, "{left}");
    }

    #[test]
    fn a_passed_deadline_leaves_no_time_and_no_limit_means_none() {
        let passed = SolveOptions {
            time_limit: Some(1.0),
            deadline: Some(Instant::now() - Duration::from_secs(5)),
            ..SolveOptions::default()
        };
        assert_eq!(passed.remaining(), Some(0.0));
        assert_eq!(SolveOptions::default().started_now().deadline, None);
        assert_eq!(SolveOptions::default().remaining(), None);
        // Not started: each solve gets the whole limit.
        let fresh = SolveOptions {
            time_limit: Some(7.0),
            ..SolveOptions::default()
        };
        assert_eq!(fresh.remaining(), Some(7.0));
    }
}
