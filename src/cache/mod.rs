//! Results cached by content: the key shared by the daemon's in-memory cache and the on-disk
//! cache of direct scans ([`disk`]), so both answer for the same file under the same options.
//!
//! A key is SHA-256 over the file's SHA-256, its language and an options fingerprint (engine
//! build, rules, deadline, memory limit): a file answers from the cache wherever it lives and
//! whatever its mtime, and never across an engine or rule change.

pub mod disk;
pub mod mac;
pub mod private;
pub mod remote;
pub mod store;

use sha2::{Digest, Sha256};

/// A cache key.
pub type Key = [u8; 32];

/// Builds the key for a file.
pub fn key(content_sha256: &[u8; 32], language: &str, options: &[u8; 32]) -> Key {
    let mut h = Sha256::new();
    h.update(b"astscan result cache v1\0");
    h.update(content_sha256);
    h.update(language.as_bytes());
    h.update([0]);
    h.update(options);
    h.finalize().into()
}

/// Fingerprint of everything besides the content that shapes a result.
pub fn options_fingerprint(
    rules: &[crate::rules::Rule],
    deadline_ms: u64,
    memory_limit_mb: u64,
) -> Result<[u8; 32], serde_json::Error> {
    let canonical = serde_json::to_vec(rules)?;
    let mut h = Sha256::new();
    h.update(crate::BUILD_ID.as_bytes());
    h.update([0]);
    h.update(&canonical);
    h.update(deadline_ms.to_be_bytes());
    h.update(memory_limit_mb.to_be_bytes());
    Ok(h.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_by_content_language_and_options() {
        let base = key(&[1; 32], "python", &[9; 32]);
        assert_ne!(base, key(&[2; 32], "python", &[9; 32]));
        assert_ne!(base, key(&[1; 32], "ruby", &[9; 32]));
        assert_ne!(base, key(&[1; 32], "python", &[8; 32]));
        assert_eq!(base, key(&[1; 32], "python", &[9; 32]));
    }

    #[test]
    fn the_fingerprint_follows_rules_and_limits() {
        let rules = crate::rules::builtin().unwrap();
        let base = options_fingerprint(&rules, 5000, 4096).unwrap();
        assert_eq!(base, options_fingerprint(&rules, 5000, 4096).unwrap());
        assert_ne!(base, options_fingerprint(&rules[1..], 5000, 4096).unwrap());
        assert_ne!(base, options_fingerprint(&rules, 4000, 4096).unwrap());
        assert_ne!(base, options_fingerprint(&rules, 5000, 1024).unwrap());
    }
}
