//! The timeline of a multi-period plan (MODEL.md §9), before the sections of its last period: the
//! objective per period with its weight and the total; output value by period and park, stacked
//! by chain, with its table; resource use against capacity per period as a grid and a table;
//! and what each park builds, chain by chain, in each period.

use std::fmt::Write as _;

use super::{Colors, esc, timeline_chart};
use crate::plan::Plan;
use crate::report::timeline::{self, use_cell};
use crate::report::views::{Quantity, ReportInput};
use crate::util::numbers::fmt_num;

/// The objective, at the report's precision for it.
const OBJ: Quantity<'static> = Quantity::Objective;

/// The timeline of plan `i`.
pub(super) fn section(h: &mut String, input: &ReportInput, i: usize, plan: &Plan, colors: &Colors) {
    let last = plan.periods.last().map_or("", |p| p.period.as_str());
    let _ = writeln!(
        h,
        "<section class=\"timeline\" id=\"plan-{i}-timeline\">\n<h3>Timeline: {} periods, {}</h3>",
        plan.periods.len(),
        esc(&timeline::span(plan))
    );
    let _ = writeln!(
        h,
        "<p class=\"note\">The periods side by side. The totals above are over the horizon (Σ w<sub>t</sub> · value<sub>t</sub>); the values here are per year of each period. The sections after the timeline are of the last period, {}: the plant as built out.</p>",
        esc(last)
    );
    if !input.main_chains(plan).is_empty() {
        let mains: Vec<String> = input
            .main_chains(plan)
            .iter()
            .map(|(park, c)| format!("{} <b>{}</b>", esc(park), esc(c)))
            .collect();
        let _ = writeln!(
            h,
            "<p class=\"note\">Main chains, held in every period: {}.</p>",
            mains.join(", ")
        );
    }
    objective(h, input, plan);
    output(h, input, plan, colors);
    resources(h, input, plan);
    built(h, input, plan);
    h.push_str("</section>\n");
}

/// A table of class `class` and its head: `lead` columns, then one per period.
fn head(h: &mut String, class: &str, lead: &[&str], plan: &Plan) {
    let _ = write!(h, "<table class=\"{class}\"><thead><tr>");
    for c in lead {
        let _ = write!(h, "<th style=\"text-align:left\">{c}</th>");
    }
    for p in timeline::names(plan) {
        let _ = write!(h, "<th>{}</th>", esc(p));
    }
    h.push_str("</tr></thead><tbody>\n");
}

/// A table row: left-aligned `lead` cells (already escaped), then the period cells.
fn row(h: &mut String, lead: &[String], cells: impl Iterator<Item = String>, class: &str) {
    let _ = write!(h, "<tr{class}>");
    for c in lead {
        let _ = write!(h, "<td style=\"text-align:left\">{c}</td>");
    }
    for c in cells {
        let _ = write!(h, "<td>{c}</td>");
    }
    h.push_str("</tr>\n");
}

/// Each period's objective per year, weight and weighted objective; the total.
fn objective(h: &mut String, input: &ReportInput, plan: &Plan) {
    h.push_str("<h3>Objective by period</h3>\n<p class=\"note\">The weight w<sub>t</sub> of a period is its years, discounted when the objective has a discount rate; the objective is Σ w<sub>t</sub> · obj<sub>t</sub>.</p>\n");
    let _ = writeln!(
        h,
        "<table class=\"timeline-objective\"><thead><tr><th>period</th><th>years</th><th>weight</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(&input.head("objective per year", OBJ)),
        esc(&input.head("weighted", OBJ))
    );
    for pp in &plan.periods {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&pp.period),
            pp.years,
            fmt_num(pp.weight),
            input.num(OBJ, pp.plan.objective),
            input.num(OBJ, pp.plan.objective.map(|o| o * pp.weight)),
        );
    }
    let _ = writeln!(
        h,
        "<tr><th style=\"text-align:left\">total</th><th>{}</th><th></th><th></th><th>{}</th></tr>",
        plan.periods.iter().map(|p| p.years).sum::<u32>(),
        input.num(OBJ, plan.objective)
    );
    h.push_str("</tbody></table>\n");
}

/// Output value by period and park: the chart, its legend and the table.
fn output(h: &mut String, input: &ReportInput, plan: &Plan, colors: &Colors) {
    h.push_str("<h3>Output value by period and park, stacked by chain</h3>\n");
    h.push_str(&timeline_chart::output(input, plan, colors));
    let lines = timeline::output(input, plan);
    h.push_str("<ul class=\"legend\">");
    for (c, col) in colors
        .iter()
        .filter(|(c, _)| lines.iter().any(|l| l.chain.as_ref() == Some(c)))
    {
        let _ = write!(
            h,
            "<li><span style=\"background:{col}\"></span>{}</li>",
            esc(&input.named(crate::report::views::Kind::Chain, c))
        );
    }
    h.push_str("</ul>\n");
    head(h, "timeline-output", &["park", "chain"], plan);
    for l in &lines {
        let (park, chain, class) = match (&l.park, &l.chain) {
            (Some(p), Some(c)) => (esc(p), esc(c), ""),
            (Some(p), None) => (esc(p), "total".into(), " class=\"total\""),
            _ => ("city".into(), "total".into(), " class=\"total\""),
        };
        row(
            h,
            &[park, chain],
            l.values
                .iter()
                .map(|v| input.num(crate::report::views::Quantity::Value, Some(*v))),
            class,
        );
    }
    h.push_str("</tbody></table>\n");
}

/// Use against capacity of every limit per period: the grid and the table.
fn resources(h: &mut String, input: &ReportInput, plan: &Plan) {
    h.push_str("<h3>Resource use against capacity, per period</h3>\n<p class=\"note\">Each park's capacities and the city pools: the share used in each period (● the limit binds and has a shadow price). A resource that applies to new activity counts what the period builds.</p>\n");
    let lines = timeline::resources(input, plan);
    h.push_str("<div class=\"row\">\n");
    h.push_str(&timeline_chart::resources(input, plan, &lines));
    h.push_str("<table class=\"timeline-resources\"><thead><tr><th>where</th><th style=\"text-align:left\">resource</th>");
    for p in timeline::names(plan) {
        let _ = write!(h, "<th>{}<br>used / capacity (share)</th>", esc(p));
    }
    h.push_str("</tr></thead><tbody>\n");
    for l in &lines {
        let place = l.park.clone().unwrap_or_else(|| "city pool".into());
        let lead = [esc(&place), esc(&input.labelled(&l.resource, &l.resource))];
        row(h, &lead, l.uses.iter().map(|r| esc(&use_cell(*r))), "");
    }
    h.push_str("</tbody></table>\n</div>\n");
}

/// What each park builds, chain by chain, in each period.
fn built(h: &mut String, input: &ReportInput, plan: &Plan) {
    h.push_str("<h3>Built in each period</h3>\n<p class=\"note\">Activity added in the period, in the chain's unit (the first period over the existing plant).</p>\n");
    let lines = timeline::built(input, plan);
    if lines.is_empty() {
        h.push_str("<p class=\"note\">Nothing is built.</p>\n");
        return;
    }
    let units = timeline::any_unit(&lines);
    let lead: &[&str] = if units {
        &["park", "chain", "unit"]
    } else {
        &["park", "chain"]
    };
    head(h, "timeline-built", lead, plan);
    for l in &lines {
        let mut lead = vec![esc(&l.park), esc(&l.chain)];
        if units {
            lead.push(esc(l.unit.as_deref().unwrap_or_default()));
        }
        let cells = l.values.iter().map(|v| v.map_or("–".into(), fmt_num));
        row(h, &lead, cells, "");
    }
    h.push_str("</tbody></table>\n");
}

/// The overview's objective by period of the plans with periods: each period's weighted
/// objective and the total; nothing when no plan has periods.
pub(super) fn overview(h: &mut String, input: &ReportInput) {
    let names = timeline::all_names(input);
    if names.is_empty() {
        return;
    }
    h.push_str("<h3>Objective by period</h3>\n<p class=\"note\">Each period's objective per year × its weight; they add up to the objective over the horizon.</p>\n");
    h.push_str("<table class=\"timeline-overview\"><thead><tr><th>variant</th>");
    for n in &names {
        let _ = write!(h, "<th>{}</th>", esc(n));
    }
    h.push_str("<th>total</th></tr></thead><tbody>\n");
    for (i, np) in input.plans.iter().enumerate() {
        if np.plan.periods.is_empty() {
            continue;
        }
        let _ = write!(
            h,
            "<tr><td><a href=\"#plan-{i}-timeline\">{}</a></td>",
            esc(&np.label)
        );
        for n in &names {
            let _ = write!(
                h,
                "<td>{}</td>",
                input.num(OBJ, timeline::weighted(&np.plan, n))
            );
        }
        let _ = writeln!(h, "<td>{}</td></tr>", input.num(OBJ, np.plan.objective));
    }
    h.push_str("</tbody></table>\n");
}
