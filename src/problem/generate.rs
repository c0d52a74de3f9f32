//! Realistic problem files of any size, feasible by construction (`parkplan generate`).
//!
//! Chains are drawn from the archetypes of [`archetypes`] (coal mining, power, coking, steel,
//! building materials, coal and phosphorus chemicals, new materials, and the fly-ash, gangue,
//! slag and phosphogypsum chains that reuse their wastes); a problem with more chains than
//! archetypes takes variants of them, each coefficient within ±15 % of the reference.
//!
//! Feasibility is built in: a plan is drawn first — each park's main chain, a few chains that
//! main chain supports, some unrelated existing plant that stays as it is, activities that keep
//! the main chain's share of the park's output at least `min_share` — and every limit is then set
//! to what that plan uses plus slack: park capacities, city pools, `max_per_park` and
//! `max_total`. Every material some chain consumes may be bought from outside, up to more than the
//! plan's whole demand, so feedstock can always be met whatever the exchange routes. The plan
//! itself is not written; the solver's optimum is at least as good.
//!
//! The output depends only on the options: the same options and seed give the same bytes.

mod archetypes;
mod units;
mod write;

use archetypes::{ARCHETYPES, Archetype, MATERIALS};

/// The most parks a generated problem may have.
pub const MAX_PARKS: usize = 100_000;
/// The most chains a generated problem may have.
pub const MAX_CHAINS: usize = 1_000;
/// The most materials: the archetypes' materials.
pub const MAX_MATERIALS: usize = MATERIALS.len();

/// Which routes generated parks may exchange materials over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exchange {
    /// Partner parks (same zone) only.
    Within,
    /// Partner parks free, other parks at a transport cost.
    Across,
    /// No exchange between parks: each park uses its own wastes or buys.
    None,
}

/// Which city pools a generated problem has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pools {
    /// Water (on all activity), power and funds (on new activity).
    All,
    /// Power and funds only: the pools on new activity.
    New,
    /// No city pools: parks are coupled only by exchange and `max_total`.
    None,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Number of parks (≥ 1).
    pub parks: usize,
    /// Number of chains (≥ 1).
    pub chains: usize,
    /// Number of materials (1 to [`MAX_MATERIALS`]).
    pub materials: usize,
    /// Number of zones (1 to `parks`); `None` for about one per eight parks.
    pub zones: Option<usize>,
    /// Exchange routes.
    pub exchange: Exchange,
    /// The one-main-chain rule's `min_share`, in [0, 1].
    pub min_share: f64,
    /// The rule's `strict`: unrelated existing plant must go (the construction plan then keeps
    /// none outside its main chain's group).
    pub strict: bool,
    /// Share of parks, in [0, 1], that have an `allowed` list (4 or 5 chains); the others may
    /// take any chain, and any chain as main chain. 1 keeps every park on a list.
    pub allowed_share: f64,
    /// Share of parks, in [0, 1], drawn with existing plant; the others start empty. 1 lets every
    /// park have some (each chain by its own draw).
    pub existing_share: f64,
    /// How many chains carry `max_total` (the first ones the construction plan uses, in chain
    /// order); `None` for every chain it uses.
    pub max_total: Option<usize>,
    /// Which city pools the problem has.
    pub pools: Pools,
    /// Seed of the random draws.
    pub seed: u64,
    /// Share of the chains, in [0, 1], built in whole units (MODEL.md §12; see `units.rs`).
    pub units_share: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            parks: 8,
            chains: 12,
            materials: MAX_MATERIALS,
            zones: None,
            exchange: Exchange::Within,
            min_share: 0.3,
            strict: false,
            allowed_share: 1.0,
            existing_share: 1.0,
            max_total: None,
            pools: Pools::All,
            seed: 1,
            units_share: 0.0,
        }
    }
}

/// Options that cannot be generated, with what to give instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct GenerateError(pub String);

/// A small seeded generator (SplitMix64): fast, with good statistical quality for this use, and
/// the same stream on every platform, which a crate's generator would not promise across versions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    /// Uniform in 0..n (n ≥ 1).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 11) as u128 * n as u128) >> 53) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

fn floor3(x: f64) -> f64 {
    ((x * 1000.0).floor() / 1000.0).max(0.0)
}
fn ceil3(x: f64) -> f64 {
    (x * 1000.0).ceil() / 1000.0
}
/// Three significant digits.
fn sig3(x: f64) -> f64 {
    if x == 0.0 {
        return 0.0;
    }
    let scale = 10f64.powi(2 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}
/// A number as the file writes it: the shortest form that reads back the same value.
fn num(x: f64) -> String {
    if x == 0.0 { "0".into() } else { format!("{x}") }
}

/// One chain of the generated problem.
struct Chain {
    id: String,
    name: String,
    unit: &'static str,
    output: f64,
    uses: [f64; 4],
    materials: Vec<(usize, f64)>,
    supports: Vec<usize>,
    max_per_park: f64,
}

/// One park and its construction plan.
struct Park {
    zone: usize,
    main: usize,
    /// Whether the park's candidates are written as an `allowed` list (else every chain).
    listed: bool,
    /// Allowed chains in chain order, with planned activity and existing activity.
    chains: Vec<(usize, f64, f64)>,
}

/// Refuses options that cannot be generated.
fn check(o: &Options) -> Result<usize, GenerateError> {
    let err = |m: String| Err(GenerateError(m));
    if o.parks == 0 || o.parks > MAX_PARKS {
        return err(format!(
            "--parks must be between 1 and {MAX_PARKS}, not {}",
            o.parks
        ));
    }
    if o.chains == 0 || o.chains > MAX_CHAINS {
        return err(format!(
            "--chains must be between 1 and {MAX_CHAINS}, not {}",
            o.chains
        ));
    }
    if o.materials == 0 || o.materials > MAX_MATERIALS {
        return err(format!(
            "--materials must be between 1 and {MAX_MATERIALS} (the materials of the chain \
             archetypes), not {}",
            o.materials
        ));
    }
    let zones = o.zones.unwrap_or_else(|| o.parks.div_ceil(8));
    if zones == 0 || zones > o.parks {
        return err(format!(
            "--zones must be between 1 and the number of parks ({}), not {zones}",
            o.parks
        ));
    }
    for (flag, v) in [
        ("--min-share", o.min_share),
        ("--allowed-share", o.allowed_share),
        ("--existing-share", o.existing_share),
    ] {
        if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
            return err(format!(
                "{flag} must be a share between 0 and 1, e.g. 0.3, not {v}"
            ));
        }
    }
    if o.max_total.is_some_and(|n| n > o.chains) {
        return err(format!(
            "--max-total must be between 0 and the number of chains ({}), not {}",
            o.chains,
            o.max_total.unwrap_or(0)
        ));
    }
    Ok(zones)
}

/// The chains: archetypes in order, then their variants.
fn chains(o: &Options, rng: &mut Rng) -> Vec<Chain> {
    let n = ARCHETYPES.len();
    let kinds: Vec<&Archetype> = (0..o.chains).map(|i| &ARCHETYPES[i % n]).collect();
    let mut out = Vec::with_capacity(o.chains);
    for (i, a) in kinds.iter().enumerate() {
        let variant = i / n;
        let mut f = |x: f64| {
            if variant == 0 {
                x
            } else {
                sig3(x * rng.range(0.85, 1.15))
            }
        };
        let (id, name) = if variant == 0 {
            (a.id.to_string(), a.name.to_string())
        } else {
            (
                format!("{}_{}", a.id, variant + 1),
                format!("{} (type {})", a.name, variant + 1),
            )
        };
        let output = f(a.output);
        let uses = a.uses.map(&mut f);
        let materials = a
            .materials
            .iter()
            .filter_map(|(m, v)| {
                let k = MATERIALS[..o.materials].iter().position(|x| x.id == *m)?;
                Some((k, f(*v)))
            })
            .collect();
        let max_per_park = f(a.max_per_park);
        let supports = (0..o.chains)
            .filter(|&j| a.supports.contains(&kinds[j].id))
            .collect();
        out.push(Chain {
            id,
            name,
            unit: a.unit,
            output,
            uses,
            materials,
            supports,
            max_per_park,
        });
    }
    out
}

/// How a park is drawn beyond its zone.
#[derive(Debug, Clone, Copy)]
struct Draw {
    /// The rule's `min_share`.
    share: f64,
    /// The rule's `strict`: no plant outside the main chain's group.
    strict: bool,
    /// Whether the park may have existing plant.
    existing: bool,
}

/// Draws a park: its allowed chains and the plan that makes it feasible.
fn park(zone: usize, chains: &[Chain], d: Draw, rng: &mut Rng) -> Park {
    let share = d.share;
    let c = chains.len();
    let main = rng.below(c);
    let mut allowed = vec![main];
    let sup = &chains[main].supports;
    for _ in 0..2 {
        if !sup.is_empty() {
            let s = sup[rng.below(sup.len())];
            if !allowed.contains(&s) {
                allowed.push(s);
            }
        }
    }
    for _ in 0..1 + rng.below(2) {
        let other = rng.below(c);
        if !allowed.contains(&other) {
            allowed.push(other);
        }
    }
    allowed.sort_unstable();
    // Planned activity x and existing activity e (e ≤ x); an unrelated chain keeps x = e.
    let mut plan: Vec<(usize, f64, f64)> = allowed
        .iter()
        .map(|&k| {
            let max = chains[k].max_per_park;
            if k == main {
                let x = floor3(rng.range(0.3, 0.8) * max).max(0.001);
                let e = if rng.chance(0.6) {
                    floor3(x * rng.range(0.2, 0.9))
                } else {
                    0.0
                };
                (k, x, e)
            } else if sup.contains(&k) {
                let x = floor3(rng.range(0.1, 0.4) * max);
                let e = if rng.chance(0.5) {
                    floor3(x * rng.range(0.0, 0.8))
                } else {
                    0.0
                };
                (k, x, e)
            } else {
                let e = if rng.chance(0.5) {
                    floor3(rng.range(0.05, 0.25) * max)
                } else {
                    0.0
                };
                (k, e, e)
            }
        })
        .collect();
    // Unrelated plant cannot stay under a strict rule; a park drawn empty has none at all. (The
    // draws above are made all the same, so that the other options' files keep their bytes.)
    for p in &mut plan {
        let related = p.0 == main || sup.contains(&p.0);
        if !d.existing {
            p.2 = 0.0;
            if !related {
                p.1 = 0.0;
            }
        } else if d.strict && !related {
            (p.1, p.2) = (0.0, 0.0);
        }
    }
    // The main chain's share: shrink the other chains until it holds with a margin.
    let main_value = chains[main].output * plan.iter().find(|p| p.0 == main).map_or(0.0, |p| p.1);
    for round in 0.. {
        let others: f64 = plan
            .iter()
            .filter(|p| p.0 != main)
            .map(|p| chains[p.0].output * p.1)
            .sum();
        if (1.0 - share) * main_value >= share * others * 1.001 || others == 0.0 {
            break;
        }
        for p in plan.iter_mut().filter(|p| p.0 != main) {
            if round >= 60 {
                (p.1, p.2) = (0.0, 0.0);
            } else {
                p.1 = floor3(p.1 / 2.0);
                p.2 = floor3(p.2 / 2.0).min(p.1);
            }
        }
    }
    Park {
        zone,
        main,
        listed: true,
        chains: plan,
    }
}

/// Generates a problem file: YAML text in parkplan's format.
pub fn generate(o: &Options) -> Result<String, GenerateError> {
    let zones = check(o)?;
    units::check(o)?;
    let mut rng = Rng(o.seed ^ 0x005E_ED0F_9A4C_9A4E);
    let chains = chains(o, &mut rng);
    // Draws beyond the defaults' come only for a share strictly between 0 and 1, so that files
    // made without these options keep their bytes.
    let draw = |share: f64, rng: &mut Rng| share >= 1.0 || (share > 0.0 && rng.chance(share));
    let parks: Vec<Park> = (0..o.parks)
        .map(|p| {
            let existing = draw(o.existing_share, &mut rng);
            let d = Draw {
                share: o.min_share,
                strict: o.strict,
                existing,
            };
            let mut park = park(p * zones / o.parks, &chains, d, &mut rng);
            park.listed = draw(o.allowed_share, &mut rng);
            park
        })
        .collect();
    let mut w = String::with_capacity(256 * o.parks + 512 * o.chains);
    write::header(&mut w, o, zones, &chains, &parks);
    write::body(&mut w, o, zones, &chains, &parks, &mut rng);
    units::add(&mut w, o, &chains);
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_deterministic_and_seeded() {
        let mut a = Rng(7);
        let mut b = Rng(7);
        let xs: Vec<u64> = (0..5).map(|_| a.next()).collect();
        assert_eq!(xs, (0..5).map(|_| b.next()).collect::<Vec<_>>());
        let mut c = Rng(8);
        assert_ne!(xs[0], c.next());
        for _ in 0..1000 {
            let u = a.unit();
            assert!((0.0..1.0).contains(&u));
            assert!(a.below(3) < 3);
        }
    }

    #[test]
    fn numbers_round_as_stated() {
        assert_eq!(sig3(1234.5), 1230.0);
        assert_eq!(sig3(-0.012345), -0.0123);
        assert_eq!(floor3(0.12399), 0.123);
        assert_eq!(ceil3(0.1231), 0.124);
        assert_eq!(num(0.3), "0.3");
        assert_eq!(num(25.0), "25");
    }

    #[test]
    fn bad_options_are_refused_with_the_flag_named() {
        let bad = |o: Options, flag: &str| {
            let e = generate(&o).unwrap_err().0;
            assert!(e.contains(flag), "{e}");
        };
        let d = Options::default;
        bad(Options { parks: 0, ..d() }, "--parks");
        bad(Options { chains: 0, ..d() }, "--chains");
        bad(
            Options {
                materials: 9,
                ..d()
            },
            "--materials",
        );
        bad(
            Options {
                zones: Some(9),
                ..d()
            },
            "--zones",
        );
        bad(
            Options {
                min_share: 1.5,
                ..d()
            },
            "--min-share",
        );
        bad(
            Options {
                min_share: f64::NAN,
                ..d()
            },
            "--min-share",
        );
        bad(
            Options {
                allowed_share: -0.1,
                ..d()
            },
            "--allowed-share",
        );
        bad(
            Options {
                existing_share: 2.0,
                ..d()
            },
            "--existing-share",
        );
        bad(
            Options {
                max_total: Some(13),
                ..d()
            },
            "--max-total",
        );
    }

    #[test]
    fn a_strict_or_empty_park_keeps_no_plant_outside_its_main_chain_group() {
        let o = Options {
            chains: 40,
            ..Options::default()
        };
        let mut rng = Rng(5);
        let cs = chains(&o, &mut rng);
        for (strict, existing) in [(true, true), (false, false)] {
            for _ in 0..50 {
                let d = Draw {
                    share: 0.3,
                    strict,
                    existing,
                };
                let p = park(0, &cs, d, &mut rng);
                for &(k, x, e) in &p.chains {
                    let related = k == p.main || cs[p.main].supports.contains(&k);
                    if !related {
                        assert_eq!((x, e), (0.0, 0.0), "{k} strict {strict}");
                    }
                    if !existing {
                        assert_eq!(e, 0.0);
                    }
                }
            }
        }
    }

    #[test]
    fn the_shares_of_listed_and_built_parks_follow_the_options() {
        let text = |allowed_share: f64, existing_share: f64| {
            generate(&Options {
                parks: 400,
                chains: 20,
                allowed_share,
                existing_share,
                ..Options::default()
            })
            .unwrap()
        };
        let count = |t: &str, what: &str| t.lines().filter(|l| l.contains(what)).count();
        assert_eq!(count(&text(1.0, 1.0), "    allowed: ["), 400);
        assert_eq!(count(&text(0.0, 1.0), "    allowed: ["), 0);
        let some = count(&text(0.3, 1.0), "    allowed: [");
        assert!((80..=160).contains(&some), "{some} of 400 listed at 30 %");
        assert_eq!(count(&text(1.0, 0.0), "    existing: {"), 0);
        let built = count(&text(1.0, 0.5), "    existing: {");
        let all = count(&text(1.0, 1.0), "    existing: {");
        assert!(built < all && built > all / 4, "{built} of {all}");
    }

    #[test]
    fn every_park_plan_keeps_its_main_chain_share() {
        let o = Options {
            parks: 50,
            chains: 40,
            min_share: 0.6,
            ..Options::default()
        };
        let mut rng = Rng(3);
        let cs = chains(&o, &mut rng);
        for _ in 0..o.parks {
            let d = Draw {
                share: o.min_share,
                strict: false,
                existing: true,
            };
            let p = park(0, &cs, d, &mut rng);
            let value = |k: usize, x: f64| cs[k].output * x;
            let total: f64 = p.chains.iter().map(|&(k, x, _)| value(k, x)).sum();
            let main = p.chains.iter().find(|c| c.0 == p.main).unwrap();
            assert!(value(main.0, main.1) >= 0.6 * total - 1e-9);
            for &(k, x, e) in &p.chains {
                assert!(e <= x && x <= cs[k].max_per_park, "{k}: {e} {x}");
            }
        }
    }
}
