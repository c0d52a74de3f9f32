//! The known-optima corpus covers the model: every constraint family and option of MODEL.md
//! appears in at least one case with a known optimum (a base problem or a scenario that carries
//! `expected:`), and there are infeasible and unbounded cases.

use parkplan::problem::format::{
    AcrossZones, AppliesTo, ExpectedStatus, MaterialKind, OneMainChainRule,
};
use parkplan::problem::{SourceFile, ValidProblem};
use parkplan::variant;

use crate::common::problem_files;

/// The options a case exercises.
fn features(v: &ValidProblem, expected: &parkplan::problem::format::Expected) -> Vec<&'static str> {
    let p = &v.problem();
    let mut f = Vec::new();
    let mut add = |on: bool, name: &'static str| {
        if on {
            f.push(name);
        }
    };
    let materials_move = p
        .chains
        .values()
        .any(|c| c.materials.values().any(|&m| m > 0.0))
        && p.chains
            .values()
            .any(|c| c.materials.values().any(|&m| m < 0.0));
    let zone_with_partners = p.zones.keys().any(|z| {
        p.parks
            .values()
            .filter(|k| k.zone.as_deref() == Some(z))
            .count()
            >= 2
    });
    add(
        p.parks.values().any(|k| !k.capacity.is_empty()),
        "park capacity (§4.1)",
    );
    add(
        p.resources.values().any(|r| r.pool.is_some()),
        "city pool (§4.2)",
    );
    add(
        p.resources.values().any(|r| r.applies_to == AppliesTo::New),
        "applies_to: new",
    );
    add(
        p.chains.values().any(|c| c.uses.values().any(|&u| u < 0.0)),
        "produced resource (negative uses)",
    );
    add(
        p.chains.values().any(|c| c.max_per_park.is_some()),
        "max_per_park (§4.3)",
    );
    add(
        p.chains.values().any(|c| c.max_total.is_some()),
        "max_total (§4.3)",
    );
    add(
        materials_move && !p.exchange.within_zone && v.across_cost().is_none(),
        "exchange within one park only",
    );
    add(
        materials_move && p.exchange.within_zone && zone_with_partners,
        "exchange within a zone",
    );
    add(
        matches!(&p.exchange.across_zones, Some(AcrossZones::Costs(c)) if c.cost.values().any(|&x| x > 0.0)),
        "exchange across zones at a cost",
    );
    add(
        matches!(p.exchange.across_zones, Some(AcrossZones::Flag(true))),
        "exchange across zones (`across_zones: true`)",
    );
    add(
        p.materials
            .values()
            .any(|m| m.external.as_ref().is_some_and(|e| e.limit.is_some())),
        "external purchase with a limit",
    );
    add(
        p.materials
            .values()
            .any(|m| m.external.as_ref().is_some_and(|e| e.limit.is_none())),
        "external purchase without a limit",
    );
    add(
        p.materials.values().any(|m| m.disposal_cost > 0.0),
        "disposal cost",
    );
    add(
        p.materials.values().any(|m| m.reuse_value > 0.0),
        "reuse value",
    );
    add(
        p.materials
            .values()
            .any(|m| m.kind == MaterialKind::Product),
        "product material",
    );
    add(
        p.rules.min_reuse_rate.is_some_and(|r| r > 0.0),
        "min reuse rate (§4.5)",
    );
    add(v.rule().is_none(), "one main chain off");
    add(
        matches!(p.rules.one_main_chain, Some(OneMainChainRule::Flag(true))),
        "one_main_chain: true",
    );
    if let Some(rule) = v.rule() {
        add(rule.min_share == 0.0, "one main chain without min_share");
        add(rule.min_share > 0.0, "one main chain with min_share");
        add(rule.strict, "one main chain, strict");
        add(!rule.strict, "one main chain, non-strict");
        add(
            p.chains.values().any(|c| !c.supports.is_empty()),
            "supports",
        );
    }
    add(p.parks.values().any(|k| k.allowed.is_some()), "allowed");
    add(
        p.parks.values().any(|k| !k.existing.is_empty()),
        "existing activity",
    );
    add(
        p.objective.output != 1.0 || p.objective.reuse != 1.0,
        "objective weights",
    );
    add(expected.main_chains.is_some(), "expected main chains");
    match expected.status.unwrap_or(ExpectedStatus::Optimal) {
        ExpectedStatus::Optimal => add(expected.objective.is_some(), "optimal with objective"),
        ExpectedStatus::Infeasible => add(true, "infeasible"),
        ExpectedStatus::Unbounded => add(true, "unbounded"),
    }
    f
}

const REQUIRED: [&str; 32] = [
    "park capacity (§4.1)",
    "city pool (§4.2)",
    "applies_to: new",
    "produced resource (negative uses)",
    "max_per_park (§4.3)",
    "max_total (§4.3)",
    "exchange within one park only",
    "exchange within a zone",
    "exchange across zones at a cost",
    "exchange across zones (`across_zones: true`)",
    "external purchase with a limit",
    "external purchase without a limit",
    "disposal cost",
    "reuse value",
    "product material",
    "min reuse rate (§4.5)",
    "one main chain off",
    "one_main_chain: true",
    "one main chain without min_share",
    "one main chain with min_share",
    "one main chain, strict",
    "one main chain, non-strict",
    "supports",
    "allowed",
    "existing activity",
    "objective weights",
    "expected main chains",
    "optimal with objective",
    "infeasible",
    "unbounded",
    // Two options together, where a bug in one could hide behind the other.
    "one main chain with min_share + supports",
    "one main chain, strict + existing activity",
];

#[test]
fn the_corpus_covers_every_option_of_the_model() {
    let mut seen: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    let mut files = 0;
    for file in problem_files() {
        let src = SourceFile::read(&file).unwrap();
        let base = src.base_problem().unwrap();
        let mut cases = Vec::new();
        if base.expected.is_some() {
            cases.push(variant::base(&src.document, &base));
        }
        for (name, sc) in &base.scenarios {
            if sc.expected.is_some() {
                cases.push(variant::scenario(&src.document, &base, name).unwrap());
            }
        }
        if !cases.is_empty() {
            files += 1;
        }
        for case in cases {
            let valid = src.validate_variant(&case).unwrap();
            let expected = case.expected.clone().unwrap();
            let mut f = features(&valid, &expected);
            if f.contains(&"one main chain with min_share") && f.contains(&"supports") {
                f.push("one main chain with min_share + supports");
            }
            if f.contains(&"one main chain, strict") && f.contains(&"existing activity") {
                f.push("one main chain, strict + existing activity");
            }
            let label = format!(
                "{} {}",
                file.strip_prefix(crate::common::root())
                    .unwrap_or(&file)
                    .display(),
                case.name
            );
            for name in f {
                seen.entry(name).or_default().push(label.clone());
            }
        }
    }
    assert!(files >= 15, "only {files} files with a known optimum");
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|r| !seen.contains_key(r))
        .collect();
    assert!(
        missing.is_empty(),
        "no case with a known optimum exercises: {missing:?}\ncoverage:\n{seen:#?}"
    );
}
