//! Node-kind tables: `parsers/<language>/language.toml` compiled against a grammar into a
//! lookup by kind id, so the metrics walk classifies each node with one array index.

use serde::Deserialize;
use tree_sitter::Language as Grammar;

/// Bit flags for a node kind.
pub const FUNCTION: u8 = 1;
/// A class, interface, module, struct or type declaration.
pub const CLASS: u8 = 2;
/// A decision point that adds one to cyclomatic complexity.
pub const BRANCH: u8 = 4;
/// A control-flow block that adds one nesting level.
pub const NESTING: u8 = 8;
/// An `else` wrapper: an `if` directly inside one continues a chain, it does not nest.
pub const ELSE: u8 = 16;
/// The root node kind of a pattern in `imports.scm`: the query is run on such nodes only.
pub const IMPORT_ROOT: u8 = 32;

/// The lists in `language.toml`. Unknown keys are an error so typos cannot go unnoticed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindLists {
    functions: Vec<String>,
    classes: Vec<String>,
    branches: Vec<String>,
    nesting: Vec<String>,
    else_clauses: Vec<String>,
}

/// Flags per node kind id of one grammar.
#[derive(Debug)]
pub struct KindTable {
    flags: Vec<u8>,
}

impl KindTable {
    /// Compiles the TOML lists against `grammar`. Every listed kind must exist in the grammar
    /// with the stated namedness (`'x'` = anonymous token), or the table is refused.
    pub fn compile(toml_text: &str, grammar: &Grammar) -> Result<KindTable, String> {
        let lists: KindLists = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        let count = grammar.node_kind_count();
        let mut flags = vec![0u8; count];
        for (list, flag) in [
            (&lists.functions, FUNCTION),
            (&lists.classes, CLASS),
            (&lists.branches, BRANCH),
            (&lists.nesting, NESTING),
            (&lists.else_clauses, ELSE),
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
        Ok(KindTable { flags })
    }

    /// Adds `flag` to every id of the named node kind `name`; `false` if the grammar has none.
    pub fn add_named(&mut self, grammar: &Grammar, name: &str, flag: u8) -> bool {
        mark(&mut self.flags, grammar, name, true, flag)
    }

    /// The flags of a kind id (0 for ids the grammar does not have).
    #[inline]
    pub fn get(&self, kind_id: u16) -> u8 {
        self.flags.get(kind_id as usize).copied().unwrap_or(0)
    }
}

/// Sets `flag` on every visible id named `name` with the given namedness. A name can belong
/// to several ids (aliases), so all are scanned.
fn mark(flags: &mut [u8], grammar: &Grammar, name: &str, named: bool, flag: u8) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

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
        let base = "functions=[]\nclasses=[]\nbranches=[]\nnesting=[]\nelse_clauses=[]\n";
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
