//! The direct-mode scan pipeline: walk and read on one thread, parse in a pool of worker
//! processes, report in walk order.
//!
//! ```text
//! walk+read thread ──► lookup stage ──jobs (bounded)──► N slots: a Backend each ──┐
//!   (read, hash)      (result cache,    (misses,          (own workers, or the     │
//!                      batched; hits ─┐  sealed)           daemon with fallback)   │
//!        └──────── skipped/failed ────┴────────────────────────────────────────────┴─► events
//!                                                        (bounded) ─► reorder ─► reporter
//! ```
//! Who answers a file is a [`backend::Backend`]; the stage and the store after parsing are the
//! result cache's two halves (`backend::ResultCache`, `backend::Cached`). Without a result
//! cache the walk seals files itself and sends them straight to the slots.
//! Every queue is bounded, so memory depends on `--jobs` and the file size limit, not on the
//! size of the repository. Records carry the walk's sequence number; the collector holds back
//! early finishers until their predecessors arrive, so output order is deterministic.
//!
//! Before the walk proper, a walk that only looks at sizes picks the largest files (at most
//! [`LARGE_FIRST`] of at least [`LARGE_FILE`] bytes) and sends them first, under provisional
//! sequence numbers that the walk later maps to their places: parsing an 8 MiB bundle takes
//! a second, and met at the end of the walk it would keep one worker busy while the others
//! sit idle. A file gone between the two walks is not an input (its early result is dropped).
//!
//! With `--shard I/N` both walks (and git's list) drop the inputs of other shards before
//! anything of them is read ([`crate::shard`]): a shard reads and reports its own share only.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use indicatif::ProgressBar;
use tokio::sync::mpsc;

mod backend;

use crate::analysis::ParseStatus;
use crate::cache::store::Tiered;
use crate::lang::Language;
use crate::pool::{FailureKind, Job, JobResult, Pool, PoolConfig};
use crate::report::{FileReport, FileStatus, ParseReport, Reason, ReasonCode, Reporter, Summary};
use crate::source::{self, Gates};
use crate::walk::{self, Input, WalkOptions};
use backend::{
    Answer, Backend, CacheWriter, Cached, DaemonWithFallback, Fallback, LocalPool, ResultCache,
};

/// Files read ahead of the workers, per worker: enough to keep every worker busy, few enough
/// that at most `2 × jobs × max-file-size` bytes wait in memory.
const READ_AHEAD_PER_WORKER: usize = 2;
/// Finished records waiting for the reporter.
const EVENT_QUEUE: usize = 256;
/// Files at least this large are sent to the workers before the walk proper ...
const LARGE_FILE: u64 = 256 * 1024;
/// ... the largest this many of them, largest first: one huge file met at the end of a walk
/// would otherwise keep one worker busy while the others sit idle.
const LARGE_FIRST: usize = 32;
/// Sequence numbers from here up are provisional: large files sent ahead of the walk.
const EARLY_SEQ: u64 = 1 << 62;
/// How long in-flight work gets to wind down after an interrupt before workers are killed.
const INTERRUPT_GRACE: Duration = Duration::from_secs(2);

/// Everything a scan needs.
#[derive(Clone, Debug)]
pub struct ScanConfig {
    /// Which files.
    pub walk: WalkOptions,
    /// Size and content gates.
    pub gates: Gates,
    /// Number of worker processes.
    pub jobs: usize,
    /// How workers run.
    pub pool: PoolConfig,
    /// Show `src/a.py` rather than `./src/a.py` when the walk root was the implicit `.`.
    pub strip_dot_prefix: bool,
    /// The lowest finding severity that fails the scan (`None`: findings never do).
    pub fail_threshold: Option<crate::rules::Severity>,
    /// Findings to treat as accepted.
    pub baseline: Option<std::sync::Arc<std::sync::Mutex<crate::report::baseline::Baseline>>>,
    /// Where to write a baseline of this scan's findings.
    pub write_baseline: Option<std::path::PathBuf>,
    /// The root a written baseline names files relative to (with `write_baseline`).
    pub baseline_root: Option<crate::report::root::PathRoot>,
    /// The session files are sealed for (replaced by the daemon's when one serves the scan).
    pub sealer: Arc<crate::seal::Sealer>,
    /// Whether to send files to the daemon.
    pub daemon: crate::cli::DaemonMode,
    /// The daemon's socket (`None`: the default path).
    pub socket: Option<std::path::PathBuf>,
    /// The result cache's tiers, for direct scans (none: `--no-cache`).
    pub cache: Tiered,
    /// Where the inputs come from.
    pub inputs: Inputs,
    /// Only the inputs of this shard (`--shard I/N`); the others are neither read nor reported.
    pub shard: Option<crate::shard::Filter>,
}

/// Where a scan's inputs come from.
#[derive(Clone, Debug, Default)]
pub enum Inputs {
    /// Walking `walk.paths`.
    #[default]
    Walk,
    /// A list from git: paths relative to `root`; content from the index (`--staged`) or the
    /// working tree (`--diff`).
    Git {
        /// The repository's root.
        root: std::path::PathBuf,
        /// The changed paths.
        changes: Vec<crate::git::Change>,
        /// Read content from the index.
        index: bool,
    },
    /// One file's content from standard input (`analyze --stdin-filename NAME -`).
    Stdin {
        /// The name it is reported under; its extension chooses the language.
        name: std::path::PathBuf,
        /// The content, read up to one byte past the size limit.
        content: Vec<u8>,
    },
}

/// How a scan ended.
#[derive(Debug)]
pub struct ScanOutcome {
    /// Totals.
    pub summary: Summary,
    /// The signal that interrupted the scan, if one did (the report is then unfinished).
    pub interrupted_by: Option<i32>,
    /// What stopped the walk part-way, if something did (the report is finished, and says so
    /// in `summary.incomplete`).
    pub incomplete: Option<ScanError>,
}

/// Errors that end a scan early.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The walk could not start (e.g. a bad `--exclude` glob).
    #[error(transparent)]
    Walk(#[from] walk::WalkError),
    /// Writing the report failed (a closed pipe included).
    #[error("writing the report: {0}")]
    Output(#[from] io::Error),
    /// The async runtime or signal handling could not be set up.
    #[error("setting up the scan: {0}")]
    Setup(String),
    /// `--daemon always`, and the daemon cannot be used.
    #[error("{0}")]
    Daemon(String),
    /// Reading the staged files failed.
    #[error(transparent)]
    Git(#[from] crate::git::GitError),
}

/// A file read and waiting for a runner.
struct Pending {
    seq: u64,
    /// The path as reports show it (before escaping).
    path: PathBuf,
    language: Language,
    size: u64,
    sha256: String,
    body: Body,
    /// Where to store the result (direct scans with the cache on).
    cache_key: Option<crate::cache::Key>,
}

/// A file's content on its way to a runner.
enum Body {
    /// Sealed: by the walk thread in direct mode without a result cache, where every file goes
    /// to a worker; by the lookup stage for a cache miss.
    Sealed(Bytes),
    /// Sealed only if needed: a re-scan answers most files by content hash alone (from the
    /// result cache, or the daemon's), and only a miss is sealed and sent.
    Unsealed {
        bytes: Bytes,
        sha256: [u8; 32],
        sealer: Arc<crate::seal::Sealer>,
    },
}

impl Pending {
    /// The same file with its content sealed (the plaintext is dropped); the file's record,
    /// failed, when it cannot be sealed.
    fn sealed(self) -> Result<Pending, Box<FileReport>> {
        let Body::Unsealed {
            bytes,
            sha256,
            sealer,
        } = self.body
        else {
            return Ok(self);
        };
        match sealer.seal_prehashed(&bytes, sha256) {
            Ok(envelope) => Ok(Pending {
                body: Body::Sealed(Bytes::from(envelope)),
                ..self
            }),
            Err(e) => {
                let mut report = FileReport::not_analyzed(
                    &self.path,
                    Reason::new(ReasonCode::EnvelopeRejected, format!("cannot seal: {e}")),
                );
                report.language = Some(self.language);
                report.bytes = Some(self.size);
                Err(Box::new(report))
            }
        }
    }

    /// The job for a worker, sealing the content if the walk thread did not.
    fn job(&self) -> Result<Job, JobResult> {
        let envelope = match &self.body {
            Body::Sealed(envelope) => envelope.clone(),
            Body::Unsealed {
                bytes,
                sha256,
                sealer,
            } => match sealer.seal_prehashed(bytes, *sha256) {
                Ok(envelope) => Bytes::from(envelope),
                Err(e) => {
                    return Err(JobResult::Failed {
                        reason: format!(
                            "envelope of {} could not be sealed: {e}",
                            crate::pathfmt::escape(&self.path)
                        ),
                        kind: FailureKind::EnvelopeRejected,
                    });
                }
            },
        };
        Ok(Job {
            language: self.language,
            display_path: crate::pathfmt::escape(&self.path),
            envelope,
            file_key: None,
        })
    }
}

/// What the collector receives.
// Nearly every record is a file: boxing them to shrink the rare `Renumber` buys nothing.
#[allow(clippy::large_enum_variant)]
enum Record {
    /// A finished file.
    File(Event),
    /// The file sent early under sequence number `provisional` is the walk's `seq`.
    Renumber { provisional: u64, seq: u64 },
}

/// A finished record on its way to the reporter.
struct Event {
    seq: u64,
    report: FileReport,
    ast: Option<Bytes>,
    /// Per-rule costs measured by the worker (`--time-rules`).
    rule_times: Vec<crate::rules::engine::RuleTime>,
}

/// Runs a scan, feeding `reporter`; returns the summary once every input is reported, or
/// early after a signal `interrupts` caught (the report is then left unfinished).
pub fn run(
    config: ScanConfig,
    reporter: &mut dyn Reporter,
    progress: ProgressBar,
    interrupts: &crate::interrupt::Interrupts,
) -> Result<ScanOutcome, ScanError> {
    // One thread drives the pool: the parent only shuffles bytes, the workers do the parsing.
    // A current-thread runtime also keeps every worker's parent-death signal tied to the main
    // thread, which lives as long as the scan.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ScanError::Setup(e.to_string()))?;
    runtime.block_on(scan(config, reporter, progress, interrupts))
}

async fn scan(
    mut config: ScanConfig,
    reporter: &mut dyn Reporter,
    progress: ProgressBar,
    interrupts: &crate::interrupt::Interrupts,
) -> Result<ScanOutcome, ScanError> {
    let started = Instant::now();
    // Refuse bad options before the report has begun, so stdout never holds half a report.
    walk::check(&config.walk)?;
    let remote = connect_daemon(&mut config).await?;
    let stop = interrupts.stop_flag();
    let interrupted = interrupts.notify();

    let cache = match (&config.cache, &remote) {
        (store, None) if !store.is_empty() => crate::cache::options_fingerprint(
            &config.pool.rules,
            config.pool.timeout.as_millis() as u64,
            config.pool.memory_limit_mb,
        )
        .ok()
        .map(|options| {
            Arc::new(ResultCache {
                store: store.clone(),
                options,
            })
        }),
        _ => None,
    };
    // Results are written by their own thread: file creation and renames stay off the
    // thread that drives the workers.
    let (cache_tx, cache_writer) = match &cache {
        Some(c) => {
            let (writer, thread) =
                CacheWriter::start(Arc::clone(c)).map_err(|e| ScanError::Setup(e.to_string()))?;
            (Some(writer), Some(thread))
        }
        None => (None, None),
    };

    let pool = Pool::new(config.pool.clone());
    let (job_tx, job_rx) = async_channel::bounded::<Pending>(config.jobs * READ_AHEAD_PER_WORKER);
    let (event_tx, mut event_rx) = mpsc::channel::<Record>(EVENT_QUEUE);

    let fallback = Arc::new(Fallback {
        pool: Arc::clone(&pool),
        slots: std::sync::Mutex::new(Vec::new()),
        permits: tokio::sync::Semaphore::new(config.jobs),
        warned: AtomicBool::new(false),
        always: config.daemon == crate::cli::DaemonMode::Always,
    });
    let mut slots = Vec::with_capacity(config.jobs);
    match &remote {
        None => {
            for _ in 0..config.jobs {
                let local = LocalPool::new(pool.slot());
                let slot = match &cache_tx {
                    Some(writer) => tokio::spawn(slot_loop(
                        Cached::new(local, writer.clone()),
                        job_rx.clone(),
                        event_tx.clone(),
                    )),
                    None => tokio::spawn(slot_loop(local, job_rx.clone(), event_tx.clone())),
                };
                slots.push(slot);
            }
        }
        Some(conn) => {
            for _ in 0..DAEMON_IN_FLIGHT {
                let daemon = DaemonWithFallback {
                    conn: Arc::clone(conn),
                    fallback: Arc::clone(&fallback),
                    deadline: config.pool.timeout,
                };
                slots.push(tokio::spawn(slot_loop(
                    daemon,
                    job_rx.clone(),
                    event_tx.clone(),
                )));
            }
        }
    }
    let (walk_done_tx, walk_done_rx) = tokio::sync::oneshot::channel();
    let producer = {
        let stop = Arc::clone(&stop);
        let event_tx = event_tx.clone();
        let progress = progress.clone();
        let config = config.clone();
        let seal = remote.is_none();
        // With a result cache, lookups (and the sealing of misses) run on a thread of their
        // own, between the walk and the workers: the walk only reads and hashes, and a slow
        // tier never holds it up.
        let stage = match &cache {
            Some(c) => {
                let (tx, rx) = std::sync::mpsc::sync_channel::<Pending>(LOOKUP_QUEUE);
                let c = Arc::clone(c);
                let jobs = job_tx.clone();
                let events = event_tx.clone();
                std::thread::Builder::new()
                    .name("astscan-lookup".into())
                    .spawn(move || lookup_stage(&c, rx, &jobs, &events))
                    .map_err(|e| ScanError::Setup(e.to_string()))?;
                Some(tx)
            }
            None => None,
        };
        let cache = cache.clone();
        std::thread::Builder::new()
            .name("astscan-walk".into())
            .spawn(move || {
                let result = produce(
                    &config,
                    seal,
                    cache.as_deref().zip(stage.as_ref()),
                    &stop,
                    &job_tx,
                    &event_tx,
                    &progress,
                );
                let _ = walk_done_tx.send(result);
            })
            .map_err(|e| ScanError::Setup(e.to_string()))?
    };
    drop(event_tx);
    drop(job_rx);
    drop(cache_tx);

    let mut summary = Summary {
        fail_threshold: config.fail_threshold,
        ..Summary::default()
    };
    let mut next = 0u64;
    let mut held: BTreeMap<u64, Event> = BTreeMap::new();
    // Large files sent ahead of the walk, until the walk says where they belong.
    let mut early: HashMap<u64, Event> = HashMap::new();
    let mut placed: HashMap<u64, u64> = HashMap::new();
    let mut output_error = None;
    let mut rule_times = crate::rules::timing::Totals::default();
    let mut baseline_writer = config
        .write_baseline
        .as_ref()
        .and(config.baseline_root.clone())
        .map(crate::report::baseline::BaselineWriter::new);
    reporter.begin()?;
    loop {
        tokio::select! {
            record = event_rx.recv() => {
                match record {
                    None => break,
                    Some(Record::File(mut event)) if event.seq >= EARLY_SEQ => {
                        match placed.remove(&event.seq) {
                            Some(seq) => {
                                event.seq = seq;
                                held.insert(seq, event);
                            }
                            None => {
                                early.insert(event.seq, event);
                            }
                        }
                    }
                    Some(Record::File(event)) => {
                        held.insert(event.seq, event);
                    }
                    Some(Record::Renumber { provisional, seq }) => match early.remove(&provisional) {
                        Some(mut event) => {
                            event.seq = seq;
                            held.insert(seq, event);
                        }
                        None => {
                            placed.insert(provisional, seq);
                        }
                    },
                }
                while let Some(mut event) = held.remove(&next) {
                    next += 1;
                    if let Some(baseline) = &config.baseline {
                        baseline.lock().unwrap_or_else(|e| e.into_inner()).apply(&mut event.report);
                    }
                    if let Some(writer) = &mut baseline_writer {
                        writer.add(&event.report);
                    }
                    summary.add(&event.report);
                    rule_times.add(&event.rule_times);
                    progress.inc(1);
                    progress.set_message(format!("{:.1} MB", summary.bytes as f64 / 1e6));
                    if let Err(e) = reporter.file(&event.report, event.ast.as_deref()) {
                        output_error = Some(e);
                        break;
                    }
                }
                if output_error.is_some() {
                    break;
                }
            }
            _ = interrupted.notified() => break,
        }
    }

    let interrupted_by = interrupts.signal();
    if interrupted_by.is_some() || output_error.is_some() {
        // Stop reading, fail what is queued, and get the workers down: TERM now, KILL later.
        stop.store(true, Ordering::SeqCst);
        pool.cancel();
        event_rx.close();
        let drain = async {
            while event_rx.recv().await.is_some() {}
            for slot in slots.drain(..) {
                let _ = slot.await;
            }
        };
        if tokio::time::timeout(INTERRUPT_GRACE, drain).await.is_err() {
            pool.kill_all();
        }
    } else {
        for slot in slots.drain(..) {
            let _ = slot.await;
        }
    }
    let _ = producer.join();
    if let Some(writer) = cache_writer {
        let _ = writer.join();
    }
    if let Some(c) = &cache {
        c.store.maintain();
    }
    let spare: Vec<crate::pool::Slot> = fallback
        .slots
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .drain(..)
        .collect();
    for slot in spare {
        slot.shutdown().await;
    }
    if let Some(conn) = &remote {
        conn.close().await;
    }
    let walk_result = walk_done_rx.await.unwrap_or(Ok(()));
    progress.finish_and_clear();
    if let Some(e) = output_error {
        return Err(ScanError::Output(e));
    }
    // A walk that failed part-way still gets a finished report of the files it did see, marked
    // incomplete: a consumer must be able to read it, and to tell it from a whole scan.
    let incomplete = walk_result.err();
    summary.incomplete = incomplete.as_ref().map(ToString::to_string);

    summary.workers_started = pool.stats.spawned.load(Ordering::Relaxed);
    summary.worker_restarts = pool.stats.restarts.load(Ordering::Relaxed);
    summary.rule_times = rule_times.into_sorted();
    summary.remote = cache.as_ref().and_then(|c| c.store.remote_stats());
    summary.finish(started.elapsed());
    // A baseline of part of the files would forget the accepted findings of the others.
    if let (Some(writer), Some(path), None, None) = (
        baseline_writer,
        &config.write_baseline,
        interrupted_by,
        &incomplete,
    ) {
        writer.write(path)?;
    }
    if interrupted_by.is_none() {
        reporter.finish(&summary)?;
    }
    Ok(ScanOutcome {
        summary,
        interrupted_by,
        incomplete,
    })
}

/// Files looked up in the result cache at once, at most: what the walk has queued.
const LOOKUP_BATCH: usize = 64;
/// Files read and hashed, waiting for their lookup.
const LOOKUP_QUEUE: usize = 128;

/// Between the walk and the workers when a result cache is on: looks the queued files up in
/// one batch (a network tier answers it in one round trip), reports the hits, seals the
/// misses and hands them to the workers. Ends when the walk is done or the scan stops.
fn lookup_stage(
    cache: &ResultCache,
    queue: std::sync::mpsc::Receiver<Pending>,
    jobs: &async_channel::Sender<Pending>,
    events: &mpsc::Sender<Record>,
) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < LOOKUP_BATCH {
            match queue.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let keys: Vec<crate::cache::Key> = batch
            .iter()
            .map(|p| p.cache_key.unwrap_or_default())
            .collect();
        let found = cache.lookup_many(&keys);
        for (pending, hit) in batch.into_iter().zip(found) {
            let sent = match hit {
                Some(answer) => {
                    let (mut report, _) = record(
                        &pending.path,
                        pending.language,
                        pending.size,
                        pending.sha256,
                        answer.result,
                    );
                    report.backend = Some(answer.served_by);
                    send_event(events, pending.seq, report)
                }
                None => {
                    let seq = pending.seq;
                    match pending.sealed() {
                        Ok(sealed) => jobs.send_blocking(sealed).is_ok(),
                        Err(report) => send_event(events, seq, *report),
                    }
                }
            };
            if !sent {
                return;
            }
        }
    }
}

/// The walk-and-read thread: emits jobs for source files, records for everything else.
/// `seal`: seal here (direct mode) rather than in the runner. `cache`: the result cache and
/// the queue of its lookup stage, where files go instead (see [`lookup_stage`]).
fn produce(
    config: &ScanConfig,
    seal: bool,
    cache: Option<(&ResultCache, &std::sync::mpsc::SyncSender<Pending>)>,
    stop: &AtomicBool,
    jobs: &async_channel::Sender<Pending>,
    events: &mpsc::Sender<Record>,
    progress: &ProgressBar,
) -> Result<(), ScanError> {
    // One file to analyse, under sequence number `this`; `content` is already loaded for
    // inputs that do not come from a file.
    let submit = |this: u64,
                  path: std::path::PathBuf,
                  language: Language,
                  content: Option<Result<source::Loaded, source::NotLoaded>>| {
        let shown = shown(&path, config.strip_dot_prefix);
        let content = content.unwrap_or_else(|| source::load(&path, config.gates));
        match content {
            Ok(loaded) if !seal => jobs
                .send_blocking(Pending {
                    seq: this,
                    path: shown,
                    language,
                    size: loaded.bytes.len() as u64,
                    sha256: loaded.sha256,
                    body: Body::Unsealed {
                        bytes: loaded.bytes,
                        sha256: loaded.sha256_bytes,
                        sealer: Arc::clone(&config.sealer),
                    },
                    cache_key: None,
                })
                .is_ok(),
            Ok(loaded) if let Some((c, lookups)) = cache => lookups
                .send(Pending {
                    seq: this,
                    path: shown,
                    language,
                    size: loaded.bytes.len() as u64,
                    sha256: loaded.sha256,
                    cache_key: Some(c.key(&loaded.sha256_bytes, language)),
                    body: Body::Unsealed {
                        bytes: loaded.bytes,
                        sha256: loaded.sha256_bytes,
                        sealer: Arc::clone(&config.sealer),
                    },
                })
                .is_ok(),
            Ok(loaded) => {
                let size = loaded.bytes.len() as u64;
                // The plaintext goes no further than this thread: workers get the envelope.
                let sealed = config
                    .sealer
                    .seal_prehashed(&loaded.bytes, loaded.sha256_bytes);
                drop(loaded.bytes);
                match sealed {
                    Ok(envelope) => jobs
                        .send_blocking(Pending {
                            seq: this,
                            path: shown,
                            language,
                            size,
                            sha256: loaded.sha256,
                            body: Body::Sealed(Bytes::from(envelope)),
                            cache_key: None,
                        })
                        .is_ok(),
                    Err(e) => {
                        let mut report = FileReport::not_analyzed(
                            &shown,
                            Reason::new(ReasonCode::EnvelopeRejected, format!("cannot seal: {e}")),
                        );
                        report.language = Some(language);
                        report.bytes = Some(size);
                        send_event(events, this, report)
                    }
                }
            }
            Err(not) => {
                let mut report = FileReport::not_analyzed(&shown, not.reason);
                report.language = Some(language);
                report.bytes = not.size;
                report.sha256 = not.sha256;
                send_event(events, this, report)
            }
        }
    };
    let early = match &config.inputs {
        Inputs::Walk => {
            let (early, inputs) = large_files(config, stop);
            crate::progress::total_known(progress, inputs);
            early
        }
        // At most this many: paths that are not source code are not inputs.
        Inputs::Git { changes, .. } => {
            crate::progress::total_known(progress, changes.len() as u64);
            Vec::new()
        }
        Inputs::Stdin { .. } => {
            crate::progress::total_known(progress, 1);
            Vec::new()
        }
    };
    let mut early_seq: HashMap<std::path::PathBuf, u64> = HashMap::new();
    for (i, (path, language)) in early.into_iter().enumerate() {
        if stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        let provisional = EARLY_SEQ + i as u64;
        if !submit(provisional, path.clone(), language, None) {
            return Ok(());
        }
        early_seq.insert(path, provisional);
    }
    let mut seq = 0u64;
    let mut shard = config.shard.clone();
    // One input of the walk (or of git's list).
    let mut handle = |input: Input, content: Option<Result<source::Loaded, source::NotLoaded>>| {
        if stop.load(Ordering::SeqCst) {
            return false;
        }
        // Another shard's input: not counted and not read.
        if let Some(filter) = &mut shard
            && !filter.takes(&shown(input.path(), config.strip_dot_prefix))
        {
            return true;
        }
        let this = seq;
        seq += 1;
        if let Input::Source { path, .. } = &input
            && let Some(provisional) = early_seq.remove(path)
        {
            return events
                .blocking_send(Record::Renumber {
                    provisional,
                    seq: this,
                })
                .is_ok();
        }
        // More inputs than the size walk counted: files created between the two walks.
        if progress.length().is_some_and(|len| len <= this) {
            progress.set_length(this + 1);
        }
        let (path, language) = match input {
            Input::NotAnalyzed { path, reason } => {
                if reason.code == ReasonCode::NotFound {
                    eprintln!(
                        "astscan: {}: {}",
                        crate::pathfmt::escape(&path),
                        reason.message
                    );
                }
                let report =
                    FileReport::not_analyzed(&shown(&path, config.strip_dot_prefix), reason);
                return send_event(events, this, report);
            }
            Input::Source { path, language } => (path, language),
        };
        submit(this, path, language, content)
    };
    match &config.inputs {
        Inputs::Walk => walk::walk(
            &config.walk,
            |input| handle(input, None),
            |warning| {
                eprintln!(
                    "astscan: warning: {}",
                    crate::pathfmt::escape_text(&warning)
                )
            },
        )?,
        Inputs::Git {
            root,
            changes,
            index,
        } => git_inputs(config, root, changes, *index, &mut handle)?,
        Inputs::Stdin { name, content } => stdin_input(config, name, content, &mut handle)?,
    }
    // Exact now (the size walk may have counted files that were gone by this walk).
    crate::progress::total_known(progress, seq);
    Ok(())
}

/// Feeds the file read from standard input to `handle`: judged by its name and first line
/// like a file named on the command line, and reported (skipped, with the reason) when it is
/// not one astscan parses, since it was asked for.
fn stdin_input(
    config: &ScanConfig,
    name: &Path,
    content: &[u8],
    handle: &mut impl FnMut(Input, Option<Result<source::Loaded, source::NotLoaded>>) -> bool,
) -> Result<(), ScanError> {
    let mut named = walk::NamedFilter::for_git_list(&config.walk)?;
    let abs = std::env::current_dir()
        .map(|cwd| cwd.join(name))
        .unwrap_or_else(|_| name.to_path_buf());
    let first_line = content.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let (input, loaded) = match named.judge(&config.walk, &abs, Some(first_line)) {
        Ok(language) => {
            let loaded = if content.len() as u64 > config.gates.max_file_size {
                Err(source::NotLoaded::too_large(
                    content.len() as u64,
                    config.gates,
                ))
            } else {
                source::from_bytes(content.to_vec(), config.gates)
            };
            let input = Input::Source {
                path: name.to_path_buf(),
                language,
            };
            (input, Some(loaded))
        }
        Err(reason) => {
            let input = Input::NotAnalyzed {
                path: name.to_path_buf(),
                reason,
            };
            (input, None)
        }
    };
    handle(input, loaded);
    Ok(())
}

/// The [`LARGE_FIRST`] largest source files of the walk of at least [`LARGE_FILE`] bytes,
/// largest first, found by walking once without reading, and the number of inputs of that
/// walk (the progress bar's total). Anything odd (an unreadable directory, a file gone) is
/// left for the walk proper to report.
fn large_files(
    config: &ScanConfig,
    stop: &AtomicBool,
) -> (Vec<(std::path::PathBuf, Language)>, u64) {
    let mut large: Vec<(u64, std::path::PathBuf, Language)> = Vec::new();
    let mut inputs = 0u64;
    let mut shard = config.shard.clone();
    let _ = walk::walk(
        &config.walk,
        |input| {
            if let Some(filter) = &mut shard
                && !filter.takes(&shown(input.path(), config.strip_dot_prefix))
            {
                return !stop.load(Ordering::SeqCst);
            }
            inputs += 1;
            if let Input::Source { path, language } = input {
                let size = std::fs::metadata(&path).map_or(0, |m| m.len());
                if size >= LARGE_FILE && size <= config.gates.max_file_size {
                    large.push((size, path, language));
                    if large.len() > 4 * LARGE_FIRST {
                        large.sort_by_key(|l| std::cmp::Reverse(l.0));
                        large.truncate(LARGE_FIRST);
                    }
                }
            }
            !stop.load(Ordering::SeqCst)
        },
        |_| {},
    );
    large.sort_by_key(|l| std::cmp::Reverse(l.0));
    large.truncate(LARGE_FIRST);
    let large = large
        .into_iter()
        .map(|(_, path, language)| (path, language))
        .collect();
    (large, inputs)
}

/// Feeds the files git listed to `handle`, in path order, with their index content when
/// `index` is set. Files that are not source code (or not a selected language) are not
/// inputs, as in a walk; every other listed path is reported.
fn git_inputs(
    config: &ScanConfig,
    root: &Path,
    changes: &[crate::git::Change],
    index: bool,
    handle: &mut impl FnMut(Input, Option<Result<source::Loaded, source::NotLoaded>>) -> bool,
) -> Result<(), ScanError> {
    use crate::git::Entry;
    let mut named = walk::NamedFilter::for_git_list(&config.walk)?;
    let mut blobs = if index {
        Some(crate::git::Blobs::new(root)?)
    } else {
        None
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| root.to_path_buf());
    let mut shard = config.shard.clone();
    for change in changes {
        let abs = root.join(&change.path);
        // Relative to where astscan runs when that is inside the repository.
        let shown = abs
            .strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| abs.clone());
        // Decided before the index is read: another shard's blobs stay unread.
        if let Some(filter) = &mut shard
            && !filter.takes(&shown)
        {
            continue;
        }
        let not_analyzed = |reason: Reason| Input::NotAnalyzed {
            path: shown.clone(),
            reason,
        };
        let skip = |code: ReasonCode, why: &str| not_analyzed(Reason::new(code, why));
        let source_input = |language: Language| Input::Source {
            path: shown.clone(),
            language,
        };
        let (input, content) = match (&change.entry, blobs.as_mut()) {
            (Entry::Submodule, _) => (
                skip(
                    ReasonCode::Submodule,
                    "a git submodule: scan it in its own repository",
                ),
                None,
            ),
            (Entry::Unmerged, _) => (
                skip(
                    ReasonCode::Unmerged,
                    "unmerged: resolve the conflict and stage the result",
                ),
                None,
            ),
            (Entry::Symlink, _) => (
                skip(
                    ReasonCode::NotRegularFile,
                    "a symbolic link, not a regular file",
                ),
                None,
            ),
            (Entry::File { blob }, Some(blobs)) => {
                let (size, bytes) = blobs.read(blob, config.gates.max_file_size)?;
                let first_line = bytes.as_deref().unwrap_or(&[]);
                match named.judge(&config.walk, &abs, Some(first_line)) {
                    Ok(language) => {
                        let content = match bytes {
                            Some(bytes) => source::from_bytes(bytes, config.gates),
                            None => Err(source::NotLoaded::too_large(size, config.gates)),
                        };
                        (source_input(language), Some(content))
                    }
                    Err(reason) if is_not_source(&reason) => continue,
                    Err(reason) => (not_analyzed(reason), None),
                }
            }
            (Entry::File { .. }, None) => match std::fs::symlink_metadata(&abs) {
                Ok(meta) if !meta.is_file() => continue,
                _ => match named.judge(&config.walk, &abs, None) {
                    Ok(language) => (source_input(language), None),
                    Err(reason) if is_not_source(&reason) => continue,
                    Err(reason) => (not_analyzed(reason), None),
                },
            },
        };
        if !handle(input, content) {
            break;
        }
    }
    Ok(())
}

/// Reasons that make a listed file no input at all (as in a walk), rather than a skip.
fn is_not_source(reason: &Reason) -> bool {
    matches!(
        reason.code,
        ReasonCode::Unsupported | ReasonCode::LanguageNotSelected
    )
}

fn send_event(events: &mpsc::Sender<Record>, seq: u64, report: FileReport) -> bool {
    events
        .blocking_send(Record::File(Event {
            seq,
            report,
            ast: None,
            rule_times: Vec::new(),
        }))
        .is_ok()
}

/// The path as reports show it: without a leading `./` when asked.
fn shown(path: &Path, strip_dot: bool) -> PathBuf {
    let path = if strip_dot {
        path.strip_prefix(".").unwrap_or(path)
    } else {
        path
    };
    path.to_path_buf()
}

/// Files a scan keeps in flight at the daemon: enough to keep its workers busy and to hide
/// the socket round trip.
const DAEMON_IN_FLIGHT: usize = 16;

/// Connects to the daemon when the scan should use it, and switches the scan to the
/// daemon's session. `None`: scan directly.
async fn connect_daemon(
    config: &mut ScanConfig,
) -> Result<Option<Arc<crate::daemon::client::Connection>>, ScanError> {
    use crate::cli::DaemonMode;
    use crate::daemon::client::{self, ConnectError};
    let always = match config.daemon {
        DaemonMode::Never => return Ok(None),
        DaemonMode::Always => true,
        DaemonMode::Auto => false,
    };
    let unavailable = |why: String| {
        if always {
            Err(ScanError::Daemon(format!("--daemon always: {why}")))
        } else {
            Ok(None)
        }
    };
    if config.pool.want_ast || config.pool.time_rules {
        return unavailable("the daemon does not serve --format ast or --time-rules".into());
    }
    let socket = match crate::daemon::paths::socket_path(config.socket.as_deref(), false) {
        Ok(s) => s,
        Err(e @ crate::daemon::paths::PathError::Unsafe { .. }) => {
            // Someone else may have planted the directory: say so, never connect.
            if !always {
                eprintln!("astscan: warning: {e}; scanning without the daemon");
            }
            return unavailable(e.to_string());
        }
        Err(e) => return unavailable(e.to_string()),
    };
    let conn = match client::connect(&socket).await {
        Ok(c) => c,
        Err(e @ (ConnectError::Mismatch(_) | ConnectError::Untrusted { .. })) => {
            if !always {
                eprintln!("astscan: warning: {e}; scanning without it");
            }
            return unavailable(e.to_string());
        }
        Err(e) => return unavailable(e.to_string()),
    };
    let session = conn
        .open_session(
            &config.pool.rules,
            config.pool.timeout,
            config.pool.memory_limit_mb,
        )
        .await;
    let (id, key) = match session {
        Ok(s) => s,
        Err(e) => {
            if !always {
                eprintln!("astscan: warning: daemon: {e}; scanning without it");
            }
            return unavailable(e);
        }
    };
    let sealer = Arc::new(crate::seal::Sealer::new(id, key));
    config.sealer = Arc::clone(&sealer);
    // Fallback workers open the same envelopes with the same session key.
    config.pool.keys = crate::pool::Keys::Session(sealer);
    Ok(Some(Arc::new(conn)))
}

/// One slot of the scan: takes files until the queue closes, has `backend` answer each,
/// and sends the record on; then stops the backend.
async fn slot_loop<B: Backend>(
    mut backend: B,
    jobs: async_channel::Receiver<Pending>,
    events: mpsc::Sender<Record>,
) {
    while let Ok(pending) = jobs.recv().await {
        let Answer {
            mut result,
            served_by,
        } = backend.answer(&pending).await;
        // Content and envelope go now, before the report is built.
        drop(pending.body);
        let rule_times = match &mut result {
            JobResult::Analyzed { analysis, .. } => std::mem::take(&mut analysis.rule_times),
            JobResult::Failed { .. } => Vec::new(),
        };
        let (mut report, ast) = record(
            &pending.path,
            pending.language,
            pending.size,
            pending.sha256,
            result,
        );
        report.backend = Some(served_by);
        if events
            .send(Record::File(Event {
                seq: pending.seq,
                report,
                ast,
                rule_times,
            }))
            .await
            .is_err()
        {
            break;
        }
    }
    backend.shutdown().await;
}

/// Builds a file's record from the pool's answer.
fn record(
    path: &Path,
    language: Language,
    size: u64,
    sha256: String,
    result: JobResult,
) -> (FileReport, Option<Bytes>) {
    let mut report = match &result {
        JobResult::Analyzed { .. } => {
            FileReport::not_analyzed(path, Reason::new(ReasonCode::AnalysisFailed, ""))
        }
        JobResult::Failed { reason, kind } => {
            let code = match kind {
                FailureKind::Timeout => ReasonCode::Timeout,
                FailureKind::Crash => ReasonCode::WorkerCrash,
                FailureKind::Unavailable | FailureKind::Interrupted => {
                    ReasonCode::WorkerUnavailable
                }
                FailureKind::EnvelopeRejected => ReasonCode::EnvelopeRejected,
                FailureKind::Worker => ReasonCode::AnalysisFailed,
            };
            FileReport::not_analyzed(path, Reason::new(code, reason.clone()))
        }
    };
    report.language = Some(language);
    report.bytes = Some(size);
    report.sha256 = Some(sha256);
    match result {
        JobResult::Analyzed { analysis, ast } => {
            report.status = match analysis.status {
                ParseStatus::Parsed => FileStatus::Parsed,
                ParseStatus::ParsedWithErrors => FileStatus::ParsedWithErrors,
            };
            report.reason = None;
            report.reason_code = None;
            report.parse = Some(ParseReport {
                lines: analysis.lines,
                parse_ms: (analysis.parse_ms * 1000.0).round() / 1000.0,
                syntax_error_count: analysis.syntax_error_count,
                syntax_errors: analysis.syntax_errors,
                functions: analysis.functions,
                classes: analysis.classes,
                imports: analysis.imports,
                findings: analysis.findings,
                incomplete: analysis.incomplete,
                unused_suppressions: analysis.unused_suppressions,
            });
            (report, ast)
        }
        JobResult::Failed { .. } => (report, None),
    }
}
