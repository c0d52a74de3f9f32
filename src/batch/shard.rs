//! Shards: the K-th of N disjoint slices of a batch, so that one batch can be solved on several
//! machines and joined again ([`crate::batch::folder::merge`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::batch::sweep::Entry;

/// The K-th of N disjoint slices of a batch (`K/N`, 0 ≤ K < N).
///
/// Variants are dealt out in turn (variant i goes to shard i mod N) rather than cut into blocks:
/// neighbouring sweep points tend to take alike long to solve, so dealing them out evens the load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Shard {
    /// K: which slice, from 0.
    pub index: usize,
    /// N: how many slices.
    pub count: usize,
}

/// A `--shard` value that is not `K/N` with 0 ≤ K < N.
#[derive(Debug, Clone, thiserror::Error)]
#[error("`{0}` is not a shard: write K/N with 0 ≤ K < N, e.g. 3/16 (the 4th of 16 slices)")]
pub struct ShardError(pub String);

impl Shard {
    /// The whole batch as one slice.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Whether the variant at `index` of the batch belongs to this slice.
    pub fn takes(&self, index: usize) -> bool {
        index % self.count == self.index
    }

    /// This slice of a batch.
    pub fn select(&self, entries: Vec<Entry>) -> Vec<Entry> {
        entries
            .into_iter()
            .filter(|e| self.takes(e.index))
            .collect()
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ShardError(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = k.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl From<Shard> for String {
    fn from(s: Shard) -> String {
        s.to_string()
    }
}

impl TryFrom<String> for Shard {
    type Error = ShardError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_as_k_of_n() {
        assert_eq!(
            "3/16".parse::<Shard>().unwrap(),
            Shard {
                index: 3,
                count: 16
            }
        );
        assert_eq!("0/1".parse::<Shard>().unwrap(), Shard::WHOLE);
        for bad in ["16/16", "1/0", "3", "a/b", "-1/4", "1/2/3", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        let json = serde_json::to_string(&Shard { index: 2, count: 8 }).unwrap();
        assert_eq!(json, "\"2/8\"");
        assert_eq!(
            serde_json::from_str::<Shard>(&json).unwrap().to_string(),
            "2/8"
        );
    }
}
