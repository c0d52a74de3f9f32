//! The lines the text and Markdown comparisons show of multi-period plans: the objective by
//! period, and each period's lines with every park's lines under its name.

use crate::analysis::compare::{Comparison, Line, PeriodLines};

/// Each period's weighted objective, labelled by the period, then the objective over the horizon
/// labelled `total`: what sums to what.
pub(super) fn objective_lines(c: &Comparison) -> Vec<Line> {
    let mut lines: Vec<Line> = c
        .periods
        .iter()
        .filter_map(|p| {
            let l = p.totals.iter().find(|l| l.item == "weighted_objective")?;
            Some(Line {
                label: format!("{} (weighted)", p.period),
                ..l.clone()
            })
        })
        .collect();
    if let Some(l) = c.totals.iter().find(|l| l.item == "objective") {
        lines.push(Line {
            label: "total over the horizon".into(),
            ..l.clone()
        });
    }
    lines
}

/// A period's lines: its totals, then every park's lines labelled `park: line`.
pub(super) fn period_lines(p: &PeriodLines) -> Vec<Line> {
    let mut lines = p.totals.clone();
    for park in &p.parks {
        lines.extend(park.lines.iter().map(|l| Line {
            label: format!("{}: {}", park.park, l.label),
            ..l.clone()
        }));
    }
    lines
}
