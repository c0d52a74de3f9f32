//! parkplan: a planning solver for circular-economy industrial parks.
//!
//! A problem file (YAML) describes parks, the industrial chains they may run, scarce resources,
//! and the wastes one chain can feed to another. parkplan turns it into a mixed-integer linear
//! programme — "One Park, One Main Chain", resource limits, material balances, a minimum reuse
//! rate — solves it with HiGHS and reports the plan.
//!
//! ```no_run
//! use parkplan::problem::SourceFile;
//! use parkplan::{plan, variant, solver::SolveOptions};
//!
//! let file = SourceFile::read("problems/liupanshui.yaml".as_ref()).unwrap();
//! let base = file.base_problem().unwrap();
//! let variant = variant::base(&file.document, &base);
//! let valid = file.validate_variant(&variant).unwrap();
//! let plan = plan::solve_variant(&valid, &variant.name, &SolveOptions::default()).unwrap();
//! println!("{:?} {:?}", plan.status, plan.main_chains);
//! ```
#![warn(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod analysis;
pub mod batch;
pub mod model;
pub mod plan;
pub mod problem;
pub mod report;
pub mod solver;
pub mod util;
pub mod variant;
