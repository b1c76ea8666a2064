//! The on-disk result cache of direct scans, in the user's cache directory.
//!
//! One file per result, named by its key (`ab/cdef…`), written to a temporary file and renamed
//! into place, so concurrent astscan processes never see a torn entry. Each entry carries a
//! magic, the body's length and its SHA-256: a truncated or corrupted entry is detected,
//! removed and treated as a miss, never as a result. A hit refreshes the entry's mtime; when
//! the cache grows past its cap, the entries least recently used go first.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use super::Key;

/// First bytes of every entry (format version 1).
const MAGIC: &[u8; 8] = b"ASTSCNR1";
const HEADER_LEN: usize = 8 + 8 + 32;
/// After an eviction the cache holds at most this share of its cap, so the next scans do not
/// evict again at once.
const EVICT_TO_PERCENT: u64 = 90;

/// Sizes of what the cache holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Usage {
    /// Entries.
    pub entries: u64,
    /// Bytes on disk (file sizes).
    pub bytes: u64,
}

/// What one scan did with the cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Lookups answered.
    pub hits: u64,
    /// Lookups not answered.
    pub misses: u64,
    /// Entries found damaged (and removed).
    pub corrupt: u64,
    /// Entries written.
    pub written: u64,
}

/// The cache directory and this process's counters.
#[derive(Debug)]
pub struct DiskCache {
    dir: PathBuf,
    cap_bytes: u64,
    hits: AtomicU64,
    misses: AtomicU64,
    corrupt: AtomicU64,
    written: AtomicU64,
}

/// The default location: `$ASTSCAN_CACHE_DIR`, else the user cache directory
/// (`$XDG_CACHE_HOME/astscan` or `~/.cache/astscan` on Linux).
pub fn default_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ASTSCAN_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "astscan").map(|d| d.cache_dir().to_path_buf())
}

impl DiskCache {
    /// Opens (creating, 0700) the cache under `dir`, holding at most about `cap_bytes`.
    pub fn open(dir: &Path, cap_bytes: u64) -> io::Result<DiskCache> {
        let dir = dir.join("results-v1");
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)?;
        Ok(DiskCache {
            dir,
            cap_bytes,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            corrupt: AtomicU64::new(0),
            written: AtomicU64::new(0),
        })
    }

    /// Where the entries live.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn entry_path(&self, key: &Key) -> PathBuf {
        let hex = crate::source::hex(key);
        self.dir.join(&hex[..2]).join(&hex[2..])
    }

    /// The body stored under `key`, verified; `None` if absent or damaged.
    pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
        let path = self.entry_path(key);
        let found = File::open(&path).ok().and_then(|mut f| {
            let mut raw = Vec::new();
            f.read_to_end(&mut raw).ok()?;
            match verify(raw) {
                Some(body) => {
                    // Recently used: eviction goes by mtime.
                    let _ = f.set_modified(SystemTime::now());
                    Some(body)
                }
                None => {
                    self.corrupt.fetch_add(1, Ordering::Relaxed);
                    let _ = fs::remove_file(&path);
                    None
                }
            }
        });
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores `body` under `key`, atomically.
    pub fn put(&self, key: &Key, body: &[u8]) -> io::Result<()> {
        let path = self.entry_path(key);
        let parent = path.parent().unwrap_or(&self.dir);
        let mut nonce = [0u8; 8];
        getrandom::fill(&mut nonce).map_err(io::Error::other)?;
        let tmp = parent.join(format!(".tmp-{}", crate::source::hex(&nonce)));
        let create = || {
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&tmp)
        };
        let result = (|| {
            // The shard directory exists after the first write to it: create it only then.
            let mut f = match create() {
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    fs::DirBuilder::new()
                        .recursive(true)
                        .mode(0o700)
                        .create(parent)?;
                    create()?
                }
                other => other?,
            };
            let mut entry = Vec::with_capacity(HEADER_LEN + body.len());
            entry.extend_from_slice(MAGIC);
            entry.extend_from_slice(&(body.len() as u64).to_be_bytes());
            entry.extend_from_slice(&Sha256::digest(body));
            entry.extend_from_slice(body);
            f.write_all(&entry)?;
            drop(f);
            fs::rename(&tmp, &path)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        } else {
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    /// This process's counters.
    pub fn counters(&self) -> Counters {
        Counters {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            corrupt: self.corrupt.load(Ordering::Relaxed),
            written: self.written.load(Ordering::Relaxed),
        }
    }

    fn entries(&self) -> Vec<(PathBuf, u64, SystemTime)> {
        let mut out = Vec::new();
        let Ok(shards) = fs::read_dir(&self.dir) else {
            return out;
        };
        for shard in shards.flatten() {
            let Ok(files) = fs::read_dir(shard.path()) else {
                continue;
            };
            for file in files.flatten() {
                if let Ok(meta) = file.metadata() {
                    if meta.is_file() {
                        let mtime = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                        out.push((file.path(), meta.len(), mtime));
                    }
                }
            }
        }
        out
    }

    /// What the cache holds now.
    pub fn usage(&self) -> Usage {
        let entries = self.entries();
        Usage {
            entries: entries.len() as u64,
            bytes: entries.iter().map(|e| e.1).sum(),
        }
    }

    /// Removes least recently used entries while the cache is over its cap; returns what
    /// went.
    pub fn evict(&self) -> Usage {
        let mut entries = self.entries();
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        let mut removed = Usage::default();
        if total <= self.cap_bytes {
            return removed;
        }
        let target = self.cap_bytes / 100 * EVICT_TO_PERCENT;
        entries.sort_by_key(|e| e.2);
        for (path, len, _) in entries {
            if total <= target {
                break;
            }
            // Another process may have removed or replaced it; either way it is gone.
            if fs::remove_file(&path).is_ok() {
                removed.entries += 1;
                removed.bytes += len;
            }
            total = total.saturating_sub(len);
        }
        removed
    }

    /// Removes every entry; returns what went.
    pub fn clear(&self) -> Usage {
        let mut removed = Usage::default();
        for (path, len, _) in self.entries() {
            if fs::remove_file(&path).is_ok() {
                removed.entries += 1;
                removed.bytes += len;
            }
        }
        removed
    }
}

/// The body of a raw entry, if its magic, length and digest hold.
fn verify(mut raw: Vec<u8>) -> Option<Vec<u8>> {
    if raw.len() < HEADER_LEN || &raw[..8] != MAGIC {
        return None;
    }
    let len = u64::from_be_bytes(raw[8..16].try_into().ok()?);
    if len != (raw.len() - HEADER_LEN) as u64 {
        return None;
    }
    let digest: [u8; 32] = raw[16..48].try_into().ok()?;
    let body = raw.split_off(HEADER_LEN);
    (Sha256::digest(&body)[..] == digest[..]).then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(cap: u64) -> (tempfile::TempDir, DiskCache) {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::open(dir.path(), cap).unwrap();
        (dir, cache)
    }

    #[test]
    fn stores_and_returns_bodies_by_key() {
        let (_d, c) = cache(1 << 20);
        assert_eq!(c.get(&[1; 32]), None);
        c.put(&[1; 32], b"{\"analyzed\":{}}").unwrap();
        assert_eq!(c.get(&[1; 32]).as_deref(), Some(&b"{\"analyzed\":{}}"[..]));
        c.put(&[1; 32], b"replaced").unwrap();
        assert_eq!(c.get(&[1; 32]).as_deref(), Some(&b"replaced"[..]));
        let n = c.counters();
        assert_eq!((n.hits, n.misses, n.written), (2, 1, 2));
        assert_eq!(c.usage().entries, 1);
    }

    #[test]
    fn damaged_entries_are_misses_and_are_removed() {
        let (_d, c) = cache(1 << 20);
        let body = b"a body long enough to cut in half".to_vec();
        for (n, damage) in [
            (
                1u8,
                &(|raw: &mut Vec<u8>| raw.truncate(raw.len() - 5)) as &dyn Fn(&mut Vec<u8>),
            ),
            (2, &|raw: &mut Vec<u8>| {
                let last = raw.len() - 1;
                raw[last] ^= 1;
            }),
            (3, &|raw: &mut Vec<u8>| raw[0] = b'X'),
            (4, &|raw: &mut Vec<u8>| raw.truncate(10)),
        ] {
            let key = [n; 32];
            c.put(&key, &body).unwrap();
            let path = c.entry_path(&key);
            let mut raw = fs::read(&path).unwrap();
            damage(&mut raw);
            fs::write(&path, raw).unwrap();
            assert_eq!(c.get(&key), None, "damage {n} went unnoticed");
            assert!(!path.exists(), "damaged entry {n} left in place");
        }
        assert_eq!(c.counters().corrupt, 4);
    }

    #[test]
    fn eviction_removes_least_recently_used_entries_past_the_cap() {
        let body = vec![7u8; 1000];
        let entry = (HEADER_LEN + body.len()) as u64;
        let (_d, c) = cache(3 * entry);
        for n in 0..5u8 {
            c.put(&[n; 32], &body).unwrap();
            let old = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1000 + n as u64);
            File::options()
                .write(true)
                .open(c.entry_path(&[n; 32]))
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        // A hit makes entry 0 the most recently used.
        assert!(c.get(&[0; 32]).is_some());
        let removed = c.evict();
        assert_eq!(
            removed.entries, 3,
            "down to 90 % of a 3-entry cap: 2 entries"
        );
        assert!(c.get(&[0; 32]).is_some());
        assert!(c.get(&[4; 32]).is_some());
        assert!(c.get(&[1; 32]).is_none());
        assert_eq!(c.clear().entries, 2);
        assert_eq!(c.usage(), Usage::default());
    }

    #[test]
    fn writes_leave_no_temporary_files_and_entries_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let (_d, c) = cache(1 << 20);
        c.put(&[9; 32], b"x").unwrap();
        let shard = c.entry_path(&[9; 32]).parent().unwrap().to_path_buf();
        let names: Vec<_> = fs::read_dir(&shard).unwrap().flatten().collect();
        assert_eq!(names.len(), 1);
        let mode = names[0].metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = fs::metadata(c.dir()).unwrap().permissions().mode() & 0o777;
        assert_eq!(dir_mode, 0o700);
    }
}
