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
    write(
        dir.path(),
        "x.py",
        "def f(request):\n    eval(request.args[\"c\"])\n",
    );
    let (report, out) = analyze_json(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        findings(&report, "x.py")[0]["rule_id"],
        "python.code-injection.tainted-eval"
    );
    let (report, out) = analyze_json(dir.path(), &["--no-rules"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(findings(&report, "x.py").is_empty());
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let dir = project();
    write(
        dir.path(),
        "src/ünï code.py",
        "import os\ndef f(x):\n    s = 'é'; os.system(x)\n",
    );
    write(dir.path(), "src/blob.py", b"\0");
    let out = astscan(dir.path())
        .args([
            "analyze",
            "--format",
            "sarif",
            "--rules",
            "rules",
            "src",
            "src/missing.py",
        ])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(2),
        "the missing file makes the scan incomplete"
    );
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("sarif is JSON");
    crate::util::assert_valid_sarif(&sarif);
    let validator = crate::util::sarif_validator();
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken), "the schema check has teeth");

    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let shell = rules
        .iter()
        .find(|r| r["id"] == "custom.python.shell")
        .expect("rule metadata");
    assert_eq!(shell["properties"]["security-severity"], "8.0");
    assert!(
        shell["properties"]["tags"]
            .as_array()
            .expect("tags")
            .contains(&"CWE-78".into())
    );
    assert!(
        shell["help"]["markdown"]
            .as_str()
            .expect("markdown")
            .contains("cwe.mitre.org")
    );
    // Built-in rules are described too.
    assert!(
        rules
            .iter()
            .any(|r| r["id"] == "python.code-injection.tainted-eval")
    );

    let results = run["results"].as_array().expect("results");
    let r = results
        .iter()
        .find(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                == "src/%C3%BCn%C3%AF%20code.py"
        })
        .expect("finding in the non-ASCII path");
    let region = &r["locations"][0]["physicalLocation"]["region"];
    // `    s = 'é'; ` is 13 code points but 14 bytes: columns are in code points.
    assert_eq!(region["startColumn"], 14);
    assert_eq!(
        r["ruleIndex"].as_u64().map(|i| &rules[i as usize]["id"]),
        Some(&Value::from("custom.python.shell"))
    );
    assert!(
        r["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .expect("hash")
            .ends_with(":1")
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert!(notes.iter().any(|n| {
        n["message"]["text"]
            .as_str()
            .unwrap_or("")
            .contains("missing.py")
    }));
}

#[test]
fn suppressions_are_honoured_counted_and_unused_ones_reported() {
    let dir = project();
    write(
        dir.path(),
        "src/app.py",
        "import os, hashlib\n\ndef run(cmd):\n    os.system(cmd)  # astscan-ignore[custom.python.shell]: cmd is a fixed allow-list entry\n    # astscan-ignore[custom.python.md5]: checksum only\n    h = hashlib.md5(b\"x\")\n    return 1  # astscan-ignore[custom.python.shell]: stale\n",
    );
    let (report, out) = analyze_json(dir.path(), &["--rules", "rules", "--no-rules", "src"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "suppressed findings do not fail the scan"
    );
    let found = findings(&report, "src/app.py");
    assert_eq!(found.len(), 2);
    assert_eq!(found[0]["suppressed"], "cmd is a fixed allow-list entry");
    assert_eq!(found[1]["suppressed"], "checksum only");
    assert_eq!(report["summary"]["suppressed"], 2);
    assert_eq!(report["summary"]["findings"], 0);
    let unused = file(&report, "src/app.py")["unused_suppressions"]
        .as_array()
        .expect("unused")
        .clone();
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0]["line"], 7);

    let out = astscan(dir.path())
        .args([
            "analyze",
            "--rules",
            "rules",
            "--no-rules",
            "--report-unused-suppressions",
            "src",
        ])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("src/app.py:7: unused suppression: astscan-ignore[custom.python.shell] suppresses nothing"), "{text}");
    assert!(
        !text.contains("src/app.py:4:"),
        "suppressed findings are not listed: {text}"
    );
}

#[test]
fn baselines_hide_known_findings_and_count_duplicates() {
    let dir = project();
    let base = ["--rules", "rules", "--no-rules"];
    let out = astscan(dir.path())
        .args(["analyze"])
        .args(base)
        .args(["--write-baseline", "baseline.json", "src"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "writing a baseline accepts its findings"
    );
    let (report, out) = analyze_json(
        dir.path(),
        &[&base[..], &["--baseline", "baseline.json", "src"]].concat(),
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(report["summary"]["baselined"], 2);
    // Code moves and an identical second call appears: the old one is still known, the new
    // one is not hidden by it.
    write(
        dir.path(),
        "src/app.py",
        "import os, hashlib\n\n\ndef run(cmd):\n    os.system(cmd)\n    os.system(cmd)\n    return hashlib.md5(b\"x\")\n",
    );
    let (report, out) = analyze_json(
        dir.path(),
        &[&base[..], &["--baseline", "baseline.json", "src"]].concat(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(report["summary"]["baselined"], 2);
    assert_eq!(report["summary"]["findings"], 1);
    let found = findings(&report, "src/app.py");
    assert_eq!(found[0]["baselined"], true);
    assert!(found[1].get("baselined").is_none());

    write(dir.path(), "other.json", "{\"version\": 3}");
    let out = astscan(dir.path())
        .args(["analyze", "--baseline", "other.json", "src"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("other.json is not an astscan baseline file")
    );
}

#[test]
fn project_configuration_is_found_upward_and_cli_options_win() {
    let dir = project();
    write(
        dir.path(),
        ".astscan.toml",
        "rule-dirs = [\"rules\"]\nfail-on = \"high\"\nexclude = [\"src/vendor/\"]\ndisable = [\"CWE-328\"]\n[severity]\n\"custom.python.shell\" = \"medium\"\n",
    );
    write(dir.path(), "src/vendor/lib.py", "x = 1\n");
    // Run from a subdirectory: the file is found upward.
    let (report, out) = analyze_json(&dir.path().join("src"), &["--no-rules", "."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // JSON paths are relative to the current directory outside a git work tree.
    let found = findings(&report, "app.py");
    assert_eq!(
        found.len(),
        1,
        "CWE-328 (md5) is disabled: {found:?} {stderr}"
    );
    assert_eq!(found[0]["severity"], "medium", "severity override");
    assert_eq!(
        out.status.code(),
        Some(0),
        "fail-on high: a medium finding passes"
    );
    assert!(
        crate::util::paths(&report)
            .iter()
            .all(|p| !p.contains("vendor"))
    );
    let (_, out) = analyze_json(
        &dir.path().join("src"),
        &["--no-rules", "--fail-on", "low", "."],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "the command line wins over the file"
    );
    let (report, _) = analyze_json(&dir.path().join("src"), &["--no-rules", "--no-config", "."]);
    assert!(
        findings(&report, "app.py").is_empty(),
        "--no-config: no rule dirs from the file"
    );

    write(dir.path(), ".astscan.toml", "fail_on = \"high\"\n");
    let out = astscan(dir.path())
        .args(["analyze", "src"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(".astscan.toml") && stderr.contains("fail_on"),
        "{stderr}"
    );
}

#[test]
fn time_rules_attributes_cost_per_rule_without_changing_findings() {
    let dir = project();
    let args = ["--rules", "rules", "--no-rules", "src"];
    let (plain, _) = analyze_json(dir.path(), &args);
    let (timed, out) = analyze_json(dir.path(), &[&args[..], &["--time-rules"]].concat());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // Measuring runs each rule on its own query: the results must not change.
    assert_eq!(
        findings(&plain, "src/app.py"),
        findings(&timed, "src/app.py")
    );
    assert!(plain["summary"].get("rule_times").is_none());
    let times = timed["summary"]["rule_times"]
        .as_array()
        .expect("rule_times");
    let ids: Vec<&str> = times
        .iter()
        .map(|t| t["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        {
            let mut ids = ids.clone();
            ids.sort();
            ids
        },
        ["custom.python.md5", "custom.python.shell"]
    );
    for t in times {
        assert!(t["compile_ms"].as_f64().unwrap() > 0.0, "{t}");
        assert_eq!(t["files"], 1, "{t}");
    }
    let shell = times
        .iter()
        .find(|t| t["rule_id"] == "custom.python.shell")
        .unwrap();
    assert_eq!(shell["findings"], 1, "only os.system(cmd) matches: {shell}");
    // The table on stderr names both rules and ends with the total.
    assert!(stderr.contains("compile ms"), "{stderr}");
    assert!(stderr.contains("custom.python.md5"), "{stderr}");
    assert!(
        stderr.lines().last().unwrap().starts_with("all rules"),
        "{stderr}"
    );
}

/// The benchmark's translation of the peer tools' rules (benches/kit-rules) passes its own
/// fixtures: the like-for-like comparison measures rules that find what they claim.
#[test]
fn benchmark_kit_rules_pass_their_fixtures() {
    let kit = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/kit-rules");
    let out = astscan(&kit)
        .args(["rules", "test", "."])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("4 fixtures"), "{text}");
}
