//! The rules, the objective and the periods of a problem, and its known optima: the settings
//! that are fractions, weights or lengths rather than data of parks and chains.

use super::{MOST_PERIODS, MOST_YEARS, Validator};
use crate::problem::diagnostic::Diagnostic;
use crate::problem::format::OneMainChain;
use crate::util::numbers::fmt_exact;

impl Validator<'_> {
    pub(super) fn rules(&mut self) -> Option<OneMainChain> {
        let r = &self.p.rules;
        if let Some(rate) = r.min_reuse_rate {
            self.fraction("rules.min_reuse_rate", rate, "the minimum reuse rate");
        }
        let settings = r.one_main_chain.as_ref().and_then(|o| o.settings());
        if let Some(s) = &settings {
            self.fraction("rules.one_main_chain.min_share", s.min_share, "`min_share`");
        }
        let w = &self.p.objective;
        self.non_negative("objective.output", w.output);
        self.non_negative("objective.reuse", w.reuse);
        if !(w.discount_rate.is_finite() && (0.0..1.0).contains(&w.discount_rate)) {
            self.err(
                Diagnostic::at(
                    "objective.discount_rate",
                    format!(
                        "the discount rate must be a number from 0 up to (not including) 1, found {}",
                        fmt_exact(w.discount_rate)
                    ),
                )
                .help("a rate per year, e.g. 0.06 for 6 %"),
            );
        }
        if self.p.periods.len() > MOST_PERIODS {
            self.err(
                Diagnostic::at(
                    "periods",
                    format!(
                        "a problem has at most {MOST_PERIODS} periods, found {}",
                        self.p.periods.len()
                    ),
                )
                .help("join periods into longer ones: a period may last up to 1000 years (`years: 10`)"),
            );
        }
        for (name, period) in &self.p.periods {
            if name.trim().is_empty() {
                self.err(Diagnostic::at("periods", "a period's name is empty").help(
                    "name each period, e.g. `\"2030\": { years: 5 }`: the name heads its plan",
                ));
            }
            if matches!(period.years, Some(y) if !(1..=MOST_YEARS).contains(&y)) {
                self.err(
                    Diagnostic::at(
                        format!("periods.{name}.years"),
                        format!("a period lasts from 1 to {MOST_YEARS} years"),
                    )
                    .help("give the number of years, e.g. `years: 5`, or leave it out for 1"),
                );
            }
        }
        settings
    }

    pub(super) fn expected(&mut self, path: &str, e: Option<&crate::problem::format::Expected>) {
        let Some(e) = e else { return };
        if let Some(obj) = e.objective {
            self.finite(&format!("{path}.objective"), obj);
        }
        if let Some(t) = e.tolerance
            && !(t.is_finite() && t >= 0.0)
        {
            self.err(
                Diagnostic::at(
                    format!("{path}.tolerance"),
                    "the tolerance must be a finite number ≥ 0",
                )
                .help("a relative tolerance such as 1e-6"),
            );
        }
        if let Some(mc) = &e.main_chains {
            for (park, chain) in mc {
                let at = format!("{path}.main_chains.{park}");
                self.reference(&at, park, "park", "parks", &self.p.parks);
                self.reference(&at, chain, "chain", "chains", &self.p.chains);
            }
        }
    }
}
