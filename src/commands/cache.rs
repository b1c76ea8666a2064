//! `astscan cache stats|clear|path`.

use std::io::Write;

use anyhow::{Context, Result};

use std::sync::Arc;
use std::time::Duration;

use crate::ExitStatus;
use crate::cache::disk::{self, DiskCache};
use crate::cache::remote::{self, Auth, RemoteOptions, RemoteStore, Target};
use crate::cli::{CacheArgs, CacheCommand, RemoteCacheArgs};

/// Opens the cache the options point at (the directory is created if missing).
pub fn open(args: &CacheArgs) -> Result<DiskCache> {
    let dir = match &args.cache_dir {
        Some(dir) => dir.clone(),
        None => disk::default_dir().context(
            "no cache directory: neither --cache-dir, ASTSCAN_CACHE_DIR nor a home directory",
        )?,
    };
    DiskCache::open(&dir, args.cache_max_size)
        .with_context(|| format!("opening the result cache in {}", dir.display()))
}

/// Says something about the cache on stderr, as every warning of a scan.
pub fn warn_on_stderr() -> Arc<dyn Fn(&str) + Send + Sync> {
    Arc::new(|message: &str| eprintln!("astscan: warning: {message}"))
}

/// The remote server the options name, or the project's configuration (`cache-url`) does.
fn remote_target(args: &RemoteCacheArgs, configured: Option<&str>) -> Result<Option<Target>> {
    // An empty value (a CI secret that is not set) means no server.
    let url = args
        .cache_url
        .as_deref()
        .filter(|u| !u.is_empty())
        .or(configured.filter(|u| !u.is_empty()));
    match url {
        None => Ok(None),
        Some(url) => Ok(Some(Target::parse(url)?)),
    }
}

/// Opens the remote tier the options (or the project's `cache-url`) name, if any. What leaves
/// it off — no team key, a team key file others can read — is said through `warn` and is
/// not an error; a URL that is not one is. `configured_ttl`: the project's `cache-ttl`.
/// `retry_after`: how long a tier turned off by failures waits before trying again (`None`:
/// for the rest of this process).
pub fn open_remote(
    args: &RemoteCacheArgs,
    configured_url: Option<&str>,
    configured_ttl: Option<Duration>,
    retry_after: Option<Duration>,
    warn: Arc<dyn Fn(&str) + Send + Sync>,
) -> Result<Option<Arc<RemoteStore>>> {
    let Some(target) = remote_target(args, configured_url)? else {
        return Ok(None);
    };
    let auth = match (&args.cache_key_file, args.cache_unauthenticated) {
        (Some(path), _) => match crate::cache::mac::load_team_key(path) {
            Ok(mac) => Auth::Key(mac),
            Err(e) => {
                warn(&format!("remote cache {target} not used: the team key {e}"));
                return Ok(None);
            }
        },
        (None, true) => Auth::Unauthenticated,
        (None, false) => {
            warn(&format!(
                "remote cache {target} not used: no team key (--cache-key-file or \
                 ASTSCAN_CACHE_KEY_FILE) to authenticate its entries; --cache-unauthenticated \
                 reads it without one (unsafe on a shared server)"
            ));
            return Ok(None);
        }
    };
    let store = RemoteStore::open(RemoteOptions {
        target,
        auth,
        ttl: args
            .cache_ttl
            .or(configured_ttl)
            .unwrap_or(remote::DEFAULT_TTL),
        connect_timeout: args.cache_connect_timeout,
        command_timeout: args.cache_timeout,
        retry_after,
        warn,
    })
    .context("starting the remote cache client")?;
    Ok(Some(Arc::new(store)))
}

/// Runs the cache subcommand.
pub fn run(command: CacheCommand) -> Result<ExitStatus> {
    let mut out = std::io::stdout().lock();
    match command {
        CacheCommand::Stats {
            json,
            cache,
            remote,
        } => {
            let c = open(&cache)?;
            let usage = c.usage();
            let remote_entries = match remote_target(&remote, None)? {
                None => None,
                Some(target) => {
                    let counted = remote::count_entries(&target, command_limit(&remote));
                    Some((target, counted))
                }
            };
            if json {
                let mut doc = serde_json::json!({
                    "path": c.dir(),
                    "entries": usage.entries,
                    "bytes": usage.bytes,
                    "max_bytes": cache.cache_max_size,
                });
                if let Some((target, counted)) = &remote_entries {
                    doc["remote"] = match counted {
                        Ok(n) => serde_json::json!({
                            "server": target.to_string(),
                            "prefix": remote::build_prefix(),
                            "entries": n,
                        }),
                        Err(e) => serde_json::json!({
                            "server": target.to_string(),
                            "prefix": remote::build_prefix(),
                            "error": e,
                        }),
                    };
                }
                writeln!(out, "{doc}")?;
            } else {
                writeln!(out, "path:    {}", c.dir().display())?;
                writeln!(out, "entries: {}", usage.entries)?;
                writeln!(
                    out,
                    "size:    {:.1} MB of {:.0} MB",
                    usage.bytes as f64 / 1e6,
                    cache.cache_max_size as f64 / 1e6
                )?;
                if let Some((target, counted)) = &remote_entries {
                    writeln!(out, "remote:  {target}")?;
                    match counted {
                        Ok(n) => writeln!(out, "remote entries: {n} (of this engine build)")?,
                        Err(e) => writeln!(out, "remote entries: unknown ({e})")?,
                    }
                }
            }
        }
        CacheCommand::Clear {
            remote: true,
            remote_cache,
            ..
        } => {
            let Some(target) = remote_target(&remote_cache, None)? else {
                anyhow::bail!("--remote needs the server: --cache-url URL or ASTSCAN_CACHE_URL");
            };
            let removed = remote::clear_entries(&target, command_limit(&remote_cache))
                .map_err(|e| anyhow::anyhow!("clearing the remote cache {target}: {e}"))?;
            eprintln!(
                "astscan: removed {removed} entries of this engine build from {target} \
                 (prefix {})",
                remote::build_prefix()
            );
        }
        CacheCommand::Clear { cache, .. } => {
            let c = open(&cache)?;
            let removed = c.clear();
            eprintln!(
                "astscan: removed {} cached results ({:.1} MB) from {}",
                removed.entries,
                removed.bytes as f64 / 1e6,
                c.dir().display()
            );
        }
        CacheCommand::Path { cache } => {
            let c = open(&cache)?;
            writeln!(out, "{}", c.dir().display())?;
        }
    }
    Ok(ExitStatus::Success)
}

/// The bound on one command of `cache stats`/`clear` against the server: connecting, or one
/// `SCAN` step; generous, as these run by hand.
fn command_limit(args: &RemoteCacheArgs) -> Duration {
    args.cache_timeout.max(Duration::from_secs(5))
}
