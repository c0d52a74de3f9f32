//! Every file in `problems/` solved through the binary and checked against its `expected:` block
//! (the base problem and every scenario that carries one).

use crate::common::{Test, problem_files, rel_diff};

/// Default relative tolerance of an `expected:` block (MODEL.md §8).
const DEFAULT_TOLERANCE: f64 = 1e-6;

fn check(
    file: &std::path::Path,
    scenario: Option<&str>,
    expected: &serde_yaml::Value,
) -> Result<(), String> {
    let mut args = vec![
        "solve".to_string(),
        file.display().to_string(),
        "--format".into(),
        "json".into(),
    ];
    if let Some(s) = scenario {
        args.push("--scenario".into());
        args.push(s.into());
    }
    // The exit code is checked below, against the expected status, with the other failures.
    let run = Test::new().args(&args).any_status().run();
    let label = format!("{} {}", file.display(), scenario.unwrap_or("(base)"));
    let plan = run.json();
    let want_status = expected
        .get("status")
        .and_then(|s| s.as_str())
        .unwrap_or("optimal");
    let got_status = plan["status"].as_str().unwrap_or("?");
    if got_status != want_status {
        return Err(format!(
            "{label}: status {got_status}, expected {want_status}\n{}",
            run.stderr
        ));
    }
    let want_code = match want_status {
        "optimal" => 0,
        "infeasible" => 3,
        "unbounded" => 4,
        other => panic!("unknown expected status {other}"),
    };
    if run.code != want_code {
        return Err(format!(
            "{label}: exit code {}, expected {want_code}",
            run.code
        ));
    }
    if let Some(obj) = expected.get("objective").and_then(|v| v.as_f64()) {
        let tol = expected
            .get("tolerance")
            .and_then(|v| v.as_f64())
            .unwrap_or(DEFAULT_TOLERANCE);
        let got = plan["objective"]
            .as_f64()
            .ok_or_else(|| format!("{label}: no objective"))?;
        if rel_diff(got, obj) > tol {
            return Err(format!(
                "{label}: objective {got}, expected {obj} (relative tolerance {tol})"
            ));
        }
    }
    if let Some(mc) = expected.get("main_chains").and_then(|v| v.as_mapping()) {
        for (park, chain) in mc {
            let (park, chain) = (park.as_str().unwrap(), chain.as_str().unwrap());
            let got = plan["main_chains"][park].as_str().unwrap_or("(none)");
            if got != chain {
                return Err(format!(
                    "{label}: main chain of {park} is {got}, expected {chain}"
                ));
            }
        }
    }
    Ok(())
}

#[test]
fn every_problem_file_solves_to_its_expected_optimum() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for file in problem_files() {
        let doc: serde_yaml::Value =
            serde_yaml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let expected = doc
            .get("expected")
            .unwrap_or_else(|| panic!("{} has no expected: block", file.display()));
        cases += 1;
        if let Err(e) = check(&file, None, expected) {
            failures.push(e);
        }
        if let Some(scenarios) = doc.get("scenarios").and_then(|s| s.as_mapping()) {
            for (name, sc) in scenarios {
                if let Some(exp) = sc.get("expected") {
                    cases += 1;
                    if let Err(e) = check(&file, name.as_str(), exp) {
                        failures.push(e);
                    }
                }
            }
        }
    }
    assert!(cases >= 30, "only {cases} cases found");
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_problem_file_validates() {
    for file in problem_files() {
        Test::new().arg("validate").arg(&file).run();
    }
}
