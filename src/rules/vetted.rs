//! User rules for a scan, validated as deeply as `astscan rules test` does, once per content.
//!
//! The thorough check ([`Depth::Thorough`]) compiles every pattern as written, which is what
//! finds a pattern that can never match (a wrong node kind inside a field); it costs
//! milliseconds per pattern, so a scan pays it once per rule file *content*: a file that passed
//! is recorded in the result cache under a key of its SHA-256 and this build's id, and later
//! scans only run the quick check workers need anyway. A record that is missing, damaged or
//! forged is a miss (the cache authenticates its entries), so the worst a bad record can do is
//! cost the thorough check again. Without a cache (`--no-cache`) every scan checks thoroughly.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::{Depth, Rule, RuleError};
use crate::cache::disk::DiskCache;

/// What a record holds: a passing check. Anything else under the key is not one.
const PASSED: &[u8] = b"astscan rule file passed the thorough check v1";

/// The cache key recording that `text` passed the thorough check in this build. The domain
/// prefix keeps it apart from result keys, which hash other data.
fn key(text: &str) -> crate::cache::Key {
    let mut h = Sha256::new();
    h.update(b"astscan rule validation v1\0");
    h.update(crate::BUILD_ID.as_bytes());
    h.update([0]);
    h.update(text.as_bytes());
    h.finalize().into()
}

/// Loads every rule file under `dir`, each validated thoroughly unless `cache` records that
/// its content passed before (then only as deeply as workers need).
pub fn load_dir(dir: &Path, cache: Option<&DiskCache>) -> Result<Vec<Rule>, RuleError> {
    let mut rules = Vec::new();
    for (shown, text) in super::rule_files(dir)? {
        let key = key(&text);
        let passed_before = cache.is_some_and(|c| c.get(&key).is_some_and(|body| body == PASSED));
        let depth = if passed_before {
            Depth::Usable
        } else {
            Depth::Thorough
        };
        rules.extend(super::parse_file(&shown, &text, depth)?);
        if let (Some(cache), false) = (cache, passed_before) {
            // Not recording it costs the next scan the check again, nothing else.
            let _ = cache.put(&key, PASSED);
        }
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::private::private_tempdir;

    /// A rule whose argument can never be an import statement: it compiles as workers compile
    /// it, and only the thorough check rejects it.
    fn never_matches() -> String {
        crate::rules::TEST_RULE.replace(
            "(argument_list . (_) @arg)",
            "(argument_list . (import_statement) @arg)",
        )
    }

    #[test]
    fn a_passing_file_is_checked_thoroughly_once_and_a_damaged_record_is_a_miss() {
        let rules = tempfile::tempdir().unwrap();
        std::fs::write(rules.path().join("r.yaml"), crate::rules::TEST_RULE).unwrap();
        let store = private_tempdir();
        let cache = DiskCache::open(store.path(), 1 << 20).unwrap();
        assert_eq!(load_dir(rules.path(), Some(&cache)).unwrap().len(), 1);
        let c = cache.counters();
        assert_eq!((c.hits, c.misses, c.written), (0, 1, 1));
        load_dir(rules.path(), Some(&cache)).unwrap();
        let c = cache.counters();
        assert_eq!(
            (c.hits, c.misses, c.written),
            (1, 1, 1),
            "the record was used"
        );

        // Damage the record: it is a miss, and a fresh one is written.
        let (shard, name) = {
            let hex = crate::source::hex(&key(crate::rules::TEST_RULE));
            (hex[..2].to_string(), hex[2..].to_string())
        };
        let entry = cache.dir().join(shard).join(name);
        let mut raw = std::fs::read(&entry).unwrap();
        let last = raw.len() - 1;
        raw[last] ^= 1;
        std::fs::write(&entry, raw).unwrap();
        load_dir(rules.path(), Some(&cache)).unwrap();
        let c = cache.counters();
        assert_eq!((c.hits, c.corrupt, c.written), (1, 1, 2));
    }

    #[test]
    fn a_record_of_other_content_does_not_excuse_a_file() {
        let rules = tempfile::tempdir().unwrap();
        let path = rules.path().join("r.yaml");
        std::fs::write(&path, crate::rules::TEST_RULE).unwrap();
        let store = private_tempdir();
        let cache = DiskCache::open(store.path(), 1 << 20).unwrap();
        load_dir(rules.path(), Some(&cache)).unwrap();
        std::fs::write(&path, never_matches()).unwrap();
        let err = load_dir(rules.path(), Some(&cache))
            .unwrap_err()
            .to_string();
        assert!(err.contains("query does not compile"), "{err}");
        let err = load_dir(rules.path(), None).unwrap_err().to_string();
        assert!(err.contains("query does not compile"), "{err}");
    }
}
