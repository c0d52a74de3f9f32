//! What the HTML and Markdown reports say: colours that stay with a chain or material, display
//! names, the flows table against the diagram, labels of plans read from files, city pools,
//! materials in the words of their kind and main chains only under the rule.

use std::collections::BTreeMap;

use crate::common::Test;

/// Runs parkplan with `args` and `-o FILE` in a fresh folder; the file written.
pub(crate) fn written(args: &[&str], file: &str) -> String {
    let t = Test::new();
    let out = t.tmp(file);
    let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    all.extend(["-o".into(), out.display().to_string()]);
    let _run = t.args(&all).run();
    std::fs::read_to_string(out).unwrap()
}

/// Every legend entry of a page: id → colour (the id is the text up to a space).
fn legend(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let key = "<li><span style=\"background:";
    let mut rest = html;
    while let Some(i) = rest.find(key) {
        rest = &rest[i + key.len()..];
        let colour = rest[..rest.find('"').unwrap()].to_string();
        let text = &rest[rest.find("</span>").unwrap() + 7..rest.find("</li>").unwrap()];
        let id = text.split(' ').next().unwrap().to_string();
        out.push((id, colour));
    }
    out
}

/// The legend as a map, checking that no id has two colours in the page.
fn colours(html: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for (id, c) in legend(html) {
        if let Some(old) = map.insert(id.clone(), c.clone()) {
            assert_eq!(old, c, "{id} has two colours in one report");
        }
    }
    map
}

const LIUPANSHUI_CHAINS: [&str; 14] = [
    "coal_mine",
    "coal_power",
    "gangue_power",
    "coking",
    "methanol",
    "pvc",
    "cement",
    "bricks",
    "ceramsite",
    "aluminium",
    "steel",
    "polysilicon",
    "lfp_cathode",
    "agri_textiles",
];

#[test]
fn a_chain_or_material_keeps_its_colour_in_every_report() {
    let all = colours(&written(
        &["report", "problems/liupanshui.yaml"],
        "all.html",
    ));
    let base = colours(&written(
        &["solve", "problems/liupanshui.yaml", "-f", "html"],
        "base.html",
    ));
    let dry = colours(&written(
        &[
            "solve",
            "problems/liupanshui.yaml",
            "--scenario",
            "dry-season",
            "-f",
            "html",
        ],
        "dry.html",
    ));
    assert!(base.contains_key("coking") && base.contains_key("fly_ash"));
    for (id, c) in base.iter().chain(dry.iter()) {
        assert_eq!(all.get(id), Some(c), "{id}");
    }
    let chains: Vec<&String> = LIUPANSHUI_CHAINS
        .iter()
        .filter_map(|c| all.get(*c))
        .collect();
    assert!(chains.len() >= 8, "{all:?}");
    let mut distinct = chains.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), chains.len(), "{all:?}");
}

const CHINESE: &str = "name: 同一园区内的交换
resources:
  land: {}
zones:
  z: {}
parks:
  a: { name: 六枝园区, zone: z, capacity: { land: 3 } }
  b: { name: 盘北园区, zone: z, capacity: { land: 10 }, allowed: [bricks] }
chains:
  steel: { name: 钢铁, output: 3, uses: { land: 1 }, materials: { slag: 2 } }
  bricks: { output: 3, uses: { land: 1 }, materials: { slag: -1 } }
materials:
  slag: { name: 钢渣, kind: waste, reuse_value: 1, disposal_cost: 0 }
exchange: { within_zone: false }
";

#[test]
fn display_names_stand_beside_ids_and_chinese_sets_the_language() {
    for (format, file) in [("html", "cn.html"), ("markdown", "cn.md")] {
        let t = Test::new().file("cn.yaml", CHINESE);
        let problem = t.tmp("cn.yaml");
        let out = t.tmp(file);
        let _run = t
            .args([
                "solve",
                problem.to_str().unwrap(),
                "-f",
                format,
                "-o",
                out.to_str().unwrap(),
            ])
            .run();
        let text = std::fs::read_to_string(out).unwrap();
        assert!(text.contains("a (六枝园区)"), "{text}");
        if format == "html" {
            assert!(text.contains("steel (钢铁)"), "{text}");
            assert!(text.contains("<html lang=\"zh\">"));
            assert!(text.contains("\"Noto Sans CJK SC\""));
            assert!(text.contains("slag (钢渣)"));
        }
    }
    let en = written(
        &["solve", "problems/liupanshui.yaml", "-f", "html"],
        "en.html",
    );
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("liuzhi (Liuzhi Special Economic Zone"));
}

/// A number as the reports write it.
fn num(s: &str) -> f64 {
    s.trim()
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("{s}"))
}

/// Checks each flows diagram of a page against its table: every node's total is the sum of its
/// rows. Returns how many nodes were checked.
fn flows_agree(html: &str) -> usize {
    let mut checked = 0;
    let mut rest = html;
    while let Some(i) = rest.find("class=\"chart chart-flows\"") {
        rest = &rest[i..];
        let svg = &rest[..rest.find("</svg>").unwrap()];
        let t0 = rest.find("<table class=\"flows\">").unwrap();
        let table = &rest[t0..t0 + rest[t0..].find("</table>").unwrap()];
        let mut from = BTreeMap::<String, f64>::new();
        let mut to = BTreeMap::<String, f64>::new();
        for row in table.split("<tr>").skip(2) {
            let cells: Vec<&str> = row
                .split("<td>")
                .skip(1)
                .map(|c| &c[..c.find("</td>").unwrap()])
                .collect();
            *from.entry(cells[1].into()).or_default() += num(cells[3]);
            *to.entry(cells[2].into()).or_default() += num(cells[3]);
        }
        for node in svg.split("text-anchor=\"").skip(1) {
            let side = if node.starts_with("end") { &from } else { &to };
            let label = &node[node.find('>').unwrap() + 1..];
            let name = label[..label.find(" <tspan").unwrap()].to_string();
            let total = &label[label.find("\">").unwrap() + 2..label.find("</tspan>").unwrap()];
            let sum = side.get(&name).copied().unwrap_or(f64::NAN);
            assert!((sum - num(total)).abs() <= 2e-3, "{name}: {sum} vs {total}");
            checked += 1;
        }
        rest = &rest[t0..];
    }
    checked
}

#[test]
fn the_flows_table_holds_every_band_the_diagram_draws() {
    let same = written(
        &[
            "solve",
            "problems/small/exchange-same-park.yaml",
            "-f",
            "html",
        ],
        "same.html",
    );
    assert!(same.contains("<tr><td>slag</td><td>a</td><td>a</td><td>2.000</td></tr>"));
    assert_eq!(flows_agree(&same), 2);
    assert!(flows_agree(&written(&["report", "problems/liupanshui.yaml"], "l.html")) > 7);
    let md = written(
        &[
            "solve",
            "problems/small/exchange-same-park.yaml",
            "-f",
            "markdown",
        ],
        "same.md",
    );
    let row = md
        .lines()
        .find(|l| l.starts_with("| slag"))
        .expect("a row of slag");
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    assert_eq!(cells[1..5], ["slag", "a", "a", "2.000"], "{md}");
}

#[test]
fn plans_from_files_are_labelled_by_their_variants() {
    let t = Test::new();
    let dir = t.tempdir().to_path_buf();
    let p = |rel: &str| dir.join(rel).display().to_string();
    std::fs::create_dir_all(dir.join("plans")).unwrap();
    let problem = "problems/small/park-capacity.yaml";
    let run = |args: &[&str]| {
        let _run = Test::new().args(args).run();
    };
    run(&[
        "compare",
        "--scenarios",
        problem,
        "-f",
        "json",
        "-o",
        &p("comparison.json"),
    ]);
    run(&["solve", problem, "-f", "json", "-o", &p("plans/one.json")]);
    run(&[
        "solve",
        problem,
        "--scenario",
        "water-doubled",
        "-f",
        "json",
        "-o",
        &p("plans/two.json"),
    ]);
    run(&[
        "report",
        &p("comparison.json"),
        &p("plans"),
        "-o",
        &p("r.md"),
    ]);
    let md = std::fs::read_to_string(dir.join("r.md")).unwrap();
    for label in [
        "| comparison:base (base) |",
        "| comparison:water-doubled |",
        "| land-7-everywhere |",
        "| plans:base |",
        "| plans:water-doubled |",
    ] {
        assert!(md.contains(label), "{label}: {md}");
    }
    assert!(!md.contains("#2"), "{md}");
}

#[test]
fn a_city_pool_row_shows_its_use() {
    let md = written(
        &["solve", "problems/liupanshui.yaml", "-f", "markdown"],
        "l.md",
    );
    let head = md
        .lines()
        .find(|l| l.starts_with("| park ") && l.contains("land"))
        .unwrap();
    assert!(head.contains("power"), "{head}");
    let row = md
        .lines()
        .find(|l| l.starts_with("| city pool: power"))
        .unwrap();
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    // The parks' coal plants supply the pool: said in words, not as a share below zero.
    assert!(cells.iter().any(|c| c.starts_with("net supply")), "{row}");
}

#[test]
fn a_product_not_used_is_sold_or_left_over_not_disposed() {
    let t = Test::new()
        .args(["solve", "problems/liupanshui.yaml"])
        .run();
    let out = &t.stdout;
    let coal = out
        .lines()
        .find(|l| l.contains("│ coal ") && l.contains("product"))
        .expect("a row of coal");
    assert!(
        coal.contains("sold or left over") && !coal.contains("disposed"),
        "{coal}"
    );
    let ash = out
        .lines()
        .find(|l| l.contains("│ fly_ash ") && l.contains("waste"))
        .expect("a row of fly ash");
    assert!(ash.contains("disposed"), "{ash}");
}

/// The part of a page or Markdown report from `start` to the next `end` (or the end).
fn section<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start}"));
    let rest = &text[from + start.len()..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[test]
fn no_main_chain_is_drawn_for_a_plan_with_the_rule_off() {
    let html = written(&["report", "problems/liupanshui.yaml"], "l.html");
    let id = html
        .split("<details class=\"variant\" id=\"")
        .find(|s| s.contains("<summary>no-main-chain-rule "))
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .expect("the variant with the rule off");
    let off = section(&html, &format!("id=\"{id}\""), "<details");
    assert!(!off.contains('★'), "{off}");
    assert!(section(&html, "id=\"plan-0\"", "<details").contains('★'));
    let md = written(&["report", "problems/liupanshui.yaml"], "l.md");
    let off = section(&md, "## Plan `no-main-chain-rule`", "\n## ");
    let table = section(off, "### Output value by park and chain", "\n### ");
    for row in table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.contains("main chain"))
    {
        assert_eq!(row.split('|').nth(2).unwrap().trim(), "–", "{row}");
    }
}

/// The part of a Markdown report from the heading of plan `label` to the next plan's.
pub(crate) fn plan_part<'a>(md: &'a str, label: &str) -> &'a str {
    let start = md
        .find(&format!("\n## Plan `{label}`"))
        .unwrap_or_else(|| panic!("no plan `{label}` in\n{md}"));
    let rest = &md[start + 1..];
    let end = rest.find("\n## Plan `").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

/// The rows of the first Markdown table after `heading`, each as its cells.
fn table_after(md: &str, heading: &str) -> Vec<Vec<String>> {
    let start = md
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading} in\n{md}"));
    md[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter(|l| !l.starts_with("|---"))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn the_dry_season_shows_every_change_per_park_and_zone_with_units() {
    let md = written(&["report", "problems/liupanshui.yaml"], "lp.md");
    let dry = plan_part(&md, "dry-season");
    assert!(
        dry.contains("Scenario: Weak dry-season water supply - every park's water falls by 30 %"),
        "{dry}"
    );
    let rows = table_after(dry, "### Changes against `base`");
    assert_eq!(
        rows[0],
        [
            "park / zone",
            "main chain",
            "output value (bn CNY/yr)",
            "land use (km²)",
            "water use (Mm³/yr)",
            "funds use (bn CNY)",
            "waste reused (Mt/yr)"
        ]
    );
    let row = |place: &str| {
        rows.iter()
            .find(|r| r[0].starts_with(place))
            .unwrap_or_else(|| panic!("no row {place} in {rows:?}"))
    };
    // Liuzhi's water: capacity 30 × 0.7 = 21, and the plan uses all of it.
    let liuzhi = row("liuzhi (");
    assert_eq!(
        liuzhi[1],
        "coking (Coal-coke-hydrogen (coking, coke-oven gas to H2))"
    );
    assert_eq!(
        liuzhi[4],
        "23.295 → 21.000 (−2.295); capacity 30.000 → 21.000 (−9.000)"
    );
    assert!(
        liuzhi[2].starts_with("21.986 → 17.671 (−4.314)"),
        "{liuzhi:?}"
    );
    // Every park's water capacity falls by 30 %; every zone and all parks are summed.
    for r in rows.iter().skip(1) {
        assert!(r[4].contains("; capacity "), "{r:?}");
    }
    for zone in ["zone east (", "zone north (", "zone south (", "all parks"] {
        assert_eq!(row(zone)[1], "–", "{zone}");
    }
    // All parks: 163.5 Mm³/yr of water before, 0.7 × 163.5 = 114.45 in the dry season.
    assert!(row("all parks")[4].contains("capacity 163.500 → 114.450 (−49.050)"));
    let html = written(&["report", "problems/liupanshui.yaml"], "lp.html");
    let start = html.find("Scenario: Weak dry-season water supply").unwrap();
    let part = &html[start..start + html[start..].find("</details>").unwrap()];
    assert!(part.contains("<table class=\"changes\">"), "{part}");
    assert!(part.contains("<th>water use (Mm³/yr)</th>"), "{part}");
    assert!(part.contains("capacity 30.000 → 21.000 (−9.000)"), "{part}");
}

#[test]
fn every_number_of_the_overview_has_a_unit_and_one_precision() {
    for (file, value, material) in [
        ("problems/liupanshui.yaml", "bn CNY/yr", "Mt/yr"),
        (
            "tests/data/ties.yaml",
            "output-value units",
            "material units",
        ),
    ] {
        let md = written(&["report", file], "r.md");
        let rows = table_after(&md, "## Overview");
        let head = &rows[0];
        assert_eq!(head[2], format!("objective ({value})"));
        assert_eq!(head[3], format!("Δ vs base ({value})"));
        assert_eq!(head[4], format!("output value ({value})"));
        assert_eq!(head[5], format!("waste reused ({material})"));
        assert_eq!(head[6], "reuse rate (%)");
        for r in &rows[1..] {
            for c in &r[2..6] {
                let digits = c.trim_start_matches(['+', '−']);
                let decimals = digits.split_once('.').map(|(_, d)| d.len());
                assert!(c.is_empty() || decimals == Some(3), "{file}: {c} in {r:?}");
            }
        }
        // The plan's sentence gives each total its unit.
        assert!(
            md.contains(&format!("; output value 16.000 {value}"))
                || md.contains(&format!("; output value 141.171 {value}")),
            "{md}"
        );
    }
    // Power is in thousands somewhere in the Liupanshui report: one decimal for all of it.
    let html = written(&["report", "problems/liupanshui.yaml"], "lp.html");
    assert!(html.contains(
        "city pool · power: net supply of 2457.1 (it produces more than it uses; capacity 650.0 GWh/yr)"
    ));
    assert!(!html.contains("650.000"));
}

#[test]
fn the_reuse_rate_stands_beside_its_target_and_existing_output_beside_planned() {
    let md = written(&["report", "problems/liupanshui.yaml"], "lp.md");
    let base = plan_part(&md, "base");
    // Base: 17.151 Mt/yr reused of the waste generated; min_reuse_rate is 0.6.
    assert!(
        base.contains("waste reuse rate 80.0 % (target `min_reuse_rate` 60.0 %: met)"),
        "{base}"
    );
    let rows = table_after(base, "### Output value by park and chain");
    assert_eq!(rows[0][3], "existing plant (bn CNY/yr)");
    assert_eq!(rows[0][4], "planned − existing (bn CNY/yr)");
    // Liuzhi's existing plant: coking 1.0, coal_power 2.06, coal_mine 1.0 → 9.755 (the file's own
    // sum); all parks 99.366 bn CNY/yr.
    let liuzhi = rows.iter().find(|r| r[0].starts_with("liuzhi")).unwrap();
    assert_eq!(liuzhi[3], "9.755");
    let all = rows.last().unwrap();
    assert_eq!(all[..5], ["all parks", "–", "141.171", "99.366", "+41.805"]);
    let html = written(&["report", "problems/liupanshui.yaml"], "lp.html");
    assert!(html.contains("waste reuse rate 80.0 % (target `min_reuse_rate` 60.0 %: met)"));
    assert!(html.contains("<th>existing plant (bn CNY/yr)</th>"));
    assert!(
        html.contains(
            "<td>all parks</td><td>–</td><td>141.171</td><td>99.366</td><td>+41.805</td>"
        )
    );
}

#[test]
fn a_plan_without_the_main_chain_rule_shows_no_main_chain_in_the_change_table() {
    let md = written(&["report", "problems/liupanshui.yaml"], "lp.md");
    let part = plan_part(&md, "no-main-chain-rule");
    let rows = table_after(part, "### Changes against `base`");
    for r in rows.iter().skip(1) {
        assert!(r[1] == "– (rule off)" || r[1] == "–", "{r:?}");
    }
    assert!(!part.contains(" → coking") && !part.contains("★"), "{part}");
}

/// The base plan of tests/data/ties.yaml and a copy in which park a took the other of its two
/// tied chains, its tie naming the base's: a switch that is only a tie.
fn tied_switch(t: &Test) -> (String, String) {
    let base = Test::new()
        .args(["solve", "tests/data/ties.yaml", "-f", "json"])
        .json();
    let a = base["main_chains"]["a"].as_str().unwrap().to_string();
    let other = if a == "steel" { "cement" } else { "steel" };
    let mut swapped = base.clone();
    swapped["variant"] = "swapped".into();
    swapped["main_chains"]["a"] = other.into();
    swapped["tie"] = serde_json::json!({ "objective": 16.0, "main_chains": { "a": a } });
    for (name, plan) in [("base.json", &base), ("swapped.json", &swapped)] {
        std::fs::write(t.tmp(name), serde_json::to_string(plan).unwrap()).unwrap();
    }
    (a, other.to_string())
}

#[test]
fn a_tied_switch_is_said_to_be_tied_in_both_reports() {
    let t = Test::new();
    let (a, other) = tied_switch(&t);
    for (format, file) in [("markdown", "r.md"), ("html", "r.html")] {
        let out = t.tmp(file);
        let _run = Test::new()
            .args([
                "report",
                t.tmp("base.json").to_str().unwrap(),
                t.tmp("swapped.json").to_str().unwrap(),
                "-f",
                format,
                "-o",
                out.to_str().unwrap(),
            ])
            .run();
        let text = std::fs::read_to_string(out).unwrap();
        assert!(text.contains("1 (1 tied)"), "{text}");
        assert!(
            text.contains(&format!(
                "{a} → {other}, tied: keeping {a} reaches the same objective"
            )),
            "{text}"
        );
        assert!(
            text.contains("1 main chain(s) switched, 1 of them tied"),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "another main-chain assignment reaches the same objective (within the gap): a → {a}"
            )),
            "{text}"
        );
    }
}

#[test]
fn a_tied_scenario_says_so_and_an_untied_one_does_not() {
    let md = written(&["report", "tests/data/ties.yaml"], "t.md");
    for label in ["base", "bigger-b"] {
        assert!(plan_part(&md, label).contains("**Tie:** another main-chain assignment"));
    }
    let md = written(
        &["report", "problems/small/alternatives-three.yaml"],
        "a.md",
    );
    assert!(!md.contains("**Tie:**"), "{md}");
}
