//! The material exchange of MODEL.md §3–§4.4, in one of two equivalent formulations.
//!
//! **Pairwise** is the contract's literal one: a column `f[k,p,q]` for every material and every
//! pair of parks along an open route — O(P²·K) columns once parks trade across zones.
//!
//! **Hub** (the default) aggregates the flows, since only whether a flow crosses zones carries a
//! cost. Parks are grouped: each zone is a group, and a park without a zone is a group of its own.
//! For material k, park p in group g:
//! - `own[k,p]`: what p uses of its own waste (the route p → p);
//! - `send[k,p]`, `take[k,p]`: what p sends to, and takes from, other parks;
//! - where parks of g trade with each other (`within_zone`, two parks or more), `send` goes to the
//!   group's hub and `take` comes from it; the hub's across-zone trade is `export[k,g]` and
//!   `import[k,g]` (each at most what its parks send, resp. take), and the hub balances:
//!   `Σ send + import = Σ take + export`;
//! - otherwise `send` is an export and `take` an import by itself;
//! - across zones, one column `across[k]` is the total moved: `Σ_g export[k,g] = across[k] =
//!   Σ_g import[k,g]`, charged `cost[k]` per unit, and no group may trade with itself:
//!   `export[k,g] + import[k,g] ≤ across[k]`.
//!
//! Columns and rows grow as O(P·K + Z·K). Every pairwise plan maps onto hub columns by summing its
//! flows, at the same objective; conversely a hub plan's flows decompose into park-to-park flows
//! ([`decompose`]): within a group any park may supply any other, and across groups the last row
//! is exactly the condition (Hall's, for a complete multipartite graph) under which exports can be
//! matched to imports of other groups. So both formulations have one optimum, and the plan reports
//! a feasible set of `f[k,p,q]`.

mod decompose;

pub use decompose::{Piece, decompose};

use good_lp::{Expression, constraint, variable};

use super::{Model, RowKind, material_coef};
use crate::problem::ParkIx;

/// How the exchange is formulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Flows {
    /// Aggregated through group hubs (see the module's documentation).
    #[default]
    Hub,
    /// One column per pair of parks along an open route.
    Pairwise,
}

/// An end of a flow column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    /// A park.
    Park(ParkIx),
    /// The hub of a group of parks (by group index).
    Hub(usize),
    /// Everything beyond a group: the other groups, together.
    Across,
}

/// The groups of parks that trade freely among themselves at no cost.
#[derive(Debug, Clone)]
pub struct Groups {
    /// The group of each park.
    pub of: Vec<usize>,
    /// The parks of each group, in park order.
    pub parks: Vec<Vec<ParkIx>>,
    /// Whether the parks of each group trade with each other (`within_zone`, two parks or more).
    pub within: Vec<bool>,
}

impl Groups {
    /// Zones as groups, a park without a zone a group of its own.
    pub fn of(problem: &crate::problem::ValidProblem) -> Groups {
        let p = problem.problem();
        let mut index: std::collections::HashMap<&str, usize> = Default::default();
        let mut of = Vec::with_capacity(p.parks.len());
        let mut parks: Vec<Vec<ParkIx>> = Vec::new();
        for (pi, park) in p.park_ixs().zip(p.parks.values()) {
            let g = match park.zone.as_deref() {
                Some(zone) => *index.entry(zone).or_insert_with(|| {
                    parks.push(Vec::new());
                    parks.len() - 1
                }),
                None => {
                    parks.push(Vec::new());
                    parks.len() - 1
                }
            };
            parks[g].push(pi);
            of.push(g);
        }
        let within = parks
            .iter()
            .map(|g| p.exchange.within_zone && g.len() > 1)
            .collect();
        Groups { of, parks, within }
    }
}

/// Per chain (by index), per material (by index): `materials[c][k]`.
fn material_table(m: &Model) -> Vec<Vec<f64>> {
    let p = m.problem.problem();
    (0..p.chains.len())
        .map(|c| {
            (0..p.materials.len())
                .map(|k| material_coef(m.problem, crate::problem::ChainIx(c), k))
                .collect()
        })
        .collect()
}

/// What each park may generate and use of each material: `(gen, use)[k][p]`.
fn capabilities(m: &Model) -> (Vec<Vec<bool>>, Vec<Vec<bool>>) {
    let p = m.problem.problem();
    let table = material_table(m);
    let (n_k, n_p) = (p.materials.len(), p.parks.len());
    let mut generates = vec![vec![false; n_p]; n_k];
    let mut uses = vec![vec![false; n_p]; n_k];
    for pi in p.park_ixs() {
        for &c in m.problem.candidates(pi) {
            for (k, &a) in table[c.0].iter().enumerate() {
                generates[k][pi.0] |= a > 0.0;
                uses[k][pi.0] |= a < 0.0;
            }
        }
    }
    (generates, uses)
}

impl Model<'_> {
    /// The flow columns (in the formulation [`super::ModelOptions::flows`] asks for), then the
    /// purchases `b[k,q]` of each material that may be bought.
    pub(super) fn exchange_columns(&mut self) {
        let (generates, uses) = capabilities(self);
        match self.options.flows {
            Flows::Pairwise => self.pairwise_columns(&generates, &uses),
            Flows::Hub => self.hub_columns(&generates, &uses),
        }
        let problem = self.problem;
        let p = problem.problem();
        for (k, (mat_id, mat)) in p.materials.iter().enumerate() {
            if mat.external.is_none() {
                continue;
            }
            for (q, park_id) in p.park_ixs().zip(p.parks.keys()) {
                if uses[k][q.0] {
                    let var = self.add_column(variable().min(0), format!("b[{mat_id},{park_id}]"));
                    self.buys.push(super::BuyVar {
                        material: k,
                        park: q,
                        var,
                    });
                }
            }
        }
    }

    fn flow_column(&mut self, material: usize, from: Node, to: Node, cost: f64, name: String) {
        let var = self.add_column(variable().min(0), name);
        self.flows.push(super::FlowVar {
            material,
            from,
            to,
            cost,
            var,
        });
    }

    /// `f[k,p,q]` from every park that may generate k to every park that may use it along an
    /// open route.
    fn pairwise_columns(&mut self, generates: &[Vec<bool>], uses: &[Vec<bool>]) {
        let problem = self.problem;
        let p = problem.problem();
        for (k, mat_id) in p.materials.keys().enumerate() {
            for from in p.park_ixs().filter(|q| generates[k][q.0]) {
                for to in p.park_ixs().filter(|q| uses[k][q.0]) {
                    if let Some(cost) = problem.route(from, to, k) {
                        let name = format!("f[{mat_id},{},{}]", p.park_id(from), p.park_id(to));
                        self.flow_column(k, Node::Park(from), Node::Park(to), cost, name);
                    }
                }
            }
        }
    }

    /// The hub formulation's columns (see the module's documentation).
    fn hub_columns(&mut self, generates: &[Vec<bool>], uses: &[Vec<bool>]) {
        let problem = self.problem;
        let p = problem.problem();
        let groups = Groups::of(problem);
        let n_groups = groups.parks.len();
        for (k, mat_id) in p.materials.keys().enumerate() {
            let across = problem.across_cost().map(|c| c[k]);
            let count =
                |flags: &[bool], g: usize| groups.parks[g].iter().filter(|q| flags[q.0]).count();
            let gens: Vec<usize> = (0..n_groups).map(|g| count(&generates[k], g)).collect();
            let users: Vec<usize> = (0..n_groups).map(|g| count(&uses[k], g)).collect();
            let (all_gens, all_users) = (gens.iter().sum::<usize>(), users.iter().sum::<usize>());
            for q in p.park_ixs() {
                if generates[k][q.0] && uses[k][q.0] {
                    let name = format!("f[{mat_id},{},{}]", p.park_id(q), p.park_id(q));
                    self.flow_column(k, Node::Park(q), Node::Park(q), 0.0, name);
                }
            }
            let mut any_across = false;
            for g in 0..n_groups {
                let within = groups.within[g];
                // Someone else to send to, or take from: in the group, or beyond it.
                let export = across.is_some() && gens[g] > 0 && all_users > users[g];
                let import = across.is_some() && users[g] > 0 && all_gens > gens[g];
                let (mut sends, mut takes) = (false, false);
                for &q in &groups.parks[g] {
                    let park_id = p.park_id(q);
                    let (gen_q, use_q) = (generates[k][q.0], uses[k][q.0]);
                    let send = gen_q && (within && users[g] > usize::from(use_q) || export);
                    let take = use_q && (within && gens[g] > usize::from(gen_q) || import);
                    let (to, cost) = if within {
                        (Node::Hub(g), 0.0)
                    } else {
                        (Node::Across, across.unwrap_or(0.0))
                    };
                    if send {
                        sends = true;
                        let name = format!("send[{mat_id},{park_id}]");
                        self.flow_column(k, Node::Park(q), to, cost, name);
                    }
                    if take {
                        takes = true;
                        let from = if within { Node::Hub(g) } else { Node::Across };
                        let name = format!("take[{mat_id},{park_id}]");
                        self.flow_column(k, from, Node::Park(q), 0.0, name);
                    }
                }
                any_across |= !within && (sends || takes);
                if within {
                    let zone = self.group_name(&groups, g);
                    if export && sends {
                        let name = format!("export[{mat_id},{zone}]");
                        self.flow_column(
                            k,
                            Node::Hub(g),
                            Node::Across,
                            across.unwrap_or(0.0),
                            name,
                        );
                        any_across = true;
                    }
                    if import && takes {
                        let name = format!("import[{mat_id},{zone}]");
                        self.flow_column(k, Node::Across, Node::Hub(g), 0.0, name);
                        any_across = true;
                    }
                }
            }
            if any_across {
                let var = self.add_column(variable().min(0), format!("across[{mat_id}]"));
                self.across.push((k, var));
            }
        }
        self.groups = Some(groups);
    }

    /// A group's name in row and column names: its zone, or its one park.
    fn group_name(&self, groups: &Groups, g: usize) -> String {
        let p = self.problem.problem();
        let first = groups.parks[g][0];
        match &p.parks[first.0].zone {
            Some(zone) => zone.clone(),
            None => p.park_id(first).to_string(),
        }
    }
}

/// The rows of the hub formulation that the parks' balances (in
/// [`super::constraints::material_balance`]) do not state: each hub's balance, its trade at most
/// what its parks send and take, the total across zones, and no group trading with itself.
pub fn hub_rows(m: &mut Model) {
    let Some(groups) = m.groups.clone() else {
        return;
    };
    let mat_ids: Vec<String> = m.problem.problem().materials.keys().cloned().collect();
    let n_groups = groups.parks.len();
    for (k, mat_id) in mat_ids.iter().enumerate() {
        // Per group: Σ into the hub from parks, Σ out of it to parks, its export and import; the
        // group's trade across (export + import, or its parks' own sends and takes).
        let mut sent = vec![Expression::from(0.0); n_groups];
        let mut taken = vec![Expression::from(0.0); n_groups];
        // Into each hub (its parks' sends and its import) and out of it (takes and export).
        let mut hub_in = vec![Expression::from(0.0); n_groups];
        let mut hub_out = vec![Expression::from(0.0); n_groups];
        let mut trade = vec![Expression::from(0.0); n_groups];
        let mut hub = vec![false; n_groups];
        let (mut exported, mut imported) = (vec![false; n_groups], vec![false; n_groups]);
        let (mut exports, mut imports) = (Expression::from(0.0), Expression::from(0.0));
        let mut hub_trade: Vec<(usize, bool, good_lp::Variable)> = Vec::new();
        for f in m.flows.iter().filter(|f| f.material == k) {
            match (f.from, f.to) {
                (Node::Park(_), Node::Hub(g)) => {
                    sent[g].add_mul(1.0, f.var);
                    hub_in[g].add_mul(1.0, f.var);
                    hub[g] = true;
                }
                (Node::Hub(g), Node::Park(_)) => {
                    taken[g].add_mul(1.0, f.var);
                    hub_out[g].add_mul(1.0, f.var);
                    hub[g] = true;
                }
                (Node::Hub(g), Node::Across) => {
                    exports.add_mul(1.0, f.var);
                    trade[g].add_mul(1.0, f.var);
                    hub_out[g].add_mul(1.0, f.var);
                    hub_trade.push((g, true, f.var));
                    exported[g] = true;
                }
                (Node::Across, Node::Hub(g)) => {
                    imports.add_mul(1.0, f.var);
                    trade[g].add_mul(1.0, f.var);
                    hub_in[g].add_mul(1.0, f.var);
                    hub_trade.push((g, false, f.var));
                    imported[g] = true;
                }
                (Node::Park(q), Node::Across) => {
                    exports.add_mul(1.0, f.var);
                    let g = groups.of[q.0];
                    trade[g].add_mul(1.0, f.var);
                    exported[g] = true;
                }
                (Node::Across, Node::Park(q)) => {
                    imports.add_mul(1.0, f.var);
                    let g = groups.of[q.0];
                    trade[g].add_mul(1.0, f.var);
                    imported[g] = true;
                }
                _ => {}
            }
        }
        for (g, is_export, var) in hub_trade {
            let zone = m.group_name(&groups, g);
            let (bound, side) = if is_export {
                (sent[g].clone(), "export")
            } else {
                (taken[g].clone(), "import")
            };
            m.push(
                constraint!(var <= bound),
                RowKind::HubTrade {
                    material: k,
                    group: g,
                },
                format!("{side}_bound[{mat_id},{zone}]"),
            );
        }
        for g in (0..n_groups).filter(|&g| hub[g]) {
            let zone = m.group_name(&groups, g);
            let inflow = std::mem::take(&mut hub_in[g]);
            let outflow = std::mem::take(&mut hub_out[g]);
            m.push(
                constraint!(inflow == outflow),
                RowKind::Hub {
                    material: k,
                    group: g,
                },
                format!("hub[{mat_id},{zone}]"),
            );
        }
        let Some(&(_, total)) = m.across.iter().find(|(kk, _)| *kk == k) else {
            continue;
        };
        m.push(
            constraint!(exports == total),
            RowKind::Across { material: k },
            format!("across_out[{mat_id}]"),
        );
        m.push(
            constraint!(imports == total),
            RowKind::Across { material: k },
            format!("across_in[{mat_id}]"),
        );
        for g in (0..n_groups).filter(|&g| exported[g] && imported[g]) {
            let zone = m.group_name(&groups, g);
            let t = std::mem::take(&mut trade[g]);
            m.push(
                constraint!(t <= total),
                RowKind::Across { material: k },
                format!("not_to_itself[{mat_id},{zone}]"),
            );
        }
    }
}
