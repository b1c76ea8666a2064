//! `astscan analyze`: validate options, pick the reporter, run the scan, choose the exit code.

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::ExitStatus;
use crate::cache::store::Tiered;
use crate::cli::{AnalyzeArgs, ColorChoice, Format};
use crate::output::OutputFile;
use crate::pool::{Keys, PoolConfig};
use crate::report::Reporter;
use crate::report::ast::AstReporter;
use crate::report::json::JsonReporter;
use crate::report::sarif::SarifReporter;
use crate::report::tee::Tee;
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

/// The rules a scan runs: the built-in pack (unless `--no-rules`) and the rules of the rule
/// directories (validated as deeply as `rules test` does, once per file content while the
/// cache is on), with the selection of the configuration and the command line applied.
///
/// Selection fails closed: a selector that matches no known rule is an error, and so is a
/// selection that leaves no rule when rules were asked for (the built-in pack, or any rule
/// directory).
fn effective_rules(
    args: &AnalyzeArgs,
    dirs: &[PathBuf],
    config: Option<&crate::config::Loaded>,
) -> Result<Vec<crate::rules::Rule>> {
    use crate::rules::select::{Origin, Selection};
    let builtin = crate::rules::builtin()?;
    // A second handle on the result cache, so this does not count in the scan's hits.
    let cache = if args.no_cache || dirs.is_empty() {
        None
    } else {
        crate::commands::cache::open(&args.cache).ok()
    };
    let mut user = Vec::new();
    for dir in dirs {
        user.extend(crate::rules::vetted::load_dir(dir, cache.as_ref())?);
    }
    let mut rules = if args.no_rules {
        Vec::new()
    } else {
        builtin.clone()
    };
    rules.extend(user.iter().cloned());
    crate::rules::check_unique(&rules)?;
    // Built-in rules stay known under --no-rules: a configuration written for them is valid.
    let mut known = builtin;
    known.extend(user);
    let mut selection = match config {
        Some(c) => c.selection()?,
        None => Selection::default(),
    };
    if !args.enable.is_empty() {
        selection.set_enable(Origin::Flag("--enable"), &args.enable)?;
    }
    selection.add_disable(Origin::Flag("--disable"), &args.disable)?;
    let asked_for = !args.no_rules || !dirs.is_empty();
    let mut rules = selection.apply(&known, rules, asked_for)?;
    // Rules asked for by an enable list run whatever their confidence, unless a minimum is
    // given too.
    let enabled = !args.enable.is_empty() || config.is_some_and(|c| !c.config.enable.is_empty());
    let min = args
        .min_confidence
        .or_else(|| config.and_then(|c| c.config.min_confidence))
        .unwrap_or(if enabled {
            crate::rules::Confidence::Low
        } else {
            crate::rules::DEFAULT_MIN_CONFIDENCE
        });
    let before = rules.len();
    rules.retain(|r| r.confidence >= min);
    if rules.is_empty() && before > 0 {
        anyhow::bail!(
            "every selected rule is below --min-confidence {min} ({before} rules); \
             --min-confidence low runs them"
        );
    }
    Ok(rules)
}

/// The inputs `--staged`, `--diff` or `--stdin-filename` ask for (otherwise a walk of the
/// paths).
fn git_inputs(args: &AnalyzeArgs) -> Result<Inputs> {
    let dash = args.paths.len() == 1 && args.paths[0].as_os_str() == "-";
    match (&args.stdin_filename, dash) {
        // Read once the configuration has said how large a file may be.
        (Some(name), true) => {
            return Ok(Inputs::Stdin {
                name: name.clone(),
                content: Vec::new(),
            });
        }
        (Some(_), false) => anyhow::bail!(
            "--stdin-filename names the file read from standard input: give `-` as the only path"
        ),
        (None, true) => anyhow::bail!(
            "reading a file from standard input (`-`) needs --stdin-filename NAME, whose \
             extension chooses the language"
        ),
        (None, false) => {}
    }
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

/// Reads standard input, up to one byte past `max_file_size` (enough to know it is too large).
fn read_stdin(max_file_size: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut content = Vec::new();
    io::stdin()
        .lock()
        .take(max_file_size.saturating_add(1))
        .read_to_end(&mut content)
        .context("reading standard input")?;
    Ok(content)
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
    let mut inputs = git_inputs(&args)?;
    // JSON, SARIF and baselines name files relative to one root, whatever the invocation;
    // decided before the scan so that a bad --path-root fails before any work.
    let report_root = crate::report::root::PathRoot::decide(
        args.path_root.as_deref(),
        match &inputs {
            Inputs::Git { root, .. } => Some(root.as_path()),
            Inputs::Walk | Inputs::Stdin { .. } => None,
        },
        &paths,
    )
    .context("deciding the root of report paths")?;
    let path_root = match args.format {
        Format::Json | Format::Sarif | Format::Github | Format::Gitlab => Some(report_root.clone()),
        _ => None,
    };
    let file_config = match (&args.config, args.no_config, &inputs) {
        (Some(path), _, _) => Some(crate::config::load(path)?),
        (None, true, _) => None,
        // With git's list, the configuration is the repository's.
        (None, false, Inputs::Git { root, .. }) => crate::config::find(root)?,
        // From standard input: the configuration of the directory its name is in.
        (None, false, Inputs::Stdin { name, .. }) => crate::config::find(name)?,
        (None, false, Inputs::Walk) => {
            let found = crate::config::find_for(&paths)?;
            for unused in &found.unused {
                eprintln!(
                    "astscan: warning: {} is not used: a scan reads one configuration, the \
                     nearest to the directory holding all its paths ({}); pass --config to \
                     choose",
                    crate::pathfmt::escape(unused),
                    found
                        .loaded
                        .as_ref()
                        .map_or("none".to_string(), |l| crate::pathfmt::escape(&l.path)),
                );
            }
            found.loaded
        }
    };
    let configured = file_config.as_ref().map(|c| &c.config);
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
    let rules = effective_rules(&args, &rule_dirs, file_config.as_ref())?;
    // The command line wins over the file, the file over the defaults.
    let jobs = args
        .jobs
        .or_else(|| configured.and_then(|c| c.jobs))
        .map(|j| j.get())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let timeout = args
        .timeout
        .or_else(|| configured.and_then(|c| c.timeout))
        .unwrap_or(crate::cli::DEFAULT_TIMEOUT_SECS);
    let max_file_size = args
        .max_file_size
        .or_else(|| configured.and_then(|c| c.max_file_size))
        .unwrap_or(crate::cli::DEFAULT_MAX_FILE_SIZE);
    if let Inputs::Stdin { content, .. } = &mut inputs {
        *content = read_stdin(max_file_size)?;
    }
    let include_generated =
        args.include_generated || configured.and_then(|c| c.include_generated) == Some(true);
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
            max_file_size,
            include_generated,
        },
        jobs,
        pool: PoolConfig {
            exe,
            timeout: Duration::from_secs_f64(timeout),
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
                crate::report::baseline::Baseline::load(path, report_root.clone())?,
            ))),
            None => None,
        },
        write_baseline: args.write_baseline.clone(),
        baseline_root: Some(report_root.clone()),
        sealer,
        daemon: args.daemon,
        socket: args.socket.clone(),
        inputs,
        shard: args
            .shard
            .map(|shard| crate::shard::Filter::new(shard, report_root)),
        // An AST dump or rule timings need a worker's fresh answer.
        cache: if args.no_cache || args.format == Format::Ast || args.time_rules {
            Tiered::default()
        } else {
            let mut tiers: Vec<Arc<dyn crate::cache::store::Store>> = Vec::new();
            match crate::commands::cache::open(&args.cache) {
                Ok(c) => tiers.push(Arc::new(c)),
                Err(e) => {
                    eprintln!("astscan: warning: {e:#}; scanning without the result cache");
                }
            }
            if let Some(remote) = crate::commands::cache::open_remote(
                &args.remote_cache,
                configured.and_then(|c| c.cache_url.as_deref()),
                configured.and_then(|c| c.cache_ttl),
                None,
                crate::commands::cache::warn_on_stderr(),
            )? {
                tiers.push(remote);
            }
            Tiered::new(tiers)
        },
    };

    // From here on a signal stops the scan instead of the process, so the temporary report
    // file below is always either renamed into place or removed.
    let interrupts = crate::interrupt::Interrupts::watch().context("setting up signal handling")?;
    let (output, out) = OutputFile::report_sink(args.output.as_deref())?;
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let ruleset = || {
        crate::report::ruleset::fingerprint(
            &config.pool.rules,
            config.pool.timeout,
            config.pool.memory_limit_mb,
        )
        .context("fingerprinting the rules")
    };
    let mut reporter: Box<dyn Reporter> = match args.format {
        Format::Text => Box::new(TextReporter::new(
            out,
            color,
            args.quiet,
            args.report_unused_suppressions,
        )),
        Format::Json => Box::new(JsonReporter::new(out, root_of(path_root)?, ruleset()?)),
        Format::Ast => Box::new(AstReporter::new(out, (!args.quiet).then(io::stderr))),
        Format::Sarif => Box::new(SarifReporter::new(
            out,
            config.pool.rules.to_vec(),
            root_of(path_root)?,
            &args.sarif_category,
            ruleset()?,
        )),
        Format::Github => Box::new(crate::report::github::GithubReporter::new(
            out,
            root_of(path_root)?,
        )),
        Format::Junit => Box::new(crate::report::junit::JunitReporter::new(out)),
        Format::Gitlab => Box::new(crate::report::gitlab::GitlabReporter::new(
            out,
            root_of(path_root)?,
        )),
    };
    // A report written to a file leaves the terminal empty: the summary goes to stderr
    // (the AST format writes its own there).
    let mut summary_to_stderr =
        (args.output.is_some() && !args.quiet && args.format != Format::Ast)
            .then(|| TextReporter::summary_only(io::stderr()));
    let progress = crate::progress::bar(args.progress, args.quiet);

    let result = match summary_to_stderr.as_mut() {
        Some(observer) => scan::run(
            config,
            &mut Tee::new(reporter.as_mut(), observer),
            progress,
            &interrupts,
        ),
        None => scan::run(config, reporter.as_mut(), progress, &interrupts),
    };
    // Every byte of the report is flushed (`finish` flushes; this drops the writer).
    drop(reporter);
    let outcome = match result {
        Ok(outcome) => outcome,
        // Whoever read our output has gone away (`astscan … | head`): nothing left to do.
        Err(ScanError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            return Ok(ExitStatus::Success);
        }
        // An unfinished report is dropped here, and the previous one stays.
        Err(e) => return Err(e.into()),
    };
    // A signal after the scan's end still wins over a report not yet in place.
    if let Some(signal) = outcome.interrupted_by.or(interrupts.signal()) {
        eprintln!("astscan: interrupted; workers stopped");
        return Ok(ExitStatus::Interrupted(signal));
    }
    if let Some(file) = output {
        file.commit()?;
    }
    drop(interrupts);
    if let Some(mut observer) = summary_to_stderr {
        // The report is safe; a summary that cannot be shown is not worth an error.
        let _ = observer.finish(&outcome.summary);
    }
    if args.time_rules {
        crate::rules::timing::write_table(
            &mut io::stderr().lock(),
            &outcome.summary.rule_times,
            TIMED_RULES_SHOWN,
        )?;
    }
    if let Some(e) = outcome.incomplete {
        return Err(anyhow::Error::new(e).context("the scan is incomplete"));
    }
    if outcome.summary.failed > 0 {
        Ok(ExitStatus::Error)
    } else if outcome.summary.failing_findings > 0 {
        Ok(ExitStatus::Findings)
    } else {
        Ok(ExitStatus::Success)
    }
}
