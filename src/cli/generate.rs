//! `parkplan generate`: write a realistic problem file, feasible by construction.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use super::whole::whole;
use super::{CliError, write};
use crate::cli::exit::Exit;
use parkplan::problem::generate::{self, Exchange, Options, Pools};

/// Exchange routes of a generated problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExchangeArg {
    /// Partner parks (same zone) exchange free of charge.
    Within,
    /// Partner parks free; parks in other zones at a transport cost.
    Across,
    /// No exchange between parks.
    None,
}

/// City pools of a generated problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PoolsArg {
    /// Water on all activity; power and funds on new activity.
    All,
    /// Power and funds only (on new activity).
    New,
    /// None: parks are coupled by exchange and `max_total` alone.
    None,
}

/// `parkplan generate`.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// Number of parks.
    #[arg(
        allow_negative_numbers = true,
        long,
        value_name = "N",
        value_parser = whole::<usize>("between 1 and 100000")
    )]
    pub parks: usize,
    /// Number of chains (archetypes first, then variants of them).
    #[arg(
        allow_negative_numbers = true,
        long,
        value_name = "C",
        value_parser = whole::<usize>("between 1 and 1000")
    )]
    pub chains: usize,
    /// Number of materials (1 to 8).
    #[arg(
        allow_negative_numbers = true,
        long,
        value_name = "K",
        default_value_t = generate::MAX_MATERIALS,
        value_parser = whole::<usize>("between 1 and 8 (the materials of the chain archetypes)")
    )]
    pub materials: usize,
    /// Number of zones (default: one per eight parks, rounded up).
    #[arg(
        allow_negative_numbers = true,
        long,
        value_name = "Z",
        value_parser = whole::<usize>("between 1 and the number of parks")
    )]
    pub zones: Option<usize>,
    /// Which parks may exchange materials.
    #[arg(long, value_enum, default_value_t = ExchangeArg::Within)]
    pub exchange: ExchangeArg,
    /// The one-main-chain rule's least share of a park's output for its main chain.
    #[arg(
        allow_negative_numbers = true,
        long,
        value_name = "S",
        default_value_t = 0.3
    )]
    pub min_share: f64,
    /// The rule's `strict`: unrelated existing plant must go (none is drawn outside a park's main
    /// chain and the chains it supports).
    #[arg(long)]
    pub strict: bool,
    /// Share of parks with an `allowed` list (0 to 1); the others may take any chain as main
    /// chain, the hard end for the solver.
    #[arg(
        allow_negative_numbers = true,
        long,
        value_name = "S",
        default_value_t = 1.0
    )]
    pub allowed_share: f64,
    /// Share of parks drawn with existing plant (0 to 1).
    #[arg(
        allow_negative_numbers = true,
        long,
        value_name = "S",
        default_value_t = 1.0
    )]
    pub existing_share: f64,
    /// Number of chains with a `max_total` (default: every chain the drawn plan uses).
    #[arg(
        allow_negative_numbers = true,
        long,
        value_name = "N",
        value_parser = whole::<usize>("between 0 and the number of chains")
    )]
    pub max_total: Option<usize>,
    /// Which city pools the problem has.
    #[arg(long, value_enum, default_value_t = PoolsArg::All)]
    pub pools: PoolsArg,
    /// Seed of the random draws: the same seed gives the same file.
    #[arg(
        allow_negative_numbers = true,
        long,
        value_name = "N",
        default_value_t = 1,
        value_parser = whole::<u64>("between 0 and 18446744073709551615")
    )]
    pub seed: u64,
    /// Share of the chains, from 0 to 1, whose new plant comes in whole units (`build: {unit}`,
    /// a tenth of the chain's `max_per_park`).
    #[arg(
        allow_negative_numbers = true,
        long,
        value_name = "F",
        default_value_t = 0.0
    )]
    pub units_share: f64,
    /// Write the problem here (`-` for standard output); the file appears whole or not at all.
    #[arg(long, short = 'o', value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
}

pub(super) fn run(a: GenerateArgs) -> Result<Exit, CliError> {
    let options = Options {
        parks: a.parks,
        chains: a.chains,
        materials: a.materials,
        zones: a.zones,
        exchange: match a.exchange {
            ExchangeArg::Within => Exchange::Within,
            ExchangeArg::Across => Exchange::Across,
            ExchangeArg::None => Exchange::None,
        },
        min_share: a.min_share,
        strict: a.strict,
        allowed_share: a.allowed_share,
        existing_share: a.existing_share,
        max_total: a.max_total,
        pools: match a.pools {
            PoolsArg::All => Pools::All,
            PoolsArg::New => Pools::New,
            PoolsArg::None => Pools::None,
        },
        seed: a.seed,
        units_share: a.units_share,
    };
    let text = generate::generate(&options).map_err(|e| CliError::Usage(e.0))?;
    write(&a.output, &text)?;
    Ok(Exit::Ok)
}
