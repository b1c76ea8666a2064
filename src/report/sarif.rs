//! `--format sarif`: SARIF 2.1.0 for code-scanning services.
//!
//! Written as a stream like the JSON report: the run's header with every loaded rule's full
//! metadata first, each finding as it arrives, and files that could not be analysed as tool
//! notifications at the end (so an incomplete scan is visible to the consumer, not silent).
//! The document is checked against the official 2.1.0 schema by the tests.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::{FileReport, FileStatus, Reporter, Summary};
use crate::rules::{Confidence, Rule, Severity};

/// The schema URI written into every document.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Writes SARIF.
pub struct SarifReporter<W: Write> {
    out: W,
    rules: Vec<Rule>,
    index: HashMap<String, usize>,
    first: bool,
    not_analyzed: Vec<Value>,
}

impl<W: Write> SarifReporter<W> {
    /// A reporter for a scan with these rules.
    pub fn new(out: W, rules: Vec<Rule>) -> Self {
        let index = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        SarifReporter {
            out,
            rules,
            index,
            first: true,
            not_analyzed: Vec::new(),
        }
    }
}

/// GitHub's scale: critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low below.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

fn precision(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

/// The first sentence of a message, for `shortDescription`.
fn first_sentence(text: &str) -> &str {
    match text.find(". ") {
        Some(i) => &text[..=i],
        None => text,
    }
}

/// A rule as a SARIF `reportingDescriptor`.
pub fn descriptor(rule: &Rule) -> Value {
    let cwe = format!("CWE-{}", rule.cwe);
    let mut markdown = format!("{}\n\n**{cwe}**, OWASP {}.", rule.message, rule.owasp);
    if !rule.references.is_empty() {
        markdown.push_str("\n\nReferences:\n");
        for r in &rule.references {
            markdown.push_str(&format!("- <{r}>\n"));
        }
    }
    let mut d = json!({
        "id": rule.id,
        "name": rule.id,
        "shortDescription": { "text": first_sentence(&rule.message) },
        "fullDescription": { "text": rule.message },
        "help": {
            "text": format!("{} ({cwe}, OWASP {})", rule.message, rule.owasp),
            "markdown": markdown,
        },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "tags": ["security", cwe, format!("external/cwe/cwe-{}", rule.cwe), rule.owasp],
            "security-severity": security_severity(rule.severity),
            "precision": precision(rule.confidence),
            "problem.severity": match rule.severity {
                Severity::Critical | Severity::High => "error",
                Severity::Medium => "warning",
                Severity::Low => "recommendation",
            },
        },
    });
    if let Some(uri) = rule.references.first() {
        d["helpUri"] = json!(uri);
    }
    d
}

/// Converts a 1-based byte column on `line` into SARIF's 1-based code-point column.
fn code_point_column(line: &str, byte_column: u32) -> u32 {
    let byte = byte_column.saturating_sub(1) as usize;
    match line.get(..byte) {
        Some(prefix) => prefix.chars().count() as u32 + 1,
        None => byte_column,
    }
}

/// A relative path's bytes as a URI reference: every byte but RFC 3986's unreserved
/// characters and `/` is percent-encoded, so a name that is not UTF-8 keeps its exact bytes
/// and `:` never reads as a scheme.
fn uri(path: &[u8]) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl<W: Write> Reporter for SarifReporter<W> {
    fn begin(&mut self) -> io::Result<()> {
        let rules: Vec<Value> = self.rules.iter().map(descriptor).collect();
        let driver = json!({
            "name": "astscan",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        });
        write!(
            self.out,
            "{{\"$schema\":\"{SARIF_SCHEMA}\",\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{{\"driver\":"
        )?;
        serde_json::to_writer(&mut self.out, &driver)?;
        self.out
            .write_all(b"},\"columnKind\":\"unicodeCodePoints\",\"results\":[")
    }

    fn file(&mut self, file: &FileReport, _ast: Option<&[u8]>) -> io::Result<()> {
        if matches!(file.status, FileStatus::Failed) {
            self.not_analyzed.push(json!({
                "level": "error",
                "message": { "text": format!("{}: {}", file.path, file.reason.as_deref().unwrap_or("failed")) },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(&file.path_raw()), "uriBaseId": "%SRCROOT%" } } }],
            }));
        }
        let Some(parse) = &file.parse else {
            return Ok(());
        };
        let uri = uri(&file.path_raw());
        // Identical fingerprints in one file are told apart by their order.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for f in &parse.findings {
            let n = seen.entry(f.fingerprint.as_str()).or_insert(0);
            *n += 1;
            let mut result = json!({
                "ruleId": f.rule_id,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
                        "region": {
                            "startLine": f.span.start.line,
                            "startColumn": code_point_column(&f.snippet, f.span.start.column),
                            "endLine": f.span.end.line,
                            "endColumn": if f.span.end.line == f.span.start.line {
                                code_point_column(&f.snippet, f.span.end.column)
                            } else {
                                f.span.end.column
                            },
                            "snippet": { "text": f.snippet },
                        },
                    },
                }],
                "partialFingerprints": { "primaryLocationLineHash": format!("{}:{n}", f.fingerprint) },
                "properties": { "confidence": precision(f.confidence), "cwe": format!("CWE-{}", f.cwe) },
            });
            if let Some(&i) = self.index.get(&f.rule_id) {
                result["ruleIndex"] = json!(i);
            }
            if let Some(reason) = &f.suppressed {
                result["suppressions"] = json!([{ "kind": "inSource", "justification": reason }]);
            }
            if f.baselined {
                result["baselineState"] = json!("unchanged");
            }
            self.out
                .write_all(if self.first { b"\n" } else { b",\n" })?;
            self.first = false;
            serde_json::to_writer(&mut self.out, &result)?;
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        if let Some(why) = &summary.incomplete {
            self.not_analyzed.push(json!({
                "level": "error",
                "message": { "text": format!("the scan stopped before it saw every file: {why}") },
            }));
        }
        let invocation = json!({
            "executionSuccessful": summary.failed == 0 && summary.incomplete.is_none(),
            "toolExecutionNotifications": self.not_analyzed,
        });
        self.out.write_all(b"\n],\"invocations\":[")?;
        serde_json::to_writer(&mut self.out, &invocation)?;
        self.out.write_all(b"]}]}\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_escaped() {
        assert_eq!(uri("src/a b/ü.py".as_bytes()), "src/a%20b/%C3%BC.py");
        assert_eq!(uri(b"x#y?.js"), "x%23y%3F.js");
        assert_eq!(uri(b"d\xfe/\xff:\\.php"), "d%FE/%FF%3A%5C.php");
    }

    #[test]
    fn short_description_is_the_first_sentence() {
        assert_eq!(first_sentence("Bad thing. Do this instead."), "Bad thing.");
        assert_eq!(first_sentence("One sentence"), "One sentence");
    }
}
