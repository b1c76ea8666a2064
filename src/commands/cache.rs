//! `astscan cache stats|clear|path`.

use std::io::Write;

use anyhow::{Context, Result};

use crate::ExitStatus;
use crate::cache::disk::{self, DiskCache};
use crate::cli::{CacheArgs, CacheCommand};

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

/// Runs the cache subcommand.
pub fn run(command: CacheCommand) -> Result<ExitStatus> {
    let mut out = std::io::stdout().lock();
    match command {
        CacheCommand::Stats { json, cache } => {
            let c = open(&cache)?;
            let usage = c.usage();
            if json {
                let doc = serde_json::json!({
                    "path": c.dir(),
                    "entries": usage.entries,
                    "bytes": usage.bytes,
                    "max_bytes": cache.cache_max_size,
                });
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
            }
        }
        CacheCommand::Clear { cache } => {
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
