//! `parkplan check`: every known optimum in `problems/` passes; a wrong `expected:` fails with a
//! clear line and exit 7; the JUnit XML parses and names every case.

use crate::common::{Test, path};

/// A small problem with a hand-derived optimum: land 4 for steel (3 per unit) or cement (2 per
/// unit, max 10); steel max 3 → 3·3 + 1·2 = 11.
const SMALL: &str = r#"name: Small
resources: { land: {} }
parks:
  a: { capacity: { land: 4 } }
chains:
  steel: { output: 3, uses: { land: 1 }, max_per_park: 3 }
  cement: { output: 2, uses: { land: 1 }, max_per_park: 10 }
expected: { objective: 11 }
scenarios:
  more-land:
    set: { parks.a.capacity.land: 5 }
    expected: { objective: 13 }
"#;

#[test]
fn every_problem_in_the_corpus_passes() {
    let test = Test::new();
    let junit = test.tmp("check.xml");
    let _run = test
        .arg("check")
        .arg("--junit")
        .arg(&junit)
        .stdout_contains("0 failed, 0 invalid, 0 solver error(s)")
        .stdout_contains("plan verified")
        .stdout_lacks("FAIL")
        .run();

    // The JUnit XML parses, and every case is a testcase named after its file and variant.
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("the JUnit report is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let cases: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|n| {
            (
                n.attribute("classname").unwrap().to_string(),
                n.attribute("name").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        root.attribute("tests").unwrap().parse::<usize>().unwrap(),
        cases.len()
    );
    assert!(cases.len() >= 30, "{cases:?}");
    assert!(
        cases.contains(&("problems/liupanshui.yaml".into(), "base".into())),
        "{cases:?}"
    );
    assert!(
        cases.contains(&(
            "problems/small/park-capacity.yaml".into(),
            "water-doubled".into()
        )),
        "{cases:?}"
    );
    // The workbook shipped beside its YAML file is found and checked too.
    assert!(
        cases.contains(&("problems/guizhou-chemical-parks.xlsx".into(), "base".into())),
        "{cases:?}"
    );
    assert_eq!(root.attribute("failures"), Some("0"));
    assert_eq!(root.attribute("errors"), Some("0"));
}

#[test]
fn a_wrong_expected_objective_fails_with_a_clear_line() {
    let test = Test::new().file("good.yaml", SMALL).file(
        "wrong.yaml",
        SMALL.replace(
            "expected: { objective: 13 }",
            "expected: { objective: 12.5 }",
        ),
    );
    let junit = test.tmp("out/check.xml");
    std::fs::create_dir(test.tmp("out")).unwrap();
    let dir = test.tempdir().to_owned();
    let run = test
        .arg("check")
        .arg(&dir)
        .arg("--junit")
        .arg(&junit)
        .status(7)
        .stdout_contains("objective 13, expected 12.5")
        .stdout_contains("4 case(s) in 2 file(s): 3 passed, 1 failed")
        .run();
    let fail_line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("FAIL"))
        .unwrap_or_else(|| panic!("no FAIL line in\n{}", run.stdout));
    assert!(fail_line.contains("wrong.yaml"), "{fail_line}");
    assert!(fail_line.contains("more-land"), "{fail_line}");

    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let failed: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .filter(|n| n.children().any(|c| c.has_tag_name("failure")))
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].attribute("name"), Some("more-land"));
    assert!(
        failed[0]
            .attribute("classname")
            .unwrap()
            .ends_with("wrong.yaml")
    );
    let failure = failed[0]
        .children()
        .find(|c| c.has_tag_name("failure"))
        .unwrap();
    assert!(
        failure
            .attribute("message")
            .unwrap()
            .contains("expected 12.5"),
        "{xml}"
    );
}

#[test]
fn wrong_status_and_main_chain_fail() {
    let j = Test::new()
        .file(
            "p.yaml",
            SMALL
                .replace(
                    "expected: { objective: 11 }",
                    "expected: { status: infeasible }",
                )
                .replace(
                    "expected: { objective: 13 }",
                    "expected: { objective: 10, main_chains: { a: steel } }",
                )
                .replace(
                    "resources: { land: {} }",
                    "resources: { land: {} }\nrules: { one_main_chain: {} }",
                ),
        )
        .in_tempdir()
        .args(["check", "p.yaml", "--format", "json"])
        .status(7)
        .json();
    let cases = j["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0]["outcome"], "fail");
    assert!(
        cases[0]["failures"][0]
            .as_str()
            .unwrap()
            .contains("status optimal, expected infeasible"),
        "{j:#}"
    );
    // With the rule on, land 5: main steel gives 3 · 3 = 9 (cement may not grow beside it),
    // main cement 5 · 2 = 10 — so the objective 10 is right and the main chain is not.
    assert_eq!(cases[1]["outcome"], "fail");
    assert_eq!(
        cases[1]["failures"],
        serde_json::json!(["main chain of `a` is `cement`, expected `steel`"])
    );
    assert_eq!(j["summary"]["failed"], 2);
}

#[test]
fn invalid_and_missing_files_are_bad_input_but_the_rest_still_runs() {
    let test = Test::new()
        .file("good.yaml", SMALL)
        .file("bad.yaml", SMALL.replace("output: 3", "outptu: 3"));
    let (dir, missing) = (test.tempdir().to_owned(), test.tmp("nope.yaml"));
    test.arg("check")
        .arg(&dir)
        .arg(&missing)
        .status(2)
        .stdout_contains("unknown field `outptu`")
        .stdout_contains("no such file or folder")
        .stdout_contains("2 passed")
        .stdout_contains("2 invalid")
        .run();
}

#[test]
fn a_file_without_expected_is_skipped() {
    let run = Test::new()
        .file(
            "p.yaml",
            SMALL
                .replace("expected: { objective: 11 }\n", "")
                .replace("    expected: { objective: 13 }\n", ""),
        )
        .in_tempdir()
        .args(["check", "p.yaml"])
        .stdout_contains("1 skipped")
        .run();
    assert!(run.stdout.starts_with("skip"), "{}", run.stdout);
}

#[test]
fn an_empty_folder_is_a_usage_error() {
    let test = Test::new();
    let dir = test.tempdir().to_owned();
    test.arg("check")
        .arg(&dir)
        .status(2)
        .stderr_contains("no problem files")
        .run();
}

#[test]
fn json_lists_every_case_with_what_was_expected() {
    let j = Test::new()
        .arg("check")
        .arg(path("problems/small/exchange-across-zones.yaml"))
        .args(["-f", "json"])
        .json();
    assert_eq!(j["summary"]["passed"], 2);
    let c = &j["cases"][0];
    assert_eq!(c["variant"], "base");
    assert_eq!(c["expected"]["objective"], 27.5);
    assert_eq!(c["status"], "optimal");
    assert!((c["objective"].as_f64().unwrap() - 27.5).abs() < 1e-9);
    assert_eq!(j["cases"][1]["variant"], "costly-transport");
}

#[test]
fn junit_on_standard_output_moves_the_report_to_standard_error() {
    let run = Test::new()
        .file("p.yaml", SMALL)
        .in_tempdir()
        .args(["check", "p.yaml", "--junit", "-"])
        .stderr_contains("2 passed")
        .run();
    let doc = roxmltree::Document::parse(&run.stdout).expect("XML on standard output");
    let names: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .filter_map(|n| n.attribute("name"))
        .collect();
    assert_eq!(names, ["base", "more-land"]);
}

/// Park a reaches the optimum 16 on steel or on cement (as tests/data/ties.yaml).
const TIED: &str = r#"name: Tied
resources: { land: {}, water: {} }
parks:
  a: { capacity: { land: 4, water: 10 } }
  b: { capacity: { land: 4, water: 1 } }
chains:
  steel: { output: 2, uses: { land: 1, water: 1 }, max_per_park: 10 }
  cement: { output: 2, uses: { land: 1 }, max_per_park: 10 }
rules:
  one_main_chain: { min_share: 0.5 }
expected: { objective: 16 }
"#;

#[test]
fn no_tie_check_skips_the_tie_of_every_case() {
    let checked = Test::new()
        .file("p.yaml", TIED)
        .in_tempdir()
        .args(["check", "p.yaml", "-f", "json"])
        .json();
    let case = &checked["cases"][0];
    assert_eq!(case["outcome"], "pass");
    assert_eq!(case["tie"]["objective"], 16.0, "{case}");
    let skipped = Test::new()
        .file("p.yaml", TIED)
        .in_tempdir()
        .args(["check", "p.yaml", "--no-tie-check", "-f", "json"])
        .json();
    let case = &skipped["cases"][0];
    assert_eq!(case["outcome"], "pass");
    assert!(case.get("tie").is_none(), "{case}");
}
