//! Unit tests of `verify` on small problems, one per kind of check, and of reading plan files.

use super::*;
use crate::problem::validate::validate;

const PROBLEM: &str = "
resources: { land: {}, funds: { applies_to: new, pool: 4 } }
zones: { n: {}, s: {} }
parks:
  a: { zone: n, capacity: { land: 6 }, existing: { steel: 1 } }
  b: { zone: n, capacity: { land: 4 }, allowed: [bricks] }
  c: { zone: s, capacity: { land: 4 }, allowed: [bricks] }
chains:
  steel: { output: 3, uses: { land: 1, funds: 1 }, materials: { slag: 2 }, max_per_park: 3 }
  bricks: { output: 1, uses: { land: 1 }, materials: { slag: -1 }, max_per_park: 4 }
materials:
  slag: { reuse_value: 0.5, disposal_cost: 0.1, external: { price: 2, limit: 1 } }
";

fn valid(text: &str) -> ValidProblem {
    validate(serde_yaml::from_str(text).unwrap()).unwrap()
}

fn plan(text: &str) -> Plan {
    PlanFile::parse("plan.yaml".as_ref(), text.to_string())
        .unwrap()
        .plan
}

const GOOD: &str = "
activities: { a: { steel: 3, bricks: 1 }, b: { bricks: 4 } }
flows:
  - { material: slag, from: a, to: a, amount: 1 }
  - { material: slag, from: a, to: b, amount: 4 }
purchases: []
objective: 16.4
";

#[test]
fn a_feasible_plan_passes_and_its_objective_is_recomputed() {
    let v = verify(&valid(PROBLEM), &plan(GOOD), DEFAULT_TOLERANCE);
    assert!(v.ok(), "{:?}", v.violations);
    // output 9 + 1 + 4 = 14, reuse 5·0.5 = 2.5, disposal (6 − 5)·0.1 = 0.1
    assert!((v.recomputed.objective - 16.4).abs() < 1e-12, "{v:?}");
}

#[test]
fn a_wrong_objective_is_reported() {
    let v = verify(
        &valid(PROBLEM),
        &plan(&GOOD.replace("16.4", "17")),
        DEFAULT_TOLERANCE,
    );
    assert_eq!(v.violations.len(), 1);
    assert_eq!(v.violations[0].family, Family::Objective);
    assert!(v.violations[0].message.contains("states objective 17"));
}

#[test]
fn strict_rule_forbids_keeping_unrelated_existing_activity() {
    let problem = "
resources: { land: {} }
parks: { a: { capacity: { land: 10 }, existing: { agri: 2 } } }
chains:
  steel: { output: 4, uses: { land: 1 }, max_per_park: 3 }
  agri: { output: 1, uses: { land: 1 }, max_per_park: 6 }
rules: { one_main_chain: { strict: true } }
";
    let plan = plan("main_chains: { a: steel }\nactivities: { a: { steel: 3, agri: 2 } }\n");
    let v = verify(&valid(problem), &plan, DEFAULT_TOLERANCE);
    assert_eq!(v.violations.len(), 1, "{:?}", v.violations);
    assert_eq!(v.violations[0].family, Family::Growth);
    assert_eq!(v.violations[0].constraint, "grow[a,agri]");
    assert!(v.violations[0].message.contains("strict"));
    // Non-strict, the same plan keeps agri at its existing 2: feasible.
    let v = verify(
        &valid(&problem.replace("strict: true", "strict: false")),
        &plan,
        DEFAULT_TOLERANCE,
    );
    assert!(v.ok(), "{:?}", v.violations);
}

#[test]
fn across_zone_flows_cost_transport_and_purchases_need_external_terms() {
    let problem = PROBLEM.replace(
        "materials:\n",
        "exchange: { across_zones: { cost: { slag: 0.25 } } }\nmaterials:\n",
    );
    let text = "
activities: { a: { steel: 3 }, c: { bricks: 4 } }
flows: [ { material: slag, from: a, to: c, amount: 4 } ]
";
    let v = verify(&valid(&problem), &plan(text), DEFAULT_TOLERANCE);
    assert!(v.ok(), "{:?}", v.violations);
    assert_eq!(v.recomputed.transport_cost, 1.0);
    // Without across-zone exchange the same flow is not allowed.
    let v = verify(&valid(PROBLEM), &plan(text), DEFAULT_TOLERANCE);
    assert_eq!(v.violations[0].family, Family::Domain);
    assert_eq!(v.violations[0].constraint, "f[slag,a,c]");
    // A material without `external:` cannot be bought.
    let no_external = PROBLEM.replace(", external: { price: 2, limit: 1 }", "");
    let text = "
activities: { a: { steel: 1 }, b: { bricks: 1 } }
purchases: [ { material: slag, park: b, amount: 1 } ]
";
    let v = verify(&valid(&no_external), &plan(text), DEFAULT_TOLERANCE);
    assert_eq!(v.violations.len(), 1, "{:?}", v.violations);
    assert!(v.violations[0].message.contains("cannot be bought"));
}

#[test]
fn numbers_read_cleanly() {
    assert_eq!(num(2.5), "2.5");
    assert_eq!(num(3.0), "3");
    assert_eq!(num(1e-7), "1e-7");
    assert_eq!(num(0.0), "0");
}

#[test]
fn unknown_fields_are_refused_with_a_hint() {
    let err = PlanFile::parse(
        "plan.yaml".as_ref(),
        "activites: { a: { steel: 1 } }\n".into(),
    )
    .unwrap_err();
    assert_eq!(err.items[0].message, "unknown field `activites`");
    assert_eq!(
        err.items[0].help.as_deref(),
        Some("did you mean `activities`?")
    );
}

#[test]
fn a_hand_written_plan_may_leave_out_status_variant_and_derived_fields() {
    let file = PlanFile::parse("plan.yaml".as_ref(), GOOD.into()).unwrap();
    assert_eq!(file.plan.status, crate::solver::SolveStatus::Optimal);
    assert_eq!(file.plan.variant, "base");
    assert_eq!(file.variant, None);
    assert!(file.plan.resources.is_empty() && file.plan.gap.is_none());
    let named = format!("status: time_limit\nvariant: base\n{GOOD}");
    let file = PlanFile::parse("plan.yaml".as_ref(), named).unwrap();
    assert_eq!(file.plan.status, crate::solver::SolveStatus::TimeLimit);
    assert_eq!(file.variant.as_deref(), Some("base"));
}

#[test]
fn the_derived_fields_solve_writes_are_read_and_not_checked() {
    let derived = "problem: p\ngap: 0\npark_output: { a: 1 }\nchain_output: { a: { steel: 1 } }\n\
                   resources: []\nmaterials: []\nshadow_price_basis: lp\n";
    let file = PlanFile::parse("plan.yaml".as_ref(), format!("{GOOD}{derived}")).unwrap();
    assert_eq!(
        file.plan.shadow_price_basis,
        Some(crate::plan::ShadowPriceBasis::Lp)
    );
    let v = verify(&valid(PROBLEM), &file.plan, DEFAULT_TOLERANCE);
    assert!(v.ok(), "{:?}", v.violations);
}

#[test]
fn unknown_fields_of_flows_and_purchases_are_refused_where_they_are() {
    let text = GOOD.replace("to: b, amount: 4 }", "to: b, amout: 4 }");
    let err = PlanFile::parse("plan.yaml".as_ref(), text).unwrap_err();
    let d = &err.items[0];
    assert_eq!(d.message, "unknown field `amout`");
    assert_eq!(d.path.as_deref(), Some("flows[1].amout"));
    assert_eq!(d.help.as_deref(), Some("did you mean `amount`?"));
    assert_eq!(d.location.map(|l| l.line), Some(5));
    let text = GOOD.replace(
        "purchases: []",
        "purchases: [ { material: slag, park: b, amount: 1, zzz: 0 } ]",
    );
    let err = PlanFile::parse("plan.yaml".as_ref(), text).unwrap_err();
    assert_eq!(
        err.items[0].help.as_deref(),
        Some("the fields allowed here are: material, park, amount")
    );
}

#[test]
fn of_two_faults_the_one_met_first_in_the_file_is_reported() {
    let text = "activities: { a: { steel: x } }\nactivites: 1\n".to_string();
    let err = PlanFile::parse("plan.yaml".as_ref(), text).unwrap_err();
    assert!(
        err.items[0].message.starts_with("expected a number"),
        "{err:?}"
    );
    let text = "activites: 1\nactivities: { a: { steel: x } }\n".to_string();
    let err = PlanFile::parse("plan.yaml".as_ref(), text).unwrap_err();
    assert_eq!(err.items[0].message, "unknown field `activites`");
    // A missing field is found at the end of its mapping, after an unknown one in it.
    let text = "flows: [ { material: slag, from: a, to: a, amout: 1 } ]\n".to_string();
    let err = PlanFile::parse("plan.yaml".as_ref(), text).unwrap_err();
    assert_eq!(err.items[0].message, "unknown field `amout`");
}

const UNITS: &str = "
resources: { land: {} }
parks: { a: { capacity: { land: 5 }, existing: { coking: 1 } } }
chains:
  coking: { output: 5, uses: { land: 1 }, max_per_park: 3.5, build: { unit: 1.0 } }
  agri: { output: 1, uses: { land: 1 } }
";

#[test]
fn stated_units_that_agree_with_the_activity_pass() {
    let good = "
activities: { a: { coking: 3, agri: 2 } }
built_units: { a: { coking: { existing: 1, new: 2, unit: 1, units: 2 } } }
objective: 17
";
    let v = verify(&valid(UNITS), &plan(good), DEFAULT_TOLERANCE);
    assert!(v.ok(), "{:?}", v.violations);
}

#[test]
fn stated_units_that_disagree_with_the_activity_are_rejected_with_both_figures() {
    // The activity builds two batteries; the plan says three.
    let bad = "
activities: { a: { coking: 3, agri: 2 } }
built_units: { a: { coking: { existing: 1, new: 2, unit: 1, units: 3 } } }
";
    let v = verify(&valid(UNITS), &plan(bad), DEFAULT_TOLERANCE);
    assert_eq!(v.violations.len(), 1, "{:?}", v.violations);
    let x = &v.violations[0];
    assert_eq!(x.family, Family::Units);
    assert_eq!(x.constraint, "built[a,coking]");
    assert_eq!(x.plan_path.as_deref(), Some("built_units.a.coking"));
    assert_eq!(
        x.message,
        "the plan states 3 units of `coking` built in park `a`, but its activity gives 2 units of 1: 2 over the existing 1 (activity 3)"
    );
    // A wrong new activity and a wrong existing plant are named too.
    let bad = bad.replace("existing: 1, new: 2", "existing: 0, new: 3");
    let v = verify(&valid(UNITS), &plan(&bad), DEFAULT_TOLERANCE);
    let messages: Vec<&str> = v.violations.iter().map(|x| x.message.as_str()).collect();
    assert!(
        messages.contains(&"the plan states existing plant 0 of `coking` built in park `a`, but its activity gives the problem's 1"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"the plan states new activity 3 of `coking` built in park `a`, but its activity gives 2 over the existing 1 (activity 3)"),
        "{messages:?}"
    );
}

#[test]
fn a_build_left_out_of_stated_units_and_a_chain_without_units_are_rejected() {
    let problem = format!(
        "{UNITS}  bricks: {{ output: 1, uses: {{ land: 1 }}, max_per_park: 2, build: {{ unit: 0.5 }} }}\n"
    );
    // Bricks are built (1 = two units of 0.5) but not listed; agri is listed but has no build.
    let bad = "
activities: { a: { coking: 3, bricks: 1, agri: 1 } }
built_units:
  a:
    coking: { existing: 1, new: 2, unit: 1, units: 2 }
    agri: { existing: 0, new: 1 }
";
    let v = verify(&valid(&problem), &plan(bad), DEFAULT_TOLERANCE);
    let constraints: Vec<&str> = v.violations.iter().map(|x| x.constraint.as_str()).collect();
    assert_eq!(
        constraints,
        ["built[a,agri]", "built[a,bricks]"],
        "{:?}",
        v.violations
    );
    assert!(v.violations[0].message.contains("has no `build:`"));
    assert!(v.violations[1].message.contains("leave it out"));
    // Left out altogether, as by hand: nothing stated, nothing to check.
    let by_hand = "activities: { a: { coking: 3, bricks: 1, agri: 1 } }\n";
    let v = verify(&valid(&problem), &plan(by_hand), DEFAULT_TOLERANCE);
    assert!(v.ok(), "{:?}", v.violations);
}
