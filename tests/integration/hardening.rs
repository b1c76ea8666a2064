//! Processes that hold a session key cannot dump core, and the per-file deadline counts the
//! CPU time a parse uses, so a loaded machine does not fail files.

use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{astscan, children, exists, file, write};

/// The user the tests run astscan as when they run as root: the owner of `/proc/<pid>` only
/// tells a non-dumpable process (owned by root) from a dumpable one for a non-root process.
const NOBODY: u32 = 65534;

fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Whether the tests run astscan as [`NOBODY`]: under root, when that user can reach the
/// binary (every directory above it searchable by others).
fn as_nobody() -> bool {
    use std::os::unix::fs::PermissionsExt;
    if !running_as_root() {
        return false;
    }
    let bin = crate::util::bin();
    let reachable = bin
        .ancestors()
        .all(|p| std::fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o001 != 0));
    if !reachable {
        // Asked once per process start; one line says so.
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            crate::util::skip(format!(
                "the dumpable check ({} is not reachable by uid {NOBODY}, make every \
                 directory above it searchable by others); checking the core size limit only",
                bin.display()
            ))
        });
    }
    reachable
}

/// Makes `cmd` start as a dumpable process would: its soft core-size limit raised to the hard
/// one (an inherited 0 would prove nothing) and, under root, as an unprivileged user.
fn exposed(cmd: &mut Command) -> &mut Command {
    let as_nobody = as_nobody();
    // SAFETY: the closure runs in the forked child before exec and calls only async-signal-safe
    // functions (getrlimit, setrlimit, setgroups, setgid, setuid).
    unsafe {
        cmd.pre_exec(move || {
            let mut limit = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            if libc::getrlimit(libc::RLIMIT_CORE, &mut limit) == 0 {
                limit.rlim_cur = limit.rlim_max;
                libc::setrlimit(libc::RLIMIT_CORE, &limit);
            }
            if as_nobody
                && (libc::setgroups(0, std::ptr::null()) != 0
                    || libc::setgid(NOBODY) != 0
                    || libc::setuid(NOBODY) != 0)
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        })
    }
}

/// The soft core-size limit of `pid`, as `/proc/<pid>/limits` shows it.
fn core_limit(pid: u32) -> Option<String> {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).ok()?;
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))?;
    line["Max core file size".len()..]
        .split_whitespace()
        .next()
        .map(str::to_string)
}

/// Whether `pid` is protected: a core size limit of 0 and, where it can be told (a process
/// not running as root), non-dumpable (the kernel gives its `/proc` files to root).
fn protected(pid: u32) -> Result<(), String> {
    let limit = core_limit(pid).ok_or("no /proc entry")?;
    if limit != "0" {
        return Err(format!("core size limit {limit}"));
    }
    let status =
        std::fs::read_to_string(format!("/proc/{pid}/status")).map_err(|e| e.to_string())?;
    let uid: u32 = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|u| u.parse().ok())
        .ok_or("no Uid line")?;
    let owner = std::fs::metadata(format!("/proc/{pid}/status"))
        .map_err(|e| e.to_string())?
        .uid();
    if uid != 0 && owner == uid {
        return Err(format!("dumpable: /proc/{pid} belongs to uid {uid}"));
    }
    Ok(())
}

/// Waits (up to 10 s) until `pid` is protected: a process just forked or exec'd has not had
/// the time to protect itself.
fn assert_protected(pid: u32, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut last = String::from("never seen");
    loop {
        match protected(pid) {
            Ok(()) => return,
            Err(why) if !exists(pid) => {
                panic!("{what} (pid {pid}) ended unprotected: {last} ({why})")
            }
            Err(why) if Instant::now() >= deadline => panic!("{what} (pid {pid}): {why}"),
            Err(why) => last = why,
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The first child of `parent` to appear (within 20 s).
fn wait_for_child(parent: u32) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(pid) = children(parent).into_iter().next() {
            return pid;
        }
        assert!(Instant::now() < deadline, "no worker of {parent} appeared");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A child process killed and reaped on drop.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A directory the unprivileged user of [`exposed`] can use.
fn shared_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    if as_nobody() {
        std::os::unix::fs::chown(dir.path(), Some(NOBODY), Some(NOBODY)).expect("chown");
    }
    dir
}

/// Gives the files of `path` to the unprivileged user as well.
fn chown_tree(path: &Path) {
    if as_nobody() {
        for entry in std::fs::read_dir(path).expect("read_dir").flatten() {
            std::os::unix::fs::chown(entry.path(), Some(NOBODY), Some(NOBODY)).expect("chown");
        }
    }
}

#[test]
fn workers_the_daemon_and_a_direct_scan_could_dump_core() {
    // A direct scan long enough to look at its worker.
    let dir = shared_dir();
    let body = "def handler(request, *args):\n    if request and args:\n        return [a for a in args if a]\n    return None\n\n".repeat(400);
    for i in 0..200 {
        write(dir.path(), &format!("m{i:03}.py"), &body);
    }
    chown_tree(dir.path());
    let scan = Reaped(
        exposed(&mut astscan(dir.path()))
            .args(["analyze", "--format", "json", "--jobs", "1", "--no-rules"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn"),
    );
    let client = scan.0.id();
    let worker = wait_for_child(client);
    assert_protected(worker, "direct-scan worker");
    assert_protected(client, "direct-scan client (holds the session key)");
    drop(scan);

    // A daemon with a pre-warmed worker.
    let dir = shared_dir();
    let socket = dir.path().join("d.sock");
    let daemon = Reaped(
        exposed(&mut astscan(dir.path()))
            .args([
                "daemon",
                "--workers",
                "1",
                "--prewarm",
                "python",
                "--socket",
            ])
            .arg(&socket)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting the daemon"),
    );
    let pid = daemon.0.id();
    let worker = wait_for_child(pid);
    assert_protected(pid, "daemon");
    assert_protected(worker, "daemon worker");
}

/// One CPU this process may run on (the last of its set): the loaded scan and the threads
/// loading it share it, so the worker's share of it is known whatever else the machine runs.
fn one_cpu() -> usize {
    // SAFETY: a zeroed cpu_set_t is a valid empty set, which sched_getaffinity fills.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` is a valid cpu_set_t of the size passed.
    let got =
        unsafe { libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) };
    assert_eq!(got, 0, "sched_getaffinity");
    (0..libc::CPU_SETSIZE as usize)
        .rev()
        // SAFETY: `cpu` is below CPU_SETSIZE.
        .find(|&cpu| unsafe { libc::CPU_ISSET(cpu, &set) })
        .expect("at least one CPU")
}

/// Binds the calling thread (or, before exec, the child) to `cpu`; async-signal-safe.
fn pin_to(cpu: usize) -> std::io::Result<()> {
    // SAFETY: a zeroed cpu_set_t is a valid empty set; CPU_SET and sched_setaffinity only
    // touch it and the calling thread.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Threads that keep one CPU busy until dropped (or for 60 s at most).
struct Load {
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Load {
    fn start(cpu: usize, threads: usize) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..threads)
            .map(|_| {
                let stop = Arc::clone(&stop);
                std::thread::spawn(move || {
                    pin_to(cpu).expect("pinning a load thread");
                    let end = Instant::now() + Duration::from_secs(60);
                    let mut x = 0u64;
                    while !stop.load(Ordering::Relaxed) && Instant::now() < end {
                        for _ in 0..10_000 {
                            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
                        }
                    }
                })
            })
            .collect();
        Load { stop, threads }
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

fn parse_seconds(report: &Value, path: &str) -> f64 {
    let f = file(report, path);
    assert_eq!(f["status"], "parsed", "{f}");
    f["parse_ms"].as_f64().expect("parse_ms") / 1000.0
}

#[test]
fn a_parse_waiting_for_a_cpu_times_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body: String = (0..6000)
        .map(|i| {
            format!("def f{i}(x, y):\n    if x > {i}:\n        return [x, y, ({i}, x)]\n    return {{\"k\": y}}\n")
        })
        .collect();
    write(dir.path(), "big.py", &body);
    let cpu = one_cpu();
    let scan = |timeout: f64, pinned: bool| {
        let mut cmd = astscan(dir.path());
        cmd.args(["analyze", "--format", "json", "--jobs", "1", "--timeout"])
            .arg(format!("{timeout:.3}"))
            .arg("big.py");
        if pinned {
            // SAFETY: pin_to only calls sched_setaffinity, which is async-signal-safe.
            unsafe { cmd.pre_exec(move || pin_to(cpu)) };
        }
        let out = cmd.output().expect("running astscan");
        let report: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
        (report, out)
    };
    // What the file costs on an idle worker (the quickest of three runs, as the machine may be
    // busy with other work).
    let cost = (0..3)
        .map(|_| parse_seconds(&scan(60.0, false).0, "big.py"))
        .fold(f64::INFINITY, f64::min);
    let deadline = (2.0 * cost).max(0.1);

    // Six busy threads on the worker's CPU: it gets about a seventh of it, so its wall time
    // runs to several times the deadline (even if other work made `cost` look up to three times
    // too high) while its CPU time stays within it. The watchdog's backstop (4 x the deadline
    // plus 2 s) is beyond that wall time.
    let load = Load::start(cpu, 6);
    let started = Instant::now();
    let (report, out) = scan(deadline, true);
    let wall = started.elapsed();
    let f = file(&report, "big.py");
    assert_eq!(
        f["status"], "parsed",
        "deadline {deadline:.3} s, cost {cost:.3} s, scan took {wall:?}: {f}"
    );
    assert_eq!(out.status.code(), Some(0), "{report}");

    // A file that needs more CPU than its deadline still fails, and as a timeout.
    let (report, out) = scan(cost / 4.0, true);
    drop(load);
    let f = file(&report, "big.py");
    assert_eq!(f["status"], "failed", "{f}");
    assert_eq!(f["reason_code"], "timeout", "{f}");
    assert_eq!(out.status.code(), Some(2));
}
