use super::*;

fn problem(text: &str) -> Problem {
    serde_yaml::from_str(text).unwrap()
}

fn errors(text: &str) -> Vec<Diagnostic> {
    validate(problem(text)).unwrap_err()
}

const OK: &str = "
resources: { land: {}, power: { pool: 100 }, funds: { applies_to: new } }
zones: { n: {} }
parks:
  a: { zone: n, capacity: { land: 10, funds: 6 }, existing: { mine: 1 } }
chains:
  mine: { output: 1, uses: { land: 2, power: 10, funds: 3 }, max_per_park: 8 }
  plant: { output: 2, uses: { land: 1, power: -50 }, max_per_park: 4 }
rules: { one_main_chain: { min_share: 0.5 } }
";

#[test]
fn bounds_follow_the_data() {
    let v = validate(problem(OK)).unwrap();
    // mine: land (10 − 0·existing of plant)/2 = 5; funds 1 + 6/3 = 3; power is produced by plant.
    assert_eq!(v.upper[0], vec![Some(3.0), Some(4.0)]);
    // land for plant: (10 − 2·1)/1 = 8, but max_per_park 4 is tighter.
    assert_eq!(v.growth_bound(ParkIx(0), 0), 2.0);
    assert_eq!(v.share_big_m(ParkIx(0)), 0.5 * (1.0 * 3.0 + 2.0 * 4.0));
}

#[test]
fn unknown_references_get_a_near_name() {
    let errs = errors(&OK.replace("uses: { land: 2,", "uses: { lnad: 2,"));
    assert_eq!(errs[0].path.as_deref(), Some("chains.mine.uses.lnad"));
    assert_eq!(errs[0].message, "unknown resource `lnad`");
    assert_eq!(errs[0].help.as_deref(), Some("did you mean `land`?"));
}

#[test]
fn unbounded_chain_under_the_rule_is_named() {
    let unbounded = OK.replace(
        "uses: { land: 1, power: -50 }, max_per_park: 4",
        "uses: { power: -50 }",
    );
    let errs = errors(&unbounded);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].path.as_deref(), Some("chains.plant"));
    assert!(errs[0].help.as_deref().unwrap().contains("max_per_park"));
    // Without the rule the same chain is fine (the LP may be unbounded, which the solve reports).
    let text = OK
        .replace("max_per_park: 4", "supports: []")
        .replace("rules: { one_main_chain: { min_share: 0.5 } }", "");
    assert!(validate(problem(&text)).is_ok());
}

#[test]
fn each_class_of_bad_number_is_reported() {
    let errs = errors(
        &OK.replace("min_share: 0.5", "min_share: 1.5")
            .replace("output: 2", "output: -2")
            .replace("pool: 100", "pool: .inf"),
    );
    let paths: Vec<_> = errs.iter().map(|e| e.path.clone().unwrap()).collect();
    assert!(
        paths.contains(&"rules.one_main_chain.min_share".to_string()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"chains.plant.output".to_string()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"resources.power.pool".to_string()),
        "{paths:?}"
    );
}

#[test]
fn self_support_and_existing_above_limit() {
    let errs = errors(
        &OK.replace("max_per_park: 4", "max_per_park: 4, supports: [plant]")
            .replace("mine: 1 }", "mine: 9 }"),
    );
    let msgs: Vec<_> = errs.iter().map(|e| e.message.clone()).collect();
    assert!(
        msgs.iter().any(|m| m.contains("supports itself")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("above the chain's max_per_park")),
        "{msgs:?}"
    );
}

/// Park `a` with 4 land and existing mining on 5: room only if a chain gives land back.
const CROWDED: &str = "
resources: { land: {}, funds: { applies_to: new } }
parks:
  a: { capacity: { land: 4, funds: 0 }, existing: { mine: 5 } }
chains:
  mine: { output: 1, uses: { land: 1, funds: 1 } }
  terrace: { output: 0, uses: { land: -0.5 }, max_per_park: 2 }
";

fn over_limits(text: &str) -> Vec<Diagnostic> {
    validate(problem(text)).unwrap().existing_over_limits()
}

#[test]
fn existing_plant_over_a_capacity_counts_what_suppliers_can_give() {
    // 5 − 0.5·2 = 4: exactly the capacity.
    assert!(over_limits(CROWDED).is_empty());
    // Held to 1, the terrace leaves 4.5 > 4.
    let errs = over_limits(&CROWDED.replace("max_per_park: 2", "max_per_park: 1"));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].path.as_deref(), Some("parks.a.capacity.land"));
    assert_eq!(
        errs[0].message,
        "park `a` cannot hold its existing plant: it needs 5 of `land` (mine 5 × 1) and its chains that supply `land` give at most 0.5 (terrace 1 × -0.5): 4.5 in all, above its capacity 4, so no plan exists"
    );
    assert_eq!(
        errs[0].help.as_deref(),
        Some(
            "raise parks.a.capacity.land to at least 4.5, or lower the existing activity in parks.a.existing"
        )
    );
    // A supplier without a bound may make any room: nothing is claimed.
    assert!(over_limits(&CROWDED.replace(", max_per_park: 2", "")).is_empty());
    // Not allowed in the park, it makes none.
    let barred = CROWDED.replace(
        "existing: { mine: 5 }",
        "existing: { mine: 5 }, allowed: [mine]",
    );
    assert_eq!(over_limits(&barred).len(), 1);
}

#[test]
fn existing_plant_draws_nothing_on_a_resource_for_new_activity() {
    // funds: capacity 0, but only new mining would draw on it.
    assert!(over_limits(CROWDED).is_empty());
}
