//! Every supported language, end to end: the fixtures in tests/fixtures/languages/ are scanned
//! by the real binary and the structure is compared with counts checked by hand (the
//! complexity of each function is derived in a comment next to it).

use std::path::Path;

use serde_json::Value;

use crate::util::{analyze_json, assert_summary_consistent, file};

/// (name, parameters, complexity, max nesting) of each function, in source order.
type Fns = &'static [(&'static str, u64, u64, u64)];

struct Expect {
    path: &'static str,
    language: &'static str,
    functions: Fns,
    classes: &'static [&'static str],
    imports: &'static [&'static str],
}

const EXPECTED: &[Expect] = &[
    Expect {
        path: "sample.js",
        language: "javascript",
        functions: &[
            // 1 + if + && + for + if + else-if + || + ?: = 8; if > for > if = 3
            ("classify", 2, 8, 3),
            ("double", 1, 1, 0),
            ("constructor", 2, 1, 0),
            // 1 + two `case`s (default is not a decision) = 3; switch = 1
            ("area", 0, 3, 1),
            // 1 + catch + ?? = 3; try = 1
            ("load", 0, 3, 1),
        ],
        classes: &["Shape"],
        imports: &["fs", "path", "./helper.js", "lodash", "./lazy.js"],
    },
    Expect {
        path: "sample.ts",
        language: "typescript",
        functions: &[
            ("describe", 2, 3, 1),
            ("sum", 1, 2, 1),
            ("isOrigin", 1, 2, 0),
        ],
        classes: &["Point", "Pair", "Color", "Base"],
        imports: &["node:fs/promises", "./config", "legacy-module"],
    },
    Expect {
        path: "sample.tsx",
        language: "tsx",
        functions: &[
            ("List", 1, 2, 1),
            ("<anonymous>", 0, 1, 0),
            // the map callback: 1 + ?: = 2
            ("<anonymous>", 1, 2, 0),
            ("render", 0, 1, 0),
        ],
        classes: &["Props", "Panel"],
        imports: &["react", "react"],
    },
    Expect {
        path: "sample.py",
        language: "python",
        functions: &[
            // 1 + if + elif + and + for + while + comprehension for + comprehension if = 8
            ("parse", 3, 8, 2),
            ("__init__", 2, 1, 0),
            // 1 + except = 2; try > with = 2
            ("load", 1, 2, 2),
            ("square", 1, 1, 0),
        ],
        classes: &["Config"],
        imports: &["os", "os.path", "collections", ".", "..parent"],
    },
    Expect {
        path: "sample.rb",
        language: "ruby",
        functions: &[
            ("initialize", 2, 1, 0),
            // 1 + if + && + elsif = 4
            ("total", 0, 4, 1),
            // 1 + rescue = 2
            ("parse", 1, 2, 0),
        ],
        classes: &["Billing", "Invoice"],
        imports: &["json", "lib/helper"],
    },
    Expect {
        path: "Sample.java",
        language: "java",
        functions: &[
            ("Sample", 1, 1, 0),
            // 1 + for + if + && + else-if + ?: = 6; for > if = 2
            ("score", 2, 6, 2),
            ("visit", 1, 1, 0),
            ("task", 0, 1, 0),
            ("<anonymous>", 0, 1, 0),
        ],
        classes: &["Sample", "Visitor", "Mode"],
        imports: &[
            "java.util.List",
            "java.util.Map",
            "java.util.Objects.requireNonNull",
        ],
    },
    Expect {
        path: "sample.php",
        language: "php",
        functions: &[
            ("greet", 1, 1, 0),
            // 1 + if + || + foreach = 4
            ("greet", 1, 4, 1),
            // 1 + ?? = 2
            ("helper", 2, 2, 0),
        ],
        classes: &["Greeter", "Controller"],
        imports: &[
            "App\\Models\\User",
            "Psr\\Log\\LoggerInterface",
            "vendor/autoload.php",
        ],
    },
    Expect {
        path: "sample.go",
        language: "go",
        functions: &[
            ("String", 0, 1, 0),
            // 1 + if + && + for + if + else-if + one `case` = 7; if > for > if = 3;
            // parameters a, b int + name string = 3
            ("Classify", 3, 7, 3),
            ("<anonymous>", 0, 1, 0),
        ],
        classes: &["Point", "Shape"],
        imports: &["fmt", "strings", "os"],
    },
    Expect {
        // no extension: recognised by its `#!/usr/bin/env python3` line
        path: "script",
        language: "python",
        functions: &[("main", 0, 1, 0)],
        classes: &[],
        imports: &["sys"],
    },
    Expect {
        // recognised by its file name
        path: "Gemfile",
        language: "ruby",
        functions: &[],
        classes: &[],
        imports: &[],
    },
];

fn fixtures() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/languages"
    ))
}

fn names(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|v| v[key].as_str().expect("string").to_string())
        .collect()
}

#[test]
fn every_language_fixture_has_the_hand_checked_structure() {
    // The fixtures are inside this repository: name them from their own directory.
    let (report, out) = analyze_json(fixtures(), &["--path-root", "."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_summary_consistent(&report);
    for e in EXPECTED {
        let f = file(&report, e.path);
        assert_eq!(f["status"], "parsed", "{}: {f}", e.path);
        assert_eq!(f["language"], e.language, "{}", e.path);
        let got: Vec<(String, u64, u64, u64)> = f["functions"]
            .as_array()
            .expect("functions")
            .iter()
            .map(|f| {
                (
                    f["name"].as_str().expect("name").to_string(),
                    f["parameters"].as_u64().expect("parameters"),
                    f["complexity"].as_u64().expect("complexity"),
                    f["max_nesting"].as_u64().expect("max_nesting"),
                )
            })
            .collect();
        let want: Vec<(String, u64, u64, u64)> = e
            .functions
            .iter()
            .map(|(n, p, c, d)| (n.to_string(), *p, *c, *d))
            .collect();
        assert_eq!(
            got, want,
            "{}: functions (name, parameters, complexity, nesting)",
            e.path
        );
        assert_eq!(
            names(&f["classes"], "name"),
            e.classes,
            "{}: classes",
            e.path
        );
        assert_eq!(
            names(&f["imports"], "module"),
            e.imports,
            "{}: imports",
            e.path
        );
    }
    // Every file in the directory is a fixture of some language: nothing unexpected was added.
    assert_eq!(report["summary"]["parsed"], EXPECTED.len() as u64);
}

#[test]
fn reported_ranges_point_at_the_declarations() {
    let (report, _) = analyze_json(fixtures(), &["--path-root", ".", "sample.py"]);
    let f = file(&report, "sample.py");
    let parse = &f["functions"][0];
    // `def parse(` is on line 9 of the fixture and spans 9 lines.
    assert_eq!(parse["span"]["start"]["line"], 9);
    assert_eq!(parse["span"]["start"]["column"], 1);
    assert_eq!(parse["lines"], 9);
    let class = &f["classes"][0];
    assert_eq!(class["span"]["start"]["line"], 20);
    assert_eq!(f["lines"], 32);
    let expected_sha = {
        use std::io::Write;
        let bytes = std::fs::read(fixtures().join("sample.py")).expect("fixture");
        let out = std::process::Command::new("sha256sum")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                c.stdin.take().expect("stdin").write_all(&bytes)?;
                c.wait_with_output()
            })
            .expect("sha256sum");
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(f["sha256"], expected_sha.as_str());
    assert_eq!(
        f["bytes"],
        std::fs::metadata(fixtures().join("sample.py"))
            .expect("meta")
            .len()
    );
}
