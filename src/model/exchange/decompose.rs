//! From the values of a model's flow columns to park-to-park flows `f[k,p,q]`.
//!
//! Pairwise columns are such flows already. Hub columns are split per material:
//! 1. `own[k,p]` is the flow p → p;
//! 2. in a group whose parks trade with each other, the hub's export is taken from its parks'
//!    sends and its import handed to their takes, in park order; what is left is matched within
//!    the group (any park may supply any other there);
//! 3. across groups, exports are matched to imports of other groups by always serving the group
//!    with the largest remaining trade (export + import): a step moves as much as it can without
//!    letting any other group's trade exceed the total left, which keeps Hall's condition
//!    (`export + import ≤ total` for every group, a row of the model) true to the end, so every
//!    unit finds a partner.
//!
//! Amounts below a tolerance relative to the largest are solver noise and dropped.

use std::collections::{HashMap, VecDeque};

use super::{Groups, Node};
use crate::model::FlowVar;
use crate::problem::ParkIx;

/// One piece of material moved from a park to a park.
pub type Piece = (usize, ParkIx, ParkIx, f64);

/// Park-to-park flows `(material, from, to, amount)` for the flow columns `flows` with values
/// `values`, summed per route and sorted by material, sender, receiver. `groups` is the model's
/// grouping, `None` for pairwise columns.
pub fn decompose(flows: &[FlowVar], values: &[f64], groups: Option<&Groups>) -> Vec<Piece> {
    let scale = values.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
    let eps = 1e-9 * scale;
    let mut sum: HashMap<(usize, ParkIx, ParkIx), f64> = HashMap::new();
    let mut add = |k: usize, a: ParkIx, b: ParkIx, v: f64| {
        if v > eps {
            *sum.entry((k, a, b)).or_insert(0.0) += v;
        }
    };
    match groups {
        None => {
            for (f, &v) in flows.iter().zip(values) {
                if let (Node::Park(a), Node::Park(b)) = (f.from, f.to) {
                    add(f.material, a, b, v);
                }
            }
        }
        Some(groups) => {
            let n_k = flows.iter().map(|f| f.material + 1).max().unwrap_or(0);
            for k in 0..n_k {
                let mine = flows
                    .iter()
                    .zip(values)
                    .filter(|(f, _)| f.material == k)
                    .map(|(f, &v)| (*f, v.max(0.0)));
                for (a, b, v) in hub_material(mine, groups, eps) {
                    add(k, a, b, v);
                }
            }
        }
    }
    let mut out: Vec<Piece> = sum.into_iter().map(|((k, a, b), v)| (k, a, b, v)).collect();
    out.sort_by_key(|x| (x.0, x.1, x.2));
    out
}

/// A group's parks with amounts still to place, in park order.
type Queue = VecDeque<(ParkIx, f64)>;

fn hub_material(
    flows: impl Iterator<Item = (FlowVar, f64)>,
    groups: &Groups,
    eps: f64,
) -> Vec<(ParkIx, ParkIx, f64)> {
    let n = groups.parks.len();
    let mut out = Vec::new();
    let (mut sends, mut takes) = (vec![Queue::new(); n], vec![Queue::new(); n]);
    let (mut export, mut import) = (vec![0.0; n], vec![0.0; n]);
    // Across-group supply and demand by park, per group.
    let (mut supply, mut demand) = (vec![Queue::new(); n], vec![Queue::new(); n]);
    for (f, v) in flows {
        if v <= eps {
            continue;
        }
        match (f.from, f.to) {
            (Node::Park(a), Node::Park(b)) => out.push((a, b, v)),
            (Node::Park(a), Node::Hub(g)) => sends[g].push_back((a, v)),
            (Node::Hub(g), Node::Park(b)) => takes[g].push_back((b, v)),
            (Node::Hub(g), Node::Across) => export[g] += v,
            (Node::Across, Node::Hub(g)) => import[g] += v,
            (Node::Park(a), Node::Across) => supply[groups.of[a.0]].push_back((a, v)),
            (Node::Across, Node::Park(b)) => demand[groups.of[b.0]].push_back((b, v)),
            _ => {}
        }
    }
    for g in 0..n {
        // The hub's export comes from its parks' sends, its import goes to their takes.
        split_off(&mut sends[g], export[g], &mut supply[g], eps);
        split_off(&mut takes[g], import[g], &mut demand[g], eps);
        match_queues(&mut sends[g], &mut takes[g], eps, &mut out);
    }
    across(&mut supply, &mut demand, eps, &mut out);
    out
}

/// Moves `amount` from the front of `from` to `to`.
fn split_off(from: &mut Queue, mut amount: f64, to: &mut Queue, eps: f64) {
    while amount > eps {
        let Some((q, v)) = from.pop_front() else {
            return;
        };
        let take = v.min(amount);
        to.push_back((q, take));
        amount -= take;
        if v - take > eps {
            from.push_front((q, v - take));
        }
    }
}

/// Matches supply to demand in order (any supplier may serve any receiver).
fn match_queues(
    supply: &mut Queue,
    demand: &mut Queue,
    eps: f64,
    out: &mut Vec<(ParkIx, ParkIx, f64)>,
) {
    transfer(supply, demand, f64::INFINITY, eps, out);
}

/// Moves `amount` from the front of group `g`'s supply to the front of group `h`'s demand.
fn transfer(
    supply: &mut Queue,
    demand: &mut Queue,
    mut amount: f64,
    eps: f64,
    out: &mut Vec<(ParkIx, ParkIx, f64)>,
) {
    while amount > eps {
        let (Some(&(a, s)), Some(&(b, d))) = (supply.front(), demand.front()) else {
            return;
        };
        let m = s.min(d).min(amount);
        out.push((a, b, m));
        amount -= m;
        supply.pop_front();
        demand.pop_front();
        if s - m > eps {
            supply.push_front((a, s - m));
        }
        if d - m > eps {
            demand.push_front((b, d - m));
        }
    }
}

/// Matches each group's across-group supply with other groups' demand (see the module's
/// documentation).
fn across(
    supply: &mut [Queue],
    demand: &mut [Queue],
    eps: f64,
    out: &mut Vec<(ParkIx, ParkIx, f64)>,
) {
    let total = |q: &Queue| q.iter().map(|(_, v)| v).sum::<f64>();
    let mut e: Vec<f64> = supply.iter().map(total).collect();
    let mut i: Vec<f64> = demand.iter().map(total).collect();
    let mut active: Vec<usize> = (0..e.len()).filter(|&g| e[g] + i[g] > eps).collect();
    let mut steps = 0_usize;
    loop {
        active.retain(|&g| e[g] > eps || i[g] > eps);
        let left: f64 = active.iter().map(|&g| e[g]).sum();
        if left <= eps {
            return;
        }
        let load = |g: usize| e[g] + i[g];
        let Some(&top) = active.iter().max_by(|&&a, &&b| load(a).total_cmp(&load(b))) else {
            return;
        };
        // The top group sends if it has anything to send, else receives.
        let sends = e[top] > eps;
        let partner = active
            .iter()
            .copied()
            .filter(|&g| g != top && if sends { i[g] > eps } else { e[g] > eps })
            .max_by(|&a, &b| load(a).total_cmp(&load(b)));
        let Some(partner) = partner else {
            return;
        };
        let (from, to) = if sends {
            (top, partner)
        } else {
            (partner, top)
        };
        let third = active
            .iter()
            .filter(|&&g| g != top && g != partner)
            .map(|&g| load(g))
            .fold(0.0_f64, f64::max);
        let mut delta = e[from].min(i[to]);
        steps += 1;
        // Capping at what keeps the third group within the total: at most a few steps per group
        // in exact arithmetic; past that, solver noise, and the cap is dropped.
        if left - third > eps && steps < 4 * e.len() + 16 {
            delta = delta.min(left - third);
        }
        transfer(&mut supply[from], &mut demand[to], delta, eps, out);
        e[from] -= delta;
        i[to] -= delta;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(items: &[(usize, f64)]) -> Queue {
        items.iter().map(|&(p, v)| (ParkIx(p), v)).collect()
    }

    /// Sums what each park sends and receives, and checks no flow stays within a group.
    fn check(out: &[(ParkIx, ParkIx, f64)], group: &[usize], sent: &[f64], got: &[f64]) {
        let mut s = vec![0.0; sent.len()];
        let mut r = vec![0.0; got.len()];
        for &(a, b, v) in out {
            assert_ne!(group[a.0], group[b.0], "{a:?} → {b:?} stays in its group");
            s[a.0] += v;
            r[b.0] += v;
        }
        for p in 0..sent.len() {
            assert!(
                (s[p] - sent[p]).abs() < 1e-9,
                "park {p} sends {} not {}",
                s[p],
                sent[p]
            );
            assert!(
                (r[p] - got[p]).abs() < 1e-9,
                "park {p} gets {} not {}",
                r[p],
                got[p]
            );
        }
    }

    #[test]
    fn trade_across_groups_is_matched_to_other_groups_only() {
        // Groups {0,1}, {2}, {3}: group 0 sends 3 and takes 1; each of the others trades 2.
        // Hall's condition holds: every group's trade is at most the total (4).
        let group = [0, 0, 1, 2];
        let mut supply = vec![q(&[(0, 2.0), (1, 1.0)]), q(&[(2, 1.0)]), q(&[])];
        let mut demand = vec![q(&[(1, 1.0)]), q(&[(2, 1.0)]), q(&[(3, 2.0)])];
        let mut out = Vec::new();
        across(&mut supply, &mut demand, 1e-12, &mut out);
        check(&out, &group, &[2.0, 1.0, 1.0, 0.0], &[0.0, 1.0, 1.0, 2.0]);
    }

    #[test]
    fn a_tight_group_is_served_first_whatever_the_order() {
        // Group 2 trades 4 of a total of 4: it must be in every match. A greedy in group order
        // would pair groups 0 and 1 first and strand group 2's import.
        let group = [0, 1, 2];
        let mut supply = vec![q(&[(0, 2.0)]), q(&[(1, 2.0)]), q(&[])];
        let mut demand = vec![q(&[]), q(&[]), q(&[(2, 4.0)])];
        let mut out = Vec::new();
        across(&mut supply, &mut demand, 1e-12, &mut out);
        check(&out, &group, &[2.0, 2.0, 0.0], &[0.0, 0.0, 4.0]);

        let group = [0, 1, 2, 3];
        let mut supply = vec![q(&[(0, 1.0)]), q(&[(1, 1.0)]), q(&[(2, 2.0)]), q(&[])];
        let mut demand = vec![q(&[(0, 1.0)]), q(&[(1, 1.0)]), q(&[]), q(&[(3, 2.0)])];
        let mut out = Vec::new();
        across(&mut supply, &mut demand, 1e-12, &mut out);
        check(&out, &group, &[1.0, 1.0, 2.0, 0.0], &[1.0, 1.0, 0.0, 2.0]);
    }

    #[test]
    #[allow(clippy::needless_range_loop)]
    fn random_trades_satisfying_halls_condition_are_all_matched() {
        let mut seed = 7_u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as f64 / (1u64 << 31) as f64
        };
        for _ in 0..500 {
            // Pairwise flows between distinct groups, then summed: Hall's condition holds.
            let n = 2 + (next() * 5.0) as usize;
            let group: Vec<usize> = (0..n).collect();
            let (mut sent, mut got) = (vec![0.0; n], vec![0.0; n]);
            for a in 0..n {
                for b in 0..n {
                    if a != b && next() < 0.4 {
                        let v = (next() * 10.0).round();
                        sent[a] += v;
                        got[b] += v;
                    }
                }
            }
            let mut supply: Vec<Queue> = (0..n).map(|p| q(&[(p, sent[p])])).collect();
            let mut demand: Vec<Queue> = (0..n).map(|p| q(&[(p, got[p])])).collect();
            for x in supply.iter_mut().chain(demand.iter_mut()) {
                x.retain(|(_, v)| *v > 0.0);
            }
            let mut out = Vec::new();
            across(&mut supply, &mut demand, 1e-12, &mut out);
            check(&out, &group, &sent, &got);
        }
    }
}
