//! Reading the small project files resolution needs (`go.mod`, `package.json`,
//! `tsconfig.json`, `composer.json`, `pyproject.toml`) from the scanned tree. This is the only
//! I/O of the graph, and it is bounded: at most [`MAX_PROJECT_FILE`] bytes per file, regular
//! files only, opened without blocking, and never through a symbolic link that leads out of
//! the root. A file that cannot be used becomes a [`Warning`], never an error of the run: the
//! graph is then built without what it would have said.

use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use super::model::Warning;

/// Largest project file read, in bytes: manifests are a few KiB; 1 MiB leaves room for
/// generated ones and bounds what a hostile tree can make the graph hold in memory.
pub const MAX_PROJECT_FILE: u64 = 1 << 20;

/// Why a project file was not used.
#[derive(Debug, thiserror::Error)]
pub enum ProjectFileError {
    /// Larger than [`MAX_PROJECT_FILE`].
    #[error("larger than {limit} bytes; not read")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// A symbolic link (of the file or a directory above it) leads out of the root.
    #[error("a symbolic link out of the scanned tree; not read")]
    OutsideRoot,
    /// A directory, FIFO, socket or device.
    #[error("not a regular file; not read")]
    NotRegular,
    /// The file system refused.
    #[error("cannot be read: {0}")]
    Io(#[from] std::io::Error),
    /// Not UTF-8 text.
    #[error("not UTF-8 text")]
    NotUtf8,
    /// Read, but its content is not what the format allows.
    #[error("{0}")]
    Malformed(String),
}

/// Reads project files below one root and collects the warnings about them.
pub struct ProjectFiles {
    root: PathBuf,
    /// The root with symbolic links resolved; `None` when it cannot be resolved, in which case
    /// nothing is read.
    canonical_root: Option<PathBuf>,
    warnings: Vec<Warning>,
}

impl ProjectFiles {
    /// Reads below `root`.
    pub fn new(root: &Path) -> ProjectFiles {
        let mut warnings = Vec::new();
        let canonical_root = match std::fs::canonicalize(root) {
            Ok(path) => Some(path),
            Err(e) => {
                warnings.push(Warning {
                    path: String::new(),
                    message: format!(
                        "the root cannot be resolved ({e}); project files were not read"
                    ),
                });
                None
            }
        };
        ProjectFiles {
            root: root.to_path_buf(),
            canonical_root,
            warnings,
        }
    }

    /// The text of `rel` (a graph path, see [`super::paths`]); `None` when it does not exist,
    /// or when it cannot be used, which is then recorded as a warning.
    pub fn read(&mut self, rel: &str) -> Option<String> {
        match self.try_read(rel) {
            Ok(text) => text,
            Err(e) => {
                self.warn(rel, e);
                None
            }
        }
    }

    /// Records that `rel` could not be used.
    pub fn warn(&mut self, rel: &str, error: ProjectFileError) {
        self.warnings.push(Warning {
            path: rel.to_string(),
            message: error.to_string(),
        });
    }

    /// Records that `rel` was read but says something unusable.
    pub fn malformed(&mut self, rel: &str, message: impl Into<String>) {
        self.warn(rel, ProjectFileError::Malformed(message.into()));
    }

    /// The warnings so far, in the order they arose.
    pub fn into_warnings(self) -> Vec<Warning> {
        self.warnings
    }

    fn try_read(&self, rel: &str) -> Result<Option<String>, ProjectFileError> {
        let Some(canonical_root) = &self.canonical_root else {
            return Ok(None);
        };
        // Graph paths are escaped for display (`crate::pathfmt`); the file system wants the
        // bytes back.
        let bytes = crate::pathfmt::unescape(rel).unwrap_or_else(|| rel.as_bytes().to_vec());
        let path = self.root.join(std::ffi::OsStr::from_bytes(&bytes));
        let real = match std::fs::canonicalize(&path) {
            Ok(real) => real,
            Err(e) if is_absent(&e) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        if !real.starts_with(canonical_root) {
            return Err(ProjectFileError::OutsideRoot);
        }
        let mut file = crate::longpath::open_nonblocking(&real)?;
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(ProjectFileError::NotRegular);
        }
        if meta.len() > MAX_PROJECT_FILE {
            return Err(ProjectFileError::TooLarge {
                limit: MAX_PROJECT_FILE,
            });
        }
        // One byte past the limit tells a file that grew while being read.
        let mut buf = Vec::new();
        file.by_ref()
            .take(MAX_PROJECT_FILE + 1)
            .read_to_end(&mut buf)?;
        if buf.len() as u64 > MAX_PROJECT_FILE {
            return Err(ProjectFileError::TooLarge {
                limit: MAX_PROJECT_FILE,
            });
        }
        let text = String::from_utf8(buf).map_err(|_| ProjectFileError::NotUtf8)?;
        // Editors on Windows may start a file with a byte order mark, which JSON parsers refuse.
        Ok(Some(match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        }))
    }
}

/// Whether `e` means there is no such file (also when a component is a file, not a directory).
fn is_absent(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_small_files_and_warns_about_unusable_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("go.mod"), "module x\n").expect("write");
        std::fs::write(dir.path().join("bom.json"), "\u{feff}{}").expect("write");
        std::fs::write(outside.path().join("package.json"), "{}").expect("write");
        std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).expect("symlink");
        std::fs::create_dir(dir.path().join("d.json")).expect("mkdir");
        let big = vec![b' '; MAX_PROJECT_FILE as usize + 1];
        std::fs::write(dir.path().join("big.json"), big).expect("write");
        std::fs::write(dir.path().join("bad.json"), b"\xff\xfe").expect("write");

        let mut files = ProjectFiles::new(dir.path());
        assert_eq!(files.read("go.mod").as_deref(), Some("module x\n"));
        assert_eq!(files.read("bom.json").as_deref(), Some("{}"));
        assert_eq!(files.read("missing/go.mod"), None);
        assert_eq!(files.read("go.mod/x"), None);
        assert_eq!(files.read("out/package.json"), None);
        assert_eq!(files.read("d.json"), None);
        assert_eq!(files.read("big.json"), None);
        assert_eq!(files.read("bad.json"), None);
        let warnings: Vec<String> = files
            .into_warnings()
            .into_iter()
            .map(|w| format!("{}: {}", w.path, w.message))
            .collect();
        assert_eq!(
            warnings,
            [
                "out/package.json: a symbolic link out of the scanned tree; not read",
                "d.json: not a regular file; not read",
                "big.json: larger than 1048576 bytes; not read",
                "bad.json: not UTF-8 text",
            ]
        );
    }
}
