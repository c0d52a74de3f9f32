//! Solving a batch of variants one at a time against side by side.
//!
//! The batch: 56 variants of the Liupanshui problem (8 parks, 14 chains, one main chain per park),
//! a grid of Liuzhi's capital budget (4 to 11 bn CNY, 8 values) by Pannan's land (3.3 to 6.3 km²,
//! 7 values) — the kind of sweep planners run. `sequential` solves it on one thread, `parallel`
//! on two (the machine's cores); each solve runs HiGHS with one thread either way. The ratio of
//! the two times is the speed-up quoted in docs/src/background/benchmarks.md. The model build and the solve of one
//! variant are timed apart as well.

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

use parkplan::batch::pool::{Ties, solve_all};
use parkplan::batch::sweep;
use parkplan::model::{Model, ModelOptions};
use parkplan::problem::SourceFile;
use parkplan::solver::{SolveOptions, SolveStatus, solve};
use parkplan::variant::{Selection, Variant};

const GRID: &str = r#"
  bench-grid:
    vary:
      "parks.liuzhi.capacity.funds": { from: 4, to: 11, steps: 8 }
      "parks.pannan.capacity.land": { from: 3.3, to: 6.3, steps: 7 }
"#;

/// The Liupanshui file with the grid added to its sweeps, and the grid's variants.
fn batch() -> (SourceFile, Vec<Variant>) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("problems/liupanshui.yaml");
    let text = std::fs::read_to_string(&file).expect("the Liupanshui problem");
    // `sweeps:` is the file's last block.
    let src = SourceFile::parse(&file, text + GRID).expect("valid YAML");
    let base = src.base_problem().expect("a valid problem");
    let selection = Selection {
        base: false,
        scenarios: Some(Vec::new()),
        sweeps: Some(vec!["bench-grid".into()]),
        ..Selection::default()
    };
    let variants: Vec<Variant> = sweep::list(&src, &base, &selection)
        .expect("the grid's paths exist")
        .entries()
        .into_iter()
        .map(|e| e.variant.expect("every point applies"))
        .collect();
    assert_eq!(variants.len(), 56);
    (src, variants)
}

fn sweep_56_variants(c: &mut Criterion) {
    let (src, variants) = batch();
    let options = SolveOptions::default();
    // Every variant solves to optimality, so both runs do the same work.
    for r in solve_all(&src, variants.clone(), &options, 2, Ties::Check, &|_| {}) {
        let plan = r.outcome.expect("solved");
        assert_eq!(plan.status, SolveStatus::Optimal, "{}", r.variant.name);
    }
    let mut g = c.benchmark_group("liupanshui_sweep_56_variants");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(15));
    for (name, jobs) in [("sequential_1_thread", 1), ("parallel_2_threads", 2)] {
        g.bench_function(name, |b| {
            b.iter(|| solve_all(&src, variants.clone(), &options, jobs, Ties::Check, &|_| {}))
        });
    }
    g.finish();
}

fn one_variant(c: &mut Criterion) {
    let (src, variants) = batch();
    let valid = src.validate_variant(&variants[0]).expect("valid");
    let options = SolveOptions::default();
    let mut g = c.benchmark_group("liupanshui_one_variant");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.bench_function("model_build", |b| {
        b.iter(|| Model::build(&valid, ModelOptions::default()))
    });
    let model = Model::build(&valid, ModelOptions::default());
    g.bench_function("milp_solve", |b| b.iter(|| solve(&model, &options)));
    g.finish();
}

criterion_group!(benches, sweep_56_variants, one_variant);
criterion_main!(benches);
