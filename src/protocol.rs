//! The wire protocol between astscan processes: frame layout, limits and message types.
//!
//! A frame is an 8-byte prefix (header length, payload length; both u32 big-endian), a small
//! JSON header naming the message, and an opaque binary payload. Source bytes travel in the
//! payload, so they are never JSON-escaped or base64'd. `parsers/PROTOCOL.md` is the
//! specification; this module is its implementation, blocking ([`read_frame`]) for the worker
//! and async ([`FrameCodec`]) for the parent.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::{Buf, BufMut, Bytes, BytesMut};
use serde::{Deserialize, Serialize};
use tokio_util::codec::{Decoder, Encoder};

use crate::analysis::Analysis;

/// Version of the message set and frame layout; bumped on any incompatible change.
pub const PROTOCOL_VERSION: u32 = 3;

/// Size of the fixed frame prefix: header length (u32 BE) + payload length (u32 BE).
pub const PREFIX_LEN: usize = 8;

/// Largest header accepted: headers carry ids and options, never content, so 64 KiB is ample
/// and stops a corrupt length from making a reader allocate.
pub const MAX_HEADER_LEN: usize = 64 * 1024;

/// Default largest payload: a 10 MiB file's AST dump runs to ~130 MB of JSON, so 1 GiB leaves
/// room for raised `--max-file-size` values while still bounding a corrupt length.
pub const DEFAULT_MAX_PAYLOAD: usize = 1024 * 1024 * 1024;

/// Errors of framing and message decoding.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The underlying pipe or socket failed.
    #[error("i/o error on the frame stream: {0}")]
    Io(#[from] io::Error),
    /// The stream ended inside a frame.
    #[error("stream ended inside a frame ({got} of {want} bytes)")]
    Truncated {
        /// Bytes received.
        got: usize,
        /// Bytes the frame needed.
        want: usize,
    },
    /// The header length is zero or over the limit.
    #[error("frame header length {len} is invalid (must be 1..={max} bytes)")]
    BadHeaderLength {
        /// Length announced by the prefix.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The payload is over the limit.
    #[error("frame payload of {len} bytes is over the {max}-byte limit")]
    PayloadTooLarge {
        /// Length announced by the prefix.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The header is not a JSON message this version knows.
    #[error("malformed frame header: {0}")]
    BadHeader(String),
    /// Frames received in part, over all connections sharing a [`PartialBudget`], would
    /// exceed it.
    #[error("partly received frames would exceed the daemon's {limit}-byte budget")]
    OverBudget {
        /// The budget.
        limit: usize,
    },
}

/// Messages, tagged by `"type"` in the JSON header. Which side sends which, and what the
/// payload holds, is in `parsers/PROTOCOL.md`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Message {
    /// Worker → parent, first frame: who the worker is and what it offers. No payload.
    Hello {
        /// [`PROTOCOL_VERSION`] of the worker.
        protocol: u32,
        /// Build identity of the worker binary; the parent requires its own.
        build_id: String,
        /// Language names the worker can parse.
        languages: Vec<String>,
        /// The worker's process id (for diagnostics only).
        pid: u32,
    },
    /// Parent → worker, first frame after `hello`: the session whose envelopes this worker
    /// opens. Payload: the 32-byte session key. Nothing else ever carries key material.
    Session {
        /// The session id, 32 hex digits (not secret).
        session_id: String,
    },
    /// Parent → worker, optional, before any `analyze`: rules to evaluate besides the built-in
    /// ones. Payload: a JSON array of validated rules (`crate::rules::Rule`).
    Rules {
        /// Measure each rule's cost and return it with every result (`--time-rules`).
        #[serde(default)]
        timing: bool,
    },
    /// Parent → worker: analyse one file. Payload: the file as a sealed envelope.
    Analyze {
        /// Request id, echoed in the response.
        id: u64,
        /// Language name from the registry.
        language: String,
        /// Display path, used only in messages.
        path: String,
        /// How the payload is encoded.
        encoding: PayloadEncoding,
        /// Per-file deadline in milliseconds, enforced inside the worker.
        deadline_ms: u64,
        /// Also return the syntax tree as an `ast` frame.
        #[serde(default)]
        want_ast: bool,
        /// Depth below which the AST dump elides children.
        #[serde(default = "default_ast_depth")]
        ast_max_depth: u32,
        /// Daemon only: the client already asked with `lookup` and missed, so the daemon
        /// goes straight to a worker.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        probed: bool,
    },
    /// Client → daemon: is there a cached result for this content under the session's
    /// options? Answered by a cached `result`, or by `miss`. No payload: a re-scan of
    /// unchanged files costs a hash and a lookup, not a seal and a transfer.
    Lookup {
        /// Request id, echoed in the answer.
        id: u64,
        /// Language name from the registry.
        language: String,
        /// SHA-256 of the file's content, lower-case hex.
        sha256: String,
    },
    /// Daemon → client: nothing cached for lookup `id`; send the file with `analyze`.
    Miss {
        /// The lookup's id.
        id: u64,
    },
    /// Worker → parent (and daemon → client): the outcome for request `id`. Payload: JSON
    /// [`Outcome`].
    Result {
        /// The request id.
        id: u64,
        /// Daemon only: the answer came from its result cache.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        cached: bool,
    },
    /// Worker → parent, before the `result` of the same id when the AST was requested.
    /// Payload: the tree as compact JSON (see `parsers/PROTOCOL.md`).
    Ast {
        /// The request id.
        id: u64,
    },
    /// Either direction: a request could not be understood. No payload.
    Error {
        /// The request id, when the failing frame had one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        /// What went wrong, in words.
        message: String,
        /// What went wrong, as a code, where the receiver acts on it. Sent only to peers that
        /// speak protocol 3 or later (older ones refuse unknown fields).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<ErrorCode>,
    },
    /// Parent → worker: finish and exit 0; client → daemon: close the session and the
    /// connection. No payload. Closing the stream does the same.
    Shutdown,
    /// Client → daemon, after `hello`: open a session for files analysed with these options.
    /// Payload: the JSON array of rules to evaluate. Answered by `session` whose payload is
    /// the session key.
    OpenSession {
        /// Per-file deadline in milliseconds.
        deadline_ms: u64,
        /// Address-space limit per worker in MiB (0: none).
        memory_limit_mb: u64,
    },
    /// Daemon → client: a bound was reached; nothing was done. Retry after the given time (or
    /// fall back). `id` names the refused request, when there was one.
    Busy {
        /// The refused request.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        /// When to try again.
        retry_after_ms: u64,
        /// Which bound, in words.
        reason: String,
    },
    /// Client → daemon: report status. No payload; answered by `status_report`.
    Status,
    /// Daemon → client: payload is the JSON status (`astscan daemon status --json`).
    StatusReport,
    /// Client → daemon: shut down (answered by `shutdown` once the daemon has begun to stop).
    Stop,
}

/// Codes of `error` messages a receiver acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Answer to a `hello`: the daemon is another build or speaks another protocol; restart it.
    VersionMismatch,
}

fn default_ast_depth() -> u32 {
    crate::worker::ast::DEFAULT_MAX_DEPTH
}

/// How an `analyze` payload is encoded. There is deliberately no plaintext encoding: file
/// contents cross process boundaries only sealed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayloadEncoding {
    /// A sealed envelope, format version 1 (`crate::seal`), opened with the session key the
    /// worker received at start-up.
    SealedV1,
    /// The envelope's file key (`seal::FILE_KEY_LEN` bytes) followed by the envelope: for workers started with
    /// `--file-keys` (the daemon's, which serve many sessions and never hold a session key).
    SealedV1FileKey,
}

/// A worker's answer for one file: the analysis, or why there is none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
// Externally tagged: an internally tagged enum makes serde buffer the whole analysis before
// decoding it, which costs the parent more than the rest of a cached re-scan.
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The file was parsed.
    Analyzed(Analysis),
    /// The worker could not analyse the file (deadline, unsupported language, bad payload).
    Failed {
        /// Why, in words.
        reason: String,
        /// Why, as a code.
        #[serde(default)]
        kind: crate::pool::FailureKind,
    },
}

/// The `result` payload of an analysis (as [`Outcome::Analyzed`] would serialize), from a
/// borrow: the caller keeps the analysis.
pub fn analyzed_payload(analysis: &Analysis) -> serde_json::Result<Vec<u8>> {
    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Borrowed<'a> {
        Analyzed(&'a Analysis),
    }
    serde_json::to_vec(&Borrowed::Analyzed(analysis))
}

/// One frame: a message and its payload.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// The JSON header.
    pub message: Message,
    /// The binary payload (may be empty).
    pub payload: Bytes,
}

impl Frame {
    /// A frame without payload.
    pub fn new(message: Message) -> Self {
        Frame {
            message,
            payload: Bytes::new(),
        }
    }

    /// A frame with a payload.
    pub fn with_payload(message: Message, payload: impl Into<Bytes>) -> Self {
        Frame {
            message,
            payload: payload.into(),
        }
    }
}

/// Checks a prefix against the limits and returns (header length, payload length).
fn parse_prefix(
    prefix: [u8; PREFIX_LEN],
    max_payload: usize,
) -> Result<(usize, usize), FrameError> {
    let header_len = u32::from_be_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]) as usize;
    let payload_len = u32::from_be_bytes([prefix[4], prefix[5], prefix[6], prefix[7]]) as usize;
    if header_len == 0 || header_len > MAX_HEADER_LEN {
        return Err(FrameError::BadHeaderLength {
            len: header_len,
            max: MAX_HEADER_LEN,
        });
    }
    if payload_len > max_payload {
        return Err(FrameError::PayloadTooLarge {
            len: payload_len,
            max: max_payload,
        });
    }
    Ok((header_len, payload_len))
}

fn parse_header(bytes: &[u8]) -> Result<Message, FrameError> {
    serde_json::from_slice(bytes).map_err(|e| FrameError::BadHeader(e.to_string()))
}

/// Serialises a header and builds the 8-byte prefix for a payload of `payload_len` bytes;
/// the caller writes the payload right after it, from wherever it lives.
pub fn frame_head(message: &Message, payload_len: usize) -> Result<Vec<u8>, FrameError> {
    encode_head(message, payload_len, u32::MAX as usize)
}

fn encode_head(
    message: &Message,
    payload_len: usize,
    max_payload: usize,
) -> Result<Vec<u8>, FrameError> {
    let header = serde_json::to_vec(message).map_err(|e| FrameError::BadHeader(e.to_string()))?;
    if header.len() > MAX_HEADER_LEN {
        return Err(FrameError::BadHeaderLength {
            len: header.len(),
            max: MAX_HEADER_LEN,
        });
    }
    if payload_len > max_payload {
        return Err(FrameError::PayloadTooLarge {
            len: payload_len,
            max: max_payload,
        });
    }
    let mut head = Vec::with_capacity(PREFIX_LEN + header.len());
    head.extend_from_slice(&(header.len() as u32).to_be_bytes());
    head.extend_from_slice(&(payload_len as u32).to_be_bytes());
    head.extend_from_slice(&header);
    Ok(head)
}

/// Reads one frame from a blocking stream. `Ok(None)` is a clean end of stream between frames.
pub fn read_frame(r: &mut impl Read, max_payload: usize) -> Result<Option<Frame>, FrameError> {
    let mut prefix = [0u8; PREFIX_LEN];
    let got = read_full(r, &mut prefix)?;
    if got == 0 {
        return Ok(None);
    }
    if got < PREFIX_LEN {
        return Err(FrameError::Truncated {
            got,
            want: PREFIX_LEN,
        });
    }
    let (header_len, payload_len) = parse_prefix(prefix, max_payload)?;
    let mut body = vec![0u8; header_len + payload_len];
    let got = read_full(r, &mut body)?;
    if got < body.len() {
        return Err(FrameError::Truncated {
            got: PREFIX_LEN + got,
            want: PREFIX_LEN + body.len(),
        });
    }
    let message = parse_header(&body[..header_len])?;
    let payload = Bytes::from(body).slice(header_len..);
    Ok(Some(Frame { message, payload }))
}

/// Reads one frame whose payload is a secret of exactly `secret.len()` bytes, straight into
/// the caller's buffer, so no other allocation ever holds it.
pub fn read_secret_frame(r: &mut impl Read, secret: &mut [u8]) -> Result<Message, FrameError> {
    let mut prefix = [0u8; PREFIX_LEN];
    let got = read_full(r, &mut prefix)?;
    if got < PREFIX_LEN {
        return Err(FrameError::Truncated {
            got,
            want: PREFIX_LEN,
        });
    }
    let (header_len, payload_len) = parse_prefix(prefix, secret.len())?;
    if payload_len != secret.len() {
        return Err(FrameError::BadHeader(format!(
            "expected a {}-byte payload, got {payload_len} bytes",
            secret.len()
        )));
    }
    let mut header = vec![0u8; header_len];
    let got = read_full(r, &mut header)?;
    if got < header_len {
        return Err(FrameError::Truncated {
            got: PREFIX_LEN + got,
            want: PREFIX_LEN + header_len + payload_len,
        });
    }
    let message = parse_header(&header)?;
    let got = read_full(r, &mut secret[..payload_len])?;
    if got < secret.len() {
        return Err(FrameError::Truncated {
            got: PREFIX_LEN + header_len + got,
            want: PREFIX_LEN + header_len + secret.len(),
        });
    }
    Ok(message)
}

/// Reads until `buf` is full or the stream ends; returns the number of bytes read.
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Writes one frame to a blocking stream (not flushed).
pub fn write_frame(w: &mut impl Write, frame: &Frame) -> Result<(), FrameError> {
    write_parts(w, &frame.message, &frame.payload)
}

/// Writes one frame given as a message and a borrowed payload (not flushed).
pub fn write_parts(
    w: &mut impl Write,
    message: &Message,
    payload: &[u8],
) -> Result<(), FrameError> {
    let head = encode_head(message, payload.len(), u32::MAX as usize)?;
    w.write_all(&head)?;
    w.write_all(payload)?;
    Ok(())
}

/// Builds the bytes of a whole frame, for async writers.
pub fn encode_frame(message: &Message, payload: &[u8]) -> Result<Vec<u8>, FrameError> {
    let mut out = encode_head(message, payload.len(), u32::MAX as usize)?;
    out.extend_from_slice(payload);
    Ok(out)
}

/// Bytes of frames received but not yet complete, over every decoder that shares it: a
/// process serving many connections bounds what slow or hostile senders make it hold.
///
/// When a decoder's bytes would pass the limit, the decoder whose unfinished frame began
/// longest ago (the slowest sender) is told to give way through its [`FrameCodec::eviction`]
/// signal, and the newcomer goes on; the sum may pass the limit meanwhile, by at most the
/// limit again, past which the newcomer itself is refused. If the newcomer is the slowest, it
/// is refused at once.
#[derive(Debug)]
pub struct PartialBudget {
    limit: usize,
    used: AtomicUsize,
    holders: Mutex<HashMap<u64, Holder>>,
    next_ticket: AtomicU64,
}

/// One decoder's unfinished frame.
#[derive(Debug)]
struct Holder {
    since: std::time::Instant,
    evict: Arc<tokio::sync::Notify>,
}

impl PartialBudget {
    /// A budget of `limit` bytes.
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(PartialBudget {
            limit,
            used: AtomicUsize::new(0),
            holders: Mutex::new(HashMap::new()),
            next_ticket: AtomicU64::new(1),
        })
    }

    /// Bytes charged now.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::SeqCst)
    }

    fn holders(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Holder>> {
        self.holders.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The smallest step a partial frame's buffer grows by.
const MIN_GROWTH: usize = 64 * 1024;

/// A decoder's place in a [`PartialBudget`].
#[derive(Debug)]
struct Charge {
    budget: Arc<PartialBudget>,
    ticket: u64,
    evict: Arc<tokio::sync::Notify>,
    /// Bytes of the current partial frame charged.
    bytes: usize,
}

/// Async framing for tokio streams (`FramedRead`/`FramedWrite`), same layout and limits.
///
/// A frame's buffer grows with the bytes that arrive (at most doubling what has arrived),
/// never to the size its prefix announces: a peer that announces 1 GiB and sends 25 bytes
/// costs 25 bytes, not a reservation of 1 GiB.
#[derive(Debug)]
pub struct FrameCodec {
    max_payload: usize,
    charge: Option<Charge>,
}

impl FrameCodec {
    /// A codec accepting payloads up to `max_payload` bytes.
    pub fn new(max_payload: usize) -> Self {
        FrameCodec {
            max_payload,
            charge: None,
        }
    }

    /// A codec whose partial frames count against `budget`.
    pub fn with_budget(max_payload: usize, budget: Arc<PartialBudget>) -> Self {
        let ticket = budget.next_ticket.fetch_add(1, Ordering::Relaxed);
        FrameCodec {
            max_payload,
            charge: Some(Charge {
                budget,
                ticket,
                evict: Arc::new(tokio::sync::Notify::new()),
                bytes: 0,
            }),
        }
    }

    /// Signalled when this decoder's unfinished frame is the slowest and the budget needs its
    /// bytes: the owner should give up the connection (dropping the codec frees them).
    pub fn eviction(&self) -> Option<Arc<tokio::sync::Notify>> {
        self.charge.as_ref().map(|c| Arc::clone(&c.evict))
    }

    /// Changes the largest payload accepted from the next frame on (e.g. small until a
    /// handshake, larger after).
    pub fn set_max_payload(&mut self, max_payload: usize) {
        self.max_payload = max_payload;
    }

    /// Charges the partial frame's `buffered` bytes to the budget.
    fn charge(&mut self, buffered: usize) -> Result<(), FrameError> {
        let Some(c) = &mut self.charge else {
            return Ok(());
        };
        if buffered <= c.bytes {
            return Ok(());
        }
        let budget = &c.budget;
        let more = buffered - c.bytes;
        let mut holders = budget.holders();
        holders.entry(c.ticket).or_insert_with(|| Holder {
            since: std::time::Instant::now(),
            evict: Arc::clone(&c.evict),
        });
        let used = budget.used.fetch_add(more, Ordering::SeqCst) + more;
        if used > budget.limit {
            let slowest = holders
                .iter()
                .min_by_key(|(ticket, h)| (h.since, **ticket))
                .map(|(ticket, h)| (*ticket, Arc::clone(&h.evict)));
            match slowest {
                Some((ticket, evict)) if ticket != c.ticket && used <= budget.limit * 2 => {
                    evict.notify_one();
                }
                _ => {
                    budget.used.fetch_sub(more, Ordering::SeqCst);
                    if c.bytes == 0 {
                        holders.remove(&c.ticket);
                    }
                    return Err(FrameError::OverBudget {
                        limit: budget.limit,
                    });
                }
            }
        }
        c.bytes = buffered;
        Ok(())
    }

    /// Gives back what the finished (or abandoned) partial frame held.
    fn release(&mut self) {
        if let Some(c) = &mut self.charge
            && c.bytes > 0
        {
            c.budget.holders().remove(&c.ticket);
            c.budget.used.fetch_sub(c.bytes, Ordering::SeqCst);
            c.bytes = 0;
        }
    }
}

impl Drop for FrameCodec {
    fn drop(&mut self) {
        self.release();
    }
}

impl Default for FrameCodec {
    fn default() -> Self {
        FrameCodec::new(DEFAULT_MAX_PAYLOAD)
    }
}

impl Decoder for FrameCodec {
    type Item = Frame;
    type Error = FrameError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, FrameError> {
        if src.len() < PREFIX_LEN {
            return Ok(None);
        }
        let mut prefix = [0u8; PREFIX_LEN];
        prefix.copy_from_slice(&src[..PREFIX_LEN]);
        let (header_len, payload_len) = parse_prefix(prefix, self.max_payload)?;
        let total = PREFIX_LEN + header_len + payload_len;
        if src.len() < total {
            self.charge(src.len())?;
            let growth = (total - src.len()).min(src.len().max(MIN_GROWTH));
            src.reserve(growth);
            return Ok(None);
        }
        self.release();
        src.advance(PREFIX_LEN);
        let header = src.split_to(header_len);
        let payload = src.split_to(payload_len).freeze();
        let message = parse_header(&header)?;
        Ok(Some(Frame { message, payload }))
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, FrameError> {
        match self.decode(src)? {
            Some(frame) => Ok(Some(frame)),
            None if src.is_empty() => Ok(None),
            None => {
                let want = if src.len() < PREFIX_LEN {
                    PREFIX_LEN
                } else {
                    let mut prefix = [0u8; PREFIX_LEN];
                    prefix.copy_from_slice(&src[..PREFIX_LEN]);
                    let (h, p) = parse_prefix(prefix, self.max_payload)?;
                    PREFIX_LEN + h + p
                };
                Err(FrameError::Truncated {
                    got: src.len(),
                    want,
                })
            }
        }
    }
}

impl Encoder<Frame> for FrameCodec {
    type Error = FrameError;

    fn encode(&mut self, frame: Frame, dst: &mut BytesMut) -> Result<(), FrameError> {
        let head = encode_head(&frame.message, frame.payload.len(), self.max_payload)?;
        dst.reserve(head.len() + frame.payload.len());
        dst.put_slice(&head);
        dst.put_slice(&frame.payload);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyze(id: u64) -> Message {
        Message::Analyze {
            id,
            language: "python".into(),
            path: "a.py".into(),
            encoding: PayloadEncoding::SealedV1,
            deadline_ms: 5000,
            want_ast: false,
            ast_max_depth: 100,
            probed: false,
        }
    }

    #[test]
    fn blocking_round_trip_keeps_payload_bytes_verbatim() {
        // Bytes JSON would have to escape: quotes, NUL, invalid UTF-8, newlines.
        let payload: Vec<u8> = b"\"\0\xff\n\\"
            .iter()
            .copied()
            .cycle()
            .take(10_000)
            .collect();
        let mut buf = Vec::new();
        write_frame(&mut buf, &Frame::with_payload(analyze(7), payload.clone())).unwrap();
        write_frame(&mut buf, &Frame::new(Message::Shutdown)).unwrap();
        // The payload is carried raw: exactly prefix + header + payload bytes.
        let header_len = u32::from_be_bytes(buf[0..4].try_into().unwrap()) as usize;
        assert_eq!(
            &buf[PREFIX_LEN + header_len..PREFIX_LEN + header_len + payload.len()],
            &payload[..]
        );

        let mut r = &buf[..];
        let f = read_frame(&mut r, DEFAULT_MAX_PAYLOAD).unwrap().unwrap();
        assert_eq!(f.message, analyze(7));
        assert_eq!(&f.payload[..], &payload[..]);
        let f = read_frame(&mut r, DEFAULT_MAX_PAYLOAD).unwrap().unwrap();
        assert_eq!(f.message, Message::Shutdown);
        assert!(read_frame(&mut r, DEFAULT_MAX_PAYLOAD).unwrap().is_none());
    }

    #[test]
    fn codec_round_trip_byte_by_byte() {
        let mut codec = FrameCodec::default();
        let mut wire = BytesMut::new();
        codec
            .encode(
                Frame::with_payload(analyze(1), &b"print(1)\n"[..]),
                &mut wire,
            )
            .unwrap();
        codec
            .encode(
                Frame::new(Message::Result {
                    id: 1,
                    cached: false,
                }),
                &mut wire,
            )
            .unwrap();
        // Feed one byte at a time: the decoder must wait for whole frames.
        let mut src = BytesMut::new();
        let mut out = Vec::new();
        for b in wire.iter() {
            src.put_u8(*b);
            while let Some(f) = codec.decode(&mut src).unwrap() {
                out.push(f);
            }
        }
        assert_eq!(out.len(), 2);
        assert_eq!(&out[0].payload[..], b"print(1)\n");
        assert_eq!(
            out[1].message,
            Message::Result {
                id: 1,
                cached: false,
            }
        );
    }

    #[test]
    fn oversized_payload_is_rejected_before_allocation() {
        let mut wire = Vec::new();
        wire.extend_from_slice(&2u32.to_be_bytes());
        wire.extend_from_slice(&u32::MAX.to_be_bytes());
        wire.extend_from_slice(b"{}");
        let err = read_frame(&mut &wire[..], 1024).unwrap_err();
        assert!(
            matches!(err, FrameError::PayloadTooLarge { len, max: 1024 } if len == u32::MAX as usize),
            "{err}"
        );
        let mut codec = FrameCodec::new(1024);
        let err = codec.decode(&mut BytesMut::from(&wire[..])).unwrap_err();
        assert!(
            err.to_string().contains("over the 1024-byte limit"),
            "{err}"
        );
    }

    #[test]
    fn a_partial_frame_buffer_grows_with_what_arrives_and_counts_against_the_budget() {
        let header = br#"{"type":"status"}"#;
        let mut wire = Vec::new();
        wire.extend_from_slice(&(header.len() as u32).to_be_bytes());
        wire.extend_from_slice(&(512u32 << 20).to_be_bytes());
        wire.extend_from_slice(header);
        wire.extend_from_slice(&[0; 25]);
        let budget = PartialBudget::new(1 << 20);
        let mut codec = FrameCodec::with_budget(1 << 30, Arc::clone(&budget));
        let mut buf = BytesMut::from(&wire[..]);
        assert!(codec.decode(&mut buf).unwrap().is_none());
        // A 512 MiB announcement and 50 bytes received: nowhere near 512 MiB reserved.
        assert!(buf.capacity() <= 256 * 1024, "{}", buf.capacity());
        assert_eq!(budget.used(), wire.len());
        // A second decoder passing the limit: the first, slowest, is told to give way.
        let mut other = FrameCodec::with_budget(1 << 30, Arc::clone(&budget));
        let evicted = codec.eviction().unwrap();
        let mut big = BytesMut::from(&wire[..]);
        big.extend_from_slice(&vec![0; 1 << 20]);
        assert!(other.decode(&mut big).unwrap().is_none());
        assert_eq!(budget.used(), wire.len() + big.len());
        let told = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(async {
                tokio::time::timeout(std::time::Duration::from_secs(1), evicted.notified())
                    .await
                    .is_ok()
            });
        assert!(told, "the slowest decoder was not told");
        drop(codec);
        assert_eq!(
            budget.used(),
            big.len(),
            "a dropped decoder gives its bytes back"
        );
        // Past twice the limit, the newcomer itself is refused and charged nothing.
        let mut third = FrameCodec::with_budget(1 << 30, Arc::clone(&budget));
        let mut huge = BytesMut::from(&wire[..]);
        huge.extend_from_slice(&vec![0; 2 << 20]);
        let err = third.decode(&mut huge).unwrap_err();
        assert!(matches!(err, FrameError::OverBudget { .. }), "{err}");
        assert_eq!(budget.used(), big.len(), "a refused charge is not kept");
        drop(other);
        assert_eq!(budget.used(), 0);
    }

    #[test]
    fn bad_header_lengths_are_rejected() {
        for len in [0u32, (MAX_HEADER_LEN + 1) as u32] {
            let mut wire = Vec::new();
            wire.extend_from_slice(&len.to_be_bytes());
            wire.extend_from_slice(&0u32.to_be_bytes());
            let err = read_frame(&mut &wire[..], 1024).unwrap_err();
            assert!(matches!(err, FrameError::BadHeaderLength { .. }), "{err}");
        }
    }

    #[test]
    fn malformed_headers_are_clear_errors() {
        for header in [
            &b"not json"[..],
            br#"{"type":"launch_missiles"}"#,
            br#"{"type":"result"}"#,
        ] {
            let mut wire = Vec::new();
            wire.extend_from_slice(&(header.len() as u32).to_be_bytes());
            wire.extend_from_slice(&0u32.to_be_bytes());
            wire.extend_from_slice(header);
            let err = read_frame(&mut &wire[..], 1024).unwrap_err();
            assert!(
                err.to_string().starts_with("malformed frame header"),
                "{err}"
            );
        }
    }

    #[test]
    fn truncated_frames_are_reported() {
        let mut wire = Vec::new();
        write_frame(&mut wire, &Frame::with_payload(analyze(1), &b"abcdef"[..])).unwrap();
        for cut in [3, PREFIX_LEN + 2, wire.len() - 1] {
            let err = read_frame(&mut &wire[..cut], 1024).unwrap_err();
            assert!(
                matches!(err, FrameError::Truncated { .. }),
                "cut {cut}: {err}"
            );
            let mut codec = FrameCodec::new(1024);
            let err = codec
                .decode_eof(&mut BytesMut::from(&wire[..cut]))
                .unwrap_err();
            assert!(
                matches!(err, FrameError::Truncated { .. }),
                "cut {cut}: {err}"
            );
        }
    }
}
