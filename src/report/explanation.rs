//! An [`Explanation`] of an infeasible problem as text for a terminal.

use crate::analysis::explain::Explanation;
use crate::solver::SolveStatus;
use crate::util::numbers::fmt_amount;

/// An explanation as text for a terminal.
pub fn text(e: &Explanation) -> String {
    let mut s = String::new();
    let title = e.problem.as_deref().unwrap_or("parkplan");
    s += &format!("{title} — variant `{}`\n", e.variant);
    if e.status != SolveStatus::Infeasible {
        s += &format!(
            "status: {} — the problem is not infeasible; there is nothing to explain\n",
            e.status
        );
        return s;
    }
    s += "status: infeasible — no plan meets every limit and rule\n\n";
    let stop = e.stopped_by.map(|c| c.words()).unwrap_or("a stop");
    if e.proven_smallest {
        s +=
            "The smallest set of changes that makes it feasible (each change weighed by its size\n";
        s += "relative to the limit it moves; closing existing plant ten times dearer):\n";
    } else {
        s += &format!(
            "A set of changes that makes it feasible, found before {stop} stopped the search:\n"
        );
        s += "it may be larger than needed, as the smallest one was not proven (each change weighed\n";
        s += "by its size relative to the limit it moves; closing existing plant ten times dearer):\n";
    }
    for (i, c) in e.changes.iter().enumerate() {
        s += &format!("  {}. {}\n", i + 1, c.message);
    }
    if e.units {
        s += "\nSome chains here come in units (`build:`): these changes are the least with which a\n";
        s +=
            "plan builds whole units, at least each minimum, and pays each fixed outlay. A limit\n";
        s += "moves by what whole plant needs, so a change may be larger than a sliver of plant\n";
        s += "would need, and a smaller one does not suffice.\n";
    }
    let best_stopped = e
        .status_after
        .is_some_and(|st| st != SolveStatus::Optimal && st != SolveStatus::Unbounded);
    if let Some(obj) = e.objective_after {
        if best_stopped {
            s += &format!(
                "\nWith these changes the best plan found before {stop} stopped the search (not proven\nthe best) has objective {}",
                fmt_amount(obj)
            );
        } else {
            s += &format!(
                "\nWith these changes the best plan's objective is {}",
                fmt_amount(obj)
            );
        }
        if !e.main_chains_after.is_empty() {
            let list: Vec<String> = e
                .main_chains_after
                .iter()
                .map(|(p, c)| format!("{p}={c}"))
                .collect();
            s += &format!(", with main chains {}", list.join(", "));
        }
        s += ".\n";
    } else if e.status_after == Some(SolveStatus::Unbounded) {
        s += "\nWith these changes the problem is feasible but unbounded: some chain can grow without limit.\n";
    } else if e.stopped_by.is_some() {
        s += &format!("\nStopped by {stop} before the best plan with these changes was found.\n");
    }
    s
}
