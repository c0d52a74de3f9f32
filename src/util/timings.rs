//! How long a run spends in each of its steps, for `--timings`: a [`Clock`] that a command laps
//! as it goes, and process-wide totals of the steps it repeats inside the library (building a
//! model, handing it to HiGHS, HiGHS's own solve), which one solve may do several times (the
//! MILP, the LP of its shadow prices, the tie check).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A step the library repeats, timed wherever it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Building a model from a validated problem.
    Build,
    /// Handing a model over to HiGHS: its columns, rows and options.
    Highs,
    /// HiGHS's own run (with its ranging of the rows' bounds, when asked).
    Solve,
}

impl Step {
    /// Every step, in the order a run takes them.
    pub const ALL: [Step; 3] = [Step::Build, Step::Highs, Step::Solve];

    /// Its name in the `timings:` line.
    pub fn name(self) -> &'static str {
        match self {
            Step::Build => "build",
            Step::Highs => "highs",
            Step::Solve => "solve",
        }
    }
}

/// Nanoseconds spent in each [`Step`] by this process, by `Step as usize`.
static TOTALS: [AtomicU64; 3] = [AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)];

/// Runs `f`, counting its time towards `step`.
pub fn time<T>(step: Step, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    add(step, start.elapsed());
    out
}

/// Counts `d` towards `step`.
pub fn add(step: Step, d: Duration) {
    let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
    TOTALS[step as usize].fetch_add(nanos, Ordering::Relaxed);
}

/// The seconds this process has spent in `step` so far.
pub fn total(step: Step) -> f64 {
    Duration::from_nanos(TOTALS[step as usize].load(Ordering::Relaxed)).as_secs_f64()
}

/// The time each step of a command took, lapped as it goes.
#[derive(Debug, Clone)]
pub struct Clock {
    start: Instant,
    last: Instant,
    laps: Vec<(&'static str, f64)>,
}

impl Default for Clock {
    fn default() -> Self {
        let now = Instant::now();
        Clock {
            start: now,
            last: now,
            laps: Vec::new(),
        }
    }
}

impl Clock {
    /// Ends the step `name` now: it took the time since the last lap (or the start).
    pub fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, (now - self.last).as_secs_f64()));
        self.last = now;
    }

    /// Ends a stretch now whose time is split between the library's steps (their totals since
    /// `before`, from [`totals`]) and `rest`, which takes what they leave of it.
    pub fn lap_split(&mut self, before: [f64; 3], rest: &'static str) {
        let now = Instant::now();
        let whole = (now - self.last).as_secs_f64();
        let mut inside = 0.0;
        for (step, was) in Step::ALL.into_iter().zip(before) {
            let t = (total(step) - was).max(0.0);
            inside += t;
            self.laps.push((step.name(), t));
        }
        self.laps.push((rest, (whole - inside).max(0.0)));
        self.last = now;
    }

    /// `timings: load 0.012 s, validate 0.034 s, …, total 0.200 s`: each lap in seconds, then
    /// the time since the clock started.
    pub fn report(&self) -> String {
        let total = (self.last - self.start).as_secs_f64();
        let laps: Vec<String> = self
            .laps
            .iter()
            .chain(std::iter::once(&("total", total)))
            .map(|(name, t)| format!("{name} {t:.3} s"))
            .collect();
        format!("timings: {}", laps.join(", "))
    }
}

/// The seconds spent so far in every [`Step`], in [`Step::ALL`] order (for
/// [`Clock::lap_split`]).
pub fn totals() -> [f64; 3] {
    Step::ALL.map(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_names_every_lap_and_the_total() {
        let mut c = Clock::default();
        c.lap("load");
        c.lap("validate");
        let r = c.report();
        let names: Vec<&str> = r
            .trim_start_matches("timings: ")
            .split(", ")
            .map(|l| {
                let parts: Vec<&str> = l.split(' ').collect();
                assert_eq!(parts.len(), 3, "{l}");
                assert_eq!(parts[2], "s");
                assert!(parts[1].parse::<f64>().is_ok(), "{l}");
                parts[0]
            })
            .collect();
        assert_eq!(names, ["load", "validate", "total"]);
    }

    #[test]
    fn a_split_lap_names_the_steps_and_the_rest() {
        let mut c = Clock::default();
        let before = totals();
        time(Step::Highs, || std::thread::sleep(Duration::from_millis(2)));
        c.lap_split(before, "plan");
        let names: Vec<&str> = c.laps.iter().map(|l| l.0).collect();
        assert_eq!(names, ["build", "highs", "solve", "plan"]);
        // Other tests may time steps at the same moment: at least the 2 ms slept here count.
        assert!(c.laps[1].1 >= 0.002, "{:?}", c.laps);
        let total: f64 = c.laps.iter().map(|l| l.1).sum();
        assert!(total >= 0.002);
    }
}
