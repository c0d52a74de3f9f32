//! Writing a problem as tables, in the layout of [`super::layout`]: a [`Book`] of sheets, saved
//! as an xlsx workbook (headers with units, frozen header rows, lists of parks and chains to pick
//! from) or as a folder of CSV files. What is written reads back to the same problem.
//!
//! Writing is the mirror of `read.rs`, one arm per sheet of `layout::SHEETS` in the same order,
//! with the xlsx and CSV back ends at the end; it stays one file, past 600 lines, so that a sheet's
//! reading and writing can be compared arm by arm.

use std::path::Path;

use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook, XlsxError};
use serde_yaml::{Mapping, Value};

use super::layout::{self, Kind};
use super::read::yaml_value;
use super::{Book, CSV_MARKER, Cell, Sheet};
use crate::problem::format::{AcrossZones, Problem, SweepValues};

/// The example problem of the template workbook (`parkplan convert --template`), with its known
/// optimum derived by hand in its comments.
pub const TEMPLATE: &str = include_str!("template.yaml");

/// The template's problem.
pub fn template() -> Problem {
    serde_yaml::from_str(TEMPLATE).expect("the template is a valid problem")
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn opt_text(s: &Option<String>) -> Cell {
    s.as_ref().map_or(Cell::Empty, |s| text(s.clone()))
}

fn opt_number(x: Option<f64>) -> Cell {
    x.map_or(Cell::Empty, Cell::Number)
}

/// A value of a `Value` column as a cell that reads back to the same value.
fn value_cell(v: &Value) -> Cell {
    match v {
        Value::Number(n) => n.as_f64().map_or(Cell::Empty, Cell::Number),
        Value::Bool(b) => Cell::Bool(*b),
        Value::String(s) => {
            if !s.is_empty() && yaml_value(s) == Value::String(s.clone()) {
                text(s.clone())
            } else {
                text(serde_json::to_string(s).unwrap_or_default())
            }
        }
        Value::Null => text("~"),
        other => text(serde_json::to_string(other).unwrap_or_default()),
    }
}

/// Whether a key can stand in a dotted path and read back as itself.
fn simple_key(k: &Value) -> bool {
    k.as_str().is_some_and(|k| {
        !k.is_empty() && k.trim() == k && !k.contains(['.', '[', ']']) && !k.contains(' ')
    })
}

/// A nested value as `(dotted path, leaf)` rows: mappings opened key by key, lists of mappings
/// item by item (`alternatives[0]`), anything else a leaf. Nulls are left out unless kept.
fn flatten(prefix: &str, v: &Value, keep_null: bool, out: &mut Vec<(String, Value)>) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        Value::Null if !keep_null => {}
        Value::Mapping(m) if !m.is_empty() && m.keys().all(simple_key) => {
            for (k, v) in m {
                flatten(&join(k.as_str().unwrap_or_default()), v, keep_null, out);
            }
        }
        Value::Sequence(items)
            if !prefix.is_empty()
                && !items.is_empty()
                && items
                    .iter()
                    .all(|i| matches!(i, Value::Mapping(m) if !m.is_empty())) =>
        {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), item, keep_null, out);
            }
        }
        leaf => out.push((prefix.to_string(), leaf.clone())),
    }
}

fn to_value<T: serde::Serialize>(t: &T) -> Value {
    serde_yaml::to_value(t).unwrap_or(Value::Null)
}

/// A header with its unit, when one is known: `land (km2)`.
fn with_unit(key: &str, unit: Option<&str>) -> Cell {
    match unit {
        Some(u) if !u.is_empty() => text(format!("{key} ({u})")),
        _ => text(key),
    }
}

/// The problem's tables, every sheet of the layout present with its header.
pub fn book_of(p: &Problem) -> Book {
    let value_unit = p.units.get("output").map(|u| format!("{u} per unit"));
    let mut sheets = Vec::new();
    for spec in layout::SHEETS {
        let mut header: Vec<Cell> = spec
            .columns
            .iter()
            .map(|c| {
                let unit = match (spec.name, c.key) {
                    ("chains", "output")
                    | ("materials", "reuse_value" | "disposal_cost" | "external_price")
                    | ("exchange_costs", "cost") => value_unit.as_deref(),
                    ("materials", "external_limit") => p.units.get("materials").map(String::as_str),
                    ("uses" | "chain_materials", "amount") => Some("per unit of activity"),
                    _ => None,
                };
                with_unit(c.key, unit)
            })
            .collect();
        let mut rows = Vec::new();
        match spec.name {
            "settings" => settings(p, &mut rows),
            "units" => {
                for (k, u) in &p.units {
                    rows.push(vec![text(k.clone()), text(u.clone())]);
                }
            }
            "resources" => {
                for (id, r) in &p.resources {
                    rows.push(vec![
                        text(id.clone()),
                        opt_text(&r.name),
                        opt_text(&r.unit),
                        opt_number(r.pool),
                        value_cell(&to_value(&r.applies_to)),
                    ]);
                }
            }
            "zones" => {
                for (id, z) in &p.zones {
                    rows.push(vec![text(id.clone()), opt_text(&z.name)]);
                }
            }
            "parks" => {
                let mut resources: Vec<&String> = p.resources.keys().collect();
                for park in p.parks.values() {
                    for r in park.capacity.keys() {
                        if !resources.contains(&r) {
                            resources.push(r);
                        }
                    }
                }
                for r in &resources {
                    let unit = p
                        .units
                        .get(*r)
                        .or_else(|| p.resources.get(*r).and_then(|x| x.unit.as_ref()));
                    header.push(with_unit(r, unit.map(String::as_str)));
                }
                for (id, park) in &p.parks {
                    let mut row =
                        vec![text(id.clone()), opt_text(&park.name), opt_text(&park.zone)];
                    row.extend(
                        resources
                            .iter()
                            .map(|r| opt_number(park.capacity.get(*r).copied())),
                    );
                    rows.push(row);
                }
            }
            "chains" => {
                for (id, c) in &p.chains {
                    rows.push(vec![
                        text(id.clone()),
                        opt_text(&c.name),
                        opt_text(&c.unit),
                        Cell::Number(c.output),
                        opt_number(c.max_per_park),
                        opt_number(c.max_total),
                        opt_number(c.build.as_ref().and_then(|b| b.unit)),
                        opt_number(c.build.as_ref().and_then(|b| b.min)),
                    ]);
                }
            }
            "uses" => rows.extend(long_rows(p.chains.iter().map(|(id, c)| (id, &c.uses)))),
            "build_fixed" => rows.extend(long_rows(
                p.chains
                    .iter()
                    .filter_map(|(id, c)| c.build.as_ref().map(|b| (id, &b.fixed))),
            )),
            "chain_materials" => {
                rows.extend(long_rows(p.chains.iter().map(|(id, c)| (id, &c.materials))))
            }
            "supports" => {
                for (id, c) in &p.chains {
                    for s in &c.supports {
                        rows.push(vec![text(id.clone()), text(s.clone())]);
                    }
                }
            }
            "materials" => {
                for (id, m) in &p.materials {
                    rows.push(vec![
                        text(id.clone()),
                        opt_text(&m.name),
                        opt_text(&m.unit),
                        value_cell(&to_value(&m.kind)),
                        Cell::Number(m.reuse_value),
                        Cell::Number(m.disposal_cost),
                        m.external
                            .as_ref()
                            .map_or(Cell::Empty, |e| Cell::Number(e.price)),
                        opt_number(m.external.as_ref().and_then(|e| e.limit)),
                    ]);
                }
            }
            "existing" => rows.extend(long_rows(
                p.parks.iter().map(|(id, park)| (id, &park.existing)),
            )),
            "allowed" => {
                for (id, park) in &p.parks {
                    match &park.allowed {
                        Some(list) if list.is_empty() => rows.push(vec![text(id.clone())]),
                        Some(list) => {
                            for c in list {
                                rows.push(vec![text(id.clone()), text(c.clone())]);
                            }
                        }
                        None => {}
                    }
                }
            }
            "exchange_costs" => {
                if let Some(AcrossZones::Costs(c)) = &p.exchange.across_zones {
                    for (k, &cost) in &c.cost {
                        rows.push(vec![text(k.clone()), Cell::Number(cost)]);
                    }
                }
            }
            "scenarios" => {
                for (name, s) in &p.scenarios {
                    let start = rows.len();
                    changes(
                        name,
                        None,
                        &s.description,
                        &s.set,
                        &s.scale,
                        &s.merge,
                        &mut rows,
                    );
                    if rows.len() == start {
                        rows.push(vec![text(name.clone())]);
                    }
                }
            }
            "periods" => {
                for (name, s) in &p.periods {
                    let start = rows.len();
                    changes(
                        name,
                        s.years,
                        &s.description,
                        &s.set,
                        &s.scale,
                        &s.merge,
                        &mut rows,
                    );
                    if rows.len() == start {
                        rows.push(vec![text(name.clone())]);
                    }
                }
            }
            "sweeps" => {
                for (name, s) in &p.sweeps {
                    let mut first = true;
                    let mut desc = || {
                        if std::mem::take(&mut first) {
                            opt_text(&s.description)
                        } else {
                            Cell::Empty
                        }
                    };
                    for (path, values) in &s.vary {
                        match values {
                            SweepValues::List(items) if items.is_empty() => {
                                rows.push(vec![text(name.clone()), desc(), text(path.clone())]);
                            }
                            SweepValues::List(items) => {
                                for v in items {
                                    rows.push(vec![
                                        text(name.clone()),
                                        desc(),
                                        text(path.clone()),
                                        value_cell(v),
                                    ]);
                                }
                            }
                            SweepValues::Range { from, to, steps } => rows.push(vec![
                                text(name.clone()),
                                desc(),
                                text(path.clone()),
                                Cell::Empty,
                                Cell::Number(*from),
                                Cell::Number(*to),
                                Cell::Number(*steps as f64),
                            ]),
                        }
                    }
                    if s.vary.is_empty() {
                        rows.push(vec![text(name.clone()), desc()]);
                    }
                }
            }
            "uncertainty" => {
                if let Some(u) = &p.uncertainty {
                    for (s, &prob) in &u.scenarios {
                        rows.push(vec![text(s.clone()), Cell::Number(prob)]);
                    }
                }
            }
            "expected" => {
                let all = std::iter::once((None, &p.expected))
                    .chain(p.scenarios.iter().map(|(n, s)| (Some(n), &s.expected)));
                for (scenario, expected) in all {
                    let Some(e) = expected else { continue };
                    let mut leaves = Vec::new();
                    flatten("", &to_value(e), false, &mut leaves);
                    for (path, v) in leaves {
                        rows.push(vec![
                            scenario.map_or(Cell::Empty, |s| text(s.clone())),
                            text(path),
                            value_cell(&v),
                        ]);
                    }
                }
            }
            _ => {}
        }
        let mut all = vec![header];
        all.extend(rows);
        sheets.push(Sheet {
            name: spec.name.to_string(),
            rows: all,
        });
    }
    Book { sheets, csv: false }
}

/// The `settings` rows: name, description, and every single value of exchange, rules, objective
/// and the robust measure.
fn settings(p: &Problem, rows: &mut Vec<Vec<Cell>>) {
    for (key, v) in [("name", &p.name), ("description", &p.description)] {
        if let Some(v) = v {
            rows.push(vec![text(key), text(v.clone())]);
        }
    }
    let mut m = Mapping::new();
    let mut exchange = Mapping::new();
    exchange.insert("within_zone".into(), Value::Bool(p.exchange.within_zone));
    match &p.exchange.across_zones {
        Some(AcrossZones::Flag(b)) => {
            exchange.insert("across_zones".into(), Value::Bool(*b));
        }
        Some(AcrossZones::Costs(c)) if c.cost.is_empty() => {
            exchange.insert("across_zones".into(), Value::Mapping(Mapping::new()));
        }
        _ => {}
    }
    m.insert("exchange".into(), Value::Mapping(exchange));
    m.insert("rules".into(), to_value(&p.rules));
    m.insert("objective".into(), to_value(&p.objective));
    if let Some(u) = &p.uncertainty {
        let mut um = Mapping::new();
        um.insert("measure".into(), to_value(&u.measure));
        m.insert("uncertainty".into(), Value::Mapping(um));
    }
    let mut leaves = Vec::new();
    flatten("", &Value::Mapping(m), false, &mut leaves);
    for (path, v) in leaves {
        rows.push(vec![text(path), value_cell(&v)]);
    }
}

/// The rows of one scenario's or period's changes.
fn changes(
    name: &str,
    years: Option<u32>,
    description: &Option<String>,
    set: &crate::problem::format::Map<Value>,
    scale: &crate::problem::format::Map<f64>,
    merge: &Option<Value>,
    rows: &mut Vec<Vec<Cell>>,
) {
    let row = |change: &str, path: Cell, value: Cell| vec![text(name), text(change), path, value];
    if let Some(y) = years {
        rows.push(row("years", Cell::Empty, Cell::Number(f64::from(y))));
    }
    if let Some(d) = description {
        rows.push(row("description", Cell::Empty, text(d.clone())));
    }
    for (path, v) in set {
        rows.push(row("set", text(path.clone()), value_cell(v)));
    }
    for (path, &f) in scale {
        rows.push(row("scale", text(path.clone()), Cell::Number(f)));
    }
    if let Some(m) = merge {
        let mut leaves = Vec::new();
        flatten("", m, true, &mut leaves);
        for (path, v) in leaves {
            let path = if path.is_empty() {
                Cell::Empty
            } else {
                text(path)
            };
            rows.push(row("merge", path, value_cell(&v)));
        }
    }
}

/// The rows of a long table of numbers: one (id, key, amount) row for each entry of each thing's
/// map, in the document's order.
fn long_rows<'a>(
    maps: impl IntoIterator<Item = (&'a String, &'a crate::problem::format::Map<f64>)>,
) -> Vec<Vec<Cell>> {
    maps.into_iter()
        .flat_map(|(id, map)| {
            map.iter()
                .map(move |(key, &v)| vec![text(id.clone()), text(key.clone()), Cell::Number(v)])
        })
        .collect()
}

/// Which sheet's ids a column names, for a list to pick from in the workbook.
fn list_of(sheet: &str, column: &str) -> Option<&'static str> {
    Some(match (sheet, column) {
        ("parks", "zone") => "zones",
        (
            "uses" | "chain_materials" | "build_fixed" | "supports" | "existing" | "allowed",
            "chain",
        )
        | ("supports", "supports") => "chains",
        ("existing" | "allowed", "park") => "parks",
        ("uses" | "build_fixed", "resource") => "resources",
        ("chain_materials" | "exchange_costs", "material") => "materials",
        ("expected", "scenario") => "scenarios",
        _ => return None,
    })
}

/// The last row a list to pick from covers (Excel's last row).
const LAST_ROW: u32 = 1_048_575;

/// The book as an xlsx workbook: bold, frozen headers with units, columns wide enough, and lists
/// of ids (parks, chains, resources, materials, zones) and words to pick from.
pub fn xlsx(book: &Book) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color(rust_xlsxwriter::Color::RGB(0xDDE6F0))
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    for sheet in &book.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.name)?;
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Cell::Text(s) if r == 0 => ws.write_string_with_format(r, c, s, &head)?,
                    Cell::Text(s) => ws.write_string(r, c, s)?,
                    Cell::Number(x) => ws.write_number(r, c, *x)?,
                    Cell::Bool(b) => ws.write_boolean(r, c, *b)?,
                    Cell::Formula(f) => ws.write_formula(r, c, f.as_str())?,
                    Cell::Empty => ws,
                };
            }
        }
        ws.set_freeze_panes(1, 0)?;
        let header = sheet.rows.first().cloned().unwrap_or_default();
        for (c, h) in header.iter().enumerate() {
            let Cell::Text(h) = h else { continue };
            let key = layout::header_key(h);
            let width = sheet
                .rows
                .iter()
                .filter_map(|r| match r.get(c) {
                    Some(Cell::Text(s)) => Some(s.chars().count()),
                    Some(Cell::Number(_)) => Some(10),
                    _ => None,
                })
                .max()
                .unwrap_or(8)
                .clamp(8, 60);
            ws.set_column_width(c as u16, width as f64 + 2.0)?;
            let kind = layout::spec(&sheet.name)
                .and_then(|s| s.columns.iter().find(|col| col.key == key))
                .map(|col| col.kind);
            let validation = if let Some(source) = list_of(&sheet.name, key) {
                Some(
                    DataValidation::new()
                        .allow_list_formula(Formula::new(format!(
                            "={source}!$A$2:$A${}",
                            LAST_ROW + 1
                        )))
                        .ignore_blank(true),
                )
            } else if let Some(Kind::Word(words)) = kind {
                Some(
                    DataValidation::new()
                        .allow_list_strings(words)?
                        .ignore_blank(true),
                )
            } else {
                None
            };
            if let Some(v) = validation {
                ws.add_data_validation(1, c as u16, LAST_ROW, c as u16, &v)?;
            }
        }
    }
    wb.save_to_buffer()
}

/// The book as CSV files: `(file name, text)`, one per sheet.
pub fn csv_files(book: &Book) -> Vec<(String, String)> {
    book.sheets
        .iter()
        .map(|sheet| {
            let width = sheet.rows.first().map_or(0, Vec::len);
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(Vec::new());
            for row in &sheet.rows {
                let mut fields: Vec<String> = row
                    .iter()
                    .map(|c| match c {
                        Cell::Empty => String::new(),
                        Cell::Text(s) => s.clone(),
                        Cell::Number(x) => format!("{x}"),
                        Cell::Bool(b) => b.to_string(),
                        Cell::Formula(f) => format!("={f}"),
                    })
                    .collect();
                fields.resize(width.max(fields.len()), String::new());
                let _ = w.write_record(&fields);
            }
            let bytes = w.into_inner().unwrap_or_default();
            (
                format!("{}.csv", sheet.name),
                String::from_utf8(bytes).unwrap_or_default(),
            )
        })
        .collect()
}

/// Writes the book as a folder of CSV files. A new folder appears whole or not at all (written
/// beside it, then renamed into place); an existing one must be empty or hold a problem as CSV
/// files already (its `parks.csv`), whose files are then replaced one by one, each whole.
pub fn write_csv_folder(dir: &Path, book: &Book) -> std::io::Result<()> {
    let files = csv_files(book);
    if dir.exists() {
        let empty = std::fs::read_dir(dir)?.next().is_none();
        if !dir.is_dir() || !(empty || dir.join(CSV_MARKER).is_file()) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!(
                    "it exists and is not a folder of CSV problem files (no {CSV_MARKER}); give a new folder's name, or a name ending in .yaml or .xlsx"
                ),
            ));
        }
        for (name, text) in &files {
            crate::util::atomic::write(&dir.join(name), text)?;
        }
        return Ok(());
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".parkplan-csv-")
        .tempdir_in(&parent)?;
    for (name, text) in &files {
        std::fs::write(tmp.path().join(name), text)?;
    }
    let kept = tmp.keep();
    std::fs::rename(&kept, dir).inspect_err(|_| {
        let _ = std::fs::remove_dir_all(&kept);
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::workbook::read::document_from_book;

    /// A problem written as tables and read back is the same problem, field for field.
    fn round_trip(p: &Problem, csv: bool) -> Problem {
        let mut book = book_of(p);
        if csv {
            // Through the text of the files, as a folder holds them.
            let files = csv_files(&book);
            book = Book {
                sheets: files
                    .iter()
                    .map(|(name, body)| {
                        let mut r = csv::ReaderBuilder::new()
                            .has_headers(false)
                            .flexible(true)
                            .from_reader(body.as_bytes());
                        Sheet {
                            name: name.trim_end_matches(".csv").into(),
                            rows: r
                                .records()
                                .map(|rec| {
                                    rec.unwrap()
                                        .iter()
                                        .map(|s| if s.is_empty() { Cell::Empty } else { text(s) })
                                        .collect()
                                })
                                .collect(),
                        }
                    })
                    .collect(),
                csv: true,
            };
        }
        let (doc, _) = document_from_book(&book).unwrap_or_else(|e| panic!("{e:?}"));
        serde_yaml::from_value(doc).expect("reads back")
    }

    /// A value with whole floats written as integers: in a value of `set:` or a sweep, `30` and
    /// `30.0` set the same number (a cell holds no such difference).
    fn normal(v: Value) -> Value {
        match v {
            Value::Number(n) => match n.as_f64() {
                Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => Value::Number((x as i64).into()),
                _ => Value::Number(n),
            },
            Value::Sequence(items) => Value::Sequence(items.into_iter().map(normal).collect()),
            Value::Mapping(m) => {
                Value::Mapping(m.into_iter().map(|(k, v)| (k, normal(v))).collect())
            }
            other => other,
        }
    }

    #[test]
    fn every_problem_file_reads_back_the_same_from_tables() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("problems");
        let mut files = Vec::new();
        let mut dirs = vec![root];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "yaml") {
                    files.push(p);
                }
            }
        }
        assert!(files.len() > 30);
        files.push(Path::new("template").into());
        for f in files {
            let p: Problem = if f == Path::new("template") {
                template()
            } else {
                serde_yaml::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap()
            };
            for csv in [false, true] {
                let back = normal(to_value(&round_trip(&p, csv)));
                let want = normal(to_value(&p));
                if back != want {
                    let (a, b) = (
                        serde_yaml::to_string(&back).unwrap(),
                        serde_yaml::to_string(&want).unwrap(),
                    );
                    let diff: Vec<_> = a
                        .lines()
                        .zip(b.lines())
                        .filter(|(x, y)| x != y)
                        .take(5)
                        .collect();
                    panic!("{} (csv: {csv}) differs: {diff:?}", f.display());
                }
            }
        }
    }

    #[test]
    fn values_that_yaml_would_misread_are_quoted() {
        for v in [
            "2030",
            "true",
            "a: b",
            "~",
            "",
            "[x]",
            "plain words",
            " padded",
        ] {
            let v = Value::String(v.into());
            match value_cell(&v) {
                Cell::Text(t) => assert_eq!(yaml_value(&t), v, "{t}"),
                other => panic!("{other:?}"),
            }
        }
    }
}
