//! Taint rules: findings for untrusted values that reach a dangerous sink, with the path they
//! took.
//!
//! A taint rule names its `sources`, `sinks`, `sanitizers` and `propagators` as tree-sitter
//! query patterns (captures `@source`, `@sink`, `@sanitized`, `@from`/`@to`). In a file that
//! contains the words of some source and some sink (the prefilter), the pattern engine
//! matches the rule's four kinds of patterns during its one walk of the tree (compiled with
//! the rest of the pack), then [`follow`] takes values through every function of the
//! file ([`interp`]): assignments, branches, loops, collections, fields, and calls of the
//! file's own functions through per-function summaries computed in a few rounds (so mutual
//! recursion converges within a bound). Files without those words cost one word search.

pub mod grammar;
pub mod interp;
pub mod value;

use std::collections::HashMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use tree_sitter::{Node, Query, Tree};

use super::engine::{Halt, TaintMatch, finding};
use super::{Rule, query_shape};
use crate::analysis::{Finding, FlowStep, FlowStepKind, Incomplete};
use crate::deadline::Deadline;
use crate::lang::Language;
use crate::worker::analyze::FunctionSite;
use crate::worker::kinds::{self, KindTable};
use grammar::Dataflow;
use interp::{Context, Function, Marks, Summary};
use value::{Step, StepKind, Val};

/// Rounds of summary computation: a call chain (or recursion) deeper than this through the
/// file's own functions is followed only this far.
const SUMMARY_ROUNDS: usize = 4;
/// Most functions of one file analysed; the rest are reported as not analysed.
const MAX_FUNCTIONS: usize = 5_000;

/// The taint part of a rule, as written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaintSpec {
    /// Patterns whose `@source` capture is an untrusted value.
    pub sources: Vec<String>,
    /// Patterns whose `@sink` capture must not hold an untrusted value; `@match`, if present,
    /// is where the finding is reported.
    pub sinks: Vec<String>,
    /// Patterns whose `@sanitized` capture is clean whatever flows into it.
    #[serde(default)]
    pub sanitizers: Vec<String>,
    /// Patterns whose `@from` capture's taint flows into the `@to` capture.
    #[serde(default)]
    pub propagators: Vec<String>,
}

/// What a pattern of a taint rule is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatternRole {
    /// Its `@source` is untrusted.
    Source,
    /// Its `@sink` must not be.
    Sink,
    /// Its `@sanitized` is clean.
    Sanitizer,
    /// Its `@from` flows into its `@to`.
    Propagator,
}

impl PatternRole {
    /// The captures a pattern of this role must have.
    fn captures(self) -> &'static [&'static str] {
        match self {
            PatternRole::Source => &["source"],
            PatternRole::Sink => &["sink"],
            PatternRole::Sanitizer => &["sanitized"],
            PatternRole::Propagator => &["from", "to"],
        }
    }

    fn key(self) -> &'static str {
        match self {
            PatternRole::Source => "sources",
            PatternRole::Sink => "sinks",
            PatternRole::Sanitizer => "sanitizers",
            PatternRole::Propagator => "propagators",
        }
    }
}

/// The patterns of a spec, with their roles, in a fixed order.
pub fn patterns(spec: &TaintSpec) -> Vec<(PatternRole, &str)> {
    let mut out = Vec::new();
    for (role, list) in [
        (PatternRole::Source, &spec.sources),
        (PatternRole::Sink, &spec.sinks),
        (PatternRole::Sanitizer, &spec.sanitizers),
        (PatternRole::Propagator, &spec.propagators),
    ] {
        out.extend(list.iter().map(|p| (role, p.as_str())));
    }
    out
}

/// Checks a taint rule for one language: every pattern is one pattern that compiles and
/// has the captures its role needs, and the language has a dataflow table.
pub fn validate(spec: &TaintSpec, lang: Language) -> Result<(), String> {
    if spec.sources.is_empty() || spec.sinks.is_empty() {
        return Err("a taint rule needs at least one source and one sink".into());
    }
    let grammar = lang.grammar();
    let table = KindTable::compile(lang.spec().kinds_toml, &grammar)?;
    if table.dataflow.is_none() {
        return Err(format!("taint rules are not supported for {lang} yet"));
    }
    for (role, text) in patterns(spec) {
        let where_ = || format!("{} pattern {:?}", role.key(), first_line(text));
        if text.contains(&format!("@{}", query_shape::KIND_CAPTURE)) {
            return Err(format!(
                "{}: capture names starting with @{} are reserved",
                where_(),
                query_shape::KIND_CAPTURE
            ));
        }
        let query = Query::new(&grammar, text)
            .map_err(|e| format!("{}: query does not compile: {e}", where_()))?;
        if query.pattern_count() != 1 {
            return Err(format!(
                "{}: write one pattern per list entry (found {})",
                where_(),
                query.pattern_count()
            ));
        }
        for capture in role.captures() {
            if query.capture_index_for_name(capture).is_none() {
                return Err(format!("{}: needs a @{capture} capture", where_()));
            }
        }
    }
    Ok(())
}

fn first_line(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or("");
    if line.len() > 60 {
        let mut cut = 60;
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}…", &line[..cut])
    } else {
        line.to_string()
    }
}

/// The taint rules of one language, in the order the pattern engine numbers them (its
/// [`TaintMatch::rule`]): the language's rules with a taint part, in pack order.
pub struct TaintRules {
    rules: Vec<Rule>,
}

impl TaintRules {
    /// The taint rules of `rules` that apply to `lang`.
    pub fn build(rules: &[Rule], lang: Language) -> TaintRules {
        let rules: Vec<Rule> = rules
            .iter()
            .filter(|r| r.languages.contains(&lang) && r.taint.is_some())
            .cloned()
            .collect();
        TaintRules { rules }
    }

    /// Whether the language has any taint rule.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Follows every taint rule with both a source and a sink among `matches` (what the
    /// pattern engine found during its walk of the file).
    #[allow(clippy::too_many_arguments)]
    pub fn run<'t>(
        &self,
        tree: &'t Tree,
        source: &[u8],
        kinds: &KindTable,
        matches: &[TaintMatch<'t>],
        sites: &[FunctionSite<'t>],
        outline: &[crate::analysis::Function],
        deadline: Deadline,
        findings: &mut Vec<Finding>,
        partial: &mut Vec<Incomplete>,
    ) -> Result<(), Halt> {
        if matches.is_empty() {
            return Ok(());
        }
        let Some(dataflow) = kinds.dataflow.as_deref() else {
            return Ok(());
        };
        let mut marks: Vec<Marks<'t>> = (0..self.rules.len()).map(|_| Marks::default()).collect();
        for m in matches {
            let Some(marks) = marks.get_mut(m.rule) else {
                continue;
            };
            match m.role {
                PatternRole::Source => {
                    if let Some(n) = m.source {
                        marks.sources.insert(n.id());
                        marks.places.push(n.start_byte());
                    }
                }
                PatternRole::Sink => {
                    if let Some(n) = m.sink {
                        marks.sinks.insert(n.id(), m.at.unwrap_or(n));
                        marks.places.push(n.start_byte());
                    }
                }
                PatternRole::Sanitizer => {
                    if let Some(n) = m.sanitized {
                        marks.sanitized.insert(n.id());
                    }
                }
                PatternRole::Propagator => {
                    if let (Some(f), Some(t)) = (m.from, m.to) {
                        marks.propagate.entry(f.id()).or_default().push(t);
                    }
                }
            }
        }
        let root = tree.root_node();
        let mut functions = None;
        for (rule, marks) in self.rules.iter().zip(marks.iter_mut()) {
            if marks.sources.is_empty() || marks.sinks.is_empty() {
                continue;
            }
            let functions =
                functions.get_or_insert_with(|| self::functions(sites, outline, source, kinds));
            follow(
                rule, dataflow, kinds, marks, functions, root, source, deadline, findings, partial,
            )?;
        }
        Ok(())
    }
}

/// The functions of the file, in source order: those the walk passed (`sites`), with the
/// names the outline gave them.
fn functions<'t>(
    sites: &[FunctionSite<'t>],
    outline: &[crate::analysis::Function],
    source: &[u8],
    kinds: &KindTable,
) -> Vec<Function<'t>> {
    sites
        .iter()
        .zip(outline)
        .map(|(site, f)| Function {
            node: site.node,
            name: f.name.clone(),
            params: params(site.node, source, kinds),
            class: site.class,
        })
        .collect()
}

/// A function's parameter names and declarations.
fn params<'t>(f: Node<'t>, source: &[u8], kinds: &KindTable) -> Vec<(String, Node<'t>)> {
    let Some(list) = f
        .child_by_field_name("parameters")
        .or_else(|| f.child_by_field_name("parameter"))
    else {
        return Vec::new();
    };
    if list.named_child_count() == 0 && list.child_count() == 0 {
        // A lone parameter without parentheses (`x => …`).
        return vec![(text(list, source), list)];
    }
    let mut c = list.walk();
    let mut out = Vec::new();
    for p in list.named_children(&mut c) {
        if p.kind().contains("comment") {
            continue;
        }
        // Go's `a, b int` declares several names.
        let mut inner = p.walk();
        let names: Vec<Node<'t>> = p.children_by_field_name("name", &mut inner).collect();
        if names.len() > 1 {
            for n in names {
                out.push((text(n, source), n));
            }
            continue;
        }
        if let Some(mut n) = interp::param_name_node(p) {
            // PHP's `$x` wraps the name: the variable is read as the wrapper's text.
            if let Some(w) = n.parent()
                && w.id() != p.id()
                && kinds.get(w.kind_id()) & kinds::IDENTIFIER != 0
                && w.named_child_count() == 1
            {
                n = w;
            }
            out.push((text(n, source), p));
        }
    }
    out
}

fn text(n: Node<'_>, source: &[u8]) -> String {
    String::from_utf8_lossy(&source[n.byte_range()]).into_owned()
}

/// Follows the rule's flows through the file: summaries in rounds, then findings.
#[allow(clippy::too_many_arguments)]
fn follow<'t>(
    rule: &Rule,
    dataflow: &Dataflow,
    kinds: &KindTable,
    marks: &Marks<'t>,
    functions: &[Function<'t>],
    root: Node<'t>,
    source: &[u8],
    deadline: Deadline,
    findings: &mut Vec<Finding>,
    partial: &mut Vec<Incomplete>,
) -> Result<(), Halt> {
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, f) in functions.iter().enumerate().take(MAX_FUNCTIONS) {
        if f.name != "<anonymous>" {
            by_name.entry(f.name.clone()).or_default().push(i);
        }
    }
    let analysed = functions.len().min(MAX_FUNCTIONS);
    if functions.len() > MAX_FUNCTIONS {
        partial.push(Incomplete {
            rule_id: rule.id.clone(),
            function: "<file>".into(),
            line: 1,
            reason: format!("only the first {MAX_FUNCTIONS} functions of the file were analysed"),
        });
    }
    let empty_fields = HashMap::new();
    let empty_summaries: Vec<Summary> = Vec::new();
    // The module level first: its variables are what functions see as globals.
    let module_cx = Context {
        source,
        dataflow,
        kinds,
        marks,
        functions,
        by_name: &by_name,
        summaries: &empty_summaries,
        fields: &empty_fields,
        globals: &HashMap::new(),
        deadline,
    };
    let module = interp::analyse(&module_cx, None, root);
    if module.timed_out {
        return Err(Halt::Overrun(rule.id.clone()));
    }
    let globals = module.env;
    let relevant = relevant_functions(&functions[..analysed], marks, dataflow, &by_name, source);
    let mut summaries = vec![Summary::default(); analysed];
    let mut fields: HashMap<(usize, String), Val> = HashMap::new();
    // Each function's last outcome, and the module level's. A round analyses again only what
    // read a summary or field that the round before changed: the same reads of the same
    // values give the same outcome, so the result is that of analysing everything each
    // round, at a fraction of the cost (most functions call nothing whose summary changes).
    let mut kept: Vec<Option<interp::Outcome<'t>>> = (0..analysed).map(|_| None).collect();
    let mut top: Option<interp::Outcome<'t>> = None;
    let mut changed = vec![false; analysed];
    let mut fields_changed = false;
    let stale = |out: &Option<interp::Outcome<'t>>, changed: &[bool], fields_changed: bool| {
        out.as_ref().is_none_or(|o| {
            (o.read_fields && fields_changed) || o.read_summaries.iter().any(|&f| changed[f])
        })
    };
    for _ in 0..SUMMARY_ROUNDS {
        let cx = Context {
            source,
            dataflow,
            kinds,
            marks,
            functions,
            by_name: &by_name,
            summaries: &summaries,
            fields: &fields,
            globals: &globals,
            deadline,
        };
        for i in (0..analysed).filter(|&i| relevant[i]) {
            if !stale(&kept[i], &changed, fields_changed) {
                continue;
            }
            let out = interp::analyse(&cx, Some(i), root);
            if out.timed_out {
                return Err(Halt::Overrun(rule.id.clone()));
            }
            kept[i] = Some(out);
        }
        // The module level may call the file's functions too.
        if stale(&top, &changed, fields_changed) {
            top = Some(interp::analyse(&cx, None, root));
        }
        let next: Vec<Summary> = kept
            .iter()
            .map(|o| {
                o.as_ref()
                    .map_or_else(Summary::default, |o| o.summary.clone())
            })
            .collect();
        let mut next_fields: HashMap<(usize, String), Val> = HashMap::new();
        for (function, out) in functions.iter().zip(&kept) {
            if let (Some(class), Some(out)) = (function.class, out) {
                for (field, v) in &out.fields {
                    let slot = next_fields.entry((class, field.clone())).or_default();
                    *slot = Val::join(slot, v);
                }
            }
        }
        for (c, (a, b)) in changed.iter_mut().zip(next.iter().zip(&summaries)) {
            *c = !a.same(b);
        }
        fields_changed = !same_fields(&next_fields, &fields);
        summaries = next;
        fields = next_fields;
        if !changed.contains(&true) && !fields_changed {
            break;
        }
    }
    let mut hits = Vec::new();
    let mut partial_fns: Vec<(usize, &'static str)> = Vec::new();
    for (i, out) in kept.into_iter().enumerate() {
        if let Some(out) = out {
            if let Some(why) = out.partial {
                partial_fns.push((i, why));
            }
            hits.extend(out.hits);
        }
    }
    hits.extend(top.map(|t| t.hits).unwrap_or_default());
    for (i, why) in partial_fns {
        let f = &functions[i];
        partial.push(Incomplete {
            rule_id: rule.id.clone(),
            function: f.name.clone(),
            line: f.node.start_position().row as u32 + 1,
            reason: why.to_string(),
        });
    }
    let mut seen = std::collections::HashSet::new();
    for hit in hits {
        if !seen.insert(hit.sink) {
            continue;
        }
        let mut f = finding(rule, hit.at, source);
        f.flow = flow(&hit.trace);
        findings.push(f);
    }
    Ok(())
}

/// The functions worth following for a rule: those holding one of its sources or sinks, and
/// the functions of the file they call, transitively (their summaries carry the flows between
/// them). The others cannot take part in a flow from a source to a sink, except through a
/// global or a callback, which the analysis does not follow anyway.
fn relevant_functions(
    functions: &[Function<'_>],
    marks: &Marks<'_>,
    dataflow: &Dataflow,
    by_name: &HashMap<String, Vec<usize>>,
    source: &[u8],
) -> Vec<bool> {
    let mut places = marks.places.clone();
    places.sort_unstable();
    let mut relevant: Vec<bool> = functions
        .iter()
        .map(|f| {
            let (start, end) = (f.node.start_byte(), f.node.end_byte());
            let first = places.partition_point(|&p| p < start);
            places.get(first).is_some_and(|&p| p < end)
        })
        .collect();
    // A function's own calls only: the functions nested in it are followed when they are
    // relevant themselves (their bodies are not evaluated as part of it). Walking them here
    // would make a module wrapper (UMD, IIFE) pull in every function of the bundle.
    let nested: std::collections::HashSet<usize> = functions.iter().map(|f| f.node.id()).collect();
    let mut pending: Vec<usize> = (0..functions.len()).filter(|&i| relevant[i]).collect();
    while let Some(i) = pending.pop() {
        let mut stack = vec![functions[i].node];
        while let Some(n) = stack.pop() {
            if n.id() != functions[i].node.id() && nested.contains(&n.id()) {
                continue;
            }
            if let Some(grammar::Role::Call { callee, name, .. }) = dataflow.role(n) {
                let called = callee
                    .get(n)
                    .map(|c| match dataflow.role(c) {
                        Some(grammar::Role::Member(_, property)) => property.get(c),
                        _ => Some(c),
                    })
                    .unwrap_or_else(|| name.get(n));
                if let Some(called) = called
                    && let Some(targets) = by_name.get(&text(called, source))
                {
                    for &t in targets {
                        if t < relevant.len() && !relevant[t] {
                            relevant[t] = true;
                            pending.push(t);
                        }
                    }
                }
            }
            let mut c = n.walk();
            stack.extend(n.named_children(&mut c));
        }
    }
    relevant
}

fn same_fields(a: &HashMap<(usize, String), Val>, b: &HashMap<(usize, String), Val>) -> bool {
    a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| v.same(w)))
}

/// A trace as the steps a report shows: the source, what it went through, the sink.
fn flow(trace: &Rc<Step>) -> Vec<FlowStep> {
    let chain = trace.chain();
    let n = chain.len();
    chain
        .iter()
        .enumerate()
        .map(|(i, s)| FlowStep {
            kind: if i + 1 == n {
                FlowStepKind::Sink
            } else {
                match s.kind {
                    StepKind::Source => FlowStepKind::Source,
                    StepKind::Assign => FlowStepKind::Assign,
                    StepKind::Call => FlowStepKind::Call,
                    StepKind::Return => FlowStepKind::Return,
                    StepKind::Param => FlowStepKind::Parameter,
                }
            },
            span: s.span,
            label: s.label.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::lang::Language;
    use crate::rules::{Depth, parse_file};
    use crate::worker::analyze::Analyzer;

    const RULE: &str = r#"
rules:
  - id: t.sql
    mode: taint
    message: request data reaches execute
    severity: high
    confidence: high
    cwe: CWE-89
    owasp: A03:2021-Injection
    languages: [python]
    sources:
      - |
        (attribute object: (identifier) @r (#eq? @r "request")) @source
    sinks:
      - |
        (call function: (attribute attribute: (identifier) @m) arguments: (argument_list . (_) @sink)
          (#eq? @m "execute")) @match
"#;

    /// The lines of `t.sql` findings in `code`.
    fn lines(language: Language, code: &str) -> Vec<u32> {
        let rules = parse_file("t.yaml", RULE, Depth::Thorough).unwrap();
        let mut analyzer = Analyzer::new(rules);
        let parsed = analyzer
            .analyze(language, code.as_bytes(), Duration::from_secs(10))
            .unwrap();
        parsed
            .analysis
            .findings
            .iter()
            .filter(|f| f.rule_id == "t.sql")
            .map(|f| f.span.start.line)
            .collect()
    }

    #[test]
    fn rules_without_sources_sinks_or_captures_are_refused() {
        let no_sink = RULE.replace("@sink", "@arg");
        let err = parse_file("t.yaml", &no_sink, Depth::Usable).unwrap_err();
        assert!(err.to_string().contains("needs a @sink capture"), "{err}");
        let two = RULE.replace(
            "(attribute object: (identifier) @r (#eq? @r \"request\")) @source",
            "(attribute) @source (call) @source",
        );
        let err = parse_file("t.yaml", &two, Depth::Usable).unwrap_err();
        assert!(
            err.to_string().contains("one pattern per list entry"),
            "{err}"
        );
        let bad = RULE.replace("(attribute object:", "(attribute objet:");
        let err = parse_file("t.yaml", &bad, Depth::Usable).unwrap_err();
        assert!(err.to_string().contains("does not compile"), "{err}");
    }

    #[test]
    fn a_value_tainted_late_in_a_loop_reaches_a_sink_early_in_it() {
        let code = "def f(cur):\n    q = 'x'\n    for i in range(3):\n        cur.execute(q)\n        q = request.args['a']\n";
        assert_eq!(lines(Language::Python, code), [4]);
        let clean = "def f(cur):\n    q = 'x'\n    for i in range(3):\n        cur.execute(q)\n        q = 'y'\n";
        assert!(lines(Language::Python, clean).is_empty());
    }

    #[test]
    fn switch_arms_join_and_dead_arms_do_not_count() {
        let code = "def f(cur, kind):\n    q = 'a'\n    match kind:\n        case 1:\n            q = request.args['x']\n        case 2:\n            q = 'b'\n    cur.execute(q)\n";
        assert_eq!(lines(Language::Python, code), [8]);
        let safe = code.replace("request.args['x']", "'c'");
        assert!(lines(Language::Python, &safe).is_empty());
        let dead = "def f(cur):\n    x = request.args['a']\n    if 1 == 2:\n        cur.execute(x)\n    while False:\n        pass\n";
        assert!(lines(Language::Python, dead).is_empty());
    }

    #[test]
    fn a_propagator_into_the_expression_around_its_value_taints_that_expression() {
        let rule = RULE.replace(
            "    sinks:",
            "    propagators:\n      - |\n        (call function: (identifier) @f arguments: (argument_list (_) @from) (#eq? @f \"hexlify\")) @to\n    sinks:",
        );
        let rules = parse_file("t.yaml", &rule, Depth::Thorough).unwrap();
        let mut analyzer = Analyzer::new(rules);
        let code = "def f(cur):\n    q = hexlify(request.args['a'])\n    cur.execute(q)\n    cur.execute(hexlify('x'))\n    cur.execute(unhex(request.args['b']))\n";
        let parsed = analyzer
            .analyze(Language::Python, code.as_bytes(), Duration::from_secs(10))
            .unwrap();
        let found: Vec<u32> = parsed
            .analysis
            .findings
            .iter()
            .map(|f| f.span.start.line)
            .collect();
        assert_eq!(found, [3]);
    }

    #[test]
    fn mutual_recursion_converges_and_keeps_the_flow() {
        let code = "def a(v, n):\n    return b(v, n) if n else v\n\ndef b(v, n):\n    return a(v, n - 1)\n\ndef view(cur):\n    cur.execute(a(request.args['q'], 5))\n";
        assert_eq!(lines(Language::Python, code), [8]);
    }

    const JS_RULE: &str = r#"
rules:
  - id: t.js
    mode: taint
    message: request data reaches db.query
    severity: high
    confidence: high
    cwe: CWE-89
    owasp: A03:2021-Injection
    languages: [javascript]
    sources:
      - |
        (member_expression object: (identifier) @r property: (property_identifier) @p
          (#eq? @r "req") (#eq? @p "query")) @source
      - |
        (formal_parameters . (_ (shorthand_property_identifier_pattern) @source) (#eq? @source "query"))
      - |
        (variable_declarator name: (object_pattern (shorthand_property_identifier_pattern) @source)
          value: (identifier) @r (#eq? @r "req") (#eq? @source "query"))
    sinks:
      - |
        (call_expression function: (member_expression object: (identifier) @o property: (property_identifier) @m)
          arguments: (arguments . (_) @sink) (#eq? @o "db") (#eq? @m "query")) @match
"#;

    fn js_lines(code: &str) -> Vec<u32> {
        let rules = parse_file("t.yaml", JS_RULE, Depth::Thorough).unwrap();
        let mut analyzer = Analyzer::new(rules);
        let parsed = analyzer
            .analyze(
                Language::Javascript,
                code.as_bytes(),
                Duration::from_secs(10),
            )
            .unwrap();
        let mut lines: Vec<u32> = parsed
            .analysis
            .findings
            .iter()
            .map(|f| f.span.start.line)
            .collect();
        lines.sort();
        lines
    }

    #[test]
    fn object_keys_written_bare_or_shorthand_stay_apart() {
        let code = "function h(req) {\n  const x = req.query.x;\n  const m = { a: x, b: \"1\", x };\n  db.query(m.a);\n  db.query(m.b);\n  db.query(m.x);\n}\n";
        assert_eq!(js_lines(code), [4, 6]);
    }

    #[test]
    fn destructured_names_carry_the_value_and_can_be_sources() {
        let one = "function h(req) {\n  const { id } = req.query;\n  db.query(id);\n}\n";
        assert_eq!(js_lines(one), [3]);
        let param = "const h = ({ query }, res) => {\n  db.query(query.id);\n};\n";
        assert_eq!(js_lines(param), [2]);
        let decl = "function h(req) {\n  const { query, app } = req;\n  db.query(app.name);\n  db.query(query.id);\n}\n";
        assert_eq!(js_lines(decl), [4]);
    }
}
