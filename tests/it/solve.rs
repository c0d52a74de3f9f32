//! `parkplan solve`: formats, output files, exit codes of every status.

use crate::common::{parkplan, path, rel_diff, temp_problem};

#[test]
fn flagship_plan_names_a_main_chain_for_all_eight_parks() {
    let run = parkplan(["solve", "problems/liupanshui.yaml", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let plan = run.json();
    assert_eq!(plan["status"], "optimal");
    for key in ["objective", "output_value", "reuse_value"] {
        assert!(plan[key].is_number(), "{key} missing");
    }
    let main = plan["main_chains"].as_object().unwrap();
    assert_eq!(main.len(), 8, "{main:?}");
    for park in main.keys() {
        assert!(plan["activities"][park].is_object(), "activities of {park}");
    }
    assert!(plan["flows"].is_array());
    assert!(plan["resources"].as_array().unwrap().len() >= 8);
    // The parts add up to the objective.
    let parts = plan["output_value"].as_f64().unwrap() + plan["reuse_value"].as_f64().unwrap()
        - plan["transport_cost"].as_f64().unwrap()
        - plan["purchase_cost"].as_f64().unwrap()
        - plan["disposal_cost"].as_f64().unwrap();
    assert!(rel_diff(parts, plan["objective"].as_f64().unwrap()) < 1e-6);
}

#[test]
fn table_is_the_default_and_shows_every_park() {
    let run = parkplan(["solve", "problems/liupanshui.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for park in [
        "liuzhi",
        "shuicheng",
        "hidz",
        "zhongshan",
        "faer",
        "pannan",
        "panbei",
        "hongguo",
    ] {
        assert!(run.stdout.contains(&format!("■ {park}")), "{park} missing");
    }
    for section in [
        "main chain:",
        "City pools",
        "Material flows between parks",
        "Shadow prices",
        "Totals",
    ] {
        assert!(run.stdout.contains(section), "{section} missing");
    }
}

#[test]
fn yaml_and_csv_carry_the_same_objective() {
    let json = parkplan(["solve", "problems/small/chain-limits.yaml", "-f", "json"]).json();
    let yaml = parkplan(["solve", "problems/small/chain-limits.yaml", "-f", "yaml"]);
    let y: serde_yaml::Value = serde_yaml::from_str(&yaml.stdout).unwrap();
    assert_eq!(y["objective"].as_f64(), json["objective"].as_f64());
    let csv = parkplan(["solve", "problems/small/chain-limits.yaml", "-f", "csv"]);
    assert!(csv.stdout.starts_with("record,park,item,target,value"));
    let line = csv
        .stdout
        .lines()
        .find(|l| l.starts_with("total,,objective,"))
        .unwrap();
    let v: f64 = line.split(',').nth(4).unwrap().parse().unwrap();
    assert_eq!(Some(v), json["objective"].as_f64());
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.json");
    let run = parkplan([
        "solve".as_ref(),
        path("problems/small/city-pool.yaml").as_os_str(),
        "-f".as_ref(),
        "json".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(plan["objective"].as_f64(), Some(17.0));
    // A folder that does not exist: an error, exit 1, and no file.
    let bad = dir.path().join("missing/plan.json");
    let run = parkplan([
        "solve".as_ref(),
        path("problems/small/city-pool.yaml").as_os_str(),
        "-o".as_ref(),
        bad.as_os_str(),
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
    assert!(!bad.exists());
}

#[test]
fn scenario_changes_the_plan() {
    let base = parkplan(["solve", "problems/liupanshui.yaml", "-f", "json"]).json();
    let dry = parkplan([
        "solve",
        "problems/liupanshui.yaml",
        "--scenario",
        "dry-season",
        "-f",
        "json",
    ])
    .json();
    assert!(dry["objective"].as_f64().unwrap() < base["objective"].as_f64().unwrap());
    assert_eq!(dry["variant"], "dry-season");
}

#[test]
fn unknown_scenario_is_bad_input_with_a_hint() {
    let run = parkplan([
        "solve",
        "problems/liupanshui.yaml",
        "--scenario",
        "dry-seasn",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no scenario named `dry-seasn`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `dry-season`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn infeasible_and_unbounded_are_statuses_with_their_own_exit_codes() {
    let run = parkplan([
        "solve",
        "problems/small/infeasible-capacity.yaml",
        "-f",
        "json",
    ]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(run.json()["status"], "infeasible");
    assert!(run.stderr.contains("infeasible"));
    let run = parkplan(["solve", "problems/small/unbounded.yaml", "-f", "json"]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert_eq!(run.json()["status"], "unbounded");
    assert!(run.json()["objective"].is_null());
}

#[test]
fn gap_and_time_limit_are_checked() {
    let run = parkplan(["solve", "problems/small/city-pool.yaml", "--gap", "-1"]);
    assert_eq!(run.code, 2);
    let run = parkplan([
        "solve",
        "problems/small/city-pool.yaml",
        "--time-limit",
        "0",
    ]);
    assert_eq!(run.code, 2);
    let run = parkplan([
        "solve",
        "problems/liupanshui.yaml",
        "--gap",
        "0.05",
        "-f",
        "json",
    ]);
    assert_eq!(run.code, 0);
    assert!(run.json()["gap"].as_f64().unwrap() <= 0.05);
}

#[test]
fn a_tiny_time_limit_stops_with_or_without_a_plan() {
    // Which of the two happens depends on the machine; both are reported, neither is an error.
    let run = parkplan([
        "solve",
        "problems/liupanshui.yaml",
        "--time-limit",
        "0.000001",
        "-f",
        "json",
    ]);
    let status = run.json()["status"].as_str().unwrap().to_string();
    match run.code {
        5 => assert_eq!(status, "time_limit"),
        6 => assert_eq!(status, "no_solution"),
        0 => assert_eq!(status, "optimal"),
        c => panic!("exit code {c}: {}", run.stderr),
    }
}

#[test]
fn missing_file_is_bad_input() {
    let (_d, p) = temp_problem("x.yaml", "");
    let run = parkplan(["solve".as_ref(), p.with_file_name("nope.yaml").as_os_str()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
}
