//! PHP: `use` of classes through the PSR-4 autoload maps of every `composer.json` above a PHP
//! file (`autoload` and `autoload-dev`; other autoload kinds are not read), and
//! `require`/`include` of literal paths.
//!
//! A class `A\B\C` under the prefix `A\` mapped to `src/` is the file `src/B/C.php`; the
//! longest matching prefix is tried first, each of its directories in order. A grouped
//! `use A\{B, C}` resolves each name. An included path is looked up relative to the including
//! file's directory, then to the root (PHP's include path starts with the working directory,
//! usually the project's root); `__DIR__ . "/x.php"` only relative to the file.
//!
//! Not found: a class under a prefix of the tree, and any included path, are unresolved; other
//! classes are external, named by their first namespace name (`Symfony`, `Psr`). Names in the
//! global namespace (`DateTime`, `use function array_map`, `use const E_ALL`) are PHP's own:
//! the external `php`.
//! Without a `composer.json`, every `use` is external. Function and constant imports
//! (`use function A\f`) are looked up as classes, so they are usually unresolved.

use serde_json::Value;

use super::Outcome;
use crate::graph::index::{FileId, FileIndex};
use crate::graph::model::{Ecosystem, ImportRef, UnresolvedReason};
use crate::graph::paths;
use crate::graph::project::ProjectFiles;
use crate::lang::Language;

/// Extensions of files the scan parses as PHP.
const PHP_EXTENSIONS: [&str; 2] = ["php", "phtml"];

/// The PHP resolver.
pub struct Php {
    /// (namespace prefix ending in `\` or empty, directories of the tree), longest first.
    psr4: Vec<(String, Vec<String>)>,
}

impl Php {
    /// Reads the autoload maps of every `composer.json` above a PHP file.
    pub fn new(index: &FileIndex, project: &mut ProjectFiles) -> Php {
        let mut psr4 = Vec::new();
        for dir in index.dirs_above(|l| l == Language::Php) {
            let manifest = paths::join(&dir, "composer.json").unwrap_or_default();
            let Some(text) = project.read(&manifest) else {
                continue;
            };
            match serde_json::from_str::<Value>(&text)
                .map_err(|e| format!("not valid JSON: {e}"))
                .and_then(|value| psr4_map(&value))
            {
                Ok(map) => psr4.extend(map.into_iter().map(|(prefix, dirs)| {
                    let dirs = dirs.iter().filter_map(|d| paths::join(&dir, d)).collect();
                    (prefix, dirs)
                })),
                Err(message) => project.malformed(&manifest, message),
            }
        }
        psr4.sort_by(|(a, _), (b, _)| (b.len(), a).cmp(&(a.len(), b)));
        Php { psr4 }
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
        // Namespaces never hold `/` or `.`; included paths nearly always do.
        if import.relative || spec.contains(['/', '.']) {
            out.push(include(index, dir, spec, import.relative));
            return;
        }
        let base = spec.trim_start_matches('\\');
        if import.names.is_empty() {
            out.push(self.class(index, base));
            return;
        }
        for name in &import.names {
            let outcome = match self.class(index, &format!("{base}\\{name}")) {
                Outcome::File { to, .. } => Outcome::File {
                    to,
                    name: Some(name.clone()),
                },
                Outcome::Unresolved { reason, .. } => Outcome::Unresolved {
                    reason,
                    name: Some(name.clone()),
                },
                external => external,
            };
            out.push(outcome);
        }
    }

    /// The file of class `class`, through the PSR-4 maps.
    fn class(&self, index: &FileIndex, class: &str) -> Outcome {
        let mut under_prefix = false;
        for (prefix, dirs) in &self.psr4 {
            let Some(rest) = class.strip_prefix(prefix.as_str()) else {
                continue;
            };
            // The fallback prefix `""` matches everything: not a sign the class is local.
            under_prefix |= !prefix.is_empty();
            let file = format!("{}.php", rest.replace('\\', "/"));
            if let Some(id) = index.first(dirs.iter().filter_map(|d| paths::join(d, &file))) {
                return Outcome::file(id);
            }
        }
        match class.split_once('\\') {
            _ if under_prefix => Outcome::unresolved(UnresolvedReason::NotFound),
            Some((first, _)) => Outcome::External(Ecosystem::Php, first.to_string()),
            None => Outcome::External(Ecosystem::Php, "php".to_string()),
        }
    }
}

/// The file an include of `spec` from directory `dir` names.
fn include(index: &FileIndex, dir: &str, spec: &str, relative: bool) -> Outcome {
    if spec.contains(['$', '{']) {
        // An interpolated path: which file it is depends on values at run time.
        return Outcome::unresolved(UnresolvedReason::NotFound);
    }
    let candidates = if relative {
        // `__DIR__ . "/x.php"`: the string starts with the separator.
        vec![paths::join(dir, spec.trim_start_matches('/'))]
    } else if spec.starts_with('/') {
        vec![None]
    } else {
        vec![paths::join(dir, spec), paths::join("", spec)]
    };
    if candidates.iter().all(Option::is_none) {
        return Outcome::unresolved(UnresolvedReason::OutsideRoot);
    }
    match index.first(candidates.into_iter().flatten()) {
        Some(id) => Outcome::file(id),
        None => match paths::extension(spec) {
            Some(ext) if !PHP_EXTENSIONS.contains(&ext) => {
                Outcome::unresolved(UnresolvedReason::NotSource)
            }
            _ => Outcome::unresolved(UnresolvedReason::NotFound),
        },
    }
}

/// The PSR-4 maps of a `composer.json`: (prefix, directories relative to it).
fn psr4_map(value: &Value) -> Result<Vec<(String, Vec<String>)>, String> {
    let mut map = Vec::new();
    for section in ["autoload", "autoload-dev"] {
        let Some(psr4) = value.get(section).and_then(|s| s.get("psr-4")) else {
            continue;
        };
        let Some(psr4) = psr4.as_object() else {
            return Err(format!("{section}.psr-4 is not an object"));
        };
        for (prefix, dirs) in psr4 {
            let dirs: Vec<String> = match dirs {
                Value::String(dir) => vec![dir.clone()],
                Value::Array(list) => list
                    .iter()
                    .map(|d| d.as_str().map(str::to_string))
                    .collect::<Option<_>>()
                    .ok_or_else(|| format!("{section}.psr-4[{prefix:?}] is not a list of paths"))?,
                _ => return Err(format!("{section}.psr-4[{prefix:?}] is not a path")),
            };
            let mut prefix = prefix.trim_start_matches('\\').to_string();
            if !prefix.is_empty() && !prefix.ends_with('\\') {
                prefix.push('\\');
            }
            map.push((prefix, dirs));
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psr4_maps_of_both_sections() {
        let value: Value = serde_json::from_str(
            r#"{"autoload": {"psr-4": {"App\\": "src/", "\\Lib": ["lib/", "more/"]}},
                "autoload-dev": {"psr-4": {"Tests\\": "tests/"}}}"#,
        )
        .expect("json");
        assert_eq!(
            psr4_map(&value).expect("valid"),
            [
                ("App\\".to_string(), vec!["src/".to_string()]),
                (
                    "Lib\\".to_string(),
                    vec!["lib/".to_string(), "more/".to_string()]
                ),
                ("Tests\\".to_string(), vec!["tests/".to_string()]),
            ]
        );
        let bad: Value = serde_json::from_str(r#"{"autoload": {"psr-4": ["src"]}}"#).expect("json");
        assert_eq!(
            psr4_map(&bad).unwrap_err(),
            "autoload.psr-4 is not an object"
        );
    }
}
