//! Integration tests: the `parkplan` binary run as a user runs it, one module per topic.

mod common;
mod compare;
mod explain;
mod export;
mod problems;
mod report;
mod shadow_prices;
mod solve;
mod validate;
