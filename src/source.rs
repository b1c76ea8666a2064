//! Reading an input file and deciding whether it is worth parsing: size limit, binary
//! content, minified or generated code. Also its SHA-256, computed once here.
//!
//! Files are opened non-blocking and checked with `fstat` on the open descriptor, so a path
//! swapped for a FIFO between the walk and the read cannot hang the scan. Paths longer than
//! `PATH_MAX` are opened relative to their directory ([`crate::longpath`]).

use std::io::{self, Read};
use std::path::Path;

use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::report::{Reason, ReasonCode};

/// How much of the start of a file is checked for NUL bytes (as git and ripgrep do).
pub const BINARY_PROBE: usize = 8 * 1024;
/// Files smaller than this are never called minified: short one-liners are normal code.
pub const MINIFIED_MIN_BYTES: u64 = 2 * 1024;
/// Average line length (bytes) above which a file is treated as minified. Hand-written code
/// averages 30–50; bundlers' output runs to thousands.
pub const MINIFIED_AVG_LINE: u64 = 500;
/// How much of the start of a file is searched for a "generated" marker.
pub const GENERATED_PROBE: usize = 1024;

/// The gates a file must pass.
#[derive(Clone, Copy, Debug)]
pub struct Gates {
    /// Largest file read, in bytes.
    pub max_file_size: u64,
    /// Parse minified and generated files too.
    pub include_generated: bool,
}

/// A file that passed the gates.
#[derive(Debug)]
pub struct Loaded {
    /// Its bytes.
    pub bytes: Bytes,
    /// SHA-256, lower-case hex.
    pub sha256: String,
    /// SHA-256, raw.
    pub sha256_bytes: [u8; 32],
}

/// A file that did not pass: why, and its size if it was known.
#[derive(Debug)]
pub struct NotLoaded {
    /// Why.
    pub reason: Reason,
    /// Size, when stat got that far.
    pub size: Option<u64>,
    /// SHA-256, when the file was read before being rejected.
    pub sha256: Option<String>,
}

impl NotLoaded {
    /// A file of `size` bytes, over the size gate.
    pub fn too_large(size: u64, gates: Gates) -> NotLoaded {
        NotLoaded {
            reason: Reason::new(
                ReasonCode::TooLarge,
                format!(
                    "{size} bytes, over the --max-file-size limit of {}",
                    gates.max_file_size
                ),
            ),
            size: Some(size),
            sha256: None,
        }
    }
}

/// Reads `path` and applies the gates.
pub fn load(path: &Path, gates: Gates) -> Result<Loaded, NotLoaded> {
    let not = |reason: Reason| NotLoaded {
        reason,
        size: None,
        sha256: None,
    };
    let mut file = crate::longpath::open_nonblocking(path).map_err(|e| not(io_reason(&e)))?;
    let meta = file.metadata().map_err(|e| not(io_reason(&e)))?;
    if !meta.is_file() {
        return Err(not(Reason::new(
            ReasonCode::NotRegularFile,
            "not a regular file",
        )));
    }
    let size = meta.len();
    if size > gates.max_file_size {
        return Err(NotLoaded::too_large(size, gates));
    }
    // Read at most one byte past the limit: a file growing during the scan stays bounded.
    let mut buf = Vec::with_capacity(size as usize);
    file.by_ref()
        .take(gates.max_file_size + 1)
        .read_to_end(&mut buf)
        .map_err(|e| not(io_reason(&e)))?;
    let size = buf.len() as u64;
    if size > gates.max_file_size {
        return Err(NotLoaded {
            reason: Reason::new(
                ReasonCode::TooLarge,
                "grew past the --max-file-size limit while being read",
            ),
            size: Some(size),
            sha256: None,
        });
    }
    from_bytes(buf, gates)
}

/// Applies the content gates (binary, minified, generated) to bytes from elsewhere than a
/// file, such as a blob in the git index; the size gate is the caller's.
pub fn from_bytes(buf: Vec<u8>, gates: Gates) -> Result<Loaded, NotLoaded> {
    let size = buf.len() as u64;
    let digest: [u8; 32] = Sha256::digest(&buf).into();
    let sha256 = hex(&digest);
    let rejected = |reason: Reason| NotLoaded {
        reason,
        size: Some(size),
        sha256: Some(sha256.clone()),
    };
    if buf[..buf.len().min(BINARY_PROBE)].contains(&0) {
        return Err(rejected(Reason::new(
            ReasonCode::Binary,
            "binary file (NUL bytes in the first 8 KiB)",
        )));
    }
    if !gates.include_generated {
        if let Some(avg) = minified(&buf) {
            return Err(rejected(Reason::new(
                ReasonCode::Minified,
                format!(
                    "minified (average line length {avg} bytes); --include-generated parses it"
                ),
            )));
        }
        if let Some(marker) = generated_marker(&buf) {
            return Err(rejected(Reason::new(
                ReasonCode::Generated,
                format!("generated code (\"{marker}\" marker); --include-generated parses it"),
            )));
        }
    }
    Ok(Loaded {
        bytes: Bytes::from(buf),
        sha256,
        sha256_bytes: digest,
    })
}

/// `Some(average line length)` when the file looks minified.
fn minified(buf: &[u8]) -> Option<u64> {
    let len = buf.len() as u64;
    if len < MINIFIED_MIN_BYTES {
        return None;
    }
    let lines = crate::worker::analyze::count_lines(buf).max(1);
    let avg = len / lines;
    (avg > MINIFIED_AVG_LINE).then_some(avg)
}

/// The marker that says a file is generated, looked for near its start.
fn generated_marker(buf: &[u8]) -> Option<&'static str> {
    let head = &buf[..buf.len().min(GENERATED_PROBE)];
    let head = String::from_utf8_lossy(head);
    if head.contains("@generated") {
        return Some("@generated");
    }
    // Go's convention: https://go.dev/s/generatedcode
    head.lines()
        .any(|l| l.starts_with("// Code generated ") && l.trim_end().ends_with("DO NOT EDIT."))
        .then_some("Code generated ... DO NOT EDIT.")
}

/// Maps an I/O error on an input to a reason.
pub fn io_reason(e: &io::Error) -> Reason {
    match e.kind() {
        io::ErrorKind::NotFound => {
            Reason::new(ReasonCode::Vanished, "deleted before it could be read")
        }
        io::ErrorKind::PermissionDenied => Reason::new(ReasonCode::Unreadable, "permission denied"),
        _ if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => {
            Reason::new(ReasonCode::BrokenSymlink, "symbolic link loop")
        }
        _ => Reason::new(ReasonCode::Unreadable, e.to_string()),
    }
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Parses exactly `2 × N` hex digits (either case).
pub fn unhex<const N: usize>(hex: &str) -> Option<[u8; N]> {
    // `from_str_radix` alone would take a sign ("+f").
    if hex.len() != 2 * N || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unhex_takes_exactly_hex_digits() {
        assert_eq!(unhex::<2>("0aFf"), Some([0x0a, 0xff]));
        assert_eq!(unhex::<2>(&hex(&[1, 254])), Some([1, 254]));
        for bad in ["0aF", "0aFf0", "+f00", "0g00", "é00"] {
            assert_eq!(unhex::<2>(bad), None, "{bad}");
        }
    }

    fn gates() -> Gates {
        Gates {
            max_file_size: 1024 * 1024,
            include_generated: false,
        }
    }

    fn load_bytes(bytes: &[u8], gates: Gates) -> Result<Loaded, NotLoaded> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.js");
        std::fs::write(&path, bytes).unwrap();
        load(&path, gates)
    }

    #[test]
    fn sha256_of_contents() {
        let loaded = load_bytes(b"abc", gates()).unwrap();
        assert_eq!(
            loaded.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn gates_reject_with_reasons() {
        let code = |r: Result<Loaded, NotLoaded>| r.err().map(|e| e.reason.code);
        assert_eq!(code(load_bytes(b"a\0b", gates())), Some(ReasonCode::Binary));
        let minified = format!("var a={};\n", "1+".repeat(5000));
        assert_eq!(
            code(load_bytes(minified.as_bytes(), gates())),
            Some(ReasonCode::Minified)
        );
        let included = Gates {
            include_generated: true,
            ..gates()
        };
        assert_eq!(code(load_bytes(minified.as_bytes(), included)), None);
        let go = b"// Code generated by protoc-gen-go. DO NOT EDIT.\npackage x\n";
        assert_eq!(code(load_bytes(go, gates())), Some(ReasonCode::Generated));
        let small = Gates {
            max_file_size: 2,
            ..gates()
        };
        assert_eq!(code(load_bytes(b"abc", small)), Some(ReasonCode::TooLarge));
        assert_eq!(code(load_bytes(b"", gates())), None);
        assert_eq!(code(load_bytes(b"\xff\xfe invalid utf-8", gates())), None);
    }
}
