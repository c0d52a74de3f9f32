//! `parkplan robust` (MODEL.md §10): the hand-worked problems through the binary, and the robust
//! optimum against enumeration (each assignment, each scenario's LP with y fixed, weighted).

use parkplan::analysis::enumerate::{assignments, solve_assignment};
use parkplan::analysis::robust::{RobustOptions, load, robust};
use parkplan::problem::SourceFile;
use parkplan::problem::format::Measure;
use parkplan::solver::{SolveOptions, SolveStatus};

use crate::common::{Test, path};

#[test]
fn three_parks_have_positive_vss_and_evpi() {
    let r = Test::new()
        .args(["robust", "problems/small/robust-vss.yaml", "-f", "json"])
        .json();
    assert!(
        (r["objective"].as_f64().unwrap() - 21.0).abs() < 1e-6,
        "{r}"
    );
    assert!((r["vss"].as_f64().unwrap() - 0.4).abs() < 1e-6, "{r}");
    assert!((r["evpi"].as_f64().unwrap() - 3.6).abs() < 1e-6, "{r}");
}

#[test]
fn bad_probabilities_are_refused() {
    Test::new()
        .args([
            "robust",
            "problems/small/robust-vss.yaml",
            "--scenarios",
            "base:0.6,dry-season:0.5",
        ])
        .status(2)
        .stderr_contains("sum to 1.1")
        .run();
}

/// The robust optimum is the best, over all assignments, of the weighted (or worst) second-stage
/// optima of the scenarios with y fixed.
#[test]
fn robust_optimum_equals_the_best_over_all_assignments() {
    for file in [
        "problems/small/robust-vss.yaml",
        "problems/small/robust-dry-season.yaml",
    ] {
        for measure in [Measure::Expected, Measure::WorstCase] {
            let src = SourceFile::read(&path(file)).unwrap();
            let base = src.base_problem().unwrap();
            let u = base.uncertainty.clone().unwrap();
            let pairs: Vec<(String, f64)> =
                u.scenarios.iter().map(|(k, &v)| (k.clone(), v)).collect();
            let rp = load(&src, &base, &pairs, "uncertainty.scenarios").unwrap();
            let mut best = f64::NEG_INFINITY;
            for a in assignments(&rp.scenarios[0].problem) {
                let mut values = Vec::new();
                for s in &rp.scenarios {
                    let (status, obj) = solve_assignment(&s.problem, &a).unwrap();
                    values.push((status == SolveStatus::Optimal).then_some((s.probability, obj)));
                }
                if let Some(v) = values.into_iter().collect::<Option<Vec<_>>>() {
                    let m = match measure {
                        Measure::Expected => v.iter().map(|(p, o)| p * o).sum(),
                        Measure::WorstCase => {
                            v.iter().map(|(_, o)| *o).fold(f64::INFINITY, f64::min)
                        }
                    };
                    best = best.max(m);
                }
            }
            let options = RobustOptions {
                measure,
                solve: SolveOptions {
                    mip_rel_gap: 1e-9,
                    time_limit: None,
                    ..SolveOptions::default()
                },
                jobs: 1,
            };
            let got = robust(&rp, &options).unwrap().objective.unwrap();
            assert!(
                (got - best).abs() <= 1e-6 * best.abs().max(1.0),
                "{file} {measure:?}: {got} vs {best}"
            );
        }
    }
}
