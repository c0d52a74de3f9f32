//! Integration tests: the `parkplan` binary run as a user runs it, one module per topic.

mod alternatives;
mod check;
mod cmd;
mod common;
mod compare;
mod corpus;
mod differential;
mod explain;
mod export;
mod formats;
mod layers;
mod output;
mod pareto;
mod problems;
mod readme;
mod regression;
mod report;
mod robust;
mod schema;
mod setup;
mod shadow_prices;
mod solve;
mod sweep;
mod validate;
mod variants;
mod verify;
