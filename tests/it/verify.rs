//! `parkplan verify`: every plan `solve` writes verifies; hand-broken plans, one per constraint
//! family of MODEL.md §4–§5, are rejected with exit 7 and the violated constraint named.

use crate::common::{Test, path, problem_files};

/// A problem in which every constraint family can be broken on its own.
const PROBLEM: &str = r#"name: Verify fixture
resources:
  land: {}
  funds: { applies_to: new, pool: 8 }
zones: { n: {}, s: {} }
parks:
  a: { zone: n, capacity: { land: 10 }, existing: { steel: 1 } }
  b: { zone: n, capacity: { land: 6 }, allowed: [bricks, cement] }
  c: { zone: s, capacity: { land: 4 }, existing: { cement: 1 }, allowed: [cement] }
chains:
  steel: { output: 4, uses: { land: 1, funds: 1 }, materials: { slag: 2 }, supports: [bricks], max_per_park: 4 }
  bricks: { output: 1, uses: { land: 1 }, materials: { slag: -1 }, max_per_park: 6 }
  cement: { output: 2, uses: { land: 1, funds: 1 }, max_per_park: 5, max_total: 3.5 }
materials:
  slag: { reuse_value: 0.5, disposal_cost: 0.1, external: { price: 1, limit: 2 } }
rules:
  one_main_chain: { min_share: 0.5 }
  min_reuse_rate: 0.5
scenarios:
  tight-funds: { set: { resources.funds.pool: 4 } }
  high-reuse: { set: { rules.min_reuse_rate: 0.95 } }
sweeps:
  pool: { vary: { resources.funds.pool: [4, 8] } }
"#;

/// A feasible plan of [`PROBLEM`], written by hand:
/// output 18 + 5 + 6 = 29, reuse 7 · 0.5 = 3.5, disposal (8 − 7) · 0.1 = 0.1 → 32.4.
const PLAN: &str = r#"main_chains: { a: steel, b: bricks, c: cement }
activities:
  a: { steel: 4, bricks: 2 }
  b: { bricks: 5 }
  c: { cement: 3 }
flows:
  - { material: slag, from: a, to: a, amount: 2 }
  - { material: slag, from: a, to: b, amount: 5 }
purchases: []
objective: 32.4
"#;

/// Verifies `plan` against [`PROBLEM`] with extra arguments, once given its expectations.
fn verify(plan: &str, extra: &[&str]) -> Test {
    Test::new()
        .file("problem.yaml", PROBLEM)
        .file("plan.yaml", plan)
        .in_tempdir()
        .args(["verify", "problem.yaml", "plan.yaml"])
        .args(extra)
}

/// The plan with one replacement, without its stated objective unless `keep_objective`.
fn broken(from: &str, to: &str) -> String {
    assert!(PLAN.contains(from), "test bug: `{from}` not in the plan");
    PLAN.replacen(from, to, 1).replace("objective: 32.4\n", "")
}

/// Asserts the plan is rejected (exit 7) with a violation of `family` naming `constraint`.
fn rejected(plan: &str, extra: &[&str], family: &str, constraint: &str) -> serde_json::Value {
    let mut args = extra.to_vec();
    args.extend(["--format", "json"]);
    let j = verify(plan, &args).status(7).json();
    assert_eq!(j["feasible"], false);
    let found =
        j["violations"].as_array().unwrap().iter().any(|v| {
            v["family"] == family && v["constraint"].as_str().unwrap().contains(constraint)
        });
    assert!(found, "no `{family}` violation of `{constraint}` in {j:#}");
    // The text report names the family and the constraint too.
    verify(plan, extra)
        .status(7)
        .stdout_contains(constraint)
        .stdout_contains("✗")
        .run();
    j
}

#[test]
fn the_hand_written_plan_verifies() {
    verify(PLAN, &[]).stdout_contains("feasible").run();
    let j = verify(PLAN, &["--format", "json"]).json();
    assert_eq!(j["feasible"], true);
    assert!((j["recomputed"]["objective"].as_f64().unwrap() - 32.4).abs() < 1e-9);
    // The same plan as JSON.
    let json: serde_json::Value = serde_yaml::from_str(PLAN).unwrap();
    verify(&serde_json::to_string_pretty(&json).unwrap(), &[]).run();
}

#[test]
fn reference_to_an_unknown_park() {
    let j = rejected(
        &broken("c: cement }", "c: cement, d: steel }"),
        &[],
        "reference",
        "main_chains.d",
    );
    assert_eq!(j["violations"].as_array().unwrap().len(), 1, "{j:#}");
}

#[test]
fn activity_below_existing() {
    rejected(
        &broken("c: { cement: 3 }", "c: { cement: 0.5 }"),
        &[],
        "domain",
        "x[c,cement]",
    );
}

#[test]
fn flow_on_a_route_that_is_not_allowed() {
    let plan = broken(
        "purchases: []",
        "  - { material: slag, from: a, to: c, amount: 0.5 }\npurchases: []",
    );
    let j = rejected(&plan, &[], "domain", "f[slag,a,c]");
    let text = j.to_string();
    assert!(text.contains("different zones"), "{text}");
}

#[test]
fn park_resource_above_capacity() {
    let j = rejected(
        &broken("c: { cement: 3 }", "c: { cement: 4.5 }"),
        &[],
        "park_resource",
        "land[c]",
    );
    assert!(
        j.to_string().contains("above its capacity 4 (by 0.5)"),
        "{j}"
    );
}

#[test]
fn city_pool_above_its_limit() {
    // steel 3 + cement 2 new units of funds = 5 > 4.
    rejected(
        &broken("objective: 32.4\n", ""),
        &["--scenario", "tight-funds"],
        "pool",
        "pool[funds]",
    );
}

#[test]
fn chain_limit_per_park() {
    rejected(
        &broken("a: { steel: 4, bricks: 2 }", "a: { steel: 4.5, bricks: 2 }"),
        &[],
        "chain_limit",
        "max_per_park[a,steel]",
    );
}

#[test]
fn chain_limit_in_total() {
    rejected(
        &broken("c: { cement: 3 }", "c: { cement: 3.8 }"),
        &[],
        "chain_limit",
        "max_total[cement]",
    );
}

#[test]
fn material_sent_out_beyond_generation() {
    rejected(
        &broken("a: { steel: 4, bricks: 2 }", "a: { steel: 3.4, bricks: 2 }"),
        &[],
        "material_out",
        "out[slag,a]",
    );
}

#[test]
fn feedstock_not_met() {
    rejected(
        &broken("b: { bricks: 5 }", "b: { bricks: 5.5 }"),
        &[],
        "material_in",
        "in[slag,b]",
    );
}

#[test]
fn purchases_beyond_the_external_limit() {
    let plan = broken(
        "from: a, to: b, amount: 5 }\npurchases: []",
        "from: a, to: b, amount: 2 }\npurchases:\n  - { material: slag, park: b, amount: 3 }",
    );
    rejected(&plan, &[], "external_limit", "external[slag]");
}

#[test]
fn reuse_rate_below_the_minimum() {
    // 7 of 8 units reused is 87.5 %, below 95 %.
    rejected(
        &broken("objective: 32.4\n", ""),
        &["--scenario", "high-reuse"],
        "reuse_rate",
        "min_reuse_rate",
    );
}

#[test]
fn park_without_a_main_chain() {
    rejected(
        &broken("b: bricks, ", ""),
        &[],
        "one_main_chain",
        "one_main[b]",
    );
}

#[test]
fn unrelated_chain_grows() {
    rejected(
        &broken("b: { bricks: 5 }", "b: { bricks: 5, cement: 0.5 }"),
        &[],
        "growth",
        "grow[b,cement]",
    );
}

#[test]
fn main_chain_below_its_share() {
    // With bricks the main chain of a, its 2 of a's 18 output value are below half.
    rejected(
        &broken("a: steel,", "a: bricks,"),
        &[],
        "min_share",
        "share[a,bricks]",
    );
}

#[test]
fn wrong_stated_objective() {
    let j = rejected(
        &PLAN.replace("objective: 32.4", "objective: 33"),
        &[],
        "objective",
        "objective",
    );
    assert_eq!(j["violations"].as_array().unwrap().len(), 1, "{j:#}");
}

#[test]
fn misspelt_field_is_bad_input() {
    verify(&PLAN.replace("activities:", "activites:"), &[])
        .status(2)
        .stderr_contains("unknown field `activites`")
        .stderr_contains("did you mean `activities`?")
        .stderr_contains("plan.yaml:2:1")
        .run();
}

#[test]
fn a_plan_for_an_unknown_variant_is_bad_input() {
    verify(&format!("variant: wet-season\n{PLAN}"), &[])
        .status(2)
        .stderr_contains("`wet-season`")
        .run();
}

#[test]
fn tolerance_must_be_a_number_at_least_zero() {
    verify(PLAN, &["--tolerance", "-1"]).status(2).run();
}

/// Solves `file` (optionally a scenario) in `format`, then verifies the plan it wrote.
fn solve_then_verify(
    file: &std::path::Path,
    scenario: Option<&str>,
    format: &str,
) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join(format!("plan.{format}"));
    let mut args = vec![
        "solve".to_string(),
        file.display().to_string(),
        "-f".into(),
        format.into(),
        "-o".into(),
        plan.display().to_string(),
    ];
    if let Some(s) = scenario {
        args.extend(["--scenario".into(), s.to_string()]);
    }
    let solved = Test::new().args(&args).any_status().run();
    if solved.code != 0 {
        // Infeasible and unbounded problems have no plan to verify.
        return Ok(());
    }
    let run = Test::new()
        .arg("verify")
        .arg(file)
        .arg(&plan)
        .any_status()
        .run();
    if run.code != 0 {
        return Err(format!(
            "{} {}: exit {}\n{}{}",
            file.display(),
            scenario.unwrap_or("(base)"),
            run.code,
            run.stdout,
            run.stderr
        ));
    }
    Ok(())
}

#[test]
fn every_plan_solve_writes_verifies() {
    let mut failures = Vec::new();
    let mut plans = 0;
    for file in problem_files() {
        let doc: serde_yaml::Value =
            serde_yaml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let mut variants: Vec<Option<String>> = vec![None];
        if let Some(sc) = doc.get("scenarios").and_then(|s| s.as_mapping()) {
            variants.extend(sc.keys().map(|k| k.as_str().map(String::from)));
        }
        for (i, v) in variants.iter().enumerate() {
            // Both formats for the base problem; JSON for scenarios (the plan's `variant`
            // selects the scenario to check against).
            let formats: &[&str] = if i == 0 { &["json", "yaml"] } else { &["json"] };
            for format in formats {
                plans += 1;
                if let Err(e) = solve_then_verify(&file, v.as_deref(), format) {
                    failures.push(e);
                }
            }
        }
    }
    assert!(plans >= 50, "only {plans} plans");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_hand_written_plan_in_the_book_verifies() {
    let readme = std::fs::read_to_string(path("docs/src/how-to/verify.md")).unwrap();
    let marker = "# A plan for problems/small/main-chain-supports.yaml, written by hand";
    let start = readme
        .find(marker)
        .expect("the book shows a hand-written plan");
    let end = start + readme[start..].find("```").unwrap();
    Test::new()
        .file("plan.yaml", &readme[start..end])
        .in_tempdir()
        .arg("verify")
        .arg(path("problems/small/main-chain-supports.yaml"))
        .arg("plan.yaml")
        .run();
}

#[test]
fn the_plan_names_its_variant_a_scenario_or_a_sweep_point() {
    for (variant, code) in [
        ("tight-funds", 7),
        ("pool[resources.funds.pool=4]", 7),
        ("pool[resources.funds.pool=8]", 0),
        ("base", 0),
    ] {
        verify(&format!("variant: {variant}\n{PLAN}"), &[])
            .status(code)
            .stdout_contains(format!("(variant `{variant}`)"))
            .run();
    }
    // --scenario wins over the plan's own variant, with a note.
    verify(
        &format!("variant: tight-funds\n{PLAN}"),
        &["--scenario", "pool[resources.funds.pool=8]"],
    )
    .stderr_contains("note:")
    .run();
}
