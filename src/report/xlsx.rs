//! Excel workbooks: one sheet per table of one plan or of several side by side (a sweep's
//! variants, the plans of a comparison, ranked alternatives). Every sheet starts with the variant's
//! label, so that one row holds one fact and a filter or pivot table in the spreadsheet can take
//! the sheet as it is. Numbers are written as numbers, never as text; units stand in the header
//! cells (`Output value (bn CNY/yr)`), or in a `Unit` column where the rows of one column differ
//! in unit (resources). Ids and display names have a column each.
//!
//! A workbook whose plans build chains that come in units (MODEL.md §12) has a `Built in units`
//! sheet after those ([`units`]), and its `Resources` sheet a column of the fixed outlays counted
//! in each use.
//!
//! A workbook of several plans ends with a `Changes` sheet: what each plan changes against the
//! base, per park, per zone and for all parks ([`changes`]).
//!
//! The workbook is built in memory and returned as bytes, for the caller to write whole or not at
//! all (see [`crate::util::atomic`]).
//!
//! One workbook is written in one pass through one writer, and its sheets share the header and
//! number formats defined here; it passes 600 lines because each sheet is a short function of its
//! own, kept beside the formats it uses.

use indexmap::IndexMap;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{ReportError, ReportInput, Row};
use crate::analysis::compare::NamedPlan;
use crate::plan::{Names, Plan, units_of};
use crate::problem::Problem;
use crate::problem::format::MaterialKind;
use crate::util::numbers::pretty_unit;

mod changes;
mod units;

pub use changes::SHEET as CHANGES_SHEET;
pub use units::SHEET as UNITS_SHEET;

/// The sheets of every workbook, in order; one whose plans build chains in units (MODEL.md §12)
/// adds [`UNITS_SHEET`], and one of several plans then [`CHANGES_SHEET`].
pub const SHEETS: [&str; 9] = [
    "Totals",
    "Main chains",
    "Park output",
    "Parks",
    "Activities",
    "Resources",
    "Flows",
    "Purchases",
    "Materials",
];

/// The most rows a sheet holds, its header included (Excel's limit).
pub const MAX_ROWS: usize = 1_048_576;

/// The most columns a sheet holds (Excel's limit).
pub const MAX_COLUMNS: usize = 16_384;

/// The longest text a cell holds (Excel's limit, in UTF-16 units; counted here in characters).
const MAX_TEXT: usize = 32_767;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Number(f64),
    /// A fraction, shown as a percentage; its value stays the fraction.
    Share(f64),
    Empty,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn num(v: Option<f64>) -> Cell {
    match v {
        Some(v) if v.is_finite() => Cell::Number(v),
        _ => Cell::Empty,
    }
}

fn opt_text(s: Option<&String>) -> Cell {
    s.map_or(Cell::Empty, |s| text(s.clone()))
}

/// One table: its sheet name, header and rows.
struct Table {
    name: &'static str,
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    fn new(name: &'static str, header: Vec<String>) -> Table {
        Table {
            name,
            header,
            rows: Vec::new(),
        }
    }
}

/// What the labels and headers are made of: units and display names.
struct Labels {
    units: IndexMap<String, String>,
    names: Names,
}

impl Labels {
    /// `name (unit)`, or the name alone when the unit is not known.
    fn head(&self, name: &str, key: &str) -> String {
        match self.units.get(key) {
            Some(u) => format!("{name} ({})", pretty_unit(u)),
            None => name.to_string(),
        }
    }

    fn unit(&self, key: &str) -> Cell {
        self.units
            .get(key)
            .map_or(Cell::Empty, |u| text(pretty_unit(u)))
    }

    /// A park's display name, else its id.
    fn park(&self, id: &str) -> String {
        self.names
            .parks
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.into())
    }
}

/// The workbook of one plan.
pub fn plan(plan: &Plan) -> Result<Vec<u8>, ReportError> {
    plan_of(plan, None)
}

/// The workbook of one plan of `problem`, whose chains' units of activity then label what is
/// built in units.
pub fn plan_of(plan: &Plan, problem: Option<&Problem>) -> Result<Vec<u8>, ReportError> {
    let plans = [NamedPlan {
        label: plan.variant.clone(),
        plan: plan.clone(),
    }];
    let input = ReportInput {
        title: plan.problem.as_deref().unwrap_or("parkplan plan"),
        plans: &plans,
        problem,
        base: 0,
        rows: &[],
        fronts: &[],
        notes: &[],
        designations: &[],
    };
    report(&input)
}

/// The workbook of a report's variants: one row per variant in `Totals` and the side-by-side
/// sheets, and the variant's label in front of every row of the others.
pub fn report(input: &ReportInput) -> Result<Vec<u8>, ReportError> {
    let tables = tables(input);
    for t in &tables {
        if t.rows.len() + 1 > MAX_ROWS {
            return Err(ReportError::Xlsx(format!(
                "the sheet `{}` would have {} rows, more than the {MAX_ROWS} a sheet holds; write fewer variants to one workbook (`--shard`) or use JSON or CSV",
                t.name,
                t.rows.len() + 1
            )));
        }
        if t.header.len() > MAX_COLUMNS {
            return Err(ReportError::Xlsx(format!(
                "the sheet `{}` would have {} columns, more than the {MAX_COLUMNS} a sheet holds",
                t.name,
                t.header.len()
            )));
        }
    }
    write(input.title, &tables).map_err(|e| ReportError::Xlsx(e.to_string()))
}

/// The units and names of the plans (the first plan that has any), else of the problem.
fn labels(input: &ReportInput) -> Labels {
    let plans = || input.plans.iter().map(|np| &np.plan);
    let units = plans()
        .map(|p| &p.units)
        .find(|u| !u.is_empty())
        .cloned()
        .or_else(|| input.problem.map(units_of))
        .unwrap_or_default();
    let names = plans()
        .map(|p| &p.names)
        .find(|n| !n.is_empty())
        .cloned()
        .or_else(|| input.problem.map(Names::of))
        .unwrap_or_default();
    Labels { units, names }
}

fn tables(input: &ReportInput) -> Vec<Table> {
    // Designations alone (no plan to show): their sheet only.
    if input.plans.is_empty() && !input.designations.is_empty() {
        return vec![designations(input.designations)];
    }
    let l = labels(input);
    let rows = input.rows();
    let with_plan: Vec<(&str, &Plan)> = rows
        .iter()
        .filter_map(|r| {
            let np = &input.plans[r.plan?];
            np.plan
                .status
                .has_plan()
                .then_some((r.label.as_str(), &np.plan))
        })
        .collect();
    let parks = input.parks();
    let mut out = vec![
        totals(input, &rows, &l),
        main_chains(&with_plan, &parks, &l),
        park_output(&with_plan, &parks, &l),
        park_table(&with_plan, &l),
        activities(&with_plan, &l),
        resources(&with_plan, &l),
        flows(&with_plan, &l),
        purchases(&with_plan, &l),
        materials(&with_plan, &l),
    ];
    out.extend(units::sheet(&with_plan, &l, input.problem));
    out.extend(changes::sheet(input, &l));
    if !input.designations.is_empty() {
        out.push(designations(input.designations));
    }
    out
}

/// The name of the sheet of the price of designations ([`designations`]).
pub const DESIGNATIONS_SHEET: &str = "Designations";

/// Every (park, chain) pair priced, in the problem's order: `z(p→c)` and its loss against the
/// optimum, a point or an interval, and the loss as a share of the optimum.
fn designations(all: &[crate::analysis::designations::Designations]) -> Table {
    let unit = all
        .iter()
        .find_map(|d| d.unit())
        .map(|u| format!(" ({})", pretty_unit(u)))
        .unwrap_or_default();
    let mut header = strings(&[
        "Variant",
        "Park",
        "Park name",
        "Main chain",
        "Chain name",
        "Chosen",
        "Status",
    ]);
    for h in ["Objective z(p→c)", "Loss", "Loss low", "Loss high"] {
        header.push(format!("{h}{unit}"));
    }
    header.extend(strings(&["Loss (share of optimum)", "Note"]));
    let mut t = Table::new(DESIGNATIONS_SHEET, header);
    for d in all {
        for x in &d.designations {
            t.rows.push(vec![
                text(&d.variant),
                text(&x.park),
                opt_text(d.names.parks.get(&x.park)),
                text(&x.chain),
                opt_text(d.names.chains.get(&x.chain)),
                if x.chosen { text("yes") } else { Cell::Empty },
                text(x.status.as_str()),
                num(x.objective),
                num(x.loss),
                num(x.loss_low),
                num(x.loss_high),
                x.loss
                    .and_then(|l| d.share(l))
                    .map_or(Cell::Empty, Cell::Share),
                opt_text(x.message.as_ref()),
            ]);
        }
    }
    t
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// One row per variant: how it ended and the plan's totals.
fn totals(input: &ReportInput, rows: &[Row], l: &Labels) -> Table {
    let several = rows.len() > 1;
    let mut header = strings(&["Variant", "Status"]);
    header.extend([
        l.head("Objective", "output"),
        l.head("Output value", "output"),
        l.head("Reuse value", "output"),
        l.head("Transport cost", "output"),
        l.head("Purchase cost", "output"),
        l.head("Disposal cost", "output"),
        l.head("Total waste reuse", "materials"),
        "Waste reuse rate".into(),
        "MIP gap".into(),
    ]);
    if several {
        header.push("Objective change vs base".into());
    }
    header.extend(strings(&[
        "Shadow price basis",
        "Note",
        "Tied main chains",
        "Tie objective",
    ]));
    let mut t = Table::new("Totals", header);
    let base = input.base_plan().map(|np| &np.plan);
    for row in rows {
        let plan = row
            .plan
            .map(|i| &input.plans[i].plan)
            .filter(|p| p.status.has_plan());
        let mut cells = vec![
            text(&row.label),
            text(row.status.as_str()),
            num(plan.and_then(|p| p.objective)),
            num(plan.and_then(|p| p.output_value)),
            num(plan.and_then(|p| p.reuse_value)),
            num(plan.and_then(|p| p.transport_cost)),
            num(plan.and_then(|p| p.purchase_cost)),
            num(plan.and_then(|p| p.disposal_cost)),
            num(plan.and_then(|p| p.total_reuse)),
            plan.and_then(crate::report::comparison::changes::reuse_rate)
                .map_or(Cell::Empty, Cell::Share),
            num(plan.and_then(|p| p.gap)),
        ];
        if several {
            let delta = match (plan.and_then(|p| p.objective), base) {
                (Some(a), Some(b)) if row.plan != Some(input.base) => b.objective.map(|b| a - b),
                _ => None,
            };
            cells.push(num(delta));
        }
        cells.push(opt_text(
            plan.and_then(|p| p.shadow_price_basis)
                .map(|b| b.as_str().to_string())
                .as_ref(),
        ));
        cells.push(opt_text(row.reason.as_ref()));
        let tie = plan.and_then(|p| p.tie.as_ref());
        cells.push(opt_text(
            tie.map(|t| {
                t.main_chains
                    .iter()
                    .map(|(park, chain)| format!("{park} → {chain}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .as_ref(),
        ));
        cells.push(num(tie.map(|t| t.objective)));
        t.rows.push(cells);
    }
    t
}

/// Side by side: one row per variant, one column per park, the main chain's display name.
fn main_chains(plans: &[(&str, &Plan)], parks: &[String], l: &Labels) -> Table {
    let mut header = vec!["Variant".to_string()];
    header.extend(parks.iter().map(|p| l.park(p)));
    let mut t = Table::new("Main chains", header);
    for (label, plan) in plans {
        let mut cells = vec![text(*label)];
        cells.extend(parks.iter().map(|p| {
            plan.main_chains.get(p).map_or(Cell::Empty, |c| {
                text(l.names.chains.get(c).cloned().unwrap_or_else(|| c.clone()))
            })
        }));
        t.rows.push(cells);
    }
    t
}

/// Side by side: one row per variant, one column per park, the park's output value.
fn park_output(plans: &[(&str, &Plan)], parks: &[String], l: &Labels) -> Table {
    let mut header = vec!["Variant".to_string()];
    header.extend(parks.iter().map(|p| l.head(&l.park(p), "output")));
    let mut t = Table::new("Park output", header);
    for (label, plan) in plans {
        let mut cells = vec![text(*label)];
        cells.extend(parks.iter().map(|p| num(plan.park_output.get(p).copied())));
        t.rows.push(cells);
    }
    t
}

/// Each park of each variant: its main chain and output value.
fn park_table(plans: &[(&str, &Plan)], l: &Labels) -> Table {
    let mut header = strings(&[
        "Variant",
        "Park",
        "Park name",
        "Main chain",
        "Main chain name",
    ]);
    header.push(l.head("Output value", "output"));
    let mut t = Table::new("Parks", header);
    for (label, plan) in plans {
        for (park, out) in &plan.park_output {
            let main = plan.main_chains.get(park);
            t.rows.push(vec![
                text(*label),
                text(park),
                opt_text(l.names.parks.get(park)),
                opt_text(main),
                opt_text(main.and_then(|c| l.names.chains.get(c))),
                Cell::Number(*out),
            ]);
        }
    }
    t
}

/// The activity and output value of each active chain in each park.
fn activities(plans: &[(&str, &Plan)], l: &Labels) -> Table {
    let mut header = strings(&[
        "Variant",
        "Park",
        "Park name",
        "Chain",
        "Chain name",
        "Activity (chain's unit)",
    ]);
    header.push(l.head("Output value", "output"));
    let mut t = Table::new("Activities", header);
    for (label, plan) in plans {
        for (park, acts) in &plan.activities {
            for (chain, x) in acts {
                let value = plan.chain_output.get(park).and_then(|v| v.get(chain));
                t.rows.push(vec![
                    text(*label),
                    text(park),
                    opt_text(l.names.parks.get(park)),
                    text(chain),
                    opt_text(l.names.chains.get(chain)),
                    Cell::Number(*x),
                    num(value.copied()),
                ]);
            }
        }
    }
    t
}

/// Use, capacity and shadow price of every constrained resource, per park and per city pool; of
/// the use, the fixed outlays of chains built in units (MODEL.md §12), a column of its own when
/// any plan has them.
fn resources(plans: &[(&str, &Plan)], l: &Labels) -> Table {
    let fixed = plans
        .iter()
        .any(|(_, p)| p.resources.iter().any(|r| r.fixed.is_some()));
    let mut header = strings(&[
        "Variant",
        "Park",
        "Park name",
        "Resource",
        "Resource name",
        "Unit",
        "Used",
        "Capacity",
        "Utilisation",
        "Slack",
        "Shadow price (objective per unit)",
    ]);
    if fixed {
        header.insert(7, "Of which fixed outlays".into());
    }
    let mut t = Table::new("Resources", header);
    for (label, plan) in plans {
        for r in &plan.resources {
            let mut cells = vec![
                text(*label),
                opt_text(r.park.as_ref()),
                match &r.park {
                    Some(p) => opt_text(l.names.parks.get(p)),
                    None => text("city pool"),
                },
                text(&r.resource),
                opt_text(l.names.resources.get(&r.resource)),
                l.unit(&r.resource),
                Cell::Number(r.used),
                Cell::Number(r.capacity),
                r.utilisation.map_or(Cell::Empty, Cell::Share),
                Cell::Number(r.slack),
                num(r.shadow_price),
            ];
            if fixed {
                cells.insert(7, num(r.fixed.or(Some(0.0))));
            }
            t.rows.push(cells);
        }
    }
    t
}

/// Material flows between parks (within a park when from and to are the same).
fn flows(plans: &[(&str, &Plan)], l: &Labels) -> Table {
    let mut header = strings(&[
        "Variant",
        "Material",
        "Material name",
        "From",
        "From name",
        "To",
        "To name",
    ]);
    header.push(l.head("Amount", "materials"));
    let mut t = Table::new("Flows", header);
    for (label, plan) in plans {
        for f in &plan.flows {
            t.rows.push(vec![
                text(*label),
                text(&f.material),
                opt_text(l.names.materials.get(&f.material)),
                text(&f.from),
                opt_text(l.names.parks.get(&f.from)),
                text(&f.to),
                opt_text(l.names.parks.get(&f.to)),
                Cell::Number(f.amount),
            ]);
        }
    }
    t
}

/// Materials bought from outside.
fn purchases(plans: &[(&str, &Plan)], l: &Labels) -> Table {
    let mut header = strings(&["Variant", "Material", "Material name", "Park", "Park name"]);
    header.push(l.head("Amount", "materials"));
    let mut t = Table::new("Purchases", header);
    for (label, plan) in plans {
        for b in &plan.purchases {
            t.rows.push(vec![
                text(*label),
                text(&b.material),
                opt_text(l.names.materials.get(&b.material)),
                text(&b.park),
                opt_text(l.names.parks.get(&b.park)),
                Cell::Number(b.amount),
            ]);
        }
    }
    t
}

/// Generation, reuse and purchase of each material, and what is not reused: disposed of for a
/// waste, sold or left over for a product (the kind is beside it).
fn materials(plans: &[(&str, &Plan)], l: &Labels) -> Table {
    let mut header = strings(&["Variant", "Material", "Material name", "Kind"]);
    for h in ["Generated", "Reused", "Bought", "Not reused"] {
        header.push(l.head(h, "materials"));
    }
    let mut t = Table::new("Materials", header);
    for (label, plan) in plans {
        for m in &plan.materials {
            t.rows.push(vec![
                text(*label),
                text(&m.material),
                opt_text(l.names.materials.get(&m.material)),
                text(match m.kind {
                    MaterialKind::Waste => "waste",
                    MaterialKind::Product => "product",
                }),
                Cell::Number(m.generated),
                Cell::Number(m.reused),
                Cell::Number(m.bought),
                Cell::Number(m.disposed),
            ]);
        }
    }
    t
}

/// Writes the tables into a workbook in memory.
fn write(title: &str, tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_properties(&rust_xlsxwriter::DocProperties::new().set_title(clip(title)));
    let bold = Format::new().set_bold();
    let share = Format::new().set_num_format("0.0%");
    for t in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(t.name)?;
        for (c, h) in t.header.iter().enumerate() {
            sheet.write_string_with_format(0, col(c), clip(h), &bold)?;
        }
        for (r, cells) in t.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
            for (c, cell) in cells.iter().enumerate() {
                put(sheet, r, col(c), cell, &share)?;
            }
        }
        sheet.set_freeze_panes(1, 1)?;
        sheet.autofit();
    }
    book.save_to_buffer()
}

fn put(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    cell: &Cell,
    share: &Format,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(s) => sheet.write_string(r, c, clip(s)).map(|_| ()),
        Cell::Number(v) => sheet.write_number(r, c, *v).map(|_| ()),
        Cell::Share(v) => sheet.write_number_with_format(r, c, *v, share).map(|_| ()),
        Cell::Empty => Ok(()),
    }
}

/// A column index; [`report`] has checked that every table fits.
fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Text cut to what a cell holds.
fn clip(s: &str) -> String {
    if s.encode_utf16().count() <= MAX_TEXT {
        return s.to_string();
    }
    let mut out = String::new();
    let mut units = 0;
    for ch in s.chars() {
        units += ch.len_utf16();
        if units > MAX_TEXT - 1 {
            break;
        }
        out.push(ch);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_to_what_a_cell_holds() {
        let long = "é".repeat(MAX_TEXT + 10);
        let cut = clip(&long);
        assert_eq!(cut.encode_utf16().count(), MAX_TEXT);
        assert!(cut.ends_with('…'));
        assert_eq!(clip("short"), "short");
    }

    #[test]
    fn a_plan_without_a_solution_still_has_every_sheet() {
        let plan: Plan = serde_json::from_str(r#"{"status": "infeasible"}"#).unwrap();
        let bytes = super::plan(&plan).unwrap();
        // An xlsx file is a zip archive.
        assert_eq!(&bytes[..2], b"PK");
        let t = tables(&ReportInput {
            title: "t",
            plans: &[NamedPlan {
                label: "base".into(),
                plan,
            }],
            problem: None,
            base: 0,
            rows: &[],
            fronts: &[],
            notes: &[],
            designations: &[],
        });
        let names: Vec<_> = t.iter().map(|t| t.name).collect();
        assert_eq!(names, SHEETS);
        assert_eq!(t[0].rows.len(), 1);
        assert_eq!(t[0].rows[0][1], text("infeasible"));
        assert!(t[1..].iter().all(|t| t.rows.is_empty()));
    }
}
