//! The command line: clap structs, and one function per subcommand that turns them into library
//! calls. This is the only layer that prints.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod alternatives;
mod check;
mod compare;
mod convert;
mod designations;
mod enumerate;
pub mod exit;
mod explain;
mod export;
mod formats;
mod generate;
mod reference;
mod report;
mod robust;
mod schema;
mod serve;
mod solve;
mod validate;
mod verify;
mod whole;

pub use alternatives::AlternativesArgs;
pub use check::CheckArgs;
pub use compare::CompareArgs;
pub use convert::ConvertArgs;
pub use designations::DesignationsArgs;
pub use enumerate::EnumerateArgs;
pub use explain::ExplainArgs;
pub use export::ExportArgs;
pub use generate::GenerateArgs;
pub use report::ReportArgs;
pub use robust::RobustArgs;
pub use schema::SchemaArgs;
pub use serve::ServeArgs;
pub use solve::SolveArgs;
pub use verify::VerifyArgs;

mod merge;
mod pareto;
mod sweep;

pub use merge::MergeArgs;
pub use pareto::ParetoArgs;
pub use sweep::SweepArgs;

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::cli::exit::Exit;
use parkplan::problem::{Diagnostic, Diagnostics, SourceFile, ValidProblem};
use parkplan::solver::{SolveOptions, StartMode};
use parkplan::util::atomic;
use parkplan::variant::{self, Variant};

/// parkplan — plan circular-economy industrial parks: which main chain each park develops, how
/// scarce land, power, water and funds are shared, and which wastes feed which chains.
#[derive(Debug, Parser)]
#[command(name = "parkplan", version, about, long_about = None)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Solve a problem (or one of its scenarios) and print the plan.
    Solve(SolveArgs),
    /// Check a problem file, every scenario and every sweep point, without solving.
    Validate {
        /// The problem file.
        file: PathBuf,
        /// The most points one sweep may have; larger sweeps are refused.
        #[arg(
            allow_negative_numbers = true,
            long,
            value_name = "N",
            default_value_t = parkplan::variant::DEFAULT_MAX_POINTS,
            value_parser = whole::whole::<usize>("0 or more")
        )]
        max_points: usize,
    },
    /// Confirm an optimum independently: one LP per main-chain assignment.
    Enumerate(EnumerateArgs),
    /// Check a plan against its problem without a solver: every constraint, and the objective.
    Verify(VerifyArgs),
    /// Solve every known optimum (`expected:`) in files or folders and compare; verify each plan.
    Check(CheckArgs),
    /// Print the JSON Schema of the problem format (for editors and validators).
    Schema(SchemaArgs),
    /// Compare plans side by side (plan files, or a problem's scenarios), with changes against a
    /// base.
    Compare(CompareArgs),
    /// Explain an infeasible problem: the smallest changes that make it feasible.
    Explain(ExplainArgs),
    /// Write a report (self-contained HTML with charts, or Markdown) on plans, a comparison or a
    /// problem's scenarios.
    Report(ReportArgs),
    /// Write the exact model parkplan solves as an LP or MPS file, with readable names.
    Export(ExportArgs),
    /// Solve the base problem, its scenarios and sweep points side by side; summarise them.
    Sweep(SweepArgs),
    /// Trace the trade-off between total output value and total waste reuse.
    Pareto(ParetoArgs),
    /// Join the outputs of a sweep's shards into one summary.
    Merge(MergeArgs),
    /// Rank the best main-chain assignments: the optimum, then the best plan that differs from
    /// every earlier one.
    Alternatives(AlternativesArgs),
    /// Choose one main-chain assignment for several scenarios at once, with VSS and EVPI.
    Robust(RobustArgs),
    /// Price every designation: what each park would lose with each other main chain.
    Designations(DesignationsArgs),
    /// Write a realistic problem file of any size, feasible by construction.
    Generate(GenerateArgs),
    /// Serve problem files to a browser: change assumptions in forms, re-solve, compare, save.
    Serve(ServeArgs),
    /// Print every command and option as Markdown (the book's reference page).
    #[command(hide = true)]
    CliReference,
    /// Convert a problem between YAML, an xlsx workbook and a folder of CSV files, or write the
    /// template workbook (--template).
    Convert(ConvertArgs),
}

/// Solver settings shared by every command that solves.
#[derive(Debug, Clone, clap::Args)]
pub struct SolverArgs {
    /// Relative MIP gap at which a plan counts as optimal.
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value_t = 1e-6,
        value_name = "GAP"
    )]
    pub gap: f64,
    /// Stop each solve after this many seconds and report the best plan found.
    #[arg(allow_negative_numbers = true, long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Solve each MILP by relax, round and fix-and-optimise (a plan from the hull relaxation's
    /// main chains, improved park by park and zone by zone, HiGHS's branch and bound on what
    /// time is left; the relaxation's bound proves the gap): `auto` for MILPs of 1,000
    /// main-chain columns or more, where HiGHS alone is slow to find a good plan.
    #[arg(long, value_enum, default_value_t = MipStart::Auto, value_name = "WHEN")]
    pub mip_start: MipStart,
}

/// `--mip-start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MipStart {
    /// For MILPs of 1,000 main-chain columns or more.
    Auto,
    /// For every MILP.
    On,
    /// Never.
    Off,
}

impl SolverArgs {
    fn options(&self) -> Result<SolveOptions, CliError> {
        if !(self.gap.is_finite() && self.gap >= 0.0) {
            return Err(CliError::Usage(
                "--gap must be a finite number ≥ 0, e.g. 1e-4".into(),
            ));
        }
        if let Some(t) = self.time_limit
            && !(t.is_finite() && t > 0.0)
        {
            return Err(CliError::Usage(
                "--time-limit must be a positive number of seconds".into(),
            ));
        }
        Ok(SolveOptions {
            mip_rel_gap: self.gap,
            time_limit: self.time_limit,
            deadline: None,
            mip_start: match self.mip_start {
                MipStart::Auto => StartMode::Auto,
                MipStart::On => StartMode::On,
                MipStart::Off => StartMode::Off,
            },
        })
    }
}

/// The most variants, points or cases solved at once (`--jobs`): far more threads than any
/// machine has cores only costs memory and start-up time.
pub const MAX_JOBS: usize = 256;

/// `--jobs`'s range in words, for the message refusing a value that is no whole number ≥ 0.
const JOBS_RANGE: &str = "between 1 and 256 (leave it out for one per core)";

/// The worker count `--jobs` asks for: `None` for one per core (0 to the pool); 0 and more than
/// [`MAX_JOBS`] are refused with the same message in every command.
pub(crate) fn jobs(given: Option<usize>) -> Result<usize, CliError> {
    match given {
        None => Ok(0),
        Some(0) => Err(CliError::Usage(
            "--jobs must be at least 1 (leave it out for one per core)".into(),
        )),
        Some(n) if n > MAX_JOBS => Err(CliError::Usage(format!(
            "--jobs {n} is above the maximum of {MAX_JOBS} (leave it out for one per core)"
        ))),
        Some(n) => Ok(n),
    }
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The problem file is wrong.
    #[error("{0}")]
    BadInput(#[from] Diagnostics),
    /// The command line is wrong.
    #[error("error: {0}")]
    Usage(String),
    /// Reading or writing a file failed.
    #[error("error: cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A result could not be written to its file, and was printed on standard output instead.
    #[error(
        "error: cannot write {path}: {source}\n  = note: the result is on standard output instead, so nothing computed is lost"
    )]
    Rescued {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A binary result (a workbook) could not be written to its file, and was kept in another
    /// file instead: its bytes are no use on standard output.
    #[error(
        "error: cannot write {path}: {source}\n  = note: the result is kept in {kept} instead, so nothing computed is lost"
    )]
    RescuedTo {
        /// The file asked for.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
        /// Where the result is.
        kept: PathBuf,
    },
    /// The solver failed.
    #[error("error: {0}")]
    Solve(#[from] parkplan::solver::SolveError),
    /// Plans, comparisons or folders named on the command line cannot be read.
    #[error("error: {0}")]
    Inputs(#[from] parkplan::batch::inputs::InputError),
    /// A sweep's output folder cannot be used (locked by another sweep, or not writable).
    #[error("error: {0}")]
    Folder(#[from] parkplan::batch::folder::FolderError),
    /// Sweep outputs cannot be merged.
    #[error("error: {0}")]
    Merge(#[from] parkplan::batch::folder::MergeError),
    /// Plans cannot be compared.
    #[error("error: {0}")]
    Compare(#[from] parkplan::analysis::compare::CompareError),
    /// A Pareto front cannot be traced.
    #[error("error: {0}")]
    Pareto(#[from] parkplan::analysis::pareto::ParetoError),
    /// A report could not be rendered.
    #[error("error: {0}")]
    Report(#[from] parkplan::report::ReportError),
    /// An infeasible problem could not be explained.
    #[error("error: {0}")]
    Explain(#[from] parkplan::analysis::explain::ExplainError),
    /// The model could not be exported.
    #[error("error: {0}")]
    Export(#[from] parkplan::solver::files::ExportError),
}

impl CliError {
    /// The exit code for this failure: 2 for what the user can mend in the input or the command
    /// line, 1 for failures of the system or the solver.
    pub fn exit(&self) -> Exit {
        use parkplan::analysis::pareto::ParetoError;
        use parkplan::batch::folder::MergeError;
        use parkplan::batch::inputs::InputError;
        match self {
            CliError::BadInput(_) | CliError::Usage(_) | CliError::Compare(_) => Exit::BadInput,
            // A path that does not exist is a typing error; any other failure to read is the system's.
            CliError::Inputs(InputError::Io { source, .. })
            | CliError::Merge(MergeError::Read { source, .. })
                if source.kind() != std::io::ErrorKind::NotFound =>
            {
                Exit::Error
            }
            CliError::Inputs(_) | CliError::Merge(_) => Exit::BadInput,
            CliError::Pareto(ParetoError::TooFewPoints(_)) => Exit::BadInput,
            _ => Exit::Error,
        }
    }
}

/// Runs a parsed command line.
pub fn run(args: Args) -> Result<Exit, CliError> {
    match args.command {
        Command::Solve(a) => solve::run(a),
        Command::Validate { file, max_points } => validate::run(&file, max_points),
        Command::Enumerate(a) => enumerate::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Check(a) => check::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Export(a) => export::run(a),
        Command::Report(a) => report::run(a),
        Command::Sweep(a) => sweep::run(a),
        Command::Pareto(a) => pareto::run(a),
        Command::Merge(a) => merge::run(a),
        Command::Alternatives(a) => alternatives::run(a),
        Command::Robust(a) => robust::run(a),
        Command::Designations(a) => designations::run(a),
        Command::Generate(a) => generate::run(a),
        Command::Serve(a) => serve::run(a),
        Command::CliReference => reference::run(),
        Command::Convert(a) => convert::run(a),
    }
}

/// Reads a file and its base problem.
pub fn load(file: &Path) -> Result<(SourceFile, parkplan::problem::Problem), CliError> {
    let src = SourceFile::read(file)?;
    let base = src.base_problem()?;
    Ok((src, base))
}

/// A diagnostic about the file, located through its positions.
pub(crate) fn located(src: &SourceFile, d: Diagnostic) -> CliError {
    CliError::BadInput(src.diagnostics(vec![d]))
}

/// The base or one scenario of a file, validated.
pub fn variant(
    src: &SourceFile,
    base: &parkplan::problem::Problem,
    scenario: Option<&str>,
) -> Result<(Variant, ValidProblem), CliError> {
    let name = scenario.unwrap_or(variant::BASE);
    let v = variant::find(&src.document, base, name).map_err(|d| located(src, d))?;
    let valid = src.validate_variant(&v)?;
    warn(src, &v, &valid);
    Ok((v, valid))
}

/// Prints a valid variant's warnings (numbers spanning too wide a range) on standard error.
#[allow(clippy::print_stderr)]
pub(crate) fn warn(src: &SourceFile, v: &Variant, valid: &ValidProblem) {
    if !valid.warnings().is_empty() {
        let w = src.variant_warnings(v, valid);
        eprintln!("{}", parkplan::problem::diagnostic::Warnings(&w));
    }
}

pub(crate) fn write(target: &Path, text: &str) -> Result<(), CliError> {
    atomic::write(target, text).map_err(|source| CliError::Io {
        path: if target.as_os_str() == "-" {
            PathBuf::from("standard output")
        } else {
            target.to_path_buf()
        },
        source,
    })
}

/// Writes a command's result to `target`; when that fails, the result is printed on standard
/// output instead (if that works), so that a plan computed is never lost to an unwritable path.
pub(crate) fn write_result(target: &Path, text: &str) -> Result<(), CliError> {
    match write(target, text) {
        Err(CliError::Io { path, source }) if target.as_os_str() != "-" => {
            match atomic::write_stdout(text) {
                Ok(()) => Err(CliError::Rescued { path, source }),
                Err(_) => Err(CliError::Io { path, source }),
            }
        }
        other => other,
    }
}

/// Refuses, before anything is computed, to write a workbook to standard output when it is a
/// terminal: its bytes mean nothing there.
pub(crate) fn workbook_target(target: &Path, how: &str) -> Result<(), CliError> {
    use std::io::IsTerminal;
    if target.as_os_str() == "-" && std::io::stdout().is_terminal() {
        return Err(CliError::Usage(format!(
            "an xlsx workbook is not for a terminal: {how}"
        )));
    }
    Ok(())
}

/// Writes a workbook to `target` whole or not at all. When that fails, the workbook is kept in a
/// new file beside the target (or, when its folder cannot take one, in the current folder or the
/// system's temporary folder), named in the error: a binary result poured onto standard output
/// would garble a terminal and be lost in a log.
pub(crate) fn write_workbook(target: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let stdout = target.as_os_str() == "-";
    match atomic::write_bytes(target, bytes) {
        Ok(()) => Ok(()),
        Err(source) if stdout => Err(CliError::Io {
            path: PathBuf::from("standard output"),
            source,
        }),
        Err(source) => {
            let path = target.to_path_buf();
            match rescue_bytes(target, bytes) {
                Some(kept) => Err(CliError::RescuedTo { path, source, kept }),
                None => Err(CliError::Io { path, source }),
            }
        }
    }
}

/// Writes `bytes` into a file that did not exist, named after `target` (`plan.xlsx` →
/// `plan.rescued.xlsx`, then `plan.rescued-2.xlsx`, …): in the target's folder, else the current
/// folder, else the temporary folder. Returns where, or `None` when no place takes it.
fn rescue_bytes(target: &Path, bytes: &[u8]) -> Option<PathBuf> {
    use std::io::Write;
    let stem = target
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "result".into());
    let ext = target
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let beside = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf);
    let folders = [beside, Some(PathBuf::from(".")), Some(std::env::temp_dir())];
    for dir in folders.into_iter().flatten() {
        for n in 1..100 {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!("-{n}")
            };
            let candidate = dir.join(format!("{stem}.rescued{suffix}{ext}"));
            // `create_new`: never over a file that exists, nor through a link.
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&candidate)
            {
                Ok(mut f) => {
                    if f.write_all(bytes).and_then(|()| f.sync_all()).is_ok() {
                        return Some(candidate);
                    }
                    let _ = std::fs::remove_file(&candidate);
                    break;
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(_) => break,
            }
        }
    }
    None
}

/// Prints to standard output; a failure (a full disk, a closed descriptor) is an error of the
/// command, not a panic.
pub(crate) fn print(text: &str) -> Result<(), CliError> {
    write(Path::new("-"), text)
}
