//! `astscan graph`: the real binary and its workers on trees made in temp dirs; edges checked
//! by hand, JSON against the published schema, DOT through Graphviz.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::util::{astscan, skip, write};

/// A tree in several languages: a Python cycle through `from pkg import b`, a TypeScript
/// path alias, a Go tree of two modules, an external and an unresolved import, and a file
/// that is skipped.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Python: pkg.a -> pkg.b -> pkg.a, and app -> pkg.a; `requests` is external.
    write(d, "py/pkg/__init__.py", "");
    write(d, "py/pkg/a.py", "from pkg import b\nimport requests\n");
    write(d, "py/pkg/b.py", "from . import a\n");
    write(d, "py/app.py", "import pkg.a\n");
    // TypeScript: an alias from tsconfig (with a comment and a trailing comma), a relative
    // import with index resolution, a missing relative file, and a package.
    write(
        d,
        "web/tsconfig.json",
        "{\n  // aliases\n  \"compilerOptions\": { \"baseUrl\": \".\", \"paths\": { \"@lib/*\": [\"src/lib/*\"] }, },\n}\n",
    );
    write(d, "web/src/lib/util.ts", "export const u = 1;\n");
    write(d, "web/src/ui/index.ts", "export const ui = 2;\n");
    write(
        d,
        "web/src/main.ts",
        "import { u } from \"@lib/util\";\nimport { ui } from \"./ui\";\nimport { x } from \"./gone\";\nimport React from \"react\";\n",
    );
    // Go: two modules; the command imports the library module's package.
    write(d, "go/lib/go.mod", "module example.com/lib\n\ngo 1.21\n");
    write(
        d,
        "go/lib/strs/strs.go",
        "package strs\n\nfunc Up(s string) string { return s }\n",
    );
    write(
        d,
        "go/cmd/go.mod",
        "module example.com/cmd\n\ngo 1.21\n\nrequire example.com/lib v0.0.0\n",
    );
    write(
        d,
        "go/cmd/main.go",
        "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/lib/strs\"\n)\n\nfunc main() { fmt.Println(strs.Up(\"x\")) }\n",
    );
    // Skipped: larger than --max-file-size below.
    write(d, "big.py", format!("x = '{}'\n", "y".repeat(4096)));
    git_init(d);
    dir
}

fn git_init(dir: &Path) {
    let ok = Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir)
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

fn graph(dir: &Path, args: &[&str]) -> Output {
    astscan(dir)
        .args(["graph", "--daemon", "never", "--max-file-size", "2K"])
        .args(args)
        .output()
        .unwrap()
}

fn json(dir: &Path) -> Value {
    let out = graph(dir, &["--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn edges(g: &Value) -> BTreeSet<(String, String)> {
    g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap().to_string(),
                e["to"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn imports_resolve_to_the_files_of_the_tree_across_languages() {
    let dir = tree();
    let g = json(dir.path());
    assert_eq!(
        edges(&g),
        pairs(&[
            ("go/cmd/main.go", "go/lib/strs/strs.go"),
            ("py/app.py", "py/pkg/a.py"),
            ("py/pkg/a.py", "py/pkg/b.py"),
            ("py/pkg/b.py", "py/pkg/a.py"),
            ("web/src/main.ts", "web/src/lib/util.ts"),
            ("web/src/main.ts", "web/src/ui/index.ts"),
        ])
    );
    let cycles: Vec<Vec<&str>> = g["cycles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c["files"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(cycles, vec![vec!["py/pkg/a.py", "py/pkg/b.py"]]);
    let externals: BTreeSet<(&str, &str)> = g["externals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["ecosystem"].as_str().unwrap(),
                e["name"].as_str().unwrap(),
            )
        })
        .collect();
    for expected in [("python", "requests"), ("node", "react"), ("go", "fmt")] {
        assert!(
            externals.contains(&expected),
            "{expected:?} in {externals:?}"
        );
    }
    let unresolved: Vec<(&str, &str)> = g["unresolved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["file"].as_str().unwrap(),
                u["specifier"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(unresolved, vec![("web/src/main.ts", "./gone")]);
    // Every input is accounted for: the large file is listed with its reason.
    assert_eq!(g["not_analyzed"][0]["path"], "big.py");
    assert_eq!(g["not_analyzed"][0]["status"], "skipped");
    assert_eq!(g["summary"]["not_analyzed"], 1);
    let node = |path: &str| -> &Value {
        g["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["path"] == path)
            .unwrap_or_else(|| panic!("{path} is a node"))
    };
    assert_eq!(node("py/pkg/a.py")["fan_in"], 2);
    assert_eq!(node("py/pkg/a.py")["in_cycle"], true);
    assert_eq!(node("go/cmd/main.go")["functions"], 1);
    assert_eq!(node("go/cmd/main.go")["language"], "go");
}

#[test]
fn the_json_matches_its_published_schema() {
    let dir = tree();
    let g = json(dir.path());
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/graph/graph.schema.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&g).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn fail_on_cycles_sets_the_exit_code_and_text_names_the_cycle() {
    let dir = tree();
    let out = graph(dir.path(), &["--fail-on-cycles"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Import graph: 9 files, 6 edges"), "{text}");
    assert!(text.contains("py/pkg/a.py, py/pkg/b.py"), "{text}");
    assert!(text.contains("big.py  (skipped:"), "{text}");

    // Without the cycle, the same option exits 0.
    write(dir.path(), "py/pkg/b.py", "import json\n");
    let out = graph(dir.path(), &["--fail-on-cycles"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn dot_output_is_accepted_by_graphviz() {
    let dir = tree();
    let out = graph(dir.path(), &["--format", "dot", "-o", "graph.dot"]);
    assert_eq!(out.status.code(), Some(0));
    // With -o the summary line goes to stderr.
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("Import graph: 9 files"));
    let dot = std::fs::read_to_string(dir.path().join("graph.dot")).unwrap();
    assert!(dot.contains("cluster_"), "{dot}");
    assert!(
        dot.contains("\"py/pkg/a.py\" -> \"py/pkg/b.py\" [color=red"),
        "{dot}"
    );
    let svg = Command::new("dot")
        .arg("-Tsvg")
        .arg(dir.path().join("graph.dot"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output();
    match svg {
        Err(e) => skip(format!("graphviz `dot` cannot run: {e}")),
        Ok(svg) => {
            assert!(
                svg.status.success(),
                "{}",
                String::from_utf8_lossy(&svg.stderr)
            );
            assert!(String::from_utf8_lossy(&svg.stdout).contains("<svg"));
        }
    }
}

#[test]
fn the_graph_is_the_same_through_a_daemon_and_from_the_cache() {
    let dir = tree();
    let direct = json(dir.path());
    // A warm result cache answers the second graph; the graph does not change.
    let cache = crate::cache::cache_dir();
    for _ in 0..2 {
        let out = astscan(dir.path())
            .env_remove("ASTSCAN_NO_CACHE")
            .env("ASTSCAN_CACHE_DIR", cache.path())
            .args([
                "graph",
                "--daemon",
                "never",
                "--max-file-size",
                "2K",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let cached: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(cached, direct);
    }
    assert!(std::fs::read_dir(cache.path()).unwrap().count() > 0);

    // Through a daemon: the same workers' answers, the same graph.
    let run = crate::cache::cache_dir();
    let socket = run.path().join("d.sock");
    let mut daemon = astscan(run.path())
        .args(["daemon", "--workers", "1", "--socket"])
        .arg(&socket)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::os::unix::net::UnixStream::connect(&socket).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the daemon did not listen"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = astscan(dir.path())
        .args([
            "graph",
            "--daemon",
            "always",
            "--max-file-size",
            "2K",
            "--format",
            "json",
        ])
        .arg("--socket")
        .arg(&socket)
        .output()
        .unwrap();
    let _ = daemon.kill();
    let _ = daemon.wait();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let served: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(served, direct);
}

#[test]
fn the_graph_of_shard_reports_is_the_graph_of_the_whole_tree() {
    let dir = tree();
    let whole = json(dir.path());
    for i in 1..=3 {
        let out = astscan(dir.path())
            .args(["analyze", "--daemon", "never", "--max-file-size", "2K"])
            .args(["--fail-on", "never", "--format", "json", "--shard"])
            .arg(format!("{i}/3"))
            .arg("-o")
            .arg(format!("shard-{i}.json"))
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = astscan(dir.path())
        .args(["graph", "--format", "json", "--from-reports"])
        .args(["shard-1.json", "shard-2.json", "shard-3.json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(merged, whole);

    // Reports that do not belong together, SARIF, and paths beside the reports are refused.
    let sarif = astscan(dir.path())
        .args([
            "analyze",
            "--daemon",
            "never",
            "--format",
            "sarif",
            "-o",
            "all.sarif",
        ])
        .output()
        .unwrap();
    assert!(sarif.status.code().is_some());
    let out = astscan(dir.path())
        .args(["graph", "--from-reports", "all.sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not list imports"));
    let out = astscan(dir.path())
        .args(["graph", "py", "--from-reports", "shard-1.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give no paths"));

    // `graph --shard` says how a sharded graph is built instead of drawing part of one.
    let out = astscan(dir.path())
        .args(["graph", "--shard", "1/3"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("analyze --shard 1/3") && err.contains("--from-reports"),
        "{err}"
    );
}
