//! Computes the build id that parent and worker processes compare in their handshake: the
//! package version plus a hash of everything that shapes their behaviour (sources, language
//! data, dependency lock), so two binaries built from different trees never talk.

use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::path::Path;

fn hash_dir(root: &Path, dir: &Path, h: &mut DefaultHasher) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            hash_dir(root, &p, h);
        } else if let Ok(bytes) = std::fs::read(&p) {
            h.write(
                p.strip_prefix(root)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .as_bytes(),
            );
            h.write(&bytes);
        }
    }
}

/// Writes `$OUT_DIR/builtin_rules.rs`: every file under `parsers/*/rules/`, embedded with
/// `include_str!`, so adding a rule or fixture needs no code change.
fn embed_rules(root: &Path) {
    let mut files = Vec::new();
    if let Ok(langs) = std::fs::read_dir(root.join("parsers")) {
        for lang in langs.flatten() {
            let dir = lang.path().join("rules");
            if let Ok(entries) = std::fs::read_dir(&dir) {
                for e in entries.flatten() {
                    if e.path().is_file() {
                        files.push(e.path());
                    }
                }
            }
        }
    }
    // An empty pack would build a scanner that finds nothing, and say so only at run time.
    assert!(
        !files.is_empty(),
        "no rule files under {}/parsers/*/rules",
        root.display()
    );
    files.sort();
    let mut out = String::from(
        "/// (path relative to the repository, contents) of every built-in rule file and fixture.\n",
    );
    out.push_str("pub static FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        let rel = f
            .strip_prefix(root)
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        out.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            f.to_string_lossy()
        ));
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_rules.rs");
    std::fs::write(dest, out).expect("writing builtin_rules.rs");
}

fn main() {
    // Read when the script runs, not when it was compiled: a target directory moved or
    // copied from another checkout keeps its compiled build script.
    let root = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let root = root.as_path();
    embed_rules(root);
    let mut h = DefaultHasher::new();
    for dir in ["src", "parsers"] {
        hash_dir(root, &root.join(dir), &mut h);
        println!("cargo:rerun-if-changed={dir}");
    }
    for file in ["Cargo.toml", "Cargo.lock"] {
        if let Ok(bytes) = std::fs::read(root.join(file)) {
            h.write(&bytes);
        }
        println!("cargo:rerun-if-changed={file}");
    }
    println!("cargo:rustc-env=ASTSCAN_BUILD_HASH={:016x}", h.finish());
}
