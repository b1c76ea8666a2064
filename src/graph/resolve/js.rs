//! JavaScript and TypeScript: relative specifiers, `tsconfig.json`/`jsconfig.json` `baseUrl`
//! and `paths`, workspace packages by their `package.json` `name`, and bare names as external
//! packages.
//!
//! A path resolves as Node and TypeScript's bundler-style resolution would: the file as
//! written, then for `./x.js` the TypeScript file it is compiled from (`x.ts`, `x.tsx`,
//! `x.d.ts`), then with each extension added, then as a directory (its `package.json` entry,
//! then `index.*`). TypeScript extensions are tried first from TypeScript files, JavaScript
//! extensions first from JavaScript files. The configuration that applies to a file is the
//! `tsconfig.json` (else `jsconfig.json`) of the nearest directory above it; `extends` is
//! followed for relative paths (configurations from packages would need `node_modules`, which is
//! not read). A workspace package's entry is its `exports` when that is one path (or one path
//! per condition for `.`), else `module`, else `main`, else `index.*` or `src/index.*` in its
//! directory; `pkg/sub` is `sub` below the package's directory (or its `src/`), as `exports`
//! subpath maps are not read.
//!
//! External names: `@scope/name` or `name` (`lodash/fp` is `lodash`), `node:fs` for built-ins
//! written with the `node:` prefix. A relative path that is not found is unresolved (reason
//! `not_source` for stylesheets, images, JSON and other assets, which are not in the graph),
//! and so is an alias of `paths` (other than the catch-all `*`) whose targets are all missing.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Outcome;
use crate::graph::index::{FileId, FileIndex};
use crate::graph::model::{Ecosystem, ImportRef, UnresolvedReason};
use crate::graph::project::ProjectFiles;
use crate::graph::{jsonc, paths};
use crate::lang::Language;

/// Extensions of TypeScript files, in the order they are tried.
const TS_EXTENSIONS: [&str; 5] = ["ts", "tsx", "d.ts", "mts", "cts"];
/// Extensions of JavaScript files, in the order they are tried.
const JS_EXTENSIONS: [&str; 4] = ["js", "jsx", "mjs", "cjs"];
/// Extensions of files bundlers import that are not code the scan parses: a missing import
/// of one is `not_source`. Other dotted names (`./es.symbol.iterator`) are modules not found.
const ASSET_EXTENSIONS: [&str; 27] = [
    "css", "scss", "sass", "less", "styl", "json", "json5", "svg", "png", "jpg", "jpeg", "gif",
    "webp", "avif", "ico", "woff", "woff2", "ttf", "otf", "html", "md", "mdx", "txt", "yaml",
    "yml", "graphql", "vue",
];
/// How deep `extends` chains are followed; real ones are two or three long.
const MAX_EXTENDS: usize = 8;

/// The JavaScript and TypeScript resolver.
pub struct Js {
    /// The configuration of each directory that has a `tsconfig.json` or `jsconfig.json`.
    configs: BTreeMap<String, Config>,
    /// Workspace packages, longest name first.
    packages: Vec<Package>,
    /// Index into `packages` by directory.
    package_dirs: BTreeMap<String, usize>,
}

/// The parts of a `tsconfig.json` resolution uses, `extends` applied.
#[derive(Debug, Default)]
struct Config {
    /// `compilerOptions.baseUrl`, as a directory of the tree.
    base_url: Option<String>,
    /// `compilerOptions.paths`.
    aliases: Vec<Alias>,
}

/// One pattern of `paths`: `prefix*suffix`, or exactly `prefix` without a wildcard.
#[derive(Debug)]
struct Alias {
    prefix: String,
    /// After the `*`; `None` for a pattern without one.
    suffix: Option<String>,
    /// Paths of the tree, each with at most one `*` to put the matched text in.
    targets: Vec<String>,
}

/// A configuration file as read, before `extends` is applied.
#[derive(Debug, Default)]
struct RawConfig {
    base_url: Option<String>,
    paths: Option<DeclaredPaths>,
}

/// `compilerOptions.paths` as written, and the directory of the file that declared it (the
/// base of its targets when there is no `baseUrl`).
#[derive(Debug)]
struct DeclaredPaths {
    /// (pattern, targets), in the file's order.
    patterns: Vec<(String, Vec<String>)>,
    declared_in: String,
}

impl RawConfig {
    /// `self` with what `later` sets replacing it.
    fn overlay(&mut self, later: RawConfig) {
        if later.base_url.is_some() {
            self.base_url = later.base_url;
        }
        if later.paths.is_some() {
            self.paths = later.paths;
        }
    }
}

/// A package of the tree, known by the `name` of its `package.json`.
#[derive(Debug)]
struct Package {
    name: String,
    dir: String,
    /// The entry point its `package.json` names, as a path of the tree.
    entry: Option<String>,
}

impl Js {
    /// Reads the configurations and package manifests above JavaScript and TypeScript files.
    pub fn new(index: &FileIndex, project: &mut ProjectFiles) -> Js {
        let mut js = Js {
            configs: BTreeMap::new(),
            packages: Vec::new(),
            package_dirs: BTreeMap::new(),
        };
        for dir in index.dirs_above(is_js) {
            for name in ["tsconfig.json", "jsconfig.json"] {
                let path = paths::join(&dir, name).unwrap_or_default();
                if let Some(raw) = load_config(project, &path, 0, &mut Vec::new()) {
                    js.configs.insert(dir.clone(), finish(raw));
                    break;
                }
            }
            let manifest = paths::join(&dir, "package.json").unwrap_or_default();
            if let Some(package) = load_package(project, &manifest) {
                js.packages.push(package);
            }
        }
        js.packages
            .sort_by(|a, b| (b.name.len(), &a.name).cmp(&(a.name.len(), &b.name)));
        for (i, package) in js.packages.iter().enumerate() {
            js.package_dirs.insert(package.dir.clone(), i);
        }
        js
    }

    /// Resolves one import of `from`.
    pub fn resolve(
        &self,
        index: &FileIndex,
        from: FileId,
        import: &ImportRef,
        out: &mut Vec<Outcome>,
    ) {
        out.push(self.outcome(index, from, &import.specifier));
    }

    fn outcome(&self, index: &FileIndex, from: FileId, spec: &str) -> Outcome {
        let path = index.path(from);
        let dir = paths::parent(path);
        let ts_first = matches!(index.language(from), Language::Typescript | Language::Tsx);
        let not_found = |target: &str| Outcome::unresolved(missing_reason(target));
        if spec.starts_with('/') {
            return Outcome::unresolved(UnresolvedReason::OutsideRoot);
        }
        if is_relative(spec) {
            let Some(target) = paths::join(dir, spec) else {
                return Outcome::unresolved(UnresolvedReason::OutsideRoot);
            };
            return match self.find(index, &target, ts_first) {
                Some(id) => Outcome::file(id),
                None => not_found(spec),
            };
        }
        if spec.starts_with("node:") || spec.contains("://") {
            return Outcome::External(Ecosystem::Node, package_name(spec));
        }
        let config = paths::ancestors(dir).find_map(|d| self.configs.get(d));
        if let Some(config) = config {
            if let Some((alias, matched)) = config.alias(spec) {
                let targets = alias.targets.iter().map(|t| t.replacen('*', matched, 1));
                if let Some(id) = targets
                    .into_iter()
                    .find_map(|t| self.find(index, &t, ts_first))
                {
                    return Outcome::file(id);
                }
                // `"*": [...]` catches every bare name, packages included: falling through to
                // the packages is what TypeScript does too.
                if !(alias.prefix.is_empty() && alias.suffix.as_deref() == Some("")) {
                    return not_found(spec);
                }
            }
            if let Some(base) = &config.base_url
                && let Some(id) =
                    paths::join(base, spec).and_then(|t| self.find(index, &t, ts_first))
            {
                return Outcome::file(id);
            }
        }
        if let Some(package) = self.packages.iter().find(|p| {
            spec == p.name
                || spec
                    .strip_prefix(p.name.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        }) {
            let found = match spec[package.name.len()..].trim_start_matches('/') {
                "" => self.entry(index, package, ts_first),
                sub => ["", "src"].iter().find_map(|under| {
                    let base = paths::join(&package.dir, under)?;
                    self.find(index, &paths::join(&base, sub)?, ts_first)
                }),
            };
            return match found {
                Some(id) => Outcome::file(id),
                None => not_found(spec),
            };
        }
        if spec.starts_with('#') {
            // `imports` of package.json (`#internal`) are private to the package: local by
            // definition, and not read.
            return not_found(spec);
        }
        Outcome::External(Ecosystem::Node, package_name(spec))
    }

    /// The file `target` (a path of the tree, without or with an extension) resolves to.
    fn find(&self, index: &FileIndex, target: &str, ts_first: bool) -> Option<FileId> {
        self.find_file(index, target, ts_first).or_else(|| {
            let package = self.package_dirs.get(target).map(|&i| &self.packages[i]);
            match package {
                Some(package) => self.entry(index, package, ts_first),
                None => self.find_index(index, target, ts_first),
            }
        })
    }

    /// `target` as a file: as written, as the TypeScript source of a `.js` path, or with an
    /// extension added.
    fn find_file(&self, index: &FileIndex, target: &str, ts_first: bool) -> Option<FileId> {
        if let Some(id) = index.get(target) {
            return Some(id);
        }
        let sources: &[&str] = match paths::extension(target) {
            Some("js") => &["ts", "tsx", "d.ts"],
            Some("jsx") => &["tsx"],
            Some("mjs") => &["mts", "d.mts"],
            Some("cjs") => &["cts", "d.cts"],
            _ => &[],
        };
        if let Some(stem) = target.rsplit_once('.').map(|(stem, _)| stem)
            && let Some(id) = index.first(sources.iter().map(|ext| format!("{stem}.{ext}")))
        {
            return Some(id);
        }
        index.first(extensions(ts_first).map(|ext| format!("{target}.{ext}")))
    }

    /// `dir/index.*`.
    fn find_index(&self, index: &FileIndex, dir: &str, ts_first: bool) -> Option<FileId> {
        let stem = paths::join(dir, "index")?;
        index.first(extensions(ts_first).map(|ext| format!("{stem}.{ext}")))
    }

    /// The entry file of a workspace package.
    fn entry(&self, index: &FileIndex, package: &Package, ts_first: bool) -> Option<FileId> {
        let named = package
            .entry
            .as_deref()
            .and_then(|e| self.find_file(index, e, ts_first));
        named
            .or_else(|| self.find_index(index, &package.dir, ts_first))
            .or_else(|| {
                let src = paths::join(&package.dir, "src")?;
                self.find_index(index, &src, ts_first)
            })
    }
}

impl Config {
    /// The alias `spec` matches and the text its `*` stands for: an exact pattern first, else
    /// the wildcard pattern with the longest prefix, as TypeScript chooses.
    fn alias<'s>(&self, spec: &'s str) -> Option<(&Alias, &'s str)> {
        if let Some(exact) = self
            .aliases
            .iter()
            .find(|a| a.suffix.is_none() && a.prefix == spec)
        {
            return Some((exact, ""));
        }
        self.aliases
            .iter()
            .filter_map(|a| {
                let suffix = a.suffix.as_deref()?;
                let rest = spec.strip_prefix(a.prefix.as_str())?;
                let matched = rest.strip_suffix(suffix)?;
                Some((a, matched))
            })
            .max_by_key(|(a, _)| a.prefix.len())
    }
}

/// Whether `language` is resolved here.
fn is_js(language: Language) -> bool {
    matches!(
        language,
        Language::Javascript | Language::Typescript | Language::Tsx
    )
}

/// Extensions to try, in order.
fn extensions(ts_first: bool) -> impl Iterator<Item = &'static str> {
    let (first, second): (&[&str], &[&str]) = if ts_first {
        (&TS_EXTENSIONS, &JS_EXTENSIONS)
    } else {
        (&JS_EXTENSIONS, &TS_EXTENSIONS)
    };
    first.iter().chain(second).copied()
}

/// Whether `spec` is a path relative to the importing file.
fn is_relative(spec: &str) -> bool {
    spec == "." || spec == ".." || spec.starts_with("./") || spec.starts_with("../")
}

/// Why a path that looked local was not found: it names a stylesheet, image, data or other
/// asset file (`./style.css`), or nothing the scan found.
fn missing_reason(spec: &str) -> UnresolvedReason {
    match paths::extension(spec) {
        Some(ext) if ASSET_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()) => {
            UnresolvedReason::NotSource
        }
        _ => UnresolvedReason::NotFound,
    }
}

/// The top-level package of a bare specifier.
fn package_name(spec: &str) -> String {
    if let Some(rest) = spec.strip_prefix("node:") {
        return format!("node:{}", rest.split('/').next().unwrap_or(rest));
    }
    if let Some(at) = spec.find("://") {
        let host = spec[at + 3..].split('/').next().unwrap_or("");
        return format!("{}{host}", &spec[..at + 3]);
    }
    let mut parts = spec.split('/');
    let first = parts.next().unwrap_or(spec);
    match parts.next() {
        Some(second) if first.starts_with('@') => format!("{first}/{second}"),
        _ => first.to_string(),
    }
}

/// Reads the configuration at `path` with what it extends; `None` when there is none or it
/// is unusable (then with a warning). `seen` stops `extends` cycles.
fn load_config(
    project: &mut ProjectFiles,
    path: &str,
    depth: usize,
    seen: &mut Vec<String>,
) -> Option<RawConfig> {
    if depth > MAX_EXTENDS || seen.iter().any(|s| s == path) {
        return None;
    }
    seen.push(path.to_string());
    let text = project.read(path)?;
    let value: Value = match serde_json::from_str(&jsonc::to_json(&text)) {
        Ok(value) => value,
        Err(e) => {
            project.malformed(path, format!("not valid JSON: {e}"));
            return None;
        }
    };
    let dir = paths::parent(path);
    let mut config = RawConfig::default();
    let extends: Vec<&str> = match value.get("extends") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for base in extends.into_iter().filter(|e| is_relative(e)) {
        let Some(mut base_path) = paths::join(dir, base) else {
            continue;
        };
        if paths::extension(&base_path) != Some("json") {
            base_path.push_str(".json");
        }
        if let Some(base) = load_config(project, &base_path, depth + 1, seen) {
            config.overlay(base);
        }
    }
    let mut own = RawConfig::default();
    match value.get("compilerOptions") {
        None => {}
        Some(Value::Object(options)) => {
            match options.get("baseUrl") {
                None => {}
                Some(Value::String(base)) => own.base_url = paths::join(dir, base),
                Some(_) => project.malformed(path, "compilerOptions.baseUrl is not a string"),
            }
            match options.get("paths") {
                None => {}
                Some(Value::Object(patterns)) => {
                    let mut list = Vec::new();
                    for (pattern, targets) in patterns {
                        let targets: Option<Vec<String>> = targets.as_array().and_then(|t| {
                            t.iter().map(|t| t.as_str().map(str::to_string)).collect()
                        });
                        match targets {
                            Some(targets) => list.push((pattern.clone(), targets)),
                            None => project.malformed(
                                path,
                                format!(
                                    "compilerOptions.paths[{pattern:?}] is not a list of paths"
                                ),
                            ),
                        }
                    }
                    own.paths = Some(DeclaredPaths {
                        patterns: list,
                        declared_in: dir.to_string(),
                    });
                }
                Some(_) => project.malformed(path, "compilerOptions.paths is not an object"),
            }
        }
        Some(_) => project.malformed(path, "compilerOptions is not an object"),
    }
    config.overlay(own);
    Some(config)
}

/// A configuration with its `paths` turned into aliases of paths of the tree.
fn finish(raw: RawConfig) -> Config {
    let aliases = raw.paths.map_or_else(Vec::new, |declared| {
        let base = raw.base_url.clone().unwrap_or(declared.declared_in);
        declared
            .patterns
            .into_iter()
            .map(|(pattern, targets)| {
                let (prefix, suffix) = match pattern.split_once('*') {
                    Some((prefix, suffix)) => (prefix.to_string(), Some(suffix.to_string())),
                    None => (pattern, None),
                };
                let targets = targets
                    .iter()
                    .filter_map(|t| paths::join(&base, t))
                    .collect();
                Alias {
                    prefix,
                    suffix,
                    targets,
                }
            })
            .collect()
    });
    Config {
        base_url: raw.base_url,
        aliases,
    }
}

/// The workspace package a `package.json` declares; `None` without a `name`.
fn load_package(project: &mut ProjectFiles, path: &str) -> Option<Package> {
    let text = project.read(path)?;
    let value: Value = match serde_json::from_str(&text) {
        Ok(value) => value,
        Err(e) => {
            project.malformed(path, format!("not valid JSON: {e}"));
            return None;
        }
    };
    let name = match value.get("name") {
        None => return None,
        Some(Value::String(name)) if !name.is_empty() => name.clone(),
        Some(_) => {
            project.malformed(path, "name is not a package name");
            return None;
        }
    };
    let dir = paths::parent(path).to_string();
    let entry = exported_entry(value.get("exports"))
        .or_else(|| value.get("module")?.as_str())
        .or_else(|| value.get("main")?.as_str())
        .and_then(|entry| paths::join(&dir, entry));
    Some(Package { name, dir, entry })
}

/// The path `exports` gives for the package itself, when it gives a simple one: a string, or
/// `"."` (or the object itself, when its keys are conditions) mapped to a string or to
/// conditions of which `import`, `module`, `default`, `require` or `node` is a string.
fn exported_entry(exports: Option<&Value>) -> Option<&str> {
    let exports = exports?;
    if let Some(path) = exports.as_str() {
        return Some(path);
    }
    let object = exports.as_object()?;
    let main = match object.get(".") {
        Some(main) => main,
        None if object.keys().all(|k| !k.starts_with('.')) => exports,
        None => return None,
    };
    if let Some(path) = main.as_str() {
        return Some(path);
    }
    ["import", "module", "default", "require", "node"]
        .iter()
        .find_map(|c| main.get(c)?.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_names() {
        assert_eq!(package_name("lodash/fp"), "lodash");
        assert_eq!(package_name("@scope/pkg/sub/x"), "@scope/pkg");
        assert_eq!(package_name("@scope"), "@scope");
        assert_eq!(package_name("node:fs/promises"), "node:fs");
        assert_eq!(
            package_name("https://deno.land/x/y.ts"),
            "https://deno.land"
        );
    }

    #[test]
    fn simple_exports_give_the_entry() {
        let entry = |json: &str| {
            let value: Value = serde_json::from_str(json).expect("json");
            exported_entry(Some(&value)).map(str::to_string)
        };
        assert_eq!(entry(r#""./a.js""#).as_deref(), Some("./a.js"));
        assert_eq!(entry(r#"{".": "./b.js"}"#).as_deref(), Some("./b.js"));
        assert_eq!(
            entry(r#"{".": {"types": "./t.d.ts", "require": "./c.cjs"}}"#).as_deref(),
            Some("./c.cjs")
        );
        assert_eq!(
            entry(r#"{"import": "./m.mjs", "require": "./c.cjs"}"#).as_deref(),
            Some("./m.mjs")
        );
        assert_eq!(entry(r#"{"./sub": "./s.js"}"#), None);
    }
}
