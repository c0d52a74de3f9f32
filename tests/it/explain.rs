//! `parkplan explain`: the smallest weighted changes that make an infeasible problem feasible,
//! checked against the minimal relaxations derived by hand in each problem file's comments.

use crate::common::{Test, path, temp_problem};

/// Amounts are LP values at a vertex; they agree with the hand derivations to this (absolute)
/// tolerance.
const TOL: f64 = 1e-6;

/// One change as the hand derivation states it.
struct Want {
    kind: &'static str,
    park: Option<&'static str>,
    what: Option<&'static str>,
    amount: f64,
    words: &'static str,
}

/// `parkplan explain ARGS…` as JSON and as text, both expected to succeed.
fn explain_json(args: &[&str]) -> (serde_json::Value, String) {
    let json = Test::new()
        .arg("explain")
        .args(args)
        .args(["-f", "json"])
        .json();
    let text = Test::new().arg("explain").args(args).run();
    (json, text.stdout)
}

fn check(file: &str, want: &[Want], objective_after: f64) {
    let (e, text) = explain_json(&[file]);
    assert_eq!(e["status"], "infeasible", "{file}");
    let changes = e["changes"].as_array().unwrap();
    assert_eq!(
        changes.len(),
        want.len(),
        "{file}: {}",
        serde_json::to_string_pretty(changes).unwrap()
    );
    for w in want {
        let found = changes.iter().find(|c| {
            c["kind"] == w.kind
                && c["park"].as_str() == w.park
                && [&c["resource"], &c["chain"], &c["material"]]
                    .iter()
                    .find_map(|v| v.as_str())
                    == w.what
        });
        let c = found.unwrap_or_else(|| panic!("{file}: no {} change {:?}", w.kind, w.what));
        let amount = c["amount"].as_f64().unwrap();
        assert!(
            (amount - w.amount).abs() <= TOL,
            "{file}: {} by {amount}, derived {}",
            w.kind,
            w.amount
        );
        assert!(
            text.contains(w.words),
            "{file}: `{}` not in\n{text}",
            w.words
        );
    }
    let obj = e["objective_after"].as_f64().unwrap();
    assert!(
        (obj - objective_after).abs() <= TOL,
        "{file}: objective after the changes {obj}, derived {objective_after}"
    );
}

#[test]
fn existing_plant_on_too_little_land() {
    check(
        "problems/small/infeasible-capacity.yaml",
        &[Want {
            kind: "capacity",
            park: Some("a"),
            what: Some("land"),
            amount: 2.0,
            words: "park a needs 2 more land (3 → 5)",
        }],
        30.0,
    );
}

#[test]
fn a_reuse_rate_met_with_more_land_rather_than_a_lower_rate() {
    check(
        "problems/small/infeasible-reuse-rate.yaml",
        &[Want {
            kind: "capacity",
            park: Some("a"),
            what: Some("land"),
            amount: 0.6,
            words: "park a needs 0.6 more land (3 → 3.6)",
        }],
        7.6,
    );
}

#[test]
fn a_reuse_rate_that_has_to_give_way() {
    check(
        "problems/small/infeasible-reuse-shortfall.yaml",
        &[Want {
            kind: "reuse_rate",
            park: None,
            what: None,
            amount: 0.6,
            words: "waste reuse falls 0.6 Mt/yr short of the minimum reuse rate of 80 %: the plan reaches 50 %",
        }],
        7.0,
    );
}

#[test]
fn unrelated_existing_industry_under_the_strict_rule() {
    check(
        "problems/small/infeasible-strict.yaml",
        &[Want {
            kind: "existing",
            park: Some("a"),
            what: Some("cement"),
            amount: 1.0,
            words: "existing cement in park a cannot coexist with strict one-main-chain (main chain steel): it would have to close (1 → 0)",
        }],
        30.0,
    );
    let (e, _) = explain_json(&["problems/small/infeasible-strict.yaml"]);
    assert_eq!(e["main_chains_after"]["a"], "steel");
}

#[test]
fn land_and_pooled_funds_short_together() {
    check(
        "problems/small/infeasible-pool.yaml",
        &[
            Want {
                kind: "capacity",
                park: Some("hongguo"),
                what: Some("land"),
                amount: 0.2,
                words: "park hongguo needs 0.2 km² more land (1 → 1.2 km²)",
            },
            Want {
                kind: "pool",
                park: None,
                what: Some("funds"),
                amount: 0.4,
                words: "pooled funds short by 0.4 bn CNY (city pool 2 → 2.4 bn CNY)",
            },
        ],
        6.9,
    );
}

#[test]
fn a_chain_limit_that_starves_feedstock() {
    check(
        "problems/small/infeasible-feedstock.yaml",
        &[Want {
            kind: "max_total",
            park: None,
            what: Some("coal_mine"),
            amount: 1.0,
            words: "the city-wide limit on coal_mine is short by 1 Mt/yr (max_total 2 → 3 Mt/yr)",
        }],
        5.3,
    );
}

#[test]
fn existing_textiles_cannot_coexist_with_the_strict_rule_in_liupanshui() {
    // Liupanshui's strict scenario, with 0.5 bn CNY/yr of existing textiles added to HIDZ beside
    // its LFP cathode plant. Neither chain supports the other, so under the strict rule one must
    // close: either closure weighs 10 (a whole chain), every other park is feasible as in the
    // scenario, and the tie goes to the better plan — LFP (5 per unit, up to 2) stays main.
    let text = std::fs::read_to_string(path("problems/liupanshui.yaml")).unwrap();
    let changed = text.replace(
        "existing: { lfp_cathode: 0.945 }",
        "existing: { lfp_cathode: 0.945, agri_textiles: 0.5 }",
    );
    assert_ne!(text, changed);
    let (_dir, file) = temp_problem("liupanshui-textiles.yaml", &changed);
    let file = file.display().to_string();
    let (e, words) = explain_json(&[&file, "--scenario", "strict-main-chain"]);
    assert_eq!(e["variant"], "strict-main-chain");
    let changes = e["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["kind"], "existing");
    assert!((changes[0]["amount"].as_f64().unwrap() - 0.5).abs() <= TOL);
    assert!(
        words.contains("existing agri_textiles in park hidz cannot coexist with strict one-main-chain (main chain lfp_cathode): it would have to close"),
        "{words}"
    );
    // Without the strict rule the same file is feasible: nothing to explain.
    Test::new()
        .args(["explain", &file])
        .stdout_contains("nothing to explain")
        .run();
}

#[test]
fn solve_points_an_infeasible_problem_to_explain() {
    Test::new()
        .args(["solve", "problems/small/infeasible-pool.yaml"])
        .status(3)
        .stderr_contains("parkplan explain problems/small/infeasible-pool.yaml")
        .run();
}

#[test]
fn a_feasible_problem_needs_no_explanation() {
    let (e, text) = explain_json(&["problems/small/city-pool.yaml"]);
    assert_eq!(e["status"], "optimal");
    assert!(e["changes"].as_array().unwrap().is_empty());
    assert!(text.contains("nothing to explain"));
}

#[test]
fn changes_that_leave_an_unbounded_problem_say_so() {
    // problems/small/unbounded.yaml with existing steel 7 on 5 of land: land +2 (weight 2/5)
    // beats closing 2 of 7 (weight 10·2/7); then `services` grows without limit.
    let text = std::fs::read_to_string(path("problems/small/unbounded.yaml"))
        .unwrap()
        .replace(
            "    capacity: { land: 5 }",
            "    capacity: { land: 5 }\n    existing: { steel: 7 }",
        );
    let (_dir, file) = temp_problem("unbounded-after.yaml", &text);
    let file = file.display().to_string();
    let (e, words) = explain_json(&[&file]);
    assert_eq!(e["status"], "infeasible");
    assert_eq!(e["status_after"], "unbounded");
    assert!(e["objective_after"].is_null());
    assert_eq!(e["changes"].as_array().unwrap().len(), 1);
    assert!((e["changes"][0]["amount"].as_f64().unwrap() - 2.0).abs() <= TOL);
    assert!(
        words.contains("park a needs 2 more land (5 → 7)"),
        "{words}"
    );
    assert!(words.contains("feasible but unbounded"), "{words}");
}

/// problems/small/infeasible-feedstock.yaml with its limits changed.
fn feedstock_variant(name: &str, from: &str, to: &str) -> (tempfile::TempDir, String) {
    let text = std::fs::read_to_string(path("problems/small/infeasible-feedstock.yaml")).unwrap();
    let changed = text.replace(from, to);
    assert_ne!(text, changed, "{from}");
    let (dir, file) = temp_problem(name, &changed);
    (dir, file.display().to_string())
}

#[test]
fn purchases_from_outside_when_they_are_the_cheaper_limit() {
    // infeasible-feedstock with max_total 0.5: 4 Mt of coal needed, 0.5 mined, 1 bought → short
    // by 2.5. Per Mt: max_total 1/0.5 = 2, external limit 1/1 = 1, closing power 2.5 → the
    // external limit rises by 2.5 (weight 2.5). Best plan: 1.75·2 + 0.85·0.5 − 0.75·3.5 = 1.3.
    let (_dir, file) = feedstock_variant(
        "feedstock-external.yaml",
        "    max_total: 2\n",
        "    max_total: 0.5\n",
    );
    let (e, words) = explain_json(&[&file]);
    let changes = e["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["kind"], "external_limit");
    assert_eq!(changes[0]["material"], "coal");
    assert!((changes[0]["amount"].as_f64().unwrap() - 2.5).abs() <= TOL);
    assert!((e["objective_after"].as_f64().unwrap() - 1.3).abs() <= TOL);
    assert!(
        words.contains(
            "supply of coal from outside short by 2.5 Mt/yr (external limit 1 → 3.5 Mt/yr)"
        ),
        "{words}"
    );
}

#[test]
fn a_per_park_limit_gives_way() {
    // infeasible-feedstock without max_total and with max_per_park 1.5 for mines: short by
    // 4 − 1.5 − 1 = 1.5 Mt. Per Mt: max_per_park 1/1.5 = 0.667, external limit 1, closing power
    // 2.5 → max_per_park rises by 1.5 (weight 1). Best plan: 3.5 + 0.85·3 − 0.75 = 5.3.
    let (_dir, file) = feedstock_variant(
        "feedstock-per-park.yaml",
        "    max_per_park: 10\n    max_total: 2\n",
        "    max_per_park: 1.5\n",
    );
    let (e, words) = explain_json(&[&file]);
    let changes = e["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["kind"], "max_per_park");
    assert_eq!(changes[0]["park"], "panbei");
    assert_eq!(changes[0]["chain"], "coal_mine");
    assert!((changes[0]["amount"].as_f64().unwrap() - 1.5).abs() <= TOL);
    assert!((e["objective_after"].as_f64().unwrap() - 5.3).abs() <= TOL);
    assert!(
        words.contains("park panbei needs 1.5 Mt/yr more coal_mine than its max_per_park allows (1.5 → 3 Mt/yr)"),
        "{words}"
    );
}

#[test]
fn the_main_chains_share_does_not_hide_the_cheaper_change() {
    // The rule's bounds from the stated land cut off the land change; it must still be found.
    let (json, text) = explain_json(&["problems/small/explain-min-share.yaml"]);
    assert!(
        text.contains("park a needs 0.1 more land (1.5 → 1.6)"),
        "{text}"
    );
    let changes = json["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{json}");
    assert_eq!(changes[0]["kind"], "capacity", "{json}");
    let objective = json["objective_after"].as_f64().unwrap();
    assert!((objective - 0.8).abs() < 1e-6, "{json}");
}

#[test]
fn the_total_weight_is_the_sum_of_each_change_s_amount_times_its_weight_per_unit() {
    for file in [
        "problems/small/explain-min-share.yaml",
        "problems/small/infeasible-strict.yaml",
        "problems/small/infeasible-capacity.yaml",
        "problems/small/infeasible-pool.yaml",
        "problems/small/infeasible-reuse-rate.yaml",
        "problems/small/infeasible-feedstock.yaml",
    ] {
        let (e, _) = explain_json(&[file]);
        let changes = e["changes"].as_array().unwrap();
        assert!(!changes.is_empty(), "{file}: {e}");
        let sum: f64 = changes
            .iter()
            .map(|c| c["amount"].as_f64().unwrap() * c["weight"].as_f64().unwrap())
            .sum();
        let total = e["total_weight"].as_f64().unwrap();
        assert!(
            (sum - total).abs() <= 1e-9 * total.abs().max(1.0),
            "{file}: {sum} against {e}"
        );
    }
}

/// A sweep point's reuse rate: the rate the plan reaches is reused waste over generated waste,
/// each counted once (what leaves a park, not again as it leaves a hub), so it lies in [0, 1] and
/// below the rate that cannot be met.
#[test]
fn the_reuse_rate_a_plan_reaches_counts_each_flow_once() {
    let file = path("problems/liupanshui.yaml");
    let (json, text) = explain_json(&[
        file.to_str().unwrap(),
        "--scenario",
        "reuse-rate[rules.min_reuse_rate=0.95]",
    ]);
    let changes = json["changes"].as_array().expect("changes");
    let rate = changes
        .iter()
        .find(|c| c["kind"] == "reuse_rate")
        .unwrap_or_else(|| panic!("no reuse-rate change: {json}"));
    let (stated, changed) = (
        rate["stated"].as_f64().unwrap(),
        rate["changed"].as_f64().unwrap(),
    );
    assert_eq!(stated, 0.95);
    assert!((0.0..0.95).contains(&changed), "{changed}\n{text}");
    assert!(!text.contains("158.1 %"), "{text}");
}
