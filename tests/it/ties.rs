//! Tied optima: a plan names another main-chain assignment that reaches its objective within the
//! gap, and a variant of a batch keeps the base plan's main chains where a tie allows.

use indexmap::IndexMap;
use parkplan::model::{Model, ModelOptions, RowKind};
use parkplan::plan::{self, Plan, prefer_base, solve_variant};
use parkplan::problem::{SourceFile, ValidProblem};
use parkplan::solver::{SolveOptions, SolveStatus};
use parkplan::variant;

use crate::common::{Test, path};

/// Park a ties (steel or cement, 8 either way); park b has only cement at its best.
const TIES: &str = "tests/data/ties.yaml";

fn valid(file: &str, scenario: Option<&str>) -> ValidProblem {
    let src = SourceFile::read(&path(file)).unwrap();
    let base = src.base_problem().unwrap();
    let v = match scenario {
        None => variant::base(&src.document, &base),
        Some(s) => variant::scenario(&src.document, &base, s).unwrap(),
    };
    src.validate_variant(&v).unwrap()
}

fn chains(pairs: &[(&str, &str)]) -> IndexMap<String, String> {
    pairs
        .iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect()
}

fn other(chain: &str) -> &'static str {
    if chain == "steel" { "cement" } else { "steel" }
}

#[test]
fn solve_says_in_text_and_json_that_another_assignment_ties() {
    Test::new()
        .args(["solve", TIES])
        .stdout_contains(
            "tied: another main-chain assignment reaches the same objective (within the gap): a → ",
        )
        .run();
    let plan = Test::new().args(["solve", TIES, "-f", "json"]).json();
    let tie = &plan["tie"];
    assert_eq!(tie["objective"], 16.0);
    let a = plan["main_chains"]["a"].as_str().unwrap();
    assert_eq!(tie["main_chains"], serde_json::json!({ "a": other(a) }));
    assert!(tie.get("base_preferred").is_none(), "{tie}");
}

#[test]
fn a_plan_without_a_tie_has_no_tie_field_and_no_tie_line() {
    let file = "problems/small/alternatives-three.yaml";
    let plan = Test::new().args(["solve", file, "-f", "json"]).json();
    assert_eq!(plan["objective"], 7.0);
    assert!(plan.get("tie").is_none(), "{plan}");
    Test::new()
        .args(["solve", file])
        .stdout_lacks("tied:")
        .run();
}

#[test]
fn no_tie_check_leaves_the_tie_out() {
    let plan = Test::new()
        .args(["solve", TIES, "--no-tie-check", "-f", "json"])
        .json();
    assert!(plan.get("tie").is_none(), "{plan}");
}

#[test]
fn a_tied_scenario_keeps_the_base_main_chains_and_says_it_is_tied() {
    let summary = Test::new().args(["sweep", TIES, "-f", "json"]).json();
    let variants = summary["variants"].as_array().unwrap();
    let (base, scenario) = (&variants[0], &variants[1]);
    assert_eq!(scenario["name"], "bigger-b");
    assert_eq!(scenario["objective"], 18.0);
    assert_eq!(scenario["main_chains"], base["main_chains"]);
    assert_eq!(scenario["changed_main_chains"], serde_json::json!({}));
    let a = base["main_chains"]["a"].as_str().unwrap();
    assert_eq!(
        scenario["tie"]["main_chains"],
        serde_json::json!({ "a": other(a) })
    );
    Test::new()
        .args(["sweep", TIES])
        .stdout_contains(format!("none (tied: a → {})", other(a)))
        .run();
    let compared = Test::new()
        .args(["compare", "--scenarios", TIES])
        .stdout_contains("tied with (main chains)")
        .run()
        .stdout;
    let changed = compared
        .lines()
        .find(|l| l.contains("parks with another main chain"))
        .unwrap();
    let cells: Vec<&str> = changed
        .split('┆')
        .skip(1)
        .map(|c| c.trim_matches([' ', '│']))
        .collect();
    assert_eq!(cells, ["0", "0"], "{changed}");
}

/// The scenario's plan as the solver finds it, and its chain in park a.
fn scenario_plan() -> (ValidProblem, Plan, String) {
    let problem = valid(TIES, Some("bigger-b"));
    let plan = solve_variant(&problem, "bigger-b", &SolveOptions::default()).unwrap();
    assert_eq!(plan.objective, Some(18.0));
    let a = plan.main_chains["a"].clone();
    (problem, plan, a)
}

#[test]
fn the_base_assignment_is_taken_when_it_reaches_the_optimum() {
    let (problem, plan, a) = scenario_plan();
    let base = chains(&[("a", other(&a)), ("b", "cement")]);
    let kept = prefer_base(&problem, plan, &base, &SolveOptions::default()).unwrap();
    assert_eq!(kept.status, SolveStatus::Optimal);
    assert_eq!(kept.objective, Some(18.0));
    assert_eq!(kept.main_chains, base);
    assert_eq!(
        kept.shadow_price_basis.map(|b| b.as_str()),
        Some("fixed_main_chains")
    );
    let tie = kept.tie.expect("the first optimum is the tie");
    assert!(tie.base_preferred);
    assert_eq!(tie.main_chains, chains(&[("a", &a)]));
}

#[test]
fn where_the_base_falls_short_the_plan_keeps_as_many_of_its_chains_as_ties_allow() {
    let (problem, plan, a) = scenario_plan();
    // b on steel makes 2 + 8 = 10 < 18; a's chain can still be the base's.
    let base = chains(&[("a", other(&a)), ("b", "steel")]);
    let kept = prefer_base(&problem, plan, &base, &SolveOptions::default()).unwrap();
    assert_eq!(kept.objective, Some(18.0));
    assert_eq!(
        kept.main_chains,
        chains(&[("a", other(&a)), ("b", "cement")])
    );
    assert!(kept.tie.expect("tied").base_preferred);
}

#[test]
fn a_plan_already_on_the_base_chains_is_left_as_it_is() {
    let (problem, plan, a) = scenario_plan();
    let base = chains(&[("a", &a), ("b", "cement")]);
    let same = prefer_base(&problem, plan.clone(), &base, &SolveOptions::default()).unwrap();
    assert_eq!(same, plan);
}

#[test]
fn the_objective_floor_is_one_row_of_the_whole_multi_period_model() {
    let problem = valid("tests/data/three-periods.yaml", None);
    let model = Model::build(
        &problem,
        ModelOptions {
            min_objective: Some(0.0),
            ..ModelOptions::default()
        },
    );
    let floors = model
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::MinObjective)
        .count();
    assert_eq!(floors, 1);
    // The tie check runs over the periods too, and the plan is the same with it.
    let mut checked = solve_variant(&problem, "base", &SolveOptions::default()).unwrap();
    let plain = checked.clone();
    plan::check_tie(&problem, &mut checked, &SolveOptions::default()).unwrap();
    checked.tie = None;
    assert_eq!(checked, plain);
}
