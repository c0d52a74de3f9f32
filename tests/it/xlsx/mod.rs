//! `--format xlsx`: workbooks read back with calamine, every sheet and every cell checked against
//! the JSON plans of the same run.

mod expected;
mod units;

use std::path::Path;
use std::process::{Command, Stdio};

use calamine::Data;

use crate::common::{Test, path, root};
use expected::{Labels, SHEETS, Value, Variant, check, expected, json, list, read};

/// Runs the binary with `args` in `dir`; its exit code and what it wrote on standard output, as
/// bytes.
fn run_bytes(args: &[&str], dir: &Path) -> (i32, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_parkplan"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("the parkplan binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().unwrap_or(-1), out.stdout, stderr)
}

#[test]
fn solve_writes_a_workbook_of_every_table_of_the_json_plan() {
    let file = path("problems/liupanshui.yaml");
    let run = Test::new()
        .arg("solve")
        .arg(&file)
        .args(["-f", "xlsx", "-o"])
        .arg("plan.xlsx")
        .in_tempdir()
        .stdout("")
        .run();
    let bytes = std::fs::read(run.tempdir.path().join("plan.xlsx")).unwrap();
    let plan = json(
        &Test::new()
            .arg("solve")
            .arg(&file)
            .args(["-f", "json"])
            .run()
            .stdout,
    );
    // The plan carries the file's units and display names; the workbook's headers and labels use
    // them.
    assert_eq!(plan["units"]["output"], "bn CNY/yr");
    assert_eq!(plan["units"]["materials"], "Mt/yr");
    assert_eq!(plan["names"]["parks"]["pannan"], "Pannan Industrial Park");
    assert!(plan["names"]["zones"]["east"].is_string());
    let l = Labels {
        units: &plan["units"],
        names: &plan["names"],
    };
    let variants = [Variant {
        label: "base".into(),
        status: "optimal".into(),
        note: None,
        plan: Some(&plan),
    }];
    let want = expected(&variants, None, &l);
    // The workbook is not empty where the plan is not.
    assert!(want[4].len() > 5 && want[5].len() > 5 && want[6].len() > 1);
    check(&bytes, &want);

    let got = read(&bytes);
    assert_eq!(
        got[0].1[0][3],
        Data::String("Output value (bn CNY/yr)".into())
    );
    let resources = &got[5].1;
    let land = resources
        .iter()
        .find(|r| r[1] == Data::String("pannan".into()) && r[3] == Data::String("land".into()))
        .expect("Pannan's land");
    assert_eq!(land[2], Data::String("Pannan Industrial Park".into()));
    assert_eq!(land[4], Data::String("Industrial land".into()));
    assert_eq!(land[5], Data::String("km²".into()));
    assert!(
        matches!(land[10], Data::Float(_)),
        "a shadow price is a number"
    );
}

#[test]
fn sweep_writes_every_variant_side_by_side_on_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = path("problems/liupanshui.yaml");
    let (code, bytes, stderr) = run_bytes(
        &[
            "sweep",
            file.to_str().unwrap(),
            "--sweep",
            "reuse-rate",
            "-f",
            "xlsx",
            "-o",
            "out",
        ],
        dir.path(),
    );
    // One point is infeasible: the batch is incomplete.
    assert_eq!(code, 8, "{stderr}");
    let summary = json(&std::fs::read_to_string(dir.path().join("out/summary.json")).unwrap());
    let plans: Vec<Option<Value>> = list(&summary["variants"])
        .iter()
        .map(|v| {
            let file = v["plan"].as_str()?;
            let text = std::fs::read_to_string(dir.path().join("out").join(file)).unwrap();
            Some(json(&text))
        })
        .collect();
    let variants: Vec<Variant> = list(&summary["variants"])
        .iter()
        .zip(&plans)
        .map(|(v, p)| Variant {
            label: v["name"].as_str().unwrap().into(),
            status: v["status"].as_str().unwrap().into(),
            note: v["message"].as_str().map(String::from),
            plan: p
                .as_ref()
                .filter(|p| matches!(p["status"].as_str(), Some("optimal" | "time_limit"))),
        })
        .collect();
    assert_eq!(variants.len(), 7);
    assert!(
        variants
            .iter()
            .any(|v| v.plan.is_none() && v.note.is_some())
    );
    let base = variants[0].plan.unwrap();
    assert_eq!(variants[0].label, "base");
    let l = Labels {
        units: &base["units"],
        names: &base["names"],
    };
    check(&bytes, &expected(&variants, Some(base), &l));
}

#[test]
fn compare_and_alternatives_write_their_plans_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let file = path("problems/liupanshui.yaml");
    let file = file.to_str().unwrap();
    for (args, out) in [
        (vec!["compare", "--scenarios", file], "compare.xlsx"),
        (vec!["alternatives", file, "-k", "3"], "alternatives.xlsx"),
    ] {
        let mut xlsx = args.clone();
        xlsx.extend(["-f", "xlsx", "-o", out]);
        let (code, stdout, stderr) = run_bytes(&xlsx, dir.path());
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.is_empty());
        let mut as_json = args.clone();
        as_json.extend(["-f", "json"]);
        if args[0] == "alternatives" {
            as_json.extend(["--plans", "plans"]);
        }
        let (code, stdout, stderr) = run_bytes(&as_json, dir.path());
        assert_eq!(code, 0, "{stderr}");
        let j = json(&String::from_utf8(stdout).unwrap());
        let (plans, base): (Vec<(String, Value)>, usize) = if args[0] == "compare" {
            let plans: Vec<(String, Value)> = list(&j["plans"])
                .iter()
                .map(|np| (np["label"].as_str().unwrap().into(), np["plan"].clone()))
                .collect();
            let base = plans
                .iter()
                .position(|(l, _)| j["base"].as_str() == Some(l.as_str()))
                .unwrap();
            (plans, base)
        } else {
            let plans = list(&j["plans"])
                .iter()
                .map(|alt| {
                    let rank = alt["rank"].as_u64().unwrap();
                    let text =
                        std::fs::read_to_string(dir.path().join(format!("plans/plan-{rank}.json")))
                            .unwrap();
                    (format!("plan-{rank}"), json(&text))
                })
                .collect();
            (plans, 0)
        };
        assert!(plans.len() > 1, "{args:?}");
        let variants: Vec<Variant> = plans
            .iter()
            .map(|(label, p)| Variant {
                label: label.clone(),
                status: p["status"].as_str().unwrap().into(),
                note: None,
                plan: Some(p),
            })
            .collect();
        let l = Labels {
            units: &plans[0].1["units"],
            names: &plans[0].1["names"],
        };
        let bytes = std::fs::read(dir.path().join(out)).unwrap();
        check(&bytes, &expected(&variants, Some(&plans[base].1), &l));
    }
}

#[test]
fn a_plan_of_a_file_without_units_or_names_keeps_its_shape() {
    let file = path("problems/small/main-chain-basic.yaml");
    let plan = json(
        &Test::new()
            .arg("solve")
            .arg(&file)
            .args(["-f", "json"])
            .run()
            .stdout,
    );
    assert!(plan.get("units").is_none() && plan.get("names").is_none());
    let run = Test::new()
        .arg("solve")
        .arg(&file)
        .args(["-f", "xlsx", "-o", "plan.xlsx"])
        .in_tempdir()
        .run();
    let bytes = std::fs::read(run.tempdir.path().join("plan.xlsx")).unwrap();
    let variants = [Variant {
        label: "base".into(),
        status: "optimal".into(),
        note: None,
        plan: Some(&plan),
    }];
    let got = read(&bytes);
    assert_eq!(got[0].1[0][3], Data::String("Output value".into()));
    let l = Labels {
        units: &Value::Null,
        names: &Value::Null,
    };
    check(&bytes, &expected(&variants, None, &l));
}

#[test]
fn through_a_pipe_the_workbook_goes_to_standard_output_whole() {
    let (code, bytes, stderr) = run_bytes(
        &[
            "solve",
            path("problems/small/main-chain-basic.yaml")
                .to_str()
                .unwrap(),
            "-f",
            "xlsx",
        ],
        &root(),
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(read(&bytes).len(), SHEETS.len());
}

#[test]
fn a_workbook_is_refused_on_a_terminal_before_anything_is_solved() {
    // `script` runs the command on a pseudo-terminal.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_parkplan");
    let file = path("problems/liupanshui.yaml");
    for (args, hint) in [
        (format!("solve {} -f xlsx", file.display()), "-o plan.xlsx"),
        (
            format!("sweep {} -f xlsx", file.display()),
            "-f xlsx > sweep.xlsx",
        ),
        (
            format!("compare --scenarios {} -f xlsx", file.display()),
            "-o comparison.xlsx",
        ),
        (
            format!("alternatives {} -f xlsx", file.display()),
            "-o alternatives.xlsx",
        ),
    ] {
        let out = Command::new("script")
            .args(["-qec", &format!("{bin} {args}"), "/dev/null"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{args}: {text}");
        assert!(
            text.contains("error: an xlsx workbook is not for a terminal") && text.contains(hint),
            "{args}: {text}"
        );
    }
}

/// A workbook that cannot be written where asked is kept in a new file (beside the target, or
/// here in the current folder when the target's folder does not exist), named in the error; its
/// bytes never go to standard output. (Before, they were poured onto standard output.)
#[test]
fn a_workbook_that_cannot_be_written_is_kept_in_a_file_not_printed() {
    let run = Test::new()
        .file("plan.rescued.xlsx", "taken")
        .in_tempdir()
        .arg("solve")
        .arg(path("problems/small/city-pool.yaml"))
        .args(["-f", "xlsx", "-o", "no/such/folder/plan.xlsx"])
        .status(1)
        .stdout("")
        .stderr_contains("error: cannot write no/such/folder/plan.xlsx: ")
        // An existing file is never overwritten: the next free name is taken.
        .stderr_contains("= note: the result is kept in ./plan.rescued-2.xlsx instead")
        .run();
    let kept = std::fs::read(run.tmp("plan.rescued-2.xlsx")).unwrap();
    assert_eq!(read(&kept).len(), SHEETS.len(), "{}", run.stderr);
    let taken = std::fs::read_to_string(run.tmp("plan.rescued.xlsx")).unwrap();
    assert_eq!(taken, "taken");
}

/// A small problem with units, display names (one of them not in Latin script) and a sweep with
/// one invalid point.
const NAMED: &str = r#"
name: Two parks
units: { output: bn CNY/yr, materials: Mt/yr }
resources:
  land: { name: Industrial land, unit: km2 }
zones:
  north: { name: Northern zone }
parks:
  a: { name: Pannan (盘南), zone: north, capacity: { land: 20 } }
  b: { zone: north, capacity: { land: 8 } }
chains:
  power:
    name: Coal power
    output: 1.0
    uses: { land: 0.5 }
    materials: { fly_ash: 0.55 }
    supports: [bricks]
    max_per_park: 3
  bricks:
    output: 0.3
    uses: { land: 0.15 }
    materials: { fly_ash: -2.0 }
    max_per_park: 5
materials:
  fly_ash: { name: Fly ash, reuse_value: 0.05 }
rules:
  one_main_chain: { min_share: 0.5 }
sweeps:
  land:
    vary:
      parks.a.capacity.land: [1, -2, 6]
"#;

#[test]
fn a_sweep_workbook_lists_an_invalid_variant_with_why() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("named.yaml"), NAMED).unwrap();
    let (code, bytes, stderr) = run_bytes(
        &["sweep", "named.yaml", "-f", "xlsx", "-o", "out"],
        dir.path(),
    );
    assert_eq!(code, 8, "{stderr}");
    let summary = json(&std::fs::read_to_string(dir.path().join("out/summary.json")).unwrap());
    let plans: Vec<Option<Value>> = list(&summary["variants"])
        .iter()
        .map(|v| {
            let file = v["plan"].as_str()?;
            Some(json(
                &std::fs::read_to_string(dir.path().join("out").join(file)).unwrap(),
            ))
        })
        .collect();
    let variants: Vec<Variant> = list(&summary["variants"])
        .iter()
        .zip(&plans)
        .map(|(v, p)| Variant {
            label: v["name"].as_str().unwrap().into(),
            status: v["status"].as_str().unwrap().into(),
            note: v["message"].as_str().map(String::from),
            plan: p.as_ref(),
        })
        .collect();
    assert_eq!(variants.len(), 4);
    assert!(
        variants
            .iter()
            .any(|v| v.status == "invalid" && v.plan.is_none() && v.note.is_some())
    );
    let base = variants[0].plan.unwrap();
    let l = Labels {
        units: &base["units"],
        names: &base["names"],
    };
    check(&bytes, &expected(&variants, Some(base), &l));
    let got = read(&bytes);
    assert_eq!(got[1].1[0][1], Data::String("Pannan (盘南)".into()));
    assert_eq!(got[2].1[0][2], Data::String("b (bn CNY/yr)".into()));
    let invalid = got[0]
        .1
        .iter()
        .find(|r| r[1] == Data::String("invalid".into()))
        .unwrap();
    assert!(
        invalid[2..11].iter().all(|c| *c == Data::Empty),
        "{invalid:?}"
    );
}

/// The rows of a workbook's sheet `name`.
fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<Data>> {
    read(bytes)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
        .1
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The sheet `name` of the workbook `compare --scenarios FILE -f xlsx` writes.
fn compare_sheet(file: &str, name: &str) -> Vec<Vec<Data>> {
    let dir = tempfile::tempdir().unwrap();
    let file = path(file);
    let args = [
        "compare",
        "--scenarios",
        file.to_str().unwrap(),
        "-f",
        "xlsx",
        "-o",
        "c.xlsx",
    ];
    let (code, _, stderr) = run_bytes(&args, dir.path());
    assert_eq!(code, 0, "{stderr}");
    sheet(&std::fs::read(dir.path().join("c.xlsx")).unwrap(), name)
}

#[test]
fn a_comparison_workbook_has_the_changes_of_each_scenario_per_park_and_zone() {
    let rows = compare_sheet("problems/liupanshui.yaml", "Changes");
    let head: Vec<String> = rows[0].iter().map(cell_text).collect();
    assert_eq!(
        head,
        [
            "Variant",
            "Base",
            "Level",
            "Place",
            "Quantity",
            "Unit",
            "In base",
            "In variant",
            "Change",
            "Note"
        ]
    );
    let find = |variant: &str, place: &str, quantity: &str| {
        rows.iter()
            .find(|r| {
                cell_text(&r[0]) == variant
                    && cell_text(&r[3]) == place
                    && cell_text(&r[4]) == quantity
            })
            .unwrap_or_else(|| panic!("no row {variant} {place} {quantity}"))
            .clone()
    };
    let number = |d: &Data| match d {
        Data::Float(v) => *v,
        Data::Int(v) => *v as f64,
        other => panic!("{other:?} is not a number"),
    };
    // The dry season: Liuzhi's water capacity 30 → 21 Mm³/yr, all parks 163.5 → 114.45.
    let water = find("dry-season", "liuzhi", "water capacity");
    assert_eq!(cell_text(&water[1]), "base");
    assert_eq!(cell_text(&water[2]), "park");
    assert_eq!(cell_text(&water[5]), "Mm³/yr");
    assert!((number(&water[6]) - 30.0).abs() < 1e-9);
    assert!((number(&water[7]) - 21.0).abs() < 1e-9);
    assert!((number(&water[8]) + 9.0).abs() < 1e-9);
    let all = find("dry-season", "all", "water capacity");
    assert_eq!(cell_text(&all[2]), "all parks");
    assert!((number(&all[7]) - 114.45).abs() < 1e-9);
    for zone in ["east", "north", "south"] {
        let z = find("dry-season", zone, "output value");
        assert_eq!(cell_text(&z[2]), "zone");
        assert_eq!(cell_text(&z[5]), "bn CNY/yr");
    }
    // Strict main chain: Shuicheng switches, and no tie says it could keep its chain.
    let main = find("strict-main-chain", "shuicheng", "main chain");
    assert_eq!(
        [
            cell_text(&main[6]),
            cell_text(&main[7]),
            cell_text(&main[9])
        ],
        ["coal_mine", "aluminium", "switched"]
    );
    // With the rule off no main chain is named.
    let off = find("no-main-chain-rule", "liuzhi", "main chain");
    assert_eq!(cell_text(&off[6]), "");
    assert_eq!(cell_text(&off[9]), "one-main-chain rule off");
}

#[test]
fn the_totals_sheet_states_a_tie_and_the_reuse_rate() {
    let rows = compare_sheet("tests/data/ties.yaml", "Totals");
    let head: Vec<String> = rows[0].iter().map(cell_text).collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    for r in &rows[1..] {
        let tied = cell_text(&r[col("Tied main chains")]);
        assert!(tied == "a → steel" || tied == "a → cement", "{r:?}");
    }
    assert_eq!(head[2], "Objective");
    let rows = compare_sheet("problems/liupanshui.yaml", "Totals");
    let head: Vec<String> = rows[0].iter().map(cell_text).collect();
    assert_eq!(head[2], "Objective (bn CNY/yr)");
    assert_eq!(head[5], "Transport cost (bn CNY/yr)");
    let rate = head.iter().position(|h| h == "Waste reuse rate").unwrap();
    // Base: 80.0 % of the waste generated is reused (the Markdown report says the same).
    match &rows[1][rate] {
        Data::Float(v) => assert!((v - 0.80).abs() < 5e-4, "{v}"),
        other => panic!("{other:?}"),
    }
}
