//! Watching and stopping a long solve: HiGHS's callbacks drive a progress line on a terminal and
//! stop the solve when asked (Ctrl-C), and HiGHS's own log can be kept in a file.
//!
//! The settings are the process's, set once by the command line ([`set`]): a progress line, a
//! log book. Stopping is a process-wide flag ([`interrupt`], set by the SIGINT and SIGTERM
//! handler of [`install_sigint`], which also notes which signal it was: [`stop_cause`]); a solve running when it is raised ends as if its time limit had run out,
//! with the best plan found so far, and every later solve stops at once.
//!
//! Beside the process's settings, one caller can watch the solves made on its own thread through
//! an [`Observer`] ([`observed`]): it receives the same [`Progress`] the terminal line shows and
//! can stop those solves alone. The web app and the Python package watch each request's solves
//! this way, so one cancelled what-if leaves the others running.

use std::cell::RefCell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::status::StopCause;

/// Raised by Ctrl-C (or [`interrupt`]); never lowered but by [`reset_interrupt`].
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// SIGINTs and SIGTERMs received: the second one ends the process at once.
static SIGINTS: AtomicUsize = AtomicUsize::new(0);
/// Which signal raised [`INTERRUPTED`] first: 0 none (or [`interrupt`]), else its number.
static SIGNAL: AtomicI32 = AtomicI32::new(0);
static WATCH: OnceLock<Watch> = OnceLock::new();

/// How solves are watched in this process.
#[derive(Debug, Default)]
pub struct Watch {
    /// Keep one progress line on standard error up to date while a MILP runs.
    pub progress: bool,
    /// Keep HiGHS's log of every solve, to be written out with [`write_log`].
    pub log: Option<LogBook>,
}

/// HiGHS's logs of a run's solves, gathered as they finish and written out in one go.
#[derive(Debug)]
pub struct LogBook {
    path: PathBuf,
    sections: Mutex<Vec<Section>>,
}

#[derive(Debug)]
struct Section {
    index: usize,
    seq: usize,
    text: String,
}

impl LogBook {
    /// A log book to be written to `path`.
    pub fn new(path: PathBuf) -> LogBook {
        LogBook {
            path,
            sections: Mutex::new(Vec::new()),
        }
    }
}

/// Sets how solves are watched in this process; only the first call counts (`false` after).
pub fn set(watch: Watch) -> bool {
    WATCH.set(watch).is_ok()
}

fn watch() -> Option<&'static Watch> {
    WATCH.get()
}

/// Asks every running and later solve to stop with the best plan found so far.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Whether the solves were asked to stop.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Lowers the stop flag (for a process that goes on solving after a stop).
pub fn reset_interrupt() {
    INTERRUPTED.store(false, Ordering::SeqCst);
    SIGNAL.store(0, Ordering::SeqCst);
}

/// What stopped the solves of this thread, if something did besides the time limit: the signal
/// that raised the stop flag, or a request ([`interrupt`], this thread's [`Observer`]).
pub fn stop_cause() -> Option<StopCause> {
    if interrupted() {
        #[cfg(unix)]
        match SIGNAL.load(Ordering::SeqCst) {
            libc::SIGINT => return Some(StopCause::Sigint),
            libc::SIGTERM => return Some(StopCause::Sigterm),
            _ => {}
        }
        return Some(StopCause::Request);
    }
    cancelled().then_some(StopCause::Request)
}

/// Makes Ctrl-C (SIGINT) and SIGTERM stop the solves ([`interrupt`]) rather than the process, so
/// that the best plan found so far is written as after the time limit; a second signal ends the
/// process at once (exit code 130 after Ctrl-C, 143 after SIGTERM). SIGTERM is what batch
/// schedulers (Slurm, systemd, `timeout`) send before they kill a job.
#[cfg(unix)]
pub fn install_sigint() {
    extern "C" fn on_signal(signal: libc::c_int) {
        // Only async-signal-safe work here: atomics, write(2) and _exit(2).
        if SIGINTS.fetch_add(1, Ordering::SeqCst) > 0 {
            // SAFETY: _exit is async-signal-safe.
            unsafe { libc::_exit(128 + signal) };
        }
        let _ = SIGNAL.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
        INTERRUPTED.store(true, Ordering::SeqCst);
        let msg: &[u8] = if signal == libc::SIGTERM {
            b"\nparkplan: SIGTERM: stopping with the best plan found so far (a second signal quits at once)\n"
        } else {
            b"\nparkplan: stopping with the best plan found so far (Ctrl-C again to quit at once)\n"
        };
        // SAFETY: write(2) is async-signal-safe and the buffer is valid for its length.
        unsafe { libc::write(2, msg.as_ptr().cast(), msg.len()) };
    }
    // SAFETY: a zeroed sigaction is valid; the handler only does async-signal-safe work.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        action.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
        libc::sigaction(libc::SIGTERM, &action, std::ptr::null_mut());
    }
}

/// Does nothing where there are no signals.
#[cfg(not(unix))]
pub fn install_sigint() {}

/// SIGTERM stops the solves as Ctrl-C does: [`install_sigint`] handles both signals, so this is
/// the same call, for the commands that speak of SIGTERM.
pub fn install_sigterm() {
    install_sigint();
}

/// What HiGHS knows of a MILP while it runs: the figures of the progress line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Seconds since this solve started.
    pub elapsed: f64,
    /// The best plan's objective, once there is one.
    pub best: Option<f64>,
    /// The proven bound on the objective, once there is one.
    pub bound: Option<f64>,
    /// The relative gap between the two (a fraction, 0.01 = 1 %), once both exist.
    pub gap: Option<f64>,
}

impl Progress {
    fn read(elapsed: f64, best: f64, bound: f64, gap: f64) -> Progress {
        let finite = |v: f64| (v.is_finite() && v.abs() < 1e20).then_some(v);
        let best = finite(best);
        Progress {
            elapsed,
            best,
            bound: finite(bound),
            gap: best.and(finite(gap)).map(|g| g.max(0.0)),
        }
    }
}

/// A caller watching the solves made on one thread ([`observed`]): it is told their progress and
/// may stop them. Both are called from HiGHS's callbacks, so they must return quickly.
pub trait Observer: Send + Sync {
    /// A MILP's progress, at most every quarter of a second and at every better plan.
    fn progress(&self, _progress: &Progress) {}
    /// Whether the solves should stop now, with the best plan found so far (as after Ctrl-C).
    fn cancelled(&self) -> bool {
        false
    }
}

thread_local! {
    /// The observer of the solves made on this thread, if any.
    static OBSERVER: RefCell<Option<Arc<dyn Observer>>> = const { RefCell::new(None) };
}

/// Runs `f` with the solves it makes on this thread watched by `observer` (nested calls: the
/// innermost observer). Solves that `f` hands to the threads of [`in_pool`] are watched by it
/// too; other threads are not, unless they call [`observed`] with [`current_observer`]
/// themselves.
pub fn observed<T>(observer: Arc<dyn Observer>, f: impl FnOnce() -> T) -> T {
    let before = OBSERVER.with(|o| o.replace(Some(observer)));
    let out = f();
    OBSERVER.with(|o| *o.borrow_mut() = before);
    out
}

/// Runs `work` on a pool of `jobs` threads ([`crate::util::parallel::in_pool`]) whose solves are
/// watched by this thread's observer, so that a caller who stops its solves (a Python session's
/// Ctrl-C) stops those of its batch and no one else's.
pub fn in_pool<T: Send>(jobs: usize, work: impl FnOnce() -> T + Send) -> T {
    let observer = current_observer();
    crate::util::parallel::in_pool_with(
        jobs,
        // The pool's threads live only as long as this call: the observer is theirs for life.
        move || OBSERVER.with(|o| *o.borrow_mut() = observer.clone()),
        work,
    )
}

/// The observer of this thread's solves, to hand on to the threads a computation spreads over.
pub fn current_observer() -> Option<Arc<dyn Observer>> {
    OBSERVER.with(|o| o.borrow().clone())
}

/// Whether this thread's observer asks its solves to stop.
pub fn cancelled() -> bool {
    OBSERVER.with(|o| o.borrow().as_ref().is_some_and(|o| o.cancelled()))
}

thread_local! {
    /// The variant this thread is solving: its position in the batch and its name, and how many
    /// solves it has made.
    static LABEL: RefCell<(usize, String, usize)> = const { RefCell::new((0, String::new(), 0)) };
}

/// Runs `f` with the solves it makes labelled as variant `name` at position `index` of a batch
/// (the log's sections are in that order).
pub fn labelled<T>(index: usize, name: &str, f: impl FnOnce() -> T) -> T {
    let before = LABEL.with(|l| l.replace((index, name.to_owned(), 0)));
    let out = f();
    LABEL.with(|l| *l.borrow_mut() = before);
    out
}

/// Writes the log book, if any, to its file (whole or not at all): each solve's HiGHS log in
/// batch order, headed by the variant and the solve. `Ok(None)` without a log book.
pub fn write_log() -> std::io::Result<Option<&'static Path>> {
    let Some(book) = watch().and_then(|w| w.log.as_ref()) else {
        return Ok(None);
    };
    let mut sections = book.sections.lock().unwrap_or_else(|e| e.into_inner());
    sections.sort_by_key(|s| (s.index, s.seq));
    let text: String = sections.iter().map(|s| s.text.as_str()).collect();
    crate::util::atomic::write(&book.path, &text)?;
    Ok(Some(&book.path))
}

/// What one solve needs of the watch: set up before HiGHS runs, finished after.
pub(crate) struct Session {
    log: Option<tempfile::NamedTempFile>,
    what: String,
    state: Box<CallbackState>,
}

/// Read by the callback, through the pointer HiGHS hands back.
struct CallbackState {
    progress: bool,
    /// When the solve must stop: checked at each of HiGHS's interrupt callbacks as well as by
    /// HiGHS's own time limit. Neither is called within a round of root cuts, so a solve can end
    /// some seconds after the limit on a large model.
    deadline: Option<Instant>,
    started: Instant,
    last: Option<Instant>,
    drawn: bool,
    /// The observer of the thread that started the solve ([`observed`]).
    observer: Option<Arc<dyn Observer>>,
    /// Raised by the caller to stop this solve alone (the loser of a race).
    stop: Option<Arc<AtomicBool>>,
    /// When the observer was last told of progress.
    told: Option<Instant>,
}

/// Progress lines at most this often.
const THROTTLE: Duration = Duration::from_millis(250);

impl Session {
    /// Prepares a solve of `hm` (`is_mip`, `size` columns and rows, to stop by `deadline`): its
    /// log file, its callbacks.
    pub(crate) fn start(
        hm: &mut highs::Model,
        is_mip: bool,
        size: (usize, usize),
        deadline: Option<Instant>,
    ) -> Result<Session, String> {
        Self::start_with(hm, is_mip, size, deadline, None)
    }

    /// [`Session::start`], with a flag that stops this solve alone when raised.
    pub(crate) fn start_with(
        hm: &mut highs::Model,
        is_mip: bool,
        size: (usize, usize),
        deadline: Option<Instant>,
        stop: Option<Arc<AtomicBool>>,
    ) -> Result<Session, String> {
        let w = watch();
        let progress = is_mip && w.is_some_and(|w| w.progress);
        let log = match w.and_then(|w| w.log.as_ref()) {
            None => None,
            Some(_) => {
                let file = tempfile::Builder::new()
                    .prefix("parkplan-highs-")
                    .suffix(".log")
                    .tempfile()
                    .map_err(|e| format!("cannot make a temporary log file: {e}"))?;
                let path = file
                    .path()
                    .to_str()
                    .ok_or("the temporary log file's name is not UTF-8")?
                    .to_owned();
                set_flag(hm, "output_flag", true)?;
                set_flag(hm, "log_to_console", false)?;
                if hm.try_set_option("log_file", path.as_str()).is_err() {
                    return Err("cannot set option log_file".into());
                }
                Some(file)
            }
        };
        let mut state = Box::new(CallbackState {
            progress,
            deadline,
            started: Instant::now(),
            last: None,
            drawn: false,
            observer: current_observer(),
            stop,
            told: None,
        });
        let ptr = hm.as_mut_ptr();
        // SAFETY: `ptr` is the live HiGHS instance of `hm`; the state is boxed, so its address
        // holds until the session (which outlives the solve) is dropped.
        unsafe {
            highs_sys::Highs_setCallback(
                ptr,
                Some(callback),
                (&mut *state as *mut CallbackState).cast(),
            );
            for kind in [
                highs_sys::kHighsCallbackSimplexInterrupt,
                highs_sys::kHighsCallbackIpmInterrupt,
                highs_sys::kHighsCallbackMipInterrupt,
                highs_sys::kHighsCallbackMipImprovingSolution,
            ] {
                highs_sys::Highs_startCallback(ptr, kind);
            }
        }
        let kind = if is_mip { "MILP" } else { "LP" };
        Ok(Session {
            log,
            what: format!("{kind} of {} columns and {} rows", size.0, size.1),
            state,
        })
    }

    /// After the solve, once HiGHS's instance is gone (its log file closed): clears the progress
    /// line and files the log.
    pub(crate) fn finish(self) {
        if self.state.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
        let (Some(file), Some(book)) = (self.log, watch().and_then(|w| w.log.as_ref())) else {
            return;
        };
        let log =
            std::fs::read_to_string(file.path()).unwrap_or_else(|e| format!("(no log: {e})\n"));
        let (index, name, seq) = LABEL.with(|l| {
            let mut l = l.borrow_mut();
            l.2 += 1;
            l.clone()
        });
        let head = match name.as_str() {
            "" => format!("==== solve {seq}: {} ====\n", self.what),
            v => format!("==== variant `{v}`, solve {seq}: {} ====\n", self.what),
        };
        book.sections
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Section {
                index,
                seq,
                text: head + &log,
            });
    }
}

fn set_flag(hm: &mut highs::Model, k: &str, v: bool) -> Result<(), String> {
    hm.try_set_option(k, v)
        .map_err(|_| format!("cannot set option {k}"))
}

/// HiGHS's callback: stops the solve when asked, and draws the progress line.
unsafe extern "C" fn callback(
    kind: std::os::raw::c_int,
    _message: *const std::os::raw::c_char,
    out: *const highs_sys::HighsCallbackDataOut,
    data_in: *mut highs_sys::HighsCallbackDataIn,
    user: *mut std::os::raw::c_void,
) {
    // SAFETY: `user`, when set, is the session's boxed state (see below).
    let shared = (!user.is_null()).then(|| unsafe { &*(user.cast::<CallbackState>()) });
    let late = shared.is_some_and(|s| s.deadline.is_some_and(|d| Instant::now() >= d));
    let cancelled = shared.is_some_and(|s| {
        s.observer.as_ref().is_some_and(|o| o.cancelled())
            || s.stop.as_ref().is_some_and(|f| f.load(Ordering::SeqCst))
    });
    if !data_in.is_null() && (interrupted() || late || cancelled) {
        // SAFETY: HiGHS hands a valid input struct to its interrupt callbacks.
        unsafe { (*data_in).user_interrupt = 1 };
    }
    let is_mip_callback = kind == highs_sys::kHighsCallbackMipInterrupt as std::os::raw::c_int
        || kind == highs_sys::kHighsCallbackMipImprovingSolution as std::os::raw::c_int;
    if user.is_null() || out.is_null() || !is_mip_callback {
        return;
    }
    // SAFETY: `user` is the session's boxed state, alive for the whole solve, and only this
    // (single-threaded) solve touches it; `out` is HiGHS's valid output struct.
    let (state, out) = unsafe { (&mut *(user.cast::<CallbackState>()), &*out) };
    let now = Instant::now();
    let improving = kind == highs_sys::kHighsCallbackMipImprovingSolution as std::os::raw::c_int;
    if let Some(observer) = &state.observer
        && (improving || state.told.is_none_or(|t| now - t >= THROTTLE))
    {
        state.told = Some(now);
        observer.progress(&Progress::read(
            (now - state.started).as_secs_f64(),
            out.mip_primal_bound,
            out.mip_dual_bound,
            out.mip_gap,
        ));
    }
    if !state.progress {
        return;
    }
    if state.last.is_some_and(|t| now - t < THROTTLE) && !improving {
        return;
    }
    state.last = Some(now);
    state.drawn = true;
    let line = progress_line(
        (now - state.started).as_secs_f64(),
        out.mip_primal_bound,
        out.mip_dual_bound,
        out.mip_gap,
    );
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r{line}\x1b[K");
    let _ = err.flush();
}

/// The progress line: elapsed seconds, the best plan's objective, the bound and the gap, each
/// `–` while HiGHS has none.
pub(crate) fn progress_line(elapsed: f64, best: f64, bound: f64, gap: f64) -> String {
    let num = |v: f64| {
        if v.is_finite() && v.abs() < 1e20 {
            format!("{v:.4}")
        } else {
            "–".into()
        }
    };
    let gap = if gap.is_finite() && gap < 1e20 && best.is_finite() && best.abs() < 1e20 {
        format!("{:.3} %", gap.max(0.0) * 100.0)
    } else {
        "–".into()
    };
    format!(
        "solving: {elapsed:.1} s, best plan {}, bound {}, gap {gap} (Ctrl-C stops with the best plan)",
        num(best),
        num(bound)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_line_says_what_highs_knows_and_no_infinities() {
        let line = progress_line(12.34, 1500.0, 1512.5, 0.00826);
        assert!(line.contains("12.3 s"), "{line}");
        assert!(line.contains("best plan 1500.0000"), "{line}");
        assert!(line.contains("bound 1512.5000"), "{line}");
        assert!(line.contains("gap 0.826 %"), "{line}");
        // No incumbent yet: HiGHS reports ±inf.
        let line = progress_line(0.5, f64::INFINITY, 2000.0, f64::INFINITY);
        assert!(
            line.contains("best plan –") && line.contains("gap –"),
            "{line}"
        );
        assert!(!line.contains("inf"), "{line}");
    }

    struct Stop;
    impl Observer for Stop {
        fn cancelled(&self) -> bool {
            true
        }
    }

    #[test]
    fn an_observer_watches_its_own_thread_only_and_is_restored() {
        assert!(!cancelled());
        observed(Arc::new(Stop), || {
            assert!(cancelled());
            std::thread::spawn(|| assert!(!cancelled())).join().unwrap();
        });
        assert!(!cancelled() && current_observer().is_none());
    }

    #[test]
    fn an_observer_watches_the_threads_of_its_callers_pool_and_no_other_pool() {
        use rayon::prelude::*;
        let on_pool = || {
            in_pool(2, || {
                (0..8)
                    .into_par_iter()
                    .map(|_| cancelled())
                    .collect::<Vec<_>>()
            })
        };
        assert!(observed(Arc::new(Stop), on_pool).iter().all(|&c| c));
        assert!(on_pool().iter().all(|&c| !c));
    }

    #[test]
    fn progress_without_a_plan_has_no_gap() {
        let p = Progress::read(1.0, f64::INFINITY, 10.0, f64::INFINITY);
        assert_eq!((p.best, p.bound, p.gap), (None, Some(10.0), None));
        let p = Progress::read(1.0, 9.0, 10.0, 0.1);
        assert_eq!((p.best, p.gap), (Some(9.0), Some(0.1)));
    }

    #[test]
    fn labels_nest_and_are_restored() {
        labelled(3, "outer", || {
            labelled(5, "inner", || {
                LABEL.with(|l| assert_eq!(l.borrow().1, "inner"));
            });
            LABEL.with(|l| assert_eq!(l.borrow().0, 3));
        });
        LABEL.with(|l| assert_eq!(l.borrow().1, ""));
    }
}
