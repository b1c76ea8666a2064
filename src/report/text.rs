//! `--format text`: one line per file that needs attention, then a summary, for people.
//!
//! Files skipped because they are not source (unsupported, ignored, not selected) are only
//! counted: listing every README a pre-commit hook passes in would bury what matters.
//!
//! Paths arrive escaped ([`crate::pathfmt`]); reasons, which may quote a name, are escaped
//! here, so no file name can write control sequences to the terminal.

use std::collections::HashMap;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::{FileReport, FileStatus, ReasonCode, Reporter, Summary};
use crate::rules::Severity;

/// Rules the summary names by their finding counts; the rest are counted together.
const RULES_SHOWN: usize = 5;

/// Writes the human-readable report.
pub struct TextReporter<W: Write> {
    out: W,
    color: bool,
    quiet: bool,
    unused_suppressions: bool,
    /// Whether to list files and findings (off: the summary alone).
    problems: bool,
    most_complex: Option<(u32, String)>,
    /// Counted findings per rule id.
    by_rule: HashMap<String, u64>,
}

impl<W: Write> TextReporter<W> {
    /// A reporter writing to `out`, with ANSI colours if `color`; `quiet` drops the summary.
    pub fn new(out: W, color: bool, quiet: bool, unused_suppressions: bool) -> Self {
        TextReporter {
            out,
            color,
            quiet,
            unused_suppressions,
            problems: true,
            most_complex: None,
            by_rule: HashMap::new(),
        }
    }

    /// A reporter that writes only the summary (beside a report written to a file).
    pub fn summary_only(out: W) -> Self {
        TextReporter {
            problems: false,
            ..TextReporter::new(out, false, false, false)
        }
    }

    fn styled(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

const PATH: Style = Style::new().bold();
const ERROR: Style = Style::new()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)))
    .bold();
const WARN: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
const DIM: Style = Style::new().dimmed();

impl<W: Write> Reporter for TextReporter<W> {
    fn begin(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn file(&mut self, file: &FileReport, _ast: Option<&[u8]>) -> io::Result<()> {
        if let Some(parse) = &file.parse {
            for f in &parse.functions {
                if self
                    .most_complex
                    .as_ref()
                    .is_none_or(|(c, _)| f.complexity > *c)
                {
                    let place = format!("{}:{} {}", file.path, f.span.start.line, f.name);
                    self.most_complex = Some((f.complexity, place));
                }
            }
        }
        let counted = file.parse.iter().flat_map(|p| &p.findings);
        for f in counted.filter(|f| f.suppressed.is_none() && !f.baselined) {
            *self.by_rule.entry(f.rule_id.clone()).or_insert(0) += 1;
        }
        if !self.problems {
            return Ok(());
        }
        if let Some(parse) = &file.parse {
            if self.unused_suppressions {
                for s in &parse.unused_suppressions {
                    writeln!(
                        self.out,
                        "{}:{}: {} astscan-ignore[{}] suppresses nothing",
                        self.styled(PATH, &file.path),
                        s.line,
                        self.styled(WARN, "unused suppression:"),
                        s.rules.join(", ")
                    )?;
                }
            }
            for f in parse
                .findings
                .iter()
                .filter(|f| f.suppressed.is_none() && !f.baselined)
            {
                let style = match f.severity {
                    Severity::Critical | Severity::High => ERROR,
                    Severity::Medium => WARN,
                    Severity::Low => DIM,
                };
                writeln!(
                    self.out,
                    "{}:{}:{}: {} {} {}",
                    self.styled(PATH, &file.path),
                    f.span.start.line,
                    f.span.start.column,
                    self.styled(style, &f.severity.to_string()),
                    self.styled(PATH, &f.rule_id),
                    f.message
                )?;
                // The source line, and a marker under the match (to the line's end when the
                // match continues on later lines).
                let start = floor_char_boundary(&f.snippet, f.span.start.column as usize - 1);
                let end = if f.span.end.line == f.span.start.line {
                    floor_char_boundary(&f.snippet, f.span.end.column as usize - 1)
                } else {
                    f.snippet.len()
                };
                let pad: String = f.snippet[..start]
                    .chars()
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                writeln!(self.out, "    | {}", f.snippet)?;
                writeln!(
                    self.out,
                    "    | {pad}{}",
                    "^".repeat(f.snippet[start..end.max(start)].chars().count().max(1))
                )?;
                self.flow(f)?;
            }
            for gap in &parse.incomplete {
                writeln!(
                    self.out,
                    "{}:{}: {} taint analysis of {} stopped short ({}); {} may miss flows there",
                    self.styled(PATH, &file.path),
                    gap.line,
                    self.styled(WARN, "note:"),
                    gap.function,
                    gap.reason,
                    gap.rule_id
                )?;
            }
        }
        match file.status {
            FileStatus::Parsed => Ok(()),
            FileStatus::ParsedWithErrors => {
                let parse = file.parse.as_ref();
                let count = parse.map_or(0, |p| p.syntax_error_count);
                let first = parse.and_then(|p| p.syntax_errors.first());
                let (line, col) = first.map_or((1, 1), |e| (e.start.line, e.start.column));
                writeln!(
                    self.out,
                    "{}:{line}:{col}: {} {count} syntax error{}",
                    self.styled(PATH, &file.path),
                    self.styled(WARN, "parsed with errors:"),
                    if count == 1 { "" } else { "s" },
                )
            }
            FileStatus::Skipped => {
                if matches!(
                    file.reason_code,
                    Some(
                        ReasonCode::Unsupported
                            | ReasonCode::Ignored
                            | ReasonCode::LanguageNotSelected
                    )
                ) {
                    return Ok(());
                }
                writeln!(
                    self.out,
                    "{}: {} {}",
                    self.styled(PATH, &file.path),
                    self.styled(DIM, "skipped:"),
                    crate::pathfmt::escape_text(file.reason.as_deref().unwrap_or(""))
                )
            }
            FileStatus::Failed => writeln!(
                self.out,
                "{}: {} {}",
                self.styled(PATH, &file.path),
                self.styled(ERROR, "failed:"),
                crate::pathfmt::escape_text(file.reason.as_deref().unwrap_or(""))
            ),
        }
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        if !self.quiet {
            writeln!(self.out, "{}", summary_line(summary))?;
            if summary.findings > 0 {
                let by: Vec<String> = ["critical", "high", "medium", "low"]
                    .iter()
                    .filter_map(|s| {
                        summary
                            .findings_by_severity
                            .get(*s)
                            .map(|n| format!("{n} {s}"))
                    })
                    .collect();
                writeln!(
                    self.out,
                    "findings: {} ({})",
                    thousands(summary.findings),
                    by.join(", ")
                )?;
                writeln!(self.out, "findings by rule: {}", top_rules(&self.by_rule))?;
            }
            if summary.suppressed + summary.baselined > 0 {
                writeln!(
                    self.out,
                    "not counted: {} suppressed in source, {} in the baseline",
                    summary.suppressed, summary.baselined
                )?;
            }
            writeln!(
                self.out,
                "structure: {} functions, {} classes, {} imports{}",
                thousands(summary.functions),
                thousands(summary.classes),
                thousands(summary.imports),
                match &self.most_complex {
                    Some((c, place)) => format!("; most complex: {place} (complexity {c})"),
                    None => String::new(),
                }
            )?;
            if let Some(why) = &summary.incomplete {
                writeln!(
                    self.out,
                    "{} the scan stopped before it saw every file: {}",
                    self.styled(ERROR, "incomplete:"),
                    crate::pathfmt::escape_text(why)
                )?;
            }
        }
        self.out.flush()
    }
}

/// "1,234 files: 1,200 parsed, 10 with syntax errors, 20 skipped, 4 failed (56.7 MB in 3.2 s)"
pub fn summary_line(s: &Summary) -> String {
    let mut line = format!(
        "{} file{}: {} parsed, {} with syntax errors, {} skipped, {} failed",
        thousands(s.files),
        if s.files == 1 { "" } else { "s" },
        thousands(s.parsed),
        thousands(s.parsed_with_errors),
        thousands(s.skipped),
        thousands(s.failed),
    );
    let detail = |map: &std::collections::BTreeMap<String, u64>| {
        map.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !s.skipped_by_reason.is_empty() {
        line.push_str(&format!(" [skipped: {}]", detail(&s.skipped_by_reason)));
    }
    if !s.failed_by_reason.is_empty() {
        line.push_str(&format!(" [failed: {}]", detail(&s.failed_by_reason)));
    }
    if s.from_cache > 0 {
        line.push_str(&format!(" [{} from the cache]", thousands(s.from_cache)));
    }
    if let Some(r) = &s.remote {
        line.push_str(&format!(
            " [remote: {} hits, {} misses, {} rejected{}]",
            thousands(r.hits),
            thousands(r.misses),
            thousands(r.rejected),
            if r.off.is_some() { ", off" } else { "" }
        ));
    }
    line.push_str(&format!(
        " ({:.1} MB in {:.2} s, {:.1} MB/s)",
        s.bytes as f64 / 1e6,
        s.elapsed_ms / 1000.0,
        s.bytes_per_second / 1e6
    ));
    line
}

/// "python.sql-format 12, js.eval 3, and 4 in 2 other rules": the [`RULES_SHOWN`] rules with
/// the most findings, most first (ties by id, so the line is deterministic).
fn top_rules(by_rule: &HashMap<String, u64>) -> String {
    let mut rules: Vec<(&String, &u64)> = by_rule.iter().collect();
    rules.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let mut parts: Vec<String> = rules
        .iter()
        .take(RULES_SHOWN)
        .map(|(id, n)| format!("{id} {}", thousands(**n)))
        .collect();
    let rest = &rules[rules.len().min(RULES_SHOWN)..];
    if !rest.is_empty() {
        let n: u64 = rest.iter().map(|(_, n)| **n).sum();
        parts.push(format!(
            "and {} in {} other rule{}",
            thousands(n),
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ));
    }
    parts.join(", ")
}

impl<W: Write> TextReporter<W> {
    /// A taint finding's path: "from <source> via <steps> to <sink>", a line each.
    fn flow(&mut self, f: &crate::analysis::Finding) -> io::Result<()> {
        let n = f.flow.len();
        for (i, step) in f.flow.iter().enumerate() {
            let lead = match i {
                0 => "from",
                _ if i + 1 == n => "  to",
                _ => " via",
            };
            let label: String = step
                .label
                .chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .collect();
            writeln!(
                self.out,
                "    {} {label} {}",
                self.styled(DIM, lead),
                self.styled(
                    DIM,
                    &format!(
                        "(line {}, {})",
                        step.span.start.line,
                        super::sarif::flow_kind(step.kind)
                    )
                ),
            )?;
        }
        Ok(())
    }
}

/// The largest char boundary of `s` at or below `i` (columns are bytes; snippets may be cut
/// or lossily decoded, so a column can fall inside a character).
fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_rules_most_first_then_the_rest_counted() {
        let mut by_rule = HashMap::new();
        for (id, n) in [
            ("b", 3),
            ("a", 3),
            ("c", 9),
            ("d", 1),
            ("e", 1),
            ("f", 1),
            ("g", 2),
        ] {
            by_rule.insert(id.to_string(), n);
        }
        assert_eq!(
            top_rules(&by_rule),
            "c 9, a 3, b 3, g 2, d 1, and 2 in 2 other rules"
        );
        by_rule.retain(|id, _| id == "a");
        assert_eq!(top_rules(&by_rule), "a 3");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
