//! Python: absolute imports against the tree's import roots, relative imports against the
//! importing file's package, and the names of `from m import a, b` as submodules.
//!
//! Import roots, tried in this order: the root of the importing file's own package (the
//! directory above the top of its `__init__.py` chain, or its own directory when it is in no
//! package, as when a script runs), then, shallow first, the tree's root, every directory
//! above a package chain (which covers `src/` layouts), every directory named `src`, every
//! directory with a `pyproject.toml` or `setup.py` together with its `src/`, and the source
//! directories `pyproject.toml` names (setuptools `package-dir` and `packages.find.where`,
//! Poetry `packages[].from`, Hatch wheel `packages`). As in Python, a package
//! (`a/__init__.py`) wins over a module (`a.py`), and a directory without `__init__.py`
//! (a namespace package) is used only when no root has a regular one; a namespace package has
//! no file of its own, so it resolves only through the submodules an import names.
//!
//! Not found: relative imports, and absolute ones whose top-level name is a package or module
//! of the tree, are unresolved; anything else is external, named by its top-level name (the
//! standard library included: `os.path` is `os`).

use std::collections::BTreeSet;

use super::Outcome;
use crate::graph::index::{FileId, FileIndex};
use crate::graph::model::{Ecosystem, ImportRef, UnresolvedReason};
use crate::graph::paths;
use crate::graph::project::ProjectFiles;
use crate::lang::Language;

/// The Python resolver.
pub struct Python {
    /// Import roots after the importing file's own, shallow first.
    roots: Vec<String>,
}

/// A module an import names.
enum Module {
    /// A file: a module, or a package's `__init__.py` with the package's directory.
    File { id: FileId, dir: Option<String> },
    /// A directory without `__init__.py`.
    Namespace(String),
}

impl Python {
    /// Finds the import roots of the tree.
    pub fn new(index: &FileIndex, project: &mut ProjectFiles) -> Python {
        let mut roots = BTreeSet::from([String::new()]);
        for (id, path) in index.files() {
            let dir = paths::parent(path);
            if index.language(id) == Language::Python && is_package(index, dir) {
                roots.insert(package_root(index, dir).to_string());
            }
        }
        for dir in index.dirs_above(|l| l == Language::Python) {
            if paths::file_name(&dir) == "src" {
                roots.insert(dir.clone());
            }
            let manifest = paths::join(&dir, "pyproject.toml").unwrap_or_default();
            let pyproject = project.read(&manifest);
            let setup_py = paths::join(&dir, "setup.py").and_then(|p| index.get(&p));
            if pyproject.is_none() && setup_py.is_none() {
                continue;
            }
            roots.insert(dir.clone());
            roots.extend(paths::join(&dir, "src").filter(|src| index.has_dir(src)));
            match pyproject.as_deref().map(source_dirs).transpose() {
                Ok(dirs) => {
                    let named = dirs.into_iter().flatten();
                    roots.extend(named.filter_map(|d| paths::join(&dir, &d)));
                }
                Err(message) => project.malformed(&manifest, message),
            }
        }
        let mut roots: Vec<String> = roots.into_iter().collect();
        roots.sort_by(|a, b| (paths::depth(a), a).cmp(&(paths::depth(b), b)));
        Python { roots }
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
        if spec.starts_with('.') {
            let rest = spec.trim_start_matches('.');
            let level = spec.len() - rest.len();
            // `.` is the file's own package, each further dot one package up.
            let mut base = Some(dir);
            for _ in 1..level {
                base = base.and_then(|b| (!b.is_empty()).then(|| paths::parent(b)));
            }
            let Some(base) = base else {
                out.push(Outcome::unresolved(UnresolvedReason::OutsideRoot));
                return;
            };
            let found = find_regular(index, base, rest)
                .or_else(|| find_namespace(index, base, rest))
                .is_some_and(|module| emit(index, module, import, out));
            if !found {
                out.push(Outcome::unresolved(UnresolvedReason::NotFound));
            }
            return;
        }
        let own = package_root(index, dir);
        let roots = || std::iter::once(own).chain(self.roots.iter().map(String::as_str));
        // A script's directory is its first root, so `import dnf` in `dnf.py` would find the
        // script itself, which Python would only do when running it as `__main__`.
        let other = |module: &Module| !matches!(module, Module::File { id, .. } if *id == from);
        for root in roots() {
            if let Some(module) = find_regular(index, root, spec).filter(other) {
                emit(index, module, import, out);
                return;
            }
        }
        for root in roots() {
            if let Some(module) = find_namespace(index, root, spec)
                && emit(index, module, import, out)
            {
                return;
            }
        }
        let top = spec.split('.').next().unwrap_or(spec);
        if roots().any(|root| find_regular(index, root, top).is_some_and(|m| other(&m))) {
            out.push(Outcome::unresolved(UnresolvedReason::NotFound));
        } else {
            out.push(Outcome::External(Ecosystem::Python, top.to_string()));
        }
    }
}

/// Adds the outcomes of `import` resolved to `module`: the module itself, or for each listed
/// name its submodule when there is one and the module otherwise. A namespace package has no
/// file for names that are not submodules; `false` when nothing of the import was found.
fn emit(index: &FileIndex, module: Module, import: &ImportRef, out: &mut Vec<Outcome>) -> bool {
    match module {
        Module::File { id, dir } => {
            if import.names.is_empty() {
                out.push(Outcome::file(id));
            }
            for name in &import.names {
                let sub = dir.as_deref().and_then(|d| find_regular(index, d, name));
                out.push(match sub {
                    Some(Module::File { id: sub, .. }) => Outcome::File {
                        to: sub,
                        name: Some(name.clone()),
                    },
                    _ => Outcome::file(id),
                });
            }
            true
        }
        Module::Namespace(dir) => {
            let subs: Vec<Option<FileId>> = import
                .names
                .iter()
                .map(|name| match find_regular(index, &dir, name) {
                    Some(Module::File { id, .. }) => Some(id),
                    _ => None,
                })
                .collect();
            if subs.iter().all(Option::is_none) {
                return false;
            }
            for (name, sub) in import.names.iter().zip(subs) {
                let name = Some(name.clone());
                out.push(match sub {
                    Some(to) => Outcome::File { to, name },
                    None => Outcome::Unresolved {
                        reason: UnresolvedReason::NotFound,
                        name,
                    },
                });
            }
            true
        }
    }
}

/// The regular package (`x/__init__.py`) or module (`x.py`) `dotted` names below `base`
/// (`base` itself, as a package, for an empty name).
fn find_regular(index: &FileIndex, base: &str, dotted: &str) -> Option<Module> {
    let path = paths::join(base, &dotted.replace('.', "/"))?;
    let init = ["__init__.py", "__init__.pyi"].map(|f| paths::join(&path, f).unwrap_or_default());
    if let Some(id) = index.first(init) {
        return Some(Module::File {
            id,
            dir: Some(path),
        });
    }
    if dotted.is_empty() {
        return None;
    }
    let id = index.first([format!("{path}.py"), format!("{path}.pyi")])?;
    Some(Module::File { id, dir: None })
}

/// The directory `dotted` names below `base`, when scanned files lie under it.
fn find_namespace(index: &FileIndex, base: &str, dotted: &str) -> Option<Module> {
    let path = paths::join(base, &dotted.replace('.', "/"))?;
    index.has_dir(&path).then_some(Module::Namespace(path))
}

/// Whether `dir` is a regular package (has a scanned `__init__.py`).
fn is_package(index: &FileIndex, dir: &str) -> bool {
    !dir.is_empty()
        && index
            .first(["__init__.py", "__init__.pyi"].map(|f| format!("{dir}/{f}")))
            .is_some()
}

/// The directory above the top of the package chain `dir` is in (`dir` itself when it is no
/// package): where Python must look to import it by its full name.
fn package_root<'a>(index: &FileIndex, dir: &'a str) -> &'a str {
    let mut dir = dir;
    while is_package(index, dir) {
        dir = paths::parent(dir);
    }
    dir
}

/// The source directories a `pyproject.toml` names, relative to it.
fn source_dirs(text: &str) -> Result<Vec<String>, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        // toml's own message quotes the offending line; the warning names the line only.
        let line = e.span().map_or(0, |s| line_of(text, s.start));
        format!("not valid TOML (line {line}): {}", e.message())
    })?;
    let tool = |path: &[&str]| -> Option<&toml::Value> {
        let mut value = table.get("tool")?;
        for key in path {
            value = value.get(key)?;
        }
        Some(value)
    };
    let strings = |value: Option<&toml::Value>| -> Vec<String> {
        value
            .and_then(toml::Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut dirs = Vec::new();
    if let Some(dir) = tool(&["setuptools", "package-dir", ""]).and_then(toml::Value::as_str) {
        dirs.push(dir.to_string());
    }
    dirs.extend(strings(tool(&["setuptools", "packages", "find", "where"])));
    if let Some(packages) = tool(&["poetry", "packages"]).and_then(toml::Value::as_array) {
        let from = packages.iter().filter_map(|p| p.get("from")?.as_str());
        dirs.extend(from.map(str::to_string));
    }
    let hatch = strings(tool(&["hatch", "build", "targets", "wheel", "packages"]));
    dirs.extend(hatch.iter().map(|p| paths::parent(p).to_string()));
    Ok(dirs)
}

/// The 1-based line of byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let before = &text.as_bytes()[..offset.min(text.len())];
    before.iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyproject_source_directories() {
        let text = "[tool.setuptools]\npackage-dir = {\"\" = \"lib\"}\n\
                    [tool.setuptools.packages.find]\nwhere = [\"src\"]\n\
                    [tool.poetry]\npackages = [{ include = \"x\", from = \"code\" }]\n\
                    [tool.hatch.build.targets.wheel]\npackages = [\"pkgs/y\"]\n";
        assert_eq!(
            source_dirs(text).expect("valid"),
            ["lib", "src", "code", "pkgs"]
        );
        let err = source_dirs("[tool\nx = 1\n").expect_err("invalid");
        assert!(err.starts_with("not valid TOML (line 1)"), "{err}");
    }
}
