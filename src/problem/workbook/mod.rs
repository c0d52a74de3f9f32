//! Problems as tables: an Excel workbook (or any spreadsheet calamine reads: `.xlsx`, `.xlsm`,
//! `.xlsb`, `.xls`, `.ods`) or a folder of CSV files, one file per sheet, holding the same problem
//! as a YAML file, in the layout of [`layout`].
//!
//! Tables are problem files in another syntax. Reading one builds the same document a YAML file
//! gives, and the same index of positions, with cells (`parks!C7`) in place of lines and columns;
//! from there every command takes the road of a YAML file: scenarios edit the document, serde
//! reads it, [`crate::problem::validate`] checks it, and an error points at the cell that holds
//! the value. Writing a problem as tables ([`write`]) is the way back, lossless: the tables read
//! back to the same problem.

use std::path::Path;

pub mod layout;
mod measure;
mod read;
pub mod write;

pub use read::source;

/// One cell as read from, or written to, a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing in it.
    Empty,
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// `TRUE` or `FALSE`.
    Bool(bool),
    /// A formula (its text): refused on reading, since parkplan reads values, not formulas.
    Formula(String),
}

/// One sheet, or one CSV file: its rows from the first, the first the header.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    /// The sheet's name (a CSV file's name without `.csv`).
    pub name: String,
    /// The rows, each as long as it is written (trailing empty cells may be left out).
    pub rows: Vec<Vec<Cell>>,
}

/// A workbook or a folder of CSV files, as sheets in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Book {
    /// The sheets.
    pub sheets: Vec<Sheet>,
    /// Whether the sheets came from CSV files: cells are then named `parks.csv!C7`.
    pub csv: bool,
}

impl Book {
    /// The sheet called `name`, if there is one.
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name)
    }
}

/// What a path holds, when it holds a problem as tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// A spreadsheet file.
    Workbook,
    /// A folder of CSV files, recognised by its `parks.csv`.
    CsvFolder,
}

/// The file whose presence makes a folder a problem written as CSV files: a folder of YAML
/// problem files (as `check` takes) holds none.
pub const CSV_MARKER: &str = "parks.csv";

/// File name endings read as spreadsheets.
pub const WORKBOOK_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Whether `path` holds a problem as tables, and which kind: a folder holding `parks.csv`; a file
/// named `*.xlsx` (or another spreadsheet ending); or a file of another name whose first bytes are
/// those of a spreadsheet (a zip archive or an OLE compound file, which no YAML text starts with).
pub fn kind_of(path: &Path) -> Option<TableKind> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_dir() {
        return path
            .join(CSV_MARKER)
            .is_file()
            .then_some(TableKind::CsvFolder);
    }
    if is_workbook_name(path) {
        return Some(TableKind::Workbook);
    }
    if !meta.is_file() {
        return None;
    }
    let mut head = [0u8; 4];
    let n = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .ok()?;
    let zip = n == 4 && head == *b"PK\x03\x04";
    let ole = n == 4 && head == [0xD0, 0xCF, 0x11, 0xE0];
    (zip || ole).then_some(TableKind::Workbook)
}

/// Whether the file's name ends as a spreadsheet's does.
pub fn is_workbook_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| WORKBOOK_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A cell's name as a spreadsheet shows it: `parks!C7` (0-based row and column in), or
/// `parks.csv!C7` for a CSV file.
pub fn cell_name(sheet: &str, row: usize, column: usize, csv: bool) -> String {
    let ext = if csv { ".csv" } else { "" };
    format!("{sheet}{ext}!{}{}", column_letters(column), row + 1)
}

/// `A`, `B`, …, `Z`, `AA`, … for a 0-based column.
pub fn column_letters(mut column: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(cell_name("parks", 6, 2, false), "parks!C7");
        assert_eq!(cell_name("parks", 0, 0, true), "parks.csv!A1");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }
}
