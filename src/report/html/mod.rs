//! The HTML report: one self-contained file — inline CSS and inline SVG, no script, no font, no
//! image and no link to anything outside it (a Content-Security-Policy says so to the browser).
//!
//! For several variants it opens with the objective of each (for a sweep, every variant, those
//! without a plan with their status and why) and a chart of output value against waste reuse;
//! then each Pareto front as a line chart with its table; then, per plan: output
//! value by park stacked by chain, resource utilisation as a heat map (parks × resources, city
//! pools below), material flows between parks as a Sankey-style diagram, and shadow prices most
//! valuable first; a multi-period plan has its timeline before them ([`timeline`]). Every chart
//! is an `<svg class="chart chart-…">` with a `<title>`, and the numbers behind it are in a table
//! beside it.
//!
//! This module writes the page and its sections; each chart has a module of its own, and
//! [`svg`] holds what they share.
//!
//! It passes 600 lines only by the page's frame (head, styles, section order); every chart and
//! table is drawn by a module of its own, so the frame is kept whole here.

mod changes;
mod designations;
mod flows;
mod front;
mod heatmap;
mod objective;
mod output;
mod palette;
mod shadow;
mod svg;
mod timeline;
mod timeline_chart;
mod tradeoff;

use std::fmt::Write as _;

use super::comparison::changes::{existing_output, reuse_rate, reuse_sentence};
use super::views::{Kind, Quantity, ReportInput, basis};
use crate::analysis::pareto::Front;
use crate::plan::Plan;
use crate::solver::VariantStatus;
use crate::util::numbers::{fmt_num, fmt_opt};

use Quantity::{Material as M, Objective as O, Value as V};

const CSS: &str = r#"
:root { --ink: #1d2733; --muted: #5b6776; --rule: #d9dee5; --accent: #2f5d8a; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); background: #fff; }
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
.chart text { font: 12px system-ui, "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; fill: var(--ink); }
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
span.name { display: inline-block; white-space: normal; max-width: 260px; color: var(--muted); font-size: 12px; }
td.changed { font-weight: 600; color: #a5401a; }
tr.zone td { background: var(--bg); }
main table { display: block; max-width: 100%; overflow-x: auto; }
table.changes td { white-space: normal; min-width: 80px; }
td.chains { white-space: normal; text-align: left; min-width: 220px; }
p.tie { border-left: 3px solid #a5401a; padding-left: 8px; }
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
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">",
        input.lang()
    );
    h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n";
    let _ = writeln!(h, "<title>{title}</title>");
    let _ = writeln!(h, "<style>{CSS}</style>\n</head>\n<body>");
    let _ = writeln!(
        h,
        "<header><h1>{title}</h1><p>{}</p>{}</header>",
        esc(&subtitle(input, rows.len())),
        input
            .problem_description()
            .map(|d| format!("<p class=\"description\">{}</p>", esc(&d)))
            .unwrap_or_default()
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
    for (i, d) in input.designations.iter().enumerate() {
        let _ = write!(
            h,
            "<a href=\"#designations-{i}\">Designations `{}`</a>",
            esc(&d.variant)
        );
    }
    for (i, np) in input.plans.iter().enumerate() {
        let _ = write!(h, "<a href=\"#plan-{i}\">{}</a>", esc(&np.label));
        if !np.plan.periods.is_empty() && np.plan.status.has_plan() {
            let _ = write!(h, "<a href=\"#plan-{i}-timeline\">timeline</a>");
        }
    }
    h += "</nav>\n<main>\n";
    if input.has_overview() {
        overview(&mut h, input);
    }
    for (i, f) in input.fronts.iter().enumerate() {
        front_section(&mut h, input, i, f);
    }
    for (i, d) in input.designations.iter().enumerate() {
        designations::section(&mut h, i, d);
    }
    let colors = chain_colors(input);
    let materials = material_colors(input);
    for (i, np) in input.plans.iter().enumerate() {
        plan_section(&mut h, input, i, &np.label, &np.plan, (&colors, &materials));
    }
    h += "</main>\n<footer>Written by parkplan. Self-contained: no script and no outside assets; the numbers behind every chart are in the table beside it.</footer>\n</body>\n</html>\n";
    h
}

/// The line under the title: what the report covers.
pub(super) fn subtitle(input: &ReportInput, rows: usize) -> String {
    let n = input.plans.len();
    let mut fronts = match input.fronts.len() {
        0 => String::new(),
        1 => "a Pareto front".into(),
        k => format!("{k} Pareto fronts"),
    };
    let priced = match input.designations.len() {
        0 => String::new(),
        1 => "the price of every designation".into(),
        k => format!("the price of every designation in {k} variants"),
    };
    if !priced.is_empty() {
        fronts = if fronts.is_empty() {
            priced
        } else {
            format!("{fronts}; {priced}")
        };
    }
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

/// Chains (or materials) and their colours: those the plans show first, in their order.
type Colors = [(String, &'static str)];

/// A colour for every chain, the same in every plan and every report ([`palette`]): placed among
/// the problem's chains, those the plans name and those they show.
fn chain_colors(input: &ReportInput) -> Vec<(String, &'static str)> {
    let mut ids = input.chains();
    if let Some(p) = input.problem {
        ids.extend(p.chains.keys().cloned());
    }
    for np in input.plans {
        ids.extend(np.plan.names.chains.keys().cloned());
    }
    palette::colors(&ids)
}

/// A colour for every material, as for chains: placed among the problem's materials, those the
/// plans name and those they move.
fn material_colors(input: &ReportInput) -> Vec<(String, &'static str)> {
    let mut ids: Vec<String> = Vec::new();
    for np in input.plans {
        let periods = np.plan.periods.iter().map(|pp| &pp.plan);
        for plan in std::iter::once(&np.plan).chain(periods) {
            ids.extend(plan.flows.iter().map(|f| f.material.clone()));
            ids.extend(plan.purchases.iter().map(|b| b.material.clone()));
        }
    }
    if let Some(p) = input.problem {
        ids.extend(p.materials.keys().cloned());
    }
    for np in input.plans {
        ids.extend(np.plan.names.materials.keys().cloned());
    }
    palette::colors(&ids)
}

/// The colour of a chain or material; grey for one without.
fn color_of<'a>(colors: &'a Colors, key: &str) -> &'a str {
    colors
        .iter()
        .find(|(k, _)| k == key)
        .map_or(palette::GREY, |(_, c)| c)
}

/// A table cell's text for an id: the id, and its display name below it where it has one.
fn named_cell(input: &ReportInput, kind: Kind, id: &str) -> String {
    match input.name(kind, id) {
        Some(n) if n != id => format!("{}<br><span class=\"name\">{}</span>", esc(id), esc(&n)),
        _ => esc(id),
    }
}

/// A plan's status as a badge.
fn status_badge(plan: &Plan) -> String {
    badge(&plan.status.to_string(), plan.status.has_plan())
}

/// A status as a badge, red unless `good`.
fn badge(status: &str, good: bool) -> String {
    let bad = if good { "" } else { " bad" };
    format!("<span class=\"status{bad}\">{}</span>", esc(status))
}

/// The overview of several variants: their objectives, chart and table, and the trade-off
/// chart.
fn overview(h: &mut String, input: &ReportInput) {
    h.push_str("<section id=\"overview\">\n<h2>Overview</h2>\n");
    h.push_str("<h3>Objective by variant</h3>\n<div class=\"row\">\n");
    h.push_str(&objective::chart(input));
    let _ = writeln!(
        h,
        "<table><thead><tr><th>variant</th><th>status</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>reuse rate (%)</th><th>main chains changed</th><th>why not optimal</th></tr></thead><tbody>",
        esc(&input.head("objective", O)),
        esc(&input.head("Δ vs base", O)),
        esc(&input.head("output value", V)),
        esc(&input.head("waste reused", M)),
    );
    for row in input.rows() {
        let plan = row.plan.map(|i| &input.plans[i].plan);
        let value = |q, f: fn(&Plan) -> Option<f64>| input.num(q, plan.and_then(f));
        let (delta, changed) = input.changes(&row);
        let name = match row.plan {
            Some(i) => format!("<a href=\"#plan-{i}\">{}</a>", esc(&row.label)),
            None => esc(&row.label),
        };
        let _ = writeln!(
            h,
            "<tr><td>{name}{}</td><td>{}</td><td>{}</td><td>{delta}</td><td>{}</td><td>{}</td><td>{}</td><td>{changed}</td><td class=\"why\">{}</td></tr>",
            if row.plan == Some(input.base) {
                " (base)"
            } else {
                ""
            },
            badge(row.status.as_str(), row.status == VariantStatus::OPTIMAL),
            value(O, |p| p.objective),
            value(V, |p| p.output_value),
            value(M, |p| p.total_reuse),
            plan.and_then(reuse_rate)
                .map_or("–".into(), |r| format!("{:.1}", r * 100.0)),
            esc(row.reason.as_deref().unwrap_or("")),
        );
    }
    h.push_str("</tbody></table>\n</div>\n");
    for note in input.notes {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", esc(note));
    }
    timeline::overview(h, input);
    h.push_str("<h3>Output value against waste reuse</h3>\n<p class=\"note\">One point per plan; plans at the same point share a label. A Pareto run's front is drawn on its own below.</p>\n");
    h.push_str(&tradeoff::chart(input));
    h.push_str("</section>\n");
}

/// One plan: its head, then output by park, utilisation, flows and shadow prices; only the
/// head and why for a variant without a plan.
fn plan_section(
    h: &mut String,
    input: &ReportInput,
    i: usize,
    label: &str,
    plan: &Plan,
    (colors, materials): (&Colors, &Colors),
) {
    let _ = writeln!(
        h,
        "<details class=\"variant\" id=\"plan-{i}\" open>\n<summary>{} {}{}</summary>",
        esc(label),
        status_badge(plan),
        plan.objective
            .map(|o| format!(" &nbsp;objective {}", esc(&input.amount(O, Some(o)))))
            .unwrap_or_default()
    );
    if let Some(d) = input.description(label) {
        let _ = writeln!(h, "<p class=\"description\">Scenario: {}</p>", esc(&d));
    }
    if !plan.status.has_plan() {
        let why = plan
            .status
            .message_by(plan.gap, plan.stopped_by)
            .unwrap_or_default();
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
        "<p class=\"note\">Output value {}, reuse value {}, waste reused {}{}.</p>",
        esc(&input.amount(V, plan.output_value)),
        esc(&input.amount(V, plan.reuse_value)),
        esc(&input.amount(M, plan.total_reuse)),
        reuse_sentence(input, plan)
            .map(|r| format!("; {}", esc(&r)))
            .unwrap_or_default()
    );
    built_line(h, input, plan);
    if let Some(t) = &plan.tie {
        let _ = writeln!(
            h,
            "<p class=\"note tie\"><strong>Tie:</strong> {}. A main chain that differs from another plan's only by this tie is no real change.</p>",
            esc(&t.sentence())
        );
    }
    if let Some(c) = super::comparison::changes::changes(input, i) {
        changes::table(h, input, label, &c);
    }
    if !plan.periods.is_empty() {
        timeline::section(h, input, i, plan, colors);
    }
    output_section(h, input, plan, colors);
    units_section(h, input, plan);

    h.push_str("<h3>Resource utilisation</h3>\n<p class=\"note\">Use against capacity, per park and for the city pools; a pale blue cell marked “net supply” produces more than it uses (a power pool fed by coal plants).</p>\n");
    h.push_str(&heatmap::chart(input, plan));

    h.push_str("<h3>Material flows</h3>\n<p class=\"note\">From the park that generates a material (left) to the park that takes it as feedstock (right); purchases come from outside. Band width is the amount moved.</p>\n");
    h.push_str("<div class=\"row\">\n");
    h.push_str(&flows::chart(input, plan, materials));
    h.push_str("</div>\n");

    let _ = writeln!(
        h,
        "<h3>Shadow prices</h3>\n<p class=\"note\">Objective gained per extra unit of each limit, most valuable first; {}.</p>",
        basis(plan)
    );
    h.push_str("<div class=\"row\">\n");
    h.push_str(&shadow::chart(input, plan));
    h.push_str("</div>\n</details>\n");
}

/// The plan's builds in units on one line under its totals, so that whole plant shows before
/// the details; nothing when it builds nothing in units.
fn built_line(h: &mut String, input: &ReportInput, plan: &Plan) {
    if plan.built_units.is_empty() {
        return;
    }
    let items: Vec<String> = plan
        .built_units
        .iter()
        .flat_map(|(park, chains)| {
            chains.iter().map(move |(chain, b)| {
                let unit = input
                    .problem
                    .and_then(|p| p.chains.get(chain))
                    .and_then(|c| c.unit.clone())
                    .unwrap_or_default();
                format!("{park} {chain} {}", super::units::new_plant(b, &unit))
            })
        })
        .collect();
    let _ = writeln!(
        h,
        "<p class=\"note\">Built in units, in {} park(s): {} (details below).</p>",
        plan.built_units.len(),
        esc(&items.join("; "))
    );
}

/// What each park builds in units (MODEL.md §12): a row per park and chain with the new plant
/// as whole units of their size, the plant there before and the plant in all; then the fixed
/// outlays, a line of their own under each use they are part of; nothing when the plan builds
/// nothing in units.
fn units_section(h: &mut String, input: &ReportInput, plan: &Plan) {
    if plan.built_units.is_empty() {
        return;
    }
    const LEFT: &str = " style=\"text-align:left\"";
    h.push_str("<h3>Built in units</h3>\n<p class=\"note\">New plant in whole units of each chain's unit size (at least its minimum), over the plant each park had.</p>\n");
    let _ = writeln!(
        h,
        "<table class=\"built\">\n<tr><th>park</th><th{LEFT}>chain</th><th{LEFT}>new plant</th><th>existing</th><th>in all</th></tr>"
    );
    for (park, chains) in &plan.built_units {
        for (chain, b) in chains {
            let unit = input
                .problem
                .and_then(|p| p.chains.get(chain))
                .and_then(|c| c.unit.clone())
                .unwrap_or_default();
            let total = super::units::plant_size(b.existing + b.new);
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td{LEFT}>{}</td><td{LEFT}>{}</td><td>{}</td><td>{}</td></tr>",
                named_cell(input, Kind::Park, park),
                named_cell(input, Kind::Chain, chain),
                esc(&super::units::new_plant(b, &unit)),
                esc(&super::units::plant_size(b.existing)),
                esc(&if unit.is_empty() {
                    total
                } else {
                    format!("{total} {unit}")
                }),
            );
        }
    }
    h.push_str("</table>\n");
    let fixed: Vec<_> = plan
        .resources
        .iter()
        .filter(|r| r.fixed.is_some())
        .collect();
    if fixed.is_empty() {
        return;
    }
    h.push_str("<h3>Fixed outlays</h3>\n<p class=\"note\">What a park spends once it builds a chain at all, whatever the size (a pipeline, a rail yard): part of the resource's use, on a line of its own beneath it.</p>\n");
    let _ = writeln!(
        h,
        "<table class=\"fixed\">\n<tr><th>where</th><th{LEFT}>resource</th><th>used</th></tr>"
    );
    for r in fixed {
        let at = match &r.park {
            Some(p) => named_cell(input, Kind::Park, p),
            None => "city pool".into(),
        };
        let unit = input
            .unit(&r.resource)
            .map(|u| format!(" ({})", crate::util::numbers::pretty_unit(&u)))
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr><td>{at}</td><td{LEFT}>{}{}</td><td class=\"num\">{}</td></tr>\n<tr><td></td><td{LEFT}>↳ {}</td><td class=\"num\">{}</td></tr>",
            named_cell(input, Kind::Resource, &r.resource),
            esc(&unit),
            fmt_num(r.used),
            super::units::FIXED_LABEL,
            fmt_num(r.fixed.unwrap_or(0.0))
        );
    }
    h.push_str("</table>\n");
}

/// A plan's output value by park: the chart, a legend of the chains it shows and the table.
fn output_section(h: &mut String, input: &ReportInput, plan: &Plan, colors: &Colors) {
    h.push_str("<h3>Output value by park, stacked by chain</h3>\n");
    h.push_str(&output::chart(input, plan, colors));
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
            esc(&input.named(Kind::Chain, c))
        );
    }
    h.push_str("</ul>\n");
    let existing = input.problem.is_some();
    let _ = write!(
        h,
        "<table class=\"parks\"><thead><tr><th>park</th><th>main chain</th><th>{}</th>",
        esc(&input.head("output value", V))
    );
    if existing {
        let _ = write!(
            h,
            "<th>{}</th><th>{}</th>",
            esc(&input.head("existing plant", V)),
            esc(&input.head("planned − existing", V))
        );
    }
    let _ = writeln!(
        h,
        "<th>chains ({})</th></tr></thead><tbody>",
        esc(&input.unit_q(V))
    );
    let (mut total, mut total_existing) = (0.0, 0.0);
    for park in &parks {
        let chains: Vec<String> = input
            .chain_values(plan, park)
            .iter()
            .map(|(c, v)| format!("{} {}", esc(c), input.num(V, Some(*v))))
            .collect();
        let out = plan.park_output.get(park).copied().unwrap_or(0.0);
        total += out;
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td>",
            named_cell(input, Kind::Park, park),
            input
                .main_chains(plan)
                .get(park)
                .map_or("–".into(), |c| named_cell(input, Kind::Chain, c)),
            input.num(V, Some(out)),
        );
        if existing {
            let e = existing_output(input, park).unwrap_or(0.0);
            total_existing += e;
            let _ = write!(
                h,
                "<td>{}</td><td>{}</td>",
                input.num(V, Some(e)),
                input.delta(V, Some(out - e))
            );
        }
        let _ = writeln!(h, "<td class=\"chains\">{}</td></tr>", chains.join(", "));
    }
    let _ = write!(
        h,
        "<tr class=\"zone\"><td>all parks</td><td>–</td><td>{}</td>",
        input.num(V, Some(total))
    );
    if existing {
        let _ = write!(
            h,
            "<td>{}</td><td>{}</td>",
            input.num(V, Some(total_existing)),
            input.delta(V, Some(total - total_existing))
        );
    }
    h.push_str("<td></td></tr>\n</tbody></table>\n");
}

/// The headings of a Pareto front's table, each with its unit: the front's own, else the
/// report's (in words when there is none).
pub(super) fn front_header(input: &ReportInput, front: &Front) -> [String; 6] {
    let value = front
        .units
        .output
        .clone()
        .map_or(input.unit_q(V), |u| crate::util::numbers::pretty_unit(&u));
    let material = front
        .units
        .materials
        .clone()
        .map_or(input.unit_q(M), |u| crate::util::numbers::pretty_unit(&u));
    [
        format!("reuse ≥ ε ({material})"),
        "status".into(),
        format!("output value ({value})"),
        format!("total reuse ({material})"),
        format!("objective ({value})"),
        format!("output given up per extra unit reused ({value} per {material})"),
    ]
}

/// A Pareto front: its chart and table.
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
    h.push_str(&front::chart(input, front));
    h.push_str("<table><thead><tr>");
    for head in front_header(input, front) {
        let _ = write!(h, "<th>{}</th>", esc(&head));
    }
    h.push_str("</tr></thead><tbody>\n");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
