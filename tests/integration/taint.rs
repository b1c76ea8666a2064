//! Taint rules end to end: a flow from request data to a sink is reported with its path in
//! every format, look-alikes without a flow are not, the audit rules appear only when asked
//! for, and hostile shapes of code (deep nesting, huge functions, recursion) neither crash a
//! worker nor stop the scan.

use std::fmt::Write as _;

use crate::util::{analyze_json, astscan, file, write};

/// A small Flask app: one real flow through a helper function, and a constant query.
const APP: &str = r#"from flask import Flask, request

app = Flask(__name__)
TABLE = "users"


def by_name(name):
    return "SELECT * FROM users WHERE name = '" + name + "'"


@app.route("/users")
def users():
    who = request.args.get("name")
    sql = by_name(who)
    db.cursor().execute(sql)
    db.cursor().execute("SELECT count(*) FROM " + TABLE)
    return "ok"
"#;

fn taint_findings(report: &serde_json::Value, path: &str) -> Vec<serde_json::Value> {
    file(report, path)["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|f| f["rule_id"] == "python.sql-injection.tainted-query")
        .collect()
}

#[test]
fn a_flow_through_a_helper_is_reported_with_its_path_and_a_constant_query_is_not() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", APP);
    let (report, out) = analyze_json(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{report}");
    let found = taint_findings(&report, "app.py");
    assert_eq!(found.len(), 1, "{found:?}");
    let f = &found[0];
    assert_eq!(f["span"]["start"]["line"], 15);
    let flow = f["flow"].as_array().expect("flow");
    let kinds: Vec<&str> = flow.iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.first(), Some(&"source"), "{flow:?}");
    assert_eq!(kinds.last(), Some(&"sink"), "{flow:?}");
    assert_eq!(flow[0]["span"]["start"]["line"], 13);
    let lines: Vec<u64> = flow
        .iter()
        .map(|s| s["span"]["start"]["line"].as_u64().unwrap())
        .collect();
    // The path goes through the helper's return on line 8 and the assignment on line 14.
    assert!(lines.contains(&8) && lines.contains(&14), "{flow:?}");
    // The constant query on line 16 is only an audit finding, not reported by default.
    let all: Vec<u64> = file(&report, "app.py")["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["span"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert!(!all.contains(&16), "{all:?}");
}

#[test]
fn the_text_report_shows_the_trail_and_sarif_carries_code_flows() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", APP);
    let out = astscan(dir.path())
        .args(["analyze", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("    from request.args (line 13, source)"),
        "{text}"
    );
    assert!(
        text.contains("      to db.cursor().execute(sql) (line 15, sink)"),
        "{text}"
    );
    let out = astscan(dir.path())
        .args(["analyze", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    crate::util::assert_valid_sarif(&sarif);
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "python.sql-injection.tainted-query")
        .expect("taint result")
        .clone();
    let steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .expect("thread flow locations");
    assert!(steps.len() >= 3, "{steps:?}");
    assert_eq!(
        steps[0]["location"]["physicalLocation"]["region"]["startLine"],
        13
    );
    assert_eq!(
        steps.last().unwrap()["location"]["physicalLocation"]["artifactLocation"]["uri"],
        "app.py"
    );
}

#[test]
fn audit_rules_run_only_at_min_confidence_low() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", APP);
    let ids = |args: &[&str]| -> Vec<String> {
        let (report, _) = analyze_json(dir.path(), args);
        file(&report, "app.py")["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule_id"].as_str().unwrap().to_string())
            .collect()
    };
    let default = ids(&[]);
    assert!(
        !default
            .iter()
            .any(|id| id == "python.sql-injection.formatted-query"),
        "{default:?}"
    );
    let low = ids(&["--min-confidence", "low"]);
    assert!(
        low.iter()
            .any(|id| id == "python.sql-injection.formatted-query"),
        "{low:?}"
    );
    write(dir.path(), ".astscan.toml", "min-confidence = \"low\"\n");
    assert_eq!(ids(&[]), low);
    // The command line wins over the file.
    assert_eq!(ids(&["--min-confidence", "medium"]), default);
    write(dir.path(), ".astscan.toml", "min-confidence = \"sure\"\n");
    let out = astscan(dir.path()).args(["analyze"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("min-confidence"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn hostile_shapes_of_code_finish_and_say_where_the_analysis_stopped_short() {
    let dir = tempfile::tempdir().unwrap();
    // An expression nested 3,000 levels deep around request data.
    let mut deep = String::from("from flask import request\n\ndef deep():\n    q = ");
    // One level per line, so the file does not look minified.
    deep.push_str(&"(\"a\" +\n        ".repeat(3000));
    deep.push_str("request.args[\"x\"]");
    deep.push_str(&")".repeat(3000));
    deep.push_str("\n    cursor.execute(q)\n");
    write(dir.path(), "deep.py", &deep);
    // A 10,000-statement function, recursive and mutually recursive helpers, and a helper
    // with thousands of call sites.
    let mut big = String::from("from flask import request\n\n");
    big.push_str("def rec(v, n):\n    if n:\n        return rec(v, n - 1)\n    return v\n\n");
    big.push_str("def ping(v):\n    return pong(v)\n\ndef pong(v):\n    return ping(v) + v\n\n");
    big.push_str("def quote(v):\n    return \"'\" + v + \"'\"\n\n");
    big.push_str("def huge():\n    q = request.args[\"q\"]\n");
    for i in 0..10_000 {
        writeln!(big, "    x{i} = quote(q) if {i} % 2 else \"c\"").unwrap();
    }
    big.push_str("    cursor.execute(rec(q, 3))\n    cursor.execute(ping(q))\n");
    write(dir.path(), "big.py", &big);
    let (report, out) = analyze_json(dir.path(), &["--timeout", "60"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for path in ["deep.py", "big.py"] {
        assert_eq!(file(&report, path)["status"], "parsed", "{path}: {stderr}");
    }
    // The deep expression is followed as far as the evaluator goes, then scanned flat: the
    // flow is still found, and the function is reported as analysed partially.
    assert_eq!(taint_findings(&report, "deep.py").len(), 1, "{report}");
    let gaps = file(&report, "deep.py")["incomplete"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        gaps.iter()
            .any(|g| g["function"] == "deep" && g["reason"].as_str().unwrap().contains("nested")),
        "{gaps:?}"
    );
    // Recursion ends; both flows reach execute.
    let lines: Vec<u64> = taint_findings(&report, "big.py")
        .iter()
        .map(|f| f["span"]["start"]["line"].as_u64().unwrap())
        .collect();
    let last = big.lines().count() as u64;
    assert_eq!(lines, [last - 1, last], "{report}");
}
