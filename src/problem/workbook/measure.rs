//! The size of an OpenDocument spreadsheet (`.ods`), measured before calamine reads it.
//!
//! calamine reads every sheet of an `.ods` whole as it opens the file: each row's cells up to its
//! last value, then the rectangle from the first to the last value of the sheet. A cell's
//! `table:number-columns-repeated` and a row's `table:number-rows-repeated` make one element of
//! `content.xml` stand for thousands of cells, so a file of a few kilobytes can ask for gigabytes
//! (calamine caps a sheet at 16,384 columns and a hundred million cells, but not the row elements
//! before it builds the rectangle, and a hundred million cells are gigabytes anyway). This module
//! streams `content.xml` once, counting as calamine will, and refuses a sheet that reaches past
//! the caps the `.xlsx` reader applies cell by cell ([`super::read::MOST_COLUMNS`],
//! [`super::read::MOST_CELLS`]) before anything is allocated for it.

use std::io::{BufReader, Read, Seek};

use quick_xml::events::{BytesStart, Event};

use super::read::{MOST_CELLS, MOST_COLUMNS};
use crate::problem::diagnostic::Diagnostic;

/// Refuses an `.ods` (a zip archive holding `content.xml`) whose sheets reach past the caps.
/// Anything that is not such an archive, or that does not parse, passes: calamine then says what
/// is wrong with it.
pub fn check_ods(file: impl Read + Seek) -> Result<(), Diagnostic> {
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        return Ok(());
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    measure(BufReader::new(content))
}

/// What the scan knows of the sheet it is in.
#[derive(Default)]
struct Table {
    name: String,
    /// Rows before the current one, repeats counted.
    row: u64,
    /// Columns before the current cell in the current row, repeats counted.
    column: u64,
    /// The current row's repeats, and the end (exclusive) of its last cell with a value.
    row_repeats: u64,
    row_end: u64,
    /// The first row with a value, the end (exclusive) of the last one, and the widest row.
    first: Option<u64>,
    last_end: u64,
    width: u64,
    /// The cells calamine gathers row element by row element before it builds the rectangle:
    /// each element with a value once, up to its last value, whatever its repeats.
    raw: u64,
}

impl Table {
    /// The cells calamine allocates for the sheet's rectangle, or for its rows before it,
    /// whichever is more.
    fn cells(&self) -> u64 {
        let rectangle = self
            .first
            .map_or(0, |f| (self.last_end - f).saturating_mul(self.width));
        rectangle.max(self.raw)
    }
}

/// A number attribute of `e` (`table:number-columns-repeated`), 1 when absent or unreadable.
fn repeats(e: &BytesStart<'_>, name: &str) -> u64 {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

fn too_big(what: String) -> Diagnostic {
    Diagnostic::file(what).help(
        "delete the cells beyond the table (in LibreOffice, Ctrl+End goes to the last cell the sheet holds), or give the problem as YAML",
    )
}

/// Streams `content.xml` and refuses a sheet past the caps.
fn measure(content: impl std::io::BufRead) -> Result<(), Diagnostic> {
    let mut reader = quick_xml::Reader::from_reader(content);
    reader.config_mut().check_end_names = false;
    reader.config_mut().trim_text(false);
    let mut buf = Vec::new();
    let mut table: Option<Table> = None;
    // Cells calamine holds across sheets: each sheet's row cells and its rectangle.
    let mut total = 0u64;
    loop {
        let (e, empty) = match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                match (e.name().as_ref(), table.as_mut()) {
                    ("table:table-row", Some(t)) => end_row(t),
                    ("table:table", Some(t)) => {
                        total = total.saturating_add(t.cells());
                        if total > MOST_CELLS as u64 {
                            return Err(too_big(format!(
                                "sheet ‘{}’: the workbook reaches past {MOST_CELLS} cells, the most parkplan reads",
                                t.name
                            )));
                        }
                        table = None;
                    }
                    _ => {}
                }
                buf.clear();
                continue;
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {
                buf.clear();
                continue;
            }
        };
        match (e.name().as_ref(), table.as_mut()) {
            ("table:table", _) => {
                let name = e
                    .try_get_attribute("table:name")
                    .ok()
                    .flatten()
                    .map(|a| a.value.into_owned())
                    .unwrap_or_default();
                table = (!empty).then(|| Table {
                    name,
                    ..Table::default()
                });
            }
            ("table:table-row", Some(t)) => {
                t.column = 0;
                t.row_end = 0;
                t.row_repeats = repeats(&e, "table:number-rows-repeated");
                if empty {
                    end_row(t);
                }
            }
            ("table:table-cell" | "table:covered-table-cell", Some(t)) => {
                let n = repeats(&e, "table:number-columns-repeated");
                // A cell with content or a value type may hold a value; only an empty element
                // without one is surely empty (calamine keeps empty cells only before a value).
                let value = !empty
                    || e.try_get_attribute("office:value-type")
                        .ok()
                        .flatten()
                        .is_some()
                    || e.try_get_attribute("table:formula")
                        .ok()
                        .flatten()
                        .is_some();
                let end = t.column.saturating_add(n);
                if value {
                    if end > MOST_COLUMNS as u64 {
                        let row = usize::try_from(t.row).unwrap_or(usize::MAX);
                        return Err(too_big(format!(
                            "{}: a cell beyond column {} (the most columns parkplan reads in a sheet is {MOST_COLUMNS})",
                            super::cell_name(&t.name, row, MOST_COLUMNS, false),
                            super::column_letters(MOST_COLUMNS - 1)
                        )));
                    }
                    t.row_end = end;
                }
                t.column = end;
            }
            _ => {}
        }
        // The cells of each row with a value, as calamine gathers them before the rectangle.
        if let Some(t) = table.as_ref()
            && total.saturating_add(t.cells()) > MOST_CELLS as u64
        {
            return Err(too_big(format!(
                "sheet ‘{}’: the workbook reaches past {MOST_CELLS} cells, the most parkplan reads",
                t.name
            )));
        }
        buf.clear();
    }
}

/// Closes a row: the rectangle runs from the first row with a value to the last, each as wide
/// as the widest.
fn end_row(t: &mut Table) {
    if t.row_end > 0 {
        t.first.get_or_insert(t.row);
        t.last_end = t.row.saturating_add(t.row_repeats);
        t.width = t.width.max(t.row_end);
        t.raw = t.raw.saturating_add(t.row_end);
    }
    t.row = t.row.saturating_add(t.row_repeats);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><office:document-content><office:body><office:spreadsheet><table:table table:name="parks">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        )
    }

    fn check(xml: &str) -> Result<(), Diagnostic> {
        measure(xml.as_bytes())
    }

    #[test]
    fn trailing_empty_cells_and_rows_as_libreoffice_writes_them_pass() {
        let xml = sheet(
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p>park</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
        );
        check(&xml).unwrap();
    }

    #[test]
    fn a_value_far_to_the_right_is_refused() {
        let xml = sheet(
            r#"<table:table-row><table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#,
        );
        let d = check(&xml).unwrap_err();
        assert!(
            d.message.contains("a cell beyond column ALL"),
            "{}",
            d.message
        );
    }

    #[test]
    fn a_value_repeated_down_a_million_rows_is_refused() {
        let xml = sheet(
            r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="20" office:value-type="float" office:value="1"/></table:table-row>"#,
        );
        let d = check(&xml).unwrap_err();
        assert!(d.message.contains("past 10000000 cells"), "{}", d.message);
    }

    #[test]
    fn values_far_apart_are_refused_for_the_rectangle_between() {
        let xml = sheet(
            r#"<table:table-row><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="900"/></table:table-row><table:table-row table:number-rows-repeated="100000"/><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#,
        );
        let d = check(&xml).unwrap_err();
        assert!(d.message.contains("past 10000000 cells"), "{}", d.message);
    }
}
