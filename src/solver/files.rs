//! The model parkplan solves, written as an LP or MPS file with readable names so it can be checked
//! in another solver; and such a file read back into HiGHS and solved. Beside [`crate::solver`], the
//! only module that knows HiGHS.
//!
//! The file holds exactly what [`crate::solver::solve`] hands to HiGHS: the same columns, bounds,
//! integrality, rows and objective. Columns are named as in [`Model::col_names`]
//! (`x[zhongshan,coal_power]`, `y[…]`, `f[fly_ash,faer,zhongshan]`, `b[coal,panbei]`) and rows as
//! in [`crate::model::Row::name`] (`land[pannan]`, `pool[funds]`, `grow[faer,bricks]`, …). LP
//! files cannot hold brackets or `-` in names (HiGHS would replace every name by `c0`, `r0`, …),
//! so there `x[zhongshan,coal_power]` is written `x(zhongshan,coal_power)` and `-` becomes `_`.
//! A name that would repeat another gets `#2`, `#3`, … appended.
//!
//! Both files are written to be read unchanged by GLPK (`glpsol --freemps`, `glpsol --lp`) and CBC
//! as well as HiGHS:
//!
//! - The MPS file has no `OBJSENSE` section, which GLPK's MPS reader refuses and CBC ignores (it
//!   would minimise): it states the minimisation of the negated objective, so its optimum is
//!   minus parkplan's, as the comment lines (`*`) at its top say.
//! - The LP file maximises, as CPLEX LP can say, and spells its section headers out
//!   (`binary`, `general`) where HiGHS writes `bin` and `gen`, which CBC does not know; sections
//!   with nothing in them are left out, since GLPK reads the empty `semi` HiGHS writes as the name
//!   of one more integer column.

use std::ffi::CString;
use std::path::{Path, PathBuf};

use highs_sys as ffi;

use crate::model::Model;
use crate::solver::{
    SolveError, SolveOptions, SolveStatus, highs_model, highs_model_negated, highs_status,
};

/// The comment lines at the top of an MPS file, after its `NAME` line.
const MPS_NOTE: &str = "\
* Written by parkplan. The objective row `Obj` holds parkplan's objective negated, and the
* file asks for its minimum (no OBJSENSE section, which not every MPS reader takes): the
* optimum of parkplan's plan is minus the minimum of this file.
";

/// The name written on the `NAME` line of an MPS file.
const MPS_NAME: &str = "parkplan";

/// The file formats a model can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelFormat {
    /// CPLEX LP format.
    Lp,
    /// Free MPS format.
    Mps,
}

impl ModelFormat {
    /// The format a file name asks for, by its extension (`.lp`, `.mps`).
    pub fn from_path(path: &Path) -> Option<ModelFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "lp" => Some(ModelFormat::Lp),
            "mps" => Some(ModelFormat::Mps),
            _ => None,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ModelFormat::Lp => "lp",
            ModelFormat::Mps => "mps",
        }
    }
}

/// Why a model could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// HiGHS could not take the model.
    #[error(transparent)]
    Solver(#[from] SolveError),
    /// A name HiGHS cannot hold (it contains a NUL byte).
    #[error("the name `{0}` cannot be written to a model file")]
    BadName(String),
    /// HiGHS failed to write the file.
    #[error("HiGHS could not write the model as {format:?}: {reason}")]
    Write {
        /// The format asked for.
        format: ModelFormat,
        /// What went wrong.
        reason: String,
    },
    /// HiGHS failed to read the file.
    #[error("HiGHS could not read {path}: {reason}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
}

/// Owns a HiGHS instance made with `Highs_create` and destroys it when dropped.
struct Highs(*mut std::ffi::c_void);

impl Highs {
    fn new() -> Highs {
        // SAFETY: Highs_create has no preconditions; the pointer is destroyed once, in Drop.
        let h = Highs(unsafe { ffi::Highs_create() });
        h.quiet();
        h
    }

    fn quiet(&self) {
        for (name, value) in [("output_flag", 0), ("log_to_console", 0)] {
            let name = CString::new(name).expect("no NUL");
            // SAFETY: a live instance and a NUL-terminated option name.
            unsafe { ffi::Highs_setBoolOptionValue(self.0, name.as_ptr(), value) };
        }
        let threads = CString::new("threads").expect("no NUL");
        // SAFETY: as above. One thread, as every solve in this process (see crate::solver).
        unsafe { ffi::Highs_setIntOptionValue(self.0, threads.as_ptr(), 1) };
    }
}

impl Highs {
    fn set_double(&self, name: &str, value: f64) {
        let name = CString::new(name).expect("no NUL");
        // SAFETY: a live instance and a NUL-terminated option name.
        unsafe { ffi::Highs_setDoubleOptionValue(self.0, name.as_ptr(), value) };
    }
}

impl Drop for Highs {
    fn drop(&mut self) {
        // SAFETY: created by Highs_create and not destroyed before.
        unsafe { ffi::Highs_destroy(self.0) }
    }
}

/// A name as the format can hold it: LP names may not contain brackets or `-`.
fn legal_name(name: &str, format: ModelFormat) -> String {
    match format {
        ModelFormat::Mps => name.to_string(),
        ModelFormat::Lp => name
            .chars()
            .map(|ch| match ch {
                '[' => '(',
                ']' => ')',
                '-' => '_',
                other => other,
            })
            .collect(),
    }
}

/// Names made legal for the format and unique (a repeated name gets `#2`, `#3`, … appended), and
/// checked for NUL bytes.
fn unique_names<'a>(
    names: impl Iterator<Item = &'a str>,
    format: ModelFormat,
) -> Result<Vec<CString>, ExportError> {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    names
        .map(|n| {
            let n = legal_name(n, format);
            let n = n.as_str();
            let count = seen.entry(n.to_string()).or_insert(0);
            *count += 1;
            let name = if *count == 1 {
                n.to_string()
            } else {
                format!("{n}#{count}")
            };
            CString::new(name).map_err(|_| ExportError::BadName(n.to_string()))
        })
        .collect()
}

fn path_cstring(path: &Path) -> Result<CString, String> {
    let s = path
        .to_str()
        .ok_or_else(|| "the path is not valid UTF-8".to_string())?;
    CString::new(s).map_err(|_| "the path contains a NUL byte".to_string())
}

/// The model as the text of an LP or MPS file, with readable row and column names.
pub fn write_model(model: &Model, format: ModelFormat) -> Result<String, ExportError> {
    let hm = to_highs(model, format)?;
    write_highs(model, hm, format)
}

/// The model handed to HiGHS as [`write_model`] writes it (maximising for LP, the negated
/// objective minimised for MPS), not yet named: the first half of [`write_model`], on its own
/// for timing the conversion (`parkplan export --timings`).
pub fn to_highs(model: &Model, format: ModelFormat) -> Result<highs::Model, ExportError> {
    Ok(match format {
        ModelFormat::Lp => highs_model(model)?,
        ModelFormat::Mps => highs_model_negated(model)?,
    })
}

/// The second half of [`write_model`]: names the columns and rows of `hm` (from
/// [`to_highs`] of the same model) and writes it out as text.
pub fn write_highs(
    model: &Model,
    mut hm: highs::Model,
    format: ModelFormat,
) -> Result<String, ExportError> {
    let cols = unique_names(model.col_names.iter().map(String::as_str), format)?;
    let rows = unique_names(model.rows.iter().map(|r| r.name.as_str()), format)?;
    let ptr = hm.as_mut_ptr();
    let fail = |reason: String| ExportError::Write { format, reason };
    if hm.num_cols() != cols.len() || hm.num_rows() != rows.len() {
        return Err(fail(format!(
            "HiGHS holds {} columns and {} rows, the model {} and {}",
            hm.num_cols(),
            hm.num_rows(),
            cols.len(),
            rows.len()
        )));
    }
    for (i, name) in cols.iter().enumerate() {
        // SAFETY: a live instance, an index below its column count, a NUL-terminated name.
        let status = unsafe { ffi::Highs_passColName(ptr, i as ffi::HighsInt, name.as_ptr()) };
        if status == ffi::STATUS_ERROR {
            return Err(fail(format!("column name {name:?} refused")));
        }
    }
    for (i, name) in rows.iter().enumerate() {
        // SAFETY: as above, for rows.
        let status = unsafe { ffi::Highs_passRowName(ptr, i as ffi::HighsInt, name.as_ptr()) };
        if status == ffi::STATUS_ERROR {
            return Err(fail(format!("row name {name:?} refused")));
        }
    }
    if format == ModelFormat::Mps {
        let name = CString::new(MPS_NAME).expect("no NUL");
        // SAFETY: a live instance and a NUL-terminated name.
        let status = unsafe { ffi::Highs_passModelName(ptr, name.as_ptr()) };
        if status == ffi::STATUS_ERROR {
            return Err(fail(format!("model name {name:?} refused")));
        }
    }
    // HiGHS picks the format by the file's extension and writes only to files: write into a
    // private folder and read the text back.
    let dir = tempfile::tempdir().map_err(|e| fail(e.to_string()))?;
    let file = dir.path().join(format!("model.{}", format.extension()));
    let c_file = path_cstring(&file).map_err(fail)?;
    // SAFETY: a live instance and a NUL-terminated path.
    let status = unsafe { ffi::Highs_writeModel(ptr, c_file.as_ptr()) };
    if status == ffi::STATUS_ERROR {
        return Err(fail("Highs_writeModel failed".into()));
    }
    let text = std::fs::read_to_string(&file).map_err(|e| fail(e.to_string()))?;
    Ok(match format {
        ModelFormat::Lp => portable_lp(&text),
        ModelFormat::Mps => portable_mps(&text).ok_or_else(|| {
            fail("the MPS text HiGHS wrote has no NAME line, or an OBJSENSE section".into())
        })?,
    })
}

/// HiGHS's MPS text with the comment lines of [`MPS_NOTE`] after its `NAME` line; `None` when it
/// does not start with `NAME`, or holds an `OBJSENSE` section (which HiGHS writes only for a
/// maximisation, and the model written is a minimisation).
fn portable_mps(text: &str) -> Option<String> {
    let (name, rest) = text.split_once('\n')?;
    if !name.starts_with("NAME") || text.lines().any(|l| l.trim() == "OBJSENSE") {
        return None;
    }
    Some(format!("{name}\n{MPS_NOTE}{rest}"))
}

/// The section headers of an LP file that HiGHS abbreviates, with the spelling every reader
/// takes.
const LP_SECTIONS: [(&str, &str); 3] = [
    ("bin", "binary"),
    ("gen", "general"),
    ("semi", "semi-continuous"),
];

/// HiGHS's LP text with the integrality sections spelt out and the empty ones left out, and
/// without the bound `<= 1` of each binary column, which its section implies (GLPK warns that it
/// is redefined). Headers are the lines that are not indented (HiGHS indents every entry by one
/// space).
fn portable_lp(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let binary: std::collections::HashSet<String> = lines
        .iter()
        .skip_while(|l| **l != "bin")
        .skip(1)
        .take_while(|l| l.starts_with(' '))
        .map(|l| format!("{} <= 1", l.trim_end()))
        .collect();
    let mut out = String::with_capacity(text.len() + 64);
    let mut section = "";
    for (i, line) in lines.iter().enumerate() {
        if !line.starts_with(' ') {
            section = line;
        } else if section == "bounds" && binary.contains(*line) {
            continue;
        }
        if let Some((_, spelt)) = LP_SECTIONS.iter().find(|(short, _)| line == short) {
            let empty = lines
                .get(i + 1)
                .is_none_or(|next| !next.starts_with(' ') || next.trim().is_empty());
            if !empty {
                out.push_str(spelt);
                out.push('\n');
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The result of solving a model file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileSolution {
    /// How the solve ended.
    pub status: SolveStatus,
    /// The objective value, when a plan was found (also a plan kept at a time limit).
    pub objective: Option<f64>,
    /// The relative MIP gap of that plan, when HiGHS knows one.
    pub gap: Option<f64>,
    /// Columns in the file.
    pub columns: usize,
    /// Rows in the file.
    pub rows: usize,
}

/// Reads an LP or MPS file into a fresh HiGHS instance and solves it with the MIP gap and time
/// limit of `options` (one thread, HiGHS's defaults otherwise).
pub fn solve_model_file(path: &Path, options: &SolveOptions) -> Result<FileSolution, ExportError> {
    let fail = |reason: String| ExportError::Read {
        path: path.to_path_buf(),
        reason,
    };
    let c_path = path_cstring(path).map_err(fail)?;
    let h = Highs::new();
    h.set_double("mip_rel_gap", options.mip_rel_gap);
    if let Some(t) = options.remaining() {
        h.set_double("time_limit", t);
    }
    // SAFETY: a live instance and a NUL-terminated path.
    let status = unsafe { ffi::Highs_readModel(h.0, c_path.as_ptr()) };
    if status == ffi::STATUS_ERROR {
        return Err(fail("Highs_readModel failed".into()));
    }
    // SAFETY: a live instance holding a model.
    let run = unsafe { ffi::Highs_run(h.0) };
    if run == ffi::STATUS_ERROR {
        return Err(fail("Highs_run failed".into()));
    }
    // SAFETY: a live instance after a run.
    let (model_status, objective, columns, rows) = unsafe {
        (
            ffi::Highs_getModelStatus(h.0),
            ffi::Highs_getObjectiveValue(h.0),
            ffi::Highs_getNumCols(h.0),
            ffi::Highs_getNumRows(h.0),
        )
    };
    let mut primal: ffi::HighsInt = 0;
    let mut gap = f64::NAN;
    // SAFETY: a live instance after a run; the names are C strings and the values valid places.
    unsafe {
        ffi::Highs_getIntInfoValue(h.0, c"primal_solution_status".as_ptr(), &mut primal);
        ffi::Highs_getDoubleInfoValue(h.0, c"mip_gap".as_ptr(), &mut gap);
    }
    let status = file_status(model_status, primal == ffi::kHighsSolutionStatusFeasible)
        .ok_or_else(|| fail(format!("unexpected model status {model_status}")))?;
    Ok(FileSolution {
        status,
        objective: status.has_plan().then_some(objective),
        gap: (status.has_plan() && gap.is_finite()).then(|| gap.max(0.0)),
        columns: columns.max(0) as usize,
        rows: rows.max(0) as usize,
    })
}

/// A file solve's status from HiGHS's model status and whether it holds a feasible plan: a stop
/// at the time limit with a plan is `time_limit`, as in every parkplan solve, not `no_solution`.
fn file_status(model_status: ffi::HighsInt, has_primal: bool) -> Option<SolveStatus> {
    highs::HighsModelStatus::try_from(model_status)
        .ok()
        .and_then(|s| highs_status(s, has_primal, true).ok().flatten())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_stopped_at_the_time_limit_with_a_plan_has_it() {
        // Regression: a time-limit stop was read as "no solution" whatever HiGHS held.
        let limit = highs::HighsModelStatus::ReachedTimeLimit as ffi::HighsInt;
        assert_eq!(file_status(limit, true), Some(SolveStatus::TimeLimit));
        assert_eq!(file_status(limit, false), Some(SolveStatus::NoSolution));
        let optimal = highs::HighsModelStatus::Optimal as ffi::HighsInt;
        assert_eq!(file_status(optimal, true), Some(SolveStatus::Optimal));
    }

    #[test]
    fn repeated_names_are_made_unique() {
        let names = unique_names(["a", "b", "a", "a"].into_iter(), ModelFormat::Mps).unwrap();
        let names: Vec<_> = names.iter().map(|c| c.to_str().unwrap()).collect();
        assert_eq!(names, ["a", "b", "a#2", "a#3"]);
    }

    #[test]
    fn lp_names_lose_brackets_and_dashes() {
        let names = unique_names(["x[a-b,c]", "x[a_b,c]"].into_iter(), ModelFormat::Lp).unwrap();
        let names: Vec<_> = names.iter().map(|c| c.to_str().unwrap()).collect();
        assert_eq!(names, ["x(a_b,c)", "x(a_b,c)#2"]);
    }

    #[test]
    fn a_nul_byte_is_an_error_not_a_panic() {
        assert!(matches!(
            unique_names(["x\0y"].into_iter(), ModelFormat::Mps),
            Err(ExportError::BadName(_))
        ));
    }

    #[test]
    fn lp_sections_are_spelt_out_and_empty_ones_left_out() {
        let text = "max\n obj: +1 y +1 x\nst\n c: +1 y +1 x <= +1\nbounds\n y <= 1\n x <= 1\nbin\n y\ngen\nsemi\nend\n";
        assert_eq!(
            portable_lp(text),
            "max\n obj: +1 y +1 x\nst\n c: +1 y +1 x <= +1\nbounds\n x <= 1\nbinary\n y\nend\n"
        );
    }

    #[test]
    fn the_mps_note_follows_the_name_line() {
        let text = portable_mps("NAME        parkplan\nROWS\n N  Obj\n").unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "NAME        parkplan");
        assert!(lines[1].starts_with("* Written by parkplan."));
        let rows = lines.iter().position(|l| *l == "ROWS").unwrap();
        assert!(lines[1..rows].iter().all(|l| l.starts_with('*')), "{text}");
        assert_eq!(lines[rows..], ["ROWS", " N  Obj"]);
        assert!(portable_mps("NAME\nOBJSENSE\n  MAX\nROWS\n").is_none());
    }

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(
            ModelFormat::from_path(Path::new("m.MPS")),
            Some(ModelFormat::Mps)
        );
        assert_eq!(
            ModelFormat::from_path(Path::new("m.lp")),
            Some(ModelFormat::Lp)
        );
        assert_eq!(ModelFormat::from_path(Path::new("m.txt")), None);
    }
}
