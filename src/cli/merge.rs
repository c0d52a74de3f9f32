//! `parkplan merge`: the summaries of a sweep's shards joined into one.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use super::CliError;
use super::formats::SummaryFormatArg;
use crate::cli::exit::Exit;

/// `parkplan merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Output folders of `parkplan sweep -o` (one per shard, or one that shards share), or
    /// summary files.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = SummaryFormatArg::Table)]
    pub format: SummaryFormatArg,
    /// Write the summary here (`-` for standard output); the file appears whole or not at all.
    #[arg(long, short = 'o', value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
}

pub(super) fn run(a: MergeArgs) -> Result<Exit, CliError> {
    let merged = parkplan::batch::folder::merge(&a.dirs)?;
    let text = parkplan::report::summary::render(&merged.summary, a.format.into())?;
    super::write_result(&a.output, &text)?;
    if !merged.missing.is_empty() {
        eprintln!(
            "{} of {} variants are missing (positions {}): run their shards again, with --resume to keep what they finished",
            merged.missing.len(),
            merged.summary.total,
            merged.missing_positions()
        );
    }
    Ok(
        if merged.missing.is_empty() && merged.summary.all_optimal() {
            Exit::Ok
        } else {
            Exit::Incomplete
        },
    )
}
