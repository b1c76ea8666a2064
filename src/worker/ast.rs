//! The `--format ast` dump: a syntax tree as compact JSON, written iteratively.
//!
//! Each node is `{"kind","named","field"?,"bytes":[start,end],"start":[row,col],"end":[row,col],
//! "children"?:[…],"truncated"?:true}` with 0-based rows and byte columns, as tree-sitter counts
//! them. Nodes deeper than the cap keep their own entry but lose their children and say so, so
//! hostile nesting cannot blow up the output or the stack.

use std::io::Write;

use tree_sitter::Tree;

/// Default depth cap for the dump: deeper than real programs go, and shallow enough (512 levels of JSON nesting) for common JSON readers such as Python's.
pub const DEFAULT_MAX_DEPTH: u32 = 256;

/// Writes the tree as one line of JSON into `out`; returns whether any node was truncated.
pub fn write_tree(tree: &Tree, max_depth: u32, out: &mut Vec<u8>) -> bool {
    let mut cursor = tree.walk();
    let mut depth = 0u32;
    let mut truncated = false;
    loop {
        let node = cursor.node();
        out.extend_from_slice(b"{\"kind\":");
        // Kinds and field names may contain quotes or backslashes (anonymous tokens).
        write_json_str(out, node.kind());
        let _ = write!(out, ",\"named\":{}", node.is_named());
        if let Some(field) = cursor.field_name() {
            out.extend_from_slice(b",\"field\":");
            write_json_str(out, field);
        }
        let (s, e) = (node.start_position(), node.end_position());
        let _ = write!(
            out,
            ",\"bytes\":[{},{}],\"start\":[{},{}],\"end\":[{},{}]",
            node.start_byte(),
            node.end_byte(),
            s.row,
            s.column,
            e.row,
            e.column
        );
        if depth < max_depth && cursor.goto_first_child() {
            out.extend_from_slice(b",\"children\":[");
            depth += 1;
            continue;
        }
        if node.child_count() > 0 {
            out.extend_from_slice(b",\"truncated\":true");
            truncated = true;
        }
        out.push(b'}');
        loop {
            if depth == 0 {
                return truncated;
            }
            if cursor.goto_next_sibling() {
                out.push(b',');
                break;
            }
            cursor.goto_parent();
            depth -= 1;
            out.extend_from_slice(b"]}");
        }
    }
}

fn write_json_str(out: &mut Vec<u8>, s: &str) {
    // Writing a &str into a Vec cannot fail.
    serde_json::to_writer(&mut *out, s).expect("serialising a string into memory");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    fn parse(lang: Language, src: &str) -> Tree {
        let mut p = tree_sitter::Parser::new();
        p.set_language(&lang.grammar()).unwrap();
        p.parse(src, None).unwrap()
    }

    #[test]
    fn dump_is_valid_json_matching_the_tree() {
        let tree = parse(Language::Javascript, "let s = \"a\\\"b\";\n");
        let mut out = Vec::new();
        assert!(!write_tree(&tree, DEFAULT_MAX_DEPTH, &mut out));
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["kind"], "program");
        assert_eq!(v["named"], true);
        // The root ends after the last token; the trailing newline is not part of it.
        assert_eq!(v["bytes"], serde_json::json!([0, 16]));
        let decl = &v["children"][0];
        assert_eq!(decl["kind"], "lexical_declaration");
        // The anonymous `let` token is kept, with named = false.
        assert_eq!(decl["children"][0]["kind"], "let");
        assert_eq!(decl["children"][0]["named"], false);
        let declarator = &decl["children"][1];
        assert_eq!(declarator["children"][0]["field"], "name");
        assert_eq!(
            declarator["children"][0]["start"],
            serde_json::json!([0, 4])
        );
    }

    #[test]
    fn depth_cap_truncates_without_recursing() {
        let n = 100_000;
        let src = format!("x = {}{}\n", "[".repeat(n), "]".repeat(n));
        let tree = parse(Language::Python, &src);
        let mut out = Vec::new();
        assert!(write_tree(&tree, 40, &mut out));
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let mut node = &v;
        let mut depth = 0;
        while let Some(children) = node["children"].as_array() {
            node = children
                .iter()
                .find(|c| c.get("children").is_some() || c.get("truncated").is_some())
                .unwrap_or(&children[0]);
            depth += 1;
        }
        assert_eq!(depth, 40);
        assert_eq!(node["truncated"], true);
    }
}
