//! The command line: clap structs, and one function per subcommand that turns them into library
//! calls. This is the only layer that prints.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::exit::Exit;
use crate::problem::{Diagnostic, Diagnostics, SourceFile, ValidProblem};
use crate::report::{self, Format};
use crate::scenario::{self, Selection, Variant};
use crate::solve::{SolveOptions, SolveStatus};
use crate::{output, plan};

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
    },
    /// Confirm an optimum independently: one LP per main-chain assignment.
    Enumerate(EnumerateArgs),
}

/// `parkplan enumerate`.
#[derive(Debug, clap::Args)]
pub struct EnumerateArgs {
    /// The problem file.
    pub file: PathBuf,
    /// Apply this scenario of the file to the base problem.
    #[arg(long, short = 's', value_name = "NAME")]
    pub scenario: Option<String>,
    /// Solve every assignment when there are at most this many; above it, skip subtrees whose LP
    /// relaxation cannot beat the best plan found (still exact).
    #[arg(long, default_value_t = 20_000, value_name = "N")]
    pub exhaustive_limit: u128,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Solver settings shared by every command that solves.
#[derive(Debug, Clone, clap::Args)]
pub struct SolverArgs {
    /// Relative MIP gap at which a plan counts as optimal.
    #[arg(long, default_value_t = 1e-6, value_name = "GAP")]
    pub gap: f64,
    /// Stop each solve after this many seconds and report the best plan found.
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
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
        })
    }
}

/// `parkplan solve`.
#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    /// The problem file.
    pub file: PathBuf,
    /// Apply this scenario of the file to the base problem.
    #[arg(long, short = 's', value_name = "NAME")]
    pub scenario: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the plan here (`-` for standard output); the file appears whole or not at all.
    #[arg(long, short = 'o', value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
    /// Solver settings.
    #[command(flatten)]
    pub solver: SolverArgs,
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
    /// The solver failed.
    #[error("error: {0}")]
    Solve(#[from] crate::solve::SolveError),
    /// A report could not be rendered.
    #[error("error: {0}")]
    Report(#[from] report::ReportError),
}

impl CliError {
    /// The exit code for this failure.
    pub fn exit(&self) -> Exit {
        match self {
            CliError::BadInput(_) | CliError::Usage(_) => Exit::BadInput,
            _ => Exit::Error,
        }
    }
}

/// Runs a parsed command line.
pub fn run(args: Args) -> Result<Exit, CliError> {
    match args.command {
        Command::Solve(a) => solve(a),
        Command::Validate { file } => validate(&file),
        Command::Enumerate(a) => enumerate(a),
    }
}

/// Reads a file and its base problem.
pub fn load(file: &Path) -> Result<(SourceFile, crate::problem::Problem), CliError> {
    let src = SourceFile::read(file)?;
    let base = src.base_problem()?;
    Ok((src, base))
}

/// A diagnostic about the file, located through its positions.
fn located(src: &SourceFile, d: Diagnostic) -> CliError {
    CliError::BadInput(src.diagnostics(vec![d]))
}

/// The base or one scenario of a file, validated.
pub fn variant(
    src: &SourceFile,
    base: &crate::problem::Problem,
    scenario: Option<&str>,
) -> Result<(Variant, ValidProblem), CliError> {
    let v = match scenario {
        None => scenario::base(&src.document, base),
        Some(name) => scenario::scenario(&src.document, base, name).map_err(|d| located(src, d))?,
    };
    let valid = src.validate_variant(&v)?;
    Ok((v, valid))
}

fn write(target: &Path, text: &str) -> Result<(), CliError> {
    output::write(target, text).map_err(|source| CliError::Io {
        path: target.to_path_buf(),
        source,
    })
}

fn solve(a: SolveArgs) -> Result<Exit, CliError> {
    let options = a.solver.options()?;
    let (src, base) = load(&a.file)?;
    let (v, valid) = variant(&src, &base, a.scenario.as_deref())?;
    let plan = plan::solve_variant(&valid, &v.name, &options)?;
    let text = report::render(&plan, &valid.problem, a.format)?;
    write(&a.output, &text)?;
    match plan.status {
        SolveStatus::Infeasible => eprintln!(
            "{}: the problem is infeasible: no plan meets every limit and rule",
            a.file.display()
        ),
        SolveStatus::Unbounded => eprintln!(
            "{}: the problem is unbounded: some chain can grow without limit; give it `max_per_park` or a resource limit",
            a.file.display()
        ),
        SolveStatus::TimeLimit => eprintln!(
            "{}: stopped by the time limit; the plan is feasible, within {:.3} % of optimal",
            a.file.display(),
            plan.gap.unwrap_or(f64::NAN) * 100.0
        ),
        SolveStatus::NoSolution => eprintln!(
            "{}: stopped by the time limit before any feasible plan was found; raise --time-limit",
            a.file.display()
        ),
        SolveStatus::Optimal => {}
    }
    Ok(Exit::of(plan.status))
}

fn validate(file: &Path) -> Result<Exit, CliError> {
    let (src, base) = load(file)?;
    let selection = Selection {
        base: true,
        scenarios: None,
        sweeps: None,
    };
    let variants =
        scenario::expand(&src.document, &base, &selection).map_err(|d| located(&src, d))?;
    let mut items = Vec::new();
    for v in &variants {
        if let Err(d) = src.validate_variant(v) {
            items.extend(d.items);
        }
    }
    if !items.is_empty() {
        items.dedup();
        return Err(CliError::BadInput(src.diagnostics(items)));
    }
    let scenarios = base.scenarios.len();
    let points = variants.len() - 1 - scenarios;
    println!(
        "{}: ok ({} parks, {} chains; base, {scenarios} scenario(s), {points} sweep point(s) valid)",
        file.display(),
        base.parks.len(),
        base.chains.len()
    );
    Ok(Exit::Ok)
}

fn enumerate(a: EnumerateArgs) -> Result<Exit, CliError> {
    let (src, base) = load(&a.file)?;
    let (v, valid) = variant(&src, &base, a.scenario.as_deref())?;
    let e = crate::enumerate::enumerate(&valid, a.exhaustive_limit)?;
    let p = &valid.problem;
    let main: indexmap::IndexMap<String, String> = e
        .best
        .iter()
        .flat_map(|b| {
            b.iter().enumerate().map(|(pi, &c)| {
                (
                    p.parks.get_index(pi).expect("park").0.clone(),
                    p.chains.get_index(c).expect("chain").0.clone(),
                )
            })
        })
        .collect();
    let method = match e.method {
        crate::enumerate::Method::SingleLp => "single_lp",
        crate::enumerate::Method::Exhaustive => "exhaustive",
        crate::enumerate::Method::Bounded => "bounded",
    };
    if a.json {
        let j = serde_json::json!({
            "variant": v.name,
            "status": e.status.as_str(),
            "objective": e.objective,
            "main_chains": main,
            "ties": e.ties,
            "assignments": e.assignments.to_string(),
            "lps": e.lps,
            "method": method,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&j).expect("JSON of plain values")
        );
    } else {
        println!("{} — variant `{}`", a.file.display(), v.name);
        println!("status: {}", e.status);
        if let Some(obj) = e.objective {
            println!("objective: {obj:.9}");
        }
        if !main.is_empty() {
            let list: Vec<String> = main.iter().map(|(p, c)| format!("{p}={c}")).collect();
            println!("main chains: {}", list.join(", "));
            println!("assignments reaching the optimum: {}", e.ties);
        }
        println!(
            "{} assignment(s), {} LP(s) solved ({method})",
            e.assignments, e.lps
        );
    }
    Ok(Exit::of(e.status))
}
