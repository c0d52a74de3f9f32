//! The Pareto front as a line chart: output value against waste reuse, one point per ε, the two
//! ends named.

use std::fmt::Write as _;

use super::svg::{Frame, svg_open};
use crate::analysis::pareto::Front;
use crate::report::views::ReportInput;
use crate::util::numbers::fmt_num;

/// The chart of one front.
pub(super) fn chart(input: &ReportInput, front: &Front) -> String {
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
