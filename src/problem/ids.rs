//! Typed indices for parks and chains: positions in a [`Problem`]'s `parks` and `chains` maps,
//! in file order. A [`ParkIx`] cannot be passed where a [`ChainIx`] is meant, nor either where a
//! candidate slot (a position in one park's candidate list) is meant.

use std::ops::Index;

use super::format::{Chain, Map, Park, Problem};

/// A park, by its position in [`Problem::parks`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ParkIx(pub usize);

/// A chain, by its position in [`Problem::chains`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChainIx(pub usize);

impl ParkIx {
    /// The position in [`Problem::parks`].
    pub fn get(self) -> usize {
        self.0
    }
}

impl ChainIx {
    /// The position in [`Problem::chains`].
    pub fn get(self) -> usize {
        self.0
    }
}

impl Problem {
    /// Every park, in file order.
    pub fn park_ixs(&self) -> impl Iterator<Item = ParkIx> + use<> {
        (0..self.parks.len()).map(ParkIx)
    }

    /// Every chain, in file order.
    pub fn chain_ixs(&self) -> impl Iterator<Item = ChainIx> + use<> {
        (0..self.chains.len()).map(ChainIx)
    }

    /// The id of park `p`.
    pub fn park_id(&self, p: ParkIx) -> &str {
        self.parks.get_index(p.0).expect("park index").0
    }

    /// The id of chain `c`.
    pub fn chain_id(&self, c: ChainIx) -> &str {
        self.chains.get_index(c.0).expect("chain index").0
    }

    /// The index of the park with id `id`.
    pub fn park_ix(&self, id: &str) -> Option<ParkIx> {
        self.parks.get_index_of(id).map(ParkIx)
    }

    /// The index of the chain with id `id`.
    pub fn chain_ix(&self, id: &str) -> Option<ChainIx> {
        self.chains.get_index_of(id).map(ChainIx)
    }
}

impl Index<ParkIx> for Map<Park> {
    type Output = Park;

    fn index(&self, p: ParkIx) -> &Park {
        &self[p.0]
    }
}

impl Index<ChainIx> for Map<Chain> {
    type Output = Chain;

    fn index(&self, c: ChainIx) -> &Chain {
        &self[c.0]
    }
}
