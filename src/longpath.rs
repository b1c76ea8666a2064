//! Opening paths longer than `PATH_MAX`. The kernel refuses such a path in one system call
//! (`ENAMETOOLONG`) even when every component is short, so the fallback here walks it one
//! component at a time with `openat`, each relative to the directory opened before.
//!
//! The fallback runs only after a plain open failed with `ENAMETOOLONG`: ordinary paths cost
//! nothing extra. It resolves exactly as the kernel would: symbolic links among the
//! directories are followed (as a plain open follows them), `..` goes to the physical parent.

use std::fs::{self, File, Metadata};
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Component, Path};

use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;

/// How directories on the way are opened: for searching only, where the system allows it, so
/// a directory that may be entered but not listed is passed as the kernel would pass it.
#[cfg(any(target_os = "linux", target_os = "android"))]
const DIR_FLAGS: OFlags = OFlags::PATH.union(OFlags::DIRECTORY).union(OFlags::CLOEXEC);
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const DIR_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::CLOEXEC);

/// Opens `path` for reading without blocking (a FIFO put in a file's place cannot hang the
/// scan), as `open(2)` would, also when the path is longer than `PATH_MAX`.
pub fn open_nonblocking(path: &Path) -> io::Result<File> {
    let flags = OFlags::RDONLY | OFlags::NONBLOCK;
    match fs::OpenOptions::new()
        .read(true)
        .custom_flags(OFlags::NONBLOCK.bits() as i32)
        .open(path)
    {
        Err(e) if too_long(&e) => open_relative(path, flags | OFlags::CLOEXEC, e).map(File::from),
        other => other,
    }
}

/// `fs::metadata` (or `fs::symlink_metadata` when `follow` is false), also for paths longer
/// than `PATH_MAX`.
pub fn metadata(path: &Path, follow: bool) -> io::Result<Metadata> {
    let plain = if follow {
        fs::metadata(path)
    } else {
        fs::symlink_metadata(path)
    };
    match plain {
        Err(e) if too_long(&e) => {
            let flags = handle_flags()
                | if follow {
                    OFlags::empty()
                } else {
                    OFlags::NOFOLLOW
                };
            File::from(open_relative(path, flags, e)?).metadata()
        }
        other => other,
    }
}

/// Flags that open anything (a FIFO, a device, a directory) just to `fstat` it, with no side
/// effect on the file.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn handle_flags() -> OFlags {
    OFlags::PATH | OFlags::CLOEXEC
}
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn handle_flags() -> OFlags {
    OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC
}

fn too_long(e: &io::Error) -> bool {
    e.raw_os_error() == Some(Errno::NAMETOOLONG.raw_os_error())
}

/// Opens `path` one component at a time with `flags` for the last one. `original` is the
/// error to give back when the path has no file name to open (it ends in `..` or `/`).
fn open_relative(path: &Path, flags: OFlags, original: io::Error) -> io::Result<OwnedFd> {
    let components: Vec<Component<'_>> = path.components().collect();
    let Some((Component::Normal(name), dirs)) = components.split_last() else {
        return Err(original);
    };
    let mut dir: Option<OwnedFd> = None;
    for component in dirs {
        let next = match component {
            Component::RootDir => rustix::fs::open("/", DIR_FLAGS, Mode::empty()),
            Component::CurDir | Component::Prefix(_) => continue,
            Component::ParentDir => at(dir.as_ref(), "..".as_ref(), DIR_FLAGS),
            Component::Normal(name) => at(dir.as_ref(), name, DIR_FLAGS),
        };
        dir = Some(next.map_err(io::Error::from)?);
    }
    at(dir.as_ref(), name, flags).map_err(io::Error::from)
}

/// `openat` relative to `dir`, or to the working directory before any directory was opened.
fn at(dir: Option<&OwnedFd>, name: &std::ffi::OsStr, flags: OFlags) -> rustix::io::Result<OwnedFd> {
    match dir {
        Some(dir) => rustix::fs::openat(dir, name, flags, Mode::empty()),
        None => rustix::fs::openat(rustix::fs::CWD, name, flags, Mode::empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Makes `root/d…/d…/…/f.txt` longer than `PATH_MAX` with `mkdirat`, which never sees
    /// more than one component.
    fn deep(root: &Path) -> std::path::PathBuf {
        let name = "d".repeat(200);
        let mut dir = rustix::fs::open(root, DIR_FLAGS, Mode::empty()).unwrap();
        let mut path = root.to_path_buf();
        while path.as_os_str().len() < 4200 {
            rustix::fs::mkdirat(&dir, name.as_str(), Mode::from_raw_mode(0o755)).unwrap();
            dir = rustix::fs::openat(&dir, name.as_str(), DIR_FLAGS, Mode::empty()).unwrap();
            path.push(&name);
        }
        let file = rustix::fs::openat(
            &dir,
            "f.txt",
            OFlags::WRONLY | OFlags::CREATE | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o644),
        )
        .unwrap();
        rustix::io::write(&file, b"deep").unwrap();
        path.join("f.txt")
    }

    #[test]
    fn paths_past_path_max_open_and_stat() {
        let tmp = tempfile::tempdir().unwrap();
        let path = deep(tmp.path());
        assert!(too_long(&fs::File::open(&path).unwrap_err()));
        let mut text = String::new();
        open_nonblocking(&path)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "deep");
        assert!(metadata(&path, true).unwrap().is_file());
        assert!(metadata(path.parent().unwrap(), false).unwrap().is_dir());
        let missing = path.with_file_name("missing.txt");
        assert_eq!(
            open_nonblocking(&missing).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }
}
