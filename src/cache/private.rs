//! What the on-disk cache may trust: real directories and files of ours, closed to others.
//!
//! Another user who can write the cache directory (or who owns it, or who planted a symlink in
//! its place) could hand us forged results or make us delete files elsewhere. So every
//! directory the cache uses is opened without following a final symlink and then checked on
//! the open descriptor (`fstat`), never by path: owned by our effective uid, mode `& 0o077 ==
//! 0`. What lies below is reached relative to those descriptors (`openat`), so a directory
//! swapped for a symlink after the check is still not followed.

use std::fs;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;

/// Why a cache directory or key file is not used.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// It is there, but another user could have written it.
    #[error("{} {why}, so it cannot be trusted", path.display())]
    Unsafe {
        /// The directory or file.
        path: PathBuf,
        /// What is wrong with it, in words.
        why: String,
    },
    /// Opening, creating or reading it failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The directory or file.
        path: PathBuf,
        /// The failure.
        source: io::Error,
    },
}

impl TrustError {
    /// Whether the directory or file is simply not there.
    pub fn is_missing(&self) -> bool {
        matches!(self, TrustError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
    }
}

/// What a `stat` says, in the same types on every platform.
#[derive(Clone, Copy, Debug)]
pub struct Facts {
    /// Regular file, directory, symlink…
    pub kind: FileType,
    /// Owner.
    pub uid: u32,
    /// Permission bits (`& 0o7777`).
    pub mode: u32,
    /// Size in bytes (0 if the OS reports a negative one).
    pub len: u64,
    /// Modification time: seconds and nanoseconds since the epoch.
    pub mtime: (i64, i64),
}

// The field types of `struct stat` differ between platforms; on some these casts are no-ops.
#[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
fn facts(st: &rustix::fs::Stat) -> Facts {
    Facts {
        kind: FileType::from_raw_mode(st.st_mode as _),
        uid: st.st_uid as u32,
        mode: st.st_mode as u32 & 0o7777,
        len: u64::try_from(st.st_size).unwrap_or(0),
        mtime: (st.st_mtime as i64, st.st_mtime_nsec as i64),
    }
}

/// `fstat` of an open descriptor.
pub fn stat(fd: impl AsFd) -> io::Result<Facts> {
    Ok(facts(&rustix::fs::fstat(fd)?))
}

/// `stat` of `name` in `dir`, not following a symlink.
pub fn stat_at(dir: impl AsFd, name: &std::ffi::CStr) -> io::Result<Facts> {
    Ok(facts(&rustix::fs::statat(
        dir,
        name,
        AtFlags::SYMLINK_NOFOLLOW,
    )?))
}

/// Our effective uid: the user whose files we may trust.
pub fn euid() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// Why `f` must not be trusted as a `want` of ours, or `None` if it may.
pub fn why_unsafe(f: &Facts, want: FileType) -> Option<String> {
    if f.kind != want {
        return Some(match want {
            FileType::Directory => "is not a directory".into(),
            _ => "is not a regular file".into(),
        });
    }
    let euid = euid();
    if f.uid != euid {
        return Some(format!("is owned by uid {}, not by us (uid {euid})", f.uid));
    }
    if f.mode & 0o077 != 0 {
        return Some(format!(
            "is open to group or others (mode {:04o}; it must be {})",
            f.mode,
            if want == FileType::Directory {
                "0700"
            } else {
                "0600"
            }
        ));
    }
    None
}

const DIR_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

/// Creates `dir` (and missing parents) with mode 0700 if it is missing, opens it and checks
/// that it is a private directory of ours.
pub fn open_root(dir: &Path) -> Result<OwnedFd, TrustError> {
    let io_err = |source: io::Error| TrustError::Io {
        path: dir.to_path_buf(),
        source,
    };
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io_err)?;
    let opened = rustix::fs::open(dir, DIR_FLAGS, Mode::empty());
    checked_dir(opened, dir)
}

/// Opens the directory `name` inside `parent` (at `parent_path`), creating it with mode 0700
/// first if `create`, and checks that it is a private directory of ours.
pub fn open_child(
    parent: BorrowedFd<'_>,
    parent_path: &Path,
    name: &str,
    create: bool,
) -> Result<OwnedFd, TrustError> {
    let path = parent_path.join(name);
    let mut opened = rustix::fs::openat(parent, name, DIR_FLAGS, Mode::empty());
    if create && matches!(opened, Err(Errno::NOENT)) {
        match rustix::fs::mkdirat(parent, name, Mode::from_raw_mode(0o700)) {
            // Made by a concurrent process in the meantime: checked like any other.
            Ok(()) | Err(Errno::EXIST) => {}
            Err(e) => {
                return Err(TrustError::Io {
                    path,
                    source: e.into(),
                });
            }
        }
        opened = rustix::fs::openat(parent, name, DIR_FLAGS, Mode::empty());
    }
    checked_dir(opened, &path)
}

fn checked_dir(opened: rustix::io::Result<OwnedFd>, path: &Path) -> Result<OwnedFd, TrustError> {
    let unsafe_dir = |why: &str| TrustError::Unsafe {
        path: path.to_path_buf(),
        why: why.into(),
    };
    let fd = match opened {
        Ok(fd) => fd,
        // A final symlink is refused (ELOOP, or ENOTDIR with O_DIRECTORY on Linux), as is
        // anything else that is not a directory; the path is looked at again only to say which.
        Err(Errno::LOOP | Errno::NOTDIR) => {
            let link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            return Err(unsafe_dir(if link {
                "is a symbolic link"
            } else {
                "is not a directory"
            }));
        }
        Err(e) => {
            return Err(TrustError::Io {
                path: path.to_path_buf(),
                source: e.into(),
            });
        }
    };
    let f = stat(&fd).map_err(|source| TrustError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    match why_unsafe(&f, FileType::Directory) {
        Some(why) => Err(unsafe_dir(&why)),
        None => Ok(fd),
    }
}

/// A temporary directory of mode 0700, as the cache wants its directory (`tempdir()` follows
/// the umask).
#[cfg(test)]
pub fn private_tempdir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    tempfile::Builder::new()
        .permissions(fs::Permissions::from_mode(0o700))
        .tempdir()
        .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn roots_are_created_private_and_unsafe_ones_refused() {
        let tmp = private_tempdir();
        let root = tmp.path().join("a/b");
        open_root(&root).unwrap();
        for dir in [tmp.path().join("a"), root.clone()] {
            let mode = fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{}", dir.display());
        }

        fs::set_permissions(&root, fs::Permissions::from_mode(0o770)).unwrap();
        let err = open_root(&root).unwrap_err().to_string();
        assert!(err.contains("open to group or others (mode 0770"), "{err}");
        fs::set_permissions(&root, fs::Permissions::from_mode(0o700)).unwrap();

        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&root, &link).unwrap();
        let err = open_root(&link).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");

        let parent = open_root(tmp.path()).unwrap();
        fs::write(tmp.path().join("file"), b"").unwrap();
        let err = open_child(parent.as_fd(), tmp.path(), "file", true).unwrap_err();
        assert!(err.to_string().contains("not a directory"), "{err}");
        let err = open_child(parent.as_fd(), tmp.path(), "link", true).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        let err = open_child(parent.as_fd(), tmp.path(), "none", false).unwrap_err();
        assert!(err.is_missing(), "{err}");
        open_child(parent.as_fd(), tmp.path(), "new", true).unwrap();
        let mode = fs::metadata(tmp.path().join("new"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}
