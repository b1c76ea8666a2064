//! Ruby: `require_relative` relative to the requiring file, and `require`/`load` against the
//! load path a project sets up: its `lib/` directories (and `spec/`, `test/`, which RSpec and
//! Minitest add), the one the requiring file is in first, then the root of the tree.
//!
//! `.rb` is added to names without an extension. Not found: `require_relative` and paths
//! starting with `.` or `/` are unresolved; other names are gems or the standard library,
//! external, named by their first path element without a library extension
//! (`active_support/core_ext` is `active_support`, `bigdecimal.so` is `bigdecimal`).

use std::collections::BTreeSet;

use super::Outcome;
use crate::graph::index::{FileId, FileIndex};
use crate::graph::model::{Ecosystem, ImportRef, UnresolvedReason};
use crate::graph::paths;
use crate::lang::Language;

/// Names of directories on the load path.
const LOAD_DIRS: [&str; 3] = ["lib", "spec", "test"];

/// The Ruby resolver.
pub struct Ruby {
    /// Load path directories holding Ruby files, shallow first.
    load_path: Vec<String>,
}

impl Ruby {
    /// Finds the load path directories of the tree.
    pub fn new(index: &FileIndex) -> Ruby {
        let dirs: BTreeSet<String> = index
            .dirs_above(|l| l == Language::Ruby)
            .into_iter()
            .filter(|d| LOAD_DIRS.contains(&paths::file_name(d)))
            .collect();
        let mut load_path: Vec<String> = dirs.into_iter().collect();
        load_path.sort_by(|a, b| (paths::depth(a), a).cmp(&(paths::depth(b), b)));
        Ruby { load_path }
    }

    /// Resolves one import of `from`.
    pub fn resolve(
        &self,
        index: &FileIndex,
        from: FileId,
        import: &ImportRef,
        out: &mut Vec<Outcome>,
    ) {
        let spec = import.specifier.as_str();
        let dir = paths::parent(index.path(from));
        let file = if paths::extension(spec).is_some() {
            spec.to_string()
        } else {
            format!("{spec}.rb")
        };
        let local_path = import.relative || spec.starts_with(['.', '/']);
        let candidates: Vec<Option<String>> = if import.relative {
            vec![paths::join(dir, &file)]
        } else if spec.starts_with('/') {
            vec![None]
        } else if spec.starts_with('.') {
            // Relative to the working directory, usually the root; the file's own directory
            // when that is what was meant.
            vec![paths::join("", &file), paths::join(dir, &file)]
        } else {
            let own = paths::ancestors(dir).find(|d| LOAD_DIRS.contains(&paths::file_name(d)));
            own.into_iter()
                .chain(self.load_path.iter().map(String::as_str))
                .chain([""])
                .map(|d| paths::join(d, &file))
                .collect()
        };
        if let Some(id) = index.first(candidates.iter().flatten()) {
            out.push(Outcome::file(id));
        } else if candidates.iter().all(Option::is_none) {
            out.push(Outcome::unresolved(UnresolvedReason::OutsideRoot));
        } else if local_path {
            let reason = match paths::extension(&file) {
                Some("rb") => UnresolvedReason::NotFound,
                _ => UnresolvedReason::NotSource,
            };
            out.push(Outcome::unresolved(reason));
        } else {
            let first = spec.split('/').next().unwrap_or(spec);
            let gem = [".rb", ".so", ".bundle"]
                .iter()
                .find_map(|ext| first.strip_suffix(ext))
                .unwrap_or(first);
            out.push(Outcome::External(Ecosystem::Ruby, gem.to_string()));
        }
    }
}
