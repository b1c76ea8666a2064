//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Path of the binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_astscan"))
}

/// A command for the binary with a predictable environment: no colour or backtrace settings
/// leaking in from the caller's shell.
pub fn astscan(dir: &Path) -> Command {
    let mut cmd = Command::new(bin());
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LOG")
        // Never reach a daemon the developer happens to run; daemon tests pass --socket.
        .env("ASTSCAN_SOCKET", "/nonexistent/astscan-test.sock")
        // Every run's workers really run, and the developer's cache stays untouched; the
        // cache tests turn it back on with a cache directory of their own.
        .env("ASTSCAN_NO_CACHE", "1")
        .env_remove("ASTSCAN_CACHE_DIR");
    cmd
}

/// Runs `astscan analyze --format json ARGS` in `dir`; returns the parsed report and output.
pub fn analyze_json(dir: &Path, args: &[&str]) -> (Value, Output) {
    let out = astscan(dir)
        .args(["analyze", "--format", "json"])
        .args(args)
        .output()
        .expect("running astscan");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (report, out)
}

/// The record of `path` in a JSON report.
pub fn file<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["files"]
        .as_array()
        .expect("files array")
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in report: {}", paths(report).join(", ")))
}

/// Every path in a JSON report, in report order.
pub fn paths(report: &Value) -> Vec<String> {
    report["files"]
        .as_array()
        .expect("files array")
        .iter()
        .map(|f| f["path"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Writes a file, creating parent directories.
pub fn write(dir: &Path, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, contents).expect("write");
    path
}

/// Runs git in `dir`, panicking on failure.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git is installed");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Commits what is staged in `dir`, as a fixed test identity.
pub fn commit(dir: &Path, message: &str) {
    git(
        dir,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-q",
            "-m",
            message,
        ],
    );
}

/// Asserts the summary's counts add up and match the file list.
pub fn assert_summary_consistent(report: &Value) {
    let s = &report["summary"];
    let n = |k: &str| s[k].as_u64().unwrap_or_else(|| panic!("summary.{k}"));
    assert_eq!(
        n("files"),
        n("parsed") + n("parsed_with_errors") + n("skipped") + n("failed")
    );
    let files = report["files"].as_array().expect("files");
    assert_eq!(n("files"), files.len() as u64);
    for status in ["parsed", "parsed_with_errors", "skipped", "failed"] {
        let count = files.iter().filter(|f| f["status"] == status).count() as u64;
        assert_eq!(n(status), count, "{status}");
    }
}

/// Pids of the direct children of `pid` (from /proc).
pub fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return out;
    };
    for entry in entries.flatten() {
        let Some(child) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{child}/stat")) else {
            continue;
        };
        // Field 4 (ppid) follows the parenthesised command name, which may contain spaces.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 2..]) else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.get(1).and_then(|p| p.parse::<u32>().ok()) == Some(pid) {
            out.push(child);
        }
    }
    out
}

/// Is a process with this pid present at all (zombies included)?
pub fn exists(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// A JSON report without what legitimately differs between runs: timings, which backend
/// served each file, and the summary's totals of those.
pub fn normalised(mut report: Value) -> Value {
    for f in report["files"].as_array_mut().unwrap() {
        let f = f.as_object_mut().unwrap();
        f.remove("parse_ms");
        f.remove("backend");
    }
    report.as_object_mut().unwrap().remove("summary");
    report
}

/// The `backend` of every file in a JSON report ("none" where a file has none).
pub fn backends(report: &Value) -> Vec<String> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["backend"].as_str().unwrap_or("none").to_string())
        .collect()
}

/// A project in several languages with one finding (`app.py`), a file with a syntax error
/// (`broken.rb`) and `modules` small Python modules under `pkg/`: `4 + modules` files.
pub fn mixed_project(modules: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "import os\n\ndef run(request):\n    os.system(request.args[\"cmd\"])\n    return eval(request.args[\"cmd\"])\n",
    );
    write(
        dir.path(),
        "util.js",
        "function add(a, b) { return a + b; }\nmodule.exports = add;\n",
    );
    write(
        dir.path(),
        "main.go",
        "package main\n\nfunc main() {\n\tprintln(\"hi\")\n}\n",
    );
    write(dir.path(), "broken.rb", "def x(\n");
    for i in 0..modules {
        write(
            dir.path(),
            &format!("pkg/m{i}.py"),
            format!("def f{i}(x):\n    if x > {i}:\n        return x\n    return -x\n"),
        );
    }
    dir
}

/// A validator for the official SARIF 2.1.0 schema (tests/fixtures), with the published
/// schema's erratum mended: its `run.language` pattern has a stray `]` that strict regex
/// engines reject when checking the schema itself; it is escaped, nothing else changes.
pub fn sarif_validator() -> jsonschema::Validator {
    let mut schema: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/sarif-schema-2.1.0.json"
        ))
        .expect("schema"),
    )
    .expect("schema JSON");
    let mut fixed = 0;
    for def in ["run", "toolComponent"] {
        let pattern = &mut schema["definitions"][def]["properties"]["language"]["pattern"];
        if pattern == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" {
            *pattern = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$".into();
            fixed += 1;
        }
    }
    assert_eq!(fixed, 2, "the erratum is where it was");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

/// Asserts that `sarif` validates against the official SARIF 2.1.0 schema.
pub fn assert_valid_sarif(sarif: &Value) {
    let errors: Vec<String> = sarif_validator()
        .iter_errors(sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// Set to `1` (as `.ci/run` does), a test that cannot run here fails instead of skipping: in CI
/// a missing prerequisite must not pass as a green test.
pub const REQUIRE_ALL: &str = "ASTSCAN_TEST_REQUIRE_ALL";

/// Reports that the calling test, or the part of it `reason` names, cannot run here, and
/// returns so the caller can `return skip(...)`. Prints `skipped: <test>: <reason>` to the
/// process's stderr; under `ASTSCAN_TEST_REQUIRE_ALL=1` panics instead.
#[track_caller]
pub fn skip(reason: impl std::fmt::Display) {
    use std::io::Write;
    // libtest names each test's thread after the test.
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    if std::env::var_os(REQUIRE_ALL).is_some_and(|v| v == "1") {
        panic!("{test} cannot run here ({REQUIRE_ALL}=1 makes that a failure): {reason}");
    }
    // `eprintln!` goes to the harness's capture, shown only when a test fails; a skip must be
    // seen in a passing run, so the line goes to the stderr handle itself.
    let _ = writeln!(std::io::stderr().lock(), "skipped: {test}: {reason}");
}

/// Whether the tests run as root (effective uid 0): the tests that act as another user need it.
pub fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}
