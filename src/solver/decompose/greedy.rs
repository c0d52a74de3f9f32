//! A main chain for every park from its own data alone, before any LP: the first plan of a large
//! MILP comes from it at once, whatever the relaxation costs.
//!
//! The choice favours main chains that need nothing new to be feasible. A park's existing plant
//! stays (it may not shrink), so the main chain must already hold its minimum share of that plant's
//! output, or be able to grow to it; under the strict rule, every chain with plant must be the
//! main chain or one it supports. Among the candidates that pass with existing plant alone, the
//! one whose growth could add the most output value (the main chain and the chains it supports,
//! each up to `U[p,c]`) is taken; where none passes, the one with the most existing output value,
//! which needs the least growth to dominate.

use crate::model::Model;
use crate::problem::ParkIx;

/// For each entry of `parks` (a park index and the candidate slots of its main-chain columns, in
/// column order), the position in that list of the main chain chosen.
pub(super) fn main_chains(model: &Model, parks: &[(ParkIx, Vec<usize>)]) -> Vec<usize> {
    let valid = model.problem;
    let prob = valid.problem();
    let rule = valid.rule();
    let share = rule.map_or(0.0, |r| r.min_share);
    let strict = rule.is_some_and(|r| r.strict);
    parks
        .iter()
        .map(|(p, slots)| {
            let p = *p;
            let cands = valid.candidates(p);
            let value =
                |slot: usize| prob.chains[cands[slot]].output * valid.existing(p, cands[slot]);
            let total: f64 = (0..cands.len()).map(value).sum();
            let grows =
                |main: usize, slot: usize| slot == main || valid.supports(cands[main], cands[slot]);
            let holds = |main: usize| {
                value(main) >= share * total * (1.0 - 1e-9)
                    && (!strict
                        || (0..cands.len())
                            .all(|s| grows(main, s) || valid.existing(p, cands[s]) <= 0.0))
            };
            let potential = |main: usize| -> f64 {
                (0..cands.len())
                    .filter(|&s| grows(main, s))
                    .map(|s| {
                        let u = valid.growth_bound(p, s);
                        prob.chains[cands[s]].output * if u.is_finite() { u } else { 0.0 }
                    })
                    .sum()
            };
            let best = |key: &dyn Fn(usize) -> f64, among: &mut dyn Iterator<Item = usize>| {
                among.max_by(|&a, &b| key(a).total_cmp(&key(b)))
            };
            let mut passing = slots.iter().copied().filter(|&s| holds(s));
            let slot =
                best(&potential, &mut passing).or_else(|| best(&value, &mut slots.iter().copied()));
            slot.and_then(|s| slots.iter().position(|&t| t == s))
                .unwrap_or(0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Model, ModelOptions};
    use crate::problem::ValidProblem;
    use crate::problem::validate::validate;

    fn valid(text: &str) -> ValidProblem {
        let problem: crate::problem::Problem = serde_yaml::from_str(text).unwrap();
        validate(problem).unwrap()
    }

    fn chosen(text: &str) -> Vec<String> {
        let v = valid(text);
        let model = Model::build(&v, ModelOptions::default());
        let parks: Vec<(ParkIx, Vec<usize>)> = v
            .problem()
            .park_ixs()
            .map(|p| (p, (0..v.candidates(p).len()).collect()))
            .collect();
        main_chains(&model, &parks)
            .iter()
            .zip(&parks)
            .map(|(&i, (p, slots))| {
                let c = v.candidates(*p)[slots[i]];
                v.problem().chains.keys().nth(c.0).unwrap().clone()
            })
            .collect()
    }

    const CHAINS: &str = r#"
resources: { land: {} }
chains:
  cement: { output: 3, uses: { land: 1 }, max_per_park: 2 }
  steel: { output: 2, uses: { land: 1 }, max_per_park: 5 }
  slag: { output: 1, uses: { land: 1 }, max_per_park: 1 }
"#;

    #[test]
    fn existing_plant_that_holds_the_share_decides_and_otherwise_growth_does() {
        // a: steel's plant is 2/3 of the output, so cement (1/3 < 1/2) would have to grow;
        // b: no plant, steel may add the most (5 × 2 against 2 × 3).
        let text = format!(
            r#"
parks:
  a: {{ capacity: {{ land: 10 }}, existing: {{ steel: 1, cement: 0.34 }} }}
  b: {{ capacity: {{ land: 10 }} }}
{CHAINS}
rules: {{ one_main_chain: {{ min_share: 0.5 }} }}
"#
        );
        assert_eq!(chosen(&text), ["steel", "steel"]);
    }

    #[test]
    fn under_the_strict_rule_plant_outside_the_main_chain_rules_it_out() {
        // Steel supports slag: only steel keeps a's slag plant; cement would grow the most.
        let text = r#"
resources: { land: {} }
parks:
  a: { capacity: { land: 10 }, existing: { slag: 0.1 } }
chains:
  cement: { output: 3, uses: { land: 1 }, max_per_park: 9 }
  steel: { output: 2, uses: { land: 1 }, max_per_park: 2, supports: [slag] }
  slag: { output: 1, uses: { land: 1 }, max_per_park: 1 }
rules: { one_main_chain: { strict: true } }
"#;
        assert_eq!(chosen(text), ["steel"]);
        let loose = text.replace("strict: true", "strict: false");
        assert_eq!(chosen(&loose), ["cement"]);
    }
}
