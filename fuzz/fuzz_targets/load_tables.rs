//! Bytes → a problem written as tables, read as `parkplan validate` reads a workbook or a folder of
//! CSV files, and validated with every scenario and sweep point. Any input may be refused, with
//! diagnostics; none may panic.
//!
//! The input takes one of three roads, by its first bytes:
//! - `PK…` (a zip archive): the bytes are a workbook file, so calamine and the zip reader meet
//!   them as they are;
//! - `x…`: the rest is sheets as text (below), written as an `.xlsx` workbook by parkplan's own
//!   writer and read back, so that the cells reach the reader typed: a number, text, `TRUE`, a
//!   formula (`=…`) or nothing;
//! - anything else: sheets as text, each written as a CSV file of a folder.
//!
//! Sheets as text: a line `=== NAME` starts the sheet (or CSV file) NAME; the lines after it are
//! its rows. For a workbook the cells of a row are split at commas; a CSV file is written as it is.

#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use parkplan::problem::SourceFile;
use parkplan::problem::workbook::{self, Book, Cell, Sheet};

/// A folder of this process's own, emptied before each input.
static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join(format!("parkplan-fuzz-tables-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
});

/// Splits `text` into sheets at its `=== NAME` lines; a name is kept to letters, digits and `_`
/// (at most 31 characters, a sheet name's limit), so that it is a file name too.
fn sheets(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("=== ") {
            let name: String = name
                .trim()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(31)
                .collect();
            if !name.is_empty() && !out.iter().any(|(n, _)| *n == name) {
                out.push((name, String::new()));
                continue;
            }
        }
        if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
        }
    }
    out
}

fn cell(s: &str) -> Cell {
    let s = s.trim_end_matches('\r');
    if s.is_empty() {
        Cell::Empty
    } else if let Some(f) = s.strip_prefix('=') {
        Cell::Formula(f.to_string())
    } else if s == "TRUE" || s == "FALSE" {
        Cell::Bool(s == "TRUE")
    } else if let Ok(x) = s.parse::<f64>() {
        Cell::Number(x)
    } else {
        Cell::Text(s.to_string())
    }
}

fn book(text: &str) -> Book {
    let sheets = sheets(text)
        .into_iter()
        .map(|(name, body)| Sheet {
            name,
            rows: body
                .lines()
                .map(|line| line.split(',').map(cell).collect())
                .collect(),
        })
        .collect();
    Book {
        sheets,
        csv: false,
    }
}

/// Writes the input where the reader will find it, and returns that path; `None` when the input
/// makes no file (a workbook the writer refuses).
fn place(data: &[u8]) -> Option<PathBuf> {
    let dir = &*DIR;
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("a temporary folder");
    if data.starts_with(b"PK") {
        let path = dir.join("fuzz.xlsx");
        std::fs::write(&path, data).expect("writes the workbook");
        return Some(path);
    }
    let text = std::str::from_utf8(data).ok()?;
    if let Some(rest) = text.strip_prefix('x') {
        let bytes = workbook::write::xlsx(&book(rest)).ok()?;
        let path = dir.join("fuzz.xlsx");
        std::fs::write(&path, bytes).expect("writes the workbook");
        return Some(path);
    }
    let folder = dir.join("csv");
    std::fs::create_dir_all(&folder).expect("a CSV folder");
    for (name, body) in sheets(text) {
        std::fs::write(folder.join(format!("{name}.csv")), body).expect("writes a CSV file");
    }
    Some(folder)
}

fuzz_target!(|data: &[u8]| {
    let Some(path) = place(data) else {
        return;
    };
    let result = SourceFile::read(&path).and_then(|src| src.validate_all());
    if let Err(diagnostics) = result {
        assert!(!diagnostics.items.is_empty(), "an error without a diagnostic");
        let rendered = diagnostics.to_string();
        assert!(rendered.starts_with("error: "), "{rendered}");
    }
});
