//! `analyze --shard I/N` and `astscan merge`: shards partition a real tree (every file in
//! exactly one shard, the same one wherever the tree is), and merging the shards' reports
//! gives the unsharded report, in JSON and in SARIF; merge refuses reports that are not parts
//! of one scan and exits as analyze would on the merged findings.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{
    analyze_json, assert_summary_consistent, assert_valid_sarif, astscan, commit, git, normalised,
    paths, write,
};

/// Options every scan of the tree uses: `huge.py` is over the size limit, `large.js` is
/// large enough to be sent to the workers ahead of the walk.
const LIMITS: [&str; 4] = ["--max-file-size", "1M", "--daemon", "never"];

const TAINTED: &str =
    "from flask import request\nimport os\n\n\ndef run():\n    os.system(request.args[\"c\"])\n";
const WEAK_HASH: &str = "import hashlib\n\n\ndef h(x):\n    return hashlib.md5(x).hexdigest()\n";

/// About 30 files in seven languages: findings of two severities, a syntax error, a binary
/// file, one over the size limit and one large enough to be sent ahead of the walk.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "app/__init__.py", "");
    write(d, "app/views.py", TAINTED);
    write(d, "app/crypto.py", WEAK_HASH);
    for i in 0..6 {
        write(
            d,
            &format!("app/models/m{i}.py"),
            format!("class M{i}:\n    def f(self, x):\n        return x + {i}\n"),
        );
    }
    for i in 0..5 {
        write(
            d,
            &format!("web/src/c{i}.js"),
            format!("export function c{i}(a) {{ return a * {i}; }}\n"),
        );
    }
    write(d, "web/src/t.ts", "export const n: number = 1;\n");
    write(
        d,
        "web/src/u.ts",
        "export function u(s: string): string { return s; }\n",
    );
    for i in 0..4 {
        write(
            d,
            &format!("svc/g{i}.go"),
            format!("package svc\n\nfunc G{i}(x int) int {{\n\treturn x + {i}\n}}\n"),
        );
    }
    write(d, "lib/a.rb", "def a(x)\n  x + 1\nend\n");
    write(d, "lib/b.rb", "class B\n  def b; 2; end\nend\n");
    write(d, "lib/broken.rb", "def x(\n");
    write(d, "java/A.java", "class A { int f(int x) { return x; } }\n");
    write(d, "java/B.java", "class B { void g() {} }\n");
    write(d, "php/index.php", "<?php\nfunction p($x) { return $x; }\n");
    write(d, "php/other.php", "<?php\necho 1;\n");
    write(d, "data/blob.py", b"x = 1\n\x00\x01\x02binary".as_slice());
    write(d, "data/huge.py", "x = 1\n".repeat(200_000));
    write(
        d,
        "web/large.js",
        "function big(a) { return a + 1; }\n".repeat(9_000),
    );
    write(d, "README.md", "not source code\n");
    dir
}

/// Runs `analyze --format json` with the tree's limits.
fn scan(dir: &Path, extra: &[&str]) -> Value {
    let mut args: Vec<&str> = LIMITS.to_vec();
    args.extend_from_slice(extra);
    let (report, out) = analyze_json(dir, &args);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    report
}

/// The paths of a report as a set.
fn path_set(report: &Value) -> BTreeSet<String> {
    paths(report).into_iter().collect()
}

/// A summary without what differs between runs: timings, rates and worker counts.
fn counts(report: &Value) -> Value {
    let mut s = report["summary"].clone();
    let o = s.as_object_mut().unwrap();
    for key in [
        "elapsed_ms",
        "files_per_second",
        "bytes_per_second",
        "from_cache",
        "workers_started",
        "worker_restarts",
    ] {
        o.remove(key);
    }
    s
}

/// Writes `report` to `dir/name` and returns the path.
fn save(dir: &Path, name: &str, report: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec(report).unwrap()).unwrap();
    path
}

fn merge(dir: &Path, args: &[&str]) -> Output {
    astscan(dir)
        .arg("merge")
        .args(args)
        .output()
        .expect("running astscan merge")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}); stderr:\n{}", stderr(out)))
}

/// Asserts that the shards' reports partition the whole's files.
fn assert_partition(whole: &Value, shards: &[Value]) {
    let mut union = BTreeSet::new();
    for (i, shard) in shards.iter().enumerate() {
        assert_summary_consistent(shard);
        for path in paths(shard) {
            assert!(
                union.insert(path.clone()),
                "{path} is in two shards (second: {})",
                i + 1
            );
        }
    }
    assert_eq!(union, path_set(whole));
}

#[test]
fn shards_partition_the_tree_and_their_merge_is_the_whole_report() {
    let dir = tree();
    let out = tempfile::tempdir().unwrap();
    let whole = scan(dir.path(), &[]);
    assert_eq!(whole["files"].as_array().unwrap().len(), 30);
    // Every status is there, so every status is partitioned.
    for status in ["parsed", "parsed_with_errors", "skipped"] {
        assert!(whole["summary"][status].as_u64().unwrap() > 0, "{status}");
    }
    let shards: Vec<Value> = (1..=3)
        .map(|i| scan(dir.path(), &["--shard", &format!("{i}/3")]))
        .collect();
    assert_partition(&whole, &shards);
    for shard in &shards {
        // Not degenerate: three shards of 30 files each get some.
        assert!(!paths(shard).is_empty());
        assert_eq!(shard["ruleset"], whole["ruleset"]);
    }
    let inputs: Vec<PathBuf> = shards
        .iter()
        .enumerate()
        .map(|(i, s)| save(out.path(), &format!("s{}.json", i + 1), s))
        .collect();
    let args: Vec<&str> = inputs.iter().map(|p| p.to_str().unwrap()).collect();
    let merged = merge(dir.path(), &args);
    // The tree has findings: exit 1, as analyze.
    assert_eq!(merged.status.code(), Some(1), "{}", stderr(&merged));
    let merged = json_of(&merged);
    assert_summary_consistent(&merged);
    assert_eq!(normalised(merged.clone()), normalised(whole.clone()));
    assert_eq!(counts(&merged), counts(&whole));
    // The timing is the longest shard's.
    let longest = shards
        .iter()
        .map(|s| s["summary"]["elapsed_ms"].as_f64().unwrap())
        .fold(0.0, f64::max);
    assert_eq!(merged["summary"]["elapsed_ms"].as_f64().unwrap(), longest);

    // A shard merged with itself adds nothing; the order of the inputs does not matter.
    let again = merge(dir.path(), &[args[2], args[0], args[1], args[0]]);
    assert_eq!(normalised(json_of(&again)), normalised(merged.clone()));

    // From standard input too, and written with -o.
    let target = out.path().join("merged.json");
    let piped = astscan(dir.path())
        .args([
            "merge",
            "-o",
            target.to_str().unwrap(),
            args[0],
            "-",
            args[2],
        ])
        .stdin(std::fs::File::open(&inputs[1]).unwrap())
        .output()
        .unwrap();
    assert_eq!(piped.status.code(), Some(1), "{}", stderr(&piped));
    assert!(stderr(&piped).contains("30 files"), "{}", stderr(&piped));
    let written: Value = serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(normalised(written), normalised(merged));
}

#[test]
fn sarif_shards_merge_into_the_whole_sarif_report() {
    let dir = tree();
    let out = tempfile::tempdir().unwrap();
    let sarif = |extra: &[&str]| {
        let o = astscan(dir.path())
            .args(["analyze", "--format", "sarif"])
            .args(LIMITS)
            .args(extra)
            .output()
            .unwrap();
        assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
        json_of(&o)
    };
    let whole = sarif(&[]);
    assert!(whole["runs"][0]["results"].as_array().unwrap().len() >= 2);
    let ruleset = whole["runs"][0]["properties"]["ruleset"].as_str().unwrap();
    assert_eq!(ruleset.len(), 64);
    let inputs: Vec<PathBuf> = (1..=3)
        .map(|i| {
            save(
                out.path(),
                &format!("s{i}.sarif"),
                &sarif(&["--shard", &format!("{i}/3")]),
            )
        })
        .collect();
    let args: Vec<&str> = inputs.iter().map(|p| p.to_str().unwrap()).collect();
    let merged = merge(dir.path(), &args);
    assert_eq!(merged.status.code(), Some(1), "{}", stderr(&merged));
    let merged = json_of(&merged);
    assert_valid_sarif(&merged);
    assert_eq!(merged, whole);

    // JSON shards merged into SARIF: the same results, valid, rules listed once each.
    let json_inputs: Vec<PathBuf> = (1..=3)
        .map(|i| {
            save(
                out.path(),
                &format!("s{i}.json"),
                &scan(dir.path(), &["--shard", &format!("{i}/3")]),
            )
        })
        .collect();
    let json_args: Vec<&str> = json_inputs.iter().map(|p| p.to_str().unwrap()).collect();
    let mut with_format = vec!["--format", "sarif"];
    with_format.extend(&json_args);
    let converted = merge(dir.path(), &with_format);
    assert_eq!(converted.status.code(), Some(1), "{}", stderr(&converted));
    let converted = json_of(&converted);
    assert_valid_sarif(&converted);
    let run = &converted["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: BTreeSet<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), rules.len());
    let results = |run: &Value| -> Vec<(String, Value)> {
        run["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["locations"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(results(run), results(&whole["runs"][0]));
    for r in run["results"].as_array().unwrap() {
        assert_eq!(
            rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
            r["ruleId"]
        );
    }
    assert_eq!(run["properties"]["ruleset"], ruleset);
    assert_eq!(
        run["originalUriBaseIds"],
        whole["runs"][0]["originalUriBaseIds"]
    );
}

/// Copies a directory tree.
fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_shard_picks_the_same_files_wherever_the_tree_is_and_however_it_is_named() {
    let dir = tree();
    let elsewhere = tempfile::tempdir().unwrap();
    let copy = elsewhere.path().join("deeper/checkout");
    std::fs::create_dir_all(&copy).unwrap();
    copy_tree(dir.path(), &copy);
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let here = path_set(&scan(dir.path(), &["--shard", &shard]));
        assert_eq!(
            here,
            path_set(&scan(&copy, &["--shard", &shard])),
            "{shard}"
        );
        // Named from a subdirectory, by an absolute path, or file by file.
        let from_below = path_set(&scan(
            &dir.path().join("app"),
            &["--shard", &shard, "--path-root", "..", ".."],
        ));
        assert_eq!(here, from_below, "{shard}");
        let absolute = path_set(&scan(
            Path::new("/"),
            &[
                "--shard",
                &shard,
                "--path-root",
                dir.path().to_str().unwrap(),
                dir.path().to_str().unwrap(),
            ],
        ));
        assert_eq!(here, absolute, "{shard}");
    }
    // Explicit file arguments are partitioned the same way.
    let named = [
        "app/views.py",
        "app/crypto.py",
        "lib/a.rb",
        "lib/broken.rb",
        "svc/g0.go",
        "data/blob.py",
        "data/huge.py",
        "php/index.php",
    ];
    let whole = scan(dir.path(), &named);
    let shards: Vec<Value> = (1..=2)
        .map(|i| {
            let mut args = vec!["--shard".to_string(), format!("{i}/2")];
            args.extend(named.iter().map(|s| s.to_string()));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            scan(dir.path(), &args)
        })
        .collect();
    assert_partition(&whole, &shards);
    for (i, shard) in shards.iter().enumerate() {
        let by_tree = path_set(&scan(dir.path(), &["--shard", &format!("{}/2", i + 1)]));
        assert!(path_set(shard).is_subset(&by_tree));
    }
}

#[test]
fn git_modes_are_sharded_too() {
    let dir = tree();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    commit(dir.path(), "initial");
    for i in 0..6 {
        write(
            dir.path(),
            &format!("app/models/m{i}.py"),
            format!("class M{i}:\n    pass\n"),
        );
    }
    write(dir.path(), "lib/a.rb", "def a(x)\n  x + 2\nend\n");
    write(dir.path(), "svc/g1.go", "package svc\n");
    git(dir.path(), &["add", "app", "lib"]);
    for mode in [&["--staged"][..], &["--diff", "HEAD"][..]] {
        let whole = scan(dir.path(), mode);
        assert!(paths(&whole).len() >= 7, "{mode:?}: {:?}", paths(&whole));
        let shards: Vec<Value> = (1..=3)
            .map(|i| {
                let mut args = mode.to_vec();
                let shard = format!("{i}/3");
                args.extend(["--shard", shard.as_str()]);
                scan(dir.path(), &args)
            })
            .collect();
        assert_partition(&whole, &shards);
        // A changed file is in the shard that has it in a full scan.
        for (i, shard) in shards.iter().enumerate() {
            let full = path_set(&scan(dir.path(), &["--shard", &format!("{}/3", i + 1)]));
            assert!(path_set(shard).is_subset(&full), "{mode:?}");
        }
    }
}

#[test]
fn shards_through_the_daemon_are_the_direct_shards() {
    let dir = tree();
    let sock_dir = tempfile::tempdir().unwrap();
    let socket = sock_dir.path().join("d.sock");
    let mut daemon = astscan(sock_dir.path())
        .args(["daemon", "--workers", "2", "--socket"])
        .arg(&socket)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting the daemon");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::os::unix::net::UnixStream::connect(&socket).is_err() {
        assert!(Instant::now() < deadline, "the daemon did not listen");
        std::thread::sleep(Duration::from_millis(20));
    }
    let through = |shard: &str| {
        let (report, out) = analyze_json(
            dir.path(),
            &[
                "--max-file-size",
                "1M",
                "--daemon",
                "always",
                "--socket",
                socket.to_str().unwrap(),
                "--shard",
                shard,
            ],
        );
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        report
    };
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let via_daemon = through(&shard);
        assert!(
            crate::util::backends(&via_daemon)
                .iter()
                .any(|b| b.starts_with("daemon")),
            "served by the daemon"
        );
        assert_eq!(
            normalised(via_daemon),
            normalised(scan(dir.path(), &["--shard", &shard]))
        );
    }
    let _ = daemon.kill();
    let _ = daemon.wait();
}

#[test]
fn merge_refuses_reports_that_are_not_parts_of_one_scan() {
    let dir = tree();
    let out = tempfile::tempdir().unwrap();
    let o = out.path();
    let s1 = scan(dir.path(), &["--shard", "1/2"]);
    let s2 = scan(dir.path(), &["--shard", "2/2"]);
    let p1 = save(o, "s1.json", &s1);
    let p2 = save(o, "s2.json", &s2);
    let refused = |args: &[&Path], needles: &[&str]| {
        let args: Vec<&str> = args.iter().map(|p| p.to_str().unwrap()).collect();
        let result = merge(o, &args);
        let err = stderr(&result);
        assert_eq!(result.status.code(), Some(2), "{args:?}: {err}");
        assert!(result.stdout.is_empty(), "{args:?}: no report is written");
        for needle in needles {
            assert!(err.contains(needle), "{args:?}: {needle:?} not in {err}");
        }
    };

    let mut other_version = s2.clone();
    other_version["tool"]["version"] = "0.0.1-other".into();
    let v = save(o, "version.json", &other_version);
    refused(&[&p1, &v], &["version.json", "0.0.1-other", "one version"]);
    // Every report of one other version: the merged report would misstate its version.
    let mut older = s1.clone();
    older["tool"]["version"] = "0.0.1-other".into();
    let o1 = save(o, "older.json", &older);
    refused(
        &[&o1, &v],
        &["older.json", "0.0.1-other", "this is astscan"],
    );

    let enabled = scan(
        dir.path(),
        &["--shard", "2/2", "--enable", "python.weak-hash.md5-sha1"],
    );
    let r = save(o, "enabled.json", &enabled);
    refused(&[&p1, &r], &["enabled.json", "other rules or options"]);
    let timeout = scan(dir.path(), &["--shard", "2/2", "--timeout", "7"]);
    let t = save(o, "timeout.json", &timeout);
    refused(&[&p1, &t], &["timeout.json", "other rules or options"]);

    let sarif = astscan(dir.path())
        .args(["analyze", "--format", "sarif", "--shard", "2/2"])
        .args(LIMITS)
        .output()
        .unwrap();
    let s = o.join("s2.sarif");
    std::fs::write(&s, &sarif.stdout).unwrap();
    refused(&[&p1, &s], &["s2.sarif", "s1.json", "one format"]);
    let mut sarif_version: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    sarif_version["runs"][0]["tool"]["driver"]["version"] = "9.9.9".into();
    let sv = save(o, "version.sarif", &sarif_version);
    refused(&[&s, &sv], &["version.sarif", "9.9.9"]);
    let mut sarif_root = serde_json::from_slice::<Value>(&sarif.stdout).unwrap();
    sarif_root["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///elsewhere/".into();
    let sr = save(o, "root.sarif", &sarif_root);
    refused(&[&s, &sr], &["root.sarif", "file:///elsewhere/"]);
    // SARIF holds no file records: it merges into SARIF only.
    let as_json = merge(o, &["--format", "json", s.to_str().unwrap()]);
    assert_eq!(as_json.status.code(), Some(2));
    assert!(stderr(&as_json).contains("SARIF"), "{}", stderr(&as_json));

    let garbage = o.join("garbage.json");
    std::fs::write(&garbage, "this is not a report\n").unwrap();
    refused(&[&p1, &garbage], &["garbage.json", "not an astscan"]);
    let other_json = o.join("other.json");
    std::fs::write(&other_json, "{\"files\": []}").unwrap();
    refused(&[&other_json, &p1], &["other.json", "not an astscan"]);
    let mut future = s1.clone();
    future["schema_version"] = 99.into();
    let f = save(o, "future.json", &future);
    refused(&[&f, &p2], &["future.json", "schema_version 99"]);
    refused(
        &[&p1, &o.join("missing.json")],
        &["missing.json", "cannot read"],
    );

    // A file in two reports with different results.
    let mut changed = s2.clone();
    let file = changed["files"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|f| f["status"] == "parsed")
        .unwrap();
    file["lines"] = 12345.into();
    let name = file["path"].as_str().unwrap().to_string();
    let c = save(o, "changed.json", &changed);
    refused(
        &[&p1, &p2, &c],
        &[&name, "changed.json", "s2.json", "different results"],
    );

    // Nothing to merge is a usage error.
    let none = merge(o, &[]);
    assert_eq!(none.status.code(), Some(2));
}

#[test]
fn merge_exits_on_the_merged_findings_as_analyze_does() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "clean/a.py", "def a(x):\n    return x\n");
    write(d, "clean/b.js", "function b(y) { return y; }\n");
    write(d, "medium/w.py", WEAK_HASH);
    write(d, "medium/c.py", "def c():\n    pass\n");
    let out = tempfile::tempdir().unwrap();
    let shards = |sub: &str, format: &str| -> Vec<String> {
        (1..=2)
            .map(|i| {
                let o = astscan(d)
                    .args([
                        "analyze",
                        "--daemon",
                        "never",
                        "--fail-on",
                        "never",
                        "--format",
                        format,
                    ])
                    .args(["--shard", &format!("{i}/2"), sub])
                    .output()
                    .unwrap();
                assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
                let path = out.path().join(format!("{sub}-{i}.{format}"));
                std::fs::write(&path, &o.stdout).unwrap();
                path.to_str().unwrap().to_string()
            })
            .collect()
    };
    for format in ["json", "sarif"] {
        let clean = shards("clean", format);
        let medium = shards("medium", format);
        let code = |reports: &[String], extra: &[&str]| {
            let mut args: Vec<&str> = extra.to_vec();
            args.extend(reports.iter().map(String::as_str));
            let o = merge(d, &args);
            o.status.code()
        };
        assert_eq!(code(&clean, &[]), Some(0), "{format}");
        assert_eq!(code(&medium, &[]), Some(1), "{format}");
        assert_eq!(code(&medium, &["--fail-on", "medium"]), Some(1), "{format}");
        assert_eq!(code(&medium, &["--fail-on", "high"]), Some(0), "{format}");
        assert_eq!(code(&medium, &["--fail-on", "never"]), Some(0), "{format}");
    }
}

#[test]
fn bad_shard_values_are_usage_errors() {
    let dir = tree();
    for (value, needle) in [
        ("0/3", "from 1 to 3"),
        ("4/3", "from 1 to 3"),
        ("1/0", "at least 1"),
        ("x", "not I/N"),
        ("1/", "not I/N"),
        ("-1/3", "not I/N"),
    ] {
        let out = Command::new(crate::util::bin())
            .current_dir(dir.path())
            .args(["analyze", "--daemon", "never", &format!("--shard={value}")])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{value}: {err}");
        assert!(err.contains("--shard"), "{value}: {err}");
        assert!(err.contains(needle), "{value}: {err}");
        assert!(out.stdout.is_empty(), "{value}: nothing is scanned");
    }
    // A baseline written by one shard would forget the others' findings.
    let out = astscan(dir.path())
        .args(["analyze", "--shard", "1/2", "--write-baseline", "b.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--write-baseline"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_shard_opens_none_of_the_other_shards_files() {
    if Command::new("strace").arg("-V").output().is_err() {
        return crate::util::skip("strace is not installed (.ci/run installs it)");
    }
    let dir = tree();
    let shares: Vec<BTreeSet<String>> = (1..=3)
        .map(|i| path_set(&scan(dir.path(), &["--shard", &format!("{i}/3")])))
        .collect();
    for i in 1..=3 {
        let trace = dir.path().join(format!("trace-{i}.txt"));
        let out = Command::new("strace")
            .args([
                "-f",
                "-qq",
                "-s",
                "4096",
                "-e",
                "trace=open,openat,openat2",
                "-o",
            ])
            .arg(&trace)
            .arg(crate::util::bin())
            .args(["analyze", "--format", "json", "--shard", &format!("{i}/3")])
            .args(LIMITS)
            .current_dir(dir.path())
            .env("ASTSCAN_NO_CACHE", "1")
            .env("ASTSCAN_SOCKET", "/nonexistent/astscan-test.sock")
            .output()
            .expect("running strace");
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        assert_eq!(path_set(&json_of(&out)), shares[i - 1]);
        let trace = std::fs::read_to_string(&trace).expect("trace");
        std::fs::remove_file(dir.path().join(format!("trace-{i}.txt"))).unwrap();
        let opened = |path: &str| {
            trace.contains(&format!("\"./{path}\"")) || trace.contains(&format!("\"{path}\""))
        };
        // The trace sees this shard's reads ...
        assert!(
            shares[i - 1].iter().any(|p| opened(p)),
            "shard {i}: no file opened?"
        );
        // ... and none of the others' files.
        for (j, share) in shares.iter().enumerate() {
            if j + 1 == i {
                continue;
            }
            for path in share {
                assert!(!opened(path), "shard {i} opened {path} of shard {}", j + 1);
            }
        }
    }
}
