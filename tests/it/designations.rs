//! `parkplan designations` (MODEL.md §13): every loss against enumeration of main-chain
//! assignments on random problems, with and without periods (`z(p→c)` is the best assignment
//! that gives p the chain c, one LP each), a problem worked by hand, and the command as a user
//! runs it: formats, `--park`, `--scenario`, the rule off, a stopped run, the report's heat map
//! and the workbook's sheet.

use std::io::{Cursor, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use parkplan::analysis::designations::{Designations, DesignationsOptions, designations};
use parkplan::analysis::enumerate::{assignments, solve_assignment};
use parkplan::problem::ValidProblem;
use parkplan::problem::validate::validate;
use parkplan::solver::{SolveOptions, SolveStatus, VariantStatus};
use rayon::prelude::*;

use crate::common::Test;
use crate::differential::generate;
use crate::periods::{generate_periods, load};

/// Worked by hand in its comments: (cement, cement) 7, (cement, steel) 6.5, (steel, cement) 5.5,
/// (steel, steel) infeasible.
const THREE: &str = "problems/small/alternatives-three.yaml";

/// The MILPs are solved to a relative gap of 1e-6; a loss further than this from the oracle's
/// (relative to the optimum, absolute below 1) is a disagreement.
const TOLERANCE: f64 = 1e-5;

/// The oracle: for every park and candidate, the best objective of an assignment that gives the
/// park that chain (`None`: no such assignment has a plan); `Err` to skip the problem (rule off,
/// unbounded, too many assignments).
fn oracle(valid: &ValidProblem) -> Result<Vec<Vec<Option<f64>>>, String> {
    let all = assignments(valid);
    if valid.rule().is_none() || all.is_empty() || all.len() > 150 {
        return Err("skip".into());
    }
    let mut best: Vec<Vec<Option<f64>>> = valid
        .all_candidates()
        .iter()
        .map(|c| vec![None; c.len()])
        .collect();
    for a in &all {
        let (status, obj) = solve_assignment(valid, a).map_err(|e| e.to_string())?;
        match status {
            SolveStatus::Optimal => {}
            SolveStatus::Infeasible => continue,
            _ => return Err("skip".into()),
        }
        for (p, &c) in a.iter().enumerate() {
            let slot = valid.all_candidates()[p]
                .iter()
                .position(|&x| x == c)
                .unwrap();
            let b = &mut best[p][slot];
            *b = Some(b.map_or(obj, |v: f64| v.max(obj)));
        }
    }
    Ok(best)
}

/// Prices `valid` and compares every pair with the oracle; `Ok(false)` when skipped.
fn agrees(valid: &ValidProblem, seed: u64) -> Result<bool, String> {
    let Ok(best) = oracle(valid) else {
        return Ok(false);
    };
    let optimum = best
        .iter()
        .flatten()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    if !optimum.is_finite() {
        return Ok(false); // infeasible: no designations to price
    }
    let options = DesignationsOptions {
        parks: Vec::new(),
        solve: SolveOptions::default(),
        jobs: 1,
    };
    let d = designations(valid, "base", &options, &|_, _| {})
        .map_err(|e| format!("seed {seed:#x}: {e}"))?;
    let tol = TOLERANCE * optimum.abs().max(1.0);
    if (d.objective - optimum).abs() > tol {
        return Err(format!(
            "seed {seed:#x}: optimum {} against {optimum}",
            d.objective
        ));
    }
    let p = valid.problem();
    let mut n = 0;
    for (pi, cands) in valid.all_candidates().iter().enumerate() {
        for (slot, &c) in cands.iter().enumerate() {
            let (park, chain) = (p.park_id(parkplan::problem::ParkIx(pi)), p.chain_id(c));
            let x = d
                .designations
                .iter()
                .find(|x| x.park == park && x.chain == chain)
                .ok_or_else(|| format!("seed {seed:#x}: {park} → {chain} missing"))?;
            n += 1;
            match best[pi][slot] {
                None => {
                    if x.status != VariantStatus::Solved(SolveStatus::Infeasible) {
                        return Err(format!(
                            "seed {seed:#x}: {park} → {chain} is {} but no assignment with it has a plan",
                            x.status
                        ));
                    }
                }
                Some(z) => {
                    let want = (optimum - z).max(0.0);
                    let got = x.loss.ok_or_else(|| {
                        format!("seed {seed:#x}: {park} → {chain} has no loss: {x:?}")
                    })?;
                    if (got - want).abs() > tol || got < 0.0 {
                        return Err(format!(
                            "seed {seed:#x}: {park} → {chain} loss {got}, enumeration {want}"
                        ));
                    }
                }
            }
        }
    }
    if n != d.designations.len() {
        return Err(format!("seed {seed:#x}: extra pairs"));
    }
    Ok(true)
}

#[test]
fn every_loss_equals_the_one_enumeration_gives_on_random_problems() {
    let checked: Vec<Result<bool, String>> = (0..60u64)
        .into_par_iter()
        .map(|i| {
            let seed = 0xDE51_0000 + i;
            match validate(generate(seed)) {
                Ok(valid) => agrees(&valid, seed),
                Err(_) => Ok(false),
            }
        })
        .collect();
    let errors: Vec<&String> = checked.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let n = checked.iter().filter(|r| matches!(r, Ok(true))).count();
    assert!(n >= 20, "only {n} problems compared");
}

#[test]
fn every_loss_over_periods_equals_the_one_enumeration_gives() {
    let checked: Vec<Result<bool, String>> = (0..30u64)
        .into_par_iter()
        .map(|i| {
            let seed = 0xDE52_0000 + i;
            match load(&generate_periods(seed)) {
                Ok(valid) => {
                    assert!(valid.horizon().is_some());
                    agrees(&valid, seed)
                }
                Err(_) => Ok(false),
            }
        })
        .collect();
    let errors: Vec<&String> = checked.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let n = checked.iter().filter(|r| matches!(r, Ok(true))).count();
    assert!(n >= 10, "only {n} problems compared");
}

fn priced(args: &[&str]) -> Designations {
    let v = Test::new().args(args).json();
    serde_json::from_value(v).expect("a designations file")
}

#[test]
fn the_worked_problem_prices_each_park_s_other_chain_by_hand() {
    let d = priced(&["designations", THREE, "-f", "json"]);
    assert_eq!(d.objective, 7.0);
    let got: Vec<(&str, &str, bool, Option<f64>)> = d
        .designations
        .iter()
        .map(|x| (x.park.as_str(), x.chain.as_str(), x.chosen, x.loss))
        .collect();
    // a → steel: 5.5, 1.5 below 7; b → steel: 6.5, 0.5 below.
    let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-6);
    assert_eq!(got.len(), 4);
    for (park, chain, chosen, loss) in got {
        let want = match (park, chain) {
            (_, "cement") => 0.0,
            ("a", "steel") => 1.5,
            ("b", "steel") => 0.5,
            other => panic!("{other:?}"),
        };
        assert_eq!(chosen, chain == "cement");
        assert!(close(loss, want), "{park} → {chain}: {loss:?}");
    }
    // The JSON's own shape: the optimum, the gap, and a point loss per pair.
    let raw = Test::new()
        .args(["designations", THREE, "-f", "json"])
        .json();
    assert_eq!(raw["gap"], 1e-6);
    assert!(raw["designations"][0].get("loss").is_some());
    assert!(raw["designations"][0].get("loss_low").is_none());
}

#[test]
fn the_table_ranks_each_park_s_chains_with_the_chosen_one_first() {
    let run = Test::new()
        .args(["designations", THREE])
        .stdout_contains("the price of every designation")
        .stdout_contains("cement *")
        .stdout_contains("* the optimum's main chain")
        .stdout_contains("21.43 %")
        .run();
    let out = &run.stdout;
    let a = out.find("│ a ").expect("park a");
    let (cement, steel) = (
        out[a..].find("cement *").unwrap(),
        out[a..].find("steel").unwrap(),
    );
    assert!(cement < steel, "{out}");
    Test::new()
        .args(["designations", THREE, "-f", "csv"])
        .stdout_contains(
            "park,chain,chosen,status,objective,loss,loss_low,loss_high,loss_share,message\n",
        )
        .stdout_contains("b,steel,false,optimal,6.5,0.5,")
        .run();
    Test::new()
        .args(["designations", THREE, "-f", "markdown"])
        .stdout_contains("| **cement** |")
        .run();
}

#[test]
fn under_a_gap_losses_are_intervals_that_hold_the_exact_ones() {
    let raw = Test::new()
        .args(["designations", THREE, "--gap", "0.05", "-f", "json"])
        .json();
    assert_eq!(raw["gap"], 0.05);
    for x in raw["designations"].as_array().unwrap() {
        assert!(x.get("loss").is_none(), "{x}");
        let lo = x["loss_low"].as_f64().unwrap();
        let hi = x["loss_high"].as_f64().unwrap();
        let exact = match (x["park"].as_str().unwrap(), x["chain"].as_str().unwrap()) {
            (_, "cement") => 0.0,
            ("a", _) => 1.5,
            _ => 0.5,
        };
        assert!(0.0 <= lo && lo <= exact + 1e-9 && exact <= hi + 1e-9, "{x}");
    }
}

#[test]
fn park_picks_the_parks_and_a_wrong_id_is_named() {
    let d = priced(&["designations", THREE, "--park", "b", "-f", "json"]);
    let parks: Vec<&str> = d.designations.iter().map(|x| x.park.as_str()).collect();
    assert_eq!(parks, ["b", "b"]);
    Test::new()
        .args(["designations", THREE, "--park", "bb"])
        .status(2)
        .stderr_contains("no park `bb` in the problem; did you mean `b`?")
        .stdout("")
        .run();
}

#[test]
fn a_scenario_is_priced_on_its_own_data() {
    let file = "problems/liupanshui.yaml";
    let base = priced(&["designations", file, "--park", "faer", "-f", "json"]);
    let dry = priced(&[
        "designations",
        file,
        "--park",
        "faer",
        "--scenario",
        "dry-season",
        "-f",
        "json",
    ]);
    assert_eq!(dry.variant, "dry-season");
    // The optimum of each is that of `solve` for the same variant.
    for (d, scenario) in [(&base, None), (&dry, Some("dry-season"))] {
        let mut t = Test::new().args(["solve", file, "-f", "json", "--no-tie-check"]);
        if let Some(s) = scenario {
            t = t.args(["--scenario", s]);
        }
        let plan = t.json();
        let z = plan["objective"].as_f64().unwrap();
        assert!((d.objective - z).abs() <= 1e-6 * z.abs(), "{scenario:?}");
        assert!(d.designations.iter().all(|x| x.park == "faer"));
    }
    assert!(dry.objective < base.objective);
}

#[test]
fn with_the_rule_off_there_is_nothing_to_price() {
    Test::new()
        .args(["designations", "problems/small/city-pool.yaml"])
        .status(2)
        .stderr_contains("the one-main-chain rule is off")
        .stdout("")
        .run();
    Test::new()
        .args([
            "designations",
            "problems/liupanshui.yaml",
            "--scenario",
            "no-main-chain-rule",
        ])
        .status(2)
        .stderr_contains("no designation to price")
        .run();
}

#[test]
fn report_draws_the_heat_map_and_the_workbook_has_its_sheet() {
    let t = Test::new();
    let json = t.tmp("d.json");
    let html = t.tmp("d.html");
    let md = t.tmp("d.md");
    let xlsx = t.tmp("d.xlsx");
    let _run = t
        .args([
            "designations",
            "problems/liupanshui.yaml",
            "-f",
            "json",
            "-o",
        ])
        .arg(&json)
        .run();
    Test::new()
        .arg("report")
        .arg(&json)
        .arg("-o")
        .arg(&html)
        .run();
    let page = std::fs::read_to_string(&html).unwrap();
    for needle in [
        "chart-designations",
        "class=\"chosen\"",
        "class=\"infeasible\"",
        "fill=\"url(#hatch)\"",
        "loss (bn CNY/yr)",
        "the optimum's main chain",
        "Designations `base`",
    ] {
        assert!(page.contains(needle), "{needle} missing");
    }
    // Every park's chosen chain is outlined: one mark per park.
    assert_eq!(page.matches("class=\"chosen\"").count(), 8);
    Test::new()
        .arg("report")
        .arg(&json)
        .arg("-o")
        .arg(&md)
        .run();
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.contains("| **coking** |"), "{text}");
    Test::new()
        .args([
            "designations",
            "problems/liupanshui.yaml",
            "--park",
            "faer",
            "-f",
            "xlsx",
            "-o",
        ])
        .arg(&xlsx)
        .run();
    let bytes = std::fs::read(&xlsx).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an xlsx file");
    assert!(book.sheet_names().contains(&"Totals".to_string()));
    let sheet = book.worksheet_range("Designations").expect("the sheet");
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows[0][8], Data::String("Loss (bn CNY/yr)".into()));
    // faer: gangue_power (chosen), bricks, cement, ceramsite.
    assert_eq!(rows.len(), 1 + 4);
    assert!(
        rows.iter()
            .any(|r| r[3] == Data::String("gangue_power".into())
                && r[5] == Data::String("yes".into()))
    );
}

#[test]
fn a_stopped_run_writes_the_pairs_it_finished() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g100.yaml");
    // A problem whose every solve runs into its 2 s limit: the optimum, then one pair after
    // another (one at a time); the signal comes once the optimum is surely done.
    Test::new()
        .args([
            "generate",
            "--parks",
            "100",
            "--chains",
            "40",
            "--exchange",
            "across",
        ])
        .args(["--seed", "1", "-o"])
        .arg(&file)
        .run();
    let text = std::fs::read_to_string(&file).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let first = doc["parks"]
        .as_mapping()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    let out = dir.path().join("d.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_parkplan"))
        .args([
            "designations",
            "-j",
            "1",
            "--time-limit",
            "2",
            "--mip-start",
            "on",
        ])
        .args(["--park", &first, "-f", "json", "-o"])
        .arg(&out)
        .arg(&file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(5));
    if child.try_wait().unwrap().is_none() {
        // SAFETY: kill(2) with the pid of a child this test started and has not reaped.
        let r = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        assert_eq!(r, 0);
    }
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no end after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!err.contains("panicked"), "{err}");
    let d: Designations =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).unwrap();
    // The chosen chain is priced by the optimum itself; at most two solves of pairs have begun.
    assert!(d.designations.iter().any(|x| x.chosen), "{d:?}");
    assert!(d.unsolved > 0, "{d:?}");
    assert_eq!(status.code(), Some(8), "{err}");
    assert!(
        err.contains("stopped by Ctrl-C: ") && err.contains("not started"),
        "{err}"
    );
    assert!(d.designations.iter().all(|x| x.park == first));
}

/// SIGTERM during the optimum's own solve: the result names SIGTERM as what stopped it, in the
/// JSON (`stopped_by`), in each pair's message and on standard error. (Before, the JSON said only
/// `time_limit`, the messages "stopped by the time limit", and standard error "stopped:".)
#[test]
fn sigterm_during_the_optimum_is_named_as_the_cause() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g100.yaml");
    // Minutes to prove optimal (see above): the signal, 3 s in, comes during the optimum's solve,
    // which has no time limit of its own.
    Test::new()
        .args(["generate", "--parks", "100", "--chains", "40"])
        .args(["--exchange", "across", "--seed", "1", "-o"])
        .arg(&file)
        .run();
    let out = dir.path().join("d.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_parkplan"))
        .args(["designations", "-j", "1", "--mip-start", "on", "-f", "json"])
        .arg("-o")
        .arg(&out)
        .arg(&file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        child.try_wait().unwrap().is_none(),
        "ended before the signal"
    );
    // SAFETY: kill(2) with the pid of a child this test started and has not reaped.
    let r = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(r, 0);
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no end after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!err.contains("the time limit"), "{err}");
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    if status.code() == Some(6) {
        // The start had found no plan yet: nothing to price, and the message says why.
        assert!(
            err.contains("stopped by SIGTERM before any feasible plan"),
            "{err}"
        );
        return;
    }
    assert_eq!(status.code(), Some(8), "{err}");
    assert!(err.contains("stopped by SIGTERM: "), "{err}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["status"], "time_limit", "{json}");
    assert_eq!(json["stopped_by"], "sigterm", "{json}");
    let chosen: Vec<&serde_json::Value> = json["designations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["chosen"] == true)
        .collect();
    assert!(!chosen.is_empty(), "{json}");
    for x in chosen {
        let m = x["message"].as_str().unwrap_or_default();
        assert!(m.contains("stopped by SIGTERM"), "{x}");
    }
}
