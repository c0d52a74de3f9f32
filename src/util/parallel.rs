//! The one way parkplan runs work side by side: a rayon pool of a chosen size.
//!
//! Each HiGHS solve runs on one thread (the solver module says why), so parallelism comes from solving
//! variants, points or cases side by side, never from HiGHS itself.

/// Runs `work` on a pool of `jobs` threads (0 = one per core). Should the pool not start, the work
/// runs on rayon's global pool instead: it is never lost.
///
/// The caller's observer ([`crate::solver::watch::observed`]) watches the pool's threads too, so
/// that a caller who stops its solves (a Python session's Ctrl-C) stops those of its batch and
/// no one else's.
pub fn in_pool<T: Send>(jobs: usize, work: impl FnOnce() -> T + Send) -> T {
    let observer = crate::solver::watch::current_observer();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .start_handler(move |_| crate::solver::watch::adopt(observer.clone()))
        .build();
    match pool {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}
