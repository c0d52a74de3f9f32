//! `parkplan solve`: formats, output files, exit codes of every status.

use crate::common::{Test, path, rel_diff};

#[test]
fn flagship_plan_names_a_main_chain_for_all_eight_parks() {
    let plan = Test::new()
        .args(["solve", "problems/liupanshui.yaml", "--format", "json"])
        .json();
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
    let mut test = Test::new().args(["solve", "problems/liupanshui.yaml"]);
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
        test = test.stdout_contains(format!("■ {park}"));
    }
    for section in [
        "main chain:",
        "City pools",
        "Material flows between parks",
        "Shadow prices",
        "Totals",
    ] {
        test = test.stdout_contains(section);
    }
    test.run();
}

#[test]
fn yaml_and_csv_carry_the_same_objective() {
    let solve = |format: &str| {
        Test::new()
            .args(["solve", "problems/small/chain-limits.yaml", "-f", format])
            .run()
    };
    let json = solve("json").json();
    let yaml = solve("yaml");
    let y: serde_yaml::Value = serde_yaml::from_str(&yaml.stdout).unwrap();
    assert_eq!(y["objective"].as_f64(), json["objective"].as_f64());
    let csv = solve("csv");
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
    let test = Test::new();
    let out = test.tmp("plan.json");
    let run = test
        .arg("solve")
        .arg(path("problems/small/city-pool.yaml"))
        .args(["-f", "json", "-o"])
        .arg(&out)
        .stdout("")
        .run();
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(plan["objective"].as_f64(), Some(17.0));
    // A folder that does not exist: an error, exit 1, and no file.
    let bad = run.tmp("missing/plan.json");
    Test::new()
        .arg("solve")
        .arg(path("problems/small/city-pool.yaml"))
        .arg("-o")
        .arg(&bad)
        .status(1)
        .stderr_contains("cannot write")
        .run();
    assert!(!bad.exists());
}

#[test]
fn scenario_changes_the_plan() {
    let base = Test::new()
        .args(["solve", "problems/liupanshui.yaml", "-f", "json"])
        .json();
    let dry = Test::new()
        .args([
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
    Test::new()
        .args([
            "solve",
            "problems/liupanshui.yaml",
            "--scenario",
            "dry-seasn",
        ])
        .status(2)
        .stderr_contains("no scenario named `dry-seasn`")
        .stderr_contains("did you mean `dry-season`?")
        .run();
}

#[test]
fn infeasible_and_unbounded_are_statuses_with_their_own_exit_codes() {
    let run = Test::new()
        .args([
            "solve",
            "problems/small/infeasible-capacity.yaml",
            "-f",
            "json",
        ])
        .status(3)
        .stderr_contains("infeasible")
        .run();
    assert_eq!(run.json()["status"], "infeasible");
    let run = Test::new()
        .args(["solve", "problems/small/unbounded.yaml", "-f", "json"])
        .status(4)
        .run();
    assert_eq!(run.json()["status"], "unbounded");
    assert!(run.json()["objective"].is_null());
}

#[test]
fn gap_and_time_limit_are_checked() {
    Test::new()
        .args(["solve", "problems/small/city-pool.yaml", "--gap", "-1"])
        .status(2)
        .run();
    Test::new()
        .args([
            "solve",
            "problems/small/city-pool.yaml",
            "--time-limit",
            "0",
        ])
        .status(2)
        .run();
    let plan = Test::new()
        .args([
            "solve",
            "problems/liupanshui.yaml",
            "--gap",
            "0.05",
            "-f",
            "json",
        ])
        .json();
    assert!(plan["gap"].as_f64().unwrap() <= 0.05);
}

#[test]
fn a_tiny_time_limit_stops_with_or_without_a_plan() {
    // Which of the two happens depends on the machine; both are reported, neither is an error.
    let run = Test::new()
        .args([
            "solve",
            "problems/liupanshui.yaml",
            "--time-limit",
            "0.000001",
            "-f",
            "json",
        ])
        .any_status()
        .run();
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
    Test::new()
        .file("x.yaml", "")
        .in_tempdir()
        .args(["solve", "nope.yaml"])
        .status(2)
        .stderr_contains("cannot read")
        .run();
}

/// The lines of `table` between the line starting `from` and the next empty line.
fn block<'a>(table: &'a str, from: &str) -> Vec<&'a str> {
    table
        .lines()
        .skip_while(|l| !l.starts_with(from))
        .take_while(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_terminal_table_puts_units_on_totals_pools_and_waste() {
    let out = Test::new()
        .args(["solve", "problems/liupanshui.yaml"])
        .run()
        .stdout;
    let totals = block(&out, "Totals");
    for (label, unit) in [
        ("output value", "bn CNY/yr"),
        ("reuse value", "bn CNY/yr"),
        ("transport cost", "bn CNY/yr"),
        ("purchase cost", "bn CNY/yr"),
        ("disposal cost", "bn CNY/yr"),
        ("waste reused", "Mt/yr"),
        ("objective", "bn CNY/yr"),
    ] {
        let line = totals
            .iter()
            .find(|l| l.contains(&format!("│ {label} ")))
            .unwrap_or_else(|| panic!("no {label} in {totals:?}"));
        assert!(line.contains(&format!(" {unit} │")), "{line}");
    }
    // Power is in thousands in the pool: one decimal for its use and its pool alike.
    let pools = block(&out, "City pools");
    let power = pools.iter().find(|l| l.contains("│ power")).unwrap();
    assert!(power.contains("-2457.1 GWh/yr"), "{power}");
    assert!(power.contains("650.0 GWh/yr"), "{power}");
    assert!(power.contains("bn CNY/yr per GWh/yr"), "{power}");
    let liuzhi = block(&out, "■ liuzhi");
    assert!(
        liuzhi[1].contains("output value: 21.986 bn CNY/yr"),
        "{liuzhi:?}"
    );
    let waste = liuzhi.iter().find(|l| l.starts_with("  waste: ")).unwrap();
    assert!(
        waste.contains("fly_ash generated 1.133 Mt/yr, reused 0.327 Mt/yr"),
        "{waste}"
    );
}

#[test]
fn the_terminal_table_draws_no_main_chain_with_the_rule_off() {
    let on = Test::new()
        .args(["solve", "problems/liupanshui.yaml"])
        .run()
        .stdout;
    assert_eq!(on.matches("  main chain: ").count(), 8, "{on}");
    assert_eq!(on.matches(" ★ ").count(), 8, "{on}");
    let off = Test::new()
        .args([
            "solve",
            "problems/liupanshui.yaml",
            "--scenario",
            "no-main-chain-rule",
        ])
        .run()
        .stdout;
    assert!(off.contains("■ liuzhi"), "{off}");
    assert!(!off.contains("main chain:"), "{off}");
    assert!(!off.contains('★'), "{off}");
}
