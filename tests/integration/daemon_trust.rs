//! The client authenticates its daemon before it sends a byte: a process of another user, or
//! one that does not hold the daemon lock, listening where the daemon would, gets nothing, and
//! `daemon stop` signals only a process it has reason to believe is the daemon.
//!
//! The impostor is a small Python listener that records whatever reaches it, so "nothing was
//! sent" is observed, not assumed.

use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{astscan, is_root, skip, write};

/// Listens on argv[1]; writes whatever the first connection sends to argv[2].
/// argv[3]: `nobody` listens as uid 65534 (SO_PEERCRED reports the listener's effective uid),
/// `lock=PID` holds the lock beside the socket naming PID, `plain` neither.
const IMPOSTOR: &str = r#"
import fcntl, os, socket, sys
sock, marker, mode = sys.argv[1], sys.argv[2], sys.argv[3]
if mode.startswith("lock="):
    held = open(sock + ".lock", "w")
    fcntl.flock(held, fcntl.LOCK_EX)
    held.write(mode[5:] + "\n")
    held.flush()
server = socket.socket(socket.AF_UNIX)
server.bind(sock)
if mode == "nobody":
    os.seteuid(65534)
server.listen()
while True:
    client, _ = server.accept()
    client.settimeout(3)
    try:
        data = client.recv(65536)
    except OSError:
        data = b""
    if data:
        with open(marker, "ab") as f:
            f.write(data)
    client.close()
"#;

/// The Python listener, killed when dropped.
struct Impostor(Child);

impl Drop for Impostor {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn impostor(socket: &Path, marker: &Path, mode: &str) -> Impostor {
    let child = Command::new("python3")
        .args(["-c", IMPOSTOR])
        .arg(socket)
        .arg(marker)
        .arg(mode)
        .stdin(Stdio::null())
        .spawn()
        .expect("python3 runs the impostor");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !socket.exists() {
        assert!(Instant::now() < deadline, "the impostor did not listen");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Bound is not yet listening: give it the moment between bind and listen.
    std::thread::sleep(Duration::from_millis(100));
    Impostor(child)
}

/// A project whose one file has findings, and a private TMPDIR where the default socket
/// directory (`$TMPDIR/astscan-<uid>`) goes when XDG_RUNTIME_DIR is unset.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "src/app.py",
        "import os\n\ndef run(request):\n    os.system(request.args[\"cmd\"])\n    return eval(request.args[\"cmd\"])\n",
    );
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    (dir, tmp)
}

/// `analyze --daemon auto` with the default socket under `tmp`.
fn analyze_default_socket(dir: &Path, tmp: &Path) -> std::process::Output {
    astscan(dir)
        .env_remove("ASTSCAN_SOCKET")
        .env_remove("XDG_RUNTIME_DIR")
        .env("TMPDIR", tmp)
        .args(["analyze", "--format", "json", "src"])
        .output()
        .unwrap()
}

/// The scan fell back to its own workers and found what is there.
fn assert_scanned_directly(out: &std::process::Output) {
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    assert_eq!(out.status.code(), Some(1), "findings are reported");
    let file = &report["files"][0];
    assert_eq!(file["backend"], "direct", "{file}");
    assert!(
        file["findings"].as_array().is_some_and(|f| !f.is_empty()),
        "{file}"
    );
}

/// The default socket directory under `tmp`, created with exactly `mode`.
fn default_socket_dir(tmp: &Path, mode: u32) -> PathBuf {
    let sockdir = tmp.join(format!("astscan-{}", uid()));
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&sockdir)
        .unwrap();
    std::fs::set_permissions(&sockdir, std::fs::Permissions::from_mode(mode)).unwrap();
    sockdir
}

/// Runs `analyze` with an impostor (in `mode`) at the default socket in `sockdir`; asserts it
/// received nothing and that the scan ran directly; returns the scan's stderr.
fn scan_past_impostor(dir: &Path, tmp: &Path, sockdir: &Path, mode: &str) -> String {
    let marker = dir.join("received");
    let _fake = impostor(&sockdir.join("daemon.sock"), &marker, mode);
    let out = analyze_default_socket(dir, tmp);
    assert!(
        !marker.exists(),
        "the client sent something to the impostor"
    );
    assert_scanned_directly(&out);
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn uid() -> u32 {
    rustix::process::getuid().as_raw()
}

#[test]
fn a_default_socket_directory_owned_by_another_user_is_not_used() {
    if !is_root() {
        return skip("chowning the socket directory to another uid needs root");
    }
    let (dir, tmp) = project();
    let sockdir = default_socket_dir(&tmp, 0o700);
    rustix::fs::chown(
        &sockdir,
        Some(rustix::fs::Uid::from_raw(65534)),
        Some(rustix::fs::Gid::from_raw(65534)),
    )
    .unwrap();
    let err = scan_past_impostor(dir.path(), &tmp, &sockdir, "plain");
    assert!(
        err.contains("owned by uid 65534") && err.contains("scanning without the daemon"),
        "{err}"
    );
}

#[test]
fn a_group_writable_default_socket_directory_is_not_used() {
    let (dir, tmp) = project();
    let sockdir = default_socket_dir(&tmp, 0o770);
    let err = scan_past_impostor(dir.path(), &tmp, &sockdir, "plain");
    assert!(err.contains("0770"), "{err}");
    // The client only looks: repairing the mode is the daemon's business.
    let mode = std::fs::metadata(&sockdir).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o770);
}

#[test]
fn a_listener_of_another_uid_in_our_private_directory_is_not_used() {
    if !is_root() {
        return skip("listening as another uid needs root");
    }
    let (dir, tmp) = project();
    let sockdir = default_socket_dir(&tmp, 0o700);
    let err = scan_past_impostor(dir.path(), &tmp, &sockdir, "nobody");
    assert!(
        err.contains("served by uid 65534") && err.contains("scanning without it"),
        "{err}"
    );
}

#[test]
fn a_listener_that_does_not_hold_the_daemon_lock_is_not_used() {
    let (dir, tmp) = project();
    let socket = tmp.join("d.sock");
    let marker = dir.path().join("received");
    let _fake = impostor(&socket, &marker, "plain");
    for args in [
        &["analyze", "--format", "json", "src"][..],
        &["daemon", "status"],
    ] {
        let out = astscan(dir.path())
            .env("ASTSCAN_SOCKET", &socket)
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("names no process"), "{args:?}: {err}");
        if args[0] == "analyze" {
            assert_scanned_directly(&out);
        } else {
            assert_eq!(out.status.code(), Some(2), "{err}");
        }
    }
    assert!(
        !marker.exists(),
        "the client sent something to the impostor"
    );
}

#[test]
fn daemon_stop_does_not_signal_a_process_named_by_a_lock_it_cannot_trust() {
    let (dir, tmp) = project();
    let socket = tmp.join("d.sock");
    let marker = dir.path().join("received");
    // A process of ours that the lock names, but that is not what listens on the socket.
    let mut bystander = Command::new("sleep").arg("60").spawn().unwrap();
    let _fake = impostor(&socket, &marker, &format!("lock={}", bystander.id()));
    let out = astscan(dir.path())
        .args(["daemon", "stop", "--socket"])
        .arg(&socket)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not using the daemon socket"), "{err}");
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        bystander.try_wait().unwrap().is_none(),
        "the bystander was signalled"
    );
    let _ = bystander.kill();
    let _ = bystander.wait();
    assert!(
        !marker.exists(),
        "the client sent something to the impostor"
    );
}
