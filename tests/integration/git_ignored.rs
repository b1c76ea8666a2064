//! Tracked files that a `.gitignore` matches: git applies ignore files to untracked files only,
//! so a `.gitignore` committed after a file must not hide that file from full scans, `--staged`
//! or `--diff`. Explicit excludes still leave such a file out, and say so by name.

use serde_json::Value;

use crate::util::{analyze_json, assert_summary_consistent, commit, file, git, paths, write};

const VULNERABLE: &str = "def run(request):\n    return eval(request.args[\"x\"])\n";
const CLEAN: &str = "def run(x):\n    return x\n";

/// A repository where `app.py` (with a finding on line 2) and `vendor/v.py` were committed
/// before a `.gitignore` matching them was; `local.py` is ignored and never tracked.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(root, "app.py", VULNERABLE);
    write(root, "a.py", CLEAN);
    write(root, "vendor/v.py", CLEAN);
    // After `vendor/v.py` in walk order, before it in git's (byte) order.
    write(root, "vendor-x.py", CLEAN);
    write(root, "z/z.py", CLEAN);
    git(root, &["add", "."]);
    commit(root, "code");
    write(root, ".gitignore", "app.py\nvendor/\nlocal.py\n");
    git(root, &["add", ".gitignore"]);
    commit(root, "ignore generated files");
    write(root, "local.py", VULNERABLE);
    dir
}

/// The finding lines of one file's record.
fn finding_lines(record: &Value) -> Vec<u64> {
    record["findings"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .filter_map(|f| f["span"]["start"]["line"].as_u64())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn full_scan_drops_a_tracked_file_a_later_gitignore_matches() {
    let r = repo();
    for args in [&[][..], &["."][..]] {
        let (report, out) = analyze_json(r.path(), args);
        assert_summary_consistent(&report);
        assert_eq!(out.status.code(), Some(1), "{report}");
        // JSON paths are relative to the repository's root, with or without `.`.
        let want: Vec<String> = ["a.py", "app.py", "vendor/v.py", "vendor-x.py", "z/z.py"]
            .iter()
            .map(|p| p.to_string())
            .collect();
        // Tracked files in walk order among the others; the untracked ignored file is not
        // an input.
        assert_eq!(paths(&report), want, "{report}");
        // The same order as a walk that reads no ignore file at all.
        let (all, _) = analyze_json(r.path(), &[args, &["--no-ignore"][..]].concat());
        let all: Vec<String> = paths(&all)
            .into_iter()
            .filter(|p| !p.ends_with("local.py"))
            .collect();
        assert_eq!(all, want);
        let app = file(&report, "app.py");
        assert_eq!(app["status"], "parsed");
        assert_eq!(finding_lines(app), vec![2]);
    }
}

#[test]
fn staged_drops_a_tracked_file_a_gitignore_matches() {
    let r = repo();
    write(r.path(), "app.py", format!("# changed\n{VULNERABLE}"));
    git(r.path(), &["add", "-f", "app.py"]);
    let (report, out) = analyze_json(r.path(), &["--staged"]);
    assert_summary_consistent(&report);
    assert_eq!(paths(&report), ["app.py"], "{report}");
    let app = file(&report, "app.py");
    assert_eq!(app["status"], "parsed", "{report}");
    assert_eq!(finding_lines(app), vec![3]);
    assert_eq!(out.status.code(), Some(1));

    // `--diff` lists it the same way.
    let (report, out) = analyze_json(r.path(), &["--diff", "HEAD"]);
    assert_eq!(file(&report, "app.py")["status"], "parsed", "{report}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn explicit_excludes_still_skip_tracked_ignored_files_by_name() {
    let r = repo();
    let skipped = |report: &Value, path: &str, by: &str| {
        let f = file(report, path);
        assert_eq!(f["status"], "skipped", "{path}: {report}");
        assert_eq!(f["reason_code"], "ignored", "{path}");
        let reason = f["reason"].as_str().unwrap_or_default();
        assert!(reason.contains(by), "{path}: {reason}");
    };

    let (report, out) = analyze_json(r.path(), &["--exclude", "app.py", "--exclude", "vendor"]);
    assert_summary_consistent(&report);
    assert_eq!(out.status.code(), Some(0), "{report}");
    skipped(&report, "app.py", "--exclude");
    skipped(&report, "vendor/v.py", "--exclude");

    write(r.path(), ".astscanignore", "app.py\n");
    let (report, out) = analyze_json(r.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{report}");
    skipped(&report, "app.py", ".astscanignore");
    assert_eq!(file(&report, "vendor/v.py")["status"], "parsed");
    std::fs::remove_file(r.path().join(".astscanignore")).unwrap();

    write(r.path(), ".astscan.toml", "exclude = [\"app.py\"]\n");
    let (report, out) = analyze_json(r.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{report}");
    skipped(&report, "app.py", ".astscan.toml");
    std::fs::remove_file(r.path().join(".astscan.toml")).unwrap();

    write(r.path(), "app.py", format!("# changed\n{VULNERABLE}"));
    git(r.path(), &["add", "-f", "app.py"]);
    let (report, out) = analyze_json(r.path(), &["--staged", "--exclude", "app.py"]);
    assert_eq!(out.status.code(), Some(0), "{report}");
    skipped(&report, "app.py", "--exclude");
}
