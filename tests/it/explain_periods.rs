//! `parkplan explain` over periods (MODEL.md §9): every period's limits give way on their own,
//! the rows that link the periods do not, and each change names its period. The minimal changes
//! are derived by hand in each problem's comments.

use crate::common::{Test, temp_problem};

/// Amounts are LP values at a vertex; they agree with the hand derivations to this tolerance.
const TOL: f64 = 1e-6;

/// Bricks built in 2025 to meet the reuse rate stay in 2030, when the land falls.
///
/// Park a: land 10, existing mine 5 (1 km² and 0.4 gangue each, at most 5). Bricks take 0.5 km²
/// and 1 gangue each. Reuse rate 0.5 in 2025: gangue 0.4·5 = 2, so bricks ≥ 1 and land ≥ 5.5.
/// 2030 lowers the land to 5.2 and drops the rate: on its own it is feasible (mine 5 on 5.2),
/// but bricks built in 2025 stay, so it needs 5.5 — infeasible.
///
/// Slacks: land of 2030 L (ref 5.2: weight 0.192 per km²), the 2025 reuse shortfall R (ref
/// 0.5·2 = 1: 1 per Mt), shrinking existing mine in both periods (ref 0.5 each: 2 per unit
/// each, 0.5 km² and 0.4·0.5 = 0.2 Mt of bricks per unit in 2025). Least: L = 0.3, weight 0.058.
/// Then mine 5 and bricks 1 in both periods: (5 + 0.2)·5 years · 2 = 52.
const STAYS: &str = r#"
name: Falling land cap
resources:
  land: { unit: km2 }
zones:
  z: {}
parks:
  a:
    zone: z
    capacity: { land: 10 }
    existing: { mine: 5 }
chains:
  mine:
    output: 1
    uses: { land: 1 }
    materials: { gangue: 0.4 }
    max_per_park: 5
  bricks:
    output: 0.2
    uses: { land: 0.5 }
    materials: { gangue: -1 }
    max_per_park: 2
materials:
  gangue: { kind: waste, reuse_value: 0, disposal_cost: 0 }
rules:
  min_reuse_rate: 0.5
periods:
  "2025": { years: 5 }
  "2030": { years: 5, set: { "parks.a.capacity.land": 5.2, "rules.min_reuse_rate": 0 } }
"#;

/// Short of land in the first of three periods only, under the one-main-chain rule.
///
/// Park a: land 4 in 2025, 10 from 2030; existing mine 5 (1 km² each). Park b: land 6. 2025 is
/// infeasible (5 > 4), the later periods are not. Least: 1 km² more land in park a in 2025
/// (weight 1/4), rather than closing a unit of mine (weight 10/5 = 2). Then 2025 runs mine 5 in
/// a and 6 in b (11); 2030 and 2035 mine 6 in both and 2 bricks in a, worth 0.2 and 0.1 of
/// gangue reused each (12.6): (11 + 12.6 + 12.6)·5 = 181.
const FIRST: &str = r#"
name: Short of land at the start
resources:
  land: { unit: km2 }
zones:
  z: {}
parks:
  a:
    zone: z
    capacity: { land: 4 }
    existing: { mine: 5 }
  b:
    zone: z
    capacity: { land: 6 }
chains:
  mine:
    output: 1
    uses: { land: 1 }
    materials: { gangue: 0.4 }
    supports: [bricks]
    max_per_park: 6
  bricks:
    output: 0.2
    uses: { land: 0.5 }
    materials: { gangue: -1 }
    max_per_park: 2
materials:
  gangue: { kind: waste, reuse_value: 0.1, disposal_cost: 0 }
rules:
  one_main_chain: true
periods:
  "2025": { years: 5 }
  "2030": { years: 5, set: { "parks.a.capacity.land": 10 } }
  "2035": { years: 5 }
"#;

/// Funds charged on new plant, per period; 2030 raises the existing floor to 8.
///
/// Mine 5 existing, 1 bn CNY of funds per unit built; pool 1 in 2025 and 1.5 in 2030. At most 6
/// by 2025, so 2030 must build 2 on 1.5: short by 0.5. Slacks: the 2030 pool (weight 1/1.5 per
/// bn CNY), the 2025 pool (1 per bn CNY), shrinking the 2030 floor (10/8 per unit). Least: 0.5
/// more in 2030. Then mine 6 in 2025 and 8 in 2030: 30 + 40 = 70.
const FUNDS: &str = r#"
name: A budget short of a later floor
resources:
  land: { unit: km2 }
  funds: { unit: bn CNY, applies_to: new, pool: 1 }
zones:
  z: {}
parks:
  a:
    zone: z
    capacity: { land: 20 }
    existing: { mine: 5 }
chains:
  mine:
    output: 1
    uses: { land: 1, funds: 1 }
    max_per_park: 10
materials: {}
periods:
  "2025": { years: 5 }
  "2030": { years: 5, set: { "parks.a.existing.mine": 8 }, scale: { "resources.funds.pool": 1.5 } }
"#;

/// `explain` of `file` as JSON and as text.
fn explain(file: &str) -> (serde_json::Value, String) {
    let json = Test::new().args(["explain", file, "-f", "json"]).json();
    let text = Test::new().args(["explain", file]).run().stdout;
    (json, text)
}

/// `solve` of `file` as JSON, expected infeasible (exit code 3) or optimal.
fn solve(file: &str, feasible: bool) -> serde_json::Value {
    Test::new()
        .args(["solve", file, "-f", "json"])
        .status(if feasible { 0 } else { 3 })
        .json()
}

/// The only change of an explanation.
fn only_change(e: &serde_json::Value) -> &serde_json::Value {
    assert_eq!(e["status"], "infeasible");
    let changes = e["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:#?}");
    &changes[0]
}

#[test]
fn a_cap_that_falls_under_plant_that_stays_names_the_cap_and_the_period() {
    let (_dir, file) = temp_problem("stays.yaml", STAYS);
    let file = file.display().to_string();
    assert_eq!(solve(&file, false)["status"], "infeasible");
    let (e, text) = explain(&file);
    let c = only_change(&e);
    assert_eq!(c["kind"], "capacity");
    assert_eq!(c["park"], "a");
    assert_eq!(c["resource"], "land");
    assert_eq!(c["period"], "2030");
    assert!((c["amount"].as_f64().unwrap() - 0.3).abs() <= TOL, "{c}");
    assert!(
        text.contains("in period 2030, park a needs 0.3 km² more land (5.2 → 5.5 km²)"),
        "{text}"
    );
    let after = e["objective_after"].as_f64().unwrap();
    assert!((after - 52.0).abs() <= TOL, "{after}");

    // The change made in the file: the plan is feasible, with the objective explain found.
    let changed = c["changed"].as_f64().unwrap();
    let text = STAYS.replace(
        r#""parks.a.capacity.land": 5.2"#,
        &format!(r#""parks.a.capacity.land": {changed}"#),
    );
    assert_ne!(text, STAYS);
    let (_dir, file) = temp_problem("stays-changed.yaml", &text);
    let plan = solve(&file.display().to_string(), true);
    assert_eq!(plan["status"], "optimal");
    let obj = plan["objective"].as_f64().unwrap();
    assert!((obj - after).abs() <= TOL, "{obj} {after}");
}

#[test]
fn infeasible_in_the_first_period_only() {
    let (_dir, file) = temp_problem("first.yaml", FIRST);
    let file = file.display().to_string();
    assert_eq!(solve(&file, false)["status"], "infeasible");
    let (e, text) = explain(&file);
    let c = only_change(&e);
    assert_eq!(
        (&c["kind"], &c["park"], &c["resource"], &c["period"]),
        (
            &"capacity".into(),
            &"a".into(),
            &"land".into(),
            &"2025".into()
        )
    );
    assert!((c["amount"].as_f64().unwrap() - 1.0).abs() <= TOL, "{c}");
    assert!(
        text.contains("in period 2025, park a needs 1 km² more land (4 → 5 km²)"),
        "{text}"
    );
    assert!(!text.contains("2030") && !text.contains("2035"), "{text}");
    assert_eq!(e["main_chains_after"]["a"], "mine");

    // 2025 is the problem as written: the change is the base's land, which 2030 sets anew.
    let changed = c["changed"].as_f64().unwrap();
    let text = FIRST.replacen(
        "capacity: { land: 4 }",
        &format!("capacity: {{ land: {changed} }}"),
        1,
    );
    let (_dir, file) = temp_problem("first-changed.yaml", &text);
    let plan = solve(&file.display().to_string(), true);
    let (obj, after) = (
        plan["objective"].as_f64().unwrap(),
        e["objective_after"].as_f64().unwrap(),
    );
    assert!((obj - after).abs() <= TOL, "{obj} {after}");
    assert!((after - 181.0).abs() <= TOL, "{after}");
}

#[test]
fn a_budget_per_period_short_of_a_later_floor() {
    let (_dir, file) = temp_problem("funds.yaml", FUNDS);
    let file = file.display().to_string();
    let (e, text) = explain(&file);
    let c = only_change(&e);
    assert_eq!(c["kind"], "pool");
    assert_eq!(c["resource"], "funds");
    assert_eq!(c["period"], "2030");
    assert!((c["amount"].as_f64().unwrap() - 0.5).abs() <= TOL, "{c}");
    assert!(
        text.contains(
            "in period 2030, pooled funds short by 0.5 bn CNY (city pool 1.5 → 2 bn CNY)"
        ),
        "{text}"
    );
    assert!((e["objective_after"].as_f64().unwrap() - 70.0).abs() <= TOL);
}

#[test]
fn json_names_the_period_of_every_change_and_only_over_periods() {
    let (_dir, file) = temp_problem("stays.yaml", STAYS);
    let (e, _) = explain(&file.display().to_string());
    for c in e["changes"].as_array().unwrap() {
        assert!(c["period"].is_string(), "{c}");
    }
    // A problem of one period: no `period` key at all.
    let e = Test::new()
        .args([
            "explain",
            "problems/small/infeasible-capacity.yaml",
            "-f",
            "json",
        ])
        .json();
    let changes = e["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    for c in changes {
        assert!(c.get("period").is_none(), "{c}");
    }
}

/// The strict rule over two periods named against the alphabet: unrelated existing cement beside
/// steel in park a must close in each period, where the floor holds (weight 10 each; the tie
/// goes to steel as main, worth 30 a year: 150 a period). The equal changes come in the order of
/// the periods.
const STRICT: &str = r#"
name: Strict over two periods
resources:
  land: {}
zones:
  z: {}
parks:
  a:
    zone: z
    capacity: { land: 10 }
    existing: { steel: 1, cement: 1 }
  b:
    zone: z
    capacity: { land: 5 }
chains:
  steel:
    output: 3
    uses: { land: 1 }
    max_per_park: 5
  cement:
    output: 2
    uses: { land: 1 }
    max_per_park: 5
rules:
  one_main_chain: { strict: true }
periods:
  now: { years: 5 }
  later: { years: 5 }
"#;

#[test]
fn equal_changes_come_in_the_order_of_the_periods() {
    let (_dir, file) = temp_problem("strict.yaml", STRICT);
    let (e, text) = explain(&file.display().to_string());
    let changes = e["changes"].as_array().unwrap();
    let periods: Vec<&str> = changes
        .iter()
        .map(|c| c["period"].as_str().unwrap())
        .collect();
    assert_eq!(periods, ["now", "later"], "{text}");
    for c in changes {
        assert_eq!(
            (&c["kind"], &c["chain"]),
            (&"existing".into(), &"cement".into())
        );
    }
    assert!(
        text.contains("1. in period now, existing cement in park a cannot coexist with strict one-main-chain (main chain steel): it would have to close (1 → 0)"),
        "{text}"
    );
    // The second solve may spend the change budget's tolerance: relative to the objective.
    let after = e["objective_after"].as_f64().unwrap();
    assert!((after - 300.0).abs() <= TOL * 300.0, "{after}");
    assert_eq!(e["main_chains_after"]["a"], "steel");
}
