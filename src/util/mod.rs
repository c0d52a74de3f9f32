//! What every stage uses and none owns: atomic file output ([`atomic`]), bounded reading of
//! input files ([`input`]), numbers and units as
//! parkplan writes them ([`numbers`]), the one rayon pool helper ([`parallel`]) and the time
//! each step of a run takes ([`timings`]).

pub mod atomic;
pub mod input;
pub mod numbers;
pub mod parallel;
pub mod timings;
