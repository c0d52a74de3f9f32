//! Variants by name: every command that takes `--scenario` finds base, scenarios and sweep points
//! through one lookup, so a sweep point printed by `sweep` can be solved, explained or exported.

use crate::common::parkplan;

const POINT: &str = "reuse-rate[rules.min_reuse_rate=0.95]";

#[test]
fn a_sweep_point_is_a_variant_every_command_can_take() {
    let run = parkplan([
        "solve",
        "problems/liupanshui.yaml",
        "--scenario",
        POINT,
        "-f",
        "json",
    ]);
    let plan = run.json();
    assert_eq!(plan["variant"], POINT, "{}", run.stderr);
    let run = parkplan(["explain", "problems/liupanshui.yaml", "--scenario", POINT]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(POINT), "{}", run.stdout);
}

#[test]
fn an_unknown_sweep_point_names_its_sweep() {
    let run = parkplan([
        "solve",
        "problems/liupanshui.yaml",
        "--scenario",
        "reuse-rate[rules.min_reuse_rate=0.97]",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("sweep `reuse-rate` has no point named"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("problems/liupanshui.yaml:376:3"),
        "{}",
        run.stderr
    );
}
