//! The JSON report against its published schema. (The generated files themselves are checked
//! against the code that generates them by a unit test in `src/assets.rs`.)

use std::path::Path;

use crate::util::{analyze_json, assert_summary_consistent, write};

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn real_reports_validate_against_the_published_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("src/report/report.schema.json"))
            .expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");

    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "ok.py", "import os\ndef f(a):\n    return a\n");
    write(dir.path(), "bad.ts", "let x: = ;\n");
    write(dir.path(), "bin.js", b"\0");
    let (report, _) = analyze_json(dir.path(), &["ok.py", "bad.ts", "bin.js", "missing.go"]);
    assert_summary_consistent(&report);
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let (fixtures, _) = analyze_json(&repo_root().join("tests/fixtures/languages"), &[]);
    let errors: Vec<String> = validator
        .iter_errors(&fixtures)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // The schema is strict enough to catch a broken report.
    let mut broken = report.clone();
    broken["files"][0]["status"] = "exploded".into();
    assert!(!validator.is_valid(&broken));
}
