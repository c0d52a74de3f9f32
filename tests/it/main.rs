//! Integration tests: the `parkplan` binary run as a user runs it, one module per topic.

mod common;
mod pareto;
mod problems;
mod solve;
mod sweep;
mod validate;
