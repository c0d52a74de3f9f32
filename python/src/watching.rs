//! Running a computation off the GIL while Python stays responsive: the computation runs on a
//! thread of its own, watched by an observer of its solves; the calling thread waits without the
//! GIL and wakes every few milliseconds to hand the latest progress to a Python callback and to
//! let Python run its signal handlers. A `KeyboardInterrupt` raised there stops this
//! computation's solves alone, which end with the best plan found so far; the computation's
//! result is returned as usual, marked as interrupted.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pyo3::prelude::*;
use pyo3::types::PyDict;

use parkplan::solver::VariantStatus;
use parkplan::solver::watch::{self, Observer, Progress};

/// How often the waiting thread takes the GIL to check for signals and report progress.
const TICK: Duration = Duration::from_millis(50);
/// How long it sleeps between looks at the computation.
const NAP: Duration = Duration::from_millis(2);

/// The observer of one call's solves.
#[derive(Default)]
struct Watcher {
    stop: AtomicBool,
    latest: Mutex<Option<Progress>>,
}

impl Observer for Watcher {
    fn progress(&self, progress: &Progress) {
        *self.latest.lock().unwrap_or_else(|e| e.into_inner()) = Some(*progress);
    }

    fn cancelled(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

/// Runs `f` on its own thread without the GIL, its solves watched: progress goes to
/// `progress(dict)` on this thread, and Ctrl-C stops them. Returns what `f` returned and whether
/// it was stopped. An exception raised by the callback stops the solves too, and is raised once
/// `f` has returned.
pub fn watched<T: Send>(
    py: Python<'_>,
    progress: Option<Py<PyAny>>,
    f: impl FnOnce() -> T + Send,
) -> PyResult<(T, bool)> {
    run(py, f, |py, watcher| {
        let latest = watcher
            .latest
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        match (&progress, latest) {
            (Some(callback), Some(p)) => {
                let d = PyDict::new(py);
                d.set_item("elapsed", p.elapsed)?;
                d.set_item("best", p.best)?;
                d.set_item("bound", p.bound)?;
                d.set_item("gap", p.gap)?;
                callback.call1(py, (d,)).map(drop)
            }
            _ => Ok(()),
        }
    })
}

/// [`watched`] for a batch: `f` receives the function to call as each variant finishes, and
/// `progress(dict(done=…, total=…))` is called on this thread as the count grows.
pub fn watched_batch<T: Send>(
    py: Python<'_>,
    progress: Option<Py<PyAny>>,
    total: usize,
    f: impl FnOnce(&(dyn Fn(&str, VariantStatus) + Sync)) -> T + Send,
) -> PyResult<(T, bool)> {
    let done = AtomicUsize::new(0);
    let reported = AtomicUsize::new(0);
    let count = |_: &str, _: VariantStatus| {
        done.fetch_add(1, Ordering::SeqCst);
    };
    run(
        py,
        || f(&count),
        |py, _| {
            let now = done.load(Ordering::SeqCst);
            match &progress {
                Some(callback) if reported.swap(now, Ordering::SeqCst) != now => {
                    let d = PyDict::new(py);
                    d.set_item("done", now)?;
                    d.set_item("total", total)?;
                    callback.call1(py, (d,)).map(drop)
                }
                _ => Ok(()),
            }
        },
    )
}

/// Raises its flag when dropped.
struct Raise<'a>(&'a AtomicBool);

impl Drop for Raise<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

fn run<T: Send>(
    py: Python<'_>,
    f: impl FnOnce() -> T + Send,
    mut report: impl FnMut(Python<'_>, &Watcher) -> PyResult<()>,
) -> PyResult<(T, bool)> {
    let watcher = Arc::new(Watcher::default());
    let observer: Arc<dyn Observer> = watcher.clone();
    let mut interrupted = false;
    let mut failed: Option<PyErr> = None;
    let finished = AtomicBool::new(false);
    let out = std::thread::scope(|s| {
        let handle = s.spawn(|| {
            // Raised however the computation ends, a panic included.
            let _raise = Raise(&finished);
            watch::observed(observer, f)
        });
        loop {
            let finished = py.detach(|| {
                let start = Instant::now();
                while !finished.load(Ordering::SeqCst) && start.elapsed() < TICK {
                    std::thread::sleep(NAP);
                }
                finished.load(Ordering::SeqCst)
            });
            // A Ctrl-C may surface in the callback (Python runs its handler wherever it is) or
            // here; either way it stops the solves and is not raised.
            let reported = if failed.is_none() {
                report(py, &watcher)
            } else {
                Ok(())
            };
            for result in [reported, py.check_signals()] {
                let Err(e) = result else { continue };
                watcher.stop.store(true, Ordering::SeqCst);
                if e.is_instance_of::<pyo3::exceptions::PyKeyboardInterrupt>(py) {
                    interrupted = true;
                } else if failed.is_none() {
                    failed = Some(e);
                }
            }
            if finished {
                break;
            }
        }
        handle.join()
    });
    let out = match out {
        Ok(out) => out,
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic".into());
            return Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
                "parkplan failed: {what}"
            )));
        }
    };
    if let Some(e) = failed {
        return Err(e);
    }
    Ok((out, interrupted))
}
