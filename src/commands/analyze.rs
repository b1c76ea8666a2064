//! `astscan analyze`: validate options, pick the reporter, run the scan, choose the exit code.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::ExitStatus;
use crate::cli::{AnalyzeArgs, ColorChoice, Format};
use crate::pool::{Keys, PoolConfig};
use crate::report::Reporter;
use crate::report::ast::AstReporter;
use crate::report::json::JsonReporter;
use crate::report::sarif::SarifReporter;
use crate::report::text::TextReporter;
use crate::scan::{self, Inputs, ScanConfig, ScanError};
use crate::seal::{Sealer, SessionId, SessionKey};
use crate::source::Gates;
use crate::walk::WalkOptions;

/// Rules `--time-rules` lists on stderr; the JSON summary has them all.
const TIMED_RULES_SHOWN: usize = 20;

/// Files of several megabytes pass through this process (read, sealed, sent). glibc's default
/// lets the mmap threshold grow after such buffers are freed, after which later ones come from
/// the heap and are kept; a fixed 256 KiB threshold hands them back to the system on free.
fn return_large_buffers_promptly() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only adjusts allocator tunables; called before the scan allocates.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    }
}

/// The rules a scan runs: the built-in pack (unless `--no-rules`) and the validated rules of
/// the rule directories, with the configuration's selection and severity overrides applied.
fn effective_rules(
    no_builtin: bool,
    dirs: &[PathBuf],
    config: Option<&crate::config::Loaded>,
) -> Result<Vec<crate::rules::Rule>> {
    let mut rules = if no_builtin {
        Vec::new()
    } else {
        crate::rules::builtin()?
    };
    for dir in dirs {
        rules.extend(crate::rules::load_dir(dir, crate::rules::Depth::Usable)?);
    }
    crate::rules::check_unique(&rules)?;
    Ok(match config {
        Some(c) => c.config.select(rules),
        None => rules,
    })
}

/// The inputs `--staged` or `--diff` ask for (otherwise a walk of the paths).
fn git_inputs(args: &AnalyzeArgs) -> Result<Inputs> {
    if !args.staged && args.diff.is_none() {
        return Ok(Inputs::Walk);
    }
    let cwd = std::env::current_dir().context("finding the current directory")?;
    let root = crate::git::root(&cwd)?;
    // Pathspecs relative to where astscan runs; git runs at the root, so make them absolute.
    let specs: Vec<PathBuf> = args.paths.iter().map(|p| cwd.join(p)).collect();
    let (changes, index) = match &args.diff {
        Some(base) => (crate::git::changed_since(&root, base, &specs)?, false),
        None => (crate::git::staged(&root, &specs)?, true),
    };
    Ok(Inputs::Git {
        root,
        changes,
        index,
    })
}

/// The root decided for a format that needs one.
fn root_of(root: Option<crate::report::root::PathRoot>) -> Result<crate::report::root::PathRoot> {
    root.context("no root was decided for report paths")
}

/// Runs `astscan analyze`.
pub fn run(args: AnalyzeArgs) -> Result<ExitStatus> {
    return_large_buffers_promptly();
    let exe = std::env::current_exe().context("locating the astscan executable to run workers")?;
    let default_paths = args.paths.is_empty();
    let paths = if default_paths {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let inputs = git_inputs(&args)?;
    // JSON and SARIF name files relative to one root, whatever the invocation; decided
    // before the scan so that a bad --path-root fails before any work.
    let path_root = match args.format {
        Format::Json | Format::Sarif => Some(
            crate::report::root::PathRoot::decide(
                args.path_root.as_deref(),
                match &inputs {
                    Inputs::Git { root, .. } => Some(root.as_path()),
                    Inputs::Walk => None,
                },
                &paths,
            )
            .context("deciding the root of report paths")?,
        ),
        _ => None,
    };
    // With git's list, the configuration is the repository's.
    let config_start = match &inputs {
        Inputs::Git { root, .. } => root.clone(),
        Inputs::Walk => paths[0].clone(),
    };
    let file_config = match (&args.config, args.no_config) {
        (Some(path), _) => Some(crate::config::load(path)?),
        (None, true) => None,
        (None, false) => crate::config::find(&config_start)?,
    };
    let anchored_excludes = file_config.as_ref().and_then(|c| {
        let dir = c.path.parent()?.to_path_buf();
        (!c.config.exclude.is_empty()).then(|| (dir, c.config.exclude.clone()))
    });
    let fail_on = args
        .fail_on
        .or_else(|| {
            file_config
                .as_ref()
                .and_then(|c| c.config.fail_on)
                .map(Into::into)
        })
        .unwrap_or(crate::cli::FailOn::Low);
    let mut rule_dirs = file_config
        .as_ref()
        .map(|c| c.rule_dirs())
        .unwrap_or_default();
    rule_dirs.extend(args.rules.iter().cloned());
    let rules = effective_rules(args.no_rules, &rule_dirs, file_config.as_ref())?;
    let jobs = args
        .jobs
        .map(|j| j.get())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    // A fresh key per run, from the OS CSPRNG; it lives in this process and its workers'
    // memory only, and is wiped when they exit. (A daemon session brings its own.) No core
    // dump of this process may hold it either.
    crate::harden::no_core_dumps().context("disabling core dumps")?;
    let sealer = Arc::new(Sealer::new(
        SessionId::generate().context("creating the scan session")?,
        SessionKey::generate().context("creating the scan session key")?,
    ));
    let config = ScanConfig {
        walk: WalkOptions {
            paths,
            no_ignore: args.no_ignore,
            hidden: args.hidden,
            follow: args.follow,
            excludes: args.exclude.clone(),
            anchored_excludes,
            languages: args.langs.clone(),
            tracked: Default::default(),
        },
        gates: Gates {
            max_file_size: args.max_file_size,
            include_generated: args.include_generated,
        },
        jobs,
        pool: PoolConfig {
            exe,
            timeout: Duration::from_secs_f64(args.timeout),
            memory_limit_mb: args.worker_memory,
            want_ast: args.format == Format::Ast,
            ast_max_depth: args.ast_max_depth,
            rules: Arc::new(rules),
            time_rules: args.time_rules,
            keys: Keys::Session(Arc::clone(&sealer)),
            nice: 0,
            recover_after: None,
            eager_rules: false,
        },
        strip_dot_prefix: default_paths,
        // Writing a baseline accepts the findings it records.
        fail_threshold: if args.write_baseline.is_some() {
            None
        } else {
            fail_on.threshold()
        },
        baseline: match &args.baseline {
            Some(path) => Some(Arc::new(std::sync::Mutex::new(
                crate::report::baseline::Baseline::load(path)?,
            ))),
            None => None,
        },
        write_baseline: args.write_baseline.clone(),
        sealer,
        daemon: args.daemon,
        socket: args.socket.clone(),
        inputs,
        // An AST dump or rule timings need a worker's fresh answer.
        cache: if args.no_cache || args.format == Format::Ast || args.time_rules {
            None
        } else {
            match crate::commands::cache::open(&args.cache) {
                Ok(c) => Some(Arc::new(c)),
                Err(e) => {
                    eprintln!("astscan: warning: {e:#}; scanning without the result cache");
                    None
                }
            }
        },
    };

    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::with_capacity(
            256 * 1024,
            File::create(path).with_context(|| {
                format!("cannot create output file {}", crate::pathfmt::escape(path))
            })?,
        )),
        None => Box::new(BufWriter::with_capacity(256 * 1024, io::stdout().lock())),
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let mut reporter: Box<dyn Reporter> = match args.format {
        Format::Text => Box::new(TextReporter::new(
            out,
            color,
            args.quiet,
            args.report_unused_suppressions,
        )),
        Format::Json => Box::new(JsonReporter::new(out, root_of(path_root)?)),
        Format::Ast => Box::new(AstReporter::new(out, (!args.quiet).then(io::stderr))),
        Format::Sarif => Box::new(SarifReporter::new(
            out,
            config.pool.rules.to_vec(),
            root_of(path_root)?,
            &args.sarif_category,
        )),
    };
    let progress = crate::progress::bar(args.progress, args.quiet);

    match scan::run(config, reporter.as_mut(), progress) {
        Ok(outcome) => {
            if args.time_rules && outcome.interrupted_by.is_none() {
                crate::rules::timing::write_table(
                    &mut io::stderr().lock(),
                    &outcome.summary.rule_times,
                    TIMED_RULES_SHOWN,
                )?;
            }
            if let Some(signal) = outcome.interrupted_by {
                eprintln!("astscan: interrupted; workers stopped");
                return Ok(ExitStatus::Interrupted(signal));
            }
            if outcome.summary.failed > 0 {
                Ok(ExitStatus::Error)
            } else if outcome.summary.failing_findings > 0 {
                Ok(ExitStatus::Findings)
            } else {
                Ok(ExitStatus::Success)
            }
        }
        // Whoever read our output has gone away (`astscan … | head`): nothing left to do.
        Err(ScanError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            Ok(ExitStatus::Success)
        }
        Err(e) => Err(e.into()),
    }
}
