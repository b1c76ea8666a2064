//! `--staged` (the index's content) and `--diff REV` (changes since a merge base) on real git
//! repositories made in temporary directories.

use std::path::Path;

use serde_json::Value;

use crate::util::{analyze_json, assert_summary_consistent, commit, git, write};

const VULNERABLE: &str = "def run(request):\n    return eval(request.args[\"x\"])\n";
const CLEAN: &str = "def run(x):\n    return x\n";

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    dir
}

/// (path, status, finding lines) for every reported file.
fn files(report: &Value) -> Vec<(String, String, Vec<u64>)> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let lines = f["findings"]
                .as_array()
                .map(|fs| {
                    fs.iter()
                        .map(|x| x["span"]["start"]["line"].as_u64().unwrap())
                        .collect()
                })
                .unwrap_or_default();
            (
                f["path"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
                lines,
            )
        })
        .collect()
}

#[test]
fn staged_scans_the_index_not_the_working_tree() {
    let r = repo();
    // Staged: a vulnerable version, its finding on line 4 of the staged file.
    write(r.path(), "app.py", format!("import os\n\n{VULNERABLE}"));
    git(r.path(), &["add", "app.py"]);
    // Working tree: the finding fixed and lines inserted above, unstaged.
    write(r.path(), "app.py", format!("# a\n# b\n# c\n{CLEAN}"));
    let (report, out) = analyze_json(r.path(), &["--staged"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the staged content has a finding"
    );
    assert_eq!(
        files(&report),
        [("app.py".to_string(), "parsed".to_string(), vec![4])]
    );
    // The working tree itself is clean.
    let (_, out) = analyze_json(r.path(), &["app.py"]);
    assert_eq!(out.status.code(), Some(0));

    // The reverse: a clean index passes even with a vulnerable working tree.
    write(r.path(), "app.py", CLEAN);
    git(r.path(), &["add", "app.py"]);
    write(r.path(), "app.py", VULNERABLE);
    let (report, out) = analyze_json(r.path(), &["--staged"]);
    assert_eq!(out.status.code(), Some(0), "{report}");
}

#[test]
fn staged_handles_renames_deletions_binaries_submodules_and_non_source_files() {
    let r = repo();
    write(r.path(), "old.py", VULNERABLE);
    write(r.path(), "gone.py", VULNERABLE);
    write(r.path(), "keep.py", VULNERABLE);
    git(r.path(), &["add", "."]);
    commit(r.path(), "base");
    git(r.path(), &["mv", "old.py", "new.py"]);
    git(r.path(), &["rm", "-q", "gone.py"]);
    write(r.path(), "data.py", b"x = 1\0\0\0binary\n");
    write(r.path(), "README.md", "# docs\n");
    write(r.path(), "src/ok.js", "function f(a) { return a; }\n");
    let sub = tempfile::tempdir().unwrap();
    git(sub.path(), &["init", "-q"]);
    write(sub.path(), "lib.py", VULNERABLE);
    git(sub.path(), &["add", "."]);
    commit(sub.path(), "sub");
    git(
        r.path(),
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            sub.path().to_str().unwrap(),
            "vendor/lib",
        ],
    );
    git(r.path(), &["add", "."]);
    let (report, out) = analyze_json(r.path(), &["--staged"]);
    assert_summary_consistent(&report);
    let got = files(&report);
    let names: Vec<&str> = got.iter().map(|f| f.0.as_str()).collect();
    // keep.py is unchanged, gone.py deleted, README.md not source code, .gitmodules neither:
    // none of them is an input. The renamed file is reported under its new name.
    assert_eq!(
        names,
        ["data.py", "new.py", "src/ok.js", "vendor/lib"],
        "{report}"
    );
    let by = |name: &str| {
        report["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(by("data.py")["reason_code"], "binary");
    assert_eq!(by("vendor/lib")["reason_code"], "submodule");
    assert_eq!(by("vendor/lib")["status"], "skipped");
    assert_eq!(got[1].2, vec![2], "the renamed file's finding");
    assert_eq!(out.status.code(), Some(1));

    // PATHS restrict the staged set.
    let (report, _) = analyze_json(r.path(), &["--staged", "src"]);
    let names: Vec<String> = files(&report).into_iter().map(|f| f.0).collect();
    assert_eq!(names, ["src/ok.js"]);
}

#[test]
fn staged_from_a_subdirectory_reports_paths_from_the_repository_root() {
    let r = repo();
    write(r.path(), "pkg/mod.py", VULNERABLE);
    write(r.path(), "top.py", CLEAN);
    git(r.path(), &["add", "."]);
    let (report, _) = analyze_json(&r.path().join("pkg"), &["--staged"]);
    let names: Vec<String> = files(&report).into_iter().map(|f| f.0).collect();
    // JSON paths are relative to the repository's root, wherever astscan runs.
    assert_eq!(names, ["pkg/mod.py", "top.py"]);
    // The text report names them from the working directory: relative inside it, absolute
    // elsewhere in the repository.
    let out = crate::util::astscan(&r.path().join("pkg"))
        .args(["analyze", "--staged"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("\nmod.py:") || text.starts_with("mod.py:"),
        "{text}"
    );
}

#[test]
fn staged_and_diff_outside_a_repository_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", CLEAN);
    for args in [&["--staged"][..], &["--diff", "main"][..]] {
        let out = crate::util::astscan(dir.path())
            .arg("analyze")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("is not inside a git repository"), "{err}");
        assert!(out.stdout.is_empty());
    }
    let r = repo();
    write(r.path(), "a.py", CLEAN);
    git(r.path(), &["add", "."]);
    commit(r.path(), "one");
    let out = crate::util::astscan(r.path())
        .args(["analyze", "--diff", "no-such-branch"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-branch"), "{err}");
}

#[test]
fn diff_scans_committed_staged_unstaged_and_untracked_changes_only() {
    let r = repo();
    write(r.path(), "unchanged.py", VULNERABLE);
    write(r.path(), "committed.py", CLEAN);
    write(r.path(), "staged.py", CLEAN);
    write(r.path(), "unstaged.py", CLEAN);
    write(r.path(), "deleted.py", CLEAN);
    write(r.path(), ".gitignore", "ignored.py\n");
    git(r.path(), &["add", "."]);
    commit(r.path(), "base");
    git(r.path(), &["checkout", "-q", "-b", "feature"]);
    write(r.path(), "committed.py", VULNERABLE);
    git(r.path(), &["add", "committed.py"]);
    commit(r.path(), "feature work");
    // main moves on too: its changes are not the branch's.
    git(r.path(), &["checkout", "-q", "main"]);
    write(r.path(), "main_only.py", VULNERABLE);
    git(r.path(), &["add", "main_only.py"]);
    commit(r.path(), "main work");
    git(r.path(), &["checkout", "-q", "feature"]);
    write(r.path(), "staged.py", VULNERABLE);
    git(r.path(), &["add", "staged.py"]);
    write(r.path(), "unstaged.py", VULNERABLE);
    git(r.path(), &["rm", "-q", "deleted.py"]);
    write(r.path(), "untracked.py", VULNERABLE);
    write(r.path(), "ignored.py", VULNERABLE);
    let (report, out) = analyze_json(r.path(), &["--diff", "main"]);
    assert_summary_consistent(&report);
    let got = files(&report);
    let names: Vec<&str> = got.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        names,
        ["committed.py", "staged.py", "unstaged.py", "untracked.py"],
        "{report}"
    );
    assert!(got.iter().all(|f| f.2 == vec![2]), "{got:?}");
    assert_eq!(out.status.code(), Some(1));

    // Nothing changed: nothing scanned, and that passes.
    let (report, out) = analyze_json(r.path(), &["--diff", "HEAD", "--lang", "go"]);
    assert_eq!(report["files"].as_array().unwrap().len(), 0, "{report}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn sarif_fingerprints_stay_stable_across_commits_that_insert_lines_above() {
    let r = repo();
    let body = "import os\n\ndef run(request):\n    os.system(request.args[\"cmd\"])\n    return eval(request.args[\"cmd\"])\n";
    write(r.path(), "app.py", body);
    git(r.path(), &["add", "."]);
    commit(r.path(), "first");
    let sarif = |dir: &Path| -> Vec<(String, String, u64)> {
        let out = crate::util::astscan(dir)
            .args(["analyze", "--format", "sarif", "."])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut results: Vec<(String, String, u64)> = doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["partialFingerprints"]["primaryLocationLineHash"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect();
        results.sort();
        results
    };
    let before = sarif(r.path());
    assert_eq!(before.len(), 2, "{before:?}");
    // The second commit adds a docstring and an unrelated function above the findings.
    write(
        r.path(),
        "app.py",
        format!("\"\"\"Tools.\"\"\"\n\n\ndef unrelated():\n    return 1\n\n\n{body}"),
    );
    git(r.path(), &["add", "."]);
    commit(r.path(), "second");
    let after = sarif(r.path());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((&b.0, &b.1), (&a.0, &a.1), "fingerprint changed");
        assert_eq!(a.2, b.2 + 7, "the finding moved down 7 lines");
    }
}
