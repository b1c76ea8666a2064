//! The abstract values of the taint analysis: where a value's taint comes from (with the
//! steps it took), what constant it is known to be, and the parts of a list or map built in
//! the function.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::analysis::Span;

/// Most origins one value remembers; more are dropped (the value stays tainted).
const MAX_ORIGINS: usize = 3;
/// Most steps a trace keeps; later steps are not recorded (the sink still is).
pub const MAX_STEPS: u16 = 12;
/// Most parts a list or map keeps apart; beyond it the collection is tainted as a whole.
const MAX_PARTS: usize = 64;

/// What a step of a flow is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// Where the untrusted value enters.
    Source,
    /// An assignment to a variable, field or element.
    Assign,
    /// A call of a function of the same file, with the value as an argument.
    Call,
    /// The value returned from a function of the same file.
    Return,
    /// A parameter of a function receiving the value.
    Param,
}

/// One step of a flow, linked to the step before it.
#[derive(Debug)]
pub struct Step {
    /// What happened.
    pub kind: StepKind,
    /// Where.
    pub span: Span,
    /// A short description (`q = …`, `build_query(…)`).
    pub label: String,
    /// The step before, none for the first.
    pub prev: Option<Rc<Step>>,
    /// Steps in the chain up to and including this one.
    pub len: u16,
}

impl Step {
    /// The steps from the first to this one.
    pub fn chain(self: &Rc<Step>) -> Vec<Rc<Step>> {
        let mut steps = Vec::with_capacity(self.len as usize);
        let mut at = Some(self.clone());
        while let Some(step) = at {
            at = step.prev.clone();
            steps.push(step);
        }
        steps.reverse();
        steps
    }
}

/// Where a taint comes from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum OriginKind {
    /// A source of the rule.
    Source,
    /// A parameter of the function being summarised (its index).
    Param(u16),
}

/// One origin of a value's taint and the trace from it.
#[derive(Clone, Debug)]
pub struct Origin {
    /// Source or parameter.
    pub kind: OriginKind,
    /// The last step (follow `prev` to the first).
    pub trace: Rc<Step>,
}

impl Origin {
    /// Where the flow started: identifies an origin when joining values.
    fn key(&self) -> (&OriginKind, u32, u32) {
        let mut first = &self.trace;
        while let Some(p) = &first.prev {
            first = p;
        }
        (&self.kind, first.span.start.line, first.span.start.column)
    }

    /// This origin, one step further (unless the trace is full).
    pub fn then(&self, kind: StepKind, span: Span, label: &str) -> Origin {
        if self.trace.len >= MAX_STEPS || self.trace.span == span {
            return self.clone();
        }
        Origin {
            kind: self.kind.clone(),
            trace: Rc::new(Step {
                kind,
                span,
                label: label.to_string(),
                prev: Some(self.trace.clone()),
                len: self.trace.len + 1,
            }),
        }
    }
}

/// A constant a value is known to hold.
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A string.
    Str(String),
    /// `None`, `null`, `nil`.
    Null,
}

impl Const {
    /// Truthiness as most of the languages define it.
    pub fn truthy(&self) -> bool {
        match self {
            Const::Bool(b) => *b,
            Const::Int(i) => *i != 0,
            Const::Str(s) => !s.is_empty(),
            Const::Null => false,
        }
    }
}

/// The known parts of a collection built in the function.
#[derive(Clone, Debug)]
pub enum Parts {
    /// A list whose elements are known by index.
    List(Vec<Val>),
    /// A map whose entries are known by constant key.
    Map(BTreeMap<String, Val>),
}

/// An abstract value.
#[derive(Clone, Debug, Default)]
pub struct Val {
    /// Taint of the value as a whole (for a collection: of its unknown parts).
    pub origins: Vec<Origin>,
    /// The constant it holds, when known.
    pub konst: Option<Const>,
    /// Its parts, when it is a collection built here.
    pub parts: Option<Rc<Parts>>,
}

impl Val {
    /// A clean value of unknown content.
    pub fn clean() -> Val {
        Val::default()
    }

    /// A clean constant.
    pub fn constant(c: Const) -> Val {
        Val {
            konst: Some(c),
            ..Val::default()
        }
    }

    /// A value tainted by `origin`.
    pub fn from_origin(origin: Origin) -> Val {
        Val {
            origins: vec![origin],
            ..Val::default()
        }
    }

    /// Whether any part of the value is tainted.
    pub fn is_tainted(&self) -> bool {
        !self.origins.is_empty()
            || self.parts.as_ref().is_some_and(|p| match &**p {
                Parts::List(items) => items.iter().any(Val::is_tainted),
                Parts::Map(entries) => entries.values().any(Val::is_tainted),
            })
    }

    /// Every origin of the value and of its parts.
    pub fn all_origins(&self) -> Vec<Origin> {
        let mut out = self.origins.clone();
        if let Some(parts) = &self.parts {
            let items: Box<dyn Iterator<Item = &Val>> = match &**parts {
                Parts::List(items) => Box::new(items.iter()),
                Parts::Map(entries) => Box::new(entries.values()),
            };
            for item in items {
                for o in item.all_origins() {
                    push_origin(&mut out, o);
                }
            }
        }
        out
    }

    /// The value as one flat taint (collection parts folded in, constant forgotten): what a
    /// concatenation or an unknown use of it carries.
    pub fn flat(&self) -> Val {
        Val {
            origins: self.all_origins(),
            konst: None,
            parts: None,
        }
    }

    /// Adds the taint of `other` (flattened) to this value, forgetting its constant.
    pub fn absorb(&mut self, other: &Val) {
        for o in other.all_origins() {
            push_origin(&mut self.origins, o);
        }
        self.konst = None;
    }

    /// The union of values: flattened taints, no constant.
    pub fn union<'a>(vals: impl IntoIterator<Item = &'a Val>) -> Val {
        let mut out = Val::clean();
        for v in vals {
            out.absorb(v);
        }
        out
    }

    /// Every origin one step further.
    pub fn then(&self, kind: StepKind, span: Span, label: &str) -> Val {
        if !self.is_tainted() {
            return self.clone();
        }
        let map = |v: &Val| v.then(kind, span, label);
        Val {
            origins: self
                .origins
                .iter()
                .map(|o| o.then(kind, span, label))
                .collect(),
            konst: self.konst.clone(),
            parts: self.parts.as_ref().map(|p| {
                Rc::new(match &**p {
                    Parts::List(items) => Parts::List(items.iter().map(map).collect()),
                    Parts::Map(entries) => {
                        Parts::Map(entries.iter().map(|(k, v)| (k.clone(), map(v))).collect())
                    }
                })
            }),
        }
    }

    /// The value of either of two paths: taints joined, the constant kept only when both
    /// agree, parts kept where both have the same shape.
    pub fn join(a: &Val, b: &Val) -> Val {
        let parts = match (a.parts.as_deref(), b.parts.as_deref()) {
            (Some(Parts::List(x)), Some(Parts::List(y))) if x.len() == y.len() => Some(
                Parts::List(x.iter().zip(y).map(|(p, q)| Val::join(p, q)).collect()),
            ),
            (Some(Parts::Map(x)), Some(Parts::Map(y))) => {
                let mut m = x.clone();
                for (k, v) in y {
                    let joined = match m.get(k) {
                        Some(old) => Val::join(old, v),
                        None => v.clone(),
                    };
                    m.insert(k.clone(), joined);
                }
                Some(Parts::Map(m))
            }
            _ => None,
        };
        let mut out = Val {
            origins: a.origins.clone(),
            konst: if a.konst == b.konst {
                a.konst.clone()
            } else {
                None
            },
            parts: parts.map(Rc::new),
        };
        for o in &b.origins {
            push_origin(&mut out.origins, o.clone());
        }
        if out.parts.is_none() {
            // Shapes differ: what either knew of its parts becomes taint of the whole.
            for side in [a, b] {
                if side.parts.is_some() {
                    for o in side.all_origins() {
                        push_origin(&mut out.origins, o);
                    }
                }
            }
        }
        out
    }

    /// Whether two values carry the same origins and constant (for loop fixpoints).
    pub fn same(&self, other: &Val) -> bool {
        let keys = |v: &Val| {
            let mut k: Vec<_> = v
                .all_origins()
                .iter()
                .map(|o| {
                    let (kind, l, c) = o.key();
                    (kind.clone(), l, c)
                })
                .collect();
            k.sort();
            k
        };
        self.konst == other.konst && keys(self) == keys(other)
    }

    /// A list value with known elements.
    pub fn list(items: Vec<Val>) -> Val {
        if items.len() > MAX_PARTS {
            return Val::union(&items);
        }
        Val {
            parts: Some(Rc::new(Parts::List(items))),
            ..Val::clean()
        }
    }

    /// A map value with known entries.
    pub fn map(entries: BTreeMap<String, Val>) -> Val {
        if entries.len() > MAX_PARTS {
            return Val::union(entries.values());
        }
        Val {
            parts: Some(Rc::new(Parts::Map(entries))),
            ..Val::clean()
        }
    }

    /// The element at constant index or key `key`, or the whole collection's taint when the
    /// part is not known.
    pub fn part(&self, key: Option<&Const>) -> Val {
        let whole = || Val {
            origins: self.origins.clone(),
            ..Val::clean()
        };
        match (self.parts.as_deref(), key) {
            (Some(Parts::List(items)), Some(Const::Int(i))) => {
                let idx = if *i < 0 { items.len() as i64 + i } else { *i };
                match usize::try_from(idx).ok().and_then(|i| items.get(i)) {
                    Some(v) => {
                        let mut v = v.clone();
                        v.absorb(&whole());
                        v
                    }
                    None => whole(),
                }
            }
            (Some(Parts::Map(entries)), Some(k)) => match entries.get(&const_key(k)) {
                Some(v) => {
                    let mut v = v.clone();
                    for o in &self.origins {
                        push_origin(&mut v.origins, o.clone());
                    }
                    v
                }
                None => whole(),
            },
            (None, _) => whole(),
            // An unknown index into a known collection: any element.
            _ => self.flat(),
        }
    }

    /// This collection with the part at `key` replaced by `v` (or, for an unknown key, with
    /// `v`'s taint added to the whole).
    pub fn with_part(&self, key: Option<&Const>, v: Val) -> Val {
        let mut out = self.clone();
        match (self.parts.as_deref(), key) {
            (Some(Parts::List(items)), Some(Const::Int(i)))
                if usize::try_from(*i).is_ok_and(|i| i <= items.len()) =>
            {
                let mut items = items.clone();
                let i = *i as usize;
                if i == items.len() {
                    items.push(v);
                } else {
                    items[i] = v;
                }
                return Val::list(items).with_origins(&self.origins);
            }
            (Some(Parts::Map(entries)), Some(k)) => {
                let mut entries = entries.clone();
                entries.insert(const_key(k), v);
                return Val::map(entries).with_origins(&self.origins);
            }
            // An empty literal or constructor may be a map (`{}` in Go, `new HashMap<>()`,
            // `[]` in PHP).
            (Some(Parts::List(items)), Some(k @ Const::Str(_))) if items.is_empty() => {
                let mut entries = BTreeMap::new();
                entries.insert(const_key(k), v);
                return Val::map(entries).with_origins(&self.origins);
            }
            (None, Some(k @ (Const::Str(_) | Const::Int(_)))) if self.konst.is_none() => {
                // First write through a constant key into a value of unknown shape: from now
                // on the value is a map with known entries (and its old taint as the rest).
                let mut entries = BTreeMap::new();
                entries.insert(const_key(k), v);
                return Val::map(entries).with_origins(&self.origins);
            }
            _ => out.absorb(&v),
        }
        out
    }

    /// Appends an element to a list (or taints the whole of anything else).
    pub fn pushed(&self, v: Val) -> Val {
        match self.parts.as_deref() {
            // An empty literal may be a list (`[]string{}` in Go parses like a map's `{}`).
            Some(Parts::Map(entries)) if entries.is_empty() => {
                Val::list(vec![v]).with_origins(&self.origins)
            }
            Some(Parts::List(items)) => {
                let mut items = items.clone();
                items.push(v);
                Val::list(items).with_origins(&self.origins)
            }
            _ => {
                let mut out = self.clone();
                out.absorb(&v);
                out
            }
        }
    }

    /// Removes the first (or last) element of a list, giving it and the list after; for
    /// anything else, any element and the unchanged value.
    pub fn removed(&self, first: bool) -> (Val, Val) {
        match self.parts.as_deref() {
            Some(Parts::List(items)) if !items.is_empty() => {
                let mut items = items.clone();
                let item = if first {
                    items.remove(0)
                } else {
                    items.pop().expect("not empty")
                };
                let mut item = item;
                for o in &self.origins {
                    push_origin(&mut item.origins, o.clone());
                }
                (item, Val::list(items).with_origins(&self.origins))
            }
            _ => (self.flat(), self.clone()),
        }
    }

    fn with_origins(mut self, origins: &[Origin]) -> Val {
        for o in origins {
            push_origin(&mut self.origins, o.clone());
        }
        self
    }
}

/// The key a constant has in a map's parts.
fn const_key(c: &Const) -> String {
    match c {
        Const::Bool(b) => b.to_string(),
        Const::Int(i) => i.to_string(),
        Const::Str(s) => s.clone(),
        Const::Null => "null".into(),
    }
}

/// Adds an origin unless one from the same place is there or the list is full.
fn push_origin(origins: &mut Vec<Origin>, o: Origin) {
    if origins.len() < MAX_ORIGINS && !origins.iter().any(|x| x.key() == o.key()) {
        origins.push(o);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Position;

    fn origin(line: u32) -> Origin {
        let at = Position { line, column: 1 };
        Origin {
            kind: OriginKind::Source,
            trace: Rc::new(Step {
                kind: StepKind::Source,
                span: Span { start: at, end: at },
                label: "src".into(),
                prev: None,
                len: 1,
            }),
        }
    }

    #[test]
    fn maps_keep_keys_apart_and_lists_indexes() {
        let t = Val::from_origin(origin(1));
        let m = Val::clean()
            .with_part(Some(&Const::Str("a".into())), t.clone())
            .with_part(Some(&Const::Str("b".into())), Val::constant(Const::Int(1)));
        assert!(m.part(Some(&Const::Str("a".into()))).is_tainted());
        assert!(!m.part(Some(&Const::Str("b".into()))).is_tainted());
        assert!(m.part(None).is_tainted(), "an unknown key may be any entry");

        let l = Val::list(vec![]).pushed(Val::clean()).pushed(t);
        assert!(!l.part(Some(&Const::Int(0))).is_tainted());
        assert!(l.part(Some(&Const::Int(1))).is_tainted());
        let (first, rest) = l.removed(true);
        assert!(!first.is_tainted());
        assert!(rest.part(Some(&Const::Int(0))).is_tainted());
    }

    #[test]
    fn an_empty_literal_becomes_what_is_put_into_it() {
        let t = Val::from_origin(origin(1));
        // `new HashMap<>()` made as an empty list, then `put("a", t)`.
        let m = Val::list(vec![]).with_part(Some(&Const::Str("a".into())), t.clone());
        assert!(m.part(Some(&Const::Str("a".into()))).is_tainted());
        assert!(!m.part(Some(&Const::Str("b".into()))).is_tainted());
        // Go's `[]string{}` parses like an empty map literal, then `append(l, "x", t)`.
        let l = Val::map(Default::default())
            .pushed(Val::constant(Const::Str("x".into())))
            .pushed(t);
        assert!(!l.part(Some(&Const::Int(0))).is_tainted());
        assert!(l.part(Some(&Const::Int(1))).is_tainted());
    }

    #[test]
    fn joins_keep_both_taints_and_only_agreed_constants() {
        let a = Val::constant(Const::Str("x".into()));
        let b = Val::from_origin(origin(2));
        let j = Val::join(&a, &b);
        assert!(j.is_tainted());
        assert_eq!(j.konst, None);
        let same = Val::join(&a, &a);
        assert_eq!(same.konst, Some(Const::Str("x".into())));
        assert!(j.same(&Val::join(&b, &a)));
    }
}
