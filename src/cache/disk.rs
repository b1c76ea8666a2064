//! The on-disk result cache of direct scans, in the user's cache directory.
//!
//! One file per result, named by its key (`results-v2/ab/cdef…`), written to a temporary file
//! and renamed into place, so concurrent astscan processes never see a torn entry. A hit
//! refreshes the entry's mtime; when the cache grows past its cap, the entries least recently
//! used go first.
//!
//! Nothing on disk is taken on trust. The directories must be private directories of ours
//! ([`private`](super::private)); every entry carries an HMAC-SHA-256 tag under the per-user
//! key beside the results ([`mac`](super::mac)) over the format magic, its cache key and its
//! body, so an entry written by anyone without the key, or moved to another key, is a miss,
//! never a result. Entries are opened with `O_NOFOLLOW | O_NONBLOCK` relative to their shard's
//! descriptor, must be regular files and are read with a bound: a planted symlink, FIFO or
//! device is skipped, not followed, waited on or read without end. `clear` and eviction delete
//! only regular files, relative to shard descriptors opened without following symlinks.

use std::ffi::{CStr, CString};
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;

use super::Key;
use super::mac::{self, EntryMac, TAG_LEN};
use super::private::{self, TrustError};

/// The entries' directory inside the cache directory. Format 1 (`results-v1`, entries with
/// only a SHA-256 of themselves) is not read: its entries could have been written by anyone.
pub const RESULTS_DIR: &str = "results-v2";
/// First bytes of every entry (format version 2: authenticated).
const MAGIC: &[u8; 8] = b"ASTSCNR2";
/// Magic, body length (u64, big-endian), tag.
const HEADER_LEN: usize = 8 + 8 + TAG_LEN;
/// The largest entry read or written, header included. An analysis is a few KiB (findings'
/// snippets and names are capped), so this is far above any real one; it only bounds what a
/// planted file can make a scan read into memory. A larger result is simply not cached.
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;
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

/// What one scan (or the daemon since it started) did with the cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counters {
    /// Lookups answered.
    pub hits: u64,
    /// Lookups not answered.
    pub misses: u64,
    /// Entries found damaged, forged or not regular files (and so not used).
    pub corrupt: u64,
    /// Entries written.
    pub written: u64,
}

/// The cache directory, its key and this process's counters.
#[derive(Debug)]
pub struct DiskCache {
    /// The entries' directory (for messages and `astscan cache path`).
    dir: PathBuf,
    /// The same directory, opened and checked once: everything below is reached from here.
    results: OwnedFd,
    mac: EntryMac,
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

/// What a lookup found.
enum Found {
    /// A sound entry's body.
    Body(Vec<u8>),
    /// Nothing under that key.
    Nothing,
    /// Something that must not be used: forged, damaged, too large or not a regular file.
    Unsound,
}

/// A regular file found in a shard.
struct Listed {
    shard: Rc<OwnedFd>,
    name: CString,
    len: u64,
    mtime: (i64, i64),
}

/// The shard directory and file name of `key`.
fn names(key: &Key) -> (String, String) {
    let mut hex = crate::source::hex(key);
    let file = hex.split_off(2);
    (hex, file)
}

/// Whether `name` can be a shard: two lowercase hex digits.
fn is_shard_name(name: &[u8]) -> bool {
    name.len() == 2 && name.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl DiskCache {
    /// Opens (creating, 0700) the cache under `dir`, holding at most about `cap_bytes`.
    ///
    /// Refuses a directory (or key file) that is a symlink, is not ours or is open to group
    /// or others: its entries could have been written by someone else.
    pub fn open(dir: &Path, cap_bytes: u64) -> Result<DiskCache, TrustError> {
        let root = private::open_root(dir)?;
        let results = private::open_child(root.as_fd(), dir, RESULTS_DIR, true)?;
        let mac = mac::load_or_create(root.as_fd(), dir)?;
        Ok(DiskCache {
            dir: dir.join(RESULTS_DIR),
            results,
            mac,
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

    /// The shard directory `name`, checked like the cache directory.
    fn shard(&self, name: &str, create: bool) -> Result<OwnedFd, TrustError> {
        private::open_child(self.results.as_fd(), &self.dir, name, create)
    }

    /// The tag of an entry for `key` holding `body`.
    fn tag(&self, key: &Key, body: &[u8]) -> [u8; TAG_LEN] {
        let len = (body.len() as u64).to_be_bytes();
        self.mac.tag(&[MAGIC, key, &len, body])
    }

    /// The body stored under `key`, verified; `None` if absent or unsound.
    pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
        let found = match self.find(key) {
            Found::Body(body) => Some(body),
            Found::Nothing => None,
            Found::Unsound => {
                self.corrupt.fetch_add(1, Ordering::Relaxed);
                None
            }
        };
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    fn find(&self, key: &Key) -> Found {
        let (shard_name, name) = names(key);
        let shard = match self.shard(&shard_name, false) {
            Ok(fd) => fd,
            Err(e) if e.is_missing() => return Found::Nothing,
            Err(_) => return Found::Unsound,
        };
        // O_NONBLOCK: opening a planted FIFO returns at once instead of waiting for a writer.
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let fd = match rustix::fs::openat(&shard, name.as_str(), flags, Mode::empty()) {
            Ok(fd) => fd,
            Err(Errno::NOENT) => return Found::Nothing,
            // ELOOP: a symlink, not followed.
            Err(_) => return Found::Unsound,
        };
        let Ok(facts) = private::stat(&fd) else {
            return Found::Unsound;
        };
        if facts.kind != FileType::RegularFile {
            // Not ours to remove: only regular files are ever deleted.
            return Found::Unsound;
        }
        // Damaged entries go, so the next scan rewrites them; the name is unlinked in the
        // checked shard, and unlinking never follows a symlink.
        let remove = || {
            let _ = rustix::fs::unlinkat(&shard, name.as_str(), AtFlags::empty());
        };
        if facts.len > MAX_ENTRY_BYTES {
            remove();
            return Found::Unsound;
        }
        let mut file = File::from(fd);
        let mut raw = Vec::with_capacity(facts.len as usize);
        // One byte past the bound: a file growing while read stays bounded.
        if Read::by_ref(&mut file)
            .take(MAX_ENTRY_BYTES + 1)
            .read_to_end(&mut raw)
            .is_err()
        {
            return Found::Unsound;
        }
        match self.verify(key, raw) {
            Some(body) => {
                // Recently used: eviction goes by mtime.
                let _ = file.set_modified(SystemTime::now());
                Found::Body(body)
            }
            None => {
                remove();
                Found::Unsound
            }
        }
    }

    /// The body of a raw entry for `key`, if its magic, length and tag hold.
    fn verify(&self, key: &Key, mut raw: Vec<u8>) -> Option<Vec<u8>> {
        if raw.len() < HEADER_LEN || raw.len() as u64 > MAX_ENTRY_BYTES || &raw[..8] != MAGIC {
            return None;
        }
        let len = u64::from_be_bytes(raw[8..16].try_into().ok()?);
        if len != (raw.len() - HEADER_LEN) as u64 {
            return None;
        }
        let tag: [u8; TAG_LEN] = raw[16..HEADER_LEN].try_into().ok()?;
        let body = raw.split_off(HEADER_LEN);
        self.mac
            .verify(&[MAGIC, key, &len.to_be_bytes(), &body], &tag)
            .then_some(body)
    }

    /// Stores `body` under `key`, atomically.
    pub fn put(&self, key: &Key, body: &[u8]) -> io::Result<()> {
        if (HEADER_LEN + body.len()) as u64 > MAX_ENTRY_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "result too large to cache",
            ));
        }
        let (shard_name, name) = names(key);
        let shard = self.shard(&shard_name, true).map_err(io::Error::other)?;
        let mut nonce = [0u8; 8];
        getrandom::fill(&mut nonce).map_err(io::Error::other)?;
        let tmp = format!(".tmp-{}", crate::source::hex(&nonce));
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&shard, tmp.as_str(), flags, Mode::from_raw_mode(0o600))?;
        let result = (|| {
            let mut f = File::from(fd);
            let mut entry = Vec::with_capacity(HEADER_LEN + body.len());
            entry.extend_from_slice(MAGIC);
            entry.extend_from_slice(&(body.len() as u64).to_be_bytes());
            entry.extend_from_slice(&self.tag(key, body));
            entry.extend_from_slice(body);
            f.write_all(&entry)?;
            drop(f);
            rustix::fs::renameat(&shard, tmp.as_str(), &shard, name.as_str())?;
            Ok(())
        })();
        if result.is_err() {
            let _ = rustix::fs::unlinkat(&shard, tmp.as_str(), AtFlags::empty());
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

    /// The regular files in the shards. A shard that is a symlink, not a directory, or not a
    /// private directory of ours is skipped, whatever the directory listing claimed, since it
    /// is opened with `O_NOFOLLOW | O_DIRECTORY` and checked on its descriptor.
    fn entries(&self) -> Vec<Listed> {
        let mut out = Vec::new();
        let Ok(shards) = rustix::fs::Dir::read_from(&self.results) else {
            return out;
        };
        for shard in shards.flatten() {
            let Ok(shard_name) = shard.file_name().to_str() else {
                continue;
            };
            if !is_shard_name(shard_name.as_bytes()) {
                continue;
            }
            let Ok(fd) = self.shard(shard_name, false) else {
                continue;
            };
            let fd = Rc::new(fd);
            let Ok(files) = rustix::fs::Dir::read_from(&*fd) else {
                continue;
            };
            for file in files.flatten() {
                let name = file.file_name();
                if name == c"." || name == c".." {
                    continue;
                }
                match private::stat_at(&*fd, name) {
                    Ok(f) if f.kind == FileType::RegularFile => out.push(Listed {
                        shard: Rc::clone(&fd),
                        name: name.to_owned(),
                        len: f.len,
                        mtime: f.mtime,
                    }),
                    _ => {}
                }
            }
        }
        out
    }

    /// Removes one listed entry (the name in its checked shard; a name replaced by a directory
    /// since it was listed is not removed, and unlinking never follows a symlink).
    fn remove(entry: &Listed) -> bool {
        let name: &CStr = &entry.name;
        rustix::fs::unlinkat(&*entry.shard, name, AtFlags::empty()).is_ok()
    }

    /// What the cache holds now.
    pub fn usage(&self) -> Usage {
        let entries = self.entries();
        Usage {
            entries: entries.len() as u64,
            bytes: entries.iter().map(|e| e.len).sum(),
        }
    }

    /// Removes least recently used entries while the cache is over its cap; returns what
    /// went.
    pub fn evict(&self) -> Usage {
        let mut entries = self.entries();
        let mut total: u64 = entries.iter().map(|e| e.len).sum();
        let mut removed = Usage::default();
        if total <= self.cap_bytes {
            return removed;
        }
        let target = self.cap_bytes / 100 * EVICT_TO_PERCENT;
        entries.sort_by_key(|e| e.mtime);
        for entry in entries {
            if total <= target {
                break;
            }
            // Another process may have removed or replaced it; either way it is gone.
            if Self::remove(&entry) {
                removed.entries += 1;
                removed.bytes += entry.len;
            }
            total = total.saturating_sub(entry.len);
        }
        removed
    }

    /// Removes every entry; returns what went.
    pub fn clear(&self) -> Usage {
        let mut removed = Usage::default();
        for entry in self.entries() {
            if Self::remove(&entry) {
                removed.entries += 1;
                removed.bytes += entry.len;
            }
        }
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn cache(cap: u64) -> (tempfile::TempDir, DiskCache) {
        let dir = private::private_tempdir();
        let cache = DiskCache::open(dir.path(), cap).unwrap();
        (dir, cache)
    }

    impl DiskCache {
        fn entry_path(&self, key: &Key) -> PathBuf {
            let (shard, name) = names(key);
            self.dir.join(shard).join(name)
        }
    }

    #[test]
    fn an_entry_is_a_miss_under_another_key_file() {
        let (d, c) = cache(1 << 20);
        c.put(&[1; 32], b"body").unwrap();
        assert!(c.get(&[1; 32]).is_some());
        // The same directory with a key file of other bytes: every entry is a miss.
        let key = d.path().join(mac::KEY_FILE);
        fs::write(&key, [0x5a; 32]).unwrap();
        let other = DiskCache::open(d.path(), 1 << 20).unwrap();
        assert_eq!(other.get(&[1; 32]), None);
        assert_eq!(other.counters().corrupt, 1);
        assert!(!c.entry_path(&[1; 32]).exists(), "a forged entry stays");
    }

    #[test]
    fn an_entry_moved_to_another_key_is_a_miss() {
        let (_d, c) = cache(1 << 20);
        c.put(&[1; 32], b"clean result").unwrap();
        c.put(&[2; 32], b"dangerous result").unwrap();
        fs::copy(c.entry_path(&[1; 32]), c.entry_path(&[2; 32])).unwrap();
        assert_eq!(c.get(&[2; 32]), None);
        assert_eq!(c.counters().corrupt, 1);
        assert_eq!(c.get(&[1; 32]).as_deref(), Some(&b"clean result"[..]));
    }

    #[test]
    fn an_entry_tagged_without_our_key_is_a_miss() {
        let (_d, c) = cache(1 << 20);
        let key = [3; 32];
        c.put(&key, b"placeholder").unwrap();
        // Well formed in every way but the key it was tagged with.
        let body = b"forged";
        let len = (body.len() as u64).to_be_bytes();
        let tag = EntryMac::random().tag(&[MAGIC, &key, &len, body]);
        let forged = [&MAGIC[..], &len, &tag, body].concat();
        fs::write(c.entry_path(&key), &forged).unwrap();
        assert_eq!(c.get(&key), None);
        // And the same bytes tagged with our key are accepted: the test above is not vacuous.
        let tag = c.tag(&key, body);
        fs::write(c.entry_path(&key), [&MAGIC[..], &len, &tag, body].concat()).unwrap();
        assert_eq!(c.get(&key).as_deref(), Some(&body[..]));
    }

    #[test]
    fn fifos_symlinks_and_oversized_entries_are_misses_without_blocking() {
        let (d, c) = cache(1 << 20);
        let outside = d.path().join("outside");
        fs::write(&outside, b"kept").unwrap();
        for (n, plant) in [
            (
                1u8,
                &(|p: &Path| {
                    rustix::fs::mknodat(
                        rustix::fs::CWD,
                        p,
                        FileType::Fifo,
                        Mode::from_raw_mode(0o600),
                        0,
                    )
                    .unwrap()
                }) as &dyn Fn(&Path),
            ),
            (2, &|p: &Path| {
                std::os::unix::fs::symlink("/dev/zero", p).unwrap()
            }),
            (3, &|p: &Path| {
                std::os::unix::fs::symlink(&outside, p).unwrap()
            }),
            (4, &|p: &Path| {
                File::create(p)
                    .unwrap()
                    .set_len(MAX_ENTRY_BYTES + 1)
                    .unwrap();
            }),
        ] {
            let key = [n; 32];
            c.put(&key, b"x").unwrap();
            let path = c.entry_path(&key);
            fs::remove_file(&path).unwrap();
            plant(&path);
            assert_eq!(c.get(&key), None, "planted entry {n} was used");
        }
        assert_eq!(c.counters().corrupt, 4);
        assert_eq!(fs::read(&outside).unwrap(), b"kept");
        // Only the oversized regular file was removed.
        assert!(!c.entry_path(&[4; 32]).exists());
        assert!(fs::symlink_metadata(c.entry_path(&[3; 32])).is_ok());
    }

    #[test]
    fn clear_and_eviction_do_not_follow_a_symlinked_shard() {
        let (d, c) = cache(1);
        let victim_dir = d.path().join("victim");
        fs::create_dir(&victim_dir).unwrap();
        let victim = victim_dir.join("precious");
        fs::write(&victim, b"keep me").unwrap();
        std::os::unix::fs::symlink(&victim_dir, c.dir().join("ab")).unwrap();
        // And a symlinked entry inside a real shard.
        c.put(&[0xcd; 32], b"x").unwrap();
        let shard = c.entry_path(&[0xcd; 32]).parent().unwrap().to_path_buf();
        std::os::unix::fs::symlink(&victim, shard.join("link")).unwrap();
        assert_eq!(c.usage().entries, 1);
        assert_eq!(c.evict().entries, 1);
        c.put(&[0xcd; 32], b"x").unwrap();
        assert_eq!(c.clear().entries, 1);
        assert_eq!(fs::read(&victim).unwrap(), b"keep me");
        assert!(fs::symlink_metadata(shard.join("link")).is_ok());
    }

    #[test]
    fn a_shared_or_symlinked_cache_directory_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let d = private::private_tempdir();
        DiskCache::open(d.path(), 1).unwrap();
        let results = d.path().join(RESULTS_DIR);
        fs::set_permissions(&results, fs::Permissions::from_mode(0o770)).unwrap();
        let err = DiskCache::open(d.path(), 1).unwrap_err().to_string();
        assert!(err.contains("open to group or others"), "{err}");
        fs::set_permissions(&results, fs::Permissions::from_mode(0o700)).unwrap();
        let elsewhere = d.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        let link = d.path().join("link");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        let err = DiskCache::open(&link, 1).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
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
