//! `parkplan enumerate`: confirm an optimum by one LP (a MILP, with chains built in units) per
//! main-chain assignment.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use super::{CliError, load, variant};
use crate::cli::exit::Exit;

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

pub(super) fn run(a: EnumerateArgs) -> Result<Exit, CliError> {
    let (src, base) = load(&a.file)?;
    let (v, valid) = variant(&src, &base, a.scenario.as_deref())?;
    let e = parkplan::analysis::enumerate::enumerate(&valid, a.exhaustive_limit)?;
    let p = &valid.problem();
    let main: indexmap::IndexMap<String, String> = e
        .best
        .iter()
        .flat_map(|b| {
            p.park_ixs()
                .zip(b)
                .map(|(pi, &c)| (p.park_id(pi).to_string(), p.chain_id(c).to_string()))
        })
        .collect();
    let method = match e.method {
        parkplan::analysis::enumerate::Method::SingleLp => "single_lp",
        parkplan::analysis::enumerate::Method::Exhaustive => "exhaustive",
        parkplan::analysis::enumerate::Method::Bounded => "bounded",
    };
    let mut out = String::new();
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
            "milp": e.milp,
        });
        out = serde_json::to_string_pretty(&j).expect("JSON of plain values");
        out.push('\n');
    } else {
        use std::fmt::Write;
        let _ = writeln!(out, "{} — variant `{}`", a.file.display(), v.name);
        let _ = writeln!(out, "status: {}", e.status);
        if let Some(obj) = e.objective {
            let _ = writeln!(out, "objective: {obj:.9}");
        }
        if !main.is_empty() {
            let list: Vec<String> = main.iter().map(|(p, c)| format!("{p}={c}")).collect();
            let _ = writeln!(out, "main chains: {}", list.join(", "));
            let _ = writeln!(out, "assignments reaching the optimum: {}", e.ties);
        }
        if e.milp {
            let _ = writeln!(
                out,
                "{} assignment(s), {} MILP(s) solved ({method}): chains built in units keep whole units and switches once the main chains are fixed, so each assignment is a MILP",
                e.assignments, e.lps
            );
        } else {
            let _ = writeln!(
                out,
                "{} assignment(s), {} LP(s) solved ({method})",
                e.assignments, e.lps
            );
        }
    }
    super::print(&out)?;
    Ok(Exit::of(e.status))
}
