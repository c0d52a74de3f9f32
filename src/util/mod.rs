//! What every stage uses and none owns: atomic file output ([`atomic`]), numbers and units as
//! parkplan writes them ([`numbers`]) and the one rayon pool helper ([`parallel`]).

pub mod atomic;
pub mod numbers;
pub mod parallel;
