//! The per-user key that authenticates the on-disk cache's entries, kept in a file beside them.
//!
//! An entry's checksum alone proves nothing: whoever can write the entry can recompute it. So
//! each entry carries an HMAC-SHA-256 tag under 32 random bytes that only this user can read
//! (`<cache dir>/key`, a regular 0600 file owned by us, made on first use). A key file that is
//! anything else (a symlink, another user's, readable by others, the wrong size) is refused, as
//! an unsafe cache directory is: the cache is then not used at all. The key lives in memory
//! only as HMAC state, wiped when dropped; it is never printed.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{BorrowedFd, OwnedFd};
use std::path::Path;

use hmac::{Hmac, KeyInit, Mac};
use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::private::{self, TrustError};

/// The key file's name inside the cache directory.
pub const KEY_FILE: &str = "key";
/// Bytes of key: the HMAC-SHA-256 output size, so the key is as strong as the tag.
const KEY_LEN: usize = 32;
/// Bytes of one tag.
pub const TAG_LEN: usize = 32;

type HmacSha256 = Hmac<Sha256>;

// The keyed HMAC state is as good as the key. It is two SHA-256 block states (inner and outer
// pad absorbed), which wipe themselves when dropped with sha2's `zeroize` feature; this fails
// to compile if that ever stops being so.
const _: fn() = || {
    fn wiped_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    wiped_on_drop::<<Sha256 as hmac::digest::block_api::CoreProxy>::Core>();
};

/// The keyed MAC that tags and checks entries.
pub struct EntryMac {
    /// HMAC state already keyed; cloned per entry, so the key itself is not kept.
    keyed: HmacSha256,
}

impl std::fmt::Debug for EntryMac {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EntryMac(..)")
    }
}

impl EntryMac {
    /// A MAC under `key` (tests and [`load_or_create`]).
    fn new(key: &[u8; KEY_LEN]) -> EntryMac {
        EntryMac {
            // HMAC accepts keys of any length; a 32-byte key cannot be refused.
            keyed: <HmacSha256 as KeyInit>::new_from_slice(key)
                .expect("HMAC takes keys of any length"),
        }
    }

    /// A MAC under a fresh random key, for tests.
    #[cfg(test)]
    pub fn random() -> EntryMac {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        getrandom::fill(&mut key[..]).expect("the OS random source works in tests");
        EntryMac::new(&key)
    }

    fn over(&self, parts: &[&[u8]]) -> HmacSha256 {
        let mut mac = self.keyed.clone();
        for part in parts {
            mac.update(part);
        }
        mac
    }

    /// The tag of the concatenation of `parts` (fixed-size parts, but for the last, so that
    /// concatenation is unambiguous).
    pub fn tag(&self, parts: &[&[u8]]) -> [u8; TAG_LEN] {
        self.over(parts).finalize().into_bytes().into()
    }

    /// Whether `tag` is the tag of `parts`, compared in constant time.
    pub fn verify(&self, parts: &[&[u8]], tag: &[u8]) -> bool {
        self.over(parts).verify_slice(tag).is_ok()
    }
}

/// Reads the key file in the directory `dir` (open as `dir_fd`), creating it if missing.
pub fn load_or_create(dir_fd: BorrowedFd<'_>, dir: &Path) -> Result<EntryMac, TrustError> {
    let path = dir.join(KEY_FILE);
    let io_err = |source: io::Error| TrustError::Io {
        path: path.clone(),
        source,
    };
    // Twice at most: a missing key is created (or another process wins the race to create
    // it), then read back, so every process uses the one that was published.
    for _ in 0..2 {
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        match rustix::fs::openat(dir_fd, KEY_FILE, flags, Mode::empty()) {
            Ok(fd) => return read_key(fd, &path),
            Err(Errno::NOENT) => create(dir_fd).map_err(io_err)?,
            Err(Errno::LOOP) => {
                return Err(TrustError::Unsafe {
                    path,
                    why: "is a symbolic link".into(),
                });
            }
            Err(e) => return Err(io_err(e.into())),
        }
    }
    Err(io_err(io::Error::new(
        io::ErrorKind::NotFound,
        "created, then gone",
    )))
}

/// Checks what `fd` is before a byte of it is trusted, then reads the key.
fn read_key(fd: OwnedFd, path: &Path) -> Result<EntryMac, TrustError> {
    let unsafe_key = |why: String| TrustError::Unsafe {
        path: path.to_path_buf(),
        why,
    };
    let f = private::stat(&fd).map_err(|source| TrustError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if let Some(why) = private::why_unsafe(&f, FileType::RegularFile) {
        return Err(unsafe_key(why));
    }
    if f.len != KEY_LEN as u64 {
        return Err(unsafe_key(format!(
            "is {} bytes, not {KEY_LEN} (remove it to start the cache afresh)",
            f.len
        )));
    }
    let mut file = File::from(fd);
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    let mut extra = [0u8; 1];
    let read = file
        .read_exact(&mut key[..])
        .and_then(|()| file.read(&mut extra));
    match read {
        Ok(0) => Ok(EntryMac::new(&key)),
        Ok(_) => Err(unsafe_key("grew while being read".into())),
        Err(source) => Err(TrustError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Fewest bytes of key material a team key file must hold (after trailing whitespace): as
/// many as the tag is long, so the key is not the weak part. `openssl rand -hex 32` gives 64.
pub const TEAM_KEY_MIN: usize = 32;
/// Most bytes read from a team key file: a key, not a document.
const TEAM_KEY_MAX: u64 = 4096;

/// Reads the team key that authenticates entries of a shared (remote) cache from `path`: a
/// regular file of ours that no one else may read (mode 0600 or stricter; a symlink to such a
/// file is followed, as secret mounts use them), holding at least [`TEAM_KEY_MIN`] bytes of
/// key material. Trailing whitespace is not part of the key, so `openssl rand -hex 32 > FILE`
/// makes one. Errors name the file, never its bytes.
pub fn load_team_key(path: &Path) -> Result<EntryMac, TrustError> {
    let io_err = |source: io::Error| TrustError::Io {
        path: path.to_path_buf(),
        source,
    };
    let unsafe_key = |why: String| TrustError::Unsafe {
        path: path.to_path_buf(),
        why,
    };
    let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = rustix::fs::open(path, flags, Mode::empty()).map_err(|e| io_err(e.into()))?;
    let f = private::stat(&fd).map_err(io_err)?;
    if let Some(why) = private::why_unsafe(&f, FileType::RegularFile) {
        return Err(unsafe_key(why));
    }
    if f.len > TEAM_KEY_MAX {
        return Err(unsafe_key(format!(
            "is {} bytes, more than a key ({TEAM_KEY_MAX} at most)",
            f.len
        )));
    }
    let mut material = Zeroizing::new(Vec::with_capacity(f.len as usize));
    File::from(fd)
        .take(TEAM_KEY_MAX)
        .read_to_end(&mut material)
        .map_err(io_err)?;
    let used = material
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |last| last + 1);
    if used < TEAM_KEY_MIN {
        return Err(unsafe_key(format!(
            "holds {used} bytes of key, fewer than {TEAM_KEY_MIN} (make one with \
             `openssl rand -hex 32`)"
        )));
    }
    Ok(EntryMac {
        // HMAC accepts keys of any length.
        keyed: <HmacSha256 as KeyInit>::new_from_slice(&material[..used])
            .expect("HMAC takes keys of any length"),
    })
}

/// Writes a fresh key to a private temporary file and links it into place, so no process
/// ever reads a half-written key and a concurrent creator's key is never replaced.
fn create(dir_fd: BorrowedFd<'_>) -> io::Result<()> {
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    getrandom::fill(&mut key[..]).map_err(io::Error::other)?;
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(io::Error::other)?;
    let tmp = format!(".key-{}", crate::source::hex(&nonce));
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let fd = rustix::fs::openat(dir_fd, &tmp, flags, Mode::from_raw_mode(0o600))?;
    let mut file = File::from(fd);
    let written = file
        .write_all(&key[..])
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            match rustix::fs::linkat(dir_fd, &tmp, dir_fd, KEY_FILE, AtFlags::empty()) {
                // Another process published its key first: that one is read back.
                Ok(()) | Err(Errno::EXIST) => Ok(()),
                Err(e) => Err(e.into()),
            }
        });
    let _ = rustix::fs::unlinkat(dir_fd, &tmp, AtFlags::empty());
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::fd::AsFd;
    use std::os::unix::fs::PermissionsExt;

    fn load(dir: &Path) -> Result<EntryMac, TrustError> {
        let fd = private::open_root(dir).unwrap();
        load_or_create(fd.as_fd(), dir)
    }

    #[test]
    fn the_key_is_created_private_once_and_then_reused() {
        let dir = private::private_tempdir();
        let a = load(dir.path()).unwrap();
        let meta = fs::symlink_metadata(dir.path().join(KEY_FILE)).unwrap();
        assert!(meta.is_file());
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(meta.len(), KEY_LEN as u64);
        let b = load(dir.path()).unwrap();
        let tag = a.tag(&[b"one", b"two"]);
        assert!(b.verify(&[b"one", b"two"], &tag));
        assert!(!b.verify(&[b"one", b"twO"], &tag));
        assert!(!EntryMac::random().verify(&[b"one", b"two"], &tag));
        // No temporary file is left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn team_keys_are_read_from_private_files_only() {
        let dir = private::private_tempdir();
        let path = dir.path().join("team.key");
        fs::write(&path, format!("{}\n", "ab".repeat(32))).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let a = load_team_key(&path).unwrap();
        // Trailing whitespace is not key: the same key without the newline tags the same.
        fs::write(&path, "ab".repeat(32)).unwrap();
        let b = load_team_key(&path).unwrap();
        assert!(b.verify(&[b"x"], &a.tag(&[b"x"])));
        fs::write(&path, "ac".repeat(32)).unwrap();
        assert!(
            !load_team_key(&path)
                .unwrap()
                .verify(&[b"x"], &a.tag(&[b"x"]))
        );

        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let err = load_team_key(&path).unwrap_err().to_string();
        assert!(err.contains("open to group or others"), "{err}");
        assert!(!err.contains("acac"), "{err}");

        fs::write(&path, "short\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let err = load_team_key(&path).unwrap_err().to_string();
        assert!(err.contains("5 bytes of key, fewer than 32"), "{err}");
        assert!(!err.contains("short"), "{err}");

        let err = load_team_key(&dir.path().join("missing")).unwrap_err();
        assert!(err.is_missing());
    }

    #[test]
    fn unsafe_key_files_are_refused() {
        let dir = private::private_tempdir();
        let key = dir.path().join(KEY_FILE);
        load(dir.path()).unwrap();
        fs::set_permissions(&key, fs::Permissions::from_mode(0o644)).unwrap();
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("open to group or others (mode 0644"), "{err}");

        fs::remove_file(&key).unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::write(&elsewhere, [0u8; KEY_LEN]).unwrap();
        fs::set_permissions(&elsewhere, fs::Permissions::from_mode(0o600)).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &key).unwrap();
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");

        fs::remove_file(&key).unwrap();
        fs::write(&key, [0u8; 5]).unwrap();
        fs::set_permissions(&key, fs::Permissions::from_mode(0o600)).unwrap();
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("not 32"), "{err}");

        fs::remove_file(&key).unwrap();
        fs::create_dir(&key).unwrap();
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
        // The error names the file, never its bytes.
        assert!(err.contains(KEY_FILE));
    }
}
