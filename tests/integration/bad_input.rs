//! Hostile and broken input: none of it may crash the scan, hang past the deadline or lose a
//! file. Each case checks the file's record and the exit code.

use std::time::{Duration, Instant};

use crate::util::{
    analyze_json, assert_summary_consistent, astscan, file, is_root, paths, skip, write,
};

#[test]
fn nesting_100k_levels_deep_is_parsed_and_dumped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let n = 100_000;
    write(
        dir.path(),
        "deep.py",
        format!("x = {}{}\n", "[".repeat(n), "]".repeat(n)),
    );
    write(
        dir.path(),
        "deep.js",
        format!("x = {}1{};\n", "(".repeat(n), ")".repeat(n)),
    );
    // One 200 KB line looks minified and is skipped by default; force it through the parser.
    let (report, _) = analyze_json(dir.path(), &[]);
    assert_eq!(file(&report, "deep.py")["reason_code"], "minified");
    let (report, out) = analyze_json(dir.path(), &["--include-generated"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(file(&report, "deep.py")["status"], "parsed");
    assert_eq!(file(&report, "deep.js")["status"], "parsed");

    let out = astscan(dir.path())
        .args([
            "analyze",
            "--format",
            "ast",
            "--ast-max-depth",
            "40",
            "--include-generated",
            "deep.py",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    assert_eq!(line["path"], "deep.py");
    assert_eq!(line["tree"]["kind"], "module");
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"truncated\":true"));
}

#[test]
fn ten_mib_single_line_minified_file_is_skipped_or_bounded_by_the_deadline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let unit = "var a=function(b){return b&&b.c?b.c(1,2):[b,{d:b}]};";
    let line = unit.repeat(10 * 1024 * 1024 / unit.len());
    write(dir.path(), "bundle.min.js", &line);
    write(dir.path(), "ok.js", "let x = 1;\n");
    let (report, out) = analyze_json(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0));
    let f = file(&report, "bundle.min.js");
    assert_eq!(f["status"], "skipped");
    assert_eq!(f["reason_code"], "minified");
    assert_eq!(f["bytes"], line.len() as u64);

    // Forced through the parser with a 1 s deadline, it fails on time instead of hanging.
    let started = Instant::now();
    let (report, out) = analyze_json(
        dir.path(),
        &[
            "--include-generated",
            "--max-file-size",
            "20M",
            "--timeout",
            "1",
            "--jobs",
            "1",
        ],
    );
    let elapsed = started.elapsed();
    let f = file(&report, "bundle.min.js");
    if f["status"] == "failed" {
        assert_eq!(f["reason_code"], "timeout", "{f}");
        assert_eq!(
            out.status.code(),
            Some(2),
            "a failed file makes the scan incomplete"
        );
    } else {
        // A fast machine may parse it within the second; then it must be a real parse.
        assert_eq!(f["status"], "parsed");
    }
    assert_eq!(file(&report, "ok.js")["status"], "parsed");
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
}

#[test]
fn invalid_utf8_nul_bytes_and_empty_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "latin1.py", b"name = '\xe9t\xe9'\n# \xff\xfe\n");
    write(dir.path(), "nul.js", b"let a = 1;\0\0let b = 2;\n");
    write(dir.path(), "empty.rb", b"");
    let (report, out) = analyze_json(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_summary_consistent(&report);
    let latin1 = file(&report, "latin1.py");
    assert!(
        latin1["status"] == "parsed" || latin1["status"] == "parsed_with_errors",
        "{latin1}"
    );
    assert_eq!(file(&report, "nul.js")["reason_code"], "binary");
    let empty = file(&report, "empty.rb");
    assert_eq!(empty["status"], "parsed");
    assert_eq!(empty["lines"], 0);
    assert_eq!(
        empty["sha256"],
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn symlink_loops_are_reported_not_fatal() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "d/a.py", "x = 1\n");
    // A directory loop (d/up -> ..) and a link to itself.
    std::os::unix::fs::symlink("..", dir.path().join("d/up")).expect("symlink");
    std::os::unix::fs::symlink("self.py", dir.path().join("self.py")).expect("symlink");
    let (report, out) = analyze_json(dir.path(), &["--follow"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_summary_consistent(&report);
    assert_eq!(file(&report, "d/a.py")["status"], "parsed");
    assert_eq!(file(&report, "d/up")["reason_code"], "broken_symlink");
    assert_eq!(file(&report, "self.py")["reason_code"], "broken_symlink");
    let (report, _) = analyze_json(dir.path(), &["self.py"]);
    assert_eq!(file(&report, "self.py")["reason_code"], "broken_symlink");
}

#[test]
fn unreadable_files_fail_with_a_reason_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "ok.py", "x = 1\n");
    // Reading /proc/self/mem at offset 0 fails with EIO for every user, root included.
    std::os::unix::fs::symlink("/proc/self/mem", dir.path().join("mem.py")).expect("symlink");
    let (report, out) = analyze_json(dir.path(), &["ok.py", "mem.py"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a file that cannot be read makes the scan incomplete"
    );
    assert_eq!(file(&report, "ok.py")["status"], "parsed");
    let mem = file(&report, "mem.py");
    assert_eq!(mem["status"], "failed");
    assert_eq!(mem["reason_code"], "unreadable");

    write(dir.path(), "secret.py", "x = 1\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        dir.path().join("secret.py"),
        std::fs::Permissions::from_mode(0o000),
    )
    .expect("chmod");
    let mut cmd = astscan(dir.path());
    cmd.args(["analyze", "--format", "json", "secret.py"]);
    if is_root() {
        use std::os::unix::process::CommandExt;
        // SAFETY: the closure runs in the forked child before exec and makes system calls only.
        unsafe { cmd.pre_exec(drop_file_permission_override) };
    }
    let out = match cmd.output() {
        Ok(out) => out,
        Err(e) => return skip(format!("running astscan without CAP_DAC_OVERRIDE: {e}")),
    };
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(file(&report, "secret.py")["reason"], "permission denied");
}

/// Root reads files whatever their mode: in the child about to exec astscan, removes the two
/// capabilities that allow it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) from every set a
/// process run as root gets its capabilities from after exec: the bounding, inheritable and
/// ambient sets.
fn drop_file_permission_override() -> std::io::Result<()> {
    /// `struct __user_cap_header_struct` of linux/capability.h.
    #[repr(C)]
    struct Header {
        version: u32,
        pid: libc::c_int,
    }
    /// `struct __user_cap_data_struct`; version 3 takes two of them (capabilities 0-63).
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    const LINUX_CAPABILITY_VERSION_3: u32 = 0x2008_0522;
    const CAP_DAC_OVERRIDE: libc::c_ulong = 1;
    const CAP_DAC_READ_SEARCH: libc::c_ulong = 2;
    let err = std::io::Error::last_os_error;
    for cap in [CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH] {
        // SAFETY: prctl with integer arguments only.
        if unsafe { libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0) } != 0 {
            return Err(err());
        }
    }
    let mut header = Header {
        version: LINUX_CAPABILITY_VERSION_3,
        pid: 0,
    };
    let mut data = [Data {
        effective: 0,
        permitted: 0,
        inheritable: 0,
    }; 2];
    // SAFETY: capget and capset read and write the header and two data structs given.
    unsafe {
        if libc::syscall(libc::SYS_capget, &raw mut header, data.as_mut_ptr()) != 0 {
            return Err(err());
        }
        for d in &mut data {
            d.inheritable = 0;
        }
        if libc::syscall(libc::SYS_capset, &raw mut header, data.as_ptr()) != 0 {
            return Err(err());
        }
        // Kernels before 4.3 have no ambient set and answer EINVAL: nothing to clear there.
        libc::prctl(
            libc::PR_CAP_AMBIENT,
            libc::PR_CAP_AMBIENT_CLEAR_ALL as libc::c_ulong,
            0,
            0,
            0,
        );
    }
    Ok(())
}

#[test]
fn fifos_are_skipped_without_blocking() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "ok.py", "x = 1\n");
    let fifo = dir.path().join("pipe.py");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    // No extension either: the shebang probe must not open it blockingly.
    let status = std::process::Command::new("mkfifo")
        .arg(dir.path().join("noext"))
        .status()
        .expect("mkfifo");
    assert!(status.success());
    for args in [&[][..], &["pipe.py", "noext", "ok.py"][..]] {
        let (report, out) = analyze_json(dir.path(), args);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(file(&report, "pipe.py")["reason_code"], "not_regular_file");
        assert_eq!(file(&report, "ok.py")["status"], "parsed");
    }
}

#[test]
fn files_deleted_during_the_scan_are_accounted_for() {
    let dir = tempfile::tempdir().expect("tempdir");
    let n = 1500;
    for i in 0..n {
        write(
            dir.path(),
            &format!("f{i:04}.py"),
            "def f(x):\n    return x\n".repeat(20),
        );
    }
    let root = dir.path().to_path_buf();
    // Delete files from the end of the walk order while the scan runs.
    let deleter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(30));
        for i in (0..n).rev().step_by(2) {
            let _ = std::fs::remove_file(root.join(format!("f{i:04}.py")));
        }
    });
    let (report, out) = analyze_json(dir.path(), &["--jobs", "1", "--no-rules"]);
    deleter.join().expect("deleter");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_summary_consistent(&report);
    for f in report["files"].as_array().expect("files") {
        let ok = f["status"] == "parsed" || f["reason_code"] == "vanished";
        assert!(ok, "{f}");
    }
    // Files present at the end were all reported as parsed.
    let reported = paths(&report);
    for entry in std::fs::read_dir(dir.path()).expect("readdir").flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        assert!(reported.contains(&name), "{name} missing from the report");
    }
}
