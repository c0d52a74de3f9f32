//! HiGHS alone on a model file: reads an LP or MPS file (e.g. from `parkplan export`) and solves
//! it as parkplan would (one thread, the same MIP gap and time limit), printing the status,
//! objective, and the seconds spent reading and solving. Used by scripts/bench-scale.sh to measure
//! parkplan's overhead over HiGHS.
//!
//!     cargo run --release --example solve_file -- model.mps [time-limit-seconds [mip-gap]]
//!
//! The gap defaults to parkplan's (`--gap`, 1e-6); the time limit, as parkplan's, counts reading
//! the file.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use parkplan::solver::SolveOptions;
use parkplan::solver::files::solve_model_file;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: solve_file MODEL.mps|MODEL.lp [TIME_LIMIT [GAP]]");
        std::process::exit(2);
    };
    let number = |what: &str, arg: Option<String>| -> Option<f64> {
        let arg = arg?;
        match arg.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => Some(x),
            _ => {
                eprintln!("solve_file: the {what} `{arg}` is not a number ≥ 0");
                std::process::exit(2);
            }
        }
    };
    let time_limit = number("time limit", args.next());
    let defaults = SolveOptions::default();
    let options = SolveOptions {
        time_limit,
        mip_rel_gap: number("gap", args.next()).unwrap_or(defaults.mip_rel_gap),
        ..defaults
    }
    .started_now();
    let start = Instant::now();
    match solve_model_file(path.as_ref(), &options) {
        Ok(s) => println!(
            "status {:?} objective {:?} columns {} rows {} seconds {:.3}",
            s.status,
            s.objective,
            s.columns,
            s.rows,
            start.elapsed().as_secs_f64()
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
