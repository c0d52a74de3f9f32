//! Bad input: every class of error names what is wrong, where (file:line:column and YAML path)
//! and how to mend it, and exits with code 2 — never a panic.

use crate::common::{parkplan, temp_problem};

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

/// Validates `text` with one replacement applied and returns stderr, asserting exit code 2.
fn invalid(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "test bug: `{from}` not in the problem");
    let (_dir, p) = temp_problem("bad.yaml", &GOOD.replacen(from, to, 1));
    let run = parkplan(["validate".as_ref(), p.as_os_str()]);
    assert_eq!(
        run.code, 2,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.stderr
}

fn has(stderr: &str, parts: &[&str]) {
    for p in parts {
        assert!(stderr.contains(p), "`{p}` not in:\n{stderr}");
    }
}

#[test]
fn the_good_problem_validates() {
    let (_dir, p) = temp_problem("good.yaml", GOOD);
    let run = parkplan(["validate".as_ref(), p.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("ok"));
}

#[test]
fn unknown_field() {
    let e = invalid("    output: 0.3", "    outptu: 0.3");
    has(
        &e,
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
    let e = invalid("name: Two parks", "nmae: Two parks");
    has(
        &e,
        &[
            "unknown field `nmae`",
            "bad.yaml:1:1",
            "did you mean `name`?",
        ],
    );
}

#[test]
fn unknown_material() {
    let e = invalid(
        "materials: { fly_ash: 0.55 }",
        "materials: { fly_sah: 0.55 }",
    );
    has(
        &e,
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
    let e = invalid("capacity: { land: 8 }", "capacity: { lnad: 8 }");
    has(
        &e,
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
    let e = invalid("supports: [bricks]", "supports: [brick]");
    has(
        &e,
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
    let e = invalid(
        "    zone: north\n    capacity: { land: 8 }",
        "    zone: nrth\n    capacity: { land: 8 }",
    );
    has(
        &e,
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
    let e = invalid(
        "rules:",
        "expected: { objective: 1, main_chains: { c: power } }\nrules:",
    );
    has(&e, &["unknown park `c`", "expected.main_chains.c"]);
}

#[test]
fn negative_number() {
    let e = invalid("capacity: { land: 20 }", "capacity: { land: -20 }");
    has(
        &e,
        &[
            "must not be negative",
            "parks.a.capacity.land",
            "bad.yaml:10:17",
        ],
    );
}

#[test]
fn non_finite_number() {
    let e = invalid("output: 1.75", "output: .nan");
    has(
        &e,
        &[
            "not a finite number",
            "chains.power.output",
            "bad.yaml:17:5",
        ],
    );
}

#[test]
fn wrong_type() {
    let e = invalid("output: 1.75", "output: lots");
    has(
        &e,
        &["invalid type", "chains.power.output", "bad.yaml:17:5"],
    );
}

#[test]
fn min_share_outside_zero_one() {
    let e = invalid("min_share: 0.5", "min_share: 1.5");
    has(
        &e,
        &[
            "must lie in [0, 1]",
            "rules.one_main_chain.min_share",
            "bad.yaml:30:21",
        ],
    );
}

#[test]
fn chain_that_supports_itself() {
    let e = invalid("supports: [bricks]", "supports: [power]");
    has(
        &e,
        &["chain `power` supports itself", "chains.power.supports.0"],
    );
}

#[test]
fn chain_without_a_finite_bound() {
    let e = invalid(
        "uses: { land: 0.15, funds: 0.45 }\n    materials: { fly_ash: -2.0 }\n    max_per_park: 5",
        "uses: {}\n    materials: { fly_ash: -2.0 }",
    );
    has(
        &e,
        &[
            "chain `bricks` has no finite upper bound",
            "chains.bricks",
            "max_per_park",
        ],
    );
}

#[test]
fn existing_activity_above_its_limit() {
    let e = invalid("existing: { power: 1.0 }", "existing: { power: 4.0 }");
    has(
        &e,
        &[
            "above the chain's max_per_park 3",
            "parks.a.existing.power",
            "bad.yaml:11:17",
        ],
    );
}

#[test]
fn scenario_path_that_matches_nothing() {
    let e = invalid("parks.*.capacity.land", "parks.*.capacity.lnd");
    has(&e, &["matches nothing", "scenarios.dry.scale"]);
    let e = invalid("parks.*.capacity.land", "parks.c.capacity.land");
    has(&e, &["`parks` has no `c`"]);
}

#[test]
fn empty_file() {
    let (_dir, p) = temp_problem("empty.yaml", "\n# nothing yet\n");
    let run = parkplan(["validate".as_ref(), p.as_os_str()]);
    assert_eq!(run.code, 2);
    has(&run.stderr, &["the problem file is empty", "empty.yaml"]);
}

#[test]
fn yaml_syntax_error_has_a_position() {
    let e = invalid("capacity: { land: 20 }", "capacity: { land: 20");
    has(&e, &["not valid YAML", "bad.yaml:"]);
}

#[test]
fn several_errors_are_reported_together() {
    let (_dir, p) = temp_problem(
        "bad.yaml",
        &GOOD.replacen("output: 1.75", "output: -1", 1).replacen(
            "capacity: { land: 8 }",
            "capacity: { lnad: 8 }",
            1,
        ),
    );
    let run = parkplan(["validate".as_ref(), p.as_os_str()]);
    assert_eq!(run.code, 2);
    has(
        &run.stderr,
        &[
            "must not be negative",
            "unknown resource `lnad`",
            "2 errors",
        ],
    );
}

#[test]
fn solve_refuses_invalid_input_with_the_same_message() {
    let (_dir, p) = temp_problem(
        "bad.yaml",
        &GOOD.replacen("fly_ash: 0.55", "fly_sah: 0.55", 1),
    );
    let run = parkplan(["solve".as_ref(), p.as_os_str()]);
    assert_eq!(run.code, 2);
    has(&run.stderr, &["unknown material `fly_sah`"]);
}
