//! Solves run off the async threads, at most N at once: a request waits its turn in a bounded
//! queue, runs on a blocking thread watched by its own [`Observer`], and stops when its client
//! goes away (a dropped request, a closed event stream) or its time limit runs out.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::sync::{Semaphore, mpsc};

use super::error::ApiError;
use crate::solver::watch::{self, Observer, Progress};

/// One request's watch over its solves.
#[derive(Debug, Default)]
pub struct Watcher {
    stop: AtomicBool,
    events: Option<mpsc::UnboundedSender<String>>,
}

impl Watcher {
    /// A watcher that only stops when told ([`Watcher::stop`]).
    pub fn new() -> Arc<Watcher> {
        Arc::new(Watcher::default())
    }

    /// A watcher that sends progress down `events` (as server-sent events) and stops when their
    /// receiver is gone.
    pub fn streaming(events: mpsc::UnboundedSender<String>) -> Arc<Watcher> {
        Arc::new(Watcher {
            stop: AtomicBool::new(false),
            events: Some(events),
        })
    }

    /// Asks the solves to stop with the best plan found so far.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    /// Sends one server-sent event, `data` being JSON on one line.
    pub fn send(&self, event: &str, data: &str) {
        if let Some(tx) = &self.events {
            let _ = tx.send(frame(event, data));
        }
    }
}

impl Observer for Watcher {
    fn progress(&self, p: &Progress) {
        let json = serde_json::json!({
            "elapsed": p.elapsed, "best": p.best, "bound": p.bound, "gap": p.gap,
        });
        self.send("progress", &json.to_string());
    }

    fn cancelled(&self) -> bool {
        self.stop.load(Ordering::SeqCst) || self.events.as_ref().is_some_and(|tx| tx.is_closed())
    }
}

/// One server-sent event: its name and its data (one line).
pub fn frame(event: &str, data: &str) -> String {
    format!("event: {event}\ndata: {data}\n\n")
}

/// Stops a request's solves when the request's future is dropped: the client went away.
pub struct StopOnDrop(pub Arc<Watcher>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// The solving slots and the queue before them.
#[derive(Debug)]
pub struct Jobs {
    slots: Arc<Semaphore>,
    size: usize,
    waiting: AtomicUsize,
    max_waiting: usize,
}

/// How busy the solving slots are, as `GET /api/status` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Load {
    /// Solves that may run at once (`--jobs`).
    pub slots: usize,
    /// Requests solving now.
    pub solving: usize,
    /// Requests waiting for a slot.
    pub waiting: usize,
    /// Requests that may wait (`--queue`).
    pub queue: usize,
}

/// Takes a place in the queue back when its request leaves it, however it leaves.
struct Place<'a>(&'a AtomicUsize);

impl Drop for Place<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Jobs {
    /// `slots` solves at once, at most `max_waiting` requests waiting beyond them.
    pub fn new(slots: usize, max_waiting: usize) -> Jobs {
        Jobs {
            slots: Arc::new(Semaphore::new(slots.max(1))),
            size: slots.max(1),
            waiting: AtomicUsize::new(0),
            max_waiting,
        }
    }

    /// The slots in use and the requests waiting, now. A slot is in use until its solve has
    /// returned, so a solve stopped because its client left frees its slot only once it has
    /// stopped.
    pub fn load(&self) -> Load {
        Load {
            slots: self.size,
            solving: self.size.saturating_sub(self.slots.available_permits()),
            waiting: self.waiting.load(Ordering::SeqCst),
            queue: self.max_waiting,
        }
    }

    /// Runs `work` on a blocking thread once a slot is free, its solves watched by `watcher`.
    /// A full queue is refused at once (503); a request whose client left while it waited never
    /// starts.
    pub async fn run<T: Send + 'static>(
        &self,
        watcher: Arc<Watcher>,
        work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(ApiError::busy(self.max_waiting));
        }
        let place = Place(&self.waiting);
        let permit = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::internal("the server is shutting down"))?;
        drop(place);
        if watcher.cancelled() {
            return Err(ApiError::cancelled());
        }
        watcher.send("started", "{}");
        let w = watcher.clone();
        let handle = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            watch::observed(w, work)
        });
        match handle.await {
            Ok(out) => out,
            Err(e) => Err(ApiError::internal(&format!("the solve failed: {e}"))),
        }
    }
}
