//! Command-line behaviour: help and version, exit codes, output options, colour, progress,
//! and a closed stdout.

use std::process::Stdio;

use crate::util::{analyze_json, astscan, paths, write};

#[test]
fn version_and_help() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = astscan(dir.path()).arg("--version").output().expect("run");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("astscan {}", env!("CARGO_PKG_VERSION"))
    );
    let out = astscan(dir.path())
        .args(["analyze", "--help"])
        .output()
        .expect("run");
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--format",
        "--output",
        "--jobs",
        "--timeout",
        "--max-file-size",
        "--lang",
        "--exclude",
        "--no-ignore",
        "--hidden",
        "--quiet",
        "--color",
        "--progress",
        "Exit codes",
    ] {
        assert!(help.contains(flag), "help lacks {flag}:\n{help}");
    }
    // The worker subcommand is internal.
    let out = astscan(dir.path()).arg("--help").output().expect("run");
    let top = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        !top.lines().any(|l| l.trim_start().starts_with("worker")),
        "{top}"
    );
    assert!(
        top.lines().any(|l| l.trim_start().starts_with("daemon")),
        "{top}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    for args in [
        &["analyze", "--format", "yaml"][..],
        &["analyze", "--timeout", "0"],
        &["analyze", "--jobs", "0"],
        &["analyze", "--max-file-size", "lots"],
        &["analyze", "--lang", "cobol"],
        &["frobnicate"],
    ] {
        let out = astscan(dir.path()).args(args).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?} printed no error");
    }
    let out = astscan(dir.path())
        .args(["analyze", "--format", "json", "--exclude", "a[", "."])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid --exclude glob"));
    assert!(out.stdout.is_empty(), "no partial report on a usage error");
}

#[test]
fn missing_path_is_a_clear_error_with_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "ok.py", "x = 1\n");
    let (report, out) = analyze_json(dir.path(), &["ok.py", "does/not/exist.py"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("does/not/exist.py: no such file or directory"),
        "{stderr}"
    );
    // The other input is still scanned, and the missing one is in the report.
    assert_eq!(crate::util::file(&report, "ok.py")["status"], "parsed");
    let missing = crate::util::file(&report, "does/not/exist.py");
    assert_eq!(missing["status"], "failed");
    assert_eq!(missing["reason_code"], "not_found");
}

#[test]
fn clean_scan_exits_0_and_syntax_errors_do_not_fail_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "good.js", "let a = 1;\n");
    write(dir.path(), "bad.js", "let = ;\n");
    let (report, out) = analyze_json(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        crate::util::file(&report, "bad.js")["status"],
        "parsed_with_errors"
    );
    assert_eq!(
        paths(&report),
        ["bad.js", "good.js"],
        "walk order is sorted and paths are relative"
    );
}

#[test]
fn output_file_lang_filter_and_excludes() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.py", "x = 1\n");
    write(dir.path(), "b.js", "x = 1\n");
    write(dir.path(), "gen/c.py", "x = 1\n");
    let out = astscan(dir.path())
        .args([
            "analyze",
            "--format",
            "json",
            "-o",
            "report.json",
            "--lang",
            "python",
            "--exclude",
            "gen/",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stdout.is_empty(),
        "the report goes to the file, not stdout"
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).expect("report"))
            .expect("json");
    assert_eq!(paths(&report), ["a.py"]);
    // Explicitly named files of another language are reported as skipped, not dropped.
    let (report, _) = analyze_json(
        dir.path(),
        &[
            "--lang",
            "python",
            "b.js",
            "gen/c.py",
            "--exclude",
            "gen/**",
        ],
    );
    assert_eq!(
        crate::util::file(&report, "b.js")["reason_code"],
        "language_not_selected"
    );
    assert_eq!(
        crate::util::file(&report, "gen/c.py")["reason_code"],
        "ignored"
    );
}

#[test]
fn text_report_lists_problems_and_a_summary_without_colour_on_pipes() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "ok.rb", "puts 1\n");
    write(dir.path(), "broken.rb", "def (\n");
    write(dir.path(), "blob.rb", b"\0\0\0");
    let out = astscan(dir.path()).arg("analyze").output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("broken.rb:"), "{text}");
    assert!(text.contains("parsed with errors"), "{text}");
    assert!(text.contains("blob.rb: skipped: binary file"), "{text}");
    assert!(
        text.contains("3 files: 1 parsed, 1 with syntax errors, 1 skipped, 0 failed"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour on a pipe");
    // No progress bar on a pipe either.
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = astscan(dir.path())
        .args(["analyze", "--color", "always"])
        .output()
        .expect("run");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("\x1b["),
        "--color always colours"
    );
    let out = astscan(dir.path())
        .args(["analyze", "--quiet"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("broken.rb") && !text.contains("3 files"),
        "{text}"
    );
}

#[test]
fn progress_always_draws_on_stderr() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.go", "package a\n");
    let out = astscan(dir.path())
        .args(["analyze", "--progress", "always"])
        .output()
        .expect("run");
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("files"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn closed_stdout_is_not_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Enough output to fill a pipe buffer many times over.
    for i in 0..60 {
        write(
            dir.path(),
            &format!("m{i}.py"),
            "def f(a):\n    return [a, (a, {a: a})]\n".repeat(50),
        );
    }
    let mut child = astscan(dir.path())
        .args(["analyze", "--format", "ast"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        use std::io::Read;
        let mut stdout = child.stdout.take().expect("stdout");
        let mut first = [0u8; 100];
        stdout.read_exact(&mut first).expect("some output");
        // Dropping the read end closes the pipe while astscan is still writing.
    }
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{stderr}"
    );
}

/// Runs astscan with stdout and stderr on a pseudo-terminal (util-linux `script`).
fn on_a_terminal(dir: &std::path::Path, args: &str, no_color: bool) -> String {
    let mut cmd = std::process::Command::new("script");
    cmd.args([
        "-qec",
        &format!("{} {args}", crate::util::bin().display()),
        "/dev/null",
    ])
    .current_dir(dir)
    .env_remove("NO_COLOR");
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let out = cmd.output().expect("script (util-linux) is installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn colour_and_progress_on_a_terminal_honour_no_color() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "broken.py", "def (:\n");
    let coloured = on_a_terminal(dir.path(), "analyze --progress never", false);
    assert!(coloured.contains("\x1b[1mbroken.py"), "{coloured:?}");
    let plain = on_a_terminal(dir.path(), "analyze --progress never", true);
    assert!(
        plain.contains("broken.py:1:") && !plain.contains('\x1b'),
        "{plain:?}"
    );
    // On a terminal the progress bar is drawn by default, and never with --quiet.
    for i in 0..200 {
        write(dir.path(), &format!("m{i}.py"), "x = 1\n".repeat(500));
    }
    let with_bar = on_a_terminal(dir.path(), "analyze", true);
    assert!(with_bar.contains(" files, "), "{with_bar:?}");
    let quiet = on_a_terminal(dir.path(), "analyze --quiet", true);
    assert!(!quiet.contains(" files, "), "{quiet:?}");
}
