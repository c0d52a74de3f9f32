//! The overview's bar chart: the objective of every variant, the base darker, variants without
//! a plan named with their status and why.

use std::fmt::Write as _;

use super::esc;
use super::svg::{svg_open, tick_label, tick_step};
use crate::report::views::{Quantity, ReportInput};

/// The chart of the objective by variant.
pub(super) fn chart(input: &ReportInput) -> String {
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
                    input.num(Quantity::Objective, Some(*v)),
                    a.max(b) + 5.0,
                    y + bar * 0.68,
                    input.num(Quantity::Objective, Some(*v))
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
