//! The child side of the worker protocol: `astscan worker`, spawned by the parent with piped
//! stdio. It says hello, receives its session key, then answers `analyze` requests one at a
//! time until stdin closes. File contents arrive only as sealed envelopes.
//!
//! A worker is disposable by design: it limits its own address space, cannot dump core, dies
//! with its parent, and on anything it cannot make sense of it reports and exits, leaving recovery to the pool.

pub mod analyze;
pub mod ast;
pub mod kinds;

use std::io::{self, BufReader, BufWriter, Write};
use std::time::Duration;

use anyhow::{Context, Result};
use zeroize::{Zeroize, Zeroizing};

use crate::lang::Language;
use crate::pool::FailureKind;
use crate::protocol::{
    self, DEFAULT_MAX_PAYLOAD, Frame, Message, Outcome, PROTOCOL_VERSION, PayloadEncoding,
};
use crate::seal::{self, Opener, SessionId, SessionKey};
use analyze::Analyzer;

/// Options of the hidden `astscan worker` subcommand.
#[derive(Debug, Clone, clap::Args)]
pub struct WorkerArgs {
    /// Address-space limit for this process, in MiB (0: none).
    #[arg(long, default_value_t = 0)]
    pub memory_limit_mb: u64,
    /// Process id of the parent; the worker refuses to run if it is already gone.
    #[arg(long)]
    pub parent_pid: Option<u32>,
    /// Evaluate no rules.
    #[arg(long)]
    pub no_rules: bool,
    /// Expect no session key; every request carries its file's key instead (daemon workers
    /// serve many sessions).
    #[arg(long)]
    pub file_keys: bool,
    /// Lower this process's priority by this much (`nice`).
    #[arg(long, default_value_t = 0)]
    pub nice: i32,
    /// Compile a language's whole rule pack at its first file, instead of the patterns each
    /// file needs (long-lived workers, which serve many scans).
    #[arg(long)]
    pub eager_rules: bool,
}

/// Runs the worker loop on stdin/stdout until end of input.
pub fn run(args: &WorkerArgs) -> Result<()> {
    // Before any key or file content is in memory: a core dump would hold both.
    crate::harden::no_core_dumps().context("disabling core dumps")?;
    apply_process_limits(args.memory_limit_mb, args.parent_pid)?;
    if args.nice > 0 {
        // Only ever lowered, which needs no privilege; failing to is not worth refusing work.
        let current = rustix::process::getpriority_process(None).unwrap_or(0);
        let _ = rustix::process::setpriority_process(None, (current + args.nice).min(19));
    }
    use_fast_allocator();
    let mut output = BufWriter::with_capacity(256 * 1024, io::stdout().lock());

    let rules = if args.no_rules {
        Vec::new()
    } else {
        crate::rules::builtin().context("loading the built-in rules")?
    };
    // Languages (queries and rules) are compiled on first use: a pre-commit scan of three
    // Python files should not pay for compiling seven other languages' rule packs.
    let mut analyzer = Analyzer::new(rules);
    analyzer.set_eager_rules(args.eager_rules);
    let hello = Message::Hello {
        protocol: PROTOCOL_VERSION,
        build_id: crate::BUILD_ID.to_string(),
        languages: Language::all().map(|l| l.name().to_string()).collect(),
        pid: std::process::id(),
    };
    protocol::write_frame(&mut output, &Frame::new(hello))?;
    output.flush()?;

    // The session frame is read without a buffer in between, so the key passes through
    // exactly one allocation, which is wiped below.
    let mut opener = if args.file_keys {
        None
    } else {
        match receive_session(&mut io::stdin().lock()) {
            Ok(opener) => Some(opener),
            Err(e) => {
                report_fatal(&mut output, &e);
                return Err(e);
            }
        }
    };
    let mut input = BufReader::with_capacity(256 * 1024, io::stdin().lock());

    let mut ast_buf = Vec::new();
    loop {
        let frame = match protocol::read_frame(&mut input, DEFAULT_MAX_PAYLOAD) {
            Ok(Some(frame)) => frame,
            Ok(None) => return Ok(()),
            Err(e) => {
                // After a bad frame the stream cannot be resynchronised: say why and stop.
                let e = anyhow::Error::from(e).context("reading a request");
                report_fatal(&mut output, &e);
                return Err(e);
            }
        };
        match frame.message {
            Message::Analyze {
                id,
                language,
                path,
                encoding,
                deadline_ms,
                want_ast,
                ast_max_depth,
                ..
            } => {
                let opened = open(encoding, opener.as_mut(), frame.payload);
                let outcome = match (Language::from_name(&language), opened) {
                    (None, _) => Outcome::Failed {
                        reason: format!("worker does not support language {language:?}"),
                        kind: FailureKind::Worker,
                    },
                    (Some(_), Err(e)) => Outcome::Failed {
                        reason: format!("envelope of {path} rejected: {e}"),
                        kind: FailureKind::EnvelopeRejected,
                    },
                    (Some(lang), Ok(source)) => {
                        let source = Zeroizing::new(source);
                        match analyzer.analyze(lang, &source, Duration::from_millis(deadline_ms)) {
                            Ok(parsed) => {
                                if want_ast {
                                    ast_buf.clear();
                                    ast::write_tree(&parsed.tree, ast_max_depth, &mut ast_buf);
                                    protocol::write_parts(
                                        &mut output,
                                        &Message::Ast { id },
                                        &ast_buf,
                                    )?;
                                    // Do not keep a huge dump's buffer alive between files.
                                    if ast_buf.capacity() > 64 * 1024 * 1024 {
                                        ast_buf = Vec::new();
                                    }
                                }
                                Outcome::Analyzed(parsed.analysis)
                            }
                            Err(e) => Outcome::Failed {
                                reason: e.to_string(),
                                kind: e.kind(),
                            },
                        }
                    }
                };
                let body = serde_json::to_vec(&outcome).context("encoding a result")?;
                protocol::write_parts(&mut output, &Message::Result { id, cached: false }, &body)?;
                output.flush()?;
            }
            Message::Rules { timing } => {
                let extra: Vec<crate::rules::Rule> =
                    serde_json::from_slice(&frame.payload).context("decoding the rules frame")?;
                analyzer.add_rules(extra);
                analyzer.set_timing(timing);
            }
            Message::Shutdown => return Ok(()),
            other => {
                let message = Message::Error {
                    id: None,
                    message: format!("unexpected message for a worker: {}", message_type(&other)),
                    code: None,
                };
                protocol::write_frame(&mut output, &Frame::new(message))?;
                output.flush()?;
            }
        }
    }
}

/// Opens an `analyze` payload: with the session's opener, or with the file key in front of
/// the envelope (whose copy in the frame is wiped once taken).
fn open(
    encoding: PayloadEncoding,
    opener: Option<&mut Opener>,
    payload: bytes::Bytes,
) -> Result<Vec<u8>, String> {
    match (encoding, opener) {
        (PayloadEncoding::SealedV1, Some(opener)) => {
            opener.open(&payload).map_err(|e| e.to_string())
        }
        (PayloadEncoding::SealedV1, None) => {
            Err("a session envelope, but this worker takes file keys".into())
        }
        (PayloadEncoding::SealedV1FileKey, Some(_)) => {
            Err("a file key, but this worker has a session".into())
        }
        (PayloadEncoding::SealedV1FileKey, None) => {
            let Ok(mut payload) = payload.try_into_mut() else {
                return Err("the payload buffer is shared".into());
            };
            if payload.len() < seal::FILE_KEY_LEN {
                payload.zeroize();
                return Err("payload shorter than a file key".into());
            }
            let mut raw = Zeroizing::new([0u8; seal::FILE_KEY_LEN]);
            raw.copy_from_slice(&payload[..seal::FILE_KEY_LEN]);
            payload[..seal::FILE_KEY_LEN].zeroize();
            let key = seal::FileKey::from_bytes(*raw);
            seal::open_with_file_key(&key, &payload[seal::FILE_KEY_LEN..])
                .map_err(|e| e.to_string())
        }
    }
}

/// Reads the `session` frame and builds the opener for its envelopes.
fn receive_session(stdin: &mut impl io::Read) -> Result<Opener> {
    let mut key = Zeroizing::new([0u8; seal::SESSION_KEY_LEN]);
    let message =
        protocol::read_secret_frame(stdin, &mut key[..]).context("reading the session frame")?;
    let Message::Session { session_id } = &message else {
        anyhow::bail!("expected a session frame, got {}", message_type(&message));
    };
    let session_id = parse_session_id(session_id).context("bad session id")?;
    Ok(Opener::new(session_id, SessionKey::from_bytes(*key)))
}

/// Parses 32 hex digits into a session id.
pub fn parse_session_id(hex: &str) -> Option<SessionId> {
    crate::source::unhex(hex).map(SessionId::from_bytes)
}

/// Tells the parent why the worker is about to exit.
fn report_fatal(output: &mut impl Write, e: &anyhow::Error) {
    let message = Message::Error {
        id: None,
        message: format!("{e:#}"),
        code: None,
    };
    let _ = protocol::write_frame(output, &Frame::new(message));
    let _ = output.flush();
}

/// The `type` tag of a message, for error messages.
pub fn message_type(message: &Message) -> &'static str {
    match message {
        Message::Hello { .. } => "hello",
        Message::Analyze { .. } => "analyze",
        Message::Result { .. } => "result",
        Message::Ast { .. } => "ast",
        Message::Error { .. } => "error",
        Message::Session { .. } => "session",
        Message::Rules { .. } => "rules",
        Message::Shutdown => "shutdown",
        Message::OpenSession { .. } => "open_session",
        Message::Busy { .. } => "busy",
        Message::Status => "status",
        Message::StatusReport => "status_report",
        Message::Stop => "stop",
        Message::Lookup { .. } => "lookup",
        Message::Miss { .. } => "miss",
    }
}

/// Gives tree-sitter mimalloc instead of the C library's malloc. A parse allocates and frees
/// millions of small nodes; with glibc, freeing a tree (`malloc_consolidate`) and allocating
/// cost about a sixth of the worker's time.
fn use_fast_allocator() {
    // SAFETY: called once, first thing in the worker, before any tree-sitter object exists;
    // the four functions below follow the C malloc family's contracts.
    unsafe {
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc: ts_malloc,
            calloc: ts_calloc,
            realloc: ts_realloc,
            free: ts_free,
        }));
    }
}

// tree-sitter does not check what a replacement allocator returns, so a failed allocation
// (the worker's memory limit) must end the process here, with a message, rather than as a
// null-pointer crash somewhere in the parser.
unsafe extern "C" fn ts_malloc(size: usize) -> *mut std::ffi::c_void {
    // SAFETY: plain malloc contract.
    checked(unsafe { libmimalloc_sys::mi_malloc(size) }, size)
}
unsafe extern "C" fn ts_calloc(count: usize, size: usize) -> *mut std::ffi::c_void {
    // SAFETY: plain calloc contract.
    checked(
        unsafe { libmimalloc_sys::mi_calloc(count, size) },
        count.saturating_mul(size),
    )
}
unsafe extern "C" fn ts_realloc(ptr: *mut std::ffi::c_void, size: usize) -> *mut std::ffi::c_void {
    // SAFETY: `ptr` came from this allocator, as tree-sitter guarantees.
    checked(unsafe { libmimalloc_sys::mi_realloc(ptr, size) }, size)
}
unsafe extern "C" fn ts_free(ptr: *mut std::ffi::c_void) {
    // SAFETY: `ptr` came from this allocator (or is null).
    unsafe { libmimalloc_sys::mi_free(ptr) }
}

fn checked(ptr: *mut std::ffi::c_void, size: usize) -> *mut std::ffi::c_void {
    if ptr.is_null() && size != 0 {
        // Formatting an integer into stderr does not allocate.
        let _ = writeln!(
            io::stderr(),
            "astscan worker: memory allocation of {size} bytes failed (see --worker-memory)"
        );
        std::process::abort();
    }
    ptr
}

/// Makes the worker die with its parent and caps its address space.
fn apply_process_limits(memory_limit_mb: u64, parent_pid: Option<u32>) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Signal, set_parent_process_death_signal};
        // If the parent is killed outright, its workers must not live on as orphans.
        set_parent_process_death_signal(Some(Signal::KILL))
            .context("setting the parent-death signal")?;
        // The signal is armed only now: if the parent died before this point, say so.
        if let Some(expected) = parent_pid {
            let actual = rustix::process::getppid().map(|p| p.as_raw_nonzero().get() as u32);
            if actual != Some(expected) {
                anyhow::bail!("the parent process exited before the worker started");
            }
        }
    }
    if memory_limit_mb > 0 {
        let bytes = memory_limit_mb.saturating_mul(1024 * 1024);
        rustix::process::setrlimit(
            rustix::process::Resource::As,
            rustix::process::Rlimit {
                current: Some(bytes),
                maximum: Some(bytes),
            },
        )
        .context("setting the worker memory limit")?;
    }
    Ok(())
}
