//! The short text each answer carries beside its structured content: a few lines an agent (or
//! a person reading a transcript) can take in at once. The structured content has everything;
//! the text has the totals and at most [`TEXT_ENTRIES`] entries.

use std::fmt::Write;

use super::types::*;

/// Entries of a list the text names; the structured content has the whole page.
const TEXT_ENTRIES: usize = 10;

/// What an answer says in words.
pub trait Render {
    /// The text.
    fn text(&self) -> String;
}

fn counts(c: &FileCounts) -> String {
    format!(
        "{} files ({} parsed, {} with syntax errors, {} skipped, {} failed)",
        c.files, c.parsed, c.parsed_with_errors, c.skipped, c.failed
    )
}

fn more(out: &mut String, shown: usize, page: usize, next: &Option<String>) {
    if page > shown {
        let _ = writeln!(out, "... and {} more on this page", page - shown);
    }
    if let Some(cursor) = next {
        let _ = writeln!(out, "More: call again with cursor {cursor:?}.");
    }
}

fn finding_lines(out: &mut String, findings: &[Finding]) {
    for f in findings.iter().take(TEXT_ENTRIES) {
        let _ = writeln!(
            out,
            "{}:{}:{}: {} {} (CWE-{}): {}",
            f.path, f.line, f.column, f.severity, f.rule, f.cwe, f.message
        );
    }
}

impl Render for ScanOutput {
    fn text(&self) -> String {
        let mut out = String::new();
        let s = &self.by_severity;
        let _ = writeln!(
            out,
            "Scanned {}: {}. {} findings ({} critical, {} high, {} medium, {} low){}.",
            if self.paths == ["."] {
                "the root".to_string()
            } else {
                self.paths.join(", ")
            },
            counts(&self.files),
            self.findings_total,
            s.critical,
            s.high,
            s.medium,
            s.low,
            if self.suppressed > 0 {
                format!(", {} suppressed", self.suppressed)
            } else {
                String::new()
            }
        );
        finding_lines(&mut out, &self.findings);
        more(
            &mut out,
            TEXT_ENTRIES,
            self.findings.len(),
            &self.next_cursor,
        );
        for n in self.not_analyzed.iter().take(TEXT_ENTRIES) {
            let _ = writeln!(
                out,
                "{}: {} ({}): {}",
                n.path, n.status, n.reason_code, n.reason
            );
        }
        if let Some(why) = &self.incomplete {
            let _ = writeln!(out, "The scan is incomplete: {why}");
        }
        out
    }
}

impl Render for ScanCodeOutput {
    fn text(&self) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "{} ({}): {}, {} lines, {} syntax errors, {} findings.",
            self.filename,
            self.language,
            self.status,
            self.lines,
            self.syntax_error_count,
            self.findings_total
        );
        if let Some(reason) = &self.reason {
            let _ = write!(out, " {reason}");
        }
        out.push('\n');
        for e in self.syntax_errors.iter().take(TEXT_ENTRIES) {
            let _ = writeln!(
                out,
                "{}:{}:{}: syntax {}{}",
                self.filename,
                e.line,
                e.column,
                e.kind,
                e.expected
                    .as_ref()
                    .map(|t| format!(" (expected {t})"))
                    .unwrap_or_default()
            );
        }
        finding_lines(&mut out, &self.findings);
        more(
            &mut out,
            TEXT_ENTRIES,
            self.findings.len(),
            &self.next_cursor,
        );
        out
    }
}

impl Render for StructureOutput {
    fn text(&self) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "{}: {}, {} lines, {} functions, {} classes, {} imports.",
            self.path,
            self.status,
            self.lines,
            self.totals.functions,
            self.totals.classes,
            self.totals.imports
        );
        if let Some(reason) = &self.reason {
            let _ = write!(out, " {reason}");
        }
        out.push('\n');
        for f in self.functions.iter().take(TEXT_ENTRIES) {
            let _ = writeln!(
                out,
                "  {} (lines {}-{}): {} parameters, complexity {}, nesting {}",
                f.name, f.start_line, f.end_line, f.parameters, f.complexity, f.max_nesting
            );
        }
        more(
            &mut out,
            TEXT_ENTRIES,
            self.functions.len(),
            &self.next_cursor,
        );
        out
    }
}

impl Render for HotspotsOutput {
    fn text(&self) -> String {
        let mut out = String::new();
        let b = &self.bands;
        let _ = writeln!(
            out,
            "{}: {} functions in {} ({} simple, {} moderate, {} complex, {} very complex); {} at \
             complexity >= {} and nesting >= {}.",
            self.path,
            self.functions_total,
            counts(&self.files),
            b.simple,
            b.moderate,
            b.complex,
            b.very_complex,
            self.matching,
            self.thresholds.min_complexity,
            self.thresholds.min_nesting
        );
        for h in self.functions.iter().take(TEXT_ENTRIES) {
            let _ = writeln!(
                out,
                "{}:{}: {} complexity {} ({}), nesting {}",
                h.path, h.start_line, h.name, h.complexity, h.band, h.max_nesting
            );
        }
        more(
            &mut out,
            TEXT_ENTRIES,
            self.functions.len(),
            &self.next_cursor,
        );
        out
    }
}

impl Render for GraphOutput {
    fn text(&self) -> String {
        let mut out = String::new();
        let s = &self.summary;
        let _ = writeln!(
            out,
            "Import graph of {}: {} files, {} edges, {} external packages, {} unresolved \
             imports, {} cycles, {} files not analysed.",
            self.path, s.files, s.edges, s.externals, s.unresolved, s.cycles, s.not_analyzed
        );
        for c in self.cycles.iter().take(TEXT_ENTRIES) {
            let _ = writeln!(out, "cycle: {}", c.files.join(" -> "));
        }
        match &self.focus {
            Some(f) => {
                let _ = writeln!(
                    out,
                    "{} imports {} files of the tree and is imported by {}{}.",
                    f.path,
                    f.imports_total,
                    f.imported_by_total,
                    if f.in_cycle { "; it is in a cycle" } else { "" }
                );
                for l in f.imports.iter().take(TEXT_ENTRIES) {
                    let _ = writeln!(
                        out,
                        "  imports {} ({:?}, line {})",
                        l.path, l.specifier, l.line
                    );
                }
                for l in f.imported_by.iter().take(TEXT_ENTRIES) {
                    let _ = writeln!(out, "  imported by {} (line {})", l.path, l.line);
                }
                if !f.externals.is_empty() {
                    let _ = writeln!(out, "  external: {}", f.externals.join(", "));
                }
            }
            None => {
                for file in self.files.iter().take(TEXT_ENTRIES) {
                    let _ = writeln!(
                        out,
                        "{}: imported by {}, imports {}",
                        file.path, file.imported_by, file.imports
                    );
                }
                more(&mut out, TEXT_ENTRIES, self.files.len(), &None);
            }
        }
        if let Some(cursor) = &self.next_cursor {
            let _ = writeln!(out, "More: call again with cursor {cursor:?}.");
        }
        out
    }
}

impl Render for ListRulesOutput {
    fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} rules match.", self.total);
        for r in self.rules.iter().take(TEXT_ENTRIES) {
            let _ = writeln!(
                out,
                "{} ({}, {}, CWE-{}{})",
                r.id,
                r.mode,
                r.severity,
                r.cwe,
                if r.runs {
                    ""
                } else {
                    ", not run by this server"
                }
            );
        }
        more(&mut out, TEXT_ENTRIES, self.rules.len(), &self.next_cursor);
        out
    }
}

impl Render for ExplainRuleOutput {
    fn text(&self) -> String {
        let r = &self.rule;
        let mut out = format!(
            "{} ({} rule, {} severity, {} confidence, CWE-{}, {}): {}\n",
            r.id, r.mode, r.severity, r.confidence, r.cwe, self.owasp, r.message
        );
        if !r.runs {
            out.push_str(
                "This server's scans do not run it (configuration or minimum confidence).\n",
            );
        }
        for e in &self.examples {
            let _ = writeln!(
                out,
                "{} ({}:{}):\n{}",
                if e.finding {
                    "Reported"
                } else {
                    "Not reported"
                },
                e.file,
                e.line,
                e.code
            );
        }
        out
    }
}

impl Render for AstOutput {
    fn text(&self) -> String {
        let mut out = format!(
            "{}: {}, {} nodes{}.",
            self.path,
            self.status,
            self.nodes,
            if self.truncated {
                " (cut: raise max_depth or max_nodes, or look at a smaller file)"
            } else {
                ""
            }
        );
        if let Some(reason) = &self.reason {
            let _ = write!(out, " {reason}");
        }
        out.push('\n');
        if let Some(tree) = &self.tree {
            let mut lines = 0;
            outline(&mut out, tree, 0, &mut lines);
        }
        out
    }
}

/// The first levels of a tree, one node a line, indented.
fn outline(out: &mut String, node: &AstNode, depth: usize, lines: &mut usize) {
    const DEPTH: usize = 3;
    if *lines >= 2 * TEXT_ENTRIES || depth > DEPTH {
        return;
    }
    *lines += 1;
    let _ = writeln!(
        out,
        "{:indent$}{}{} {}:{}-{}:{}",
        "",
        node.field
            .as_ref()
            .map(|f| format!("{f}: "))
            .unwrap_or_default(),
        node.kind,
        node.start_line,
        node.start_column,
        node.end_line,
        node.end_column,
        indent = depth * 2
    );
    for child in &node.children {
        outline(out, child, depth + 1, lines);
    }
}
