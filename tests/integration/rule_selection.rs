//! Rule selection fails closed, and one configuration per scan: selectors that match no rule
//! are errors with a suggestion (in `.astscan.toml` and in `--enable`/`--disable`), a selection
//! that leaves no rule exits 2, user rules are validated as deeply as by `rules test` (once per
//! content while the cache is on), and the configuration does not depend on the order of the
//! paths.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::util::{analyze_json, astscan, file, write};

/// `eval` of a parameter: a finding of `python.code-injection.eval` (high).
const APP: &str = "def run(request):\n    return eval(request.args[\"cmd\"])\n";

/// A user rule whose pattern can never match: a call's `function` field is never an import
/// statement. It compiles as workers compile it; tree-sitter's analysis of the pattern as
/// written (what `rules test` runs) rejects it.
const NEVER_MATCHES: &str = r#"
rules:
  - id: custom.python.import-call
    message: a call of an import statement.
    severity: high
    confidence: high
    cwe: CWE-95
    owasp: A03:2021-Injection
    languages: [python]
    query: |
      (call function: (import_statement) @fn) @match
"#;

/// The same rule written so that it can match.
const MATCHES: &str = r#"
rules:
  - id: custom.python.import-call
    message: a call of an identifier.
    severity: high
    confidence: high
    cwe: CWE-95
    owasp: A03:2021-Injection
    languages: [python]
    query: |
      (call function: (identifier) @fn) @match
"#;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Rule ids of the findings of `path` in a JSON report.
fn rule_ids(report: &Value, path: &str) -> Vec<String> {
    file(report, path)["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Runs `astscan analyze ARGS` in `dir` (text report) and returns its output.
fn analyze(dir: &Path, args: &[&str]) -> Output {
    astscan(dir)
        .arg("analyze")
        .args(args)
        .output()
        .expect("running astscan")
}

#[test]
fn a_mistyped_enable_glob_in_the_config_is_an_error_not_a_scan_without_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", APP);
    write(dir.path(), ".astscan.toml", "enable = [\"pyhton.*\"]\n");
    let out = analyze(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("enable: \"pyhton.*\" matches no rule (did you mean \"python.*\"?)")
            && err.contains(".astscan.toml"),
        "{err}"
    );
}

#[test]
fn unknown_ids_in_disable_are_errors_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", APP);
    write(
        dir.path(),
        ".astscan.toml",
        "disable = [\"python.code-injection.evl\", \"CWE-99999\"]\n",
    );
    let out = analyze(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "disable: \"python.code-injection.evl\" matches no rule (did you mean \"python.code-injection.eval\"?)"
        ),
        "{err}"
    );
    assert!(err.contains("\"CWE-99999\" matches no rule"), "{err}");
    // Selectors of built-in rules stay valid when --no-rules skips them.
    write(
        dir.path(),
        ".astscan.toml",
        "disable = [\"python.code-injection.eval\"]\n",
    );
    let (_, out) = analyze_json(dir.path(), &["--no-rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn enable_and_disable_flags_select_rules_and_refuse_unknown_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "import hashlib\n\ndef run(request):\n    hashlib.md5(b\"x\")\n    return eval(request.args[\"cmd\"])\n",
    );
    let (all, _) = analyze_json(dir.path(), &[]);
    let all = rule_ids(&all, "app.py");
    assert!(all.len() >= 2, "{all:?}");
    let (only, out) = analyze_json(dir.path(), &["--enable", "python.code-injection.*,CWE-95"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // The audit rule runs too: rules chosen by name run whatever their confidence.
    assert_eq!(
        rule_ids(&only, "app.py"),
        [
            "python.code-injection.eval",
            "python.code-injection.tainted-eval"
        ]
    );
    let (without, _) = analyze_json(
        dir.path(),
        &[
            "--disable",
            "python.code-injection.eval",
            "--disable",
            "CWE-79",
        ],
    );
    let without = rule_ids(&without, "app.py");
    assert!(
        !without.is_empty() && !without.contains(&"python.code-injection.eval".to_string()),
        "{without:?}"
    );
    let out = analyze(dir.path(), &["--enable", "pyhton.*"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--enable: \"pyhton.*\" matches no rule (did you mean \"python.*\"?)"),
        "{err}"
    );
    let out = analyze(dir.path(), &["--disable", "python.code-injection.evl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean \"python.code-injection.eval\"?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn enable_on_the_command_line_replaces_the_configs_and_disable_adds_to_it() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "import hashlib\n\ndef run(request):\n    hashlib.md5(b\"x\")\n    return eval(request.args[\"cmd\"])\n",
    );
    write(
        dir.path(),
        ".astscan.toml",
        "enable = [\"python.weak-hash.*\"]\ndisable = [\"CWE-79\"]\n",
    );
    let (report, _) = analyze_json(dir.path(), &[]);
    let from_file = rule_ids(&report, "app.py");
    assert!(
        !from_file.is_empty()
            && from_file
                .iter()
                .all(|id| id.starts_with("python.weak-hash.")),
        "{from_file:?}"
    );
    let (report, out) = analyze_json(dir.path(), &["--enable", "python.code-injection.*"]);
    assert_eq!(
        rule_ids(&report, "app.py"),
        [
            "python.code-injection.eval",
            "python.code-injection.tainted-eval"
        ],
        "{}",
        stderr(&out)
    );
    // The file's disable still applies: together they leave nothing, which is an error.
    write(
        dir.path(),
        ".astscan.toml",
        "disable = [\"python.code-injection.*\"]\n",
    );
    let out = analyze(dir.path(), &["--enable", "python.code-injection.eval"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn a_selection_that_leaves_no_rule_exits_2_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", APP);
    write(
        dir.path(),
        ".astscan.toml",
        "enable = [\"python.code-injection.*\"]\ndisable = [\"python.code-injection.*\"]\n",
    );
    let out = analyze(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("no rule left to run"), "{err}");
    // Rules asked for through a directory that selection empties: the same.
    write(dir.path(), "rules/r.yaml", MATCHES);
    write(dir.path(), ".astscan.toml", "disable = [\"custom.*\"]\n");
    let out = analyze(dir.path(), &["--no-rules", "--rules", "rules"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("no rule left to run"));
    // No rules asked for: a scan of structure only is fine.
    std::fs::remove_file(dir.path().join(".astscan.toml")).unwrap();
    let (_, out) = analyze_json(dir.path(), &["--no-rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_user_rule_with_a_wrong_node_kind_in_a_field_is_refused_by_analyze_as_by_rules_test() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "src/app.py", APP);
    write(dir.path(), "rules/r.yaml", NEVER_MATCHES);
    let test = astscan(dir.path())
        .args(["rules", "test", "rules"])
        .output()
        .expect("run");
    assert_eq!(test.status.code(), Some(2), "{}", stderr(&test));
    assert!(stderr(&test).contains("query does not compile"));
    let out = analyze(dir.path(), &["--no-rules", "--rules", "rules", "src"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("custom.python.import-call") && err.contains("query does not compile"),
        "{err}"
    );
}

#[test]
fn rule_validation_is_cached_by_content_and_a_changed_rule_file_is_checked_again() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    write(dir.path(), "src/app.py", APP);
    write(dir.path(), "rules/r.yaml", MATCHES);
    let run = || {
        astscan(dir.path())
            .env_remove("ASTSCAN_NO_CACHE")
            .args([
                "analyze",
                "--no-rules",
                "--rules",
                "rules",
                "src",
                "--cache-dir",
            ])
            .arg(&cache)
            .output()
            .expect("run")
    };
    let out = run();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let entries = crate::cache::entries(&cache);
    // One result (app.py) and one validation record.
    assert_eq!(entries.len(), 2, "{entries:?}");
    let out = run();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        crate::cache::entries(&cache).len(),
        2,
        "nothing new recorded"
    );

    // Damaged records are misses: the rule file is checked again and passes.
    for e in &entries {
        std::fs::write(e, b"garbage").unwrap();
    }
    let out = run();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    // A record for the old content does not excuse new content.
    write(dir.path(), "rules/r.yaml", NEVER_MATCHES);
    let out = run();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("query does not compile"), "{err}");
}

/// Two directories with opposite configurations, each with the same finding.
fn two_projects() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/app.py", APP);
    write(dir.path(), "b/app.py", APP);
    write(dir.path(), "a/.astscan.toml", "fail-on = \"never\"\n");
    write(
        dir.path(),
        "b/.astscan.toml",
        "fail-on = \"low\"\ndisable = [\"python.code-injection.tainted-eval\"]\n",
    );
    dir
}

#[test]
fn analyze_a_b_and_analyze_b_a_read_the_same_configuration() {
    let dir = two_projects();
    write(dir.path(), ".astscan.toml", "fail-on = \"never\"\n");
    let (ab, out_ab) = analyze_json(dir.path(), &["a", "b"]);
    let (ba, out_ba) = analyze_json(dir.path(), &["b", "a"]);
    assert_eq!(out_ab.status.code(), out_ba.status.code());
    // The common directory's file: findings (nothing disabled), but fail-on never: exit 0.
    assert_eq!(out_ab.status.code(), Some(0), "{}", stderr(&out_ab));
    for report in [&ab, &ba] {
        for path in ["a/app.py", "b/app.py"] {
            assert_eq!(
                rule_ids(report, path),
                ["python.code-injection.tainted-eval"]
            );
        }
    }
    let err = stderr(&out_ab);
    assert!(
        err.contains("a/.astscan.toml is not used") && err.contains("b/.astscan.toml is not used"),
        "{err}"
    );
    // --config still wins.
    let (_, out) = analyze_json(dir.path(), &["b", "a", "--config", "a/.astscan.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (report, out) = analyze_json(dir.path(), &["a", "b", "--config", "b/.astscan.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(rule_ids(&report, "a/app.py").is_empty());

    // One path still reads its nearest configuration, without a warning.
    let (_, out) = analyze_json(dir.path(), &["a"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "fail-on never: {}",
        stderr(&out)
    );
    let (report, out) = analyze_json(dir.path(), &["b/app.py"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(rule_ids(&report, "b/app.py").is_empty());
    assert!(!stderr(&out).contains("is not used"), "{}", stderr(&out));
}

#[test]
fn scan_options_in_the_config_apply_and_the_command_line_wins() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", APP);
    write(dir.path(), "gen.py", "# @generated\nx = 1\n");
    write(
        dir.path(),
        ".astscan.toml",
        "max-file-size = 10\njobs = 1\ntimeout = 30\n",
    );
    let (report, out) = analyze_json(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        file(&report, "app.py")["status"],
        "skipped",
        "max-file-size"
    );
    assert_eq!(file(&report, "gen.py")["status"], "skipped", "generated");
    let (report, _) = analyze_json(dir.path(), &["--max-file-size", "1M"]);
    assert_eq!(file(&report, "app.py")["status"], "parsed");

    write(
        dir.path(),
        ".astscan.toml",
        "include-generated = true\nmax-file-size = \"1K\"\n",
    );
    let (report, out) = analyze_json(dir.path(), &[]);
    assert_eq!(
        file(&report, "gen.py")["status"],
        "parsed",
        "{}",
        stderr(&out)
    );
    assert_eq!(file(&report, "app.py")["status"], "parsed");

    for bad in ["timeout = 0\n", "jobs = 0\n", "max-file-size = \"lots\"\n"] {
        write(dir.path(), ".astscan.toml", bad);
        let out = analyze(dir.path(), &[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{bad}: {err}");
        let key = bad.split(' ').next().unwrap_or_default();
        assert!(err.contains(key) && err.contains(".astscan.toml"), "{err}");
    }
}
