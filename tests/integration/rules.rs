//! Security rules end to end: findings in reports, exit codes and `--fail-on`, user rule
//! directories, rule errors, and `astscan rules list|test`.

use serde_json::Value;

use crate::util::{analyze_json, astscan, file, write};

const RULE: &str = r#"
rules:
  - id: custom.python.shell
    message: os.system with a value that is not a constant runs attacker-controlled commands.
    severity: high
    confidence: high
    cwe: CWE-78
    owasp: A03:2021-Injection
    references: [https://cwe.mitre.org/data/definitions/78.html]
    languages: [python]
    query: |
      (call function: (attribute object: (identifier) @m attribute: (identifier) @f)
        arguments: (argument_list . (_) @cmd)
        (#eq? @m "os") (#eq? @f "system")) @match
    constraints:
      cmd: { literal: false }
  - id: custom.python.md5
    message: MD5 is not collision resistant.
    severity: low
    confidence: medium
    cwe: CWE-328
    owasp: A02:2021-Cryptographic Failures
    languages: [python]
    query: |
      (call function: (attribute attribute: (identifier) @f) (#eq? @f "md5")) @match
"#;

const APP: &str = "import os, hashlib\n\ndef run(cmd):\n    os.system(cmd)\n    os.system(\"ls\")\n    return hashlib.md5(b\"x\")\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "rules/custom.yaml", RULE);
    write(dir.path(), "src/app.py", APP);
    dir
}

fn findings(report: &Value, path: &str) -> Vec<Value> {
    file(report, path)["findings"]
        .as_array()
        .expect("findings")
        .clone()
}

#[test]
fn user_rules_report_findings_with_metadata_and_exit_1() {
    let dir = project();
    let (report, out) = analyze_json(dir.path(), &["--rules", "rules", "--no-rules", "src"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = findings(&report, "src/app.py");
    let ids: Vec<&str> = found
        .iter()
        .map(|f| f["rule_id"].as_str().expect("id"))
        .collect();
    // os.system("ls") is a constant command: no finding.
    assert_eq!(ids, ["custom.python.shell", "custom.python.md5"]);
    let shell = &found[0];
    assert_eq!(shell["severity"], "high");
    assert_eq!(shell["cwe"], 78);
    assert_eq!(
        shell["span"]["start"],
        serde_json::json!({"line": 4, "column": 5})
    );
    assert_eq!(shell["snippet"], "    os.system(cmd)");
    assert_eq!(report["summary"]["findings"], 2);
    assert_eq!(report["summary"]["failing_findings"], 2);
}

#[test]
fn fail_on_sets_the_threshold_and_errors_still_win() {
    let dir = project();
    let run = |extra: &[&str]| {
        let mut args = vec!["--rules", "rules", "--no-rules"];
        args.extend_from_slice(extra);
        args.push("src");
        analyze_json(dir.path(), &args).1.status.code()
    };
    assert_eq!(run(&["--fail-on", "high"]), Some(1));
    assert_eq!(run(&["--fail-on", "critical"]), Some(0));
    assert_eq!(run(&["--fail-on", "never"]), Some(0));
    // A failed file makes the scan incomplete: 2 beats 1.
    let args = ["--rules", "rules", "--no-rules", "src", "missing.py"];
    assert_eq!(analyze_json(dir.path(), &args).1.status.code(), Some(2));
}

#[test]
fn fingerprints_survive_lines_inserted_above() {
    let dir = project();
    let (before, _) = analyze_json(dir.path(), &["--rules", "rules", "--no-rules", "src"]);
    write(
        dir.path(),
        "src/app.py",
        format!("# a new header comment\n\n\n{APP}"),
    );
    let (after, _) = analyze_json(dir.path(), &["--rules", "rules", "--no-rules", "src"]);
    let prints = |r: &Value| -> Vec<(String, u64)> {
        findings(r, "src/app.py")
            .iter()
            .map(|f| {
                (
                    f["fingerprint"].as_str().expect("fp").to_string(),
                    f["span"]["start"]["line"].as_u64().expect("line"),
                )
            })
            .collect()
    };
    let (b, a) = (prints(&before), prints(&after));
    assert_eq!(
        b.iter().map(|x| &x.0).collect::<Vec<_>>(),
        a.iter().map(|x| &x.0).collect::<Vec<_>>()
    );
    assert_eq!(
        a[0].1,
        b[0].1 + 3,
        "the lines moved, the fingerprints did not"
    );
}

#[test]
fn text_report_shows_the_finding_with_its_source_line() {
    let dir = project();
    let out = astscan(dir.path())
        .args(["analyze", "--rules", "rules", "--no-rules", "src"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("src/app.py:4:5: high custom.python.shell os.system with a value"),
        "{text}"
    );
    assert!(
        text.contains("    |     os.system(cmd)\n    |     ^^^^^^^^^^^^^^\n"),
        "{text}"
    );
    assert!(text.contains("findings: 2 (1 high, 1 low)"), "{text}");
}

#[test]
fn broken_rule_files_are_clear_errors_with_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.py", "x = 1\n");
    let cases = [
        (
            RULE.replace("[python]", "[cobol]"),
            "rule custom.python.shell: unknown language \"cobol\"",
        ),
        (
            RULE.replace(
                "(call function: (attribute object",
                "(call function: (attribute objekt",
            ),
            "rule custom.python.shell: python: query does not compile",
        ),
        (
            RULE.replace("cmd: { literal", "command: { literal"),
            "no capture @command",
        ),
        (RULE.replace("severity: low", "severity: dire"), "bad.yaml"),
        ("rules: [ {id: x".to_string(), "bad.yaml"),
    ];
    for (text, want) in cases {
        write(dir.path(), "r/bad.yaml", &text);
        let out = astscan(dir.path())
            .args(["analyze", "--rules", "r", "a.py"])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{want}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("r/bad.yaml") && stderr.contains(want),
            "{stderr} lacks {want}"
        );
        assert!(out.stdout.is_empty());
    }
    // A user rule may not reuse a built-in id.
    write(
        dir.path(),
        "r/bad.yaml",
        RULE.replace("custom.python.shell", "python.code-injection.eval"),
    );
    let out = astscan(dir.path())
        .args(["analyze", "--rules", "r", "a.py"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("duplicate rule id"));
}

#[test]
fn rules_list_and_test() {
    let dir = project();
    write(
        dir.path(),
        "rules/custom.py",
        "import os\ndef f(x):\n    # ruleid: custom.python.shell\n    os.system(x)\n    # ok: custom.python.shell\n    os.system('ls')\n    # ruleid: custom.python.md5\n    return hashlib.md5(x)\n",
    );
    let out = astscan(dir.path())
        .args(["rules", "test", "rules"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Break the fixture: the annotation now points at a safe line.
    write(
        dir.path(),
        "rules/custom.py",
        "import os\ndef f(x):\n    # ok: custom.python.shell\n    os.system(x)\n    # ruleid: custom.python.shell\n    os.system('ls')\n    # ruleid: custom.python.md5\n    return hashlib.md5(x)\n",
    );
    let out = astscan(dir.path())
        .args(["rules", "test", "rules"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("missing: rules/custom.py:6: expected a finding of custom.python.shell"),
        "{text}"
    );
    assert!(
        text.contains("noisy:   rules/custom.py:4: unexpected finding of custom.python.shell"),
        "{text}"
    );

    let out = astscan(dir.path())
        .args(["rules", "list", "--format", "json", "--rules", "rules"])
        .output()
        .expect("run");
    let list: Value = serde_json::from_slice(&out.stdout).expect("json");
    let ids: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert!(
        ids.contains(&"custom.python.shell") && ids.contains(&"python.code-injection.eval"),
        "{ids:?}"
    );

    // The built-in pack passes its own fixtures.
    let out = astscan(dir.path())
        .args(["rules", "test"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn no_rules_means_no_built_in_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "x.py", "def f(code):\n    eval(code)\n");
    let (report, out) = analyze_json(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        findings(&report, "x.py")[0]["rule_id"],
        "python.code-injection.eval"
    );
    let (report, out) = analyze_json(dir.path(), &["--no-rules"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(findings(&report, "x.py").is_empty());
}
