//! The one way parkplan runs work side by side: a rayon pool of a chosen size.
//!
//! Each HiGHS solve runs on one thread (the solver module says why), so parallelism comes from solving
//! variants, points or cases side by side, never from HiGHS itself.

/// Runs `work` on a pool of `jobs` threads (0 = one per core). Should the pool not start, the work
/// runs on rayon's global pool instead: it is never lost.
pub fn in_pool<T: Send>(jobs: usize, work: impl FnOnce() -> T + Send) -> T {
    in_pool_with(jobs, || {}, work)
}

/// [`in_pool`], with `on_start` run first on each of the pool's threads (to hand them the
/// caller's thread-local settings: `crate::solver::watch::in_pool` hands them its observer).
pub fn in_pool_with<T: Send>(
    jobs: usize,
    on_start: impl Fn() + Send + Sync + 'static,
    work: impl FnOnce() -> T + Send,
) -> T {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .start_handler(move |_| on_start())
        .build();
    match pool {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}
