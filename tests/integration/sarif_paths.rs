//! SARIF and JSON locations: one root whatever the invocation, `%SRCROOT%` defined, files
//! outside the root as absolute `file://` URIs, the run's category, and suppressions that let
//! code scanning close suppressed and baselined alerts.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::util::{assert_valid_sarif, astscan, commit, git, write};

const APP: &str = "import os\n\n\ndef run(request):\n    os.system(request.args[\"c\"])\n";

/// A git repository with findings in two directories and one suppressed finding.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "src/app.py", APP);
    write(
        dir.path(),
        "src/pkg/tool.py",
        "import os\n\n\ndef go(request):\n    os.popen(request.args[\"c\"])\n    os.system(request.args[\"c\"])  # astscan-ignore[python.command-injection.tainted-command]: input is checked\n",
    );
    write(dir.path(), "lib/other.py", APP);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    commit(dir.path(), "initial");
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    astscan(dir).args(args).output().expect("running astscan")
}

fn sarif_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The document with the invocation's timing fields (if any) removed, else byte for byte.
fn without_timings(bytes: &[u8]) -> Vec<u8> {
    let mut doc: Value = serde_json::from_slice(bytes).expect("SARIF is JSON");
    let mut removed = false;
    for run in doc["runs"].as_array_mut().into_iter().flatten() {
        for inv in run["invocations"].as_array_mut().into_iter().flatten() {
            for key in ["startTimeUtc", "endTimeUtc"] {
                removed |= inv.as_object_mut().and_then(|o| o.remove(key)).is_some();
            }
        }
    }
    if removed {
        serde_json::to_vec(&doc).expect("serialises")
    } else {
        bytes.to_vec()
    }
}

/// `(uri, uriBaseId)` of every result, in order.
fn locations(sarif: &Value) -> Vec<(String, Option<String>)> {
    sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let a = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            (
                a["uri"].as_str().expect("uri").to_string(),
                a["uriBaseId"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// `file://` URI of a directory, with the trailing slash (the test paths need no escaping).
fn dir_uri(dir: &Path) -> String {
    let real = dir.canonicalize().expect("canonical");
    format!("file://{}/", real.display())
}

#[test]
fn sarif_locations_changed_with_how_the_scan_was_invoked() {
    let repo = repository();
    let root = repo.path();
    let abs = root.canonicalize().expect("canonical");
    let abs = abs.to_str().expect("utf-8 temp path");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let invocations: [(&Path, Vec<&str>); 5] = [
        (root, vec![]),
        (root, vec!["."]),
        (&root.join("src"), vec![".."]),
        (&root.join("src"), vec![abs]),
        (elsewhere.path(), vec![abs]),
    ];
    let mut outputs = Vec::new();
    for (cwd, paths) in &invocations {
        let out = run(
            cwd,
            &[&["analyze", "--format", "sarif"][..], paths].concat(),
        );
        assert_eq!(
            out.status.code(),
            Some(1),
            "{paths:?} from {}: {}",
            cwd.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        outputs.push(out);
    }
    let first = sarif_of(&outputs[0]);
    assert_valid_sarif(&first);
    let src = Some("%SRCROOT%".to_string());
    assert_eq!(
        locations(&first),
        [
            ("lib/other.py".to_string(), src.clone()),
            ("src/app.py".to_string(), src.clone()),
            ("src/pkg/tool.py".to_string(), src.clone()),
            ("src/pkg/tool.py".to_string(), src.clone()),
        ]
    );
    assert_eq!(
        first["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        dir_uri(root)
    );
    for ((cwd, paths), out) in invocations.iter().zip(&outputs).skip(1) {
        assert!(
            without_timings(&out.stdout) == without_timings(&outputs[0].stdout),
            "{paths:?} from {} differs from `analyze` at the root:\n{:?}\nvs\n{:?}",
            cwd.display(),
            locations(&sarif_of(out)),
            locations(&first)
        );
    }
}

#[test]
fn json_paths_changed_with_how_the_scan_was_invoked() {
    let repo = repository();
    let root = repo.path();
    let abs = root.canonicalize().expect("canonical");
    let abs = abs.to_str().expect("utf-8 temp path");
    let json_paths = |cwd: &Path, paths: &[&str]| -> Vec<String> {
        let (report, _) = crate::util::analyze_json(cwd, paths);
        crate::util::paths(&report)
    };
    let expected = ["lib/other.py", "src/app.py", "src/pkg/tool.py"];
    assert_eq!(json_paths(root, &[]), expected);
    assert_eq!(json_paths(root, &["."]), expected);
    assert_eq!(json_paths(&root.join("src"), &[".."]), expected);
    assert_eq!(json_paths(&root.join("src/pkg"), &[abs]), expected);
    // A subdirectory as the argument: still relative to the repository's root.
    assert_eq!(json_paths(&root.join("src"), &["pkg"]), ["src/pkg/tool.py"]);
}

#[test]
fn files_outside_the_root_were_given_relative_to_an_undefined_srcroot() {
    let repo = repository();
    let root = repo.path();
    // --path-root src: lib/ is outside it.
    let out = run(
        root,
        &["analyze", "--format", "sarif", "--path-root", "src", "."],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sarif = sarif_of(&out);
    assert_valid_sarif(&sarif);
    assert_eq!(
        sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        dir_uri(&root.join("src"))
    );
    let outside = format!(
        "file://{}",
        root.join("lib/other.py")
            .canonicalize()
            .expect("canonical")
            .display()
    );
    let src = Some("%SRCROOT%".to_string());
    assert_eq!(
        locations(&sarif),
        [
            (outside.clone(), None),
            ("app.py".to_string(), src.clone()),
            ("pkg/tool.py".to_string(), src.clone()),
            ("pkg/tool.py".to_string(), src),
        ]
    );
    let (report, _) = crate::util::analyze_json(root, &["--path-root", "src"]);
    assert_eq!(
        crate::util::paths(&report),
        [&outside["file://".len()..], "app.py", "pkg/tool.py"]
    );

    // Outside any git work tree the root is the current directory; a file elsewhere keeps
    // its absolute path.
    let plain = tempfile::tempdir().expect("tempdir");
    write(plain.path(), "a.py", APP);
    let other = tempfile::tempdir().expect("tempdir");
    let far = write(other.path(), "far.py", APP);
    let far = far.canonicalize().expect("canonical");
    let out = run(
        plain.path(),
        &[
            "analyze",
            "--format",
            "sarif",
            "./a.py",
            far.to_str().expect("utf-8"),
        ],
    );
    let sarif = sarif_of(&out);
    assert_valid_sarif(&sarif);
    assert_eq!(
        sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        dir_uri(plain.path())
    );
    assert_eq!(
        locations(&sarif),
        [
            ("a.py".to_string(), Some("%SRCROOT%".to_string())),
            (format!("file://{}", far.display()), None),
        ]
    );

    let out = run(
        root,
        &["analyze", "--format", "sarif", "--path-root", "nowhere"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--path-root nowhere"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn baselined_findings_stayed_open_in_code_scanning() {
    let repo = repository();
    let root = repo.path();
    let out = run(
        root,
        &["analyze", "--write-baseline", "baseline.json", "src"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    write(root, "src/new.py", APP);
    let out = run(
        root,
        &[
            "analyze",
            "--format",
            "sarif",
            "--baseline",
            "baseline.json",
            "src",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "only the new finding counts: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sarif = sarif_of(&out);
    assert_valid_sarif(&sarif);
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let kinds: Vec<(String, Value)> = results
        .iter()
        .map(|r| {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
                .to_string();
            (uri, r["suppressions"][0]["kind"].clone())
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("src/app.py".to_string(), Value::from("external")),
            ("src/new.py".to_string(), Value::Null),
            ("src/pkg/tool.py".to_string(), Value::from("external")),
            ("src/pkg/tool.py".to_string(), Value::from("inSource")),
        ],
        "{results:#?}"
    );
    // The suppressed and baselined findings are in the report but not in the counts.
    let (report, out) = crate::util::analyze_json(root, &["--baseline", "baseline.json", "src"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(report["summary"]["findings"], 1);
    assert_eq!(report["summary"]["baselined"], 2);
    assert_eq!(report["summary"]["suppressed"], 1);
}

#[test]
fn sarif_runs_had_no_category() {
    let repo = repository();
    let out = run(repo.path(), &["analyze", "--format", "sarif", "src/app.py"]);
    let sarif = sarif_of(&out);
    assert_valid_sarif(&sarif);
    assert_eq!(sarif["runs"][0]["automationDetails"]["id"], "astscan/");
    let out = run(
        repo.path(),
        &[
            "analyze",
            "--format",
            "sarif",
            "--sarif-category",
            "backend/python",
            "src/app.py",
        ],
    );
    let sarif = sarif_of(&out);
    assert_valid_sarif(&sarif);
    assert_eq!(
        sarif["runs"][0]["automationDetails"]["id"],
        "backend/python/"
    );
}

#[test]
fn a_baseline_written_at_the_root_did_not_match_a_scan_from_a_subdirectory() {
    let dir = repository();
    let out = run(
        dir.path(),
        &["analyze", "--write-baseline", "baseline.json", "."],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "writing a baseline accepts findings"
    );
    let written = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(
        written.contains("\"src/app.py\"") && !written.contains("./"),
        "paths relative to the root: {written}"
    );
    // Run from src/, naming the baseline and the files relative to there.
    let out = run(
        &dir.path().join("src"),
        &[
            "analyze",
            "--format",
            "json",
            "--baseline",
            "../baseline.json",
            ".",
        ],
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "every finding is in the baseline: {}",
        report["summary"]
    );
    assert_eq!(report["summary"]["findings"], 0);
    assert!(report["summary"]["baselined"].as_u64().unwrap() >= 2);
    // A baseline written by an earlier version from the root (`./src/app.py`) still matches.
    let old = written
        .replace("\"src/", "\"./src/")
        .replace("\"lib/", "\"./lib/");
    std::fs::write(dir.path().join("old.json"), old).unwrap();
    let out = run(dir.path(), &["analyze", "--baseline", "old.json", "."]);
    assert_eq!(out.status.code(), Some(0));
}
