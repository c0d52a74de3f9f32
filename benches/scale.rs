//! How validation, the model build and the solve grow with the size of a problem.
//!
//! The problems: `parkplan generate` files (the library's [`generate`]) of 12, 100 and 500 parks
//! by 20 and 40 chains, 8 materials, exchange across zones, seed 1 — the same files as
//! `parkplan generate --parks P --chains C --materials 8 --exchange across --seed 1`. Three groups
//! are timed apart: reading and validating the file's text (`validate`: parse, base problem,
//! validation of the base, as `parkplan solve` does before it builds), building the model from
//! the valid problem (`model_build`), and, on the 12-park problems only, solving the MILP to
//! optimality (`milp_solve`; the larger ones take minutes, see `scripts/bench-scale.sh`).
//! Sample sizes are kept small so that `cargo bench --bench scale` ends in a few minutes.

use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};

use parkplan::model::{Model, ModelOptions};
use parkplan::problem::generate::{self, Exchange};
use parkplan::problem::{SourceFile, ValidProblem};
use parkplan::solver::{SolveOptions, SolveStatus, solve};
use parkplan::variant;

const PARKS: [usize; 3] = [12, 100, 500];
const CHAINS: [usize; 2] = [20, 40];

/// The generated problem file of `parks` × `chains`, as text.
fn text(parks: usize, chains: usize) -> String {
    generate::generate(&generate::Options {
        parks,
        chains,
        materials: 8,
        exchange: Exchange::Across,
        seed: 1,
        ..generate::Options::default()
    })
    .expect("options within the generator's limits")
}

/// The file's text read and validated, as `parkplan solve` does before building the model.
fn validate(text: &str) -> ValidProblem {
    let src = SourceFile::parse(Path::new("generated.yaml"), text.to_string()).expect("valid YAML");
    let base = src.base_problem().expect("a valid problem");
    src.validate_variant(&variant::base(&src.document, &base))
        .expect("feasible by construction, so valid")
}

/// `"12x20"`: the benchmark's parameter.
fn size(parks: usize, chains: usize) -> String {
    format!("{parks}x{chains}")
}

fn sizes() -> Vec<(usize, usize)> {
    PARKS
        .iter()
        .flat_map(|&p| CHAINS.iter().map(move |&c| (p, c)))
        .collect()
}

fn validation(c: &mut Criterion) {
    let mut g = c.benchmark_group("scale_validate");
    // Flat sampling: one validation of 500 parks takes over a second, so every sample runs the
    // same few iterations instead of criterion's growing counts.
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1));
    for (parks, chains) in sizes() {
        let text = text(parks, chains);
        g.measurement_time(Duration::from_secs(if parks >= 500 { 25 } else { 5 }));
        g.bench_with_input(
            BenchmarkId::from_parameter(size(parks, chains)),
            &text,
            |b, t| b.iter(|| validate(t)),
        );
    }
    g.finish();
}

fn model_build(c: &mut Criterion) {
    let mut g = c.benchmark_group("scale_model_build");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for (parks, chains) in sizes() {
        let valid = validate(&text(parks, chains));
        let model = Model::build(&valid, ModelOptions::default());
        eprintln!(
            "{parks} parks x {chains} chains: {} columns, {} rows",
            model.col_names.len(),
            model.rows.len()
        );
        g.bench_with_input(
            BenchmarkId::from_parameter(size(parks, chains)),
            &valid,
            |b, v| b.iter(|| Model::build(v, ModelOptions::default())),
        );
    }
    g.finish();
}

fn milp_solve(c: &mut Criterion) {
    let options = SolveOptions::default();
    let mut g = c.benchmark_group("scale_milp_solve");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    for chains in CHAINS {
        let valid = validate(&text(12, chains));
        let model = Model::build(&valid, ModelOptions::default());
        // Every sample must do the whole work: a solve to optimality, not one cut short.
        let s = solve(&model, &options).expect("solved");
        assert_eq!(s.status, SolveStatus::Optimal, "12 parks x {chains} chains");
        g.bench_with_input(
            BenchmarkId::from_parameter(size(12, chains)),
            &model,
            |b, m| b.iter(|| solve(m, &options).expect("solved")),
        );
    }
    g.finish();
}

criterion_group!(benches, validation, model_build, milp_solve);
criterion_main!(benches);
