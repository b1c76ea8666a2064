//! `astscan daemon`, `astscan daemon status` and `astscan daemon stop`.

use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::ExitStatus;
use crate::cli::{DaemonArgs, DaemonCommand, StatusFormat};
use crate::daemon::status::Status;
use crate::daemon::{client, log, paths, server};

/// Runs the daemon subcommand.
pub fn run(args: DaemonArgs) -> Result<ExitStatus> {
    match &args.command {
        None => start(&args),
        Some(DaemonCommand::Status { format, json }) => {
            let format = if *json { StatusFormat::Json } else { *format };
            status(&args, format)
        }
        Some(DaemonCommand::Stop) => stop(&args),
    }
}

fn start(args: &DaemonArgs) -> Result<ExitStatus> {
    if args.detach {
        return detach(args);
    }
    if let Some(path) = &args.log_file {
        log_to(path)?;
    }
    log::set_level(args.log_level);
    let socket = paths::socket_path(args.socket.as_deref(), true)?;
    let workers = args
        .workers
        .map(|n| n.get())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let opts = server::DaemonOptions {
        socket,
        concurrent: args.concurrent,
        idle_timeout: args.idle_timeout,
        workers,
        prewarm: args.prewarm.clone(),
        session_ttl: args.session_ttl,
        sessions_per_client: 10,
        cache_bytes: args.cache_size,
        disk_cache: if args.no_cache {
            None
        } else {
            args.disk_cache
                .cache_dir
                .clone()
                .or_else(crate::cache::disk::default_dir)
                .map(|dir| (dir, args.disk_cache.cache_max_size))
        },
        remote_cache: if args.no_cache {
            None
        } else {
            crate::commands::cache::open_remote(
                &args.remote_cache,
                None,
                None,
                Some(REMOTE_RETRY),
                std::sync::Arc::new(|message: &str| log::warn(message)),
            )?
        },
        max_connections: args.max_connections.max(1),
        in_flight_per_session: args.max_in_flight.max(1),
        // A sealed file is a little larger than the file.
        max_frame: usize::try_from(args.max_file_size)
            .unwrap_or(usize::MAX)
            .saturating_add(1 << 20),
        grace: args.grace,
        recycle_after: args.recycle_after.max(1),
        recycle_rss_mb: args.recycle_rss,
        worker_idle: args.worker_idle,
        worker_nice: args.worker_nice,
        quarantine: args.quarantine,
    };
    server::run(opts)?;
    Ok(ExitStatus::Success)
}

/// How long a daemon whose remote cache failed waits before trying the server again.
const REMOTE_RETRY: Duration = Duration::from_secs(30);

/// Where a detached daemon logs unless told otherwise.
fn default_log_file() -> Result<std::path::PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "astscan")
        .context("no home directory for the log file; pass --log-file")?;
    let dir = dirs.state_dir().unwrap_or(dirs.cache_dir());
    Ok(dir.join("daemon.log"))
}

/// Sends this process's stderr (the log, and any panic message) to `path`, appending.
fn log_to(path: &Path) -> Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("creating {}", dir.display()))?;
    }
    let file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("opening the log file {}", path.display()))?;
    rustix::stdio::dup2_stderr(&file).with_context(|| format!("logging to {}", path.display()))?;
    Ok(())
}

/// Starts the daemon as a detached process (its own session, no terminal) with the same
/// options, waits until it listens, and reports its pid.
fn detach(args: &DaemonArgs) -> Result<ExitStatus> {
    use std::os::unix::process::CommandExt;
    let socket = paths::socket_path(args.socket.as_deref(), true)?;
    if let Some(pid) = crate::daemon::lock::holder(&socket) {
        bail!(
            "another astscan daemon is running on {} (pid {pid})",
            socket.display()
        );
    }
    let log = match &args.log_file {
        Some(path) => path.clone(),
        None => default_log_file()?,
    };
    let exe = std::env::current_exe().context("locating the astscan executable")?;
    let mut cmd = std::process::Command::new(exe);
    cmd.args(std::env::args_os().skip(1).filter(|a| a != "--detach"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if args.log_file.is_none() {
        cmd.arg("--log-file").arg(&log);
    }
    // SAFETY: setsid is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| rustix::process::setsid().map(drop).map_err(io::Error::from));
    }
    let mut child = cmd.spawn().context("starting the daemon")?;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait()? {
            let tail = std::fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = tail.lines().rev().take(5).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            bail!(
                "the daemon exited ({status}) before it listened; its log ({}) ends:\n{}",
                log.display(),
                tail.join("\n")
            );
        }
        if std::os::unix::net::UnixStream::connect(&socket).is_ok() {
            break;
        }
        if std::time::Instant::now() >= deadline {
            bail!(
                "the daemon (pid {}) did not listen on {} within 30 s; see {}",
                child.id(),
                socket.display(),
                log.display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    eprintln!(
        "astscan: daemon started (pid {}) on {}; log: {}",
        child.id(),
        socket.display(),
        log.display()
    );
    Ok(ExitStatus::Success)
}

/// Connects for a control command, with a clear error when no daemon runs.
async fn connect(socket: &Path) -> Result<client::Connection> {
    client::connect(socket).await.map_err(anyhow::Error::from)
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

fn status(args: &DaemonArgs, format: StatusFormat) -> Result<ExitStatus> {
    let socket = paths::socket_path(args.socket.as_deref(), false)?;
    let status = runtime()?.block_on(async {
        let conn = connect(&socket).await?;
        let status = conn.status().await.map_err(anyhow::Error::msg)?;
        conn.close().await;
        anyhow::Ok(status)
    })?;
    let mut out = io::stdout().lock();
    match format {
        StatusFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &status)?;
            writeln!(out)?;
        }
        StatusFormat::Text => write_text(&mut out, &status)?,
        StatusFormat::Prometheus => write_prometheus(&mut out, &status)?,
    }
    Ok(ExitStatus::Success)
}

fn stop(args: &DaemonArgs) -> Result<ExitStatus> {
    let socket = paths::socket_path(args.socket.as_deref(), false)?;
    runtime()?.block_on(async {
        match client::connect(&socket).await {
            Ok(conn) => conn.stop().await.map_err(anyhow::Error::msg)?,
            // A daemon of another build may speak another protocol, but it stops on SIGTERM
            // the same way; the lock file says which process it is.
            Err(client::ConnectError::Mismatch(_)) => terminate_holder(&socket)?,
            Err(e) => return Err(e.into()),
        }
        // The daemon removes its socket, stops its workers and releases its lock; wait for
        // all of it, so a new daemon can start at once (bounded by its grace period and
        // worker shutdown, so give it a generous minute).
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        while socket.exists() || crate::daemon::lock::holder(&socket).is_some() {
            if tokio::time::Instant::now() >= deadline {
                bail!("the daemon acknowledged the stop but is still running after 60 s");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        anyhow::Ok(())
    })?;
    eprintln!("astscan: daemon stopped");
    Ok(ExitStatus::Success)
}

/// Sends SIGTERM to the daemon that holds the lock for `socket`, once the lock and the
/// process pass [`crate::daemon::lock::signallable_holder`]'s checks.
fn terminate_holder(socket: &Path) -> Result<()> {
    let pid = crate::daemon::lock::signallable_holder(socket)?;
    let pid = rustix::process::Pid::from_raw(pid as i32)
        .with_context(|| format!("bad pid {pid} in the daemon's lock file"))?;
    rustix::process::kill_process(pid, rustix::process::Signal::TERM)
        .with_context(|| format!("signalling the daemon (pid {})", pid.as_raw_nonzero()))?;
    eprintln!(
        "astscan: the daemon (pid {}) is another build; sent it SIGTERM",
        pid.as_raw_nonzero()
    );
    Ok(())
}

fn write_text(out: &mut dyn Write, s: &Status) -> io::Result<()> {
    writeln!(
        out,
        "astscan daemon {} (pid {}), {} mode, up {}",
        s.version,
        s.pid,
        s.mode,
        humantime::format_duration(Duration::from_secs(s.uptime_s as u64))
    )?;
    writeln!(out, "socket:      {}", s.socket)?;
    writeln!(
        out,
        "sessions:    {}   connections: {} open, {} total, {} refused (other uid)",
        s.sessions, s.connections, s.connections_total, s.refused_peers
    )?;
    writeln!(
        out,
        "requests:    {} served ({} sent as files), {} in flight, {} busy answers, {} failed; latency p50 {} ms, p99 {} ms",
        s.requests,
        s.files_received,
        s.in_flight,
        s.busy_answers,
        s.failed,
        s.latency_ms.p50,
        s.latency_ms.p99
    )?;
    writeln!(
        out,
        "cache:       {} entries, {:.1} of {:.0} MB, hit rate {:.1}% ({} hits, {} misses)",
        s.cache.entries,
        s.cache.bytes as f64 / 1e6,
        s.cache.capacity_bytes as f64 / 1e6,
        s.cache_hit_rate * 100.0,
        s.cache.hits,
        s.cache.misses
    )?;
    if let Some(d) = &s.disk_cache {
        writeln!(
            out,
            "disk cache:  {} ({} hits, {} misses, {} written, {} damaged)",
            d.dir, d.counters.hits, d.counters.misses, d.counters.written, d.counters.corrupt
        )?;
    }
    if let Some(r) = &s.remote_cache {
        writeln!(
            out,
            "remote cache: {} ({} hits, {} misses, {} rejected, {} errors, {} written, {} \
             dropped; lookups {:.1} ms mean, {:.1} ms max, {:.1} keys each){}",
            r.server,
            r.hits,
            r.misses,
            r.rejected,
            r.errors,
            r.written,
            r.dropped,
            r.mean_lookup_ms,
            r.max_lookup_ms,
            r.keys_per_round_trip,
            r.off
                .as_deref()
                .map(|why| format!(", OFF: {why}"))
                .unwrap_or_default()
        )?;
    }
    for p in &s.pools {
        writeln!(
            out,
            "pool {}: {} rules, {} queued, {} live workers ({} started, {} restarts){}",
            p.options,
            p.rules,
            p.queued,
            p.live_workers,
            p.workers_started,
            p.worker_restarts,
            p.broken
                .as_deref()
                .map(|b| format!(", BROKEN: {b}"))
                .unwrap_or_default()
        )?;
        for (i, w) in p.workers.iter().enumerate() {
            let state = match (w.pid, w.busy) {
                (None, _) => "stopped".to_string(),
                (Some(pid), true) => format!("busy (pid {pid})"),
                (Some(pid), false) => format!("idle (pid {pid})"),
            };
            let langs: Vec<&str> = w.languages.iter().map(String::as_str).collect();
            writeln!(
                out,
                "  worker {i}: {state}, {} files, warm for: {}",
                w.files,
                if langs.is_empty() {
                    "-".to_string()
                } else {
                    langs.join(", ")
                }
            )?;
        }
    }
    Ok(())
}

fn write_prometheus(out: &mut dyn Write, s: &Status) -> io::Result<()> {
    let metrics: [(&str, &str, &str, f64); 13] = [
        (
            "uptime_seconds",
            "gauge",
            "Seconds since the daemon started.",
            s.uptime_s,
        ),
        ("sessions", "gauge", "Open sessions.", s.sessions as f64),
        (
            "connections",
            "gauge",
            "Open connections.",
            s.connections as f64,
        ),
        (
            "requests_total",
            "counter",
            "Files requested.",
            s.requests as f64,
        ),
        (
            "files_received_total",
            "counter",
            "Files sent to the daemon (the rest were answered by content hash).",
            s.files_received as f64,
        ),
        (
            "busy_total",
            "counter",
            "Requests answered busy.",
            s.busy_answers as f64,
        ),
        (
            "failed_total",
            "counter",
            "Files that failed.",
            s.failed as f64,
        ),
        (
            "in_flight",
            "gauge",
            "Files queued or parsing.",
            s.in_flight as f64,
        ),
        (
            "refused_peers_total",
            "counter",
            "Connections refused for another uid.",
            s.refused_peers as f64,
        ),
        (
            "cache_entries",
            "gauge",
            "Result cache entries.",
            s.cache.entries as f64,
        ),
        (
            "cache_bytes",
            "gauge",
            "Result cache bytes.",
            s.cache.bytes as f64,
        ),
        (
            "cache_hits_total",
            "counter",
            "Result cache hits.",
            s.cache.hits as f64,
        ),
        (
            "cache_misses_total",
            "counter",
            "Result cache misses.",
            s.cache.misses as f64,
        ),
    ];
    for (name, kind, help, value) in metrics {
        writeln!(out, "# HELP astscan_daemon_{name} {help}")?;
        writeln!(out, "# TYPE astscan_daemon_{name} {kind}")?;
        writeln!(out, "astscan_daemon_{name} {value}")?;
    }
    writeln!(
        out,
        "# HELP astscan_daemon_latency_ms Request latency over the recent window."
    )?;
    writeln!(out, "# TYPE astscan_daemon_latency_ms gauge")?;
    for (quantile, value) in [("0.5", s.latency_ms.p50), ("0.99", s.latency_ms.p99)] {
        writeln!(
            out,
            "astscan_daemon_latency_ms{{quantile=\"{quantile}\"}} {value}"
        )?;
    }
    writeln!(
        out,
        "# HELP astscan_daemon_workers Live worker processes per option set."
    )?;
    writeln!(out, "# TYPE astscan_daemon_workers gauge")?;
    for p in &s.pools {
        writeln!(
            out,
            "astscan_daemon_workers{{options=\"{}\"}} {}",
            p.options, p.live_workers
        )?;
    }
    Ok(())
}
