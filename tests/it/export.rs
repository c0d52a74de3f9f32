//! `parkplan export`: the model as LP and MPS files with readable names, read back into HiGHS
//! (`Highs_readModel` + `Highs_run`) to the same optimum as `parkplan solve`.

use parkplan::solver::files::solve_model_file;
use parkplan::solver::{SolveOptions, SolveStatus};

use crate::common::{Test, rel_diff};

/// `solve` and the re-read file both stop at a relative MIP gap of 1e-6 (parkplan's default), so
/// their optima agree to about twice that.
const TOL: f64 = 3e-6;

fn export(file: &str, scenario: Option<&str>, target: &std::path::Path) -> String {
    let mut args = vec![
        "export".to_string(),
        file.into(),
        "-o".into(),
        target.display().to_string(),
    ];
    if let Some(s) = scenario {
        args.extend(["--scenario".into(), s.into()]);
    }
    Test::new().args(&args).run();
    std::fs::read_to_string(target).unwrap()
}

fn solved_objective(file: &str, scenario: Option<&str>) -> f64 {
    let mut args = vec!["solve", file, "-f", "json"];
    if let Some(s) = scenario {
        args.extend(["--scenario", s]);
    }
    Test::new().args(&args).json()["objective"]
        .as_f64()
        .unwrap()
}

fn round_trip(file: &str, scenario: Option<&str>, ext: &str) {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join(format!("model.{ext}"));
    export(file, scenario, &target);
    let back = solve_model_file(&target, &SolveOptions::default()).unwrap();
    assert_eq!(
        back.status,
        SolveStatus::Optimal,
        "{file} {scenario:?} .{ext}"
    );
    let want = solved_objective(file, scenario);
    let got = back.objective.unwrap();
    assert!(
        rel_diff(got, want) <= TOL,
        "{file} {scenario:?} .{ext}: re-read optimum {got}, parkplan solve {want}"
    );
}

#[test]
fn liupanshui_mps_round_trips_to_the_same_optimum() {
    round_trip("problems/liupanshui.yaml", None, "mps");
    round_trip("problems/liupanshui.yaml", Some("strict-main-chain"), "mps");
}

#[test]
fn lp_files_round_trip_too() {
    round_trip("problems/liupanshui.yaml", None, "lp");
    round_trip("problems/small/min-reuse-rate.yaml", None, "lp");
}

#[test]
fn every_real_problem_round_trips_through_mps() {
    for file in [
        "problems/changzhi-partner-park.yaml",
        "problems/pingdingshan-green-park.yaml",
        "problems/small/produced-resource.yaml",
        "problems/small/exchange-across-zones.yaml",
        "problems/small/external-purchase.yaml",
    ] {
        round_trip(file, None, "mps");
    }
}

#[test]
fn names_are_readable() {
    let dir = tempfile::tempdir().unwrap();
    let mps = export("problems/liupanshui.yaml", None, &dir.path().join("m.mps"));
    for name in [
        "x[zhongshan,coal_power]",
        "y[faer,gangue_power]",
        "land[pannan]",
        "funds[liuzhi]",
        "pool[power]",
        "max_total[coking]",
        "min_reuse_rate",
        "grow[faer,bricks]",
        "share[hongguo,coal_mine]",
        "f[fly_ash,faer,zhongshan]",
    ] {
        assert!(mps.contains(name), "{name} missing from the MPS file");
    }
    assert!(mps.contains("MAX"), "the objective sense is written");
    let lp = export("problems/liupanshui.yaml", None, &dir.path().join("m.lp"));
    assert!(lp.contains("x(zhongshan,coal_power)"));
    assert!(lp.contains("land(pannan):"));
    assert!(lp.starts_with("\\") && lp.contains("\nmax\n"));
}

#[test]
fn the_file_holds_the_model_parkplan_solves() {
    // The same columns and rows as the model: the counts printed by `export` are the model's,
    // and HiGHS reads the same counts back.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("m.mps");
    let run = Test::new()
        .args(["export", "problems/liupanshui.yaml", "-o"])
        .arg(&target)
        .run();
    let back = solve_model_file(&target, &SolveOptions::default()).unwrap();
    let expect = format!("{} columns", back.columns);
    assert!(run.stderr.contains(&expect), "{} vs {expect}", run.stderr);
    assert!(run.stderr.contains(&format!("{} rows", back.rows)));
}

#[test]
fn standard_output_needs_a_format_and_unknown_extensions_are_refused() {
    Test::new()
        .args([
            "export",
            "problems/small/city-pool.yaml",
            "-o",
            "-",
            "--format",
            "mps",
        ])
        .stdout_contains("pool[funds]")
        .run();
    Test::new()
        .args(["export", "problems/small/city-pool.yaml", "-o", "-"])
        .status(2)
        .stderr_contains("--format")
        .run();
    Test::new()
        .args(["export", "problems/small/city-pool.yaml", "-o", "m.txt"])
        .status(2)
        .run();
    assert!(!std::path::Path::new("m.txt").exists());
}
