//! One daemon per socket: an exclusive lock held for the daemon's life, and a socket file
//! that is replaced only when nothing answers on it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::log;

/// The held lock; the lock file is removed when it is dropped.
pub struct LockGuard {
    file: File,
    path: PathBuf,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        // Removed while still held, so a daemon starting now either got the lock before
        // (and we never ran) or will create a fresh file.
        let _ = fs::remove_file(&self.path);
        let _ = rustix::fs::flock(&self.file, rustix::fs::FlockOperation::Unlock);
    }
}

/// Takes the daemon lock for `socket`, or says which daemon holds it.
pub fn acquire(socket: &Path) -> Result<LockGuard> {
    let path = super::paths::lock_path(socket);
    if let Some(dir) = socket.parent()
        && !dir.as_os_str().is_empty()
        && !dir.exists()
    {
        bail!("the socket's directory {} does not exist", dir.display());
    }
    loop {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(libc::O_CLOEXEC | libc::O_NOFOLLOW)
            .open(&path)
            .with_context(|| format!("opening the lock file {}", path.display()))?;
        match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(e) if e == rustix::io::Errno::WOULDBLOCK => {
                let holder = fs::read_to_string(&path).unwrap_or_default();
                let holder = holder.trim();
                bail!(
                    "another astscan daemon is running on {}{} (stop it with `astscan daemon stop`)",
                    socket.display(),
                    if holder.is_empty() {
                        String::new()
                    } else {
                        format!(" (pid {holder})")
                    }
                );
            }
            Err(e) => bail!("locking {}: {e}", path.display()),
        }
        // The file may have been removed by a daemon that was exiting while we opened it:
        // then our lock is on a dead inode; start over on the current file.
        let same = match (file.metadata(), fs::symlink_metadata(&path)) {
            (Ok(a), Ok(b)) => a.ino() == b.ino() && a.dev() == b.dev(),
            _ => false,
        };
        if !same {
            continue;
        }
        file.set_len(0)?;
        writeln!(file, "{}", std::process::id())?;
        return Ok(LockGuard { file, path });
    }
}

/// Binds the socket (0600), replacing a leftover file only after a connect to it fails.
pub fn bind(socket: &Path) -> Result<tokio::net::UnixListener> {
    match fs::symlink_metadata(socket) {
        Ok(meta) => {
            if !meta.file_type().is_socket() {
                bail!(
                    "{} exists and is not a socket; refusing to replace it",
                    socket.display()
                );
            }
            match std::os::unix::net::UnixStream::connect(socket) {
                Ok(_) => bail!(
                    "something is already listening on {} without holding the daemon lock",
                    socket.display()
                ),
                Err(_) => {
                    log::info(&format!("removing stale socket {}", socket.display()));
                    fs::remove_file(socket)
                        .with_context(|| format!("removing stale socket {}", socket.display()))?;
                }
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("inspecting {}", socket.display())),
    }
    let listener = tokio::net::UnixListener::bind(socket)
        .with_context(|| format!("binding {}", socket.display()))?;
    fs::set_permissions(socket, fs::Permissions::from_mode(0o600))
        .with_context(|| format!("restricting {}", socket.display()))?;
    Ok(listener)
}

/// The pid of the daemon holding the lock for `socket`, if one holds it.
///
/// Lets `daemon stop` reach a daemon of another build, whose protocol it may not speak.
pub fn holder(socket: &Path) -> Option<u32> {
    let path = super::paths::lock_path(socket);
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_CLOEXEC | libc::O_NOFOLLOW)
        .open(&path)
        .ok()?;
    match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockShared) {
        // Nobody holds it: there is no daemon (our shared lock goes with the file).
        Ok(()) => None,
        Err(e) if e == rustix::io::Errno::WOULDBLOCK => {
            fs::read_to_string(&path).ok()?.trim().parse().ok()
        }
        Err(_) => None,
    }
}

/// The pid of the daemon holding the lock for `socket`, only if it is safe to signal: the lock
/// file is a regular file of ours in a private directory (so nobody else wrote the pid), and
/// the process runs as our uid from an executable named `astscan…`. `daemon stop` uses it to
/// reach a daemon of another build; anything less could make us signal a stranger's process.
pub fn signallable_holder(socket: &Path) -> Result<u32> {
    let uid = rustix::process::getuid().as_raw();
    let path = super::paths::lock_path(socket);
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir.to_path_buf(),
        None => std::env::current_dir().context("reading the current directory")?,
    };
    super::paths::check_private_dir(&dir, uid)
        .with_context(|| format!("not trusting the lock file {}", path.display()))?;
    let meta = fs::symlink_metadata(&path)
        .with_context(|| format!("inspecting the lock file {}", path.display()))?;
    if !meta.file_type().is_file() || meta.uid() != uid || meta.mode() & 0o022 != 0 {
        bail!(
            "not trusting the lock file {}: it is not a regular file of ours closed to others",
            path.display()
        );
    }
    let Some(pid) = holder(socket) else {
        bail!(
            "the daemon on {} holds no lock that names a process",
            socket.display()
        );
    };
    check_process(pid, uid)?;
    Ok(pid)
}

/// Whether `pid` runs as `uid` from an executable named `astscan…` (any build).
fn check_process(pid: u32, uid: u32) -> Result<()> {
    let status = fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading /proc/{pid}/status"))?;
    // "Uid:\treal\teffective\tsaved\tfs": every one must be ours.
    let uids: Vec<u32> = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .map(|l| {
            l.split_whitespace()
                .filter_map(|u| u.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    if uids.is_empty() || uids.iter().any(|&u| u != uid) {
        bail!("pid {pid} named by the daemon lock does not run as uid {uid}; not signalling it");
    }
    let exe = fs::read_link(format!("/proc/{pid}/exe"))
        .with_context(|| format!("reading the executable of pid {pid}"))?;
    let name = exe
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !name.starts_with("astscan") {
        bail!(
            "pid {pid} named by the daemon lock runs {}, not astscan; not signalling it",
            exe.display()
        );
    }
    Ok(())
}
