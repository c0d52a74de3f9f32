//! How reports word plant built in units (MODEL.md §12), the same in every format: a chain's
//! build as "coking: +2 × 1.0 Mt/yr, existing 1.0", and the fixed outlays' line under a resource.

use crate::plan::Built;
use crate::util::numbers::fmt_exact;

/// A size as reports give it: one decimal at least (`1.0`), more when it has them (`0.35`).
pub fn plant_size(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.1}")
    } else {
        fmt_exact(v)
    }
}

/// One chain's build: `coking: +2 × 1.0 Mt/yr, existing 1.0` with a unit size, `+2.5 Mt/yr`
/// without one; `unit` is the chain's unit of activity (may be empty).
pub fn built_text(chain: &str, b: &Built, unit: &str) -> String {
    let what = new_plant(b, unit);
    if b.existing > 0.0 {
        format!("{chain}: {what}, existing {}", plant_size(b.existing))
    } else {
        format!("{chain}: {what}")
    }
}

/// The new plant alone: `+2 × 1.0 Mt/yr` with a unit size, `+2.5 Mt/yr` without one; `unit` is
/// the chain's unit of activity (may be empty).
pub fn new_plant(b: &Built, unit: &str) -> String {
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    match (b.units, b.unit) {
        (Some(n), Some(s)) => format!("+{} × {}{unit}", fmt_exact(n.round()), plant_size(s)),
        _ => format!("+{}{unit}", plant_size(b.new)),
    }
}

/// The label of the fixed outlays' line under a resource.
pub const FIXED_LABEL: &str = "of which fixed outlays";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_reads_as_whole_units_over_the_existing_plant() {
        let b = Built {
            existing: 1.0,
            new: 2.0,
            unit: Some(1.0),
            units: Some(2.0),
        };
        assert_eq!(
            built_text("coking", &b, "Mt/yr"),
            "coking: +2 × 1.0 Mt/yr, existing 1.0"
        );
        let b = Built {
            existing: 0.0,
            new: 2.5,
            unit: None,
            units: None,
        };
        assert_eq!(built_text("polysilicon", &b, ""), "polysilicon: +2.5");
    }
}
