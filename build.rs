//! Computes the build id that parent and worker processes compare in their handshake: the
//! package version plus a hash of everything that shapes their behaviour (sources, language
//! data, dependency lock), so two binaries built from different trees never talk.

use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::path::Path;

fn hash_dir(dir: &Path, h: &mut DefaultHasher) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            hash_dir(&p, h);
        } else if let Ok(bytes) = std::fs::read(&p) {
            h.write(
                p.strip_prefix(env!("CARGO_MANIFEST_DIR"))
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .as_bytes(),
            );
            h.write(&bytes);
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut h = DefaultHasher::new();
    for dir in ["src", "parsers"] {
        hash_dir(&root.join(dir), &mut h);
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
