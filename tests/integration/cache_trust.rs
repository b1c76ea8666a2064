//! The on-disk result cache trusts nothing another user, or a restored CI cache, could have
//! planted: an unsafe cache directory is not used, a forged entry is not a result, a FIFO or
//! a symlink in an entry's place neither blocks nor is followed, and `cache clear` and
//! eviction delete nothing outside the cache.

use std::fs::{self, File};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cache::{cache_dir, entries, scan};
use crate::util::{astscan, bin, file, is_root, skip, write};

/// A file the built-in rules flag (python.code-injection.tainted-eval, high: the scan exits 1).
const DANGEROUS: &str = "x = eval(request.args[\"x\"])\n";
const DANGEROUS_RULE: &str = "python.code-injection.tainted-eval";
/// A file with no finding.
const CLEAN: &str = "def f(a):\n    return a + 1\n";

/// A project holding one file, `name`, with `text`.
fn project(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), name, text);
    dir
}

/// Asserts that `report` has `bad.py` parsed with the dangerous finding, computed afresh.
fn assert_dangerous_reported(report: &Value, code: Option<i32>) {
    let f = file(report, "bad.py");
    assert_eq!(f["status"], "parsed", "{f}");
    let rules: Vec<&str> = f["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["rule_id"].as_str())
        .collect();
    assert_eq!(rules, [DANGEROUS_RULE], "{f}");
    assert_eq!(code, Some(1), "a high finding fails the scan");
}

/// The one entry a scan of a one-file project added to `cache`.
fn new_entry(cache: &Path, before: &[PathBuf]) -> PathBuf {
    let added: Vec<PathBuf> = entries(cache)
        .into_iter()
        .filter(|p| !before.contains(p))
        .collect();
    assert_eq!(added.len(), 1, "{added:?}");
    added.into_iter().next().unwrap()
}

/// How a scan run by [`scan_within`] ended.
struct Finished {
    report: Value,
    code: Option<i32>,
    /// Peak resident memory of the scan and its workers, in KiB.
    max_rss_kib: i64,
}

/// Reaps `pid` if it has ended: its exit code (`None` if a signal ended it) and peak memory.
fn try_reap(pid: i32) -> Option<(Option<i32>, i64)> {
    let mut status = 0;
    // SAFETY: `rusage` is plain old data; all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are to live locals; WNOHANG returns at once. wait4 rather than
    // `Child::try_wait`: only it reports the child's resource usage.
    let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
    assert!(reaped >= 0, "wait4: {}", std::io::Error::last_os_error());
    (reaped == pid).then(|| {
        let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
        (code, usage.ru_maxrss)
    })
}

/// Scans `dir` with the cache in `cache` and waits at most `limit`: a scan that blocks is
/// killed and the test fails, rather than hanging. The scan runs under a soft address-space
/// cap (8 GiB) so that one reading a planted `/dev/zero` without bound cannot take the
/// machine's memory (workers lower the cap further for themselves); its peak memory is
/// reported so a test can tell a bounded read from one stopped only by that cap.
// The child is reaped by `try_reap` (wait4), which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn scan_within(dir: &Path, cache: &Path, limit: Duration) -> Finished {
    let base = astscan(dir);
    let mut cmd = Command::new("sh");
    for (k, v) in base.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let outputs = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (outputs.path().join("out"), outputs.path().join("err"));
    let mut child = cmd
        .current_dir(dir)
        .env_remove("ASTSCAN_NO_CACHE")
        .env("ASTSCAN_CACHE_DIR", cache)
        .args(["-c", "ulimit -S -v 8388608 && exec \"$0\" \"$@\""])
        .arg(bin())
        .args(["analyze", "--format", "json", "."])
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).unwrap())
        .stderr(File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let pid = i32::try_from(child.id()).unwrap();
    let start = Instant::now();
    let (code, max_rss_kib) = loop {
        if let Some(ended) = try_reap(pid) {
            break ended;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the scan did not finish within {limit:?}; stderr:\n{}",
                fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = fs::read(&out_path).unwrap();
    let report = serde_json::from_slice(&stdout).unwrap_or_else(|e| {
        panic!(
            "{e} (exit {code:?}): {}\n{}",
            String::from_utf8_lossy(&stdout),
            fs::read_to_string(&err_path).unwrap_or_default()
        )
    });
    Finished {
        report,
        code,
        max_rss_kib,
    }
}

/// Scans a project with a dangerous file while `cache` may not be trusted: the scan warns,
/// reports the file with its finding and writes nothing there.
fn assert_unsafe_cache_is_not_used(cache: &Path, why: &str) {
    let proj = project("bad.py", DANGEROUS);
    let (report, out) = scan(proj.path(), cache, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warning: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("warning") && l.contains("result cache"))
        .collect();
    assert_eq!(warning.len(), 1, "no one-line warning: {stderr}");
    assert!(warning[0].contains(why), "{stderr}");
    assert_dangerous_reported(&report, out.status.code());
    assert_eq!(file(&report, "bad.py")["backend"], "direct");
    assert_eq!(
        entries(cache),
        Vec::<PathBuf>::new(),
        "an entry was written"
    );
}

#[test]
fn a_cache_directory_owned_by_another_user_is_not_used() {
    if !is_root() {
        return skip("giving the cache directory to another user needs root");
    }
    let cache = cache_dir();
    std::os::unix::fs::chown(cache.path(), Some(65534), Some(65534)).unwrap();
    assert_unsafe_cache_is_not_used(cache.path(), "owned by uid 65534");
}

#[test]
fn a_group_writable_cache_directory_is_not_used() {
    let cache = cache_dir();
    fs::set_permissions(cache.path(), fs::Permissions::from_mode(0o770)).unwrap();
    assert_unsafe_cache_is_not_used(cache.path(), "open to group or others");
    // `astscan cache ...` refuses it with an error rather than working in it.
    let out = astscan(cache.path())
        .env("ASTSCAN_CACHE_DIR", cache.path())
        .args(["cache", "clear"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("open to group or others"), "{stderr}");
}

#[test]
fn a_forged_entry_is_not_served_as_a_result() {
    let cache = cache_dir();
    let bad = project("bad.py", DANGEROUS);
    let (first, out) = scan(bad.path(), cache.path(), &[]);
    assert_dangerous_reported(&first, out.status.code());
    let bad_entry = new_entry(cache.path(), &[]);
    // A well-formed entry of a clean result, as anyone who can write the cache can make one,
    // put where the dangerous file's result belongs.
    let clean = project("bad.py", CLEAN);
    scan(clean.path(), cache.path(), &[]);
    let clean_entry = new_entry(cache.path(), std::slice::from_ref(&bad_entry));
    fs::copy(&clean_entry, &bad_entry).unwrap();

    let (report, out) = scan(bad.path(), cache.path(), &[]);
    assert_dangerous_reported(&report, out.status.code());
    assert_eq!(file(&report, "bad.py")["backend"], "direct");
    // The sound result replaced the forged one.
    let (again, out) = scan(bad.path(), cache.path(), &[]);
    assert_dangerous_reported(&again, out.status.code());
    assert_eq!(file(&again, "bad.py")["backend"], "cache");
}

#[test]
fn a_fifo_planted_as_an_entry_does_not_hang_the_scan() {
    let cache = cache_dir();
    let bad = project("bad.py", DANGEROUS);
    scan(bad.path(), cache.path(), &[]);
    let entry = new_entry(cache.path(), &[]);
    fs::remove_file(&entry).unwrap();
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &entry,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .unwrap();
    let done = scan_within(bad.path(), cache.path(), Duration::from_secs(60));
    assert_dangerous_reported(&done.report, done.code);
}

#[test]
fn a_symlink_to_dev_zero_as_an_entry_is_not_read() {
    let cache = cache_dir();
    let bad = project("bad.py", DANGEROUS);
    scan(bad.path(), cache.path(), &[]);
    let entry = new_entry(cache.path(), &[]);
    fs::remove_file(&entry).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &entry).unwrap();
    let done = scan_within(bad.path(), cache.path(), Duration::from_secs(60));
    assert_dangerous_reported(&done.report, done.code);
    // A scan of one small file needs tens of MiB; reading /dev/zero needs all there is.
    assert!(
        done.max_rss_kib < 1024 * 1024,
        "the scan grew to {} MiB",
        done.max_rss_kib / 1024
    );
}

/// A cache holding one entry, and a symlink among its shards to a directory outside it that
/// holds a file. Returns the cache, the outside directory and its file.
fn cache_with_symlinked_shard() -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let cache = cache_dir();
    let bad = project("bad.py", DANGEROUS);
    scan(bad.path(), cache.path(), &[]);
    let entry = new_entry(cache.path(), &[]);
    let results = entry.parent().unwrap().parent().unwrap().to_path_buf();
    let outside = tempfile::tempdir().unwrap();
    let precious = outside.path().join("precious");
    fs::write(&precious, b"not the cache's").unwrap();
    // A shard name that is free (two hex digits, as real shards are named).
    let free = (0..=255u8)
        .map(|n| results.join(format!("{n:02x}")))
        .find(|p| fs::symlink_metadata(p).is_err())
        .unwrap();
    std::os::unix::fs::symlink(outside.path(), &free).unwrap();
    (cache, outside, precious)
}

#[test]
fn cache_clear_does_not_follow_a_symlinked_shard() {
    let (cache, _outside, precious) = cache_with_symlinked_shard();
    let out = astscan(cache.path())
        .env("ASTSCAN_CACHE_DIR", cache.path())
        .args(["cache", "clear"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("removed 1 cached results"), "{stderr}");
    assert_eq!(fs::read(&precious).unwrap(), b"not the cache's");
    assert_eq!(entries(cache.path()), Vec::<PathBuf>::new());
}

#[test]
fn eviction_does_not_follow_a_symlinked_shard() {
    let (cache, _outside, precious) = cache_with_symlinked_shard();
    // A scan that writes a new entry past a 1-byte cap evicts everything it may.
    let other = project("other.py", CLEAN);
    let (report, out) = scan(other.path(), cache.path(), &["--cache-max-size", "1"]);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert_eq!(fs::read(&precious).unwrap(), b"not the cache's");
    assert_eq!(entries(cache.path()), Vec::<PathBuf>::new());
}
