//! The daemon's result cache: analysed outcomes by content, in memory, with a byte cap and
//! least-recently-used eviction.
//!
//! Keyed like the on-disk cache of direct scans ([`crate::cache::key`]).

use bytes::Bytes;
use lru::LruCache;

pub use crate::cache::{Key, key};

/// Counters shown by `astscan daemon status`.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CacheStats {
    /// Entries held (filled in by [`ResultCache::stats`]).
    pub entries: u64,
    /// Bytes held (payloads plus a per-entry overhead).
    pub bytes: u64,
    /// The byte cap.
    pub capacity_bytes: u64,
    /// Lookups that found an entry.
    pub hits: u64,
    /// Lookups that did not.
    pub misses: u64,
}

/// Memory each entry costs besides its payload (key, list links, map slot), for the cap.
const ENTRY_OVERHEAD: u64 = 96;

/// An LRU map of outcome payloads with a byte cap.
pub struct ResultCache {
    map: LruCache<Key, Bytes>,
    stats: CacheStats,
}

impl ResultCache {
    /// An empty cache holding at most `capacity_bytes` (0 disables it).
    pub fn new(capacity_bytes: u64) -> Self {
        ResultCache {
            map: LruCache::unbounded(),
            stats: CacheStats {
                capacity_bytes,
                ..CacheStats::default()
            },
        }
    }

    /// The payload for `key`, marking it recently used.
    pub fn get(&mut self, key: &Key) -> Option<Bytes> {
        let found = self.map.get(key).cloned();
        if found.is_some() {
            self.stats.hits += 1;
        } else {
            self.stats.misses += 1;
        }
        found
    }

    /// Stores a payload, evicting the least recently used entries past the cap. A payload
    /// larger than the whole cap is not stored.
    pub fn insert(&mut self, key: Key, value: Bytes) {
        let cost = value.len() as u64 + ENTRY_OVERHEAD;
        if cost > self.stats.capacity_bytes {
            return;
        }
        if let Some(old) = self.map.put(key, value) {
            self.stats.bytes -= old.len() as u64 + ENTRY_OVERHEAD;
        }
        self.stats.bytes += cost;
        while self.stats.bytes > self.stats.capacity_bytes {
            match self.map.pop_lru() {
                Some((_, v)) => self.stats.bytes -= v.len() as u64 + ENTRY_OVERHEAD,
                None => break,
            }
        }
    }

    /// Current counters.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            entries: self.map.len() as u64,
            ..self.stats
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(n: u8) -> Key {
        [n; 32]
    }

    #[test]
    fn evicts_least_recently_used_past_the_byte_cap() {
        let mut cache = ResultCache::new(3 * (100 + ENTRY_OVERHEAD));
        for n in 0..3 {
            cache.insert(k(n), Bytes::from(vec![n; 100]));
        }
        assert!(cache.get(&k(0)).is_some()); // 0 is now the most recent
        cache.insert(k(3), Bytes::from(vec![3; 100]));
        assert!(cache.get(&k(1)).is_none(), "1 was least recently used");
        assert!(cache.get(&k(0)).is_some());
        assert!(cache.get(&k(3)).is_some());
        let stats = cache.stats();
        assert_eq!(stats.entries, 3);
        assert!(stats.bytes <= stats.capacity_bytes);
        assert_eq!((stats.hits, stats.misses), (3, 1));
    }

    #[test]
    fn oversized_values_and_a_zero_cap_store_nothing() {
        let mut cache = ResultCache::new(0);
        cache.insert(k(1), Bytes::from_static(b"x"));
        assert!(cache.get(&k(1)).is_none());
        assert_eq!(cache.stats().bytes, 0);
    }
}
