//! Finding input files: directory walks with the `ignore` crate, explicit file arguments, and
//! picking each file's language. No file contents are read here except a shebang line.
//!
//! Explicit file arguments go through the same ignore rules as walked files (unless
//! `--no-ignore`): a pre-commit hook passes staged file names one by one, and a vendored file
//! the repository ignores must not start failing commits because it was named explicitly.
//!
//! Git's ignore files apply to untracked files only: inside a git work tree, the tracked files
//! they match (one `git ls-files` per walked directory) are merged back into the walk in its
//! own order. Explicit excludes (`--exclude`, `.astscanignore`, `.ignore`, `.astscan.toml`)
//! still apply to them, and one they leave out is reported as skipped with the exclude named.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read};
use std::os::unix::fs::FileTypeExt;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::WalkBuilder;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::overrides::{Override, OverrideBuilder};

use crate::lang::{self, Language};
use crate::report::{Reason, ReasonCode};
use crate::{longpath, pathfmt};

/// Project-specific ignore file, read like `.ignore` (and taking precedence over it).
pub const IGNORE_FILE: &str = ".astscanignore";

/// What decides which files are inputs.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Files and directories given on the command line.
    pub paths: Vec<PathBuf>,
    /// Do not read ignore files.
    pub no_ignore: bool,
    /// Walk hidden files and directories.
    pub hidden: bool,
    /// Follow symbolic links while walking.
    pub follow: bool,
    /// Extra globs to exclude (gitignore syntax).
    pub excludes: Vec<String>,
    /// Only these languages (empty: all).
    pub languages: Vec<Language>,
    /// Excludes anchored at a directory (from `.astscan.toml`): (that directory, globs).
    pub anchored_excludes: Option<(PathBuf, Vec<String>)>,
    /// Git's lists of tracked files its ignore rules match, shared by every walk of these
    /// options so that git runs once per walked directory, not once per walk.
    pub tracked: Arc<TrackedIgnored>,
}

/// The tracked files git's ignore rules match under each walked directory, asked of git once.
#[derive(Debug, Default)]
pub struct TrackedIgnored {
    /// Walk root (as given) to its files, joined to that root, in walk order.
    lists: Mutex<HashMap<PathBuf, Arc<Vec<PathBuf>>>>,
}

impl TrackedIgnored {
    /// The tracked, git-ignored files under `root` in walk order; none outside a git work
    /// tree, or when git cannot say (then the walk is what it was without git).
    fn under(&self, root: &Path, warn: &mut impl FnMut(String)) -> Arc<Vec<PathBuf>> {
        let mut lists = self.lists.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(list) = lists.get(root) {
            return Arc::clone(list);
        }
        let list = Arc::new(if in_git_work_tree(root) {
            match crate::git::tracked_ignored(root) {
                Ok(rel) => {
                    let mut paths: Vec<PathBuf> = rel.iter().map(|r| root.join(r)).collect();
                    // The walk visits each directory's entries by name, depth first: the order
                    // of paths compared component by component, not of git's byte strings.
                    paths.sort();
                    paths
                }
                // No git installed: the walk stays what it is without git.
                Err(crate::git::GitError::Spawn(_)) => Vec::new(),
                Err(e) => {
                    warn(format!(
                        "{}: cannot list the tracked files git ignores: {e}",
                        root.display()
                    ));
                    Vec::new()
                }
            }
        } else {
            Vec::new()
        });
        lists.insert(root.to_path_buf(), Arc::clone(&list));
        list
    }
}

/// Is `dir` inside a git work tree? The same test the `ignore` crate makes before it reads
/// `.gitignore` files: a `.git` entry in `dir` or an ancestor.
fn in_git_work_tree(dir: &Path) -> bool {
    fs::canonicalize(dir).is_ok_and(|abs| abs.ancestors().any(|d| d.join(".git").exists()))
}

/// Excludes relative to a directory, matched like a `.gitignore` placed there.
#[derive(Clone)]
struct Anchored {
    matcher: std::sync::Arc<Gitignore>,
    cwd: PathBuf,
}

impl Anchored {
    fn new(options: &WalkOptions) -> Result<Option<Anchored>, WalkError> {
        let Some((root, globs)) = &options.anchored_excludes else {
            return Ok(None);
        };
        let mut b = GitignoreBuilder::new(root);
        for g in globs {
            b.add_line(None, g).map_err(|e| WalkError::BadExclude {
                glob: g.clone(),
                message: e.to_string(),
            })?;
        }
        let matcher = b.build().map_err(|e| WalkError::BadExclude {
            glob: globs.join(" "),
            message: e.to_string(),
        })?;
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        Ok(Some(Anchored {
            matcher: std::sync::Arc::new(matcher),
            cwd,
        }))
    }

    fn excludes(&self, path: &Path, is_dir: bool) -> bool {
        let joined = self.cwd.join(path);
        let abs = std::path::absolute(&joined).unwrap_or(joined);
        abs.starts_with(self.matcher.path())
            && self
                .matcher
                .matched_path_or_any_parents(&abs, is_dir)
                .is_ignore()
    }
}

/// One thing the walk found.
#[derive(Debug)]
pub enum Input {
    /// A source file to read and parse.
    Source {
        /// Its path.
        path: PathBuf,
        /// Its language.
        language: Language,
    },
    /// An input that will not be analysed (skipped or failed, per the reason's code).
    NotAnalyzed {
        /// Its path.
        path: PathBuf,
        /// Why.
        reason: Reason,
    },
}

impl Input {
    /// The input's path, as the walk found it.
    pub fn path(&self) -> &Path {
        match self {
            Input::Source { path, .. } | Input::NotAnalyzed { path, .. } => path,
        }
    }
}

/// Errors that stop the walk before it starts.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    /// An `--exclude` glob does not parse.
    #[error("invalid --exclude glob {glob:?}: {message}")]
    BadExclude {
        /// The glob.
        glob: String,
        /// The parser's complaint.
        message: String,
    },
}

/// Checks the options that can be wrong (the `--exclude` globs) before anything is scanned.
pub fn check(options: &WalkOptions) -> Result<(), WalkError> {
    build_excludes(Path::new("."), &options.excludes).map(drop)
}

/// Walks every path in `options`, calling `emit` for each input in a deterministic order.
/// `emit` returns `false` to stop early. Warnings (e.g. a malformed .gitignore) go to `warn`.
pub fn walk(
    options: &WalkOptions,
    mut emit: impl FnMut(Input) -> bool,
    mut warn: impl FnMut(String),
) -> Result<(), WalkError> {
    let mut named = NamedFilter::new(options)?;
    for path in &options.paths {
        let meta = match longpath::metadata(path, true) {
            Ok(meta) => meta,
            Err(e) => {
                let reason = match longpath::metadata(path, false) {
                    Ok(_) => Reason::new(
                        ReasonCode::BrokenSymlink,
                        format!("broken symbolic link: {e}"),
                    ),
                    Err(_) if e.kind() == io::ErrorKind::NotFound => {
                        Reason::new(ReasonCode::NotFound, "no such file or directory")
                    }
                    Err(_) => Reason::new(ReasonCode::Unreadable, e.to_string()),
                };
                if !emit(Input::NotAnalyzed {
                    path: path.clone(),
                    reason,
                }) {
                    return Ok(());
                }
                continue;
            }
        };
        if meta.is_dir() {
            if !walk_dir(path, options, named.anchored.clone(), &mut emit, &mut warn)? {
                return Ok(());
            }
            continue;
        }
        let input = if !meta.file_type().is_file() {
            not_regular(path.clone(), meta.file_type())
        } else {
            match named.judge(options, path, None) {
                Ok(language) => Input::Source {
                    path: path.clone(),
                    language,
                },
                Err(reason) => Input::NotAnalyzed {
                    path: path.clone(),
                    reason,
                },
            }
        };
        if !emit(input) {
            return Ok(());
        }
    }
    Ok(())
}

/// Decides about regular files named rather than found by a walk (command-line arguments,
/// the files git lists for `--staged` and `--diff`): `--exclude`, `.astscan.toml` excludes,
/// ignore files and `--lang` apply to them as to walked files, and what is left out is
/// reported with its reason.
pub struct NamedFilter {
    excludes: Override,
    anchored: Option<Anchored>,
    explicit: ExplicitFilter,
}

impl NamedFilter {
    /// The filter for `options`.
    pub fn new(options: &WalkOptions) -> Result<NamedFilter, WalkError> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        Ok(NamedFilter {
            excludes: build_excludes(&cwd, &options.excludes)?,
            anchored: Anchored::new(options)?,
            explicit: ExplicitFilter::new(options.no_ignore, true),
        })
    }

    /// The filter for files git listed (`--staged`, `--diff`): git has applied its own ignore
    /// rules already, which leave tracked files alone, so only the explicit excludes and
    /// astscan's own ignore files (`.astscanignore`, `.ignore`) apply.
    pub fn for_git_list(options: &WalkOptions) -> Result<NamedFilter, WalkError> {
        let mut filter = NamedFilter::new(options)?;
        filter.explicit = ExplicitFilter::new(options.no_ignore, false);
        Ok(filter)
    }

    /// The language of the regular file `path`, or why it is not an input. `first_line`: its
    /// first line, when the content is not on disk (read from `path` otherwise).
    pub fn judge(
        &mut self,
        options: &WalkOptions,
        path: &Path,
        first_line: Option<&[u8]>,
    ) -> Result<Language, Reason> {
        let why = excluded(&self.excludes, path)
            .or_else(|| {
                self.anchored
                    .as_ref()
                    .filter(|a| a.excludes(path, false))
                    .map(|_| "excluded by .astscan.toml".to_string())
            })
            .or_else(|| self.explicit.ignored_by(path));
        if let Some(why) = why {
            return Err(Reason::new(ReasonCode::Ignored, why));
        }
        match classify(path, options, true, first_line) {
            Some(Input::Source { language, .. }) => Ok(language),
            Some(Input::NotAnalyzed { reason, .. }) => Err(reason),
            None => Err(Reason::new(
                ReasonCode::Unsupported,
                "not a file type astscan parses",
            )),
        }
    }
}

/// Walks one directory; returns `false` when `emit` asked to stop.
fn walk_dir(
    root: &Path,
    options: &WalkOptions,
    anchored: Option<Anchored>,
    emit: &mut impl FnMut(Input) -> bool,
    warn: &mut impl FnMut(String),
) -> Result<bool, WalkError> {
    let mut builder = WalkBuilder::new(root);
    builder
        .standard_filters(!options.no_ignore)
        .hidden(!options.hidden)
        .follow_links(options.follow)
        .sort_by_file_name(|a, b| a.cmp(b));
    if !options.no_ignore {
        builder.add_custom_ignore_filename(IGNORE_FILE);
    }
    let excludes = build_excludes(root, &options.excludes)?;
    if !options.excludes.is_empty() {
        builder.overrides(excludes.clone());
    }
    if let Some(anchored) = anchored.clone() {
        builder.filter_entry(move |e| {
            !anchored.excludes(e.path(), e.file_type().is_some_and(|t| t.is_dir()))
        });
    }
    let list = if options.no_ignore {
        Arc::new(Vec::new())
    } else {
        options.tracked.under(root, warn)
    };
    let mut tracked = Tracked {
        root,
        paths: list.iter().peekable(),
        excludes,
        anchored,
        own_ignore_files: ExplicitFilter::new(false, false),
    };
    for entry in builder.build() {
        if let Ok(entry) = &entry {
            // Tracked files the walk's ignore rules hid come in their place in walk order;
            // one the walk finds itself is not sent twice.
            if !tracked.emit_before(entry.path(), options, emit) {
                return Ok(false);
            }
        }
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                if let Some(input) = walk_error(err, warn)
                    && !emit(input)
                {
                    return Ok(false);
                }
                continue;
            }
        };
        let Some(file_type) = entry.file_type() else {
            continue; // stdin; never produced for directory walks
        };
        if file_type.is_dir() || file_type.is_symlink() {
            // Unfollowed links are not inputs, as in ripgrep; `--follow` walks through them.
            continue;
        }
        let path = entry.into_path();
        let input = if file_type.is_file() {
            match classify(&path, options, false, None) {
                Some(input) => input,
                // Not source code, or not a selected language: not an input of a walk.
                None => continue,
            }
        } else {
            // A FIFO or device with a source-file name is reported; opening it could block.
            match lang::detect_by_name(&path) {
                Some(_) => not_regular(path, file_type),
                None => continue,
            }
        };
        if !emit(input) {
            return Ok(false);
        }
    }
    Ok(tracked.emit_rest(options, emit))
}

/// The tracked files git's ignore rules match under one walk root, fed into the walk.
struct Tracked<'a> {
    root: &'a Path,
    /// Still to come, in walk order.
    paths: std::iter::Peekable<std::slice::Iter<'a, PathBuf>>,
    /// `--exclude`, rooted like the walk's.
    excludes: Override,
    anchored: Option<Anchored>,
    /// `.astscanignore` and `.ignore` (git's own files do not apply to tracked files).
    own_ignore_files: ExplicitFilter,
}

impl Tracked<'_> {
    /// Emits the files that come before `next` (the walk's next entry) in walk order and drops
    /// `next` itself; `false` when `emit` asked to stop.
    fn emit_before(
        &mut self,
        next: &Path,
        options: &WalkOptions,
        emit: &mut impl FnMut(Input) -> bool,
    ) -> bool {
        while let Some(path) = self.paths.next_if(|p| p.as_path() <= next) {
            if path.as_path() == next {
                continue;
            }
            if let Some(input) = self.input(path, options)
                && !emit(input)
            {
                return false;
            }
        }
        true
    }

    /// Emits the files after the walk's last entry; `false` when `emit` asked to stop.
    fn emit_rest(&mut self, options: &WalkOptions, emit: &mut impl FnMut(Input) -> bool) -> bool {
        while let Some(path) = self.paths.next() {
            if let Some(input) = self.input(path, options)
                && !emit(input)
            {
                return false;
            }
        }
        true
    }

    /// What the tracked file `path` is for this walk: nothing if the walk would not take it
    /// for other reasons than ignore files (hidden, not a regular file, not source code, not
    /// a selected language), skipped if an explicit exclude names it, else a source.
    fn input(&mut self, path: &Path, options: &WalkOptions) -> Option<Input> {
        let rel = path.strip_prefix(self.root).ok()?;
        let hidden = rel.components().any(|c| match c {
            Component::Normal(name) => name.as_encoded_bytes().starts_with(b"."),
            _ => false,
        });
        if hidden && !options.hidden {
            return None;
        }
        let meta = if options.follow {
            fs::metadata(path)
        } else {
            fs::symlink_metadata(path)
        };
        // Deleted from the work tree but still in the index, or a link: not a walked file.
        if !meta.ok()?.is_file() {
            return None;
        }
        let source = classify(path, options, false, None)?;
        match self.excluded_by(path, rel) {
            Some(why) => Some(Input::NotAnalyzed {
                path: path.to_path_buf(),
                reason: Reason::new(ReasonCode::Ignored, why),
            }),
            None => Some(source),
        }
    }

    /// Which explicit exclude leaves `path` out, if one does: as in the walk, an excluded
    /// directory excludes everything below it.
    fn excluded_by(&mut self, path: &Path, rel: &Path) -> Option<String> {
        let mut dir = self.root.to_path_buf();
        let components: Vec<_> = rel.components().collect();
        for c in &components[..components.len().saturating_sub(1)] {
            dir.push(c);
            if self.excludes.matched(&dir, true).is_ignore() {
                return Some("excluded by --exclude".to_string());
            }
        }
        excluded(&self.excludes, path)
            .or_else(|| {
                self.anchored
                    .as_ref()
                    .filter(|a| a.excludes(path, false))
                    .map(|_| "excluded by .astscan.toml".to_string())
            })
            .or_else(|| self.own_ignore_files.ignored_by(path))
    }
}

/// Turns a walk error into a reported input when it concerns a path, else a warning.
fn walk_error(err: ignore::Error, warn: &mut impl FnMut(String)) -> Option<Input> {
    fn unwrap(err: &ignore::Error) -> &ignore::Error {
        match err {
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                unwrap(err)
            }
            other => other,
        }
    }
    match unwrap(&err) {
        ignore::Error::Loop { child, .. } => Some(Input::NotAnalyzed {
            path: child.clone(),
            reason: Reason::new(ReasonCode::BrokenSymlink, "symbolic link loop"),
        }),
        ignore::Error::WithPath { path, err: inner } => {
            if let ignore::Error::Io(io) = unwrap(inner) {
                // Errors from the underlying directory walker arrive wrapped in an io::Error
                // whose OS error code sits one level down.
                let os = io.raw_os_error().or_else(|| {
                    let walk = io.get_ref()?.downcast_ref::<walkdir::Error>()?;
                    walk.io_error()?.raw_os_error()
                });
                let reason = match os.map(io::Error::from_raw_os_error) {
                    Some(os) => crate::source::io_reason(&os),
                    None => crate::source::io_reason(io),
                };
                return Some(Input::NotAnalyzed {
                    path: path.clone(),
                    reason,
                });
            }
            warn(format!("{}: {inner}", pathfmt::escape(path)));
            None
        }
        other => {
            warn(other.to_string());
            None
        }
    }
}

/// Decides a regular file's language; `None` if it is not source code, or (for walked files)
/// not one of the selected languages. Explicit files of other languages are reported.
fn classify(
    path: &Path,
    options: &WalkOptions,
    explicit: bool,
    first_line: Option<&[u8]>,
) -> Option<Input> {
    let language = lang::detect_by_name(path).or_else(|| {
        if !lang::needs_shebang_check(path) {
            return None;
        }
        match first_line {
            Some(content) => {
                let line = content.split(|&b| b == b'\n').next().unwrap_or(&[]);
                lang::detect_by_shebang(line)
            }
            None => read_first_line(path).and_then(|line| lang::detect_by_shebang(&line)),
        }
    })?;
    if !options.languages.is_empty() && !options.languages.contains(&language) {
        if !explicit {
            return None;
        }
        return Some(Input::NotAnalyzed {
            path: path.to_path_buf(),
            reason: Reason::new(
                ReasonCode::LanguageNotSelected,
                format!("{language} is not among the --lang languages"),
            ),
        });
    }
    Some(Input::Source {
        path: path.to_path_buf(),
        language,
    })
}

/// The first line (at most 256 bytes) of a file, opened without blocking on FIFOs.
fn read_first_line(path: &Path) -> Option<Vec<u8>> {
    let mut file = longpath::open_nonblocking(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut buf = [0u8; 256];
    let n = file.read(&mut buf).ok()?;
    let line = buf[..n].split(|&b| b == b'\n').next().unwrap_or(&[]);
    Some(line.to_vec())
}

fn not_regular(path: PathBuf, file_type: fs::FileType) -> Input {
    let what = if file_type.is_fifo() {
        "a FIFO"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    };
    Input::NotAnalyzed {
        path,
        reason: Reason::new(
            ReasonCode::NotRegularFile,
            format!("{what}, not a regular file"),
        ),
    }
}

fn build_excludes(root: &Path, globs: &[String]) -> Result<Override, WalkError> {
    let mut builder = OverrideBuilder::new(root);
    for glob in globs {
        // Overrides whitelist by default; a leading `!` turns a glob into an exclusion.
        builder
            .add(&format!("!{glob}"))
            .map_err(|e| WalkError::BadExclude {
                glob: glob.clone(),
                message: e.to_string(),
            })?;
    }
    builder.build().map_err(|e| WalkError::BadExclude {
        glob: globs.join(" "),
        message: e.to_string(),
    })
}

fn excluded(excludes: &Override, path: &Path) -> Option<String> {
    if excludes.is_empty() {
        return None;
    }
    excludes
        .matched(path, false)
        .is_ignore()
        .then(|| "excluded by --exclude".to_string())
}

/// Applies ignore files to explicit file arguments, with the `ignore` crate's precedence:
/// deeper directories first; in each, `.astscanignore`, then `.ignore`, then `.gitignore`; then
/// `.git/info/exclude` and the global git excludes. Git files count only inside a repository.
struct ExplicitFilter {
    disabled: bool,
    /// Apply git's ignore files too (`.gitignore`, `info/exclude`, the global excludes).
    git_rules: bool,
    /// Parsed ignore files by path (`None`: absent or unreadable).
    cache: HashMap<PathBuf, Option<Gitignore>>,
    global: Option<Gitignore>,
}

impl ExplicitFilter {
    fn new(disabled: bool, git_rules: bool) -> Self {
        ExplicitFilter {
            disabled,
            git_rules,
            cache: HashMap::new(),
            global: None,
        }
    }

    /// `Some(description)` if an ignore file excludes `path`.
    fn ignored_by(&mut self, path: &Path) -> Option<String> {
        if self.disabled {
            return None;
        }
        let abs = absolute(path)?;
        let dir = abs.parent()?.to_path_buf();
        let repo = dir
            .ancestors()
            .find(|d| d.join(".git").exists())
            .map(Path::to_path_buf);
        for d in dir.ancestors() {
            let mut names = vec![IGNORE_FILE, ".ignore"];
            if repo.is_some() && self.git_rules {
                names.push(".gitignore");
            }
            for name in names {
                let file = d.join(name);
                if let Some(verdict) = self.check(&file, d, &abs) {
                    return verdict.then(|| format!("ignored by {}", pathfmt::escape(&file)));
                }
            }
            if repo.as_deref() == Some(d) {
                break;
            }
        }
        if !self.git_rules {
            return None;
        }
        let repo = repo?;
        let exclude = repo.join(".git/info/exclude");
        if let Some(verdict) = self.check(&exclude, &repo, &abs) {
            return verdict.then(|| format!("ignored by {}", pathfmt::escape(&exclude)));
        }
        let global = self.global.get_or_insert_with(|| Gitignore::global().0);
        let m = global.matched_path_or_any_parents(&abs, false);
        m.is_ignore()
            .then(|| "ignored by the global git excludes file".to_string())
    }

    /// `Some(true)` ignored, `Some(false)` whitelisted, `None` no opinion.
    fn check(&mut self, file: &Path, root: &Path, abs: &Path) -> Option<bool> {
        let gi = self
            .cache
            .entry(file.to_path_buf())
            .or_insert_with(|| {
                if !file.is_file() {
                    return None;
                }
                let mut b = GitignoreBuilder::new(root);
                b.add(file);
                b.build().ok()
            })
            .as_ref()?;
        // As git does: an excluded directory hides everything below it, even files a later
        // `!pattern` re-includes, so check the directories from the top down first.
        let rel = abs.strip_prefix(root).ok()?;
        let mut dir = root.to_path_buf();
        let components: Vec<_> = rel.components().collect();
        for c in &components[..components.len().saturating_sub(1)] {
            dir.push(c);
            if gi.matched(&dir, true).is_ignore() {
                return Some(true);
            }
        }
        let m = gi.matched(abs, false);
        if m.is_ignore() {
            Some(true)
        } else if m.is_whitelist() {
            Some(false)
        } else {
            None
        }
    }
}

/// An absolute path with the directory part canonicalised (symlinked directories resolved,
/// `..` removed), the file name kept.
fn absolute(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(fs::canonicalize(parent).ok()?.join(name))
}
