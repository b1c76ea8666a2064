//! Rules compiled for one language and evaluated on a syntax tree.
//!
//! Each rule's query runs only on nodes of its patterns' root kinds, found by the worker's one
//! cursor walk (with the query cursor's start depth pinned to 0), and there only when the
//! prefilter finds the words the patterns need inside the node, so the whole pack costs a
//! fraction of a second traversal. Constraints are checked on each match: regular expressions
//! on captured text, literal / not literal (following an identifier to its last assignment in
//! the same function), and the kinds of the match's ancestors.

use std::cell::Cell;
use std::time::{Duration, Instant};

use regex::Regex;
use sha2::{Digest, Sha256};
use tree_sitter::{Node, Query, QueryCursor, StreamingIterator};

use super::prefilter::{FileGate, Prefilter, WordSet};
use super::query_shape::{self, TextPredicate};
use super::taint::PatternRole;
use super::{Rule, literals};
use crate::analysis::{Finding, Span};
use crate::lang::Language;
use crate::worker::kinds::{self, KindTable};

/// Longest snippet kept for a finding.
const MAX_SNIPPET: usize = 200;
/// How many assignments a literal check follows (`a = b; b = c; …`) before giving up.
const MAX_ASSIGNMENT_HOPS: usize = 4;
/// Nodes a search for an assignment may visit; past it the value counts as unknown (not a
/// literal). Keeps hostile files (thousands of matches in one huge function) linear.
const MAX_ASSIGNMENT_SCAN: usize = 100_000;
/// Ancestors examined for `inside` / `not_inside`, nearest first: deep enough for real code,
/// and a bound on the work per match in hostile nesting.
const MAX_ANCESTORS: usize = 256;

/// One capture constraint, compiled.
struct CaptureCheck {
    /// The capture's name (its index differs between the queries a rule's patterns are
    /// compiled into).
    capture: String,
    literal: Option<bool>,
    regex: Option<LazyRegex>,
    not_regex: Option<LazyRegex>,
    /// Another capture whose text this one's must not restate.
    differs_from: Option<String>,
}

/// A constraint's regex, compiled at its first use: building every regex of a pack (Unicode
/// case folding above all) costs a worker more than parsing the few files of a pre-commit scan.
struct LazyRegex {
    source: String,
    compiled: std::cell::OnceCell<Result<Regex, String>>,
}

impl LazyRegex {
    /// Checks the syntax now (cheap); what only a full compile finds (an unknown Unicode
    /// class, a size limit) surfaces at first use. Rules are validated with [`validate`]
    /// before they reach a worker, so that is for input no validation has seen.
    fn new(source: &str) -> Result<LazyRegex, String> {
        regex_syntax::ast::parse::Parser::new()
            .parse(source)
            .map_err(|e| format!("bad regex: {e}"))?;
        Ok(LazyRegex {
            source: source.to_string(),
            compiled: std::cell::OnceCell::new(),
        })
    }

    fn is_match(&self, text: &str) -> Result<bool, String> {
        match self
            .compiled
            .get_or_init(|| Regex::new(&self.source).map_err(|e| format!("bad regex: {e}")))
        {
            Ok(re) => Ok(re.is_match(text)),
            Err(e) => Err(e.clone()),
        }
    }
}

/// How much [`validate`] checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// Everything a worker needs: the patterns compile as workers compile them (parents
    /// loosened, [`query_shape::loosen`]), captures, regexes, kinds. Fast: what a scan does.
    Usable,
    /// Also compiles the patterns as written, so tree-sitter's analysis of the grammar rejects
    /// patterns that can never match (`astscan rules test` and `rules list`).
    Thorough,
}

/// Checks that `rule` compiles for `lang`: the query, its pattern roots, constraint captures
/// and regexes, and inside/not_inside kinds. The error says what is wrong, in words. (Workers
/// compile the patterns a file needs, in [`LanguageRules::prepare`].)
pub fn validate(rule: &Rule, lang: Language, depth: Depth) -> Result<(), String> {
    let grammar = lang.grammar();
    let as_written =
        || Query::new(&grammar, &rule.query).map_err(|e| format!("query does not compile: {e}"));
    if rule
        .query
        .contains(&format!("@{}", query_shape::KIND_CAPTURE))
    {
        return Err(format!(
            "capture names starting with @{} are reserved",
            query_shape::KIND_CAPTURE
        ));
    }
    let loose = query_shape::loosen(&rule.query);
    let query = match &loose {
        Some(loose) if depth == Depth::Usable => match Query::new(&grammar, loose) {
            Ok(query) => query,
            // Report the error where the rule's author wrote it.
            Err(e) => {
                as_written()?;
                return Err(format!(
                    "query does not compile with wildcard parents (please report it): {e}"
                ));
            }
        },
        _ => as_written()?,
    };
    // Patterns' roots, as written; workers compile each pattern on its own, so the reader
    // that splits them must see as many as tree-sitter.
    let roots: Vec<usize> = match query_shape::split(&rule.query) {
        Some(parts) if parts.len() != query.pattern_count() => {
            return Err(format!(
                "query has {} patterns, but astscan reads {} (please report this query)",
                query.pattern_count(),
                parts.len()
            ));
        }
        Some(parts) => parts.into_iter().map(|p| p.start).collect(),
        // Not loosened either ([`query_shape::loosen`] reads only what `split` reads).
        None => (0..query.pattern_count())
            .map(|i| query.start_byte_for_pattern(i))
            .collect(),
    };
    for start in roots {
        kinds::pattern_root(&rule.query, start).ok_or(
            "every query pattern must start with a named node, e.g. (call_expression ...)",
        )?;
    }
    if let (Some(loose), Depth::Thorough) = (&loose, depth) {
        Query::new(&grammar, loose).map_err(|e| {
            format!("query does not compile with wildcard parents (please report it): {e}")
        })?;
    }
    for (name, c) in &rule.constraints {
        query.capture_index_for_name(name).ok_or_else(|| {
            format!("constraint on @{name}, but the query has no capture @{name}")
        })?;
        for re in [&c.regex, &c.not_regex].into_iter().flatten() {
            Regex::new(re).map_err(|e| format!("constraint on @{name}: bad regex: {e}"))?;
        }
        if let Some(other) = &c.differs_from
            && query.capture_index_for_name(other).is_none()
        {
            return Err(format!(
                "constraint on @{name}: differs_from names @{other}, but the query has no capture @{other}"
            ));
        }
    }
    for name in rule.inside.iter().chain(&rule.not_inside) {
        let known = (0..grammar.node_kind_count() as u16)
            .any(|id| grammar.node_kind_for_id(id) == Some(name) && grammar.node_kind_is_named(id));
        if !known {
            return Err(format!("unknown node kind {name:?} in inside/not_inside"));
        }
    }
    Ok(())
}

/// What evaluating one rule needs besides its patterns' queries.
struct RuleMeta {
    rule: Rule,
    checks: Vec<CaptureCheck>,
    inside: Vec<u16>,
    not_inside: Vec<u16>,
}

/// One pattern (or, for a query this reader cannot split, a rule's whole query): the unit
/// that is compiled on demand and gated by the prefilter.
struct Unit {
    /// Index into [`LanguageRules::rules`].
    rule: usize,
    /// The query text to compile: the pattern with its parent nodes loosened to wildcards
    /// ([`query_shape::loosen`]), whose kinds [`Group::kind_checks`] restores.
    text: String,
    /// The pattern as written, for a taint pattern (to share it between rules).
    source_text: String,
    /// Root node kind ids.
    roots: Vec<u16>,
    /// For a pattern of taint rules: each rule's index among the language's taint rules and
    /// the pattern's role there (rules share their common source lists). Its matches go to
    /// the taint analysis instead of becoming findings.
    taint: Vec<(usize, PatternRole)>,
    /// For each word set the prefilter gates the pattern on, the field ids that lead from
    /// the root to the child holding the word, when the pattern says (see
    /// [`FileGate::in_node`]).
    set_fields: Vec<Option<Vec<std::num::NonZeroU16>>>,
}

/// A match of a taint rule's pattern, found during the walk: the captures the taint analysis
/// needs.
#[derive(Clone, Copy, Debug)]
pub struct TaintMatch<'t> {
    /// The rule's index among the language's taint rules.
    pub rule: usize,
    /// What the pattern is for.
    pub role: PatternRole,
    /// `@source`, `@sink`, `@sanitized`, `@from`, `@to` and `@match`, where bound.
    pub source: Option<Node<'t>>,
    /// See [`TaintMatch::source`].
    pub sink: Option<Node<'t>>,
    /// See [`TaintMatch::source`].
    pub sanitized: Option<Node<'t>>,
    /// See [`TaintMatch::source`].
    pub from: Option<Node<'t>>,
    /// See [`TaintMatch::source`].
    pub to: Option<Node<'t>>,
    /// See [`TaintMatch::source`].
    pub at: Option<Node<'t>>,
}

/// One compiled query and the units its patterns belong to.
struct Group {
    query: Query,
    /// Index into [`LanguageRules::units`] of each pattern.
    pattern_unit: Vec<usize>,
    match_capture: Option<u32>,
    /// For each capture index: the node kinds a `@__kind.<name>` capture must have.
    kind_checks: Vec<Option<Vec<u16>>>,
    /// Time spent compiling `query`.
    compile: Duration,
    /// Time spent running `query` and checking its matches, and the findings it produced.
    spent: Cell<Duration>,
    found: Cell<u64>,
}

/// All rules of one language, compiled on demand. Tree-sitter's query compilation costs
/// milliseconds per pattern (tens for Ruby), more than parsing most files, so a worker
/// compiles a pattern only once some file contains the words it needs, a few at a time into
/// one query each, and after [`MAX_LAZY_GROUPS`] such queries the whole rest at once. Each
/// query runs at a node only if one of its patterns may match there. With timing on, each
/// rule gets a query of its own, compiled up front, so its cost can be measured.
pub struct LanguageRules {
    grammar: tree_sitter::Language,
    units: Vec<Unit>,
    /// The group holding each unit, once compiled.
    unit_group: Vec<Option<usize>>,
    groups: Vec<Group>,
    rules: Vec<RuleMeta>,
    /// For each node kind id, the units rooted there.
    by_kind: Vec<Vec<usize>>,
    /// For each taint rule (by its index among the language's taint rules), the units of its
    /// sources and of its sinks.
    taint_units: Vec<[Vec<usize>; 2]>,
    /// Units that are only sanitizers or propagators: they run in the second pass.
    deferred: Vec<bool>,
    prefilter: Prefilter,
    /// Whether costs are measured per rule.
    timing: bool,
    /// Whether the compile times were already handed out by [`LanguageRules::take_times`].
    compile_reported: Cell<bool>,
}

/// Queries compiled for the needs of single files before the rest of the pack is compiled
/// in one: bounds the number of queries a node may have to run, and the per-query overhead.
const MAX_LAZY_GROUPS: usize = 4;

/// What one rule cost in one worker since the last report.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RuleTime {
    /// The rule's id.
    pub rule_id: String,
    /// Microseconds spent compiling its query (reported once per worker and language).
    pub compile_us: u64,
    /// Microseconds spent running its query and checking constraints.
    pub match_us: u64,
    /// Findings it produced (before suppressions and de-duplication).
    pub findings: u64,
}

impl LanguageRules {
    /// Prepares the rules that apply to `lang` and marks their root kinds in `kinds`; with
    /// `timing`, compiles one query per rule now.
    pub fn build(
        rules: &[Rule],
        lang: Language,
        kinds: &mut KindTable,
        timing: bool,
    ) -> Result<LanguageRules, String> {
        let grammar = lang.grammar();
        let applicable: Vec<&Rule> = rules
            .iter()
            .filter(|r| r.languages.contains(&lang))
            .collect();
        let mut taint_index = 0usize;
        let kind_ids = |name: &str| named_kind_ids(&grammar, name);
        let mut units: Vec<Unit> = Vec::new();
        let mut needs = Vec::new();
        let mut metas = Vec::with_capacity(applicable.len());
        let mut groups = Vec::new();
        let mut unit_group = Vec::new();
        let mut taint_units: Vec<[Vec<usize>; 2]> = Vec::new();
        for (r, rule) in applicable.iter().enumerate() {
            let bad = |m: String| format!("rule {}: {m}", rule.id);
            let first_unit = units.len();
            if let Some(spec) = &rule.taint {
                // Sources and sinks run during the walk. Sanitizers and propagators matter only
                // in a file where the rule found both, and many have no word for the prefilter
                // (`"https://host/" + path`), so they run in a second pass over those files
                // alone ([`LanguageRules::deferred_gate`]); they are compiled like every other
                // pattern (loosened, into the pack's few queries): a query of their own per
                // rule, as written, cost a worker more to compile than most files take to parse.
                let mut own: [Vec<usize>; 2] = Default::default();
                for (role, text) in super::taint::patterns(spec) {
                    let side = match role {
                        PatternRole::Source => Some(0),
                        PatternRole::Sink => Some(1),
                        PatternRole::Sanitizer | PatternRole::Propagator => None,
                    };
                    let u = match units
                        .iter()
                        .position(|u| !u.taint.is_empty() && u.source_text == text)
                    {
                        Some(u) => {
                            units[u].taint.push((taint_index, role));
                            u
                        }
                        None => {
                            let mut unit = pattern_unit(&grammar, kinds, r, text.trim_start())
                                .map_err(&bad)?;
                            unit.source_text = text.to_string();
                            unit.taint = vec![(taint_index, role)];
                            units.push(unit);
                            needs.push(pattern_words_for(text, &Default::default()));
                            units.len() - 1
                        }
                    };
                    if let Some(side) = side {
                        own[side].push(u);
                    }
                }
                taint_units.push(own);
                taint_index += 1;
            } else {
                match query_shape::split(&rule.query) {
                    Some(patterns) if !patterns.is_empty() => {
                        for range in patterns {
                            let text = &rule.query[range];
                            units.push(pattern_unit(&grammar, kinds, r, text).map_err(&bad)?);
                            needs.push(pattern_words(text, rule));
                        }
                    }
                    _ => {
                        // A query this reader does not follow: compile it now, as one unit that
                        // always runs, and take its roots from tree-sitter.
                        let query = Query::new(&grammar, &rule.query)
                            .map_err(|e| bad(format!("query does not compile: {e}")))?;
                        let mut roots = Vec::new();
                        for p in 0..query.pattern_count() {
                            let root =
                                kinds::pattern_root(&rule.query, query.start_byte_for_pattern(p))
                                    .ok_or_else(|| {
                                    bad("every query pattern must start with a named node".into())
                                })?;
                            kinds.add_named(&grammar, root, kinds::RULE_ROOT);
                            roots.extend(kind_ids(root));
                        }
                        units.push(Unit {
                            rule: r,
                            text: query_shape::loosen(&rule.query)
                                .unwrap_or_else(|| rule.query.clone()),
                            source_text: String::new(),
                            roots,
                            taint: Vec::new(),
                            set_fields: Vec::new(),
                        });
                        needs.push(Vec::new());
                    }
                }
            }
            unit_group.resize(units.len(), None);
            if timing {
                let batch: Vec<usize> = (first_unit..units.len()).collect();
                let group = compile_group(&grammar, &units, &batch, &applicable)?;
                for &u in &batch {
                    unit_group[u] = Some(groups.len());
                }
                groups.push(group);
            }
            let mut checks = Vec::new();
            for (name, c) in &rule.constraints {
                let compile = |re: &Option<String>| {
                    re.as_deref().map(LazyRegex::new).transpose().map_err(&bad)
                };
                checks.push(CaptureCheck {
                    capture: name.clone(),
                    literal: c.literal,
                    regex: compile(&c.regex)?,
                    not_regex: compile(&c.not_regex)?,
                    differs_from: c.differs_from.clone(),
                });
            }
            let inside_ids = |names: &[String]| -> Result<Vec<u16>, String> {
                let mut ids = Vec::new();
                for name in names {
                    let found = kind_ids(name);
                    if found.is_empty() {
                        return Err(bad(format!(
                            "unknown node kind {name:?} in inside/not_inside"
                        )));
                    }
                    ids.extend(found);
                }
                Ok(ids)
            };
            metas.push(RuleMeta {
                rule: (*rule).clone(),
                checks,
                inside: inside_ids(&rule.inside)?,
                not_inside: inside_ids(&rule.not_inside)?,
            });
        }
        let mut by_kind = vec![Vec::new(); grammar.node_kind_count()];
        for (u, unit) in units.iter().enumerate() {
            for &root in &unit.roots {
                by_kind[root as usize].push(u);
            }
        }
        // A word the pattern places in a child by fields is looked for in that child: the
        // request sources (`req.query`, `request.get(...)`) would otherwise run at every call
        // whose text mentions `req` anywhere (a `describe(() => {...})` holds the whole file).
        for (unit, sets) in units.iter_mut().zip(&needs) {
            unit.set_fields = sets
                .iter()
                .take(super::prefilter::MAX_SETS_PER_PATTERN)
                .map(|set| {
                    set.path.as_ref().and_then(|path| {
                        path.iter().map(|f| grammar.field_id_for_name(f)).collect()
                    })
                })
                .collect();
        }
        let deferred = units
            .iter()
            .map(|u| {
                !u.taint.is_empty()
                    && u.taint.iter().all(|&(_, role)| {
                        matches!(role, PatternRole::Sanitizer | PatternRole::Propagator)
                    })
            })
            .collect();
        Ok(LanguageRules {
            grammar,
            units,
            unit_group,
            groups,
            rules: metas,
            by_kind,
            taint_units,
            deferred,
            prefilter: Prefilter::new(&needs),
            timing,
            compile_reported: Cell::new(false),
        })
    }

    /// Finds where `source` contains the words the patterns need (see [`Prefilter`]). A taint
    /// rule reports a flow only where it finds both a source and a sink, so in a file without
    /// the words of either its patterns do not run at all: the source patterns of web rules
    /// (`req`, `params`, `request`) would otherwise run in most files of a web project.
    pub fn gate(&self, source: &[u8]) -> FileGate {
        let mut gate = self.prefilter.scan(source);
        let live: Vec<bool> = self
            .taint_units
            .iter()
            .map(|sides| {
                sides
                    .iter()
                    .all(|side| side.iter().any(|&u| gate.in_file(u)))
            })
            .collect();
        for (u, unit) in self.units.iter().enumerate() {
            if self.deferred[u]
                || (!unit.taint.is_empty() && !unit.taint.iter().any(|&(rule, _)| live[rule]))
            {
                gate.switch_off(u);
            }
        }
        gate
    }

    /// The gate of the second pass over the file the walk gated with `walked`: the sanitizers
    /// and propagators of the taint rules that found both a source and a sink in the walk
    /// (`matches`), and nothing else; `None` when no rule did, so most files never take the
    /// second pass.
    pub fn deferred_gate(&self, walked: &FileGate, matches: &[TaintMatch<'_>]) -> Option<FileGate> {
        let mut found = vec![[false; 2]; self.taint_units.len()];
        for m in matches {
            match m.role {
                PatternRole::Source => found[m.rule][0] = true,
                PatternRole::Sink => found[m.rule][1] = true,
                PatternRole::Sanitizer | PatternRole::Propagator => {}
            }
        }
        let live: Vec<bool> = found.iter().map(|&[a, b]| a && b).collect();
        let wanted: Vec<bool> = self
            .units
            .iter()
            .zip(&self.deferred)
            .map(|(unit, &deferred)| deferred && unit.taint.iter().any(|&(rule, _)| live[rule]))
            .collect();
        if !wanted.contains(&true) {
            return None;
        }
        let mut gate = walked.all_on();
        for (u, _) in wanted.iter().enumerate().filter(|(_, w)| !**w) {
            gate.switch_off(u);
        }
        Some(gate)
    }

    /// The second pass: runs the patterns `gate` lets through ([`LanguageRules::deferred_gate`])
    /// at every node of the tree under `root` where one may start, adding their matches to
    /// `taint`. Patterns are compiled already ([`LanguageRules::prepare`] with `gate`).
    #[allow(clippy::too_many_arguments)]
    pub fn run_deferred<'t>(
        &self,
        gate: &FileGate,
        root: Node<'t>,
        source: &[u8],
        kinds: &KindTable,
        cursor: &mut QueryCursor,
        deadline: crate::deadline::Deadline,
        taint: &mut Vec<TaintMatch<'t>>,
    ) -> Result<(), Halt> {
        cursor.set_max_start_depth(Some(0));
        let mut none = Vec::new();
        let mut ancestors: Vec<Node<'t>> = Vec::new();
        let mut walk = root.walk();
        let mut visited = 0u32;
        loop {
            visited = visited.wrapping_add(1);
            if visited.is_multiple_of(4096) && deadline.passed() {
                let running = (0..self.units.len()).find(|&u| gate.in_file(u));
                return Err(Halt::Overrun(running.map_or_else(
                    || "the rule pack".to_string(),
                    |u| self.rules[self.units[u].rule].rule.id.clone(),
                )));
            }
            let node = walk.node();
            // Returns at once at a node no pattern starts at.
            self.run_at(
                gate, node, &ancestors, None, root, source, kinds, cursor, deadline, &mut none,
                taint,
            )?;
            if walk.goto_first_child() {
                ancestors.push(node);
                continue;
            }
            loop {
                if walk.goto_next_sibling() {
                    break;
                }
                if !walk.goto_parent() {
                    return Ok(());
                }
                ancestors.pop();
            }
        }
    }

    /// Compiles the patterns `gate`'s file may need that are not compiled yet; with `all`,
    /// every pattern (long-lived workers compile the whole pack once).
    pub fn prepare(&mut self, gate: &FileGate, all: bool) -> Result<(), String> {
        let mut wanted: Vec<usize> = (0..self.units.len())
            .filter(|&u| self.unit_group[u].is_none() && (all || gate.in_file(u)))
            .collect();
        if wanted.is_empty() {
            return Ok(());
        }
        if self.groups.len() + 1 >= MAX_LAZY_GROUPS {
            wanted = (0..self.units.len())
                .filter(|&u| self.unit_group[u].is_none())
                .collect();
        }
        // The walk and the second pass never share a query: tree-sitter tries every pattern
        // of a query at the nodes it runs on, wanted or not (loosened roots are wildcards),
        // and the second pass's patterns would be tried all over every file.
        // A long-lived worker (`all`) compiles the pack once, so it can afford a query per
        // root kind, which keeps the patterns tried at a node to those that can start there.
        let mut batches: std::collections::BTreeMap<(bool, &[u16]), Vec<usize>> =
            Default::default();
        for u in wanted {
            let roots: &[u16] = if all { &self.units[u].roots } else { &[] };
            batches
                .entry((self.deferred[u], roots))
                .or_default()
                .push(u);
        }
        let applicable: Vec<&Rule> = self.rules.iter().map(|m| &m.rule).collect();
        for batch in batches.into_values() {
            let group = compile_group(&self.grammar, &self.units, &batch, &applicable)?;
            for &u in &batch {
                self.unit_group[u] = Some(self.groups.len());
            }
            self.groups.push(group);
        }
        Ok(())
    }

    /// Per-rule costs since the last call (compile times only the first time), for
    /// `--time-rules`. Empty unless built with timing.
    pub fn take_times(&self) -> Vec<RuleTime> {
        if !self.timing {
            return Vec::new();
        }
        let first = !self.compile_reported.replace(true);
        let mut times = Vec::new();
        for group in &self.groups {
            let spent = group.spent.take();
            let found = group.found.take();
            let compile = if first { group.compile } else { Duration::ZERO };
            if spent.is_zero() && compile.is_zero() && found == 0 {
                continue;
            }
            let Some(&u) = group.pattern_unit.first() else {
                continue;
            };
            times.push(RuleTime {
                rule_id: self.rules[self.units[u].rule].rule.id.clone(),
                compile_us: compile.as_micros() as u64,
                match_us: spent.as_micros() as u64,
                findings: found,
            });
        }
        times
    }

    /// Runs the patterns rooted at `node`'s kind on it, adding findings to `out`, unless
    /// `gate` shows that none of them can match there. `ancestors` are the node's ancestors
    /// (outermost first); `function` the innermost enclosing function.
    #[allow(clippy::too_many_arguments)]
    pub fn run_at<'t>(
        &self,
        gate: &FileGate,
        node: Node<'t>,
        ancestors: &[Node<'t>],
        function: Option<Node<'t>>,
        root: Node<'t>,
        source: &[u8],
        kinds: &KindTable,
        cursor: &mut QueryCursor,
        deadline: crate::deadline::Deadline,
        out: &mut Vec<Finding>,
        taint: &mut Vec<TaintMatch<'t>>,
    ) -> Result<(), Halt> {
        let Some(units) = self.by_kind.get(node.kind_id() as usize) else {
            return Ok(());
        };
        // Usually one query, rarely two: a small list beats a set.
        let mut wanted: Vec<usize> = Vec::new();
        for &u in units {
            if let Some(g) = self.unit_group[u]
                && !wanted.contains(&g)
                && gate.in_file(u)
                && gate.in_node(u, node, &self.units[u].set_fields)
            {
                wanted.push(g);
            }
        }
        if wanted.is_empty() {
            return Ok(());
        }
        let at = Site {
            gate,
            node,
            ancestors,
            scope: function.unwrap_or(root),
            source,
            kinds,
        };
        for group in wanted.into_iter().map(|g| &self.groups[g]) {
            if !self.timing {
                self.run_group(group, &at, cursor, deadline, out, taint)?;
                continue;
            }
            let started = Instant::now();
            let before = out.len();
            let result = self.run_group(group, &at, cursor, deadline, out, taint);
            group.spent.set(group.spent.get() + started.elapsed());
            group
                .found
                .set(group.found.get() + (out.len() - before) as u64);
            result?;
        }
        Ok(())
    }

    /// Runs one group's query at `at.node`.
    fn run_group<'t>(
        &self,
        group: &Group,
        at: &Site<'_, 't>,
        cursor: &mut QueryCursor,
        deadline: crate::deadline::Deadline,
        out: &mut Vec<Finding>,
        taint: &mut Vec<TaintMatch<'t>>,
    ) -> Result<(), Halt> {
        let source = at.source;
        // A pattern that explodes on some input (sibling pairs in a huge block) must not
        // outlive the file's deadline.
        let overran = std::cell::Cell::new(false);
        let mut progress = deadline.progress(&overran);
        let mut matches = cursor.matches_with_options(
            &group.query,
            at.node,
            source,
            tree_sitter::QueryCursorOptions::new().progress_callback(&mut progress),
        );
        let names = group.query.capture_names();
        let mut seen = 0u32;
        let mut last_rule = None;
        while let Some(m) = matches.next() {
            let u = group.pattern_unit[m.pattern_index];
            if !at.gate.in_file(u) {
                continue;
            }
            let unit = &self.units[u];
            let r = unit.rule;
            last_rule = Some(r);
            seen += 1;
            if seen.is_multiple_of(256) && deadline.passed() {
                return Err(Halt::Overrun(self.rules[r].rule.id.clone()));
            }
            let meta = &self.rules[r];
            let kinds_hold = m.captures().iter().all(|c| {
                group.kind_checks[c.index as usize]
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&c.node.kind_id()))
            });
            if !kinds_hold || !ancestry_allows(meta, at.ancestors) {
                continue;
            }
            if !unit.taint.is_empty() {
                let get = |name: &str| {
                    m.captures()
                        .iter()
                        .find(|c| names[c.index as usize] == name)
                        .map(|c| c.node)
                };
                for &(rule, role) in &unit.taint {
                    taint.push(TaintMatch {
                        rule,
                        role,
                        source: get("source"),
                        sink: get("sink"),
                        sanitized: get("sanitized"),
                        from: get("from"),
                        to: get("to"),
                        at: get("match"),
                    });
                }
                continue;
            }
            let holds = |c: &tree_sitter::QueryCapture<'_>, check: &CaptureCheck| {
                let text = String::from_utf8_lossy(&source[c.node.byte_range()]);
                let matches = |re: &Option<LazyRegex>, want: bool| {
                    re.as_ref()
                        .map_or(Ok(true), |re| re.is_match(&text).map(|m| m == want))
                };
                let restates = check.differs_from.as_ref().is_some_and(|other| {
                    m.captures().iter().any(|o| {
                        names[o.index as usize] == other.as_str()
                            && same_words(
                                &text,
                                &String::from_utf8_lossy(&source[o.node.byte_range()]),
                            )
                    })
                });
                Ok::<bool, String>(
                    !restates
                        && matches(&check.regex, true)?
                        && matches(&check.not_regex, false)?
                        && check.literal.is_none_or(|want| {
                            is_literal(c.node, at.scope, source, at.kinds) == want
                        }),
                )
            };
            let mut ok = true;
            'checks: for check in &meta.checks {
                for c in m.captures() {
                    if names[c.index as usize] != check.capture {
                        continue;
                    }
                    let held = holds(c, check)
                        .map_err(|message| Halt::BadRule(meta.rule.id.clone(), message))?;
                    if !held {
                        ok = false;
                        break 'checks;
                    }
                }
            }
            if !ok {
                continue;
            }
            let found_at = group
                .match_capture
                .and_then(|mc| m.captures().iter().find(|c| c.index == mc))
                .map_or(at.node, |c| c.node);
            out.push(finding(&meta.rule, found_at, source));
        }
        drop(matches);
        if overran.get() {
            let who = last_rule.map_or_else(
                || "the rule pack".to_string(),
                |r| self.rules[r].rule.id.clone(),
            );
            return Err(Halt::Overrun(who));
        }
        Ok(())
    }
}

/// Where a query runs: the node and what constraints need to know about its surroundings.
struct Site<'a, 't> {
    /// Which patterns may match in the file: a group's query also holds patterns that are
    /// off for this file or pass, and their matches are dropped.
    gate: &'a FileGate,
    node: Node<'t>,
    ancestors: &'a [Node<'t>],
    /// Where literal checks look for assignments: the enclosing function, or the file.
    scope: Node<'t>,
    source: &'a [u8],
    kinds: &'a KindTable,
}

/// The unit of one pattern (`text` starts with it) of rule `r`: its root kinds, marked in
/// `kinds` as rule roots, and its loosened text.
fn pattern_unit(
    grammar: &tree_sitter::Language,
    kinds: &mut KindTable,
    r: usize,
    text: &str,
) -> Result<Unit, String> {
    let root = kinds::pattern_root(text, 0)
        .ok_or("every query pattern must start with a named node, e.g. (call_expression ...)")?;
    let roots = named_kind_ids(grammar, root);
    if roots.is_empty() {
        return Err(format!("unknown node kind {root:?}"));
    }
    kinds.add_named(grammar, root, kinds::RULE_ROOT);
    Ok(Unit {
        rule: r,
        text: query_shape::loosen(text).unwrap_or_else(|| text.to_string()),
        source_text: String::new(),
        roots,
        taint: Vec::new(),
        set_fields: Vec::new(),
    })
}

/// Compiles the units `batch` into one query. `rules` name the units' rules in errors.
fn compile_group(
    grammar: &tree_sitter::Language,
    units: &[Unit],
    batch: &[usize],
    rules: &[&Rule],
) -> Result<Group, String> {
    let mut source = String::new();
    let mut starts = Vec::with_capacity(batch.len());
    for &u in batch {
        starts.push(source.len());
        source.push_str(&units[u].text);
        source.push('\n');
    }
    let started = Instant::now();
    let query = Query::new(grammar, &source).map_err(|e| {
        let at = starts.partition_point(|&s| s <= e.offset).saturating_sub(1);
        let rule = batch
            .get(at)
            .map_or("?", |&u| rules[units[u].rule].id.as_str());
        format!("rule {rule}: query does not compile: {e}")
    })?;
    let compile = started.elapsed();
    let mut pattern_unit = Vec::with_capacity(query.pattern_count());
    for p in 0..query.pattern_count() {
        let at = query.start_byte_for_pattern(p);
        pattern_unit.push(batch[starts.partition_point(|&s| s <= at).saturating_sub(1)]);
    }
    let kind_checks = query
        .capture_names()
        .iter()
        .map(|name| {
            name.strip_prefix(query_shape::KIND_CAPTURE)
                .map(|kind| match query_shape::token_kinds(kind) {
                    Some(tokens) => tokens
                        .iter()
                        .flat_map(|t| kind_ids(grammar, t, false))
                        .collect(),
                    None => named_kind_ids(grammar, kind),
                })
        })
        .collect();
    Ok(Group {
        match_capture: query.capture_index_for_name("match"),
        kind_checks,
        query,
        pattern_unit,
        compile,
        spent: Cell::new(Duration::ZERO),
        found: Cell::new(0),
    })
}

/// The ids of the named node kinds called `name`.
fn named_kind_ids(grammar: &tree_sitter::Language, name: &str) -> Vec<u16> {
    kind_ids(grammar, name, true)
}

/// The ids of the node kinds called `name` that are named (or, with `named` false, anonymous:
/// tokens spelled `name`).
fn kind_ids(grammar: &tree_sitter::Language, name: &str, named: bool) -> Vec<u16> {
    (0..grammar.node_kind_count() as u16)
        .filter(|&id| {
            grammar.node_kind_for_id(id) == Some(name) && grammar.node_kind_is_named(id) == named
        })
        .collect()
}

/// The word sets a pattern's matches must contain (all of them, strongest first): from its
/// text predicates and from the rule's regex constraints, on captures every match binds.
fn pattern_words(text: &str, rule: &Rule) -> Vec<WordSet> {
    pattern_words_for(text, &rule.constraints)
}

/// [`pattern_words`] for a pattern with `constraints` on its captures.
pub(crate) fn pattern_words_for(
    text: &str,
    constraints: &std::collections::BTreeMap<String, super::Constraint>,
) -> Vec<WordSet> {
    let Some(shape) = query_shape::parse(text) else {
        return Vec::new();
    };
    let path = |capture: &str| shape.paths.get(capture).cloned().flatten();
    // A regex that spells out an identifier's whole text finds it as a whole word.
    let from_regex = |capture: &str, regex: &str| {
        shape
            .is_token(capture)
            .then(|| literals::whole(regex))
            .flatten()
            .map(WordSet::whole)
            .or_else(|| literals::required(regex).map(WordSet::anywhere))
            .map(|set| WordSet {
                path: path(capture),
                ..set
            })
    };
    let mut sets: Vec<WordSet> = Vec::new();
    for predicate in &shape.predicates {
        let (capture, words) = match predicate {
            TextPredicate::Eq(c, word) => (c, vec![word.clone()]),
            TextPredicate::AnyOf(c, words) => (c, words.clone()),
            TextPredicate::Match(c, regex) => {
                if shape.guaranteed.contains(c) {
                    sets.extend(from_regex(c, regex));
                }
                continue;
            }
        };
        if shape.guaranteed.contains(capture) {
            let whole = shape.is_token(capture);
            let words = if whole {
                literals::usable_whole(Some(words))
            } else {
                literals::usable(Some(words))
            };
            sets.extend(words.map(|words| WordSet {
                words,
                whole,
                path: path(capture),
            }));
        }
    }
    for (capture, constraint) in constraints {
        if shape.guaranteed.contains(capture)
            && let Some(regex) = constraint.regex.as_deref()
        {
            sets.extend(from_regex(capture, regex));
        }
    }
    sets.sort_by_key(|s| std::cmp::Reverse(s.strength()));
    sets.dedup();
    sets
}

/// Why rule evaluation stopped before the end of a file.
#[derive(Debug)]
pub enum Halt {
    /// A rule ran past the file's deadline; names the rule.
    Overrun(String),
    /// A rule cannot be evaluated (a regex that does not compile); names the rule and says why.
    BadRule(String, String),
}

/// Whether one text restates the other's name: compared by letters and digits without case
/// (quotes, `_`, `-`, `$` and sigils aside), equal, or one holding the other when that one
/// is a name of at least 6 characters (`SECRET_KEY_BASE = "action_dispatch.secret_key_base"`
/// is a configuration key, not a secret).
fn same_words(a: &str, b: &str) -> bool {
    let key = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let (a, b) = (key(a), key(b));
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    !short.is_empty() && (a == b || (short.len() >= 6 && long.contains(short.as_str())))
}

/// Checks `inside` / `not_inside` against the ancestors' kinds.
fn ancestry_allows(rule: &RuleMeta, ancestors: &[Node<'_>]) -> bool {
    let has = |ids: &[u16]| {
        ancestors
            .iter()
            .rev()
            .take(MAX_ANCESTORS)
            .any(|a| ids.contains(&a.kind_id()))
    };
    (rule.inside.is_empty() || has(&rule.inside)) && !has(&rule.not_inside)
}

/// Is `node` a literal value? Strings without interpolation, numbers, booleans and null are;
/// so are operators and parentheses over literals, and identifiers whose last assignment
/// before `node` in the same function is one. Iterative, with a bounded number of hops.
pub fn is_literal(node: Node<'_>, scope: Node<'_>, source: &[u8], kinds: &KindTable) -> bool {
    let mut pending = vec![(node, 0usize)];
    while let Some((n, hops)) = pending.pop() {
        let flags = kinds.get(n.kind_id());
        if flags & kinds::LITERAL != 0 {
            if contains_kind(n, kinds::INTERPOLATION, kinds) {
                return false;
            }
        } else if flags & kinds::COMPOUND != 0 {
            let mut c = n.walk();
            let children: Vec<Node<'_>> = n
                .named_children(&mut c)
                .filter(|k| !k.kind().contains("comment"))
                .collect();
            if children.is_empty() {
                return false;
            }
            pending.extend(children.into_iter().map(|k| (k, hops)));
        } else if flags & kinds::IDENTIFIER != 0 && hops < MAX_ASSIGNMENT_HOPS {
            match reaching_assignments(n, scope, source, kinds) {
                Some(values) => pending.extend(values.into_iter().map(|v| (v, hops + 1))),
                None => return false,
            }
        } else {
            return false;
        }
    }
    true
}

/// Whether `node` has a descendant (or is) of a kind with `flag`.
fn contains_kind(node: Node<'_>, flag: u16, kinds: &KindTable) -> bool {
    let mut cursor = node.walk();
    let mut depth = 0usize;
    loop {
        if kinds.get(cursor.node().kind_id()) & flag != 0 {
            return true;
        }
        if cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if depth == 0 {
                return false;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            cursor.goto_parent();
            depth -= 1;
        }
    }
}

/// The values of the assignments to `ident`'s name (within `scope`: a function, or the
/// whole file) that can reach `ident`: the last one before it, and, while that one sits in a
/// branch or loop that does not enclose the use (`if not x: x = ""`), the ones before it too.
/// `None` when there is none or the search runs out of budget.
fn reaching_assignments<'t>(
    ident: Node<'t>,
    scope: Node<'t>,
    source: &[u8],
    kinds: &KindTable,
) -> Option<Vec<Node<'t>>> {
    let name = &source[ident.byte_range()];
    // (assignment, value) in source order.
    let mut found: Vec<(Node<'t>, Node<'t>)> = Vec::new();
    let mut cursor = scope.walk();
    let mut depth = 0usize;
    let mut budget = MAX_ASSIGNMENT_SCAN;
    loop {
        let n = cursor.node();
        budget = budget.checked_sub(1)?;
        if n.start_byte() >= ident.start_byte() {
            // Everything from here on starts after the use.
        } else {
            if let Some(shape) = kinds.assignment(n.kind_id())
                && n.end_byte() <= ident.start_byte()
            {
                let target = n.child_by_field_name(&shape.target);
                let value = n.child_by_field_name(&shape.value);
                if let (Some(target), Some(value)) = (target, value)
                    && let Some(v) = assigned_value(target, value, name, source)
                {
                    found.push((n, v));
                }
            }
            if cursor.goto_first_child() {
                depth += 1;
                continue;
            }
        }
        loop {
            if depth == 0 {
                let mut reaching = Vec::new();
                for (assignment, value) in found.into_iter().rev() {
                    reaching.push(value);
                    if dominates(assignment, ident, scope, kinds) {
                        break;
                    }
                }
                return (!reaching.is_empty()).then_some(reaching);
            }
            if cursor.goto_next_sibling() {
                break;
            }
            cursor.goto_parent();
            depth -= 1;
        }
    }
}

/// Whether `assignment` runs on every path to `usage`: no branch or loop lies between it and
/// the innermost node enclosing both (early returns are not considered).
fn dominates(assignment: Node<'_>, usage: Node<'_>, scope: Node<'_>, kinds: &KindTable) -> bool {
    let mut at = assignment.parent();
    for _ in 0..MAX_ANCESTORS {
        let Some(a) = at else { return true };
        if a.start_byte() <= usage.start_byte() && a.end_byte() >= usage.end_byte() {
            return true;
        }
        if a.id() == scope.id() {
            return true;
        }
        if kinds.get(a.kind_id()) & (kinds::BRANCH | kinds::NESTING | kinds::ELSE) != 0 {
            return false;
        }
        at = a.parent();
    }
    false
}

/// The value `name` receives in `target = value`, pairing lists by position
/// (`a, b := x, y` in Go): `None` if `name` is not assigned here.
fn assigned_value<'t>(
    target: Node<'t>,
    value: Node<'t>,
    name: &[u8],
    source: &[u8],
) -> Option<Node<'t>> {
    if &source[target.byte_range()] == name {
        // `q := "…"` in Go: a one-element list on both sides.
        if value.named_child_count() == 1
            && target.named_child_count() == 1
            && target.kind() == value.kind()
        {
            return value.named_child(0);
        }
        return Some(value);
    }
    let targets = target.named_child_count();
    if targets > 1 && value.named_child_count() == targets {
        for i in 0..targets {
            let t = target.named_child(i as u32)?;
            if &source[t.byte_range()] == name {
                return value.named_child(i as u32);
            }
        }
    }
    None
}

/// Builds a finding at `node`.
pub(crate) fn finding(rule: &Rule, node: Node<'_>, source: &[u8]) -> Finding {
    let line_start = source[..node.start_byte()]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = source[line_start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(source.len(), |i| line_start + i);
    let line = String::from_utf8_lossy(&source[line_start..line_end]);
    let mut snippet = line.trim_end().to_string();
    if snippet.len() > MAX_SNIPPET {
        let mut cut = MAX_SNIPPET;
        while !snippet.is_char_boundary(cut) {
            cut -= 1;
        }
        snippet.truncate(cut);
        snippet.push('…');
    }
    // Stable under edits elsewhere in the file: the rule and the matched line's text, with
    // whitespace normalised, not its position.
    let normalised: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
    let digest = Sha256::digest(format!("{}\n{normalised}", rule.id).as_bytes());
    let fingerprint = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Finding {
        rule_id: rule.id.clone(),
        severity: rule.severity,
        confidence: rule.confidence,
        cwe: rule.cwe,
        owasp: rule.owasp.clone(),
        message: rule.message.clone(),
        span: Span::of(&node),
        snippet,
        fingerprint,
        suppressed: None,
        baselined: false,
        flow: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::kinds::KindTable;

    fn python_rules() -> (LanguageRules, KindTable) {
        let lang = Language::Python;
        let spec = lang.spec();
        let mut kinds = KindTable::compile(spec.kinds_toml, &lang.grammar()).unwrap();
        let rules = crate::rules::builtin().unwrap();
        let built = LanguageRules::build(&rules, lang, &mut kinds, false).unwrap();
        (built, kinds)
    }

    #[test]
    fn sanitizers_and_propagators_wait_for_a_file_where_their_rule_found_a_source_and_a_sink() {
        let (rules, _) = python_rules();
        let source = b"n = int(request.args['n'])\nq = 'SELECT ' + str(n)\ncur.execute(q)\n";
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&Language::Python.grammar()).unwrap();
        let tree = parser.parse(source, None).unwrap();
        let node = tree.root_node();
        let found = |rule, role| TaintMatch {
            rule,
            role,
            source: Some(node),
            sink: Some(node),
            sanitized: None,
            from: None,
            to: None,
            at: None,
        };
        // The walk never runs them.
        let walk = rules.gate(source);
        let deferred: Vec<usize> = (0..rules.units.len())
            .filter(|&u| rules.deferred[u])
            .collect();
        assert!(!deferred.is_empty());
        assert!(deferred.iter().all(|&u| !walk.in_file(u)));
        // A rule with some of them, and a source alone, or a sink alone: no second pass.
        let r = rules.units[deferred[0]].taint[0].0;
        assert!(rules.deferred_gate(&walk, &[]).is_none());
        assert!(
            rules
                .deferred_gate(&walk, &[found(r, PatternRole::Source)])
                .is_none()
        );
        assert!(
            rules
                .deferred_gate(&walk, &[found(r, PatternRole::Sink)])
                .is_none()
        );
        // Both: that rule's sanitizers and propagators run, and nothing else.
        let second = rules
            .deferred_gate(
                &walk,
                &[found(r, PatternRole::Source), found(r, PatternRole::Sink)],
            )
            .unwrap();
        let running: Vec<usize> = (0..rules.units.len())
            .filter(|&u| second.in_file(u))
            .collect();
        assert!(!running.is_empty());
        for u in running {
            assert!(rules.deferred[u]);
            assert!(rules.units[u].taint.iter().any(|&(t, _)| t == r));
        }
    }

    fn compiled(rules: &LanguageRules) -> usize {
        rules.unit_group.iter().filter(|g| g.is_some()).count()
    }

    #[test]
    fn patterns_compile_when_a_file_needs_them_and_the_rest_after_a_few_groups() {
        let (mut rules, _) = python_rules();
        let total = rules.units.len();
        assert!(total > 20, "{total}");
        let plain = rules.gate(b"def add(a, b):\n    return a + b\n");
        rules.prepare(&plain, false).unwrap();
        // Only patterns without words (always possible) are compiled for a plain file.
        let always = compiled(&rules);
        assert!(always < 5, "{always} of {total}");
        let with_eval = rules.gate(b"eval(x)\n");
        rules.prepare(&with_eval, false).unwrap();
        let after_eval = compiled(&rules);
        assert!(
            after_eval > always && after_eval < total / 2,
            "{after_eval}"
        );
        let sources: [&[u8]; 3] = [
            b"import pickle\npickle.loads(d)\n",
            b"import hashlib\nhashlib.md5(d)\n",
            b"import yaml\nyaml.load(d)\n",
        ];
        for source in sources {
            let gate = rules.gate(source);
            rules.prepare(&gate, false).unwrap();
        }
        assert_eq!(compiled(&rules), total);
        // The rest comes as two queries: the walk's patterns, and the second pass's.
        assert!(rules.groups.len() <= MAX_LAZY_GROUPS + 1);
        for g in 0..rules.groups.len() {
            let members: Vec<bool> = (0..total)
                .filter(|&u| rules.unit_group[u] == Some(g))
                .map(|u| rules.deferred[u])
                .collect();
            assert!(members.iter().all(|&d| d == members[0]), "group {g}");
        }
    }

    #[test]
    fn a_taint_rules_patterns_run_only_in_files_with_a_source_and_a_sink() {
        let (rules, _) = python_rules();
        // The units of the request sources (shared by the injection rules).
        let request_sources: Vec<usize> = (0..rules.units.len())
            .filter(|&u| {
                let unit = &rules.units[u];
                unit.taint
                    .iter()
                    .any(|&(_, role)| role == PatternRole::Source)
                    && unit.source_text.contains("\"request\"")
            })
            .collect();
        assert!(!request_sources.is_empty());
        let runs = |source: &[u8]| {
            let gate = rules.gate(source);
            request_sources.iter().filter(|&&u| gate.in_file(u)).count()
        };
        let without_sink = b"from flask import request\nname = request.args['n']\nprint(name)\n";
        assert_eq!(runs(without_sink), 0);
        let with_sink = b"from flask import request\nname = request.args['n']\neval(name)\n";
        assert!(runs(with_sink) > 0);
    }

    #[test]
    fn eager_preparation_compiles_the_whole_pack_in_a_query_per_root_kind_and_pass() {
        let (mut rules, _) = python_rules();
        let gate = rules.gate(b"");
        rules.prepare(&gate, true).unwrap();
        assert_eq!(compiled(&rules), rules.units.len());
        // Every query holds patterns of one pass and one set of root kinds.
        for g in 0..rules.groups.len() {
            let members: Vec<usize> = (0..rules.units.len())
                .filter(|&u| rules.unit_group[u] == Some(g))
                .collect();
            assert!(!members.is_empty());
            let first = members[0];
            for u in members {
                assert_eq!(rules.units[u].roots, rules.units[first].roots);
                assert_eq!(rules.deferred[u], rules.deferred[first]);
            }
        }
        let kinds = (0..rules.units.len())
            .map(|u| (rules.deferred[u], rules.units[u].roots.clone()))
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        assert_eq!(rules.groups.len(), kinds);
        // Asked again, it compiles nothing more.
        rules.prepare(&gate, true).unwrap();
        assert_eq!(rules.groups.len(), kinds);
    }

    #[test]
    fn two_letter_names_gate_a_pattern_as_whole_words() {
        // `ky` and `fs` are too short to look for anywhere, not as whole identifiers.
        let sets = pattern_words_for(
            r#"(call_expression function: (identifier) @fn (#match? @fn "^(fetch|ky)$"))"#,
            &Default::default(),
        );
        assert_eq!(sets.len(), 1);
        assert_eq!(sets[0].words, ["fetch", "ky"]);
        assert!(sets[0].whole);
        let sets = pattern_words_for(
            r#"(call_expression function: (member_expression object: (_) @o) (#eq? @o "fs"))"#,
            &Default::default(),
        );
        assert!(sets.is_empty(), "`fs` inside any expression: {sets:?}");
    }

    #[test]
    fn a_rule_runs_only_where_its_words_occur() {
        let (mut rules, kinds) = python_rules();
        let source = b"def f(x):\n    print(x)\n    eval(x)\n";
        let gate = rules.gate(source);
        rules.prepare(&gate, false).unwrap();
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&Language::Python.grammar()).unwrap();
        let tree = parser.parse(source, None).unwrap();
        let root = tree.root_node();
        let mut cursor = QueryCursor::new();
        cursor.set_max_start_depth(Some(0));
        let deadline = crate::deadline::Deadline::after(Duration::from_secs(10));
        let calls: Vec<Node<'_>> = {
            let mut found = Vec::new();
            let mut stack = vec![root];
            while let Some(n) = stack.pop() {
                if n.kind() == "call" {
                    found.push(n);
                }
                let mut c = n.walk();
                stack.extend(n.children(&mut c));
            }
            found
        };
        let (print, eval): (Vec<_>, Vec<_>) = calls
            .into_iter()
            .partition(|n| n.utf8_text(source).unwrap().starts_with("print"));
        let mut run = |node: Node<'_>| {
            let mut out = Vec::new();
            rules
                .run_at(
                    &gate,
                    node,
                    &[],
                    None,
                    root,
                    source,
                    &kinds,
                    &mut cursor,
                    deadline,
                    &mut out,
                    &mut Vec::new(),
                )
                .unwrap();
            out
        };
        assert!(run(print[0]).is_empty());
        let out = run(eval[0]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule_id, "python.code-injection.eval");
    }
}
