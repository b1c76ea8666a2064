//! What a worker learns about one file: parse status, syntax errors, structure and metrics.
//!
//! These types cross the worker pipe as JSON and are embedded as-is in the JSON report, so
//! their serde shape is part of the published report schema (`src/report/report.schema.json`).

use serde::{Deserialize, Serialize};

/// A position in a file: 1-based line, 1-based column counted in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in bytes from the start of the line.
    pub column: u32,
}

impl Position {
    /// Converts tree-sitter's 0-based point.
    pub fn from_point(p: tree_sitter::Point) -> Self {
        Position {
            line: saturating_u32(p.row) + 1,
            column: saturating_u32(p.column) + 1,
        }
    }
}

/// A span of source: start inclusive, end exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Span {
    /// Where the span starts.
    pub start: Position,
    /// Where the span ends (exclusive).
    pub end: Position,
}

impl Span {
    /// The span of a syntax node.
    pub fn of(node: &tree_sitter::Node<'_>) -> Self {
        Span {
            start: Position::from_point(node.start_position()),
            end: Position::from_point(node.end_position()),
        }
    }
}

/// How far the parse of a file got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ParseStatus {
    /// The whole file parsed without syntax errors.
    Parsed,
    /// The file parsed, but the tree contains error or missing nodes.
    ParsedWithErrors,
}

/// A place where the parser found a syntax error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct SyntaxError {
    /// Where the error node starts.
    pub start: Position,
    /// `error` for unexpected text, `missing` for a token the parser had to invent.
    pub kind: SyntaxErrorKind,
    /// For `missing`, the kind of the invented token (e.g. `;`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
}

/// The two ways tree-sitter records a syntax error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SyntaxErrorKind {
    /// Text that could not be parsed (an `ERROR` node).
    Error,
    /// A token the parser inserted to recover (a `MISSING` node).
    Missing,
}

/// A function, method, lambda or closure, with its metrics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Function {
    /// Declared name, or the name it is assigned to; `<anonymous>` when there is none.
    pub name: String,
    /// The grammar's node kind, e.g. `method_definition`, `arrow_function`.
    pub kind: String,
    /// Where the function is.
    pub span: Span,
    /// Number of source lines it spans.
    pub lines: u32,
    /// Number of declared parameters.
    pub parameters: u32,
    /// McCabe cyclomatic complexity: 1 + decision points (see README, "Metrics").
    pub complexity: u32,
    /// Deepest nesting of control-flow blocks inside the function body.
    pub max_nesting: u32,
}

/// A class, interface, module, struct, trait, enum or type alias.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Class {
    /// Declared name; `<anonymous>` when there is none.
    pub name: String,
    /// The grammar's node kind, e.g. `class_declaration`, `interface_declaration`, `type_spec`.
    pub kind: String,
    /// Where it is.
    pub span: Span,
}

/// An imported module, package, namespace or required file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Import {
    /// The module specifier as written, without quotes (`./util`, `os.path`, `fmt`).
    pub module: String,
    /// Where the specifier is.
    pub start: Position,
    /// The names the statement imports from the module, when it lists them: Python
    /// `from a import b, c as d` (`b`, `c`), PHP `use A\{B, C}` (`B`, `C`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// The specifier is a path relative to the importing file's directory although it does
    /// not start with `.`: Ruby `require_relative "x"`, PHP `require __DIR__ . "/x.php"`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub relative: bool,
}

/// A rule match: where, which rule, and the rule's metadata.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Finding {
    /// The rule's id.
    pub rule_id: String,
    /// How bad it is.
    pub severity: crate::rules::Severity,
    /// How sure the rule is.
    pub confidence: crate::rules::Confidence,
    /// The CWE number.
    pub cwe: u32,
    /// OWASP Top 10 category.
    pub owasp: String,
    /// What is wrong.
    pub message: String,
    /// Where.
    pub span: Span,
    /// The source line of the match (at most 200 bytes).
    pub snippet: String,
    /// Hash of the rule id and the matched line's text: stable when other lines move.
    pub fingerprint: String,
    /// Why the finding is suppressed (an `astscan-ignore` comment); suppressed findings do
    /// not fail a scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
    /// Whether the finding is in the `--baseline` file; baselined findings do not fail a scan.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub baselined: bool,
    /// For a taint rule: how the untrusted value got from its source to the sink, first step
    /// first (the last step is the sink).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flow: Vec<FlowStep>,
}

/// One step of a finding's flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct FlowStep {
    /// What happens at this step.
    pub kind: FlowStepKind,
    /// Where.
    pub span: Span,
    /// The code of the step, shortened (`q = "SELECT " + name`).
    pub label: String,
}

/// What a flow step is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FlowStepKind {
    /// Where the untrusted value enters.
    Source,
    /// A parameter of a function of the file receiving it.
    Parameter,
    /// An assignment to a variable, field or element.
    Assign,
    /// A call of a function of the file with it as an argument.
    Call,
    /// A value returned by a function of the file.
    Return,
    /// The dangerous use.
    Sink,
}

/// A function (or file) the taint analysis could not follow completely; its findings may be
/// incomplete.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Incomplete {
    /// The taint rule.
    pub rule_id: String,
    /// The function's name (`<file>` for the file as a whole).
    pub function: String,
    /// The line the function starts on.
    pub line: u32,
    /// Why the analysis stopped short.
    pub reason: String,
}

/// Everything a worker reports for a file it parsed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Analysis {
    /// Whether the tree has syntax errors.
    pub status: ParseStatus,
    /// Number of lines in the file (a final line without a newline counts).
    pub lines: u64,
    /// Time spent parsing and analysing, in milliseconds.
    pub parse_ms: f64,
    /// The first syntax errors, in source order (at most [`MAX_SYNTAX_ERRORS`]).
    pub syntax_errors: Vec<SyntaxError>,
    /// Total number of syntax error nodes, including those not listed.
    pub syntax_error_count: u64,
    /// Functions and methods, in source order.
    pub functions: Vec<Function>,
    /// Classes and other type declarations, in source order.
    pub classes: Vec<Class>,
    /// Module specifiers, in source order.
    pub imports: Vec<Import>,
    /// Rule findings, in source order.
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// Functions the taint analysis followed only partly (too large, too deeply nested).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incomplete: Vec<Incomplete>,
    /// Suppression comments that suppressed nothing.
    #[serde(default)]
    pub unused_suppressions: Vec<crate::rules::suppress::Suppression>,
    /// Per-rule costs, when the worker measures them (`--time-rules`); the parent sums them
    /// and does not put them in the file's record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(test, schemars(skip))]
    pub rule_times: Vec<crate::rules::engine::RuleTime>,
}

/// How many syntax error locations a file's result lists; the count covers them all.
pub const MAX_SYNTAX_ERRORS: usize = 10;

/// Converts a usize to u32, saturating: positions in files over 4 GiB are not meaningful.
pub fn saturating_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}
