//! Daemon sessions: a random id, its own key, the client that opened it, and an idle TTL.
//!
//! One background task expires sessions: it sleeps until the earliest expiry and is woken
//! early when sessions change, so an idle daemon does no periodic work.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

use crate::lock;
use crate::seal::{SessionId, SessionKey};

/// Envelopes a session accepts before it must be renewed; bounds its replay set (16 bytes
/// per file id).
pub const MAX_FILES_PER_SESSION: usize = 4_000_000;

/// What the daemon knows about one session.
pub struct Session {
    /// Its key (zeroized on drop).
    pub key: SessionKey,
    /// The options pool its files go to.
    pub pool: Arc<super::server::OptionsPool>,
    /// Owning client.
    pub uid: u32,
    /// Owning client's process id.
    pub pid: u32,
    /// When it was opened.
    pub created: std::time::SystemTime,
    /// Last request.
    pub last_used: Instant,
    /// Files in flight (queued or being parsed).
    pub in_flight: usize,
    /// File ids of envelopes a worker opened: an envelope is accepted once.
    pub seen: HashSet<[u8; 16]>,
    /// File ids of envelopes not yet opened. An id enters `seen` only once its envelope
    /// verified, so a forged envelope that reuses a genuine file's id cannot burn it; a second
    /// envelope with the same id waits (`busy`) until the first is judged.
    pub verifying: HashSet<[u8; 16]>,
    /// Small number for fair queueing.
    pub seq: u64,
}

/// Why a session could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The client holds its maximum of sessions.
    #[error("client pid {pid} already holds {max} sessions")]
    TooMany {
        /// The client.
        pid: u32,
        /// The limit.
        max: usize,
    },
    /// No randomness.
    #[error("creating a session: {0}")]
    Random(String),
}

/// All sessions.
pub struct Sessions {
    map: Mutex<HashMap<SessionId, Session>>,
    changed: Notify,
    ttl: Duration,
    per_client: usize,
    next_seq: std::sync::atomic::AtomicU64,
}

impl Sessions {
    /// An empty table with an idle TTL and a per-client cap.
    pub fn new(ttl: Duration, per_client: usize) -> Arc<Sessions> {
        Arc::new(Sessions {
            map: Mutex::new(HashMap::new()),
            changed: Notify::new(),
            ttl,
            per_client,
            next_seq: std::sync::atomic::AtomicU64::new(1),
        })
    }

    /// Opens a session for client (`uid`, `pid`).
    pub fn open(
        &self,
        uid: u32,
        pid: u32,
        pool: Arc<super::server::OptionsPool>,
    ) -> Result<(SessionId, SessionKey), OpenError> {
        let id = SessionId::generate().map_err(|e| OpenError::Random(e.to_string()))?;
        let key = SessionKey::generate().map_err(|e| OpenError::Random(e.to_string()))?;
        let mut map = lock(&self.map);
        let held = map
            .values()
            .filter(|s| s.uid == uid && s.pid == pid)
            .count();
        if held >= self.per_client {
            return Err(OpenError::TooMany {
                pid,
                max: self.per_client,
            });
        }
        map.insert(
            id,
            Session {
                key: key.clone(),
                pool,
                uid,
                pid,
                created: std::time::SystemTime::now(),
                last_used: Instant::now(),
                in_flight: 0,
                seen: HashSet::new(),
                verifying: HashSet::new(),
                seq: self
                    .next_seq
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            },
        );
        drop(map);
        self.changed.notify_one();
        Ok((id, key))
    }

    /// Runs `f` on a live session, marking it used; `None` if it does not exist (expired).
    pub fn with<R>(&self, id: &SessionId, f: impl FnOnce(&mut Session) -> R) -> Option<R> {
        let mut map = lock(&self.map);
        let s = map.get_mut(id)?;
        s.last_used = Instant::now();
        Some(f(s))
    }

    /// Closes a session.
    pub fn close(&self, id: &SessionId) {
        lock(&self.map).remove(id);
        self.changed.notify_one();
    }

    /// Live sessions.
    pub fn len(&self) -> usize {
        lock(&self.map).len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Removes sessions idle past the TTL (not those with files in flight); returns how many.
    fn expire(&self, now: Instant) -> usize {
        let mut map = lock(&self.map);
        let before = map.len();
        map.retain(|_, s| s.in_flight > 0 || now.duration_since(s.last_used) < self.ttl);
        before - map.len()
    }

    /// When the next session would expire, if nothing touches it first.
    fn next_expiry(&self) -> Option<Instant> {
        lock(&self.map)
            .values()
            .map(|s| s.last_used + self.ttl)
            .min()
    }

    /// The expiry task: runs until the daemon stops.
    pub async fn expire_forever(self: Arc<Self>) {
        loop {
            // Register interest before reading the state, so no change is missed.
            let changed = self.changed.notified();
            match self.next_expiry() {
                Some(at) => {
                    tokio::select! {
                        _ = tokio::time::sleep_until(at) => {
                            let n = self.expire(Instant::now());
                            if n > 0 {
                                super::log::info(&format!("expired {n} idle session(s)"));
                            }
                        }
                        _ = changed => {}
                    }
                }
                None => changed.await,
            }
        }
    }
}
