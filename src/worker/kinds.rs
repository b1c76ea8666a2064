//! Node-kind tables: `parsers/<language>/language.toml` compiled against a grammar into a
//! lookup by kind id, so the metrics walk classifies each node with one array index.

use serde::Deserialize;
use tree_sitter::Language as Grammar;

/// Bit flags for a node kind.
pub const FUNCTION: u16 = 1;
/// A class, interface, module, struct or type declaration.
pub const CLASS: u16 = 2;
/// A decision point that adds one to cyclomatic complexity.
pub const BRANCH: u16 = 4;
/// A control-flow block that adds one nesting level.
pub const NESTING: u16 = 8;
/// An `else` wrapper: an `if` directly inside one continues a chain, it does not nest.
pub const ELSE: u16 = 16;
/// The root node kind of a pattern in `imports.scm`: the query is run on such nodes only.
pub const IMPORT_ROOT: u16 = 32;
/// A literal value (string, number, boolean, null), unless it contains an interpolation.
pub const LITERAL: u16 = 64;
/// A part of a string that is computed (`${x}`, `{x}` in an f-string, `$x` in PHP).
pub const INTERPOLATION: u16 = 128;
/// An expression that is literal when all its operands are (`"a" + "b"`, `("a")`).
pub const COMPOUND: u16 = 256;
/// A local variable reference, which rules may follow to its last assignment.
pub const IDENTIFIER: u16 = 512;
/// The root node kind of some rule's query pattern: rules run on such nodes only.
pub const RULE_ROOT: u16 = 1024;

/// The lists in `language.toml`. Unknown keys are an error so typos cannot go unnoticed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindLists {
    functions: Vec<String>,
    classes: Vec<String>,
    branches: Vec<String>,
    nesting: Vec<String>,
    else_clauses: Vec<String>,
    literals: Vec<String>,
    interpolations: Vec<String>,
    compounds: Vec<String>,
    identifiers: Vec<String>,
    /// `"kind:target_field:value_field"`, e.g. `"assignment:left:right"`.
    assignments: Vec<String>,
    /// How the taint analysis reads the grammar (see `parsers/README.md`).
    #[serde(default)]
    dataflow: Option<crate::rules::taint::grammar::DataflowLists>,
}

/// How an assignment node holds its target and its value.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// Field holding the assigned name.
    pub target: String,
    /// Field holding the value.
    pub value: String,
}

/// Flags per node kind id of one grammar.
#[derive(Debug)]
pub struct KindTable {
    flags: Vec<u16>,
    /// Assignment shapes by kind id.
    assignments: Vec<Option<Assignment>>,
    /// The taint analysis's view of the grammar, when the language has one.
    pub dataflow: Option<std::rc::Rc<crate::rules::taint::grammar::Dataflow>>,
}

impl KindTable {
    /// Compiles the TOML lists against `grammar`. Every listed kind must exist in the grammar
    /// with the stated namedness (`'x'` = anonymous token), or the table is refused.
    pub fn compile(toml_text: &str, grammar: &Grammar) -> Result<KindTable, String> {
        let lists: KindLists = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        let count = grammar.node_kind_count();
        let mut flags = vec![0u16; count];
        for (list, flag) in [
            (&lists.functions, FUNCTION),
            (&lists.classes, CLASS),
            (&lists.branches, BRANCH),
            (&lists.nesting, NESTING),
            (&lists.else_clauses, ELSE),
            (&lists.literals, LITERAL),
            (&lists.interpolations, INTERPOLATION),
            (&lists.compounds, COMPOUND),
            (&lists.identifiers, IDENTIFIER),
        ] {
            for entry in list {
                let (name, named) =
                    match entry.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
                        Some(token) => (token, false),
                        None => (entry.as_str(), true),
                    };
                if !mark(&mut flags, grammar, name, named, flag) {
                    return Err(format!(
                        "unknown {} node kind {entry:?}",
                        if named { "named" } else { "anonymous" }
                    ));
                }
            }
        }
        let mut assignments = vec![None; count];
        for entry in &lists.assignments {
            let parts: Vec<&str> = entry.split(':').collect();
            let [kind, target, value] = parts[..] else {
                return Err(format!(
                    "assignment {entry:?} is not \"kind:target_field:value_field\""
                ));
            };
            for field in [target, value] {
                if grammar.field_id_for_name(field).is_none() {
                    return Err(format!("assignment {entry:?}: unknown field {field:?}"));
                }
            }
            let mut found = false;
            for (id, slot) in assignments.iter_mut().enumerate() {
                let id = id as u16;
                if grammar.node_kind_for_id(id) == Some(kind) && grammar.node_kind_is_named(id) {
                    *slot = Some(Assignment {
                        target: target.to_string(),
                        value: value.to_string(),
                    });
                    found = true;
                }
            }
            if !found {
                return Err(format!(
                    "assignment {entry:?}: unknown named node kind {kind:?}"
                ));
            }
        }
        let dataflow = match &lists.dataflow {
            Some(d) => Some(std::rc::Rc::new(
                crate::rules::taint::grammar::Dataflow::compile(d, &lists.assignments, grammar)?,
            )),
            None => None,
        };
        Ok(KindTable {
            flags,
            assignments,
            dataflow,
        })
    }

    /// The assignment shape of a kind id, if it is an assignment.
    pub fn assignment(&self, kind_id: u16) -> Option<&Assignment> {
        self.assignments
            .get(kind_id as usize)
            .and_then(Option::as_ref)
    }

    /// Adds `flag` to every id of the named node kind `name`; `false` if the grammar has none.
    pub fn add_named(&mut self, grammar: &Grammar, name: &str, flag: u16) -> bool {
        mark(&mut self.flags, grammar, name, true, flag)
    }

    /// The flags of a kind id (0 for ids the grammar does not have).
    #[inline]
    pub fn get(&self, kind_id: u16) -> u16 {
        self.flags.get(kind_id as usize).copied().unwrap_or(0)
    }
}

/// Sets `flag` on every visible id named `name` with the given namedness. A name can belong
/// to several ids (aliases), so all are scanned.
fn mark(flags: &mut [u16], grammar: &Grammar, name: &str, named: bool, flag: u16) -> bool {
    let mut found = false;
    for (id, slot) in flags.iter_mut().enumerate() {
        let id = id as u16;
        if grammar.node_kind_for_id(id) == Some(name)
            && grammar.node_kind_is_named(id) == named
            && grammar.node_kind_is_visible(id)
        {
            *slot |= flag;
            found = true;
        }
    }
    found
}

/// The node kind a query pattern starts with: `(kind ...)` at `offset` in the query source;
/// `None` for patterns that start otherwise (alternations, wildcards, anonymous tokens).
pub fn pattern_root(query_source: &str, offset: usize) -> Option<&str> {
    let rest = query_source.get(offset..)?.strip_prefix('(')?.trim_start();
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
    let root = &rest[..end];
    (!root.is_empty() && root != "_").then_some(root)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    #[test]
    fn pattern_roots() {
        let q = "; comment\n(import_statement source: (string) @import)\n[(a) (b)] @x\n(_) @y";
        assert_eq!(
            pattern_root(q, q.find("(import").unwrap()),
            Some("import_statement")
        );
        assert_eq!(pattern_root(q, q.find('[').unwrap()), None);
        assert_eq!(pattern_root(q, q.find("(_)").unwrap()), None);
    }

    #[test]
    fn every_language_table_compiles() {
        for lang in Language::all() {
            let spec = lang.spec();
            KindTable::compile(spec.kinds_toml, &lang.grammar())
                .unwrap_or_else(|e| panic!("parsers/{}/language.toml: {e}", spec.data_dir));
        }
    }

    #[test]
    fn unknown_kinds_and_keys_are_refused() {
        let grammar = Language::Python.grammar();
        let base = "functions=[]\nclasses=[]\nbranches=[]\nnesting=[]\nelse_clauses=[]\n\
                    literals=[]\ninterpolations=[]\ncompounds=[]\nidentifiers=[]\nassignments=[]\n";
        assert!(KindTable::compile(base, &grammar).is_ok());
        let typo = base.replace("branches=[]", "branches=[\"if_statment\"]");
        let err = KindTable::compile(&typo, &grammar).unwrap_err();
        assert!(err.contains("if_statment"), "{err}");
        let extra = format!("{base}loops=[]\n");
        assert!(
            KindTable::compile(&extra, &grammar)
                .unwrap_err()
                .contains("loops")
        );
        // `and` is an anonymous token in Python, not a named node.
        let wrong = base.replace("branches=[]", "branches=[\"and\"]");
        assert!(KindTable::compile(&wrong, &grammar).is_err());
        let right = base.replace("branches=[]", "branches=[\"'and'\"]");
        assert!(KindTable::compile(&right, &grammar).is_ok());
    }
}

#[cfg(test)]
mod assignment_tests {
    use super::*;
    use crate::lang::Language;

    #[test]
    fn assignment_shapes_are_checked() {
        let grammar = Language::Python.grammar();
        let base = "functions=[]\nclasses=[]\nbranches=[]\nnesting=[]\nelse_clauses=[]\n\
                    literals=[]\ninterpolations=[]\ncompounds=[]\nidentifiers=[]\n";
        let ok = format!("{base}assignments=[\"assignment:left:right\"]\n");
        let table = KindTable::compile(&ok, &grammar).unwrap();
        let id = grammar.id_for_node_kind("assignment", true);
        assert_eq!(
            table.assignment(id).map(|a| a.value.as_str()),
            Some("right")
        );
        let bad_field = format!("{base}assignments=[\"assignment:left:rhs\"]\n");
        assert!(
            KindTable::compile(&bad_field, &grammar)
                .unwrap_err()
                .contains("rhs")
        );
        let bad_shape = format!("{base}assignments=[\"assignment\"]\n");
        assert!(KindTable::compile(&bad_shape, &grammar).is_err());
    }
}
