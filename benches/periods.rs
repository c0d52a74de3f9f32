//! How the model over periods grows with the number of periods T (MODEL.md §9).
//!
//! The problem: Liupanshui (8 parks, 14 chains, one main chain per park) planned over T = 1, 3
//! and 6 five-year periods, each later period with 5 % more land in every park and the park
//! budgets (funds, charged on new activity) renewed. The model build and the MILP solve are timed
//! apart; docs/src/background/benchmarks.md quotes the ratios of T = 3 and T = 6 to T = 1.

use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

use parkplan::model::{Model, ModelOptions};
use parkplan::problem::{SourceFile, ValidProblem};
use parkplan::solver::{SolveOptions, SolveStatus, solve};
use parkplan::variant;

/// Liupanshui over `t` periods, validated.
fn horizon(t: usize) -> ValidProblem {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("problems/liupanshui.yaml");
    let mut text = std::fs::read_to_string(&file).expect("the Liupanshui problem");
    text += "\nperiods:\n";
    for i in 0..t {
        let name = 2025 + 5 * i;
        if i == 0 {
            text += &format!("  \"{name}\": {{ years: 5 }}\n");
        } else {
            text += &format!(
                "  \"{name}\": {{ years: 5, scale: {{ \"parks.*.capacity.land\": 1.05 }} }}\n"
            );
        }
    }
    let src = SourceFile::parse(&file, text).expect("valid YAML");
    let base = src.base_problem().expect("a valid problem");
    let valid = src
        .validate_variant(&variant::base(&src.document, &base))
        .expect("every period valid");
    assert_eq!(valid.horizon().map(|h| h.periods.len()), Some(t));
    valid
}

fn periods(c: &mut Criterion) {
    let options = SolveOptions::default();
    let problems: Vec<(usize, ValidProblem)> = [1, 3, 6].map(|t| (t, horizon(t))).into();
    for (t, p) in &problems {
        let model = Model::build(p, ModelOptions::default());
        let s = solve(&model, &options).expect("solved");
        assert_eq!(s.status, SolveStatus::Optimal, "T = {t}");
        eprintln!(
            "T = {t}: {} columns, {} rows, objective {}",
            model.col_names.len(),
            model.rows.len(),
            s.objective
        );
    }
    let mut g = c.benchmark_group("liupanshui_periods");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for (t, p) in &problems {
        g.bench_with_input(BenchmarkId::new("model_build", t), p, |b, p| {
            b.iter(|| Model::build(p, ModelOptions::default()))
        });
        let model = Model::build(p, ModelOptions::default());
        g.bench_with_input(BenchmarkId::new("milp_solve", t), &model, |b, m| {
            b.iter(|| solve(m, &options).expect("solved"))
        });
    }
    g.finish();
}

criterion_group!(benches, periods);
criterion_main!(benches);
