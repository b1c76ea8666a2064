//! Load generator for `astscan daemon`: holds many idle connections open and runs many
//! concurrent clients against one daemon, then prints throughput, latency percentiles and the
//! daemon's memory.
//!
//! Each client is its own process (the daemon limits sessions per client process) with one
//! session, and keeps one file outstanding at a time, as the real client does for each file:
//! a `lookup` by content hash, then the sealed file with `analyze` on a miss. Latency is from
//! the lookup to the result. Run the daemon with `--cache-size 0 --no-cache` to measure the workers
//! rather than the cache.
//!
//! Bounded in count and time (at most 200 clients, 4000 held connections, 120 s) and local
//! only: it speaks to a Unix socket and nothing else.
//!
//! Usage: `cargo bench --bench load -- --socket PATH [--files DIR] [--clients 100]
//! [--held 1000] [--seconds 10] [--max-bytes 4096]`; `benches/load.sh` starts the daemon and
//! runs the scenarios on the shared corpus.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use astscan::daemon::client;
use astscan::lang::Language;
use astscan::pool::{Job, JobResult};
use astscan::protocol::{self, Message, PROTOCOL_VERSION};
use astscan::seal::Sealer;
use clap::Parser;
use sha2::{Digest, Sha256};

const MAX_CLIENTS: usize = 200;
const MAX_HELD: usize = 4000;
const MAX_SECONDS: u64 = 120;
/// Requests each client makes before the clock starts: workers started, queries compiled.
const WARMUP_REQUESTS: usize = 20;

#[derive(Parser, Debug)]
struct Args {
    /// The daemon's socket.
    #[arg(long)]
    socket: PathBuf,
    /// Where to take small source files from (default: the shared benchmark corpus).
    #[arg(long)]
    files: Option<PathBuf>,
    /// Concurrent clients, each with one file outstanding.
    #[arg(long, default_value_t = 100)]
    clients: usize,
    /// Idle connections held open (handshake done) for the whole run.
    #[arg(long, default_value_t = 1000)]
    held: usize,
    /// How long the clients run.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Largest file to use, in bytes ("small files").
    #[arg(long, default_value_t = 4096)]
    max_bytes: u64,
    /// Internal: run as one client, reading file paths from this list.
    #[arg(long, hide = true)]
    client_list: Option<PathBuf>,
    /// Internal: the client's index (where in the list it starts).
    #[arg(long, hide = true, default_value_t = 0)]
    client_index: usize,
    /// `cargo bench` passes this; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

fn main() {
    let args = Args::parse();
    let result = match &args.client_list {
        Some(list) => run_client(&args, list),
        None => run_parent(&args),
    };
    if let Err(e) = result {
        eprintln!("load: {e}");
        std::process::exit(1);
    }
}

/// What one client reports, as one JSON line on stdout.
#[derive(serde::Serialize, serde::Deserialize)]
struct ClientReport {
    latencies_us: Vec<u32>,
    failed: u64,
    elapsed_s: f64,
}

fn run_parent(args: &Args) -> Result<(), String> {
    if args.clients == 0 || args.clients > MAX_CLIENTS {
        return Err(format!("--clients must be 1..={MAX_CLIENTS}"));
    }
    if args.held > MAX_HELD || args.seconds == 0 || args.seconds > MAX_SECONDS {
        return Err(format!(
            "--held must be at most {MAX_HELD}, --seconds 1..={MAX_SECONDS}"
        ));
    }
    let dir = args.files.clone().unwrap_or_else(default_corpus);
    let files = small_files(&dir, args.max_bytes);
    if files.is_empty() {
        return Err(format!(
            "no source files of at most {} bytes under {}",
            args.max_bytes,
            dir.display()
        ));
    }
    let list = std::env::temp_dir().join(format!("astscan-load-{}.list", std::process::id()));
    let text: String = files.iter().map(|p| format!("{}\n", p.display())).collect();
    std::fs::write(&list, text).map_err(|e| e.to_string())?;
    let result = drive(args, &list, files.len());
    let _ = std::fs::remove_file(&list);
    result
}

fn drive(args: &Args, list: &Path, files: usize) -> Result<(), String> {
    raise_fd_limit(args.held as u64 + args.clients as u64 * 4 + 64);
    let daemon_pid = daemon_pid(&args.socket)?;
    let rss_before = rss_kb(daemon_pid);

    let started = Instant::now();
    let mut held = Vec::with_capacity(args.held);
    for i in 0..args.held {
        held.push(hold(&args.socket).map_err(|e| format!("held connection {i}: {e}"))?);
    }
    let held_in = started.elapsed();

    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut children = Vec::with_capacity(args.clients);
    for i in 0..args.clients {
        let child = Command::new(&exe)
            .arg("--socket")
            .arg(&args.socket)
            .arg("--client-list")
            .arg(list)
            .arg("--client-index")
            .arg(i.to_string())
            .arg("--seconds")
            .arg(args.seconds.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("starting client {i}: {e}"))?;
        children.push(child);
    }
    // Every client has its session and has warmed up before the clock starts.
    let mut readers = Vec::with_capacity(children.len());
    for (i, child) in children.iter_mut().enumerate() {
        let mut out = BufReader::new(child.stdout.take().expect("piped"));
        let mut line = String::new();
        out.read_line(&mut line).map_err(|e| e.to_string())?;
        if line.trim() != "ready" {
            return Err(format!("client {i} did not get ready: {line:?}"));
        }
        readers.push(out);
    }
    let open = connections(&args.socket)?;
    for child in &mut children {
        let stdin = child.stdin.as_mut().expect("piped");
        stdin.write_all(b"go\n").map_err(|e| e.to_string())?;
        stdin.flush().map_err(|e| e.to_string())?;
    }
    // Sample the daemon's and its workers' memory while the clients run.
    let mut peak_daemon = 0;
    let mut peak_workers = 0;
    let until = Instant::now() + Duration::from_secs(args.seconds);
    while Instant::now() < until {
        peak_daemon = peak_daemon.max(rss_kb(daemon_pid));
        peak_workers = peak_workers.max(children_of(daemon_pid).into_iter().map(rss_kb).sum());
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut latencies = Vec::new();
    let mut failed = 0;
    let mut elapsed: f64 = 0.0;
    for (i, (mut child, mut out)) in children.into_iter().zip(readers).enumerate() {
        let mut line = String::new();
        out.read_to_string(&mut line).map_err(|e| e.to_string())?;
        let status = child.wait().map_err(|e| e.to_string())?;
        let report: ClientReport = serde_json::from_str(line.trim())
            .map_err(|e| format!("client {i} ({status}): {e}: {line:?}"))?;
        latencies.extend(report.latencies_us);
        failed += report.failed;
        elapsed = elapsed.max(report.elapsed_s);
    }
    let still_open = held.iter().filter(|s| alive(s)).count();
    drop(held);

    latencies.sort_unstable();
    let pct = |p: f64| {
        let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies.get(i).copied().unwrap_or(0) as f64 / 1000.0
    };
    let total = latencies.len();
    println!(
        "daemon on {}: {} small files (≤ {} bytes) to choose from",
        args.socket.display(),
        files,
        args.max_bytes
    );
    println!(
        "held connections: {} opened in {:.2} s, {} still open at the end; daemon saw {} connections during the run",
        args.held,
        held_in.as_secs_f64(),
        still_open,
        open
    );
    println!(
        "clients: {} × 1 file outstanding for {:.1} s: {} files, {:.0} files/s, {} failed",
        args.clients,
        elapsed,
        total,
        total as f64 / elapsed,
        failed
    );
    println!(
        "latency ms: p50 {:.2}, p90 {:.2}, p99 {:.2}, max {:.2}",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0)
    );
    println!(
        "daemon RSS MB: {:.1} before, {:.1} peak; its workers' RSS MB (sum, peak): {:.1}",
        rss_before as f64 / 1024.0,
        peak_daemon as f64 / 1024.0,
        peak_workers as f64 / 1024.0
    );
    Ok(())
}

/// One client: a session, warm-up, then files back to back until the time is up.
fn run_client(args: &Args, list: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(list).map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    for line in text.lines() {
        let path = PathBuf::from(line);
        let Some(language) = astscan::lang::detect_by_name(&path) else {
            continue;
        };
        let bytes = std::fs::read(&path).map_err(|e| format!("{line}: {e}"))?;
        let sha256: [u8; 32] = Sha256::digest(&bytes).into();
        files.push((line.to_string(), language, bytes, sha256));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let conn = client::connect(&args.socket)
            .await
            .map_err(|e| e.to_string())?;
        let rules = astscan::rules::builtin().map_err(|e| e.to_string())?;
        let deadline = Duration::from_millis(astscan::daemon::DEFAULT_DEADLINE_MS);
        let (id, key) = conn
            .open_session(&rules, deadline, astscan::daemon::DEFAULT_MEMORY_LIMIT_MB)
            .await?;
        let sealer = Arc::new(Sealer::new(id, key));
        let mut next = args.client_index * 7919;
        let one = |next: &mut usize| {
            let f = &files[*next % files.len()];
            *next += 1;
            f
        };
        let mut failed = 0u64;
        for _ in 0..WARMUP_REQUESTS {
            let (path, language, bytes, sha) = one(&mut next);
            request(&conn, &sealer, path, *language, bytes, sha, deadline).await?;
        }
        println!("ready");
        let mut go = String::new();
        std::io::stdin()
            .read_line(&mut go)
            .map_err(|e| e.to_string())?;
        let started = Instant::now();
        let until = started + Duration::from_secs(args.seconds);
        let mut latencies_us = Vec::new();
        while Instant::now() < until {
            let (path, language, bytes, sha) = one(&mut next);
            let t = Instant::now();
            let ok = request(&conn, &sealer, path, *language, bytes, sha, deadline).await?;
            latencies_us.push(t.elapsed().as_micros().min(u32::MAX as u128) as u32);
            if !ok {
                failed += 1;
            }
        }
        let report = ClientReport {
            latencies_us,
            failed,
            elapsed_s: started.elapsed().as_secs_f64(),
        };
        conn.close().await;
        println!(
            "{}",
            serde_json::to_string(&report).map_err(|e| e.to_string())?
        );
        Ok(())
    })
}

/// One file as the CLI sends it; whether it was analysed.
async fn request(
    conn: &client::Connection,
    sealer: &Sealer,
    path: &str,
    language: Language,
    bytes: &[u8],
    sha256: &[u8; 32],
    deadline: Duration,
) -> Result<bool, String> {
    let patience = deadline * 2 + Duration::from_secs(10);
    let result = match conn.lookup(language, sha256, patience).await? {
        Some(hit) => hit,
        None => {
            let envelope = sealer
                .seal_prehashed(bytes, *sha256)
                .map_err(|e| e.to_string())?;
            let job = Job {
                language,
                display_path: path.to_string(),
                envelope: envelope.into(),
                file_key: None,
            };
            conn.analyze(&job, deadline, patience, true).await?.0
        }
    };
    Ok(matches!(result, JobResult::Analyzed { .. }))
}

/// Source files of at most `max_bytes` under `dir`, in a stable order.
fn small_files(dir: &Path, max_bytes: u64) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            e.metadata()
                .is_ok_and(|m| m.len() > 0 && m.len() <= max_bytes)
        })
        .filter(|e| astscan::lang::detect_by_name(e.path()).is_some())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

fn default_corpus() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache")
        });
    cache.join("astscan-bench/corpus")
}

/// A connection that has done its handshake and then sits idle.
fn hold(socket: &Path) -> Result<UnixStream, String> {
    let mut s = UnixStream::connect(socket).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    let hello = Message::Hello {
        protocol: PROTOCOL_VERSION,
        build_id: astscan::BUILD_ID.to_string(),
        languages: Vec::new(),
        pid: std::process::id(),
    };
    let frame = protocol::encode_frame(&hello, &[]).map_err(|e| e.to_string())?;
    s.write_all(&frame).map_err(|e| e.to_string())?;
    match protocol::read_frame(&mut s, 1 << 20) {
        Ok(Some(f)) if matches!(f.message, Message::Hello { .. }) => Ok(s),
        Ok(Some(f)) => Err(format!("answered {:?}", f.message)),
        Ok(None) => Err("closed".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// Whether the daemon still keeps a held connection open.
fn alive(s: &UnixStream) -> bool {
    let _ = s.set_nonblocking(true);
    let mut byte = [0u8; 1];
    matches!((&*s).read(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

fn status(socket: &Path) -> Result<astscan::daemon::status::Status, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let conn = client::connect(socket).await.map_err(|e| e.to_string())?;
        let status = conn.status().await;
        conn.close().await;
        status
    })
}

fn daemon_pid(socket: &Path) -> Result<u32, String> {
    Ok(status(socket)?.pid)
}

fn connections(socket: &Path) -> Result<u64, String> {
    Ok(status(socket)?.connections as u64)
}

/// Resident memory of a process in KiB (0 once it is gone).
fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// The direct children of a process (the daemon's workers).
fn children_of(pid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{p}/stat"))
                .ok()
                .and_then(|s| {
                    // The command name may hold spaces: fields resume after its ')'.
                    let rest = &s[s.rfind(')')? + 2..];
                    rest.split_whitespace().nth(1)?.parse::<u32>().ok()
                })
                == Some(pid)
        })
        .collect()
}

/// Raises this process's open-file limit (it holds the idle connections).
fn raise_fd_limit(wanted: u64) {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let target = wanted.min(limit.maximum.unwrap_or(u64::MAX));
    if limit.current.is_some_and(|c| c < target) {
        let _ = setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(target),
                maximum: limit.maximum,
            },
        );
    }
}
