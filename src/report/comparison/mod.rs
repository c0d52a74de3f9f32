//! A [`crate::analysis::compare::Comparison`] as text: a terminal table, Markdown and CSV.

pub mod csv;
pub mod markdown;
pub mod table;
