//! Running many variants: one rayon helper ([`pool`]), sweeps with shards, their summaries and
//! resumable output folders ([`sweep`], [`shard`], [`summary`], [`folder`], [`names`]), merging
//! shards, collecting plans from files and folders ([`inputs`]), and checking known optima for CI
//! ([`check`]).

pub mod check;
pub mod folder;
pub mod inputs;
pub mod names;
pub mod pool;
pub mod shard;
pub mod summary;
pub mod sweep;
