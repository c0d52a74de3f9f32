//! A comparison in Markdown: one pipe table per park, then the totals.

use super::table::{cell, label};
use crate::analysis::compare::{Comparison, Line};

/// Renders a comparison as Markdown.
pub fn render(c: &Comparison) -> String {
    let base = c.variants.iter().position(|v| v == &c.base).unwrap_or(0);
    let mut s = format!(
        "# {} — plans compared\n\nBase: `{}`. Each cell gives the value and, for the other plans, the change against the base (Δ).\n",
        c.problem.as_deref().unwrap_or("parkplan"),
        c.base
    );
    let table = |lines: &[Line]| {
        let mut t = String::from("|  |");
        for (i, v) in c.variants.iter().enumerate() {
            t += &if i == base {
                format!(" {v} (base) |")
            } else {
                format!(" {v} |")
            };
        }
        t += "\n|---|";
        t += &"---:|".repeat(c.variants.len());
        t += "\n";
        for l in lines {
            t += &format!("| {} |", label(l));
            for i in 0..c.variants.len() {
                t += &format!(" {} |", cell(l, i, base, true));
            }
            t += "\n";
        }
        t
    };
    for park in &c.parks {
        s += &format!("\n## Park {}\n\n", park.park);
        s += &table(&park.lines);
    }
    s += "\n## Totals\n\n";
    s += &table(&c.totals);
    s
}
