//! The remote tier: results shared through a Redis server by every machine of a team, behind
//! the local tiers.
//!
//! Each entry is authenticated with an HMAC under a team key read from a file ([`entry`]); an
//! entry that fails the check, is cut short or comes from another format version is a miss,
//! counted as rejected, never a result. Without a team key the tier is off, or read-only when
//! unauthenticated use is asked for explicitly.
//!
//! The server is best effort: lookups are batched (one `MGET` per batch the scan hands over),
//! writes go through a bounded queue to a task that pipelines them (a full queue drops a
//! write, it never holds the scan up), every command has a deadline, and after a few failures
//! in a row a circuit breaker stops the tier being asked at all ([`breaker`]), so a server
//! that is down or stalled costs a bounded time and the scan finishes with the same results.
//!
//! Redis is spoken to by the `redis` crate on a small runtime of the store's own, so callers
//! on any thread (the scan's lookup stage, the daemon's blocking pool) wait for an answer on a
//! channel, never by entering a runtime.

pub mod breaker;
pub mod entry;
pub mod target;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use serde::{Deserialize, Serialize};

use super::Key;
use super::mac::EntryMac;
use super::store::{Store, Tier};
use breaker::Breaker;
pub use target::Target;

/// Default lifetime of an entry written to the remote cache.
pub const DEFAULT_TTL: Duration = Duration::from_secs(30 * 24 * 3600);
/// Default bound on connecting.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(200);
/// Default bound on one command (a batch of lookups, a pipeline of writes).
pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(1);
/// Writes waiting for the server, at most; more are dropped.
const WRITE_QUEUE: usize = 4096;
/// Bytes of writes waiting for the server, at most; more are dropped.
const WRITE_QUEUE_BYTES: u64 = 64 << 20;
/// Writes sent in one pipeline, at most.
const WRITE_BATCH: usize = 64;
/// Entries larger than this are not shared (a result this large is cheaper to recompute than
/// to ship to every machine).
const MAX_ENTRY: usize = 16 << 20;

/// How entries are checked.
pub enum Auth {
    /// Tagged and checked under the team key.
    Key(EntryMac),
    /// Read without a check and never written (`--cache-unauthenticated`): anyone who can
    /// write to the server can change results.
    Unauthenticated,
}

/// How to use a remote cache.
pub struct RemoteOptions {
    /// The server.
    pub target: Target,
    /// How entries are checked.
    pub auth: Auth,
    /// Lifetime of a written entry.
    pub ttl: Duration,
    /// Bound on connecting.
    pub connect_timeout: Duration,
    /// Bound on one command.
    pub command_timeout: Duration,
    /// How long an open breaker waits before trying the server again (`None`: for good).
    pub retry_after: Option<Duration>,
    /// Where to say, once, that the tier was turned off and why.
    pub warn: Arc<dyn Fn(&str) + Send + Sync>,
}

/// What the remote tier did, for the summary and `daemon status`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RemoteStats {
    /// The server, without credentials.
    pub server: String,
    /// Keys found with an authentic entry.
    pub hits: u64,
    /// Keys asked and not found (or not asked, with the tier off).
    pub misses: u64,
    /// Entries found and refused: forged, altered, truncated or of another format version.
    pub rejected: u64,
    /// Commands that failed or timed out.
    pub errors: u64,
    /// Entries written.
    pub written: u64,
    /// Entries not written: the queue was full, the tier was off, or the server refused.
    pub dropped: u64,
    /// Lookup round trips.
    pub round_trips: u64,
    /// Mean keys per lookup round trip.
    pub keys_per_round_trip: f64,
    /// Mean time of a lookup round trip, milliseconds.
    pub mean_lookup_ms: f64,
    /// Slowest lookup round trip, milliseconds.
    pub max_lookup_ms: f64,
    /// Why the tier is off, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub off: Option<String>,
}

#[derive(Default)]
struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    rejected: AtomicU64,
    errors: AtomicU64,
    written: AtomicU64,
    dropped: AtomicU64,
    round_trips: AtomicU64,
    keys_asked: AtomicU64,
    lookup_us: AtomicU64,
    max_lookup_us: AtomicU64,
    queued_bytes: AtomicU64,
}

/// State shared with the tasks on the store's runtime.
struct Shared {
    target: Target,
    /// `astscan:<engine build>:`: every key this build writes starts with it, so that
    /// `cache clear --remote` removes this build's entries and no one else's.
    prefix: String,
    auth: Auth,
    ttl_secs: u64,
    connect_timeout: Duration,
    command_timeout: Duration,
    client: redis::Client,
    /// The connection, once made; the manager reconnects by itself after an I/O error.
    conn: tokio::sync::Mutex<Option<ConnectionManager>>,
    breaker: Breaker,
    counters: Counters,
    warn: Arc<dyn Fn(&str) + Send + Sync>,
}

enum Write {
    Entry { name: String, value: Vec<u8> },
    Flush(tokio::sync::oneshot::Sender<()>),
}

/// The remote tier (see the module documentation).
pub struct RemoteStore {
    shared: Arc<Shared>,
    writes: tokio::sync::mpsc::Sender<Write>,
    /// Taken when dropped, to shut down without waiting (a drop may happen on an event loop).
    runtime: Option<tokio::runtime::Runtime>,
}

impl std::fmt::Debug for RemoteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("RemoteStore")
            .field(&self.shared.target)
            .finish()
    }
}

/// The key prefix of this engine build.
pub fn build_prefix() -> String {
    format!("astscan:{}:", crate::BUILD_ID)
}

impl RemoteStore {
    /// A store for `options.target`. Connecting starts at once in the background; a server
    /// that cannot be reached turns the tier off (with one warning), never fails the caller.
    pub fn open(options: RemoteOptions) -> std::io::Result<RemoteStore> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("astscan-remote")
            .enable_all()
            .build()?;
        let client = redis::Client::open(options.target.info.clone())
            .map_err(|e| std::io::Error::other(options.target.mask(&e.to_string())))?;
        let shared = Arc::new(Shared {
            prefix: build_prefix(),
            ttl_secs: options.ttl.as_secs().max(1),
            connect_timeout: options.connect_timeout,
            command_timeout: options.command_timeout,
            client,
            conn: tokio::sync::Mutex::new(None),
            breaker: Breaker::new(options.retry_after),
            counters: Counters::default(),
            warn: options.warn,
            auth: options.auth,
            target: options.target,
        });
        let (writes, queue) = tokio::sync::mpsc::channel(WRITE_QUEUE);
        runtime.spawn(write_loop(Arc::clone(&shared), queue));
        // Connect while the walk starts, so the first lookup finds the connection made.
        let early = Arc::clone(&shared);
        runtime.spawn(async move {
            let _ = early.connection().await;
        });
        Ok(RemoteStore {
            shared,
            writes,
            runtime: Some(runtime),
        })
    }

    /// What the tier did so far.
    pub fn stats(&self) -> RemoteStats {
        let c = &self.shared.counters;
        let trips = c.round_trips.load(Ordering::Relaxed);
        let per_trip = |v: u64| {
            if trips == 0 {
                0.0
            } else {
                (v as f64 / trips as f64 * 10.0).round() / 10.0
            }
        };
        RemoteStats {
            server: self.shared.target.to_string(),
            hits: c.hits.load(Ordering::Relaxed),
            misses: c.misses.load(Ordering::Relaxed),
            rejected: c.rejected.load(Ordering::Relaxed),
            errors: c.errors.load(Ordering::Relaxed),
            written: c.written.load(Ordering::Relaxed),
            dropped: c.dropped.load(Ordering::Relaxed),
            round_trips: trips,
            keys_per_round_trip: per_trip(c.keys_asked.load(Ordering::Relaxed)),
            mean_lookup_ms: per_trip(c.lookup_us.load(Ordering::Relaxed)) / 1000.0,
            max_lookup_ms: c.max_lookup_us.load(Ordering::Relaxed) as f64 / 1000.0,
            off: self.shared.breaker.open_reason(),
        }
    }

    /// Runs `fut` on the store's runtime and waits for it at most `limit` (plus the connect
    /// bound, as a first call may have to connect); `None` if it did not finish in time.
    fn call<T: Send + 'static>(
        &self,
        fut: impl Future<Output = T> + Send + 'static,
        limit: Duration,
    ) -> Option<T> {
        let runtime = self.runtime.as_ref()?;
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        runtime.spawn(async move {
            let _ = tx.send(fut.await);
        });
        rx.recv_timeout(limit + self.shared.connect_timeout + Duration::from_millis(50))
            .ok()
    }

    /// Runs `f` with a connection under the command deadline, with the breaker's say.
    /// `Err` carries what to count: the breaker is open, or the command failed.
    fn command<T: Send + 'static, F, Fut>(&self, f: F) -> Result<T, ()>
    where
        F: FnOnce(ConnectionManager) -> Fut + Send + 'static,
        Fut: Future<Output = redis::RedisResult<T>> + Send,
    {
        let shared = Arc::clone(&self.shared);
        let limit = shared.command_timeout;
        let answer = self.call(
            async move {
                let conn = shared.connection().await.ok_or(())?;
                match tokio::time::timeout(limit, f(conn)).await {
                    Ok(Ok(v)) => {
                        shared.breaker.success();
                        Ok(v)
                    }
                    Ok(Err(e)) => {
                        shared.failed(&e.to_string());
                        Err(())
                    }
                    Err(_) => {
                        shared.failed("no answer within the command timeout");
                        Err(())
                    }
                }
            },
            limit,
        );
        answer.unwrap_or(Err(()))
    }
}

impl Shared {
    /// The connection, made now if there is none yet; `None` while the breaker is open or when
    /// the server cannot be reached (which opens the breaker).
    async fn connection(&self) -> Option<ConnectionManager> {
        // The breaker is asked under the lock: a caller that waited for another's failed
        // connect finds the breaker open and does not try again.
        let mut conn = self.conn.lock().await;
        if !self.breaker.allow() {
            return None;
        }
        if let Some(c) = &*conn {
            return Some(c.clone());
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.connect_timeout))
            .set_response_timeout(Some(self.command_timeout))
            .set_number_of_retries(1);
        let made = tokio::time::timeout(
            self.connect_timeout + self.command_timeout,
            ConnectionManager::new_with_config(self.client.clone(), config),
        )
        .await;
        match made {
            Ok(Ok(mut c)) => {
                // A server that wants a password accepts the connection and refuses every
                // command: ask once, so that says so instead of a count of failures.
                let ping = tokio::time::timeout(
                    self.command_timeout,
                    redis::cmd("PING").query_async::<String>(&mut c),
                )
                .await;
                match ping {
                    Ok(Ok(_)) => {
                        self.breaker.success();
                        *conn = Some(c.clone());
                        Some(c)
                    }
                    Ok(Err(e)) => {
                        self.off(&format!("cannot use it: {e}"));
                        None
                    }
                    Err(_) => {
                        self.off("cannot use it: no answer to PING within the command timeout");
                        None
                    }
                }
            }
            Ok(Err(e)) if e.kind() == redis::ErrorKind::AuthenticationFailed => {
                self.off(&format!(
                    "the server refused the credentials (the URL's, or {} and {})",
                    target::USERNAME_ENV,
                    target::PASSWORD_ENV
                ));
                None
            }
            Ok(Err(e)) => {
                self.off(&format!("cannot connect: {e}"));
                None
            }
            Err(_) => {
                self.off("cannot connect: no answer within the connect timeout");
                None
            }
        }
    }

    /// A command failed: counted, and the breaker told.
    fn failed(&self, why: &str) {
        self.counters.errors.fetch_add(1, Ordering::Relaxed);
        if let Some(reason) = self.breaker.failure(why) {
            self.say_off(&reason);
        }
    }

    /// The server cannot be used at all for now.
    fn off(&self, why: &str) {
        self.counters.errors.fetch_add(1, Ordering::Relaxed);
        if let Some(reason) = self.breaker.trip(why) {
            self.say_off(&reason);
        }
    }

    fn say_off(&self, reason: &str) {
        (self.warn)(&format!(
            "remote cache {}: {}; continuing without it",
            self.target,
            self.target.mask(reason)
        ));
    }

    fn name(&self, key: &Key) -> String {
        format!("{}{}", self.prefix, crate::source::hex(key))
    }

    fn mac(&self) -> Option<&EntryMac> {
        match &self.auth {
            Auth::Key(mac) => Some(mac),
            Auth::Unauthenticated => None,
        }
    }
}

/// Sends queued writes in pipelines of up to [`WRITE_BATCH`] until the store is dropped.
async fn write_loop(shared: Arc<Shared>, mut queue: tokio::sync::mpsc::Receiver<Write>) {
    let mut batch = Vec::with_capacity(WRITE_BATCH);
    while queue.recv_many(&mut batch, WRITE_BATCH).await > 0 {
        let mut pipe = redis::pipe();
        let mut entries = 0u64;
        let mut bytes = 0u64;
        let mut flushes = Vec::new();
        for write in batch.drain(..) {
            match write {
                Write::Entry { name, value } => {
                    bytes += value.len() as u64;
                    entries += 1;
                    pipe.cmd("SET")
                        .arg(name)
                        .arg(value)
                        .arg("EX")
                        .arg(shared.ttl_secs)
                        .ignore();
                }
                Write::Flush(done) => flushes.push(done),
            }
        }
        if entries > 0 {
            let sent = match shared.connection().await {
                None => false,
                Some(mut conn) => {
                    match tokio::time::timeout(shared.command_timeout, pipe.exec_async(&mut conn))
                        .await
                    {
                        Ok(Ok(())) => {
                            shared.breaker.success();
                            true
                        }
                        // The server answered, and refused (out of memory with
                        // `noeviction`, read-only replica): it is up, the writes are lost.
                        Ok(Err(e)) if !e.is_io_error() && !e.is_timeout() => {
                            shared.counters.errors.fetch_add(1, Ordering::Relaxed);
                            false
                        }
                        Ok(Err(e)) => {
                            shared.failed(&e.to_string());
                            false
                        }
                        Err(_) => {
                            shared.failed("no answer within the command timeout");
                            false
                        }
                    }
                }
            };
            let counter = if sent {
                &shared.counters.written
            } else {
                &shared.counters.dropped
            };
            counter.fetch_add(entries, Ordering::Relaxed);
            shared
                .counters
                .queued_bytes
                .fetch_sub(bytes, Ordering::Relaxed);
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}

impl Store for RemoteStore {
    fn tier(&self) -> Tier {
        Tier::Remote
    }

    fn get_many(&self, keys: &[Key]) -> Vec<Option<Bytes>> {
        let c = &self.shared.counters;
        let names: Vec<String> = keys.iter().map(|k| self.shared.name(k)).collect();
        let started = Instant::now();
        let answer = self.command(move |mut conn| async move {
            redis::cmd("MGET")
                .arg(&names)
                .query_async::<Vec<Option<Vec<u8>>>>(&mut conn)
                .await
        });
        let Ok(values) = answer else {
            c.misses.fetch_add(keys.len() as u64, Ordering::Relaxed);
            return vec![None; keys.len()];
        };
        let took = started.elapsed().as_micros() as u64;
        c.round_trips.fetch_add(1, Ordering::Relaxed);
        c.keys_asked.fetch_add(keys.len() as u64, Ordering::Relaxed);
        c.lookup_us.fetch_add(took, Ordering::Relaxed);
        c.max_lookup_us.fetch_max(took, Ordering::Relaxed);
        if values.len() != keys.len() {
            // Not an answer to what was asked: nothing in it is used.
            c.errors.fetch_add(1, Ordering::Relaxed);
            c.misses.fetch_add(keys.len() as u64, Ordering::Relaxed);
            return vec![None; keys.len()];
        }
        keys.iter()
            .zip(values)
            .map(|(key, value)| {
                let Some(value) = value else {
                    c.misses.fetch_add(1, Ordering::Relaxed);
                    return None;
                };
                match entry::open(self.shared.mac(), key, Bytes::from(value)) {
                    Ok(body) => {
                        c.hits.fetch_add(1, Ordering::Relaxed);
                        Some(body)
                    }
                    Err(_) => {
                        c.rejected.fetch_add(1, Ordering::Relaxed);
                        None
                    }
                }
            })
            .collect()
    }

    fn put(&self, key: &Key, body: &Bytes) {
        let c = &self.shared.counters;
        let Some(mac) = self.shared.mac() else {
            // Unauthenticated use is read-only.
            return;
        };
        if body.len() > MAX_ENTRY || self.shared.breaker.open_reason().is_some() {
            c.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let value = entry::seal(mac, key, body);
        let size = value.len() as u64;
        if c.queued_bytes.fetch_add(size, Ordering::Relaxed) + size > WRITE_QUEUE_BYTES {
            c.queued_bytes.fetch_sub(size, Ordering::Relaxed);
            c.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let write = Write::Entry {
            name: self.shared.name(key),
            value,
        };
        if self.writes.try_send(write).is_err() {
            c.queued_bytes.fetch_sub(size, Ordering::Relaxed);
            c.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Waits for the queued writes to be sent (at most a few command timeouts), so that a
    /// scan's results reach the server before the process ends.
    fn maintain(&self) {
        let (done, sent) = tokio::sync::oneshot::channel();
        let writes = self.writes.clone();
        let limit = self.shared.command_timeout * 3;
        let _ = self.call(
            async move {
                if writes.send(Write::Flush(done)).await.is_ok() {
                    let _ = sent.await;
                }
            },
            limit,
        );
    }

    fn remote_stats(&self) -> Option<RemoteStats> {
        Some(self.stats())
    }
}

impl Drop for RemoteStore {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Entries of this engine build on the server, counted with `SCAN`.
pub fn count_entries(target: &Target, timeout: Duration) -> Result<u64, String> {
    scan_prefix(target, timeout, false)
}

/// Removes this engine build's entries from the server (`SCAN` by prefix and `UNLINK`; never
/// `FLUSHALL`): other builds' entries and other data stay. Returns how many were removed.
pub fn clear_entries(target: &Target, timeout: Duration) -> Result<u64, String> {
    scan_prefix(target, timeout, true)
}

fn scan_prefix(target: &Target, timeout: Duration, remove: bool) -> Result<u64, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let pattern = format!("{}*", glob_escape(&build_prefix()));
    let work = async {
        let client = redis::Client::open(target.info.clone())?;
        let config = redis::AsyncConnectionConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout));
        let mut conn = client
            .get_multiplexed_async_connection_with_config(&config)
            .await?;
        let mut cursor = 0u64;
        let mut count = 0u64;
        loop {
            let (next, names): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(1000)
                .query_async(&mut conn)
                .await?;
            if remove && !names.is_empty() {
                let removed: u64 = redis::cmd("UNLINK")
                    .arg(&names)
                    .query_async(&mut conn)
                    .await?;
                count += removed;
            } else if !remove {
                count += names.len() as u64;
            }
            if next == 0 {
                return Ok::<u64, redis::RedisError>(count);
            }
            cursor = next;
        }
    };
    runtime
        .block_on(work)
        .map_err(|e| target.mask(&e.to_string()))
}

/// `s` with the characters special to Redis glob patterns escaped.
fn glob_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}
