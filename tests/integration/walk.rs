//! Which files are inputs: ignore files in a real git repository, explicit file arguments
//! (filtered by the same rules), hidden files, symbolic links.

use crate::util::{analyze_json, file, git, paths, write};

/// A git repository with one file ignored by each mechanism.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(
        root,
        ".gitignore",
        "ignored_by_git.py\nbuild/\n!build/keep.py\n",
    );
    write(root, ".astscanignore", "ignored_by_astscan.py\n");
    write(root, "sub/.ignore", "ignored_by_dot_ignore.py\n");
    write(root, ".git/info/exclude", "ignored_by_exclude.py\n");
    for f in [
        "ok.py",
        "ignored_by_git.py",
        "ignored_by_astscan.py",
        "sub/ignored_by_dot_ignore.py",
        "sub/ok.py",
        "ignored_by_exclude.py",
        "build/out.py",
        ".hidden.py",
    ] {
        write(root, f, "x = 1\n");
    }
    dir
}

#[test]
fn directory_walk_honours_every_ignore_file() {
    let dir = repo();
    let (report, out) = analyze_json(dir.path(), &[]);
    assert!(out.status.success());
    assert_eq!(paths(&report), ["ok.py", "sub/ok.py"]);
    let (report, _) = analyze_json(dir.path(), &["--hidden"]);
    assert_eq!(paths(&report), [".hidden.py", "ok.py", "sub/ok.py"]);
    let (report, _) = analyze_json(dir.path(), &["--no-ignore"]);
    assert_eq!(
        paths(&report),
        [
            "build/out.py",
            "ignored_by_astscan.py",
            "ignored_by_exclude.py",
            "ignored_by_git.py",
            "ok.py",
            "sub/ignored_by_dot_ignore.py",
            "sub/ok.py"
        ]
    );
}

#[test]
fn explicit_files_are_filtered_by_the_same_ignore_rules() {
    let dir = repo();
    let args = [
        "ok.py",
        "ignored_by_git.py",
        "ignored_by_astscan.py",
        "sub/ignored_by_dot_ignore.py",
        "ignored_by_exclude.py",
        "build/out.py",
        ".hidden.py",
    ];
    let (report, out) = analyze_json(dir.path(), &args);
    assert!(
        out.status.success(),
        "ignored files are skipped, not failures"
    );
    assert_eq!(file(&report, "ok.py")["status"], "parsed");
    // Named explicitly, a hidden file is scanned: hidden-ness only applies to walks.
    assert_eq!(file(&report, ".hidden.py")["status"], "parsed");
    for (path, by) in [
        ("ignored_by_git.py", ".gitignore"),
        ("ignored_by_astscan.py", ".astscanignore"),
        ("sub/ignored_by_dot_ignore.py", "sub/.ignore"),
        ("ignored_by_exclude.py", ".git/info/exclude"),
        ("build/out.py", ".gitignore"),
    ] {
        let f = file(&report, path);
        assert_eq!(f["status"], "skipped", "{path}");
        assert_eq!(f["reason_code"], "ignored", "{path}");
        assert!(
            f["reason"].as_str().unwrap_or_default().ends_with(by),
            "{path}: {}",
            f["reason"]
        );
    }
    let (report, _) = analyze_json(dir.path(), &[&["--no-ignore"][..], &args[..]].concat());
    assert!(
        report["files"]
            .as_array()
            .expect("files")
            .iter()
            .all(|f| f["status"] == "parsed")
    );
}

#[test]
fn negated_patterns_and_deeper_ignore_files_take_precedence() {
    let dir = repo();
    write(dir.path(), "build/keep.py", "x = 1\n");
    write(dir.path(), "sub/.gitignore", "*.gen.py\n");
    write(dir.path(), "sub/a.gen.py", "x = 1\n");
    let (report, _) = analyze_json(dir.path(), &["build/keep.py", "sub/a.gen.py"]);
    // `build/` excludes the directory; git cannot re-include a file inside an excluded
    // directory, and neither do we.
    assert_eq!(file(&report, "build/keep.py")["reason_code"], "ignored");
    assert_eq!(file(&report, "sub/a.gen.py")["reason_code"], "ignored");
}

#[test]
fn outside_a_git_repository_gitignore_does_not_apply_but_ignore_files_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), ".gitignore", "a.py\n");
    write(dir.path(), ".ignore", "b.py\n");
    write(dir.path(), "a.py", "x = 1\n");
    write(dir.path(), "b.py", "x = 1\n");
    let (report, _) = analyze_json(dir.path(), &[]);
    assert_eq!(paths(&report), ["a.py"]);
    let (report, _) = analyze_json(dir.path(), &["a.py", "b.py"]);
    assert_eq!(file(&report, "a.py")["status"], "parsed");
    assert_eq!(file(&report, "b.py")["reason_code"], "ignored");
}

#[test]
fn explicit_unsupported_files_are_reported_as_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "README.md", "# hi\n");
    write(dir.path(), "tool", "#!/bin/sh\necho hi\n");
    write(dir.path(), "app.rb", "x = 1\n");
    let (report, out) = analyze_json(dir.path(), &["README.md", "tool", "app.rb"]);
    assert!(out.status.success());
    assert_eq!(file(&report, "README.md")["reason_code"], "unsupported");
    assert_eq!(file(&report, "tool")["reason_code"], "unsupported");
    // In a directory walk, non-source files are not inputs at all.
    let (report, _) = analyze_json(dir.path(), &[]);
    assert_eq!(paths(&report), ["app.rb"]);
}

#[test]
fn symlinks_are_not_followed_unless_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "real/a.py", "x = 1\n");
    std::os::unix::fs::symlink("real", dir.path().join("link")).expect("symlink");
    let (report, _) = analyze_json(dir.path(), &[]);
    assert_eq!(paths(&report), ["real/a.py"]);
    let (report, _) = analyze_json(dir.path(), &["--follow"]);
    assert_eq!(paths(&report), ["link/a.py", "real/a.py"]);
}

/// Large files go to the workers before the walk proper (so one met last does not keep a
/// worker busy alone at the end); the report still lists every file once, in walk order,
/// each with its own result.
#[test]
fn large_files_sent_first_are_reported_in_walk_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, ".gitignore", "ignored_big.py\n");
    let big = |n: usize, tail: &str| {
        let mut s: String = (0..n).map(|i| format!("value_{i} = {i}\n")).collect();
        s.push_str(tail);
        s
    };
    // 300 KB and more: above the size at which files are sent first.
    write(root, "a_small.py", "x = 1\n");
    write(
        root,
        "m_big.py",
        big(
            20_000,
            "def f(request):\n    return eval(request.args[\"x\"])\n",
        ),
    );
    write(root, "n_small.py", "y = 2\n");
    write(root, "z/zz_big.py", big(30_000, ""));
    write(root, "z/zzz_too_big.py", big(60_000, ""));
    write(root, "ignored_big.py", big(20_000, ""));
    for jobs in ["1", "2"] {
        let (report, out) = analyze_json(
            root,
            &[
                "--jobs",
                jobs,
                "--fail-on",
                "never",
                "--max-file-size",
                "1M",
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            paths(&report),
            [
                "a_small.py",
                "m_big.py",
                "n_small.py",
                "z/zz_big.py",
                "z/zzz_too_big.py"
            ]
        );
        let m = file(&report, "m_big.py");
        assert_eq!(m["status"], "parsed");
        assert_eq!(m["lines"], 20_002);
        assert_eq!(m["findings"][0]["span"]["start"]["line"], 20_002);
        assert_eq!(file(&report, "z/zz_big.py")["lines"], 30_000);
        assert_eq!(file(&report, "z/zzz_too_big.py")["status"], "skipped");
        crate::util::assert_summary_consistent(&report);
    }
}
