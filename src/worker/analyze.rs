//! Parsing and analysis of one file inside a worker: parse under a deadline, then one
//! iterative cursor walk for syntax errors, structure and metrics, then the imports query.
//!
//! Nothing here recurses over the tree: a file nested 100,000 levels deep is walked with a
//! `TreeCursor` and an explicit stack, so hostile input cannot overflow the worker's stack.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tree_sitter::{
    Node, ParseOptions, Parser, Query, QueryCursor, QueryCursorOptions, QueryMatch,
    StreamingIterator, Tree,
};

use super::kinds::{self, KindTable};
use crate::analysis::{
    Analysis, Class, Function, Import, MAX_SYNTAX_ERRORS, ParseStatus, Position, Span, SyntaxError,
    SyntaxErrorKind,
};
use crate::deadline::Deadline;
use crate::lang::Language;
use crate::rules::Rule;
use crate::rules::engine::{Halt, LanguageRules};
use crate::rules::prefilter::FileGate;

/// Longest name kept for a function or class; longer left-hand sides are cut with `…`.
const MAX_NAME_LEN: usize = 200;

/// How often (in visited nodes) the walk checks its deadline: often enough to stop within
/// milliseconds, rarely enough that reading the clocks costs nothing measurable.
const DEADLINE_CHECK_EVERY: u32 = 16 * 1024;

/// Why a file could not be analysed.
#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    /// The deadline passed during parsing or analysis.
    #[error("parse timed out after {0:.1} s")]
    Timeout(f64),
    /// The deadline passed while a rule was being evaluated.
    #[error("parse timed out after {0:.1} s (in rule {1})")]
    RuleTimeout(f64, String),
    /// A rule cannot be evaluated.
    #[error("rule {rule}: {message}")]
    BadRule {
        /// The rule's id.
        rule: String,
        /// What is wrong.
        message: String,
    },
    /// The language's data files did not compile (a bug in `parsers/`).
    #[error("{language} support is broken: {message}")]
    BadLanguageData {
        /// The language.
        language: Language,
        /// What failed.
        message: String,
    },
}

impl AnalyzeError {
    /// The failure's code in the protocol.
    pub fn kind(&self) -> crate::pool::FailureKind {
        match self {
            AnalyzeError::Timeout(_) | AnalyzeError::RuleTimeout(..) => {
                crate::pool::FailureKind::Timeout
            }
            AnalyzeError::BadRule { .. } | AnalyzeError::BadLanguageData { .. } => {
                crate::pool::FailureKind::Worker
            }
        }
    }
}

/// A language's compiled tables and queries, built once per worker and reused for every file.
struct Compiled {
    grammar: tree_sitter::Language,
    kinds: KindTable,
    imports: Query,
    import_capture: u32,
    /// `@import.relative`: a specifier relative to the file's directory (see [`Import`]).
    relative_capture: Option<u32>,
    /// `@import.name`: a name imported from the match's specifier.
    name_capture: Option<u32>,
    /// Every pattern of the imports query starts at a known node kind (marked
    /// [`kinds::IMPORT_ROOT`]), so the walk runs the query on those nodes alone instead of a
    /// second traversal of the whole tree, which costs half as much again as parsing.
    imports_rooted: bool,
    /// The rules that apply to this language, indexed by root node kind.
    rules: LanguageRules,
    /// The taint rules that apply to this language.
    taint: crate::rules::taint::TaintRules,
}

impl Compiled {
    fn build(language: Language, rules: &[Rule], timing: bool) -> Result<Compiled, AnalyzeError> {
        let spec = language.spec();
        let grammar = language.grammar();
        let bad = |message: String| AnalyzeError::BadLanguageData { language, message };
        let kinds = KindTable::compile(spec.kinds_toml, &grammar)
            .map_err(|e| bad(format!("parsers/{}/language.toml: {e}", spec.data_dir)))?;
        let imports = Query::new(&grammar, spec.imports_query)
            .map_err(|e| bad(format!("parsers/{}/imports.scm: {e}", spec.data_dir)))?;
        let import_capture = imports.capture_index_for_name("import").ok_or_else(|| {
            bad(format!(
                "parsers/{}/imports.scm has no @import capture",
                spec.data_dir
            ))
        })?;
        let relative_capture = imports.capture_index_for_name("import.relative");
        let name_capture = imports.capture_index_for_name("import.name");
        let mut kinds = kinds;
        let taint = crate::rules::taint::TaintRules::build(rules, language);
        if !taint.is_empty() && kinds.dataflow.is_none() {
            return Err(bad(format!(
                "parsers/{}/language.toml has no [dataflow] table for its taint rules",
                spec.data_dir
            )));
        }
        let rules = LanguageRules::build(rules, language, &mut kinds, timing).map_err(&bad)?;
        let imports_rooted = (0..imports.pattern_count()).all(|i| {
            kinds::pattern_root(spec.imports_query, imports.start_byte_for_pattern(i))
                .is_some_and(|root| kinds.add_named(&grammar, root, kinds::IMPORT_ROOT))
        });
        Ok(Compiled {
            grammar,
            kinds,
            imports,
            import_capture,
            relative_capture,
            name_capture,
            imports_rooted,
            rules,
            taint,
        })
    }
}

/// Parses and analyses files; holds one parser and the compiled data of each language used.
pub struct Analyzer {
    parser: Parser,
    query_cursor: QueryCursor,
    compiled: HashMap<Language, Compiled>,
    rules: Vec<Rule>,
    /// Measure each rule's cost (`--time-rules`).
    timing: bool,
    /// Compile each language's whole rule pack at its first file instead of the patterns
    /// files need (for long-lived workers).
    eager_rules: bool,
}

/// The result of [`Analyzer::analyze`]: the analysis, and the tree if the caller wants it.
pub struct Parsed {
    /// Structure, metrics and status.
    pub analysis: Analysis,
    /// The syntax tree, for the AST dump.
    pub tree: Tree,
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl Analyzer {
    /// An analyzer that evaluates `rules`; languages are compiled on first use.
    pub fn new(rules: Vec<Rule>) -> Self {
        Analyzer {
            parser: Parser::new(),
            query_cursor: QueryCursor::new(),
            compiled: HashMap::new(),
            rules,
            timing: false,
            eager_rules: false,
        }
    }

    /// Compiles each language's whole rule pack when the language is first used, rather than
    /// the patterns each file needs: the better choice for a worker that serves many scans.
    pub fn set_eager_rules(&mut self, eager: bool) {
        self.eager_rules = eager;
    }

    /// Adds rules; languages are recompiled with them on next use.
    pub fn add_rules(&mut self, rules: Vec<Rule>) {
        self.rules.extend(rules);
        self.compiled.clear();
    }

    /// Measures each rule's cost from now on (slower: every rule runs its own query); the
    /// figures come back in [`Analysis::rule_times`].
    pub fn set_timing(&mut self, timing: bool) {
        if self.timing != timing {
            self.timing = timing;
            self.compiled.clear();
        }
    }

    /// Compiles a language's data now (the worker does this for every language it offers, so a
    /// broken data file fails at start-up rather than on some file).
    pub fn prepare(&mut self, language: Language) -> Result<(), AnalyzeError> {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.compiled.entry(language) {
            slot.insert(Compiled::build(language, &self.rules, self.timing)?);
        }
        Ok(())
    }

    /// Parses `source` as `language` and analyses it, giving up once it has used `timeout` of
    /// this thread's CPU time (waiting for a CPU does not count: see [`Deadline`]).
    pub fn analyze(
        &mut self,
        language: Language,
        source: &[u8],
        timeout: Duration,
    ) -> Result<Parsed, AnalyzeError> {
        let started = Instant::now();
        let deadline = Deadline::after(timeout);
        self.prepare(language)?;
        let rules = &mut self
            .compiled
            .get_mut(&language)
            .expect("prepared above")
            .rules;
        let gate = rules.gate(source);
        rules
            .prepare(&gate, self.eager_rules)
            .map_err(|message| AnalyzeError::BadLanguageData { language, message })?;
        let compiled = &self.compiled[&language];
        self.parser
            .set_language(&compiled.grammar)
            .map_err(|e| AnalyzeError::BadLanguageData {
                language,
                message: e.to_string(),
            })?;

        let timed_out = std::cell::Cell::new(false);
        let mut progress = deadline.progress(&timed_out);
        let len = source.len();
        let tree = self.parser.parse_with_options(
            &mut |offset: usize, _| if offset < len { &source[offset..] } else { &[] },
            None,
            Some(ParseOptions::new().progress_callback(&mut progress)),
        );
        let tree = match tree {
            Some(tree) if !timed_out.get() => tree,
            _ => {
                // A cancelled parse resumes on the next call unless the parser is reset.
                self.parser.reset();
                return Err(AnalyzeError::Timeout(timeout.as_secs_f64()));
            }
        };

        let timeout_error = || AnalyzeError::Timeout(timeout.as_secs_f64());
        let mut taint = TaintInput::default();
        let walked = walk(
            &tree,
            source,
            compiled,
            &gate,
            &mut self.query_cursor,
            deadline,
            &mut taint,
        );
        let mut analysis = match walked {
            Ok(analysis) => analysis,
            Err(None) => return Err(timeout_error()),
            Err(Some(halt)) => return Err(halt_error(halt, timeout)),
        };
        if let Some(second) = compiled.rules.deferred_gate(&gate, &taint.matches) {
            let rules = &mut self
                .compiled
                .get_mut(&language)
                .expect("prepared above")
                .rules;
            rules
                .prepare(&second, false)
                .map_err(|message| AnalyzeError::BadLanguageData { language, message })?;
            let compiled = &self.compiled[&language];
            compiled
                .rules
                .run_deferred(
                    &second,
                    tree.root_node(),
                    source,
                    &compiled.kinds,
                    &mut self.query_cursor,
                    deadline,
                    &mut taint.matches,
                )
                .map_err(|halt| halt_error(halt, timeout))?;
        }
        let compiled = &self.compiled[&language];
        compiled
            .taint
            .run(
                &tree,
                source,
                &compiled.kinds,
                &taint.matches,
                &taint.functions,
                &analysis.functions,
                deadline,
                &mut analysis.findings,
                &mut analysis.incomplete,
            )
            .map_err(|halt| halt_error(halt, timeout))?;
        if !compiled.imports_rooted {
            analysis.imports = imports(&tree, source, compiled, &mut self.query_cursor, deadline)
                .ok_or_else(timeout_error)?;
        }
        analysis
            .imports
            .sort_by_key(|i| (i.start.line, i.start.column));
        // Patterns that list imported names match once per name: one import, all the names.
        analysis.imports.dedup_by(|later, kept| {
            let same = later.start == kept.start && later.module == kept.module;
            if same {
                kept.relative |= later.relative;
                for name in later.names.drain(..) {
                    if !kept.names.contains(&name) {
                        kept.names.push(name);
                    }
                }
            }
            same
        });
        // Several patterns (or several earlier assignments) can match one place: report it once.
        analysis.findings.sort_by(|a, b| {
            (a.span.start.line, a.span.start.column, &a.rule_id).cmp(&(
                b.span.start.line,
                b.span.start.column,
                &b.rule_id,
            ))
        });
        analysis
            .findings
            .dedup_by(|a, b| a.rule_id == b.rule_id && a.span == b.span);
        let suppressions = crate::rules::suppress::parse(source);
        analysis.unused_suppressions =
            crate::rules::suppress::apply(&suppressions, &mut analysis.findings);
        analysis.rule_times = compiled.rules.take_times();
        analysis.lines = count_lines(source);
        analysis.parse_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ok(Parsed { analysis, tree })
    }
}

/// The error for a rule pass that stopped.
fn halt_error(halt: Halt, timeout: Duration) -> AnalyzeError {
    match halt {
        Halt::Overrun(rule) => AnalyzeError::RuleTimeout(timeout.as_secs_f64(), rule),
        Halt::BadRule(rule, message) => AnalyzeError::BadRule { rule, message },
    }
}

/// Lines in a file: newlines, plus one for a last line without a newline.
pub fn count_lines(source: &[u8]) -> u64 {
    let newlines = source.iter().filter(|&&b| b == b'\n').count() as u64;
    match source.last() {
        Some(b'\n') | None => newlines,
        Some(_) => newlines + 1,
    }
}

/// What the walk gathers for the taint analysis.
#[derive(Default)]
struct TaintInput<'t> {
    /// Matches of the taint rules' patterns.
    matches: Vec<crate::rules::engine::TaintMatch<'t>>,
    /// The functions of the file.
    functions: Vec<FunctionSite<'t>>,
}

/// A function node the walk passed, for the taint analysis: the same functions, in the same
/// order, as [`Analysis::functions`].
pub struct FunctionSite<'t> {
    /// The function's node.
    pub node: Node<'t>,
    /// The id of the class it is a method of, if any.
    pub class: Option<usize>,
}

/// Walk state for the children of one node.
#[derive(Clone, Copy)]
struct Frame<'t> {
    /// The node whose children are being visited.
    node: Node<'t>,
    /// Index into `functions` of the innermost enclosing function.
    function: Option<usize>,
    /// That function's node (the scope rules search for assignments in).
    function_node: Option<Node<'t>>,
    /// Nesting depth inside that function.
    nesting: u32,
    /// The id of the innermost enclosing class, within the innermost function (a function
    /// nested in a method belongs to no class).
    class: Option<usize>,
}

/// One pass over every node: syntax errors, functions with metrics, classes.
/// Returns `None` when the deadline passes.
fn walk<'t>(
    tree: &'t Tree,
    source: &[u8],
    compiled: &Compiled,
    gate: &FileGate,
    query_cursor: &mut QueryCursor,
    deadline: Deadline,
    taint: &mut TaintInput<'t>,
) -> Result<Analysis, Option<Halt>> {
    let kinds = &compiled.kinds;
    let mut imports = Vec::new();
    // Matches may only start at the node the query runs on; the cursor then descends only as
    // far as an in-progress pattern needs, so each run costs about the size of one pattern.
    query_cursor.set_max_start_depth(Some(0));
    let root = tree.root_node();
    let check_errors = root.has_error();
    let mut syntax_errors = Vec::new();
    let mut syntax_error_count = 0u64;
    let mut functions: Vec<Function> = Vec::new();
    let mut classes = Vec::new();

    let mut findings = Vec::new();
    let mut cursor = root.walk();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    // The nodes of `stack`, kept beside it so rules get their ancestors as a slice.
    let mut ancestors: Vec<Node<'_>> = Vec::new();
    let mut visited = 0u32;
    loop {
        visited = visited.wrapping_add(1);
        if visited.is_multiple_of(DEADLINE_CHECK_EVERY) && deadline.passed() {
            return Err(None);
        }
        let node = cursor.node();
        let flags = kinds.get(node.kind_id());
        let parent = stack.last().copied();
        let (mut function, mut nesting) = parent.map_or((None, 0), |f| (f.function, f.nesting));
        let mut function_node = parent.and_then(|f| f.function_node);
        let mut class = parent.and_then(|f| f.class);

        if check_errors && (node.is_error() || node.is_missing()) {
            syntax_error_count += 1;
            if syntax_errors.len() < MAX_SYNTAX_ERRORS {
                let missing = node.is_missing();
                syntax_errors.push(SyntaxError {
                    start: Position::from_point(node.start_position()),
                    kind: if missing {
                        SyntaxErrorKind::Missing
                    } else {
                        SyntaxErrorKind::Error
                    },
                    expected: missing.then(|| node.kind().to_string()),
                });
            }
        }
        if flags & kinds::FUNCTION != 0 {
            let span = Span::of(&node);
            functions.push(Function {
                name: name_of(node, parent.map(|f| f.node), source),
                kind: node.kind().to_string(),
                span,
                lines: span.end.line - span.start.line + 1,
                parameters: parameter_count(node),
                complexity: 1,
                max_nesting: 0,
            });
            taint.functions.push(FunctionSite { node, class });
            function = Some(functions.len() - 1);
            function_node = Some(node);
            nesting = 0;
            class = None;
        } else {
            if flags & kinds::BRANCH != 0
                && let Some(f) = function
            {
                functions[f].complexity += 1;
            }
            if flags & kinds::NESTING != 0 {
                // `else if` continues a chain at the same level instead of nesting deeper.
                let chained = parent
                    .is_some_and(|p| kinds.get(p.node.kind_id()) & kinds::ELSE != 0)
                    || (cursor.field_name() == Some("alternative")
                        && parent.is_some_and(|p| p.node.kind_id() == node.kind_id()));
                if !chained {
                    nesting += 1;
                }
                if let Some(f) = function {
                    functions[f].max_nesting = functions[f].max_nesting.max(nesting);
                }
            }
        }
        if flags & kinds::IMPORT_ROOT != 0 && compiled.imports_rooted {
            collect_imports(query_cursor, compiled, node, source, &mut imports);
        }
        if flags & kinds::RULE_ROOT != 0 {
            // Rules search the enclosing function for assignments; a function's own node is
            // not its own scope for the rules that start at it.
            let scope = parent.and_then(|f| f.function_node);
            if let Err(halt) = compiled.rules.run_at(
                gate,
                node,
                &ancestors,
                scope,
                root,
                source,
                kinds,
                query_cursor,
                deadline,
                &mut findings,
                &mut taint.matches,
            ) {
                return Err(Some(halt));
            }
        }
        if flags & kinds::CLASS != 0 {
            class = Some(node.id());
            classes.push(Class {
                name: name_of(node, parent.map(|f| f.node), source),
                kind: node.kind().to_string(),
                span: Span::of(&node),
            });
        }

        if cursor.goto_first_child() {
            stack.push(Frame {
                node,
                function,
                function_node,
                nesting,
                class,
            });
            ancestors.push(node);
            continue;
        }
        // No children: move to the next sibling, climbing as far as needed.
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return Ok(Analysis {
                    status: if root.has_error() {
                        ParseStatus::ParsedWithErrors
                    } else {
                        ParseStatus::Parsed
                    },
                    lines: 0,
                    parse_ms: 0.0,
                    syntax_errors,
                    syntax_error_count,
                    functions,
                    classes,
                    imports,
                    findings,
                    incomplete: Vec::new(),
                    unused_suppressions: Vec::new(),
                    rule_times: Vec::new(),
                });
            }
            stack.pop();
            ancestors.pop();
        }
    }
}

/// The declared name of a function or class, else the name it is assigned to
/// (`const f = () => …`, `f = lambda: …`, `{ f: function () {} }`), else `<anonymous>`.
pub(crate) fn name_of(node: Node<'_>, parent: Option<Node<'_>>, source: &[u8]) -> String {
    let named = node.child_by_field_name("name").or_else(|| {
        let parent = parent?;
        ["name", "left", "key"]
            .iter()
            .filter_map(|field| parent.child_by_field_name(field))
            .find(|n| n.id() != node.id())
    });
    match named {
        Some(n) => node_text(n, source),
        None => "<anonymous>".to_string(),
    }
}

/// The text of a node, lossily decoded and cut at [`MAX_NAME_LEN`].
fn node_text(node: Node<'_>, source: &[u8]) -> String {
    let bytes = &source[node.start_byte().min(source.len())..node.end_byte().min(source.len())];
    let text = String::from_utf8_lossy(bytes);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.len() <= MAX_NAME_LEN {
        return text;
    }
    let mut cut = MAX_NAME_LEN;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &text[..cut])
}

/// Declared parameters: the named children of the `parameters` (or `parameter`) field,
/// without comments and separators; a declaration naming several parameters (`a, b int` in
/// Go) counts each name; a bare identifier (`x => x`) counts one.
fn parameter_count(function: Node<'_>) -> u32 {
    let Some(params) = function
        .child_by_field_name("parameters")
        .or_else(|| function.child_by_field_name("parameter"))
    else {
        return 0;
    };
    if params.child_count() == 0 {
        return 1;
    }
    let mut cursor = params.walk();
    let mut count = 0u32;
    for child in params.named_children(&mut cursor) {
        let kind = child.kind();
        if kind.contains("comment") || kind.ends_with("_separator") {
            continue;
        }
        let mut inner = child.walk();
        let names = child.children_by_field_name("name", &mut inner).count() as u32;
        count += names.max(1);
    }
    count
}

/// Runs the language's imports query; `None` when the deadline passes.
fn imports(
    tree: &Tree,
    source: &[u8],
    compiled: &Compiled,
    cursor: &mut QueryCursor,
    deadline: Deadline,
) -> Option<Vec<Import>> {
    let timed_out = std::cell::Cell::new(false);
    let mut progress = deadline.progress(&timed_out);
    cursor.set_max_start_depth(None);
    let mut out = Vec::new();
    let mut matches = cursor.matches_with_options(
        &compiled.imports,
        tree.root_node(),
        source,
        QueryCursorOptions::new().progress_callback(&mut progress),
    );
    while let Some(m) = matches.next() {
        push_imports(m, compiled, source, &mut out);
    }
    drop(matches);
    (!timed_out.get()).then_some(out)
}

/// Runs the imports query on one node (patterns rooted there only).
fn collect_imports(
    cursor: &mut QueryCursor,
    compiled: &Compiled,
    node: Node<'_>,
    source: &[u8],
    out: &mut Vec<Import>,
) {
    let mut matches = cursor.matches(&compiled.imports, node, source);
    while let Some(m) = matches.next() {
        push_imports(m, compiled, source, out);
    }
}

/// Adds the `@import` and `@import.relative` captures of one match, each with the match's
/// `@import.name` captures as its names.
fn push_imports(m: &QueryMatch<'_, '_>, compiled: &Compiled, source: &[u8], out: &mut Vec<Import>) {
    let names: Vec<String> = m
        .captures()
        .iter()
        .filter(|c| Some(c.index) == compiled.name_capture)
        .map(|c| node_text(c.node, source).to_string())
        .collect();
    for capture in m.captures().iter() {
        let relative = Some(capture.index) == compiled.relative_capture;
        if capture.index != compiled.import_capture && !relative {
            continue;
        }
        out.push(Import {
            module: unquote(&node_text(capture.node, source)).to_string(),
            start: Position::from_point(capture.node.start_position()),
            names: names.clone(),
            relative,
        });
    }
}

/// Strips one pair of matching quotes (`"x"`, `'x'`, `` `x` ``).
fn unquote(text: &str) -> &str {
    for q in ['"', '\'', '`'] {
        if let Some(inner) = text.strip_prefix(q).and_then(|t| t.strip_suffix(q)) {
            return inner;
        }
    }
    text
}

/// Max node depth of a tree, computed iteratively (used by tests of hostile input).
#[cfg(test)]
fn depth(tree: &Tree) -> usize {
    let mut cursor = tree.walk();
    let (mut depth, mut max) = (0usize, 0usize);
    loop {
        if cursor.goto_first_child() {
            depth += 1;
            max = max.max(depth);
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return max;
            }
            depth -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lang: Language, src: &str) -> Analysis {
        Analyzer::new(Vec::new())
            .analyze(lang, src.as_bytes(), Duration::from_secs(10))
            .unwrap()
            .analysis
    }

    #[test]
    fn counts_lines() {
        assert_eq!(count_lines(b""), 0);
        assert_eq!(count_lines(b"a"), 1);
        assert_eq!(count_lines(b"a\n"), 1);
        assert_eq!(count_lines(b"a\nb"), 2);
        assert_eq!(count_lines(b"\n\n"), 2);
    }

    #[test]
    fn javascript_structure_and_metrics() {
        let a = run(
            Language::Javascript,
            "import fs from 'fs';\nconst path = require(\"path\");\n\
             function f(a, b) {\n  if (a && b) { for (;;) { if (a) {} } } else if (b) {}\n}\n\
             const g = (x) => x ? 1 : 2;\nclass C { m() {} }\n",
        );
        assert_eq!(a.status, ParseStatus::Parsed);
        let names: Vec<_> = a.functions.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["f", "g", "m"]);
        // f: 1 + if + && + for + if + else-if = 6; nesting if > for > if = 3.
        assert_eq!(
            (a.functions[0].complexity, a.functions[0].max_nesting),
            (6, 3)
        );
        assert_eq!(a.functions[0].parameters, 2);
        assert_eq!(
            (a.functions[1].complexity, a.functions[1].parameters),
            (2, 1)
        );
        assert_eq!(a.classes.len(), 1);
        assert_eq!(a.classes[0].name, "C");
        let modules: Vec<_> = a.imports.iter().map(|i| i.module.as_str()).collect();
        assert_eq!(modules, ["fs", "path"]);
    }

    #[test]
    fn syntax_errors_are_located() {
        let a = run(Language::Python, "def f(:\n    pass\n");
        assert_eq!(a.status, ParseStatus::ParsedWithErrors);
        assert!(a.syntax_error_count >= 1);
        assert_eq!(a.syntax_errors[0].start.line, 1);
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        // 100,000 nested lists: a recursive walk would overflow an 8 MiB stack.
        let n = 100_000;
        let src = format!("x = {}{}\n", "[".repeat(n), "]".repeat(n));
        let parsed = Analyzer::new(Vec::new())
            .analyze(Language::Python, src.as_bytes(), Duration::from_secs(30))
            .unwrap();
        assert!(depth(&parsed.tree) > n);
        assert_eq!(parsed.analysis.status, ParseStatus::Parsed);
    }

    #[test]
    fn deadline_stops_a_long_parse() {
        let src = "a = [1, 2, 3]\n".repeat(400_000);
        let err = Analyzer::new(Vec::new())
            .analyze(Language::Python, src.as_bytes(), Duration::from_millis(1))
            .err()
            .expect("a 5.6 MB parse cannot finish in 1 ms");
        assert!(matches!(err, AnalyzeError::Timeout(_)));
    }

    #[test]
    fn parser_is_reusable_after_a_timeout() {
        let mut analyzer = Analyzer::new(Vec::new());
        let big = "a = [1, 2, 3]\n".repeat(400_000);
        assert!(
            analyzer
                .analyze(Language::Python, big.as_bytes(), Duration::from_millis(1))
                .is_err()
        );
        let a = analyzer
            .analyze(
                Language::Python,
                b"def f():\n    pass\n",
                Duration::from_secs(5),
            )
            .unwrap()
            .analysis;
        assert_eq!(a.functions.len(), 1);
        assert_eq!(a.status, ParseStatus::Parsed);
    }

    #[test]
    fn every_language_compiles_with_rooted_import_patterns() {
        for lang in Language::all() {
            let compiled = Compiled::build(lang, &[], false).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                compiled.imports_rooted,
                "{lang}: imports.scm patterns should start at named nodes"
            );
        }
    }

    /// (module, names, relative) of each import of `src`.
    fn imports_of(lang: Language, src: &str) -> Vec<(String, Vec<String>, bool)> {
        run(lang, src)
            .imports
            .into_iter()
            .map(|i| (i.module, i.names, i.relative))
            .collect()
    }

    fn import(module: &str, names: &[&str], relative: bool) -> (String, Vec<String>, bool) {
        let names = names.iter().map(|n| n.to_string()).collect();
        (module.to_string(), names, relative)
    }

    #[test]
    fn python_from_imports_list_their_names_once() {
        let got = imports_of(
            Language::Python,
            "from . import x\nfrom .. import c, d as e\nfrom ..pkg.mod import f\n\
             import a.b as ab, os\nfrom x import (y, z)\nfrom x import *\n",
        );
        assert_eq!(
            got,
            [
                import(".", &["x"], false),
                import("..", &["c", "d"], false),
                import("..pkg.mod", &["f"], false),
                import("a.b", &[], false),
                import("os", &[], false),
                import("x", &["y", "z"], false),
                import("x", &[], false),
            ]
        );
    }

    #[test]
    fn ruby_require_relative_is_marked_relative() {
        let got = imports_of(
            Language::Ruby,
            "require_relative 'x'\nrequire 'y/z'\nload 'tasks.rb'\nfoo.require 'no'\n",
        );
        assert_eq!(
            got,
            [
                import("x", &[], true),
                import("y/z", &[], false),
                import("tasks.rb", &[], false),
            ]
        );
    }

    #[test]
    fn php_use_groups_aliases_and_includes() {
        let got = imports_of(
            Language::Php,
            "<?php\nuse App\\Models\\User as U;\nuse App\\Models\\{Post, Sub\\Comment as C};\n\
             require 'x.php';\nrequire_once __DIR__ . '/y.php';\ninclude_once(\"z.php\");\n\
             require_once(__DIR__ . \"/w.php\");\n",
        );
        assert_eq!(
            got,
            [
                import("App\\Models\\User", &[], false),
                import("App\\Models", &["Post", "Sub\\Comment"], false),
                import("x.php", &[], false),
                import("/y.php", &[], true),
                import("z.php", &[], false),
                import("/w.php", &[], true),
            ]
        );
    }

    #[test]
    fn full_tree_imports_query_agrees_with_the_rooted_walk() {
        let src = "import a from 'a';\nfunction f() { return require('b') + import('c'); }\n";
        let rooted = Analyzer::new(Vec::new())
            .analyze(Language::Javascript, src.as_bytes(), Duration::from_secs(5))
            .unwrap();
        let compiled = Compiled::build(Language::Javascript, &[], false).unwrap();
        let deadline = Deadline::after(Duration::from_secs(5));
        let mut full = imports(
            &rooted.tree,
            src.as_bytes(),
            &compiled,
            &mut QueryCursor::new(),
            deadline,
        )
        .unwrap();
        full.sort_by_key(|i| (i.start.line, i.start.column));
        assert_eq!(rooted.analysis.imports, full);
        assert_eq!(full.len(), 3);
    }

    #[test]
    fn loosened_patterns_still_require_their_node_kinds() {
        // Compiled with `function: (_ object: …)`: a subscript has an `object` too, and only
        // the kind check tells `a["b"]()` from `a.b()`.
        let rule = crate::rules::TEST_RULE
            .replace("[python]", "[javascript]")
            .replace(
                "(call function: (identifier) @fn arguments: (argument_list . (_) @arg)",
                "(call_expression function: (member_expression object: (identifier) @fn) arguments: (arguments . (_) @arg)",
            )
            .replace(r#"(#eq? @fn "eval")"#, r#"(#eq? @fn "a")"#);
        let rules = crate::rules::parse_file("t.yaml", &rule, crate::rules::Depth::Usable).unwrap();
        let src = "a.b(x);\na[\"b\"](x);\nc.b(x);\n";
        let parsed = Analyzer::new(rules)
            .analyze(Language::Javascript, src.as_bytes(), Duration::from_secs(5))
            .unwrap();
        let lines: Vec<u32> = parsed
            .analysis
            .findings
            .iter()
            .map(|f| f.span.start.line)
            .collect();
        assert_eq!(lines, [1]);
    }
}

/// What the rule pack costs one worker, in CPU time, beside parse-only: the corpus analysed in
/// this process with the default pack and without rules, file by file in turn (so the
/// machine's drifts hit both alike), and the files where the pack costs most. Run with
/// `CORPUS=~/.cache/astscan-bench/corpus cargo test --release --lib pack_cost --
/// --ignored --nocapture` (`ROUNDS`, default 3).
#[cfg(test)]
mod pack_cost {
    use super::*;

    fn cpu() -> Duration {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
        Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
    }

    #[test]
    #[ignore = "a benchmark over the shared corpus: see the module's doc"]
    fn pack_cost() {
        let corpus = std::env::var("CORPUS").expect("CORPUS names the benchmark corpus");
        let rounds: usize = std::env::var("ROUNDS").map_or(3, |r| r.parse().unwrap());
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&corpus).sort_by_file_name() {
            let entry = entry.unwrap();
            let Some(lang) = crate::lang::detect_by_name(entry.path()) else {
                continue;
            };
            if entry.file_type().is_file() {
                let source = std::fs::read(entry.path()).unwrap();
                if source.len() < 8 << 20 {
                    files.push((entry.path().to_path_buf(), lang, source));
                }
            }
        }
        let pack = crate::rules::builtin_default().unwrap();
        let mut overs = Vec::new();
        for round in 0..rounds {
            // Fresh analysers: each round pays the compilation a worker pays.
            let mut with = Analyzer::new(pack.clone());
            let mut without = Analyzer::new(Vec::new());
            let (mut spent, mut findings) = ([Duration::ZERO; 2], 0);
            let mut extra: Vec<(Duration, usize)> = Vec::new();
            for (n, (_, lang, source)) in files.iter().enumerate() {
                let mut each = [Duration::ZERO; 2];
                for (i, analyzer) in [&mut with, &mut without].into_iter().enumerate() {
                    let started = cpu();
                    let parsed = analyzer.analyze(*lang, source, Duration::from_secs(60));
                    each[i] = cpu() - started;
                    if i == 0 {
                        findings += parsed.map_or(0, |p| p.analysis.findings.len());
                    }
                }
                spent[0] += each[0];
                spent[1] += each[1];
                extra.push((each[0].saturating_sub(each[1]), n));
            }
            let over = (spent[0].as_secs_f64() / spent[1].as_secs_f64() - 1.0) * 100.0;
            eprintln!(
                "round {round}: {} files, pack {:?}, parse-only {:?}: {over:+.1} % ({findings} \
                 findings)",
                files.len(),
                spent[0],
                spent[1]
            );
            overs.push(over);
            if round == 0 {
                extra.sort_by_key(|e| std::cmp::Reverse(e.0));
                for (d, n) in extra.iter().take(10) {
                    eprintln!("  {d:>12?} more: {}", files[*n].0.display());
                }
            }
        }
        overs.sort_by(f64::total_cmp);
        eprintln!("median over parse-only: {:+.1} %", overs[rounds / 2]);
    }
}
