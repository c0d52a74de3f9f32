//! parkplan: a planning solver for circular-economy industrial parks.
//!
//! A problem file (YAML) describes parks, the industrial chains they may run, scarce resources,
//! and the wastes one chain can feed to another. parkplan turns it into a mixed-integer linear
//! programme — "One Park, One Main Chain", resource limits, material balances, a minimum reuse
//! rate — solves it with HiGHS and reports the plan.
//!
//! The flow, in the order of the folders: a file is read with its source positions and validated
//! ([`problem`]); scenarios and sweep points are variants of its document ([`variant`]), each
//! validated on its own; a valid problem becomes the rows and columns of the MILP ([`model`]),
//! which HiGHS solves ([`solver`]); the solution is read back as a [`plan::Plan`] in the domain's
//! words, with shadow prices, and can be re-checked without a solver ([`plan::verify`]). Analyses
//! ([`analysis`]) and batches of variants ([`batch`]) build on that; [`report`] turns every result
//! into text, and the `parkplan` binary is the only part that prints.
//!
//! ```
//! use parkplan::problem::SourceFile;
//! use parkplan::solver::{SolveOptions, SolveStatus};
//! use parkplan::{plan, variant};
//!
//! // One park that may run coal power (2.0 per GW, 0.5 km² of land per GW) or bricks.
//! let text = r#"
//! resources: { land: {} }
//! parks:
//!   zhongshan: { capacity: { land: 2.0 } }
//! chains:
//!   coal_power: { output: 2.0, uses: { land: 0.5 }, max_per_park: 3 }
//!   bricks: { output: 0.3, uses: { land: 0.1 }, max_per_park: 5 }
//! rules: { one_main_chain: { min_share: 0.5 } }
//! "#;
//! let file = SourceFile::parse("example.yaml".as_ref(), text.to_string()).unwrap();
//! let base = file.base_problem().unwrap();
//! let v = variant::find(&file.document, &base, variant::BASE).unwrap();
//! let valid = file.validate_variant(&v).unwrap();
//! let plan = plan::solve_variant(&valid, &v.name, &SolveOptions::default()).unwrap();
//! assert_eq!(plan.status, SolveStatus::Optimal);
//! // Land allows 4 GW, but coal power is capped at 3 GW per park: 3 × 2.0 = 6.0.
//! assert_eq!(plan.main_chains["zhongshan"], "coal_power");
//! assert!((plan.output_value.unwrap() - 6.0).abs() < 1e-6);
//! ```
#![warn(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod analysis;
pub mod batch;
pub mod model;
pub mod plan;
pub mod problem;
pub mod report;
pub mod serve;
pub mod solver;
pub mod util;
pub mod variant;
