//! The overview's scatter chart: output value against waste reuse, one mark per plan. Plans at
//! one point share a mark and a label; when the names do not fit, numbers and a key stand for
//! them.

use std::fmt::Write as _;

use super::esc;
use super::svg::{Frame, place_labels, svg_open};
use crate::report::views::{Quantity, ReportInput};

/// Plans at one point: their indices in the input, and the point's reuse and output value.
type Group = (Vec<usize>, f64, f64);

/// The chart of output value against waste reuse of every plan.
pub(super) fn chart(input: &ReportInput) -> String {
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
    let groups = group(&pts);
    let names: Vec<Vec<&str>> = groups
        .iter()
        .map(|(members, _, _)| {
            members
                .iter()
                .map(|&i| input.plans[i].label.as_str())
                .collect()
        })
        .collect();
    let anchors: Vec<(f64, f64)> = groups
        .iter()
        .map(|g| (frame.sx(g.1), frame.sy(g.2)))
        .collect();
    let (labels, spots, keyed) = labels(&names, &anchors, w);
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
            input.amount(Quantity::Value, Some(*y)),
            input.amount(Quantity::Material, Some(*x)),
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

/// Plans at one point (a sweep's variants that change nothing) in one group, in order of their
/// first plan.
fn group(pts: &[(usize, f64, f64)]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for &(i, x, y) in pts {
        let same = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
        match groups.iter_mut().find(|g| same(g.1, x) && same(g.2, y)) {
            Some(g) => g.0.push(i),
            None => groups.push((vec![i], x, y)),
        }
    }
    groups
}

/// The label of each group and where it goes: its names beside the points when they all fit
/// without overlapping, else numbers (the `true` says a key must follow).
fn labels(
    names: &[Vec<&str>],
    anchors: &[(f64, f64)],
    w: f64,
) -> (Vec<String>, Vec<(f64, f64)>, bool) {
    let full: Vec<String> = names
        .iter()
        .map(|n| match n.len() {
            1 => n[0].to_string(),
            k => format!("{} +{} more", n[0], k - 1),
        })
        .collect();
    if let Some(spots) = place_labels(anchors, &full, w) {
        return (full, spots, false);
    }
    let numbers: Vec<String> = (1..=names.len()).map(|k| k.to_string()).collect();
    let spots = place_labels(anchors, &numbers, w).unwrap_or_else(|| {
        anchors
            .iter()
            .map(|&(px, py)| (px + 9.0, py - 7.0))
            .collect()
    });
    (numbers, spots, true)
}
