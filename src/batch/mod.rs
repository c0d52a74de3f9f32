//! Running many variants: one rayon helper ([`pool`]), sweeps with shards and resumable output
//! folders ([`sweep`], [`folder`], [`names`]), merging shards, collecting plans from files and
//! folders ([`inputs`]), and checking known optima for CI ([`check`]).

pub mod check;
pub mod folder;
pub mod inputs;
pub mod names;
pub mod pool;
pub mod sweep;
