//! The tools' inputs and outputs. Their JSON Schemas, derived from these types and their doc
//! comments, are the `inputSchema` and `outputSchema` the server lists, so a comment here is
//! what an agent reads about a field. Outputs name files relative to the server's root, lines
//! and columns from 1 (columns in bytes).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::lang::Language;
use crate::rules::{Confidence, Severity};

/// A tool's arguments, or why they do not fit its schema: a call with bad arguments is answered
/// with a tool error that says what to fix (which an agent reads), rather than a protocol
/// error (which most clients hide from it). Its schema is the arguments' own.
#[derive(Debug)]
pub struct Checked<T>(pub Result<T, String>);

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Checked<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(Checked(
            serde_json::from_value(value).map_err(|e| format!("invalid arguments: {e}")),
        ))
    }
}

impl<T: JsonSchema> JsonSchema for Checked<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs

/// Arguments of `scan`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanInput {
    /// Files and directories to scan, relative to the server's root (at most 64). Default: the
    /// whole root.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Only list findings at least this severe (the counts cover them all).
    #[serde(default)]
    pub min_severity: Option<Severity>,
    /// Findings per page: default 50, at most 500.
    #[serde(default)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous answer, for the next page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// Arguments of `scan_code`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanCodeInput {
    /// The source text, at most the server's max-file-size (10 MiB unless configured).
    pub code: String,
    /// Its language.
    pub language: Language,
    /// A file name to report it under (no directories), e.g. `handler.py`; its extension
    /// must fit the language. Default: `snippet` with the language's extension.
    #[serde(default)]
    pub filename: Option<String>,
    /// Findings per page: default 50, at most 500.
    #[serde(default)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous answer, for the next page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// Arguments of `structure`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StructureInput {
    /// One file, relative to the server's root.
    pub path: String,
    /// Entries per page of each list (functions, classes, imports): default 100, at most 500.
    #[serde(default)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous answer, for the next page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// Arguments of `hotspots`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HotspotsInput {
    /// A file or directory, relative to the server's root. Default: the whole root.
    #[serde(default)]
    pub path: Option<String>,
    /// Only functions with at least this cyclomatic complexity. Default: 1 (all).
    #[serde(default)]
    pub min_complexity: Option<u32>,
    /// Only functions whose control flow nests at least this deep. Default: 0 (all).
    #[serde(default)]
    pub min_nesting: Option<u32>,
    /// Functions per page: default 20, at most 500.
    #[serde(default)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous answer, for the next page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// Arguments of `dependency_graph`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GraphInput {
    /// The directory whose import graph to build, relative to the server's root. Default: the
    /// whole root.
    #[serde(default)]
    pub path: Option<String>,
    /// A file of that tree: also list what it imports and what imports it.
    #[serde(default)]
    pub focus: Option<String>,
    /// Entries per page (files by how often they are imported, or the focus file's imports
    /// and importers): default 50, at most 500.
    #[serde(default)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous answer, for the next page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// Arguments of `list_rules`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListRulesInput {
    /// Only rules for this language.
    #[serde(default)]
    pub language: Option<Language>,
    /// Only rules at least this severe.
    #[serde(default)]
    pub min_severity: Option<Severity>,
    /// Only rules of this CWE number (`89` for CWE-89).
    #[serde(default)]
    pub cwe: Option<u32>,
    /// Only rules whose id or message contains this text (case-insensitive).
    #[serde(default)]
    pub search: Option<String>,
    /// Rules per page: default 100, at most 500.
    #[serde(default)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous answer, for the next page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// Arguments of `explain_rule`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExplainRuleInput {
    /// The rule's id, e.g. `python.sql-injection.tainted-query` (see `list_rules`).
    pub id: String,
}

/// Arguments of `ast`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AstInput {
    /// One file, relative to the server's root (at most 1 MiB).
    pub path: String,
    /// Levels of the tree below the root node: default 8, at most 40. Deeper nodes are cut
    /// and their parent says `truncated`.
    #[serde(default)]
    pub max_depth: Option<u32>,
    /// Nodes returned at most, in source order: default 500, at most 5000.
    #[serde(default)]
    pub max_nodes: Option<u32>,
    /// Leave out anonymous nodes (punctuation and keywords). Default: true.
    #[serde(default)]
    pub named_only: Option<bool>,
}

// ---------------------------------------------------------------------------------------------
// Outputs

/// Input files by what happened to them; `files` is the sum of the others.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FileCounts {
    /// Input files.
    pub files: u64,
    /// Parsed without syntax errors.
    pub parsed: u64,
    /// Parsed, with syntax errors.
    pub parsed_with_errors: u64,
    /// Not analysed on purpose (too large, minified, generated, ...).
    pub skipped: u64,
    /// Could not be analysed (unreadable, parse timeout, worker crash, ...).
    pub failed: u64,
}

/// A file that was not analysed, and why.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct NotAnalyzed {
    /// The file.
    pub path: String,
    /// `skipped` or `failed`.
    pub status: String,
    /// Why, as a code (`too_large`, `timeout`, ...).
    pub reason_code: String,
    /// Why, in words.
    pub reason: String,
}

/// Findings by severity.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct SeverityCounts {
    /// Critical findings.
    pub critical: u64,
    /// High findings.
    pub high: u64,
    /// Medium findings.
    pub medium: u64,
    /// Low findings.
    pub low: u64,
}

/// One step of a finding's data flow.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct FlowStep {
    /// `source`, `parameter`, `assign`, `call`, `return` or `sink`.
    pub kind: String,
    /// Line of the step.
    pub line: u32,
    /// Column of the step.
    pub column: u32,
    /// The step's code, shortened.
    pub code: String,
}

/// A security finding.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// The rule's id (see `explain_rule`).
    pub rule: String,
    /// How bad it is.
    pub severity: Severity,
    /// How sure the rule is.
    pub confidence: Confidence,
    /// The CWE number.
    pub cwe: u32,
    /// The file.
    pub path: String,
    /// Where the match starts.
    pub line: u32,
    /// Column where the match starts.
    pub column: u32,
    /// Where the match ends.
    pub end_line: u32,
    /// Column where the match ends (exclusive).
    pub end_column: u32,
    /// What is wrong and what to do.
    pub message: String,
    /// The source line of the match (at most 200 bytes).
    pub snippet: String,
    /// For a taint rule: how the untrusted value got from its source to the sink.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flow: Vec<FlowStep>,
}

/// What `scan` found.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ScanOutput {
    /// The scanned paths, relative to the root.
    pub paths: Vec<String>,
    /// Input files by status.
    pub files: FileCounts,
    /// Findings that count (not suppressed by `astscan-ignore` comments), at any severity.
    pub findings_total: u64,
    /// Those findings by severity.
    pub by_severity: SeverityCounts,
    /// Findings suppressed by `astscan-ignore` comments (not listed).
    pub suppressed: u64,
    /// This page of findings at or above `min_severity`: most severe first, then by path and
    /// line.
    pub findings: Vec<Finding>,
    /// Pass as `cursor` (with the same other arguments) for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// Files that were skipped or failed (the first 20; `files` counts them all).
    pub not_analyzed: Vec<NotAnalyzed>,
    /// Why the walk stopped part-way, if it did (the counts cover what it saw).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incomplete: Option<String>,
}

/// A syntax error.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct SyntaxError {
    /// Line.
    pub line: u32,
    /// Column.
    pub column: u32,
    /// `error` (text that could not be parsed) or `missing` (a token the parser had to assume).
    pub kind: String,
    /// For `missing`: the token, e.g. `;`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
}

/// What `scan_code` found.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ScanCodeOutput {
    /// The name the code was scanned under.
    pub filename: String,
    /// Its language.
    pub language: Language,
    /// `parsed`, `parsed_with_errors`, `skipped` or `failed`.
    pub status: String,
    /// For `skipped` and `failed`: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Lines of code.
    pub lines: u64,
    /// Syntax errors in all.
    pub syntax_error_count: u64,
    /// The first syntax errors (at most 10).
    pub syntax_errors: Vec<SyntaxError>,
    /// Findings that count (not suppressed).
    pub findings_total: u64,
    /// This page of findings, most severe first, then by line.
    pub findings: Vec<Finding>,
    /// Pass as `cursor` (with the same other arguments) for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A function, method, constructor, lambda or closure.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Function {
    /// Its name, or the name it is assigned to; `<anonymous>` when there is none.
    pub name: String,
    /// The grammar's node kind, e.g. `function_definition`, `arrow_function`.
    pub kind: String,
    /// First line.
    pub start_line: u32,
    /// Last line.
    pub end_line: u32,
    /// Lines it spans.
    pub lines: u32,
    /// Declared parameters.
    pub parameters: u32,
    /// Cyclomatic complexity: 1 + decision points.
    pub complexity: u32,
    /// Deepest nesting of control-flow blocks in its body.
    pub max_nesting: u32,
}

/// A class, interface, trait, module, struct, enum or type alias.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Class {
    /// Its name; `<anonymous>` when there is none.
    pub name: String,
    /// The grammar's node kind, e.g. `class_definition`, `interface_declaration`.
    pub kind: String,
    /// First line.
    pub start_line: u32,
    /// Last line.
    pub end_line: u32,
}

/// An import.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Import {
    /// The module specifier as written (`os.path`, `./util`, `fmt`).
    pub module: String,
    /// Line.
    pub line: u32,
    /// The names it imports, when the statement lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

/// How many of each a file has.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct StructureTotals {
    /// Functions and methods.
    pub functions: u64,
    /// Classes and other types.
    pub classes: u64,
    /// Imports.
    pub imports: u64,
}

/// What `structure` found.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct StructureOutput {
    /// The file.
    pub path: String,
    /// Its language, when it is one astscan parses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// `parsed`, `parsed_with_errors`, `skipped` or `failed`.
    pub status: String,
    /// For `skipped` and `failed`: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Lines of code.
    pub lines: u64,
    /// Entries of each list in all.
    pub totals: StructureTotals,
    /// This page of functions, in source order.
    pub functions: Vec<Function>,
    /// This page of classes, in source order.
    pub classes: Vec<Class>,
    /// This page of imports, in source order.
    pub imports: Vec<Import>,
    /// Pass as `cursor` (with the same path) for the next page of each list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A complex function.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Hotspot {
    /// The file.
    pub path: String,
    /// The function's name.
    pub name: String,
    /// The grammar's node kind.
    pub kind: String,
    /// First line.
    pub start_line: u32,
    /// Last line.
    pub end_line: u32,
    /// Cyclomatic complexity.
    pub complexity: u32,
    /// Deepest nesting of control-flow blocks.
    pub max_nesting: u32,
    /// Declared parameters.
    pub parameters: u32,
    /// Lines it spans.
    pub lines: u32,
    /// The complexity band: `simple` (1-10), `moderate` (11-20), `complex` (21-50) or
    /// `very_complex` (over 50).
    pub band: String,
}

/// Functions by complexity band (see `Hotspot.band`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct Bands {
    /// Complexity 1-10.
    pub simple: u64,
    /// 11-20.
    pub moderate: u64,
    /// 21-50.
    pub complex: u64,
    /// Over 50.
    pub very_complex: u64,
}

/// The thresholds a `hotspots` answer applied.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct Thresholds {
    /// Smallest complexity listed.
    pub min_complexity: u32,
    /// Smallest nesting listed.
    pub min_nesting: u32,
}

/// What `hotspots` found.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct HotspotsOutput {
    /// The scanned path.
    pub path: String,
    /// Input files by status.
    pub files: FileCounts,
    /// Functions found in all.
    pub functions_total: u64,
    /// All of them by complexity band.
    pub bands: Bands,
    /// The thresholds applied.
    pub thresholds: Thresholds,
    /// Functions at or over both thresholds.
    pub matching: u64,
    /// This page of them: most complex first (then deepest nesting, then path and line).
    pub functions: Vec<Hotspot>,
    /// Pass as `cursor` (with the same other arguments) for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Totals of an import graph.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct GraphSummary {
    /// Files (nodes).
    pub files: u64,
    /// Imports resolved to files of the tree (edges).
    pub edges: u64,
    /// External packages.
    pub externals: u64,
    /// Imports that name something of the tree that is not there.
    pub unresolved: u64,
    /// Import cycles.
    pub cycles: u64,
    /// Input files that were not analysed, so are not nodes.
    pub not_analyzed: u64,
}

/// A file of the graph.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct GraphFile {
    /// The file.
    pub path: String,
    /// Files of the tree that import it.
    pub imported_by: u32,
    /// Files of the tree it imports.
    pub imports: u32,
    /// Whether it is in an import cycle.
    pub in_cycle: bool,
}

/// An import cycle.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct GraphCycle {
    /// Files in it.
    pub size: u64,
    /// Its files (the first 20).
    pub files: Vec<String>,
}

/// An external package.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct GraphExternal {
    /// `python`, `node`, `go`, `java`, `php` or `ruby`.
    pub ecosystem: String,
    /// The package's top-level name.
    pub name: String,
    /// Files importing it.
    pub files: u64,
}

/// An import of the focus file, or of a file importing it.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct GraphLink {
    /// The other file.
    pub path: String,
    /// The specifier as written in the importing file.
    pub specifier: String,
    /// Its line in the importing file.
    pub line: u32,
}

/// An import of the focus file that did not resolve.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct GraphUnresolved {
    /// The specifier as written.
    pub specifier: String,
    /// Its line.
    pub line: u32,
    /// `not_found`, `not_source` or `outside_root`.
    pub reason: String,
}

/// The graph around one file.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct GraphFocus {
    /// The file.
    pub path: String,
    /// Whether it is in an import cycle.
    pub in_cycle: bool,
    /// Files of the tree it imports, in all.
    pub imports_total: u64,
    /// Files of the tree importing it, in all.
    pub imported_by_total: u64,
    /// This page of the files it imports.
    pub imports: Vec<GraphLink>,
    /// This page of the files importing it.
    pub imported_by: Vec<GraphLink>,
    /// External packages it imports.
    pub externals: Vec<String>,
    /// Its imports that did not resolve.
    pub unresolved: Vec<GraphUnresolved>,
}

/// What `dependency_graph` found.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct GraphOutput {
    /// The directory of the graph.
    pub path: String,
    /// Totals.
    pub summary: GraphSummary,
    /// Import cycles (the first 20).
    pub cycles: Vec<GraphCycle>,
    /// External packages imported by the most files (the first 20).
    pub externals: Vec<GraphExternal>,
    /// Without `focus`: this page of files, most imported first.
    pub files: Vec<GraphFile>,
    /// With `focus`: the graph around that file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<GraphFocus>,
    /// Pass as `cursor` (with the same other arguments) for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A rule, in brief.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct RuleSummary {
    /// Its id.
    pub id: String,
    /// `taint` (follows untrusted data to a sink) or `search` (matches a shape).
    pub mode: String,
    /// Severity of its findings.
    pub severity: Severity,
    /// How sure it is (`low`: an audit rule).
    pub confidence: Confidence,
    /// The CWE number.
    pub cwe: u32,
    /// Languages it applies to.
    pub languages: Vec<Language>,
    /// Whether this server's scans run it (the configuration and the minimum confidence
    /// decide).
    pub runs: bool,
    /// What it reports.
    pub message: String,
}

/// What `list_rules` found.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ListRulesOutput {
    /// Rules matching the filters, in all.
    pub total: u64,
    /// This page of them, by id.
    pub rules: Vec<RuleSummary>,
    /// Pass as `cursor` (with the same other arguments) for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Code from a rule's test fixtures.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct RuleExample {
    /// The fixture file.
    pub file: String,
    /// The line the annotation is about.
    pub line: u32,
    /// Whether the rule reports that line (`false`: it must not).
    pub finding: bool,
    /// The line and the lines leading to it.
    pub code: String,
}

/// The patterns of a taint rule.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct TaintPatterns {
    /// Where untrusted data comes from (tree-sitter queries; the first 20).
    pub sources: Vec<String>,
    /// Where it must not go.
    pub sinks: Vec<String>,
    /// What makes it safe.
    pub sanitizers: Vec<String>,
    /// What passes it on.
    pub propagators: Vec<String>,
}

/// What `explain_rule` found.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ExplainRuleOutput {
    /// The rule in brief.
    #[serde(flatten)]
    pub rule: RuleSummary,
    /// OWASP Top 10 category.
    pub owasp: String,
    /// The CWE's page.
    pub cwe_url: String,
    /// Further reading.
    pub references: Vec<String>,
    /// The file the rule comes from.
    pub source: String,
    /// For a search rule: its tree-sitter query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// For a taint rule: its patterns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taint: Option<TaintPatterns>,
    /// Code it reports and code it must not, from its fixtures (built-in rules).
    pub examples: Vec<RuleExample>,
}

/// A node of a syntax tree.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct AstNode {
    /// The grammar's node kind (`call`, `identifier`, `(` for an anonymous token).
    pub kind: String,
    /// The field of its parent it fills (`function`, `arguments`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// First line.
    pub start_line: u32,
    /// First column.
    pub start_column: u32,
    /// Last line.
    pub end_line: u32,
    /// Column after its end.
    pub end_column: u32,
    /// Its children, in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<AstNode>,
    /// Some of its children (or their children) are left out: deeper than `max_depth`, past
    /// `max_nodes`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// What `ast` found.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct AstOutput {
    /// The file.
    pub path: String,
    /// Its language, when it is one astscan parses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// `parsed`, `parsed_with_errors`, `skipped` or `failed`.
    pub status: String,
    /// For `skipped` and `failed`: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Nodes returned.
    pub nodes: u64,
    /// Whether nodes were left out (see `AstNode.truncated`).
    pub truncated: bool,
    /// The tree, for parsed files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tree: Option<AstNode>,
}
