//! `--units-share F` of `parkplan generate`: `build:` (MODEL.md §12) on that share of the chains.
//!
//! A chosen chain gets `build: { unit: s }` with `s` a tenth of its `max_per_park` (three
//! significant digits), so that a park can build it in up to ten whole units. The choice is drawn
//! from its own stream of the seed, so a file generated with a share of 0 is byte for byte the file
//! of before, and the other draws do not move when the share changes. Whole units make the
//! problem a harder MILP, and the plan the generator builds on may no longer be one of its plans:
//! rounding each park's growth down to whole units keeps every capacity, pool and limit, but may
//! leave a main chain below `min_share`, so a problem with units is feasible by construction only
//! in the plan of existing plant when that plan meets the share.

use super::{Chain, GenerateError, Options, Rng, num};

/// The flag's range, with the flag named.
pub(super) fn check(o: &Options) -> Result<(), GenerateError> {
    if !(0.0..=1.0).contains(&o.units_share) {
        return Err(GenerateError(format!(
            "--units-share must be a share between 0 and 1, e.g. 0.3, not {}",
            num(o.units_share)
        )));
    }
    Ok(())
}

/// Adds a `build:` line to the chosen chains of the generated text `w` (after each one's
/// `max_per_park:` line).
pub(super) fn add(w: &mut String, o: &Options, chains: &[Chain]) {
    if o.units_share <= 0.0 {
        return;
    }
    let mut rng = Rng(o.seed ^ 0x0417_0417_5EED_0417);
    let chosen: Vec<(&str, f64)> = chains
        .iter()
        .filter(|_| rng.unit() < o.units_share)
        .map(|c| (c.id.as_str(), super::sig3(c.max_per_park / 10.0)))
        .collect();
    if chosen.is_empty() {
        return;
    }
    let mut out = String::with_capacity(w.len() + 32 * chosen.len());
    let (mut in_chains, mut current) = (false, None);
    for line in w.lines() {
        out.push_str(line);
        out.push('\n');
        if !line.starts_with(' ') && !line.starts_with('#') && !line.is_empty() {
            in_chains = line == "chains:";
            continue;
        }
        if !in_chains {
            continue;
        }
        if let Some(id) = line.strip_prefix("  ").and_then(|l| l.strip_suffix(':'))
            && !id.starts_with(' ')
        {
            current = chosen.iter().find(|(c, _)| *c == id).map(|&(_, s)| s);
        } else if line.starts_with("    max_per_park:")
            && let Some(s) = current.take()
            && s > 0.0
        {
            out.push_str(&format!("    build: {{ unit: {} }}\n", num(s)));
        }
    }
    *w = out;
}
