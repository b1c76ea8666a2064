//! How a grammar spells the constructs the taint analysis follows: the `[dataflow]` table of
//! `parsers/<language>/language.toml`, compiled against the grammar into lookups by kind id.
//!
//! A field is named as in the grammar (`condition`), as `#n` for the n-th named child
//! (0-based) when the grammar gives it no field, or `-` for none. Every kind and field must
//! exist in the grammar, so a typo cannot silently switch the analysis off.

use std::collections::HashMap;

use serde::Deserialize;
use tree_sitter::{Language as Grammar, Node};

/// The `[dataflow]` table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataflowLists {
    /// `"kind:callee:arguments"`; a callee `recv+name` names the receiver and method fields.
    pub calls: Vec<String>,
    /// `"kind:object:property"`.
    pub members: Vec<String>,
    /// `"kind:object:index"`.
    pub subscripts: Vec<String>,
    /// `"kind:condition:consequence:alternative"`; the alternative may repeat (elif chains).
    pub conditionals: Vec<String>,
    /// `"kind:condition:consequence:alternative"` for expressions (`a if c else b`).
    pub ternaries: Vec<String>,
    /// `"kind"` or `"kind:target:iterable"` (the target takes the iterable's elements).
    pub loops: Vec<String>,
    /// Arms of a switch / match / case: evaluated each from the state before them, joined.
    pub cases: Vec<String>,
    /// Return statements (their named children are the returned value).
    pub returns: Vec<String>,
    /// Statement blocks (a function body that is not one is an expression whose value is
    /// returned).
    pub blocks: Vec<String>,
    /// List and tuple literals (named children are the elements).
    pub lists: Vec<String>,
    /// `"kind:entry_kind:key:value"` for map literals.
    pub maps: Vec<String>,
    /// Assignments that add to their target (`+=`): `"kind:target:value"`.
    pub updates: Vec<String>,
    /// Declarations that assign: `"kind:target:value"` (besides the `assignments` list).
    #[serde(default)]
    pub declarations: Vec<String>,
    /// Names a method's receiver goes by (`self`, `this`): their fields are the class's.
    pub receivers: Vec<String>,
    /// Method names whose result carries the taint of the receiver and the arguments.
    pub propagating_methods: Vec<String>,
    /// Function names (as written at the call, e.g. `base64.b64decode`) whose result
    /// carries the taint of their arguments.
    pub propagating_functions: Vec<String>,
    /// Method names that add their arguments to the receiver (`append`, `push`, `put`).
    pub adding_methods: Vec<String>,
    /// Method names that take an element out of a list: `name:first` or `name:last`.
    pub removing_methods: Vec<String>,
    /// Method names that read one element by constant index or key (`get`).
    pub reading_methods: Vec<String>,
    /// Method names that store a value under a constant key (`put`, `set`): key, value.
    pub storing_methods: Vec<String>,
    /// Functions and constructors (type arguments ignored) whose result is a new list of
    /// their arguments: `List.of`, `Arrays.asList`, `ArrayList` (`new ArrayList<>()`).
    #[serde(default)]
    pub list_functions: Vec<String>,
    /// Whether a function's last statement is its value (Ruby).
    #[serde(default)]
    pub implicit_return: bool,
    /// Whether a bare name that is no variable calls the function of that name (Ruby's
    /// `user_params`).
    #[serde(default)]
    pub bare_calls: bool,
}

/// A field reference: by name, by named-child position, or none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    /// A grammar field.
    Named(u16),
    /// The n-th named child.
    Nth(usize),
    /// Absent.
    None,
}

impl Field {
    /// The child this field designates in `node`.
    pub fn get<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        match self {
            Field::Named(id) => node.child_by_field_id(*id),
            Field::Nth(n) => node.named_child(*n as u32),
            Field::None => None,
        }
    }

    /// Every child this field designates (a field may repeat).
    pub fn all<'t>(&self, node: Node<'t>) -> Vec<Node<'t>> {
        match self {
            Field::Named(id) => {
                let mut c = node.walk();
                node.children_by_field_id(
                    std::num::NonZeroU16::new(*id).expect("field ids start at 1"),
                    &mut c,
                )
                .collect()
            }
            other => other.get(node).into_iter().collect(),
        }
    }
}

/// What the analysis does with a node kind.
#[derive(Clone, Debug)]
pub enum Role {
    /// A call: callee (or receiver and method name) and arguments.
    Call {
        /// The callee expression, when the call has one.
        callee: Field,
        /// The receiver, for grammars that split method calls.
        receiver: Field,
        /// The method name, for grammars that split method calls.
        name: Field,
        /// The argument list.
        arguments: Field,
    },
    /// `object.property`.
    Member(Field, Field),
    /// `object[index]`.
    Subscript(Field, Field),
    /// `if` and its chain.
    Conditional(Field, Field, Field),
    /// `c ? a : b`.
    Ternary(Field, Field, Field),
    /// A loop, with its iteration target and iterable when it has them.
    Loop(Field, Field),
    /// An arm of a switch.
    Case,
    /// `return …`.
    Return,
    /// A list literal.
    List,
    /// A map literal: entry kind id, key and value fields.
    Map(u16, Field, Field),
    /// An assignment or declaration: target and value; `true` when it adds to the target.
    Assign(Field, Field, bool),
}

/// A compiled `[dataflow]` table.
#[derive(Debug)]
pub struct Dataflow {
    roles: HashMap<u16, Role>,
    blocks: Vec<u16>,
    /// Names of method receivers (`self`, `this`).
    pub receivers: Vec<String>,
    /// See [`DataflowLists::propagating_methods`].
    pub propagating_methods: Vec<String>,
    /// See [`DataflowLists::propagating_functions`].
    pub propagating_functions: Vec<String>,
    /// See [`DataflowLists::adding_methods`].
    pub adding_methods: Vec<String>,
    /// See [`DataflowLists::removing_methods`]: name and whether it takes the first element.
    pub removing_methods: Vec<(String, bool)>,
    /// See [`DataflowLists::reading_methods`].
    pub reading_methods: Vec<String>,
    /// See [`DataflowLists::storing_methods`].
    pub storing_methods: Vec<String>,
    /// See [`DataflowLists::list_functions`].
    pub list_functions: Vec<String>,
    /// See [`DataflowLists::implicit_return`].
    pub implicit_return: bool,
    /// See [`DataflowLists::bare_calls`].
    pub bare_calls: bool,
}

impl Dataflow {
    /// Compiles the lists against `grammar`; `assignments` are the language's
    /// `"kind:target:value"` entries of the top-level `assignments` list.
    pub fn compile(
        lists: &DataflowLists,
        assignments: &[String],
        grammar: &Grammar,
    ) -> Result<Dataflow, String> {
        let kinds = |name: &str| -> Result<Vec<u16>, String> {
            let ids: Vec<u16> = (0..grammar.node_kind_count() as u16)
                .filter(|&id| {
                    grammar.node_kind_for_id(id) == Some(name) && grammar.node_kind_is_named(id)
                })
                .collect();
            if ids.is_empty() {
                return Err(format!("[dataflow]: unknown node kind {name:?}"));
            }
            Ok(ids)
        };
        let field = |name: &str| -> Result<Field, String> {
            if name == "-" {
                return Ok(Field::None);
            }
            if let Some(n) = name.strip_prefix('#') {
                return n
                    .parse()
                    .map(Field::Nth)
                    .map_err(|_| format!("[dataflow]: bad field position {name:?}"));
            }
            grammar
                .field_id_for_name(name)
                .map(|id| Field::Named(id.get()))
                .ok_or_else(|| format!("[dataflow]: unknown field {name:?}"))
        };
        let parts =
            |entry: &str, n: std::ops::RangeInclusive<usize>| -> Result<Vec<String>, String> {
                let p: Vec<String> = entry.split(':').map(str::to_string).collect();
                if !n.contains(&p.len()) {
                    return Err(format!(
                        "[dataflow]: {entry:?} should have {n:?} parts separated by ':'"
                    ));
                }
                Ok(p)
            };
        let mut roles = HashMap::new();
        let mut put = |name: &str, role: Role| -> Result<(), String> {
            for id in kinds(name)? {
                roles.insert(id, role.clone());
            }
            Ok(())
        };
        for e in &lists.calls {
            let p = parts(e, 3..=3)?;
            let (callee, receiver, name) = match p[1].split_once('+') {
                Some((r, n)) => (Field::None, field(r)?, field(n)?),
                None => (field(&p[1])?, Field::None, Field::None),
            };
            put(
                &p[0],
                Role::Call {
                    callee,
                    receiver,
                    name,
                    arguments: field(&p[2])?,
                },
            )?;
        }
        for e in &lists.members {
            let p = parts(e, 3..=3)?;
            put(&p[0], Role::Member(field(&p[1])?, field(&p[2])?))?;
        }
        for e in &lists.subscripts {
            let p = parts(e, 3..=3)?;
            put(&p[0], Role::Subscript(field(&p[1])?, field(&p[2])?))?;
        }
        for e in &lists.conditionals {
            let p = parts(e, 4..=4)?;
            put(
                &p[0],
                Role::Conditional(field(&p[1])?, field(&p[2])?, field(&p[3])?),
            )?;
        }
        for e in &lists.ternaries {
            let p = parts(e, 4..=4)?;
            put(
                &p[0],
                Role::Ternary(field(&p[1])?, field(&p[2])?, field(&p[3])?),
            )?;
        }
        for e in &lists.loops {
            let p = parts(e, 1..=3)?;
            let (t, i) = match p.len() {
                3 => (field(&p[1])?, field(&p[2])?),
                1 => (Field::None, Field::None),
                _ => {
                    return Err(format!(
                        "[dataflow]: loop {e:?} needs a target and an iterable"
                    ));
                }
            };
            put(&p[0], Role::Loop(t, i))?;
        }
        for e in &lists.cases {
            put(e, Role::Case)?;
        }
        for e in &lists.returns {
            put(e, Role::Return)?;
        }
        for e in &lists.lists {
            put(e, Role::List)?;
        }
        for e in &lists.maps {
            let p = parts(e, 4..=4)?;
            let entry = kinds(&p[1])?[0];
            put(&p[0], Role::Map(entry, field(&p[2])?, field(&p[3])?))?;
        }
        for (list, adds) in [
            (assignments, false),
            (&lists.declarations[..], false),
            (&lists.updates[..], true),
        ] {
            for e in list {
                let p = parts(e, 3..=3)?;
                put(&p[0], Role::Assign(field(&p[1])?, field(&p[2])?, adds))?;
            }
        }
        let mut blocks = Vec::new();
        for b in &lists.blocks {
            blocks.extend(kinds(b)?);
        }
        let mut removing = Vec::new();
        for e in &lists.removing_methods {
            match e.split_once(':') {
                Some((name, "first")) => removing.push((name.to_string(), true)),
                Some((name, "last")) => removing.push((name.to_string(), false)),
                _ => {
                    return Err(format!(
                        "[dataflow]: removing method {e:?} must end in :first or :last"
                    ));
                }
            }
        }
        Ok(Dataflow {
            roles,
            blocks,
            receivers: lists.receivers.clone(),
            propagating_methods: lists.propagating_methods.clone(),
            propagating_functions: lists.propagating_functions.clone(),
            adding_methods: lists.adding_methods.clone(),
            removing_methods: removing,
            reading_methods: lists.reading_methods.clone(),
            storing_methods: lists.storing_methods.clone(),
            list_functions: lists.list_functions.clone(),
            implicit_return: lists.implicit_return,
            bare_calls: lists.bare_calls,
        })
    }

    /// What the analysis does with `node`, if anything special.
    pub fn role(&self, node: Node<'_>) -> Option<&Role> {
        self.roles.get(&node.kind_id())
    }

    /// Whether `node` is a statement block.
    pub fn is_block(&self, node: Node<'_>) -> bool {
        self.blocks.contains(&node.kind_id())
    }
}
