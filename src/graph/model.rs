//! What the graph is built from ([`FileNode`], one per scanned file) and what it is
//! ([`Graph`]: files, edges between them, external packages, unresolved imports, cycles). The
//! output types are the JSON shape (`src/graph/graph.schema.json`), so their serde form is a
//! published interface: add fields, do not rename them, and raise [`SCHEMA_VERSION`] on any
//! change a reader could trip over.

use serde::{Deserialize, Serialize};

use crate::analysis::{Analysis, Import};
use crate::lang::Language;

/// Version of the JSON shape of [`Graph`].
pub const SCHEMA_VERSION: u32 = 1;

/// One scanned file, as the graph needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileNode {
    /// Path relative to the root, `/`-separated, as [`crate::pathfmt::escape`] writes it.
    pub path: String,
    /// The language it was parsed as.
    pub language: Language,
    /// Size in bytes.
    pub size: u64,
    /// Number of functions and methods.
    pub functions: u32,
    /// Highest cyclomatic complexity of its functions (0 without functions).
    pub max_complexity: u32,
    /// Number of findings that are not suppressed.
    pub findings: u32,
    /// Its imports, in source order.
    pub imports: Vec<ImportRef>,
}

impl FileNode {
    /// The node of a file a worker analysed.
    pub fn from_analysis(
        path: String,
        language: Language,
        size: u64,
        analysis: &Analysis,
    ) -> FileNode {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        FileNode {
            path,
            language,
            size,
            functions: count(analysis.functions.len()),
            max_complexity: analysis
                .functions
                .iter()
                .map(|f| f.complexity)
                .max()
                .unwrap_or(0),
            findings: count(
                analysis
                    .findings
                    .iter()
                    .filter(|f| f.suppressed.is_none())
                    .count(),
            ),
            imports: analysis.imports.iter().map(ImportRef::from).collect(),
        }
    }
}

/// One import of a file: what it names and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRef {
    /// The specifier as written, without quotes (`./util`, `os.path`, `App\Models\User`).
    pub specifier: String,
    /// Names imported from it, when the statement lists them (Python `from m import a, b`).
    pub names: Vec<String>,
    /// The specifier is relative to the file's directory although it does not start with `.`
    /// (Ruby `require_relative`, PHP `__DIR__ . "/x.php"`).
    pub relative: bool,
    /// 1-based line of the specifier.
    pub line: u32,
    /// 1-based column of the specifier, in bytes.
    pub column: u32,
}

impl From<&Import> for ImportRef {
    fn from(import: &Import) -> ImportRef {
        ImportRef {
            specifier: import.module.clone(),
            names: import.names.clone(),
            relative: import.relative,
            line: import.start.line,
            column: import.start.column,
        }
    }
}

/// The import graph of a tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Graph {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The tool that built the graph.
    pub tool: crate::report::Tool,
    /// Totals.
    pub summary: Summary,
    /// Every scanned file, by path.
    pub files: Vec<Node>,
    /// Imports resolved to files of the tree, by (from, to, line, column).
    pub edges: Vec<Edge>,
    /// Packages from outside the tree, by (ecosystem, name).
    pub externals: Vec<External>,
    /// Imports that name something of the tree that is not there, by (file, line, column).
    pub unresolved: Vec<Unresolved>,
    /// Import cycles: groups of two or more files that all reach each other, by first file.
    pub cycles: Vec<Cycle>,
    /// Project files that could not be used (unreadable, too large, malformed).
    pub warnings: Vec<Warning>,
    /// Input files that are not nodes: skipped or failed, with the reason, so that every
    /// input is accounted for.
    #[serde(default)]
    pub not_analyzed: Vec<NotAnalyzed>,
}

/// An input file the graph has no node for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct NotAnalyzed {
    /// Path relative to the root, `/`-separated.
    pub path: String,
    /// `skipped` or `failed`, as in `analyze` reports.
    pub status: crate::report::FileStatus,
    /// Why, in words.
    pub reason: String,
}

/// Totals of a [`Graph`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Summary {
    /// Files (nodes).
    pub files: u64,
    /// Edges.
    pub edges: u64,
    /// External packages.
    pub externals: u64,
    /// Unresolved imports.
    pub unresolved: u64,
    /// Cycles.
    pub cycles: u64,
    /// Input files skipped or failed (not nodes).
    #[serde(default)]
    pub not_analyzed: u64,
}

/// A file of the tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Node {
    /// Path relative to the root, `/`-separated.
    pub path: String,
    /// The language it was parsed as.
    pub language: Language,
    /// Size in bytes.
    pub size: u64,
    /// Number of functions and methods.
    pub functions: u32,
    /// Highest cyclomatic complexity of its functions (0 without functions).
    pub max_complexity: u32,
    /// Number of findings that are not suppressed.
    pub findings: u32,
    /// Number of import statements (local, external and unresolved alike).
    pub imports: u32,
    /// Number of files that import it.
    pub fan_in: u32,
    /// Number of files it imports.
    pub fan_out: u32,
    /// Whether it is part of a cycle.
    pub in_cycle: bool,
}

/// An import resolved to a file of the tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Edge {
    /// The importing file.
    pub from: String,
    /// The imported file.
    pub to: String,
    /// The specifier as written.
    pub specifier: String,
    /// The imported name the edge goes through, when the file is a submodule or class the
    /// statement names (`from pkg import sub`: `sub`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// 1-based line of the specifier in `from`.
    pub line: u32,
    /// 1-based column of the specifier, in bytes.
    pub column: u32,
    /// Whether both ends are in the same cycle.
    pub in_cycle: bool,
}

/// Where an external package comes from, so that `json` the Python module and `json` the
/// Ruby gem stay two packages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    /// Python modules and distributions (the standard library included).
    Python,
    /// npm packages and Node built-ins (JavaScript and TypeScript).
    Node,
    /// Go modules and the standard library.
    Go,
    /// Java packages (the JDK included).
    Java,
    /// PHP namespaces (Composer packages and built-in classes).
    Php,
    /// Ruby gems and the standard library.
    Ruby,
}

/// A package from outside the tree and the files that import it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct External {
    /// Where the name comes from.
    pub ecosystem: Ecosystem,
    /// Its top-level name (`requests`, `@scope/pkg`, `github.com/x/y`, `org.springframework`).
    pub name: String,
    /// The files importing it, by path.
    pub files: Vec<String>,
}

/// An import that looks local but names nothing of the tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Unresolved {
    /// The importing file.
    pub file: String,
    /// The specifier as written.
    pub specifier: String,
    /// The imported name that was not found, when the statement lists names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// 1-based line of the specifier.
    pub line: u32,
    /// 1-based column of the specifier, in bytes.
    pub column: u32,
    /// Why it did not resolve.
    pub reason: UnresolvedReason,
}

/// Why an import did not resolve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnresolvedReason {
    /// No scanned file matches it.
    NotFound,
    /// It names a file of a kind the scan does not parse (`./style.css`, `data.json`).
    NotSource,
    /// Its path leaves the scanned tree (`../../..` above the root, an absolute path).
    OutsideRoot,
}

/// Files that all import each other, directly or not (a strongly connected component).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Cycle {
    /// Its files, by path.
    pub files: Vec<String>,
}

/// A project file that could not be used, and why.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Warning {
    /// The project file, relative to the root (empty for the root itself).
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}
