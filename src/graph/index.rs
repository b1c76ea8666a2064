//! The scanned files as resolution looks them up: by path, by directory, and the directories
//! that hold them. A file is in the graph only if it was scanned; resolution never asks the
//! file system whether a source file exists.

use std::collections::{BTreeMap, BTreeSet};

use super::paths;
use crate::lang::Language;

/// A file's position in the graph's sorted file list.
pub type FileId = usize;

/// Scanned files by path and directory.
pub struct FileIndex {
    paths: Vec<String>,
    languages: Vec<Language>,
    by_path: BTreeMap<String, FileId>,
    /// Files directly in each directory, in path order.
    by_dir: BTreeMap<String, Vec<FileId>>,
    /// Every directory with a file at any depth below it, the root `""` included.
    dirs: BTreeSet<String>,
}

impl FileIndex {
    /// Indexes `files` (path, language), which must be sorted by path without duplicates:
    /// a file's id is its position.
    pub fn new(files: &[(String, Language)]) -> FileIndex {
        let mut index = FileIndex {
            paths: Vec::with_capacity(files.len()),
            languages: Vec::with_capacity(files.len()),
            by_path: BTreeMap::new(),
            by_dir: BTreeMap::new(),
            dirs: BTreeSet::new(),
        };
        for (id, (path, language)) in files.iter().enumerate() {
            index.paths.push(path.clone());
            index.languages.push(*language);
            index.by_path.insert(path.clone(), id);
            let dir = paths::parent(path);
            index.by_dir.entry(dir.to_string()).or_default().push(id);
            for ancestor in paths::ancestors(dir) {
                if !index.dirs.insert(ancestor.to_string()) {
                    break;
                }
            }
        }
        index
    }

    /// The file at `path`.
    pub fn get(&self, path: &str) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    /// The first of `candidates` that is a scanned file.
    pub fn first<I, S>(&self, candidates: I) -> Option<FileId>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        candidates.into_iter().find_map(|c| self.get(c.as_ref()))
    }

    /// The path of `id`.
    pub fn path(&self, id: FileId) -> &str {
        &self.paths[id]
    }

    /// The language of `id`.
    pub fn language(&self, id: FileId) -> Language {
        self.languages[id]
    }

    /// The files directly in `dir`.
    pub fn files_in(&self, dir: &str) -> &[FileId] {
        self.by_dir.get(dir).map_or(&[], Vec::as_slice)
    }

    /// Whether a scanned file lies anywhere below `dir`.
    pub fn has_dir(&self, dir: &str) -> bool {
        self.dirs.contains(dir)
    }

    /// Every file id with its path.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &str)> {
        self.paths.iter().map(String::as_str).enumerate()
    }

    /// The directories holding files of the languages `keep` selects, and every directory
    /// above them up to the root: where project files that concern those files can be.
    pub fn dirs_above(&self, keep: impl Fn(Language) -> bool) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for (id, path) in self.files() {
            if !keep(self.language(id)) {
                continue;
            }
            for ancestor in paths::ancestors(paths::parent(path)) {
                if !out.insert(ancestor.to_string()) {
                    break;
                }
            }
        }
        out
    }
}
