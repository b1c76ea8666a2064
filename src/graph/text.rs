//! The text form of a [`Graph`], for people: totals, the cycles with their files, the ten
//! files most imported and the ten that import the most files, the files nothing imports, the
//! unresolved imports and the warnings. Long lists stop after [`MAX_LISTED`] entries and say
//! how many more there are (the JSON form has them all). Everything quoted from the tree goes
//! through [`crate::pathfmt::escape_text`], so no name can forge a line.

use std::fmt::Write;

use super::{Graph, Node, UnresolvedReason};
use crate::pathfmt::escape_text;

/// Entries of the "most imported" and "imports the most" rankings.
const TOP: usize = 10;
/// Entries shown of the lists that can be as long as the tree.
const MAX_LISTED: usize = 50;

impl Graph {
    /// The graph summarised as text.
    pub fn to_text(&self) -> String {
        let s = &self.summary;
        let mut out = format!(
            "Import graph: {}, {}, {}, {}, {}{}\n",
            plural(s.files, "file"),
            plural(s.edges, "edge"),
            plural(s.externals, "external package"),
            plural(s.unresolved, "unresolved import"),
            plural(s.cycles, "cycle"),
            if s.not_analyzed > 0 {
                format!(" ({} not analysed)", plural(s.not_analyzed, "file"))
            } else {
                String::new()
            },
        );
        // Writing to a String cannot fail.
        if !self.cycles.is_empty() {
            let _ = writeln!(out, "\nCycles ({}):", self.cycles.len());
            for (i, cycle) in self.cycles.iter().enumerate() {
                let files: Vec<String> = cycle.files.iter().map(|f| escape_text(f)).collect();
                let _ = writeln!(
                    out,
                    "  {}. {}: {}",
                    i + 1,
                    plural(cycle.files.len() as u64, "file"),
                    files.join(", ")
                );
            }
        }
        ranking(
            &mut out,
            "Most imported (by how many files import them)",
            &self.files,
            |n| n.fan_in,
        );
        ranking(
            &mut out,
            "Most dependencies (by how many files they import)",
            &self.files,
            |n| n.fan_out,
        );
        let orphans: Vec<String> = self
            .files
            .iter()
            .filter(|n| n.fan_in == 0)
            .map(|n| format!("  {}", escape_text(&n.path)))
            .collect();
        list(&mut out, "Imported by no file", &orphans);
        let unresolved: Vec<String> = self
            .unresolved
            .iter()
            .map(|u| {
                let what = match &u.name {
                    Some(name) => format!("{} ({})", u.specifier, name),
                    None => u.specifier.clone(),
                };
                let why = match u.reason {
                    UnresolvedReason::NotFound => "not found",
                    UnresolvedReason::NotSource => "not a source file",
                    UnresolvedReason::OutsideRoot => "outside the tree",
                };
                format!(
                    "  {}:{}:{}  {}  ({why})",
                    escape_text(&u.file),
                    u.line,
                    u.column,
                    escape_text(&what)
                )
            })
            .collect();
        list(&mut out, "Unresolved imports", &unresolved);
        let warnings: Vec<String> = self
            .warnings
            .iter()
            .map(|w| {
                let path = if w.path.is_empty() { "." } else { &w.path };
                format!("  {}: {}", escape_text(path), escape_text(&w.message))
            })
            .collect();
        list(&mut out, "Warnings", &warnings);
        let not_analyzed: Vec<String> = self
            .not_analyzed
            .iter()
            .map(|f| {
                format!(
                    "  {}  ({}: {})",
                    escape_text(&f.path),
                    if f.status == crate::report::FileStatus::Failed {
                        "failed"
                    } else {
                        "skipped"
                    },
                    escape_text(&f.reason)
                )
            })
            .collect();
        list(&mut out, "Not analysed", &not_analyzed);
        out
    }
}

/// `count` with `noun`, in the plural unless it is one.
fn plural(count: u64, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// The [`TOP`] files by `key`, highest first, ties by path; files where it is zero are left
/// out, and so is the whole section when none remain.
fn ranking(out: &mut String, title: &str, nodes: &[Node], key: impl Fn(&Node) -> u32) {
    let mut ranked: Vec<&Node> = nodes.iter().filter(|n| key(n) > 0).collect();
    if ranked.is_empty() {
        return;
    }
    // Stable: equal counts stay in path order.
    ranked.sort_by_key(|n| std::cmp::Reverse(key(n)));
    let _ = writeln!(out, "\n{title}:");
    for node in ranked.into_iter().take(TOP) {
        let _ = writeln!(out, "  {:>5}  {}", key(node), escape_text(&node.path));
    }
}

/// A titled list of up to [`MAX_LISTED`] lines, with how many were left out; nothing when
/// empty.
fn list(out: &mut String, title: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title} ({}):", lines.len());
    for line in lines.iter().take(MAX_LISTED) {
        let _ = writeln!(out, "{line}");
    }
    if lines.len() > MAX_LISTED {
        let _ = writeln!(
            out,
            "  … and {} more (all are in the JSON output)",
            lines.len() - MAX_LISTED
        );
    }
}
