//! A plan's shadow prices as horizontal bars (green where more of the limit gains, red where it
//! costs), with their table. Prices of different resources are in different units (per km² of
//! land, per bn CNY of funds), so the bars are grouped by resource, each group under a heading with
//! its unit and with an axis of its own, most valuable first within it: a bar's length compares it
//! with the other prices of its resource only.

use std::fmt::Write as _;

use super::esc;
use super::svg::svg_open;
use crate::plan::Plan;
use crate::report::views::{Quantity, ReportInput, place, price_range, priced, unit_of};
use crate::util::numbers::{fmt_num, fmt_opt};

/// The chart and table of the limits that bind; a note when none does.
pub(super) fn chart(input: &ReportInput, plan: &Plan) -> String {
    let priced = priced(plan);
    if priced.is_empty() {
        return "<p class=\"note\">No resource limit binds.</p>\n".into();
    }
    let (left, right, bar, gap) = (190.0, 80.0, 18.0, 6.0);
    let w = 620.0;
    let h = 10.0 + priced.len() as f64 * (bar + gap);
    let max = |resource: &str| {
        priced
            .iter()
            .filter(|r| r.resource == resource)
            .map(|r| r.shadow_price.unwrap_or(0.0).abs())
            .fold(0.0f64, f64::max)
            .max(1e-12)
    };
    let out = unit_of(plan, "output");
    let per = |resource: &str| {
        let u = unit_of(plan, resource);
        match (out, u) {
            ("", "") => String::new(),
            (o, "") => format!(" {o}"),
            ("", u) => format!(" per {u}"),
            (o, u) => format!(" {o} per {u}"),
        }
    };
    // Resources in the order of their most valuable price; within each, most valuable first (the
    // order of `priced`).
    let mut groups: Vec<(&str, Vec<_>)> = Vec::new();
    for r in &priced {
        match groups.iter_mut().find(|g| g.0 == r.resource) {
            Some(g) => g.1.push(*r),
            None => groups.push((r.resource.as_str(), vec![*r])),
        }
    }
    let h = h + groups.len() as f64 * (bar + gap);
    let mut s = svg_open(
        "shadow",
        w,
        h,
        "Shadow prices by resource, most valuable first",
    );
    let mut i = 0usize;
    for (resource, rows) in &groups {
        let y = 6.0 + i as f64 * (bar + gap);
        let _ = writeln!(
            s,
            "<text x=\"8\" y=\"{:.1}\" font-weight=\"bold\">{}{}</text>",
            y + bar * 0.7,
            esc(resource),
            esc(&per(resource)),
        );
        i += 1;
        for r in rows {
            let v = r.shadow_price.unwrap_or(0.0);
            let y = 6.0 + i as f64 * (bar + gap);
            i += 1;
            let len = v.abs() / max(&r.resource) * (w - left - right);
            let _ = writeln!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{} · {}</text><rect x=\"{left}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bar}\" fill=\"{}\"><title>{} {}: {}{}, holds for {}</title></rect><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                left - 8.0,
                y + bar * 0.7,
                esc(&place(r)),
                esc(&r.resource),
                len.max(1.0),
                if v >= 0.0 { "#59a14f" } else { "#e15759" },
                esc(&place(r)),
                esc(&r.resource),
                fmt_num(v),
                esc(&per(&r.resource)),
                esc(&price_range(r)),
                left + len.max(1.0) + 5.0,
                y + bar * 0.7,
                fmt_num(v)
            );
        }
    }
    s += "</svg>\n<p class=\"note\">Each resource's bars have their own scale: its prices are in its own unit.</p>\n";
    s += "<table><thead><tr><th>where</th><th>resource</th><th>shadow price</th><th>holds for capacity</th><th>used</th><th>capacity</th><th>slack</th></tr></thead><tbody>\n";
    for r in priced {
        let q = Quantity::Resource(&r.resource);
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&place(r)),
            esc(&r.resource),
            fmt_opt(r.shadow_price),
            esc(&per(&r.resource)),
            esc(&price_range(r)),
            esc(&input.amount(q, Some(r.used))),
            esc(&input.amount(q, Some(r.capacity))),
            esc(&input.amount(q, Some(r.slack)))
        );
    }
    s += "</tbody></table>\n";
    s
}
