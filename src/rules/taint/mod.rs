//! Taint rules: findings for untrusted values that reach a dangerous sink, with the path they
//! took.
//!
//! A taint rule names its `sources`, `sinks`, `sanitizers` and `propagators` as tree-sitter
//! query patterns (captures `@source`, `@sink`, `@sanitized`, `@from`/`@to`). In a file that
//! contains the words of some source and some sink (the prefilter), the worker runs the
//! rule's patterns once over the tree, then follows values through every function of the
//! file ([`interp`]): assignments, branches, loops, collections, fields, and calls of the
//! file's own functions through per-function summaries computed in a few rounds (so mutual
//! recursion converges within a bound). Files without those words cost one word search.

pub mod grammar;
pub mod interp;
pub mod value;

use std::cell::OnceCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use tree_sitter::{Node, Query, QueryCursor, StreamingIterator, Tree};

use super::engine::{Halt, finding, pattern_words_for};
use super::prefilter::{FileGate, Prefilter};
use super::{Rule, query_shape};
use crate::analysis::{Finding, FlowStep, FlowStepKind, Incomplete};
use crate::deadline::Deadline;
use crate::lang::Language;
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
enum PatternRole {
    Source,
    Sink,
    Sanitizer,
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

/// The patterns of a spec, with their roles.
fn patterns(spec: &TaintSpec) -> Vec<(PatternRole, &str)> {
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
pub fn validate(rule: &Rule, spec: &TaintSpec, lang: Language) -> Result<(), String> {
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
    let _ = rule;
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

/// One pattern, as a worker compiles it.
struct Unit {
    role: PatternRole,
    /// The pattern with parent nodes loosened to wildcards (their kinds checked on matches).
    text: String,
}

/// A rule's patterns compiled into one query.
struct Compiled {
    query: Query,
    /// Role of each pattern.
    roles: Vec<PatternRole>,
    /// For each capture index: the kinds a `@__kind.<name>` capture must have.
    kind_checks: Vec<Option<Vec<u16>>>,
    /// Capture indexes of the role captures and `@match`.
    source: Option<u32>,
    sink: Option<u32>,
    sanitized: Option<u32>,
    from: Option<u32>,
    to: Option<u32>,
    at: Option<u32>,
}

/// One taint rule compiled for a language.
struct TaintRule {
    rule: Rule,
    units: Vec<Unit>,
    /// Indexes into the prefilter of the rule's source and sink patterns.
    sources: Vec<usize>,
    sinks: Vec<usize>,
    compiled: OnceCell<Result<Compiled, String>>,
}

/// The taint rules of one language.
pub struct TaintRules {
    grammar: tree_sitter::Language,
    rules: Vec<TaintRule>,
    prefilter: Prefilter,
}

impl TaintRules {
    /// The taint rules of `rules` that apply to `lang`.
    pub fn build(rules: &[Rule], lang: Language) -> Result<TaintRules, String> {
        let grammar = lang.grammar();
        let mut out = Vec::new();
        let mut needs = Vec::new();
        for rule in rules.iter().filter(|r| r.languages.contains(&lang)) {
            let Some(spec) = &rule.taint else { continue };
            let mut units = Vec::new();
            let (mut sources, mut sinks) = (Vec::new(), Vec::new());
            for (role, text) in patterns(spec) {
                match role {
                    PatternRole::Source => sources.push(needs.len()),
                    PatternRole::Sink => sinks.push(needs.len()),
                    _ => {}
                }
                if matches!(role, PatternRole::Source | PatternRole::Sink) {
                    needs.push(pattern_words_for(text, &Default::default()));
                }
                units.push(Unit {
                    role,
                    text: query_shape::loosen(text).unwrap_or_else(|| text.to_string()),
                });
            }
            out.push(TaintRule {
                rule: rule.clone(),
                units,
                sources,
                sinks,
                compiled: OnceCell::new(),
            });
        }
        Ok(TaintRules {
            grammar,
            rules: out,
            prefilter: Prefilter::new(&needs),
        })
    }

    /// Whether the language has any taint rule.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Runs every taint rule whose sources and sinks may both occur in the file.
    pub fn run(
        &self,
        tree: &Tree,
        source: &[u8],
        kinds: &KindTable,
        cursor: &mut QueryCursor,
        deadline: Deadline,
        findings: &mut Vec<Finding>,
        partial: &mut Vec<Incomplete>,
    ) -> Result<(), Halt> {
        if self.rules.is_empty() {
            return Ok(());
        }
        let Some(dataflow) = kinds.dataflow.as_deref() else {
            return Ok(());
        };
        let gate = self.prefilter.scan(source);
        let wanted: Vec<&TaintRule> = self
            .rules
            .iter()
            .filter(|r| gate_has(&gate, &r.sources) && gate_has(&gate, &r.sinks))
            .collect();
        if wanted.is_empty() {
            return Ok(());
        }
        let root = tree.root_node();
        let functions = functions(root, source, kinds);
        for rule in wanted {
            let compiled = rule
                .compiled
                .get_or_init(|| compile(&self.grammar, &rule.units))
                .as_ref()
                .map_err(|e| Halt::BadRule(rule.rule.id.clone(), e.clone()))?;
            let marks = mark(compiled, root, source, cursor, deadline)
                .ok_or_else(|| Halt::Overrun(rule.rule.id.clone()))?;
            if marks.sources.is_empty() || marks.sinks.is_empty() {
                continue;
            }
            follow(
                &rule.rule, dataflow, kinds, &marks, &functions, root, source, deadline, findings,
                partial,
            )?;
        }
        Ok(())
    }
}

fn gate_has(gate: &FileGate, units: &[usize]) -> bool {
    units.iter().any(|&u| gate.in_file(u))
}

/// Compiles a rule's patterns into one query.
fn compile(grammar: &tree_sitter::Language, units: &[Unit]) -> Result<Compiled, String> {
    let text: String = units.iter().map(|u| format!("{}\n", u.text)).collect();
    let query = Query::new(grammar, &text).map_err(|e| format!("query does not compile: {e}"))?;
    if query.pattern_count() != units.len() {
        return Err(format!(
            "{} patterns compiled from {} list entries",
            query.pattern_count(),
            units.len()
        ));
    }
    let kind_checks = query
        .capture_names()
        .iter()
        .map(|name| {
            name.strip_prefix(query_shape::KIND_CAPTURE).map(|kind| {
                (0..grammar.node_kind_count() as u16)
                    .filter(|&id| {
                        grammar.node_kind_for_id(id) == Some(kind) && grammar.node_kind_is_named(id)
                    })
                    .collect()
            })
        })
        .collect();
    let idx = |n: &str| query.capture_index_for_name(n);
    Ok(Compiled {
        roles: units.iter().map(|u| u.role).collect(),
        kind_checks,
        source: idx("source"),
        sink: idx("sink"),
        sanitized: idx("sanitized"),
        from: idx("from"),
        to: idx("to"),
        at: idx("match"),
        query,
    })
}

/// Runs the rule's query over the file; `None` when the deadline passes.
fn mark<'t>(
    c: &Compiled,
    root: Node<'t>,
    source: &[u8],
    cursor: &mut QueryCursor,
    deadline: Deadline,
) -> Option<Marks<'t>> {
    let mut overran = false;
    let mut progress = |_: &tree_sitter::QueryCursorState| {
        if deadline.passed() {
            overran = true;
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    };
    // The pattern engine pins matches to the node it runs on; here the query runs once over
    // the whole tree.
    cursor.set_max_start_depth(None);
    let mut marks = Marks::default();
    {
        let mut matches = cursor.matches_with_options(
            &c.query,
            root,
            source,
            tree_sitter::QueryCursorOptions::new().progress_callback(&mut progress),
        );
        while let Some(m) = matches.next() {
            let holds = m.captures().iter().all(|cap| {
                c.kind_checks[cap.index as usize]
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&cap.node.kind_id()))
            });
            if !holds {
                continue;
            }
            let get = |i: Option<u32>| {
                i.and_then(|i| m.captures().iter().find(|cap| cap.index == i))
                    .map(|cap| cap.node)
            };
            match c.roles[m.pattern_index] {
                PatternRole::Source => {
                    if let Some(n) = get(c.source) {
                        marks.sources.insert(n.id());
                    }
                }
                PatternRole::Sink => {
                    if let Some(n) = get(c.sink) {
                        marks.sinks.insert(n.id(), get(c.at).unwrap_or(n));
                    }
                }
                PatternRole::Sanitizer => {
                    if let Some(n) = get(c.sanitized) {
                        marks.sanitized.insert(n.id());
                    }
                }
                PatternRole::Propagator => {
                    if let (Some(f), Some(t)) = (get(c.from), get(c.to)) {
                        marks.propagate.entry(f.id()).or_default().push(t);
                    }
                }
            }
        }
    }
    cursor.set_max_start_depth(Some(0));
    (!overran).then_some(marks)
}

/// The functions of the file, in source order (iterative walk).
fn functions<'t>(root: Node<'t>, source: &[u8], kinds: &KindTable) -> Vec<Function<'t>> {
    let mut out = Vec::new();
    // (node, enclosing class id, parent)
    let mut stack: Vec<(Node<'t>, Option<usize>, Option<Node<'t>>)> = vec![(root, None, None)];
    while let Some((n, class, parent)) = stack.pop() {
        let flags = kinds.get(n.kind_id());
        let mut class_here = class;
        if flags & kinds::CLASS != 0 {
            class_here = Some(n.id());
        }
        if flags & kinds::FUNCTION != 0 {
            out.push(Function {
                node: n,
                name: crate::worker::analyze::name_of(n, parent, source),
                params: params(n, source, kinds),
                class,
            });
            // A nested function's own fields belong to no class.
            class_here = None;
        }
        let mut c = n.walk();
        let kids: Vec<Node<'t>> = n.named_children(&mut c).collect();
        for k in kids.into_iter().rev() {
            stack.push((k, class_here, Some(n)));
        }
    }
    out
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
    let mut summaries = vec![Summary::default(); analysed];
    let mut fields: HashMap<(usize, String), Val> = HashMap::new();
    let mut hits = Vec::new();
    let mut partial_fns: Vec<(usize, &'static str)> = Vec::new();
    for round in 0..SUMMARY_ROUNDS {
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
        let mut next = Vec::with_capacity(analysed);
        let mut next_fields: HashMap<(usize, String), Val> = HashMap::new();
        let last = round + 1 == SUMMARY_ROUNDS;
        let mut round_hits = Vec::new();
        partial_fns.clear();
        for i in 0..analysed {
            let out = interp::analyse(&cx, Some(i), root);
            if out.timed_out {
                return Err(Halt::Overrun(rule.id.clone()));
            }
            if let Some(why) = out.partial {
                partial_fns.push((i, why));
            }
            if let Some(class) = functions[i].class {
                for (field, v) in out.fields {
                    let slot = next_fields.entry((class, field)).or_default();
                    *slot = Val::join(slot, &v);
                }
            }
            round_hits.extend(out.hits);
            next.push(out.summary);
        }
        // The module level may call the file's functions too.
        let top = interp::analyse(&cx, None, root);
        round_hits.extend(top.hits);
        let stable = next.iter().zip(&summaries).all(|(a, b)| a.same(b))
            && same_fields(&next_fields, &fields);
        summaries = next;
        fields = next_fields;
        hits = round_hits;
        if stable || last {
            break;
        }
    }
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
