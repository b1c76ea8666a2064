//! Worker supervision with real processes: a worker killed mid-scan, workers that crash on a
//! file, interrupts, and a parent killed outright.

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{
    analyze_json, assert_summary_consistent, astscan, children, exists, file, write,
};

/// A corpus big enough that a one-worker scan takes a while.
fn corpus(files: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = "def handler(request, *args):\n    if request and args:\n        return [a for a in args if a]\n    return None\n\n".repeat(400);
    for i in 0..files {
        write(
            dir.path(),
            &format!("m{i:03}.py"),
            format!("# module {i}\n{body}"),
        );
    }
    dir
}

/// Waits until `parent` has a worker child; returns its pid.
fn wait_for_worker(parent: u32) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Some(pid) = children(parent).into_iter().next() {
            return pid;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("no worker appeared");
}

fn kill(pid: u32, signal: i32) {
    let status = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .expect("kill");
    assert!(status.success(), "kill -{signal} {pid}");
}

/// Supervision does not depend on rules; skipping them keeps these debug-build scans short.
fn spawn_json(dir: &std::path::Path, args: &[&str]) -> Child {
    astscan(dir)
        .args(["analyze", "--format", "json", "--no-rules"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

/// The parts of a report that must not depend on timing or worker restarts.
fn stable(report: &Value) -> Vec<Value> {
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            let mut f = f.clone();
            f.as_object_mut().expect("object").remove("parse_ms");
            f
        })
        .collect()
}

#[test]
fn a_worker_killed_mid_scan_is_replaced_and_results_are_unchanged() {
    let dir = corpus(150);
    let (undisturbed, out) = analyze_json(dir.path(), &["--jobs", "1", "--no-rules"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(undisturbed["summary"]["worker_restarts"], 0);

    let child = spawn_json(dir.path(), &["--jobs", "1"]);
    let worker = wait_for_worker(child.id());
    std::thread::sleep(Duration::from_millis(150));
    kill(worker, 9);
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let disturbed: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        disturbed["summary"]["worker_restarts"], 1,
        "the kill happened mid-scan"
    );
    assert_eq!(disturbed["summary"]["workers_started"], 2);
    assert_eq!(stable(&disturbed), stable(&undisturbed));
    assert!(!exists(worker) || std::fs::read_to_string(format!("/proc/{worker}/stat")).is_err());
}

#[test]
fn a_file_that_crashes_its_worker_twice_fails_with_the_reason_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Under a 200 MiB address-space limit a small file parses, a 6 MB one cannot: the worker
    // aborts on allocation failure, like a grammar crash would.
    write(dir.path(), "small.py", "x = 1\n");
    write(
        dir.path(),
        "huge.py",
        "x = [1, 2, 3, (4, 5), {6: 7}]\n".repeat(200_000),
    );
    let (report, out) = analyze_json(
        dir.path(),
        &[
            "--worker-memory",
            "200",
            "--jobs",
            "1",
            "--timeout",
            "60",
            "--no-rules",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a failed file makes the scan incomplete"
    );
    assert_summary_consistent(&report);
    assert_eq!(file(&report, "small.py")["status"], "parsed");
    let huge = file(&report, "huge.py");
    assert_eq!(huge["status"], "failed", "{huge}");
    assert_eq!(huge["reason_code"], "worker_crash");
    let reason = huge["reason"].as_str().expect("reason");
    assert!(
        reason.contains("signal 6 (SIGABRT)") || reason.contains("killed by signal"),
        "{reason}"
    );
    assert!(
        reason.contains("memory allocation") || reason.contains("stderr"),
        "stderr excerpt: {reason}"
    );
    // Tried, replaced, retried once, replaced again for the next file.
    assert_eq!(report["summary"]["worker_restarts"], 2);
}

#[test]
fn sigint_stops_workers_in_order_and_leaves_no_processes() {
    let dir = corpus(150);
    let child = spawn_json(dir.path(), &["--jobs", "2"]);
    let parent = child.id();
    wait_for_worker(parent);
    std::thread::sleep(Duration::from_millis(100));
    let workers = children(parent);
    assert!(!workers.is_empty());
    kill(parent, 2);
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
    for pid in workers {
        assert!(!exists(pid), "worker {pid} outlived the scan");
    }
}

#[test]
fn workers_die_with_a_parent_killed_outright() {
    let dir = corpus(150);
    let mut child = spawn_json(dir.path(), &["--jobs", "2"]);
    let parent = child.id();
    wait_for_worker(parent);
    let workers = children(parent);
    kill(parent, 9);
    let _ = child.wait();
    let deadline = Instant::now() + Duration::from_secs(5);
    while workers.iter().any(|&pid| exists(pid)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    for pid in workers {
        // Orphans are re-parented and reaped; a live one would still be present.
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        assert!(
            state.is_empty() || state.contains(") Z "),
            "worker {pid} survived its parent: {state}"
        );
    }
}

#[test]
fn workers_that_cannot_start_do_not_make_the_scan_spin() {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..20 {
        write(dir.path(), &format!("f{i:02}.py"), "x = 1\n");
    }
    // One MiB of address space: the worker cannot even load; every start fails.
    let started = Instant::now();
    let (report, out) = analyze_json(dir.path(), &["--worker-memory", "1", "--jobs", "2"]);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(2));
    assert_summary_consistent(&report);
    assert_eq!(report["summary"]["workers_started"], 0);
    assert_eq!(report["summary"]["failed"], 20);
    let last = file(&report, "f19.py");
    assert_eq!(last["reason_code"], "worker_unavailable");
    assert!(
        last["reason"]
            .as_str()
            .expect("reason")
            .contains("giving up"),
        "{last}"
    );
}

#[test]
fn a_language_that_keeps_crashing_workers_is_disabled_and_others_go_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let huge = "x = [1, 2, 3, (4, 5), {6: 7}]\n".repeat(200_000);
    for name in ["a1.py", "a2.py", "a3.py"] {
        write(dir.path(), name, &huge);
    }
    write(dir.path(), "b.js", "let ok = 1;\n");
    write(dir.path(), "z.py", "small = 1\n");
    // The huge files' parses run for a while before they exhaust the memory limit. Under the
    // default 5 s deadline a loaded machine turned that into a timeout (the CPU-time deadline,
    // or the wall-clock watchdog for a worker starved of CPU) before the crash: a deadline far
    // beyond any parse lets only the crash end them, so a crash misreported still fails here.
    let (report, out) = analyze_json(
        dir.path(),
        &[
            "--worker-memory",
            "200",
            "--jobs",
            "1",
            "--timeout",
            "60",
            "--no-rules",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_summary_consistent(&report);
    for name in ["a1.py", "a2.py"] {
        let f = file(&report, name);
        assert_eq!(f["reason_code"], "worker_crash", "{f}");
    }
    // Two crashes per file: after the third file's first crash the streak reaches 5.
    let z = file(&report, "z.py");
    assert_eq!(z["reason_code"], "worker_unavailable", "{z}");
    assert!(
        z["reason"]
            .as_str()
            .expect("reason")
            .contains("python parsing disabled"),
        "{z}"
    );
    assert_eq!(file(&report, "b.js")["status"], "parsed");
}

#[test]
fn the_watchdog_kills_a_hung_worker_and_the_file_is_retried() {
    let dir = corpus(150);
    let (undisturbed, _) =
        analyze_json(dir.path(), &["--jobs", "1", "--timeout", "1", "--no-rules"]);
    let started = Instant::now();
    let child = spawn_json(dir.path(), &["--jobs", "1", "--timeout", "1"]);
    let worker = wait_for_worker(child.id());
    std::thread::sleep(Duration::from_millis(100));
    // A stopped process answers nothing and uses no CPU, like a worker stuck where its CPU-time
    // deadline cannot reach it; only the parent's wall-clock watchdog (4 x deadline + 2 s) can
    // end the wait.
    kill(worker, 19);
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        started.elapsed() >= Duration::from_secs(6),
        "the watchdog waited its backstop"
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["summary"]["worker_restarts"], 1);
    assert_eq!(stable(&report), stable(&undisturbed));
    assert!(!exists(worker), "the stopped worker was killed and reaped");
}
