//! What crosses process boundaries: file contents only sealed, keys only over a worker's
//! stdin. Observed from outside, on the real binary: strace records every byte the processes
//! write, and /proc shows each worker's command line and environment.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{astscan, bin, children, write};

/// A string that appears in no report: it sits in a comment.
const MARKER: &str = "MARKER-7f3a9c1e-plaintext-must-not-cross-a-pipe";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("\\x{b:02x}")).collect()
}

#[test]
fn no_plaintext_crosses_the_worker_pipes() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "app.py",
        format!("# {MARKER}\ndef handler(request):\n    return request\n"),
    );
    write(
        dir.path(),
        "lib.js",
        format!("// {MARKER}\nexport function f(a) {{ return a; }}\n"),
    );
    let trace = dir.path().join("trace.txt");
    // -xx prints every byte in hex, so a match cannot hide behind escaping.
    let out = Command::new("strace")
        .args([
            "-f",
            "-qq",
            "-xx",
            "-s",
            "100000000",
            "-e",
            "trace=read,write,writev",
            "-o",
        ])
        .arg(&trace)
        .arg(bin())
        .args([
            "analyze", "--format", "json", "--jobs", "2", "app.py", "lib.js",
        ])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("strace is installed (.ci/run installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    assert_eq!(
        report["summary"]["parsed"], 2,
        "both files were analysed by workers"
    );

    let trace = std::fs::read_to_string(&trace).expect("trace");
    let marker = hex(MARKER.as_bytes());
    let mut reads = 0;
    for line in trace.lines() {
        let Some(call) = line.split_whitespace().nth(1) else {
            continue;
        };
        if line.contains(&marker) {
            // The only place the plaintext may appear is the parent reading the file (a read
            // another thread's call interrupted in the trace resumes as `<... read resumed>`;
            // plaintext reaching a worker would first show as the parent's write).
            let read = call.starts_with("read(") || line.contains("<... read resumed>");
            assert!(
                read,
                "plaintext crossed a boundary: {}",
                &line[..line.len().min(200)]
            );
            reads += 1;
        }
    }
    // The trace does capture contents: the marker is seen where the files are read.
    assert_eq!(
        reads, 2,
        "expected one read of each file to show the marker"
    );
}

#[test]
fn keys_are_not_in_worker_argv_or_environment() {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..300 {
        write(
            dir.path(),
            &format!("m{i}.py"),
            "def f(x):\n    return [x for x in range(x) if x]\n".repeat(200),
        );
    }
    let mut child = astscan(dir.path())
        .args(["analyze", "--jobs", "1", "--format", "json", "--no-rules"])
        .env("ASTSCAN_TEST_MARKER", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(20);
    let worker = loop {
        if let Some(pid) = children(child.id()).into_iter().next() {
            break pid;
        }
        assert!(Instant::now() < deadline, "no worker appeared");
        std::thread::sleep(Duration::from_millis(5));
    };
    // Between fork and exec the child still shows the parent's command line: wait for the
    // worker's own.
    let cmdline = loop {
        let cmdline = std::fs::read(format!("/proc/{worker}/cmdline")).expect("cmdline");
        if cmdline.split(|&b| b == 0).nth(1) == Some(b"worker") {
            break cmdline;
        }
        assert!(Instant::now() < deadline, "worker never exec'd");
        std::thread::sleep(Duration::from_millis(1));
    };
    let parent_env =
        std::fs::read(format!("/proc/{}/environ", child.id())).expect("parent environ");
    let environ = std::fs::read(format!("/proc/{worker}/environ")).expect("environ");
    let _ = child.kill();
    let _ = child.wait();

    let args: Vec<String> = cmdline
        .split(|&b| b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into())
        .collect();
    assert_eq!(
        args[1..],
        [
            "worker",
            "--memory-limit-mb",
            "4096",
            "--parent-pid",
            &child.id().to_string(),
            "--no-rules",
        ]
    );
    // The worker's environment is the parent's, minus RUST_BACKTRACE, plus exactly two
    // allocator settings: nothing else was added.
    let vars = |raw: &[u8]| -> std::collections::BTreeSet<String> {
        raw.split(|&b| b == 0)
            .filter(|a| !a.is_empty())
            .map(|a| String::from_utf8_lossy(a).into())
            .collect()
    };
    let (worker_env, parent) = (vars(&environ), vars(&parent_env));
    let added: Vec<&String> = worker_env.difference(&parent).collect();
    assert_eq!(
        added,
        ["MIMALLOC_ARENA_EAGER_COMMIT=0", "MIMALLOC_PURGE_DELAY=0"]
    );
    let removed: Vec<&String> = parent.difference(&worker_env).collect();
    assert!(
        removed.iter().all(|v| v.starts_with("RUST_BACKTRACE=")),
        "{removed:?}"
    );
    assert!(
        worker_env.contains("ASTSCAN_TEST_MARKER=1"),
        "environment was read"
    );
}
