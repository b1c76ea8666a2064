//! Java: imports resolve through the package each scanned Java file is in, which is derived
//! from its directory below a source root; the file's `package` line is not read (that would
//! mean reading sources, and the worker does not report it). Javac requires the directory to
//! match the package for public classes, and build tools lay out every class that way.
//!
//! A file's package is the directories below its source root. Package names are identifiers,
//! so the root is below any directory whose name is not one (`java.base`, `my-service`); below
//! that, it is the first `src/<set>/java` (Maven and Gradle: `src/main/java`,
//! `src/test/java`), else the first `java` directly above a domain name (`java/com/acme`),
//! else the first `src`, else the tree's root.
//!
//! An import `a.b.C` is tried as the class `C` of package `a.b`; then as the package `a.b.C`
//! itself, for a wildcard import (`import a.b.C.*;` is reported as `a.b.C`: every file of the
//! package); then with trailing names dropped, for static imports and nested classes
//! (`a.b.C.member` is the class `a.b.C`). When a class is in several source roots, the one
//! sharing the most directories with the importing file wins.
//!
//! Not found: external, named by its first two names under the reverse-domain prefixes
//! `com org net io dev edu gov` and by its first name otherwise (`org.springframework`,
//! `java`, `jakarta`, `lombok`) — unless a package of the tree is under that name
//! (`com.acme.missing.X` in a tree with `com.acme.util`): then it is unresolved.

use std::collections::{BTreeMap, BTreeSet};

use super::Outcome;
use crate::graph::index::{FileId, FileIndex};
use crate::graph::model::{Ecosystem, ImportRef, UnresolvedReason};
use crate::graph::paths;
use crate::lang::Language;

/// First names of packages named after an organisation's domain, where the organisation is
/// the second name.
const DOMAIN_PREFIXES: [&str; 7] = ["com", "org", "net", "io", "dev", "edu", "gov"];

/// The Java resolver.
pub struct Java {
    /// Files by package (`""` for the default package).
    packages: BTreeMap<String, Vec<FileId>>,
    /// Files by fully qualified class name (the file name without `.java`).
    classes: BTreeMap<String, Vec<FileId>>,
    /// Every package of the tree and every package above one (`a.b.c`: `a`, `a.b`, `a.b.c`).
    local_prefixes: BTreeSet<String>,
}

impl Java {
    /// Indexes the scanned Java files by package and class.
    pub fn new(index: &FileIndex) -> Java {
        let mut java = Java {
            packages: BTreeMap::new(),
            classes: BTreeMap::new(),
            local_prefixes: BTreeSet::new(),
        };
        for (id, path) in index.files() {
            if index.language(id) != Language::Java {
                continue;
            }
            let package = package_of(path);
            let name = paths::file_name(path);
            let class = name.strip_suffix(".java").unwrap_or(name);
            let qualified = if package.is_empty() {
                class.to_string()
            } else {
                format!("{package}.{class}")
            };
            java.classes.entry(qualified).or_default().push(id);
            let mut prefix = String::new();
            for part in package.split('.').filter(|p| !p.is_empty()) {
                if !prefix.is_empty() {
                    prefix.push('.');
                }
                prefix.push_str(part);
                java.local_prefixes.insert(prefix.clone());
            }
            java.packages.entry(package).or_default().push(id);
        }
        java
    }

    /// Resolves one import of `from`.
    pub fn resolve(
        &self,
        index: &FileIndex,
        from: FileId,
        import: &ImportRef,
        out: &mut Vec<Outcome>,
    ) {
        let spec = import.specifier.trim();
        let importer = index.path(from);
        if let Some(files) = self.classes.get(spec) {
            out.push(Outcome::file(closest(index, importer, files)));
            return;
        }
        if let Some(files) = self.packages.get(spec).filter(|_| !spec.is_empty()) {
            out.extend(files.iter().map(|&id| Outcome::file(id)));
            return;
        }
        let mut outer = spec;
        while let Some((head, _)) = outer.rsplit_once('.') {
            outer = head;
            if let Some(files) = self.classes.get(outer).filter(|_| outer.contains('.')) {
                out.push(Outcome::file(closest(index, importer, files)));
                return;
            }
        }
        let name = external_name(spec);
        out.push(if self.local_prefixes.contains(&name) {
            Outcome::unresolved(UnresolvedReason::NotFound)
        } else {
            Outcome::External(Ecosystem::Java, name)
        });
    }
}

/// The package a Java file at `path` is in, from its directory below its source root.
fn package_of(path: &str) -> String {
    let all: Vec<&str> = paths::parent(path)
        .split('/')
        .filter(|d| !d.is_empty())
        .collect();
    let below = all
        .iter()
        .rposition(|d| !is_identifier(d))
        .map_or(0, |i| i + 1);
    let dirs = &all[below..];
    let java_root = (0..dirs.len()).find(|&i| {
        dirs[i] == "java"
            && ((i >= 2 && dirs[i - 2] == "src")
                || dirs.get(i + 1).is_some_and(|d| DOMAIN_PREFIXES.contains(d)))
    });
    let start = java_root
        .or_else(|| dirs.iter().position(|&d| d == "src"))
        .map_or(0, |i| i + 1);
    dirs[start..].join(".")
}

/// Whether `name` can be a part of a package name (a Java identifier, in ASCII or not).
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// The one of `files` sharing the most leading directories with `importer`; the first in
/// path order on a tie.
fn closest(index: &FileIndex, importer: &str, files: &[FileId]) -> FileId {
    let shared = |id: FileId| {
        importer
            .split('/')
            .zip(index.path(id).split('/'))
            .take_while(|(a, b)| a == b)
            .count()
    };
    let mut best = files[0];
    for &id in &files[1..] {
        if shared(id) > shared(best) {
            best = id;
        }
    }
    best
}

/// The top-level package an import outside the tree is named by.
fn external_name(spec: &str) -> String {
    let mut parts = spec.split('.');
    let first = parts.next().unwrap_or(spec);
    match parts.next() {
        Some(second) if DOMAIN_PREFIXES.contains(&first) => format!("{first}.{second}"),
        _ => first.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_come_from_the_directory_below_the_source_root() {
        assert_eq!(
            package_of("svc/src/main/java/com/acme/App.java"),
            "com.acme"
        );
        assert_eq!(
            package_of("src/test/java/com/acme/AppTest.java"),
            "com.acme"
        );
        assert_eq!(package_of("java/org/x/Y.java"), "org.x");
        assert_eq!(package_of("src/org/x/Y.java"), "org.x");
        // JDK sources: module directories, then packages that start with `java`.
        assert_eq!(package_of("java.base/java/util/List.java"), "java.util");
        assert_eq!(package_of("my-app/src/main/java/com/a/B.java"), "com.a");
        assert_eq!(package_of("app/src/main/java/com/a/B.java"), "com.a");
        assert_eq!(package_of("org/x/Y.java"), "org.x");
        assert_eq!(package_of("Y.java"), "");
    }

    #[test]
    fn external_package_names() {
        assert_eq!(
            external_name("org.springframework.boot.App"),
            "org.springframework"
        );
        assert_eq!(external_name("java.util.List"), "java");
        assert_eq!(external_name("lombok.Data"), "lombok");
        assert_eq!(external_name("com"), "com");
    }
}
