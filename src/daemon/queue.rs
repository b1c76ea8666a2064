//! A job queue that is fair between sessions: workers take one job from each session with
//! work in turn, so a 5-file pre-commit scan waits behind at most one file of a 50,000-file
//! scan per worker, not behind the whole scan. Each session's share is bounded by the
//! daemon's in-flight limit, so the queue is bounded too.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use tokio::sync::Notify;

use crate::lock;

/// Round-robin queues keyed by session.
pub struct FairQueue<T> {
    state: Mutex<State<T>>,
    ready: Notify,
}

struct State<T> {
    /// Sessions with queued jobs, in the order they are served next.
    turn: VecDeque<u64>,
    queues: HashMap<u64, VecDeque<T>>,
    len: usize,
    closed: bool,
}

impl<T> Default for FairQueue<T> {
    fn default() -> Self {
        FairQueue {
            state: Mutex::new(State {
                turn: VecDeque::new(),
                queues: HashMap::new(),
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
        let q = s.queues.entry(session).or_default();
        let was_empty = q.is_empty();
        q.push_back(job);
        if was_empty {
            s.turn.push_back(session);
        }
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
        let session = s.turn.pop_front()?;
        let q = s.queues.get_mut(&session)?;
        let job = q.pop_front();
        if q.is_empty() {
            s.queues.remove(&session);
        } else {
            s.turn.push_back(session);
        }
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
        let jobs: Vec<T> = s.queues.remove(&session).map(Vec::from).unwrap_or_default();
        s.turn.retain(|&x| x != session);
        s.len -= jobs.len();
        jobs
    }

    /// Removes every queued job.
    pub fn drain_all(&self) -> Vec<T> {
        let mut s = lock(&self.state);
        s.turn.clear();
        s.len = 0;
        s.queues.drain().flat_map(|(_, q)| q).collect()
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

    #[tokio::test]
    async fn sessions_take_turns() {
        let q = FairQueue::default();
        for i in 0..100 {
            q.push(1, (1, i)).unwrap();
        }
        q.push(2, (2, 0)).unwrap();
        q.push(2, (2, 1)).unwrap();
        let first: Vec<(u64, i32)> = vec![
            q.pop().await.unwrap(),
            q.pop().await.unwrap(),
            q.pop().await.unwrap(),
            q.pop().await.unwrap(),
        ];
        // The small session's jobs come out interleaved, not after the big one's 100.
        assert_eq!(first, [(1, 0), (2, 0), (1, 1), (2, 1)]);
        assert_eq!(q.len(), 98);
        assert_eq!(q.drain_session(1).len(), 98);
        assert!(q.is_empty());
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
