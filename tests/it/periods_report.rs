//! Reports and `compare` of multi-period plans (MODEL.md §9): the timeline of every period — the
//! objective with its weight, output value by park and chain, resource use against capacity and
//! what is built — with the numbers of the plan JSON of the same solve; and multi-period variants
//! compared period by period. `tests/data/three-periods.yaml` is the problem: three periods of
//! five years, a discount rate, land growing in 2030, the funds pool halved in 2035, and a
//! scenario with less land.

use std::path::Path;

use serde_json::Value;

use crate::common::Test;
use crate::report::{assert_self_contained, assert_svg_well_formed, chromium, probe};

const PROBLEM: &str = "tests/data/three-periods.yaml";
const PERIODS: [&str; 3] = ["2025", "2030", "2035"];

/// A number as the reports write it in tables (three decimals, `0` for zero).
fn num(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1000.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Solves the problem into `dir/plan.json`; the plan.
fn solve(dir: &Path) -> (Value, String) {
    let path = dir.join("plan.json");
    Test::new()
        .args(["solve", PROBLEM, "-f", "json", "-o", path.to_str().unwrap()])
        .run();
    let text = std::fs::read_to_string(&path).unwrap();
    (
        serde_json::from_str(&text).unwrap(),
        path.display().to_string(),
    )
}

/// The one line of `text` that starts with `prefix`.
fn line<'a>(text: &'a str, prefix: &str) -> &'a str {
    let mut found = text.lines().filter(|l| l.starts_with(prefix));
    let l = found
        .next()
        .unwrap_or_else(|| panic!("no line starting {prefix:?} in\n{text}"));
    assert!(found.next().is_none(), "two lines start {prefix:?}");
    l
}

/// The part of `md` under the heading that starts with `heading`, up to the next heading.
fn under<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md
        .find(heading)
        .unwrap_or_else(|| panic!("no heading {heading:?}"));
    let rest = &md[start + heading.len()..];
    &rest[..rest.find("\n#").unwrap_or(rest.len())]
}

/// A Markdown row of `cells`.
fn row(cells: &[String]) -> String {
    format!("| {} |", cells.join(" | "))
}

/// The cell of a limit's use in a period: `used / capacity (share[ ●])`.
fn use_cell(r: &Value) -> String {
    let share = match r["utilisation"].as_f64() {
        Some(u) => format!("{:.0} %", u * 100.0),
        None => "–".into(),
    };
    let bind = if r["shadow_price"].as_f64().is_some_and(|p| p > 0.0) {
        " ●"
    } else {
        ""
    };
    format!(
        "{} / {} ({share}{bind})",
        num(f(&r["used"])),
        num(f(&r["capacity"]))
    )
}

/// The limit `(park, resource)` in period `t` of the plan.
fn resource<'a>(plan: &'a Value, t: usize, park: &Value, res: &str) -> &'a Value {
    plan["periods"][t]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| &r["park"] == park && r["resource"] == res)
        .unwrap_or_else(|| panic!("no {park} {res} in period {t}"))
}

#[test]
fn markdown_report_shows_every_period_with_the_plans_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let (plan, path) = solve(dir.path());
    let periods = plan["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 3);
    let out = dir.path().join("report.md");
    Test::new()
        .args(["report", &path, "-o", out.to_str().unwrap()])
        .run();
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.contains("### Timeline: 3 periods, 2025 to 2035"), "{md}");

    // (d) The objective per period, its weight, and the total over the horizon.
    let mut total = 0.0;
    for pp in periods {
        let (w, o) = (f(&pp["weight"]), f(&pp["objective"]));
        total += w * o;
        let p = pp["period"].as_str().unwrap();
        assert_eq!(
            line(&md, &format!("| {p} | 5 |")),
            row(&[p.into(), "5".into(), num(w), num(o), num(w * o)])
        );
    }
    assert!((total - f(&plan["objective"])).abs() < 1e-6);
    assert_eq!(
        line(&md, "| total | 15 |"),
        format!("| total | 15 |  |  | {} |", num(f(&plan["objective"])))
    );

    // (a) Output value by park and chain, and each park's total, per period.
    let output = under(&md, "#### Output value by park and chain, per period");
    for park in ["a", "b"] {
        for chain in ["steel", "agri"] {
            let mut cells = vec![park.to_string(), chain.to_string()];
            cells.extend(
                periods
                    .iter()
                    .map(|pp| num(f(&pp["chain_output"][park][chain]))),
            );
            assert_eq!(line(output, &format!("| {park} | {chain} | ")), row(&cells));
        }
        let mut cells = vec![park.to_string(), "total".to_string()];
        cells.extend(periods.iter().map(|pp| num(f(&pp["park_output"][park]))));
        assert_eq!(line(output, &format!("| {park} | total |")), row(&cells));
    }
    let mut city = vec!["city".to_string(), "total".to_string()];
    city.extend(periods.iter().map(|pp| num(f(&pp["output_value"]))));
    assert_eq!(line(output, "| city | total |"), row(&city));

    // (b) Use against capacity of every park capacity and the city pool, per period.
    let uses = under(&md, "#### Resource use against capacity, per period");
    for (park, res, label) in [
        // Each resource with the unit the plans carry.
        (Value::from("a"), "land", "a | land (km²)"),
        (Value::from("a"), "funds", "a | funds (bn CNY)"),
        (Value::from("b"), "land", "b | land (km²)"),
        (Value::Null, "funds", "city pool | funds (bn CNY)"),
    ] {
        let mut cells = label.split(" | ").map(String::from).collect::<Vec<_>>();
        cells.extend((0..3).map(|t| use_cell(resource(&plan, t, &park, res))));
        assert_eq!(line(uses, &format!("| {label} | ")), row(&cells));
    }
    // The pool is halved in 2035 and used to the full in every period.
    assert!(uses.contains("| city pool | funds (bn CNY) | 10.000 / 10.000 (100 % ●) |"));
    assert!(uses.contains(" 5.000 / 5.000 (100 % ●) |"));

    // (c) What is built, park × chain × period, `–` where nothing.
    let built = under(&md, "#### Built in each period");
    assert!(built.contains("| park | chain | 2025 | 2030 | 2035 |"));
    for park in ["a", "b"] {
        for chain in ["steel", "agri"] {
            let mut cells = vec![park.to_string(), chain.to_string()];
            cells.extend(
                periods
                    .iter()
                    .map(|pp| pp["built"][park][chain].as_f64().map_or("–".into(), num)),
            );
            assert_eq!(line(built, &format!("| {park} | {chain} |")), row(&cells));
        }
    }
    // The sections of the last period follow the timeline.
    let timeline = md.find("### Timeline").unwrap();
    assert!(md.find("### Output value by park and chain\n").unwrap() > timeline);
}

#[test]
fn html_report_draws_the_timeline_with_the_plans_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let (plan, _) = solve(dir.path());
    let html = Test::new()
        .args(["solve", PROBLEM, "-f", "html"])
        .run()
        .stdout;
    assert_self_contained(&html);
    assert_svg_well_formed(&html);
    for kind in ["timeline-output", "timeline-resources", "output", "heatmap"] {
        assert!(html.contains(&format!("chart chart-{kind}\"")), "{kind}");
    }
    assert!(html.contains("id=\"plan-0-timeline\""));
    assert!(html.contains("<table class=\"timeline-built\">"));
    for (t, pp) in plan["periods"].as_array().unwrap().iter().enumerate() {
        let p = PERIODS[t];
        assert_eq!(pp["period"], p);
        // Every bar segment: period · park · chain: value.
        for park in ["a", "b"] {
            for chain in ["steel", "agri"] {
                let v = num(f(&pp["chain_output"][park][chain]));
                let title = format!("<title>{p} · {park} · {chain}: {v}</title>");
                assert!(html.contains(&title), "{title}");
            }
        }
        // The objective row of the period.
        let (w, o) = (f(&pp["weight"]), f(&pp["objective"]));
        let tr = format!(
            "<tr><td>{p}</td><td>5</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            num(w),
            num(o),
            num(w * o)
        );
        assert!(html.contains(&tr), "{tr}");
        // The pool's use against its capacity, in the grid's tooltip and in the table.
        let pool = resource(&plan, t, &Value::Null, "funds");
        let tip = format!(
            "<title>city pool · funds · {p}: {} of {} used</title>",
            num(f(&pool["used"])),
            num(f(&pool["capacity"]))
        );
        assert!(html.contains(&tip), "{tip}");
        assert!(html.contains(&format!("<td>{}</td>", use_cell(pool))));
    }
}

#[test]
fn a_plan_of_one_period_has_no_timeline() {
    let file = "problems/small/funds-new-activity.yaml";
    Test::new()
        .args(["solve", file, "-f", "markdown"])
        .stdout_lacks("Timeline")
        .stdout_lacks("Objective by period")
        .run();
    Test::new()
        .args(["solve", file, "-f", "html"])
        .stdout_lacks("timeline")
        .run();
    let c = Test::new()
        .args(["compare", "--scenarios", file, "-f", "json"])
        .json();
    assert!(c.get("periods").is_none());
}

/// The line `item` of a comparison's period `t` (`park` for a park's line).
fn period_line<'a>(c: &'a Value, t: usize, park: Option<&str>, item: &str) -> &'a Value {
    let p = &c["periods"][t];
    let lines = match park {
        None => &p["totals"],
        Some(park) => &p["parks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["park"] == park)
            .unwrap()["lines"],
    };
    lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["item"] == item)
        .unwrap_or_else(|| panic!("no {item} in period {t}"))
}

#[test]
fn compare_sets_multi_period_variants_side_by_side_per_period() {
    let c = Test::new()
        .args(["compare", "--scenarios", PROBLEM, "-f", "json"])
        .json();
    assert_eq!(c["variants"], serde_json::json!(["base", "tight-land"]));
    let names: Vec<&str> = c["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert_eq!(names, PERIODS);
    let plans: Vec<&Value> = c["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|np| &np["plan"])
        .collect();
    let mut weighted = [0.0, 0.0];
    for t in 0..3 {
        let objective = period_line(&c, t, None, "objective");
        for (i, plan) in plans.iter().enumerate() {
            let pp = &plan["periods"][t];
            assert_eq!(f(&objective["values"][i]), f(&pp["objective"]));
            let d = f(&pp["objective"]) - f(&plans[0]["periods"][t]["objective"]);
            assert!((f(&objective["deltas"][i]) - d).abs() < 1e-9);
            weighted[i] += f(&period_line(&c, t, None, "weighted_objective")["values"][i]);
            for park in ["a", "b"] {
                let out = period_line(&c, t, Some(park), "output_value");
                assert_eq!(f(&out["values"][i]), f(&pp["park_output"][park]));
                let main = period_line(&c, t, Some(park), "main_chain");
                assert_eq!(main["values"][i], "steel");
            }
        }
        // Less land: less output in every period.
        assert!(f(&objective["deltas"][1]) < 0.0);
    }
    for (i, plan) in plans.iter().enumerate() {
        assert!((weighted[i] - f(&plan["objective"])).abs() < 1e-6);
    }
    // What each variant builds, and the change.
    let agri = period_line(&c, 0, Some("a"), "built:agri");
    assert_eq!(
        f(&agri["values"][0]),
        f(&plans[0]["periods"][0]["built"]["a"]["agri"])
    );
    assert!(f(&agri["deltas"][1]) < 0.0);

    let text = Test::new()
        .args(["compare", "--scenarios", PROBLEM])
        .run()
        .stdout;
    assert!(text.contains("Objective by period"));
    for p in PERIODS {
        assert!(text.contains(&format!("▸ Period {p} ")), "{p}");
        assert!(text.contains(&format!("│ {p} (weighted) ")), "{p}");
    }
    assert!(text.contains("total over the horizon"));
    let md = Test::new()
        .args(["compare", "--scenarios", PROBLEM, "-f", "markdown"])
        .run()
        .stdout;
    let base = f(&plans[0]["periods"][2]["objective"]);
    let other = f(&plans[1]["periods"][2]["objective"]);
    let r = format!(
        "| objective per year | {} | {} (Δ −{}) |",
        num(base),
        num(other),
        num(base - other)
    );
    let p2035 = md.find("## Period 2035").unwrap();
    assert!(md[p2035..].contains(&r), "{r} in\n{md}");
    let csv = Test::new()
        .args(["compare", "--scenarios", PROBLEM, "-f", "csv"])
        .run()
        .stdout;
    assert!(csv.contains("\nperiod:2030,weighted_objective,"));
    assert!(csv.contains("\nperiod:2030:b,output_value,"));
}

#[test]
fn report_of_several_multi_period_plans_shows_the_objective_by_period() {
    let md = Test::new()
        .args(["report", PROBLEM, "-f", "markdown"])
        .run()
        .stdout;
    let c = Test::new()
        .args(["compare", "--scenarios", PROBLEM, "-f", "json"])
        .json();
    let overview = md.find("### Objective by period").unwrap();
    assert!(overview < md.find("## Plan `base`").unwrap());
    for np in c["plans"].as_array().unwrap() {
        let plan = &np["plan"];
        let mut cells = vec![np["label"].as_str().unwrap().to_string()];
        for pp in plan["periods"].as_array().unwrap() {
            cells.push(num(f(&pp["weight"]) * f(&pp["objective"])));
        }
        cells.push(num(f(&plan["objective"])));
        assert!(md[overview..].contains(&row(&cells)), "{cells:?}");
    }
    assert_eq!(md.matches("### Timeline: 3 periods").count(), 2);
}

#[test]
fn multi_period_report_renders_in_chromium() {
    let html = Test::new()
        .args(["report", PROBLEM, "-f", "html"])
        .run()
        .stdout;
    assert_self_contained(&html);
    assert_svg_well_formed(&html);
    assert!(html.contains("<table class=\"timeline-overview\">"));
    let Some(bin) = chromium() else { return };
    let seen = probe(&bin, &html);
    assert_eq!(seen["problems"], serde_json::json!([]), "{seen}");
    for kind in ["timeline-output", "timeline-resources"] {
        // Two variants, each with its timeline, every chart laid out with something drawn.
        assert_eq!(seen["charts"][kind]["count"], 2, "{kind}: {seen}");
        assert_eq!(seen["charts"][kind]["drawn"], 2, "{kind}: {seen}");
    }
    // Three periods × two parks × two chains: a bar segment each.
    assert!(seen["charts"]["timeline-output"]["marks"].as_u64().unwrap() >= 2 * 12);
    assert!(seen["width"].as_u64().unwrap() <= 1280, "{seen}");
}

#[test]
fn a_sweep_folder_of_multi_period_plans_has_a_timeline_per_plan() {
    let dir = tempfile::tempdir().unwrap();
    let problem = dir.path().join("sweep.yaml");
    let text = std::fs::read_to_string(crate::common::path(PROBLEM)).unwrap()
        + "sweeps:\n  land:\n    vary:\n      \"parks.a.capacity.land\": [5, 7]\n";
    std::fs::write(&problem, text).unwrap();
    let out = dir.path().join("out");
    Test::new()
        .args([
            "sweep",
            problem.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .any_status()
        .run();
    let md = Test::new()
        .args(["report", out.to_str().unwrap(), "-f", "markdown"])
        .run()
        .stdout;
    let plans = md.matches("\n## Plan `").count();
    assert!(plans >= 2, "{md}");
    assert_eq!(
        md.matches("### Timeline: 3 periods, 2025 to 2035").count(),
        plans
    );
    assert_eq!(md.matches("#### Built in each period").count(), plans);
    let overview = under(&md, "### Objective by period");
    assert_eq!(overview.matches("\n| ").count(), plans + 1, "{overview}");
}
