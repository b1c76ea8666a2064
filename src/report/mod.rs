//! Reports: the per-file record and summary every format is built from, and the writers.
//!
//! Records are written as they complete, in the order the walk found the files (a small
//! reorder buffer in the scan restores it), so output is deterministic and memory does not
//! grow with the repository. SARIF is the exception: its results are kept (within code
//! scanning's upload limits) and written at the end, when it is known which ones fit. The
//! JSON report's schema is derived from these types (`src/report/report.schema.json`), so it
//! cannot drift from the code.

pub mod ast;
pub mod baseline;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod root;
pub mod ruleset;
pub mod sarif;
pub mod sarif_limits;
pub mod tee;
pub mod text;

use std::collections::BTreeMap;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::analysis::{Class, Finding, Function, Import, SyntaxError};
use crate::lang::Language;
use crate::rules::Severity;

/// Version of the JSON report layout; bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// What happened to one input file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// Parsed without syntax errors.
    Parsed,
    /// Parsed; the tree has syntax errors (listed in `syntax_errors`).
    ParsedWithErrors,
    /// Deliberately not analysed; `reason` says why.
    Skipped,
    /// Could not be analysed; `reason` says why. Makes the scan incomplete (exit code 2).
    Failed,
}

/// Machine-readable reason for a skipped or failed file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// Skipped: not a language astscan parses (explicit file arguments only).
    Unsupported,
    /// Skipped: its language is not among `--lang`.
    LanguageNotSelected,
    /// Skipped: matched by an ignore file or `--exclude` (explicit file arguments only).
    Ignored,
    /// Skipped: larger than `--max-file-size`.
    TooLarge,
    /// Skipped: contains NUL bytes in its first 8 KiB.
    Binary,
    /// Skipped: minified (very long average line length).
    Minified,
    /// Skipped: marked as generated (`@generated`, `Code generated … DO NOT EDIT.`).
    Generated,
    /// Skipped: a FIFO, socket or device.
    NotRegularFile,
    /// Skipped: a symbolic link loop or a dangling link.
    BrokenSymlink,
    /// Skipped: deleted between being listed and being read.
    Vanished,
    /// Skipped: a git submodule (`--staged`, `--diff`); scan it in its own repository.
    Submodule,
    /// Skipped: unmerged in the index (`--staged`); resolve the conflict first.
    Unmerged,
    /// Failed: the path given on the command line does not exist.
    NotFound,
    /// Failed: the file or directory could not be read.
    Unreadable,
    /// Failed: parsing did not finish within `--timeout`.
    Timeout,
    /// Failed: the parser worker crashed on the file, twice.
    WorkerCrash,
    /// Failed: no parser worker was available for the file.
    WorkerUnavailable,
    /// Failed: the worker could not analyse the file.
    AnalysisFailed,
    /// Failed: the file's sealed envelope could not be made or did not verify.
    EnvelopeRejected,
}

impl ReasonCode {
    /// The status a file with this reason has.
    pub fn status(self) -> FileStatus {
        use ReasonCode::*;
        match self {
            Unsupported | LanguageNotSelected | Ignored | TooLarge | Binary | Minified
            | Generated | NotRegularFile | BrokenSymlink | Vanished | Submodule | Unmerged => {
                FileStatus::Skipped
            }
            NotFound | Unreadable | Timeout | WorkerCrash | WorkerUnavailable | AnalysisFailed
            | EnvelopeRejected => FileStatus::Failed,
        }
    }

    /// The code as it appears in reports.
    pub fn as_str(self) -> &'static str {
        use ReasonCode::*;
        match self {
            Unsupported => "unsupported",
            LanguageNotSelected => "language_not_selected",
            Ignored => "ignored",
            TooLarge => "too_large",
            Binary => "binary",
            Minified => "minified",
            Generated => "generated",
            NotRegularFile => "not_regular_file",
            BrokenSymlink => "broken_symlink",
            Vanished => "vanished",
            Submodule => "submodule",
            Unmerged => "unmerged",
            NotFound => "not_found",
            Unreadable => "unreadable",
            Timeout => "timeout",
            WorkerCrash => "worker_crash",
            WorkerUnavailable => "worker_unavailable",
            AnalysisFailed => "analysis_failed",
            EnvelopeRejected => "envelope_rejected",
        }
    }
}

/// Why a file was skipped or failed: a code for machines, a sentence for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    /// The kind of reason.
    pub code: ReasonCode,
    /// Details in words (never file contents).
    pub message: String,
}

impl Reason {
    /// A reason with a message.
    pub fn new(code: ReasonCode, message: impl Into<String>) -> Self {
        Reason {
            code,
            message: message.into(),
        }
    }
}

/// One input file in the report.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct FileReport {
    /// The path, escaped so that it is printable and names no other file. In the JSON report
    /// it is relative to the report's root (the git work tree's root, `--path-root`, or the
    /// current directory; no leading `./`), or absolute for a file outside the root; in the
    /// text report it is as given or found by the walk. Escaped: `\\` for a backslash, `\n` `\r` `\t`, `\xNN` for other control bytes and
    /// for bytes that are not UTF-8, `\u{NNNN}` for C1 and bidi controls (README: "Paths in
    /// reports"). When this is not the name byte for byte, `path_bytes` holds the exact name.
    pub path: String,
    /// The path's exact bytes, lower-case hex; present only when `path` had to be escaped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, schemars(regex(pattern = "^([0-9a-f]{2})+$")))]
    pub path_bytes: Option<String>,
    /// What happened to the file.
    pub status: FileStatus,
    /// For skipped and failed files: why, as a code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<ReasonCode>,
    /// For skipped and failed files: why, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The language, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// Size in bytes, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// SHA-256 of the contents (lower-case hex), once read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Who analysed the file, for files sent to a worker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend: Option<Backend>,
    /// Parse results, for parsed files.
    #[serde(default, skip_serializing_if = "Option::is_none", flatten)]
    pub parse: Option<ParseReport>,
}

/// The parse results of a parsed file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ParseReport {
    /// Number of lines.
    pub lines: u64,
    /// Parse and analysis time in the worker, milliseconds.
    pub parse_ms: f64,
    /// Number of syntax error nodes.
    pub syntax_error_count: u64,
    /// The first syntax errors (at most 10).
    pub syntax_errors: Vec<SyntaxError>,
    /// Functions and methods with metrics.
    pub functions: Vec<Function>,
    /// Classes and other type declarations.
    pub classes: Vec<Class>,
    /// Imported modules.
    pub imports: Vec<Import>,
    /// Security rule findings (suppressed and baselined ones included, marked).
    pub findings: Vec<Finding>,
    /// Functions the taint analysis followed only partly: their findings may be incomplete.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incomplete: Vec<crate::analysis::Incomplete>,
    /// Suppression comments that suppressed nothing.
    pub unused_suppressions: Vec<crate::rules::suppress::Suppression>,
}

impl FileReport {
    /// A record for a file that was skipped or failed.
    pub fn not_analyzed(path: &Path, reason: Reason) -> Self {
        let mut report = FileReport {
            path: String::new(),
            path_bytes: None,
            status: reason.code.status(),
            reason_code: Some(reason.code),
            reason: Some(reason.message),
            language: None,
            bytes: None,
            sha256: None,
            backend: None,
            parse: None,
        };
        report.set_path(path.as_os_str().as_bytes());
        report
    }

    /// Names the file `path` (bytes): sets `path`, and `path_bytes` when it must be escaped.
    pub fn set_path(&mut self, path: &[u8]) {
        let as_path = Path::new(std::ffi::OsStr::from_bytes(path));
        self.path = crate::pathfmt::escape(as_path);
        self.path_bytes = crate::pathfmt::is_escaped(as_path).then(|| crate::source::hex(path));
    }
}

impl FileReport {
    /// The file's name as bytes: `path_bytes` when present, else `path` itself.
    pub fn path_raw(&self) -> Vec<u8> {
        self.path_bytes
            .as_deref()
            .and_then(unhex)
            .unwrap_or_else(|| self.path.as_bytes().to_vec())
    }
}

/// Parses lower-case or upper-case hex of any even length.
fn unhex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Which process analysed a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    /// A worker started by this astscan process.
    Direct,
    /// A worker of the daemon.
    Daemon,
    /// The daemon's result cache (no parse).
    DaemonCache,
    /// The on-disk result cache of direct scans (no parse).
    Cache,
    /// The remote result cache a team shares (no parse).
    Remote,
}

/// Totals for a scan; the file counts add up: `files = parsed + parsed_with_errors + skipped + failed`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Summary {
    /// Input files seen.
    pub files: u64,
    /// Files parsed without syntax errors.
    pub parsed: u64,
    /// Files parsed with syntax errors.
    pub parsed_with_errors: u64,
    /// Files skipped.
    pub skipped: u64,
    /// Files that failed.
    pub failed: u64,
    /// Skipped files per reason code.
    pub skipped_by_reason: BTreeMap<String, u64>,
    /// Failed files per reason code.
    pub failed_by_reason: BTreeMap<String, u64>,
    /// Parsed files per language.
    pub parsed_by_language: BTreeMap<String, u64>,
    /// Bytes of the parsed files.
    pub bytes: u64,
    /// Lines of the parsed files.
    pub lines: u64,
    /// Functions found.
    pub functions: u64,
    /// Classes and type declarations found.
    pub classes: u64,
    /// Imports found.
    pub imports: u64,
    /// Rule findings, without suppressed and baselined ones.
    pub findings: u64,
    /// Findings suppressed by `astscan-ignore` comments.
    pub suppressed: u64,
    /// Findings hidden by the `--baseline`.
    pub baselined: u64,
    /// Suppression comments that suppressed nothing.
    pub unused_suppressions: u64,
    /// Rule findings per severity.
    pub findings_by_severity: BTreeMap<String, u64>,
    /// Findings at or above the `--fail-on` threshold: any makes the exit code 1.
    pub failing_findings: u64,
    /// Wall-clock time of the scan, milliseconds.
    pub elapsed_ms: f64,
    /// Parsed files per second of wall-clock time.
    pub files_per_second: f64,
    /// Parsed bytes per second of wall-clock time.
    pub bytes_per_second: f64,
    /// Files answered from a result cache (the on-disk one, the daemon's or the remote one)
    /// without a parse.
    #[serde(default)]
    pub from_cache: u64,
    /// What the remote cache did, when one is configured (`--cache-url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<crate::cache::remote::RemoteStats>,
    /// Parser worker processes started.
    pub workers_started: u64,
    /// Workers that crashed or were killed and replaced.
    pub worker_restarts: u64,
    /// Why the scan stopped before it saw every input (the exit code is then 2); absent when
    /// it saw them all. The counts cover the files it did see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incomplete: Option<String>,
    /// Per-rule costs, most expensive first; only with `--time-rules`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule_times: Vec<crate::rules::timing::RuleTiming>,
    /// The lowest severity that counts as failing (from `--fail-on`); not reported.
    #[serde(skip)]
    #[cfg_attr(test, schemars(skip))]
    pub fail_threshold: Option<Severity>,
}

impl Summary {
    /// Counts one file.
    pub fn add(&mut self, file: &FileReport) {
        self.files += 1;
        if matches!(
            file.backend,
            Some(Backend::Cache | Backend::DaemonCache | Backend::Remote)
        ) {
            self.from_cache += 1;
        }
        match file.status {
            FileStatus::Parsed => self.parsed += 1,
            FileStatus::ParsedWithErrors => self.parsed_with_errors += 1,
            FileStatus::Skipped => self.skipped += 1,
            FileStatus::Failed => self.failed += 1,
        }
        if let Some(code) = file.reason_code {
            let map = match file.status {
                FileStatus::Failed => &mut self.failed_by_reason,
                _ => &mut self.skipped_by_reason,
            };
            *map.entry(code.as_str().to_string()).or_insert(0) += 1;
        }
        if let Some(parse) = &file.parse {
            if let Some(lang) = file.language {
                *self
                    .parsed_by_language
                    .entry(lang.name().to_string())
                    .or_insert(0) += 1;
            }
            self.bytes += file.bytes.unwrap_or(0);
            self.lines += parse.lines;
            self.functions += parse.functions.len() as u64;
            self.classes += parse.classes.len() as u64;
            self.imports += parse.imports.len() as u64;
            self.unused_suppressions += parse.unused_suppressions.len() as u64;
            for f in &parse.findings {
                if f.suppressed.is_some() {
                    self.suppressed += 1;
                    continue;
                }
                if f.baselined {
                    self.baselined += 1;
                    continue;
                }
                self.findings += 1;
                *self
                    .findings_by_severity
                    .entry(f.severity.to_string())
                    .or_insert(0) += 1;
                if self.fail_threshold.is_some_and(|t| f.severity >= t) {
                    self.failing_findings += 1;
                }
            }
        }
    }

    /// Sets the timing figures.
    pub fn finish(&mut self, elapsed: std::time::Duration) {
        let secs = elapsed.as_secs_f64();
        self.elapsed_ms = (secs * 1000.0 * 10.0).round() / 10.0;
        if secs > 0.0 {
            let parsed = (self.parsed + self.parsed_with_errors) as f64;
            self.files_per_second = (parsed / secs * 10.0).round() / 10.0;
            self.bytes_per_second = (self.bytes as f64 / secs).round();
        }
    }
}

/// The tool that wrote a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Tool {
    /// Always `astscan`.
    pub name: String,
    /// The astscan version.
    pub version: String,
}

impl Tool {
    /// This build of astscan.
    pub fn current() -> Self {
        Tool {
            name: "astscan".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// The whole JSON report (`--format json`). Written incrementally; this type documents the
/// shape and generates the published schema.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The tool that wrote the report.
    pub tool: Tool,
    /// The fingerprint (SHA-256, hex) of the rules and the options that change findings the
    /// scan ran with; `astscan merge` merges only reports that share it.
    pub ruleset: String,
    /// Every input file, in walk order.
    pub files: Vec<FileReport>,
    /// Totals.
    pub summary: Summary,
}

/// The report schema as pretty JSON, as checked in at `src/report/report.schema.json`. Only the
/// test that regenerates the checked-in copy needs it, so `schemars` is a dev-dependency and the
/// shipped binary carries no schema generator.
#[cfg(test)]
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Report);
    // Serialising a schema value into a string cannot fail.
    let mut out = serde_json::to_string_pretty(&schema).expect("schema serialises");
    out.push('\n');
    out
}

/// A report writer: sees each file as it completes, then the summary.
pub trait Reporter {
    /// Called once before any file.
    fn begin(&mut self) -> io::Result<()>;
    /// Called for each file in walk order; `ast` is the tree dump when one was requested.
    fn file(&mut self, file: &FileReport, ast: Option<&[u8]>) -> io::Result<()>;
    /// Called once at the end.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}
