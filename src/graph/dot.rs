//! The Graphviz form of a [`Graph`]: one `cluster_<dir>` subgraph per directory (files at the
//! root stand outside any), nodes named by path and labelled by file name, one arrow per pair
//! of files however many imports join them, and cycles — their files and the arrows between
//! them — in red. External packages and unresolved imports are left out: they are lists, not
//! structure. Every identifier is a quoted string, so no path can break the syntax.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Graph, paths};

/// The colour of cycles.
const CYCLE_COLOUR: &str = "red";

impl Graph {
    /// The graph in the DOT language.
    pub fn to_dot(&self) -> String {
        let mut out = String::from(
            "digraph imports {\n  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=10];\n  \
             node [shape=box, fontname=\"Helvetica\", fontsize=10];\n",
        );
        let mut by_dir: BTreeMap<&str, Vec<&super::Node>> = BTreeMap::new();
        for node in &self.files {
            by_dir
                .entry(paths::parent(&node.path))
                .or_default()
                .push(node);
        }
        // Writing to a String cannot fail.
        for (dir, nodes) in &by_dir {
            let indent = if dir.is_empty() { "  " } else { "    " };
            if !dir.is_empty() {
                let _ = writeln!(out, "  subgraph {} {{", quote(&format!("cluster_{dir}")));
                let _ = writeln!(out, "    label={};", quote(dir));
            }
            for node in nodes {
                let _ = write!(
                    out,
                    "{indent}{} [label={}",
                    quote(&node.path),
                    quote(paths::file_name(&node.path))
                );
                if node.in_cycle {
                    let _ = write!(out, ", color={CYCLE_COLOUR}, fontcolor={CYCLE_COLOUR}");
                }
                out.push_str("];\n");
            }
            if !dir.is_empty() {
                out.push_str("  }\n");
            }
        }
        let mut pairs: BTreeMap<(&str, &str), bool> = BTreeMap::new();
        for edge in &self.edges {
            *pairs.entry((&edge.from, &edge.to)).or_default() |= edge.in_cycle;
        }
        for ((from, to), in_cycle) in pairs {
            let _ = write!(out, "  {} -> {}", quote(from), quote(to));
            if in_cycle {
                let _ = write!(out, " [color={CYCLE_COLOUR}, penwidth=2]");
            }
            out.push_str(";\n");
        }
        out.push_str("}\n");
        out
    }
}

/// `text` as a DOT quoted string. Inside quotes DOT only unescapes `\"`, but labels give
/// backslash sequences (`\n`, `\l`) a meaning, so `\` is doubled; line breaks and other
/// control characters are written as escapes rather than passed through.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The directories that get a cluster, for tests.
#[cfg(test)]
pub(crate) fn clusters(dot: &str) -> std::collections::BTreeSet<String> {
    dot.lines()
        .filter_map(|l| l.trim().strip_prefix("subgraph \"cluster_"))
        .filter_map(|l| l.strip_suffix("\" {"))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_ids_inside_their_quotes() {
        assert_eq!(quote("a/b.py"), "\"a/b.py\"");
        assert_eq!(quote("x\"y"), "\"x\\\"y\"");
        assert_eq!(quote("c:\\d\n"), "\"c:\\\\d\\n\"");
        assert_eq!(quote("\u{1b}"), "\"\\\\u{1b}\"");
        // A trailing backslash cannot escape the closing quote.
        assert_eq!(quote("a\\"), "\"a\\\\\"");
    }

    #[test]
    fn cluster_names_are_read_back() {
        let dot = "  subgraph \"cluster_src/a\" {\n  }\n";
        let want = std::collections::BTreeSet::from(["src/a".to_string()]);
        assert_eq!(clusters(dot), want);
    }
}
