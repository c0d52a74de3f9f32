//! The starting plan (`--mip-start`): the hull relaxation's main chains, fixed, and the LP that
//! remains solved. With it on, every MILP must reach the optimum it reaches without it, the plan
//! must verify, and the gap it reports must be a bound the plan without a start respects.

use crate::common::Test;

/// Relative difference of two objectives allowed: both solves stop at a gap of 1e-6.
const TOLERANCE: f64 = 1e-5;

fn generated(t: &Test, parks: usize, chains: usize, seed: u64) -> std::path::PathBuf {
    let file = t.tmp(format!("g{parks}-{chains}-{seed}.yaml"));
    Test::new()
        .args(["generate", "--parks", &parks.to_string(), "--chains"])
        .arg(chains.to_string())
        .args(["--exchange", "across", "--seed", &seed.to_string(), "-o"])
        .arg(&file)
        .run();
    file
}

fn solve(file: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    Test::new()
        .arg("solve")
        .arg(file)
        .args(["--no-tie-check", "-f", "json"])
        .args(extra)
        .json()
}

#[test]
fn a_start_reaches_the_same_optimum_and_its_plan_verifies() {
    let t = Test::new().in_tempdir();
    for seed in 1..=12 {
        let parks = 4 + (seed as usize * 3) % 9;
        let file = generated(&t, parks, 10 + (seed as usize % 3) * 5, seed);
        let with = solve(&file, &["--mip-start", "on"]);
        let without = solve(&file, &["--mip-start", "off"]);
        assert_eq!(with["status"], "optimal", "seed {seed}");
        assert_eq!(without["status"], "optimal", "seed {seed}");
        let (a, b) = (
            with["objective"].as_f64().unwrap(),
            without["objective"].as_f64().unwrap(),
        );
        assert!(
            (a - b).abs() <= TOLERANCE * b.abs().max(1.0),
            "seed {seed}: {a} with a start, {b} without"
        );
        assert!(with["gap"].as_f64().unwrap() <= 1e-6 + 1e-12, "seed {seed}");
        let plan = t.tmp(format!("plan-{seed}.json"));
        std::fs::write(&plan, with.to_string()).unwrap();
        Test::new()
            .arg("verify")
            .arg(&file)
            .arg(&plan)
            .stdout_contains("feasible")
            .run();
    }
}

#[test]
fn a_start_within_the_gap_is_the_answer_and_its_gap_is_proven() {
    let t = Test::new().in_tempdir();
    let file = generated(&t, 40, 20, 7);
    let quick = solve(&file, &["--mip-start", "on", "--gap", "0.01"]);
    assert_eq!(quick["status"], "optimal");
    let gap = quick["gap"].as_f64().unwrap();
    assert!((0.0..=0.01).contains(&gap), "{gap}");
    let best = solve(&file, &["--mip-start", "off"])["objective"]
        .as_f64()
        .unwrap();
    let found = quick["objective"].as_f64().unwrap();
    // The reported gap bounds the distance to the true optimum.
    assert!(
        found <= best * (1.0 + 1e-9),
        "{found} above the optimum {best}"
    );
    assert!(
        best - found <= gap * found.abs() + 1e-6 * best.abs(),
        "{found} is further from the optimum {best} than its gap {gap} says"
    );
}

/// The hard families of `generate` (few or no parks on an `allowed` list, half the parks without
/// plant, a few `max_total` chains, pools on new activity only, strict or not): the method, forced
/// on, reaches the optimum HiGHS alone reaches, its plan verifies and its gap is proven.
#[test]
fn the_method_agrees_with_highs_alone_on_the_hard_families() {
    let t = Test::new().in_tempdir();
    for seed in 1..=8u64 {
        let parks = 4 + (seed as usize * 5) % 9;
        let share = ["0", "0.3"][seed as usize % 2];
        let file = t.tmp(format!("hard-{seed}.yaml"));
        let mut args = vec![
            "generate".to_string(),
            "--parks".into(),
            parks.to_string(),
            "--chains".into(),
            "12".into(),
            "--exchange".into(),
            "across".into(),
            "--allowed-share".into(),
            share.into(),
            "--existing-share".into(),
            "0.5".into(),
            "--max-total".into(),
            "4".into(),
            "--pools".into(),
            "new".into(),
            "--seed".into(),
            seed.to_string(),
            "-o".into(),
        ];
        if seed % 3 == 0 {
            args.insert(1, "--strict".into());
        }
        Test::new().args(&args).arg(&file).run();
        let with = solve(&file, &["--mip-start", "on"]);
        let without = solve(&file, &["--mip-start", "off"]);
        assert_eq!(with["status"], "optimal", "seed {seed}");
        assert_eq!(without["status"], "optimal", "seed {seed}");
        let (a, b) = (
            with["objective"].as_f64().unwrap(),
            without["objective"].as_f64().unwrap(),
        );
        assert!(
            (a - b).abs() <= TOLERANCE * b.abs().max(1.0),
            "seed {seed}: {a} by the method, {b} by HiGHS alone"
        );
        let gap = with["gap"].as_f64().unwrap();
        assert!((0.0..=1e-6 + 1e-12).contains(&gap), "seed {seed}: {gap}");
        let plan = t.tmp(format!("hard-plan-{seed}.json"));
        std::fs::write(&plan, with.to_string()).unwrap();
        Test::new()
            .arg("verify")
            .arg(&file)
            .arg(&plan)
            .stdout_contains("feasible")
            .run();
    }
}
