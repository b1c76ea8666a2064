//! The command line, as clap types. Parsing only: turning these into a validated scan
//! configuration happens in `commands::analyze`.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::lang::Language;
use crate::progress::When;

/// astscan — a fast, crash-isolated source code scanner.
///
/// Walks a repository (honouring .gitignore), parses every supported file with tree-sitter in
/// separate worker processes, and reports structure, metrics and parse status.
#[derive(Debug, Parser)]
#[command(
    name = "astscan",
    version,
    about = "A fast, crash-isolated source code scanner",
    long_about = None,
    propagate_version = true,
    max_term_width = 100,
    after_help = "Exit codes: 0 success, 1 findings, 2 usage error or incomplete scan.\n\
                  See 'astscan help analyze' for the scan options."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
// Parsed once per process; boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Scan files and directories and report structure, metrics and parse status.
    #[command(after_long_help = "Examples:\n  \
          astscan analyze                      scan the current directory\n  \
          astscan analyze src tests -l python  only Python files under src/ and tests/\n  \
          astscan analyze --format json -o report.json .\n  \
          astscan analyze --format ast app.js  dump the syntax tree as JSON\n\n\
          Exit codes:\n  \
          0  every file was parsed, skipped or parsed with syntax errors\n  \
          1  findings at or above --fail-on (default: any finding)\n  \
          2  usage error, or an incomplete scan (a path is missing or a file failed)")]
    Analyze(AnalyzeArgs),
    /// The import graph of a repository: which file imports which, external packages,
    /// unresolved imports and import cycles.
    #[command(after_long_help = "Examples:\n  \
          astscan graph                        a summary: cycles, hubs, files nothing imports\n  \
          astscan graph --format json -o graph.json src\n  \
          astscan graph --format dot | dot -Tsvg > graph.svg\n  \
          astscan graph --fail-on-cycles       in CI: exit 1 when an import cycle exists\n  \
          astscan graph --from-reports shard-*.json   the graph of sharded scans\n\n\
          Exit codes:\n  \
          0  the graph was written (and, with --fail-on-cycles, has no cycle)\n  \
          1  --fail-on-cycles and the graph has a cycle\n  \
          2  usage error, or an incomplete scan (a path is missing or a file failed)")]
    Graph(GraphArgs),
    /// List the security rules, or test rules against their annotated fixtures.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Run the local daemon (warm workers, result cache), or query or stop it.
    #[command(after_long_help = "Examples:\n  \
          astscan daemon --async --detach      serve scans in the background until stopped\n  \
          astscan daemon status                what the running daemon is doing\n  \
          astscan daemon stop                  stop it (in-flight scans finish first)\n\n\
          While a daemon runs, `astscan analyze` sends files to it (see --daemon).")]
    Daemon(DaemonArgs),
    /// Show, locate or clear the result cache of direct scans.
    #[command(subcommand)]
    Cache(CacheCommand),
    /// Merge the JSON or SARIF reports of shards (`analyze --shard I/N`) or of separate scans
    /// into one report.
    #[command(after_long_help = "Examples:\n  \
          astscan merge shard-*.json -o report.json\n  \
          astscan merge --format sarif -o astscan.sarif shard-*.json\n  \
          astscan merge shard-*.sarif > astscan.sarif\n\n\
          Exit codes:\n  \
          0  no finding at or above --fail-on, and every file was analysed\n  \
          1  findings at or above --fail-on (default: any finding)\n  \
          2  a report is missing, unreadable, not an astscan report, or does not match the\n     \
          others; or a merged file failed or a scan was incomplete")]
    Merge(MergeArgs),
    /// Serve coding agents over the Model Context Protocol on stdin/stdout: scans, structure,
    /// hotspots, the import graph, rules and syntax trees of the files under one root.
    #[command(
        after_long_help = "Register it with an MCP client as a stdio server:\n  \
          {\"mcpServers\": {\"astscan\": {\"command\": \"astscan\", \"args\": [\"mcp\"]}}}\n\n\
          Tools: scan, scan_code, structure, hotspots, dependency_graph, list_rules,\n\
          explain_rule, ast. Paths outside --root (through .., symbolic links or absolute\n\
          paths) and devices are refused. Roots the client declares (roots/list) replace\n\
          the current directory, narrowed to --root when it is given.\n\
          The server exits when its standard input closes."
    )]
    Mcp(McpArgs),
    /// Serve parse requests on stdin/stdout (started by astscan itself).
    #[command(hide = true)]
    Worker(crate::worker::WorkerArgs),
}

/// Where the result cache lives and how large it may grow.
#[derive(Debug, Clone, Args)]
pub struct CacheArgs {
    /// The result cache's directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan].
    #[arg(long, value_name = "DIR", env = "ASTSCAN_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Evict least recently used results when the cache grows past this size.
    #[arg(long, value_name = "SIZE", default_value = "512M", value_parser = parse_size)]
    pub cache_max_size: u64,
}

/// A result cache shared by a team on a Redis server, behind the local one.
#[derive(Debug, Clone, Default, Args)]
pub struct RemoteCacheArgs {
    /// Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or
    /// redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the
    /// URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed.
    #[arg(
        long,
        value_name = "URL",
        env = "ASTSCAN_CACHE_URL",
        hide_env_values = true
    )]
    pub cache_url: Option<String>,

    /// The team key that authenticates remote entries: a file only you can read (mode 0600)
    /// holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the
    /// remote cache is not used.
    #[arg(long, value_name = "FILE", env = "ASTSCAN_CACHE_KEY_FILE")]
    pub cache_key_file: Option<PathBuf>,

    /// Read the remote cache without a team key, and never write to it. UNSAFE on a shared
    /// server: whoever can write to it can change results and hide findings.
    #[arg(long)]
    pub cache_unauthenticated: bool,

    /// Lifetime of the entries written to the remote cache [default: 30d].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub cache_ttl: Option<std::time::Duration>,

    /// Give up connecting to the remote cache after this long.
    #[arg(long, value_name = "DURATION", default_value = "200ms", value_parser = parse_duration)]
    pub cache_connect_timeout: std::time::Duration,

    /// Give up on one remote cache command after this long; after 3 failures in a row the
    /// scan goes on without the remote cache.
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration)]
    pub cache_timeout: std::time::Duration,
}

/// `astscan cache stats|clear|path`
#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Entries and bytes the result cache holds (and the remote one, with --cache-url).
    Stats {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        cache: CacheArgs,
        #[command(flatten)]
        remote: RemoteCacheArgs,
    },
    /// Remove every cached result.
    Clear {
        #[command(flatten)]
        cache: CacheArgs,
        /// Remove this engine build's entries from the remote cache (--cache-url) instead;
        /// other builds' entries and other data on the server stay.
        #[arg(long)]
        remote: bool,
        #[command(flatten)]
        remote_cache: RemoteCacheArgs,
    },
    /// Print the cache directory.
    Path {
        #[command(flatten)]
        cache: CacheArgs,
    },
}

/// `astscan daemon [OPTIONS] [status|stop]`
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DaemonArgs {
    /// Query or stop a running daemon instead of starting one.
    #[command(subcommand)]
    pub command: Option<DaemonCommand>,

    /// Socket path [default: $XDG_RUNTIME_DIR/astscan/daemon.sock, or /tmp/astscan-UID/].
    #[arg(long, value_name = "PATH", env = "ASTSCAN_SOCKET", global = true)]
    pub socket: Option<PathBuf>,

    /// Serve connections concurrently, with fair scheduling between sessions (without it,
    /// one connection at a time).
    #[arg(long = "async")]
    pub concurrent: bool,

    /// Exit after no request for this long (e.g. 30m, 2h) [default: never].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub idle_timeout: Option<std::time::Duration>,

    /// Worker processes per rule/option set [default: available CPUs].
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_count)]
    pub workers: Option<NonZeroUsize>,

    /// Languages every worker compiles at start-up (built-in rules, default options).
    #[arg(long, value_name = "LANGS", value_delimiter = ',')]
    pub prewarm: Vec<Language>,

    /// A session unused for this long expires.
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = parse_duration)]
    pub session_ttl: std::time::Duration,

    /// Result cache size in memory (bytes; K, M, G suffixes are powers of 1024; 0 disables
    /// it). Behind it the daemon shares the result cache directory of direct scans.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub cache_size: u64,

    /// Keep results in memory only: do not read or write the result cache directory that
    /// direct scans share.
    #[arg(long, env = "ASTSCAN_NO_CACHE", action = clap::ArgAction::SetTrue,
          value_parser = clap::builder::FalseyValueParser::new())]
    pub no_cache: bool,

    /// The result cache directory and its size cap, as for direct scans.
    #[command(flatten)]
    pub disk_cache: CacheArgs,

    /// A remote cache behind memory and the directory, as for direct scans.
    #[command(flatten)]
    pub remote_cache: RemoteCacheArgs,

    /// Open connections served at once; more are told to retry.
    #[arg(long, value_name = "N", default_value_t = 2048)]
    pub max_connections: usize,

    /// Files one session may have queued or parsing; more are told to retry.
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub max_in_flight: usize,

    /// Largest file the daemon accepts (bytes; K, M, G suffixes).
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_file_size: u64,

    /// Replace a worker after this many files.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub recycle_after: u64,

    /// Replace a worker whose resident memory exceeds this many MiB.
    #[arg(long, value_name = "MIB", default_value_t = 1024)]
    pub recycle_rss: u64,

    /// Niceness of the workers (0-19). They do background work for every client; a little
    /// below normal priority keeps a long scan from crowding out the interactive processes
    /// (editors, the clients themselves) on a busy machine. It costs nothing on an idle one.
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(i32).range(0..=19))]
    pub worker_nice: i32,

    /// After files of a language crashed workers 5 times in a row, that language is refused
    /// for this long (clients scan its files directly meanwhile), then tried again; the same
    /// for workers that fail to start.
    #[arg(long, value_name = "DURATION", default_value = "1m", value_parser = parse_duration)]
    pub quarantine: std::time::Duration,

    /// Stop a worker that had nothing to do for this long.
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub worker_idle: std::time::Duration,

    /// Time in-flight files get to finish at shutdown.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    pub grace: std::time::Duration,

    /// Most verbose log level written to the log.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = crate::daemon::log::Level::Info)]
    pub log_level: crate::daemon::log::Level,

    /// Start in the background, detached from the terminal: wait until the daemon listens,
    /// print its pid and exit (logging to --log-file).
    #[arg(long)]
    pub detach: bool,

    /// Append the log to this file instead of writing it to stderr [default with --detach:
    /// $XDG_STATE_HOME/astscan/daemon.log, or ~/.local/state/astscan/daemon.log].
    #[arg(long, value_name = "PATH")]
    pub log_file: Option<PathBuf>,
}

/// `astscan daemon status|stop`
#[derive(Debug, Subcommand)]
pub enum DaemonCommand {
    /// Show what the running daemon is doing.
    Status {
        /// Output format.
        #[arg(long, value_enum, value_name = "FORMAT", default_value_t = StatusFormat::Text)]
        format: StatusFormat,
        /// Same as --format json.
        #[arg(long, conflicts_with = "format")]
        json: bool,
    },
    /// Stop the running daemon (in-flight files finish first).
    Stop,
}

/// Formats of `astscan daemon status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    /// For people.
    Text,
    /// The status document.
    Json,
    /// Prometheus text exposition format (for a node exporter's textfile collector).
    Prometheus,
}

/// When `astscan analyze` uses the daemon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DaemonMode {
    /// Use a running daemon; scan directly when none runs or it fails.
    Auto,
    /// Use the daemon; fail (exit 2) when it is not there or fails.
    Always,
    /// Never use the daemon.
    Never,
}

/// Parses `500ms`, `30s`, `15m`, `2h`.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let d = humantime::parse_duration(s).map_err(|e| format!("{s:?}: {e} (e.g. 30s, 15m, 2h)"))?;
    if d.is_zero() {
        return Err(format!("{s:?} must be longer than zero"));
    }
    Ok(d)
}

/// `astscan rules ...`
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the built-in rules (and those in --rules directories).
    List {
        /// Output format.
        #[arg(short, long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        /// Also load the rules in DIR (every *.yaml below it; repeatable).
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
    /// Check rules against annotated fixtures (`ruleid: <id>` / `ok: <id>` comments on the
    /// line before). Without DIR, the built-in rules and fixtures; with DIR, the rules and
    /// fixtures found below it. Exit code 1 when a fixture has missing or noisy findings.
    Test {
        /// Directories holding rule files (*.yaml) and fixture files.
        #[arg(value_name = "DIR")]
        dirs: Vec<PathBuf>,
    },
}

/// Formats of `astscan rules list`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table for people.
    Text,
    /// A JSON array with every field of every rule.
    Json,
}

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Problems and a summary, for people.
    Text,
    /// One JSON document with every file and a summary (see src/report/report.schema.json).
    Json,
    /// JSON Lines: one object per file with its syntax tree.
    Ast,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// GitHub Actions workflow commands: an annotation per finding and per failed file.
    Github,
    /// JUnit XML for CI dashboards: a suite per rule, a failing case per file it fired in.
    Junit,
    /// GitLab SAST security report (artifacts:reports:sast), schema 15.2.1.
    Gitlab,
}

/// The severity that makes a scan fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any finding.
    Low,
    /// Medium, high or critical findings.
    Medium,
    /// High or critical findings.
    High,
    /// Critical findings.
    Critical,
    /// Findings never change the exit code.
    Never,
}

impl FailOn {
    /// The lowest severity that fails the scan, if any does.
    pub fn threshold(self) -> Option<crate::rules::Severity> {
        use crate::rules::Severity;
        match self {
            FailOn::Low => Some(Severity::Low),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::High => Some(Severity::High),
            FailOn::Critical => Some(Severity::Critical),
            FailOn::Never => None,
        }
    }
}

/// Colour choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Options of `astscan analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// What to scan and how: shared with `astscan graph`.
    #[command(flatten)]
    pub scan: ScanArgs,

    /// Report format.
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write the report to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Scan only shard I of N (1-based): every input file belongs to exactly one shard, picked
    /// by a hash of its path relative to the report root, so N jobs with 1/N … N/N scan the
    /// whole tree between them on any machine; merge their reports with `astscan merge`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard, conflicts_with = "write_baseline")]
    pub shard: Option<crate::shard::Shard>,

    /// The SARIF run's category (automationDetails.id), which tells apart analyses of one
    /// commit uploaded to code scanning.
    #[arg(long, value_name = "CATEGORY", default_value = crate::report::sarif::DEFAULT_CATEGORY,
          value_parser = parse_category)]
    pub sarif_category: String,

    /// When to use colours in text output.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Exit with code 1 when a finding of this severity or higher is reported [default: low,
    /// or fail-on in .astscan.toml].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Only findings not in this baseline file count (see --write-baseline).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Write this scan's findings to FILE as a baseline (and do not fail on findings).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// List suppression comments that suppress nothing.
    #[arg(long)]
    pub report_unused_suppressions: bool,

    /// Measure each rule's compile and match time and print the most expensive rules on
    /// stderr (all of them in the JSON summary). Rules then run one query each, so the scan
    /// is slower than usual.
    #[arg(long)]
    pub time_rules: bool,

    /// Name the file read from standard input (`-` as the only PATH) is reported under; its
    /// extension or name chooses the language, and excludes apply to it as to a named file.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["staged", "diff"])]
    pub stdin_filename: Option<PathBuf>,

    /// Depth below which --format ast elides subtrees (they are marked "truncated").
    #[arg(long, value_name = "N", default_value_t = crate::worker::ast::DEFAULT_MAX_DEPTH)]
    pub ast_max_depth: u32,
}

/// Options of `astscan graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// What to scan and how, as for `analyze` (the same walk, configuration, workers and
    /// caches; the rules run too, for the findings count of each file).
    #[command(flatten)]
    pub scan: ScanArgs,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,

    /// Write the graph to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with code 1 when the graph has an import cycle.
    #[arg(long)]
    pub fail_on_cycles: bool,

    /// Build the graph from these JSON reports of `analyze` instead of scanning (`-` reads one
    /// from standard input): the reports of `analyze --shard I/N --format json` together
    /// make the graph of the whole tree. Project files (go.mod, tsconfig.json, ...) are read
    /// below --path-root (default: the current directory), where the reports' paths start.
    #[arg(long = "from-reports", value_name = "REPORT", num_args = 1..)]
    pub from_reports: Vec<PathBuf>,

    /// Refused with directions: a graph needs the imports of every file, so shards are
    /// scanned with `analyze --shard I/N --format json` and joined with `--from-reports`.
    #[arg(long, value_name = "I/N", hide = true)]
    pub shard: Option<String>,
}

/// Formats of `astscan graph`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// A summary for people: cycles, the most imported files, files nothing imports.
    Text,
    /// Nodes, edges, external packages, unresolved imports and cycles (schema_version 1).
    Json,
    /// Graphviz, clustered by directory, cycles in red.
    Dot,
}

/// What to scan and how, as `analyze` and `graph` take it: the files, the configuration,
/// the rules, the workers, the daemon and the caches. [`crate::plan`] validates it into a
/// scan's configuration.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and directories to scan [default: .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Make JSON and SARIF paths relative to DIR [default: the root of the git work tree
    /// the scanned paths are in, else the current directory].
    #[arg(long, value_name = "DIR")]
    pub path_root: Option<PathBuf>,

    /// Number of parser worker processes [default: jobs in .astscan.toml, or available CPUs].
    // Negative numbers reach the parser, which says what is wrong with them, instead of being
    // taken for an option (clap would suggest `-- -1`).
    #[arg(short, long, value_name = "N", allow_negative_numbers = true, value_parser = parse_count)]
    pub jobs: Option<NonZeroUsize>,

    /// Per-file deadline in seconds of the parse's CPU time (waiting for a CPU does not count)
    /// [default: timeout in .astscan.toml, or 5].
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub timeout: Option<f64>,

    /// Skip files larger than this (bytes; K, M, G suffixes are powers of 1024) [default:
    /// max-file-size in .astscan.toml, or 10M].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,

    /// Only scan these languages (repeat or separate with commas).
    #[arg(
        short,
        long = "lang",
        value_name = "LANG",
        value_enum,
        value_delimiter = ','
    )]
    pub langs: Vec<Language>,

    /// Exclude paths matching GLOB (gitignore syntax; repeatable).
    #[arg(short, long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Do not read .gitignore, .ignore, .astscanignore or git excludes.
    #[arg(long)]
    pub no_ignore: bool,

    /// Scan hidden files and directories too.
    #[arg(long)]
    pub hidden: bool,

    /// Follow symbolic links while walking directories.
    #[arg(short = 'L', long)]
    pub follow: bool,

    /// Parse minified and generated files instead of skipping them (also include-generated =
    /// true in .astscan.toml).
    #[arg(long)]
    pub include_generated: bool,

    /// No progress bar and no text summary (on stdout, or on stderr with --output); problems
    /// are still reported.
    #[arg(short, long)]
    pub quiet: bool,

    /// When to show a progress bar on stderr.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = When::Auto)]
    pub progress: When,

    /// Memory (address-space) limit per worker process in MiB; 0 for none.
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_WORKER_MEMORY_MIB)]
    pub worker_memory: u64,

    /// Run only rules at least this sure of their findings [default: medium, or
    /// min-confidence in .astscan.toml; low when rules are chosen with --enable or enable].
    /// `low` adds the audit rules: shapes worth a look (a non-literal SQL string) whose taint
    /// versions report only real flows.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub min_confidence: Option<crate::rules::Confidence>,

    /// Read this configuration file instead of looking for .astscan.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Do not read .astscan.toml.
    #[arg(long)]
    pub no_config: bool,

    /// Also run the rules in DIR (every *.yaml below it; repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,

    /// Only run these rules: ids (globs), CWE-<n> or OWASP categories (A03), separated by
    /// commas or repeated. Replaces enable in .astscan.toml; one that matches no rule is an
    /// error.
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub enable: Vec<String>,

    /// Do not run these rules (same syntax as --enable). Adds to disable in .astscan.toml; one
    /// that matches no rule is an error.
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub disable: Vec<String>,

    /// Skip the built-in rules (rules from --rules still run).
    #[arg(long)]
    pub no_rules: bool,

    /// Send files to the daemon: auto (when one runs), always (fail without it), never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = DaemonMode::Auto)]
    pub daemon: DaemonMode,

    /// The daemon's socket [default: the daemon's default path].
    #[arg(long, value_name = "PATH", env = "ASTSCAN_SOCKET")]
    pub socket: Option<PathBuf>,

    /// Scan what is staged for the next commit: the index's content of staged files (not the
    /// working tree), reported under their paths relative to the repository root. PATHS, if
    /// given, restrict it.
    #[arg(long, conflicts_with = "diff")]
    pub staged: bool,

    /// Scan only files changed since the merge base of REV and HEAD: committed, staged and
    /// unstaged changes and untracked files that are not ignored, as in the working tree.
    /// PATHS, if given, restrict it.
    #[arg(long, value_name = "REV")]
    pub diff: Option<String>,

    /// Do not read or write the result cache (direct scans keep results by content in the
    /// user cache directory; see `astscan cache`).
    #[arg(long, env = "ASTSCAN_NO_CACHE", action = clap::ArgAction::SetTrue,
          value_parser = clap::builder::FalseyValueParser::new())]
    pub no_cache: bool,

    #[command(flatten)]
    pub cache: CacheArgs,

    #[command(flatten)]
    pub remote_cache: RemoteCacheArgs,
}

/// Options of `astscan mcp`. The scans it runs are configured as `analyze` configures them
/// (the root's `.astscan.toml`, the result cache, the daemon), minus what a tool call chooses.
#[derive(Debug, Args)]
pub struct McpArgs {
    /// The directory whose files the tools may read; nothing outside it is read, and roots
    /// the client declares are narrowed to it [default: the current directory, replaced by
    /// the client's roots].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// Number of parser worker processes per scan [default: jobs in .astscan.toml, or
    /// available CPUs].
    #[arg(short, long, value_name = "N", allow_negative_numbers = true, value_parser = parse_count)]
    pub jobs: Option<NonZeroUsize>,

    /// Read this configuration file instead of looking for .astscan.toml from the root up.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Do not read .astscan.toml.
    #[arg(long)]
    pub no_config: bool,

    /// Send files to the daemon: auto (when one runs), always (fail without it), never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = DaemonMode::Auto)]
    pub daemon: DaemonMode,

    /// The daemon's socket [default: the daemon's default path].
    #[arg(long, value_name = "PATH", env = "ASTSCAN_SOCKET")]
    pub socket: Option<PathBuf>,

    /// Do not read or write the result cache.
    #[arg(long, env = "ASTSCAN_NO_CACHE", action = clap::ArgAction::SetTrue,
          value_parser = clap::builder::FalseyValueParser::new())]
    pub no_cache: bool,

    #[command(flatten)]
    pub cache: CacheArgs,

    #[command(flatten)]
    pub remote_cache: RemoteCacheArgs,
}

/// Formats `astscan merge` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MergeFormat {
    /// Problems and a summary, for people (from JSON reports).
    Text,
    /// One JSON report (from JSON reports).
    Json,
    /// SARIF 2.1.0 (from SARIF reports, or from JSON reports).
    Sarif,
    /// GitHub Actions workflow commands (from JSON reports).
    Github,
    /// JUnit XML (from JSON reports).
    Junit,
    /// GitLab SAST report (from JSON reports).
    Gitlab,
}

/// Options of `astscan merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The reports to merge: all JSON (`--format json`) or all SARIF, written by this version
    /// of astscan with the same rules and options; `-` reads one from standard input.
    #[arg(value_name = "REPORT", required = true)]
    pub reports: Vec<PathBuf>,

    /// Format of the merged report [default: the format of the inputs].
    #[arg(short, long, value_enum, value_name = "FORMAT")]
    pub format: Option<MergeFormat>,

    /// Write the merged report to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with code 1 when a merged finding of this severity or higher is open (not
    /// suppressed or baselined).
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Low)]
    pub fail_on: FailOn,

    /// The directory the paths of JSON reports are relative to, for SARIF, GitHub and GitLab
    /// output made from them [default: the current directory].
    #[arg(long, value_name = "DIR")]
    pub path_root: Option<PathBuf>,

    /// The SARIF run's category [default: the inputs' category, or astscan/ for JSON inputs].
    #[arg(long, value_name = "CATEGORY", value_parser = parse_category)]
    pub sarif_category: Option<String>,

    /// No text summary on stdout (text format) or stderr (with --output).
    #[arg(short, long)]
    pub quiet: bool,

    /// When to use colours in text output.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Parses `--shard I/N`.
fn parse_shard(s: &str) -> Result<crate::shard::Shard, String> {
    crate::shard::Shard::parse(s).map_err(|e| e.to_string())
}

/// `--timeout` without the flag or a configured value, in seconds.
pub const DEFAULT_TIMEOUT_SECS: f64 = 5.0;

/// `--worker-memory` without the flag, in MiB: ample for parsing 10 MiB files, low enough to
/// stop a runaway grammar before it takes the machine.
pub const DEFAULT_WORKER_MEMORY_MIB: u64 = 4096;

/// `--max-file-size` without the flag or a configured value, in bytes.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 << 20;

/// Parses a count of at least 1.
fn parse_count(s: &str) -> Result<NonZeroUsize, String> {
    s.trim()
        .parse::<usize>()
        .ok()
        .and_then(NonZeroUsize::new)
        .ok_or_else(|| "must be a positive whole number (1 or more)".to_string())
}

/// Parses a positive number of seconds.
fn parse_seconds(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    check_seconds(v)
}

/// Accepts a per-file deadline: more than 0 and at most a day, in seconds.
pub fn check_seconds(v: f64) -> Result<f64, String> {
    if !(v > 0.0 && v <= 86_400.0) {
        return Err(format!("{v} must be more than 0 and at most 86400 seconds"));
    }
    Ok(v)
}

/// A SARIF category: printable, not empty.
fn parse_category(s: &str) -> Result<String, String> {
    if s.trim().is_empty() || s.chars().any(char::is_control) {
        return Err("a category must be non-empty text without control characters".into());
    }
    Ok(s.to_string())
}

/// Parses `1048576`, `512K`, `10M`, `1G` (powers of 1024; optional `iB`/`B`).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let upper = t.to_ascii_uppercase();
    let stripped = upper
        .strip_suffix("IB")
        .or_else(|| upper.strip_suffix('B'))
        .unwrap_or(&upper);
    let (num, mult) = match stripped.chars().last() {
        Some('K') => (&stripped[..stripped.len() - 1], 1u64 << 10),
        Some('M') => (&stripped[..stripped.len() - 1], 1 << 20),
        Some('G') => (&stripped[..stripped.len() - 1], 1 << 30),
        _ => (stripped, 1),
    };
    let n: u64 = num
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a size (examples: 1048576, 512K, 10M, 1G)"))?;
    n.checked_mul(mult)
        .ok_or_else(|| format!("{s} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10M"), Ok(10 * 1024 * 1024));
        assert_eq!(parse_size("512k"), Ok(512 * 1024));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("99999999999G").is_err());
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count("4"), Ok(NonZeroUsize::new(4).expect("4 > 0")));
        for bad in ["0", "-1", "two", "", "1.5"] {
            let err = parse_count(bad).expect_err(bad);
            assert!(err.contains("positive whole number"), "{err}");
        }
    }

    #[test]
    fn seconds() {
        assert_eq!(parse_seconds("0.5"), Ok(0.5));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("NaN").is_err());
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
