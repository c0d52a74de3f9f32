//! The `Changes` sheet of a workbook of several plans: what each plan changes against the base,
//! per park, per zone and for all parks, in long form (one row per place and quantity), from
//! [`crate::report::comparison::changes`].

use super::{Cell, Labels, Table, num, text};
use crate::report::ReportInput;
use crate::report::comparison::changes::{Main, Pair, changes};

/// The sheet's name.
pub const SHEET: &str = "Changes";

/// The sheet: `None` when the workbook holds no plan to compare with the base.
pub(super) fn sheet(input: &ReportInput, l: &Labels) -> Option<Table> {
    let header = [
        "Variant",
        "Base",
        "Level",
        "Place",
        "Quantity",
        "Unit",
        "In base",
        "In variant",
        "Change",
        "Note",
    ];
    let mut t = Table::new(SHEET, header.iter().map(|s| s.to_string()).collect());
    let base = input.base_plan()?;
    let mut any = false;
    for (i, np) in input.plans.iter().enumerate() {
        let Some(c) = changes(input, i) else { continue };
        any = true;
        let lead = |level: &str, place: &str| {
            vec![text(&np.label), text(&base.label), text(level), text(place)]
        };
        for (k, p) in c.parks.iter().chain(&c.zones).enumerate() {
            let level = match (k < c.parks.len(), p.id.is_empty()) {
                (true, _) => "park",
                (false, false) => "zone",
                (false, true) => "all parks",
            };
            let place = if p.id.is_empty() { "all" } else { &p.id };
            if k < c.parks.len() {
                let (b, v, note) = match &p.main {
                    Main::Off => (Cell::Empty, Cell::Empty, "one-main-chain rule off"),
                    Main::Kept(ch) => (text(ch), text(ch), ""),
                    Main::Switched { from, to, tied } => (
                        text(from),
                        text(to),
                        if *tied {
                            "switched, tied: keeping the base's chain reaches the same objective"
                        } else {
                            "switched"
                        },
                    ),
                    Main::None => (Cell::Empty, Cell::Empty, ""),
                };
                let mut row = lead(level, place);
                row.extend([text("main chain"), Cell::Empty, b, v, Cell::Empty]);
                row.push(if note.is_empty() {
                    Cell::Empty
                } else {
                    text(note)
                });
                t.rows.push(row);
            }
            let mut number = |quantity: String, key: &str, pair: Pair| {
                let mut row = lead(level, place);
                row.extend([
                    text(quantity),
                    l.unit(key),
                    num(Some(pair.base)),
                    num(Some(pair.plan)),
                    num(Some(pair.plan - pair.base)),
                    Cell::Empty,
                ]);
                t.rows.push(row);
            };
            number("output value".into(), "output", p.output);
            for u in &p.uses {
                number(format!("{} use", u.resource), &u.resource, u.used);
                number(format!("{} capacity", u.resource), &u.resource, u.capacity);
            }
            number("waste reused".into(), "materials", p.reused);
        }
    }
    any.then_some(t)
}
