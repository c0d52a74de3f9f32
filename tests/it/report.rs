//! `parkplan report`: one self-contained HTML file (and a Markdown report) on a plan, a problem's
//! scenarios, a comparison or a folder of plans — opened in a real headless Chromium.
//!
//! The browser tests need Debian's `chromium` (`apt-get install chromium`; `.ci/run` installs it
//! when missing). `PARKPLAN_CHROMIUM` names another binary; `PARKPLAN_SKIP_BROWSER=1` skips them
//! on a machine without one, saying so.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Test;

/// The chart kinds every report on several plans holds (`svg.chart-<kind>`).
const OVERVIEW_CHARTS: [&str; 2] = ["objective", "tradeoff"];
/// The chart kinds of every plan with a solution.
const PLAN_CHARTS: [&str; 4] = ["output", "heatmap", "flows", "shadow"];

fn report(args: &[&str], out: &Path) -> String {
    let mut all: Vec<String> = vec!["report".into()];
    all.extend(args.iter().map(|a| a.to_string()));
    all.extend(["-o".into(), out.display().to_string()]);
    Test::new().args(&all).run();
    std::fs::read_to_string(out).unwrap()
}

/// Every `<svg>…</svg>` of the page is well-formed XML: tags balance, attributes are quoted and
/// every `&` starts an entity. (A browser's HTML parser forgives what an SVG viewer would not.)
pub(crate) fn assert_svg_well_formed(html: &str) {
    let mut rest = html;
    let mut count = 0;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("a closed svg") + start + 6;
        check_xml(&rest[start..end]);
        count += 1;
        rest = &rest[end..];
    }
    assert!(count > 0, "no svg at all");
}

fn check_xml(svg: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut i = 0;
    let b = svg.as_bytes();
    while i < b.len() {
        match b[i] {
            b'<' => {
                let end = svg[i..].find('>').expect("a closed tag") + i;
                let tag = &svg[i + 1..end];
                if let Some(name) = tag.strip_prefix('/') {
                    let open = stack.pop().expect("a closing tag with an opening one");
                    assert_eq!(open, name.trim(), "mismatched tags in {svg:.200}");
                } else if !tag.ends_with('/') {
                    let name = tag.split_whitespace().next().unwrap().to_string();
                    stack.push(name);
                }
                // Attributes: name="value" pairs, quotes balanced.
                assert_eq!(
                    tag.matches('"').count() % 2,
                    0,
                    "unbalanced quotes: <{tag}>"
                );
                i = end + 1;
            }
            b'&' => {
                let semi = svg[i..].find(';').expect("an entity") + i;
                let entity = &svg[i + 1..semi];
                assert!(
                    ["amp", "lt", "gt", "quot", "#39"].contains(&entity),
                    "stray & in {:.80}",
                    &svg[i..]
                );
                i = semi + 1;
            }
            _ => i += 1,
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
}

pub(crate) fn assert_self_contained(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Content-Security-Policy"));
    for banned in ["<script", "<link", "<img", "<iframe", "@import", "url("] {
        assert!(!html.contains(banned), "{banned} in the report");
    }
    // The only address is the SVG namespace, which is a name and never fetched.
    let addresses = html.matches("http://").count() + html.matches("https://").count();
    assert_eq!(
        addresses,
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count(),
        "an outside address in the report"
    );
}

/// The Chromium binary, or `None` when the browser tests are to be skipped.
pub(crate) fn chromium() -> Option<PathBuf> {
    if std::env::var_os("PARKPLAN_SKIP_BROWSER").is_some_and(|v| v == "1") {
        eprintln!("PARKPLAN_SKIP_BROWSER=1: the HTML report is not opened in a browser");
        return None;
    }
    if let Some(p) = std::env::var_os("PARKPLAN_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        let found = std::env::var_os("PATH")
            .map(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|p| p.is_file())
            })
            .unwrap_or_default();
        if found.is_some() {
            return found;
        }
    }
    panic!(
        "headless Chromium is needed to test the HTML report: `apt-get install chromium` (or set PARKPLAN_CHROMIUM, or PARKPLAN_SKIP_BROWSER=1 to skip)"
    );
}

/// Runs headless Chromium with the flags of scripts/screenshot-report.sh plus `extra`, and
/// returns its standard output. A hung browser is killed after two minutes (a guard, not a
/// measurement).
fn run_chromium(bin: &Path, extra: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    // Output goes to files: a pipe nobody reads until the end would fill up and stall the browser.
    let stdout = profile.path().join("stdout");
    let stderr = profile.path().join("stderr");
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .stdout(Stdio::from(std::fs::File::create(&stdout).unwrap()))
        .stderr(Stdio::from(std::fs::File::create(&stderr).unwrap()))
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "chromium failed: {}",
        std::fs::read_to_string(&stderr).unwrap_or_default()
    );
    String::from_utf8_lossy(&std::fs::read(&stdout).unwrap()).into_owned()
}

/// A probe injected into a copy of the report: it records script errors and blocked loads from
/// the start, and after the page has loaded measures every chart as laid out.
const PROBE_HEAD: &str = r#"<script>
window.__problems = [];
window.addEventListener('error', e => __problems.push('error: ' + e.message));
document.addEventListener('securitypolicyviolation', e => __problems.push('blocked: ' + e.blockedURI));
</script>"#;
const PROBE_BODY: &str = r#"<script>
(function () {
  const charts = {};
  document.querySelectorAll('svg.chart').forEach(svg => {
    const kind = svg.dataset.chart;
    const box = svg.getBoundingClientRect();
    const marks = svg.querySelectorAll('rect, path, circle, line').length;
    const c = charts[kind] || (charts[kind] = { count: 0, drawn: 0, marks: 0 });
    c.count += 1;
    if (box.width > 50 && box.height > 20 && marks > 0) c.drawn += 1;
    c.marks += marks;
  });
  const pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify({ problems: __problems, charts: charts,
    width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight });
  document.body.appendChild(pre);
})();
</script>"#;

/// Opens `html` in Chromium with the probe and returns what it measured.
pub(crate) fn probe(bin: &Path, html: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let probed = html
        .replace(
            "default-src 'none';",
            "default-src 'none'; script-src 'unsafe-inline';",
        )
        .replacen("</title>", &format!("</title>\n{PROBE_HEAD}"), 1)
        .replacen("</body>", &format!("{PROBE_BODY}\n</body>"), 1);
    let file = dir.path().join("probe.html");
    std::fs::write(&file, probed).unwrap();
    let dom = run_chromium(
        bin,
        &[
            "--window-size=1280,1000".into(),
            "--dump-dom".into(),
            format!("file://{}", file.display()),
        ],
    );
    let start = dom.find("<pre id=\"probe\">").expect("the probe ran") + 16;
    let end = dom[start..].find("</pre>").unwrap() + start;
    let json = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("probe output {json}: {e}"))
}

#[test]
fn liupanshui_scenarios_report_renders_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("liupanshui.html");
    let html = report(&["problems/liupanshui.yaml"], &out);
    assert_self_contained(&html);
    assert_svg_well_formed(&html);
    for variant in [
        "base",
        "dry-season",
        "energy-investment-group",
        "tax-rebate-pilot",
        "strict-main-chain",
        "small-park-land",
        "no-main-chain-rule",
    ] {
        assert!(html.contains(&format!(">{variant}</a>")), "{variant}");
    }
    // Shadow prices, most valuable first: Pannan's land (4.432) leads the base plan's list.
    let base = &html[html.find("id=\"plan-0\"").unwrap()..html.find("id=\"plan-1\"").unwrap()];
    let shadow = &base[base.find("chart-shadow").unwrap()..];
    assert!(shadow.find("pannan · land").unwrap() < shadow.find("panbei · funds").unwrap());

    let Some(bin) = chromium() else { return };
    let seen = probe(&bin, &html);
    assert_eq!(seen["problems"], serde_json::json!([]), "{seen}");
    for kind in OVERVIEW_CHARTS {
        assert_eq!(seen["charts"][kind]["drawn"], 1, "{kind}: {seen}");
    }
    for kind in PLAN_CHARTS {
        // Seven variants, each with its four charts, every one laid out with something drawn.
        assert_eq!(seen["charts"][kind]["count"], 7, "{kind}: {seen}");
        assert_eq!(seen["charts"][kind]["drawn"], 7, "{kind}: {seen}");
    }
    // Eight parks: at least one bar segment each in every output chart.
    assert!(seen["charts"]["output"]["marks"].as_u64().unwrap() >= 7 * 8);
    // The page fits a 1280-pixel window: no sideways scrolling.
    assert!(seen["width"].as_u64().unwrap() <= 1280, "{seen}");

    // The report as written (no probe) also renders to a screenshot.
    let png = dir.path().join("shot.png");
    run_chromium(
        &bin,
        &[
            "--window-size=1280,1800".into(),
            format!("--screenshot={}", png.display()),
            format!("file://{}", out.display()),
        ],
    );
    let bytes = std::fs::read(&png).expect("a screenshot");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    assert_eq!(width, 1280);
}

#[test]
fn one_plan_file_makes_a_report_without_an_overview() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    Test::new()
        .args([
            "solve",
            "problems/changzhi-partner-park.yaml",
            "-f",
            "json",
            "-o",
            plan.to_str().unwrap(),
        ])
        .run();
    let out = dir.path().join("plan.html");
    let html = report(&[plan.to_str().unwrap()], &out);
    assert_self_contained(&html);
    assert_svg_well_formed(&html);
    assert!(!html.contains("chart-objective"));
    for kind in PLAN_CHARTS {
        assert!(html.contains(&format!("chart-{kind}")), "{kind}");
    }
    let Some(bin) = chromium() else { return };
    let seen = probe(&bin, &html);
    assert_eq!(seen["problems"], serde_json::json!([]), "{seen}");
    for kind in PLAN_CHARTS {
        assert_eq!(seen["charts"][kind]["drawn"], 1, "{kind}: {seen}");
    }
}

#[test]
fn a_comparison_file_and_an_infeasible_plan_make_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let comparison = dir.path().join("comparison.json");
    Test::new()
        .args([
            "compare",
            "--scenarios",
            "problems/small/park-capacity.yaml",
            "-f",
            "json",
            "-o",
            comparison.to_str().unwrap(),
        ])
        .run();
    let infeasible = dir.path().join("infeasible.json");
    Test::new()
        .args([
            "solve",
            "problems/small/infeasible-capacity.yaml",
            "-f",
            "json",
            "-o",
            infeasible.to_str().unwrap(),
        ])
        .status(3)
        .run();
    let out = dir.path().join("r.html");
    let html = report(
        &[
            comparison.to_str().unwrap(),
            infeasible.to_str().unwrap(),
            "--mixed-problems",
            "--title",
            "Capacities <and> infeasibility",
        ],
        &out,
    );
    assert_self_contained(&html);
    assert_svg_well_formed(&html);
    assert!(html.contains("<title>Capacities &lt;and&gt; infeasibility</title>"));
    assert!(html.contains("parkplan explain"));
    assert_eq!(html.matches("class=\"chart chart-output\"").count(), 3);
}

#[test]
fn markdown_report_has_every_section() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.md");
    let md = report(&["problems/liupanshui.yaml", "--base", "dry-season"], &out);
    assert!(md.starts_with("# Liupanshui circular-economy industrial parks\n"));
    assert!(md.contains("7 plans, compared with `dry-season`."));
    assert!(md.contains("| dry-season (base) | optimal |"), "{md:.2000}");
    for section in [
        "## Overview",
        "## Plan `base` — optimal",
        "### Output value by park and chain",
        "### Resource utilisation",
        "### Material flows between parks",
        "### Shadow prices",
    ] {
        assert!(md.contains(section), "{section}");
    }
    assert!(
        md.contains("| pannan (Pannan Industrial Park) | coal_mine (Coal mining and washing) |")
    );
    // Most valuable first.
    let base = &md[md.find("## Plan `base`").unwrap()..];
    let prices = &base[base.find("### Shadow prices").unwrap()..];
    assert!(prices.find("| pannan | land |").unwrap() < prices.find("| panbei | funds |").unwrap());
}

#[test]
fn solve_writes_one_plan_reports_too() {
    let run = Test::new()
        .args(["solve", "problems/small/park-capacity.yaml", "-f", "html"])
        .stdout_contains("Shadow prices")
        .stdout_contains("1.333")
        .run();
    assert_self_contained(&run.stdout);
    Test::new()
        .args([
            "solve",
            "problems/small/park-capacity.yaml",
            "-f",
            "markdown",
        ])
        .stdout_contains("### Shadow prices")
        .stdout_contains("| a | land | 1.333 bn CNY/yr per km2 | 5.500 – 22.000 |")
        .run();
}

#[test]
fn bad_inputs_are_usage_errors() {
    Test::new().args(["report", "Cargo.toml"]).status(2).run();
    Test::new()
        .args([
            "report",
            "problems/small/park-capacity.yaml",
            "--base",
            "nope",
        ])
        .status(2)
        .stderr_contains("the plans are: base, water-doubled")
        .run();
    Test::new().arg("report").status(2).run();
}

/// Runs parkplan, which may end with 0 or, when a variant has no plan, 8.
fn run_any(args: &[&str]) {
    Test::new().args(args).status_one_of([0, 8]).run();
}

#[test]
fn a_sweep_folder_makes_a_report_with_every_variant() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = dir.path().join("sweep");
    run_any(&[
        "sweep",
        "problems/liupanshui.yaml",
        "-o",
        sweep.to_str().unwrap(),
    ]);
    let out = dir.path().join("sweep.html");
    let html = report(&[sweep.to_str().unwrap()], &out);
    assert_self_contained(&html);
    assert_svg_well_formed(&html);
    assert!(
        html.contains("19 plans, compared with `base`"),
        "{html:.3000}"
    );
    // Every variant, in batch order, the infeasible one with its status and why.
    let objective = &html[html.find("chart-objective").unwrap()..];
    let objective = &objective[..objective.find("</svg>").unwrap()];
    let first = objective.find(">base<").unwrap();
    let last = objective
        .find(">reuse-rate[rules.min_reuse_rate=0.95]<")
        .unwrap();
    assert!(first < objective.find(">dry-season<").unwrap());
    assert!(
        objective
            .find(">reuse-rate[rules.min_reuse_rate=0.9]<")
            .unwrap()
            < last
    );
    assert!(objective[last..].contains(">infeasible<"));
    assert!(html.contains("no plan meets every limit and rule"));
    assert_eq!(html.matches("class=\"chart chart-output\"").count(), 18);

    let md = report(&[sweep.to_str().unwrap()], &dir.path().join("sweep.md"));
    assert!(
        md.contains("| reuse-rate[rules.min_reuse_rate=0.95] | infeasible | – |  | – | – | – | – | no plan meets every limit and rule |"),
        "{md:.3000}"
    );

    let Some(bin) = chromium() else { return };
    let seen = probe(&bin, &html);
    assert_eq!(seen["problems"], serde_json::json!([]), "{seen}");
    for kind in OVERVIEW_CHARTS {
        assert_eq!(seen["charts"][kind]["drawn"], 1, "{kind}: {seen}");
    }
    assert_eq!(seen["charts"]["output"]["drawn"], 18, "{seen}");
    assert!(seen["width"].as_u64().unwrap() <= 1280, "{seen}");
}

#[test]
fn shards_and_merged_summaries_make_the_same_overview() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let shared = dir.path().join("shared");
    for (k, folder) in [("0/2", &a), ("1/2", &b)] {
        for out in [folder, &shared] {
            run_any(&[
                "sweep",
                "problems/liupanshui.yaml",
                "--shard",
                k,
                "-o",
                out.to_str().unwrap(),
            ]);
        }
    }
    let merged = dir.path().join("merged.json");
    run_any(&[
        "merge",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "-f",
        "json",
        "-o",
        merged.to_str().unwrap(),
    ]);
    let overview = |md: String| md[..md.find("\n## Plan").unwrap()].to_string();
    let two = overview(report(
        &[a.to_str().unwrap(), b.to_str().unwrap()],
        &dir.path().join("two.md"),
    ));
    let one = overview(report(
        &[shared.to_str().unwrap()],
        &dir.path().join("one.md"),
    ));
    let from_merge = overview(report(
        &[merged.to_str().unwrap()],
        &dir.path().join("m.md"),
    ));
    assert!(two.contains("19 plans, compared with `base`."), "{two}");
    assert_eq!(two, one);
    assert_eq!(two, from_merge);
    // One shard alone: its variants, and a note on the others.
    let half = report(&[a.to_str().unwrap()], &dir.path().join("half.md"));
    assert!(
        half.contains("of the 19 variants of the sweep are missing"),
        "{half:.2000}"
    );
}

#[test]
fn a_pareto_front_makes_a_report_alone_and_with_plans() {
    let dir = tempfile::tempdir().unwrap();
    let front = dir.path().join("front.json");
    let yaml = dir.path().join("front.yaml");
    for (format, target) in [("json", &front), ("yaml", &yaml)] {
        Test::new()
            .args([
                "pareto",
                "problems/liupanshui.yaml",
                "--points",
                "5",
                "-f",
                format,
                "-o",
                target.to_str().unwrap(),
            ])
            .run();
    }

    let html = report(&[front.to_str().unwrap()], &dir.path().join("front.html"));
    assert_self_contained(&html);
    assert_svg_well_formed(&html);
    assert!(html.contains("class=\"chart chart-front\""));
    assert!(html.contains("<polyline"));
    // The front carries the problem's units, so a report of it alone has them.
    assert!(html.contains("<th>output given up per extra unit reused (bn CNY/yr per Mt/yr)</th>"));
    assert!(!html.contains("chart-objective"));
    let md = report(&[yaml.to_str().unwrap()], &dir.path().join("front.md"));
    assert!(md.starts_with("# Liupanshui circular-economy industrial parks\n"));
    assert!(md.contains("## Pareto front: output value against waste reuse, variant `base`"));
    assert!(md.contains("| reuse ≥ ε (Mt/yr) | status | output value (bn CNY/yr) | total reuse (Mt/yr) | objective (bn CNY/yr) | output given up per extra unit reused (bn CNY/yr per Mt/yr) |"));
    // Five points: a header, a rule and a row each.
    let table = &md[md.find("| reuse ≥ ε").unwrap()..];
    assert_eq!(
        table.lines().filter(|l| l.starts_with('|')).count(),
        7,
        "{md}"
    );

    // Mixed with the scenarios of a problem: the overview, the front and every plan.
    let mixed = report(
        &["problems/liupanshui.yaml", front.to_str().unwrap()],
        &dir.path().join("mixed.html"),
    );
    assert_svg_well_formed(&mixed);
    assert!(
        mixed.contains("7 plans, compared with `base`; a Pareto front"),
        "{mixed:.1500}"
    );
    for kind in ["objective", "tradeoff", "front", "output"] {
        assert!(mixed.contains(&format!("chart-{kind}")), "{kind}");
    }

    let Some(bin) = chromium() else { return };
    for page in [&html, &mixed] {
        let seen = probe(&bin, page);
        assert_eq!(seen["problems"], serde_json::json!([]), "{seen}");
        assert_eq!(seen["charts"]["front"]["drawn"], 1, "{seen}");
        assert!(
            seen["charts"]["front"]["marks"].as_u64().unwrap() >= 5,
            "{seen}"
        );
        assert!(seen["width"].as_u64().unwrap() <= 1280, "{seen}");
    }
}

#[test]
fn an_infinite_value_in_a_plan_or_a_front_is_refused_not_drawn() {
    // Drawing `.inf` once looped, growing memory without bound.
    let t = Test::new();
    let plan = t.tmp("plan.yaml");
    let front = t.tmp("front.yaml");
    Test::new()
        .args(["solve", "problems/small/city-pool.yaml", "-f", "yaml", "-o"])
        .arg(&plan)
        .run();
    Test::new()
        .args(["pareto", "problems/small/city-pool.yaml", "--points", "3"])
        .args(["-f", "yaml", "-o"])
        .arg(&front)
        .run();
    for (file, field) in [(&plan, "output_value"), (&front, "points.0.output_value")] {
        let text = std::fs::read_to_string(file).unwrap();
        let at = text.find("output_value: ").unwrap() + "output_value: ".len();
        let end = at + text[at..].find('\n').unwrap();
        std::fs::write(file, format!("{}.inf{}", &text[..at], &text[end..])).unwrap();
        Test::new()
            .arg("report")
            .arg(file)
            .args(["-f", "markdown"])
            .status(2)
            .stderr_contains(format!("`{field}` is not a finite number"))
            .run();
    }
    drop(t);
}
