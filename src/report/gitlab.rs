//! `--format gitlab`: a GitLab SAST security report (`artifacts:reports:sast`), so findings
//! appear in merge requests and the vulnerability report.
//!
//! It follows version 15.2.1 of GitLab's `sast-report-format.json` and writes only fields that
//! schema defines: `version`, `schema`, `scan` (analyzer and scanner, `type: sast`, start and
//! end time, `status`, and one message per file not analysed) and `vulnerabilities`, each with
//! an `id`, `name`, `description`, `severity`, `location` (file relative to the report root,
//! start and end line) and `identifiers` (the astscan rule first, then its CWE). The `id` is
//! derived from the finding's fingerprint and file, so it is the same for the same finding in
//! every pipeline. Suppressed and baselined findings are left out. Findings are kept until
//! the scan ends, since `scan` holds the end time and status.

use std::io::{self, Write};
use std::time::SystemTime;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::root::PathRoot;
use super::{FileReport, FileStatus, Reporter, Summary};
use crate::rules::Severity;

/// The schema version written, and where that schema lives.
const VERSION: &str = "15.2.1";
const SCHEMA: &str = "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.2.1/dist/sast-report-format.json";

/// Writes a GitLab SAST report to `out` when the scan ends.
pub struct GitlabReporter<W: Write> {
    out: W,
    root: PathRoot,
    started: SystemTime,
    vulnerabilities: Vec<Value>,
    messages: Vec<Value>,
}

impl<W: Write> GitlabReporter<W> {
    /// A reporter writing to `out`, with paths relative to `root`.
    pub fn new(out: W, root: PathRoot) -> Self {
        GitlabReporter {
            out,
            root,
            started: SystemTime::now(),
            vulnerabilities: Vec::new(),
            messages: Vec::new(),
        }
    }
}

/// GitLab's severity names.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
    }
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC, the form the schema's time fields take.
fn timestamp(t: SystemTime) -> String {
    let rfc3339 = humantime::format_rfc3339_seconds(t).to_string();
    rfc3339.trim_end_matches('Z').to_string()
}

/// A stable identifier in UUID form for a finding in a file.
fn finding_id(path: &str, fingerprint: &str, line: u32) -> String {
    let digest = Sha256::digest(format!("{path}\0{fingerprint}\0{line}").as_bytes());
    let h = crate::source::hex(&digest[..16]);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

impl<W: Write> Reporter for GitlabReporter<W> {
    fn begin(&mut self) -> io::Result<()> {
        self.started = SystemTime::now();
        Ok(())
    }

    fn file(&mut self, file: &FileReport, _ast: Option<&[u8]>) -> io::Result<()> {
        let location = self.root.locate(&file.path_raw());
        let path = crate::pathfmt::escape_bytes(location.bytes());
        if file.status == FileStatus::Failed {
            self.messages.push(json!({
                "level": "warn",
                "value": format!(
                    "{path}: not analysed: {}",
                    file.reason.as_deref().unwrap_or("analysis failed")
                ),
            }));
            return Ok(());
        }
        for f in file
            .parse
            .iter()
            .flat_map(|p| &p.findings)
            .filter(|f| f.suppressed.is_none() && !f.baselined)
        {
            self.vulnerabilities.push(json!({
                "id": finding_id(&path, &f.fingerprint, f.span.start.line),
                "name": f.rule_id,
                "description": f.message,
                "severity": severity(f.severity),
                "location": {
                    "file": path,
                    "start_line": f.span.start.line,
                    "end_line": f.span.end.line,
                },
                "identifiers": [
                    {
                        "type": "astscan_rule_id",
                        "name": f.rule_id,
                        "value": f.rule_id,
                    },
                    {
                        "type": "cwe",
                        "name": format!("CWE-{}", f.cwe),
                        "value": f.cwe.to_string(),
                        "url": format!("https://cwe.mitre.org/data/definitions/{}.html", f.cwe),
                    },
                ],
            }));
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let tool = json!({
            "id": "astscan",
            "name": "astscan",
            "version": env!("CARGO_PKG_VERSION"),
            "vendor": { "name": "astscan" },
        });
        let mut scan = json!({
            "analyzer": tool,
            "scanner": tool,
            "type": "sast",
            "start_time": timestamp(self.started),
            "end_time": timestamp(SystemTime::now()),
            "status": if summary.incomplete.is_some() { "failure" } else { "success" },
        });
        if !self.messages.is_empty() {
            scan["messages"] = Value::Array(std::mem::take(&mut self.messages));
        }
        let report = json!({
            "version": VERSION,
            "schema": SCHEMA,
            "scan": scan,
            "vulnerabilities": std::mem::take(&mut self.vulnerabilities),
        });
        serde_json::to_writer(&mut self.out, &report)?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_have_the_schemas_form() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        assert_eq!(timestamp(t), "2023-11-14T22:13:20");
    }

    #[test]
    fn ids_are_uuid_shaped_stable_and_distinct() {
        let a = finding_id("src/a.py", "abc", 3);
        assert_eq!(a, finding_id("src/a.py", "abc", 3));
        assert_ne!(a, finding_id("src/b.py", "abc", 3));
        let groups: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
    }
}
