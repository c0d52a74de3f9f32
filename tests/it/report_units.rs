//! The reports' units and names where policy staff read them: the Liupanshui HTML report's
//! parks by name and the dry season's changes in one table with units, the book's change table
//! as the report prints it, and a Pareto front's units in a report of the front alone.

use crate::common::Test;
use crate::report_content::{plan_part, written};

/// `text` as the HTML report escapes it.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The cells of each row of an HTML table, tags left out (the header row first).
fn html_rows(table: &str) -> Vec<Vec<String>> {
    table
        .split("<tr")
        .skip(1)
        .map(|row| {
            let row = &row[row.find('>').unwrap() + 1..row.find("</tr>").unwrap()];
            row.split(['<', '>'])
                .collect::<Vec<_>>()
                .chunks(4)
                .filter(|c| c.len() >= 3)
                .map(|c| c[2].to_string())
                .collect()
        })
        .collect()
}

#[test]
fn the_liupanshui_html_report_names_every_park_and_puts_the_dry_season_in_one_table_with_units() {
    let problem: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string("problems/liupanshui.yaml").unwrap())
            .unwrap();
    let parks = problem["parks"].as_mapping().unwrap();
    let html = written(&["report", "problems/liupanshui.yaml"], "lp.html");
    let start = html.find("Scenario: Weak dry-season water supply").unwrap();
    let part = &html[start..start + html[start..].find("</details>").unwrap()];
    // All of the dry season's changes stand in one table: every park and every zone a row of it.
    assert_eq!(
        part.matches("<table class=\"changes\">").count(),
        1,
        "{part}"
    );
    let table = &part[part.find("<table class=\"changes\">").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let rows = html_rows(table);
    let zones: std::collections::BTreeSet<&str> = parks
        .values()
        .map(|p| p["zone"].as_str().unwrap())
        .collect();
    assert_eq!(rows.len(), 1 + parks.len() + zones.len() + 1, "{rows:?}");
    for (id, park) in parks {
        let (id, name) = (id.as_str().unwrap(), park["name"].as_str().unwrap());
        let label = format!("{id} ({})", escaped(name));
        // Named in the change table, and elsewhere in the report.
        assert!(rows.iter().any(|r| r[0] == label), "{label} in {rows:?}");
        assert!(html.matches(&label).count() > 1, "{label}");
    }
    for zone in &zones {
        assert!(
            rows.iter()
                .any(|r| r[0].starts_with(&format!("zone {zone}")))
        );
    }
    // Every column of numbers says its unit, and every cell of those columns is numbers only,
    // with the report's three decimals.
    let head = &rows[0];
    assert_eq!(head[..2], ["park / zone", "main chain"]);
    for h in &head[2..] {
        assert!(h.ends_with(')') && h.contains(" ("), "{h} has no unit");
    }
    for r in &rows[1..] {
        assert_eq!(r.len(), head.len(), "{r:?}");
        for c in &r[2..] {
            let words: Vec<&str> = c
                .split(|ch: char| !(ch.is_ascii_alphabetic()))
                .filter(|w| !w.is_empty())
                .collect();
            assert!(words.iter().all(|w| *w == "capacity"), "{c} in {r:?}");
            let numbers: Vec<&str> = c
                .split(|ch: char| !(ch.is_ascii_digit() || ch == '.'))
                .filter(|n| !n.is_empty())
                .collect();
            assert!(!numbers.is_empty(), "{c}");
            for n in numbers {
                assert_eq!(
                    n.split_once('.').map(|(_, d)| d.len()),
                    Some(3),
                    "{n} in {c}"
                );
            }
        }
    }
}

#[test]
fn the_book_change_table_is_what_the_report_prints() {
    let readme = std::fs::read_to_string("docs/src/how-to/report.md").unwrap();
    let from = readme
        .find("`parkplan report tests/data/ties.yaml -f markdown`")
        .expect("the book names the command of its change table");
    let start = from + readme[from..].find("```markdown\n").unwrap() + "```markdown\n".len();
    let table = &readme[start..start + readme[start..].find("```").unwrap()];
    assert!(table.starts_with("| park / zone |"), "{table}");
    let md = Test::new()
        .args(["report", "tests/data/ties.yaml", "-f", "markdown"])
        .run()
        .stdout;
    let part = plan_part(&md, "bigger-b");
    assert!(part.contains(table), "the book:\n{table}\nreport:\n{part}");
}

#[test]
fn a_front_read_alone_labels_its_axes_with_the_problem_s_units() {
    let t = Test::new();
    let front = t.tmp("front.json");
    let _run = Test::new()
        .args([
            "pareto",
            "problems/liupanshui.yaml",
            "--points",
            "3",
            "-f",
            "json",
            "-o",
            front.to_str().unwrap(),
        ])
        .run();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&front).unwrap()).unwrap();
    assert_eq!(json["units"]["output"], "bn CNY/yr", "{json}");
    assert_eq!(json["units"]["materials"], "Mt/yr", "{json}");
    let html = written(&["report", front.to_str().unwrap()], "front.html");
    assert!(html.contains(">output value (bn CNY/yr)<"), "{html}");
    assert!(html.contains(">waste reused (Mt/yr)<"), "{html}");
    assert!(!html.contains("output-value units"), "{html}");
}

/// Liupanshui's power pool is supplied by its coal plants: the city uses −378 % of it. The
/// reports say "net supply" there, never a negative share (it read as an error); and every table
/// of the HTML report scrolls inside its box rather than widening the page past 1280 px.
#[test]
fn a_pool_the_parks_supply_is_shown_as_supply_not_a_negative_share() {
    let html = written(&["report", "problems/liupanshui.yaml"], "lp.html");
    assert!(html.contains(">net supply"), "no net supply cell");
    assert!(
        html.contains("city pool · power: net supply of "),
        "its tooltip"
    );
    // No share below zero in any cell: `-378 %` nor `−378 %`.
    for bad in ["-3", "−3"] {
        for (i, _) in html.match_indices(bad) {
            let after = &html[i..(i + 8).min(html.len())];
            assert!(!after.contains(" %"), "a negative share: {after}");
        }
    }
    let md = Test::new()
        .args(["report", "problems/liupanshui.yaml", "-f", "markdown"])
        .run()
        .stdout;
    assert!(md.contains("net supply"), "{md}");
    assert!(!md.contains("-378 %") && !md.contains("−378 %"), "{md}");
    // Wide tables scroll inside their box; the page's main column is narrower than 1280 px.
    assert!(
        html.contains("main table { display: block; max-width: 100%; overflow-x: auto; }"),
        "tables keep to the page's width"
    );
    assert!(html.contains("main { padding: 8px 32px 32px; max-width: 1180px; }"));
    // The parks table's list of chains wraps, so the table fits the page without scrolling.
    assert!(html.contains("td.chains { white-space: normal;"));
    assert!(html.contains("<table class=\"parks\">") && html.contains("<td class=\"chains\">"));
}
