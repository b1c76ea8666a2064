//! The per-file deadline, counted in the CPU time of the thread doing the work. Wall-clock
//! time would count the time a worker waits for a CPU: with more workers than cores (`-j 64`
//! on 2), a file that needs 300 ms of parsing can take seconds of wall time and fail for no
//! fault of its own. A worker that is stuck without using CPU is the parent's business (its
//! wall-clock watchdog, several times the deadline, in [`crate::pool`]).

use std::time::{Duration, Instant};

use rustix::time::{ClockId, clock_gettime};

/// A CPU-time budget started on the current thread; check it on that thread only.
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    /// CPU time the work may use.
    budget: Duration,
    /// The thread's CPU time when the budget started.
    cpu_start: Duration,
    /// Before this instant the budget cannot be spent (a thread uses at most one second of CPU
    /// per second), so checks until then read only the cheap monotonic clock; reading a CPU
    /// clock is a system call, and the parser checks every few microseconds.
    earliest: Instant,
}

impl Deadline {
    /// A deadline `budget` of this thread's CPU time from now.
    pub fn after(budget: Duration) -> Deadline {
        let now = Instant::now();
        Deadline {
            budget,
            cpu_start: thread_cpu_time(),
            earliest: now.checked_add(budget).unwrap_or(now),
        }
    }

    /// Has the thread used its whole budget since the deadline started?
    pub fn passed(&self) -> bool {
        Instant::now() >= self.earliest && self.cpu_used() >= self.budget
    }

    /// A progress callback for tree-sitter's parser and query cursor: it stops the work once
    /// the deadline has passed, and records that in `overran` (readable while the callback
    /// lives).
    pub fn progress<S>(
        self,
        overran: &std::cell::Cell<bool>,
    ) -> impl FnMut(&S) -> std::ops::ControlFlow<()> + '_ {
        move |_| {
            if self.passed() {
                overran.set(true);
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        }
    }

    /// CPU time the thread has used since the deadline started.
    pub fn cpu_used(&self) -> Duration {
        thread_cpu_time().saturating_sub(self.cpu_start)
    }
}

/// The calling thread's CPU time (user and system).
fn thread_cpu_time() -> Duration {
    let t = clock_gettime(ClockId::ThreadCPUTime);
    // The kernel keeps both fields in range; a negative value would be a kernel bug, read as 0.
    Duration::new(
        u64::try_from(t.tv_sec).unwrap_or(0),
        u32::try_from(t.tv_nsec).unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sleeping_does_not_spend_the_budget_but_working_does() {
        let d = Deadline::after(Duration::from_millis(20));
        std::thread::sleep(Duration::from_millis(60));
        assert!(!d.passed(), "60 ms asleep used about no CPU");
        let started = Instant::now();
        let mut x = 0u64;
        while !d.passed() {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "a busy loop spends 20 ms of CPU"
            );
        }
        assert!(d.cpu_used() >= Duration::from_millis(20));
    }
}
