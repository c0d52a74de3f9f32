//! `parkplan compare`: plan files and a problem's scenarios side by side, with changes against a
//! base, in every format.

use crate::common::{Test, rel_diff};

/// Known optima of Liupanshui's variants (their `expected:` blocks; confirmed by enumeration).
const LIUPANSHUI: [(&str, f64); 7] = [
    ("base", 141.105828),
    ("dry-season", 135.353254),
    ("energy-investment-group", 159.271885),
    ("tax-rebate-pilot", 148.891694),
    ("strict-main-chain", 140.202841),
    // Without the one-main-chain rule: above the base, as a relaxation must be.
    ("no-main-chain-rule", 148.361458),
    ("small-park-land", 143.986489),
];

fn total<'a>(c: &'a serde_json::Value, item: &str) -> &'a Vec<serde_json::Value> {
    c["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["item"] == item)
        .unwrap_or_else(|| panic!("no total {item}"))["values"]
        .as_array()
        .unwrap()
}

fn park_line<'a>(c: &'a serde_json::Value, park: &str, item: &str) -> &'a serde_json::Value {
    let p = c["parks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["park"] == park)
        .unwrap_or_else(|| panic!("no park {park}"));
    p["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["item"] == item)
        .unwrap_or_else(|| panic!("no line {item} in {park}"))
}

#[test]
fn liupanshui_scenarios_side_by_side() {
    let c = Test::new()
        .args([
            "compare",
            "--scenarios",
            "problems/liupanshui.yaml",
            "-f",
            "json",
        ])
        .json();
    assert_eq!(c["base"], "base");
    let variants: Vec<&str> = c["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(variants, LIUPANSHUI.map(|(v, _)| v));
    let objective = total(&c, "objective");
    for (i, (name, want)) in LIUPANSHUI.iter().enumerate() {
        let got = objective[i].as_f64().unwrap();
        assert!(rel_diff(got, *want) < 1e-6, "{name}: {got} vs {want}");
    }
    // Deltas are value − base, line by line.
    let line = c["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["item"] == "objective")
        .unwrap();
    for i in 0..LIUPANSHUI.len() {
        let d = line["deltas"][i].as_f64().unwrap();
        let want = objective[i].as_f64().unwrap() - objective[0].as_f64().unwrap();
        assert!((d - want).abs() < 1e-9);
    }
    assert_eq!(c["parks"].as_array().unwrap().len(), 8);
    // Under the strict rule Shuicheng's main chain becomes aluminium (its `expected:` block).
    let main = park_line(&c, "shuicheng", "main_chain");
    assert_eq!(main["values"][0], "coal_mine");
    assert_eq!(main["values"][4], "aluminium");
    assert_eq!(total(&c, "main_chains_changed")[4], 1.0);
    // Every park has its activities, output value, resource use and waste reuse.
    for item in [
        "activity:coking",
        "output_value",
        "resource:land",
        "resource:water",
        "resource:funds",
        "waste_reused",
    ] {
        park_line(&c, "liuzhi", item);
    }
    assert_eq!(park_line(&c, "liuzhi", "resource:land")["unit"], "km2");
    // The pooled funds exist only in the energy-investment-group scenario.
    let pool = total(&c, "pool:funds");
    assert!(pool[0].is_null() && pool[2].is_number());
    // The plans themselves travel with the comparison.
    assert_eq!(c["plans"].as_array().unwrap().len(), LIUPANSHUI.len());
}

#[test]
fn plan_files_with_a_chosen_base_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.json");
    let dry = dir.path().join("dry.yaml");
    for (target, format, scenario) in [(&base, "json", None), (&dry, "yaml", Some("dry-season"))] {
        let mut args = vec![
            "solve".to_string(),
            "problems/liupanshui.yaml".into(),
            "-f".into(),
            format.into(),
            "-o".into(),
            target.display().to_string(),
        ];
        if let Some(s) = scenario {
            args.extend(["--scenario".into(), s.into()]);
        }
        Test::new().args(&args).run();
    }
    let files = [base.display().to_string(), dry.display().to_string()];
    let args = |format: &str| {
        vec![
            "compare".to_string(),
            files[0].clone(),
            files[1].clone(),
            "--base".into(),
            "dry-season".into(),
            "-f".into(),
            format.into(),
        ]
    };
    let json = Test::new().args(args("json")).run();
    let c = json.json();
    assert_eq!(c["base"], "dry-season");
    let d = c["totals"].as_array().unwrap()[1]["deltas"][0]
        .as_f64()
        .unwrap();
    assert!((d - (141.105828 - 135.353254)).abs() < 1e-5, "{d}");

    Test::new()
        .args(args("table"))
        .stdout_contains("■ pannan")
        .stdout_contains("Totals")
        .stdout_contains("Δ +5.753")
        .run();

    Test::new()
        .args(args("markdown"))
        .stdout_contains("## Park hongguo")
        .stdout_contains("| objective | 141.106 (Δ +5.753) | 135.353 |")
        .run();

    let csv = Test::new()
        .args(args("csv"))
        .stdout_contains("liuzhi,main_chain,main chain,,base,coking,coking,")
        .run();
    assert!(
        csv.stdout
            .starts_with("section,item,label,unit,variant,value,base_value,delta\n")
    );
    let objective = csv
        .stdout
        .lines()
        .find(|l| l.starts_with("totals,objective,objective,,base,"))
        .unwrap();
    let delta: f64 = objective.rsplit(',').next().unwrap().parse().unwrap();
    assert!((delta - 5.753).abs() < 1e-3);

    // A comparison file can be compared again: its plans come back with their labels.
    let saved = dir.path().join("comparison.json");
    std::fs::write(&saved, &json.stdout).unwrap();
    let again = Test::new()
        .args(["compare", saved.to_str().unwrap(), "-f", "json"])
        .json();
    assert_eq!(again["variants"], c["variants"]);
}

#[test]
fn repeated_variant_names_fall_back_to_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, problem) in [
        ("pool", "problems/small/city-pool.yaml"),
        ("capacity", "problems/small/park-capacity.yaml"),
    ] {
        let target = dir.path().join(format!("{name}.json"));
        Test::new()
            .args([
                "solve",
                problem,
                "-f",
                "json",
                "-o",
                target.to_str().unwrap(),
            ])
            .run();
        files.push(target.display().to_string());
    }
    // Plans of two problems are refused unless asked for.
    Test::new()
        .args(["compare", &files[0], &files[1]])
        .status(2)
        .stderr_contains("the plans are of different problems")
        .stderr_contains("--mixed-problems")
        .run();
    Test::new()
        .args(["report", &files[0], &files[1], "-f", "markdown"])
        .status(2)
        .stderr_contains("the plans are of different problems")
        .run();
    let c = Test::new()
        .args([
            "compare",
            &files[0],
            &files[1],
            "-f",
            "json",
            "--mixed-problems",
        ])
        .json();
    assert_eq!(c["variants"], serde_json::json!(["pool", "capacity"]));
    // A folder of plan files is read in name order.
    let c = Test::new()
        .args([
            "compare",
            dir.path().to_str().unwrap(),
            "-f",
            "json",
            "--mixed-problems",
        ])
        .json();
    assert_eq!(c["variants"], serde_json::json!(["capacity", "pool"]));
}

#[test]
fn a_damaged_plan_in_a_folder_is_an_error_not_skipped() {
    let t = Test::new();
    let dir = t.tmp("plans");
    std::fs::create_dir(&dir).unwrap();
    Test::new()
        .args(["solve", "problems/small/city-pool.yaml", "-f", "json", "-o"])
        .arg(dir.join("a.json"))
        .run();
    let text = std::fs::read_to_string(dir.join("a.json")).unwrap();
    // Cut short, as by a full disk or a copy that stopped.
    std::fs::write(dir.join("b.json"), &text[..text.len() / 2]).unwrap();
    // A document that is no plan at all is still skipped.
    std::fs::write(dir.join("notes.json"), "{\"author\": \"x\"}").unwrap();
    t.arg("compare")
        .arg(&dir)
        .status(2)
        .stderr_contains("b.json cannot be read")
        .run();
}

#[test]
fn the_book_plan_written_by_hand_is_compared_and_reported() {
    let readme = std::fs::read_to_string(crate::common::path("docs/src/how-to/verify.md")).unwrap();
    let start = readme
        .find("# A plan for problems/small/main-chain-supports.yaml, written by hand")
        .expect("the book's hand-written plan");
    let plan = &readme[start..start + readme[start..].find("```").unwrap()];
    let t = Test::new().file("hand.yaml", plan);
    let file = t.tmp("hand.yaml");
    Test::new()
        .args(["verify", "problems/small/main-chain-supports.yaml"])
        .arg(&file)
        .run();
    let c = Test::new()
        .arg("compare")
        .arg(&file)
        .args(["-f", "json"])
        .json();
    assert_eq!(park_line(&c, "a", "main_chain")["values"][0], "steel");
    // No park output is stated, so none is shown (not 0).
    assert!(
        park_line(&c, "a", "output_value")["values"][0].is_null(),
        "{c}"
    );
    Test::new()
        .arg("report")
        .arg(&file)
        .args(["-f", "markdown"])
        .stdout_contains("Objective 26.000")
        .run();
    // Names pass into Markdown as text, never as HTML.
    let t = t.file(
        "script.yaml",
        format!("variant: \"<script>alert(1)</script>\"\n{plan}"),
    );
    Test::new()
        .arg("report")
        .arg(t.tmp("script.yaml"))
        .args(["-f", "markdown"])
        .stdout_contains("&lt;script>alert(1)&lt;/script>")
        .stdout_lacks("<script>")
        .run();
}

#[test]
fn infeasible_variants_are_columns_without_values() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("infeasible.json");
    Test::new()
        .args([
            "solve",
            "problems/small/infeasible-capacity.yaml",
            "-f",
            "json",
            "-o",
            plan.to_str().unwrap(),
        ])
        .status(3)
        .run();
    let feasible = dir.path().join("feasible.json");
    Test::new()
        .args([
            "solve",
            "problems/small/park-capacity.yaml",
            "-f",
            "json",
            "-o",
            feasible.to_str().unwrap(),
        ])
        .run();
    let c = Test::new()
        .args([
            "compare",
            feasible.to_str().unwrap(),
            plan.to_str().unwrap(),
            "-f",
            "json",
            "--mixed-problems",
        ])
        .json();
    assert_eq!(total(&c, "status")[1], "infeasible");
    assert!(total(&c, "objective")[1].is_null());
}

#[test]
fn bad_inputs_are_usage_errors() {
    Test::new()
        .arg("compare")
        .status(2)
        .stderr_contains("--scenarios")
        .run();
    Test::new()
        .args([
            "compare",
            "--scenarios",
            "problems/small/park-capacity.yaml",
            "--base",
            "water-doubeld",
        ])
        .status(2)
        .stderr_contains("the plans are: base, water-doubled, land-7-everywhere")
        .run();
    Test::new()
        .args(["compare", "problems/small/park-capacity.yaml"])
        .status(2)
        .stderr_contains("--scenarios")
        .run();
    Test::new().args(["compare", "Cargo.toml"]).status(2).run();
}

/// Park a of tests/data/ties.yaml reaches its optimum on either chain.
const TIES: &str = "tests/data/ties.yaml";

/// The base plan of a comparison's JSON.
fn base_plan(c: &serde_json::Value) -> &serde_json::Value {
    c["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["label"] == "base")
        .expect("a base plan")
}

#[test]
fn no_tie_check_on_compare_scenarios_leaves_the_tie_out() {
    let checked = Test::new()
        .args(["compare", "--scenarios", TIES, "-f", "json"])
        .json();
    let plan = &base_plan(&checked)["plan"];
    assert_eq!(plan["tie"]["objective"], 16.0, "{plan}");
    let skipped = Test::new()
        .args([
            "compare",
            "--scenarios",
            TIES,
            "--no-tie-check",
            "-f",
            "json",
        ])
        .json();
    let plan = &base_plan(&skipped)["plan"];
    assert!(plan.get("tie").is_none(), "{plan}");
    // The plans are the same otherwise.
    assert_eq!(plan["objective"], 16.0);
    assert_eq!(
        plan["main_chains"],
        base_plan(&checked)["plan"]["main_chains"]
    );
}

#[test]
fn no_tie_check_on_a_report_of_a_problem_file_leaves_out_only_the_ties() {
    // The report states each tie; without the check it has none to state, and is otherwise the
    // same report.
    let with = Test::new().args(["report", TIES, "-f", "markdown"]).run();
    let without = Test::new()
        .args(["report", TIES, "--no-tie-check", "-f", "markdown"])
        .run();
    assert!(with.stdout.contains("bigger-b"), "{}", with.stdout);
    let ties = with.stdout.matches("**Tie:**").count();
    assert_eq!(ties, 2, "{}", with.stdout);
    assert!(!without.stdout.contains("Tie"), "{}", without.stdout);
    let untied: String = with
        .stdout
        .split("\n\n")
        .filter(|block| !block.starts_with("**Tie:**"))
        .collect::<Vec<_>>()
        .join("\n\n");
    assert_eq!(untied, without.stdout);
}
