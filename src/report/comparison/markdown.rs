//! A comparison in Markdown: one pipe table per park, then the totals; for plans with periods,
//! the objective by period and a table per period.

use super::periods;
use super::table::{cell, label};
use crate::analysis::compare::{Comparison, Line};
use crate::report::md_table::{Align, Table};

/// Renders a comparison as Markdown.
pub fn render(c: &Comparison) -> String {
    let base = c.variants.iter().position(|v| v == &c.base).unwrap_or(0);
    let mut s = format!(
        "# {} — plans compared\n\nBase: `{}`. Each cell gives the value and, for the other plans, the change against the base (Δ).\n",
        c.problem.as_deref().unwrap_or("parkplan"),
        c.base
    );
    let table = |lines: &[Line]| {
        let header = c.variants.iter().enumerate().map(|(i, v)| {
            if i == base {
                format!("{v} (base)")
            } else {
                v.clone()
            }
        });
        let align = c.variants.iter().map(|_| Align::Right);
        let mut t = Table::new(
            std::iter::once(String::new()).chain(header),
            std::iter::once(Align::Left).chain(align),
        );
        for l in lines {
            let cells = (0..c.variants.len()).map(|i| cell(l, i, base, true));
            t.row(std::iter::once(label(l)).chain(cells));
        }
        t.finish()
    };
    for park in &c.parks {
        s += &format!("\n## Park {}\n\n", park.park);
        s += &table(&park.lines);
    }
    s += "\n## Totals\n\n";
    s += &table(&c.totals);
    if !c.periods.is_empty() {
        s += "\n## Objective by period\n\nEach period's objective per year × its weight; they add up to the total over the horizon.\n\n";
        s += &table(&periods::objective_lines(c));
        for p in &c.periods {
            s += &format!(
                "\n## Period {}\n\nValues per year of the period; the weighted objective is its part of the total.\n\n",
                p.period
            );
            s += &table(&periods::period_lines(p));
        }
    }
    s
}
