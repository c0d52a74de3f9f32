//! Analyses of a problem beyond one solve: why it is infeasible ([`explain`]), the trade-off
//! between output and reuse ([`pareto`]), an independent check of the optimum by enumerating
//! main-chain assignments ([`enumerate`]), and plans side by side ([`compare`]). Each returns data;
//! [`crate::report`] turns it into text.

pub mod alternatives;
pub mod compare;
pub mod designations;
pub mod enumerate;
pub mod explain;
pub mod pareto;
pub mod robust;
