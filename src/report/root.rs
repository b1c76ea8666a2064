//! The one directory that JSON and SARIF locations are relative to.
//!
//! A code-scanning service matches results across runs by path, so a report must name a file
//! the same way however the scan was invoked (`analyze`, `analyze .`, `analyze ..` from a
//! subdirectory, an absolute path). The root is `--path-root` when given, else the git work
//! tree the scanned paths are in, else the current directory. Paths are made absolute and
//! cleaned of `.` and `..` lexically; only a path that is then outside the root has its
//! directory resolved (a symbolic link on the way in), and a file still outside keeps its
//! absolute path.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::lexical::normalize;

/// Why the root could not be decided.
#[derive(Debug, thiserror::Error)]
pub enum RootError {
    /// The current directory is unknown (deleted, or not readable).
    #[error("cannot find the current directory: {0}")]
    Cwd(std::io::Error),
    /// `--path-root` names nothing usable.
    #[error("--path-root {path}: {source}")]
    PathRoot {
        /// The directory as given (escaped).
        path: String,
        /// Why it is unusable.
        source: std::io::Error,
    },
}

/// Where a reported file is, seen from the root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// Under the root: the path's bytes relative to it, without `./`.
    Inside(Vec<u8>),
    /// Outside the root: the absolute path's bytes.
    Outside(Vec<u8>),
}

impl Location {
    /// The path's bytes, relative or absolute.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Location::Inside(b) | Location::Outside(b) => b,
        }
    }
}

/// The root of a report's paths, and how to place a path under it.
#[derive(Clone, Debug)]
pub struct PathRoot {
    /// Absolute, with symbolic links resolved.
    root: PathBuf,
    /// The directory the scan's relative paths are relative to (absolute).
    cwd: PathBuf,
    /// The last directory resolved for a path outside the root, and what it resolved to:
    /// files of one directory arrive together, so one entry saves nearly every lookup.
    last_resolved: Option<(PathBuf, Option<PathBuf>)>,
}

impl PathRoot {
    /// The root for a scan of `paths` (relative to the current directory): `explicit`
    /// (`--path-root`) if given, else `repository` (the root `--staged`/`--diff` work in) if
    /// given, else the git work tree the paths' common ancestor is in, else the current
    /// directory.
    pub fn decide(
        explicit: Option<&Path>,
        repository: Option<&Path>,
        paths: &[PathBuf],
    ) -> Result<PathRoot, RootError> {
        let cwd = std::env::current_dir().map_err(RootError::Cwd)?;
        let root = match (explicit, repository) {
            (Some(dir), _) => {
                let unusable = |source| RootError::PathRoot {
                    path: crate::pathfmt::escape(dir),
                    source,
                };
                let real = cwd.join(dir).canonicalize().map_err(unusable)?;
                if !real.is_dir() {
                    return Err(unusable(std::io::Error::new(
                        std::io::ErrorKind::NotADirectory,
                        "not a directory",
                    )));
                }
                real
            }
            (None, Some(repo)) => repo.to_path_buf(),
            (None, None) => {
                let anchor =
                    crate::lexical::common_ancestor(paths.iter().map(|p| normalize(&cwd.join(p))))
                        .unwrap_or_else(|| cwd.clone());
                // The ancestor may be a file, or a path that does not exist (reported as
                // not found): look from the nearest directory that does.
                let dir = anchor
                    .ancestors()
                    .find(|d| d.is_dir())
                    .unwrap_or(&cwd)
                    .to_path_buf();
                let dir = dir.canonicalize().unwrap_or(dir);
                crate::git::work_tree_root(&dir).unwrap_or_else(|| cwd.clone())
            }
        };
        Ok(PathRoot::new(root, cwd))
    }

    /// A root at `root` for paths relative to `cwd` (both absolute).
    pub fn new(root: PathBuf, cwd: PathBuf) -> PathRoot {
        PathRoot {
            root: normalize(&root),
            cwd,
            last_resolved: None,
        }
    }

    /// The root directory.
    pub fn dir(&self) -> &Path {
        &self.root
    }

    /// Where `path` (a path as the scan reports it, relative to the current directory or
    /// absolute) is, seen from the root.
    pub fn locate(&mut self, path: &[u8]) -> Location {
        let abs = normalize(&self.cwd.join(OsStr::from_bytes(path)));
        if let Some(rel) = self.relative(&abs) {
            return Location::Inside(rel);
        }
        // Outside as written; perhaps inside once a symbolic link on the way is resolved.
        let (Some(dir), Some(name)) = (abs.parent(), abs.file_name()) else {
            return Location::Outside(abs.as_os_str().as_bytes().to_vec());
        };
        let resolved = match &self.last_resolved {
            Some((d, r)) if d == dir => r.clone(),
            _ => {
                let r = dir.canonicalize().ok();
                self.last_resolved = Some((dir.to_path_buf(), r.clone()));
                r
            }
        };
        let real = resolved.map_or(abs.clone(), |d| d.join(name));
        match self.relative(&real) {
            Some(rel) => Location::Inside(rel),
            None => Location::Outside(real.as_os_str().as_bytes().to_vec()),
        }
    }

    fn relative(&self, abs: &Path) -> Option<Vec<u8>> {
        let rel = abs.strip_prefix(&self.root).ok()?;
        let bytes = rel.as_os_str().as_bytes();
        // The root itself is a directory, never a reported file.
        (!bytes.is_empty()).then(|| bytes.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathRoot {
        PathRoot::new("/repo".into(), "/repo/src".into())
    }

    fn inside(s: &str) -> Location {
        Location::Inside(s.as_bytes().to_vec())
    }

    #[test]
    fn every_spelling_of_a_file_under_the_root_is_one_relative_path() {
        let mut r = root();
        for given in [
            "a.py",
            "./a.py",
            "../src/a.py",
            "/repo/src/a.py",
            "/repo/./x/../src/a.py",
        ] {
            assert_eq!(r.locate(given.as_bytes()), inside("src/a.py"), "{given}");
        }
    }

    #[test]
    fn a_file_outside_the_root_keeps_its_absolute_path() {
        let mut r = root();
        assert_eq!(
            r.locate(b"../../elsewhere/b.py"),
            Location::Outside(b"/elsewhere/b.py".to_vec())
        );
        // A sibling whose name merely starts with the root's is outside too.
        assert_eq!(
            r.locate(b"/repository/c.py"),
            Location::Outside(b"/repository/c.py".to_vec())
        );
    }

    #[test]
    fn names_that_are_not_utf8_keep_their_bytes() {
        let mut r = root();
        assert_eq!(
            r.locate(b"d\xff/e.py"),
            Location::Inside(b"src/d\xff/e.py".to_vec())
        );
    }
}
