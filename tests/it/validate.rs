//! Bad input: every class of error names what is wrong, where (file:line:column and YAML path)
//! and how to mend it, and exits with code 2 — never a panic.

use crate::common::Test;

const GOOD: &str = r#"name: Two parks
resources:
  land: {}
  funds: { applies_to: new, pool: 12 }
zones:
  north: {}
parks:
  a:
    zone: north
    capacity: { land: 20 }
    existing: { power: 1.0 }
  b:
    zone: north
    capacity: { land: 8 }
chains:
  power:
    output: 1.75
    uses: { land: 0.5, funds: 3.8 }
    materials: { fly_ash: 0.55 }
    supports: [bricks]
    max_per_park: 3
  bricks:
    output: 0.3
    uses: { land: 0.15, funds: 0.45 }
    materials: { fly_ash: -2.0 }
    max_per_park: 5
materials:
  fly_ash: { reuse_value: 0.05 }
rules:
  one_main_chain: { min_share: 0.5 }
scenarios:
  dry:
    scale: { "parks.*.capacity.land": 0.5 }
"#;

/// Validates [`GOOD`] with one replacement applied, asserting exit code 2 and that standard error
/// holds every one of `parts`.
fn invalid(from: &str, to: &str, parts: &[&str]) {
    assert!(GOOD.contains(from), "test bug: `{from}` not in the problem");
    validate_bad(&GOOD.replacen(from, to, 1), "bad.yaml", parts);
}

/// Validates `text`, written to `name`, asserting exit code 2 and that standard error holds every
/// one of `parts`.
fn validate_bad(text: &str, name: &str, parts: &[&str]) {
    parts
        .iter()
        .fold(
            Test::new()
                .file(name, text)
                .in_tempdir()
                .args(["validate", name])
                .status(2),
            |test, part| test.stderr_contains(*part),
        )
        .run();
}

#[test]
fn the_good_problem_validates() {
    Test::new()
        .file("good.yaml", GOOD)
        .in_tempdir()
        .args(["validate", "good.yaml"])
        .stdout_contains("ok")
        .run();
}

#[test]
fn unknown_field() {
    invalid(
        "    output: 0.3",
        "    outptu: 0.3",
        &[
            "unknown field `outptu`",
            "bad.yaml:23:5",
            "chains.bricks.outptu",
            "did you mean `output`?",
        ],
    );
}

#[test]
fn unknown_top_level_field() {
    invalid(
        "name: Two parks",
        "nmae: Two parks",
        &[
            "unknown field `nmae`",
            "bad.yaml:1:1",
            "did you mean `name`?",
        ],
    );
}

#[test]
fn unknown_material() {
    invalid(
        "materials: { fly_ash: 0.55 }",
        "materials: { fly_sah: 0.55 }",
        &[
            "unknown material `fly_sah`",
            "bad.yaml:19:18",
            "chains.power.materials.fly_sah",
            "did you mean `fly_ash`?",
        ],
    );
}

#[test]
fn unknown_resource() {
    invalid(
        "capacity: { land: 8 }",
        "capacity: { lnad: 8 }",
        &[
            "unknown resource `lnad`",
            "bad.yaml:14:17",
            "parks.b.capacity.lnad",
            "did you mean `land`?",
        ],
    );
}

#[test]
fn unknown_chain() {
    invalid(
        "supports: [bricks]",
        "supports: [brick]",
        &[
            "unknown chain `brick`",
            "chains.power.supports.0",
            "bad.yaml:20:16",
            "did you mean `bricks`?",
        ],
    );
}

#[test]
fn unknown_zone() {
    invalid(
        "    zone: north\n    capacity: { land: 8 }",
        "    zone: nrth\n    capacity: { land: 8 }",
        &[
            "unknown zone `nrth`",
            "parks.b.zone",
            "bad.yaml:13:5",
            "did you mean `north`?",
        ],
    );
}

#[test]
fn unknown_park_in_expected() {
    invalid(
        "rules:",
        "expected: { objective: 1, main_chains: { c: power } }\nrules:",
        &["unknown park `c`", "expected.main_chains.c"],
    );
}

#[test]
fn negative_number() {
    invalid(
        "capacity: { land: 20 }",
        "capacity: { land: -20 }",
        &[
            "must not be negative",
            "parks.a.capacity.land",
            "bad.yaml:10:17",
        ],
    );
}

#[test]
fn non_finite_number() {
    invalid(
        "output: 1.75",
        "output: .nan",
        &[
            "not a finite number",
            "chains.power.output",
            "bad.yaml:17:5",
        ],
    );
}

#[test]
fn wrong_type() {
    invalid(
        "output: 1.75",
        "output: lots",
        &[
            "expected a number, found the text \"lots\"",
            "chains.power.output",
            "bad.yaml:17:5",
        ],
    );
}

#[test]
fn min_share_outside_zero_one() {
    invalid(
        "min_share: 0.5",
        "min_share: 1.5",
        &[
            "must lie in [0, 1]",
            "rules.one_main_chain.min_share",
            "bad.yaml:30:21",
        ],
    );
}

#[test]
fn chain_that_supports_itself() {
    invalid(
        "supports: [bricks]",
        "supports: [power]",
        &["chain `power` supports itself", "chains.power.supports.0"],
    );
}

#[test]
fn chain_without_a_finite_bound() {
    invalid(
        "uses: { land: 0.15, funds: 0.45 }\n    materials: { fly_ash: -2.0 }\n    max_per_park: 5",
        "uses: {}\n    materials: { fly_ash: -2.0 }",
        &[
            "chain `bricks` has no finite upper bound",
            "chains.bricks",
            "max_per_park",
        ],
    );
}

#[test]
fn existing_activity_above_its_limit() {
    invalid(
        "existing: { power: 1.0 }",
        "existing: { power: 4.0 }",
        &[
            "above the chain's max_per_park 3",
            "parks.a.existing.power",
            "bad.yaml:11:17",
        ],
    );
}

#[test]
fn scenario_path_that_matches_nothing() {
    invalid(
        "parks.*.capacity.land",
        "parks.*.capacity.lnd",
        &["matches nothing", "scenarios.dry.scale"],
    );
    invalid(
        "parks.*.capacity.land",
        "parks.c.capacity.land",
        &["`parks` has no `c`"],
    );
}

#[test]
fn empty_file() {
    validate_bad(
        "\n# nothing yet\n",
        "empty.yaml",
        &["the problem file is empty", "empty.yaml"],
    );
}

#[test]
fn yaml_syntax_error_has_a_position() {
    invalid(
        "capacity: { land: 20 }",
        "capacity: { land: 20",
        &["not valid YAML", "bad.yaml:"],
    );
}

#[test]
fn several_errors_are_reported_together() {
    validate_bad(
        &GOOD.replacen("output: 1.75", "output: -1", 1).replacen(
            "capacity: { land: 8 }",
            "capacity: { lnad: 8 }",
            1,
        ),
        "bad.yaml",
        &[
            "must not be negative",
            "unknown resource `lnad`",
            "2 errors",
        ],
    );
}

#[test]
fn solve_refuses_invalid_input_with_the_same_message() {
    Test::new()
        .file(
            "bad.yaml",
            GOOD.replacen("fly_ash: 0.55", "fly_sah: 0.55", 1),
        )
        .in_tempdir()
        .args(["solve", "bad.yaml"])
        .status(2)
        .stderr_contains("unknown material `fly_sah`")
        .run();
}

#[test]
fn chain_without_output() {
    invalid(
        "    output: 0.3\n",
        "",
        &[
            "missing field `output`",
            "bad.yaml:22:3 (at chains.bricks)",
            "`output: 0` for a chain that yields no value of its own",
        ],
    );
}

#[test]
fn existing_plant_above_a_park_capacity() {
    // Existing power 1 needs 0.5 land in park a.
    invalid(
        "capacity: { land: 20 }",
        "capacity: { land: 0.4 }",
        &[
            "park `a` cannot hold its existing plant: it needs 0.5 of `land` (power 1 × 0.5), above its capacity 0.4, so no plan exists",
            "bad.yaml:10:17 (at parks.a.capacity.land)",
            "raise parks.a.capacity.land to at least 0.5",
        ],
    );
    // In a scenario, at the change that makes it so.
    invalid(
        "\"parks.*.capacity.land\": 0.5",
        "\"parks.*.capacity.land\": 0.02",
        &[
            "in scenario `dry`: park `a` cannot hold its existing plant",
            "above its capacity 0.4",
            "bad.yaml:33:14 (at parks.a.capacity.land)",
        ],
    );
}

const OVER_THE_POOL: &str = "resources:
  power: { pool: 10, unit: GWh }
parks:
  a: { existing: { smelter: 2 } }
  b: { existing: { smelter: 1.5, plant: 1 } }
chains:
  smelter: { output: 1, uses: { power: 4 } }
  plant: { output: 1, uses: { power: -1 }, max_per_park: 2 }
";

#[test]
fn existing_plant_above_a_city_pool() {
    // 4·2 in a, where the plant may give 2, and 4·1.5 in b, where it may give 2: 6 + 4 = 10,
    // exactly the pool.
    Test::new()
        .file("ok.yaml", OVER_THE_POOL)
        .in_tempdir()
        .args(["validate", "ok.yaml"])
        .stdout_contains("ok")
        .run();
    // With the plant held to 1 in each park: 7 + 5 = 12 > 10.
    validate_bad(
        &OVER_THE_POOL.replace("max_per_park: 2", "max_per_park: 1"),
        "pool.yaml",
        &[
            "the existing plant of all parks needs 12 GWh of `power` (a 7 + b 5), after the most the chains that supply `power` can give, above the city pool 10 GWh, so no plan exists",
            "pool.yaml:2:12 (at resources.power.pool)",
            "raise resources.power.pool to at least 12",
        ],
    );
}

#[test]
fn a_file_that_says_it_is_infeasible_is_valid_and_solved() {
    // What `parkplan explain` is for: the file says no plan exists, so validate accepts it and
    // solve reports the infeasibility it finds.
    Test::new()
        .args(["validate", "problems/small/infeasible-capacity.yaml"])
        .stdout_contains("ok")
        .run();
    let text = std::fs::read_to_string(crate::common::path(
        "problems/small/infeasible-capacity.yaml",
    ))
    .unwrap()
    .replace("expected:\n  status: infeasible\n", "");
    validate_bad(
        &text,
        "capacity.yaml",
        &[
            "park `a` cannot hold its existing plant: it needs 5 of `land` (steel 5 × 1), above its capacity 3",
        ],
    );
    Test::new()
        .file("capacity.yaml", &text)
        .in_tempdir()
        .args(["solve", "capacity.yaml"])
        .status(3)
        .stderr_contains("infeasible")
        .run();
}
