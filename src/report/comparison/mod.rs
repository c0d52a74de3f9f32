//! A [`crate::analysis::compare::Comparison`] as text: a terminal table, Markdown and CSV; plans
//! with periods also period by period.

pub mod changes;
pub mod csv;
pub mod markdown;
mod periods;
pub mod table;
