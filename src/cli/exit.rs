//! Exit codes of the `parkplan` binary, one per outcome a script may want to tell apart.

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: optimal plan (or the command succeeded).
    Ok = 0,
    /// 1: an error of the program or the system (I/O, solver failure).
    Error = 1,
    /// 2: bad input: the problem file or the command line is wrong, or the command does not
    /// apply to the problem (`alternatives` and `designations` of a problem with the
    /// one-main-chain rule off).
    BadInput = 2,
    /// 3: the problem is infeasible.
    Infeasible = 3,
    /// 4: the problem is unbounded.
    Unbounded = 4,
    /// 5: stopped by the time limit with a feasible plan (printed, with its gap).
    TimeLimit = 5,
    /// 6: stopped by the time limit before any feasible plan was found.
    NoSolution = 6,
    /// 7: a result differs from what was expected (`check`, `verify`).
    Mismatch = 7,
    /// 8: a batch (`sweep`, `pareto`, `merge`, `designations`, `check`) finished, but not every variant,
    /// point or pair solved to optimality (a pair proven infeasible counts as solved), or
    /// (`merge`) some variants are missing, or (`designations`) some pairs were not started, or
    /// (`check`) a signal stopped some cases; the output gives each one's status.
    Incomplete = 8,
}

impl Exit {
    /// The exit code for a solve status.
    pub fn of(status: parkplan::solver::SolveStatus) -> Exit {
        use parkplan::solver::SolveStatus::*;
        match status {
            Optimal => Exit::Ok,
            TimeLimit => Exit::TimeLimit,
            NoSolution => Exit::NoSolution,
            Infeasible => Exit::Infeasible,
            Unbounded => Exit::Unbounded,
        }
    }
}
