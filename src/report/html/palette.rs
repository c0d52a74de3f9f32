//! One palette for every report: the colour of a chain or a material is a function of its id.
//!
//! The palette is fourteen colours that stay apart for colour-blind readers: the seven colours
//! of Okabe and Ito's palette (black left out) and seven of Paul Tol's "muted" scheme. An id's
//! own colour is the one its FNV-1a hash falls on. When ids of one kind share a colour, the ids
//! are taken in order of their hash (then of the id) and each one that finds its colour taken
//! moves to the next free one. The ids placed are every chain (or material) of the report's
//! problem, every one a plan names and every one a plan shows — for reports of one problem the
//! same set, so a chain keeps its colour from report to report. Past fourteen ids of a kind,
//! colours repeat.

/// The palette, in the order a taken colour moves along.
pub(super) const PALETTE: [&str; 14] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#332288",
    "#999933", "#882255", "#117733", "#DDCC77", "#AA4499", "#CC6677",
];

/// The grey of a chain or material without a colour of its own.
pub(super) const GREY: &str = "#7f7f7f";

/// 64-bit FNV-1a of `s`: the same on every platform and in every release.
fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A colour for each of `ids` (repeats ignored), in the order given.
pub(super) fn colors(ids: &[String]) -> Vec<(String, &'static str)> {
    let mut order: Vec<&String> = Vec::new();
    for id in ids {
        if !order.contains(&id) {
            order.push(id);
        }
    }
    let mut placed: Vec<&String> = order.clone();
    placed.sort_by_key(|id| (fnv(id), (*id).clone()));
    let n = PALETTE.len();
    let mut taken = [false; 14];
    let mut slot_of: Vec<(&String, usize)> = Vec::new();
    for id in placed {
        let home = (fnv(id) % n as u64) as usize;
        let slot = (0..n)
            .map(|k| (home + k) % n)
            .find(|&s| !taken[s])
            .unwrap_or(home);
        taken[slot] = true;
        slot_of.push((id, slot));
    }
    order
        .into_iter()
        .map(|id| {
            let slot = slot_of
                .iter()
                .find(|(i, _)| *i == id)
                .map_or(0, |(_, s)| *s);
            (id.clone(), PALETTE[slot])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_colour_depends_on_the_set_not_the_order() {
        let a = colors(&ids(&["coking", "steel", "cement"]));
        let b = colors(&ids(&["cement", "coking", "steel"]));
        for (id, c) in &a {
            assert_eq!(b.iter().find(|(i, _)| i == id).unwrap().1, *c, "{id}");
        }
    }

    #[test]
    fn up_to_fourteen_ids_get_distinct_colours() {
        let many: Vec<String> = (0..14).map(|i| format!("chain{i}")).collect();
        let mut got: Vec<&str> = colors(&many).into_iter().map(|(_, c)| c).collect();
        got.sort();
        got.dedup();
        assert_eq!(got.len(), 14);
    }
}
