//! The relaxation of a large MILP, raced by two LP algorithms on two instances, one per thread.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use super::engine::{Algorithm, Engine, Run};
use crate::model::Model;
use crate::solver::{SolveError, SolveOptions, watch};

/// Main-chain columns from which the relaxation is raced: the dual simplex here, the
/// interior-point method on a second instance in a thread of its own, the first to finish
/// stopping the other. No one algorithm wins on every family (docs/src/background/speed.md).
const RACE_COLUMNS: usize = 1_000;

/// The relaxation of `engine`'s MILP, raced for a large one (see [`RACE_COLUMNS`]). The columns
/// of both instances are `model`'s, so the winner's values serve whichever it is.
pub(super) fn relax(
    model: &Model,
    engine: &mut Engine,
    options: &SolveOptions,
    deadline: Option<Instant>,
) -> Result<Run, SolveError> {
    let columns = model.y.iter().flatten().flatten().count();
    if columns < RACE_COLUMNS {
        return engine.relax(Algorithm::Simplex, deadline);
    }
    let observer = watch::current_observer();
    let stop_simplex = engine.stop.clone();
    let stop_ipm = Arc::new(AtomicBool::new(false));
    let finished = |r: &Result<Run, SolveError>| {
        r.as_ref().is_ok_and(|r| {
            r.status != highs_sys::MODEL_STATUS_REACHED_TIME_LIMIT
                && r.status != highs_sys::MODEL_STATUS_REACHED_INTERRUPT
        })
    };
    let (simplex, ipm) = std::thread::scope(|s| {
        let rival = s.spawn(|| {
            let work = || -> Result<Run, SolveError> {
                let mut other = Engine::new(model, options.mip_rel_gap)?;
                // Raised already if the simplex won while this instance was being built: the
                // run then stops at its first callback.
                other.stop = stop_ipm.clone();
                let run = other.relax(Algorithm::Ipm, deadline);
                if finished(&run) {
                    stop_simplex.store(true, Ordering::SeqCst);
                }
                run
            };
            match observer {
                Some(o) => watch::observed(o, work),
                None => work(),
            }
        });
        let simplex = engine.relax(Algorithm::Simplex, deadline);
        if finished(&simplex) {
            stop_ipm.store(true, Ordering::SeqCst);
        }
        let ipm = rival
            .join()
            .unwrap_or_else(|_| Err(SolveError("the interior-point relaxation failed".into())));
        (simplex, ipm)
    });
    // The engine goes on with the MILP runs: its stop flag is lowered again.
    engine.stop.store(false, Ordering::SeqCst);
    if finished(&simplex) {
        simplex
    } else if finished(&ipm) {
        ipm
    } else {
        simplex
    }
}
