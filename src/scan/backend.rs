//! Who answers a file. A [`Backend`] takes a file the walk has read and gives one typed
//! [`Answer`]: the analysis (or why there is none) and who served it. The scan's own workers
//! are one backend ([`LocalPool`]); the daemon, with the scan's workers as its fallback, is the
//! other ([`DaemonWithFallback`]). [`Cached`] wraps a backend with the result cache: what the
//! backend computes is stored in every tier, and [`ResultCache::lookup_many`] answers files from
//! the tiers before they are sealed. Lookups happen ahead of the backends, in batches, on the
//! scan's lookup stage: a network tier answers many files per round trip, and neither the walk
//! nor a worker waits for it.
//!
//! The scan drives any backend the same way ([`super::slot_loop`]); the daemon, on its side,
//! keeps results in the same tiers under the same key ([`crate::cache`]).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::cache::store::{Tier, Tiered};
use crate::lang::Language;
use crate::pool::{FailureKind, JobResult, Pool};
use crate::report::Backend as ServedBy;

use super::{Body, Pending};

/// A backend's answer for one file.
pub(crate) struct Answer {
    /// The analysis, or why there is none.
    pub result: JobResult,
    /// Who answered: a worker of this scan or of the daemon, or a cache tier.
    pub served_by: ServedBy,
}

impl Answer {
    pub(crate) fn new(result: JobResult, served_by: ServedBy) -> Answer {
        Answer { result, served_by }
    }
}

/// Something that answers files.
pub(crate) trait Backend: Send {
    /// The answer for `file` (sealing its content first if nothing did yet).
    fn answer(&mut self, file: &Pending) -> impl Future<Output = Answer> + Send;
    /// Stops what the backend runs (its worker), once the scan has no more files for it.
    fn shutdown(self) -> impl Future<Output = ()> + Send;
}

/// One worker of the scan's own pool.
pub(crate) struct LocalPool(Box<crate::pool::Slot>);

impl LocalPool {
    pub(crate) fn new(slot: crate::pool::Slot) -> LocalPool {
        LocalPool(Box::new(slot))
    }
}

impl Backend for LocalPool {
    async fn answer(&mut self, file: &Pending) -> Answer {
        let result = match file.job() {
            Ok(job) => self.0.run(&job).await,
            Err(failed) => failed,
        };
        Answer::new(result, ServedBy::Direct)
    }

    async fn shutdown(self) {
        self.0.shutdown().await;
    }
}

/// Direct-mode workers shared by the daemon runners, for when the daemon fails mid-scan.
pub(super) struct Fallback {
    pub(super) pool: Arc<Pool>,
    pub(super) slots: std::sync::Mutex<Vec<crate::pool::Slot>>,
    /// At most `--jobs` fallback workers.
    pub(super) permits: tokio::sync::Semaphore,
    pub(super) warned: AtomicBool,
    /// `--daemon always`: report the failure instead of falling back.
    pub(super) always: bool,
}

/// The daemon, with the scan's own workers for the files it cannot take (and for every file
/// once it failed, unless `--daemon always`).
pub(crate) struct DaemonWithFallback {
    pub(super) conn: Arc<crate::daemon::client::Connection>,
    pub(super) fallback: Arc<Fallback>,
    pub(super) deadline: Duration,
}

impl Backend for DaemonWithFallback {
    async fn answer(&mut self, pending: &Pending) -> Answer {
        let (conn, fallback, deadline) = (&self.conn, &self.fallback, self.deadline);
        if !conn.is_dead() {
            match via_daemon(conn, pending, deadline).await {
                // The daemon cannot parse this file now (its language is quarantined after
                // crashes, or its workers will not start): a direct worker takes this file,
                // and the connection stays for the others.
                Ok(Answer {
                    result:
                        JobResult::Failed {
                            kind: FailureKind::Unavailable,
                            ..
                        },
                    ..
                }) if !fallback.always => {}
                Ok(answer) => return answer,
                Err(e) => {
                    conn.mark_dead();
                    if fallback.always {
                        let reason = format!("daemon failed: {e}");
                        let result = JobResult::Failed {
                            reason,
                            kind: FailureKind::Unavailable,
                        };
                        return Answer::new(result, ServedBy::Daemon);
                    }
                    if !fallback.warned.swap(true, Ordering::SeqCst) {
                        eprintln!("astscan: warning: {e}; finishing the scan without the daemon");
                    }
                }
            }
        } else if fallback.always {
            let result = JobResult::Failed {
                reason: "daemon failed earlier in this scan".into(),
                kind: FailureKind::Unavailable,
            };
            return Answer::new(result, ServedBy::Daemon);
        }
        let job = match pending.job() {
            Ok(job) => job,
            Err(failed) => return Answer::new(failed, ServedBy::Direct),
        };
        let Ok(_permit) = fallback.permits.acquire().await else {
            let result = JobResult::Failed {
                reason: "scan interrupted".into(),
                kind: FailureKind::Interrupted,
            };
            return Answer::new(result, ServedBy::Direct);
        };
        let spare = crate::lock(&fallback.slots).pop();
        let mut slot = spare.unwrap_or_else(|| fallback.pool.slot());
        let result = slot.run(&job).await;
        crate::lock(&fallback.slots).push(slot);
        Answer::new(result, ServedBy::Direct)
    }

    async fn shutdown(self) {}
}

/// One file through the daemon: a lookup by content hash first, the sealed file on a miss.
/// An error means the daemon failed (the caller falls back).
async fn via_daemon(
    conn: &crate::daemon::client::Connection,
    pending: &Pending,
    deadline: Duration,
) -> Result<Answer, String> {
    // Queueing behind other sessions' files is bounded by the daemon's fairness; past this
    // the daemon is taken to hang.
    // The daemon may try a file twice, each time waiting up to its watchdog's backstop.
    let patience = crate::pool::backstop(deadline) * 2 + Duration::from_secs(10);
    let mut probed = false;
    if let Body::Unsealed { sha256, .. } = &pending.body {
        if let Some(hit) = conn.lookup(pending.language, sha256, patience).await? {
            return Ok(Answer::new(hit, ServedBy::DaemonCache));
        }
        probed = true;
    }
    let job = match pending.job() {
        Ok(job) => job,
        Err(failed) => return Ok(Answer::new(failed, ServedBy::Daemon)),
    };
    let (result, cached) = conn.analyze(&job, deadline, patience, probed).await?;
    let served_by = if cached {
        ServedBy::DaemonCache
    } else {
        ServedBy::Daemon
    };
    Ok(Answer::new(result, served_by))
}

/// The result cache as one scan uses it: the tiers and the options part of every key.
pub(crate) struct ResultCache {
    pub(super) store: Tiered,
    pub(super) options: [u8; 32],
}

impl ResultCache {
    /// The key of a file's result.
    pub(crate) fn key(&self, sha256: &[u8; 32], language: Language) -> crate::cache::Key {
        crate::cache::key(sha256, language.name(), &self.options)
    }

    /// The answers the tiers hold for `keys`, in order: one lookup for the batch (a network
    /// tier answers it in one round trip). An entry that does not decode to an analysis is a
    /// miss.
    pub(crate) fn lookup_many(&self, keys: &[crate::cache::Key]) -> Vec<Option<Answer>> {
        self.store
            .get_many(keys)
            .into_iter()
            .map(|entry| entry.and_then(|(body, tier)| decode(&body, tier)))
            .collect()
    }

    /// Keeps a fresh analysis under `key` in every tier.
    fn store(&self, key: &crate::cache::Key, body: Vec<u8>) {
        self.store.put(key, &bytes::Bytes::from(body));
    }
}

/// The analysis a cache entry holds, if it is a sound one, with the tier as who served it.
fn decode(body: &[u8], tier: Tier) -> Option<Answer> {
    let served_by = match tier {
        Tier::Memory => ServedBy::DaemonCache,
        Tier::Disk => ServedBy::Cache,
        Tier::Remote => ServedBy::Remote,
    };
    match serde_json::from_slice(body) {
        Ok(crate::protocol::Outcome::Analyzed(analysis)) => Some(Answer::new(
            JobResult::Analyzed {
                analysis: Box::new(analysis),
                ast: None,
            },
            served_by,
        )),
        _ => None,
    }
}

/// Writes results into the cache's tiers on a thread of its own, so file creation (and a
/// network tier's queue) stays off the thread that drives the workers.
pub(crate) struct CacheWriter {
    tx: std::sync::mpsc::Sender<(crate::cache::Key, Vec<u8>)>,
}

impl CacheWriter {
    /// Starts the writer thread for `cache`; it ends when every [`CacheWriter`] is dropped.
    pub(crate) fn start(
        cache: Arc<ResultCache>,
    ) -> std::io::Result<(CacheWriter, std::thread::JoinHandle<()>)> {
        let (tx, rx) = std::sync::mpsc::channel::<(crate::cache::Key, Vec<u8>)>();
        let thread = std::thread::Builder::new()
            .name("astscan-cache".into())
            .spawn(move || {
                for (key, body) in rx {
                    cache.store(&key, body);
                }
            })?;
        Ok((CacheWriter { tx }, thread))
    }
}

impl Clone for CacheWriter {
    fn clone(&self) -> CacheWriter {
        CacheWriter {
            tx: self.tx.clone(),
        }
    }
}

/// A backend whose fresh analyses are stored in the result cache.
pub(crate) struct Cached<B> {
    inner: B,
    writer: CacheWriter,
}

impl<B> Cached<B> {
    pub(crate) fn new(inner: B, writer: CacheWriter) -> Cached<B> {
        Cached { inner, writer }
    }
}

impl<B: Backend> Backend for Cached<B> {
    async fn answer(&mut self, file: &Pending) -> Answer {
        let answer = self.inner.answer(file).await;
        // Only what a worker of this scan computed: a cached answer is already stored.
        if let (Some(key), JobResult::Analyzed { analysis, .. }, ServedBy::Direct) =
            (file.cache_key, &answer.result, answer.served_by)
            && let Ok(body) = crate::protocol::analyzed_payload(analysis)
        {
            let _ = self.writer.tx.send((key, body));
        }
        answer
    }

    async fn shutdown(self) {
        self.inner.shutdown().await;
    }
}
