//! The dataflow of one function: its statements evaluated in order over abstract values
//! ([`Val`]), with branches joined, loops iterated to a bounded fixpoint and calls of the
//! file's own functions applied through their summaries.
//!
//! Expressions are evaluated by recursion bounded at [`MAX_DEPTH`]; deeper subtrees are
//! scanned iteratively for tainted names instead (and the function is marked as analysed
//! partially), so hostile nesting cannot overflow the stack.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use tree_sitter::Node;

use super::grammar::{Dataflow, Field, Role};
use super::value::{Const, Origin, OriginKind, Step, StepKind, Val};
use crate::analysis::Span;
use crate::deadline::Deadline;
use crate::worker::kinds::{self, KindTable};

/// Deepest expression recursion; deeper parts are scanned flat.
const MAX_DEPTH: usize = 160;
/// Most nodes evaluated in one function in one round; past it the rest is skipped and the
/// function is reported as analysed partially.
const MAX_NODES: usize = 200_000;
/// Most passes over a loop body looking for a fixpoint.
const LOOP_ROUNDS: usize = 3;
/// Loops nested deeper than this get one pass (the fixpoint's cost is exponential in it).
const MAX_ITERATED_LOOPS: usize = 2;
/// Longest label of a flow step.
const MAX_LABEL: usize = 80;

/// Where the rule's patterns matched in the file.
#[derive(Default)]
pub struct Marks<'t> {
    /// Node ids whose value is untrusted.
    pub sources: HashSet<usize>,
    /// Node ids whose value must not be tainted, with the node to report.
    pub sinks: HashMap<usize, Node<'t>>,
    /// Node ids whose value is clean whatever their inputs.
    pub sanitized: HashSet<usize>,
    /// Node ids whose taint flows into other expressions (`sb.append(x)`: `x` → `sb`).
    pub propagate: HashMap<usize, Vec<Node<'t>>>,
    /// Where the sources and sinks start (bytes), to tell which functions hold them.
    pub places: Vec<usize>,
}

/// A function of the file.
pub struct Function<'t> {
    /// The function's node.
    pub node: Node<'t>,
    /// Its name (`<anonymous>` for lambdas).
    pub name: String,
    /// Parameter names and nodes, in order.
    pub params: Vec<(String, Node<'t>)>,
    /// The enclosing class's node id.
    pub class: Option<usize>,
}

/// What a function does with its parameters, as seen by its callers.
#[derive(Clone, Default)]
pub struct Summary {
    /// The returned value: origins are parameters (`Param(i)`) or the rule's sources.
    pub returns: Val,
    /// Parameters that reach a sink: index, trace from the parameter, the sink.
    pub sinks: Vec<(u16, Rc<Step>, usize)>,
}

/// What a summary says, comparably: returned origins (kind and where the flow started) and
/// (parameter, sink) pairs.
type Signature = (Vec<(OriginKind, u32, u32)>, Vec<(u16, usize)>);

impl Summary {
    /// A signature for fixpoint checks.
    fn signature(&self) -> Signature {
        let mut r: Vec<_> = self
            .returns
            .all_origins()
            .iter()
            .map(|o| {
                let c = o.trace.chain();
                (o.kind.clone(), c[0].span.start.line, c[0].span.start.column)
            })
            .collect();
        r.sort();
        let mut s: Vec<_> = self.sinks.iter().map(|(p, _, k)| (*p, *k)).collect();
        s.sort();
        (r, s)
    }

    /// Whether two summaries say the same.
    pub fn same(&self, other: &Summary) -> bool {
        self.signature() == other.signature()
    }
}

/// A flow from a source to a sink.
pub struct Hit<'t> {
    /// The sink's node id (its key in [`Marks::sinks`]).
    pub sink: usize,
    /// The node reported.
    pub at: Node<'t>,
    /// The trace up to the sink.
    pub trace: Rc<Step>,
}

/// Everything a function's analysis reads.
pub struct Context<'a, 't> {
    /// The file's text.
    pub source: &'a [u8],
    /// The grammar's dataflow table.
    pub dataflow: &'a Dataflow,
    /// The node-kind table.
    pub kinds: &'a KindTable,
    /// Where the rule matched.
    pub marks: &'a Marks<'t>,
    /// The file's functions.
    pub functions: &'a [Function<'t>],
    /// Function indexes by name.
    pub by_name: &'a HashMap<String, Vec<usize>>,
    /// Summaries from the previous round.
    pub summaries: &'a [Summary],
    /// Fields written by methods in the previous round: (class id, field) → value.
    pub fields: &'a HashMap<(usize, String), Val>,
    /// Module-level variables (their constants and taint).
    pub globals: &'a HashMap<String, Val>,
    /// The file's deadline.
    pub deadline: Deadline,
}

/// The result of analysing one function.
#[derive(Default)]
pub struct Outcome<'t> {
    /// Its summary.
    pub summary: Summary,
    /// Flows from sources to sinks found in it.
    pub hits: Vec<Hit<'t>>,
    /// Fields of its class it wrote.
    pub fields: Vec<(String, Val)>,
    /// The variables at its end (for the module level: the globals).
    pub env: HashMap<String, Val>,
    /// Why the analysis was incomplete, if it was.
    pub partial: Option<&'static str>,
    /// The deadline passed.
    pub timed_out: bool,
    /// What of the context it read that changes from round to round: the summaries it
    /// applied, by function index (sorted, once each), and whether it looked up a field of
    /// its class. The same reads of the same values give the same outcome.
    pub read_summaries: Vec<usize>,
    /// See [`Outcome::read_summaries`].
    pub read_fields: bool,
}

type Env = HashMap<String, Val>;

/// The evaluator of one function.
struct Interp<'a, 't> {
    cx: &'a Context<'a, 't>,
    /// The function analysed (`None` for the module level).
    function: Option<usize>,
    /// Its node (nested functions inside it are not evaluated).
    scope: Node<'t>,
    env: Env,
    /// Paths that have had fields written (`a` and `a.b` once `a.b.c` is): only a write to
    /// one of them can make entries stale, so other writes skip the scan for them.
    parents: HashSet<String>,
    /// Taint a propagator sends into an expression rather than a variable (`Long.toHexString(x)`:
    /// `x` → the call), taken when that expression's value is computed.
    inflow: HashMap<usize, Val>,
    out: Outcome<'t>,
    /// Whether a field of the class was looked up (see [`Outcome::read_fields`]).
    read_fields: std::cell::Cell<bool>,
    depth: usize,
    loops: usize,
    nodes: usize,
    stopped: bool,
}

/// Analyses function `index` of the context (or the module level for `None`, whose scope is
/// `root`).
pub fn analyse<'a, 't>(
    cx: &'a Context<'a, 't>,
    index: Option<usize>,
    root: Node<'t>,
) -> Outcome<'t> {
    let scope = index.map_or(root, |i| cx.functions[i].node);
    let mut it = Interp {
        cx,
        function: index,
        scope,
        env: Env::new(),
        parents: HashSet::new(),
        inflow: HashMap::new(),
        out: Outcome::default(),
        read_fields: std::cell::Cell::new(false),
        depth: 0,
        loops: 0,
        nodes: 0,
        stopped: false,
    };
    match index {
        Some(i) => {
            let f = &cx.functions[i];
            for (p, (name, node)) in f.params.iter().enumerate() {
                let span = Span::of(node);
                let val = if cx.marks.sources.contains(&node.id())
                    || node
                        .child_by_field_name("name")
                        .is_some_and(|n| cx.marks.sources.contains(&n.id()))
                    || param_name_node(*node).is_some_and(|n| cx.marks.sources.contains(&n.id()))
                {
                    it.source_val(*node)
                } else {
                    Val::from_origin(Origin {
                        kind: OriginKind::Param(p as u16),
                        trace: Rc::new(Step {
                            kind: StepKind::Param,
                            span,
                            label: format!("parameter {name}"),
                            prev: None,
                            len: 1,
                        }),
                    })
                };
                it.env.insert(name.clone(), val);
                // A destructured parameter (`({ query, body }, res) => …`): a source mark on
                // any name inside it makes that name untrusted.
                if node.named_child_count() > 0 {
                    let mut stack = vec![*node];
                    while let Some(x) = stack.pop() {
                        if x.named_child_count() == 0 {
                            if cx.marks.sources.contains(&x.id()) {
                                let v = it.source_val(x);
                                it.env.insert(it.text(x).to_string(), v);
                            }
                            continue;
                        }
                        let mut c = x.walk();
                        stack.extend(x.named_children(&mut c));
                    }
                }
            }
            match f.node.child_by_field_name("body") {
                Some(body) if cx.dataflow.is_block(body) || cx.dataflow.implicit_return => {
                    let mut c = body.walk();
                    let kids: Vec<Node<'t>> = body
                        .named_children(&mut c)
                        .filter(|k| !k.kind().contains("comment"))
                        .collect();
                    // The value is the last statement's, not the union of all of them.
                    let last = it.eval_sequence(&kids).pop().unwrap_or_default();
                    if cx.dataflow.implicit_return {
                        it.returned(last);
                    }
                }
                Some(body) => {
                    let v = it.eval(body);
                    it.returned(v);
                }
                None => {
                    // Grammars without a body field (Ruby's `method`): every child but the
                    // name and parameters is the body.
                    let mut c = f.node.walk();
                    let skip: Vec<usize> = ["name", "parameters"]
                        .iter()
                        .filter_map(|n| f.node.child_by_field_name(n))
                        .map(|n| n.id())
                        .collect();
                    let kids: Vec<Node<'t>> = f
                        .node
                        .named_children(&mut c)
                        .filter(|k| !skip.contains(&k.id()))
                        .collect();
                    let mut last = Val::clean();
                    for k in kids {
                        last = it.eval(k);
                    }
                    if cx.dataflow.implicit_return {
                        it.returned(last);
                    }
                }
            }
        }
        None => {
            it.eval_children(root);
        }
    }
    if it.cx.deadline.passed() {
        it.out.timed_out = true;
    }
    it.out.env = std::mem::take(&mut it.env);
    it.out.read_summaries.sort_unstable();
    it.out.read_summaries.dedup();
    it.out.read_fields = it.read_fields.get();
    it.out
}

/// The identifier naming a parameter declaration (`x`, `x=1`, `x: int`, `String x`).
pub fn param_name_node(param: Node<'_>) -> Option<Node<'_>> {
    if param.named_child_count() == 0 {
        return Some(param);
    }
    for field in ["name", "pattern", "left"] {
        if let Some(n) = param.child_by_field_name(field) {
            return param_name_node(n);
        }
    }
    let mut c = param.walk();
    param
        .named_children(&mut c)
        .find(|n| n.named_child_count() == 0)
}

impl<'a, 't> Interp<'a, 't> {
    fn text(&self, n: Node<'_>) -> &'a str {
        std::str::from_utf8(&self.cx.source[n.byte_range()]).unwrap_or("")
    }

    /// A short label for a step at `n`.
    fn label(&self, n: Node<'_>) -> String {
        let text = self
            .text(n)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if text.chars().count() <= MAX_LABEL {
            return text;
        }
        let cut: String = text.chars().take(MAX_LABEL - 1).collect();
        format!("{cut}…")
    }

    fn source_val(&self, n: Node<'t>) -> Val {
        Val::from_origin(Origin {
            kind: OriginKind::Source,
            trace: Rc::new(Step {
                kind: StepKind::Source,
                span: Span::of(&n),
                label: self.label(n),
                prev: None,
                len: 1,
            }),
        })
    }

    /// Counts a node; false once the function's budget or the file's deadline is spent.
    fn tick(&mut self) -> bool {
        if self.stopped {
            return false;
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            self.out.partial = Some("the function is too large to follow every flow");
            self.stopped = true;
        } else if self.nodes.is_multiple_of(4096) && self.cx.deadline.passed() {
            self.out.timed_out = true;
            self.stopped = true;
        }
        !self.stopped
    }

    fn returned(&mut self, v: Val) {
        self.out.summary.returns = Val::join(&self.out.summary.returns, &v);
    }

    /// Evaluates `n` and checks the sink and propagation marks on it.
    fn eval(&mut self, n: Node<'t>) -> Val {
        if !self.tick() {
            return Val::clean();
        }
        let mut v = if self.depth >= MAX_DEPTH {
            self.out.partial = Some("an expression is nested too deeply to follow exactly");
            self.flat_scan(n)
        } else {
            self.depth += 1;
            let v = self.eval_node(n);
            self.depth -= 1;
            v
        };
        if let Some(inflow) = self.inflow.remove(&n.id()) {
            v.absorb(&inflow);
        }
        let marks = self.cx.marks;
        if v.is_tainted() {
            if let Some(&at) = marks.sinks.get(&n.id()) {
                self.reached_sink(n.id(), at, &v);
            }
            if let Some(targets) = marks.propagate.get(&n.id()) {
                for &t in targets {
                    // An expression around `@from` (the call that converts an argument, the
                    // element read at a tainted index) carries the taint in its own value,
                    // which is computed once `@from` has been.
                    if t.id() != n.id()
                        && t.start_byte() <= n.start_byte()
                        && n.end_byte() <= t.end_byte()
                    {
                        self.inflow.entry(t.id()).or_default().absorb(&v);
                        continue;
                    }
                    let old = self.read_target(t);
                    let mut new = old;
                    new.absorb(&v);
                    let label = self.label(t);
                    self.write(t, new.then(StepKind::Assign, Span::of(&t), &label));
                }
            }
        }
        v
    }

    fn reached_sink(&mut self, id: usize, at: Node<'t>, v: &Val) {
        let span = Span::of(&at);
        let label = self.label(at);
        for o in v.all_origins() {
            let o = o.then(StepKind::Call, span, &label);
            match o.kind {
                OriginKind::Source => {
                    if !self.out.hits.iter().any(|h| h.sink == id) {
                        self.out.hits.push(Hit {
                            sink: id,
                            at,
                            trace: o.trace,
                        });
                    }
                }
                OriginKind::Param(p) => {
                    if !self
                        .out
                        .summary
                        .sinks
                        .iter()
                        .any(|(q, _, s)| *q == p && *s == id)
                    {
                        self.out.summary.sinks.push((p, o.trace, id));
                    }
                }
            }
        }
    }

    /// The value of a subtree too deep to evaluate: the taint of every name and source in it.
    fn flat_scan(&mut self, n: Node<'t>) -> Val {
        let mut out = Val::clean();
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            if !self.tick() {
                break;
            }
            if self.cx.marks.sources.contains(&x.id()) {
                out.absorb(&self.source_val(x));
                continue;
            }
            if self.cx.kinds.get(x.kind_id()) & kinds::IDENTIFIER != 0 {
                let name = self.text(x);
                out.absorb(&self.read_name(name));
            }
            let mut c = x.walk();
            stack.extend(x.named_children(&mut c));
        }
        out
    }

    fn eval_node(&mut self, n: Node<'t>) -> Val {
        let id = n.id();
        let marks = self.cx.marks;
        if marks.sanitized.contains(&id) {
            self.eval_children(n);
            // A check on a variable (`if not is_safe_url(url): …`) cleans the variable from
            // here on, as the checked value is what the code goes on to use.
            if let Some(path) = self.path(n)
                && self.env.contains_key(&path)
            {
                self.env.insert(path, Val::clean());
            }
            return Val::clean();
        }
        let flags = self.cx.kinds.get(n.kind_id());
        // A bare name that is a local variable or parameter here names that variable, not
        // the source it shadows (Ruby's `def configure(params)`).
        let shadowed =
            || flags & kinds::IDENTIFIER != 0 && is_name(n) && self.env.contains_key(self.text(n));
        if marks.sources.contains(&id) && !shadowed() {
            self.eval_children(n);
            return self.source_val(n);
        }
        if (flags & (kinds::FUNCTION | kinds::CLASS)) != 0 && n.id() != self.scope.id() {
            // The module level reads a class's body for what its methods see by bare name
            // (Java's `static final Random RANDOM = new Random()`); methods are analysed on
            // their own.
            if flags & kinds::FUNCTION == 0 && self.function.is_none() {
                self.eval_children(n);
            }
            return Val::clean();
        }
        if flags & kinds::LITERAL != 0 {
            if contains_interpolation(n, self.cx.kinds) {
                let mut c = n.walk();
                let kids: Vec<Node<'t>> = n.named_children(&mut c).collect();
                let vals: Vec<Val> = kids.into_iter().map(|k| self.eval(k)).collect();
                return Val::union(&vals);
            }
            return Val::constant(constant(self.text(n)));
        }
        if flags & kinds::IDENTIFIER != 0 && is_name(n) {
            let name = self.text(n);
            if self.cx.dataflow.bare_calls
                && !self.env.contains_key(name)
                && !self.cx.globals.contains_key(name)
                && let Some(targets) = self.cx.by_name.get(name)
            {
                let mut result = Val::clean();
                for &f in targets {
                    result.absorb(&self.apply(n, f, &[]));
                }
                return result;
            }
            return self.read_name(name);
        }
        let role = self.cx.dataflow.role(n).cloned();
        match role {
            Some(Role::Call {
                callee,
                receiver,
                name,
                arguments,
            }) => self.call(n, &callee, &receiver, &name, &arguments),
            Some(Role::Member(object, property)) => self.member(n, &object, &property),
            Some(Role::Subscript(object, index)) => {
                let base = object.get(n).map(|o| self.eval(o)).unwrap_or_default();
                let key = index.get(n).map(|i| self.eval(i)).unwrap_or_default();
                match key.konst.as_ref() {
                    Some(k) => base.part(Some(k)),
                    // Any element; `data[request.args["k"]]` is not tainted by its index.
                    None => base.part(None),
                }
            }
            Some(Role::Conditional(..)) => {
                self.conditional(n);
                Val::clean()
            }
            Some(Role::Ternary(cond, yes, no)) => {
                let c = cond.get(n).map(|c| self.eval(c)).unwrap_or_default();
                let pick =
                    |f: &Field, me: &mut Self| f.get(n).map(|x| me.eval(x)).unwrap_or_default();
                if yes.get(n).is_none() {
                    // `a ?: b`: the condition is the value when it is truthy.
                    let b = pick(&no, self);
                    return match c.konst.as_ref().map(Const::truthy) {
                        Some(true) => c,
                        Some(false) => b,
                        None => Val::join(&c, &b),
                    };
                }
                match c.konst.as_ref().map(Const::truthy) {
                    Some(true) => pick(&yes, self),
                    Some(false) => pick(&no, self),
                    None => {
                        let a = pick(&yes, self);
                        let b = pick(&no, self);
                        Val::join(&a, &b)
                    }
                }
            }
            Some(Role::Loop(target, iterable)) => {
                self.looped(n, &target, &iterable);
                Val::clean()
            }
            Some(Role::Return) => {
                let v = self.eval_children(n);
                let v = v.then(StepKind::Return, Span::of(&n), &self.label(n));
                self.returned(v);
                Val::clean()
            }
            Some(Role::List) => {
                let mut c = n.walk();
                let kids: Vec<Node<'t>> = n
                    .named_children(&mut c)
                    .filter(|k| !k.kind().contains("comment"))
                    .collect();
                let items = kids.into_iter().map(|k| self.eval(k)).collect();
                Val::list(items)
            }
            Some(Role::Map(entry, key, value)) => {
                let mut c = n.walk();
                let kids: Vec<Node<'t>> = n.named_children(&mut c).collect();
                if !kids.is_empty() && kids.iter().all(|k| k.kind_id() != entry) {
                    // Grammars that spell list and map literals alike (Go's `{a, b}`).
                    let items = kids.into_iter().map(|k| self.eval(k)).collect();
                    return Val::list(items);
                }
                let mut m = Val::map(Default::default());
                // An entry without a value is positional (PHP arrays are lists and maps at
                // once): it takes the next integer key, and a literal of only such entries is
                // a list.
                let mut next = 0i64;
                let mut keyed = false;
                let mut items = Vec::new();
                for k in kids {
                    if k.kind_id() != entry {
                        let v = self.eval(k);
                        if self.is_name(k) {
                            // A shorthand entry (`{ id }`) is keyed by the variable's name.
                            let name = Const::Str(self.text(k).to_string());
                            m = m.with_part(Some(&name), v);
                        } else {
                            m.absorb(&v);
                        }
                        keyed = true;
                        continue;
                    }
                    let (kv, vv) = match value.get(k) {
                        Some(v) => {
                            keyed = true;
                            let kv = match key.get(k) {
                                Some(x) => {
                                    let kv = self.eval(x);
                                    if kv.konst.is_none()
                                        && x.named_child_count() == 0
                                        && !self.is_name(x)
                                    {
                                        // A bare key (`{ id: x }`) names itself; it reads no
                                        // variable.
                                        Val::constant(Const::Str(self.text(x).to_string()))
                                    } else {
                                        kv
                                    }
                                }
                                None => Val::clean(),
                            };
                            if let Some(Const::Int(i)) = kv.konst {
                                next = i.saturating_add(1);
                            }
                            (kv, self.eval(v))
                        }
                        None => {
                            let vv = key.get(k).map(|x| self.eval(x)).unwrap_or_default();
                            items.push(vv.clone());
                            next = next.saturating_add(1);
                            (Val::constant(Const::Int(next - 1)), vv)
                        }
                    };
                    m = m.with_part(kv.konst.as_ref(), vv);
                }
                if keyed { m } else { Val::list(items) }
            }
            Some(Role::Assign(target, value, adds)) => {
                let Some(t) = target.get(n) else {
                    return self.eval_children(n);
                };
                let Some(v) = value.get(n) else {
                    return Val::clean();
                };
                // Grammars that give `x += y` the kind of `x = y` tell them apart by operator.
                let adds = adds || self.compound_operator(n);
                self.assign(n, t, v, adds)
            }
            Some(Role::Case) | None => self.generic(n),
        }
    }

    /// Whether an assignment node's own operator adds to its target (`+=`, `.=`, `<<=`).
    fn compound_operator(&self, n: Node<'t>) -> bool {
        let mut c = n.walk();
        n.children(&mut c).any(|k| {
            let t = self.text(k);
            !k.is_named()
                && t.len() >= 2
                && t.ends_with('=')
                && !matches!(t, "==" | "!=" | "<=" | ">=" | ":=" | "===" | "!==")
        })
    }

    /// An expression or statement with no special meaning: its children in order; the value
    /// of a lone child passes through, operators over constants are folded, anything else is
    /// the union of the children's taint.
    fn generic(&mut self, n: Node<'t>) -> Val {
        let mut c = n.walk();
        let mut named = Vec::new();
        let mut ops = Vec::new();
        for k in n.children(&mut c) {
            if k.is_named() {
                if !k.kind().contains("comment") {
                    named.push(k);
                }
            } else {
                let t = self.text(k);
                if !matches!(t, "(" | ")" | "," | ";" | "{" | "}" | "[" | "]" | ":") {
                    ops.push(t);
                }
            }
        }
        let vals = self.eval_sequence(&named);
        match (vals.len(), ops.as_slice()) {
            (1, []) => vals.into_iter().next().unwrap_or_default(),
            (1, [op]) => {
                let v = &vals[0];
                match (op.trim(), v.konst.as_ref()) {
                    ("not" | "!", Some(k)) => Val::constant(Const::Bool(!k.truthy())),
                    (_, _) => v.flat(),
                }
            }
            (2, [op]) => match fold(op.trim(), vals[0].konst.as_ref(), vals[1].konst.as_ref()) {
                Some(k) if !vals[0].is_tainted() && !vals[1].is_tainted() => Val::constant(k),
                _ => Val::union(&vals),
            },
            // A typed literal (`[]string{…}`, `new String[]{…}`): the type parts are clean and
            // the collection keeps its elements apart.
            (_, [])
                if vals.iter().filter(|v| v.parts.is_some()).count() == 1
                    && vals.iter().all(|v| v.parts.is_some() || !v.is_tainted()) =>
            {
                vals.into_iter()
                    .find(|v| v.parts.is_some())
                    .unwrap_or_default()
            }
            _ => Val::union(&vals),
        }
    }

    /// Evaluates the named children of `n` in order; the value is their union.
    fn eval_children(&mut self, n: Node<'t>) -> Val {
        let mut c = n.walk();
        let kids: Vec<Node<'t>> = n
            .named_children(&mut c)
            .filter(|k| !k.kind().contains("comment"))
            .collect();
        let vals = self.eval_sequence(&kids);
        if vals.len() == 1 {
            return vals.into_iter().next().unwrap_or_default();
        }
        Val::union(&vals)
    }

    /// Evaluates statements in order; consecutive switch arms each start from the state
    /// before them, and their ends are joined (with that state: no arm may match).
    fn eval_sequence(&mut self, nodes: &[Node<'t>]) -> Vec<Val> {
        let mut vals = Vec::with_capacity(nodes.len());
        let mut i = 0;
        while i < nodes.len() {
            let n = nodes[i];
            if matches!(self.cx.dataflow.role(n), Some(Role::Case)) {
                let before = self.env.clone();
                let mut ends = vec![before.clone()];
                while i < nodes.len() && matches!(self.cx.dataflow.role(nodes[i]), Some(Role::Case))
                {
                    self.env = before.clone();
                    self.generic(nodes[i]);
                    ends.push(std::mem::take(&mut self.env));
                    i += 1;
                }
                self.env = join_envs(ends);
                continue;
            }
            vals.push(self.eval(n));
            i += 1;
        }
        vals
    }

    /// Whether `n` is a variable name.
    fn is_name(&self, n: Node<'_>) -> bool {
        self.cx.kinds.get(n.kind_id()) & kinds::IDENTIFIER != 0 && n.named_child_count() == 0
    }

    fn read_name(&self, name: &str) -> Val {
        if let Some(v) = self.env.get(name) {
            return v.clone();
        }
        if let Some(v) = self.field(name) {
            return v;
        }
        self.cx.globals.get(name).cloned().unwrap_or_default()
    }

    /// A field of the enclosing class written by another method (`self.x`, `@x`).
    fn field(&self, path: &str) -> Option<Val> {
        let class = self.function.and_then(|f| self.cx.functions[f].class)?;
        let field = self.field_name(path)?;
        self.read_fields.set(true);
        self.cx.fields.get(&(class, field)).cloned()
    }

    /// The field a path names, if it is one of the receiver's (`self.x` → `x`, `@x` → `@x`).
    fn field_name(&self, path: &str) -> Option<String> {
        if path.starts_with('@') && !path.starts_with("@@") {
            return Some(path.to_string());
        }
        let (recv, rest) = path.split_once('.')?;
        self.cx
            .dataflow
            .receivers
            .iter()
            .any(|r| r == recv)
            .then(|| rest.to_string())
    }

    /// The variable path an expression names (`x`, `self.x`, `a.b.c`), if it is one.
    fn path(&self, n: Node<'t>) -> Option<String> {
        if n.named_child_count() == 0 {
            let t = self.text(n);
            return (!t.is_empty() && t.len() <= 200).then(|| t.to_string());
        }
        if let Some(Role::Member(object, property)) = self.cx.dataflow.role(n) {
            let o = self.path(object.get(n)?)?;
            let p = self.text(property.get(n)?);
            return Some(format!("{o}.{p}"));
        }
        // A destructuring pattern of one name (`const { id } = …`) is not a variable path.
        if n.named_child_count() == 1 && !n.kind().contains("call") && !n.kind().contains("pattern")
        {
            // `$x` in PHP is a variable_name holding a name; `(x)`.
            let inner = n.named_child(0)?;
            if inner.named_child_count() == 0 {
                return Some(self.text(n).to_string());
            }
        }
        None
    }

    fn member(&mut self, n: Node<'t>, object: &Field, property: &Field) -> Val {
        if let Some(path) = self.path(n) {
            if let Some(v) = self.env.get(&path) {
                return v.clone();
            }
            if let Some(v) = self.field(&path) {
                return v;
            }
        }
        let base = object.get(n).map(|o| self.eval(o)).unwrap_or_default();
        if base.parts.is_some()
            && let Some(p) = property.get(n)
        {
            return base.part(Some(&Const::Str(self.text(p).to_string())));
        }
        base.flat()
    }

    /// The current value of an assignment target.
    fn read_target(&mut self, t: Node<'t>) -> Val {
        match self.path(t) {
            Some(p) => self.read_name(&p),
            None => Val::clean(),
        }
    }

    fn assign(&mut self, at: Node<'t>, target: Node<'t>, value: Node<'t>, adds: bool) -> Val {
        let tn = target.named_child_count();
        let paired = tn > 1
            && value.named_child_count() == tn
            && self.cx.dataflow.role(target).is_none()
            && matches!(self.cx.dataflow.role(value), None | Some(Role::List));
        if paired {
            // `a, b = x, y` / `a, b := x, y`: element by element.
            let mut tc = target.walk();
            let mut vc = value.walk();
            let ts: Vec<Node<'t>> = target.named_children(&mut tc).collect();
            let vs: Vec<Node<'t>> = value.named_children(&mut vc).collect();
            let vals: Vec<Val> = vs.iter().map(|&v| self.eval(v)).collect();
            for (t, v) in ts.into_iter().zip(vals.iter()) {
                self.store(at, t, v.clone(), adds);
            }
            return Val::union(&vals);
        }
        let v = self.eval(value);
        self.store(at, target, v.clone(), adds);
        v
    }

    /// Stores `v` into `target` (a name, field, element, or a list of those).
    fn store(&mut self, at: Node<'t>, target: Node<'t>, v: Val, adds: bool) {
        // `m["k"] = v` in Go is an expression_list holding one index expression.
        let mut target = target;
        while self.cx.dataflow.role(target).is_none()
            && target.named_child_count() == 1
            && self.path(target).is_none()
            && let Some(inner) = target.named_child(0)
        {
            target = inner;
        }
        let v = if adds {
            let mut old = self.read_target(target);
            old.absorb(&v);
            old
        } else {
            v
        };
        let label = self.label(at);
        let v = v.then(StepKind::Assign, Span::of(&at), &label);
        match self.cx.dataflow.role(target).cloned() {
            Some(Role::Subscript(object, index)) => {
                let Some(o) = object.get(target) else { return };
                // Writing one entry of a source (`$_GET['page'] = 1`) leaves the rest of it
                // untrusted.
                let base = if self.cx.marks.sources.contains(&o.id()) {
                    self.source_val(o)
                } else {
                    self.read_target(o)
                };
                // `$list[] = x` appends.
                let new = match index.get(target) {
                    Some(i) => {
                        let key = self.eval(i);
                        base.with_part(key.konst.as_ref(), v)
                    }
                    None => base.pushed(v),
                };
                self.write(o, new);
            }
            _ if self.path(target).is_some() => self.write(target, v),
            _ => {
                // Destructuring (`a, b = f()`, `[a, b] = xs`, `{a} = obj`): each name gets
                // the value.
                let mut stack = vec![target];
                while let Some(t) = stack.pop() {
                    if self.cx.kinds.get(t.kind_id()) & kinds::IDENTIFIER != 0
                        && t.named_child_count() == 0
                    {
                        // `const { query } = req`: the pattern's names can be sources.
                        let v = if self.cx.marks.sources.contains(&t.id()) {
                            self.source_val(t)
                        } else {
                            v.flat()
                        };
                        self.write(t, v);
                        continue;
                    }
                    let mut c = t.walk();
                    stack.extend(t.named_children(&mut c));
                }
            }
        }
    }

    /// Sets the variable or field `t` names.
    fn write(&mut self, t: Node<'t>, v: Val) {
        let Some(path) = self.path(t) else { return };
        if let Some(field) = self.field_name(&path) {
            self.out.fields.push((field, v.clone()));
        }
        // A write to `a.b` makes what was known of `a.b.c` stale.
        if self.parents.contains(&path) {
            let prefix = format!("{path}.");
            self.env.retain(|k, _| !k.starts_with(&prefix));
        }
        for (i, _) in path.match_indices('.') {
            if !self.parents.contains(&path[..i]) {
                self.parents.insert(path[..i].to_string());
            }
        }
        self.env.insert(path, v);
    }

    fn conditional(&mut self, n: Node<'t>) {
        // The chain's arms in order: (condition, body); an `else` has no condition.
        let mut arms: Vec<(Option<Node<'t>>, Option<Node<'t>>)> = Vec::new();
        let mut pending = vec![n];
        while let Some(x) = pending.pop() {
            match self.cx.dataflow.role(x) {
                Some(Role::Conditional(c, body, alt)) => {
                    if let Some(cond) = c.get(x) {
                        // `if v := f(); v != ""` (Go): what precedes the condition runs first.
                        let mut w = x.walk();
                        let before: Vec<Node<'t>> = x
                            .named_children(&mut w)
                            .filter(|k| {
                                k.end_byte() <= cond.start_byte() && !k.kind().contains("comment")
                            })
                            .collect();
                        for k in before {
                            self.eval(k);
                        }
                    }
                    arms.push((c.get(x), body.get(x)));
                    let alts = alt.all(x);
                    // Visit the alternatives in source order.
                    pending.extend(alts.into_iter().rev());
                }
                _ => arms.push((None, Some(x))),
            }
        }
        let mut ends = Vec::new();
        for (cond, body) in arms {
            if let Some(c) = cond {
                let cv = self.eval(c);
                match cv.konst.as_ref().map(Const::truthy) {
                    Some(false) if !cv.is_tainted() => continue,
                    Some(true) if !cv.is_tainted() => {
                        if let Some(b) = body {
                            self.eval(b);
                        }
                        break;
                    }
                    _ => {}
                }
            } else {
                if let Some(b) = body {
                    self.eval(b);
                }
                break;
            }
            let saved = self.env.clone();
            if let Some(b) = body {
                self.eval(b);
            }
            ends.push(std::mem::replace(&mut self.env, saved));
        }
        ends.push(std::mem::take(&mut self.env));
        // After a certain arm, the state left in `env` is that arm's end (not "no arm ran").
        self.env = join_envs(ends);
    }

    fn looped(&mut self, n: Node<'t>, target: &Field, iterable: &Field) {
        let it = iterable.get(n);
        let element = it.map(|i| self.eval(i).part(None)).unwrap_or_default();
        self.iterate(n, target.get(n), it, element);
    }

    /// The body of loop `n` run to a bounded fixpoint, `t` taking `element` on each pass.
    fn iterate(&mut self, n: Node<'t>, t: Option<Node<'t>>, it: Option<Node<'t>>, element: Val) {
        let skip: Vec<usize> = [t, it].into_iter().flatten().map(|x| x.id()).collect();
        let mut c = n.walk();
        let body: Vec<Node<'t>> = n
            .named_children(&mut c)
            .filter(|k| !skip.contains(&k.id()) && !k.kind().contains("comment"))
            .collect();
        let rounds = if self.loops < MAX_ITERATED_LOOPS {
            LOOP_ROUNDS
        } else {
            1
        };
        self.loops += 1;
        for _ in 0..rounds {
            let start = self.env.clone();
            if let Some(t) = t {
                let plain = self.cx.kinds.get(t.kind_id()) & kinds::IDENTIFIER != 0
                    || self.cx.dataflow.role(t).is_some();
                if plain {
                    self.store(n, t, element.clone(), false);
                } else {
                    // A parameter list (`|k, v|`): each name takes the element.
                    let mut c = t.walk();
                    let names: Vec<Node<'t>> = t.named_children(&mut c).collect();
                    for name in names {
                        self.store(
                            n,
                            param_name_node(name).unwrap_or(name),
                            element.clone(),
                            false,
                        );
                    }
                }
            }
            self.eval_sequence(&body);
            let end = std::mem::take(&mut self.env);
            self.env = join_envs(vec![start.clone(), end]);
            if same_env(&start, &self.env) || self.stopped {
                break;
            }
        }
        self.loops -= 1;
    }

    fn call(
        &mut self,
        n: Node<'t>,
        callee: &Field,
        receiver: &Field,
        name: &Field,
        arguments: &Field,
    ) -> Val {
        let (recv, fname, callee_node) = match callee.get(n) {
            Some(c) => match self.cx.dataflow.role(c) {
                Some(Role::Member(o, p)) => (o.get(c), p.get(c), Some(c)),
                _ => (None, Some(c), Some(c)),
            },
            None => (receiver.get(n), name.get(n), None),
        };
        let recv_val = recv.map(|r| self.eval(r));
        let args: Vec<Node<'t>> = match arguments.get(n) {
            Some(a) => {
                let mut c = a.walk();
                a.named_children(&mut c)
                    .filter(|k| !k.kind().contains("comment"))
                    .collect()
            }
            None => Vec::new(),
        };
        // A block or lambda passed to the call is analysed on its own.
        let arg_vals: Vec<Val> = args.iter().map(|&a| self.eval(a)).collect();
        // A block attached to the call (Ruby's `xs.each do |x| … end`) runs in the caller's
        // scope, possibly repeatedly; its parameters take the receiver's elements.
        let mut c = n.walk();
        let attached: Vec<Node<'t>> = n
            .named_children(&mut c)
            .filter(|k| matches!(self.cx.dataflow.role(*k), Some(Role::Loop(..))))
            .collect();
        for b in attached {
            if let Some(Role::Loop(target, _)) = self.cx.dataflow.role(b).cloned() {
                let element = recv_val.as_ref().map(|v| v.part(None)).unwrap_or_default();
                self.iterate(b, target.get(b), None, element);
            }
        }
        // `request.get_json()`: the method itself is the source.
        if let Some(c) = callee_node
            && self.cx.marks.sources.contains(&c.id())
        {
            return self.source_val(c);
        }
        let method = fname.map(|f| self.text(f)).unwrap_or("");
        let full = callee_node.map(|c| self.text(c)).unwrap_or(method);
        // Grammars that split a method call into receiver and name: `Paths.get`.
        let qualified = match (callee_node, recv) {
            (None, Some(r)) => format!("{}.{method}", self.text(r)),
            _ => full.to_string(),
        };
        let df = self.cx.dataflow;

        // A function of this file.
        let recv_is_self = recv.is_none_or(|r| {
            let t = self.text(r);
            df.receivers.iter().any(|x| x == t)
        });
        if recv_is_self && let Some(targets) = self.cx.by_name.get(method) {
            let mut result = Val::clean();
            for &f in targets {
                result.absorb(&self.apply(n, f, &arg_vals));
            }
            return result;
        }
        // A function named with its receiver is what the table says, whatever the name
        // means on collections (`Paths.get(name)` is not a read from a map).
        // With its package too: `java.util.Base64.getDecoder().decode`.
        let named = |f: &String| {
            *f == qualified
                || (f.contains('.')
                    && qualified.len() > f.len()
                    && qualified.ends_with(f.as_str())
                    && qualified[..qualified.len() - f.len()].ends_with('.'))
        };
        if recv.is_some() && df.propagating_functions.iter().any(named) {
            return Val::union(&arg_vals);
        }
        // A constructor's type without its type arguments and package (`new
        // java.util.ArrayList<>()` is `ArrayList`).
        let type_name = if recv.is_none() {
            let t = full.split('<').next().unwrap_or("").trim();
            t.rsplit('.').next().unwrap_or(t).to_string()
        } else {
            String::new()
        };
        // `List.of(a, b)`, `new ArrayList<>()`: a new list of the arguments.
        if df
            .list_functions
            .iter()
            .any(|f| named(f) || (recv.is_none() && *f == type_name))
        {
            return Val::list(arg_vals);
        }
        // `append(xs, x)` (Go) on a list built here: the list with the items added, as a new
        // value (on anything else the call is what the table says of it).
        if recv.is_none()
            && arg_vals.first().is_some_and(|l| l.parts.is_some())
            && df.adding_methods.iter().any(|m| m == method)
        {
            let mut new = arg_vals[0].clone();
            for a in &arg_vals[1..] {
                new = new.pushed(a.clone());
            }
            return new;
        }
        let konst_arg = |i: usize| arg_vals.get(i).and_then(|v| v.konst.clone());
        if let (Some(r), Some(rv)) = (recv, recv_val.as_ref()) {
            if df.adding_methods.iter().any(|m| m == method) {
                let mut new = rv.clone();
                for a in &arg_vals {
                    new = new.pushed(a.clone());
                }
                let label = self.label(n);
                let new = new.then(StepKind::Assign, Span::of(&n), &label);
                self.write(self.chain_root(r), new.clone());
                return new;
            }
            if let Some((_, first)) = df.removing_methods.iter().find(|(m, _)| m == method) {
                let (item, rest) = match konst_arg(0) {
                    Some(Const::Int(0)) => rv.removed(true),
                    Some(Const::Int(_)) | Some(_) => (rv.part(konst_arg(0).as_ref()), rv.clone()),
                    None if arg_vals.is_empty() => rv.removed(*first),
                    None => (rv.flat(), rv.clone()),
                };
                self.write(r, rest);
                return item;
            }
            if df.reading_methods.iter().any(|m| m == method) && !arg_vals.is_empty() {
                let mut v = rv.part(konst_arg(0).as_ref());
                for d in arg_vals.iter().skip(1) {
                    v.absorb(d);
                }
                return v;
            }
            if df.storing_methods.iter().any(|m| m == method) && arg_vals.len() >= 2 {
                let new = rv.with_part(konst_arg(0).as_ref(), arg_vals[1].clone());
                self.write(r, new);
                return Val::clean();
            }
        }
        if df.propagating_methods.iter().any(|m| m == method) && recv.is_some() {
            let mut v = recv_val.unwrap_or_default().flat();
            for a in &arg_vals {
                v.absorb(a);
            }
            return v;
        }
        if df
            .propagating_functions
            .iter()
            .any(|f| f == full || named(f) || (recv.is_none() && (f == method || *f == type_name)))
        {
            return Val::union(&arg_vals);
        }
        Val::clean()
    }

    /// The object a chain of adding calls starts from (`sb` in `sb.append(a).append(b)`):
    /// builders return themselves, so what the chain adds is added to it.
    fn chain_root(&self, mut r: Node<'t>) -> Node<'t> {
        let df = self.cx.dataflow;
        while let Some(Role::Call {
            callee,
            receiver,
            name,
            ..
        }) = df.role(r)
        {
            let (inner, method) = match callee.get(r) {
                Some(c) => match df.role(c) {
                    Some(Role::Member(o, p)) => (o.get(c), p.get(c)),
                    _ => break,
                },
                None => (receiver.get(r), name.get(r)),
            };
            match (inner, method) {
                (Some(i), Some(m)) if df.adding_methods.iter().any(|a| a == self.text(m)) => r = i,
                _ => break,
            }
        }
        r
    }

    /// Applies function `f`'s summary at call `n` with the arguments' values.
    fn apply(&mut self, n: Node<'t>, f: usize, args: &[Val]) -> Val {
        self.out.read_summaries.push(f);
        let Some(summary) = self.cx.summaries.get(f) else {
            return Val::clean();
        };
        let callee = &self.cx.functions[f];
        // `self` / `this` as a declared first parameter is not an argument at the call.
        let shift = usize::from(
            callee
                .params
                .first()
                .is_some_and(|(p, _)| self.cx.dataflow.receivers.iter().any(|r| r == p))
                && args.len() < callee.params.len(),
        );
        let span = Span::of(&n);
        let label = self.label(n);
        let arg =
            |p: u16| -> Option<&Val> { (p as usize).checked_sub(shift).and_then(|i| args.get(i)) };
        for (p, trace, sink) in &summary.sinks {
            let Some(a) = arg(*p) else { continue };
            let at = self.cx.marks.sinks.get(sink).copied();
            for o in a.all_origins() {
                let o = replay(o.then(StepKind::Call, span, &label), trace);
                match o.kind {
                    OriginKind::Source => {
                        if let Some(at) = at
                            && !self.out.hits.iter().any(|h| h.sink == *sink)
                        {
                            self.out.hits.push(Hit {
                                sink: *sink,
                                at,
                                trace: o.trace,
                            });
                        }
                    }
                    OriginKind::Param(q) => {
                        if !self
                            .out
                            .summary
                            .sinks
                            .iter()
                            .any(|(x, _, s)| *x == q && s == sink)
                        {
                            self.out.summary.sinks.push((q, o.trace, *sink));
                        }
                    }
                }
            }
        }
        let mut result = Val::clean();
        for o in summary.returns.all_origins() {
            match o.kind {
                OriginKind::Source => {
                    result.absorb(&Val::from_origin(o.then(StepKind::Return, span, &label)));
                }
                OriginKind::Param(p) => {
                    if let Some(a) = arg(p) {
                        for ao in a.all_origins() {
                            let ao = replay(ao.then(StepKind::Call, span, &label), &o.trace);
                            result.absorb(&Val::from_origin(ao.then(
                                StepKind::Return,
                                span,
                                &label,
                            )));
                        }
                    }
                }
            }
        }
        result
    }
}

/// `o` followed by the steps of `trace` after its first (a parameter).
fn replay(mut o: Origin, trace: &Rc<Step>) -> Origin {
    for step in trace.chain().iter().skip(1) {
        o = o.then(step.kind, step.span, &step.label);
    }
    o
}

/// The join of several states: a variable missing from one is unknown (clean) there.
fn join_envs(mut envs: Vec<Env>) -> Env {
    let Some(mut out) = envs.pop() else {
        return Env::new();
    };
    for e in envs {
        let keys: HashSet<String> = out.keys().chain(e.keys()).cloned().collect();
        let mut joined = Env::with_capacity(keys.len());
        for k in keys {
            let v = match (out.get(&k), e.get(&k)) {
                (Some(a), Some(b)) => Val::join(a, b),
                (Some(a), None) | (None, Some(a)) => Val::join(a, &Val::clean()),
                (None, None) => continue,
            };
            joined.insert(k, v);
        }
        out = joined;
    }
    out
}

fn same_env(a: &Env, b: &Env) -> bool {
    a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| v.same(w)))
}

/// Whether an identifier node is a plain name: a leaf, or a wrapper of one leaf (PHP's
/// `$x` is a `variable_name` holding a `name`).
fn is_name(n: Node<'_>) -> bool {
    match n.named_child_count() {
        0 => true,
        1 => n.named_child(0).is_some_and(|k| k.named_child_count() == 0),
        _ => false,
    }
}

/// Whether a literal node contains an interpolation (bounded search).
fn contains_interpolation(n: Node<'_>, kinds: &KindTable) -> bool {
    let mut stack = vec![n];
    let mut seen = 0;
    while let Some(x) = stack.pop() {
        seen += 1;
        if seen > 10_000 {
            return true;
        }
        if kinds.get(x.kind_id()) & kinds::INTERPOLATION != 0 {
            return true;
        }
        let mut c = x.walk();
        stack.extend(x.named_children(&mut c));
    }
    false
}

/// The constant a literal's text spells.
pub fn constant(text: &str) -> Const {
    match text {
        "true" | "True" | "TRUE" => return Const::Bool(true),
        "false" | "False" | "FALSE" => return Const::Bool(false),
        "None" | "null" | "nil" | "NULL" | "undefined" => return Const::Null,
        _ => {}
    }
    if let Ok(i) = text.replace('_', "").parse::<i64>() {
        return Const::Int(i);
    }
    // Strings: drop a prefix (`b`, `r`, `f`, `u`) and one layer of quotes (or triple quotes).
    let t = text.trim_start_matches(|c: char| c.is_ascii_alphabetic() && c != '"' && c != '\'');
    for q in ["\"\"\"", "'''", "\"", "'", "`"] {
        if t.len() >= 2 * q.len()
            && let Some(inner) = t.strip_prefix(q).and_then(|s| s.strip_suffix(q))
        {
            return Const::Str(inner.to_string());
        }
    }
    if let Some(sym) = text.strip_prefix(':') {
        return Const::Str(sym.to_string());
    }
    Const::Str(text.to_string())
}

/// Folds a binary operator over two constants.
fn fold(op: &str, a: Option<&Const>, b: Option<&Const>) -> Option<Const> {
    let (a, b) = (a?, b?);
    Some(match op {
        "==" | "===" | "is" => Const::Bool(a == b),
        "!=" | "!==" | "is not" | "<>" => Const::Bool(a != b),
        "and" | "&&" => {
            if a.truthy() {
                b.clone()
            } else {
                a.clone()
            }
        }
        "or" | "||" => {
            if a.truthy() {
                a.clone()
            } else {
                b.clone()
            }
        }
        "<" | ">" | "<=" | ">=" => {
            let (Const::Int(x), Const::Int(y)) = (a, b) else {
                return None;
            };
            Const::Bool(match op {
                "<" => x < y,
                ">" => x > y,
                "<=" => x <= y,
                _ => x >= y,
            })
        }
        "+" => match (a, b) {
            (Const::Int(x), Const::Int(y)) => Const::Int(x.checked_add(*y)?),
            (Const::Str(x), Const::Str(y)) => Const::Str(format!("{x}{y}")),
            _ => return None,
        },
        "." => match (a, b) {
            (Const::Str(x), Const::Str(y)) => Const::Str(format!("{x}{y}")),
            _ => return None,
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_and_folding() {
        assert_eq!(constant("'abc'"), Const::Str("abc".into()));
        assert_eq!(constant("f\"x\""), Const::Str("x".into()));
        assert_eq!(constant("\"\"\"doc\"\"\""), Const::Str("doc".into()));
        assert_eq!(constant("False"), Const::Bool(false));
        assert_eq!(constant("1_000"), Const::Int(1000));
        assert_eq!(constant(":sym"), Const::Str("sym".into()));
        let t = Const::Bool(true);
        let one = Const::Int(1);
        assert_eq!(
            fold("==", Some(&one), Some(&Const::Int(2))),
            Some(Const::Bool(false))
        );
        assert_eq!(fold("and", Some(&t), Some(&one)), Some(one.clone()));
        assert_eq!(
            fold("<", Some(&one), Some(&Const::Int(2))),
            Some(Const::Bool(true))
        );
        assert_eq!(fold("*", Some(&one), Some(&one)), None);
    }
}
