//! What a scenario changes against the base, as a table beside the scenario's charts (the rows
//! of [`crate::report::comparison::changes`]).

use std::fmt::Write as _;

use super::esc;
use crate::report::comparison::changes::{self, Changes};
use crate::report::views::ReportInput;

/// The change table of plan `label` against the base.
pub(super) fn table(h: &mut String, input: &ReportInput, label: &str, c: &Changes) {
    let base = input.base_plan().map_or("base", |np| np.label.as_str());
    let _ = writeln!(
        h,
        "<h3>Changes against <code>{}</code></h3>\n<p class=\"note\">Each cell is {} → {} (change), or one value where nothing changes; a use whose capacity the scenario changes says so. Parks first, then each zone summed and all parks.</p>",
        esc(base),
        esc(base),
        esc(label)
    );
    h.push_str("<table class=\"changes\"><thead><tr>");
    for head in changes::header(input, c) {
        let _ = write!(h, "<th>{}</th>", esc(&head));
    }
    h.push_str("</tr></thead><tbody>\n");
    for (k, p) in c.parks.iter().chain(&c.zones).enumerate() {
        let zone = if k >= c.parks.len() {
            " class=\"zone\""
        } else {
            ""
        };
        let _ = write!(h, "<tr{zone}>");
        for (j, cell) in changes::row(input, p).iter().enumerate() {
            let changed = j > 0 && cell.contains('→');
            let class = if changed { " class=\"changed\"" } else { "" };
            let _ = write!(h, "<td{class}>{}</td>", esc(cell));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
    let (n, tied) = changes::switches(c);
    if n > 0 {
        let tie = if tied > 0 {
            format!(", {tied} of them tied (an equally good plan keeps the base's chain)")
        } else {
            String::new()
        };
        let _ = writeln!(h, "<p class=\"note\">{n} main chain(s) switched{tie}.</p>");
    }
}
