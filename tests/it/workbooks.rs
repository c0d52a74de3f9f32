//! Problems as workbooks and CSV folders: every file in `problems/` converted to an xlsx workbook
//! and to a CSV folder and back solves to the same optimum and main chains; a workbook edited by
//! openpyxl (as a planner's script would) solves as the YAML with the same change; the shipped
//! workbook passes `check`; the template solves to the optimum derived in its comments.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Test, path, problem_files, rel_diff};

/// Relative tolerance on objectives: the same model solved again by HiGHS.
const TOL: f64 = 1e-7;

/// What a solve of a file's base problem gives: exit code, status, objective, main chains.
fn solve(file: &Path) -> (i32, serde_json::Value, Option<f64>, serde_json::Value) {
    let run = Test::new()
        .args(["solve", "-f", "json"])
        .arg(file)
        .any_status()
        .run();
    if run.stdout.trim().is_empty() {
        return (
            run.code,
            serde_json::Value::Null,
            None,
            serde_json::Value::Null,
        );
    }
    let plan = run.json();
    (
        run.code,
        plan["status"].clone(),
        plan["objective"].as_f64(),
        plan["main_chains"].clone(),
    )
}

fn convert(test: &Test, from: &Path, to: &str) -> PathBuf {
    let out = test.tmp(to);
    Test::new()
        .arg("convert")
        .arg(from)
        .arg("-o")
        .arg(&out)
        .run();
    out
}

fn same_solve(label: &str, a: &Path, b: &Path) -> Result<(), String> {
    let (ca, sa, oa, ma) = solve(a);
    let (cb, sb, ob, mb) = solve(b);
    if ca != cb || sa != sb || ma != mb {
        return Err(format!(
            "{label}: exit {ca} vs {cb}, status {sa} vs {sb}, main chains {ma} vs {mb}"
        ));
    }
    match (oa, ob) {
        (Some(x), Some(y)) if rel_diff(x, y) > TOL => Err(format!("{label}: objective {x} vs {y}")),
        (Some(_), None) | (None, Some(_)) => Err(format!("{label}: objective {oa:?} vs {ob:?}")),
        _ => Ok(()),
    }
}

/// A problem's summary line from `validate`: parks, chains, scenarios and sweep points.
fn summary(file: &Path) -> String {
    let out = Test::new().arg("validate").arg(file).run().stdout;
    out.split_once(": ok")
        .map(|(_, s)| s.to_string())
        .unwrap_or(out)
}

#[test]
fn every_problem_file_round_trips_through_a_workbook_and_a_csv_folder() {
    let mut failures = Vec::new();
    let files = problem_files();
    assert!(files.len() >= 30, "{files:?}");
    for file in &files {
        let test = Test::new();
        let label = file.strip_prefix(path("")).unwrap_or(file).display();
        let xlsx = convert(&test, file, "p.xlsx");
        let from_xlsx = convert(&test, &xlsx, "from-xlsx.yaml");
        let csv = convert(&test, file, "p-csv");
        let from_csv = convert(&test, &csv, "from-csv.yaml");
        // The same variants: scenarios and sweep points, counted by validate.
        let want = summary(file);
        for t in [&xlsx, &csv, &from_xlsx, &from_csv] {
            let got = summary(t);
            if got != want {
                failures.push(format!("{label} → {}: {got} vs {want}", t.display()));
            }
        }
        for (back, how) in [(&from_xlsx, "xlsx"), (&from_csv, "csv")] {
            if let Err(e) = same_solve(&format!("{label} via {how}"), file, back) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A Python with openpyxl: the one `./x test` installs under target/py, or the system's.
fn python() -> Option<PathBuf> {
    [path("target/py/bin/python"), PathBuf::from("python3")]
        .into_iter()
        .find(|p| {
            Command::new(p)
                .args(["-c", "import openpyxl"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

#[test]
fn a_workbook_edited_with_openpyxl_solves_as_the_yaml_with_the_same_change() {
    let Some(py) = python() else {
        eprintln!("skipped: no Python with openpyxl (`./x test` installs it under target/py)");
        return;
    };
    let test = Test::new();
    let yaml = path("problems/liupanshui.yaml");
    let xlsx = convert(&test, &yaml, "lps.xlsx");
    // The planner's edit: Hongguo's water, in the parks sheet's `water (…)` column, from 22 down
    // to 16 (its existing plant needs 14.2).
    let script = r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["parks"]
assert ws.freeze_panes == "A2", ws.freeze_panes
assert any("chains!" in str(dv.formula1) for dv in wb["existing"].data_validations.dataValidation)
header = [c.value for c in ws[1]]
col = next(i for i, h in enumerate(header) if h.startswith("water"))
row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "hongguo")
row[col].value = 16
wb.save(sys.argv[1])
"#;
    let out = Command::new(&py)
        .arg("-c")
        .arg(script)
        .arg(&xlsx)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut doc: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(&yaml).unwrap()).unwrap();
    doc["parks"]["hongguo"]["capacity"]["water"] = serde_yaml::Value::from(16.0);
    let changed = test.tmp("changed.yaml");
    std::fs::write(&changed, serde_yaml::to_string(&doc).unwrap()).unwrap();
    same_solve("edited workbook", &xlsx, &changed).unwrap();
    let (_, _, base, _) = solve(&yaml);
    let (_, _, edited, _) = solve(&xlsx);
    assert!(
        rel_diff(base.unwrap(), edited.unwrap()) > 1e-4,
        "the edit should change the optimum: {base:?} vs {edited:?}"
    );
}

#[test]
fn the_shipped_workbook_is_the_yaml_problem_and_check_solves_it() {
    Test::new()
        .args(["check", "problems/guizhou-chemical-parks.xlsx"])
        .stdout_contains("0 failed, 0 invalid, 0 solver error(s)")
        .stdout_contains("guizhou-chemical-parks.xlsx  base")
        .run();
    // The workbook holds the YAML file's problem, so the two cannot drift apart.
    let from_xlsx = Test::new()
        .args(["convert", "problems/guizhou-chemical-parks.xlsx", "-o", "-"])
        .run()
        .stdout;
    let a: parkplan::problem::Problem = serde_yaml::from_str(&from_xlsx).unwrap();
    let b: parkplan::problem::Problem = serde_yaml::from_str(
        &std::fs::read_to_string(path("problems/guizhou-chemical-parks.yaml")).unwrap(),
    )
    .unwrap();
    assert!(
        numbers_as_floats(serde_json::to_value(&a).unwrap())
            == numbers_as_floats(serde_json::to_value(&b).unwrap()),
        "problems/guizhou-chemical-parks.xlsx differs from the YAML file: convert it again"
    );
}

/// A value with every number a float: `set: { x: 1 }` and `{ x: 1.0 }` set the same number, and
/// a cell holds no such difference.
fn numbers_as_floats(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Number(n) => Value::from(n.as_f64().unwrap_or(f64::NAN)),
        Value::Array(items) => Value::Array(items.into_iter().map(numbers_as_floats).collect()),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, numbers_as_floats(v)))
                .collect(),
        ),
        other => other,
    }
}

#[test]
fn the_template_has_every_sheet_and_solves_to_its_derived_optimum() {
    use calamine::Reader;
    let test = Test::new();
    let t = test.tmp("new.xlsx");
    Test::new()
        .args(["convert", "--template", "-o"])
        .arg(&t)
        .run();
    let wb = calamine::open_workbook_auto(&t).unwrap();
    let names: Vec<&str> = parkplan::problem::workbook::layout::SHEETS
        .iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(wb.sheet_names(), names);
    // 6.9 and 64.4/11, derived by hand in src/problem/workbook/template.yaml.
    Test::new()
        .arg("check")
        .arg(&t)
        .stdout_contains("base      optimal, objective 6.9,")
        .stdout_contains("dry-year  optimal, objective 5.854545,")
        .stdout_contains("2 passed, 0 failed")
        .run();
    let csv = test.tmp("new-csv");
    Test::new()
        .args(["convert", "--template", "-o"])
        .arg(&csv)
        .run();
    assert!(csv.join("parks.csv").is_file());
}

#[test]
fn check_takes_a_csv_folder_as_one_problem_beside_yaml_files() {
    let test = Test::new();
    let dir = test.tmp("mixed");
    std::fs::create_dir_all(&dir).unwrap();
    Test::new()
        .args(["convert", "--template", "-o"])
        .arg(dir.join("tables"))
        .run();
    std::fs::copy(
        path("problems/small/city-pool.yaml"),
        dir.join("city-pool.yaml"),
    )
    .unwrap();
    let run = Test::new()
        .arg("check")
        .arg(&dir)
        .stdout_contains("in 2 file(s)")
        .stdout_contains("0 failed")
        .run();
    assert!(run.stdout.contains("tables"), "{}", run.stdout);
}

#[test]
fn a_folder_without_parks_csv_is_not_a_problem() {
    Test::new()
        .file("notes/readme.txt", "nothing here\n")
        .in_tempdir()
        .args(["validate", "notes"])
        .status(2)
        .stderr_contains("parks.csv")
        .run();
}

/// An `.ods` (a zip archive of `mimetype`, a manifest and `content.xml`) whose one sheet is
/// `rows`.
fn ods(file: &Path, rows: &str) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(file).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    // calamine refuses an .ods without its manifest.
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#)
        .unwrap();
    zip.start_file("content.xml", stored).unwrap();
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="parks">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    )
    .unwrap();
    zip.finish().unwrap();
}

/// An `.ods` of 1.5 MB whose 10,000 rows each repeat a value across 16,384 columns: calamine,
/// which reads an `.ods` whole as it opens it, gathered 164 million cells (gigabytes) before
/// parkplan could refuse the first one beyond column ALL. The sheet is now measured first and
/// refused at once; the run is held to 2 GB of address space, so that the allocation, should it
/// come back, fails the test rather than the machine.
#[test]
#[cfg(unix)]
fn an_ods_repeating_cells_far_and_wide_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bomb.ods");
    let row = r#"<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#;
    ods(&file, &row.repeat(10_000));
    let out = validate_in_2_gb(&file);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("parks!ALM1: a cell beyond column ALL (the most columns parkplan reads in a sheet is 1000)"),
        "{err}"
    );
    assert!(err.contains("Ctrl+End"), "{err}");

    // Values far apart: one row of 900 values, 20,000 empty rows, then one value: the rectangle
    // between them is 18 million cells, past the ten million read in all.
    let far = format!(
        r#"<table:table-row><table:table-cell table:number-columns-repeated="900" office:value-type="float" office:value="1"/></table:table-row><table:table-row table:number-rows-repeated="20000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>{}"#,
        r#"<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#
    );
    ods(&file, &far);
    Test::new()
        .arg("validate")
        .arg(&file)
        .status(2)
        .stderr_contains("sheet ‘parks’: the workbook reaches past 10000000 cells")
        .run();

    // A sheet as LibreOffice writes it, empty cells and rows repeated to the sheet's edges, is
    // read: it is not a problem, but calamine read it and parkplan says what is missing.
    let edges = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>park</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#;
    ods(&file, edges);
    Test::new()
        .arg("validate")
        .arg(&file)
        .status(2)
        .stderr_lacks("beyond column")
        .stderr_lacks("cells, the most parkplan reads")
        .run();
}

/// An `.xls` of a few kilobytes holding two numbers, at A1 and at the last row and column BIFF
/// can address: calamine, which reads an `.xls` whole as it opens it, asked for the rectangle
/// between them (4 billion cells) and the process aborted. The sheet is now measured first and
/// refused with the caps' message, under a 2 GB address-space limit.
#[test]
fn an_xls_with_two_far_cells_is_refused_before_it_is_read() {
    use std::io::Write;
    let record = |typ: u16, data: &[u8]| {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    };
    let number = |row: u16, col: u16| {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0, 0]);
        d.extend(1.0f64.to_le_bytes());
        record(0x0203, &d)
    };
    // BOF of BIFF8 (version 0x0600) for the globals (5) or a worksheet (0x10).
    let bof = |kind: u16| {
        let mut d = 0x0600u16.to_le_bytes().to_vec();
        d.extend(kind.to_le_bytes());
        d.extend([0; 12]);
        record(0x0809, &d)
    };
    let eof = record(0x000A, &[]);
    // The globals: one BOUNDSHEET8 naming sheet `parks`, whose BOF follows them.
    let sheet_record = |at: u32| {
        let mut d = at.to_le_bytes().to_vec();
        d.extend([0, 0, 5, 0]);
        d.extend(b"parks");
        record(0x0085, &d)
    };
    let globals_len = bof(5).len() + sheet_record(0).len() + eof.len();
    let mut stream = bof(5);
    stream.extend(sheet_record(globals_len as u32));
    stream.extend(&eof);
    stream.extend(bof(0x10));
    stream.extend(number(0, 0));
    stream.extend(number(65_535, 65_535));
    stream.extend(&eof);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bomb.xls");
    let mut cfb = cfb::create(&file).unwrap();
    {
        let mut s = cfb.create_stream("/Workbook").unwrap();
        s.write_all(&stream).unwrap();
    }
    cfb.flush().unwrap();
    drop(cfb);
    let out = validate_in_2_gb(&file);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("past the limit of 1000 columns and 10000000 cells"),
        "{err}"
    );
}

/// `parkplan validate FILE` under a 2 GB address-space limit: a reader that allocates a bomb's
/// rectangle aborts instead of taking the machine's memory.
fn validate_in_2_gb(file: &Path) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_parkplan"));
    cmd.arg("validate").arg(file);
    // SAFETY: setrlimit(2) is async-signal-safe, and the closure touches nothing else.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 2 << 30,
                rlim_max: 2 << 30,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.output().unwrap()
}
