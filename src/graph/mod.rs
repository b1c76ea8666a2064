//! The import graph of a scanned tree (`astscan graph`): files are nodes, imports resolved to
//! files of the tree are edges, and what does not resolve is listed as an external package or
//! an unresolved import; import cycles are the strongly connected components.
//!
//! The one decision to know: the graph is built from the scan's results alone — each file's
//! reported imports ([`FileNode`]) — plus the few small project files that say how a language
//! finds modules (`go.mod`, `package.json`, `tsconfig.json`, `composer.json`,
//! `pyproject.toml`; see `project`). Source files are never read again here, and a file
//! that was not scanned is not in the graph, even if it exists.
//!
//! - [`model`]: input and output types (the JSON shape) · `paths`: paths of the tree as text
//! - `index`: scanned files by path and directory · `project`: bounded project file reads
//! - `resolve`: one resolver per language family · `cycles`: strongly connected components
//! - `json`, `dot`, `text`: the renderers ([`Graph::to_json`], [`Graph::to_dot`],
//!   [`Graph::to_text`]) · `jsonc`: JSON with comments (tsconfig)

mod cycles;
mod dot;
mod index;
mod json;
mod jsonc;
pub mod model;
mod paths;
mod project;
mod resolve;
mod text;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[cfg(test)]
pub(crate) use json::schema_json;
pub use model::{
    Cycle, Ecosystem, Edge, External, FileNode, Graph, ImportRef, Node, NotAnalyzed,
    SCHEMA_VERSION, Summary, Unresolved, UnresolvedReason, Warning,
};

use index::FileIndex;
use project::ProjectFiles;
use resolve::{Outcome, Resolvers};

/// Builds the import graph of the files scanned below `root`. Paths in `files` are relative
/// to `root` (`./` and doubled `/` are tidied); a path listed twice is used once, with its
/// first entry. An import resolving to its own file adds no edge.
pub fn build(root: &Path, files: Vec<FileNode>) -> Graph {
    let mut files = files;
    for file in &mut files {
        file.path = paths::clean(&file.path);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|later, kept| later.path == kept.path);
    let listed: Vec<(String, crate::lang::Language)> =
        files.iter().map(|f| (f.path.clone(), f.language)).collect();
    let index = FileIndex::new(&listed);
    let mut project = ProjectFiles::new(root);
    let resolvers = Resolvers::new(&index, &mut project);

    let mut edges: BTreeSet<EdgeKey> = BTreeSet::new();
    let mut externals: BTreeMap<(Ecosystem, String), BTreeSet<usize>> = BTreeMap::new();
    let mut unresolved: BTreeSet<MissKey> = BTreeSet::new();
    for (from, file) in files.iter().enumerate() {
        for import in &file.imports {
            let (line, column, spec) = (import.line, import.column, import.specifier.as_str());
            for outcome in resolvers.resolve(&index, from, import) {
                match outcome {
                    Outcome::File { to, name } => {
                        if to != from {
                            edges.insert(EdgeKey {
                                from,
                                to,
                                line,
                                column,
                                spec,
                                name,
                            });
                        }
                    }
                    Outcome::External(ecosystem, name) => {
                        externals.entry((ecosystem, name)).or_default().insert(from);
                    }
                    Outcome::Unresolved { reason, name } => {
                        unresolved.insert(MissKey {
                            file: from,
                            line,
                            column,
                            spec,
                            name,
                            reason,
                        });
                    }
                }
            }
        }
    }

    let pairs: BTreeSet<(usize, usize)> = edges.iter().map(|e| (e.from, e.to)).collect();
    let mut fan_in = vec![0u32; files.len()];
    let mut fan_out = vec![0u32; files.len()];
    for &(from, to) in &pairs {
        fan_out[from] += 1;
        fan_in[to] += 1;
    }
    let groups = cycles::cycles(files.len(), pairs.iter().copied());
    let mut cycle_of: Vec<Option<usize>> = vec![None; files.len()];
    for (i, group) in groups.iter().enumerate() {
        for &id in group {
            cycle_of[id] = Some(i);
        }
    }
    let same_cycle = |a: usize, b: usize| cycle_of[a].is_some() && cycle_of[a] == cycle_of[b];
    let path = |id: usize| files[id].path.clone();

    let mut warnings = project.into_warnings();
    warnings.sort();
    warnings.dedup();
    let nodes: Vec<Node> = files
        .iter()
        .enumerate()
        .map(|(id, f)| Node {
            path: f.path.clone(),
            language: f.language,
            size: f.size,
            functions: f.functions,
            max_complexity: f.max_complexity,
            findings: f.findings,
            imports: u32::try_from(f.imports.len()).unwrap_or(u32::MAX),
            fan_in: fan_in[id],
            fan_out: fan_out[id],
            in_cycle: cycle_of[id].is_some(),
        })
        .collect();
    let edges: Vec<Edge> = edges
        .into_iter()
        .map(|e| Edge {
            from: path(e.from),
            to: path(e.to),
            specifier: e.spec.to_string(),
            name: e.name,
            line: e.line,
            column: e.column,
            in_cycle: same_cycle(e.from, e.to),
        })
        .collect();
    let externals: Vec<External> = externals
        .into_iter()
        .map(|((ecosystem, name), users)| External {
            ecosystem,
            name,
            files: users.into_iter().map(path).collect(),
        })
        .collect();
    let unresolved: Vec<Unresolved> = unresolved
        .into_iter()
        .map(|m| Unresolved {
            file: path(m.file),
            specifier: m.spec.to_string(),
            name: m.name,
            line: m.line,
            column: m.column,
            reason: m.reason,
        })
        .collect();
    let cycles: Vec<Cycle> = groups
        .iter()
        .map(|group| Cycle {
            files: group.iter().map(|&id| path(id)).collect(),
        })
        .collect();
    let count = |n: usize| n as u64;
    Graph {
        schema_version: SCHEMA_VERSION,
        tool: crate::report::Tool::current(),
        summary: Summary {
            files: count(nodes.len()),
            edges: count(edges.len()),
            externals: count(externals.len()),
            unresolved: count(unresolved.len()),
            cycles: count(cycles.len()),
            not_analyzed: 0,
        },
        files: nodes,
        edges,
        externals,
        unresolved,
        cycles,
        warnings,
        not_analyzed: Vec::new(),
    }
}

/// An edge by file ids, its fields in output order: ids follow path order, so the derived
/// order sorts edges by (from, to, line, column).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct EdgeKey<'a> {
    from: usize,
    to: usize,
    line: u32,
    column: u32,
    spec: &'a str,
    name: Option<String>,
}

/// An unresolved import by file id, its fields in output order.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct MissKey<'a> {
    file: usize,
    line: u32,
    column: u32,
    spec: &'a str,
    name: Option<String>,
    reason: UnresolvedReason,
}

impl Graph {
    /// Whether any files import each other in a cycle (for a `--fail-on-cycles`).
    pub fn has_cycles(&self) -> bool {
        !self.cycles.is_empty()
    }

    /// Records the input files that are not nodes (skipped or failed), sorted by path.
    pub fn set_not_analyzed(
        &mut self,
        mut files: Vec<(String, crate::report::FileStatus, String)>,
    ) {
        files.sort_by(|a, b| a.0.cmp(&b.0));
        self.summary.not_analyzed = files.len() as u64;
        self.not_analyzed = files
            .into_iter()
            .map(|(path, status, reason)| model::NotAnalyzed {
                path,
                status,
                reason,
            })
            .collect();
    }

    /// The first line of the text rendering: the totals.
    pub fn summary_line(&self) -> String {
        self.to_text()
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    }
}
