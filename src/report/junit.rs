//! `--format junit`: JUnit XML for CI dashboards (GitLab, Jenkins, Azure DevOps, CircleCI).
//!
//! One test suite per rule that found something, with one failing test case per file it found
//! something in (the findings listed in the failure); and a suite `astscan` with one case per
//! other file: passed (analysed, no findings that count), skipped (with the reason) or in
//! error (analysis failed). Suppressed and baselined findings do not fail a case. Suites need
//! their counts in their opening tag, so cases are kept until the scan ends (a few hundred
//! bytes per file).

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{FileReport, FileStatus, Reporter, Summary};

/// The suite of files without counted findings.
const FILES_SUITE: &str = "astscan";

/// One test case.
enum Outcome {
    Passed,
    Failed {
        kind: String,
        message: String,
        body: String,
    },
    Skipped {
        message: String,
    },
    Error {
        message: String,
    },
}

/// Writes the JUnit document to `out` when the scan ends.
pub struct JunitReporter<W: Write> {
    out: W,
    /// Suite name → (test case name, outcome), in report order within a suite.
    suites: BTreeMap<String, Vec<(String, Outcome)>>,
}

impl<W: Write> JunitReporter<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W) -> Self {
        JunitReporter {
            out,
            suites: BTreeMap::new(),
        }
    }
}

/// Escapes text for XML content and attribute values. Characters XML 1.0 cannot hold at all
/// (control characters other than tab, LF and CR) become U+FFFD.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

impl<W: Write> Reporter for JunitReporter<W> {
    fn begin(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn file(&mut self, file: &FileReport, _ast: Option<&[u8]>) -> io::Result<()> {
        let reason = || file.reason.clone().unwrap_or_default();
        let outcome = match file.status {
            FileStatus::Skipped => Outcome::Skipped { message: reason() },
            FileStatus::Failed => Outcome::Error { message: reason() },
            FileStatus::Parsed | FileStatus::ParsedWithErrors => {
                let mut by_rule: BTreeMap<&str, Vec<&crate::analysis::Finding>> = BTreeMap::new();
                for f in file.parse.iter().flat_map(|p| &p.findings) {
                    if f.suppressed.is_none() && !f.baselined {
                        by_rule.entry(f.rule_id.as_str()).or_default().push(f);
                    }
                }
                if by_rule.is_empty() {
                    Outcome::Passed
                } else {
                    for (rule, findings) in by_rule {
                        let worst = findings.iter().map(|f| f.severity).max();
                        let body: Vec<String> = findings
                            .iter()
                            .map(|f| {
                                format!(
                                    "{}:{}:{}: {}\n    {}",
                                    file.path,
                                    f.span.start.line,
                                    f.span.start.column,
                                    f.message,
                                    f.snippet.trim()
                                )
                            })
                            .collect();
                        let outcome = Outcome::Failed {
                            kind: worst.map(|s| s.to_string()).unwrap_or_default(),
                            message: format!(
                                "{} finding{}: {}",
                                findings.len(),
                                if findings.len() == 1 { "" } else { "s" },
                                findings[0].message
                            ),
                            body: body.join("\n"),
                        };
                        self.suites
                            .entry(rule.to_string())
                            .or_default()
                            .push((file.path.clone(), outcome));
                    }
                    return Ok(());
                }
            }
        };
        self.suites
            .entry(FILES_SUITE.to_string())
            .or_default()
            .push((file.path.clone(), outcome));
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        let count = |cases: &[(String, Outcome)]| {
            let mut n = [0usize; 3];
            for (_, o) in cases {
                match o {
                    Outcome::Failed { .. } => n[0] += 1,
                    Outcome::Error { .. } => n[1] += 1,
                    Outcome::Skipped { .. } => n[2] += 1,
                    Outcome::Passed => {}
                }
            }
            n
        };
        let (mut tests, mut totals) = (0, [0usize; 3]);
        for cases in self.suites.values() {
            tests += cases.len();
            let n = count(cases);
            for i in 0..3 {
                totals[i] += n[i];
            }
        }
        writeln!(self.out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            self.out,
            r#"<testsuites name="astscan" tests="{tests}" failures="{}" errors="{}" skipped="{}">"#,
            totals[0], totals[1], totals[2]
        )?;
        for (suite, cases) in &self.suites {
            let n = count(cases);
            writeln!(
                self.out,
                r#"  <testsuite name="{}" tests="{}" failures="{}" errors="{}" skipped="{}">"#,
                xml(suite),
                cases.len(),
                n[0],
                n[1],
                n[2]
            )?;
            for (name, outcome) in cases {
                let open = format!(
                    r#"    <testcase classname="{}" name="{}""#,
                    xml(suite),
                    xml(name)
                );
                match outcome {
                    Outcome::Passed => writeln!(self.out, "{open}/>")?,
                    Outcome::Failed {
                        kind,
                        message,
                        body,
                    } => writeln!(
                        self.out,
                        r#"{open}><failure type="{}" message="{}">{}</failure></testcase>"#,
                        xml(kind),
                        xml(message),
                        xml(body)
                    )?,
                    Outcome::Skipped { message } => writeln!(
                        self.out,
                        r#"{open}><skipped message="{}"/></testcase>"#,
                        xml(message)
                    )?,
                    Outcome::Error { message } => writeln!(
                        self.out,
                        r#"{open}><error message="{}"/></testcase>"#,
                        xml(message)
                    )?,
                }
            }
            writeln!(self.out, "  </testsuite>")?;
        }
        writeln!(self.out, "</testsuites>")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_characters_xml_cannot_hold_are_replaced() {
        assert_eq!(xml(r#"a<b>&"c"'"#), "a&lt;b&gt;&amp;&quot;c&quot;&apos;");
        assert_eq!(xml("tab\tnl\nesc\u{1b}"), "tab\tnl\nesc\u{FFFD}");
    }
}
