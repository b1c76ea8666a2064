//! The daemon: a Unix socket, sessions, warm worker pools behind a fair queue, and a result
//! cache.
//!
//! ```text
//! client ─socket─► connection task ─┬─ cache hit ─────────────────────────► result
//!                                   └─ fair queue (per options) ─► slots ─► worker ─► result
//! ```
//! Workers are the direct mode's pool ([`crate::pool`]) started with `--file-keys`: each
//! request carries its file's key, derived here from the session key, so a warm worker serves
//! every session without holding any session's key. Every resource is bounded; at a bound the
//! client gets `busy` with a retry hint instead of silence.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::net::UnixStream;
use tokio::sync::{Notify, Semaphore, mpsc, oneshot};
use tokio::time::Instant;
use tokio_util::codec::FramedRead;

use super::cache;
use super::log;
use super::queue::FairQueue;
use super::session::Sessions;
use super::status::{DiskStatus, Latency, PoolStatus, SlotStatus, Status};
use crate::cache::disk::DiskCache;
use crate::cache::store::{MemoryStore, Store, Tiered};
use crate::lang::Language;
use crate::lock;
use crate::pool::{FailureKind, Job, JobResult, Keys, Pool, PoolConfig};
use crate::protocol::{self, FrameCodec, Message, Outcome, PROTOCOL_VERSION, PayloadEncoding};
use crate::seal::{FileKey, Header, SessionId};

/// Time a client has to send its hello.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);
/// Largest hello accepted: a hello has no payload, so a large announced one is never read.
const HELLO_MAX_PAYLOAD: usize = 0;
/// Time a frame, once begun, has to arrive whole.
const FRAME_TIMEOUT: Duration = Duration::from_secs(30);
/// Time a connection with no request in flight may stay silent. Without `--async` a silent
/// client holds the only connection, so it gets less.
const IDLE_TIMEOUT_SERIAL: Duration = Duration::from_secs(10);
const IDLE_TIMEOUT_ASYNC: Duration = Duration::from_secs(300);
/// Partly received frames the daemon holds over all connections, in largest frames.
const PARTIAL_FRAMES_BUDGET: usize = 4;
/// Distinct option sets (rules, deadline, memory limit) with their own warm pool.
const MAX_OPTION_POOLS: usize = 4;
/// Latencies kept for the percentiles in `status`.
const LATENCY_WINDOW: usize = 4096;
/// Retry hint when a session has too many files in flight: about one file's parse time.
const RETRY_IN_FLIGHT_MS: u64 = 20;
/// Retry hint for other bounds.
const RETRY_BUSY_MS: u64 = 200;
/// Replies waiting to be written on one connection.
const REPLY_QUEUE: usize = 256;

/// How the daemon runs.
#[derive(Clone, Debug)]
pub struct DaemonOptions {
    /// Socket path.
    pub socket: PathBuf,
    /// Serve connections concurrently (`--async`); otherwise one at a time.
    pub concurrent: bool,
    /// Exit after no request for this long.
    pub idle_timeout: Option<Duration>,
    /// Worker processes per option set.
    pub workers: usize,
    /// Languages to compile in every worker at start-up (with the built-in rules).
    pub prewarm: Vec<Language>,
    /// Idle time after which a session expires.
    pub session_ttl: Duration,
    /// Sessions one client process may hold.
    pub sessions_per_client: usize,
    /// Result cache size in memory.
    pub cache_bytes: u64,
    /// The result cache directory direct scans use, and its size cap: the daemon's second
    /// tier (`None`: memory only).
    pub disk_cache: Option<(PathBuf, u64)>,
    /// The remote tier behind the directory (`--cache-url`), already open.
    pub remote_cache: Option<Arc<crate::cache::remote::RemoteStore>>,
    /// Open connections.
    pub max_connections: usize,
    /// Files one session may have queued or parsing.
    pub in_flight_per_session: usize,
    /// Largest frame payload accepted.
    pub max_frame: usize,
    /// Time in-flight requests get to finish at shutdown.
    pub grace: Duration,
    /// A worker is replaced after this many files.
    pub recycle_after: u64,
    /// ... or when its resident memory exceeds this many MiB.
    pub recycle_rss_mb: u64,
    /// A worker with nothing to do for this long is stopped.
    pub worker_idle: Duration,
    /// Workers' niceness.
    pub worker_nice: i32,
    /// How long a language disabled by crashes (or a pool that cannot start workers) waits
    /// before it is tried again.
    pub quarantine: Duration,
}

/// A queued file and where its answer goes.
struct Queued {
    job: Job,
    reply: oneshot::Sender<JobResult>,
}

/// Workers and queue for one set of options (rules, deadline, memory limit).
pub struct OptionsPool {
    fingerprint: [u8; 32],
    pool: Arc<Pool>,
    queue: FairQueue<Queued>,
    slots: Mutex<Vec<SlotStatus>>,
    tasks: Mutex<Vec<tokio::task::JoinHandle<()>>>,
    /// A slot is replacing its worker; the others wait their turn, so the pool never has
    /// all its workers starting at once (they reach `--recycle-after` together).
    recycling: AtomicBool,
}

/// Counters for `status`.
#[derive(Default)]
struct Counters {
    connections: AtomicUsize,
    connections_total: AtomicU64,
    refused_peers: AtomicU64,
    requests: AtomicU64,
    /// `analyze` requests whose file was sent (not answered by a lookup).
    files_received: AtomicU64,
    busy: AtomicU64,
    failed: AtomicU64,
    in_flight: AtomicUsize,
}

/// Everything the daemon's tasks share.
pub struct State {
    opts: DaemonOptions,
    exe: PathBuf,
    uid: u32,
    started: Instant,
    started_at: SystemTime,
    sessions: Arc<Sessions>,
    pools: Mutex<HashMap<[u8; 32], Arc<OptionsPool>>>,
    /// The result cache's tiers: memory, then the directory direct scans share.
    store: Tiered,
    /// The memory tier, for its counters.
    memory: Arc<MemoryStore>,
    /// The disk tier, for its counters.
    disk: Option<Arc<DiskCache>>,
    counters: Counters,
    latencies: Mutex<VecDeque<f64>>,
    stopping: AtomicBool,
    stop: Notify,
    drained: Notify,
    last_activity: Mutex<Instant>,
    /// Bytes of partly received frames over all connections.
    partial: Arc<protocol::PartialBudget>,
}

/// Runs the daemon in the foreground until it is stopped; returns once the socket is gone.
pub fn run(opts: DaemonOptions) -> anyhow::Result<()> {
    use anyhow::Context;
    // The daemon holds every session's key and the cached results: no core dump of it.
    crate::harden::no_core_dumps().context("disabling core dumps")?;
    let exe = std::env::current_exe().context("locating the astscan executable")?;
    let lock = super::lock::acquire(&opts.socket)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let result = runtime.block_on(serve(opts.clone(), exe));
    runtime.shutdown_timeout(Duration::from_secs(1));
    // The socket goes before the lock, so no client finds a socket without an owner alive.
    let _ = std::fs::remove_file(&opts.socket);
    drop(lock);
    result
}

async fn serve(opts: DaemonOptions, exe: PathBuf) -> anyhow::Result<()> {
    use anyhow::Context;
    let listener = super::lock::bind(&opts.socket)?;
    let memory = Arc::new(MemoryStore::new(opts.cache_bytes));
    let mut tiers: Vec<Arc<dyn Store>> = vec![memory.clone()];
    let mut disk = None;
    if let Some((dir, cap)) = &opts.disk_cache {
        match DiskCache::open(dir, *cap) {
            Ok(opened) => {
                let opened = Arc::new(opened);
                tiers.push(opened.clone());
                disk = Some(opened);
            }
            Err(e) => log::warn(&format!(
                "result cache in {}: {e}; keeping results in memory only",
                dir.display()
            )),
        }
    }
    if let Some(remote) = &opts.remote_cache {
        tiers.push(remote.clone());
    }
    let state = Arc::new(State {
        uid: rustix::process::getuid().as_raw(),
        started: Instant::now(),
        started_at: SystemTime::now(),
        sessions: Sessions::new(opts.session_ttl, opts.sessions_per_client),
        pools: Mutex::new(HashMap::new()),
        store: Tiered::new(tiers),
        memory,
        disk,
        counters: Counters::default(),
        latencies: Mutex::new(VecDeque::with_capacity(LATENCY_WINDOW)),
        stopping: AtomicBool::new(false),
        stop: Notify::new(),
        drained: Notify::new(),
        last_activity: Mutex::new(Instant::now()),
        partial: protocol::PartialBudget::new(opts.max_frame.saturating_mul(PARTIAL_FRAMES_BUDGET)),
        exe,
        opts,
    });
    tokio::spawn(Arc::clone(&state.sessions).expire_forever());
    tokio::spawn(maintain_forever(state.store.clone()));
    if let Some(idle) = state.opts.idle_timeout {
        tokio::spawn(idle_watch(Arc::clone(&state), idle));
    }
    if !state.opts.prewarm.is_empty() {
        prewarm(&state).context("pre-warming workers")?;
    }
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut int = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
    raise_fd_limit(state.opts.max_connections as u64 + FD_HEADROOM);
    let connections = Arc::new(Semaphore::new(state.opts.max_connections));
    log::info(&format!(
        "listening on {} (pid {}, {} mode, {} workers per option set, build {})",
        state.opts.socket.display(),
        std::process::id(),
        if state.opts.concurrent {
            "async"
        } else {
            "serial"
        },
        state.opts.workers,
        crate::BUILD_ID
    ));
    let why = loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = term.recv() => break "SIGTERM",
            _ = int.recv() => break "SIGINT",
            _ = state.stop.notified() => break "stop requested",
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors and the like: wait a little rather than spin.
                log::warn(&format!("accept failed: {e}"));
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&connections).try_acquire_owned() else {
            state.counters.busy.fetch_add(1, Ordering::Relaxed);
            tokio::spawn(refuse_busy(stream));
            continue;
        };
        let state = Arc::clone(&state);
        if state.opts.concurrent {
            tokio::spawn(async move {
                connection(stream, &state).await;
                drop(permit);
            });
        } else {
            // One connection at a time; signals still end the wait.
            tokio::select! {
                _ = connection(stream, &state) => {}
                _ = term.recv() => break "SIGTERM",
                _ = int.recv() => break "SIGINT",
                _ = state.stop.notified() => break "stop requested",
            }
            drop(permit);
        }
    };
    log::info(&format!("stopping ({why})"));
    drop(listener);
    let _ = std::fs::remove_file(&state.opts.socket);
    shutdown(&state).await;
    log::info("stopped");
    Ok(())
}

/// Descriptors besides connections: worker pipes, the listener, the lock, log and runtime.
const FD_HEADROOM: u64 = 256;

/// Raises the soft open-file limit towards `wanted`: every connection holds a descriptor,
/// and the usual soft limit (1024) is below the default `--max-connections`.
fn raise_fd_limit(wanted: u64) {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let target = wanted.min(limit.maximum.unwrap_or(u64::MAX));
    if limit.current.is_some_and(|current| current < target) {
        let raised = Rlimit {
            current: Some(target),
            maximum: limit.maximum,
        };
        if let Err(e) = setrlimit(Resource::Nofile, raised) {
            log::warn(&format!(
                "cannot raise the open-file limit to {target}: {e}"
            ));
        }
    }
    let now = getrlimit(Resource::Nofile).current.unwrap_or(u64::MAX);
    if now < wanted {
        log::warn(&format!(
            "the open-file limit ({now}) is below what --max-connections needs ({wanted}); \
             connections past it wait in the listen queue"
        ));
    }
}

/// Stops accepting work, lets in-flight files finish for the grace period, then stops the
/// workers (TERM, then KILL).
async fn shutdown(state: &Arc<State>) {
    state.stopping.store(true, Ordering::SeqCst);
    let drain = async {
        loop {
            let drained = state.drained.notified();
            if state.counters.in_flight.load(Ordering::SeqCst) == 0 {
                return;
            }
            drained.await;
        }
    };
    if tokio::time::timeout(state.opts.grace, drain).await.is_err() {
        log::warn(&format!(
            "{} file(s) still in flight after {:.1} s; answering them unavailable",
            state.counters.in_flight.load(Ordering::SeqCst),
            state.opts.grace.as_secs_f64()
        ));
    }
    let pools: Vec<Arc<OptionsPool>> = lock(&state.pools).values().cloned().collect();
    for p in &pools {
        p.queue.close();
        // Queued jobs are dropped: their handlers answer busy.
        drop(p.queue.drain_all());
        p.pool.cancel();
    }
    for p in &pools {
        stop_slots(p).await;
    }
    // Files cut off past the grace period are answered `unavailable` (their clients parse
    // them): give those answers a moment to be written before the runtime ends.
    let answered = async {
        loop {
            let drained = state.drained.notified();
            if state.counters.in_flight.load(Ordering::SeqCst) == 0 {
                return;
            }
            drained.await;
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), answered).await;
    let store = state.store.clone();
    let _ = tokio::task::spawn_blocking(move || store.maintain()).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// How often the cache tiers evict past their caps while the daemon runs.
const MAINTAIN_EVERY: Duration = Duration::from_secs(600);

/// Keeps the disk tier within its cap while the daemon runs (it is also trimmed at shutdown).
async fn maintain_forever(store: Tiered) {
    loop {
        tokio::time::sleep(MAINTAIN_EVERY).await;
        let store = store.clone();
        let _ = tokio::task::spawn_blocking(move || store.maintain()).await;
    }
}

/// Ends the daemon after `idle` without requests.
async fn idle_watch(state: Arc<State>, idle: Duration) {
    loop {
        let last = *lock(&state.last_activity);
        let at = last + idle;
        if Instant::now() >= at
            && state.counters.in_flight.load(Ordering::SeqCst) == 0
            && state.counters.connections.load(Ordering::SeqCst) == 0
        {
            log::info(&format!("idle for {}", humantime::format_duration(idle)));
            state.stop.notify_one();
            return;
        }
        tokio::time::sleep_until(at.max(Instant::now() + Duration::from_millis(100))).await;
    }
}

/// Tells a client over the connection limit to come back later.
async fn refuse_busy(mut stream: UnixStream) {
    let frame = protocol::encode_frame(
        &Message::Busy {
            id: None,
            retry_after_ms: RETRY_BUSY_MS,
            reason: "too many connections".into(),
        },
        &[],
    );
    if let Ok(frame) = frame {
        let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(&frame)).await;
    }
}

/// Serves one connection until the client closes it or breaks the protocol.
async fn connection(stream: UnixStream, state: &Arc<State>) {
    let peer = match stream.peer_cred() {
        Ok(c) => c,
        Err(e) => {
            log::warn(&format!("refused a connection: no peer credentials ({e})"));
            return;
        }
    };
    if peer.uid() != state.uid {
        state.counters.refused_peers.fetch_add(1, Ordering::Relaxed);
        log::warn(&format!(
            "refused a connection from uid {} (pid {:?}): only uid {} may use this daemon",
            peer.uid(),
            peer.pid(),
            state.uid
        ));
        return;
    }
    let pid = peer.pid().unwrap_or(0) as u32;
    state.counters.connections.fetch_add(1, Ordering::SeqCst);
    state
        .counters
        .connections_total
        .fetch_add(1, Ordering::Relaxed);
    let (read, mut write) = stream.into_split();
    let (tx, mut rx) = mpsc::channel::<Vec<u8>>(REPLY_QUEUE);
    let writer = tokio::spawn(async move {
        while let Some(buf) = rx.recv().await {
            if write.write_all(&buf).await.is_err() {
                break;
            }
        }
    });
    let mut conn = Connection {
        state: Arc::clone(state),
        tx,
        pid,
        uid: peer.uid(),
        session: None,
        stop_requested: false,
        answering: Arc::new(AtomicUsize::new(0)),
    };
    // Small frames only until the hello: nobody gets to send much before saying who it is.
    let codec = FrameCodec::with_budget(HELLO_MAX_PAYLOAD, Arc::clone(&state.partial));
    let mut frames = FramedRead::new(read, codec);
    conn.run(&mut frames).await;
    if let Some((id, seq, pool)) = conn.session.take() {
        // Files it still had queued will never be collected.
        drop(pool.queue.drain_session(seq));
        state.sessions.close(&id);
    }
    let stop_requested = conn.stop_requested;
    drop(conn);
    let _ = writer.await;
    state.counters.connections.fetch_sub(1, Ordering::SeqCst);
    touch(state);
    if stop_requested {
        state.stop.notify_one();
    }
}

fn touch(state: &State) {
    *lock(&state.last_activity) = Instant::now();
}

/// One client connection's state.
struct Connection {
    state: Arc<State>,
    tx: mpsc::Sender<Vec<u8>>,
    pid: u32,
    uid: u32,
    session: Option<(SessionId, u64, Arc<OptionsPool>)>,
    /// The client asked the daemon to stop (acted on once the answer is written).
    stop_requested: bool,
    /// Requests of this connection whose answers are still to be sent.
    answering: Arc<AtomicUsize>,
}

impl Connection {
    async fn send(&self, message: Message, payload: &[u8]) {
        if let Ok(frame) = protocol::encode_frame(&message, payload) {
            let _ = self.tx.send(frame).await;
        }
    }

    async fn error(&self, id: Option<u64>, message: String) {
        self.send(
            Message::Error {
                id,
                message,
                code: None,
            },
            &[],
        )
        .await;
    }

    async fn run(&mut self, frames: &mut FramedRead<tokio::net::unix::OwnedReadHalf, FrameCodec>) {
        let hello = tokio::time::timeout(HANDSHAKE_TIMEOUT, frames.next()).await;
        match hello {
            Ok(Some(Ok(frame))) => match frame.message {
                Message::Hello {
                    protocol, build_id, ..
                } if protocol == PROTOCOL_VERSION && build_id == crate::BUILD_ID => {
                    self.send(
                        Message::Hello {
                            protocol: PROTOCOL_VERSION,
                            build_id: crate::BUILD_ID.to_string(),
                            languages: Language::all().map(|l| l.name().to_string()).collect(),
                            pid: std::process::id(),
                        },
                        &[],
                    )
                    .await;
                }
                Message::Hello {
                    protocol, build_id, ..
                } => {
                    log::info(&format!(
                        "client pid {} speaks protocol {protocol}, build {build_id}: told to restart the daemon",
                        self.pid
                    ));
                    let message = format!(
                        "version mismatch: the daemon is build {} (protocol {PROTOCOL_VERSION}), the client build {build_id} (protocol {protocol}); restart the daemon",
                        crate::BUILD_ID
                    );
                    // Clients before protocol 3 refuse fields they do not know, and know
                    // this answer by its wording.
                    let code = (protocol >= 3).then_some(protocol::ErrorCode::VersionMismatch);
                    self.send(
                        Message::Error {
                            id: None,
                            message,
                            code,
                        },
                        &[],
                    )
                    .await;
                    return;
                }
                other => {
                    let t = crate::worker::message_type(&other);
                    self.error(None, format!("expected hello, got {t}")).await;
                    return;
                }
            },
            Ok(Some(Err(e))) => {
                self.error(None, format!("bad frame: {e}")).await;
                return;
            }
            Ok(None) => return,
            Err(_) => {
                self.error(None, "no hello within 5 s".into()).await;
                return;
            }
        }
        frames
            .decoder_mut()
            .set_max_payload(self.state.opts.max_frame);
        let evicted = frames
            .decoder()
            .eviction()
            .unwrap_or_else(|| Arc::new(Notify::new()));
        let idle = if self.state.opts.concurrent {
            IDLE_TIMEOUT_ASYNC
        } else {
            IDLE_TIMEOUT_SERIAL
        };
        loop {
            // A frame begun must finish within FRAME_TIMEOUT; a connection with nothing in
            // flight may stay silent for `idle`; one waiting for answers may wait for them.
            let partial = !frames.read_buffer().is_empty();
            let waiting = self.answering.load(Ordering::SeqCst) > 0;
            let patience = if partial { FRAME_TIMEOUT } else { idle };
            let next = tokio::select! {
                next = tokio::time::timeout(patience, frames.next()) => next,
                _ = evicted.notified() => {
                    // Our unfinished frame is the slowest while the budget for partial frames
                    // is spent: give way (the client scans directly) so faster ones go on.
                    log::warn(&format!(
                        "closing the connection of pid {}: its unfinished frame is the slowest \
                         and partly received frames are over budget",
                        self.pid
                    ));
                    self.busy_unsolicited(
                        "partly received frames are over the daemon's budget, and this \
                         connection's is the slowest"
                            .into(),
                    )
                    .await;
                    return;
                }
            };
            let frame = match next {
                Ok(Some(frame)) => frame,
                Ok(None) => return,
                Err(_) if waiting && !partial => continue,
                Err(_) => {
                    let what = if partial {
                        "a frame begun was not finished"
                    } else {
                        "no request"
                    };
                    log::info(&format!(
                        "closing the connection of pid {}: {what} within {} s",
                        self.pid,
                        patience.as_secs()
                    ));
                    self.error(
                        None,
                        format!(
                            "{what} within {} s; the daemon closes the connection",
                            patience.as_secs()
                        ),
                    )
                    .await;
                    return;
                }
            };
            let frame = match frame {
                Ok(f) => f,
                Err(e @ protocol::FrameError::OverBudget { .. }) => {
                    // Memory for partial frames is shared: this connection waits its turn
                    // (clients fall back to their own workers) rather than the daemon dying.
                    log::warn(&format!("closing the connection of pid {}: {e}", self.pid));
                    self.busy_unsolicited(e.to_string()).await;
                    return;
                }
                Err(e) => {
                    // A broken stream cannot be resynchronised: say why and hang up.
                    self.error(None, format!("bad frame: {e}; closing the connection"))
                        .await;
                    return;
                }
            };
            touch(&self.state);
            match frame.message {
                Message::OpenSession {
                    deadline_ms,
                    memory_limit_mb,
                } => {
                    self.open_session(deadline_ms, memory_limit_mb, &frame.payload)
                        .await
                }
                Message::Analyze {
                    id,
                    language,
                    path,
                    encoding: PayloadEncoding::SealedV1,
                    probed,
                    ..
                } => {
                    self.analyze(id, language, path, frame.payload, probed)
                        .await
                }
                Message::Lookup {
                    id,
                    language,
                    sha256,
                } => self.lookup(id, &language, &sha256).await,
                Message::Status => {
                    let body = serde_json::to_vec(&status(&self.state)).unwrap_or_default();
                    self.send(Message::StatusReport, &body).await;
                }
                Message::Stop => {
                    log::info(&format!("stop requested by pid {}", self.pid));
                    self.send(Message::Shutdown, &[]).await;
                    // The daemon stops once this acknowledgement is written (see `connection`):
                    // stopping now could end the runtime before the client hears it.
                    self.stop_requested = true;
                    return;
                }
                Message::Shutdown => return,
                other => {
                    let t = crate::worker::message_type(&other);
                    self.error(None, format!("unexpected message for the daemon: {t}"))
                        .await;
                    return;
                }
            }
        }
    }

    async fn open_session(&mut self, deadline_ms: u64, memory_limit_mb: u64, rules: &[u8]) {
        if self.session.is_some() {
            self.error(None, "this connection already has a session".into())
                .await;
            return;
        }
        let rules: Vec<crate::rules::Rule> = match serde_json::from_slice(rules) {
            Ok(r) => r,
            Err(e) => {
                self.error(None, format!("bad rules in open_session: {e}"))
                    .await;
                return;
            }
        };
        if !(1..=3_600_000).contains(&deadline_ms) {
            self.error(None, format!("deadline_ms {deadline_ms} out of range"))
                .await;
            return;
        }
        let pool = match options_pool(&self.state, rules, deadline_ms, memory_limit_mb) {
            Ok(p) => p,
            Err(reason) => return self.busy_unsolicited(reason).await,
        };
        match self
            .state
            .sessions
            .open(self.uid, self.pid, Arc::clone(&pool))
        {
            Ok((id, key)) => {
                let seq = self.state.sessions.with(&id, |s| s.seq).unwrap_or(0);
                log::debug(&format!("session {id} opened for pid {}", self.pid));
                self.session = Some((id, seq, pool));
                // The key goes from its zeroized home straight into the socket buffer.
                self.send(
                    Message::Session {
                        session_id: id.to_string(),
                    },
                    key.expose_secret(),
                )
                .await;
            }
            Err(e) => self.busy_unsolicited(e.to_string()).await,
        }
    }

    /// A `busy` answer that refers to no request (a session refused, the connection turned
    /// away), counted like the others.
    async fn busy_unsolicited(&self, reason: String) {
        self.state.counters.busy.fetch_add(1, Ordering::Relaxed);
        self.send(
            Message::Busy {
                id: None,
                retry_after_ms: RETRY_BUSY_MS,
                reason,
            },
            &[],
        )
        .await;
    }

    /// Answers from the cache by content hash alone, or says `miss`.
    async fn lookup(&self, id: u64, language: &str, sha256: &str) {
        let started = Instant::now();
        let Some((_, _, pool)) = &self.session else {
            return self
                .error(Some(id), "lookup before open_session".into())
                .await;
        };
        let (Some(language), Some(sha256)) =
            (Language::from_name(language), crate::source::unhex(sha256))
        else {
            return self
                .error(
                    Some(id),
                    format!("bad lookup: language {language:?}, sha256 {sha256:?}"),
                )
                .await;
        };
        let key = cache::key(&sha256, language.name(), &pool.fingerprint);
        let cached = lookup(&self.state.store, key).await;
        match cached {
            Some(body) => {
                self.state.counters.requests.fetch_add(1, Ordering::Relaxed);
                let hit = Message::Result { id, cached: true };
                self.send(hit, &body).await;
                record_latency(&self.state, started);
            }
            None => self.send(Message::Miss { id }, &[]).await,
        }
    }

    async fn analyze(
        &self,
        id: u64,
        language: String,
        path: String,
        envelope: Bytes,
        probed: bool,
    ) {
        let state = &self.state;
        state.counters.requests.fetch_add(1, Ordering::Relaxed);
        state
            .counters
            .files_received
            .fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        if state.stopping.load(Ordering::SeqCst) {
            return self.send_result(id, stopping_answer()).await;
        }
        let Some((session_id, seq, pool)) = self.session.clone() else {
            return self
                .error(Some(id), "analyze before open_session".into())
                .await;
        };
        let Some(language) = Language::from_name(&language) else {
            return self
                .fail(
                    id,
                    format!("daemon does not support language {language:?}"),
                    FailureKind::Worker,
                )
                .await;
        };
        let rejected = |e: String| format!("envelope of {path} rejected: {e}");
        let refused = FailureKind::EnvelopeRejected;
        let header = match Header::parse(&envelope) {
            Ok(h) => h,
            Err(e) => return self.fail(id, rejected(e.to_string()), refused).await,
        };
        if header.session_id() != session_id {
            return self
                .fail(id, rejected("sealed for another session".into()), refused)
                .await;
        }
        let cache_key = cache::key(
            &header.plaintext_sha256(),
            language.name(),
            &pool.fingerprint,
        );
        let admitted = state.sessions.with(&session_id, |s| {
            if s.seen.len() >= super::session::MAX_FILES_PER_SESSION {
                return Err(Admission::Refused(
                    "session file limit reached; open a new one".into(),
                ));
            }
            if s.seen.contains(&header.file_id()) {
                return Err(Admission::Refused("file id already seen (replay)".into()));
            }
            if s.in_flight >= state.opts.in_flight_per_session {
                return Err(Admission::Busy);
            }
            if !s.verifying.insert(header.file_id()) {
                // Another envelope with this id is being opened: whether this one is a replay
                // depends on whether that one verifies.
                return Err(Admission::Busy);
            }
            s.in_flight += 1;
            Ok(FileKey::derive(&s.key, &header))
        });
        let file_key = match admitted {
            None => return self.error(Some(id), "session expired".into()).await,
            Some(Err(Admission::Busy)) => {
                return self
                    .busy(
                        id,
                        RETRY_IN_FLIGHT_MS,
                        "too many files in flight for this session",
                    )
                    .await;
            }
            Some(Err(Admission::Refused(why))) => {
                return self.fail(id, rejected(why), refused).await;
            }
            Some(Ok(key)) => key,
        };
        state.counters.in_flight.fetch_add(1, Ordering::SeqCst);
        // After a `lookup` miss, asking the cache again would count the file twice.
        let cached = if probed {
            None
        } else {
            lookup(&state.store, cache_key).await
        };
        let file_id = header.file_id();
        if let Some(body) = cached {
            self.send(Message::Result { id, cached: true }, &body).await;
            // No worker opened it: the id stays free for a genuine envelope.
            settle(state, &session_id, file_id, false);
            self.finish(&session_id, started);
            return;
        }
        let (reply, answer) = oneshot::channel();
        let job = Job {
            language,
            display_path: path,
            envelope,
            file_key: Some(file_key),
        };
        if pool.queue.push(seq, Queued { job, reply }).is_err() {
            settle(state, &session_id, file_id, false);
            self.finish(&session_id, started);
            return self.send_result(id, stopping_answer()).await;
        }
        // The answer is awaited in its own task so this connection keeps reading requests.
        let tx = self.tx.clone();
        let state = Arc::clone(state);
        let answering = Arc::clone(&self.answering);
        answering.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            let result = match answer.await {
                // Past the grace period the pool was cancelled under the file: the client
                // scans it itself.
                Ok(JobResult::Failed {
                    kind: FailureKind::Interrupted,
                    ..
                })
                | Err(_)
                    if state.stopping.load(Ordering::SeqCst) =>
                {
                    Ok(stopping_answer())
                }
                other => other,
            };
            let opened = match &result {
                Ok(JobResult::Analyzed { .. }) => true,
                Ok(JobResult::Failed { kind, .. }) => !matches!(
                    kind,
                    FailureKind::EnvelopeRejected | FailureKind::Unavailable
                ),
                Err(_) => false,
            };
            settle(&state, &session_id, file_id, opened);
            let (message, body) = match result {
                Ok(JobResult::Analyzed { analysis, .. }) => {
                    let body =
                        serde_json::to_vec(&Outcome::Analyzed(*analysis)).unwrap_or_default();
                    let body = Bytes::from(body);
                    store_result(&state.store, cache_key, &body);
                    let m = Message::Result { id, cached: false };
                    (m, body)
                }
                Ok(JobResult::Failed { reason, kind }) => {
                    state.counters.failed.fetch_add(1, Ordering::Relaxed);
                    let body =
                        serde_json::to_vec(&Outcome::Failed { reason, kind }).unwrap_or_default();
                    let m = Message::Result { id, cached: false };
                    (m, Bytes::from(body))
                }
                Err(_) => {
                    // Dropped from the queue while the daemon runs: the connection that sent
                    // it has ended (closed, or broke the protocol); the answer reaches nobody,
                    // but says so.
                    let m = Message::Error {
                        id: Some(id),
                        message: "the request was dropped: its connection ended".into(),
                        code: None,
                    };
                    (m, Bytes::new())
                }
            };
            if let Ok(frame) = protocol::encode_frame(&message, &body) {
                let _ = tx.send(frame).await;
            }
            answering.fetch_sub(1, Ordering::SeqCst);
            finish(&state, &session_id, started);
        });
    }

    /// Sends a `result` frame for `id`.
    async fn send_result(&self, id: u64, result: JobResult) {
        let (message, body) = match result {
            JobResult::Analyzed { analysis, .. } => (
                Message::Result { id, cached: false },
                serde_json::to_vec(&Outcome::Analyzed(*analysis)).unwrap_or_default(),
            ),
            JobResult::Failed { reason, kind } => (
                Message::Result { id, cached: false },
                serde_json::to_vec(&Outcome::Failed { reason, kind }).unwrap_or_default(),
            ),
        };
        self.send(message, &body).await;
    }

    fn finish(&self, session: &SessionId, started: Instant) {
        finish(&self.state, session, started);
    }

    async fn busy(&self, id: u64, retry_after_ms: u64, reason: &str) {
        self.state.counters.busy.fetch_add(1, Ordering::Relaxed);
        self.send(
            Message::Busy {
                id: Some(id),
                retry_after_ms,
                reason: reason.into(),
            },
            &[],
        )
        .await;
    }

    /// Answers a request with a failed outcome (the file is reported as failed, not lost).
    async fn fail(&self, id: u64, reason: String, kind: FailureKind) {
        self.state.counters.failed.fetch_add(1, Ordering::Relaxed);
        let body = serde_json::to_vec(&Outcome::Failed { reason, kind }).unwrap_or_default();
        self.send(Message::Result { id, cached: false }, &body)
            .await;
    }
}

/// The cached body for `key`, from the fastest tier that holds it. Memory answers in place;
/// only a miss there goes to the disk tier, on a blocking thread, off the event loop.
async fn lookup(store: &Tiered, key: cache::Key) -> Option<Bytes> {
    let quick = store.quick_tiers();
    if let Some((body, _)) = store.get_in(&key, 0..quick) {
        return Some(body);
    }
    if quick == store.len() {
        return None;
    }
    let store = store.clone();
    tokio::task::spawn_blocking(move || store.get_in(&key, quick..store.len()))
        .await
        .ok()
        .flatten()
        .map(|(body, _)| body)
}

/// Keeps `body` under `key` in every tier; the slow ones are written on a blocking thread.
fn store_result(store: &Tiered, key: cache::Key, body: &Bytes) {
    if store.quick_tiers() == store.len() {
        store.put(&key, body);
        return;
    }
    let (store, body) = (store.clone(), body.clone());
    tokio::task::spawn_blocking(move || store.put(&key, &body));
}

/// The answer to a file the daemon will not parse because it is stopping: `unavailable`,
/// which tells the client to parse it with its own workers.
fn stopping_answer() -> JobResult {
    JobResult::Failed {
        reason: "the daemon is stopping".into(),
        kind: FailureKind::Unavailable,
    }
}

/// Ends the verification of `file_id`: it becomes a seen id (replays refused from now on)
/// only if a worker opened its envelope.
fn settle(state: &State, session: &SessionId, file_id: [u8; 16], opened: bool) {
    state.sessions.with(session, |s| {
        s.verifying.remove(&file_id);
        if opened {
            s.seen.insert(file_id);
        }
    });
}

enum Admission {
    Busy,
    Refused(String),
}

/// Books a finished request: in-flight counts and latency.
fn finish(state: &State, session: &SessionId, started: Instant) {
    state
        .sessions
        .with(session, |s| s.in_flight = s.in_flight.saturating_sub(1));
    if state.counters.in_flight.fetch_sub(1, Ordering::SeqCst) == 1 {
        state.drained.notify_waiters();
    }
    record_latency(state, started);
}

/// Books a request's latency for the status percentiles.
fn record_latency(state: &State, started: Instant) {
    let mut l = lock(&state.latencies);
    if l.len() == LATENCY_WINDOW {
        l.pop_front();
    }
    l.push_back(started.elapsed().as_secs_f64() * 1000.0);
}

/// The warm pool for these options, started on first use.
fn options_pool(
    state: &Arc<State>,
    rules: Vec<crate::rules::Rule>,
    deadline_ms: u64,
    memory_limit_mb: u64,
) -> Result<Arc<OptionsPool>, String> {
    let fingerprint = crate::cache::options_fingerprint(&rules, deadline_ms, memory_limit_mb)
        .map_err(|e| e.to_string())?;
    let mut pools = lock(&state.pools);
    if let Some(p) = pools.get(&fingerprint) {
        return Ok(Arc::clone(p));
    }
    if pools.len() >= MAX_OPTION_POOLS {
        // A pool no session uses holds only references from the map and its slot tasks:
        // retire one to make room.
        let idle = pools
            .iter()
            .find(|(_, p)| Arc::strong_count(p) <= 1 + state.opts.workers)
            .map(|(k, _)| *k);
        let Some(idle) = idle.and_then(|k| pools.remove(&k)) else {
            return Err(format!(
                "the daemon serves {MAX_OPTION_POOLS} different rule/option sets, all in use; \
                 retry when a scan ends"
            ));
        };
        log::info(&format!(
            "retiring the idle pool for option set {}",
            crate::source::hex(&idle.fingerprint[..6])
        ));
        tokio::spawn(retire(idle));
    }
    let pool = Pool::new(PoolConfig {
        exe: state.exe.clone(),
        timeout: Duration::from_millis(deadline_ms),
        memory_limit_mb,
        want_ast: false,
        ast_max_depth: crate::worker::ast::DEFAULT_MAX_DEPTH,
        rules: Arc::new(rules),
        time_rules: false,
        keys: Keys::PerFile,
        nice: state.opts.worker_nice,
        recover_after: Some(state.opts.quarantine),
        eager_rules: true,
    });
    let options = Arc::new(OptionsPool {
        fingerprint,
        pool,
        queue: FairQueue::default(),
        slots: Mutex::new(vec![SlotStatus::default(); state.opts.workers]),
        tasks: Mutex::new(Vec::new()),
        recycling: AtomicBool::new(false),
    });
    let tasks = (0..state.opts.workers)
        .map(|i| tokio::spawn(slot_task(Arc::clone(&options), i, state.opts.clone())))
        .collect();
    *lock(&options.tasks) = tasks;
    pools.insert(fingerprint, Arc::clone(&options));
    log::info(&format!(
        "started a pool for option set {} ({} rules)",
        crate::source::hex(&fingerprint[..6]),
        options.pool.rule_count()
    ));
    Ok(options)
}

/// Stops an options pool nobody uses: its queue closes, its slot tasks end and stop their
/// workers (killed if they take too long).
async fn retire(options: Arc<OptionsPool>) {
    options.queue.close();
    drop(options.queue.drain_all());
    stop_slots(&options).await;
}

/// Waits for a closed pool's slot tasks to stop their workers; kills what remains.
async fn stop_slots(options: &OptionsPool) {
    let tasks: Vec<_> = lock(&options.tasks).drain(..).collect();
    for t in tasks {
        if tokio::time::timeout(Duration::from_secs(3), t)
            .await
            .is_err()
        {
            options.pool.kill_all();
        }
    }
    options.pool.kill_all();
}

/// One worker slot of an options pool: takes jobs fairly, keeps its worker warm, stops it
/// when idle, replaces it after `recycle_after` files or past the memory limit.
async fn slot_task(options: Arc<OptionsPool>, index: usize, opts: DaemonOptions) {
    let mut slot = options.pool.slot();
    let mut files_on_worker = 0u64;
    loop {
        let next = if slot.worker_pid().is_some() {
            match tokio::time::timeout(opts.worker_idle, options.queue.pop()).await {
                Ok(job) => job,
                Err(_) => {
                    slot.stop_worker().await;
                    files_on_worker = 0;
                    set_slot(&options, index, |s| s.pid = None);
                    continue;
                }
            }
        } else {
            options.queue.pop().await
        };
        let Some(queued) = next else { break };
        set_slot(&options, index, |s| s.busy = true);
        let language = queued.job.language;
        let result = slot.run(&queued.job).await;
        let _ = queued.reply.send(result);
        files_on_worker += 1;
        let pid = slot.worker_pid();
        let over_memory = pid.is_some_and(|p| rss_mb(p) > opts.recycle_rss_mb);
        let mut warmed = Vec::new();
        if (files_on_worker >= opts.recycle_after || over_memory)
            && !options.recycling.swap(true, Ordering::SeqCst)
        {
            slot.stop_worker().await;
            files_on_worker = 0;
            // The replacement starts and compiles its predecessor's languages now, so no
            // request waits for that.
            let mut languages: Vec<Language> = lock(&options.slots)
                .get(index)
                .map(|s| {
                    s.languages
                        .iter()
                        .filter_map(|l| Language::from_name(l))
                        .collect()
                })
                .unwrap_or_default();
            languages.push(language);
            languages.sort_unstable_by_key(|l| l.name());
            languages.dedup();
            warm(&mut slot, &languages).await;
            options.recycling.store(false, Ordering::SeqCst);
            warmed = languages;
        }
        let pid_now = slot.worker_pid();
        set_slot(&options, index, |s| {
            s.busy = false;
            s.files += 1;
            if pid_now != s.pid {
                s.languages = warmed.iter().map(|l| l.name().to_string()).collect();
            }
            s.pid = pid_now;
            if pid_now.is_some() {
                s.languages.insert(language.name().to_string());
            }
        });
    }
    slot.shutdown().await;
    set_slot(&options, index, |s| *s = SlotStatus::default());
}

fn set_slot(options: &OptionsPool, index: usize, f: impl FnOnce(&mut SlotStatus)) {
    if let Some(s) = lock(&options.slots).get_mut(index) {
        f(s);
    }
}

/// Resident memory of a process in MiB, from /proc (0 when unknown).
fn rss_mb(pid: u32) -> u64 {
    let Ok(statm) = std::fs::read_to_string(format!("/proc/{pid}/statm")) else {
        return 0;
    };
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    pages * 4096 / (1024 * 1024)
}

/// Starts the default option set's pool (the built-in rules a default scan runs, default
/// deadline and memory limit)
/// and has every worker compile the listed languages, by analysing an empty file of each.
fn prewarm(state: &Arc<State>) -> anyhow::Result<()> {
    use crate::seal::{Sealer, SessionKey};
    let rules = crate::rules::builtin_default()?;
    let pool = options_pool(
        state,
        rules,
        super::DEFAULT_DEADLINE_MS,
        super::DEFAULT_MEMORY_LIMIT_MB,
    )
    .map_err(anyhow::Error::msg)?;
    let sealer = Sealer::new(SessionId::generate()?, SessionKey::generate()?);
    for _ in 0..state.opts.workers {
        for &language in &state.opts.prewarm {
            let (reply, _answer) = oneshot::channel();
            let job = warm_job(&sealer, language)?;
            let _ = pool.queue.push(0, Queued { job, reply });
        }
    }
    log::info(&format!(
        "pre-warming {} worker(s) for {}",
        state.opts.workers,
        state
            .opts
            .prewarm
            .iter()
            .map(|l| l.name())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Ok(())
}

/// An empty file of `language`: starts a worker and compiles that language's rules.
fn warm_job(sealer: &crate::seal::Sealer, language: Language) -> anyhow::Result<Job> {
    let envelope = sealer.seal(b"")?;
    let header = Header::parse(&envelope)?;
    Ok(Job {
        language,
        display_path: format!("<prewarm {language}>"),
        file_key: Some(FileKey::derive(sealer.session_key(), &header)),
        envelope: Bytes::from(envelope),
    })
}

/// Starts `slot`'s worker and warms it for `languages`.
async fn warm(slot: &mut crate::pool::Slot, languages: &[Language]) {
    use crate::seal::{Sealer, SessionKey};
    // A throwaway session: workers in file-key mode hold no session of their own.
    let (Ok(id), Ok(key)) = (SessionId::generate(), SessionKey::generate()) else {
        return;
    };
    let sealer = Sealer::new(id, key);
    for &language in languages {
        if let Ok(job) = warm_job(&sealer, language) {
            let _ = slot.run(&job).await;
        }
    }
}

fn status(state: &State) -> Status {
    let mut lat: Vec<f64> = lock(&state.latencies).iter().copied().collect();
    lat.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        if lat.is_empty() {
            0.0
        } else {
            let i = ((lat.len() as f64 - 1.0) * p).round() as usize;
            (lat[i] * 1000.0).round() / 1000.0
        }
    };
    let cache = state.memory.stats();
    let lookups = cache.hits + cache.misses;
    let pools = lock(&state.pools)
        .values()
        .map(|p| {
            let workers = lock(&p.slots).clone();
            let mut warm = BTreeMap::new();
            for w in workers.iter().filter(|w| w.pid.is_some()) {
                for l in &w.languages {
                    *warm.entry(l.clone()).or_insert(0) += 1;
                }
            }
            PoolStatus {
                options: crate::source::hex(&p.fingerprint[..6]),
                rules: p.pool.rule_count(),
                queued: p.queue.len(),
                live_workers: p.pool.live_workers(),
                workers_started: p.pool.stats.spawned.load(Ordering::Relaxed),
                worker_restarts: p.pool.stats.restarts.load(Ordering::Relaxed),
                broken: p.pool.broken_reason(),
                workers,
                warm_by_language: warm,
            }
        })
        .collect();
    Status {
        pid: std::process::id(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        build_id: crate::BUILD_ID.to_string(),
        socket: state.opts.socket.display().to_string(),
        mode: if state.opts.concurrent {
            "async"
        } else {
            "serial"
        }
        .to_string(),
        started: humantime::format_rfc3339_seconds(state.started_at).to_string(),
        uptime_s: (state.started.elapsed().as_secs_f64() * 10.0).round() / 10.0,
        sessions: state.sessions.len(),
        connections: state.counters.connections.load(Ordering::SeqCst),
        connections_total: state.counters.connections_total.load(Ordering::Relaxed),
        refused_peers: state.counters.refused_peers.load(Ordering::Relaxed),
        requests: state.counters.requests.load(Ordering::Relaxed),
        files_received: state.counters.files_received.load(Ordering::Relaxed),
        busy_answers: state.counters.busy.load(Ordering::Relaxed),
        failed: state.counters.failed.load(Ordering::Relaxed),
        in_flight: state.counters.in_flight.load(Ordering::SeqCst),
        latency_ms: Latency {
            p50: pct(0.5),
            p99: pct(0.99),
            samples: lat.len(),
        },
        cache_hit_rate: if lookups == 0 {
            0.0
        } else {
            ((cache.hits as f64 / lookups as f64) * 1000.0).round() / 1000.0
        },
        cache,
        disk_cache: state.disk.as_ref().map(|d| DiskStatus {
            dir: d.dir().display().to_string(),
            counters: d.counters(),
        }),
        remote_cache: state.opts.remote_cache.as_ref().map(|r| r.stats()),
        pools,
    }
}
