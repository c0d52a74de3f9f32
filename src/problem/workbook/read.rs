//! Reading a problem from tables: a spreadsheet (calamine) or a folder of CSV files (csv) → a
//! [`Book`] → the problem's document, with the cell of every value by its YAML path.
//!
//! The document is the one a YAML file of the same problem gives, so what follows (scenarios,
//! serde, validation) is the YAML road. What only tables can get wrong is caught here, each at its
//! cell: a formula, text in a number column, an unknown sheet or column, a park or chain named in
//! a long table that its own sheet does not hold, a row given twice.
//!
//! It passes 600 lines because one reader (`Reader`) turns every sheet of the layout into the
//! document, sharing its cell positions, id tables and diagnostics: each sheet is one short method,
//! in the order of `layout::SHEETS`, and splitting the methods across files would spread that
//! private state.

use std::collections::HashMap;
use std::path::Path;

use indexmap::IndexMap;
use serde_yaml::{Mapping, Value};

use super::layout::{self, Kind, SheetSpec};
use super::{Book, Cell, Sheet, TableKind, cell_name};
use crate::problem::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::problem::load::{Positions, SourceFile};

/// Reads a problem written as tables (a workbook or a CSV folder) into a [`SourceFile`]: its
/// document and the cell of every value, for every command to take as it takes a YAML file.
pub fn source(path: &Path, kind: TableKind) -> Result<SourceFile, Diagnostics> {
    let fail = |items: Vec<Diagnostic>| Diagnostics {
        file: path.to_path_buf(),
        source: String::new(),
        items,
    };
    let book = match kind {
        TableKind::Workbook => read_workbook(path),
        TableKind::CsvFolder => read_csv_folder(path),
    }
    .map_err(|d| fail(vec![d]))?;
    let (document, cells) = document_from_book(&book).map_err(fail)?;
    Ok(SourceFile {
        path: path.to_path_buf(),
        text: String::new(),
        document,
        positions: Positions::of_cells(cells),
    })
}

/// The most columns a sheet may reach: the widest sheet of the layout (`parks`, one column per
/// resource) needs tens. A cell beyond is refused, as a file may place one at the 16,384th
/// column of every row and make a few kilobytes of zip into gigabytes of cells.
pub const MOST_COLUMNS: usize = 1000;

/// The most cells (rows × their used width) a workbook may hold in all: a 2,543-park problem
/// needs about half a million.
pub const MOST_CELLS: usize = 10_000_000;

/// The cells of one sheet as they are read, refusing a cell beyond [`MOST_COLUMNS`] or past the
/// budget of [`MOST_CELLS`] before anything is allocated for it.
struct Grid<'n> {
    sheet: &'n str,
    rows: Vec<Vec<Cell>>,
    /// Cells allocated so far, across the workbook's sheets.
    used: &'n mut usize,
}

impl Grid<'_> {
    fn put(&mut self, r: usize, c: usize, cell: Cell) -> Result<(), Diagnostic> {
        let too_big = |what: String| {
            Diagnostic::file(format!(
                "{}: {what}",
                super::cell_name(self.sheet, r, c, false)
            ))
            .help(
                "delete the cells beyond the table (in Excel, Ctrl+End goes to the last cell the sheet holds), or give the problem as YAML",
            )
        };
        if c >= MOST_COLUMNS {
            return Err(too_big(format!(
                "a cell beyond column {} (the most columns parkplan reads in a sheet is {MOST_COLUMNS})",
                super::column_letters(MOST_COLUMNS - 1)
            )));
        }
        let grow_rows = (r + 1).saturating_sub(self.rows.len());
        let row_len = self.rows.get(r).map_or(0, Vec::len);
        let grow = grow_rows + (c + 1).saturating_sub(row_len);
        if *self.used + grow > MOST_CELLS {
            return Err(too_big(format!(
                "the workbook reaches past {MOST_CELLS} cells, the most parkplan reads"
            )));
        }
        *self.used += grow;
        if self.rows.len() <= r {
            self.rows.resize(r + 1, Vec::new());
        }
        let row = &mut self.rows[r];
        if row.len() <= c {
            row.resize(c + 1, Cell::Empty);
        }
        row[c] = cell;
        Ok(())
    }
}

/// A value as parkplan reads it: dates and errors (#DIV/0!) are shown as text, which the
/// column's kind refuses with the cell's name where it wants a number.
///
/// A date is a number that a format shows as a date, and calamine's text of it is that number:
/// a capacity Excel turned into a date as it was typed (`1/2` becomes 2 January, 46024) was read
/// as 46024. It is shown as the date it looks like instead, so it is refused where a number is
/// wanted, and the message names what the sheet shows.
fn value_cell(v: calamine::Data) -> Option<Cell> {
    use calamine::Data;
    Some(match v {
        Data::Empty => return None,
        Data::Int(i) => Cell::Number(i as f64),
        Data::Float(f) => Cell::Number(f),
        Data::Bool(b) => Cell::Bool(b),
        Data::String(s) => Cell::Text(s),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, mo, day, h, mi, sec, _) = d.to_ymd_hms_milli();
            Cell::Text(if (h, mi, sec) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{day:02} (a date)")
            } else {
                format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{sec:02} (a date)")
            })
        }
        Data::DateTime(d) => Cell::Text(format!("{} (a duration in days)", d.as_f64())),
        other => Cell::Text(other.to_string()),
    })
}

/// Reads every sheet of a spreadsheet, formulas marked as such.
///
/// An `.xlsx` or `.xlsb` file is read cell by cell, as it streams from the archive: calamine's
/// `worksheet_range` builds the rectangle from the first to the last used cell at once, and a
/// cell at `XFD1048576` beside one at `A1` made that 550 GB (the process aborted). An `.ods` is
/// read whole by calamine as it opens, so its size is measured first ([`super::measure`]) and a
/// sheet past the same caps refused before calamine allocates it; so is an `.xls`'s.
pub fn read_workbook(path: &Path) -> Result<Book, Diagnostic> {
    use calamine::{Reader, Sheets};
    let not_a_workbook = |e: &dyn std::fmt::Display| {
        Diagnostic::file(format!("cannot read the file as a workbook: {e}")).help(
            "give an Excel workbook (.xlsx, saved by Excel, LibreOffice or openpyxl), a folder of CSV files holding parks.csv, or a YAML problem file",
        )
    };
    // calamine takes `.xlsx`, `.xlsm`, `.xlam` and `.xlsb` by their names (read cell by cell
    // below); any other file may be an `.ods`, which it would read whole on opening.
    let streamed = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "xlsx" | "xlsm" | "xlam" | "xlsb"));
    if !streamed && let Ok(file) = std::fs::File::open(path) {
        super::measure::check_ods(std::io::BufReader::new(file))?;
    }
    if !streamed && let Ok(file) = std::fs::File::open(path) {
        super::measure::check_xls(std::io::BufReader::new(file))?;
    }
    let mut wb = calamine::open_workbook_auto(path).map_err(|e| not_a_workbook(&e))?;
    // `.xlsx` and `.xlsb` readers are of two types with the same methods: one body for both.
    macro_rules! stream_sheet {
        ($x:expr, $name:expr, $grid:expr) => {{
            let mut cells = $x
                .worksheet_cells_reader($name)
                .map_err(|e| not_a_workbook(&e))?;
            while let Some(cell) = cells.next_cell().map_err(|e| not_a_workbook(&e))? {
                let (r, c) = cell.get_position();
                if let Some(v) = value_cell(cell.get_value().clone().into()) {
                    $grid.put(r as usize, c as usize, v)?;
                }
            }
            drop(cells);
            // A formula is refused even when the file keeps its last value: the problem
            // would depend on a spreadsheet's recalculation that parkplan does not do.
            let mut formulas = $x
                .worksheet_cells_reader($name)
                .map_err(|e| not_a_workbook(&e))?;
            while let Some(f) = formulas.next_formula().map_err(|e| not_a_workbook(&e))? {
                let (r, c) = f.get_position();
                if !f.get_value().is_empty() {
                    $grid.put(r as usize, c as usize, Cell::Formula(f.get_value().clone()))?;
                }
            }
        }};
    }
    let mut sheets = Vec::new();
    let mut used = 0usize;
    for name in wb.sheet_names() {
        let mut grid = Grid {
            sheet: &name,
            rows: Vec::new(),
            used: &mut used,
        };
        match &mut wb {
            Sheets::Xlsx(x) => stream_sheet!(x, &name, grid),
            Sheets::Xlsb(x) => stream_sheet!(x, &name, grid),
            other => {
                let range = other
                    .worksheet_range(&name)
                    .map_err(|e| not_a_workbook(&e))?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                for (r, c, v) in range.used_cells() {
                    if let Some(v) = value_cell(v.clone()) {
                        grid.put(r + r0 as usize, c + c0 as usize, v)?;
                    }
                }
                if let Ok(formulas) = other.worksheet_formula(&name) {
                    let (r0, c0) = formulas.start().unwrap_or((0, 0));
                    for (r, c, f) in formulas.used_cells() {
                        if !f.is_empty() {
                            grid.put(r + r0 as usize, c + c0 as usize, Cell::Formula(f.clone()))?;
                        }
                    }
                }
            }
        }
        let rows = grid.rows;
        sheets.push(Sheet { name, rows });
    }
    Ok(Book { sheets, csv: false })
}

/// Reads every `*.csv` file of a folder as a sheet named after it.
pub fn read_csv_folder(path: &Path) -> Result<Book, Diagnostic> {
    let unreadable = |e: &dyn std::fmt::Display| {
        Diagnostic::file(format!("cannot read the CSV folder: {e}"))
            .help("check the folder's path and that its files are readable")
    };
    let mut files: Vec<_> = std::fs::read_dir(path)
        .map_err(|e| unreadable(&e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
        .collect();
    files.sort();
    let mut sheets = Vec::new();
    for file in files {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let text = crate::util::input::read_text(&file).map_err(|e| {
            Diagnostic::file(format!("cannot read {name}.csv: {e}"))
                .help("save the CSV file as UTF-8 text")
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                Diagnostic::file(format!("{name}.csv is not valid CSV: {e}"))
                    .help("check the quotes around this line")
            })?;
            rows.push(
                record
                    .iter()
                    .map(|s| {
                        if s.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(s.to_string())
                        }
                    })
                    .collect(),
            );
        }
        sheets.push(Sheet { name, rows });
    }
    Ok(Book { sheets, csv: true })
}

/// One segment of a path into the document.
#[derive(Debug, Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

fn key(s: impl Into<String>) -> Seg {
    Seg::Key(s.into())
}

/// The segments of a dotted path, `name[3]` giving an item of the list `name`.
fn segments(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        let mut indices = Vec::new();
        while rest.ends_with(']') {
            let Some(open) = rest.rfind('[') else { break };
            let Ok(i) = rest[open + 1..rest.len() - 1].parse::<usize>() else {
                break;
            };
            indices.push(i);
            rest = &rest[..open];
        }
        out.push(key(rest));
        out.extend(indices.into_iter().rev().map(Seg::Index));
    }
    out
}

/// A path as the positions index spells it: keys and item numbers joined by dots.
fn dotted(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => k.clone(),
            Seg::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The order of the document's top-level keys, as a YAML file writes them.
const TOP: [&str; 16] = [
    "name",
    "description",
    "units",
    "resources",
    "zones",
    "parks",
    "chains",
    "materials",
    "exchange",
    "rules",
    "objective",
    "expected",
    "scenarios",
    "sweeps",
    "uncertainty",
    "periods",
];

/// One sheet's header understood: which column holds each key of its spec, and its further
/// columns (capacities, in `parks`).
struct Table<'b> {
    sheet: &'b Sheet,
    spec: &'static SheetSpec,
    columns: HashMap<&'static str, usize>,
    extra: Vec<(usize, String)>,
    rows: Vec<usize>,
}

impl Table<'_> {
    fn cell(&self, row: usize, column: usize) -> &Cell {
        self.sheet.rows[row].get(column).unwrap_or(&Cell::Empty)
    }
}

struct Reader<'b> {
    book: &'b Book,
    doc: Value,
    cells: HashMap<String, String>,
    errors: Vec<Diagnostic>,
    /// Ids of each kind of row, with the cell that names them.
    ids: HashMap<&'static str, IndexMap<String, String>>,
}

/// Builds the problem's document from its tables, with the cell of every path.
pub(super) fn document_from_book(
    book: &Book,
) -> Result<(Value, HashMap<String, String>), Vec<Diagnostic>> {
    let what = if book.csv { "folder" } else { "workbook" };
    if book
        .sheets
        .iter()
        .all(|s| s.rows.iter().all(|r| r.iter().all(|c| *c == Cell::Empty)))
    {
        return Err(vec![
            Diagnostic::file(format!("the {what} is empty: it holds no problem")).help(
                "start from the template: `parkplan convert --template -o new.xlsx` writes a workbook with every sheet, its headers and a one-park example",
            ),
        ]);
    }
    let mut r = Reader {
        book,
        doc: Value::Mapping(Mapping::new()),
        cells: HashMap::new(),
        errors: Vec::new(),
        ids: HashMap::new(),
    };
    r.check_sheet_names();
    for spec in layout::SHEETS {
        if spec.required && book.sheet(spec.name).is_none() {
            let (missing, help) = if book.csv {
                (
                    format!("the folder has no file {}.csv", spec.name),
                    format!(
                        "add {}.csv with the header row {}; `parkplan convert --template -o DIR` writes a folder with every file",
                        spec.name,
                        header_list(spec)
                    ),
                )
            } else {
                (
                    format!("the workbook has no sheet `{}`", spec.name),
                    format!(
                        "add a sheet called `{}` with the header row {}; `parkplan convert --template -o new.xlsx` writes a workbook with every sheet",
                        spec.name,
                        header_list(spec)
                    ),
                )
            };
            r.errors.push(Diagnostic::file(missing).help(help));
        }
    }
    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    for spec in layout::SHEETS {
        let Some(table) = r.table(spec) else { continue };
        match spec.name {
            "settings" => r.settings(&table),
            "units" => r.simple(&table, "units", "quantity"),
            "resources" | "zones" | "parks" | "chains" | "materials" => r.things(&table),
            "uses" => r.coefficients(&table, "uses", "resource"),
            "chain_materials" => r.coefficients(&table, "materials", "material"),
            "build_fixed" => r.fixed_outlays(&table),
            "supports" => r.supports(&table),
            "existing" => r.existing(&table),
            "allowed" => r.allowed(&table),
            "exchange_costs" => r.exchange_costs(&table),
            "scenarios" => r.changes(&table, "scenarios", "scenario"),
            "periods" => r.changes(&table, "periods", "period"),
            "sweeps" => r.sweeps(&table),
            "uncertainty" => r.simple(&table, "uncertainty.scenarios", "scenario"),
            "expected" => r.expected(&table),
            _ => {}
        }
    }
    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    let mut doc = match r.doc {
        Value::Mapping(m) => m,
        _ => Mapping::new(),
    };
    let mut ordered = Mapping::new();
    for k in TOP {
        if let Some(v) = doc.remove(k) {
            ordered.insert(Value::String(k.into()), v);
        }
    }
    ordered.extend(doc);
    Ok((Value::Mapping(ordered), r.cells))
}

/// `park, name, zone, …` for a help text.
fn header_list(spec: &SheetSpec) -> String {
    spec.columns
        .iter()
        .map(|c| c.key)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A number as an id or a text shows it: `2030`, not `2030.0`.
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// A number as the document holds it: whole numbers as integers (so that `years` and `steps`
/// read them), others as floats.
fn number_value(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Value::Number((x as i64).into())
    } else {
        Value::Number(x.into())
    }
}

/// A cell of a `Value` column: what YAML reads in its text.
pub(super) fn yaml_value(text: &str) -> Value {
    let t = text.trim();
    match serde_yaml::from_str::<Value>(t) {
        Ok(Value::Null) if !matches!(t, "~" | "null" | "Null" | "NULL") => Value::String(t.into()),
        Ok(v) => v,
        Err(_) => Value::String(t.into()),
    }
}

/// The entry at `path` of `doc`, created (as a mapping, or a list for an item) where absent.
fn entry<'d>(doc: &'d mut Value, path: &[Seg]) -> Result<&'d mut Value, String> {
    let mut node = doc;
    for (i, seg) in path.iter().enumerate() {
        let next_is_index = matches!(path.get(i + 1), Some(Seg::Index(_)));
        let fresh = || {
            if next_is_index {
                Value::Sequence(Vec::new())
            } else {
                Value::Mapping(Mapping::new())
            }
        };
        if node.is_null() {
            *node = match seg {
                Seg::Index(_) => Value::Sequence(Vec::new()),
                Seg::Key(_) => Value::Mapping(Mapping::new()),
            };
        }
        node = match seg {
            Seg::Key(k) => {
                let Value::Mapping(m) = node else {
                    return Err(format!(
                        "`{}` already holds a single value, so nothing can be set below it",
                        dotted(&path[..i])
                    ));
                };
                m.entry(Value::String(k.clone())).or_insert_with(fresh)
            }
            Seg::Index(j) => {
                let Value::Sequence(items) = node else {
                    return Err(format!(
                        "`{}` already holds a single value, so it cannot take items",
                        dotted(&path[..i])
                    ));
                };
                if *j == items.len() {
                    items.push(fresh());
                }
                if *j >= items.len() {
                    return Err(format!(
                        "`{}` takes its items in order from [0]: [{j}] comes too early",
                        dotted(&path[..i])
                    ));
                }
                &mut items[*j]
            }
        };
    }
    Ok(node)
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Mapping(m) => m.is_empty(),
        Value::Null => true,
        _ => false,
    }
}

/// Advice added to a diagnostic already collected.
trait Hint {
    fn help(self, help: impl Into<String>);
}

impl Hint for &mut Diagnostic {
    fn help(self, help: impl Into<String>) {
        self.help = Some(help.into());
    }
}

impl<'b> Reader<'b> {
    fn name(&self, sheet: &Sheet, row: usize, column: usize) -> String {
        cell_name(&sheet.name, row, column, self.book.csv)
    }

    fn error(&mut self, cell: String, message: impl Into<String>) -> &mut Diagnostic {
        self.errors.push(Diagnostic::in_cell(cell, message));
        self.errors.last_mut().expect("just pushed")
    }

    /// Sheets the layout does not know are errors (with the nearest name), unless their name
    /// starts with `#` or `_`: a planner's notes.
    fn check_sheet_names(&mut self) {
        let names: Vec<&str> = layout::SHEETS.iter().map(|s| s.name).collect();
        for sheet in &self.book.sheets {
            let n = sheet.name.as_str();
            if names.contains(&n) || n.starts_with('#') || n.starts_with('_') {
                continue;
            }
            let label = if self.book.csv {
                format!("{n}.csv")
            } else {
                format!("sheet `{n}`")
            };
            let lower = n.to_lowercase().replace(' ', "_");
            let d = Diagnostic::file(format!(
                "unknown {label}: no part of a problem is called so"
            ));
            let d = match did_you_mean(&lower, names.iter().copied()) {
                Some(near) => d.help(format!(
                    "did you mean `{near}`? (names of notes start with `_` to be left alone)"
                )),
                None => d.help(format!(
                    "the sheets are: {}; notes go in a sheet whose name starts with `_`",
                    names.join(", ")
                )),
            };
            self.errors.push(d);
        }
    }

    /// Reads a sheet's header row; `None` when the sheet is absent or holds no rows.
    fn table(&mut self, spec: &'static SheetSpec) -> Option<Table<'b>> {
        let book: &'b Book = self.book;
        let sheet = book.sheet(spec.name)?;
        let header = sheet.rows.first()?;
        let mut t = Table {
            sheet,
            spec,
            columns: HashMap::new(),
            extra: Vec::new(),
            rows: (1..sheet.rows.len())
                .filter(|&r| sheet.rows[r].iter().any(|c| *c != Cell::Empty))
                .collect(),
        };
        for (c, cell) in header.iter().enumerate() {
            let text = match cell {
                Cell::Empty => {
                    if let Some(&r) = t
                        .rows
                        .iter()
                        .find(|&&r| sheet.rows[r].get(c).is_some_and(|x| *x != Cell::Empty))
                    {
                        let at = self.name(sheet, r, c);
                        self.error(at, "a value in a column without a header")
                            .help("give the column a header in the first row, or clear the column");
                    }
                    continue;
                }
                Cell::Text(s) => s.clone(),
                Cell::Number(x) => number_text(*x),
                Cell::Bool(b) => b.to_string(),
                Cell::Formula(f) => {
                    let at = self.name(sheet, 0, c);
                    self.formula(at, f);
                    continue;
                }
            };
            let raw = layout::header_key(&text).to_string();
            let norm = raw.to_lowercase().replace(' ', "_");
            if let Some(column) = spec.columns.iter().find(|col| col.key == norm) {
                if t.columns.insert(column.key, c).is_some() {
                    let at = self.name(sheet, 0, c);
                    self.error(at, format!("the column `{}` appears twice", column.key))
                        .help("keep one of them");
                }
            } else if spec.name == "parks" && !raw.is_empty() {
                if t.extra.iter().any(|(_, k)| *k == raw) {
                    let at = self.name(sheet, 0, c);
                    self.error(at, format!("the capacity column `{raw}` appears twice"))
                        .help("keep one of them");
                }
                t.extra.push((c, raw));
            } else {
                let at = self.name(sheet, 0, c);
                let keys: Vec<&str> = spec.columns.iter().map(|col| col.key).collect();
                let d = self.error(
                    at,
                    format!("unknown column `{raw}` in the {} sheet", spec.name),
                );
                *d = match did_you_mean(&norm, keys.iter().copied()) {
                    Some(near) => d.clone().help(format!("did you mean `{near}`?")),
                    None => d.clone().help(format!(
                        "the columns of this sheet are: {}",
                        keys.join(", ")
                    )),
                };
            }
        }
        let id = spec.columns[0].key;
        if !t.rows.is_empty() && !t.columns.contains_key(id) {
            let at = self.name(sheet, 0, 0);
            self.error(at, format!("the {} sheet has no column `{id}`", spec.name))
                .help(format!(
                    "the first row holds the headers: {}",
                    header_list(spec)
                ));
            return None;
        }
        Some(t)
    }

    fn formula(&mut self, at: String, f: &str) {
        let shown = if f.starts_with('=') {
            f.to_string()
        } else {
            format!("={f}")
        };
        self.error(at, format!("a formula (`{shown}`) where parkplan reads a value"))
            .help("replace the formula by its value (copy the cells, then paste values only): the problem must not depend on a recalculation");
    }

    /// The value of `column` in `row`, read as the column's kind; `None` when empty or wrong
    /// (then with an error at the cell).
    fn get(&mut self, t: &Table, row: usize, column: &str) -> Option<(Value, String)> {
        let c = *t.columns.get(column)?;
        let kind = t
            .spec
            .columns
            .iter()
            .find(|col| col.key == column)
            .map(|col| col.kind)
            .unwrap_or(Kind::Value);
        self.read(t, row, c, column, kind)
    }

    fn read(
        &mut self,
        t: &Table,
        row: usize,
        c: usize,
        column: &str,
        kind: Kind,
    ) -> Option<(Value, String)> {
        let cell = t.cell(row, c).clone();
        let at = self.name(t.sheet, row, c);
        let found = |cell: &Cell| match cell {
            Cell::Text(s) => format!("the text {:?}", s),
            Cell::Bool(b) => format!("`{}`", b.to_string().to_uppercase()),
            Cell::Number(x) => number_text(*x),
            _ => String::new(),
        };
        let value = match (&cell, kind) {
            (Cell::Empty, _) => return None,
            (Cell::Text(s), _) if s.trim().is_empty() => return None,
            (Cell::Formula(f), _) => {
                self.formula(at, f);
                return None;
            }
            (Cell::Text(s), Kind::Id) => Value::String(s.trim().to_string()),
            (Cell::Text(s), Kind::Text) => Value::String(s.clone()),
            (Cell::Number(x), Kind::Id | Kind::Text) => Value::String(number_text(*x)),
            (Cell::Bool(b), Kind::Id | Kind::Text) => Value::String(b.to_string()),
            (Cell::Number(x), Kind::Number | Kind::Value) => number_value(*x),
            (Cell::Text(s), Kind::Number) => match s.trim().parse::<f64>() {
                Ok(x) if x.is_finite() => number_value(x),
                _ => {
                    self.error(
                        at,
                        format!("`{column}` must be a number, found {}", found(&cell)),
                    )
                    .help("write a number such as 12.5 (a decimal point, no unit and no thousands separator), or leave the cell empty");
                    return None;
                }
            },
            (Cell::Number(x), Kind::Whole) if x.fract() == 0.0 && *x >= 0.0 => number_value(*x),
            (Cell::Text(s), Kind::Whole) if s.trim().parse::<u64>().is_ok() => {
                number_value(s.trim().parse::<u64>().unwrap_or_default() as f64)
            }
            (_, Kind::Whole) => {
                self.error(
                    at,
                    format!(
                        "`{column}` must be a whole number of 0 or more, found {}",
                        found(&cell)
                    ),
                )
                .help("write a whole number such as 5");
                return None;
            }
            (Cell::Text(s), Kind::Word(words)) => {
                let w = s.trim();
                if words.contains(&w) {
                    Value::String(w.into())
                } else {
                    let d = self.error(
                        at,
                        format!(
                            "`{column}` must be one of {}, found {}",
                            words.join(", "),
                            found(&cell)
                        ),
                    );
                    if let Some(near) = did_you_mean(&w.to_lowercase(), words.iter().copied()) {
                        *d = d.clone().help(format!("did you mean `{near}`?"));
                    }
                    return None;
                }
            }
            (Cell::Text(s), Kind::Value) => yaml_value(s),
            (Cell::Bool(b), Kind::Value) => Value::Bool(*b),
            (_, Kind::Number) | (_, Kind::Word(_)) => {
                self.error(
                    at,
                    format!(
                        "`{column}` must be {}, found {}",
                        if kind == Kind::Number {
                            "a number".to_string()
                        } else {
                            "a word".to_string()
                        },
                        found(&cell)
                    ),
                );
                return None;
            }
        };
        Some((value, at))
    }

    /// The id that names a row, or an error when the row has values but no id.
    fn row_id(&mut self, t: &Table, row: usize) -> Option<(String, String)> {
        let key = t.spec.columns[0].key;
        match self.get(t, row, key) {
            Some((Value::String(s), at)) => Some((s, at)),
            Some(_) => None,
            None => {
                let c = t.columns.get(key).copied().unwrap_or(0);
                let at = self.name(t.sheet, row, c);
                self.error(at, format!("this row has values but no `{key}`"))
                    .help(format!("name the {key} of the row, or clear the row"));
                None
            }
        }
    }

    /// Sets `path` to `value`, noting its cell; a value given twice is an error at both cells.
    fn put(&mut self, path: &[Seg], value: Value, at: &str) {
        let dotted = dotted(path);
        let taken = self.cells.contains_key(&dotted);
        match entry(&mut self.doc, path) {
            Ok(slot) if is_blank(slot) && !taken => {
                *slot = value;
                self.cells.insert(dotted, at.to_string());
            }
            Ok(_) => {
                let earlier = self.cells.get(&dotted).cloned().unwrap_or_default();
                self.error(
                    at.to_string(),
                    format!("`{dotted}` is given twice (also at {earlier})"),
                )
                .help("keep one of the two values");
            }
            Err(message) => {
                self.error(at.to_string(), message)
                    .help("give either the single value or the values below it, not both");
            }
        }
    }

    /// Makes sure `path` exists (a mapping), noting the cell that names it when it is new.
    fn ensure(&mut self, path: &[Seg], at: &str) {
        let dotted = dotted(path);
        match entry(&mut self.doc, path) {
            Ok(slot) => {
                if matches!(slot, Value::Null) {
                    *slot = Value::Mapping(Mapping::new());
                }
                self.cells.entry(dotted).or_insert_with(|| at.to_string());
            }
            Err(message) => {
                self.error(at.to_string(), message);
            }
        }
    }

    /// Appends `value` to the list at `path`, noting its cell as the item's.
    fn push(&mut self, path: &[Seg], value: Value, at: &str) {
        let dotted = dotted(path);
        let slot = match entry(&mut self.doc, path) {
            Ok(s) => s,
            Err(message) => {
                self.error(at.to_string(), message);
                return;
            }
        };
        if let Value::Mapping(m) = slot
            && m.is_empty()
        {
            *slot = Value::Sequence(Vec::new());
        }
        match slot {
            Value::Sequence(items) => {
                let i = items.len();
                items.push(value);
                self.cells
                    .entry(dotted.clone())
                    .or_insert_with(|| at.to_string());
                self.cells.insert(format!("{dotted}.{i}"), at.to_string());
            }
            _ => {
                let earlier = self.cells.get(&dotted).cloned().unwrap_or_default();
                self.error(
                    at.to_string(),
                    format!(
                        "`{dotted}` is a range (at {earlier}) and cannot also take single values"
                    ),
                )
                .help("give a sweep path either values, one per row, or one range");
            }
        }
    }

    /// A row's id, checked to be one of `kind`'s rows (parks, chains, scenarios), with a near
    /// name when it is not.
    fn known(&mut self, kind: &'static str, t: &Table, row: usize, column: &str) -> Option<String> {
        let (v, at) = match self.get(t, row, column) {
            Some(x) => x,
            None => {
                let c = t.columns.get(column).copied().unwrap_or(0);
                let at = self.name(t.sheet, row, c);
                self.error(at, format!("this row has values but no `{column}`"))
                    .help(format!("name the {column} of the row, or clear the row"));
                return None;
            }
        };
        let id = match v {
            Value::String(s) => s,
            _ => return None,
        };
        let known = self.ids.get(kind).cloned().unwrap_or_default();
        if known.contains_key(&id) {
            return Some(id);
        }
        let sheet = if kind == "scenarios" {
            "scenarios"
        } else {
            kind
        };
        let d = self.error(
            at,
            format!("unknown {column} `{id}`: the {sheet} sheet has no row for it"),
        );
        *d = match did_you_mean(&id, known.keys().map(String::as_str)) {
            Some(near) => d.clone().help(format!("did you mean `{near}`?")),
            None => d
                .clone()
                .help(format!("add a row for `{id}` to the {sheet} sheet first")),
        };
        None
    }

    fn settings(&mut self, t: &Table) {
        for &row in &t.rows {
            let Some((setting, at)) = self.row_id(t, row) else {
                continue;
            };
            let root = setting.split('.').next().unwrap_or_default();
            if !layout::SETTING_ROOTS.contains(&root) {
                let d = self.error(at, format!("unknown setting `{setting}`"));
                *d = match did_you_mean(root, layout::SETTING_ROOTS) {
                    Some(near) => d.clone().help(format!("did you mean `{near}…`?")),
                    None => d.clone().help(format!(
                        "a setting is name, description, or a path under {}",
                        layout::SETTING_ROOTS[2..].join(", ")
                    )),
                };
                continue;
            }
            let kind = if matches!(setting.as_str(), "name" | "description") {
                Kind::Text
            } else {
                Kind::Value
            };
            let Some(&c) = t.columns.get("value") else {
                continue;
            };
            if let Some((v, at)) = self.read(t, row, c, "value", kind) {
                self.put(&segments(&setting), v, &at);
            }
        }
    }

    /// A sheet of `id → single value` rows (`units`, the probabilities of `uncertainty`).
    fn simple(&mut self, t: &Table, under: &str, _id: &str) {
        let value_col = t.spec.columns[1].key;
        for &row in &t.rows {
            let Some((id, at)) = self.row_id(t, row) else {
                continue;
            };
            let mut path = segments(under);
            path.push(key(id));
            match self.get(t, row, value_col) {
                Some((v, vat)) => self.put(&path, v, &vat),
                None => {
                    self.error(at, format!("this row has no `{value_col}`"))
                        .help(format!("give the {value_col}, or clear the row"));
                }
            }
        }
    }

    /// Sheets of things, one row each: resources, zones, parks, chains, materials.
    fn things(&mut self, t: &Table) {
        let top = t.spec.name;
        let mut seen: IndexMap<String, String> = IndexMap::new();
        for &row in &t.rows {
            let Some((id, at)) = self.row_id(t, row) else {
                continue;
            };
            if let Some(first) = seen.get(&id) {
                let first = first.clone();
                let thing = t.spec.columns[0].key;
                self.error(
                    at,
                    format!("the {thing} `{id}` appears twice (first at {first})"),
                )
                .help(format!(
                    "keep one row per {thing}: merge the two rows, or rename one"
                ));
                continue;
            }
            seen.insert(id.clone(), at.clone());
            let base = vec![key(top), key(id.clone())];
            self.ensure(&base, &at);
            for col in &t.spec.columns[1..] {
                let Some((v, vat)) = self.get(t, row, col.key) else {
                    continue;
                };
                let mut path = base.clone();
                match col.key {
                    "external_price" => path.extend([key("external"), key("price")]),
                    "external_limit" => path.extend([key("external"), key("limit")]),
                    "build_unit" => path.extend([key("build"), key("unit")]),
                    "build_min" => path.extend([key("build"), key("min")]),
                    k => path.push(key(k)),
                }
                self.put(&path, v, &vat);
            }
            for (c, resource) in t.extra.clone() {
                if let Some((v, vat)) = self.read(t, row, c, &resource, Kind::Number) {
                    let mut path = base.clone();
                    path.extend([key("capacity"), key(resource)]);
                    self.put(&path, v, &vat);
                }
            }
        }
        self.ids.insert(top, seen);
    }

    /// `uses` and `chain_materials`: chain, other id, amount.
    fn coefficients(&mut self, t: &Table, field: &str, other: &str) {
        for &row in &t.rows {
            let Some(chain) = self.known("chains", t, row, "chain") else {
                continue;
            };
            let Some((Value::String(id), _)) = self.required(t, row, other) else {
                continue;
            };
            let Some((v, at)) = self.required(t, row, "amount") else {
                continue;
            };
            self.put(&[key("chains"), key(chain), key(field), key(id)], v, &at);
        }
    }

    /// `build_fixed`: chain, resource, amount, into the chain's `build.fixed`.
    fn fixed_outlays(&mut self, t: &Table) {
        for &row in &t.rows {
            let Some(chain) = self.known("chains", t, row, "chain") else {
                continue;
            };
            let Some((Value::String(id), _)) = self.required(t, row, "resource") else {
                continue;
            };
            let Some((v, at)) = self.required(t, row, "amount") else {
                continue;
            };
            let path = [
                key("chains"),
                key(chain),
                key("build"),
                key("fixed"),
                key(id),
            ];
            self.put(&path, v, &at);
        }
    }

    /// The value of `column`, or an error at the row when it is empty.
    fn required(&mut self, t: &Table, row: usize, column: &str) -> Option<(Value, String)> {
        let got = self.get(t, row, column);
        if got.is_none() && t.columns.contains_key(column) {
            let c = t.columns[column];
            if t.cell(row, c) == &Cell::Empty {
                let at = self.name(t.sheet, row, c);
                self.error(at, format!("this row has no `{column}`"))
                    .help(format!("give the {column}, or clear the row"));
            }
        } else if got.is_none() {
            let at = self.name(t.sheet, 0, 0);
            self.error(
                at,
                format!("the {} sheet has no column `{column}`", t.spec.name),
            )
            .help(format!("the headers are: {}", header_list(t.spec)));
        }
        got
    }

    fn supports(&mut self, t: &Table) {
        for &row in &t.rows {
            let Some(chain) = self.known("chains", t, row, "chain") else {
                continue;
            };
            if let Some((v, at)) = self.required(t, row, "supports") {
                self.push(&[key("chains"), key(chain), key("supports")], v, &at);
            }
        }
    }

    fn existing(&mut self, t: &Table) {
        for &row in &t.rows {
            let Some(park) = self.known("parks", t, row, "park") else {
                continue;
            };
            let Some((Value::String(chain), _)) = self.required(t, row, "chain") else {
                continue;
            };
            if let Some((v, at)) = self.required(t, row, "activity") {
                self.put(
                    &[key("parks"), key(park), key("existing"), key(chain)],
                    v,
                    &at,
                );
            }
        }
    }

    fn allowed(&mut self, t: &Table) {
        for &row in &t.rows {
            let Some(park) = self.known("parks", t, row, "park") else {
                continue;
            };
            let path = [key("parks"), key(park), key("allowed")];
            match self.get(t, row, "chain") {
                Some((v, at)) => self.push(&path, v, &at),
                None => {
                    // A park with an empty list may run no chain: `allowed: []`.
                    let c = t.columns.get("park").copied().unwrap_or(0);
                    let at = self.name(t.sheet, row, c);
                    if let Ok(slot) = entry(&mut self.doc, &path)
                        && is_blank(slot)
                    {
                        *slot = Value::Sequence(Vec::new());
                    }
                    self.cells.entry(dotted(&path)).or_insert(at);
                }
            }
        }
    }

    fn exchange_costs(&mut self, t: &Table) {
        for &row in &t.rows {
            let Some((material, _)) = self.row_id(t, row) else {
                continue;
            };
            if let Some((v, at)) = self.required(t, row, "cost") {
                let path = [
                    key("exchange"),
                    key("across_zones"),
                    key("cost"),
                    key(material),
                ];
                self.put(&path, v, &at);
            }
        }
    }

    /// `scenarios` and `periods`: one row per change.
    fn changes(&mut self, t: &Table, top: &'static str, _id: &str) {
        let mut names: IndexMap<String, String> = IndexMap::new();
        for &row in &t.rows {
            let Some((name, at)) = self.row_id(t, row) else {
                continue;
            };
            let base = vec![key(top), key(name.clone())];
            self.ensure(&base, &at);
            names.entry(name.clone()).or_insert(at.clone());
            let change = self.get(t, row, "change");
            let path = self.get(t, row, "path");
            let Some((Value::String(change), change_at)) = change else {
                if path.is_some()
                    || t.columns
                        .get("value")
                        .is_some_and(|&c| *t.cell(row, c) != Cell::Empty)
                {
                    self.error(at, "this row has a path or a value but no `change`")
                        .help("say what the row changes: set, scale, merge, description");
                }
                continue;
            };
            let path = path.and_then(|(v, _)| match v {
                Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                _ => None,
            });
            let Some(&vc) = t.columns.get("value") else {
                self.error(change_at, "there is no `value` column")
                    .help(format!("the headers are: {}", header_list(t.spec)));
                continue;
            };
            let kind = if change == "description" {
                Kind::Text
            } else {
                Kind::Value
            };
            let Some((value, vat)) = self.read(t, row, vc, "value", kind) else {
                if *t.cell(row, vc) == Cell::Empty {
                    let at = self.name(t.sheet, row, vc);
                    self.error(at, format!("this `{change}` row has no value"))
                        .help("give the value, or clear the row");
                }
                continue;
            };
            let mut target = base.clone();
            match (change.as_str(), path) {
                ("description" | "years", None) => target.push(key(change)),
                ("description" | "years", Some(_)) => {
                    self.error(change_at, format!("a `{change}` row takes no path"))
                        .help("clear the path cell");
                    continue;
                }
                ("set" | "scale", Some(p)) => target.extend([key(change), key(p)]),
                ("merge", None) => target.push(key("merge")),
                ("merge", Some(p)) => {
                    target.push(key("merge"));
                    target.extend(segments(&p));
                }
                (_, None) => {
                    self.error(change_at, format!("a `{change}` row needs a path"))
                        .help("give the path changed, e.g. parks.*.capacity.water");
                    continue;
                }
                _ => continue,
            }
            self.put(&target, value, &vat);
        }
        self.ids.insert(top, names);
    }

    fn sweeps(&mut self, t: &Table) {
        for &row in &t.rows {
            let Some((name, at)) = self.row_id(t, row) else {
                continue;
            };
            let base = vec![key("sweeps"), key(name.clone())];
            self.ensure(&base, &at);
            if let Some((v, vat)) = self.get(t, row, "description") {
                let mut p = base.clone();
                p.push(key("description"));
                self.put(&p, v, &vat);
            }
            let value = self.get(t, row, "value");
            let range: Vec<(&str, Option<(Value, String)>)> = ["from", "to", "steps"]
                .into_iter()
                .map(|k| (k, self.get(t, row, k)))
                .collect();
            let has_range = range.iter().any(|(_, v)| v.is_some());
            let Some((Value::String(path), path_at)) = self.get(t, row, "path") else {
                if value.is_some() || has_range {
                    self.error(at, "this row has a value but no `path`")
                        .help("give the path the sweep varies, e.g. parks.pannan.capacity.land");
                }
                continue;
            };
            let mut p = base.clone();
            p.extend([key("vary"), key(path.trim())]);
            match (value, has_range) {
                (Some((v, vat)), false) => self.push(&p, v, &vat),
                (None, true) => {
                    for (k, v) in range {
                        if let Some((v, vat)) = v {
                            let mut q = p.clone();
                            q.push(key(k));
                            self.put(&q, v, &vat);
                        }
                    }
                }
                (Some(_), true) => {
                    self.error(path_at, "this row has both a value and a range")
                        .help("give a value (one row per value) or a range (from, to, steps), not both");
                }
                (None, false) => {
                    // A path with no values: an empty list, as `vary: { path: [] }`.
                    if let Ok(slot) = entry(&mut self.doc, &p)
                        && is_blank(slot)
                    {
                        *slot = Value::Sequence(Vec::new());
                    }
                    self.cells.entry(dotted(&p)).or_insert(path_at);
                }
            }
        }
    }

    fn expected(&mut self, t: &Table) {
        for &row in &t.rows {
            let scenario_given = t
                .columns
                .get("scenario")
                .is_some_and(|&c| *t.cell(row, c) != Cell::Empty);
            let mut base = vec![];
            let row_at;
            if scenario_given {
                let Some(s) = self.known("scenarios", t, row, "scenario") else {
                    continue;
                };
                row_at = self.name(t.sheet, row, t.columns["scenario"]);
                base.extend([key("scenarios"), key(s)]);
            } else {
                row_at = self.name(t.sheet, row, t.columns.get("path").copied().unwrap_or(0));
            }
            base.push(key("expected"));
            let path = match self.get(t, row, "path") {
                Some((Value::String(p), _)) => Some(p),
                _ => None,
            };
            match (path, self.get(t, row, "value")) {
                (Some(p), Some((v, vat))) => {
                    let mut q = base.clone();
                    q.extend(segments(p.trim()));
                    self.put(&q, v, &vat);
                }
                (None, None) => self.ensure(&base, &row_at),
                (Some(_), None) => {
                    self.error(row_at, "this row has a path but no value")
                        .help("give the known value, or clear the row");
                }
                (None, Some(_)) => {
                    self.error(row_at, "this row has a value but no path")
                        .help("say what the value is: objective, tolerance, main_chains.<park>, …");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cells far away are refused before anything is allocated for them; cells within the
    /// bounds fill the grid as they come.
    #[test]
    fn the_grid_refuses_cells_past_its_bounds_before_allocating() {
        let mut used = 0;
        let mut g = Grid {
            sheet: "parks",
            rows: Vec::new(),
            used: &mut used,
        };
        g.put(2, 3, Cell::Number(1.0)).unwrap();
        assert_eq!(g.rows.len(), 3);
        assert_eq!(
            g.rows[2],
            vec![Cell::Empty, Cell::Empty, Cell::Empty, Cell::Number(1.0)]
        );
        let far = g.put(0, 16_383, Cell::Number(1.0)).unwrap_err();
        assert!(
            far.message
                .starts_with("parks!XFD1: a cell beyond column ALL"),
            "{}",
            far.message
        );
        // A row past the budget (ten million rows of one cell each) is refused whole.
        let deep = g.put(MOST_CELLS, 0, Cell::Number(1.0)).unwrap_err();
        assert!(
            deep.message.contains("past 10000000 cells"),
            "{}",
            deep.message
        );
        assert_eq!(
            g.rows.len(),
            3,
            "nothing was allocated for the refused cells"
        );
        assert_eq!(used, 3 + 4);
    }
}
