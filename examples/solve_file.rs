//! HiGHS alone on a model file: reads an LP or MPS file (e.g. from `parkplan export`) and solves
//! it as parkplan would (one thread, the same MIP gap and time limit), printing the status,
//! objective, gap, and the seconds spent reading and solving. Used by scripts/bench-scale.sh to
//! measure parkplan's overhead over HiGHS.
//!
//!     cargo run --release --example solve_file -- model.mps [time-limit-seconds [mip-gap]]
//!
//! The gap defaults to parkplan's (`--gap`, 1e-6); the time limit, as parkplan's, counts reading
//! the file. Every status is treated as `parkplan solve` treats it: a stop at the time limit with
//! a plan prints that plan's objective and gap and exits 5; without one it exits 6; infeasible 3,
//! unbounded 4, optimal 0. Its tests run with `cargo test --release --example solve_file`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::Instant;

use parkplan::solver::files::{FileSolution, solve_model_file};
use parkplan::solver::{SolveOptions, SolveStatus};

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
        Ok(s) => {
            let (line, note, code) = outcome(&s, start.elapsed().as_secs_f64());
            println!("{line}");
            if let Some(note) = note {
                eprintln!("{path}: {note}");
            }
            std::process::exit(code);
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}

/// What to print for a solve: the result line (status in parkplan's words, objective and gap when
/// there is a plan), the sentence `parkplan solve` prints on standard error for a status other
/// than optimal, and parkplan's exit code for the status.
fn outcome(s: &FileSolution, seconds: f64) -> (String, Option<String>, i32) {
    let number = |v: Option<f64>| v.map_or_else(|| "none".to_string(), |v| v.to_string());
    let line = format!(
        "status {} objective {} gap {} columns {} rows {} seconds {seconds:.3}",
        s.status,
        number(s.objective),
        number(s.gap),
        s.columns,
        s.rows,
    );
    let code = match s.status {
        SolveStatus::Optimal => 0,
        SolveStatus::Infeasible => 3,
        SolveStatus::Unbounded => 4,
        SolveStatus::TimeLimit => 5,
        SolveStatus::NoSolution => 6,
    };
    (line, s.status.message(s.gap), code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solution(status: SolveStatus, objective: Option<f64>, gap: Option<f64>) -> FileSolution {
        FileSolution {
            status,
            objective,
            gap,
            columns: 3,
            rows: 2,
        }
    }

    #[test]
    fn a_time_limit_stop_with_a_plan_is_reported_with_its_plan() {
        // Regression: a stop at the time limit was "no solution" even with HiGHS holding a plan.
        let (line, note, code) = outcome(
            &solution(SolveStatus::TimeLimit, Some(12.5), Some(0.02)),
            1.0,
        );
        assert!(
            line.starts_with("status time_limit objective 12.5 gap 0.02 "),
            "{line}"
        );
        assert_eq!(code, 5);
        assert!(note.unwrap().contains("within 2.000 % of optimal"));
        let (line, note, code) = outcome(&solution(SolveStatus::NoSolution, None, None), 1.0);
        assert!(
            line.starts_with("status no_solution objective none "),
            "{line}"
        );
        assert_eq!(code, 6);
        assert!(note.unwrap().contains("before any feasible plan"));
    }

    #[test]
    fn every_status_has_the_cli_exit_code() {
        // The codes of `parkplan solve` (src/cli/exit.rs, docs/src/reference/stops.md).
        for (status, code) in [
            (SolveStatus::Optimal, 0),
            (SolveStatus::Infeasible, 3),
            (SolveStatus::Unbounded, 4),
            (SolveStatus::TimeLimit, 5),
            (SolveStatus::NoSolution, 6),
        ] {
            assert_eq!(
                outcome(&solution(status, None, None), 0.0).2,
                code,
                "{status}"
            );
        }
    }

    #[test]
    fn a_model_file_solves_to_parkplans_optimum() {
        use parkplan::model::{Model, ModelOptions};
        use parkplan::problem::SourceFile;
        use parkplan::solver::files::{ModelFormat, write_model};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let src = SourceFile::read(&root.join("problems/small/city-pool.yaml")).unwrap();
        let base = src.base_problem().unwrap();
        let valid = parkplan::problem::validate::validate(base).unwrap();
        let model = Model::build(&valid, ModelOptions::default());
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("model.mps");
        std::fs::write(&file, write_model(&model, ModelFormat::Mps).unwrap()).unwrap();
        let s = solve_model_file(&file, &SolveOptions::default()).unwrap();
        let (line, note, code) = outcome(&s, 0.0);
        assert_eq!((code, note), (0, None), "{line}");
        let plan = parkplan::plan::solve_variant(&valid, "base", &SolveOptions::default()).unwrap();
        // Model files state the minimisation of the negated objective (solver::files).
        let got = -s.objective.unwrap();
        let want = plan.objective.unwrap();
        assert!(
            (got - want).abs() <= 1e-6 * want.abs().max(1.0),
            "{got} vs {want}"
        );
    }
}
