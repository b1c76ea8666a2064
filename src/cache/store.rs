//! One interface over the places analyses are kept — the daemon's memory, the private
//! directory of direct scans — and a tiered store that asks them fastest first, so a scan and
//! the daemon look results up and store them the same way whatever tiers are configured.
//!
//! Stores hold bodies (serialised outcomes) by [`Key`]; they do not decode them. Lookups take
//! a batch of keys, so a store that answers over a network can answer many in one round trip.
//! Every operation is best effort: a store that fails costs speed, never results, so errors end
//! in the store's counters, not in the caller.

use std::sync::{Arc, Mutex};

use bytes::Bytes;

use super::Key;
use super::disk::DiskCache;
use crate::daemon::cache::{CacheStats, ResultCache};

/// Which kind of store answered a lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// Memory of the daemon process.
    Memory,
    /// The on-disk cache directory.
    Disk,
    /// A server shared by a team ([`super::remote`]).
    Remote,
}

/// A place that keeps analyses by key.
pub trait Store: Send + Sync {
    /// What kind of store this is.
    fn tier(&self) -> Tier;
    /// The bodies stored under `keys`, in the same order; `None` for a miss.
    fn get_many(&self, keys: &[Key]) -> Vec<Option<Bytes>>;
    /// Keeps `body` under `key`.
    fn put(&self, key: &Key, body: &Bytes);
    /// Housekeeping once a scan is done (eviction past a size cap).
    fn maintain(&self) {}
    /// Whether its operations wait on files or a network (callers on an event loop move them
    /// to a blocking thread; memory answers in place).
    fn blocks(&self) -> bool {
        true
    }
    /// What a remote tier did, for the summary (other tiers report nothing here).
    fn remote_stats(&self) -> Option<super::remote::RemoteStats> {
        None
    }
}

/// The daemon's in-memory LRU.
pub struct MemoryStore(Mutex<ResultCache>);

impl MemoryStore {
    /// An empty store of at most `capacity_bytes` (0: it keeps nothing).
    pub fn new(capacity_bytes: u64) -> MemoryStore {
        MemoryStore(Mutex::new(ResultCache::new(capacity_bytes)))
    }

    /// Entries, bytes and hit counts, for `daemon status`.
    pub fn stats(&self) -> CacheStats {
        crate::lock(&self.0).stats()
    }
}

impl Store for MemoryStore {
    fn tier(&self) -> Tier {
        Tier::Memory
    }

    fn get_many(&self, keys: &[Key]) -> Vec<Option<Bytes>> {
        let mut cache = crate::lock(&self.0);
        keys.iter().map(|k| cache.get(k)).collect()
    }

    fn put(&self, key: &Key, body: &Bytes) {
        crate::lock(&self.0).insert(*key, body.clone());
    }

    fn blocks(&self) -> bool {
        false
    }
}

impl Store for DiskCache {
    fn tier(&self) -> Tier {
        Tier::Disk
    }

    fn get_many(&self, keys: &[Key]) -> Vec<Option<Bytes>> {
        keys.iter().map(|k| self.get(k).map(Bytes::from)).collect()
    }

    fn put(&self, key: &Key, body: &Bytes) {
        // A full disk or a read-only cache costs speed, not results; the entry is a miss
        // next time.
        let _ = DiskCache::put(self, key, body);
    }

    fn maintain(&self) {
        if self.counters().written > 0 {
            self.evict();
        }
    }
}

/// Stores asked in order, fastest first: a lookup goes to the next tier only for the keys the
/// previous ones missed, and a hit is copied into the faster tiers that missed it.
#[derive(Clone, Default)]
pub struct Tiered {
    tiers: Vec<Arc<dyn Store>>,
}

impl std::fmt::Debug for Tiered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tiers: Vec<Tier> = self.tiers.iter().map(|t| t.tier()).collect();
        f.debug_struct("Tiered").field("tiers", &tiers).finish()
    }
}

impl Tiered {
    /// The tiers, fastest first.
    pub fn new(tiers: Vec<Arc<dyn Store>>) -> Tiered {
        Tiered { tiers }
    }

    /// Whether there is no tier at all (nothing is cached).
    pub fn is_empty(&self) -> bool {
        self.tiers.is_empty()
    }

    /// How many tiers, from the fastest, answer without blocking: [`Tiered::get_in`] of
    /// `0..quick_tiers()` may run on an event loop, the rest may not.
    pub fn quick_tiers(&self) -> usize {
        self.tiers
            .iter()
            .position(|t| t.blocks())
            .unwrap_or(self.tiers.len())
    }

    /// The number of tiers.
    pub fn len(&self) -> usize {
        self.tiers.len()
    }

    /// The bodies under `keys`, in order, with the tier that held each.
    pub fn get_many(&self, keys: &[Key]) -> Vec<Option<(Bytes, Tier)>> {
        self.get_many_in(keys, 0..self.tiers.len())
    }

    /// The body under `key` from the tiers in `tiers` only (a hit is still copied into every
    /// faster tier).
    pub fn get_in(&self, key: &Key, tiers: std::ops::Range<usize>) -> Option<(Bytes, Tier)> {
        self.get_many_in(std::slice::from_ref(key), tiers)
            .pop()
            .flatten()
    }

    fn get_many_in(
        &self,
        keys: &[Key],
        tiers: std::ops::Range<usize>,
    ) -> Vec<Option<(Bytes, Tier)>> {
        let mut found: Vec<Option<(Bytes, Tier)>> = vec![None; keys.len()];
        let mut missing: Vec<usize> = (0..keys.len()).collect();
        for (t, store) in self.tiers.iter().enumerate() {
            if !tiers.contains(&t) {
                continue;
            }
            if missing.is_empty() {
                break;
            }
            let asked: Vec<Key> = missing.iter().map(|&i| keys[i]).collect();
            let answers = store.get_many(&asked);
            let mut still = Vec::new();
            for (&i, answer) in missing.iter().zip(answers) {
                match answer {
                    Some(body) => {
                        for faster in &self.tiers[..t] {
                            faster.put(&keys[i], &body);
                        }
                        found[i] = Some((body, store.tier()));
                    }
                    None => still.push(i),
                }
            }
            missing = still;
        }
        found
    }

    /// The body under `key`, with the tier that held it.
    pub fn get(&self, key: &Key) -> Option<(Bytes, Tier)> {
        self.get_many(std::slice::from_ref(key)).pop().flatten()
    }

    /// Keeps `body` under `key` in every tier.
    pub fn put(&self, key: &Key, body: &Bytes) {
        for store in &self.tiers {
            store.put(key, body);
        }
    }

    /// What the remote tier did, if there is one.
    pub fn remote_stats(&self) -> Option<super::remote::RemoteStats> {
        self.tiers.iter().find_map(|t| t.remote_stats())
    }

    /// Housekeeping in every tier.
    pub fn maintain(&self) {
        for store in &self.tiers {
            store.maintain();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> Key {
        [n; 32]
    }

    #[test]
    fn a_lookup_falls_through_tiers_and_promotes_hits() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("cache");
        let disk = Arc::new(DiskCache::open(&root, 1 << 20).unwrap());
        let memory = Arc::new(MemoryStore::new(1 << 20));
        let tiers = Tiered::new(vec![memory.clone(), disk.clone()]);
        disk.put(&key(1), &Bytes::from_static(b"on disk")).unwrap();
        memory.put(&key(2), &Bytes::from_static(b"in memory"));

        let found = tiers.get_many(&[key(1), key(2), key(3)]);
        assert_eq!(found[0], Some((Bytes::from_static(b"on disk"), Tier::Disk)));
        assert_eq!(
            found[1],
            Some((Bytes::from_static(b"in memory"), Tier::Memory))
        );
        assert_eq!(found[2], None);
        // The disk hit is now in memory too.
        assert_eq!(
            tiers.get(&key(1)),
            Some((Bytes::from_static(b"on disk"), Tier::Memory))
        );
        // Memory was asked three times and disk only for what memory missed.
        assert_eq!(disk.counters().hits, 1);
        assert_eq!(disk.counters().misses, 1);
    }

    #[test]
    fn a_put_reaches_every_tier() {
        let dir = tempfile::tempdir().unwrap();
        let disk = Arc::new(DiskCache::open(&dir.path().join("cache"), 1 << 20).unwrap());
        let memory = Arc::new(MemoryStore::new(1 << 20));
        let tiers = Tiered::new(vec![memory.clone(), disk.clone()]);
        tiers.put(&key(7), &Bytes::from_static(b"result"));
        assert_eq!(
            memory.get_many(&[key(7)]),
            vec![Some(Bytes::from_static(b"result"))]
        );
        assert_eq!(disk.get(&key(7)).as_deref(), Some(&b"result"[..]));
        assert!(Tiered::default().get(&key(7)).is_none());
    }

    #[test]
    fn memory_is_a_quick_tier_and_disk_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let disk = Arc::new(DiskCache::open(&dir.path().join("cache"), 1 << 20).unwrap());
        let memory = Arc::new(MemoryStore::new(1 << 20));
        let tiers = Tiered::new(vec![memory.clone(), disk.clone()]);
        assert_eq!(tiers.quick_tiers(), 1);
        disk.put(&key(4), &Bytes::from_static(b"slow")).unwrap();
        // Asking the quick tiers alone leaves the disk alone.
        assert_eq!(tiers.get_in(&key(4), 0..1), None);
        assert_eq!(disk.counters().hits + disk.counters().misses, 0);
        assert_eq!(
            tiers.get_in(&key(4), 1..2),
            Some((Bytes::from_static(b"slow"), Tier::Disk))
        );
        // The disk hit was copied into memory, the faster tier outside the range.
        assert_eq!(
            tiers.get_in(&key(4), 0..1),
            Some((Bytes::from_static(b"slow"), Tier::Memory))
        );
    }
}
