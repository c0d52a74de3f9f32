//! The workbook of a plan that builds in units (MODEL.md §12): a `Built in units` sheet with the
//! units, unit size and new activity of each chain built, and the fixed outlays beside each use
//! in `Resources`, checked against the JSON plan of the same problem and against the outlays the
//! problem file declares, summed here on their own.

use calamine::Data;

use super::{json, read, sheet};
use crate::common::{Test, path};

/// The number in a cell; 0 for an empty one.
fn number(d: &Data) -> f64 {
    match d {
        Data::Float(v) => *v,
        Data::Int(v) => *v as f64,
        Data::Empty => 0.0,
        other => panic!("not a number: {other:?}"),
    }
}

fn text(d: &Data) -> &str {
    match d {
        Data::String(s) => s,
        other => panic!("not text: {other:?}"),
    }
}

#[test]
fn the_workbook_of_a_plan_in_units_lists_what_is_built_and_the_fixed_outlays() {
    let file = path("problems/liupanshui-units.yaml");
    let run = Test::new()
        .arg("solve")
        .arg(&file)
        .args(["-f", "xlsx", "-o", "plan.xlsx"])
        .in_tempdir()
        .run();
    let bytes = std::fs::read(run.tempdir.path().join("plan.xlsx")).unwrap();
    let plan = json(
        &Test::new()
            .arg("solve")
            .arg(&file)
            .args(["-f", "json"])
            .run()
            .stdout,
    );
    let problem: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();

    // The sheet follows the nine of every workbook.
    let names: Vec<String> = read(&bytes).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names.len(), 10, "{names:?}");
    assert_eq!(names[9], "Built in units");

    let built = sheet(&bytes, "Built in units");
    assert_eq!(
        built[0]
            .iter()
            .map(|c| text(c).to_string())
            .collect::<Vec<_>>(),
        [
            "Variant",
            "Park",
            "Park name",
            "Chain",
            "Chain name",
            "Existing (chain's unit)",
            "New activity (chain's unit)",
            "Unit size (chain's unit)",
            "Units built",
            "Activity (chain's unit)",
            "Built",
        ]
    );
    let stated = plan["built_units"].as_mapping().expect("the plan builds");
    let n_stated: usize = stated.values().map(|c| c.as_mapping().unwrap().len()).sum();
    assert_eq!(built.len() - 1, n_stated, "{built:?}");
    assert!(n_stated >= 3, "the flagship builds in several parks");
    for row in &built[1..] {
        let (park, chain) = (text(&row[1]), text(&row[3]));
        let b = &plan["built_units"][park][chain];
        let chain_yaml = &problem["chains"][chain];
        // The unit size is the problem's; the units a whole number; units × size is the new
        // activity, and existing + new the plan's activity.
        let size = chain_yaml["build"]["unit"].as_f64().expect("a unit size");
        assert_eq!(number(&row[7]), size);
        let units = number(&row[8]);
        assert!(units >= 1.0 && units.fract() == 0.0, "{row:?}");
        assert!((units * size - number(&row[6])).abs() < 1e-9, "{row:?}");
        assert!((number(&row[5]) - b["existing"].as_f64().unwrap()).abs() < 1e-9);
        let x = plan["activities"][park][chain].as_f64().unwrap();
        assert!((number(&row[9]) - x).abs() < 1e-9, "{row:?} against {x}");
        // Read as built plant, with the chain's unit of activity.
        let unit = chain_yaml["unit"].as_str().unwrap();
        let words = format!(
            "{chain}: +{units} × {} {unit}, existing {}",
            fmt1(size),
            fmt1(number(&row[5]))
        );
        assert_eq!(text(&row[10]), words);
        assert_eq!(
            text(&row[2]),
            plan["names"]["parks"][park].as_str().unwrap()
        );
    }
    let coking = built
        .iter()
        .find(|r| r[1] == Data::String("liuzhi".into()))
        .expect("Liuzhi builds coking");
    assert_eq!(
        text(&coking[10]),
        "coking: +2 × 1.0 Mt/yr coke, existing 1.0"
    );

    // Resources: a column of the fixed outlays beside `Used`; in every park row, the outlays of
    // the chains the park builds as the problem file declares them.
    let res = sheet(&bytes, "Resources");
    assert_eq!(text(&res[0][6]), "Used");
    assert_eq!(text(&res[0][7]), "Of which fixed outlays");
    assert_eq!(text(&res[0][8]), "Capacity");
    let mut rows_with_outlays = 0;
    for row in &res[1..] {
        let resource = text(&row[3]);
        let want: f64 = match &row[1] {
            Data::String(park) => stated
                .get(park.as_str())
                .and_then(|c| c.as_mapping())
                .into_iter()
                .flatten()
                .filter_map(|(chain, _)| {
                    problem["chains"][chain.as_str().unwrap()]["build"]["fixed"][resource].as_f64()
                })
                .sum(),
            // The city pools: every park's outlays of the resource.
            _ => stated
                .iter()
                .flat_map(|(_, c)| c.as_mapping().unwrap().keys())
                .filter_map(|chain| {
                    problem["chains"][chain.as_str().unwrap()]["build"]["fixed"][resource].as_f64()
                })
                .sum(),
        };
        let got = number(&row[7]);
        assert!(
            (got - want).abs() < 1e-9,
            "{row:?}: fixed {got}, want {want}"
        );
        // An outlay is part of the use (a pool the parks supply, power, has a use below 0).
        if got > 0.0 {
            assert!(got <= number(&row[6]) + 1e-9, "{row:?}");
        }
        rows_with_outlays += usize::from(got > 0.0);
    }
    // Liuzhi and Panbei build coking: funds and land in each.
    assert!(rows_with_outlays >= 4, "{res:?}");
}

/// A size as the reports give it: one decimal at least.
fn fmt1(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.1}")
    } else {
        format!("{v}")
    }
}

#[test]
fn a_workbook_of_a_plan_without_units_has_no_units_sheet_nor_column() {
    let run = Test::new()
        .arg("solve")
        .arg(path("problems/small/units-min-above-cap.yaml"))
        .args(["-f", "xlsx", "-o", "plan.xlsx"])
        .in_tempdir()
        .run();
    let bytes = std::fs::read(run.tempdir.path().join("plan.xlsx")).unwrap();
    let names: Vec<String> = read(&bytes).into_iter().map(|(n, _)| n).collect();
    assert!(!names.iter().any(|n| n == "Built in units"), "{names:?}");
    let res = sheet(&bytes, "Resources");
    assert!(!res[0].contains(&Data::String("Of which fixed outlays".into())));
}
