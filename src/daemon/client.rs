//! The client side of the daemon socket: handshake, session, pipelined `analyze` requests,
//! `status` and `stop`.
//!
//! One connection carries a whole scan. Requests are pipelined: a reader task hands each
//! `result` to the request waiting for its id, so many files are in flight at once. Anything
//! unexpected (the daemon closes the socket, sends garbage, or goes silent past a deadline)
//! marks the connection dead; the scan then finishes in direct mode.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::net::UnixStream;
use tokio::net::unix::OwnedWriteHalf;
use tokio::sync::{mpsc, oneshot};
use tokio_util::codec::FramedRead;

use crate::lock;
use crate::pool::{Job, JobResult};
use crate::protocol::{
    self, DEFAULT_MAX_PAYLOAD, ErrorCode, Frame, FrameCodec, Message, Outcome, PROTOCOL_VERSION,
    PayloadEncoding,
};
use crate::seal::{SessionId, SessionKey};

/// Time to connect and exchange hellos.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Most `busy` answers one request accepts before the client gives up on the daemon.
const MAX_BUSY_RETRIES: u32 = 200;

/// Why no daemon could be used.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// Nothing listens on the socket (no file, or a stale one).
    #[error("no daemon is running on {0}")]
    NotRunning(String),
    /// The daemon is a different build; it said so.
    #[error("{0}")]
    Mismatch(String),
    /// What listens on the socket is not our daemon: another user's process, or not the
    /// process that holds the daemon lock. Nothing was sent to it.
    #[error("not using the daemon socket {socket}: {why}")]
    Untrusted {
        /// The socket.
        socket: String,
        /// What failed.
        why: String,
    },
    /// Anything else.
    #[error("{0}")]
    Failed(String),
}

/// What the reader task hands to a waiting request.
enum Reply {
    Result { outcome: Outcome, cached: bool },
    Busy { retry_after_ms: u64, reason: String },
    Miss,
    Error(String),
}

/// A connection to the daemon.
pub struct Connection {
    writer: tokio::sync::Mutex<OwnedWriteHalf>,
    pending: Arc<Mutex<HashMap<u64, oneshot::Sender<Reply>>>>,
    control: tokio::sync::Mutex<mpsc::Receiver<Frame>>,
    dead: Arc<AtomicBool>,
    next_id: AtomicU64,
    reader: tokio::task::JoinHandle<()>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

/// Connects and exchanges hellos.
pub async fn connect(socket: &Path) -> Result<Connection, ConnectError> {
    let stream = match tokio::time::timeout(CONNECT_TIMEOUT, UnixStream::connect(socket)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e))
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
            ) =>
        {
            return Err(ConnectError::NotRunning(socket.display().to_string()));
        }
        Ok(Err(e)) => {
            return Err(ConnectError::Failed(format!(
                "connecting to {}: {e}",
                socket.display()
            )));
        }
        Err(_) => {
            return Err(ConnectError::Failed(format!(
                "connecting to {} timed out",
                socket.display()
            )));
        }
    };
    verify_peer(&stream, socket)?;
    let (read, mut write) = stream.into_split();
    let mut frames = FramedRead::new(read, FrameCodec::new(DEFAULT_MAX_PAYLOAD));
    let hello = Message::Hello {
        protocol: PROTOCOL_VERSION,
        build_id: crate::BUILD_ID.to_string(),
        languages: Vec::new(),
        pid: std::process::id(),
    };
    let failed = |e: String| ConnectError::Failed(format!("daemon at {}: {e}", socket.display()));
    let frame = protocol::encode_frame(&hello, &[]).map_err(|e| failed(e.to_string()))?;
    write
        .write_all(&frame)
        .await
        .map_err(|e| failed(e.to_string()))?;
    let answer = tokio::time::timeout(CONNECT_TIMEOUT, frames.next())
        .await
        .map_err(|_| failed("no hello within 2 s".into()))?;
    match answer {
        Some(Ok(Frame {
            message: Message::Hello { .. },
            ..
        })) => {}
        // Only a daemon of another build refuses our hello: with a code from builds that
        // send them, without one from builds before protocol 3.
        Some(Ok(Frame {
            message:
                Message::Error {
                    message,
                    code: Some(ErrorCode::VersionMismatch) | None,
                    ..
                },
            ..
        })) => {
            return Err(ConnectError::Mismatch(message));
        }
        Some(Ok(Frame {
            message: Message::Busy { reason, .. },
            ..
        })) => return Err(failed(format!("busy: {reason}"))),
        Some(Ok(other)) => {
            return Err(failed(format!(
                "unexpected answer {}",
                crate::worker::message_type(&other.message)
            )));
        }
        Some(Err(e)) => return Err(failed(e.to_string())),
        None => return Err(failed("closed the connection".into())),
    }
    let pending: Arc<Mutex<HashMap<u64, oneshot::Sender<Reply>>>> = Arc::default();
    let dead = Arc::new(AtomicBool::new(false));
    let (control_tx, control_rx) = mpsc::channel(4);
    let reader = tokio::spawn(read_replies(
        frames,
        Arc::clone(&pending),
        Arc::clone(&dead),
        control_tx,
    ));
    Ok(Connection {
        writer: tokio::sync::Mutex::new(write),
        pending,
        control: tokio::sync::Mutex::new(control_rx),
        dead,
        next_id: AtomicU64::new(1),
        reader,
    })
}

/// Checks, before a byte is sent, that the process listening on `socket` runs as our uid and
/// is the one holding the daemon lock beside the socket: anything else may have bound the
/// path first, and would choose the session key, read our files and answer for them.
fn verify_peer(stream: &UnixStream, socket: &Path) -> Result<(), ConnectError> {
    let untrusted = |why: String| ConnectError::Untrusted {
        socket: socket.display().to_string(),
        why,
    };
    let cred = stream
        .peer_cred()
        .map_err(|e| untrusted(format!("cannot read its peer credentials: {e}")))?;
    let uid = rustix::process::getuid().as_raw();
    if cred.uid() != uid {
        return Err(untrusted(format!(
            "it is served by uid {}, not by us (uid {uid})",
            cred.uid()
        )));
    }
    let holder = crate::daemon::lock::holder(socket);
    match (cred.pid(), holder) {
        (Some(pid), Some(holder)) if u32::try_from(pid).ok() == Some(holder) => Ok(()),
        (pid, holder) => Err(untrusted(format!(
            "it is served by pid {}, but the daemon lock {} names {}",
            pid.map_or("?".into(), |p| p.to_string()),
            crate::daemon::paths::lock_path(socket).display(),
            holder.map_or("no process".into(), |p| format!("pid {p}"))
        ))),
    }
}

/// Dispatches the daemon's frames: results to their requests, the rest to `control`.
async fn read_replies(
    mut frames: FramedRead<tokio::net::unix::OwnedReadHalf, FrameCodec>,
    pending: Arc<Mutex<HashMap<u64, oneshot::Sender<Reply>>>>,
    dead: Arc<AtomicBool>,
    control: mpsc::Sender<Frame>,
) {
    while let Some(Ok(frame)) = frames.next().await {
        let (id, reply) = match frame.message {
            Message::Result { id, cached } => {
                match serde_json::from_slice::<Outcome>(&frame.payload) {
                    Ok(outcome) => (id, Reply::Result { outcome, cached }),
                    Err(e) => (id, Reply::Error(format!("bad result from the daemon: {e}"))),
                }
            }
            Message::Busy {
                id: Some(id),
                retry_after_ms,
                reason,
            } => (
                id,
                Reply::Busy {
                    retry_after_ms,
                    reason,
                },
            ),
            Message::Error {
                id: Some(id),
                message,
                ..
            } => (id, Reply::Error(message)),
            Message::Miss { id } => (id, Reply::Miss),
            _ => {
                if control.send(frame).await.is_err() {
                    break;
                }
                continue;
            }
        };
        if let Some(waiter) = lock(&pending).remove(&id) {
            let _ = waiter.send(reply);
        }
    }
    // The stream ended or broke: every waiting request learns it now (its sender drops).
    dead.store(true, Ordering::SeqCst);
    lock(&pending).clear();
}

impl Connection {
    /// Whether the connection has failed.
    pub fn is_dead(&self) -> bool {
        self.dead.load(Ordering::SeqCst)
    }

    /// Marks the connection failed (after a timeout, say); later requests go elsewhere.
    pub fn mark_dead(&self) {
        self.dead.store(true, Ordering::SeqCst);
    }

    async fn write(&self, message: &Message, payload: &[&[u8]]) -> Result<(), String> {
        let len = payload.iter().map(|p| p.len()).sum();
        let head = protocol::frame_head(message, len).map_err(|e| e.to_string())?;
        let mut w = self.writer.lock().await;
        w.write_all(&head)
            .await
            .map_err(|e| format!("writing to the daemon: {e}"))?;
        for part in payload {
            w.write_all(part)
                .await
                .map_err(|e| format!("writing to the daemon: {e}"))?;
        }
        Ok(())
    }

    /// The next control frame (an answer to `open_session`, `status` or `stop`).
    async fn control(&self, timeout: Duration) -> Result<Frame, String> {
        let mut rx = self.control.lock().await;
        match tokio::time::timeout(timeout, rx.recv()).await {
            Ok(Some(frame)) => Ok(frame),
            Ok(None) => Err("the daemon closed the connection".into()),
            Err(_) => Err(format!("no answer within {} s", timeout.as_secs())),
        }
    }

    /// Opens a session for these rules and options; returns its id and key.
    pub async fn open_session(
        &self,
        rules: &[crate::rules::Rule],
        deadline: Duration,
        memory_limit_mb: u64,
    ) -> Result<(SessionId, SessionKey), String> {
        let body = serde_json::to_vec(rules).map_err(|e| e.to_string())?;
        let message = Message::OpenSession {
            deadline_ms: deadline.as_millis().max(1) as u64,
            memory_limit_mb,
        };
        self.write(&message, &[&body]).await?;
        let frame = self.control(Duration::from_secs(10)).await?;
        match frame.message {
            Message::Session { session_id } => {
                let id = crate::worker::parse_session_id(&session_id)
                    .ok_or("the daemon sent a bad session id")?;
                let key: [u8; crate::seal::SESSION_KEY_LEN] = frame
                    .payload
                    .as_ref()
                    .try_into()
                    .map_err(|_| "the daemon sent a session key of the wrong length")?;
                Ok((id, SessionKey::from_bytes(key)))
            }
            Message::Busy { reason, .. } => Err(format!("daemon busy: {reason}")),
            Message::Error { message, .. } => Err(message),
            other => Err(format!(
                "unexpected answer {}",
                crate::worker::message_type(&other)
            )),
        }
    }

    /// Sends a request and waits for the answer to its id.
    async fn request(
        &self,
        message: impl FnOnce(u64) -> Message,
        payload: &[u8],
        patience: Duration,
    ) -> Result<Reply, String> {
        if self.is_dead() {
            return Err("the daemon connection failed".into());
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        lock(&self.pending).insert(id, tx);
        if let Err(e) = self.write(&message(id), &[payload]).await {
            lock(&self.pending).remove(&id);
            return Err(e);
        }
        match tokio::time::timeout(patience, rx).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(_)) => Err("the daemon closed the connection".into()),
            Err(_) => {
                lock(&self.pending).remove(&id);
                Err(format!(
                    "no answer from the daemon within {:.0} s",
                    patience.as_secs_f64()
                ))
            }
        }
    }

    /// Asks the cache for a file by its content hash: `Some` result on a hit, `None` on a
    /// miss (then send it with [`Connection::analyze`], `probed` set).
    pub async fn lookup(
        &self,
        language: crate::lang::Language,
        sha256: &[u8; 32],
        patience: Duration,
    ) -> Result<Option<JobResult>, String> {
        let message = |id| Message::Lookup {
            id,
            language: language.name().to_string(),
            sha256: crate::source::hex(sha256),
        };
        match self.request(message, &[], patience).await? {
            Reply::Result { outcome, .. } => Ok(Some(job_result(outcome))),
            // A lookup holds no resources, so `busy` means only "not now": send the file,
            // whose `analyze` waits out the bound.
            Reply::Miss | Reply::Busy { .. } => Ok(None),
            Reply::Error(message) => Err(format!("the daemon said: {message}")),
        }
    }

    /// Sends one file and waits for its result, retrying `busy` answers as told. Returns the
    /// result and whether it came from the daemon's cache; an error means the daemon failed.
    /// `probed`: a [`Connection::lookup`] for it just missed.
    pub async fn analyze(
        &self,
        job: &Job,
        deadline: Duration,
        patience: Duration,
        probed: bool,
    ) -> Result<(JobResult, bool), String> {
        let mut last_busy = String::new();
        for _ in 0..MAX_BUSY_RETRIES {
            let message = |id| Message::Analyze {
                id,
                language: job.language.name().to_string(),
                path: job.display_path.clone(),
                encoding: PayloadEncoding::SealedV1,
                deadline_ms: deadline.as_millis() as u64,
                want_ast: false,
                ast_max_depth: crate::worker::ast::DEFAULT_MAX_DEPTH,
                probed,
            };
            match self.request(message, &job.envelope, patience).await? {
                Reply::Result { outcome, cached } => return Ok((job_result(outcome), cached)),
                Reply::Busy {
                    retry_after_ms,
                    reason,
                } => {
                    last_busy = reason;
                    tokio::time::sleep(Duration::from_millis(retry_after_ms.clamp(1, 5_000))).await;
                }
                Reply::Miss => return Err("the daemon answered a file with `miss`".into()),
                Reply::Error(message) => return Err(format!("the daemon said: {message}")),
            }
        }
        Err(format!(
            "the daemon stayed busy through {MAX_BUSY_RETRIES} retries ({last_busy})"
        ))
    }

    /// Asks for the status document.
    pub async fn status(&self) -> Result<super::status::Status, String> {
        self.write(&Message::Status, &[]).await?;
        let frame = self.control(Duration::from_secs(5)).await?;
        match frame.message {
            Message::StatusReport => {
                serde_json::from_slice(&frame.payload).map_err(|e| format!("bad status: {e}"))
            }
            other => Err(format!(
                "unexpected answer {}",
                crate::worker::message_type(&other)
            )),
        }
    }

    /// Asks the daemon to stop; returns once it has acknowledged.
    pub async fn stop(&self) -> Result<(), String> {
        self.write(&Message::Stop, &[]).await?;
        let frame = self.control(Duration::from_secs(5)).await?;
        match frame.message {
            Message::Shutdown => Ok(()),
            other => Err(format!(
                "unexpected answer {}",
                crate::worker::message_type(&other)
            )),
        }
    }

    /// Ends the session politely.
    pub async fn close(&self) {
        let _ = self.write(&Message::Shutdown, &[]).await;
        let _ = self.writer.lock().await.shutdown().await;
    }
}

/// A `result` from the daemon as the pool would have answered it.
fn job_result(outcome: Outcome) -> JobResult {
    match outcome {
        Outcome::Analyzed(analysis) => JobResult::Analyzed {
            analysis: Box::new(analysis),
            ast: None,
        },
        Outcome::Failed { reason, kind } => JobResult::Failed { reason, kind },
    }
}
