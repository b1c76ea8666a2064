//! `--format sarif`: SARIF 2.1.0 for code-scanning services.
//!
//! Every location is relative to one root (`%SRCROOT%`, defined in `originalUriBaseIds`) so
//! that a file has the same URI however the scan was invoked; see [`super::root`]. Results
//! are collected during the scan and the document is written at the end, because a file over
//! the service's limits is rejected whole: past them the most severe results are kept
//! ([`super::sarif_limits`]) and a tool notification says what was left out. Suppressed and
//! baselined findings are written with `suppressions`, so the service closes their alerts.
//! Files that could not be analysed are tool notifications too, so an incomplete scan is
//! visible to the consumer, not silent. The document is checked against the official 2.1.0
//! schema by the tests.

use std::collections::{BTreeSet, HashMap};
use std::io::{self, Write};

use serde_json::{Value, json};

use super::root::{Location, PathRoot};
use super::sarif_limits::{self, Priority, Selection};
use super::{FileReport, FileStatus, Reporter, Summary};
use crate::rules::{Confidence, Rule, Severity};

/// How a flow step is named in reports ("from … via … to …").
pub fn flow_kind(kind: crate::analysis::FlowStepKind) -> &'static str {
    use crate::analysis::FlowStepKind as K;
    match kind {
        K::Source => "source",
        K::Parameter => "parameter",
        K::Assign => "assigned",
        K::Call => "passed to",
        K::Return => "returned",
        K::Sink => "sink",
    }
}

/// The schema URI written into every document.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The run category when none is given (`--sarif-category`).
pub const DEFAULT_CATEGORY: &str = "astscan/";

/// The base id every location under the root is relative to.
const SRCROOT: &str = "%SRCROOT%";

/// The run property holding the rule-set fingerprint ([`super::ruleset`]).
pub const RULESET_PROPERTY: &str = "ruleset";

/// Bytes a result takes in the document besides its body: the separator and the rule index
/// added when it is written.
const RESULT_OVERHEAD: usize = 24;

/// Bytes kept free for the notification about dropped results, whose text is known last.
const TRUNCATION_NOTE: usize = 1024;

/// A result waiting to be written.
struct Pending {
    /// The rule's position in the reporter's rule list.
    rule: Option<usize>,
    /// The result object without its `ruleIndex` (known only once the rule list is).
    body: Vec<u8>,
}

/// Writes SARIF.
pub struct SarifReporter<W: Write> {
    out: W,
    rules: Vec<Rule>,
    index: HashMap<String, usize>,
    root: PathRoot,
    category: String,
    ruleset: String,
    results: Selection<Pending>,
    not_analyzed: Vec<Value>,
    /// Files that could not be analysed beyond the ones listed.
    not_analyzed_more: u64,
}

impl<W: Write> SarifReporter<W> {
    /// A reporter for a scan with these rules, locations relative to `root`, in the run
    /// category `category` (`automationDetails.id`; a `/` is added if it does not end in
    /// one, as the service takes the category to be what precedes the last `/`). `ruleset`
    /// is the scan's rule-set fingerprint ([`super::ruleset`]), written in the run's
    /// properties.
    pub fn new(out: W, rules: Vec<Rule>, root: PathRoot, category: &str, ruleset: String) -> Self {
        let index = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let mut category = category.to_string();
        if !category.ends_with('/') {
            category.push('/');
        }
        SarifReporter {
            out,
            rules,
            index,
            root,
            category,
            ruleset,
            results: Selection::new(sarif_limits::MAX_RESULTS, sarif_limits::MAX_DOCUMENT_BYTES),
            not_analyzed: Vec::new(),
            not_analyzed_more: 0,
        }
    }

    /// The artifact location of a reported path, and the path as messages show it.
    fn locate(&mut self, file: &FileReport) -> (Value, String) {
        let location = self.root.locate(&file.path_raw());
        let shown = crate::pathfmt::escape_bytes(location.bytes());
        let artifact = match location {
            Location::Inside(rel) => json!({ "uri": uri(&rel), "uriBaseId": SRCROOT }),
            Location::Outside(abs) => json!({ "uri": format!("file://{}", uri(&abs)) }),
        };
        (artifact, shown)
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

/// A path's bytes as a URI path: every byte but RFC 3986's unreserved characters and `/` is
/// percent-encoded, so a name that is not UTF-8 keeps its exact bytes and, in a relative
/// reference, `:` never reads as a scheme.
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

/// The `file://` URI of a directory, with the trailing `/` a base URI needs.
fn directory_uri(dir: &std::path::Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = format!("file://{}", uri(dir.as_os_str().as_bytes()));
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

impl<W: Write> SarifReporter<W> {
    /// The notifications of the invocation, bar the one about dropped results.
    fn notifications(&self) -> Vec<Value> {
        let mut all = self.not_analyzed.clone();
        if self.not_analyzed_more > 0 {
            all.push(json!({
                "level": "error",
                "message": { "text": format!(
                    "{} more files could not be analysed (the JSON report lists every file)",
                    self.not_analyzed_more
                ) },
            }));
        }
        all
    }

    /// The rules the run lists: all of them, unless there are more than the service accepts
    /// or they would crowd out the results; then only those the kept results name.
    fn listed_rules(&self) -> Vec<usize> {
        let all_bytes: usize = self
            .rules
            .iter()
            .map(|r| descriptor(r).to_string().len() + 1)
            .sum();
        if self.rules.len() <= sarif_limits::MAX_RULES
            && all_bytes <= sarif_limits::MAX_DOCUMENT_BYTES / 2
        {
            return (0..self.rules.len()).collect();
        }
        let named: BTreeSet<usize> = self.results.items().filter_map(|p| p.rule).collect();
        named.into_iter().take(sarif_limits::MAX_RULES).collect()
    }
}

impl<W: Write> Reporter for SarifReporter<W> {
    fn begin(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn file(&mut self, file: &FileReport, _ast: Option<&[u8]>) -> io::Result<()> {
        if matches!(file.status, FileStatus::Failed) {
            if self.not_analyzed.len() < sarif_limits::MAX_FILE_NOTIFICATIONS {
                let (artifact, shown) = self.locate(file);
                self.not_analyzed.push(json!({
                    "level": "error",
                    "message": { "text": format!("{shown}: {}", file.reason.as_deref().unwrap_or("failed")) },
                    "locations": [{ "physicalLocation": { "artifactLocation": artifact } }],
                }));
            } else {
                self.not_analyzed_more += 1;
            }
        }
        let Some(parse) = &file.parse else {
            return Ok(());
        };
        if parse.findings.is_empty() {
            return Ok(());
        }
        let (artifact, _) = self.locate(file);
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
                        "artifactLocation": artifact,
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
            // A taint finding's path, which code-scanning UIs show step by step.
            if !f.flow.is_empty() {
                let steps: Vec<Value> = f
                    .flow
                    .iter()
                    .map(|step| {
                        json!({
                            "location": {
                                "physicalLocation": {
                                    "artifactLocation": artifact,
                                    "region": {
                                        "startLine": step.span.start.line,
                                        "startColumn": step.span.start.column,
                                    },
                                },
                                "message": { "text": format!("{}: {}", flow_kind(step.kind), step.label) },
                            },
                        })
                    })
                    .collect();
                result["codeFlows"] = json!([{ "threadFlows": [{ "locations": steps }] }]);
            }
            // A suppression closes the alert in the service rather than leaving it open.
            if let Some(reason) = &f.suppressed {
                result["suppressions"] = json!([{ "kind": "inSource", "justification": reason }]);
            }
            if f.baselined {
                result["baselineState"] = json!("unchanged");
                result["suppressions"] = json!([{
                    "kind": "external",
                    "justification": "accepted in the baseline",
                }]);
            }
            let body = serde_json::to_vec(&result)?;
            let priority = Priority {
                open: f.suppressed.is_none() && !f.baselined,
                severity: f.severity,
                confidence: f.confidence,
            };
            self.results.push(
                priority,
                body.len() + RESULT_OVERHEAD,
                Pending {
                    rule: self.index.get(&f.rule_id).copied(),
                    body,
                },
            );
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let listed = self.listed_rules();
        let position: HashMap<usize, usize> =
            listed.iter().enumerate().map(|(n, &i)| (i, n)).collect();
        let descriptors: Vec<Value> = listed.iter().map(|&i| descriptor(&self.rules[i])).collect();
        let driver = json!({
            "name": "astscan",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": descriptors,
        });
        let mut head = format!(
            "{{\"$schema\":\"{SARIF_SCHEMA}\",\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{{\"driver\":"
        )
        .into_bytes();
        serde_json::to_writer(&mut head, &driver)?;
        head.extend_from_slice(b"},\"automationDetails\":");
        serde_json::to_writer(&mut head, &json!({ "id": self.category }))?;
        head.extend_from_slice(b",\"originalUriBaseIds\":");
        let mut bases = serde_json::Map::new();
        bases.insert(
            SRCROOT.to_string(),
            json!({ "uri": directory_uri(self.root.dir()) }),
        );
        serde_json::to_writer(&mut head, &bases)?;
        head.extend_from_slice(b",\"properties\":");
        serde_json::to_writer(&mut head, &json!({ RULESET_PROPERTY: self.ruleset }))?;
        head.extend_from_slice(b",\"columnKind\":\"unicodeCodePoints\",\"results\":[");

        let mut notifications = self.notifications();
        if let Some(why) = &summary.incomplete {
            notifications.push(json!({
                "level": "error",
                "message": { "text": format!("the scan stopped before it saw every file: {why}") },
            }));
        }
        let fixed = head.len() + serde_json::to_vec(&notifications)?.len() + TRUNCATION_NOTE + 128;
        let mut results = std::mem::replace(&mut self.results, Selection::new(0, 0));
        results.shrink_to(sarif_limits::MAX_DOCUMENT_BYTES.saturating_sub(fixed));
        let (kept, dropped) = results.finish();
        if dropped.total() > 0 {
            let text = format!(
                "{} of {} results written, the most severe: GitHub code scanning rejects a run \
                 of more than {} results or a file of more than 10 MB. Left out: {}.",
                kept.len(),
                dropped.seen,
                sarif_limits::MAX_RESULTS,
                dropped.describe(),
            );
            eprintln!("astscan: warning: SARIF report: {text}");
            notifications.push(json!({
                "level": "warning",
                "message": { "text": text },
                "properties": { "resultsWritten": kept.len(), "resultsLeftOut": dropped.total() },
            }));
        }

        self.out.write_all(&head)?;
        for (n, pending) in kept.iter().enumerate() {
            self.out.write_all(if n == 0 { b"\n" } else { b",\n" })?;
            match pending.rule.and_then(|r| position.get(&r)) {
                // The body is a JSON object that starts with `{` and has members.
                Some(i) => {
                    write!(self.out, "{{\"ruleIndex\":{i},")?;
                    self.out
                        .write_all(pending.body.get(1..).unwrap_or_default())?;
                }
                None => self.out.write_all(&pending.body)?,
            }
        }
        let invocation = json!({
            "executionSuccessful": summary.failed == 0 && summary.incomplete.is_none(),
            "toolExecutionNotifications": notifications,
        });
        self.out.write_all(b"\n],\"invocations\":[")?;
        serde_json::to_writer(&mut self.out, &invocation)?;
        self.out.write_all(b"]}]}\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::analysis::{Finding, Position, Span};
    use crate::report::ParseReport;

    #[test]
    fn uris_are_escaped() {
        assert_eq!(uri("src/a b/ü.py".as_bytes()), "src/a%20b/%C3%BC.py");
        assert_eq!(uri(b"x#y?.js"), "x%23y%3F.js");
        assert_eq!(uri(b"d\xfe/\xff:\\.php"), "d%FE/%FF%3A%5C.php");
    }

    fn rule(id: &str, severity: Severity) -> Rule {
        Rule {
            id: id.to_string(),
            message: "Bad. Fix it.".to_string(),
            severity,
            confidence: Confidence::High,
            cwe: 78,
            owasp: "A03:2021-Injection".to_string(),
            references: Vec::new(),
            languages: Vec::new(),
            query: String::new(),
            taint: None,
            constraints: Default::default(),
            inside: Vec::new(),
            not_inside: Vec::new(),
            source: String::new(),
        }
    }

    fn finding(rule: &Rule, line: u32) -> Finding {
        let at = |column| Position { line, column };
        Finding {
            rule_id: rule.id.clone(),
            severity: rule.severity,
            confidence: rule.confidence,
            cwe: rule.cwe,
            owasp: rule.owasp.clone(),
            message: rule.message.clone(),
            span: Span {
                start: at(1),
                end: at(5),
            },
            snippet: "call(x)".to_string(),
            fingerprint: format!("{line:016x}"),
            suppressed: None,
            baselined: false,
            flow: Vec::new(),
        }
    }

    fn parsed(path: &str, findings: Vec<Finding>) -> FileReport {
        let mut f = FileReport::not_analyzed(
            Path::new(path),
            super::super::Reason::new(super::super::ReasonCode::AnalysisFailed, ""),
        );
        f.status = FileStatus::Parsed;
        f.reason = None;
        f.reason_code = None;
        f.parse = Some(ParseReport {
            lines: 1,
            parse_ms: 0.0,
            syntax_error_count: 0,
            syntax_errors: Vec::new(),
            functions: Vec::new(),
            classes: Vec::new(),
            imports: Vec::new(),
            findings,
            incomplete: Vec::new(),
            unused_suppressions: Vec::new(),
        });
        f
    }

    #[test]
    fn a_run_over_the_result_limit_keeps_the_most_severe_and_says_so() {
        let low = rule("t.low", Severity::Low);
        let high = rule("t.high", Severity::High);
        // 26,000 low findings in one file, then 10 high ones in another.
        let lows = (1..=26_000).map(|l| finding(&low, l)).collect();
        let highs = (1..=10).map(|l| finding(&high, l)).collect();
        let mut out = Vec::new();
        let root = PathRoot::new("/repo".into(), "/repo".into());
        let mut r = SarifReporter::new(&mut out, vec![low, high], root, "astscan", String::new());
        r.begin().unwrap();
        r.file(&parsed("a.py", lows), None).unwrap();
        r.file(&parsed("z.py", highs), None).unwrap();
        r.finish(&Summary::default()).unwrap();
        drop(r);

        let doc: Value = serde_json::from_slice(&out).expect("one JSON document");
        let run = &doc["runs"][0];
        let results = run["results"].as_array().unwrap();
        // At most 25,000, fewer if the size budget binds first.
        let kept = results.len();
        assert!(kept <= sarif_limits::MAX_RESULTS && kept > 20_000, "{kept}");
        let high_ones: Vec<&Value> = results.iter().filter(|r| r["ruleId"] == "t.high").collect();
        assert_eq!(high_ones.len(), 10, "every high result is kept");
        assert_eq!(high_ones[0]["ruleIndex"], 1);
        assert_eq!(results[0]["ruleIndex"], 0);
        assert_eq!(
            results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
            1
        );
        assert_eq!(run["automationDetails"]["id"], "astscan/");
        assert_eq!(
            run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file:///repo/"
        );
        let notes = run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap();
        assert_eq!(notes.len(), 1);
        let text = notes[0]["message"]["text"].as_str().unwrap();
        let expected = format!(
            "{kept} of 26010 results written, the most severe: GitHub code scanning rejects"
        );
        assert!(text.starts_with(&expected), "{text}");
        assert!(
            text.ends_with(&format!("Left out: {} low.", 26_010 - kept)),
            "{text}"
        );
        assert_eq!(notes[0]["properties"]["resultsLeftOut"], 26_010 - kept);
        assert!(out.len() <= sarif_limits::MAX_DOCUMENT_BYTES);
    }

    #[test]
    fn over_25000_rules_only_the_rules_of_results_are_listed() {
        let rules: Vec<Rule> = (0..=sarif_limits::MAX_RULES)
            .map(|i| rule(&format!("t.r{i}"), Severity::Medium))
            .collect();
        let last = rules[sarif_limits::MAX_RULES].clone();
        let mut out = Vec::new();
        let root = PathRoot::new("/repo".into(), "/repo".into());
        let mut r = SarifReporter::new(&mut out, rules, root, "astscan/", String::new());
        r.begin().unwrap();
        r.file(&parsed("a.py", vec![finding(&last, 3)]), None)
            .unwrap();
        r.finish(&Summary::default()).unwrap();
        drop(r);
        let doc: Value = serde_json::from_slice(&out).expect("one JSON document");
        let run = &doc["runs"][0];
        let listed = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0]["id"], last.id.as_str());
        assert_eq!(run["results"][0]["ruleIndex"], 0);
        assert_eq!(run["results"][0]["ruleId"], last.id.as_str());
    }

    #[test]
    fn short_description_is_the_first_sentence() {
        assert_eq!(first_sentence("Bad thing. Do this instead."), "Bad thing.");
        assert_eq!(first_sentence("One sentence"), "One sentence");
    }
}
