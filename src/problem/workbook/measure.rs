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

/// Refuses an `.xls` (a compound file holding a BIFF `Workbook` stream) whose sheets reach past
/// the caps. calamine reads every sheet of an `.xls` as it opens it: it reserves room for the
/// rectangle a sheet's `DIMENSIONS` record states, then builds the rectangle from the first to
/// the last cell with a value. Both come from two-byte or four-byte fields, so a file of a few
/// hundred bytes can ask for a hundred gigabytes. This scans the stream's records once, as
/// calamine will read them, before it does. Anything that is not such a file passes: calamine
/// then says what is wrong with it.
pub fn check_xls(file: impl Read + Seek) -> Result<(), Diagnostic> {
    let Ok(mut cfb) = cfb::CompoundFile::open(file) else {
        return Ok(());
    };
    let stream = match cfb.open_stream("/Workbook") {
        Ok(s) => s,
        Err(_) => match cfb.open_stream("/Book") {
            Ok(s) => s,
            Err(_) => return Ok(()),
        },
    };
    scan_biff(BufReader::new(stream))
}

/// The extent of one sheet's cells with a value: first and last row, first and last column.
#[derive(Default)]
struct Extent(Option<(u64, u64, u64, u64)>);

impl Extent {
    fn add(&mut self, row: u64, col: u64) {
        self.0 = Some(match self.0 {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    /// The rectangle calamine would allocate, refused past the caps.
    fn check(&self, sheet: usize) -> Result<(), Diagnostic> {
        let Some((r0, r1, c0, c1)) = self.0 else {
            return Ok(());
        };
        refuse_xls(sheet, c1 + 1, (r1 - r0 + 1).saturating_mul(c1 - c0 + 1))
    }
}

fn refuse_xls(sheet: usize, columns: u64, cells: u64) -> Result<(), Diagnostic> {
    if columns > MOST_COLUMNS as u64 || cells > MOST_CELLS as u64 {
        return Err(Diagnostic::file(format!(
            "sheet {sheet} of the workbook reaches {columns} column(s) and {cells} cell(s), past \
             the limit of {MOST_COLUMNS} columns and {MOST_CELLS} cells a sheet may have"
        ))
        .help("a problem's tables are far smaller: save the workbook as .xlsx after deleting what lies beyond its tables"));
    }
    Ok(())
}

fn scan_biff(mut r: impl Read) -> Result<(), Diagnostic> {
    let u16_at = |d: &[u8], i: usize| u64::from(u16::from_le_bytes([d[i], d[i + 1]]));
    let u32_at =
        |d: &[u8], i: usize| u64::from(u32::from_le_bytes([d[i], d[i + 1], d[i + 2], d[i + 3]]));
    let mut sheet = 0usize;
    let mut extent = Extent::default();
    let mut data = Vec::new();
    loop {
        let mut head = [0u8; 4];
        if r.read_exact(&mut head).is_err() {
            break;
        }
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        data.resize(len, 0);
        if r.read_exact(&mut data).is_err() {
            break;
        }
        let d = &data[..];
        match typ {
            // BOF and EOF: a sheet (or the globals) begins or ends.
            0x0809 | 0x000A => {
                extent.check(sheet)?;
                extent = Extent::default();
                if typ == 0x0809 {
                    sheet += 1;
                }
            }
            // DIMENSIONS: calamine reserves (last − first + 1) rows × columns, in 32-bit
            // arithmetic that wraps when the first row is past the last.
            0x0200 if len == 14 || len == 16 || len == 10 => {
                let (rf, rl, cf, cl) = if len == 10 {
                    (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6))
                } else {
                    (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10))
                };
                let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                if rl >= 1 && cl >= 1 {
                    let rows = u64::from(((rl - 1) as u32).wrapping_sub(rf as u32).wrapping_add(1));
                    let cols = u64::from(((cl - 1) as u32).wrapping_sub(cf as u32).wrapping_add(1));
                    refuse_xls(sheet, cl, rows.saturating_mul(cols))?;
                }
            }
            // Cells with a value, and formulas: row, then column.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 if len >= 4 => {
                extent.add(u16_at(d, 0), u16_at(d, 2));
            }
            // MULRK: one row, a first and a last column.
            0x00BD if len >= 6 => {
                let row = u16_at(d, 0);
                extent.add(row, u16_at(d, 2));
                extent.add(row, u16_at(d, len - 2));
            }
            _ => {}
        }
    }
    extent.check(sheet)
}

#[cfg(test)]
mod xls_tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    /// A NUMBER record at `row`, `col`.
    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0, 0]);
        d.extend(1.0f64.to_le_bytes());
        record(0x0203, &d)
    }

    fn xls(records: &[Vec<u8>]) -> std::io::Cursor<Vec<u8>> {
        let mut cfb = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
        {
            let mut s = cfb.create_stream("/Workbook").unwrap();
            let bof = record(0x0809, &[0; 16]);
            let eof = record(0x000A, &[]);
            std::io::Write::write_all(&mut s, &bof).unwrap();
            for r in records {
                std::io::Write::write_all(&mut s, r).unwrap();
            }
            std::io::Write::write_all(&mut s, &eof).unwrap();
        }
        let mut inner = cfb.into_inner();
        inner.set_position(0);
        inner
    }

    /// Two cells with a value, at A1 and at the last row of column AHQ: a rectangle of 59
    /// million cells (about 2 GB in calamine).
    pub(super) fn bomb() -> std::io::Cursor<Vec<u8>> {
        xls(&[number(0, 0), number(65_535, 900)])
    }

    #[test]
    fn two_far_cells_of_an_xls_are_refused_before_calamine_reads_them() {
        let bomb = bomb();
        assert!(bomb.get_ref().len() < 100_000, "a small file");
        let e = check_xls(bomb).expect_err("refused");
        assert!(e.message.contains("past the limit"), "{}", e.message);
    }

    #[test]
    fn a_dimensions_record_past_the_caps_is_refused() {
        let mut d = 0u32.to_le_bytes().to_vec();
        d.extend(1_000_000u32.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(200u16.to_le_bytes());
        d.extend([0, 0]);
        assert!(check_xls(xls(&[record(0x0200, &d)])).is_err());
        // A row first past the last wraps in calamine's arithmetic: refused too.
        let mut d = 5u32.to_le_bytes().to_vec();
        d.extend(1u32.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(2u16.to_le_bytes());
        d.extend([0, 0]);
        assert!(check_xls(xls(&[record(0x0200, &d)])).is_err());
    }

    #[test]
    fn a_small_sheet_and_anything_else_pass() {
        assert!(check_xls(xls(&[number(0, 0), number(40, 12)])).is_ok());
        assert!(check_xls(std::io::Cursor::new(b"not a compound file".to_vec())).is_ok());
    }
}
