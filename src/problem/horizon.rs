//! A problem over several periods (MODEL.md §9), once each period's data is validated: the data
//! of every period as a problem of its own, with its length and its weight in the objective.
//!
//! The periods themselves are derived in [`crate::variant`], where a period's changes are applied
//! like a scenario's; this module holds the result and the arithmetic of the weights.

use super::ValidProblem;

/// One period of a multi-period problem.
#[derive(Debug, Clone)]
pub struct Period {
    /// Its name (`2030`).
    pub name: String,
    /// What happens in it, for reports.
    pub description: Option<String>,
    /// How many years it lasts.
    pub years: u32,
    /// Years from the start of the horizon to its start, `s_t`.
    pub start: u32,
    /// Its weight `w_t` in the objective.
    pub weight: f64,
    /// Its data, validated.
    pub problem: ValidProblem,
    /// Its data with every budget of a resource charged on new activity summed over the periods
    /// so far: what the activity of this period may reach, from which the rule's `U[p,c,t]` and
    /// `M_p` are derived (MODEL.md §9).
    pub bounds: ValidProblem,
}

/// The periods of a problem, in order.
#[derive(Debug, Clone)]
pub struct Horizon {
    /// The periods.
    pub periods: Vec<Period>,
    /// The discount rate per year.
    pub discount_rate: f64,
}

impl Horizon {
    /// Years from the start of the first period to the end of the last.
    pub fn years(&self) -> u32 {
        self.periods.iter().map(|p| p.years).sum()
    }
}

/// `w_t = Σ_{j=0}^{years−1} (1 + r)^−(start + j)`: the present value of one unit a year over a
/// period of `years` years that starts `start` years into the horizon. With `r = 0` it is
/// `years`.
pub fn weight(start: u32, years: u32, rate: f64) -> f64 {
    if rate == 0.0 {
        return f64::from(years);
    }
    let d = 1.0 / (1.0 + rate);
    // A geometric series: d^s · (1 − d^n) / (1 − d).
    d.powf(f64::from(start)) * (1.0 - d.powf(f64::from(years))) / (1.0 - d)
}

#[cfg(test)]
mod tests {
    use super::weight;

    #[test]
    fn weights_are_years_without_discounting_and_present_values_with() {
        assert_eq!(weight(0, 5, 0.0), 5.0);
        assert_eq!(weight(10, 5, 0.0), 5.0);
        let by_sum = |s: u32, n: u32, r: f64| -> f64 {
            (0..n).map(|j| (1.0 + r).powi(-((s + j) as i32))).sum()
        };
        for (s, n, r) in [
            (0, 5, 0.06),
            (5, 5, 0.06),
            (10, 5, 0.06),
            (3, 1, 0.5),
            (0, 1, 0.1),
        ] {
            let w = weight(s, n, r);
            assert!((w - by_sum(s, n, r)).abs() < 1e-12, "{s} {n} {r}: {w}");
        }
        // The first year counts in full.
        assert!((weight(0, 1, 0.06) - 1.0).abs() < 1e-15);
    }
}
