//! A scan's plan: the command line's [`ScanArgs`] and the project's `.astscan.toml` validated
//! into one [`ScanConfig`], before anything runs (a bad option, glob, rule selector or
//! configuration fails here, and no report has begun). `analyze` and `graph` start from the
//! same plan, so a repository is walked, configured and cached the same way by both.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::cache::store::Tiered;
use crate::cli::{FailOn, ScanArgs};
use crate::pool::{Keys, PoolConfig};
use crate::scan::{Inputs, ScanConfig};
use crate::seal::{Sealer, SessionId, SessionKey};
use crate::source::Gates;
use crate::walk::WalkOptions;

/// What the command asks of the workers beyond the scan options.
#[derive(Clone, Debug, Default)]
pub struct Needs {
    /// A syntax tree per file (`--format ast`): no cache, no daemon.
    pub ast: bool,
    /// Depth below which the tree is elided.
    pub ast_max_depth: u32,
    /// Per-rule timings (`--time-rules`): no cache, no daemon.
    pub time_rules: bool,
    /// The name a file read from standard input is reported under (`-` as the only path).
    pub stdin_filename: Option<PathBuf>,
}

/// A validated scan.
pub struct Plan {
    /// What to scan and how. The command fills in what is its own (failure threshold,
    /// baseline, shard).
    pub config: ScanConfig,
    /// The directory JSON and SARIF paths are relative to.
    pub report_root: crate::report::root::PathRoot,
    /// `fail-on` of the configuration file, if it has one.
    pub configured_fail_on: Option<FailOn>,
}

/// The rules a scan runs: the built-in pack (unless `--no-rules`) and the rules of the rule
/// directories (validated as deeply as `rules test` does, once per file content while the
/// cache is on), with the selection of the configuration and the command line applied.
///
/// Selection fails closed: a selector that matches no known rule is an error, and so is a
/// selection that leaves no rule when rules were asked for (the built-in pack, or any rule
/// directory).
fn effective_rules(
    scan: &ScanArgs,
    dirs: &[PathBuf],
    config: Option<&crate::config::Loaded>,
) -> Result<Vec<crate::rules::Rule>> {
    use crate::rules::select::{Origin, Selection};
    let builtin = crate::rules::builtin()?;
    // A second handle on the result cache, so this does not count in the scan's hits.
    let cache = if scan.no_cache || dirs.is_empty() {
        None
    } else {
        crate::commands::cache::open(&scan.cache).ok()
    };
    let mut user = Vec::new();
    for dir in dirs {
        user.extend(crate::rules::vetted::load_dir(dir, cache.as_ref())?);
    }
    let mut rules = if scan.no_rules {
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
    if !scan.enable.is_empty() {
        selection.set_enable(Origin::Flag("--enable"), &scan.enable)?;
    }
    selection.add_disable(Origin::Flag("--disable"), &scan.disable)?;
    let asked_for = !scan.no_rules || !dirs.is_empty();
    let mut rules = selection.apply(&known, rules, asked_for)?;
    // Rules asked for by an enable list run whatever their confidence, unless a minimum is
    // given too.
    let enabled = !scan.enable.is_empty() || config.is_some_and(|c| !c.config.enable.is_empty());
    let min = scan
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
fn git_inputs(scan: &ScanArgs, stdin_filename: Option<&Path>) -> Result<Inputs> {
    let dash = scan.paths.len() == 1 && scan.paths[0].as_os_str() == "-";
    match (stdin_filename, dash) {
        // Read once the configuration has said how large a file may be.
        (Some(name), true) => {
            return Ok(Inputs::Stdin {
                name: name.to_path_buf(),
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
    if !scan.staged && scan.diff.is_none() {
        return Ok(Inputs::Walk);
    }
    let cwd = std::env::current_dir().context("finding the current directory")?;
    let root = crate::git::root(&cwd)?;
    // Pathspecs relative to where astscan runs; git runs at the root, so make them absolute.
    let specs: Vec<PathBuf> = scan.paths.iter().map(|p| cwd.join(p)).collect();
    let (changes, index) = match &scan.diff {
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

/// Validates `scan` (with the configuration file it leads to) into a plan.
pub fn plan(scan: &ScanArgs, needs: &Needs) -> Result<Plan> {
    let exe = std::env::current_exe().context("locating the astscan executable to run workers")?;
    let default_paths = scan.paths.is_empty();
    let paths = if default_paths {
        vec![PathBuf::from(".")]
    } else {
        scan.paths.clone()
    };
    let mut inputs = git_inputs(scan, needs.stdin_filename.as_deref())?;
    // JSON, SARIF and baselines name files relative to one root, whatever the invocation;
    // decided before the scan so that a bad --path-root fails before any work.
    let report_root = crate::report::root::PathRoot::decide(
        scan.path_root.as_deref(),
        match &inputs {
            Inputs::Git { root, .. } => Some(root.as_path()),
            Inputs::Walk | Inputs::Stdin { .. } => None,
        },
        &paths,
    )
    .context("deciding the root of report paths")?;
    let file_config = match (&scan.config, scan.no_config, &inputs) {
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
    let configured_fail_on = file_config
        .as_ref()
        .and_then(|c| c.config.fail_on)
        .map(Into::into);
    let mut rule_dirs = file_config
        .as_ref()
        .map(|c| c.rule_dirs())
        .unwrap_or_default();
    rule_dirs.extend(scan.rules.iter().cloned());
    let rules = effective_rules(scan, &rule_dirs, file_config.as_ref())?;
    // The command line wins over the file, the file over the defaults.
    let jobs = scan
        .jobs
        .or_else(|| configured.and_then(|c| c.jobs))
        .map(|j| j.get())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let timeout = scan
        .timeout
        .or_else(|| configured.and_then(|c| c.timeout))
        .unwrap_or(crate::cli::DEFAULT_TIMEOUT_SECS);
    let max_file_size = scan
        .max_file_size
        .or_else(|| configured.and_then(|c| c.max_file_size))
        .unwrap_or(crate::cli::DEFAULT_MAX_FILE_SIZE);
    if let Inputs::Stdin { content, .. } = &mut inputs {
        *content = read_stdin(max_file_size)?;
    }
    let include_generated =
        scan.include_generated || configured.and_then(|c| c.include_generated) == Some(true);
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
            no_ignore: scan.no_ignore,
            hidden: scan.hidden,
            follow: scan.follow,
            excludes: scan.exclude.clone(),
            anchored_excludes,
            languages: scan.langs.clone(),
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
            memory_limit_mb: scan.worker_memory,
            want_ast: needs.ast,
            ast_max_depth: needs.ast_max_depth,
            rules: Arc::new(rules),
            time_rules: needs.time_rules,
            keys: Keys::Session(Arc::clone(&sealer)),
            nice: 0,
            recover_after: None,
            eager_rules: false,
        },
        strip_dot_prefix: default_paths,
        fail_threshold: None,
        baseline: None,
        write_baseline: None,
        baseline_root: Some(report_root.clone()),
        sealer,
        daemon: scan.daemon,
        socket: scan.socket.clone(),
        inputs,
        shard: None,
        // An AST dump or rule timings need a worker's fresh answer.
        cache: if scan.no_cache || needs.ast || needs.time_rules {
            Tiered::default()
        } else {
            let mut tiers: Vec<Arc<dyn crate::cache::store::Store>> = Vec::new();
            match crate::commands::cache::open(&scan.cache) {
                Ok(c) => tiers.push(Arc::new(c)),
                Err(e) => {
                    eprintln!("astscan: warning: {e:#}; scanning without the result cache");
                }
            }
            if let Some(remote) = crate::commands::cache::open_remote(
                &scan.remote_cache,
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
    Ok(Plan {
        config,
        report_root,
        configured_fail_on,
    })
}
