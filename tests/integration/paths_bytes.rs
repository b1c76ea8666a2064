//! File names are bytes: names that are not UTF-8 are scanned and reported under their exact
//! bytes, names with control or bidi characters are escaped in text output, and paths longer
//! than `PATH_MAX` are read.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::{Mode, OFlags};
use serde_json::Value;

use crate::util::{analyze_json, assert_summary_consistent, astscan, commit, git};

/// PHP that the built-in `php.code-injection.tainted-code` rule flags (line 3): request data
/// reaches eval.
const FLAGGED_PHP: &str = "<?php\n$expr = $_POST['expr'];\neval('$result = ' . $expr . ';');\n";

/// Writes `contents` at `rel` (bytes, not necessarily UTF-8) below `dir`.
fn write_bytes(dir: &Path, rel: &[u8], contents: &str) -> PathBuf {
    let path = dir.join(OsStr::from_bytes(rel));
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, contents).expect("write");
    path
}

/// Decodes lower-case hex.
fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect()
}

/// The exact name a JSON record stands for: `path_bytes` when present, else `path`.
fn raw_path(file: &Value) -> Vec<u8> {
    match file["path_bytes"].as_str() {
        Some(hex) => unhex(hex),
        None => file["path"].as_str().expect("path").as_bytes().to_vec(),
    }
}

/// The record whose exact name is `raw`.
fn record<'a>(report: &'a Value, raw: &[u8]) -> &'a Value {
    let files = report["files"].as_array().expect("files");
    files
        .iter()
        .find(|f| raw_path(f) == raw)
        .unwrap_or_else(|| panic!("{:?} not in report: {files:#?}", OsStr::from_bytes(raw)))
}

/// Asserts `file` was parsed and has the eval finding.
fn assert_flagged(file: &Value) {
    assert_eq!(file["status"], "parsed", "{file:#}");
    let rules: Vec<&str> = file["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    assert_eq!(rules, ["php.code-injection.tainted-code"], "{file:#}");
}

#[test]
fn php_file_named_with_invalid_utf8_vanished_from_directory_scans() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_bytes(dir.path(), b"\xff.php", FLAGGED_PHP);
    let (report, out) = analyze_json(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "the finding fails the scan");
    assert_summary_consistent(&report);
    let file = record(&report, b"\xff.php");
    assert_flagged(file);
    assert_eq!(file["path"], "\\xff.php");
    assert_eq!(file["path_bytes"], "ff2e706870");
}

#[test]
fn php_file_named_with_invalid_utf8_on_the_command_line_was_unsupported() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_bytes(dir.path(), b"\xff.php", FLAGGED_PHP);
    let out = astscan(dir.path())
        .args(["analyze", "--format", "json"])
        .arg(OsStr::from_bytes(b"\xff.php"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_flagged(record(&report, b"\xff.php"));
}

#[test]
fn directory_with_invalid_utf8_name_was_reported_under_a_path_that_does_not_exist() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_bytes(dir.path(), b"d\xfe/a.php", FLAGGED_PHP);
    let (report, out) = analyze_json(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let file = record(&report, b"d\xfe/a.php");
    assert_flagged(file);
    assert_eq!(file["path"], "d\\xfe/a.php");
    // The reported name is the file's name.
    assert!(
        dir.path()
            .join(OsStr::from_bytes(&raw_path(file)))
            .is_file()
    );
}

#[test]
fn invalid_byte_and_replacement_character_names_collided_in_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Directory names used to be converted lossily, the invalid byte becoming U+FFFD; file
    // names that were not UTF-8 were dropped.
    let names: [&[u8]; 6] = [
        b"d\xfe/a.php",
        "d\u{fffd}/a.php".as_bytes(),
        b"d\\xfe/a.php",
        b"\xff.php",
        "\u{fffd}.php".as_bytes(),
        b"\\xff.php",
    ];
    for name in names {
        write_bytes(dir.path(), name, FLAGGED_PHP);
    }
    let (report, _) = analyze_json(dir.path(), &[]);
    let paths: Vec<&str> = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    let mut unique = paths.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        paths.len(),
        "two names share a reported path: {paths:?}"
    );
    assert_eq!(paths.len(), names.len(), "{paths:?}");
    for name in names {
        assert_flagged(record(&report, name));
    }
}

#[test]
fn control_and_bidi_characters_in_names_were_written_raw_to_the_text_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let names: [(&str, &str); 4] = [
        ("new\nline.php", "new\\nline.php"),
        ("carriage\rreturn.php", "carriage\\rreturn.php"),
        ("\x1b[31mred.php", "\\x1b[31mred.php"),
        ("gpj\u{202e}.php", "gpj\\u{202e}.php"),
    ];
    for (name, _) in names {
        write_bytes(dir.path(), name.as_bytes(), FLAGGED_PHP);
    }
    let out = astscan(dir.path())
        .args([
            "analyze",
            "--color",
            "never",
            "missing\x1b]0;title\x07.php",
            ".",
        ])
        .output()
        .expect("run");
    let stdout = String::from_utf8(out.stdout).expect("text output is UTF-8");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for raw in ['\r', '\x1b', '\x07', '\u{202e}'] {
        assert!(!stdout.contains(raw), "{raw:?} in stdout:\n{stdout}");
        assert!(!stderr.contains(raw), "{raw:?} in stderr:\n{stderr}");
    }
    assert!(!stdout.contains("new\nline"), "{stdout}");
    for (_, escaped) in names {
        assert!(
            stdout.contains(&format!(
                "{escaped}:3:1: critical php.code-injection.tainted-code"
            )),
            "{escaped} not in stdout:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("missing\\x1b]0;title\\x07.php: failed:"),
        "{stdout}"
    );
    assert!(
        stderr.contains("missing\\x1b]0;title\\x07.php: no such file"),
        "{stderr}"
    );
}

/// Directories opened only for searching, to build trees deeper than `PATH_MAX` allows.
const DIR: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::CLOEXEC);

/// Makes `dir/<200 × d>/<200 × d>/…` of `levels` levels with `mkdirat`, which never sees more
/// than one component (`create_dir_all` fails past `PATH_MAX`); writes `name` with `contents`
/// in the deepest one and returns its path relative to `dir`.
fn deep_file(dir: &Path, levels: usize, name: &str, contents: &str) -> PathBuf {
    let component = "d".repeat(200);
    let mut fd = rustix::fs::open(dir, DIR, Mode::empty()).expect("open");
    let mut rel = PathBuf::new();
    for _ in 0..levels {
        match rustix::fs::mkdirat(&fd, component.as_str(), Mode::from_raw_mode(0o755)) {
            Ok(()) | Err(rustix::io::Errno::EXIST) => {}
            Err(e) => panic!("mkdirat: {e}"),
        }
        fd = rustix::fs::openat(&fd, component.as_str(), DIR, Mode::empty()).expect("openat");
        rel.push(&component);
    }
    let file = rustix::fs::openat(
        &fd,
        name,
        OFlags::WRONLY | OFlags::CREATE | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o644),
    )
    .expect("create");
    rustix::io::write(&file, contents.as_bytes()).expect("write");
    rel.join(name)
}

#[test]
fn path_longer_than_path_max_failed_as_unreadable() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 20 levels: the directory (4020 bytes) can still be listed; the file's path (4274 bytes)
    // cannot be opened in one call.
    let name = format!("{}.php", "f".repeat(250));
    let rel = deep_file(dir.path(), 20, &name, FLAGGED_PHP);
    assert!(rel.as_os_str().len() > 4096, "{}", rel.as_os_str().len());
    let raw = rel.as_os_str().as_bytes();

    let (report, out) = analyze_json(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    assert_flagged(record(&report, raw));

    let (report, out) = analyze_json(dir.path(), &[rel.to_str().expect("ASCII")]);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    assert_flagged(record(&report, raw));

    // Deeper still, named explicitly: every directory on the way is past `PATH_MAX` too.
    let rel = deep_file(dir.path(), 25, "g.php", FLAGGED_PHP);
    let (report, out) = analyze_json(dir.path(), &[rel.to_str().expect("ASCII")]);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    assert_flagged(record(&report, rel.as_os_str().as_bytes()));
}

#[test]
fn staged_file_named_with_invalid_utf8_was_dropped() {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q"]);
    crate::util::write(dir.path(), "README.md", "x\n");
    git(dir.path(), &["add", "README.md"]);
    commit(dir.path(), "init");
    write_bytes(dir.path(), b"\xff.php", FLAGGED_PHP);
    git(dir.path(), &["add", "-A"]);
    let (report, out) = analyze_json(dir.path(), &["--staged"]);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    assert_flagged(record(&report, b"\xff.php"));
}

/// Decodes `%XX` escapes.
fn percent_decode(uri: &str) -> Vec<u8> {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn sarif_uri_of_a_name_with_invalid_utf8_lost_its_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_bytes(dir.path(), b"d\xfe/\xff:\\.php", FLAGGED_PHP);
    let out = astscan(dir.path())
        .args(["analyze", "--format", "sarif"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("sarif is JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 1, "{sarif:#}");
    let uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .expect("uri");
    assert_eq!(uri, "d%FE/%FF%3A%5C.php");
    assert_eq!(percent_decode(uri), b"d\xfe/\xff:\\.php");

    crate::util::assert_valid_sarif(&sarif);
}
