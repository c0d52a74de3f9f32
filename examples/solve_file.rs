//! HiGHS alone on a model file: reads an LP or MPS file (e.g. from `parkplan export`) and solves
//! it as parkplan would (the same MIP gap), printing the status, objective, and the seconds spent
//! reading and solving. Used by scripts/scale.sh to measure parkplan's overhead over HiGHS.
//!
//!     cargo run --release --example solve_file -- model.mps [time-limit-seconds]
#![allow(clippy::print_stdout)]

use std::time::Instant;

use parkplan::solver::SolveOptions;
use parkplan::solver::files::solve_model_file;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: solve_file MODEL.mps|MODEL.lp [TIME_LIMIT]");
        std::process::exit(2);
    };
    let time_limit = args.next().and_then(|s| s.parse().ok());
    let options = SolveOptions {
        time_limit,
        ..SolveOptions::default()
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
