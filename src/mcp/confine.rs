//! Paths an agent names, confined to the server's root: a tool reads a file only when the path
//! resolves, symbolic links and `..` included, to a regular file or directory under the root.
//!
//! The decision a reader must know: a path is first checked as text (`..` and absolute paths
//! that leave the root are refused without touching the file system, so the answer says
//! nothing about what exists outside), then resolved with `realpath` (which only `lstat`s, so
//! a FIFO or device is never opened), and the resolved path must still be under the resolved
//! root. The scan is then given the resolved path, so no symbolic link is followed on the way
//! to the file later; the walk below a directory does not follow links either. What is left is
//! a race with someone who swaps a checked directory for a link between the check and the
//! read, which an agent's requests cannot cause.

use std::os::unix::fs::FileTypeExt;
use std::path::{Component, Path, PathBuf};

/// Why a path cannot be used. Each message says what to do instead; none names what a path
/// resolves to outside the root.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfineError {
    /// Empty, or with a NUL byte.
    #[error(
        "{0:?} is not a usable path: give a path relative to the root, such as \"src\" or \"app/main.py\""
    )]
    Malformed(String),
    /// `..` or an absolute path leads out of the root.
    #[error(
        "{path:?} is outside the server's {root}: only files under it can be read; give a path \
         relative to it"
    )]
    Outside {
        /// The path as given.
        path: String,
        /// The root or roots, as the message names them.
        root: String,
    },
    /// A symbolic link on the way leads out of the root.
    #[error(
        "{path:?} goes through a symbolic link to a place outside the server's {root}: only \
         files under it can be read"
    )]
    LinkOutside {
        /// The path as given.
        path: String,
        /// The root or roots, as the message names them.
        root: String,
    },
    /// Nothing there (or a dangling link).
    #[error(
        "{0:?} does not exist under the server's root: check the path (it is relative to the root)"
    )]
    NotFound(String),
    /// The file system refused (permissions, a loop of links).
    #[error("{path:?} cannot be resolved: {reason}")]
    Unresolvable {
        /// The path as given.
        path: String,
        /// The system's reason.
        reason: String,
    },
    /// A FIFO, socket or device.
    #[error("{path:?} is {what}, not a file or directory: it is never read")]
    NotRegular {
        /// The path as given.
        path: String,
        /// What it is ("a FIFO", ...).
        what: &'static str,
    },
    /// The client declares no root the server can read.
    #[error("no file can be read: {0}")]
    NoRoot(String),
    /// A directory where a tool needs one file.
    #[error("{0:?} is a directory: this tool takes one file (scan and hotspots take directories)")]
    Directory(String),
}

/// What the server may read: one directory (its working directory or `--root`), or the
/// directories and files the client declares as its roots, resolved.
#[derive(Clone, Debug)]
pub struct Root {
    /// Where relative paths start and what outputs are shown relative to: the one directory,
    /// or the deepest directory holding all the roots.
    base: PathBuf,
    /// The directories and files that may be read (at and below), none inside another. Empty
    /// when the client declares no root the server can use.
    allowed: Vec<PathBuf>,
    /// Why there are none, when there are none: what a refused path's answer says.
    why_none: String,
}

/// What a confined path is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A regular file.
    File,
    /// A directory.
    Directory,
}

/// A path known to be under the root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confined {
    /// The resolved, absolute path.
    pub path: PathBuf,
    /// File or directory.
    pub kind: Kind,
}

impl Root {
    /// The root at `dir` (made absolute and resolved); it must be a directory.
    pub fn new(dir: &Path) -> std::io::Result<Root> {
        let dir = std::fs::canonicalize(dir)?;
        if !std::fs::metadata(&dir)?.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                "the root is not a directory",
            ));
        }
        Ok(Root {
            base: dir.clone(),
            allowed: vec![dir],
            why_none: String::new(),
        })
    }

    /// The roots at `paths`: resolved directories and files (see [`Root::new`]). With none,
    /// every path is refused with `why_none`, and `fallback` is where paths are shown from.
    pub fn of(mut paths: Vec<PathBuf>, fallback: &Path, why_none: String) -> Root {
        paths.sort();
        paths.dedup();
        // A root inside another adds nothing.
        let allowed: Vec<PathBuf> = paths
            .iter()
            .filter(|p| !paths.iter().any(|q| q != *p && p.starts_with(q)))
            .cloned()
            .collect();
        let dirs = allowed.iter().map(|p| {
            if p.is_dir() {
                p.as_path()
            } else {
                p.parent().unwrap_or(p)
            }
        });
        let base = crate::lexical::common_ancestor(dirs).unwrap_or_else(|| fallback.to_path_buf());
        Root {
            base,
            allowed,
            why_none,
        }
    }

    /// Where relative paths start, and what outputs are shown relative to.
    pub fn dir(&self) -> &Path {
        &self.base
    }

    /// The directories and files that may be read: what a scan without paths covers.
    pub fn allowed(&self) -> &[PathBuf] {
        &self.allowed
    }

    /// What a call without paths reads: every root, or the reason there is none.
    pub fn everything(&self) -> Result<Vec<PathBuf>, ConfineError> {
        if self.allowed.is_empty() {
            return Err(ConfineError::NoRoot(self.why_none.clone()));
        }
        Ok(self.allowed.clone())
    }

    /// The roots as messages name them.
    fn described(&self) -> String {
        let roots: Vec<String> = self
            .allowed
            .iter()
            .map(|p| crate::pathfmt::escape(p))
            .collect();
        match roots.as_slice() {
            [one] => format!("root {one}"),
            _ => format!("roots {}", roots.join(", ")),
        }
    }

    fn is_allowed(&self, path: &Path) -> bool {
        self.allowed.iter().any(|root| path.starts_with(root))
    }

    /// Resolves `requested` (relative to [`Root::dir`], or absolute) to a file or directory
    /// under a root.
    pub fn resolve(&self, requested: &str) -> Result<Confined, ConfineError> {
        if requested.is_empty() || requested.contains('\0') {
            return Err(ConfineError::Malformed(requested.to_string()));
        }
        if self.allowed.is_empty() {
            return Err(ConfineError::NoRoot(self.why_none.clone()));
        }
        let outside = || ConfineError::Outside {
            path: requested.to_string(),
            root: self.described(),
        };
        let lexical = lexically_under(&self.base, Path::new(requested))
            .filter(|p| self.is_allowed(p))
            .ok_or_else(outside)?;
        let resolved = match std::fs::canonicalize(&lexical) {
            Ok(path) => path,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ConfineError::NotFound(requested.to_string()));
            }
            Err(e) => {
                return Err(ConfineError::Unresolvable {
                    path: requested.to_string(),
                    reason: e.to_string(),
                });
            }
        };
        if !self.is_allowed(&resolved) {
            return Err(ConfineError::LinkOutside {
                path: requested.to_string(),
                root: self.described(),
            });
        }
        let meta = std::fs::metadata(&resolved).map_err(|e| ConfineError::Unresolvable {
            path: requested.to_string(),
            reason: e.to_string(),
        })?;
        let file_type = meta.file_type();
        let kind = if file_type.is_file() {
            Kind::File
        } else if file_type.is_dir() {
            Kind::Directory
        } else {
            let what = if file_type.is_fifo() {
                "a FIFO"
            } else if file_type.is_socket() {
                "a socket"
            } else if file_type.is_char_device() {
                "a character device"
            } else if file_type.is_block_device() {
                "a block device"
            } else {
                "not a regular file"
            };
            return Err(ConfineError::NotRegular {
                path: requested.to_string(),
                what,
            });
        };
        Ok(Confined {
            path: resolved,
            kind,
        })
    }

    /// Like [`Root::resolve`], for a tool that takes one file.
    pub fn resolve_file(&self, requested: &str) -> Result<Confined, ConfineError> {
        let confined = self.resolve(requested)?;
        match confined.kind {
            Kind::File => Ok(confined),
            Kind::Directory => Err(ConfineError::Directory(requested.to_string())),
        }
    }

    /// `path` (absolute, under a root) as tool outputs show it: relative to [`Root::dir`],
    /// `.` for that directory itself.
    pub fn show(&self, path: &Path) -> String {
        match path.strip_prefix(&self.base) {
            Ok(rel) if rel.as_os_str().is_empty() => ".".to_string(),
            Ok(rel) => crate::pathfmt::escape(rel),
            Err(_) => crate::pathfmt::escape(path),
        }
    }
}

/// `path` joined to `root` with `.` and `..` applied as text, if that stays under `root`.
fn lexically_under(root: &Path, path: &Path) -> Option<PathBuf> {
    let mut out = root.to_path_buf();
    let joined = if path.is_absolute() {
        // An absolute path is allowed when it names something under the root.
        let rel = path.strip_prefix(root).ok()?;
        rel.to_path_buf()
    } else {
        path.to_path_buf()
    };
    let mut depth = 0usize;
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if depth == 0 {
                    return None;
                }
                depth -= 1;
                out.pop();
            }
            Component::Normal(name) => {
                depth += 1;
                out.push(name);
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    // Trailing slashes are dropped by `components`; `x/` names the same directory.
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> (tempfile::TempDir, tempfile::TempDir, Root) {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src/pkg")).unwrap();
        std::fs::write(dir.path().join("src/pkg/a.py"), "x = 1\n").unwrap();
        std::fs::write(outside.path().join("secret.py"), "key = 1\n").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.py"),
            dir.path().join("src/leak.py"),
        )
        .unwrap();
        std::os::unix::fs::symlink("pkg/a.py", dir.path().join("src/inner.py")).unwrap();
        let root = Root::new(dir.path()).unwrap();
        (dir, outside, root)
    }

    #[test]
    fn paths_under_the_root_resolve() {
        let (dir, _outside, root) = tree();
        let real = dir.path().canonicalize().unwrap();
        assert_eq!(root.resolve(".").unwrap().kind, Kind::Directory);
        assert_eq!(root.resolve("src/").unwrap().path, real.join("src"));
        assert_eq!(
            root.resolve("src/pkg/../pkg/a.py").unwrap().path,
            real.join("src/pkg/a.py")
        );
        // A link that stays inside is the file it names.
        assert_eq!(
            root.resolve_file("src/inner.py").unwrap().path,
            real.join("src/pkg/a.py")
        );
        let absolute = real.join("src/pkg/a.py");
        assert_eq!(
            root.resolve(absolute.to_str().unwrap()).unwrap().path,
            absolute
        );
        assert_eq!(root.show(&absolute), "src/pkg/a.py");
        assert_eq!(root.show(&real), ".");
    }

    #[test]
    fn escapes_are_refused() {
        let (_dir, outside, root) = tree();
        assert!(matches!(
            root.resolve("../x"),
            Err(ConfineError::Outside { .. })
        ));
        assert!(matches!(
            root.resolve("src/../../x"),
            Err(ConfineError::Outside { .. })
        ));
        assert!(matches!(
            root.resolve("/etc/passwd"),
            Err(ConfineError::Outside { .. })
        ));
        let secret = outside.path().join("secret.py");
        assert!(matches!(
            root.resolve(secret.to_str().unwrap()),
            Err(ConfineError::Outside { .. })
        ));
        // Through links: a directory link and a file link out of the root.
        assert!(matches!(
            root.resolve("out/secret.py"),
            Err(ConfineError::LinkOutside { .. })
        ));
        assert!(matches!(
            root.resolve("src/leak.py"),
            Err(ConfineError::LinkOutside { .. })
        ));
        // What lies outside is never named in the message.
        let message = root.resolve("src/leak.py").unwrap_err().to_string();
        assert!(!message.contains("secret"), "{message}");
    }

    #[test]
    fn odd_paths_are_refused_with_what_to_do() {
        let (dir, _outside, root) = tree();
        assert!(matches!(root.resolve(""), Err(ConfineError::Malformed(_))));
        assert!(matches!(
            root.resolve("a\0b"),
            Err(ConfineError::Malformed(_))
        ));
        assert!(matches!(
            root.resolve("missing.py"),
            Err(ConfineError::NotFound(_))
        ));
        assert!(matches!(
            root.resolve_file("src"),
            Err(ConfineError::Directory(_))
        ));
        let fifo = dir.path().join("pipe");
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
        )
        .unwrap();
        assert!(matches!(
            root.resolve("pipe"),
            Err(ConfineError::NotRegular { what: "a FIFO", .. })
        ));
        assert!(
            ConfineError::NotFound("x".into())
                .to_string()
                .contains("relative to the root")
        );
    }
}
