//! The one way parkplan runs work side by side: a rayon pool of a chosen size.
//!
//! Each HiGHS solve runs on one thread (the solver module says why), so parallelism comes from solving
//! variants, points or cases side by side, never from HiGHS itself.

/// Runs `work` on a pool of `jobs` threads (0 = one per core). Should the pool not start, the work
/// runs on rayon's global pool instead: it is never lost.
pub fn in_pool<T: Send>(jobs: usize, work: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}
