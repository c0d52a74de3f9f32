//! `parkplan export`: the model as LP and MPS files with readable names, read back into HiGHS
//! (`Highs_readModel` + `Highs_run`), GLPK (`glpsol`, required: `./x setup --for test` installs
//! it) and CBC (`cbc`, when installed) to the same optimum as `parkplan solve`. The MPS file
//! minimises the negated objective, so its optimum is minus parkplan's.

use std::path::Path;
use std::process::Command;

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

/// The sign that turns a file's optimum into parkplan's: the MPS file minimises the negated
/// objective.
fn sign(ext: &str) -> f64 {
    if ext == "mps" { -1.0 } else { 1.0 }
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
    let got = sign(ext) * back.objective.unwrap();
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
        "f[fly_ash,faer,faer]",
        "send[fly_ash,faer]",
        "take[fly_ash,zhongshan]",
        "hub[fly_ash,",
    ] {
        assert!(mps.contains(name), "{name} missing from the MPS file");
    }
    assert!(
        !mps.lines().any(|l| l.trim() == "OBJSENSE"),
        "GLPK refuses the OBJSENSE section, CBC ignores it"
    );
    assert!(
        mps.starts_with("NAME        parkplan\n* "),
        "{}",
        &mps[..200]
    );
    assert!(mps.contains("objective negated"));
    let lp = export("problems/liupanshui.yaml", None, &dir.path().join("m.lp"));
    assert!(lp.contains("x(zhongshan,coal_power)"));
    assert!(lp.contains("land(pannan):"));
    assert!(lp.starts_with("\\") && lp.contains("\nmax\n"));
    // Sections as every LP reader spells them, none left empty.
    assert!(lp.contains("\nbinary\n y(") && lp.ends_with("\nend\n"));
    for short in ["bin", "gen", "semi"] {
        assert!(!lp.lines().any(|l| l == short), "`{short}` in the LP file");
    }
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

/// The small problems read by the other solvers too: LP and MIP, every kind of row.
const SMALL: [&str; 6] = [
    "problems/small/min-reuse-rate.yaml",
    "problems/small/main-chain-supports.yaml",
    "problems/small/main-chain-strict.yaml",
    "problems/small/produced-resource.yaml",
    "problems/small/exchange-across-zones.yaml",
    "problems/small/external-purchase.yaml",
];

/// The problems and scenarios checked in GLPK and CBC.
fn portable_cases() -> Vec<(&'static str, Option<&'static str>)> {
    let mut cases = vec![
        ("problems/liupanshui.yaml", None),
        ("problems/liupanshui.yaml", Some("strict-main-chain")),
        ("problems/changzhi-partner-park.yaml", None),
        // Plant in units (MODEL.md §12): general integers `u` and binary switches `z` besides
        // the main chains, declared in both files.
        ("problems/liupanshui-units.yaml", None),
        ("problems/small/units-under-cap.yaml", None),
        ("problems/small/units-fixed-above-pool.yaml", None),
    ];
    cases.extend(SMALL.iter().map(|f| (*f, None)));
    cases
}

/// A solver run on a model file: its whole output, for messages.
fn run_solver(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{cmd:?} failed:\n{text}");
    text
}

/// The optimum `glpsol` finds in a model file, read from its solution file (`-w`, written in full
/// precision): the line `s mip ROWS COLS o OBJ` of an optimal MIP, `s bas ROWS COLS f f OBJ` of
/// an optimal LP.
fn glpsol_optimum(model: &Path, ext: &str) -> f64 {
    let solution = model.with_extension("glpk.txt");
    let reader = if ext == "mps" { "--freemps" } else { "--lp" };
    let log = run_solver(
        Command::new("glpsol")
            .arg(reader)
            .arg(model)
            .arg("-w")
            .arg(&solution),
    );
    for bad in ["warning", "error", "Error"] {
        assert!(!log.contains(bad), "glpsol {reader}: {bad}:\n{log}");
    }
    let text = std::fs::read_to_string(&solution).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("s "))
        .unwrap_or_else(|| panic!("no solution line in:\n{text}"));
    let f: Vec<&str> = line.split_whitespace().collect();
    let optimal = match f[1] {
        "mip" => f[4] == "o",
        "bas" => f[4] == "f" && f[5] == "f",
        _ => false,
    };
    assert!(
        optimal,
        "glpsol {reader} did not solve to optimality: {line}\n{log}"
    );
    f.last().unwrap().parse().unwrap()
}

/// The optimum `cbc` finds in a model file, from the first line of its solution file
/// (`Optimal - objective value OBJ`).
fn cbc_optimum(model: &Path) -> f64 {
    let solution = model.with_extension("cbc.txt");
    let log = run_solver(
        Command::new("cbc")
            .arg(model)
            .arg("solve")
            .arg("solu")
            .arg(&solution)
            .arg("quit"),
    );
    // CoinLpIO's complaints (`### CoinLpIO::readLp(): …`) and the MPS reader's (`Coin ignores`).
    assert!(
        !log.contains("###") && !log.contains("ignores"),
        "cbc complained about {}:\n{log}",
        model.display()
    );
    let text = std::fs::read_to_string(&solution).unwrap();
    let first = text.lines().next().unwrap_or_default();
    let value = first
        .strip_prefix("Optimal - objective value ")
        .unwrap_or_else(|| {
            panic!(
                "cbc did not solve {} to optimality: {first}",
                model.display()
            )
        });
    value.trim().parse().unwrap()
}

fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdin(std::process::Stdio::null())
        .output()
        .is_ok()
}

/// Exports every case as LP and MPS, solves each file with `optimum` and compares with
/// `parkplan solve` to a relative 1e-6 (both solve to optimality: GLPK and CBC exactly, parkplan
/// at its MIP gap of 1e-6).
fn same_optimum_in(solver: &str, optimum: impl Fn(&Path, &str) -> f64) {
    let dir = tempfile::tempdir().unwrap();
    for (i, (file, scenario)) in portable_cases().into_iter().enumerate() {
        let want = solved_objective(file, scenario);
        for ext in ["lp", "mps"] {
            let target = dir.path().join(format!("m{i}.{ext}"));
            export(file, scenario, &target);
            let got = sign(ext) * optimum(&target, ext);
            assert!(
                rel_diff(got, want) <= 1e-6,
                "{file} {scenario:?} .{ext} in {solver}: optimum {got}, parkplan solve {want}"
            );
        }
    }
}

#[test]
fn glpk_reads_both_files_unchanged_to_the_same_optimum() {
    assert!(
        installed("glpsol"),
        "glpsol is not installed: `./x setup --for test` installs it (Debian package glpk-utils)"
    );
    same_optimum_in("glpsol", glpsol_optimum);
}

#[test]
fn cbc_reads_both_files_unchanged_to_the_same_optimum() {
    if !installed("cbc") {
        eprintln!("skipped: cbc is not installed (Debian package coinor-cbc)");
        return;
    }
    same_optimum_in("cbc", |model, _| cbc_optimum(model));
}

/// `--flows pairwise` writes MODEL.md §3's formulation word for word, a column per pair of parks;
/// re-read, it reaches the optimum of the default hub formulation, which has fewer columns once
/// parks trade across zones.
#[test]
fn the_pairwise_formulation_reaches_the_same_optimum() {
    let dir = tempfile::tempdir().unwrap();
    for file in [
        "problems/liupanshui.yaml",
        "problems/small/exchange-across-zones.yaml",
        "problems/small/exchange-across-zones-free.yaml",
    ] {
        let (hub, pairwise) = (dir.path().join("hub.lp"), dir.path().join("pairwise.lp"));
        let hub_run = Test::new().args(["export", file, "-o"]).arg(&hub).run();
        let pair_run = Test::new()
            .args(["export", file, "--flows", "pairwise", "-o"])
            .arg(&pairwise)
            .run();
        let text = std::fs::read_to_string(&pairwise).unwrap();
        assert!(
            !text.contains("send("),
            "{file}: hub columns in the pairwise file"
        );
        let a = solve_model_file(&hub, &SolveOptions::default()).unwrap();
        let b = solve_model_file(&pairwise, &SolveOptions::default()).unwrap();
        let (a, b) = (a.objective.unwrap(), b.objective.unwrap());
        assert!(rel_diff(a, b) <= TOL, "{file}: hub {a}, pairwise {b}");
        assert!(hub_run.stderr.contains("columns") && pair_run.stderr.contains("columns"));
    }
    let pairwise = dir.path().join("l.lp");
    Test::new()
        .args([
            "export",
            "problems/liupanshui.yaml",
            "--flows",
            "pairwise",
            "-o",
        ])
        .arg(&pairwise)
        .run();
    let text = std::fs::read_to_string(&pairwise).unwrap();
    assert!(text.contains("f(fly_ash,faer,zhongshan)"), "{text}");
}
