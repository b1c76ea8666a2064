//! The CI-facing report formats (`github`, `junit`) and a file read from standard input,
//! checked against the JSON report of the same scan.

use std::io::Write;
use std::process::Stdio;

use serde_json::Value;

use crate::util::{analyze_json, astscan, write};

/// A project with two findings in `app.py` (a name with a comma and a colon, which GitHub's
/// properties must escape), a clean file and a file that is skipped.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "src/a,b:app.py",
        "import os\n\ndef run(request):\n    os.system(request.args[\"cmd\"])\n    return eval(request.args[\"cmd\"])\n",
    );
    write(dir.path(), "src/clean.py", "def f(x):\n    return x\n");
    write(dir.path(), "src/blob.py", b"\0\x01\x02");
    dir
}

/// Findings of the JSON report: (path, rule, line).
fn findings(report: &Value) -> Vec<(String, String, u64)> {
    let mut out = Vec::new();
    for f in report["files"].as_array().unwrap() {
        for finding in f["findings"].as_array().into_iter().flatten() {
            out.push((
                f["path"].as_str().unwrap().to_string(),
                finding["rule_id"].as_str().unwrap().to_string(),
                finding["span"]["start"]["line"].as_u64().unwrap(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn github_format_was_not_available_for_pull_request_annotations() {
    let dir = project();
    let (report, _) = analyze_json(dir.path(), &["src"]);
    let want = findings(&report);
    assert_eq!(want.len(), 2, "{report}");
    let out = astscan(dir.path())
        .args(["analyze", "--format", "github", "src"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "findings fail the scan as usual"
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut got = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("::")) {
        let (command, message) = line[2..].split_once("::").expect("::level props::message");
        let (level, props) = command.split_once(' ').unwrap();
        assert_eq!(level, "error", "high findings are errors: {line}");
        assert!(!message.is_empty());
        let prop = |k: &str| {
            props
                .split(',')
                .find_map(|p| p.strip_prefix(&format!("{k}=")))
                .unwrap_or_else(|| panic!("{k} in {line}"))
                .to_string()
        };
        // Properties are escaped: the name's comma and colon cannot split or end them.
        let file = prop("file").replace("%2C", ",").replace("%3A", ":");
        let rule = prop("title");
        let rule = rule.split(' ').next().unwrap().to_string();
        got.push((file, rule, prop("line").parse::<u64>().unwrap()));
    }
    got.sort();
    assert_eq!(got, want, "{text}");
    assert!(text.contains("2 findings"), "the summary line: {text}");
}

#[test]
fn junit_format_was_not_available_for_ci_dashboards() {
    let dir = project();
    let out = astscan(dir.path())
        .args(["analyze", "--format", "junit", "src"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let attr = |n: roxmltree::Node, a: &str| n.attribute(a).unwrap().parse::<usize>().unwrap();
    // Two rules fired in one file (two failing cases); the clean file passes; the binary
    // file is skipped.
    assert_eq!(attr(root, "failures"), 2, "{xml}");
    assert_eq!(attr(root, "skipped"), 1, "{xml}");
    assert_eq!(attr(root, "tests"), 4, "{xml}");
    let cases: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 4);
    let failing: Vec<(&str, &str)> = cases
        .iter()
        .filter(|c| c.children().any(|k| k.has_tag_name("failure")))
        .map(|c| {
            (
                c.attribute("classname").unwrap(),
                c.attribute("name").unwrap(),
            )
        })
        .collect();
    assert!(
        failing
            .iter()
            .all(|(rule, file)| rule.starts_with("python.") && file.ends_with("a,b:app.py")),
        "{failing:?}"
    );
    // Each suite's counts add up to its cases.
    for suite in root.children().filter(|n| n.has_tag_name("testsuite")) {
        let n = suite
            .children()
            .filter(|c| c.has_tag_name("testcase"))
            .count();
        assert_eq!(attr(suite, "tests"), n);
    }
}

#[test]
fn a_file_from_stdin_is_scanned_under_the_name_given() {
    let dir = project();
    let source = std::fs::read(dir.path().join("src/a,b:app.py")).unwrap();
    let mut child = astscan(dir.path())
        .args([
            "analyze",
            "--format",
            "json",
            "--stdin-filename",
            "web/handler.py",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&source).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["path"], "web/handler.py");
    assert_eq!(files[0]["language"], "python");
    // The same findings as the file on disk.
    let (disk, _) = analyze_json(dir.path(), &["src/a,b:app.py"]);
    let rules = |r: &Value| -> Vec<(String, u64)> {
        findings(r)
            .into_iter()
            .map(|(_, rule, line)| (rule, line))
            .collect()
    };
    assert_eq!(rules(&report), rules(&disk));

    // `-` alone cannot choose a language: a clear error, exit 2.
    let out = astscan(dir.path())
        .args(["analyze", "-"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--stdin-filename"), "{err}");
}

#[test]
fn gitlab_format_was_not_available_for_merge_request_security_reports() {
    let dir = project();
    let (report, _) = analyze_json(dir.path(), &["src"]);
    let want = findings(&report);
    let out = astscan(dir.path())
        .args(["analyze", "--format", "gitlab", "src"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    // What GitLab refuses a report for when it is missing or malformed (its documented
    // ingestion errors): the version's form, the scan's times and status, named tools.
    let version = doc["version"].as_str().unwrap();
    assert_eq!(version.split('.').count(), 3, "{version}");
    assert!(version.split('.').all(|n| n.parse::<u32>().is_ok()));
    let scan = &doc["scan"];
    assert_eq!(scan["type"], "sast");
    assert_eq!(scan["status"], "success");
    for key in ["start_time", "end_time"] {
        let t = scan[key].as_str().unwrap();
        assert_eq!(t.len(), 19, "{key}: {t}");
        assert_eq!(&t[10..11], "T", "{key}: {t}");
    }
    for tool in ["analyzer", "scanner"] {
        for field in [
            &scan[tool]["id"],
            &scan[tool]["name"],
            &scan[tool]["vendor"]["name"],
        ] {
            assert!(!field.as_str().unwrap().is_empty(), "{scan}");
        }
    }
    let mut got = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    for v in doc["vulnerabilities"].as_array().unwrap() {
        assert!(
            ids.insert(v["id"].as_str().unwrap().to_string()),
            "ids are unique"
        );
        // Command and code injection from request data are critical.
        assert_eq!(v["severity"], "Critical", "{v}");
        let identifiers = v["identifiers"].as_array().unwrap();
        assert!(!identifiers.is_empty());
        for i in identifiers {
            assert!(!i["name"].as_str().unwrap().is_empty(), "{i}");
        }
        got.push((
            v["location"]["file"].as_str().unwrap().to_string(),
            identifiers[0]["value"].as_str().unwrap().to_string(),
            v["location"]["start_line"].as_u64().unwrap(),
        ));
    }
    got.sort();
    assert_eq!(got, want, "{doc}");
}
