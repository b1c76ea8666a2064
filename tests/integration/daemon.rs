//! The daemon: a real `astscan daemon` process on a real socket in a temp dir, driven by the
//! real CLI and by raw frames for what a well-behaved client never sends.

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::util::{
    analyze_json, astscan, backends, is_root, mixed_project, normalised, skip, write,
};

/// A daemon under test; killed on drop if still running.
struct Daemon {
    child: Child,
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_daemon(extra: &[&str]) -> Daemon {
    let dir = tempfile::tempdir().expect("tempdir");
    let socket = dir.path().join("d.sock");
    let child = spawn_daemon(&socket, extra);
    wait_for_socket(&socket);
    Daemon {
        child,
        socket,
        _dir: dir,
    }
}

fn spawn_daemon(socket: &Path, extra: &[&str]) -> Child {
    astscan(socket.parent().unwrap())
        .args(["daemon", "--socket"])
        .arg(socket)
        .args(["--workers", "2"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting the daemon")
}

fn wait_for_socket(socket: &Path) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while UnixStream::connect(socket).is_err() {
        assert!(
            Instant::now() < deadline,
            "daemon did not listen on {socket:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn wait_exit(child: &mut Child, within: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "daemon did not exit within {within:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stderr_of(child: &mut Child) -> String {
    let mut s = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut s);
    }
    s
}

fn status(d: &Daemon) -> Value {
    status_at(&d.socket)
}

fn status_at(socket: &Path) -> Value {
    let out = astscan(socket.parent().unwrap())
        .args(["daemon", "status", "--json", "--socket"])
        .arg(socket)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Scans `dir` with `--daemon MODE` against the daemon on `socket`.
fn scan(dir: &Path, socket: &Path, mode: &str) -> (Value, std::process::Output) {
    let socket = socket.to_str().unwrap();
    analyze_json(dir, &["--socket", socket, "--daemon", mode, "."])
}

#[test]
fn start_status_stop_and_private_socket() {
    let mut d = start_daemon(&["--async"]);
    let mode = std::fs::metadata(&d.socket).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "socket mode {mode:o}");
    let lock = PathBuf::from(format!("{}.lock", d.socket.display()));
    assert!(lock.exists());
    let s = status(&d);
    assert_eq!(s["pid"], d.child.id());
    assert_eq!(s["mode"], "async");
    assert!(
        s["build_id"]
            .as_str()
            .unwrap()
            .starts_with(env!("CARGO_PKG_VERSION"))
    );
    for key in [
        "sessions",
        "uptime_s",
        "cache",
        "latency_ms",
        "pools",
        "requests",
    ] {
        assert!(s.get(key).is_some(), "status lacks {key}: {s}");
    }
    // Prometheus text format for a node exporter.
    let prom = astscan(Path::new("/"))
        .args(["daemon", "status", "--format", "prometheus", "--socket"])
        .arg(&d.socket)
        .output()
        .unwrap();
    let prom = String::from_utf8(prom.stdout).unwrap();
    assert!(
        prom.contains("# TYPE astscan_daemon_cache_hits_total counter"),
        "{prom}"
    );
    assert!(
        prom.contains("astscan_daemon_latency_ms{quantile=\"0.99\"}"),
        "{prom}"
    );

    let out = astscan(Path::new("/"))
        .args(["daemon", "stop", "--socket"])
        .arg(&d.socket)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `stop` returns once the lock is free: a new daemon can start straight away.
    assert!(!d.socket.exists(), "socket left behind");
    assert!(!lock.exists(), "lock file left behind");
    let code = wait_exit(&mut d.child, Duration::from_secs(10));
    assert_eq!(code.code(), Some(0));
}

#[test]
fn a_second_daemon_on_the_same_socket_exits_with_a_clear_message() {
    let d = start_daemon(&["--async"]);
    let mut second = spawn_daemon(&d.socket, &[]);
    let code = wait_exit(&mut second, Duration::from_secs(10));
    let err = stderr_of(&mut second);
    assert_eq!(code.code(), Some(2), "{err}");
    assert!(err.contains("another astscan daemon is running"), "{err}");
    assert!(err.contains(&format!("pid {}", d.child.id())), "{err}");
    // The first one is unharmed.
    assert_eq!(status(&d)["pid"], d.child.id());
}

#[test]
fn a_stale_socket_after_kill_9_is_replaced() {
    let mut d = start_daemon(&[]);
    d.child.kill().unwrap();
    d.child.wait().unwrap();
    assert!(d.socket.exists(), "a killed daemon leaves its socket");
    // A client finds no daemon and scans directly.
    let proj = mixed_project(20);
    let (report, out) = scan(proj.path(), &d.socket, "auto");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        backends(&report)
            .iter()
            .all(|b| b == "direct" || b == "none")
    );
    // A new daemon takes over the socket.
    let mut again = spawn_daemon(&d.socket, &["--async"]);
    wait_for_socket(&d.socket);
    let s = status_at(&d.socket);
    let _ = again.kill();
    let _ = again.wait();
    assert_eq!(s["pid"], again.id());
    assert!(stderr_of(&mut again).contains("removing stale socket"));
}

#[test]
fn daemon_results_equal_direct_results_and_a_rescan_hits_the_cache() {
    let d = start_daemon(&["--async"]);
    let proj = mixed_project(20);
    let (direct, out) = scan(proj.path(), &d.socket, "never");
    assert_eq!(out.status.code(), Some(1));
    assert!(backends(&direct).iter().all(|b| b == "direct"));

    let (first, out) = scan(proj.path(), &d.socket, "always");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        backends(&first).iter().all(|b| b == "daemon"),
        "{:?}",
        backends(&first)
    );
    assert_eq!(normalised(first.clone()), normalised(direct.clone()));

    let (second, out) = scan(proj.path(), &d.socket, "always");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        backends(&second).iter().all(|b| b == "daemon_cache"),
        "{:?}",
        backends(&second)
    );
    assert_eq!(normalised(second), normalised(direct.clone()));
    // The summary counts are the same too.
    assert_eq!(first["summary"]["findings"], direct["summary"]["findings"]);

    let s = status(&d);
    let files = direct["files"].as_array().unwrap().len() as u64;
    assert_eq!(s["cache"]["hits"], files, "{s}");
    assert_eq!(s["cache"]["misses"], files, "{s}");
    assert_eq!(s["sessions"], 0, "sessions close with their scans: {s}");
    assert_eq!(s["requests"], 2 * files);
    // The re-scan asked by content hash: no file was sealed and sent a second time.
    assert_eq!(s["files_received"], files, "{s}");
}

#[test]
fn the_daemon_and_direct_scans_share_the_result_cache_directory() {
    let proj = mixed_project(5);
    let cache = crate::cache::cache_dir();
    // A direct scan fills the cache directory.
    let (direct, _) = crate::cache::scan(proj.path(), cache.path(), &["--daemon", "never"]);
    assert!(backends(&direct).iter().all(|b| b == "direct"), "{direct}");

    let sockdir = tempfile::tempdir().unwrap();
    let socket = sockdir.path().join("d.sock");
    let mut daemon = start_named(&socket, &["--cache-dir"], cache.path());
    // A fresh daemon answers every analysed file from the directory: no file is sent.
    let (through, out) = scan(proj.path(), &socket, "always");
    assert_eq!(out.status.code(), Some(1));
    let analysed: Vec<&Value> = direct["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["backend"] == "direct")
        .collect();
    assert!(
        backends(&through).iter().all(|b| b == "daemon_cache"),
        "{:?}",
        backends(&through)
    );
    assert_eq!(normalised(through), normalised(direct.clone()));
    let s = status_at(&socket);
    assert_eq!(s["files_received"], 0, "{s}");
    let n = analysed.len() as u64;
    assert_eq!(s["disk_cache"]["hits"], n, "{s}");
    // Memory missed them, and holds them now.
    assert_eq!(s["cache"]["misses"], n, "{s}");
    assert_eq!(s["cache"]["entries"], n, "{s}");

    // What the daemon's workers analyse reaches the directory, for direct scans to find.
    write(proj.path(), "new.py", "def fresh(x):\n    return x + 1\n");
    let (_, out) = scan(proj.path(), &socket, "always");
    assert!(out.status.code().is_some());
    let stop = astscan(sockdir.path())
        .args(["daemon", "stop", "--socket"])
        .arg(&socket)
        .output()
        .unwrap();
    assert!(stop.status.success());
    assert!(wait_exit(&mut daemon.child, Duration::from_secs(20)).success());
    let (again, _) = crate::cache::scan(proj.path(), cache.path(), &["--daemon", "never"]);
    let new = again["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "new.py")
        .expect("new.py in the report");
    assert_eq!(new["backend"], "cache", "{new}");

    // `--no-cache` keeps a daemon in memory: nothing is found in the directory.
    let socket2 = sockdir.path().join("e.sock");
    let _memory_only = start_named(&socket2, &["--no-cache", "--cache-dir"], cache.path());
    let (mem, _) = scan(proj.path(), &socket2, "always");
    assert!(
        backends(&mem).iter().all(|b| b == "daemon" || b == "none"),
        "{:?}",
        backends(&mem)
    );
}

/// A daemon on `socket` with `args` then `path`, its environment free of `ASTSCAN_NO_CACHE`.
fn start_named(socket: &Path, args: &[&str], path: &Path) -> Daemon {
    let child = astscan(socket.parent().unwrap())
        .env_remove("ASTSCAN_NO_CACHE")
        .args(["daemon", "--workers", "1", "--socket"])
        .arg(socket)
        .args(args)
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_socket(socket);
    Daemon {
        child,
        socket: socket.to_path_buf(),
        _dir: tempfile::tempdir().unwrap(),
    }
}

/// Starts `analyze --daemon auto` on `dir` and returns once the daemon has received a file.
fn scan_in_background(dir: &Path, d: &Daemon) -> Child {
    let client = astscan(dir)
        .args([
            "analyze", "--format", "json", "--daemon", "auto", "--socket",
        ])
        .arg(&d.socket)
        .arg(".")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while status(d)["requests"].as_u64().unwrap() == 0 {
        assert!(
            Instant::now() < deadline,
            "the client never reached the daemon"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    client
}

#[test]
fn daemon_killed_mid_scan_client_falls_back_with_identical_results() {
    let proj = mixed_project(20);
    for i in 0..150 {
        write(
            proj.path(),
            &format!("more/f{i}.js"),
            format!("function g{i}(a) {{ if (a) {{ return eval(a); }} return {i}; }}\n"),
        );
    }
    let (direct, _) = analyze_json(proj.path(), &["--daemon", "never", "."]);
    let mut d = start_daemon(&["--async"]);
    let client = scan_in_background(proj.path(), &d);
    d.child.kill().unwrap();
    d.child.wait().unwrap();
    let out = client.wait_with_output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(normalised(report.clone()), normalised(direct));
    let b = backends(&report);
    assert!(b.iter().any(|b| b == "direct"), "nothing fell back: {b:?}");
    assert!(
        err.contains("finishing the scan without the daemon"),
        "{err}"
    );
}

#[test]
fn daemon_always_without_a_daemon_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let proj = mixed_project(20);
    let (_, out) = {
        let out = astscan(proj.path())
            .args(["analyze", "--daemon", "always", "--socket"])
            .arg(dir.path().join("none.sock"))
            .arg(".")
            .output()
            .unwrap();
        ((), out)
    };
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("no daemon is running on"), "{err}");
}

// ---- raw protocol ------------------------------------------------------------------------

fn frame(header: &Value, payload: &[u8]) -> Vec<u8> {
    let h = serde_json::to_vec(header).unwrap();
    let mut f = Vec::new();
    f.extend_from_slice(&(h.len() as u32).to_be_bytes());
    f.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    f.extend_from_slice(&h);
    f.extend_from_slice(payload);
    f
}

/// Reads one frame: (header, payload); `None` at end of stream.
fn read_frame(s: &mut UnixStream) -> Option<(Value, Vec<u8>)> {
    let mut prefix = [0u8; 8];
    s.read_exact(&mut prefix).ok()?;
    let hl = u32::from_be_bytes(prefix[..4].try_into().unwrap()) as usize;
    let pl = u32::from_be_bytes(prefix[4..].try_into().unwrap()) as usize;
    let mut body = vec![0u8; hl + pl];
    s.read_exact(&mut body).ok()?;
    Some((
        serde_json::from_slice(&body[..hl]).unwrap(),
        body[hl..].to_vec(),
    ))
}

fn hello(build: &str) -> Value {
    hello_at(build, 3)
}

fn hello_at(build: &str, protocol: u32) -> Value {
    json!({"type": "hello", "protocol": protocol, "build_id": build, "languages": [], "pid": 1})
}

fn connect(d: &Daemon) -> UnixStream {
    let s = UnixStream::connect(&d.socket).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

/// A connection that has exchanged hellos.
fn handshaken(d: &Daemon, build: &str) -> UnixStream {
    let mut s = connect(d);
    s.write_all(&frame(&hello(build), &[])).unwrap();
    assert_eq!(read_frame(&mut s).unwrap().0["type"], "hello");
    s
}

fn build_id(d: &Daemon) -> String {
    status(d)["build_id"].as_str().unwrap().to_string()
}

#[test]
fn version_mismatch_is_explained_and_the_daemon_hangs_up() {
    let d = start_daemon(&["--async"]);
    // A client of this protocol gets the mismatch as a code; one of protocol 2, which refuses
    // unknown fields and knows the answer by its wording, gets the words alone.
    for (protocol, code) in [(3, json!("version_mismatch")), (2, Value::Null)] {
        let mut s = connect(&d);
        s.write_all(&frame(&hello_at("0.0.1+elsewhere", protocol), &[]))
            .unwrap();
        let (h, _) = read_frame(&mut s).expect("an answer");
        assert_eq!(h["type"], "error", "{h}");
        assert_eq!(h["code"], code, "{h}");
        let msg = h["message"].as_str().unwrap();
        assert!(
            msg.contains("version mismatch") && msg.contains("restart the daemon"),
            "{msg}"
        );
        assert!(
            read_frame(&mut s).is_none(),
            "the daemon hangs up after a mismatch"
        );
    }
}

/// A stand-in for a daemon of an older build: holds the lock like ours, answers every hello
/// with a version mismatch, and exits cleanly on SIGTERM.
const OLD_DAEMON: &str = r#"
import fcntl, json, os, signal, socket, struct, sys
sock, lock = sys.argv[1], sys.argv[1] + ".lock"
held = open(lock, "w")
fcntl.flock(held, fcntl.LOCK_EX)
held.write(f"{os.getpid()}\n")
held.flush()
server = socket.socket(socket.AF_UNIX)
server.bind(sock)
server.listen()
def term(*_):
    os.unlink(sock)
    os.unlink(lock)
    sys.exit(0)
signal.signal(signal.SIGTERM, term)
while True:
    client, _ = server.accept()
    reader = client.makefile("rb")
    prefix = reader.read(8)
    if len(prefix) < 8:
        client.close()
        continue
    head, payload = struct.unpack(">II", prefix)
    reader.read(head + payload)
    body = json.dumps({"type": "error", "message": "version mismatch: the daemon is build 0.0.1+old"}).encode()
    client.sendall(struct.pack(">II", len(body), 0) + body)
    client.close()
"#;

#[test]
fn stop_reaches_a_daemon_of_another_build() {
    let dir = tempfile::tempdir().unwrap();
    // `daemon stop` trusts a lock file only in a directory private to us.
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    let socket = dir.path().join("old.sock");
    // `daemon stop` signals only a process that runs an executable named astscan: run the
    // stand-in from a copy of the Python interpreter named like one.
    let python = Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .expect("python3 runs");
    let python = String::from_utf8(python.stdout).unwrap();
    let old_build = dir.path().join("astscan-0.0.1");
    std::fs::copy(python.trim(), &old_build).expect("copying the interpreter");
    let mut old = Command::new(&old_build)
        .args(["-c", OLD_DAEMON])
        .arg(&socket)
        .spawn()
        .expect("python3 runs the stand-in daemon");
    wait_for_socket(&socket);
    let out = astscan(dir.path())
        .args(["daemon", "stop", "--socket"])
        .arg(&socket)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        // Not left behind holding the test harness's pipes.
        let _ = old.kill();
    }
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("another build") && err.contains("SIGTERM"),
        "{err}"
    );
    assert!(wait_exit(&mut old, Duration::from_secs(10)).success());
    assert!(!socket.exists(), "the old daemon removed its socket");
}

#[test]
fn malformed_oversized_and_slow_frames_do_not_hurt_other_clients() {
    let d = start_daemon(&["--async", "--max-file-size", "1M"]);
    let build = build_id(&d);
    // Garbage instead of a frame.
    let mut junk = connect(&d);
    junk.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let answer = read_frame(&mut junk);
    assert!(
        answer.as_ref().is_none_or(|(h, _)| h["type"] == "error"),
        "{answer:?}"
    );
    // An oversized frame announced after a good hello.
    let mut big = connect(&d);
    big.write_all(&frame(&hello(&build), &[])).unwrap();
    assert_eq!(read_frame(&mut big).unwrap().0["type"], "hello");
    let mut prefix = Vec::new();
    prefix.extend_from_slice(&20u32.to_be_bytes());
    prefix.extend_from_slice(&(512u32 << 20).to_be_bytes());
    big.write_all(&prefix).unwrap();
    let (h, _) = read_frame(&mut big).expect("an error");
    assert_eq!(h["type"], "error", "{h}");
    // A client sending its hello one byte at a time, slowly, holds only its own connection.
    let mut slow = connect(&d);
    let hello_bytes = frame(&hello(&build), &[]);
    slow.write_all(&hello_bytes[..5]).unwrap();
    let started = Instant::now();
    let s = status(&d);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "status waited for the slow client"
    );
    assert!(s["connections"].as_u64().unwrap() >= 2, "{s}");
    for b in &hello_bytes[5..] {
        slow.write_all(&[*b]).unwrap();
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(read_frame(&mut slow).unwrap().0["type"], "hello");
    // And scans still work.
    let proj = mixed_project(20);
    let (_, out) = scan(proj.path(), &d.socket, "always");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn open_session(s: &mut UnixStream) -> Value {
    s.write_all(&frame(
        &json!({"type": "open_session", "deadline_ms": 5000, "memory_limit_mb": 0}),
        b"[]",
    ))
    .unwrap();
    read_frame(s).expect("an answer").0
}

#[test]
fn sessions_are_limited_per_client_and_expire_when_idle() {
    let d = start_daemon(&["--async", "--session-ttl", "1s"]);
    let build = build_id(&d);
    let mut conns = Vec::new();
    for i in 0..11 {
        let mut s = connect(&d);
        s.write_all(&frame(&hello(&build), &[])).unwrap();
        assert_eq!(read_frame(&mut s).unwrap().0["type"], "hello");
        let answer = open_session(&mut s);
        if i < 10 {
            assert_eq!(answer["type"], "session", "session {i}: {answer}");
        } else {
            assert_eq!(answer["type"], "busy", "{answer}");
            assert!(
                answer["reason"].as_str().unwrap().contains("10 sessions"),
                "{answer}"
            );
            assert!(answer["retry_after_ms"].as_u64().unwrap() > 0);
        }
        conns.push(s);
    }
    assert_eq!(status(&d)["sessions"], 10);
    // Idle past the TTL: expired by the daemon's expiry task.
    let deadline = Instant::now() + Duration::from_secs(10);
    while status(&d)["sessions"] != 0 {
        assert!(Instant::now() < deadline, "sessions did not expire");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn idle_timeout_exits_cleanly() {
    let mut d = start_daemon(&["--idle-timeout", "1s"]);
    let code = wait_exit(&mut d.child, Duration::from_secs(15));
    assert_eq!(code.code(), Some(0));
    assert!(!d.socket.exists());
    let log = stderr_of(&mut d.child);
    assert!(log.contains("idle for 1s"), "{log}");
}

#[test]
fn sigterm_with_a_scan_in_flight_loses_no_file() {
    let proj = mixed_project(20);
    for i in 0..100 {
        write(
            proj.path(),
            &format!("more/f{i}.py"),
            format!("def h{i}(a):\n    return a * {i}\n"),
        );
    }
    let mut d = start_daemon(&["--async"]);
    let client = scan_in_background(proj.path(), &d);
    let pid = rustix::process::Pid::from_raw(d.child.id() as i32).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
    let code = wait_exit(&mut d.child, Duration::from_secs(30));
    let log = stderr_of(&mut d.child);
    assert_eq!(code.code(), Some(0), "{log}");
    assert!(!d.socket.exists(), "{log}");
    assert!(log.contains("stopping (SIGTERM)"), "{log}");
    let out = client.wait_with_output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 124);
    assert!(
        files
            .iter()
            .all(|f| f["status"] == "parsed" || f["status"] == "parsed_with_errors"),
        "every file analysed by the daemon or the fallback"
    );
}

#[test]
fn a_client_of_another_uid_is_refused() {
    if !is_root() {
        return skip("running a client under another uid needs root");
    }
    let mut d = start_daemon(&["--async"]);
    // Open the path up so only the peer-credential check stands in the way.
    std::fs::set_permissions(
        d.socket.parent().unwrap(),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    std::fs::set_permissions(&d.socket, std::fs::Permissions::from_mode(0o666)).unwrap();
    use std::os::unix::process::CommandExt;
    let out = Command::new(crate::util::bin())
        .args(["daemon", "status", "--socket"])
        .arg(&d.socket)
        .uid(65534)
        .gid(65534)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(status(&d)["refused_peers"], 1);
    let _ = d.child.kill();
    let _ = d.child.wait();
    let log = stderr_of(&mut d.child);
    assert!(log.contains("refused a connection from uid 65534"), "{log}");
}

#[test]
fn prewarm_compiles_languages_in_the_pool_default_scans_use() {
    let d = start_daemon(&["--async", "--prewarm", "python"]);
    let deadline = Instant::now() + Duration::from_secs(60);
    let warm = |s: &Value| {
        s["pools"][0]["warm_by_language"]["python"]
            .as_u64()
            .unwrap_or(0)
    };
    while warm(&status(&d)) == 0 {
        assert!(
            Instant::now() < deadline,
            "no worker warmed up: {}",
            status(&d)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let proj = mixed_project(20);
    let (_, out) = scan(proj.path(), &d.socket, "always");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The scan's default options map to the pre-warmed pool, not a new one.
    let s = status(&d);
    assert_eq!(s["pools"].as_array().unwrap().len(), 1, "{s}");
    // Workers run 5 steps nicer than the daemon by default (`--worker-nice`).
    let daemon_nice = nice_of(d.child.id());
    for w in s["pools"][0]["workers"].as_array().unwrap() {
        let pid = w["pid"].as_u64().expect("a live worker") as u32;
        assert_eq!(nice_of(pid), (daemon_nice + 5).min(19), "{s}");
    }
}

/// A process's niceness, from `/proc/PID/stat`.
fn nice_of(pid: u32) -> i64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields resume after the command name's ')'; niceness is field 19 (the 17th after it).
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    rest.split_whitespace().nth(16).unwrap().parse().unwrap()
}

#[test]
fn staged_scans_go_through_the_daemon_with_the_index_content() {
    let d = start_daemon(&["--async"]);
    let repo = tempfile::tempdir().unwrap();
    crate::util::git(repo.path(), &["init", "-q"]);
    write(
        repo.path(),
        "app.py",
        "import os\n\nos.system(request.args[\"c\"])\n",
    );
    crate::util::git(repo.path(), &["add", "app.py"]);
    // The working tree no longer has the finding; the index does.
    write(repo.path(), "app.py", "print('fixed')\n");
    let socket = d.socket.to_str().unwrap();
    let (report, out) = analyze_json(
        repo.path(),
        &["--staged", "--daemon", "always", "--socket", socket],
    );
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert_eq!(backends(&report), ["daemon"]);
    assert_eq!(
        report["files"][0]["findings"][0]["span"]["start"]["line"],
        3
    );
    let (direct, _) = analyze_json(repo.path(), &["--staged", "--daemon", "never"]);
    assert_eq!(normalised(report), normalised(direct));
}

#[test]
fn a_language_quarantined_after_crashes_is_scanned_directly_then_retried() {
    let d = start_daemon(&["--async", "--quarantine", "5s"]);
    let socket = d.socket.to_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    // Under a 200 MiB address-space limit these files crash their workers (allocation
    // failure, as a grammar crash would): twice each, so the daemon disables Python.
    let huge = "x = [1, 2, 3, (4, 5), {6: 7}]\n".repeat(200_000);
    for name in ["a1.py", "a2.py", "a3.py"] {
        write(dir.path(), name, &huge);
    }
    write(dir.path(), "ok.py", "small = 1\n");
    let opts = [
        "--socket",
        socket.as_str(),
        "--worker-memory",
        "200",
        "--no-rules",
        "--timeout",
        "60",
    ];
    let scan = |files: &[&str]| {
        let mut args = opts.to_vec();
        args.extend_from_slice(files);
        analyze_json(dir.path(), &args)
    };
    // `always`: no direct fallback for these, so the scan ends with the daemon's last crash
    // and the quarantine's clock starts then.
    let (first, _) = scan(&["--daemon", "always", "a1.py", "a2.py", "a3.py"]);
    assert!(
        first["files"].as_array().unwrap().iter().all(|f| {
            f["reason_code"] == "worker_crash" || f["reason_code"] == "worker_unavailable"
        }),
        "{first}"
    );
    // Python is quarantined in the daemon: the client parses the file with its own worker.
    let (second, out) = scan(&["ok.py"]);
    assert_eq!(out.status.code(), Some(0), "{second}");
    assert_eq!(second["files"][0]["status"], "parsed");
    assert_eq!(backends(&second), ["direct"]);
    // After the quarantine the daemon parses Python again.
    std::thread::sleep(Duration::from_millis(5200));
    let (third, _) = scan(&["ok.py"]);
    assert_eq!(third["files"][0]["status"], "parsed");
    assert_eq!(backends(&third), ["daemon"], "{third}");
}

#[test]
fn detach_starts_a_background_daemon_that_logs_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("d.sock");
    let log = dir.path().join("state/daemon.log");
    let start = |extra: &[&str]| {
        astscan(dir.path())
            // The idle timeout ends a daemon this test leaves behind if it fails midway.
            .args([
                "daemon",
                "--detach",
                "--async",
                "--workers",
                "1",
                "--idle-timeout",
                "60s",
            ])
            .arg("--socket")
            .arg(&socket)
            .arg("--log-file")
            .arg(&log)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = start(&[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    // It returns once the daemon listens.
    assert!(UnixStream::connect(&socket).is_ok(), "{err}");
    let s = status_at(&socket);
    let pid = s["pid"].as_u64().unwrap();
    assert!(err.contains(&format!("pid {pid}")), "{err}");
    // Its own session, no controlling terminal: it outlives the shell that started it.
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    assert_eq!(fields[3], pid.to_string(), "session id: {stat}");
    assert_eq!(fields[4], "0", "controlling terminal: {stat}");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("INFO astscan daemon: listening on"), "{text}");
    let mode = std::fs::metadata(&log).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // A second one is refused before anything starts.
    let again = start(&[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains(&format!("pid {pid}")));
    let stop = astscan(dir.path())
        .args(["daemon", "stop", "--socket"])
        .arg(&socket)
        .output()
        .unwrap();
    assert!(stop.status.success());
    assert!(std::fs::read_to_string(&log).unwrap().contains("stopped"));

    // A daemon that cannot start says why, with the end of its log.
    std::fs::write(&socket, "not a socket").unwrap();
    let out = start(&[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("before it listened") && err.contains("is not a socket"),
        "{err}"
    );
}

// Regression tests for what a hostile or careless local client could do to the daemon.

/// A connection that sent its hello, then the start of a frame announcing `announced` payload
/// bytes, then `sent` of them; with an error if the daemon hung up while they were written.
fn partial_frame(
    d: &Daemon,
    build: &str,
    announced: u32,
    sent: usize,
) -> (UnixStream, std::io::Result<()>) {
    let mut s = handshaken(d, build);
    let header = serde_json::to_vec(&json!({"type": "status"})).unwrap();
    let mut f = Vec::new();
    f.extend_from_slice(&(header.len() as u32).to_be_bytes());
    f.extend_from_slice(&announced.to_be_bytes());
    f.extend_from_slice(&header);
    f.resize(f.len() + sent, b'x');
    let written = s.write_all(&f);
    (s, written)
}

#[test]
fn partial_frames_from_many_connections_do_not_exhaust_a_daemon_under_ulimit_v() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("d.sock");
    // 4 GiB of address space, as on a small CI runner; the default largest frame is 65 MiB.
    let child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 4194304 && exec \"$0\" daemon --async --workers 1 --socket \"$1\"")
        .arg(crate::util::bin())
        .arg(&socket)
        .env("ASTSCAN_NO_CACHE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_socket(&socket);
    let d = Daemon {
        child,
        socket,
        _dir: dir,
    };
    let build = build_id(&d);
    // Each announces a 60 MiB frame and sends 25 bytes of it: ~15 GB if reserved up front.
    let mut held = Vec::new();
    for _ in 0..250 {
        let (s, written) = partial_frame(&d, &build, 60 << 20, 25);
        written.unwrap();
        held.push(s);
    }
    // Still alive and serving: a real scan goes through it.
    let proj = mixed_project(3);
    let (report, out) = scan(proj.path(), &d.socket, "always");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(backends(&report).iter().all(|b| b.starts_with("daemon")));
    drop(held);
}

#[test]
fn partial_frames_past_the_daemons_budget_close_the_slowest_sender() {
    // Largest frame 2 MiB, so partial frames may hold 8 MiB in all: four of these.
    let d = start_daemon(&["--async", "--max-file-size", "1M"]);
    let build = build_id(&d);
    let mut conns = Vec::new();
    for _ in 0..6 {
        // A connection turned away may be closed while its bytes are being written.
        let (s, _) = partial_frame(&d, &build, 2 << 20, (2 << 20) - 4096);
        conns.push(s);
    }
    // Turned away: answered (busy) or hung up on (a reset can beat the answer); still open:
    // waiting for the rest of its frame.
    let mut turned_away = Vec::new();
    for s in &mut conns {
        s.set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        let mut buf = vec![0u8; 4096];
        turned_away.push(match s.read(&mut buf) {
            Ok(n) => {
                let answer = String::from_utf8_lossy(&buf[..n]);
                assert!(
                    n == 0 || (answer.contains("\"busy\"") && answer.contains("slowest")),
                    "{answer}"
                );
                true
            }
            Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
        });
    }
    assert!(
        turned_away[0],
        "the slowest sender keeps its frame: {turned_away:?}"
    );
    assert!(
        turned_away[2..].iter().all(|t| !t),
        "newer senders were turned away: {turned_away:?}"
    );
    // The daemon goes on serving.
    drop(conns);
    let proj = mixed_project(2);
    let (_, out) = scan(proj.path(), &d.socket, "always");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn an_idle_connection_does_not_block_a_serial_daemon_for_everyone() {
    let d = start_daemon(&[]);
    let build = build_id(&d);
    let mut idle = handshaken(&d, &build);
    idle.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    // While the idle client holds the only connection, status waits; it gets through once
    // the daemon drops the idle one.
    let started = Instant::now();
    let served = loop {
        let out = astscan(Path::new("/"))
            .args(["daemon", "status", "--json", "--socket"])
            .arg(&d.socket)
            .output()
            .unwrap();
        if out.status.success() {
            break true;
        }
        if started.elapsed() > Duration::from_secs(40) {
            break false;
        }
    };
    assert!(served, "status never got through");
    let (h, _) = read_frame(&mut idle).expect("the idle client is told why");
    assert_eq!(h["type"], "error");
    assert!(
        h["message"].as_str().unwrap().contains("no request within"),
        "{h}"
    );
}

#[test]
fn a_fifth_option_set_is_served_once_an_earlier_one_is_idle() {
    let d = start_daemon(&["--async"]);
    let proj = mixed_project(1);
    let socket = d.socket.to_str().unwrap();
    // The deadline is part of the option set: five deadlines, five pools, one after another.
    for timeout in ["5", "6", "7", "8", "9"] {
        let (report, out) = analyze_json(
            proj.path(),
            &[
                "--socket",
                socket,
                "--daemon",
                "always",
                "--timeout",
                timeout,
                ".",
            ],
        );
        assert_eq!(
            out.status.code(),
            Some(1),
            "--timeout {timeout}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(backends(&report).iter().all(|b| b.starts_with("daemon")));
    }
    let pools = status(&d)["pools"].as_array().unwrap().len();
    assert!(pools <= 4, "{pools} pools kept");
}

#[test]
fn sigterm_past_grace_hands_in_flight_files_back_to_the_client() {
    let proj = tempfile::tempdir().unwrap();
    // Files that take a worker a while to parse, so SIGTERM finds them in flight.
    let slow = "x = [1, 2, 3, (4, 5), {6: 7}]\n".repeat(150_000);
    for i in 0..4 {
        write(proj.path(), &format!("slow{i}.py"), &slow);
    }
    let mut d = start_daemon(&["--async", "--grace", "50ms"]);
    let client = astscan(proj.path())
        .args([
            "analyze",
            "--format",
            "json",
            "--timeout",
            "120",
            "--daemon",
            "auto",
            "--socket",
        ])
        .arg(&d.socket)
        .arg(".")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while status(&d)["in_flight"].as_u64().unwrap() == 0 {
        assert!(Instant::now() < deadline, "no file reached the daemon");
        std::thread::sleep(Duration::from_millis(10));
    }
    // Let a worker get into a file, then stop the daemon with far less grace than it needs.
    std::thread::sleep(Duration::from_millis(200));
    let pid = rustix::process::Pid::from_raw(d.child.id() as i32).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
    let code = wait_exit(&mut d.child, Duration::from_secs(30));
    let log = stderr_of(&mut d.child);
    assert_eq!(code.code(), Some(0), "{log}");
    assert!(log.contains("answering them unavailable"), "{log}");
    let out = client.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 4);
    for f in files {
        assert_eq!(f["status"], "parsed", "{f}");
    }
}

/// Opens a session on `s` and returns its sealer.
fn session_sealer(s: &mut UnixStream) -> astscan::seal::Sealer {
    use astscan::seal::{Sealer, SessionId, SessionKey};
    let s_frame = {
        s.write_all(&frame(
            &json!({"type": "open_session", "deadline_ms": 5000, "memory_limit_mb": 0}),
            b"[]",
        ))
        .unwrap();
        read_frame(s).expect("an answer")
    };
    assert_eq!(s_frame.0["type"], "session", "{}", s_frame.0);
    let id_hex = s_frame.0["session_id"].as_str().unwrap();
    let id: Vec<u8> = (0..id_hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&id_hex[i..i + 2], 16).unwrap())
        .collect();
    let key: [u8; 32] = s_frame.1.as_slice().try_into().unwrap();
    Sealer::new(
        SessionId::from_bytes(id.try_into().unwrap()),
        SessionKey::from_bytes(key),
    )
}

/// Sends `envelope` as request `id` until the daemon stops answering busy; returns the answer.
fn analyze_until_answered(s: &mut UnixStream, id: u64, envelope: &[u8]) -> (Value, Vec<u8>) {
    for _ in 0..200 {
        let request = json!({"type": "analyze", "id": id, "language": "python",
                             "path": "app.py", "encoding": "sealed_v1", "deadline_ms": 5000});
        s.write_all(&frame(&request, envelope)).unwrap();
        let answer = read_frame(s).expect("an answer");
        if answer.0["type"] != "busy" {
            return answer;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("busy for 200 tries");
}

#[test]
fn a_forged_envelope_does_not_burn_the_genuine_files_id() {
    let d = start_daemon(&["--async"]);
    let build = build_id(&d);
    let mut s = handshaken(&d, &build);
    let sealer = session_sealer(&mut s);
    let source = b"import os\nos.system(input())\n";
    let genuine = sealer.seal(source).unwrap();
    // Same header (same file id), one ciphertext bit flipped.
    let mut forged = genuine.clone();
    let last = forged.len() - 1;
    forged[last] ^= 1;
    let (h, body) = analyze_until_answered(&mut s, 1, &forged);
    assert_eq!(h["type"], "result", "{h}");
    let body = String::from_utf8_lossy(&body);
    assert!(body.contains("rejected"), "{body}");
    let (h, body) = analyze_until_answered(&mut s, 2, &genuine);
    assert_eq!(h["type"], "result", "{h}");
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert!(body.get("analyzed").is_some(), "{body}");
    // Opened once, the genuine envelope is now a replay.
    let (_, body) = analyze_until_answered(&mut s, 3, &genuine);
    let body = String::from_utf8_lossy(&body);
    assert!(body.contains("replay"), "{body}");
}

#[test]
fn files_queued_when_a_client_breaks_the_protocol_are_not_answered_as_a_shutdown() {
    let d = start_daemon(&["--async"]);
    let build = build_id(&d);
    let mut s = handshaken(&d, &build);
    let sealer = session_sealer(&mut s);
    // Many files at once, so some are still queued when the garbage arrives.
    let mut burst = Vec::new();
    for id in 1..=40u64 {
        let source = format!("def f{id}(x):\n    return x * {id}\n").repeat(200);
        let request = json!({"type": "analyze", "id": id, "language": "python",
                             "path": format!("m{id}.py"), "encoding": "sealed_v1",
                             "deadline_ms": 5000});
        burst.extend(frame(&request, &sealer.seal(source.as_bytes()).unwrap()));
    }
    burst.extend_from_slice(&5u32.to_be_bytes());
    burst.extend_from_slice(&0u32.to_be_bytes());
    burst.extend_from_slice(b"xxxxx");
    s.write_all(&burst).unwrap();
    let mut answered = std::collections::BTreeMap::new();
    let mut closing = None;
    while let Some((h, _)) = read_frame(&mut s) {
        let text = h.to_string();
        assert!(!text.contains("shutting down"), "{text}");
        match h["id"].as_u64() {
            Some(id) => {
                let dropped = h["type"] == "error";
                if dropped {
                    assert!(text.contains("its connection ended"), "{text}");
                } else {
                    assert_eq!(h["type"], "result", "{text}");
                }
                assert!(
                    answered.insert(id, dropped).is_none(),
                    "{id} answered twice"
                );
            }
            None => closing = Some(text),
        }
    }
    let closing = closing.expect("the protocol error is answered");
    assert!(
        closing.contains("bad frame") && closing.contains("closing the connection"),
        "{closing}"
    );
    assert_eq!(answered.len(), 40, "{answered:?}");
}
