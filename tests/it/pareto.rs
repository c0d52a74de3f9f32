//! `parkplan pareto`: the trade-off between output value and waste reuse. Its ends are the two
//! single-objective optima, no point of it is dominated, and on a problem small enough to solve by
//! hand every point is where the derivation puts it.

use serde_json::Value;

use crate::common::{Test, path, rel_diff, temp_problem};

/// Relative tolerance of the comparisons: the default MIP gap (1e-6) bounds how far any solve may
/// be from its optimum.
const TOL: f64 = 1e-6;

/// One park, 10 km² of land. `maker` (output 3 per unit) generates 1 t of waste per unit;
/// `recycler` (output 1) needs 1 t of it as feedstock per unit; both use 1 km² per unit.
///
/// Derivation: reuse r = x[recycler] (feedstock met exactly from the maker's waste, no other
/// source), and r ≤ x[maker]. Output 3·x[maker] + x[recycler] is largest with all land to the
/// maker: 30 at r = 0. Reuse is largest with x[maker] = x[recycler] = 5: r = 5, output 20. Between,
/// reuse ≥ ε costs land taken from the maker: output = 3·(10 − ε) + ε = 30 − 2ε.
const TRADE_OFF: &str = "
name: Maker and recycler
resources: { land: {} }
zones: { z: {} }
parks:
  p: { zone: z, capacity: { land: 10 } }
chains:
  maker: { output: 3, uses: { land: 1 }, materials: { slag: 1 } }
  recycler: { output: 1, uses: { land: 1 }, materials: { slag: -1 } }
materials:
  slag: { kind: waste, reuse_value: 0.1, disposal_cost: 0.05 }
";

fn points(front: &Value) -> Vec<(f64, f64, f64)> {
    front["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| {
            assert_eq!(p["status"], "optimal", "{p}");
            (
                p["epsilon"].as_f64().unwrap(),
                p["output_value"].as_f64().unwrap(),
                p["total_reuse"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_hand_derived_front_is_traced_point_by_point() {
    let (_d, file) = temp_problem("trade-off.yaml", TRADE_OFF);
    let front = Test::new()
        .args([
            "pareto",
            file.to_str().unwrap(),
            "--points",
            "5",
            "-f",
            "json",
        ])
        .json();
    let pts = points(&front);
    assert_eq!(pts.len(), 5);
    for (i, (eps, output, reuse)) in pts.iter().enumerate() {
        let want_eps = 5.0 * i as f64 / 4.0;
        assert!((eps - want_eps).abs() < 1e-9, "ε {eps} vs {want_eps}");
        assert!(rel_diff(*reuse, want_eps) < TOL, "reuse {reuse} at ε {eps}");
        assert!(
            rel_diff(*output, 30.0 - 2.0 * want_eps) < TOL,
            "output {output} at ε {eps}"
        );
    }
    // objective = output + 0.1·reuse − 0.05·(generated − reused), generated = 10 − ε.
    let last = &front["points"][4];
    let want = 20.0 + 0.1 * 5.0 - 0.05 * (5.0 - 5.0);
    assert!(
        rel_diff(last["objective"].as_f64().unwrap(), want) < TOL,
        "{last}"
    );
    assert_eq!(front["dropped"], 0);
}

/// Liupanshui with two scenarios whose weighted objective (MODEL.md §5) is one criterion alone:
/// all costs zero, and the other criterion's weight zero. `max-reuse` also gives each waste a
/// reuse value of 1, so that its objective is the total waste reuse.
fn single_objective_scenarios(dir: &std::path::Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(path("problems/liupanshui.yaml")).unwrap();
    let extra = r#"
  max-output:
    set:
      "objective.reuse": 0
      "materials.*.disposal_cost": 0
      "materials.*.external.price": 0
      "exchange.across_zones.cost.*": 0
  max-reuse:
    set:
      "objective.output": 0
      "objective.reuse": 1
      "materials.fly_ash.reuse_value": 1
      "materials.gangue.reuse_value": 1
      "materials.slime.reuse_value": 1
      "materials.carbide_slag.reuse_value": 1
      "materials.*.disposal_cost": 0
      "materials.*.external.price": 0
      "exchange.across_zones.cost.*": 0
"#;
    // The scenarios block ends where the sweeps begin.
    let text = text.replacen("\nsweeps:", &format!("{extra}\nsweeps:"), 1);
    let out = dir.join("liupanshui-ends.yaml");
    std::fs::write(&out, text).unwrap();
    out
}

#[test]
fn the_ends_are_the_single_objective_optima_and_no_point_is_dominated() {
    let dir = tempfile::tempdir().unwrap();
    let file = single_objective_scenarios(dir.path());
    let f = file.to_str().unwrap();
    let solve = |scenario: &str| -> f64 {
        Test::new()
            .args(["solve", f, "--scenario", scenario, "-f", "json"])
            .json()["objective"]
            .as_f64()
            .unwrap()
    };
    let (max_output, max_reuse) = (solve("max-output"), solve("max-reuse"));

    let front = Test::new()
        .args(["pareto", f, "--points", "7", "-f", "json", "--jobs", "2"])
        .json();
    let pts = points(&front);
    assert!(pts.len() >= 2, "{front}");
    let (first, last) = (pts[0], pts[pts.len() - 1]);
    assert!(
        rel_diff(first.1, max_output) < TOL,
        "output at one end {} vs the most output {max_output}",
        first.1
    );
    assert!(
        rel_diff(last.2, max_reuse) < TOL,
        "reuse at the other end {} vs the most reuse {max_reuse}",
        last.2
    );
    assert!(
        rel_diff(last.0, max_reuse) < TOL,
        "ε ends at the most reuse"
    );
    // Output falls and reuse rises along the front; no point dominates another.
    for w in pts.windows(2) {
        assert!(w[1].0 > w[0].0, "ε increases: {pts:?}");
        assert!(w[1].2 > w[0].2 * (1.0 + TOL), "reuse rises: {pts:?}");
        assert!(w[1].1 < w[0].1 * (1.0 - TOL), "output falls: {pts:?}");
    }
    for (i, a) in pts.iter().enumerate() {
        for (j, b) in pts.iter().enumerate() {
            let no_worse = b.1 >= a.1 * (1.0 - TOL) && b.2 >= a.2 * (1.0 - TOL);
            let better = b.1 > a.1 * (1.0 + TOL) || b.2 > a.2 * (1.0 + TOL);
            assert!(
                i == j || !(no_worse && better),
                "point {j} dominates point {i}: {pts:?}"
            );
        }
    }
    // Every point meets its ε (up to the solver's tolerance).
    for (eps, _, reuse) in &pts {
        assert!(*reuse >= eps * (1.0 - 1e-6), "{reuse} < {eps}");
    }
}

#[test]
fn formats_scenarios_and_bad_input() {
    let (_d, file) = temp_problem("trade-off.yaml", TRADE_OFF);
    let f = file.to_str().unwrap();
    let csv = Test::new()
        .args(["pareto", f, "-n", "3", "-f", "csv"])
        .run();
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "epsilon,status,output_value,total_reuse,objective"
    );
    assert_eq!(lines.len(), 4);
    assert!(lines[1].starts_with("0,optimal,30,0,"), "{}", lines[1]);
    Test::new()
        .args(["pareto", f, "-n", "3"])
        .stdout_contains("output given up per extra unit reused")
        // 2 of output per unit of reuse, all along this front.
        .stdout_contains("2.000")
        .run();

    let front = Test::new()
        .args([
            "pareto",
            "problems/liupanshui.yaml",
            "-n",
            "3",
            "-s",
            "dry-season",
            "-f",
            "json",
        ])
        .json();
    assert_eq!(front["variant"], "dry-season");

    Test::new()
        .args(["pareto", f, "--points", "1"])
        .status(2)
        .run();
    Test::new()
        .args(["pareto", f, "-s", "nope"])
        .status(2)
        .run();
    Test::new()
        .args(["pareto", "problems/small/infeasible-capacity.yaml"])
        .status(3)
        .stderr_contains("infeasible")
        .run();
}

/// A point solved with a gap carries the bounds its steps proved (`output_bound`, `reuse_bound`,
/// each at least the plan's own value and within the gap of it) and the table prints them
/// (`≤ …`); solved exactly, a point carries none.
#[test]
fn points_solved_with_a_gap_carry_their_bounds() {
    let t = Test::new().in_tempdir();
    let file = t.tmp("g12.yaml");
    Test::new()
        .args([
            "generate", "--parks", "12", "--chains", "8", "--seed", "2", "-o",
        ])
        .arg(&file)
        .run();
    let front = Test::new()
        .args(["pareto", "-n", "4", "--gap", "0.05", "-f", "json"])
        .arg(&file)
        .json();
    let pts = front["points"].as_array().unwrap();
    let mut bounded = 0;
    for p in pts {
        let out = p["output_value"].as_f64().unwrap();
        if let Some(b) = p["output_bound"].as_f64() {
            assert!(b >= out - 1e-9 && b <= out + 0.05 * out.abs() + 1e-9, "{p}");
            bounded += 1;
        }
        if let Some(b) = p["reuse_bound"].as_f64() {
            let reuse = p["total_reuse"].as_f64().unwrap();
            assert!(
                b >= reuse - 1e-9 && b <= reuse + 0.05 * reuse.abs() + 1e-9,
                "{p}"
            );
        }
    }
    assert!(
        bounded > 0,
        "no point carries a bound at a 5 % gap: {front}"
    );
    Test::new()
        .args(["pareto", "-n", "4", "--gap", "0.05"])
        .arg(&file)
        .stdout_contains("(≤ ")
        .run();
    let exact = Test::new()
        .args(["pareto", "-n", "4", "-f", "json"])
        .arg(&file)
        .json();
    for p in exact["points"].as_array().unwrap() {
        assert!(p.get("output_bound").is_none_or(|b| b.is_null()), "{p}");
        assert!(p.get("reuse_bound").is_none_or(|b| b.is_null()), "{p}");
    }
}
