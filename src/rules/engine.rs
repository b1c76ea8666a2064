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

use super::prefilter::{FileGate, Prefilter};
use super::query_shape::{self, TextPredicate};
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
    capture: u32,
    literal: Option<bool>,
    regex: Option<Regex>,
    not_regex: Option<Regex>,
}

/// Checks that `rule` compiles for `lang`: the query, its pattern roots, constraint captures
/// and regexes, and inside/not_inside kinds. The error says what is wrong, in words. (Workers
/// compile a language's rules together, in [`LanguageRules::build`].)
pub fn validate(rule: &Rule, lang: Language) -> Result<(), String> {
    let grammar = lang.grammar();
    let query =
        Query::new(&grammar, &rule.query).map_err(|e| format!("query does not compile: {e}"))?;
    for i in 0..query.pattern_count() {
        kinds::pattern_root(&rule.query, query.start_byte_for_pattern(i)).ok_or(
            "every query pattern must start with a named node, e.g. (call_expression ...)",
        )?;
    }
    for (name, c) in &rule.constraints {
        query.capture_index_for_name(name).ok_or_else(|| {
            format!("constraint on @{name}, but the query has no capture @{name}")
        })?;
        for re in [&c.regex, &c.not_regex].into_iter().flatten() {
            Regex::new(re).map_err(|e| format!("constraint on @{name}: bad regex: {e}"))?;
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

/// What evaluating one rule needs besides the combined query.
struct RuleMeta {
    rule: Rule,
    checks: Vec<CaptureCheck>,
    inside: Vec<u16>,
    not_inside: Vec<u16>,
}

/// One compiled query and the rules its patterns belong to.
struct Group {
    query: Query,
    /// Index into [`LanguageRules::rules`] of each pattern's rule.
    pattern_rule: Vec<usize>,
    match_capture: Option<u32>,
    /// Time spent compiling `query`.
    compile: Duration,
    /// Time spent running `query` and checking its matches, and the findings it produced.
    spent: Cell<Duration>,
    found: Cell<u64>,
}

/// All rules of one language. Normally compiled into one query: every rooted node runs one
/// query execution for the whole pack instead of one per rule, and the pack compiles once.
/// With timing on, each rule gets a query of its own so its cost can be measured.
pub struct LanguageRules {
    groups: Vec<Group>,
    rules: Vec<RuleMeta>,
    /// For each node kind id, the patterns rooted there: (pattern number in the prefilter,
    /// index of its group).
    by_kind: Vec<Vec<(usize, usize)>>,
    prefilter: Prefilter,
    /// Whether costs are measured per rule.
    timing: bool,
    /// Whether the compile times were already handed out by [`LanguageRules::take_times`].
    compile_reported: Cell<bool>,
}

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
    /// Compiles the rules that apply to `lang` and marks their root kinds in `kinds`; with
    /// `timing`, one query per rule.
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
        let batches: Vec<Vec<usize>> = if applicable.is_empty() {
            Vec::new()
        } else if timing {
            (0..applicable.len()).map(|i| vec![i]).collect()
        } else {
            vec![(0..applicable.len()).collect()]
        };
        let mut groups = Vec::with_capacity(batches.len());
        let mut needs = Vec::new();
        let mut by_kind = vec![Vec::new(); grammar.node_kind_count()];
        for batch in batches {
            let (group, patterns) = compile_group(&applicable, &batch, lang, &grammar, kinds)?;
            for pattern in patterns {
                for root in pattern.roots {
                    by_kind[root as usize].push((needs.len(), groups.len()));
                }
                needs.push(pattern_words(&pattern.text, applicable[pattern.rule]));
            }
            groups.push(group);
        }
        let kind_ids = |names: &[String]| -> Result<Vec<u16>, String> {
            let mut ids = Vec::new();
            for name in names {
                let found: Vec<u16> = (0..grammar.node_kind_count() as u16)
                    .filter(|&id| {
                        grammar.node_kind_for_id(id) == Some(name) && grammar.node_kind_is_named(id)
                    })
                    .collect();
                if found.is_empty() {
                    return Err(format!("unknown node kind {name:?} in inside/not_inside"));
                }
                ids.extend(found);
            }
            Ok(ids)
        };
        let mut metas = Vec::with_capacity(applicable.len());
        for (i, rule) in applicable.iter().enumerate() {
            let bad = |m: String| format!("rule {}: {m}", rule.id);
            let query = &groups
                .iter()
                .find(|g| g.pattern_rule.contains(&i))
                .ok_or_else(|| bad("the query has no patterns".into()))?
                .query;
            let mut checks = Vec::new();
            for (name, c) in &rule.constraints {
                let capture = query.capture_index_for_name(name).ok_or_else(|| {
                    bad(format!(
                        "constraint on @{name}, but the query has no capture @{name}"
                    ))
                })?;
                let compile = |re: &Option<String>| {
                    re.as_deref()
                        .map(Regex::new)
                        .transpose()
                        .map_err(|e| bad(format!("bad regex: {e}")))
                };
                checks.push(CaptureCheck {
                    capture,
                    literal: c.literal,
                    regex: compile(&c.regex)?,
                    not_regex: compile(&c.not_regex)?,
                });
            }
            metas.push(RuleMeta {
                rule: (*rule).clone(),
                checks,
                inside: kind_ids(&rule.inside).map_err(&bad)?,
                not_inside: kind_ids(&rule.not_inside).map_err(&bad)?,
            });
        }
        Ok(LanguageRules {
            groups,
            rules: metas,
            by_kind,
            prefilter: Prefilter::new(&needs),
            timing,
            compile_reported: Cell::new(false),
        })
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
            let Some(&r) = group.pattern_rule.first() else {
                continue;
            };
            times.push(RuleTime {
                rule_id: self.rules[r].rule.id.clone(),
                compile_us: compile.as_micros() as u64,
                match_us: spent.as_micros() as u64,
                findings: found,
            });
        }
        times
    }

    /// Finds where `source` contains the words the patterns need (see [`Prefilter`]).
    pub fn gate(&self, source: &[u8]) -> FileGate<'_> {
        self.prefilter.scan(source)
    }

    /// Runs the patterns rooted at `node`'s kind on it, adding findings to `out`, unless
    /// `gate` shows that none of them can match there. `ancestors` are the node's ancestors
    /// (outermost first); `function` the innermost enclosing function.
    #[allow(clippy::too_many_arguments)]
    pub fn run_at(
        &self,
        gate: &FileGate<'_>,
        node: Node<'_>,
        ancestors: &[Node<'_>],
        function: Option<Node<'_>>,
        root: Node<'_>,
        source: &[u8],
        kinds: &KindTable,
        cursor: &mut QueryCursor,
        deadline: std::time::Instant,
        out: &mut Vec<Finding>,
    ) -> Result<(), Overrun> {
        let Some(patterns) = self.by_kind.get(node.kind_id() as usize) else {
            return Ok(());
        };
        let (start, end) = (node.start_byte(), node.end_byte());
        let possible = |&&(p, _): &&(usize, usize)| gate.in_file(p) && gate.in_range(p, start, end);
        let at = Site {
            node,
            ancestors,
            scope: function.unwrap_or(root),
            source,
            kinds,
        };
        if !self.timing {
            if let [group] = self.groups.as_slice() {
                if patterns.iter().any(|p| possible(&p)) {
                    return self.run_group(group, &at, cursor, deadline, out);
                }
                return Ok(());
            }
        }
        let mut wanted: Vec<usize> = patterns.iter().filter(possible).map(|&(_, g)| g).collect();
        wanted.dedup();
        for group in wanted.into_iter().map(|g| &self.groups[g]) {
            let started = Instant::now();
            let before = out.len();
            let result = self.run_group(group, &at, cursor, deadline, out);
            group.spent.set(group.spent.get() + started.elapsed());
            group
                .found
                .set(group.found.get() + (out.len() - before) as u64);
            result?;
        }
        Ok(())
    }

    /// Runs one group's query at `at.node`.
    fn run_group(
        &self,
        group: &Group,
        at: &Site<'_, '_>,
        cursor: &mut QueryCursor,
        deadline: Instant,
        out: &mut Vec<Finding>,
    ) -> Result<(), Overrun> {
        let source = at.source;
        // A pattern that explodes on some input (sibling pairs in a huge block) must not
        // outlive the file's deadline.
        let mut overran = false;
        let mut progress = |_: &tree_sitter::QueryCursorState| {
            if Instant::now() >= deadline {
                overran = true;
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        };
        let mut matches = cursor.matches_with_options(
            &group.query,
            at.node,
            source,
            tree_sitter::QueryCursorOptions::new().progress_callback(&mut progress),
        );
        let mut seen = 0u32;
        let mut last_rule = None;
        while let Some(m) = matches.next() {
            let r = group.pattern_rule[m.pattern_index];
            last_rule = Some(r);
            seen += 1;
            if seen % 256 == 0 && Instant::now() >= deadline {
                return Err(Overrun(self.rules[r].rule.id.clone()));
            }
            let meta = &self.rules[r];
            if !ancestry_allows(meta, at.ancestors) {
                continue;
            }
            let ok = meta.checks.iter().all(|check| {
                m.captures()
                    .iter()
                    .filter(|c| c.index == check.capture)
                    .all(|c| {
                        let text = String::from_utf8_lossy(&source[c.node.byte_range()]);
                        check.regex.as_ref().is_none_or(|re| re.is_match(&text))
                            && check
                                .not_regex
                                .as_ref()
                                .is_none_or(|re| !re.is_match(&text))
                            && check.literal.is_none_or(|want| {
                                is_literal(c.node, at.scope, source, at.kinds) == want
                            })
                    })
            });
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
        if overran {
            let who = last_rule.map_or_else(
                || "the rule pack".to_string(),
                |r| self.rules[r].rule.id.clone(),
            );
            return Err(Overrun(who));
        }
        Ok(())
    }
}

/// Where a query runs: the node and what constraints need to know about its surroundings.
struct Site<'a, 't> {
    node: Node<'t>,
    ancestors: &'a [Node<'t>],
    /// Where literal checks look for assignments: the enclosing function, or the file.
    scope: Node<'t>,
    source: &'a [u8],
    kinds: &'a KindTable,
}

/// One pattern of a compiled group, for the prefilter.
struct PatternSource {
    /// Index into the rules of its rule.
    rule: usize,
    /// Its root node kind ids.
    roots: Vec<u16>,
    /// Its text in the query.
    text: String,
}

/// Compiles the rules `batch` (indices into `rules`) into one query.
fn compile_group(
    rules: &[&Rule],
    batch: &[usize],
    lang: Language,
    grammar: &tree_sitter::Language,
    kinds: &mut KindTable,
) -> Result<(Group, Vec<PatternSource>), String> {
    let mut source = String::new();
    let mut starts = Vec::with_capacity(batch.len());
    for &r in batch {
        starts.push(source.len());
        source.push_str(&rules[r].query);
        source.push('\n');
    }
    let started = Instant::now();
    let query = match Query::new(grammar, &source) {
        Ok(q) => q,
        Err(e) => {
            // Name the rule at fault: compile them one by one.
            for &r in batch {
                validate(rules[r], lang).map_err(|m| format!("rule {}: {m}", rules[r].id))?;
            }
            return Err(format!("the {lang} rule pack does not compile: {e}"));
        }
    };
    let compile = started.elapsed();
    let mut pattern_rule = Vec::with_capacity(query.pattern_count());
    let mut patterns = Vec::with_capacity(query.pattern_count());
    for p in 0..query.pattern_count() {
        let at = query.start_byte_for_pattern(p);
        // A pattern's text runs to the next pattern or the end of its rule's query.
        let next = (p + 1 < query.pattern_count())
            .then(|| query.start_byte_for_pattern(p + 1))
            .into_iter()
            .chain(starts.iter().copied().filter(|&s| s > at))
            .chain([source.len()])
            .min()
            .unwrap_or(source.len());
        let r = batch[starts.partition_point(|&s| s <= at).saturating_sub(1)];
        let root = kinds::pattern_root(&source, at).ok_or_else(|| {
            format!(
                "rule {}: every query pattern must start with a named node",
                rules[r].id
            )
        })?;
        kinds.add_named(grammar, root, kinds::RULE_ROOT);
        patterns.push(PatternSource {
            rule: r,
            roots: (0..grammar.node_kind_count() as u16)
                .filter(|&id| {
                    grammar.node_kind_for_id(id) == Some(root) && grammar.node_kind_is_named(id)
                })
                .collect(),
            text: source[at..next].to_string(),
        });
        pattern_rule.push(r);
    }
    let group = Group {
        match_capture: query.capture_index_for_name("match"),
        query,
        pattern_rule,
        compile,
        spent: Cell::new(Duration::ZERO),
        found: Cell::new(0),
    };
    Ok((group, patterns))
}

/// The word sets a pattern's matches must contain (all of them, strongest first): from its
/// text predicates and from the rule's regex constraints, on captures every match binds.
fn pattern_words(text: &str, rule: &Rule) -> Vec<Vec<String>> {
    let Some(shape) = query_shape::parse(text) else {
        return Vec::new();
    };
    let mut sets: Vec<Vec<String>> = Vec::new();
    for predicate in shape.predicates {
        let (capture, words) = match predicate {
            TextPredicate::Eq(c, word) => (c, literals::usable(Some(vec![word]))),
            TextPredicate::AnyOf(c, words) => (c, literals::usable(Some(words))),
            TextPredicate::Match(c, regex) => (c, literals::required(&regex)),
        };
        if shape.guaranteed.contains(&capture) {
            sets.extend(words);
        }
    }
    for (capture, constraint) in &rule.constraints {
        if shape.guaranteed.contains(capture) {
            sets.extend(constraint.regex.as_deref().and_then(literals::required));
        }
    }
    sets.sort_by_key(|s| {
        let shortest = s.iter().map(String::len).min().unwrap_or(0);
        (std::cmp::Reverse(shortest), s.len())
    });
    sets.dedup();
    sets
}

/// A rule ran past the file's deadline; names the rule.
#[derive(Debug)]
pub struct Overrun(pub String);

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
            match last_assignment(n, scope, source, kinds) {
                Some(value) => pending.push((value, hops + 1)),
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

/// The value of the last assignment to `ident`'s name that ends before `ident`, within
/// `scope` (a function, or the whole file).
fn last_assignment<'t>(
    ident: Node<'t>,
    scope: Node<'t>,
    source: &[u8],
    kinds: &KindTable,
) -> Option<Node<'t>> {
    let name = &source[ident.byte_range()];
    let mut best: Option<Node<'t>> = None;
    let mut cursor = scope.walk();
    let mut depth = 0usize;
    let mut budget = MAX_ASSIGNMENT_SCAN;
    loop {
        let n = cursor.node();
        budget = budget.checked_sub(1)?;
        if n.start_byte() >= ident.start_byte() {
            // Everything from here on starts after the use.
        } else {
            if let Some(shape) = kinds.assignment(n.kind_id()) {
                if n.end_byte() <= ident.start_byte() {
                    let target = n.child_by_field_name(&shape.target);
                    let value = n.child_by_field_name(&shape.value);
                    if let (Some(target), Some(value)) = (target, value) {
                        if let Some(v) = assigned_value(target, value, name, source) {
                            best = Some(v);
                        }
                    }
                }
            }
            if cursor.goto_first_child() {
                depth += 1;
                continue;
            }
        }
        loop {
            if depth == 0 {
                return best;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            cursor.goto_parent();
            depth -= 1;
        }
    }
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
fn finding(rule: &Rule, node: Node<'_>, source: &[u8]) -> Finding {
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
    }
}
