//! The one status vocabulary: how a solve ended ([`SolveStatus`]), how a variant of a batch ended
//! ([`VariantStatus`]: a solve status, or no solve at all), and the one sentence that says why a
//! plan is not optimal ([`SolveStatus::message`]).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How a solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    /// Proven optimal (within the relative MIP gap; the gap is reported).
    Optimal,
    /// Stopped by the time limit with a feasible plan; the gap says how far from optimal it may be.
    TimeLimit,
    /// Stopped by the time limit before any feasible plan was found.
    NoSolution,
    /// No plan satisfies every constraint.
    Infeasible,
    /// The objective can grow without limit: some chain is missing a bound.
    Unbounded,
}

impl SolveStatus {
    /// Every status, in the order above.
    pub const ALL: [SolveStatus; 5] = [
        SolveStatus::Optimal,
        SolveStatus::TimeLimit,
        SolveStatus::NoSolution,
        SolveStatus::Infeasible,
        SolveStatus::Unbounded,
    ];

    /// Whether a plan comes with this status.
    pub fn has_plan(self) -> bool {
        matches!(self, SolveStatus::Optimal | SolveStatus::TimeLimit)
    }

    /// The status as written in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SolveStatus::Optimal => "optimal",
            SolveStatus::TimeLimit => "time_limit",
            SolveStatus::NoSolution => "no_solution",
            SolveStatus::Infeasible => "infeasible",
            SolveStatus::Unbounded => "unbounded",
        }
    }

    /// Why a plan with this status (and relative MIP `gap`, when known) is not optimal, in one
    /// line; `None` when it is optimal. Every output that explains a status uses this sentence.
    pub fn message(self, gap: Option<f64>) -> Option<String> {
        Some(match self {
            SolveStatus::Optimal => return None,
            SolveStatus::Infeasible => "no plan meets every limit and rule".into(),
            SolveStatus::Unbounded => {
                "some chain can grow without limit; give it `max_per_park` or a resource limit"
                    .into()
            }
            SolveStatus::TimeLimit => match gap.filter(|g| g.is_finite()) {
                Some(g) => format!(
                    "stopped by the time limit; the plan is feasible, within {:.3} % of optimal",
                    g * 100.0
                ),
                None => "stopped by the time limit; the plan is feasible, but how far from optimal is not known yet".into(),
            },
            SolveStatus::NoSolution => {
                "stopped by the time limit before any feasible plan was found".into()
            }
        })
    }
}

/// What stopped a solve before it proved its plan optimal within the gap: the one word every
/// output uses for it (`stopped_by` in JSON), beside the status (`time_limit` with a plan,
/// `no_solution` without).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopCause {
    /// The time limit (`--time-limit`) ran out.
    TimeLimit,
    /// Ctrl-C (SIGINT).
    Sigint,
    /// SIGTERM, as a batch scheduler sends it before killing a job.
    Sigterm,
    /// The program asked the solves to stop (an [`crate::solver::watch::Observer`] or
    /// [`crate::solver::watch::interrupt`]).
    Request,
}

impl StopCause {
    /// The cause in words, as the messages say it (`the time limit`, `Ctrl-C`, `SIGTERM`).
    pub fn words(self) -> &'static str {
        match self {
            StopCause::TimeLimit => "the time limit",
            StopCause::Sigint => "Ctrl-C",
            StopCause::Sigterm => "SIGTERM",
            StopCause::Request => "a request to stop",
        }
    }

    /// The cause as written in JSON and summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            StopCause::TimeLimit => "time_limit",
            StopCause::Sigint => "sigint",
            StopCause::Sigterm => "sigterm",
            StopCause::Request => "request",
        }
    }
}

impl fmt::Display for StopCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl SolveStatus {
    /// [`SolveStatus::message`] with the stop's real cause: a plan stopped by Ctrl-C or SIGTERM
    /// is not said to be stopped by the time limit, nor told to raise it.
    pub fn message_by(self, gap: Option<f64>, cause: Option<StopCause>) -> Option<String> {
        let m = self.message(gap)?;
        Some(match (self, cause) {
            (SolveStatus::TimeLimit | SolveStatus::NoSolution, Some(c))
                if c != StopCause::TimeLimit =>
            {
                m.replacen("the time limit", c.words(), 1)
            }
            _ => m,
        })
    }
}

impl fmt::Display for SolveStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a variant of a batch ended: solved (with whatever status), or not solved at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VariantStatus {
    /// The variant was solved; how the solve ended.
    Solved(SolveStatus),
    /// The variant's problem is invalid, or its changes cannot be applied: not solved.
    Invalid,
    /// The solver failed, or the plan could not be written.
    Error,
}

impl VariantStatus {
    /// Proven optimal.
    pub const OPTIMAL: VariantStatus = VariantStatus::Solved(SolveStatus::Optimal);

    /// The status as written in summaries: a solve status's own word, `invalid` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            VariantStatus::Solved(s) => s.as_str(),
            VariantStatus::Invalid => "invalid",
            VariantStatus::Error => "error",
        }
    }

    /// Whether a plan comes with this status.
    pub fn has_plan(self) -> bool {
        matches!(self, VariantStatus::Solved(s) if s.has_plan())
    }
}

impl From<SolveStatus> for VariantStatus {
    fn from(s: SolveStatus) -> Self {
        VariantStatus::Solved(s)
    }
}

impl fmt::Display for VariantStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for VariantStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for VariantStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let word = String::deserialize(d)?;
        SolveStatus::ALL
            .into_iter()
            .map(VariantStatus::Solved)
            .chain([VariantStatus::Invalid, VariantStatus::Error])
            .find(|v| v.as_str() == word)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "unknown status `{word}`: expected optimal, time_limit, no_solution, infeasible, unbounded, invalid or error"
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_gap_is_said_in_words_not_as_nan() {
        // Regression: a sweep printed "within NaN % of optimal" when HiGHS had no bound yet.
        let m = SolveStatus::TimeLimit.message(None).unwrap();
        assert!(!m.contains("NaN"), "{m}");
        assert!(m.contains("not known yet"), "{m}");
        let m = SolveStatus::TimeLimit.message(Some(f64::NAN)).unwrap();
        assert!(!m.contains("NaN"), "{m}");
        let m = SolveStatus::TimeLimit.message(Some(0.0123)).unwrap();
        assert!(m.contains("within 1.230 % of optimal"), "{m}");
        assert_eq!(SolveStatus::Optimal.message(Some(0.0)), None);
    }

    #[test]
    fn a_stop_by_a_signal_never_blames_the_time_limit() {
        // Regression: Ctrl-C before any plan said "stopped by the time limit".
        for (cause, word) in [
            (StopCause::Sigint, "Ctrl-C"),
            (StopCause::Sigterm, "SIGTERM"),
        ] {
            for status in [SolveStatus::NoSolution, SolveStatus::TimeLimit] {
                let m = status.message_by(Some(0.01), Some(cause)).unwrap();
                assert!(m.starts_with(&format!("stopped by {word}")), "{m}");
                assert!(!m.contains("time limit"), "{m}");
            }
        }
        let m = SolveStatus::NoSolution
            .message_by(None, Some(StopCause::TimeLimit))
            .unwrap();
        assert!(m.contains("stopped by the time limit"), "{m}");
        assert_eq!(SolveStatus::Optimal.message_by(None, None), None);
    }

    #[test]
    fn variant_statuses_read_and_write_as_one_word() {
        for s in SolveStatus::ALL
            .into_iter()
            .map(VariantStatus::Solved)
            .chain([VariantStatus::Invalid, VariantStatus::Error])
        {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{s}\""));
            assert_eq!(serde_json::from_str::<VariantStatus>(&json).unwrap(), s);
        }
        assert!(serde_json::from_str::<VariantStatus>("\"fine\"").is_err());
    }
}
