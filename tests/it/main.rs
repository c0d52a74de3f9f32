//! Integration tests: the `parkplan` binary run as a user runs it, one module per topic.

mod check;
mod common;
mod corpus;
mod differential;
mod problems;
mod readme;
mod schema;
mod solve;
mod validate;
mod verify;
