//! One HiGHS instance of a MILP, run again and again: its relaxation, then the MILP with some of
//! its main-chain columns fixed, then the whole MILP, each run from the best plan so far.
//!
//! The instance is built once (at nation scale, handing a model to HiGHS takes seconds) and kept:
//! between runs only column bounds and the starting plan change. Two facts of HiGHS shape it: an
//! instance's `time_limit` counts all its runs together, so the clocks are zeroed before each run
//! and each run gets its own limit; and a MILP can overrun its limit (HiGHS checks the clock only
//! now and then), so each run also carries its deadline to the interrupt callback of
//! [`super::super::watch`], which stops it on Ctrl-C as well.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use crate::model::Model;
use crate::solver::{SolveError, highs_model, watch};

/// How one run ended, in HiGHS's words.
#[derive(Debug, Clone)]
pub(super) struct Run {
    /// HiGHS's model status (`highs_sys::MODEL_STATUS_*`).
    pub status: highs_sys::HighsInt,
    /// Whether the run holds a feasible plan.
    pub feasible: bool,
    /// The objective of that plan (of the LP, for a relaxation).
    pub objective: f64,
    /// The bound a MILP run proved on its own (restricted) problem, when it has one.
    pub bound: Option<f64>,
    /// Column values.
    pub columns: Vec<f64>,
    /// Row activities.
    pub rows: Vec<f64>,
}

impl Run {
    /// Solved to optimality (within the gap, for a MILP).
    pub fn optimal(&self) -> bool {
        self.status == highs_sys::MODEL_STATUS_OPTIMAL
    }
}

/// Which LP algorithm a relaxation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Algorithm {
    /// HiGHS's dual simplex.
    Simplex,
    /// HiGHS's interior-point method, with crossover to a vertex.
    Ipm,
}

/// A MILP held by HiGHS.
pub(super) struct Engine {
    hm: highs::Model,
    size: (usize, usize),
    /// Each column's bounds as the model states them, to free fixed columns again.
    lower: Vec<f64>,
    upper: Vec<f64>,
    /// Raised to stop the run under way (from another thread).
    pub stop: Arc<AtomicBool>,
}

// SAFETY: the HiGHS instance is owned by the engine alone and used by one thread at a time (an
// engine moves to the thread that races it, and is never shared).
unsafe impl Send for Engine {}

impl Engine {
    /// Hands `model` to HiGHS, single-threaded (as every solve of parkplan), with `gap` as the
    /// MILP's relative gap.
    pub fn new(model: &Model, gap: f64) -> Result<Engine, SolveError> {
        let mut hm = highs_model(model)?;
        hm.try_set_option("threads", 1)
            .map_err(|_| SolveError("cannot set option threads".into()))?;
        hm.try_set_option("mip_rel_gap", gap)
            .map_err(|_| SolveError("cannot set option mip_rel_gap".into()))?;
        let n = model.col_names.len();
        let (mut lower, mut upper, mut cost) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        let (mut num_col, mut nnz): (highs_sys::HighsInt, highs_sys::HighsInt) = (0, 0);
        if n > 0 {
            // SAFETY: `hm` is the live instance holding `n` columns; the three value arrays have
            // `n` entries, and null matrix arrays ask for no matrix (HiGHS checks each pointer).
            unsafe {
                highs_sys::Highs_getColsByRange(
                    hm.as_mut_ptr(),
                    0,
                    (n - 1) as highs_sys::HighsInt,
                    &mut num_col,
                    cost.as_mut_ptr(),
                    lower.as_mut_ptr(),
                    upper.as_mut_ptr(),
                    &mut nnz,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                );
            }
        }
        Ok(Engine {
            hm,
            size: (n, model.rows.len()),
            lower,
            upper,
            stop: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Sets the relative gap at which a MILP run stops.
    pub fn set_gap(&mut self, gap: f64) -> Result<(), SolveError> {
        self.hm
            .try_set_option("mip_rel_gap", gap)
            .map_err(|_| SolveError("cannot set option mip_rel_gap".into()))
    }

    /// Fixes each of `cols` to its value (0 or 1), or gives it back its own bounds (`None`).
    pub fn bound(&mut self, cols: &[(usize, Option<f64>)]) -> Result<(), SolveError> {
        if cols.is_empty() {
            return Ok(());
        }
        let set: Vec<highs_sys::HighsInt> = cols
            .iter()
            .map(|&(j, _)| j as highs_sys::HighsInt)
            .collect();
        let lo: Vec<f64> = cols
            .iter()
            .map(|&(j, v)| v.unwrap_or(self.lower[j]))
            .collect();
        let up: Vec<f64> = cols
            .iter()
            .map(|&(j, v)| v.unwrap_or(self.upper[j]))
            .collect();
        // SAFETY: the instance is live; the three arrays have `set.len()` entries, the indices
        // are columns of the model (HiGHS checks them and returns an error status otherwise).
        let status = unsafe {
            highs_sys::Highs_changeColsBoundsBySet(
                self.hm.as_mut_ptr(),
                set.len() as highs_sys::HighsInt,
                set.as_ptr(),
                lo.as_ptr(),
                up.as_ptr(),
            )
        };
        if status < 0 {
            return Err(SolveError("HiGHS cannot change column bounds".into()));
        }
        Ok(())
    }

    /// Solves the relaxation (every integer column continuous) by `algorithm`.
    pub fn relax(
        &mut self,
        algorithm: Algorithm,
        deadline: Option<Instant>,
    ) -> Result<Run, SolveError> {
        self.option("solve_relaxation", true)?;
        let solver = match algorithm {
            Algorithm::Simplex => "simplex",
            Algorithm::Ipm => "ipm",
        };
        self.option_str("solver", solver)?;
        let run = self.run(false, deadline, None);
        self.option("solve_relaxation", false)?;
        self.option_str("solver", "choose")?;
        run
    }

    /// Solves the MILP as its bounds stand, from `start` (one value per column) when given.
    pub fn mip(
        &mut self,
        deadline: Option<Instant>,
        start: Option<&[f64]>,
    ) -> Result<Run, SolveError> {
        self.run(true, deadline, start)
    }

    fn option(&mut self, k: &str, v: bool) -> Result<(), SolveError> {
        self.hm
            .try_set_option(k, v)
            .map_err(|_| SolveError(format!("cannot set option {k}")))
    }

    fn option_str(&mut self, k: &str, v: &str) -> Result<(), SolveError> {
        self.hm
            .try_set_option(k, v)
            .map_err(|_| SolveError(format!("cannot set option {k}")))
    }

    fn run(
        &mut self,
        is_mip: bool,
        deadline: Option<Instant>,
        start: Option<&[f64]>,
    ) -> Result<Run, SolveError> {
        let stop = watch::interrupted() || watch::cancelled();
        let left = match deadline {
            _ if stop => Some(0.0),
            Some(d) => Some(d.saturating_duration_since(Instant::now()).as_secs_f64()),
            None => None,
        };
        // The instance's clock counts every run; each run gets its own limit.
        let ptr = self.hm.as_mut_ptr();
        // SAFETY: `ptr` is the live instance.
        unsafe { highs_sys::Highs_zeroAllClocks(ptr) };
        let limit = left.unwrap_or(f64::INFINITY);
        self.hm
            .try_set_option("time_limit", limit)
            .map_err(|_| SolveError("cannot set option time_limit".into()))?;
        if let Some(start) = start.filter(|s| s.len() == self.size.0) {
            // SAFETY: the instance is live and `start` has one value per column; HiGHS copies
            // it. Null rows and duals are allowed.
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
        let callback_deadline = deadline.or(left.map(|_| Instant::now()));
        let session = watch::Session::start_with(
            &mut self.hm,
            is_mip,
            self.size,
            callback_deadline,
            Some(self.stop.clone()),
        )
        .map_err(SolveError)?;
        let ptr = self.hm.as_mut_ptr();
        // SAFETY: `ptr` is the live instance; HiGHS reports failures through the status, read
        // below from the model status.
        unsafe { highs_sys::Highs_run(ptr) };
        let run = self.read(is_mip);
        session.finish();
        Ok(run)
    }

    fn read(&mut self, is_mip: bool) -> Run {
        let ptr = self.hm.as_mut_ptr();
        let (n, m) = self.size;
        let (mut cols, mut col_dual) = (vec![0.0; n], vec![0.0; n]);
        let (mut rows, mut row_dual) = (vec![0.0; m], vec![0.0; m]);
        let mut primal: highs_sys::HighsInt = 0;
        let mut bound = f64::NAN;
        // SAFETY: `ptr` is the live instance of `n` columns and `m` rows; every array has the
        // length HiGHS writes into it, and the info names are C strings.
        let (status, objective) = unsafe {
            highs_sys::Highs_getSolution(
                ptr,
                cols.as_mut_ptr(),
                col_dual.as_mut_ptr(),
                rows.as_mut_ptr(),
                row_dual.as_mut_ptr(),
            );
            highs_sys::Highs_getIntInfoValue(ptr, c"primal_solution_status".as_ptr(), &mut primal);
            if is_mip {
                highs_sys::Highs_getDoubleInfoValue(ptr, c"mip_dual_bound".as_ptr(), &mut bound);
            }
            (
                highs_sys::Highs_getModelStatus(ptr),
                highs_sys::Highs_getObjectiveValue(ptr),
            )
        };
        // 2 is HiGHS's kSolutionStatusFeasible.
        let feasible = primal == 2;
        Run {
            status,
            feasible,
            objective,
            bound: (bound.is_finite() && bound.abs() < 1e30).then_some(bound),
            columns: cols,
            rows,
        }
    }
}
