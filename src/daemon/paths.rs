//! Where the daemon's socket and lock live, and the checks that keep them private.
//!
//! Default: `$XDG_RUNTIME_DIR/astscan/daemon.sock` (the runtime dir is per-user and 0700 by
//! the XDG spec). Without a runtime dir: `/tmp/astscan-<uid>/daemon.sock`, in a directory we
//! create 0700 and whose owner and type we verify, because anyone can create paths in /tmp
//! first. `--socket` / `ASTSCAN_SOCKET` override both.
//!
//! Clients run the same checks as the daemon before they connect to a default path (but never
//! create or repair the directory): whoever owns the directory chooses what listens in it, so a
//! directory that is not ours, or that others can write to, is not trusted with our files.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Longest socket path the kernel accepts (`sun_path` is 108 bytes with a terminating NUL).
pub const MAX_SOCKET_PATH: usize = 107;
/// Socket file name inside the daemon's directory.
const SOCKET_NAME: &str = "daemon.sock";

/// Why a socket location cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PathError {
    /// The path is longer than a Unix socket address allows.
    #[error(
        "socket path {path} is {len} bytes; Unix sockets allow at most {MAX_SOCKET_PATH} (choose a shorter --socket)"
    )]
    TooLong {
        /// The path.
        path: PathBuf,
        /// Its length in bytes.
        len: usize,
    },
    /// The directory is not ours or not private.
    #[error("refusing to use {path}: {why}")]
    Unsafe {
        /// The directory.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// Creating or inspecting the directory failed.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
}

/// The socket path to use: `explicit` (from `--socket` or `ASTSCAN_SOCKET`) or the default.
/// With `create`, the default directory is created if missing (the daemon does; clients only
/// look).
pub fn socket_path(explicit: Option<&Path>, create: bool) -> Result<PathBuf, PathError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => default_dir(create)?.join(SOCKET_NAME),
    };
    check_len(&path)?;
    Ok(path)
}

/// The lock file that makes a daemon the only one on its socket.
pub fn lock_path(socket: &Path) -> PathBuf {
    let mut name = socket.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Refuses paths a `sockaddr_un` cannot hold.
pub fn check_len(path: &Path) -> Result<(), PathError> {
    let len = path.as_os_str().len();
    if len > MAX_SOCKET_PATH {
        return Err(PathError::TooLong {
            path: path.to_path_buf(),
            len,
        });
    }
    Ok(())
}

fn default_dir(create: bool) -> Result<PathBuf, PathError> {
    let uid = rustix::process::getuid().as_raw();
    let runtime = directories::BaseDirs::new().and_then(|d| d.runtime_dir().map(Path::to_path_buf));
    let dir = match runtime {
        Some(runtime) => runtime.join("astscan"),
        None => std::env::temp_dir().join(format!("astscan-{uid}")),
    };
    if create {
        ensure_private_dir(&dir, uid)?;
    } else {
        match fs::symlink_metadata(&dir) {
            // No directory, no daemon: connecting will say so.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            _ => check_private_dir(&dir, uid)?,
        }
    }
    Ok(dir)
}

/// Insists, without changing anything, that `dir` is a real directory (not a symlink) owned by
/// `uid`, closed to group and others, whose parents only `uid` or root can change.
pub fn check_private_dir(dir: &Path, uid: u32) -> Result<(), PathError> {
    let meta = fs::symlink_metadata(dir).map_err(|source| PathError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    check_dir_meta(dir, &meta, uid)?;
    if meta.mode() & 0o077 != 0 {
        return Err(PathError::Unsafe {
            path: dir.to_path_buf(),
            why: format!(
                "its mode is {:04o}; only its owner may use it (0700)",
                meta.mode() & 0o7777
            ),
        });
    }
    check_parents(dir, uid)
}

/// A real directory owned by `uid`.
fn check_dir_meta(dir: &Path, meta: &fs::Metadata, uid: u32) -> Result<(), PathError> {
    let unsafe_dir = |why: String| PathError::Unsafe {
        path: dir.to_path_buf(),
        why,
    };
    if meta.file_type().is_symlink() {
        return Err(unsafe_dir("it is a symbolic link".into()));
    }
    if !meta.is_dir() {
        return Err(unsafe_dir("it is not a directory".into()));
    }
    if meta.uid() != uid {
        return Err(unsafe_dir(format!(
            "it is owned by uid {}, not by us (uid {uid})",
            meta.uid()
        )));
    }
    Ok(())
}

/// Every directory above `dir` (symlinks resolved) must be owned by `uid` or root and be
/// writable by nobody else, unless its sticky bit stops others from renaming what is ours
/// (as in `/tmp`): otherwise someone else could swap our private directory for theirs.
fn check_parents(dir: &Path, uid: u32) -> Result<(), PathError> {
    let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) else {
        return Ok(());
    };
    let real = fs::canonicalize(parent).map_err(|source| PathError::Io {
        path: parent.to_path_buf(),
        source,
    })?;
    for ancestor in real.ancestors() {
        let meta = fs::metadata(ancestor).map_err(|source| PathError::Io {
            path: ancestor.to_path_buf(),
            source,
        })?;
        let owner_ok = meta.uid() == uid || meta.uid() == 0;
        let others_write = meta.mode() & 0o022 != 0;
        let sticky = meta.mode() & 0o1000 != 0;
        if !owner_ok || (others_write && !sticky) {
            return Err(PathError::Unsafe {
                path: dir.to_path_buf(),
                why: format!(
                    "its parent {} (uid {}, mode {:04o}) can be changed by another user",
                    ancestor.display(),
                    meta.uid(),
                    meta.mode() & 0o7777
                ),
            });
        }
    }
    Ok(())
}

/// Creates `dir` with mode 0700 if it is missing; then insists that it is a real directory
/// (not a symlink), owned by `uid`, and closed to group and others.
pub fn ensure_private_dir(dir: &Path, uid: u32) -> Result<(), PathError> {
    let io_err = |source| PathError::Io {
        path: dir.to_path_buf(),
        source,
    };
    match fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io_err(e)),
    }
    let meta = fs::symlink_metadata(dir).map_err(io_err)?;
    check_dir_meta(dir, &meta, uid)?;
    if meta.mode() & 0o077 != 0 {
        // Ours, but opened up: close it again rather than fail.
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(io_err)?;
    }
    check_parents(dir, uid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paths_are_refused_with_their_length() {
        let long = PathBuf::from(format!("/tmp/{}/s.sock", "x".repeat(120)));
        let err = check_len(&long).unwrap_err().to_string();
        assert!(err.contains("at most 107"), "{err}");
        assert!(check_len(Path::new("/tmp/a.sock")).is_ok());
    }

    #[test]
    fn private_dir_is_created_0700_and_symlinks_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let uid = rustix::process::getuid().as_raw();
        let dir = tmp.path().join("d");
        ensure_private_dir(&dir, uid).unwrap();
        assert_eq!(fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
        // Opened up by someone: closed again.
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        ensure_private_dir(&dir, uid).unwrap();
        assert_eq!(fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        let err = ensure_private_dir(&link, uid).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        let err = ensure_private_dir(&dir, uid + 1).unwrap_err().to_string();
        assert!(err.contains("owned by uid"), "{err}");
    }

    #[test]
    fn the_client_check_changes_nothing_and_refuses_open_dirs_and_parents() {
        let tmp = tempfile::tempdir().unwrap();
        let uid = rustix::process::getuid().as_raw();
        let dir = tmp.path().join("d");
        fs::DirBuilder::new().mode(0o700).create(&dir).unwrap();
        check_private_dir(&dir, uid).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o750)).unwrap();
        let err = check_private_dir(&dir, uid).unwrap_err().to_string();
        assert!(err.contains("0750"), "{err}");
        assert_eq!(
            fs::metadata(&dir).unwrap().mode() & 0o777,
            0o750,
            "left alone"
        );
        // A private directory inside a directory anyone may write to (no sticky bit).
        let open = tmp.path().join("open");
        fs::create_dir(&open).unwrap();
        fs::set_permissions(&open, fs::Permissions::from_mode(0o777)).unwrap();
        let inner = open.join("d");
        fs::DirBuilder::new().mode(0o700).create(&inner).unwrap();
        let err = check_private_dir(&inner, uid).unwrap_err().to_string();
        assert!(err.contains("can be changed by another user"), "{err}");
        // With the sticky bit, as /tmp has, others cannot rename what is ours.
        fs::set_permissions(&open, fs::Permissions::from_mode(0o1777)).unwrap();
        check_private_dir(&inner, uid).unwrap();
    }
}
