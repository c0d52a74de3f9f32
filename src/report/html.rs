//! The HTML report: one self-contained file — inline CSS and inline SVG, no script, no font, no
//! image and no link to anything outside it (a Content-Security-Policy says so to the browser).
//!
//! For several variants it opens with the objective of each (for a sweep, every variant, those
//! without a plan with their status and why) and a chart of output value against waste reuse;
//! then each Pareto front as a line chart with its table; then, per plan: output
//! value by park stacked by chain, resource utilisation as a heat map (parks × resources, city
//! pools below), material flows between parks as a Sankey-style diagram, and shadow prices most
//! valuable first. Every chart is an `<svg class="chart chart-…">` with a `<title>`, and the
//! numbers behind it are in a table beside it.

use std::fmt::Write as _;

use super::views::{ReportInput, basis, place, priced};
use crate::analysis::pareto::Front;
use crate::plan::Plan;
use crate::solver::VariantStatus;
use crate::util::numbers::{fmt_amount, fmt_num, fmt_opt};

/// Colours of chains and materials, in order of first appearance.
const PALETTE: [&str; 15] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f77b4", "#8c564b", "#17becf", "#bcbd22", "#7f7f7f",
];

const CSS: &str = r#"
:root { --ink: #1d2733; --muted: #5b6776; --rule: #d9dee5; --accent: #2f5d8a; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); background: #fff; }
header { background: var(--accent); color: #fff; padding: 20px 32px 16px; }
header h1 { margin: 0 0 4px; font-size: 24px; font-weight: 600; }
header p { margin: 0; opacity: .9; }
nav { padding: 8px 32px; background: var(--bg); border-bottom: 1px solid var(--rule); font-size: 14px; }
nav a { color: var(--accent); margin-right: 14px; text-decoration: none; }
main { padding: 8px 32px 32px; max-width: 1180px; }
h2 { font-size: 20px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--rule); }
h3 { font-size: 16px; margin: 22px 0 6px; color: var(--accent); }
p.note { color: var(--muted); margin: 2px 0 8px; font-size: 13px; }
.row { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.chart { display: block; max-width: 100%; height: auto; background: #fff; }
.chart text { font: 12px system-ui, sans-serif; fill: var(--ink); }
.chart .axis { stroke: #9aa5b1; stroke-width: 1; }
.chart .grid { stroke: #e7ebf0; stroke-width: 1; }
.chart .muted { fill: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; margin: 4px 0 0; padding: 0; list-style: none; }
.key { columns: 2; font-size: 12px; color: var(--muted); margin: 4px 0 0; padding-left: 28px; max-width: 1100px; }
.legend span { display: inline-block; width: 11px; height: 11px; margin-right: 5px; border-radius: 2px; vertical-align: -1px; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
th, td { padding: 3px 9px; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { background: var(--bg); font-weight: 600; }
td.changed { font-weight: 600; color: #a5401a; }
td.why { white-space: normal; text-align: left; max-width: 320px; color: var(--muted); }
.status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #e3f1e6; color: #1e6b34; }
.status.bad { background: #fbe3e1; color: #9b2316; }
details.variant { border-top: 1px solid var(--rule); margin-top: 18px; }
details.variant > summary { cursor: pointer; font-size: 20px; font-weight: 600; padding: 14px 0 6px; }
footer { color: var(--muted); font-size: 12px; padding: 16px 32px; border-top: 1px solid var(--rule); }
"#;

/// Escapes text for HTML and SVG.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders the report.
pub fn render(input: &ReportInput) -> String {
    let mut h = String::new();
    let title = esc(input.title);
    let rows = input.rows();
    h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n";
    let _ = writeln!(h, "<title>{title}</title>");
    let _ = writeln!(h, "<style>{CSS}</style>\n</head>\n<body>");
    let _ = writeln!(
        h,
        "<header><h1>{title}</h1><p>{}</p></header>",
        esc(&subtitle(input, rows.len()))
    );
    h += "<nav>";
    if input.has_overview() {
        h += "<a href=\"#overview\">Overview</a>";
    }
    for (i, f) in input.fronts.iter().enumerate() {
        let _ = write!(
            h,
            "<a href=\"#front-{i}\">Pareto front `{}`</a>",
            esc(&f.variant)
        );
    }
    for (i, np) in input.plans.iter().enumerate() {
        let _ = write!(h, "<a href=\"#plan-{i}\">{}</a>", esc(&np.label));
    }
    h += "</nav>\n<main>\n";
    if input.has_overview() {
        overview(&mut h, input);
    }
    for (i, f) in input.fronts.iter().enumerate() {
        front_section(&mut h, input, i, f);
    }
    let colors = chain_colors(input);
    for (i, np) in input.plans.iter().enumerate() {
        plan_section(&mut h, input, i, &np.label, &np.plan, &colors);
    }
    h += "</main>\n<footer>Written by parkplan. Self-contained: no script and no outside assets; the numbers behind every chart are in the table beside it.</footer>\n</body>\n</html>\n";
    h
}

/// The line under the title: what the report covers.
pub(super) fn subtitle(input: &ReportInput, rows: usize) -> String {
    let n = input.plans.len();
    let fronts = match input.fronts.len() {
        0 => String::new(),
        1 => "a Pareto front".into(),
        k => format!("{k} Pareto fronts"),
    };
    let plans = match (input.base_plan(), n) {
        (None, _) => String::new(),
        (Some(np), 1) if rows <= 1 => format!("Plan `{}`", np.label),
        (Some(np), _) if rows > n => format!(
            "{rows} variants, {n} with a plan file, compared with `{}`",
            np.label
        ),
        (Some(np), _) => format!("{n} plans, compared with `{}`", np.label),
    };
    match (plans.is_empty(), fronts.is_empty()) {
        (true, true) => "Nothing to show".into(),
        (false, true) => plans,
        (true, false) => {
            let mut f = fronts;
            f[..1].make_ascii_uppercase();
            f
        }
        (false, false) => format!("{plans}; {fronts}"),
    }
}

fn chain_colors(input: &ReportInput) -> Vec<(String, &'static str)> {
    input
        .chains()
        .into_iter()
        .enumerate()
        .map(|(i, c)| (c, PALETTE[i % PALETTE.len()]))
        .collect()
}

fn color_of<'a>(colors: &'a [(String, &'static str)], key: &str) -> &'a str {
    colors
        .iter()
        .find(|(k, _)| k == key)
        .map_or("#7f7f7f", |(_, c)| c)
}

fn status_badge(plan: &Plan) -> String {
    badge(&plan.status.to_string(), plan.status.has_plan())
}

fn badge(status: &str, good: bool) -> String {
    let bad = if good { "" } else { " bad" };
    format!("<span class=\"status{bad}\">{}</span>", esc(status))
}

fn overview(h: &mut String, input: &ReportInput) {
    h.push_str("<section id=\"overview\">\n<h2>Overview</h2>\n");
    h.push_str("<h3>Objective by variant</h3>\n<div class=\"row\">\n");
    h.push_str(&objective_chart(input));
    h.push_str("<table><thead><tr><th>variant</th><th>status</th><th>objective</th><th>Δ vs base</th><th>output value</th><th>waste reused</th><th>main chains changed</th><th>why not optimal</th></tr></thead><tbody>\n");
    for row in input.rows() {
        let plan = row.plan.map(|i| &input.plans[i].plan);
        let value = |f: fn(&Plan) -> Option<f64>| fmt_opt(plan.and_then(f));
        let (delta, changed) = input.changes(&row);
        let name = match row.plan {
            Some(i) => format!("<a href=\"#plan-{i}\">{}</a>", esc(&row.label)),
            None => esc(&row.label),
        };
        let _ = writeln!(
            h,
            "<tr><td>{name}{}</td><td>{}</td><td>{}</td><td>{delta}</td><td>{}</td><td>{}</td><td>{changed}</td><td class=\"why\">{}</td></tr>",
            if row.plan == Some(input.base) {
                " (base)"
            } else {
                ""
            },
            badge(row.status.as_str(), row.status == VariantStatus::OPTIMAL),
            value(|p| p.objective),
            value(|p| p.output_value),
            value(|p| p.total_reuse),
            esc(row.reason.as_deref().unwrap_or("")),
        );
    }
    h.push_str("</tbody></table>\n</div>\n");
    for note in input.notes {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", esc(note));
    }
    h.push_str("<h3>Output value against waste reuse</h3>\n<p class=\"note\">One point per plan; plans at the same point share a label. A Pareto run's front is drawn on its own below.</p>\n");
    h.push_str(&tradeoff_chart(input));
    h.push_str("</section>\n");
}

fn plan_section(
    h: &mut String,
    input: &ReportInput,
    i: usize,
    label: &str,
    plan: &Plan,
    colors: &[(String, &'static str)],
) {
    let _ = writeln!(
        h,
        "<details class=\"variant\" id=\"plan-{i}\" open>\n<summary>{} {}{}</summary>",
        esc(label),
        status_badge(plan),
        plan.objective
            .map(|o| format!(" &nbsp;objective {}", fmt_num(o)))
            .unwrap_or_default()
    );
    if !plan.status.has_plan() {
        let why = plan.status.message(plan.gap).unwrap_or_default();
        let _ = writeln!(h, "<p class=\"note\">No plan: {}.", esc(&why));
        if plan.status == crate::solver::SolveStatus::Infeasible {
            h.push_str(
                " <code>parkplan explain</code> finds the smallest changes that make it feasible.",
            );
        }
        h.push_str("</p>\n</details>\n");
        return;
    }
    let _ = writeln!(
        h,
        "<p class=\"note\">Output value {}, reuse value {}, waste reused {}.</p>",
        input.with_unit(&fmt_opt(plan.output_value), "output"),
        input.with_unit(&fmt_opt(plan.reuse_value), "output"),
        input.with_unit(&fmt_opt(plan.total_reuse), "materials"),
    );

    h.push_str("<h3>Output value by park, stacked by chain</h3>\n");
    h.push_str(&output_chart(input, plan, colors));
    h.push_str("<ul class=\"legend\">");
    let parks = input.parks();
    let used: Vec<&(String, &str)> = colors
        .iter()
        .filter(|(c, _)| {
            parks
                .iter()
                .any(|p| input.chain_values(plan, p).iter().any(|(cc, _)| cc == c))
        })
        .collect();
    for (c, col) in used {
        let _ = write!(
            h,
            "<li><span style=\"background:{col}\"></span>{}</li>",
            esc(c)
        );
    }
    h.push_str("</ul>\n");
    h.push_str("<table><thead><tr><th>park</th><th>main chain</th><th>output value</th><th>chains</th></tr></thead><tbody>\n");
    for park in &parks {
        let chains: Vec<String> = input
            .chain_values(plan, park)
            .iter()
            .map(|(c, v)| format!("{} {}", esc(c), fmt_num(*v)))
            .collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td style=\"text-align:left\">{}</td></tr>",
            esc(park),
            esc(plan.main_chains.get(park).map_or("–", String::as_str)),
            fmt_num(plan.park_output.get(park).copied().unwrap_or(0.0)),
            chains.join(", ")
        );
    }
    h.push_str("</tbody></table>\n");

    h.push_str("<h3>Resource utilisation</h3>\n<p class=\"note\">Use against capacity, per park and for the city pools; a negative share means the park produces more than it uses.</p>\n");
    h.push_str(&heatmap(input, plan));

    h.push_str("<h3>Material flows</h3>\n<p class=\"note\">From the park that generates a material (left) to the park that takes it as feedstock (right); purchases come from outside. Band width is the amount moved.</p>\n");
    h.push_str("<div class=\"row\">\n");
    h.push_str(&flows_chart(input, plan));
    h.push_str("</div>\n");

    let _ = writeln!(
        h,
        "<h3>Shadow prices</h3>\n<p class=\"note\">Objective gained per extra unit of each limit, most valuable first; {}.</p>",
        basis(plan)
    );
    h.push_str("<div class=\"row\">\n");
    h.push_str(&shadow_chart(plan));
    h.push_str("</div>\n</details>\n");
}

/// Tick step for an axis from 0 to `max`: 1, 2 or 5 times a power of ten, about five ticks.
fn tick_step(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let raw = max / 5.0;
    let pow = 10f64.powf(raw.log10().floor());
    let m = raw / pow;
    let f = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    f * pow
}

fn tick_label(v: f64) -> String {
    fmt_amount(v)
}

fn svg_open(kind: &str, w: f64, h: f64, title: &str) -> String {
    format!(
        "<svg class=\"chart chart-{kind}\" data-chart=\"{kind}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\"><title>{}</title>\n",
        esc(title)
    )
}

fn objective_chart(input: &ReportInput) -> String {
    let rows = input.rows();
    let n = rows.len();
    let longest = rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(0);
    let left = (longest as f64 * 6.6 + 16.0).clamp(120.0, 380.0);
    let (right, bar, gap) = (70.0, 22.0, 8.0);
    let w = left + 430.0;
    let h = 30.0 + n as f64 * (bar + gap);
    let values: Vec<Option<f64>> = rows.iter().map(|r| input.objective(r)).collect();
    let max = values.iter().flatten().fold(0.0f64, |a, &b| a.max(b));
    let min = values.iter().flatten().fold(0.0f64, |a, &b| a.min(b));
    let span = (max - min).max(1e-12);
    let x = |v: f64| left + (v - min) / span * (w - left - right);
    let mut s = svg_open("objective", w, h, "Objective by variant");
    let step = tick_step(max.max(-min));
    let mut t = (min / step).ceil() * step;
    while t <= max + 1e-9 {
        let _ = writeln!(
            s,
            "<line class=\"grid\" x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"18\" y2=\"{1:.1}\"/><text class=\"muted\" x=\"{0:.1}\" y=\"12\" text-anchor=\"middle\">{2}</text>",
            x(t),
            h - 6.0,
            tick_label(t)
        );
        t += step;
    }
    for (i, (row, v)) in rows.iter().zip(&values).enumerate() {
        let y = 24.0 + i as f64 * (bar + gap);
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + bar * 0.68,
            esc(&row.label)
        );
        match v {
            Some(v) => {
                let (a, b) = (x(0.0_f64.max(min)), x(*v));
                let fill = if row.plan == Some(input.base) {
                    "#2f5d8a"
                } else {
                    "#8fb3d6"
                };
                let _ = writeln!(
                    s,
                    "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bar}\" fill=\"{fill}\"><title>{}: {}</title></rect><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                    a.min(b),
                    (b - a).abs().max(1.0),
                    esc(&row.label),
                    fmt_num(*v),
                    a.max(b) + 5.0,
                    y + bar * 0.68,
                    fmt_num(*v)
                );
            }
            None => {
                let _ = writeln!(
                    s,
                    "<text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\">{}<title>{}</title></text>",
                    left + 4.0,
                    y + bar * 0.68,
                    row.status,
                    esc(row.reason.as_deref().unwrap_or(row.status.as_str()))
                );
            }
        }
    }
    s += "</svg>\n";
    s
}

/// The axes of a chart of output value (up) against waste reuse (across), fitted to its points.
struct Frame {
    size: (f64, f64, f64, f64, f64, f64),
    x: (f64, f64),
    y: (f64, f64),
}

impl Frame {
    /// `size` is `(width, height, left, bottom, top, right)`; `points` are `(reuse, output)`.
    fn new(
        size: (f64, f64, f64, f64, f64, f64),
        points: impl Iterator<Item = (f64, f64)>,
    ) -> Frame {
        let (mut x, mut y) = (
            (f64::INFINITY, f64::NEG_INFINITY),
            (f64::INFINITY, f64::NEG_INFINITY),
        );
        for (px, py) in points {
            x = (x.0.min(px), x.1.max(px));
            y = (y.0.min(py), y.1.max(py));
        }
        let pad = |(a, b): (f64, f64)| {
            let d = (b - a).abs().max(b.abs() * 0.05).max(1e-6);
            (a - d * 0.15, b + d * 0.15)
        };
        Frame {
            size,
            x: pad(x),
            y: pad(y),
        }
    }

    fn sx(&self, v: f64) -> f64 {
        let (w, _, left, _, _, right) = self.size;
        left + (v - self.x.0) / (self.x.1 - self.x.0) * (w - left - right)
    }

    fn sy(&self, v: f64) -> f64 {
        let (_, h, _, bottom, top, _) = self.size;
        h - bottom - (v - self.y.0) / (self.y.1 - self.y.0) * (h - bottom - top)
    }

    /// Axes, ticks, grid lines and axis titles.
    fn draw(&self, s: &mut String, input: &ReportInput) {
        let (w, h, left, bottom, top, right) = self.size;
        let _ = writeln!(
            s,
            "<line class=\"axis\" x1=\"{left}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\"/><line class=\"axis\" x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{0}\"/>",
            h - bottom,
            w - right
        );
        for (axis, (a, b)) in [("x", self.x), ("y", self.y)] {
            let step = tick_step(b - a);
            let mut t = (a / step).ceil() * step;
            while t <= b {
                if axis == "x" {
                    let _ = writeln!(
                        s,
                        "<text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                        self.sx(t),
                        h - bottom + 16.0,
                        tick_label(t)
                    );
                } else {
                    let _ = writeln!(
                        s,
                        "<line class=\"grid\" x1=\"{left}\" x2=\"{x2:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"muted\" x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"end\">{label}</text>",
                        x2 = w - right,
                        y = self.sy(t),
                        tx = left - 6.0,
                        ty = self.sy(t) + 4.0,
                        label = tick_label(t)
                    );
                }
                t += step;
            }
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text><text transform=\"translate(16 {:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
            (left + w - right) / 2.0,
            h - 8.0,
            esc(&input.labelled("waste reused", "materials")),
            (top + h - bottom) / 2.0,
            esc(&input.labelled("output value", "output")),
        );
    }
}

fn front_section(h: &mut String, input: &ReportInput, i: usize, front: &Front) {
    let _ = writeln!(
        h,
        "<section id=\"front-{i}\">\n<h2>Pareto front: output value against waste reuse, variant `{}`</h2>",
        esc(&front.variant)
    );
    let _ = writeln!(
        h,
        "<p class=\"note\">{} point(s) by the ε-constraint method, from the most output (left) to the most waste reused (right); each is the most output a plan can have while reusing at least ε. {} point(s) dropped as duplicates or dominated.</p>",
        front.points.len(),
        front.dropped
    );
    h.push_str("<div class=\"row\">\n");
    h.push_str(&front_chart(input, front));
    h.push_str("<table><thead><tr><th>reuse ≥ ε</th><th>status</th><th>output value</th><th>total reuse</th><th>objective</th><th>output given up<br>per extra unit reused</th></tr></thead><tbody>\n");
    for (p, rate) in front
        .points
        .iter()
        .zip(crate::analysis::pareto::trade_offs(front))
    {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            fmt_num(p.epsilon),
            badge(&p.status.to_string(), p.status.has_plan()),
            fmt_opt(p.output_value),
            fmt_opt(p.total_reuse),
            fmt_opt(p.objective),
            fmt_opt(rate)
        );
    }
    h.push_str("</tbody></table>\n</div>\n</section>\n");
}

fn front_chart(input: &ReportInput, front: &Front) -> String {
    let (w, h, left, bottom, top, right) = (560.0, 340.0, 70.0, 46.0, 16.0, 24.0);
    let pts: Vec<(f64, f64, f64)> = front
        .points
        .iter()
        .filter_map(|p| Some((p.total_reuse?, p.output_value?, p.epsilon)))
        .collect();
    let title = format!("Pareto front of variant {}", front.variant);
    let mut s = svg_open("front", w, h, &title);
    if pts.is_empty() {
        s += "<text x=\"20\" y=\"30\" class=\"muted\">No point of the front has a plan.</text></svg>\n";
        return s;
    }
    let frame = Frame::new(
        (w, h, left, bottom, top, right),
        pts.iter().map(|p| (p.0, p.1)),
    );
    frame.draw(&mut s, input);
    let line: Vec<String> = pts
        .iter()
        .map(|p| format!("{:.1},{:.1}", frame.sx(p.0), frame.sy(p.1)))
        .collect();
    let _ = writeln!(
        s,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#2f5d8a\" stroke-width=\"2\"/>",
        line.join(" ")
    );
    for (k, (x, y, eps)) in pts.iter().enumerate() {
        let end = if k == 0 {
            " (most output)"
        } else if k + 1 == pts.len() {
            " (most reuse)"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"#f28e2b\" stroke=\"#fff\" stroke-width=\"1.5\"><title>ε {}{end}: output {}, reuse {}</title></circle>",
            frame.sx(*x),
            frame.sy(*y),
            fmt_num(*eps),
            fmt_num(*y),
            fmt_num(*x)
        );
    }
    for (k, anchor, dx, dy, label) in [
        (0, "start", 9.0, -9.0, "most output"),
        (pts.len() - 1, "end", -9.0, 18.0, "most reuse"),
    ] {
        if pts.len() == 1 && k == 0 && anchor == "end" {
            continue;
        }
        let _ = writeln!(
            s,
            "<text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{label}</text>",
            frame.sx(pts[k].0) + dx,
            frame.sy(pts[k].1) + dy,
        );
    }
    s += "</svg>\n";
    s
}

fn tradeoff_chart(input: &ReportInput) -> String {
    let (w, h, left, bottom, top, right) = (620.0, 320.0, 70.0, 46.0, 16.0, 24.0);
    let pts: Vec<(usize, f64, f64)> = input
        .plans
        .iter()
        .enumerate()
        .filter_map(|(i, np)| Some((i, np.plan.total_reuse?, np.plan.output_value?)))
        .collect();
    let mut s = svg_open("tradeoff", w, h, "Output value against waste reuse");
    if pts.is_empty() {
        s += "<text x=\"20\" y=\"30\" class=\"muted\">No plan to show.</text></svg>\n";
        return s;
    }
    let frame = Frame::new(
        (w, h, left, bottom, top, right),
        pts.iter().map(|p| (p.1, p.2)),
    );
    frame.draw(&mut s, input);
    let (sx, sy) = (|v| frame.sx(v), |v| frame.sy(v));
    // Plans at one point (a sweep's variants that change nothing) share a mark and a label.
    let mut groups: Vec<(Vec<usize>, f64, f64)> = Vec::new();
    for &(i, x, y) in &pts {
        let same = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
        match groups.iter_mut().find(|g| same(g.1, x) && same(g.2, y)) {
            Some(g) => g.0.push(i),
            None => groups.push((vec![i], x, y)),
        }
    }
    let names: Vec<Vec<&str>> = groups
        .iter()
        .map(|(members, _, _)| {
            members
                .iter()
                .map(|&i| input.plans[i].label.as_str())
                .collect()
        })
        .collect();
    let full: Vec<String> = names
        .iter()
        .map(|n| match n.len() {
            1 => n[0].to_string(),
            k => format!("{} +{} more", n[0], k - 1),
        })
        .collect();
    let anchors: Vec<(f64, f64)> = groups.iter().map(|g| (sx(g.1), sy(g.2))).collect();
    // Names beside the points when they all fit without overlapping; else numbers, with a key.
    let (labels, spots, keyed) = match place_labels(&anchors, &full, w) {
        Some(spots) => (full, spots, false),
        None => {
            let numbers: Vec<String> = (1..=groups.len()).map(|k| k.to_string()).collect();
            let spots = place_labels(&anchors, &numbers, w).unwrap_or_else(|| {
                anchors
                    .iter()
                    .map(|&(px, py)| (px + 9.0, py - 7.0))
                    .collect()
            });
            (numbers, spots, true)
        }
    };
    for (k, ((members, x, y), (lx, ly))) in groups.iter().zip(&spots).enumerate() {
        let (px, py) = anchors[k];
        let fill = if members.contains(&input.base) {
            "#2f5d8a"
        } else {
            "#f28e2b"
        };
        let _ = writeln!(
            s,
            "<circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"6\" fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"1.5\"><title>{}: output {}, reuse {}</title></circle><text x=\"{lx:.1}\" y=\"{ly:.1}\">{}</text>",
            esc(&names[k].join(", ")),
            fmt_num(*y),
            fmt_num(*x),
            esc(&labels[k])
        );
    }
    s += "</svg>\n";
    if keyed {
        s += "<ol class=\"key\">";
        for n in &names {
            let _ = write!(s, "<li>{}</li>", esc(&n.join(", ")));
        }
        s += "</ol>\n";
    }
    s
}

/// Spots for labels beside points (`anchors`), the first of right-above, right-below, left-above
/// and left-below that stays inside the width and clear of the labels placed before; `None` when
/// some label has no such spot.
fn place_labels(anchors: &[(f64, f64)], labels: &[String], w: f64) -> Option<Vec<(f64, f64)>> {
    let mut placed: Vec<(f64, f64, f64)> = Vec::new();
    for (&(px, py), label) in anchors.iter().zip(labels) {
        let width = 7.0 * label.chars().count() as f64;
        let spots = [
            (px + 9.0, py - 7.0),
            (px + 9.0, py + 16.0),
            (px - 9.0 - width, py - 7.0),
            (px - 9.0 - width, py + 16.0),
        ];
        let free = |&(lx, ly): &(f64, f64)| {
            lx >= 0.0
                && lx + width <= w
                && placed.iter().all(|&(ax, ay, aw)| {
                    lx + width < ax || ax + aw < lx || ly < ay - 13.0 || ly - 13.0 > ay
                })
                && anchors.iter().all(|&(qx, qy)| {
                    // Clear of every point's mark, too.
                    qx + 6.0 < lx || lx + width < qx - 6.0 || qy - 6.0 > ly || qy + 6.0 < ly - 12.0
                })
        };
        let (lx, ly) = spots.iter().copied().find(free)?;
        placed.push((lx, ly, width));
    }
    Some(placed.iter().map(|&(x, y, _)| (x, y)).collect())
}

fn output_chart(input: &ReportInput, plan: &Plan, colors: &[(String, &'static str)]) -> String {
    let parks = input.parks();
    let (left, bottom, top, right) = (64.0, 64.0, 16.0, 16.0);
    let band = 100.0f64.min(900.0 / parks.len().max(1) as f64).max(44.0);
    let w = left + right + band * parks.len() as f64;
    let h = 340.0;
    let totals: Vec<f64> = parks
        .iter()
        .map(|p| input.chain_values(plan, p).iter().map(|(_, v)| v).sum())
        .collect();
    let max = totals.iter().fold(0.0f64, |a, &b| a.max(b)).max(1e-9);
    let step = tick_step(max);
    let top_value = (max / step).ceil() * step;
    let sy = |v: f64| h - bottom - v / top_value * (h - bottom - top);
    let mut s = svg_open("output", w, h, "Output value by park, stacked by chain");
    let mut t = 0.0;
    while t <= top_value + 1e-9 {
        let _ = writeln!(
            s,
            "<line class=\"grid\" x1=\"{left}\" x2=\"{x2:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"muted\" x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"end\">{label}</text>",
            x2 = w - right,
            y = sy(t),
            tx = left - 6.0,
            ty = sy(t) + 4.0,
            label = tick_label(t)
        );
        t += step;
    }
    let _ = writeln!(
        s,
        "<text transform=\"translate(14 {:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
        (top + h - bottom) / 2.0,
        esc(&input.labelled("output value", "output"))
    );
    for (i, park) in parks.iter().enumerate() {
        let x = left + band * i as f64 + band * 0.15;
        let bw = band * 0.7;
        let mut acc = 0.0;
        for (chain, v) in input.chain_values(plan, park) {
            let (y_top, y_bottom) = (sy(acc + v), sy(acc));
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y_top:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{} · {}: {}</title></rect>",
                (y_bottom - y_top).max(0.0),
                color_of(colors, &chain),
                esc(park),
                esc(&chain),
                fmt_num(v)
            );
            acc += v;
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text><text class=\"muted\" x=\"{0:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x + bw / 2.0,
            h - bottom + 16.0,
            esc(park),
            sy(acc) - 5.0,
            fmt_num(acc)
        );
        if let Some(main) = plan.main_chains.get(park) {
            let _ = writeln!(
                s,
                "<text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" style=\"font-size:11px\">★ {}</text>",
                x + bw / 2.0,
                h - bottom + 31.0,
                esc(main)
            );
        }
    }
    let _ = writeln!(
        s,
        "<line class=\"axis\" x1=\"{left}\" x2=\"{x2:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>",
        x2 = w - right,
        y = h - bottom
    );
    s += "</svg>\n";
    s
}

/// Heat colour for a utilisation: white at 0 through orange to dark red at 100 %; pale blue when
/// the park produces more than it uses.
fn heat(u: f64) -> (&'static str, String) {
    if u < 0.0 {
        return ("#1d2733", "#dbe9f6".into());
    }
    let stops = [
        (0.0, (255.0, 247.0, 236.0)),
        (0.5, (253.0, 174.0, 97.0)),
        (0.9, (227.0, 74.0, 51.0)),
        (1.0, (165.0, 15.0, 21.0)),
    ];
    let u = u.min(1.0);
    let mut c = stops[3].1;
    for pair in stops.windows(2) {
        let ((a, ca), (b, cb)) = (pair[0], pair[1]);
        if u <= b {
            let f = (u - a) / (b - a);
            c = (
                ca.0 + (cb.0 - ca.0) * f,
                ca.1 + (cb.1 - ca.1) * f,
                ca.2 + (cb.2 - ca.2) * f,
            );
            break;
        }
    }
    let ink = if u > 0.7 { "#ffffff" } else { "#1d2733" };
    (
        ink,
        format!("#{:02x}{:02x}{:02x}", c.0 as u8, c.1 as u8, c.2 as u8),
    )
}

fn heatmap(input: &ReportInput, plan: &Plan) -> String {
    let parks = input.parks();
    let mut resources = input.park_resources();
    let pools: Vec<&crate::plan::ResourceUse> =
        plan.resources.iter().filter(|r| r.park.is_none()).collect();
    for r in &pools {
        if !resources.contains(&r.resource) {
            resources.push(r.resource.clone());
        }
    }
    let (left, top, cw, ch) = (130.0, 34.0, 104.0, 30.0);
    let rows = parks.len() + pools.len();
    let w = left + cw * resources.len().max(1) as f64 + 10.0;
    let h = top + ch * rows as f64 + if pools.is_empty() { 8.0 } else { 16.0 };
    let mut s = svg_open("heatmap", w, h, "Resource utilisation by park");
    for (j, r) in resources.iter().enumerate() {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            left + cw * (j as f64 + 0.5),
            top - 12.0,
            esc(&input.labelled(r, r))
        );
    }
    let cell = |s: &mut String,
                x: f64,
                y: f64,
                r: Option<&crate::plan::ResourceUse>,
                name: &str| {
        match r.and_then(|r| r.utilisation.map(|u| (r, u))) {
            Some((r, u)) => {
                let (ink, fill) = heat(u);
                let bind = if r.shadow_price.is_some_and(|p| p > 0.0) {
                    " ●"
                } else {
                    ""
                };
                let _ = writeln!(
                    s,
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"2\"><title>{}: {} of {} used ({:.1} %)</title></rect><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" style=\"fill:{ink}\">{:.0} %{bind}</text>",
                    cw,
                    ch,
                    esc(name),
                    fmt_num(r.used),
                    fmt_num(r.capacity),
                    u * 100.0,
                    x + cw / 2.0,
                    y + ch * 0.64,
                    u * 100.0
                );
            }
            None => {
                let _ = writeln!(
                    s,
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{cw:.1}\" height=\"{ch:.1}\" fill=\"#f2f4f7\" stroke=\"#fff\" stroke-width=\"2\"/><text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">–</text>",
                    x + cw / 2.0,
                    y + ch * 0.64
                );
            }
        }
    };
    for (i, park) in parks.iter().enumerate() {
        let y = top + ch * i as f64;
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + ch * 0.64,
            esc(park)
        );
        for (j, res) in resources.iter().enumerate() {
            let r = plan
                .resources
                .iter()
                .find(|r| r.park.as_ref() == Some(park) && &r.resource == res);
            cell(
                &mut s,
                left + cw * j as f64,
                y,
                r,
                &format!("{park} · {res}"),
            );
        }
    }
    for (i, r) in pools.iter().enumerate() {
        let y = top + ch * (parks.len() + i) as f64 + 8.0;
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">city pool: {}</text>",
            left - 8.0,
            y + ch * 0.64,
            esc(&r.resource)
        );
        let j = resources
            .iter()
            .position(|x| x == &r.resource)
            .expect("pooled resources have a column");
        cell(
            &mut s,
            left + cw * j as f64,
            y,
            Some(r),
            &format!("city pool · {}", r.resource),
        );
    }
    s += "</svg>\n<p class=\"note\">● the limit binds and has a shadow price.</p>\n";
    s
}

fn flows_chart(input: &ReportInput, plan: &Plan) -> String {
    // Sources: parks that send, and `outside` for purchases; targets: parks that receive.
    let mut links: Vec<(String, String, String, f64)> = plan
        .flows
        .iter()
        .map(|f| (f.from.clone(), f.to.clone(), f.material.clone(), f.amount))
        .collect();
    links.extend(plan.purchases.iter().map(|b| {
        (
            "outside".into(),
            b.park.clone(),
            b.material.clone(),
            b.amount,
        )
    }));
    links.retain(|l| l.3 > 0.0);
    if links.is_empty() {
        return "<p class=\"note\">No materials move in this plan.</p>\n".into();
    }
    let parks = input.parks();
    let order = |name: &str| parks.iter().position(|p| p == name).unwrap_or(usize::MAX);
    let mut sources: Vec<String> = Vec::new();
    let mut targets: Vec<String> = Vec::new();
    for (a, b, _, _) in &links {
        if !sources.contains(a) {
            sources.push(a.clone());
        }
        if !targets.contains(b) {
            targets.push(b.clone());
        }
    }
    sources.sort_by_key(|p| order(p));
    targets.sort_by_key(|p| order(p));
    links.sort_by_key(|l| (order(&l.0), order(&l.1)));
    let mut materials: Vec<String> = Vec::new();
    for l in &links {
        if !materials.contains(&l.2) {
            materials.push(l.2.clone());
        }
    }
    let mat_color = |m: &str| {
        let i = materials.iter().position(|x| x == m).unwrap_or(0);
        PALETTE[(i + 4) % PALETTE.len()]
    };
    let total = |names: &[String], side: fn(&(String, String, String, f64)) -> &String| {
        names
            .iter()
            .map(|n| {
                links
                    .iter()
                    .filter(|l| side(l) == n)
                    .map(|l| l.3)
                    .sum::<f64>()
            })
            .collect::<Vec<f64>>()
    };
    let out_totals = total(&sources, |l| &l.0);
    let in_totals = total(&targets, |l| &l.1);
    let (w, node_w, gap, top) = (760.0, 14.0, 18.0, 12.0);
    let (x0, x1) = (200.0, w - 200.0 - node_w);
    let height = 380.0f64;
    let n = sources.len().max(targets.len()) as f64;
    let sum = out_totals
        .iter()
        .sum::<f64>()
        .max(in_totals.iter().sum::<f64>());
    let k = (height - gap * (n - 1.0).max(0.0)) / sum.max(1e-12);
    let place = |totals: &[f64]| {
        let mut y = top;
        totals
            .iter()
            .map(|t| {
                let at = y;
                y += t * k + gap;
                at
            })
            .collect::<Vec<f64>>()
    };
    let ys = place(&out_totals);
    let yt = place(&in_totals);
    let h = top * 2.0 + height + 4.0;
    let mut s = String::from("<div>\n");
    s += &svg_open("flows", w, h, "Material flows between parks");
    let mut s_off = vec![0.0; sources.len()];
    let mut t_off = vec![0.0; targets.len()];
    let unit = input.unit("materials");
    for (a, b, m, amount) in &links {
        let i = sources.iter().position(|x| x == a).expect("source");
        let j = targets.iter().position(|x| x == b).expect("target");
        let t = amount * k;
        let (sy0, ty0) = (ys[i] + s_off[i], yt[j] + t_off[j]);
        s_off[i] += t;
        t_off[j] += t;
        let (xa, xb) = (x0 + node_w, x1);
        let xm = (xa + xb) / 2.0;
        let _ = writeln!(
            s,
            "<path d=\"M{xa:.1},{sy0:.1} C{xm:.1},{sy0:.1} {xm:.1},{ty0:.1} {xb:.1},{ty0:.1} L{xb:.1},{:.1} C{xm:.1},{:.1} {xm:.1},{:.1} {xa:.1},{:.1} Z\" fill=\"{color}\" fill-opacity=\"0.55\" stroke=\"{color}\" stroke-opacity=\"0.8\" stroke-width=\"0.5\"><title>{}: {} → {}, {}{}</title></path>",
            ty0 + t,
            ty0 + t,
            sy0 + t,
            sy0 + t,
            esc(m),
            esc(a),
            esc(b),
            fmt_num(*amount),
            unit.as_deref()
                .map(|u| format!(" {}", esc(u)))
                .unwrap_or_default(),
            color = mat_color(m),
        );
    }
    for (side, names, pos, totals) in [
        ("source", &sources, &ys, &out_totals),
        ("target", &targets, &yt, &in_totals),
    ] {
        for ((name, y), t) in names.iter().zip(pos.iter()).zip(totals.iter()) {
            let x = if side == "source" { x0 } else { x1 };
            let fill = if name == "outside" {
                "#9aa5b1"
            } else {
                "#2f5d8a"
            };
            let (tx, anchor) = if side == "source" {
                (x - 6.0, "end")
            } else {
                (x + node_w + 6.0, "start")
            };
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{node_w}\" height=\"{:.1}\" fill=\"{fill}\"/><text x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{} <tspan class=\"muted\">{}</tspan></text>",
                (t * k).max(1.0),
                y + (t * k).max(1.0) / 2.0 + 4.0,
                esc(name),
                fmt_num(*t)
            );
        }
    }
    s += "</svg>\n<ul class=\"legend\">";
    for m in &materials {
        let _ = write!(
            s,
            "<li><span style=\"background:{}\"></span>{}</li>",
            mat_color(m),
            esc(m)
        );
    }
    s += "</ul>\n</div>\n";
    let between: Vec<_> = plan.flows.iter().filter(|f| f.from != f.to).collect();
    if !between.is_empty() {
        s += "<table><thead><tr><th>material</th><th>from</th><th>to</th><th>amount</th></tr></thead><tbody>\n";
        for f in between {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&f.material),
                esc(&f.from),
                esc(&f.to),
                fmt_num(f.amount)
            );
        }
        s += "</tbody></table>\n";
    }
    s
}

fn shadow_chart(plan: &Plan) -> String {
    let priced = priced(plan);
    if priced.is_empty() {
        return "<p class=\"note\">No resource limit binds.</p>\n".into();
    }
    let (left, right, bar, gap) = (190.0, 80.0, 18.0, 6.0);
    let w = 620.0;
    let h = 10.0 + priced.len() as f64 * (bar + gap);
    let max = priced
        .iter()
        .map(|r| r.shadow_price.unwrap_or(0.0).abs())
        .fold(0.0f64, f64::max)
        .max(1e-12);
    let mut s = svg_open("shadow", w, h, "Shadow prices, most valuable first");
    for (i, r) in priced.iter().enumerate() {
        let v = r.shadow_price.unwrap_or(0.0);
        let y = 6.0 + i as f64 * (bar + gap);
        let len = v.abs() / max * (w - left - right);
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{} · {}</text><rect x=\"{left}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bar}\" fill=\"{}\"><title>{} {}: {} per unit</title></rect><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            left - 8.0,
            y + bar * 0.7,
            esc(&place(r)),
            esc(&r.resource),
            len.max(1.0),
            if v >= 0.0 { "#59a14f" } else { "#e15759" },
            esc(&place(r)),
            esc(&r.resource),
            fmt_num(v),
            left + len.max(1.0) + 5.0,
            y + bar * 0.7,
            fmt_num(v)
        );
    }
    s += "</svg>\n";
    s += "<table><thead><tr><th>where</th><th>resource</th><th>shadow price</th><th>used</th><th>capacity</th><th>slack</th></tr></thead><tbody>\n";
    for r in priced {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&place(r)),
            esc(&r.resource),
            fmt_opt(r.shadow_price),
            fmt_num(r.used),
            fmt_num(r.capacity),
            fmt_num(r.slack)
        );
    }
    s += "</tbody></table>\n";
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(tick_step(141.0), 50.0);
        assert_eq!(tick_step(9.0), 2.0);
        assert_eq!(tick_step(1.0), 0.2);
        assert_eq!(tick_step(0.0), 1.0);
    }

    #[test]
    fn heat_runs_from_pale_to_dark() {
        assert_eq!(heat(0.0).1, "#fff7ec");
        assert_eq!(heat(1.0).1, "#a50f15");
        assert_eq!(heat(1.0).0, "#ffffff");
        assert_eq!(heat(-0.5).1, "#dbe9f6");
    }
}
