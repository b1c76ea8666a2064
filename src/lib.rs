//! astscan: a source code scanner that parses files with tree-sitter in crash-isolated worker
//! processes and reports structure, metrics and parse status.
//!
//! Module map:
//! - [`cli`]: clap types for the command line · [`commands`]: one entry per subcommand
//! - [`config`]: the project configuration file (`.astscan.toml`)
//! - [`git`]: staged files and changes since a revision (`--staged`, `--diff`)
//! - [`walk`]: finding input files and their languages · [`lang`]: the language registry ·
//!   [`lexical`]: `.`/`..` and common ancestors of paths as text
//! - [`source`]: reading a file, size/binary/minified gates, SHA-256 · [`longpath`]: opening
//!   paths longer than `PATH_MAX` · [`pathfmt`]: the one escape every shown path goes through
//! - [`seal`]: the sealed envelope (chunked AES-256-GCM) files travel in between processes
//! - [`protocol`]: frames and messages between processes · [`worker`]: the child side
//!   (parse, structure, metrics, AST dump) · [`pool`]: the parent side (spawn, deadlines,
//!   restarts)
//! - [`deadline`]: the per-file deadline in CPU time · [`harden`]: no core dumps of key holders
//! - [`interrupt`]: SIGINT, SIGTERM and SIGHUP as a request to stop · [`output`]: `-o FILE`,
//!   replaced only by a finished report
//! - [`plan`]: the command line and configuration validated into a scan's configuration
//! - [`scan`]: the pipeline tying them together · [`report`]: text, JSON and AST output
//! - [`shard`]: `--shard I/N`, one share of the inputs · [`merge`]: reports of shards or
//!   separate scans as one
//! - [`rules`]: declarative security rules (format, validation, evaluation, fixture tests)
//! - [`analysis`]: what a worker learns about a file · [`progress`]: the progress bar
//! - [`daemon`]: the local daemon (sessions, warm pools, result cache) and its client
//! - [`cache`]: results by content: the shared key, the on-disk cache of direct scans and the
//!   remote tier a team shares
//! - [`graph`]: the import graph: imports resolved to files, external packages, cycles
//! - [`mcp`]: the Model Context Protocol server for coding agents (tools over the scan plan,
//!   paths confined to one root, bounded outputs)
//! - `assets` (tests only): the generated shell completions, man pages and report schema

pub mod analysis;
#[cfg(test)]
pub mod assets;
pub mod cache;
pub mod cli;
pub mod commands;
pub mod config;
pub mod daemon;
pub mod deadline;
pub mod git;
pub mod graph;
pub mod harden;
pub mod interrupt;
pub mod lang;
pub mod lexical;
pub mod longpath;
pub mod mcp;
pub mod merge;
pub mod output;
pub mod pathfmt;
pub mod plan;
pub mod pool;
pub mod progress;
pub mod protocol;
pub mod report;
pub mod rules;
pub mod scan;
pub mod seal;
pub mod shard;
pub mod source;
pub mod walk;
pub mod worker;

use std::process::ExitCode;

/// Identity of this build, compared in the worker handshake.
pub const BUILD_ID: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("ASTSCAN_BUILD_HASH"));

/// How a run ended; the one place exit codes are decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: every input was parsed, parsed with syntax errors, or skipped.
    Success,
    /// 1: findings at or above the `--fail-on` severity (and no file failed).
    Findings,
    /// 2: usage error, or an incomplete scan (a path is missing or a file failed).
    Error,
    /// 128 + signal: interrupted by SIGINT, SIGTERM or SIGHUP.
    Interrupted(i32),
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        match status {
            ExitStatus::Success => ExitCode::SUCCESS,
            ExitStatus::Findings => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
            ExitStatus::Interrupted(sig) => ExitCode::from(u8::try_from(128 + sig).unwrap_or(130)),
        }
    }
}

/// Locks a mutex, ignoring poisoning: the data behind every mutex here stays consistent
/// between statements, so a panic elsewhere does not make it unusable.
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs a parsed command line.
pub fn run(cli: cli::Cli) -> anyhow::Result<ExitStatus> {
    match cli.command {
        cli::Command::Analyze(args) => commands::analyze::run(args),
        cli::Command::Rules(command) => commands::rules::run(command),
        cli::Command::Daemon(args) => commands::daemon::run(args),
        cli::Command::Cache(command) => commands::cache::run(command),
        cli::Command::Merge(args) => commands::merge::run(args),
        cli::Command::Graph(args) => commands::graph::run(args),
        cli::Command::Mcp(args) => commands::mcp::run(args),
        cli::Command::Worker(args) => {
            worker::run(&args)?;
            Ok(ExitStatus::Success)
        }
    }
}
