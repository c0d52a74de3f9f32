//! Variants by name: every command that takes `--scenario` finds base, scenarios and sweep points
//! through one lookup, so a sweep point printed by `sweep` can be solved, explained or exported.

use crate::common::Test;

const POINT: &str = "reuse-rate[rules.min_reuse_rate=0.95]";

#[test]
fn a_sweep_point_is_a_variant_every_command_can_take() {
    let plan = Test::new()
        .args([
            "solve",
            "problems/liupanshui.yaml",
            "--scenario",
            POINT,
            "-f",
            "json",
        ])
        .status(3)
        .json();
    assert_eq!(plan["variant"], POINT);
    Test::new()
        .args(["explain", "problems/liupanshui.yaml", "--scenario", POINT])
        .stdout_contains(POINT)
        .run();
}

#[test]
fn an_unknown_sweep_point_names_its_sweep() {
    Test::new()
        .args([
            "solve",
            "problems/liupanshui.yaml",
            "--scenario",
            "reuse-rate[rules.min_reuse_rate=0.97]",
        ])
        .status(2)
        .stderr_contains("sweep `reuse-rate` has no point named")
        .stderr_contains("problems/liupanshui.yaml:376:3")
        .run();
}
