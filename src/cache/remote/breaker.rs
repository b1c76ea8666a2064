//! A circuit breaker for the remote cache: after a few failures in a row it stops the cache
//! being asked at all, so an unreachable or stalled server costs a bounded time instead of a
//! timeout per lookup.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Failures in a row that open the breaker.
pub const THRESHOLD: u32 = 3;

/// Closed (the server is used), or open (it is not) since a moment, for a reason.
#[derive(Debug)]
pub struct Breaker {
    failures: AtomicU32,
    open: Mutex<Option<Open>>,
    /// How long an open breaker waits before it lets one request try again (`None`: it stays
    /// open, as for a scan, which is over before a server comes back).
    retry_after: Option<Duration>,
}

#[derive(Debug)]
struct Open {
    since: Instant,
    reason: String,
}

impl Breaker {
    /// A closed breaker.
    pub fn new(retry_after: Option<Duration>) -> Breaker {
        Breaker {
            failures: AtomicU32::new(0),
            open: Mutex::new(None),
            retry_after,
        }
    }

    /// Whether a request may go to the server now. An open breaker past its wait lets one
    /// through (and waits again before the next, unless that one succeeds).
    pub fn allow(&self) -> bool {
        let mut open = crate::lock(&self.open);
        match (&mut *open, self.retry_after) {
            (None, _) => true,
            (Some(o), Some(wait)) if o.since.elapsed() >= wait => {
                o.since = Instant::now();
                true
            }
            _ => false,
        }
    }

    /// A request succeeded: the breaker closes. Returns whether it was open.
    pub fn success(&self) -> bool {
        self.failures.store(0, Ordering::Relaxed);
        crate::lock(&self.open).take().is_some()
    }

    /// A request failed. Returns the reason when this failure opened the breaker (the caller
    /// says so, once).
    pub fn failure(&self, reason: &str) -> Option<String> {
        let n = self.failures.fetch_add(1, Ordering::Relaxed) + 1;
        if n >= THRESHOLD {
            self.trip(&format!("{n} failures in a row, the last: {reason}"))
        } else {
            None
        }
    }

    /// Opens the breaker at once (the server cannot be reached, or refuses our credentials).
    /// Returns the reason when it was closed before.
    pub fn trip(&self, reason: &str) -> Option<String> {
        let mut open = crate::lock(&self.open);
        let was_closed = open.is_none();
        *open = Some(Open {
            since: Instant::now(),
            reason: reason.to_string(),
        });
        was_closed.then(|| reason.to_string())
    }

    /// Why the breaker is open, if it is.
    pub fn open_reason(&self) -> Option<String> {
        crate::lock(&self.open).as_ref().map(|o| o.reason.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_in_a_row_open_it_and_a_success_resets_the_count() {
        let b = Breaker::new(None);
        assert_eq!(b.failure("timeout"), None);
        assert_eq!(b.failure("timeout"), None);
        b.success();
        assert_eq!(b.failure("timeout"), None);
        assert_eq!(b.failure("timeout"), None);
        assert!(b.allow());
        let opened = b.failure("timeout").unwrap();
        assert!(opened.contains("3 failures in a row"), "{opened}");
        assert!(!b.allow());
        // Said once: further failures do not open it again.
        assert_eq!(b.failure("timeout"), None);
        assert!(b.open_reason().is_some());
    }

    #[test]
    fn an_open_breaker_lets_one_request_retry_after_its_wait() {
        let b = Breaker::new(Some(Duration::ZERO));
        assert!(b.trip("connection refused").is_some());
        assert!(b.allow());
        assert!(b.success());
        assert!(b.open_reason().is_none());

        let never = Breaker::new(None);
        never.trip("wrong password");
        assert!(!never.allow());
    }
}
