//! Go: import paths under a module of the tree (every `go.mod` above a Go file, so trees with
//! several modules work, and their local `replace` directives) resolve to the package's
//! directory. Paths under no module are looked for below the directories named `src` above Go
//! files, as in a `GOPATH` (`gopath/src/github.com/x/y`), before they count as external.
//!
//! The graph's nodes are files, so an import of a package is an edge to **every non-test
//! `.go` file of the package's directory** (files ending `_test.go` are left out: no package
//! imports its tests). That keeps one kind of node for every language; a package shows as the
//! cluster of its directory in the DOT output.
//!
//! External names: the first path element for the standard library (`net/http` is `net`,
//! recognised by having no dot in it), else the module the importing module's `go.mod`
//! requires that the path is under, else the path's first three elements on hosts that name
//! repositories as `owner/repo` (`github.com/x/y`, also GitLab, Bitbucket, Codeberg,
//! `golang.org/x/…`) and its first two elsewhere (`gopkg.in/yaml.v3`, `go.uber.org/zap`).

use std::collections::BTreeMap;

use super::Outcome;
use crate::graph::index::{FileId, FileIndex};
use crate::graph::model::{Ecosystem, ImportRef, UnresolvedReason};
use crate::graph::paths;
use crate::graph::project::ProjectFiles;
use crate::lang::Language;

/// Hosts whose module paths are `host/owner/repo`.
const REPOSITORY_HOSTS: [&str; 7] = [
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "codeberg.org",
    "gitee.com",
    "git.sr.ht",
    "golang.org",
];

/// The Go resolver.
pub struct Go {
    /// The modules of the tree, longest module path first.
    modules: Vec<Module>,
    /// Index into `modules` by the directory of their `go.mod`.
    by_dir: BTreeMap<String, usize>,
    /// Directories named `src` above Go files, shallow first: `GOPATH`-style roots.
    gopath: Vec<String>,
}

/// A module of the tree.
#[derive(Debug)]
struct Module {
    path: String,
    dir: String,
    /// Module paths it requires.
    requires: Vec<String>,
    /// Module paths replaced by a directory of the tree.
    replaces: Vec<(String, String)>,
}

/// What resolution needs of a `go.mod`.
#[derive(Debug, PartialEq, Eq)]
struct GoMod {
    module: String,
    requires: Vec<String>,
    /// (module path, replacement as written) of replacements by a local directory.
    replaces: Vec<(String, String)>,
}

impl Go {
    /// Reads every `go.mod` above a Go file.
    pub fn new(index: &FileIndex, project: &mut ProjectFiles) -> Go {
        let mut modules = Vec::new();
        for dir in index.dirs_above(|l| l == Language::Go) {
            let manifest = paths::join(&dir, "go.mod").unwrap_or_default();
            let Some(text) = project.read(&manifest) else {
                continue;
            };
            match parse_go_mod(&text) {
                Ok(go_mod) => modules.push(Module {
                    path: go_mod.module,
                    replaces: go_mod
                        .replaces
                        .into_iter()
                        .filter_map(|(path, target)| Some((path, paths::join(&dir, &target)?)))
                        .collect(),
                    requires: go_mod.requires,
                    dir,
                }),
                Err(message) => project.malformed(&manifest, message),
            }
        }
        modules.sort_by(|a, b| (b.path.len(), &a.path).cmp(&(a.path.len(), &b.path)));
        let by_dir = modules
            .iter()
            .enumerate()
            .map(|(i, m)| (m.dir.clone(), i))
            .collect();
        let mut gopath: Vec<String> = index
            .dirs_above(|l| l == Language::Go)
            .into_iter()
            .filter(|d| paths::file_name(d) == "src")
            .collect();
        gopath.sort_by(|a, b| (paths::depth(a), a).cmp(&(paths::depth(b), b)));
        Go {
            modules,
            by_dir,
            gopath,
        }
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
        let own = paths::ancestors(dir)
            .find_map(|d| self.by_dir.get(d))
            .map(|&i| &self.modules[i]);
        let package_dir = if spec.starts_with("./") || spec.starts_with("../") {
            match paths::join(dir, spec) {
                Some(target) => Some(target),
                None => {
                    out.push(Outcome::unresolved(UnresolvedReason::OutsideRoot));
                    return;
                }
            }
        } else {
            let replaced = own.and_then(|m| {
                m.replaces
                    .iter()
                    .filter_map(|(path, target)| Some((path, target, under(spec, path)?)))
                    .max_by_key(|(path, _, _)| path.len())
                    .and_then(|(_, target, rest)| paths::join(target, rest))
            });
            replaced.or_else(|| {
                self.modules
                    .iter()
                    .find_map(|m| paths::join(&m.dir, under(spec, &m.path)?))
            })
        };
        let Some(package_dir) = package_dir else {
            let gopath = self.gopath.iter().find_map(|root| {
                let files = package_files(index, &paths::join(root, spec)?);
                (!files.is_empty()).then_some(files)
            });
            match gopath {
                Some(files) => out.extend(files.into_iter().map(Outcome::file)),
                None => out.push(Outcome::External(Ecosystem::Go, external_name(spec, own))),
            }
            return;
        };
        let files = package_files(index, &package_dir);
        if files.is_empty() {
            out.push(Outcome::unresolved(UnresolvedReason::NotFound));
        }
        out.extend(files.into_iter().map(Outcome::file));
    }
}

/// The non-test Go files directly in `dir`: the files of its package that others import.
fn package_files(index: &FileIndex, dir: &str) -> Vec<FileId> {
    index
        .files_in(dir)
        .iter()
        .copied()
        .filter(|&id| index.language(id) == Language::Go && !index.path(id).ends_with("_test.go"))
        .collect()
}

/// What follows `prefix` in `path` when `path` is `prefix` or below it (`a/b/c` under `a/b`
/// is `c`, `a/bc` is not under `a/b`).
fn under<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(prefix)?;
    (rest.is_empty() || rest.starts_with('/')).then(|| rest.trim_start_matches('/'))
}

/// The name of the module or standard library package `spec` comes from.
fn external_name(spec: &str, own: Option<&Module>) -> String {
    let mut parts = spec.split('/');
    let first = parts.next().unwrap_or(spec);
    if !first.contains('.') {
        return first.to_string();
    }
    let required = own.and_then(|m| {
        m.requires
            .iter()
            .filter(|r| under(spec, r).is_some())
            .max_by_key(|r| r.len())
    });
    if let Some(required) = required {
        return required.clone();
    }
    let count = if REPOSITORY_HOSTS.contains(&first) {
        3
    } else {
        2
    };
    spec.split('/').take(count).collect::<Vec<_>>().join("/")
}

/// Reads the `module`, `require` and local `replace` directives of a `go.mod`.
fn parse_go_mod(text: &str) -> Result<GoMod, String> {
    let mut go_mod = GoMod {
        module: String::new(),
        requires: Vec::new(),
        replaces: Vec::new(),
    };
    // The directive of the `( ... )` block the line is in.
    let mut block: Option<String> = None;
    for (number, line) in text.lines().enumerate() {
        let line = line.split("//").next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if block.is_some() && line == ")" {
            block = None;
            continue;
        }
        let (directive, args) = match &block {
            Some(directive) => (directive.as_str(), line),
            None => line.split_once(char::is_whitespace).unwrap_or((line, "")),
        };
        let args = args.trim();
        if block.is_none() && args == "(" {
            block = Some(directive.to_string());
            continue;
        }
        match directive {
            "module" => go_mod.module = unquote(args).to_string(),
            "require" => {
                if let Some(path) = args.split_whitespace().next() {
                    go_mod.requires.push(unquote(path).to_string());
                }
            }
            "replace" => {
                let Some((old, new)) = args.split_once("=>") else {
                    return Err(format!("line {}: replace without =>", number + 1));
                };
                let old = old.split_whitespace().next().map(unquote);
                let new = new.split_whitespace().next().map(unquote);
                if let (Some(old), Some(new)) = (old, new)
                    && (new.starts_with("./") || new.starts_with("../"))
                {
                    go_mod.replaces.push((old.to_string(), new.to_string()));
                }
            }
            _ => {}
        }
    }
    if go_mod.module.is_empty() {
        return Err("no module directive".to_string());
    }
    Ok(go_mod)
}

/// `s` without one pair of surrounding `"` or `` ` ``.
fn unquote(s: &str) -> &str {
    for q in ['"', '`'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|t| t.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_mod_directives() {
        let text = "// comment\nmodule \"example.com/app\" // trailing\n\ngo 1.22\n\
                    require github.com/x/y v1.0.0\nrequire (\n\tgolang.org/x/net v0.1.0 // indirect\n\
                    \tgopkg.in/yaml.v3 v3.0.1\n)\nreplace example.com/lib => ../lib\n\
                    replace (\n\tgithub.com/x/y v1.0.0 => github.com/z/y v1.1.0\n\texample.com/tool => ./tool\n)\n";
        let go_mod = parse_go_mod(text).expect("valid");
        assert_eq!(go_mod.module, "example.com/app");
        assert_eq!(
            go_mod.requires,
            ["github.com/x/y", "golang.org/x/net", "gopkg.in/yaml.v3"]
        );
        assert_eq!(
            go_mod.replaces,
            [
                ("example.com/lib".to_string(), "../lib".to_string()),
                ("example.com/tool".to_string(), "./tool".to_string())
            ]
        );
        assert_eq!(
            parse_go_mod("go 1.22\n").unwrap_err(),
            "no module directive"
        );
        assert!(parse_go_mod("module x\nreplace a b\n").is_err());
    }

    #[test]
    fn external_module_names() {
        assert_eq!(external_name("net/http", None), "net");
        assert_eq!(external_name("github.com/x/y/z", None), "github.com/x/y");
        assert_eq!(
            external_name("golang.org/x/net/html", None),
            "golang.org/x/net"
        );
        assert_eq!(
            external_name("go.uber.org/zap/zapcore", None),
            "go.uber.org/zap"
        );
        let own = Module {
            path: "example.com/app".to_string(),
            dir: String::new(),
            requires: vec!["k8s.io/client-go".to_string(), "k8s.io/client".to_string()],
            replaces: Vec::new(),
        };
        assert_eq!(
            external_name("k8s.io/client-go/kubernetes", Some(&own)),
            "k8s.io/client-go"
        );
        assert_eq!(under("a/b/c", "a/b"), Some("c"));
        assert_eq!(under("a/bc", "a/b"), None);
        assert_eq!(under("a/b", "a/b"), Some(""));
    }
}
