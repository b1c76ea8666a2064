//! Resolution: what an import of a scanned file refers to — files of the tree, a package from
//! outside it, or nothing that can be found. One module per language family, each built once
//! from the file index and the project files it reads, then asked import by import.
//!
//! The shared rule: a specifier that can only mean something in the tree (a relative path, a
//! name under a local package or module prefix) and is not found is *unresolved*; a bare
//! package name is *external*, named by its top-level package.

mod go;
mod java;
mod js;
mod php;
mod python;
mod ruby;

use super::index::{FileId, FileIndex};
use super::model::{Ecosystem, ImportRef, UnresolvedReason};
use super::project::ProjectFiles;
use crate::lang::Language;

/// What one import (or one of the names it lists) refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A file of the tree; `name` is the imported name it came through, if any.
    File {
        /// The imported file.
        to: FileId,
        /// The name of the import's list that named the file.
        name: Option<String>,
    },
    /// A package from outside the tree, by its top-level name.
    External(Ecosystem, String),
    /// Looks local, but is not in the tree.
    Unresolved {
        /// Why.
        reason: UnresolvedReason,
        /// The name of the import's list that was not found.
        name: Option<String>,
    },
}

impl Outcome {
    /// An edge to `to`, not through a name.
    fn file(to: FileId) -> Outcome {
        Outcome::File { to, name: None }
    }

    /// Unresolved, not for a particular name.
    fn unresolved(reason: UnresolvedReason) -> Outcome {
        Outcome::Unresolved { reason, name: None }
    }
}

/// The resolvers of every language family.
pub struct Resolvers {
    python: python::Python,
    js: js::Js,
    go: go::Go,
    java: java::Java,
    php: php::Php,
    ruby: ruby::Ruby,
}

impl Resolvers {
    /// Builds every resolver, reading the project files each needs.
    pub fn new(index: &FileIndex, project: &mut ProjectFiles) -> Resolvers {
        Resolvers {
            python: python::Python::new(index, project),
            js: js::Js::new(index, project),
            go: go::Go::new(index, project),
            java: java::Java::new(index),
            php: php::Php::new(index, project),
            ruby: ruby::Ruby::new(index),
        }
    }

    /// What `import`, written in file `from`, refers to: one outcome, or one per listed name.
    pub fn resolve(&self, index: &FileIndex, from: FileId, import: &ImportRef) -> Vec<Outcome> {
        let mut out = Vec::new();
        match index.language(from) {
            Language::Python => self.python.resolve(index, from, import, &mut out),
            Language::Javascript | Language::Typescript | Language::Tsx => {
                self.js.resolve(index, from, import, &mut out)
            }
            Language::Go => self.go.resolve(index, from, import, &mut out),
            Language::Java => self.java.resolve(index, from, import, &mut out),
            Language::Php => self.php.resolve(index, from, import, &mut out),
            Language::Ruby => self.ruby.resolve(index, from, import, &mut out),
        }
        out
    }
}
