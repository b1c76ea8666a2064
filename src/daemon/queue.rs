//! A job queue that is fair between sessions, in favour of small scans: the next job comes
//! from the session that has been handed the fewest so far (least attained service). A
//! 5-file pre-commit scan that arrives during a 50,000-file scan is served ahead of the big
//! scan's queued files, waiting only for the files workers already hold; sessions of equal
//! size take turns. Each session's share is bounded by the daemon's in-flight limit, so the
//! queue is bounded too.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use tokio::sync::Notify;

use crate::lock;

/// Per-session queues, served least-served first.
pub struct FairQueue<T> {
    state: Mutex<State<T>>,
    ready: Notify,
}

struct State<T> {
    /// Every session that has queued a job and not been drained.
    sessions: HashMap<u64, Entry<T>>,
    len: usize,
    closed: bool,
}

struct Entry<T> {
    jobs: VecDeque<T>,
    /// Jobs handed out so far.
    served: u64,
}

impl<T> Default for FairQueue<T> {
    fn default() -> Self {
        FairQueue {
            state: Mutex::new(State {
                sessions: HashMap::new(),
                len: 0,
                closed: false,
            }),
            ready: Notify::new(),
        }
    }
}

impl<T> FairQueue<T> {
    /// Queues `job` for `session`. Returns it back if the queue is closed.
    pub fn push(&self, session: u64, job: T) -> Result<(), T> {
        let mut s = lock(&self.state);
        if s.closed {
            return Err(job);
        }
        s.sessions
            .entry(session)
            .or_insert_with(|| Entry {
                jobs: VecDeque::new(),
                served: 0,
            })
            .jobs
            .push_back(job);
        s.len += 1;
        drop(s);
        self.ready.notify_one();
        Ok(())
    }

    /// Takes the next job, waiting for one; `None` once the queue is closed and empty.
    pub async fn pop(&self) -> Option<T> {
        loop {
            let notified = self.ready.notified();
            if let Some(job) = self.try_pop() {
                return Some(job);
            }
            if lock(&self.state).closed {
                return None;
            }
            notified.await;
        }
    }

    fn try_pop(&self) -> Option<T> {
        let mut s = lock(&self.state);
        // Sessions are few (bounded per client and by connections): a scan is cheaper than
        // keeping a priority queue in step with every push.
        let (_, entry) = s
            .sessions
            .iter_mut()
            .filter(|(_, e)| !e.jobs.is_empty())
            // Ties go to the older session (ids grow), so equal sessions alternate.
            .min_by_key(|(id, e)| (e.served, **id))?;
        let job = entry.jobs.pop_front();
        entry.served += 1;
        s.len -= 1;
        let more = s.len > 0;
        drop(s);
        if more {
            // Pass the wake-up on: another worker may be idle.
            self.ready.notify_one();
        }
        job
    }

    /// Removes every queued job of `session` (its client went away) and returns them.
    pub fn drain_session(&self, session: u64) -> Vec<T> {
        let mut s = lock(&self.state);
        let jobs: Vec<T> = s
            .sessions
            .remove(&session)
            .map(|e| Vec::from(e.jobs))
            .unwrap_or_default();
        s.len -= jobs.len();
        jobs
    }

    /// Removes every queued job.
    pub fn drain_all(&self) -> Vec<T> {
        let mut s = lock(&self.state);
        s.len = 0;
        s.sessions.drain().flat_map(|(_, e)| e.jobs).collect()
    }

    /// Jobs waiting.
    pub fn len(&self) -> usize {
        lock(&self.state).len
    }

    /// Whether no job is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Refuses new jobs and wakes every waiting worker; queued jobs are still handed out.
    pub fn close(&self) {
        lock(&self.state).closed = true;
        self.ready.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pop_n(q: &FairQueue<(u64, i32)>, n: usize) -> Vec<(u64, i32)> {
        let mut out = Vec::new();
        for _ in 0..n {
            out.push(q.pop().await.unwrap());
        }
        out
    }

    #[tokio::test]
    async fn a_small_session_goes_ahead_of_a_big_one() {
        let q = FairQueue::default();
        for i in 0..100 {
            q.push(1, (1, i)).unwrap();
        }
        // The big session has been served for a while when the small one arrives.
        assert_eq!(pop_n(&q, 3).await, [(1, 0), (1, 1), (1, 2)]);
        q.push(2, (2, 0)).unwrap();
        q.push(2, (2, 1)).unwrap();
        // The small session's jobs come out first, not after the big one's 97.
        assert_eq!(pop_n(&q, 3).await, [(2, 0), (2, 1), (1, 3)]);
        assert_eq!(q.len(), 96);
        assert_eq!(q.drain_session(1).len(), 96);
        assert!(q.is_empty());
    }

    #[tokio::test]
    async fn equal_sessions_take_turns() {
        let q = FairQueue::default();
        for i in 0..3 {
            q.push(1, (1, i)).unwrap();
        }
        for i in 0..3 {
            q.push(2, (2, i)).unwrap();
        }
        assert_eq!(
            pop_n(&q, 6).await,
            [(1, 0), (2, 0), (1, 1), (2, 1), (1, 2), (2, 2)]
        );
    }

    #[tokio::test]
    async fn close_wakes_waiters_and_refuses_new_jobs() {
        let q = std::sync::Arc::new(FairQueue::<u32>::default());
        let waiter = {
            let q = std::sync::Arc::clone(&q);
            tokio::spawn(async move { q.pop().await })
        };
        tokio::task::yield_now().await;
        q.close();
        assert_eq!(waiter.await.unwrap(), None);
        assert_eq!(q.push(1, 7), Err(7));
    }
}
