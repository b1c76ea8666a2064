//! Where the report goes and what the person running the scan sees: `-o FILE` replaced only
//! by a finished report (interrupts at random points of a large scan, a walk that stops
//! part-way), the summary on stderr beside a report file, per-rule counts, the progress bar,
//! `--jobs` errors, completions and man pages.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{astscan, git, write};

/// `count` small Python files under `dir/src`, enough that a scan takes a while.
fn corpus(dir: &Path, count: usize) {
    for i in 0..count {
        write(
            dir,
            &format!("src/d{}/m{i:04}.py", i % 20),
            format!("def f{i}(a, b):\n    if a:\n        return b\n    return a + {i}\n"),
        );
    }
}

/// Names in `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A complete report of `format` ("json" or "sarif") of a scan of `files` files.
fn assert_complete(bytes: &[u8], format: &str, files: u64) {
    let report: Value = serde_json::from_slice(bytes).unwrap_or_else(|e| {
        panic!(
            "not a complete JSON document ({e}), {} bytes ending {:?}",
            bytes.len(),
            String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(80)..])
        )
    });
    match format {
        "json" => assert_eq!(report["summary"]["files"], files, "every file reported"),
        _ => crate::util::assert_valid_sarif(&report),
    }
}

/// Pseudo-random numbers without a dependency: seeded from the clock, printed so that a
/// failing sequence of delays can be told apart from the next run's.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
            | 1;
        eprintln!("delays seeded with {seed}");
        Rng(seed)
    }

    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

fn signal(pid: u32, sig: i32) {
    // The process may have finished already; that round then checks the new report.
    let _ = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .stderr(Stdio::null())
        .status();
}

#[test]
fn an_interrupted_scan_replaced_the_previous_report_with_a_partial_one() {
    const FILES: u64 = 2500;
    let dir = tempfile::tempdir().expect("tempdir");
    corpus(dir.path(), FILES as usize);
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).expect("mkdir");
    let run = |format: &str| {
        astscan(dir.path())
            .args(["analyze", "src", "--jobs", "2", "--format", format, "-o"])
            .arg(out_dir.join(format!("report.{format}")))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    // How long a whole scan takes here, so that the signals land all over it.
    let started = Instant::now();
    let whole = run("json").wait_with_output().expect("wait");
    let scan_time = started.elapsed();
    assert_eq!(
        whole.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&whole.stderr)
    );
    let previous = std::fs::read(out_dir.join("report.json")).expect("a first report");
    assert_complete(&previous, "json", FILES);
    std::fs::write(out_dir.join("report.sarif"), b"the previous SARIF report\n").expect("write");
    let previous_sarif = std::fs::read(out_dir.join("report.sarif")).expect("read");

    let mut rng = Rng::new();
    let (mut interrupted, mut finished) = (0, 0);
    for round in 0..8 {
        let (sig, format) = [(2, "json"), (15, "sarif"), (15, "json"), (2, "sarif")][round % 4];
        let old = if format == "json" {
            &previous
        } else {
            &previous_sarif
        };
        let path = out_dir.join(format!("report.{format}"));
        let child = run(format);
        // Anywhere in the scan and a little past it; the first round well inside it, so
        // that some round is surely interrupted.
        let span = scan_time.as_millis() as u64 * if round == 0 { 4 } else { 11 } / 10;
        let delay = Duration::from_millis(rng.below(span + 1));
        std::thread::sleep(delay);
        signal(child.id(), sig);
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let now = std::fs::read(&path).expect("the report file is still there");
        use std::os::unix::process::ExitStatusExt;
        match (out.status.code(), out.status.signal()) {
            // Stopped by the signal (or killed by it before astscan could catch it).
            (Some(c), _) if c == 128 + sig => {
                assert!(
                    now == *old,
                    "round {round}: SIG{sig} after {delay:?} changed the report ({} bytes)",
                    now.len()
                );
                interrupted += 1;
            }
            (None, Some(s)) if s == sig => {
                assert!(
                    now == *old,
                    "round {round}: killed after {delay:?} changed the report"
                );
                interrupted += 1;
            }
            // Finished before the signal.
            (Some(0), _) => {
                assert_complete(&now, format, FILES);
                finished += 1;
            }
            other => panic!("round {round}: exit {other:?} after {delay:?}: {stderr}"),
        }
        assert_eq!(
            entries(&out_dir),
            ["report.json", "report.sarif"],
            "round {round}: a temporary file was left behind"
        );
        // The next round starts from a known previous report.
        if format == "json" && now != previous {
            std::fs::write(&path, &previous).expect("write");
        }
        if format == "sarif" && now != previous_sarif {
            std::fs::write(&path, &previous_sarif).expect("write");
        }
    }
    eprintln!("{interrupted} rounds interrupted, {finished} finished first");
    assert!(interrupted > 0, "no round was interrupted");
}

/// A staged repository whose last file's blob is gone: the walk stops there.
fn repository_missing_a_blob() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q"]);
    write(dir.path(), "a.py", "x = 1\n");
    write(dir.path(), "b.py", "y = eval(request.args[\"y\"])\n");
    write(dir.path(), "z.py", "z = 3  # the blob that goes missing\n");
    git(dir.path(), &["add", "."]);
    let out = Command::new("git")
        .current_dir(dir.path())
        .args(["hash-object", "z.py"])
        .output()
        .expect("git");
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    std::fs::remove_file(
        dir.path()
            .join(format!(".git/objects/{}/{}", &id[..2], &id[2..])),
    )
    .expect("the blob is a loose object");
    dir
}

#[test]
fn a_scan_that_stopped_part_way_left_an_unfinished_report() {
    let dir = repository_missing_a_blob();
    for format in ["json", "sarif"] {
        let out = astscan(dir.path())
            .args(["analyze", "--staged", "--format", format, "-o", "report"])
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        let bytes = std::fs::read(dir.path().join("report")).expect("a report was written");
        let report: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "{format}: not a complete document ({e}): {}",
                String::from_utf8_lossy(&bytes)
            )
        });
        assert!(stderr.contains("the scan is incomplete"), "{stderr}");
        if format == "json" {
            crate::util::assert_summary_consistent(&report);
            assert_eq!(crate::util::paths(&report), ["a.py", "b.py"]);
            let why = report["summary"]["incomplete"]
                .as_str()
                .expect("marked incomplete");
            assert!(why.contains("cat-file"), "{why}");
        } else {
            crate::util::assert_valid_sarif(&report);
            let invocation = &report["runs"][0]["invocations"][0];
            assert_eq!(invocation["executionSuccessful"], false, "{invocation}");
            let notes = invocation["toolExecutionNotifications"].to_string();
            assert!(notes.contains("stopped before"), "{notes}");
            assert!(
                report["runs"][0]["results"]
                    .as_array()
                    .is_some_and(|r| !r.is_empty())
            );
        }
    }
}

#[test]
fn nothing_was_printed_when_the_report_went_to_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.py", "y = eval(request.args[\"y\"])\n");
    write(dir.path(), "b.py", "def f(:\n");
    for format in ["json", "sarif", "text"] {
        let out = astscan(dir.path())
            .args(["analyze", "--format", format, "-o", "report"])
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(out.stdout.is_empty());
        assert!(
            stderr.contains("2 files: 1 parsed, 1 with syntax errors")
                && stderr.contains("findings: 1 (")
                && stderr.contains("findings by rule: python.code-injection.tainted-eval 1"),
            "{format}: {stderr}"
        );
        let quiet = astscan(dir.path())
            .args(["analyze", "--quiet", "--format", format, "-o", "report"])
            .output()
            .expect("run");
        assert!(
            quiet.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&quiet.stderr)
        );
    }
}

#[test]
fn the_text_summary_had_no_counts_per_rule() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "app.py",
        "a = eval(request.args[\"a\"])\nb = eval(request.args[\"b\"])\nimport jinja2\nt = jinja2.Template(request.form['t'])\n",
    );
    let out = astscan(dir.path()).args(["analyze"]).output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "findings by rule: python.code-injection.tainted-eval 2, python.code-injection.template-from-input 1\n"
        ),
        "{stdout}"
    );
}

/// Progress frames drawn with `--progress always` on a pipe, for a scan of `files` files.
fn progress_frames(files: usize) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    corpus(dir.path(), files);
    let out: Output = astscan(dir.path())
        .args([
            "analyze",
            "--jobs",
            "1",
            "--format",
            "json",
            "--progress",
            "always",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_progress_total_grew_with_the_walk_and_the_rate_had_four_decimals() {
    const FILES: usize = 600;
    let frames = progress_frames(FILES);
    let totals: Vec<&str> = frames
        .split(['\r', '\n'])
        .filter_map(|frame| {
            let at = frame.find(" files, ")?;
            let count = frame[..at].rsplit(' ').next()?;
            count.split_once('/').map(|(_, total)| total)
        })
        .collect();
    assert!(
        !totals.is_empty(),
        "no bar with a total was drawn: {frames:?}"
    );
    assert!(
        totals.iter().all(|t| *t == FILES.to_string()),
        "totals other than {FILES}: {:?}",
        totals
            .iter()
            .filter(|t| **t != FILES.to_string())
            .take(5)
            .collect::<Vec<_>>()
    );
    let rates: Vec<&str> = frames
        .split(['(', ','])
        .filter(|part| part.trim_end_matches(')').ends_with("/s"))
        .collect();
    assert!(!rates.is_empty(), "no rate drawn: {frames:?}");
    for rate in rates {
        let number = rate.trim().trim_end_matches(')').trim_end_matches("/s");
        let decimals = number.split_once('.').map_or(0, |(_, d)| d.len());
        assert!(decimals <= 1, "rate {rate:?} is not rounded");
    }
}

#[test]
fn jobs_minus_one_suggested_passing_it_after_a_double_dash() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (command, flag, value) in [
        ("analyze", "--jobs", "-1"),
        ("analyze", "--jobs", "0"),
        ("daemon", "--workers", "-1"),
    ] {
        let out = astscan(dir.path())
            .args([command, flag, value])
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("must be a positive whole number") && !stderr.contains("-- "),
            "{value}: {stderr}"
        );
    }
}

#[test]
fn completions_offered_the_hidden_worker_subcommand() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for name in entries(&root) {
        let text = std::fs::read_to_string(root.join(&name)).expect("read");
        assert!(
            !text.contains("parent-pid")
                && !text.contains("__worker")
                && !text.contains("'worker'"),
            "{name} offers the worker subcommand"
        );
        assert!(
            text.contains("analyze"),
            "{name} still completes subcommands"
        );
    }
}

#[test]
fn man_pages_had_no_exit_status_environment_files_or_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let pages = entries(&root);
    assert!(pages.len() >= 5, "{pages:?}");
    for name in pages {
        let text = std::fs::read_to_string(root.join(&name)).expect("read");
        for section in ["EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"] {
            assert!(
                text.contains(&format!(".SH \"{section}\"\n")),
                "{name} lacks {section}"
            );
        }
        assert_eq!(
            text.matches(".ie \\n(.g .ds Aq").count(),
            1,
            "{name}: one preamble"
        );
    }
    let analyze = std::fs::read_to_string(root.join("astscan-analyze.1")).expect("read");
    assert!(
        analyze.contains("ASTSCAN_NO_CACHE") && analyze.contains("130, 143"),
        "{analyze}"
    );
}
