//! What git says should be scanned: the staged files of the index (`--staged`, read from the
//! index's blobs, not the working tree), the files changed since a revision (`--diff`), and
//! the tracked files its ignore rules match (which a directory walk must not drop).
//! Everything goes through the `git` command-line tool, whose plumbing output (`-z`) is stable.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// Why git could not tell us what to scan.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// `git` is not installed or could not start.
    #[error("cannot run git: {0}")]
    Spawn(std::io::Error),
    /// Not inside a work tree.
    #[error("{0} is not inside a git repository (--staged and --diff need one)")]
    NotARepository(String),
    /// A git command failed.
    #[error("`git {args}` failed: {stderr}")]
    Failed {
        /// The arguments.
        args: String,
        /// What git said.
        stderr: String,
    },
    /// Output we could not read.
    #[error("unexpected output from `git {0}`")]
    Parse(String),
}

/// What a changed path holds in the tree being scanned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A regular file; for the index, its blob id.
    File {
        /// The blob's object id (the index's content).
        blob: String,
    },
    /// A submodule (a commit, not a file).
    Submodule,
    /// A symbolic link (its content is the target path).
    Symlink,
    /// An unmerged path (a conflict not yet resolved).
    Unmerged,
}

/// One changed path, relative to the repository root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The path (the new one, for a rename).
    pub path: PathBuf,
    /// What it is.
    pub entry: Entry,
}

/// Runs git; arguments are bytes, as the paths among them may not be UTF-8.
fn git<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Result<Vec<u8>, GitError> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(GitError::Spawn)?;
    if !out.status.success() {
        return Err(GitError::Failed {
            args: shown_args(args),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(out.stdout)
}

/// Arguments as messages show them.
fn shown_args<S: AsRef<OsStr>>(args: &[S]) -> String {
    let shown: Vec<String> = args
        .iter()
        .map(|a| crate::pathfmt::escape(Path::new(a.as_ref())))
        .collect();
    shown.join(" ")
}

/// The root of the work tree `dir` is in.
pub fn root(dir: &Path) -> Result<PathBuf, GitError> {
    match git(dir, &["rev-parse", "--show-toplevel"]) {
        // The directory's name is bytes; only the line end git adds is removed.
        Ok(mut out) => {
            if out.last() == Some(&b'\n') {
                out.pop();
            }
            Ok(PathBuf::from(std::ffi::OsString::from_vec(out)))
        }
        Err(GitError::Failed { stderr, .. }) if stderr.contains("not a git repository") => {
            Err(GitError::NotARepository(crate::pathfmt::escape(dir)))
        }
        Err(e) => Err(e),
    }
}

/// The root of the git work tree `dir` is in, if any: the nearest directory from `dir` up
/// that holds a `.git` entry (a directory, or the file a linked work tree or a submodule
/// has). Reports use it as the root their paths are relative to. It is found by looking,
/// not by asking git: a report must not depend on git being installed, and a repository
/// owned by another user (a CI checkout in a container) would make git refuse to answer.
pub fn work_tree_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| std::fs::symlink_metadata(d.join(".git")).is_ok())
        .map(Path::to_path_buf)
}

/// The tracked files under `dir` that git's ignore rules (`.gitignore`, `info/exclude`,
/// `core.excludesFile`) match, relative to `dir`. Git applies those rules to untracked files
/// only, so these are still part of the project: a walk that reads the same ignore files must
/// add them back. One `git ls-files` for the whole directory.
pub fn tracked_ignored(dir: &Path) -> Result<Vec<PathBuf>, GitError> {
    let out = git(
        dir,
        &[
            "ls-files",
            "-z",
            "--cached",
            "--ignored",
            "--exclude-standard",
        ],
    )?;
    let mut paths: Vec<PathBuf> = out
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| PathBuf::from(OsStr::from_bytes(p)))
        .collect();
    // An unmerged path is listed once per stage.
    paths.sort();
    paths.dedup();
    Ok(paths)
}

/// Parses `git diff --raw -z` output: `:srcmode dstmode srcid dstid status\0path\0[path\0]`.
/// Deleted paths are left out: there is nothing of them to scan.
fn parse_raw(out: &[u8], what: &str) -> Result<Vec<Change>, GitError> {
    let bad = || GitError::Parse(what.to_string());
    let mut fields = out.split(|&b| b == 0).filter(|f| !f.is_empty());
    let mut changes = Vec::new();
    while let Some(meta) = fields.next() {
        let meta = std::str::from_utf8(meta).map_err(|_| bad())?;
        let parts: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
        let [_, dst_mode, _, dst_id, status] = parts[..] else {
            return Err(bad());
        };
        let first = fields.next().ok_or_else(bad)?;
        // Renames and copies name the source, then the destination.
        let path = if status.starts_with('R') || status.starts_with('C') {
            fields.next().ok_or_else(bad)?
        } else {
            first
        };
        let path = PathBuf::from(OsStr::from_bytes(path));
        let entry = match (status, dst_mode) {
            ("D", _) => continue,
            ("U", _) => Entry::Unmerged,
            (_, "160000") => Entry::Submodule,
            (_, "120000") => Entry::Symlink,
            _ => Entry::File {
                blob: dst_id.to_string(),
            },
        };
        changes.push(Change { path, entry });
    }
    Ok(changes)
}

/// The staged changes of the repository at `root`, restricted to `pathspecs` (relative to
/// `root`; empty: all).
pub fn staged(root: &Path, pathspecs: &[PathBuf]) -> Result<Vec<Change>, GitError> {
    let mut changes = raw_diff(root, &["--cached"], pathspecs)?;
    sort_unique(&mut changes);
    Ok(changes)
}

/// `git diff --raw` with `what` (`--cached`, or a revision against the working tree),
/// renames followed, full object ids, restricted to `pathspecs`.
fn raw_diff(root: &Path, what: &[&str], pathspecs: &[PathBuf]) -> Result<Vec<Change>, GitError> {
    let mut args: Vec<&OsStr> = [
        "diff",
        "--raw",
        "-z",
        "-M",
        "--no-abbrev",
        "--no-ext-diff",
        "--ignore-submodules=none",
    ]
    .iter()
    .chain(what)
    .chain(&["--"])
    .map(OsStr::new)
    .collect();
    args.extend(pathspecs.iter().map(|p| p.as_os_str()));
    let out = git(root, &args)?;
    parse_raw(&out, &shown_args(&args))
}

fn sort_unique(changes: &mut Vec<Change>) {
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    changes.dedup_by(|a, b| a.path == b.path);
}

/// The files that differ between the merge base of `base` and `HEAD` and the working tree
/// (committed, staged and unstaged changes), plus untracked files that are not ignored.
/// Restricted to `pathspecs` (empty: all).
pub fn changed_since(
    root: &Path,
    base: &str,
    pathspecs: &[PathBuf],
) -> Result<Vec<Change>, GitError> {
    let merge_base = match git(root, &["merge-base", base, "HEAD"]) {
        Ok(out) => String::from_utf8_lossy(&out).trim().to_string(),
        Err(GitError::Failed { stderr, .. }) => {
            return Err(GitError::Failed {
                args: format!("merge-base {base} HEAD"),
                stderr: if stderr.is_empty() {
                    format!("{base} and HEAD have no common ancestor")
                } else {
                    stderr
                },
            });
        }
        Err(e) => return Err(e),
    };
    let mut changes = raw_diff(root, &[&merge_base], pathspecs)?;
    let mut args: Vec<&OsStr> = ["ls-files", "--others", "--exclude-standard", "-z", "--"]
        .iter()
        .map(OsStr::new)
        .collect();
    args.extend(pathspecs.iter().map(|p| p.as_os_str()));
    let untracked = git(root, &args)?;
    for path in untracked.split(|&b| b == 0).filter(|p| !p.is_empty()) {
        changes.push(Change {
            path: PathBuf::from(OsStr::from_bytes(path)),
            entry: Entry::File {
                blob: String::new(),
            },
        });
    }
    sort_unique(&mut changes);
    Ok(changes)
}

/// Reads blobs through one `git cat-file --batch` process.
pub struct Blobs {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Blobs {
    /// Starts the reader in the repository at `root`.
    pub fn new(root: &Path) -> Result<Blobs, GitError> {
        let mut child = Command::new("git")
            .current_dir(root)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(GitError::Spawn)?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| GitError::Parse("cat-file".into()))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| GitError::Parse("cat-file".into()))?;
        Ok(Blobs {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    /// The blob's size and, if it is at most `max` bytes, its content (`None` past `max`).
    pub fn read(&mut self, blob: &str, max: u64) -> Result<(u64, Option<Vec<u8>>), GitError> {
        let bad = || GitError::Parse(format!("cat-file --batch ({blob})"));
        writeln!(self.stdin, "{blob}").map_err(|_| bad())?;
        self.stdin.flush().map_err(|_| bad())?;
        let mut header = String::new();
        self.stdout.read_line(&mut header).map_err(|_| bad())?;
        // `<id> blob <size>`, or `<id> missing`.
        let parts: Vec<&str> = header.split_whitespace().collect();
        let [_, "blob", size] = parts[..] else {
            return Err(bad());
        };
        let size: u64 = size.parse().map_err(|_| bad())?;
        let mut content = Vec::with_capacity(size.min(max) as usize);
        (&mut self.stdout)
            .take(size)
            .read_to_end(&mut content)
            .map_err(|_| bad())?;
        let mut newline = [0u8; 1];
        self.stdout.read_exact(&mut newline).map_err(|_| bad())?;
        if content.len() as u64 != size {
            return Err(bad());
        }
        Ok((size, (size <= max).then_some(content)))
    }
}

impl Drop for Blobs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_diff_entries_are_parsed_with_renames_submodules_and_deletions() {
        let z = "0".repeat(40);
        let a = "a".repeat(40);
        let raw = format!(
            ":000000 100644 {z} {a} A\0new.py\0\
             :100644 100644 {a} {a} R087\0old.py\0moved.py\0\
             :100644 000000 {a} {z} D\0gone.py\0\
             :000000 160000 {z} {a} A\0vendor/lib\0\
             :000000 120000 {z} {a} A\0link.py\0\
             :100644 100644 {a} {a} M\0weird name\twith tab.js\0"
        );
        let changes = parse_raw(raw.as_bytes(), "test").unwrap();
        let got: Vec<(&str, &Entry)> = changes
            .iter()
            .map(|c| (c.path.to_str().unwrap(), &c.entry))
            .collect();
        let file = Entry::File { blob: a.clone() };
        assert_eq!(
            got,
            [
                ("new.py", &file),
                ("moved.py", &file),
                ("vendor/lib", &Entry::Submodule),
                ("link.py", &Entry::Symlink),
                ("weird name\twith tab.js", &file),
            ]
        );
        assert!(parse_raw(b":100644 100644 only-three-fields\0x\0", "t").is_err());
    }
}
