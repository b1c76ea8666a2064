//! The on-disk result cache of direct scans: hits across copies and mtimes, identical
//! results, damaged entries, concurrent writers, and `astscan cache`.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::util::{astscan, backends, mixed_project, normalised, write};

/// `astscan analyze --format json ARGS .` in `dir` with the cache in `cache`.
pub(crate) fn scan(dir: &Path, cache: &Path, args: &[&str]) -> (Value, Output) {
    let out = astscan(dir)
        .env_remove("ASTSCAN_NO_CACHE")
        .env("ASTSCAN_CACHE_DIR", cache)
        .args(["analyze", "--format", "json"])
        .args(args)
        .arg(".")
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (report, out)
}

/// A temporary cache directory as astscan wants it: ours, mode 0700 (`tempdir()` follows the
/// umask, and astscan refuses a cache directory open to group or others).
pub(crate) fn cache_dir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    tempfile::Builder::new()
        .permissions(std::fs::Permissions::from_mode(0o700))
        .tempdir()
        .unwrap()
}

/// The cached results under `cache` (not its key file).
pub(crate) fn entries(cache: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(cache)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name() != "key")
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn a_rescan_answers_from_the_cache_with_the_same_report_and_exit_code() {
    let proj = mixed_project(7);
    let cache = cache_dir();
    let (first, out1) = scan(proj.path(), cache.path(), &[]);
    assert_eq!(out1.status.code(), Some(1), "findings fail the scan");
    assert!(backends(&first).iter().all(|b| b == "direct"), "{first}");
    // Analysed files are cached; nothing else (failures are not).
    assert_eq!(entries(cache.path()).len(), 11);

    let (second, out2) = scan(proj.path(), cache.path(), &[]);
    assert_eq!(out2.status.code(), Some(1));
    assert!(
        backends(&second).iter().all(|b| b == "cache"),
        "{:?}",
        backends(&second)
    );
    assert_eq!(normalised(second.clone()), normalised(first.clone()));
    assert_eq!(second["summary"]["findings"], first["summary"]["findings"]);
    // All files came from the cache, so no worker was started.
    assert_eq!(
        second["summary"]["workers_started"], 0,
        "{}",
        second["summary"]
    );
    assert_eq!(second["summary"]["from_cache"], 11);
    assert_eq!(first["summary"]["from_cache"], 0);
}

#[test]
fn a_fresh_copy_elsewhere_with_new_mtimes_still_hits() {
    let proj = mixed_project(7);
    let cache = cache_dir();
    let (first, _) = scan(proj.path(), cache.path(), &[]);
    let copy = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(proj.path()).into_iter().flatten() {
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(proj.path()).unwrap();
            write(
                copy.path(),
                rel.to_str().unwrap(),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    let (second, _) = scan(copy.path(), cache.path(), &[]);
    assert!(backends(&second).iter().all(|b| b == "cache"), "{second}");
    assert_eq!(normalised(second), normalised(first));
}

#[test]
fn options_and_rules_are_part_of_the_key() {
    let proj = mixed_project(7);
    let cache = cache_dir();
    scan(proj.path(), cache.path(), &[]);
    for args in [&["--no-rules"][..], &["--timeout", "9"][..]] {
        let (r, _) = scan(proj.path(), cache.path(), args);
        assert!(backends(&r).iter().all(|b| b == "direct"), "{args:?}: {r}");
    }
    // And --no-cache neither reads nor writes.
    let before = entries(cache.path()).len();
    let (r, _) = scan(proj.path(), cache.path(), &["--no-cache"]);
    assert!(backends(&r).iter().all(|b| b == "direct"));
    assert_eq!(entries(cache.path()).len(), before);
}

#[test]
fn damaged_entries_are_misses_never_results() {
    let proj = mixed_project(7);
    let cache = cache_dir();
    let (first, _) = scan(proj.path(), cache.path(), &[]);
    let files = entries(cache.path());
    for (i, path) in files.iter().enumerate() {
        let mut raw = std::fs::read(path).unwrap();
        match i % 3 {
            0 => raw.truncate(raw.len() / 2),
            1 => {
                let last = raw.len() - 1;
                raw[last] ^= 0x20;
            }
            _ => raw.clear(),
        }
        std::fs::write(path, raw).unwrap();
    }
    let (second, out) = scan(proj.path(), cache.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        backends(&second).iter().all(|b| b == "direct"),
        "a damaged entry was used: {:?}",
        backends(&second)
    );
    assert_eq!(normalised(second), normalised(first.clone()));
    // The damaged entries were replaced by sound ones.
    let (third, _) = scan(proj.path(), cache.path(), &[]);
    assert!(backends(&third).iter().all(|b| b == "cache"));
    assert_eq!(normalised(third), normalised(first));
}

#[test]
fn concurrent_scans_share_the_cache_without_torn_entries() {
    let proj = mixed_project(7);
    let cache = cache_dir();
    let children: Vec<_> = (0..4)
        .map(|_| {
            astscan(proj.path())
                .env_remove("ASTSCAN_NO_CACHE")
                .env("ASTSCAN_CACHE_DIR", cache.path())
                .args(["analyze", "--format", "json", "."])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let reports: Vec<Value> = children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            assert_eq!(out.status.code(), Some(1));
            normalised(serde_json::from_slice(&out.stdout).unwrap())
        })
        .collect();
    assert!(reports.windows(2).all(|w| w[0] == w[1]));
    let names: Vec<String> = entries(cache.path())
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 11, "{names:?}");
    assert!(names.iter().all(|n| !n.starts_with(".tmp")), "{names:?}");
    let (after, _) = scan(proj.path(), cache.path(), &[]);
    assert!(backends(&after).iter().all(|b| b == "cache"));
    assert_eq!(normalised(after), reports[0]);
}

#[test]
fn cache_stats_path_and_clear() {
    let proj = mixed_project(7);
    let cache = cache_dir();
    scan(proj.path(), cache.path(), &[]);
    let run = |args: &[&str]| {
        let out = astscan(proj.path())
            .env("ASTSCAN_CACHE_DIR", cache.path())
            .arg("cache")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let stats: Value = serde_json::from_slice(&run(&["stats", "--json"]).stdout).unwrap();
    assert_eq!(stats["entries"], 11, "{stats}");
    assert!(stats["bytes"].as_u64().unwrap() > 0);
    let path = String::from_utf8(run(&["path"]).stdout).unwrap();
    assert!(Path::new(path.trim()).starts_with(cache.path()), "{path}");
    let cleared = run(&["clear"]);
    assert!(String::from_utf8_lossy(&cleared.stderr).contains("removed 11 cached results"));
    let stats: Value = serde_json::from_slice(&run(&["stats", "--json"]).stdout).unwrap();
    assert_eq!(stats["entries"], 0);
    // A size cap below what one scan writes: the scan still succeeds, and the cache is
    // trimmed to the cap afterwards.
    scan(proj.path(), cache.path(), &["--cache-max-size", "2K"]);
    let stats: Value = serde_json::from_slice(&run(&["stats", "--json"]).stdout).unwrap();
    assert!(stats["bytes"].as_u64().unwrap() <= 2048, "{stats}");
}
