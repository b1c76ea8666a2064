//! The parent side of the worker protocol: spawning `astscan worker` processes, sending them
//! files, and supervising them.
//!
//! Each pool slot owns at most one worker and runs one request at a time on it. A request has
//! two deadlines: the worker's own, in the CPU time its parse uses (tree-sitter's progress
//! callback), and the parent's wall-clock watchdog, several times longer ([`backstop`]), which
//! kills a worker stuck where it uses no CPU (stopped, or blocked in a system call). A worker that dies or is killed is replaced
//! and the file retried once on the fresh worker; a second failure reports the file as failed
//! with the reason and the worker's last stderr lines. Restarts back off exponentially, a
//! language whose files keep killing workers is disabled, and after too many consecutive
//! start-up failures the pool gives up instead of spinning.

use std::collections::{HashMap, VecDeque};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::task::JoinHandle;
use tokio_util::codec::FramedRead;

use crate::analysis::Analysis;
use crate::lang::Language;
use crate::lock;
use crate::protocol::{self, FrameCodec, Message, Outcome, PROTOCOL_VERSION, PayloadEncoding};
use crate::seal::Sealer;

/// How long a fresh worker may take to say hello; generous for loaded machines.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(20);
/// The watchdog's wall-clock allowance, as a multiple of the per-file deadline. The deadline
/// counts the worker's CPU time, so a worker sharing a core with others legitimately takes
/// longer in wall time; 4x lets a file that needs its whole deadline through while it gets a
/// quarter of a CPU. Only a worker that is stuck (or starved beyond that) meets the watchdog.
pub const WATCHDOG_FACTOR: u32 = 4;
/// Added to the watchdog's allowance so very short deadlines still cover a worker's wake-up.
const WATCHDOG_GRACE: Duration = Duration::from_secs(2);

/// How long the parent waits, in wall-clock time, for a worker's answer about one file with
/// the per-file deadline `deadline` before killing the worker.
pub fn backstop(deadline: Duration) -> Duration {
    deadline.saturating_mul(WATCHDOG_FACTOR) + WATCHDOG_GRACE
}
/// How much of a worker's stderr is kept for failure reports.
const STDERR_TAIL_BYTES: usize = 2048;
/// Consecutive failed worker starts (spawn or handshake) before the pool gives up: workers
/// that cannot even start will not start on the next attempt either.
const MAX_START_FAILURES: u32 = 8;
/// Consecutive worker deaths on one language's files, with no file of it parsed in between,
/// before its remaining files are reported instead of sent. Isolated crashes (one huge file
/// over the memory limit) must not disable a language; a grammar that dies on everything must.
const MAX_LANGUAGE_CRASH_STREAK: u32 = 5;
/// First restart backoff; doubles with each consecutive failure up to [`MAX_BACKOFF`].
const BASE_BACKOFF: Duration = Duration::from_millis(50);
/// Longest restart backoff.
const MAX_BACKOFF: Duration = Duration::from_secs(2);
/// Time a worker gets to exit after its stdin closes, and again after SIGTERM.
const EXIT_GRACE: Duration = Duration::from_secs(1);

/// How the pool starts and drives workers.
#[derive(Clone, Debug)]
pub struct PoolConfig {
    /// The astscan executable to run as `astscan worker`.
    pub exe: PathBuf,
    /// Per-file deadline.
    pub timeout: Duration,
    /// Address-space limit per worker in MiB (0: none).
    pub memory_limit_mb: u64,
    /// Ask workers for the AST dump.
    pub want_ast: bool,
    /// Depth cap of the AST dump.
    pub ast_max_depth: u32,
    /// The rules to evaluate (built-in and user rules after configuration), validated; sent
    /// to every worker after the session, so workers never load rules of their own.
    pub rules: Arc<Vec<crate::rules::Rule>>,
    /// Ask workers to measure each rule's cost (`--time-rules`).
    pub time_rules: bool,
    /// Where workers get the keys to open envelopes.
    pub keys: Keys,
    /// Niceness workers set for themselves (0: the parent's).
    pub nice: i32,
    /// How long a pool that gave up starting workers, or a language disabled after repeated
    /// crashes, stays so before it is tried again (`None`: for the pool's life, which for a
    /// direct scan is the scan). A long-running daemon must not lose a language for good to
    /// one hostile file.
    pub recover_after: Option<Duration>,
    /// Have workers compile a language's whole rule pack at its first file (long-lived
    /// workers) rather than the patterns each file needs (a scan's own workers).
    pub eager_rules: bool,
}

/// How workers get key material.
#[derive(Clone, Debug)]
pub enum Keys {
    /// The scan's session: workers receive its key over their stdin at start-up.
    Session(Arc<Sealer>),
    /// Workers hold no session key; every job carries its file's key (the daemon's workers
    /// serve many sessions).
    PerFile,
}

/// One file to analyse.
pub struct Job {
    /// Language to parse it as.
    pub language: Language,
    /// Path for messages.
    pub display_path: String,
    /// The file, sealed.
    pub envelope: Bytes,
    /// The envelope's key, for pools with [`Keys::PerFile`].
    pub file_key: Option<crate::seal::FileKey>,
}

/// What the pool says about one job.
pub enum JobResult {
    /// The worker parsed the file.
    Analyzed {
        /// Structure and metrics.
        analysis: Box<Analysis>,
        /// The AST dump, when asked for.
        ast: Option<Bytes>,
    },
    /// No analysis: the reason, and whether a worker crash or kill was behind it.
    Failed {
        /// What went wrong.
        reason: String,
        /// Machine-readable kind of failure.
        kind: FailureKind,
    },
}

/// Why a job failed: travels as a code in the protocol (never recognised by its wording).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The worker could not analyse the file (an unsupported language, a rule that cannot be
    /// evaluated, broken language data).
    #[default]
    Worker,
    /// The file's deadline passed: in the worker (parsing, analysis or a rule), or the
    /// parent's watchdog killed the worker.
    Timeout,
    /// The file's envelope was refused (forged, damaged, replayed, sealed for another session)
    /// or could not be sealed: nothing was opened.
    EnvelopeRejected,
    /// The worker died (crash, signal, out of memory) twice on this file.
    Crash,
    /// No worker could be started, or the language was disabled after repeated crashes.
    Unavailable,
    /// The scan was interrupted.
    Interrupted,
}

/// Counters for the report.
#[derive(Default, Debug)]
pub struct PoolStats {
    /// Workers started, including replacements.
    pub spawned: AtomicU64,
    /// Workers that died or were killed while working.
    pub restarts: AtomicU64,
}

/// State shared by all slots of a pool.
pub struct Pool {
    config: PoolConfig,
    /// Pids of live workers, so an interrupt can signal them all.
    live: Mutex<HashMap<u32, ()>>,
    /// Failed starts since the last successful one.
    start_failures: AtomicU32,
    /// Start failures and worker deaths since the last answered request: drives the backoff.
    failure_streak: AtomicU32,
    /// Why and since when the pool gave up starting workers.
    broken: Mutex<Option<(String, Instant)>>,
    /// Per language: worker deaths since a file of that language last parsed, and the last.
    language_crashes: Mutex<HashMap<Language, (u32, Instant)>>,
    cancelled: AtomicBool,
    next_id: AtomicU64,
    /// Counters for the report.
    pub stats: PoolStats,
}

/// A pool slot: at most one live worker, used for one request at a time.
pub struct Slot {
    pool: Arc<Pool>,
    worker: Option<Worker>,
}

impl Pool {
    /// A pool with no workers yet; slots start them on demand.
    pub fn new(config: PoolConfig) -> Arc<Pool> {
        Arc::new(Pool {
            config,
            live: Mutex::new(HashMap::new()),
            start_failures: AtomicU32::new(0),
            failure_streak: AtomicU32::new(0),
            broken: Mutex::new(None),
            language_crashes: Mutex::new(HashMap::new()),
            cancelled: AtomicBool::new(false),
            next_id: AtomicU64::new(1),
            stats: PoolStats::default(),
        })
    }

    /// A new slot of this pool.
    pub fn slot(self: &Arc<Self>) -> Slot {
        Slot {
            pool: Arc::clone(self),
            worker: None,
        }
    }

    /// Stops all work: live workers get SIGTERM now; [`Pool::kill_all`] finishes the job.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        self.signal_all(rustix::process::Signal::TERM);
    }

    /// Number of rules the workers evaluate.
    pub fn rule_count(&self) -> usize {
        self.config.rules.len()
    }

    /// Number of live workers.
    pub fn live_workers(&self) -> usize {
        lock(&self.live).len()
    }

    /// Why the pool gave up starting workers, if it did.
    pub fn broken_reason(&self) -> Option<String> {
        lock(&self.broken)
            .as_ref()
            .map(|(reason, _)| reason.clone())
    }

    /// Whether a state that began at `since` has lasted long enough to try again.
    fn recovered(&self, since: Instant) -> bool {
        self.config
            .recover_after
            .is_some_and(|after| since.elapsed() >= after)
    }

    /// Sends SIGKILL to every worker still alive.
    pub fn kill_all(&self) {
        self.signal_all(rustix::process::Signal::KILL);
    }

    fn signal_all(&self, signal: rustix::process::Signal) {
        let pids: Vec<u32> = lock(&self.live).keys().copied().collect();
        for pid in pids {
            if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
                // The worker may have exited in the meantime; that is fine.
                let _ = rustix::process::kill_process(pid, signal);
            }
        }
    }

    fn is_broken(&self) -> bool {
        lock(&self.broken).is_some()
    }

    fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    fn language_disabled(&self, language: Language) -> Option<String> {
        let mut crashes = lock(&self.language_crashes);
        let (count, last) = crashes.get(&language).copied()?;
        if count < MAX_LANGUAGE_CRASH_STREAK {
            return None;
        }
        if self.recovered(last) {
            crashes.remove(&language);
            return None;
        }
        Some(format!(
            "{language} parsing disabled after {count} worker crashes in a row"
        ))
    }

    fn note_success(&self, language: Language) {
        self.failure_streak.store(0, Ordering::SeqCst);
        lock(&self.language_crashes).remove(&language);
    }

    fn note_crash(&self, language: Language) {
        self.stats.restarts.fetch_add(1, Ordering::Relaxed);
        self.failure_streak.fetch_add(1, Ordering::SeqCst);
        let mut crashes = lock(&self.language_crashes);
        let entry = crashes.entry(language).or_insert((0, Instant::now()));
        *entry = (entry.0 + 1, Instant::now());
    }

    /// Starts a worker, after a backoff when the previous ones failed.
    async fn start_worker(&self) -> Result<Worker, String> {
        {
            let mut broken = lock(&self.broken);
            if let Some((reason, since)) = broken.clone() {
                if !self.recovered(since) {
                    return Err(reason);
                }
                // Time to try again, from a clean slate.
                *broken = None;
                self.start_failures.store(0, Ordering::SeqCst);
            }
        }
        let start_failures = self.start_failures.load(Ordering::SeqCst);
        if start_failures >= MAX_START_FAILURES {
            let reason = format!(
                "parser workers failed to start {start_failures} times in a row; giving up"
            );
            *lock(&self.broken) = Some((reason.clone(), Instant::now()));
            return Err(reason);
        }
        let failures = self.failure_streak.load(Ordering::SeqCst);
        if failures > 0 {
            let backoff = BASE_BACKOFF
                .saturating_mul(1 << (failures - 1).min(10))
                .min(MAX_BACKOFF);
            tokio::time::sleep(backoff).await;
        }
        match Worker::start(&self.config).await {
            Ok(worker) => {
                self.start_failures.store(0, Ordering::SeqCst);
                self.stats.spawned.fetch_add(1, Ordering::Relaxed);
                lock(&self.live).insert(worker.pid, ());
                Ok(worker)
            }
            Err(e) => {
                self.start_failures.fetch_add(1, Ordering::SeqCst);
                self.failure_streak.fetch_add(1, Ordering::SeqCst);
                Err(format!("could not start a parser worker: {e}"))
            }
        }
    }

    fn forget(&self, pid: u32) {
        lock(&self.live).remove(&pid);
    }
}

impl Slot {
    /// Analyses one file, replacing the worker and retrying once if it dies.
    pub async fn run(&mut self, job: &Job) -> JobResult {
        let pool = Arc::clone(&self.pool);
        let mut first_failure: Option<String> = None;
        loop {
            if pool.is_cancelled() {
                return failed("scan interrupted", FailureKind::Interrupted);
            }
            if let Some(reason) = pool.language_disabled(job.language) {
                return failed(reason, FailureKind::Unavailable);
            }
            let worker = match &mut self.worker {
                Some(w) => w,
                None => match pool.start_worker().await {
                    Ok(w) => self.worker.insert(w),
                    // A failed start is retried (with backoff) until the pool gives up.
                    Err(_) if !pool.is_broken() => continue,
                    Err(reason) => return failed(reason, FailureKind::Unavailable),
                },
            };
            let id = pool.next_id.fetch_add(1, Ordering::Relaxed);
            let deadline = backstop(pool.config.timeout);
            let outcome =
                tokio::time::timeout(deadline, worker.request(id, job, &pool.config)).await;
            let failure = match outcome {
                Ok(Ok((Outcome::Analyzed(analysis), ast))) => {
                    pool.note_success(job.language);
                    return JobResult::Analyzed {
                        analysis: Box::new(analysis),
                        ast,
                    };
                }
                Ok(Ok((Outcome::Failed { reason, kind }, _))) => {
                    pool.note_success(job.language);
                    return failed(reason, kind);
                }
                Ok(Err(e)) => WorkerFailure::Broken(e),
                Err(_) => WorkerFailure::Watchdog(pool.config.timeout),
            };
            // The worker is dead or must die: reap it and describe what happened.
            let Some(dead) = self.worker.take() else {
                return failed("worker vanished", FailureKind::Crash);
            };
            pool.forget(dead.pid);
            let watchdog = matches!(failure, WorkerFailure::Watchdog(_));
            let description = dead.reap(failure).await;
            if pool.is_cancelled() {
                return failed("scan interrupted", FailureKind::Interrupted);
            }
            pool.note_crash(job.language);
            match first_failure.take() {
                None => first_failure = Some(description),
                Some(first) => {
                    let kind = if watchdog {
                        FailureKind::Timeout
                    } else {
                        FailureKind::Crash
                    };
                    let reason = if first == description {
                        format!("{description} (twice)")
                    } else {
                        format!("{description} (retry); first attempt: {first}")
                    };
                    return failed(reason, kind);
                }
            }
        }
    }

    /// Shuts the slot's worker down gracefully: EOF on stdin, then SIGTERM, then SIGKILL.
    pub async fn shutdown(mut self) {
        self.stop_worker().await;
    }

    /// Stops the slot's worker, if it has one; the next job starts a fresh one (idle reaping
    /// and recycling in the daemon).
    pub async fn stop_worker(&mut self) {
        if let Some(worker) = self.worker.take() {
            self.pool.forget(worker.pid);
            worker.shutdown().await;
        }
    }

    /// The process id of the slot's worker, if one is running.
    pub fn worker_pid(&self) -> Option<u32> {
        self.worker.as_ref().map(|w| w.pid)
    }
}

fn failed(reason: impl Into<String>, kind: FailureKind) -> JobResult {
    JobResult::Failed {
        reason: reason.into(),
        kind,
    }
}

/// Why a request got no answer.
enum WorkerFailure {
    /// The stream broke: the worker exited, or sent something we do not understand.
    Broken(String),
    /// The watchdog fired.
    Watchdog(Duration),
}

/// A running `astscan worker` process.
struct Worker {
    child: Child,
    pid: u32,
    stdin: ChildStdin,
    frames: FramedRead<ChildStdout, FrameCodec>,
    stderr_tail: Arc<Mutex<VecDeque<u8>>>,
    stderr_task: JoinHandle<()>,
}

impl Worker {
    async fn start(config: &PoolConfig) -> Result<Worker, String> {
        let mut cmd = Command::new(&config.exe);
        cmd.arg("worker")
            .arg("--memory-limit-mb")
            .arg(config.memory_limit_mb.to_string())
            .arg("--parent-pid")
            .arg(std::process::id().to_string())
            .arg("--no-rules")
            .args(matches!(config.keys, Keys::PerFile).then_some("--file-keys"))
            .args(config.eager_rules.then_some("--eager-rules"))
            .args(
                (config.nice > 0)
                    .then(|| ["--nice".to_string(), config.nice.to_string()])
                    .into_iter()
                    .flatten(),
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group: a terminal's Ctrl-C reaches only the parent, which then
            // stops the workers in order (SIGTERM, then SIGKILL).
            .process_group(0)
            .env_remove("RUST_BACKTRACE")
            // Return freed pages to the system at once and commit arena memory lazily: a
            // worker that just freed a large tree should not keep it while its neighbour
            // parses the next one (about 20 MB of peak RSS on the benchmark corpus, no
            // measurable time). Allocator settings, not secrets.
            .env("MIMALLOC_PURGE_DELAY", "0")
            .env("MIMALLOC_ARENA_EAGER_COMMIT", "0")
            .kill_on_drop(true);
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("{}: {e}", config.exe.display()))?;
        let pid = child.id().unwrap_or(0);
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err("worker started without pipes".into());
        };
        let stderr_tail = Arc::new(Mutex::new(VecDeque::with_capacity(STDERR_TAIL_BYTES)));
        let stderr_task = tokio::spawn(keep_tail(stderr, Arc::clone(&stderr_tail)));
        let mut worker = Worker {
            child,
            pid,
            stdin,
            frames: FramedRead::with_capacity(stdout, FrameCodec::default(), 256 * 1024),
            stderr_tail,
            stderr_task,
        };
        let hello = tokio::time::timeout(HANDSHAKE_TIMEOUT, worker.frames.next()).await;
        let failure = match hello {
            Ok(Some(Ok(frame))) => match frame.message {
                Message::Hello {
                    protocol, build_id, ..
                } if protocol == PROTOCOL_VERSION && build_id == crate::BUILD_ID => {
                    let session = match &config.keys {
                        Keys::Session(sealer) => worker.send_session(sealer).await,
                        Keys::PerFile => Ok(()),
                    };
                    let sent = match session {
                        Ok(()) => worker.send_rules(&config.rules, config.time_rules).await,
                        Err(e) => Err(e),
                    };
                    match sent {
                        Ok(()) => return Ok(worker),
                        Err(e) => format!("sending the session to the worker: {e}"),
                    }
                }
                Message::Hello {
                    protocol, build_id, ..
                } => format!(
                    "worker speaks protocol {protocol} (build {build_id}); this astscan speaks {PROTOCOL_VERSION} (build {})",
                    crate::BUILD_ID
                ),
                other => format!("worker sent {other:?} instead of hello"),
            },
            Ok(Some(Err(e))) => format!("bad hello from worker: {e}"),
            Ok(None) => "worker exited during start-up".to_string(),
            Err(_) => format!(
                "worker did not say hello within {} s",
                HANDSHAKE_TIMEOUT.as_secs()
            ),
        };
        let description = worker.reap(WorkerFailure::Broken(failure)).await;
        Err(description)
    }

    /// Hands the worker the session key, the only key material it ever receives, over its
    /// private stdin pipe. The key goes from its zeroized home straight into the pipe.
    async fn send_session(&mut self, sealer: &Sealer) -> std::io::Result<()> {
        let key = sealer.session_key().expose_secret();
        let message = Message::Session {
            session_id: sealer.session_id().to_string(),
        };
        let head = protocol::frame_head(&message, key.len()).map_err(std::io::Error::other)?;
        self.stdin.write_all(&head).await?;
        self.stdin.write_all(key).await?;
        self.stdin.flush().await
    }

    /// Sends the rules to evaluate, if there are any.
    async fn send_rules(
        &mut self,
        rules: &[crate::rules::Rule],
        timing: bool,
    ) -> std::io::Result<()> {
        if rules.is_empty() {
            return Ok(());
        }
        let body = serde_json::to_vec(rules).map_err(std::io::Error::other)?;
        let head = protocol::frame_head(&Message::Rules { timing }, body.len())
            .map_err(std::io::Error::other)?;
        self.stdin.write_all(&head).await?;
        self.stdin.write_all(&body).await?;
        self.stdin.flush().await
    }

    /// Sends one request and waits for its result (and AST frame, when asked for).
    async fn request(
        &mut self,
        id: u64,
        job: &Job,
        config: &PoolConfig,
    ) -> Result<(Outcome, Option<Bytes>), String> {
        lock(&self.stderr_tail).clear();
        let key = match (&config.keys, &job.file_key) {
            (Keys::Session(_), _) => None,
            (Keys::PerFile, Some(key)) => Some(&key.expose_secret()[..]),
            (Keys::PerFile, None) => return Err("job without a file key".into()),
        };
        let message = Message::Analyze {
            id,
            language: job.language.name().to_string(),
            path: job.display_path.clone(),
            encoding: if key.is_some() {
                PayloadEncoding::SealedV1FileKey
            } else {
                PayloadEncoding::SealedV1
            },
            deadline_ms: config.timeout.as_millis() as u64,
            want_ast: config.want_ast,
            ast_max_depth: config.ast_max_depth,
            probed: false,
        };
        // The envelope is written straight from its buffer, not copied into a frame first;
        // a file key goes from its zeroized home straight into the private pipe.
        let key = key.unwrap_or(&[]);
        let head = protocol::frame_head(&message, key.len() + job.envelope.len())
            .map_err(|e| e.to_string())?;
        let write = async {
            self.stdin.write_all(&head).await?;
            self.stdin.write_all(key).await?;
            self.stdin.write_all(&job.envelope).await?;
            self.stdin.flush().await
        };
        write.await.map_err(|e| format!("writing to worker: {e}"))?;

        let mut ast = None;
        loop {
            let frame = match self.frames.next().await {
                Some(Ok(frame)) => frame,
                Some(Err(e)) => return Err(format!("bad frame from worker: {e}")),
                None => return Err("worker closed its output".to_string()),
            };
            match frame.message {
                Message::Ast { id: got } if got == id => ast = Some(frame.payload),
                Message::Result { id: got, .. } if got == id => {
                    let outcome: Outcome = serde_json::from_slice(&frame.payload)
                        .map_err(|e| format!("bad result from worker: {e}"))?;
                    return Ok((outcome, ast));
                }
                Message::Error { message, .. } => return Err(format!("worker error: {message}")),
                other => return Err(format!("unexpected message from worker: {other:?}")),
            }
        }
    }

    /// Kills (if needed) and waits for a failed worker; returns a description for the report.
    async fn reap(mut self, failure: WorkerFailure) -> String {
        let _ = self.child.start_kill();
        let status = self.child.wait().await.ok();
        // Let the stderr reader drain what the worker wrote before it died.
        let _ = tokio::time::timeout(Duration::from_millis(500), &mut self.stderr_task).await;
        let what = match failure {
            WorkerFailure::Watchdog(timeout) => {
                format!(
                    "worker killed: no answer {:.1} s after the {:.1} s deadline started",
                    backstop(timeout).as_secs_f64(),
                    timeout.as_secs_f64()
                )
            }
            WorkerFailure::Broken(detail) => match status {
                Some(status) => format!("worker {} ({detail})", describe_exit(status)),
                None => format!("worker failed ({detail})"),
            },
        };
        let tail = stderr_excerpt(&lock(&self.stderr_tail));
        if tail.is_empty() {
            what
        } else {
            format!("{what}; stderr: {tail}")
        }
    }

    /// Graceful stop: EOF on stdin, then SIGTERM, then SIGKILL, always reaped.
    async fn shutdown(mut self) {
        drop(self.stdin);
        if tokio::time::timeout(EXIT_GRACE, self.child.wait())
            .await
            .is_ok()
        {
            return;
        }
        if let Some(pid) = rustix::process::Pid::from_raw(self.pid as i32) {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        }
        if tokio::time::timeout(EXIT_GRACE, self.child.wait())
            .await
            .is_ok()
        {
            return;
        }
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

/// Reads a child's stderr to the end, keeping only the last [`STDERR_TAIL_BYTES`].
async fn keep_tail(mut stderr: tokio::process::ChildStderr, tail: Arc<Mutex<VecDeque<u8>>>) {
    let mut buf = [0u8; 4096];
    loop {
        match stderr.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                let mut tail = lock(&tail);
                tail.extend(&buf[..n]);
                let excess = tail.len().saturating_sub(STDERR_TAIL_BYTES);
                tail.drain(..excess);
            }
        }
    }
}

/// The last few non-empty stderr lines, joined, for a one-line failure reason.
fn stderr_excerpt(tail: &VecDeque<u8>) -> String {
    let bytes: Vec<u8> = tail.iter().copied().collect();
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let start = lines.len().saturating_sub(3);
    lines[start..].join(" | ")
}

/// "exited with status 3", "was killed by signal 9 (SIGKILL)".
fn describe_exit(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exited with status {code}");
    }
    match status.signal() {
        Some(sig) => {
            let name = match sig {
                6 => " (SIGABRT)",
                9 => " (SIGKILL)",
                11 => " (SIGSEGV)",
                15 => " (SIGTERM)",
                7 => " (SIGBUS)",
                _ => "",
            };
            format!("was killed by signal {sig}{name}")
        }
        None => "exited".to_string(),
    }
}
