//! The child side of the worker protocol: `astscan worker`, spawned by the parent with piped
//! stdio. It says hello, then answers `analyze` requests one at a time until stdin closes.
//!
//! A worker is disposable by design: it limits its own address space, dies with its parent,
//! and on anything it cannot make sense of it reports and exits, leaving recovery to the pool.

pub mod analyze;
pub mod ast;
pub mod kinds;

use std::io::{self, BufReader, BufWriter, Write};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::lang::Language;
use crate::protocol::{
    self, DEFAULT_MAX_PAYLOAD, Frame, Message, Outcome, PROTOCOL_VERSION, PayloadEncoding,
};
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
}

/// Runs the worker loop on stdin/stdout until end of input.
pub fn run(args: &WorkerArgs) -> Result<()> {
    apply_process_limits(args.memory_limit_mb, args.parent_pid)?;
    let mut input = BufReader::with_capacity(256 * 1024, io::stdin().lock());
    let mut output = BufWriter::with_capacity(256 * 1024, io::stdout().lock());

    let mut analyzer = Analyzer::new();
    for lang in Language::all() {
        // Compile every language's data up front: a broken data file is a start-up error.
        analyzer.prepare(lang).context("compiling language data")?;
    }
    let hello = Message::Hello {
        protocol: PROTOCOL_VERSION,
        build_id: crate::BUILD_ID.to_string(),
        languages: Language::all().map(|l| l.name().to_string()).collect(),
        pid: std::process::id(),
    };
    protocol::write_frame(&mut output, &Frame::new(hello))?;
    output.flush()?;

    let mut ast_buf = Vec::new();
    loop {
        let frame = match protocol::read_frame(&mut input, DEFAULT_MAX_PAYLOAD) {
            Ok(Some(frame)) => frame,
            Ok(None) => return Ok(()),
            Err(e) => {
                // After a bad frame the stream cannot be resynchronised: say why and stop.
                let message = Message::Error {
                    id: None,
                    message: e.to_string(),
                };
                let _ = protocol::write_frame(&mut output, &Frame::new(message));
                let _ = output.flush();
                return Err(e).context("reading a request");
            }
        };
        match frame.message {
            Message::Analyze {
                id,
                language,
                path: _,
                encoding,
                deadline_ms,
                want_ast,
                ast_max_depth,
            } => {
                let outcome = match (Language::from_name(&language), encoding) {
                    (None, _) => Outcome::Failed {
                        reason: format!("worker does not support language {language:?}"),
                    },
                    (Some(lang), PayloadEncoding::Plain) => {
                        match analyzer.analyze(
                            lang,
                            &frame.payload,
                            Duration::from_millis(deadline_ms),
                        ) {
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
                            },
                        }
                    }
                };
                let body = serde_json::to_vec(&outcome).context("encoding a result")?;
                protocol::write_parts(&mut output, &Message::Result { id }, &body)?;
                output.flush()?;
            }
            Message::Shutdown => return Ok(()),
            other => {
                let message = Message::Error {
                    id: None,
                    message: format!("unexpected message for a worker: {}", message_type(&other)),
                };
                protocol::write_frame(&mut output, &Frame::new(message))?;
                output.flush()?;
            }
        }
    }
}

/// The `type` tag of a message, for error messages.
fn message_type(message: &Message) -> &'static str {
    match message {
        Message::Hello { .. } => "hello",
        Message::Analyze { .. } => "analyze",
        Message::Result { .. } => "result",
        Message::Ast { .. } => "ast",
        Message::Error { .. } => "error",
        Message::Shutdown => "shutdown",
    }
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
